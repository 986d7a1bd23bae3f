/**
 * Reading deploy history from a repository with few, bounded git processes:
 *
 * 1. `git rev-parse` once: is it a repository, where the folder sits in it, is the history shallow;
 * 2. per tag pattern one `git for-each-ref --sort=-creatordate refs/tags/<pattern>` (name, commit, date, tagger), per
 *    deploy branch one for-each-ref plus one `git log --first-parent` — their output is the refs state a cache
 *    compares;
 * 3. ONE `git log -z --name-status -M` over the span of every source (all deploy commits, down to the oldest deploy
 *    every source shares — `git merge-base --octopus` of their oldest — or that deploy itself), streamed and parsed
 *    as it arrives.
 *
 * Bucketing: a commit belongs to the oldest deploy whose commit has it as an ancestor. Deploys are walked oldest
 * first over the parent graph from the log, each claiming the ancestors no earlier deploy claimed (a walk stops at
 * claimed commits, since claimed sets are closed under ancestry). That is exact for tags on the main line, tags on
 * release or hotfix branches and merges alike; a rollback (a deploy of an already-deployed commit) claims nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serviceMatcher } from '../catalog/load';
import type { Deploy, DeployCommit, DeployFile, DeployProblem } from './model';
import { firstParentFormat, isoUtc, LogParser, logFormat, naturalCompare, parseFirstParent, parseTagRefs, tagRefFormat, type LogCommit } from './gitParse';
import { gitFailureText, type GitRunner, type GitRunResult } from './gitRun';
import { specLabel, type GitSource, type GitSpec } from './gitSpec';

/** What the history reader needs: where, how to run git, and its limits. */
export interface HistoryContext {
  readonly dir: string;
  readonly run: GitRunner;
  /** Deadline of the big log (small commands get a quarter of it, at least 5 s). */
  readonly timeoutMs: number;
  /** Newest deploys kept per source. */
  readonly maxDeploys: number;
}

/** Where the folder is in its repository. */
export interface RepoInfo {
  /** The folder's path from the repository root, with a trailing `/` ('' at the root). */
  readonly prefix: string;
  readonly gitDir: string;
  readonly shallow: boolean;
}

/** A deploy as the refs tell it, before the log gives it a range. */
export interface Candidate {
  readonly id: string;
  readonly version: string;
  readonly commit: string;
  /** Unix seconds. */
  readonly time: number;
  readonly actor?: string;
  readonly message?: string;
}

/** The refs read for one spec: their text (the refs state) and how to turn it into candidates. */
export interface SpecRefs {
  readonly state: string;
  readonly problems: DeployProblem[];
  /** Newest first, at most maxDeploys + 1 (the last one then only bounds the range of the one before). */
  readonly candidates: () => Promise<Candidate[]>;
}

const small = (ctx: HistoryContext): number => Math.max(5_000, Math.floor(ctx.timeoutMs / 4));

/** Step 1. A problem (naming the folder and the cause) when git cannot read a repository there. */
export async function readRepoInfo(ctx: HistoryContext): Promise<RepoInfo | { problem: string; code: string }> {
  try {
    if (!fs.statSync(ctx.dir).isDirectory()) return { problem: `${ctx.dir} is not a folder`, code: 'missing-folder' };
  } catch {
    return { problem: `${ctx.dir} does not exist`, code: 'missing-folder' };
  }
  const r = await ctx.run(['rev-parse', '--is-shallow-repository', '--show-prefix', '--absolute-git-dir'], { cwd: ctx.dir, timeoutMs: small(ctx) });
  if (!r.ok) {
    if (r.failure === 'not-found') return { problem: `git was not found on PATH, so the git deploys of ${ctx.dir} cannot be read`, code: 'git-missing' };
    if (/not a git repository/i.test(r.stderr)) return { problem: `${ctx.dir} is not in a git repository (git rev-parse: not a git repository), so it has no git deploys`, code: 'not-a-repository' };
    return { problem: `${ctx.dir}: ${gitFailureText(r, 'git rev-parse', small(ctx))}`, code: failureCode(r) };
  }
  const [shallow = '', prefix = '', gitDir = ''] = r.stdout.split('\n');
  return { shallow: shallow.trim() === 'true', prefix: prefix.trim() === '' ? '' : prefix.replace(/\/?$/, '/'), gitDir: gitDir.trim() };
}

