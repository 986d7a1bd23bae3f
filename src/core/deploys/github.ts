/**
 * The `github` deploy source: the Deployments API (`GET /repos/{owner}/{repo}/deployments` and each deployment's
 * `statuses`) and published Releases (`GET /repos/{owner}/{repo}/releases`), on api.github.com or a GitHub
 * Enterprise Server (`api:`). Pages are followed by the `Link` header (rel="next", same host only) up to a cap, and
 * stop once past `since` (both lists are newest first). A rate limit (403/429 with `x-ratelimit-remaining: 0` or
 * `retry-after`) stops all asking at once, with the reset time in UTC in the message: never a retry loop.
 */
import type { HttpResponse } from '../http/request';
import { joinUrl } from '../http/request';
import type { Deploy, DeployProblem, DeploySourceResult, DeployStatus } from './model';
import type { FeedContext, FeedFailure, FeedRequest } from './feedHttp';
import { failureProblem, getFeedJson, parseLinkHeader, setDeployCredentialsCommand, utcText } from './feedHttp';
import { compact, httpUrlOf, isSha, isSince, parseTime, textOf } from './feedValues';

/** api.github.com; GitHub Enterprise Server is `https://HOST/api/v3`. */
export const githubApi = 'https://api.github.com';

export interface GithubSourceOptions {
  /** `owner/name`. */
  readonly repo: string;
  /** Only deployments to this environment. */
  readonly environment?: string;
  /** The REST API base URL. Default {@link githubApi}. */
  readonly api?: string;
  /** Read the Deployments API. Default true. */
  readonly deployments?: boolean;
  /** Read published releases. Default true. */
  readonly releases?: boolean;
}

/** Limits that keep one refresh to a handful of requests. */
export interface GithubLimits {
  /** Pages of 100 per list. Default 5. */
  readonly maxPages?: number;
  /** Deployments whose statuses are asked for (the newest). Default 30; older ones are listed with status unknown. */
  readonly maxStatusLookups?: number;
}

const apiHeaders = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };

