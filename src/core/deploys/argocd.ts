/**
 * The `argocd` deploy source: an Argo CD application's sync history (`GET {server}/api/v1/applications/{name}` →
 * `status.history[]`: id, revision(s), deployedAt, deployStartedAt, source(s), initiatedBy), plus a sync that is
 * running or failed right now (`status.operationState`), which history does not record. The token (an Argo CD API
 * token or session JWT) is sent as a bearer token.
 */
import { joinUrl } from '../http/request';
import type { Deploy, DeploySourceResult, DeployStatus } from './model';
import type { FeedContext } from './feedHttp';
import { failureProblem, getFeedJson } from './feedHttp';
import { compact, isSha, isSince, parseTime, textOf } from './feedValues';

export interface ArgocdSourceOptions {
  /** The Argo CD server's base URL (may have a path prefix, `--rootpath`). */
  readonly server: string;
  /** The application's name; `namespace/name` for an application outside Argo CD's own namespace. */
  readonly app: string;
}

/** The options of a catalog `argocd` entry, or a reason they cannot be used. */
export function argocdSourceOptions(options: Readonly<Record<string, unknown>>): ArgocdSourceOptions | string {
  const server = options['server'];
  const app = options['app'];
  if (typeof server !== 'string' || typeof app !== 'string') return 'no "server" and "app"';
  return { server, app };
}

/** Reads one application's history. Never throws. */
export async function readArgocd(options: ArgocdSourceOptions, ctx: FeedContext): Promise<DeploySourceResult> {
  const { name, namespace } = splitApp(options.app);
  let url: string;
  try {
    url = joinUrl(options.server, `api/v1/applications/${encodeURIComponent(name)}`, { appNamespace: namespace });
  } catch {
    return { deploys: [], problems: [{ severity: 'error', code: 'bad-url', source: ctx.credentialKey, message: `Argo CD: "${options.server}" is not a valid URL. Check "server" in oncall.yaml.` }] };
  }
  const got = await getFeedJson(url, ctx.http, {
    label: `Argo CD ${options.app}`,
    notFound: `application ${options.app}`,
    notFoundHint: 'Check "app" in oncall.yaml (the name shown in the Argo CD UI).',
    forbiddenHint: `Argo CD answers 403 also for an application that does not exist: check "app" (${options.app}) as well.`,
    credentialKey: ctx.credentialKey,
    ...(ctx.token ? { token: ctx.token } : {}),
  });
  if (!got.ok) return { deploys: [], problems: [failureProblem(got.failure, ctx.credentialKey)] };
  const deploys = argocdHistory(got.json, options, ctx.service).filter((d) => isSince(d, ctx.since));
  if (deploys.length === 0 && !isApplication(got.json)) {
    return { deploys: [], problems: [{ severity: 'error', code: 'malformed', source: ctx.credentialKey, message: `Argo CD ${options.app} (${got.res.url}) answered JSON that is not an application (no "status"): is "server" the Argo CD API and not its UI behind a proxy?` }] };
  }
  return { deploys, problems: [] };
}

function isApplication(json: unknown): boolean {
  return json !== null && typeof json === 'object' && ('status' in json || 'spec' in json || 'metadata' in json);
}

function splitApp(app: string): { name: string; namespace?: string } {
  const i = app.indexOf('/');
  return i > 0 ? { namespace: app.slice(0, i), name: app.slice(i + 1) } : { name: app };
}

interface ArgoSource {
  readonly repoURL?: string;
  readonly path?: string;
  readonly chart?: string;
  readonly targetRevision?: string;
}

interface ArgoHistory {
  readonly id?: number;
  readonly revision?: string;
  readonly revisions?: readonly string[];
  readonly deployedAt?: string;
  readonly deployStartedAt?: string;
  readonly source?: ArgoSource;
  readonly sources?: readonly ArgoSource[];
  readonly initiatedBy?: { readonly username?: string; readonly automated?: boolean };
}

/**
 * The deploys in an Application object (pure): each history entry, oldest to newest linked by `previousCommit`, and
 * the current operation when it is running or failed. Ids are `argocd:{host}/{app}:{history id}`.
 */
