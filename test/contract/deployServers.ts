/**
 * Loopback HTTP servers that answer like the GitHub REST API (Deployments, deployment statuses, Releases), the
 * Argo CD API server (Application) and a plain JSON deploy feed, so the deploy sources can be tested without them.
 * Used by the unit tests; no `vscode`, no mocha.
 *
 * Shapes assumed (GitHub REST API version 2022-11-28, docs.github.com "REST API endpoints for deployments",
 * "… deployment statuses", "… releases", "Rate limits for the REST API", "Using pagination in the REST API"):
 * - `GET /repos/{owner}/{repo}/deployments?sha&ref&task&environment&per_page(≤100, default 30)&page` → 200, an array
 *   newest first of `{url, id, node_id, sha, ref, task, payload, original_environment, environment, description,
 *   creator{login,id,type}, created_at, updated_at, statuses_url, repository_url, transient_environment,
 *   production_environment}`.
 * - `GET /repos/{owner}/{repo}/deployments/{id}/statuses?per_page&page` → newest first `{id, state (error | failure |
 *   inactive | in_progress | queued | pending | success), creator, description, environment, target_url, log_url,
 *   environment_url, created_at, updated_at, deployment_url}`; 404 for an unknown deployment.
 * - `GET /repos/{owner}/{repo}/releases?per_page&page` → newest first `{id, tag_name, target_commitish, name, draft,
 *   prerelease, created_at, published_at (null for drafts), author{login}, html_url, body}`; drafts only for a
 *   token with push access (here: the right token).
 * - Every answer: `content-type: application/json; charset=utf-8`, `x-ratelimit-limit/-remaining/-used/-reset`
 *   (epoch seconds) `/-resource: core`; more pages: `Link: <…/repositories/{numeric id}/deployments?…&page=2>;
 *   rel="next", <…>; rel="last"` (GitHub links by repository ID, not by name: clients must follow, not rebuild).
 * - Errors: `{"message", "documentation_url", "status"}`; a wrong token → 401 "Bad credentials"; a private repository
 *   without a token → 404 "Not Found"; primary rate limit → 403 with `x-ratelimit-remaining: 0` and "API rate limit
 *   exceeded for …"; secondary → 403 with `retry-after` and "You have exceeded a secondary rate limit …".
 *
 * Argo CD (api-server `ApplicationService.Get`, grpc-gateway JSON, `pkg/apis/application/v1alpha1/types.go`):
 * - `GET /api/v1/applications/{name}[?appNamespace=]` → `{metadata{name, namespace}, spec{project, source{repoURL,
 *   path, targetRevision}, destination{server, namespace}, syncPolicy}, status{sync{status, revision}, health{status},
 *   history[{id, revision, deployedAt, deployStartedAt, source{repoURL, path, targetRevision}, initiatedBy{username,
 *   automated}}] (oldest first, ids increasing), operationState{phase, message, startedAt, finishedAt,
 *   operation{sync{revision}, initiatedBy}, syncResult{revision, source}}}}`.
 * - Errors: grpc-gateway `{"error", "code" (gRPC), "message"}`; no token → 401 "no session information" (16); a bad
 *   token → 401 "invalid session: …"; an unknown app → 404 `applications.argoproj.io "x" not found` (5) for an admin,
 *   403 "permission denied" (7) for a user whose RBAC hides it.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: http.IncomingHttpHeaders;
}

/** Ways a server (or what stands in front of it) misbehaves. */
export type DeployFault =
  | { readonly kind: 'status'; readonly status: number; readonly body?: string; readonly contentType?: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'html-login' }
  | { readonly kind: 'hang' };

