/**
 * "What changed": every deploy source a catalog service configures (`deploys:` in oncall.yaml), read at once and
 * merged newest first. Called by the VS Code glue and the CLI; the `git` source is injected by the caller. Never
 * throws: a source that fails becomes a problem that names it, and the others still count.
 */
import type { RequestOptions } from '../http/request';
import type { DeploySourceConfig, ServiceEntry } from '../catalog/model';
import type { Deploy, DeployProblem, DeploySourceResult } from './model';
import type { FeedContext } from './feedHttp';
import { newestFirst } from './feedValues';
import { readDeployFile } from './file';
import { httpSourceOptions, readHttpFeed } from './http';
import { githubApi, githubSourceOptions, readGithub } from './github';
import { argocdSourceOptions, readArgocd } from './argocd';

export interface ReadDeploySourcesOptions {
  /** The workspace folder: `file` sources are relative to it. */
  readonly root: string;
  /**
   * The project's request options (settings oncall.http.*: deadline, proxy, CA, size limit), or how to make them:
   * a function is called only when a network source (github, argocd, http) is read, and if it rejects (a CA file
   * that is not one) each network source reports why it was not read while git and file sources are read as usual.
   */
  readonly http: RequestOptions | (() => Promise<RequestOptions>);
  /** The stored token of a source, by {@link sourceKey} (SecretStorage in the glue, an environment variable in the CLI). */
  readonly token?: (sourceKey: string) => Promise<string | undefined>;
  /** Only changes at or after this time. */
  readonly since?: Date;
  readonly signal?: AbortSignal;
  /** The `git` source, injected (src/core/deploys/git*.ts); without it a `git` entry is reported as not read. */
  readonly git?: (cfg: DeploySourceConfig, service: ServiceEntry) => Promise<DeploySourceResult>;
  /** "Now", for rate-limit messages; default the clock. */
  readonly now?: Date;
}

/**
 * Reads every source of `service` in parallel, merges them newest first, drops duplicates by id (the first source
 * in catalog order wins) and fills `previousCommit` from the deploy before in the same environment where the
 * source did not. Problems keep the sources' order.
 */
export async function readDeploySources(service: ServiceEntry, opts: ReadDeploySourcesOptions): Promise<DeploySourceResult> {
  const results = await Promise.all(service.deploys.map((cfg) => readOne(cfg, service, opts)));
  return mergeDeployResults(results, opts.since);
}

/**
 * The key a source's credentials are stored under: `github:acme/shop` (`github:ghe.example.com/acme/shop` on
 * GitHub Enterprise), `argocd:argocd.example.com/checkout-prod`, `http:https://deploys.example.com`,
 * `file:deploys.jsonl`, `git:checkout-v*`.
 */
export function sourceKey(cfg: DeploySourceConfig): string {
  const o = cfg.options;
  const str = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
  switch (cfg.kind) {
    case 'github': {
      const api = str('api');
      return api && api.replace(/\/+$/, '') !== githubApi ? `github:${hostPath(api, true)}/${str('repo')}` : `github:${str('repo')}`;
    }
    case 'argocd':
      return `argocd:${hostPath(str('server'), false)}/${str('app')}`;
    case 'http':
      return `http:${originOf(str('url'))}`;
    case 'file':
      return `file:${str('path')}`;
    case 'git':
      return `git:${str('tags') || str('branch')}`;
  }
}

/** A source in words, for messages: `GitHub acme/shop`, `Argo CD checkout-prod`, `deploys.jsonl`. */
export function sourceLabel(cfg: DeploySourceConfig): string {
  const o = cfg.options;
  switch (cfg.kind) {
    case 'github':
      return `GitHub ${String(o['repo'])}`;
    case 'argocd':
      return `Argo CD ${String(o['app'])}`;
    case 'http':
      return `deploy feed ${originOf(String(o['url']))}`;
    case 'file':
      return String(o['path']);
    case 'git':
      return `git ${o['tags'] !== undefined ? `tags ${String(o['tags'])}` : `branch ${String(o['branch'])}`}`;
  }
}