export function argocdHistory(app: unknown, options: ArgocdSourceOptions, service: string): Deploy[] {
  const status = (app as { status?: { history?: unknown; operationState?: unknown } } | null)?.status;
  const history = Array.isArray(status?.history) ? (status.history as ArgoHistory[]) : [];
  const base = `argocd:${hostOf(options.server)}/${options.app}`;
  const link = appLink(options);
  const out: Deploy[] = [];
  let previous: string | undefined;
  const sorted = [...history].filter((h) => h && typeof h === 'object').sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  for (const h of sorted) {
    const time = parseTime(h.deployedAt);
    const revision = textOf(h.revision) ?? textOf(h.revisions?.[0]);
    if (time === undefined || revision === undefined) continue;
    const source = h.source ?? h.sources?.[0];
    const commit = isSha(revision) ? revision : undefined;
    out.push(
      compact({
        id: `${base}:${h.id ?? time}`,
        service,
        source: 'argocd' as const,
        kind: 'deploy' as const,
        version: versionOf(revision, source),
        time,
        actor: actorOf(h.initiatedBy),
        status: 'success' as const,
        commit,
        previousCommit: commit !== undefined && previous !== commit ? previous : undefined,
        url: link,
        description: describeSource(source, h.sources?.length, parseTime(h.deployStartedAt), time),
      }),
    );
    if (commit !== undefined) previous = commit;
  }
  const op = operationDeploy(status?.operationState, base, link, service);
  if (op) out.push(op);
  return out;
}

/** A running or failed sync (Succeeded ones are in the history already). */
function operationDeploy(raw: unknown, base: string, url: string | undefined, service: string): Deploy | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const op = raw as { phase?: string; message?: string; startedAt?: string; finishedAt?: string; operation?: { initiatedBy?: ArgoHistory['initiatedBy']; sync?: { revision?: string; revisions?: string[] } }; syncResult?: { revision?: string; source?: ArgoSource } };
  const phases: Record<string, DeployStatus> = { Running: 'in_progress', Terminating: 'in_progress', Failed: 'failure', Error: 'failure' };
  const status = phases[op.phase ?? ''];
  const started = parseTime(op.startedAt);
  if (status === undefined || started === undefined) return undefined;
  const revision = textOf(op.syncResult?.revision) ?? textOf(op.operation?.sync?.revision) ?? textOf(op.operation?.sync?.revisions?.[0]);
  return compact({
    id: `${base}:operation@${started}`,
    service,
    source: 'argocd' as const,
    kind: 'deploy' as const,
    version: revision ? versionOf(revision, op.syncResult?.source) : 'sync',
    time: status === 'failure' ? (parseTime(op.finishedAt) ?? started) : started,
    actor: actorOf(op.operation?.initiatedBy),
    status,
    commit: isSha(revision) ? revision : undefined,
    url,
    description: `Sync ${op.phase?.toLowerCase()}${textOf(op.message) ? `: ${textOf(op.message)}` : ''}`,
  });
}

/** What people call the revision: a version-like target revision (`v1.4.2`), a Helm chart version, or the short SHA. */
function versionOf(revision: string, source: ArgoSource | undefined): string {
  const target = textOf(source?.targetRevision);
  if (source?.chart) return `${source.chart} ${revision}`;
  if (isSha(revision)) return target !== undefined && /^v?\d+\.\d+/.test(target) ? target : revision.slice(0, 7);
  return revision;
}

function actorOf(by: ArgoHistory['initiatedBy']): string | undefined {
  return textOf(by?.username) ?? (by?.automated ? 'automated sync' : undefined);
}

function describeSource(source: ArgoSource | undefined, sources: number | undefined, started: string | undefined, finished: string): string | undefined {
  const parts: string[] = [];
  const repo = textOf(source?.repoURL)?.replace(/^https?:\/\//, '').replace(/\.git$/, '');
  if (repo) parts.push(`Synced ${repo}${source?.path ? `/${source.path}` : source?.chart ? ` chart ${source.chart}` : ''}${source?.targetRevision ? ` at ${source.targetRevision}` : ''}`);
  if (sources !== undefined && sources > 1) parts.push(`(${sources} sources)`);
  if (started) {
    const s = Math.round((Date.parse(finished) - Date.parse(started)) / 1000);
    if (s >= 0) parts.push(`in ${s} s`);
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** The application's page in the Argo CD UI. */
function appLink(options: ArgocdSourceOptions): string | undefined {
  try {
    const { name, namespace } = splitApp(options.app);
    return joinUrl(options.server, `applications/${namespace ? `${encodeURIComponent(namespace)}/` : ''}${encodeURIComponent(name)}`);
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}