/** The options of a catalog `github` entry, or a reason they cannot be used. */
export function githubSourceOptions(options: Readonly<Record<string, unknown>>): GithubSourceOptions | string {
  const repo = options['repo'];
  if (typeof repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return 'no "repo" as owner/name';
  const out: Record<string, unknown> = { repo };
  for (const k of ['environment', 'api']) if (typeof options[k] === 'string') out[k] = options[k];
  for (const k of ['deployments', 'releases']) if (typeof options[k] === 'boolean') out[k] = options[k];
  return out as unknown as GithubSourceOptions;
}

/** Reads deployments and releases of one repository. Never throws; whatever was read before a failure is kept. */
export async function readGithub(options: GithubSourceOptions, ctx: FeedContext, limits: GithubLimits = {}): Promise<DeploySourceResult> {
  const api = options.api ?? githubApi;
  const s = new Session(options, ctx, api, limits.maxPages ?? 5);
  const deploys: Deploy[] = [];
  if (options.deployments !== false) deploys.push(...(await s.deployments(limits.maxStatusLookups ?? 30)));
  // After a 401/403/404 or a rate limit the releases would fail the same way: one message is enough.
  if (options.releases !== false && !s.stopped) deploys.push(...(await s.releases()));
  return { deploys: deploys.filter((d) => isSince(d, ctx.since)), problems: s.problems };
}

interface GhDeployment {
  readonly id: number;
  readonly sha?: string;
  readonly ref?: string;
  readonly environment?: string;
  readonly description?: string | null;
  readonly creator?: { readonly login?: string } | null;
  readonly created_at?: string;
}

interface GhStatus {
  readonly state?: string;
  readonly created_at?: string;
  readonly description?: string | null;
  readonly log_url?: string;
  readonly target_url?: string;
  readonly environment_url?: string;
}

class Session {
  readonly problems: DeployProblem[] = [];
  /** Set by a failure that makes every further request pointless (credentials, missing repo, rate limit). */
  stopped = false;
  /** Set when a statuses request failed: the others are not asked. */
  private noStatuses = false;
  private readonly label: string;

  constructor(
    private readonly options: GithubSourceOptions,
    private readonly ctx: FeedContext,
    private readonly api: string,
    private readonly maxPages: number,
  ) {
    this.label = `GitHub ${options.repo}`;
  }

  async deployments(maxStatusLookups: number): Promise<Deploy[]> {
    const list = await this.pages<GhDeployment>('deployments', { environment: this.options.environment }, (d) => d.created_at);
    const out: Deploy[] = [];
    let looked = 0;
    // Newest first, a few at a time: statuses are one request per deployment.
    for (let i = 0; i < list.length; i += 4) {
      const batch = list.slice(i, i + 4);
      const statuses = await Promise.all(
        batch.map((d) => {
          if (this.stopped || looked >= maxStatusLookups || typeof d.id !== 'number') return Promise.resolve(undefined);
          looked++;
          return this.statuses(d.id);
        }),
      );
      batch.forEach((d, j) => {
        const deploy = this.deploymentToDeploy(d, statuses[j]);
        if (deploy) out.push(deploy);
      });
    }
    return out;
  }

  async releases(): Promise<Deploy[]> {
    const list = await this.pages<Record<string, unknown>>('releases', {}, (r) => textOf(r['published_at']) ?? textOf(r['created_at']));
    const out: Deploy[] = [];
    for (const r of list) {
      if (r['draft'] === true) continue;
      const tag = textOf(r['tag_name']);
      const time = parseTime(r['published_at']) ?? parseTime(r['created_at']);
      if (tag === undefined || time === undefined || typeof r['id'] !== 'number') continue;
      const name = textOf(r['name']);
      const target = textOf(r['target_commitish']);
      const author = r['author'] as { login?: unknown } | null | undefined;
      const notes = [name !== undefined && name !== tag ? name : undefined, r['prerelease'] === true ? 'pre-release' : undefined].filter((x) => x !== undefined);
      out.push(
        compact({
          id: `github:${this.options.repo}:release:${r['id']}`,
          service: this.ctx.service,
          source: 'github' as const,
          kind: 'deploy' as const,
          version: tag,
          time,
          actor: textOf(author?.login),
          status: 'success' as const,
          commit: isSha(target) ? target : undefined,
          url: httpUrlOf(r['html_url']),
          description: notes.length > 0 ? `Release ${notes.join(', ')}` : 'Release',
        }),
      );
    }
    return out;
  }

  /** The statuses of one deployment, newest first; undefined when they could not be read (a problem was added). */
  private async statuses(id: number): Promise<GhStatus[] | undefined> {
    if (this.noStatuses) return undefined;
    const got = await this.get(this.url(`deployments/${id}/statuses`, { per_page: 20 }), `deployment ${id} of ${this.options.repo}`, true);
    return Array.isArray(got.json) ? (got.json.filter(isObject) as GhStatus[]) : undefined;
  }

  private deploymentToDeploy(d: GhDeployment, statuses: readonly GhStatus[] | undefined): Deploy | undefined {
    const created = parseTime(d.created_at);
    if (created === undefined || typeof d.id !== 'number') return undefined;
    const sha = textOf(d.sha);
    const ref = textOf(d.ref);
    const outcome = statuses ? outcomeOf(statuses) : { status: 'unknown' as const };
    const short = sha?.slice(0, 7);
    const version = ref === undefined || ref === sha ? (short ?? String(d.id)) : /^v?\d/.test(ref) || short === undefined ? ref : `${ref}@${short}`;
    return compact({
      id: `github:${this.options.repo}:deployment:${d.id}`,
      service: this.ctx.service,
      source: 'github' as const,
      kind: 'deploy' as const,
      version,
      time: parseTime(outcome.at) ?? created,
      environment: textOf(d.environment),
      actor: textOf(d.creator?.login),
      status: outcome.status,
      commit: sha,
      url: outcome.url,
      description: textOf(d.description) ?? textOf(outcome.description),
    });
  }

  /** Follows `Link: rel="next"` from the first page, newest first, until the cap, the end or `since` is passed. */
  private async pages<T>(what: 'deployments' | 'releases', query: Record<string, string | undefined>, timeOf: (item: T) => string | undefined): Promise<T[]> {
    const out: T[] = [];
    let url: string | undefined = this.url(what, { ...query, per_page: 100 });
    for (let page = 1; url !== undefined && !this.stopped; page++) {
      const { json, res } = await this.get(url, `repository ${this.options.repo}`, false);
      if (!Array.isArray(json) || !res) break;
      out.push(...(json.filter(isObject) as T[]));
      const last = json.length > 0 ? parseTime(timeOf(json[json.length - 1] as T)) : undefined;
      if (this.ctx.since && last !== undefined && Date.parse(last) < this.ctx.since.getTime()) break;
      const next = parseLinkHeader(res.headers['link'])['next'];
      if (next === undefined) break;
      if (!sameOrigin(next, this.api)) {
        this.problems.push({ severity: 'warning', code: 'pagination', source: this.ctx.credentialKey, message: `${this.label}: the next page of ${what} is on another host (${hostOf(next)}), not followed; showing the newest ${out.length}.` });
        break;
      }
      if (page >= this.maxPages) {
        this.problems.push({ severity: 'warning', code: 'page-limit', source: this.ctx.credentialKey, message: `${this.label}: read the newest ${out.length} ${what} (${this.maxPages} pages); older ones are not shown.` });
        break;
      }
      if (res.headers['x-ratelimit-remaining'] === '0') {
        this.problems.push({ ...rateLimitProblem(this.label, this.ctx, res), severity: 'warning' });
        this.stopped = true;
        break;
      }
      url = next;
    }
    return out;
  }

  /**
   * One GET; a failure becomes a problem. A failed list stops the session (the next list would fail alike: one
   * message, not two); a failed statuses request stops further statuses requests (one message, not thirty), and the
   * session too when nothing else can succeed (credentials, rate limit, an unreachable server).
   */
  private async get(url: string, notFound: string, forStatuses: boolean): Promise<{ json?: unknown; res?: HttpResponse }> {
    const req: FeedRequest = {
      label: this.label,
      notFound,
      notFoundHint: this.ctx.token ? 'Check "repo" in oncall.yaml, and that the stored token may read this repository.' : `A private repository answers 404 to a request without a token: run "${setDeployCredentialsCommand}" to store one for ${this.ctx.credentialKey}.`,
      credentialKey: this.ctx.credentialKey,
      headers: apiHeaders,
      classify: (res) => rateLimited(res, this.label, this.ctx),
      ...(this.ctx.token ? { token: this.ctx.token } : {}),
    };
    const got = await getFeedJson(url, this.ctx.http, req);
    if (got.ok) return { json: got.json, res: got.res };
    if (this.stopped || (forStatuses && this.noStatuses)) return {};
    if (forStatuses) this.noStatuses = true;
    // A list that failed: the other list would fail the same way (one message, not two); statuses: only when
    // nothing else can succeed either.
    if (!forStatuses || (got.failure.kind !== 'not-found' && sessionStoppers.has(got.failure.kind))) this.stopped = true;
    const problem = failureProblem(got.failure, this.ctx.credentialKey);
    this.problems.push(forStatuses && !this.stopped ? { ...problem, severity: 'warning', message: `${problem.message} Deployments without their statuses are listed with status unknown.` } : problem);
    return got.res ? { res: got.res } : {};
  }

  private url(path: string, query: Record<string, string | number | undefined>): string {
    return joinUrl(this.api, `repos/${this.options.repo}/${path}`, query);
  }
}

/** Failures after which no other request to this API can succeed now. */
const sessionStoppers: ReadonlySet<FeedFailure['kind']> = new Set(['unauthorized', 'forbidden', 'not-found', 'rate-limited', 'timeout', 'refused', 'dns', 'tls', 'cancelled', 'bad-url']);

/** The outcome of a deployment from its statuses (newest first): an `inactive` one after a success was superseded. */
function outcomeOf(statuses: readonly GhStatus[]): { status: DeployStatus; at?: string; url?: string; description?: string } {
  const first = statuses[0];
  if (!first) return { status: 'pending' };
  const decisive = first.state === 'inactive' ? statuses.find((s) => s.state === 'success') : first;
  if (!decisive) return { status: 'unknown', ...linkOf(first) };
  const status: DeployStatus =
    decisive.state === 'success' ? 'success' : decisive.state === 'failure' || decisive.state === 'error' ? 'failure' : decisive.state === 'in_progress' ? 'in_progress' : decisive.state === 'queued' || decisive.state === 'pending' ? 'pending' : 'unknown';
  return { status, ...(decisive.created_at ? { at: decisive.created_at } : {}), ...linkOf(decisive) };
}

function linkOf(s: GhStatus): { url?: string; description?: string } {
  const url = httpUrlOf(s.log_url) ?? httpUrlOf(s.target_url) ?? httpUrlOf(s.environment_url);
  const description = textOf(s.description);
  return { ...(url ? { url } : {}), ...(description ? { description } : {}) };
}

/** GitHub's primary or secondary rate limit, told apart from a 403 about permissions. */
export function rateLimited(res: HttpResponse, label: string, ctx: Pick<FeedContext, 'now' | 'token' | 'credentialKey'>): FeedFailure | undefined {
  if (res.status !== 403 && res.status !== 429) return undefined;
  const h = res.headers;
  if (h['x-ratelimit-remaining'] !== '0' && h['retry-after'] === undefined && !/rate limit/i.test(res.body.slice(0, 2000))) return undefined;
  return { kind: 'rate-limited', status: res.status, message: rateLimitProblem(label, ctx, res).message };
}

function rateLimitProblem(label: string, ctx: Pick<FeedContext, 'now' | 'token' | 'credentialKey'>, res: HttpResponse): DeployProblem {
  const h = res.headers;
  const retryAfter = Number(h['retry-after']);
  const reset = Number(h['x-ratelimit-reset']);
  const now = (ctx.now ?? new Date()).getTime();
  const at = Number.isFinite(retryAfter) && h['retry-after'] !== undefined ? now + retryAfter * 1000 : Number.isFinite(reset) && h['x-ratelimit-reset'] !== undefined ? reset * 1000 : undefined;
  const limit = h['x-ratelimit-limit'];
  const which = h['retry-after'] !== undefined && h['x-ratelimit-remaining'] !== '0' ? 'secondary rate limit' : `rate limit${limit ? ` (${limit} requests an hour${h['x-ratelimit-resource'] ? ` for ${h['x-ratelimit-resource']}` : ''})` : ''}`;
  const when = at !== undefined ? `it resets at ${utcText(at)}` : 'wait at least a minute';
  const more = ctx.token ? '' : ` Requests without a token share 60 an hour per address: run "${setDeployCredentialsCommand}" to store a token for ${ctx.credentialKey} (5,000 an hour).`;
  return { severity: 'error', code: 'rate-limited', source: ctx.credentialKey, message: `${label}: GitHub's ${which} is used up (HTTP ${res.status} at ${res.url}); ${when}. Nothing more was asked.${more}` };
}

function isObject(x: unknown): boolean {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