/** Step 2 for one spec. */
export async function readSpecRefs(ctx: HistoryContext, spec: GitSpec): Promise<SpecRefs> {
  return spec.kind === 'tags' ? readTags(ctx, spec.pattern) : readBranch(ctx, spec.branch);
}

async function readTags(ctx: HistoryContext, pattern: string): Promise<SpecRefs> {
  const r = await ctx.run(['for-each-ref', '--sort=-creatordate', `--format=${tagRefFormat}`, `refs/tags/${pattern}`], { cwd: ctx.dir, timeoutMs: small(ctx) });
  if (!r.ok) return { state: `!${r.stderr}`, problems: [{ severity: 'error', code: failureCode(r), message: `tags ${JSON.stringify(pattern)}: ${gitFailureText(r, 'git for-each-ref', small(ctx))}` }], candidates: async () => [] };
  const refs = parseTagRefs(r.stdout);
  const problems: DeployProblem[] = [];
  const notCommits = refs.filter((t) => t.commit === undefined);
  if (notCommits.length > 0) problems.push({ severity: 'warning', code: 'malformed', message: `${notCommits.length} tag(s) matching ${JSON.stringify(pattern)} do not point at a commit and were skipped: ${notCommits.slice(0, 3).map((t) => t.name).join(', ')}` });
  if (refs.length === 0) problems.push({ severity: 'warning', code: 'no-match', message: `no tags match ${JSON.stringify(pattern)}${await tagHint(ctx)}` });
  const list = refs
    .filter((t): t is typeof t & { commit: string } => t.commit !== undefined)
    .sort((a, b) => b.time - a.time || naturalCompare(b.name, a.name))
    .slice(0, ctx.maxDeploys + 1)
    .map((t): Candidate => ({ id: `git:${t.name}`, version: t.name, commit: t.commit, time: t.time, ...(t.actor ? { actor: t.actor } : {}), ...(t.message ? { message: t.message } : {}) }));
  return { state: r.stdout, problems, candidates: async () => list };
}

/** "; the newest tags here are a, b, c" — helps with a pattern that misses (`checkout-v*` against `checkout/v1`). */
async function tagHint(ctx: HistoryContext): Promise<string> {
  const r = await ctx.run(['for-each-ref', '--sort=-creatordate', '--count=5', '--format=%(refname:short)', 'refs/tags'], { cwd: ctx.dir, timeoutMs: small(ctx) });
  if (!r.ok) return '';
  const names = r.stdout.split('\n').filter(Boolean);
  return names.length === 0 ? ' (the repository has no tags)' : ` (the newest tags here: ${names.join(', ')}; "*" does not match "/")`;
}