export interface LoopbackServer {
  /** Base URL including any base path, e.g. `http://127.0.0.1:41234/api/v3`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

type Handler = (req: RecordedRequest, res: http.ServerResponse, origin: string) => void;

async function startLoopback(basePath: string, fault: DeployFault | ((r: RecordedRequest) => DeployFault | undefined) | undefined, handler: Handler): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const base = basePath.replace(/\/+$/, '');
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const rel = base && u.pathname.startsWith(base) ? u.pathname.slice(base.length) || '/' : base ? '' : u.pathname;
    const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '', path: rel, query: Object.fromEntries(u.searchParams), headers: req.headers };
    requests.push(recorded);
    const f = typeof fault === 'function' ? fault(recorded) : fault;
    if (f?.kind === 'hang') return;
    if (f?.kind === 'html-login') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html>\n<html><head><title>Sign in · Example SSO</title></head><body><form method="post"><input name="username"><input type="password" name="password"></form></body></html>\n');
    if (f?.kind === 'status') return void res.writeHead(f.status, { 'content-type': f.contentType ?? 'text/plain; charset=utf-8', ...f.headers }).end(f.body ?? '');
    try {
      handler(recorded, res, `http://${req.headers.host ?? '127.0.0.1'}${base}`);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`contract server: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
}

// ---- GitHub ------------------------------------------------------------------------------------------------------

export interface GhStatusFixture {
  readonly state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  readonly created_at: string;
  readonly description?: string;
  readonly log_url?: string;
  readonly environment_url?: string;
}

export interface GhDeploymentFixture {
  readonly id: number;
  readonly sha: string;
  readonly ref: string;
  readonly environment: string;
  readonly created_at: string;
  readonly creator: string;
  readonly description?: string | null;
  readonly task?: string;
  /** Any order; served newest first. */
  readonly statuses?: readonly GhStatusFixture[];
}

export interface GhReleaseFixture {
  readonly id: number;
  readonly tag_name: string;
  readonly target_commitish: string;
  readonly name?: string | null;
  readonly draft?: boolean;
  readonly prerelease?: boolean;
  readonly created_at: string;
  readonly published_at: string | null;
  readonly author: string;
}

export interface GhRepoFixture {
  /** The numeric repository ID used in Link headers. */
  readonly id: number;
  /** Answered only with the right token (404 otherwise, as GitHub does). */
  readonly private?: boolean;
  readonly deployments?: readonly GhDeploymentFixture[];
  readonly releases?: readonly GhReleaseFixture[];
}

export interface GithubServerOptions {
  /** By `owner/name`. */
  readonly repos: Readonly<Record<string, GhRepoFixture>>;
  /** The token that is accepted; any other `Authorization` → 401 Bad credentials. */
  readonly token?: string;
  /** The primary rate limit: `remaining` goes down by one per request; at 0 every request is 403. */
  readonly rateLimit?: { readonly limit: number; remaining: number; readonly reset: number };
  /** A secondary rate limit for matching requests: 403 with `retry-after` of this many seconds. */
  readonly secondary?: (req: RecordedRequest) => number | undefined;
  /** `/api/v3` for GitHub Enterprise Server. */
  readonly basePath?: string;
  readonly fault?: DeployFault | ((req: RecordedRequest) => DeployFault | undefined);
}

const ghDocs = 'https://docs.github.com/rest';

