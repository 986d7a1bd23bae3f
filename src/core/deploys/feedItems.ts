/**
 * One entry of a deploy log or JSON feed → a Deploy, by a mapping of Deploy fields to dotted paths in the entry.
 * The `file` source uses the fixed mapping of its documented entry shape; the `http` source the catalog's `mapping:`.
 */
import type { ChangeKind, Deploy, DeployStatus } from './model';
import { compact, httpUrlOf, parseTime, readKind, readStatus, textOf, valueAt } from './feedValues';

/** Where each field of a deploy is in an entry, as a dotted path. */
export interface ItemMapping {
  readonly version: string;
  readonly time: string;
  readonly commit?: string;
  readonly environment?: string;
  readonly actor?: string;
  readonly status?: string;
  readonly kind?: string;
  readonly service?: string;
  readonly description?: string;
  readonly url?: string;
  readonly id?: string;
}

/** The documented entry of a deploy log: `{service?, version, time, commit?, environment?, actor?, status?, kind?, description?, url?, id?}`. */
export const logEntryMapping: ItemMapping = {
  version: 'version',
  time: 'time',
  commit: 'commit',
  environment: 'environment',
  actor: 'actor',
  status: 'status',
  kind: 'kind',
  service: 'service',
  description: 'description',
  url: 'url',
  id: 'id',
};

export interface ItemContext {
  /** The catalog service: entries that name another service are left out. */
  readonly service: string;
  readonly source: Deploy['source'];
  /** What an entry is when it does not say. */
  readonly defaultKind: ChangeKind;
  /** The status of an entry that has none. */
  readonly defaultStatus: DeployStatus;
  /** The Deploy's id from the entry's own id (when mapped and present) or from what it says. */
  readonly idOf: (ownId: string | undefined, d: Pick<Deploy, 'time' | 'version' | 'environment' | 'kind'>) => string;
}

export type ItemResult =
  | { readonly ok: true; readonly deploy: Deploy; readonly warning?: string }
  | { readonly ok: false; readonly reason: string }
  /** Another service's entry: left out, not a problem. */
  | { readonly ok: 'other-service' };

/** Reads one entry; a malformed one comes back with the reason, worded for the user. */
export function itemToDeploy(item: unknown, mapping: ItemMapping, ctx: ItemContext): ItemResult {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { ok: false, reason: `expected an object with "${mapping.version}" and "${mapping.time}", got ${describeValue(item)}` };
  const at = (path: string | undefined): unknown => (path === undefined ? undefined : valueAt(item, path));
  const service = textOf(at(mapping.service));
  if (service !== undefined && service.toLowerCase() !== ctx.service.toLowerCase()) return { ok: 'other-service' };
  const rawVersion = at(mapping.version);
  const version = textOf(rawVersion);
  if (version === undefined) return { ok: false, reason: rawVersion === undefined ? `no "${mapping.version}"` : `"${mapping.version}" is ${describeValue(rawVersion)}, not a version` };
  const rawTime = at(mapping.time);
  if (rawTime === undefined) return { ok: false, reason: `no "${mapping.time}"` };
  const time = parseTime(rawTime);
  if (time === undefined) return { ok: false, reason: `"${mapping.time}" is not a time: ${describeValue(rawTime)} (expected ISO 8601, e.g. 2026-11-22T18:05:00Z, or epoch seconds)` };
  const rawKind = at(mapping.kind);
  let kind = ctx.defaultKind;
  if (rawKind !== undefined && rawKind !== null) {
    const k = readKind(rawKind);
    if (k === undefined) return { ok: false, reason: `"${mapping.kind}" is ${describeValue(rawKind)}: expected deploy, config or flag` };
    kind = k;
  }
  const rawStatus = at(mapping.status);
  const status = rawStatus === undefined || rawStatus === null ? ctx.defaultStatus : readStatus(rawStatus);
  const environment = textOf(at(mapping.environment));
  const rawUrl = at(mapping.url);
  const url = httpUrlOf(rawUrl);
  const warning = rawUrl !== undefined && rawUrl !== null && url === undefined ? `"${mapping.url}" is not an http(s) URL, left out: ${describeValue(rawUrl)}` : undefined;
  const deploy: Deploy = compact({
    id: ctx.idOf(textOf(at(mapping.id)), { time, version, environment, kind }),
    service: ctx.service,
    source: ctx.source,
    kind,
    version,
    time,
    environment,
    actor: textOf(at(mapping.actor)),
    status,
    commit: textOf(at(mapping.commit)),
    url,
    description: textOf(at(mapping.description)),
  });
  return warning ? { ok: true, deploy, warning } : { ok: true, deploy };
}

/** How a value reads in a message: `"yesterday"`, `a number (5)`, `a list`, `nothing`. */
export function describeValue(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v === 'number' ? 'a number' : 'a boolean'} (${String(v)})`;
  if (Array.isArray(v)) return 'a list';
  return 'an object';
}
