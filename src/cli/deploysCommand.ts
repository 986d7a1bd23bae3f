/**
 * `oncall-lens deploys [<dir>] [--service S] [--since 24h] [--json]`: "what changed" for terminals and CI — the
 * deploys (and config and flag changes) of a workspace folder's services, newest first, read from every source in
 * <dir>/oncall.yaml: git tags or a deploy branch with their commits and files, deploy logs, GitHub, Argo CD, feeds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCatalog } from '../core/catalog/load';
import type { ServiceEntry } from '../core/catalog/model';
import { GitDeploys } from '../core/deploys/git';
import type { Deploy, DeployProblem, DeploySourceResult } from '../core/deploys/model';
import { mergeDeployResults, readDeploySources } from '../core/deploys/sources';
import { mergeSameDeploys } from '../core/deploys/merge';
import { formatProblem } from '../core/util/problems';

export const deploysUsage = `  oncall-lens deploys [<dir>] [--service <name>] [--since <24h|7d|90m|2w|ISO date>] [--json]

Lists what changed in a workspace folder (default: the current one), newest first: the deploys, config changes and
flag flips of every source in <dir>/oncall.yaml ("deploys:" of each service) — git tags or a deploy branch (with
their commit range, commits and files within the service's paths), deploy logs, GitHub, Argo CD and HTTP feeds.
--service keeps one service, --since a time window. --json prints { dir, since, deploys, problems }. Tokens for
GitHub come from GITHUB_TOKEN (or GH_TOKEN), for Argo CD from ARGOCD_AUTH_TOKEN, for HTTP feeds from
ONCALL_DEPLOY_TOKEN; proxies from HTTPS_PROXY / NO_PROXY. Exits 1 when a source had an error.`;

interface Options {
  dir?: string;
  service?: string;
  since?: Date;
  sinceText?: string;
  json: boolean;
}

export async function deploysMain(args: readonly string[], out: (s: string) => void, err: (s: string) => void, now: Date = new Date()): Promise<number> {
  const usageError = (msg: string): number => {
    err(`oncall-lens deploys: ${msg}\n\nUsage:\n${deploysUsage}`);
    return 2;
  };
  const o: Options = { json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '--help' || a === '-h') {
      out(`Usage:\n${deploysUsage}`);
      return 0;
    } else if (a === '--json') o.json = true;
    else if (a === '--service' || a.startsWith('--service=')) {
      const v = value();
      if (!v) return usageError('--service needs a service name.');
      o.service = v;
    } else if (a === '--since' || a.startsWith('--since=')) {
      const v = value();
      const since = v === undefined ? undefined : parseSince(v, now);
      if (!since) return usageError(`--since needs a duration (24h, 7d, 90m, 2w) or a date (2026-11-22 or 2026-11-22T18:00Z), got ${JSON.stringify(v ?? '')}.`);
      o.since = since;
      o.sinceText = v;
    } else if (a.startsWith('-')) return usageError(`unknown option ${a}.`);
    else if (o.dir === undefined) o.dir = a;
    else return usageError(`one folder at a time (got "${o.dir}" and "${a}").`);
  }
  const shownDir = o.dir ?? '.';
  const root = path.resolve(shownDir);
  let text: string;
  try {
    if (!fs.statSync(root).isDirectory()) return usageError(`${shownDir} is not a folder.`);
    text = fs.readFileSync(path.join(root, 'oncall.yaml'), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    err(`oncall-lens deploys: ${code === 'ENOENT' ? `${path.join(shownDir, 'oncall.yaml')} not found: deploy sources are configured per service there ("deploys:")` : `${shownDir}: ${(e as Error).message}`}.`);
    return 1;
  }
  const catalog = loadCatalog(text, 'oncall.yaml', { folderName: path.basename(root) });
  for (const p of catalog.problems) err(formatProblem(path.join(shownDir, 'oncall.yaml'), p));
  let services: readonly ServiceEntry[] = catalog.services;
  if (o.service !== undefined) {
    services = services.filter((s) => s.name === o.service);
    if (services.length === 0) return usageError(`no service "${o.service}" in oncall.yaml (services: ${catalog.services.map((s) => s.name).join(', ') || 'none'}).`);
  }
  const withSources = services.filter((s) => s.deploys.length > 0);
  const git = new GitDeploys(root, services);
  const results: DeploySourceResult[] = await Promise.all(
    withSources.map((service) =>
      readDeploySources(service, {
        root,
        http: { proxy: 'env' },
        token: async (key) => tokenFor(key),
        ...(o.since ? { since: o.since } : {}),
        now,
        git: (cfg, svc) => git.deploys({ service: svc.name, config: cfg, ...(o.since ? { since: o.since } : {}) }),
      }),
    ),
  );
  const all = mergeDeployResults(results, o.since);
  // A tag and CI's log naming the same deploy: one entry (the one with commits and files, completed by the other).
  const merged = { ...all, deploys: mergeSameDeploys(all.deploys).sort((a, b) => Date.parse(b.time) - Date.parse(a.time)) };
  const problems = dedupe(merged.problems);
  if (o.json) {
    out(JSON.stringify({ dir: root, since: o.since?.toISOString() ?? null, deploys: merged.deploys, problems }, null, 2));
  } else {
    const window = o.since ? ` since ${utcText(o.since)}${o.sinceText && !/^\d{4}-/.test(o.sinceText) ? ` (${o.sinceText})` : ''}` : '';
    if (withSources.length === 0) err(`oncall-lens deploys: no service${o.service ? ` "${o.service}"` : ''} in ${path.join(shownDir, 'oncall.yaml')} has deploy sources ("deploys:").`);
    out(render(merged.deploys, `What changed in ${shownDir}${window}, newest first`));
  }
  for (const p of problems) err(`oncall-lens deploys: ${p.severity}: ${p.message}`);
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}

/** `24h`, `90m`, `7d`, `2w` before `now`, or a date / date-time (UTC unless it says otherwise). */
export function parseSince(text: string, now: Date): Date | undefined {
  const t = text.trim();
  const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$/i.exec(t);
  if (m) {
    const unit = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[(m[2] as string).toLowerCase() as 'm'];
    return new Date(now.getTime() - Number(m[1]) * unit);
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? t : `${t}Z`;
  const ms = Date.parse(iso.replace(' ', 'T'));
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** The text listing: one block per change — when, service, version, who, source — then its range, commits and files. */
export function render(deploys: readonly Deploy[], title: string): string {
  const lines = [`${title}:`, ''];
  const width = Math.min(30, Math.max(0, ...deploys.map((d) => d.service.length)));
  for (const d of deploys) {
    const flags = [d.kind !== 'deploy' ? d.kind : '', d.status !== 'success' && d.status !== 'unknown' ? d.status.replace('_', ' ') : '', d.environment ?? ''].filter(Boolean);
    lines.push(`${utcText(new Date(d.time))}  ${d.service.padEnd(width)}  ${d.version}${d.actor ? `  by ${d.actor}` : ''}  (${d.source}${flags.length ? `; ${flags.join(', ')}` : ''})`);
    if (d.description) lines.push(`    ${d.description}`);
    if (d.commit && d.previousCommit && d.commits) {
      lines.push(`    ${d.previousCommit.slice(0, 7)}..${d.commit.slice(0, 7)}: ${d.commits.length} commit${d.commits.length === 1 ? '' : 's'} in the service's paths`);
      for (const c of d.commits.slice(0, 10)) lines.push(`      ${c.sha.slice(0, 7)} ${c.subject} (${c.author})`);
      if (d.commits.length > 10) lines.push(`      … and ${d.commits.length - 10} more`);
    } else if (d.commit) lines.push(`    commit ${d.commit.slice(0, 12)}${d.source === 'git' && !d.previousCommit ? ' (the first deploy known: its changes are not)' : ''}`);
    for (const f of (d.files ?? []).slice(0, 20)) lines.push(`    ${f.status} ${f.path}${f.oldPath ? ` (from ${f.oldPath})` : ''}`);
    if ((d.files?.length ?? 0) > 20) lines.push(`    … and ${(d.files?.length ?? 0) - 20} more files`);
    if (d.url) lines.push(`    ${d.url}`);
    lines.push('');
  }
  const count = (kind: Deploy['kind'], one: string, many: string): string => {
    const n = deploys.filter((d) => d.kind === kind).length;
    return `${n} ${n === 1 ? one : many}`;
  };
  lines.push(`${count('deploy', 'deploy', 'deploys')}, ${count('config', 'config change', 'config changes')}, ${count('flag', 'flag change', 'flag changes')} in ${new Set(deploys.map((d) => d.service)).size} service(s).`);
  return lines.join('\n');
}

function utcText(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function tokenFor(key: string): string | undefined {
  const env = process.env;
  if (key.startsWith('github:')) return env['GITHUB_TOKEN'] || env['GH_TOKEN'] || undefined;
  if (key.startsWith('argocd:')) return env['ARGOCD_AUTH_TOKEN'] || undefined;
  if (key.startsWith('http:')) return env['ONCALL_DEPLOY_TOKEN'] || undefined;
  return undefined;
}

/** The same problem from two services' entries (one shared repository, one shared log) is printed once. */
function dedupe(problems: readonly DeployProblem[]): DeployProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.severity}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