/** Starts a GitHub REST API stand-in on 127.0.0.1. */
export function startGithubServer(options: GithubServerOptions): Promise<LoopbackServer> {
  const byId = new Map(Object.entries(options.repos).map(([name, r]) => [String(r.id), name]));
  const limit = options.rateLimit ?? { limit: 60, remaining: 60, reset: 1_795_402_800 };
  return startLoopback(options.basePath ?? '', options.fault, (req, res, origin) => {
    const rl = (): Record<string, string> => ({
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(limit.remaining),
      'x-ratelimit-used': String(limit.limit - limit.remaining),
      'x-ratelimit-reset': String(limit.reset),
      'x-ratelimit-resource': 'core',
    });
    const error = (status: number, message: string, extra: Record<string, string> = {}): void => sendJson(res, status, { message, documentation_url: ghDocs, status: String(status) }, { ...rl(), ...extra });
    const auth = req.headers.authorization;
    if (auth !== undefined && auth !== `Bearer ${options.token}` && auth !== `token ${options.token}`) return error(401, 'Bad credentials');
    const authorized = auth !== undefined;
    if (limit.remaining <= 0) return error(403, 'API rate limit exceeded for 127.0.0.1. (But here\'s the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)');
    const retryAfter = options.secondary?.(req);
    if (retryAfter !== undefined) return error(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', { 'retry-after': String(retryAfter) });
    limit.remaining--;

    const m = /^\/(?:repos\/([^/]+\/[^/]+)|repositories\/(\d+))\/(deployments|releases)(?:\/(\d+)\/(statuses))?$/.exec(req.path);
    const name = m ? (m[1] ?? byId.get(m[2] ?? '')) : undefined;
    const repo = name !== undefined ? options.repos[name] : undefined;
    if (!m || !repo || (repo.private && !authorized)) return error(404, 'Not Found');
    const perPage = Math.min(100, Math.max(1, Number(req.query['per_page'] ?? 30) || 30));
    const page = Math.max(1, Number(req.query['page'] ?? 1) || 1);
    const paged = <T>(all: readonly T[], listPath: string): void => {
      const pages = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number): string => {
        const q = new URLSearchParams({ ...req.query, per_page: String(perPage), page: String(p) });
        return `${origin}/repositories/${repo.id}/${listPath}?${q.toString()}`;
      };
      const rels: string[] = [];
      if (page < pages) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(pages)}>; rel="last"`);
      if (page > 1) rels.push(`<${link(page - 1)}>; rel="prev"`, `<${link(1)}>; rel="first"`);
      sendJson(res, 200, all.slice((page - 1) * perPage, page * perPage), { ...rl(), ...(rels.length ? { link: rels.join(', ') } : {}) });
    };
    const repoUrl = `${origin}/repos/${name}`;
    if (m[3] === 'deployments' && m[4] !== undefined) {
      const d = repo.deployments?.find((x) => String(x.id) === m[4]);
      if (!d) return error(404, 'Not Found');
      const statuses = [...(d.statuses ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at));
      return paged(
        statuses.map((s, i) => ({
          url: `${repoUrl}/deployments/${d.id}/statuses/${d.id * 100 + i}`,
          id: d.id * 100 + i,
          node_id: `DES_${d.id}_${i}`,
          state: s.state,
          creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
          description: s.description ?? '',
          environment: d.environment,
          target_url: s.log_url ?? '',
          log_url: s.log_url ?? '',
          environment_url: s.environment_url ?? '',
          created_at: s.created_at,
          updated_at: s.created_at,
          deployment_url: `${repoUrl}/deployments/${d.id}`,
          repository_url: repoUrl,
        })),
        `deployments/${d.id}/statuses`,
      );
    }
    if (m[3] === 'deployments') {
      const q = req.query;
      const list = [...(repo.deployments ?? [])]
        .filter((d) => (q['environment'] === undefined || d.environment === q['environment']) && (q['sha'] === undefined || d.sha === q['sha']) && (q['ref'] === undefined || d.ref === q['ref']) && (q['task'] === undefined || (d.task ?? 'deploy') === q['task']))
        .sort((a, b) => b.id - a.id);
      return paged(
        list.map((d) => ({
          url: `${repoUrl}/deployments/${d.id}`,
          id: d.id,
          node_id: `DE_${d.id}`,
          sha: d.sha,
          ref: d.ref,
          task: d.task ?? 'deploy',
          payload: {},
          original_environment: d.environment,
          environment: d.environment,
          description: d.description ?? null,
          creator: { login: d.creator, id: 1, type: 'User' },
          created_at: d.created_at,
          updated_at: d.created_at,
          statuses_url: `${repoUrl}/deployments/${d.id}/statuses`,
          repository_url: repoUrl,
          transient_environment: false,
          production_environment: d.environment === 'production',
        })),
        'deployments',
      );
    }
    const releases = [...(repo.releases ?? [])].filter((r) => !r.draft || authorized).sort((a, b) => b.created_at.localeCompare(a.created_at));
    return paged(
      releases.map((r) => ({
        url: `${repoUrl}/releases/${r.id}`,
        html_url: `https://github.com/${name}/releases/tag/${r.tag_name}`,
        id: r.id,
        node_id: `RE_${r.id}`,
        tag_name: r.tag_name,
        target_commitish: r.target_commitish,
        name: r.name ?? null,
        draft: r.draft ?? false,
        prerelease: r.prerelease ?? false,
        created_at: r.created_at,
        published_at: r.draft ? null : r.published_at,
        author: { login: r.author, id: 2, type: 'User' },
        body: '',
      })),
      'releases',
    );
  });
}

// ---- Argo CD -----------------------------------------------------------------------------------------------------