async function readBranch(ctx: HistoryContext, branch: string): Promise<SpecRefs> {
  const r = await ctx.run(['for-each-ref', '--format=%(refname)%00%(objectname)', `refs/heads/${branch}`, `refs/remotes/*/${branch}`], { cwd: ctx.dir, timeoutMs: small(ctx) });
  const fail = (message: string, code: string): SpecRefs => ({ state: `!${message}`, problems: [{ severity: 'error', code, message }], candidates: async () => [] });
  if (!r.ok) return fail(`branch ${JSON.stringify(branch)}: ${gitFailureText(r, 'git for-each-ref', small(ctx))}`, failureCode(r));
  const refs = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\0') as [string, string]);
  const exact = refs.filter(([ref]) => ref === `refs/heads/${branch}` || new RegExp(`^refs/remotes/[^/]+/${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(ref));
  const pick = exact.find(([ref]) => ref.startsWith('refs/heads/')) ?? exact.find(([ref]) => ref.startsWith('refs/remotes/origin/')) ?? exact[0];
  if (!pick) return fail(`branch ${JSON.stringify(branch)} not found (neither refs/heads/${branch} nor a remote-tracking refs/remotes/*/${branch}; fetch it first?)`, 'not-found');
  const [ref, sha] = pick;
  const shown = ref.replace(/^refs\/(heads|remotes)\//, '');
  return {
    state: `${ref} ${sha}`,
    problems: [],
    candidates: async () => {
      const log = await ctx.run(['log', '--first-parent', `--max-count=${ctx.maxDeploys + 1}`, `--format=${firstParentFormat}`, sha, '--'], { cwd: ctx.dir, timeoutMs: small(ctx) });
      if (!log.ok) throw new Error(`branch ${JSON.stringify(shown)}: ${gitFailureText(log, 'git log --first-parent', small(ctx))}`);
      return parseFirstParent(log.stdout).map((c): Candidate => ({
        id: `git:${shown}@${c.sha.slice(0, 12)}`,
        version: `${c.sha.slice(0, 7)} (${isoUtc(c.time).slice(0, 16).replace('T', ' ')} UTC)`,
        commit: c.sha,
        time: c.time,
        ...(c.committer ? { actor: c.committer } : {}),
        ...(c.subject ? { message: c.subject } : {}),
      }));
    },
  };
}

/**
 * The commits of the log by position (0 = the newest printed) and SHA, with parents resolved to positions once, so
 * that each source's walk is integer work (1,000 deploys of 10 services over 50k commits: milliseconds).
 */
export class CommitGraph {
  readonly nodes: LogCommit[] = [];
  private readonly ids = new Map<string, number>();
  private starts: Int32Array | undefined;
  private list: Int32Array | undefined;
  private readonly iso: Array<string | undefined> = [];

  add(c: LogCommit): void {
    this.ids.set(c.sha, this.nodes.length);
    this.nodes.push(c);
    this.starts = undefined;
  }

  get size(): number {
    return this.nodes.length;
  }

  get(sha: string): LogCommit | undefined {
    const i = this.ids.get(sha);
    return i === undefined ? undefined : this.nodes[i];
  }

  /** The position of a commit, -1 when the log did not print it. */
  id(sha: string): number {
    return this.ids.get(sha) ?? -1;
  }

  /** Calls `f` with the position of each parent of commit `i` that is in the log. */
  forParents(i: number, f: (p: number) => void): void {
    if (!this.starts || !this.list) this.resolve();
    const starts = this.starts as Int32Array;
    const list = this.list as Int32Array;
    for (let k = starts[i] as number; k < (starts[i + 1] as number); k++) f(list[k] as number);
  }

  /** Commit `i`'s author date as ISO UTC (computed once). */
  authorIso(i: number): string {
    return (this.iso[i] ??= isoUtc((this.nodes[i] as LogCommit).authorTime));
  }

  private resolve(): void {
    const starts = new Int32Array(this.nodes.length + 1);
    const list: number[] = [];
    this.nodes.forEach((n, i) => {
      starts[i] = list.length;
      for (const p of n.parents) {
        const id = this.ids.get(p);
        if (id !== undefined) list.push(id);
      }
    });
    starts[this.nodes.length] = list.length;
    this.starts = starts;
    this.list = Int32Array.from(list);
  }
}

/**
 * Step 3: one streamed log of every deploy commit down to what all sources' oldest deploys share. A deploy commit the
 * repository lacks ("bad object", e.g. a tag fetched without its history) is dropped and the log run again.
 */
export async function readLog(ctx: HistoryContext, tips: readonly string[], bases: readonly string[]): Promise<{ graph: CommitGraph; problem?: string; code?: string }> {
  let positives = [...new Set(tips)];
  let negatives = [...new Set(bases)];
  if (negatives.length > 1) {
    const mb = await ctx.run(['merge-base', '--octopus', ...negatives], { cwd: ctx.dir, timeoutMs: small(ctx) });
    negatives = mb.ok && /^[0-9a-f]{40,64}\s*$/.test(mb.stdout) ? [mb.stdout.trim()] : [];
  }
  for (let attempt = 0; ; attempt++) {
    const graph = new CommitGraph();
    const parser = new LogParser((c) => graph.add(c));
    const input = [...positives, ...negatives.map((n) => `^${n}`)].join('\n') + '\n';
    if (positives.length === 0) return { graph };
    const args = ['log', '-z', '--name-status', '-M', '--no-color', '--no-ext-diff', `--format=${logFormat}`, '--stdin', '--'];
    const r = await ctx.run(args, { cwd: ctx.dir, timeoutMs: ctx.timeoutMs, input, onStdout: (s) => parser.push(s) });
    if (r.ok) {
      parser.end();
      return { graph };
    }
    const bad = /bad object ([0-9a-f]{40,64})/.exec(r.stderr)?.[1];
    if (bad && attempt < 3 && (positives.includes(bad) || negatives.includes(bad))) {
      positives = positives.filter((p) => p !== bad);
      negatives = negatives.filter((p) => p !== bad);
      continue;
    }
    return { graph: new CommitGraph(), problem: gitFailureText(r, 'git log', ctx.timeoutMs), code: failureCode(r) };
  }
}

/** The shallow boundary: commits whose parents the clone lacks, and the newest of their committer dates. */
export async function readShallow(ctx: HistoryContext, info: RepoInfo, graph: CommitGraph): Promise<{ boundary: Set<string>; before?: string }> {
  let shas: string[] = [];
  try {
    shas = fs.readFileSync(path.join(info.gitDir, 'shallow'), 'utf8').split('\n').map((s) => s.trim()).filter((s) => /^[0-9a-f]{40,64}$/.test(s));
  } catch {
    return { boundary: new Set() };
  }
  let newest = 0;
  const unknown: string[] = [];
  for (const s of shas) {
    const c = graph.get(s);
    if (c) newest = Math.max(newest, c.commitTime);
    else unknown.push(s);
  }
  if (unknown.length > 0) {
    const r = await ctx.run(['log', '--no-walk', '--format=%ct', ...unknown.slice(0, 100), '--'], { cwd: ctx.dir, timeoutMs: small(ctx) });
    if (r.ok) for (const t of r.stdout.split('\n')) newest = Math.max(newest, Number(t) || 0);
  }
  return { boundary: new Set(shas), ...(newest > 0 ? { before: isoUtc(newest) } : {}) };
}

/** One source's deploys with their ranges; `truncated` names deploys whose range reaches the shallow boundary. */
export interface Bucketed {
  readonly deploys: Deploy[];
  readonly truncated: string[];
}

/**
 * Step 4 for one source: candidates (newest first) → deploys with previousCommit, commits and files within the
 * service's paths. The oldest candidate has no range (nothing before it is known); when the list is full
 * (maxDeploys + 1) it only bounds the range of the one before it and is not reported.
 */
export function bucketDeploys(source: GitSource, candidates: readonly Candidate[], full: boolean, graph: CommitGraph, info: RepoInfo, boundary: ReadonlySet<string>): Bucketed {
  const matcher = serviceMatcher(source.service);
  const memo = new Map<string, boolean>(); // paths repeat across commits: match each once
  const matches = (p: string): boolean => {
    let v = memo.get(p);
    if (v === undefined) memo.set(p, (v = matcher(p)));
    return v;
  };
  const rel = (p: string): string | undefined => (p.startsWith(info.prefix) ? p.slice(info.prefix.length) : undefined);
  const inService = (p: string | undefined): boolean => {
    const r = p === undefined ? undefined : rel(p);
    return r !== undefined && matches(r);
  };
  const owner = new Int32Array(graph.size).fill(-1);
  const outside = new Set<string>(); // deploy commits the log did not print, claimed all the same
  const deploys: Deploy[] = [];
  const truncated: string[] = [];
  for (let i = candidates.length - 1; i >= 0; i--) {
    const c = candidates[i] as Candidate;
    const prev = candidates[i + 1];
    const start = graph.id(c.commit);
    const already = start >= 0 ? owner[start] !== -1 : outside.has(c.commit);
    if (start < 0) outside.add(c.commit);
    const owned: number[] = [];
    let hitBoundary = false;
    const stack = start >= 0 && !already ? [start] : [];
    const push = (p: number): void => {
      if (owner[p] === -1) stack.push(p);
    };
    while (stack.length > 0) {
      const x = stack.pop() as number;
      if (owner[x] !== -1) continue;
      owner[x] = i;
      owned.push(x);
      if (boundary.size > 0 && boundary.has((graph.nodes[x] as LogCommit).sha)) hitBoundary = true;
      graph.forParents(x, push);
    }
    if (full && i === candidates.length - 1) continue; // the bound, not reported
    const base: Deploy = {
      id: c.id,
      service: source.service.name,
      source: 'git',
      kind: 'deploy',
      version: c.version,
      time: isoUtc(c.time),
      ...(c.actor ? { actor: c.actor } : {}),
      status: 'unknown',
      commit: c.commit,
    };
    if (!prev) {
      deploys.push({ ...base, ...(c.message ? { description: c.message } : {}) });
      continue;
    }
    const note = already ? (prev.commit === c.commit ? `same commit as ${prev.version}` : 'a commit an earlier deploy already shipped (a rollback or a redeploy): no new commits') : undefined;
    const description = [c.message, note].filter(Boolean).join(' — ');
    if (hitBoundary) {
      truncated.push(c.version);
      deploys.push({ ...base, previousCommit: prev.commit, description: [c.message, 'its range reaches past the shallow history: commits and files not known'].filter(Boolean).join(' — ') });
      continue;
    }
    owned.sort((a, b) => a - b); // log order: newest first
    const commits: DeployCommit[] = [];
    const nodes = owned.map((x) => graph.nodes[x] as LogCommit);
    nodes.forEach((n, k) => {
      if (n.files.some((f) => inService(f.path) || inService(f.oldPath))) commits.push({ sha: n.sha, subject: n.subject, author: n.author, time: graph.authorIso(owned[k] as number) });
    });
    deploys.push({ ...base, previousCommit: prev.commit, commits, files: netFiles(nodes, info.prefix, matches), ...(description ? { description } : {}) });
  }
  deploys.reverse();
  return { deploys, truncated };
}

/**
 * The net change of a deploy's commits (newest first) per file, within the service: added then modified is added,
 * added then deleted is nothing, renames chain (a→b→c is a→c). A file renamed out of the service's paths is reported
 * deleted, one renamed into them added-by-rename (R with its old path outside). Changes with neither path in the
 * service are skipped first (a file moved out and back in through other folders then reads as renamed from the
 * last of them). Sorted by path.
 */
export function netFiles(commitsNewestFirst: readonly LogCommit[], prefix: string, matches: (rel: string) => boolean): DeployFile[] {
  const net = new Map<string, { status: DeployFile['status']; oldPath?: string }>();
  const rel = (p: string): string | undefined => (p.startsWith(prefix) ? p.slice(prefix.length) : undefined);
  const inService = (p: string | undefined): boolean => {
    const r = p === undefined ? undefined : rel(p);
    return r !== undefined && matches(r);
  };
  for (let i = commitsNewestFirst.length - 1; i >= 0; i--) {
    for (const f of (commitsNewestFirst[i] as LogCommit).files) {
      if (!inService(f.path) && !inService(f.oldPath)) continue; // other services' files: most of a monorepo's changes
      const prev = net.get(f.path);
      if (f.status === 'A') net.set(f.path, prev?.status === 'D' ? { status: 'M' } : { status: 'A' });
      else if (f.status === 'M') {
        if (!prev) net.set(f.path, { status: 'M' });
      } else if (f.status === 'D') {
        net.delete(f.path);
        if (prev?.status === 'R' && prev.oldPath !== undefined) net.set(prev.oldPath, { status: 'D' });
        else if (prev?.status !== 'A') net.set(f.path, { status: 'D' });
      } else if (f.oldPath !== undefined) {
        const was = net.get(f.oldPath);
        net.delete(f.oldPath);
        if (was?.status === 'A') net.set(f.path, { status: 'A' });
        else {
          const from = was?.status === 'R' && was.oldPath !== undefined ? was.oldPath : f.oldPath;
          net.set(f.path, from === f.path ? { status: 'M' } : { status: 'R', oldPath: from });
        }
      }
    }
  }
  const out: DeployFile[] = [];
  for (const [p, e] of net) {
    const now = rel(p);
    const old = e.oldPath === undefined ? undefined : rel(e.oldPath);
    if (now !== undefined && matches(now)) out.push(e.status === 'R' && old !== undefined ? { path: now, status: 'R', oldPath: old } : { path: now, status: e.status === 'R' ? 'A' : e.status });
    else if (e.status === 'R' && old !== undefined && matches(old)) out.push({ path: old, status: 'D' });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A problem code for a failed git run: `git-missing`, `timeout`, `git-failed`. */
export function failureCode(r: GitRunResult): string {
  return r.failure === 'not-found' ? 'git-missing' : r.failure === 'timeout' ? 'timeout' : 'git-failed';
}

/** The label of a source in messages: `checkout-service (tags "checkout-v*")`. */
export function sourceLabel(s: GitSource): string {
  return `${s.service.name} (${specLabel(s.spec)})`;
}
