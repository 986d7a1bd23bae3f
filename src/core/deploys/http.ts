/**
 * The `http` deploy source: any JSON feed of deploys (or of config changes and flag flips), read through a field
 * mapping from the catalog. `mapping` values are dotted paths into each item (`deployment.sha`, `meta.who`); `items`
 * is the dotted path of the list (default: the answer itself when it is a list, else its first list-valued
 * property); `mapping.kind` or the constant `changeKind` marks what the items are.
 */
import { changeKinds } from '../catalog/keys';
import type { ChangeKind, Deploy, DeploySourceResult } from './model';
import { failureProblem, getFeedJson, type FeedContext } from './feedHttp';
import { describeValue, itemToDeploy, type ItemMapping } from './feedItems';
import { EntryProblems, isSince, valueAt } from './feedValues';

export interface HttpSourceOptions {
  readonly url: string;
  readonly mapping: ItemMapping;
  /** Dotted path of the list in the answer. */
  readonly items?: string;
  /** What the items are when `mapping.kind` does not say. Default `deploy`. */
  readonly changeKind?: ChangeKind;
}

/** The options of a catalog `http` entry, or a reason they cannot be used (the catalog validates them first). */
export function httpSourceOptions(options: Readonly<Record<string, unknown>>): HttpSourceOptions | string {
  const url = options['url'];
  const mapping = options['mapping'] as Record<string, unknown> | undefined;
  if (typeof url !== 'string') return 'no "url"';
  if (!mapping || typeof mapping !== 'object' || typeof mapping['version'] !== 'string' || typeof mapping['time'] !== 'string') return 'no "mapping" with "version" and "time"';
  const changeKind = options['changeKind'];
  const items = options['items'];
  return {
    url,
    mapping: mapping as unknown as ItemMapping,
    ...(typeof items === 'string' ? { items } : {}),
    ...(typeof changeKind === 'string' && (changeKinds as readonly string[]).includes(changeKind) ? { changeKind: changeKind as ChangeKind } : {}),
  };
}

/** Reads the feed once (no pagination: a feed that pages should be asked for the recent ones by its URL's query). */
export async function readHttpFeed(options: HttpSourceOptions, ctx: FeedContext): Promise<DeploySourceResult> {
  const got = await getFeedJson(options.url, ctx.http, {
    label: 'Deploy feed',
    notFound: `the deploy feed of ${ctx.service}`,
    credentialKey: ctx.credentialKey,
    ...(ctx.token ? { token: ctx.token } : {}),
  });
  if (!got.ok) return { deploys: [], problems: [failureProblem(got.failure, ctx.credentialKey)] };
  const r = deploysFromFeed(got.json, options, ctx.service, got.res.url, ctx.since);
  return { deploys: r.deploys, problems: r.problems.map((p) => ({ ...p, source: ctx.credentialKey })) };
}

/**
 * The deploys in a parsed feed answer. `shownUrl` (redacted) names the feed in messages and ids. A malformed item is
 * skipped and reported with its index; the others are kept.
 */
export function deploysFromFeed(body: unknown, options: HttpSourceOptions, service: string, shownUrl: string, since?: Date): DeploySourceResult {
  const list = findItems(body, options.items);
  if (typeof list === 'string') return { deploys: [], problems: [{ severity: 'error', code: 'malformed', message: `Deploy feed ${shownUrl}: ${list}` }] };
  const where = `the deploy feed ${shownUrl}${list.path ? ` (${list.path})` : ''}`;
  const problems = new EntryProblems(where);
  const deploys: Deploy[] = [];
  const origin = originOf(shownUrl);
  list.items.forEach((item, i) => {
    const r = itemToDeploy(item, options.mapping, {
      service,
      source: 'http',
      defaultKind: options.changeKind ?? 'deploy',
      // A feed that has a status field but not for this item does not say it succeeded.
      defaultStatus: options.mapping.status ? 'unknown' : 'success',
      idOf: (own, d) => (own !== undefined ? `http:${origin}#${own}` : `http:${origin}#${d.kind}:${d.environment ?? ''}:${d.version}@${d.time}`),
    });
    if (r.ok === 'other-service') return;
    if (r.ok === false) return problems.add({ severity: 'warning', code: 'malformed', message: `Item ${i + 1} of ${where}: skipped: ${r.reason}.` });
    if (r.warning) problems.add({ severity: 'warning', code: 'malformed', message: `Item ${i + 1} of ${where}: ${r.warning}.` });
    if (isSince(r.deploy, since)) deploys.push(r.deploy);
  });
  return { deploys, problems: problems.list() };
}

/** The list of items: at `path`, else the body when it is a list, else the body's first list-valued property. */
export function findItems(body: unknown, path: string | undefined): { items: readonly unknown[]; path: string } | string {
  if (path !== undefined && path !== '') {
    const v = valueAt(body, path);
    if (Array.isArray(v)) return { items: v, path };
    return `"items: ${path}" ${v === undefined ? 'is not in the answer' : `is ${describeValue(v)}, not a list`}${topKeys(body)}.`;
  }
  if (Array.isArray(body)) return { items: body, path: '' };
  if (body !== null && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (Array.isArray(v)) return { items: v, path: k };
    return `the answer is an object without a list${topKeys(body)}: set "items" to the dotted path of the list of deploys.`;
  }
  return `the answer is ${describeValue(body)}, not a list of deploys.`;
}

function topKeys(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return '';
  const keys = Object.keys(body).slice(0, 8);
  return keys.length > 0 ? ` (its keys: ${keys.join(', ')})` : '';
}

function originOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}