export interface ArgoHistoryFixture {
  readonly id: number;
  readonly revision: string;
  readonly deployedAt: string;
  readonly deployStartedAt?: string;
  readonly targetRevision?: string;
  readonly initiatedBy?: { readonly username?: string; readonly automated?: boolean };
}

/** An Application as `GET /api/v1/applications/{name}` returns it, with the history (and operation) given. */
export function argoApplication(name: string, history: readonly ArgoHistoryFixture[], operationState?: Record<string, unknown>): Record<string, unknown> {
  const source = { repoURL: 'https://github.com/acme/deploy.git', path: `apps/${name}`, targetRevision: 'main' };
  const last = history[history.length - 1];
  return {
    metadata: { name, namespace: 'argocd', uid: '6b0c3d2e-0000-4000-8000-000000000001', resourceVersion: '182736' },
    spec: { project: 'default', source, destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' }, syncPolicy: { automated: { prune: true, selfHeal: true } } },
    status: {
      sync: { status: 'Synced', revision: last?.revision ?? '', comparedTo: { source, destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } } },
      health: { status: 'Healthy' },
      history: history.map((h) => ({
        id: h.id,
        revision: h.revision,
        deployedAt: h.deployedAt,
        ...(h.deployStartedAt ? { deployStartedAt: h.deployStartedAt } : {}),
        source: { ...source, targetRevision: h.targetRevision ?? source.targetRevision },
        ...(h.initiatedBy ? { initiatedBy: h.initiatedBy } : {}),
      })),
      reconciledAt: last?.deployedAt ?? '2026-11-23T03:00:00Z',
      ...(operationState ? { operationState } : {}),
      sourceType: 'Kustomize',
    },
  };
}

export interface ArgocdServerOptions {
  /** Application objects by name (see {@link argoApplication}). */
  readonly apps: Readonly<Record<string, unknown>>;
  /** The bearer token required; without one, anything goes. */
  readonly token?: string;
  /** Answer 403 "permission denied" for unknown apps, as Argo CD does for users whose RBAC does not cover them. */
  readonly hideMissing?: boolean;
  readonly basePath?: string;
  readonly fault?: DeployFault | ((req: RecordedRequest) => DeployFault | undefined);
}

/** Starts an Argo CD API server stand-in on 127.0.0.1. */
export function startArgocdServer(options: ArgocdServerOptions): Promise<LoopbackServer> {
  return startLoopback(options.basePath ?? '', options.fault, (req, res) => {
    const grpcError = (status: number, code: number, message: string): void => sendJson(res, status, { error: message, code, message });
    if (options.token !== undefined) {
      const auth = req.headers.authorization;
      if (auth === undefined) return grpcError(401, 16, 'no session information');
      if (auth !== `Bearer ${options.token}`) return grpcError(401, 16, 'invalid session: token signature is invalid');
    }
    const m = /^\/api\/v1\/applications\/([^/]+)$/.exec(req.path);
    if (!m?.[1]) return grpcError(404, 5, 'Not Found');
    const name = decodeURIComponent(m[1]);
    const app = options.apps[name];
    if (app === undefined) return options.hideMissing ? grpcError(403, 7, 'permission denied') : grpcError(404, 5, `applications.argoproj.io "${name}" not found`);
    sendJson(res, 200, app);
  });
}

// ---- A JSON feed -------------------------------------------------------------------------------------------------

export interface FeedServerOptions {
  /** Bodies by path (answered as JSON with 200). */
  readonly routes: Readonly<Record<string, unknown>>;
  /** A bearer token required (401 otherwise). */
  readonly token?: string;
  readonly fault?: DeployFault | ((req: RecordedRequest) => DeployFault | undefined);
}

/** Starts a plain JSON deploy feed on 127.0.0.1. */
export function startFeedServer(options: FeedServerOptions): Promise<LoopbackServer> {
  return startLoopback('', options.fault, (req, res) => {
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) return sendJson(res, 401, { error: 'unauthorized' });
    if (!Object.prototype.hasOwnProperty.call(options.routes, req.path)) return sendJson(res, 404, { error: `no route ${req.path}` });
    sendJson(res, 200, options.routes[req.path]);
  });
}