/** Merges results: newest first, duplicates (same id) dropped, `previousCommit` linked, everything before `since` out. */
export function mergeDeployResults(results: readonly DeploySourceResult[], since?: Date): DeploySourceResult {
  const seen = new Set<string>();
  const deploys: Deploy[] = [];
  const problems: DeployProblem[] = [];
  for (const r of results) {
    problems.push(...r.problems);
    for (const d of r.deploys) {
      if (seen.has(d.id) || (since && Date.parse(d.time) < since.getTime())) continue;
      seen.add(d.id);
      deploys.push(d);
    }
  }
  return { deploys: linkPrevious(deploys.sort(newestFirst)), problems };
}

/**
 * Fills `previousCommit` of successful deploys that have a commit but no previous one: the commit of the successful
 * deploy before it in the same environment (and service) with a different commit.
 */
function linkPrevious(newestFirstDeploys: Deploy[]): Deploy[] {
  const last = new Map<string, string>();
  const out = [...newestFirstDeploys];
  for (let i = out.length - 1; i >= 0; i--) {
    const d = out[i] as Deploy;
    if (d.kind !== 'deploy' || d.status !== 'success' || d.commit === undefined) continue;
    const key = `${d.service}\u0000${d.environment ?? ''}`;
    const prev = last.get(key);
    if (d.previousCommit === undefined && prev !== undefined && !sameCommit(prev, d.commit)) out[i] = { ...d, previousCommit: prev };
    last.set(key, d.commit);
  }
  return out;
}

function sameCommit(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).toLowerCase() === b.slice(0, n).toLowerCase();
}

async function readOne(cfg: DeploySourceConfig, service: ServiceEntry, opts: ReadDeploySourcesOptions): Promise<DeploySourceResult> {
  const key = sourceKey(cfg);
  const label = sourceLabel(cfg);
  const problem = (code: string, message: string, severity: DeployProblem['severity'] = 'error'): DeploySourceResult => ({ deploys: [], problems: [{ severity, code, message, source: key }] });
  try {
    if (cfg.kind === 'file') {
      const path = cfg.options['path'];
      if (typeof path !== 'string') return problem('config', `oncall.yaml line ${cfg.line}: a file source needs "path".`);
      return await readDeployFile(path, { root: opts.root, service: service.name, ...(opts.since ? { since: opts.since } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    }
    if (cfg.kind === 'git') {
      if (!opts.git) return problem('not-available', `${label} (oncall.yaml line ${cfg.line}) was not read: the git source is not available here.`, 'warning');
      return await opts.git(cfg, service);
    }
    let token: string | undefined;
    try {
      token = await opts.token?.(key);
    } catch (e) {
      return problem('credentials', `${label}: its stored token could not be read (${e instanceof Error ? e.message : String(e)}).`);
    }
    let http: RequestOptions;
    try {
      http = typeof opts.http === 'function' ? await opts.http() : opts.http;
    } catch (e) {
      return problem('http-options', `${label} (oncall.yaml line ${cfg.line}) was not read: ${e instanceof Error ? e.message : String(e)}`);
    }
    const ctx: FeedContext = {
      service: service.name,
      http: opts.signal ? { ...http, signal: opts.signal } : http,
      credentialKey: key,
      ...(token ? { token } : {}),
      ...(opts.since ? { since: opts.since } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    };
    const bad = (why: string): DeploySourceResult => problem('config', `${label} (oncall.yaml line ${cfg.line}): ${why}.`);
    if (cfg.kind === 'github') {
      const o = githubSourceOptions(cfg.options);
      return typeof o === 'string' ? bad(o) : await readGithub(o, ctx);
    }
    if (cfg.kind === 'argocd') {
      const o = argocdSourceOptions(cfg.options);
      return typeof o === 'string' ? bad(o) : await readArgocd(o, ctx);
    }
    const o = httpSourceOptions(cfg.options);
    return typeof o === 'string' ? bad(o) : await readHttpFeed(o, ctx);
  } catch (e) {
    // Every reader returns its failures; this is a bug, still reported as the source's problem, never thrown.
    return problem('internal', `${label}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `https://argocd.example.com/argo/` → `argocd.example.com/argo`; with `hostOnly`, `argocd.example.com`. */
function hostPath(url: string, hostOnly: boolean): string {
  try {
    const u = new URL(url);
    return hostOnly ? u.host : `${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
