/**
 * The `git` deploy source: deploys as tags matching a pattern (`checkout-v*`) or as the commits of a deploy branch,
 * each with its range (previousCommit..commit), the commits in it and the files it changed within the service's
 * `paths` — and, for code linking, the deploys that last touched a file or a function's lines.
 *
 * Pure core code over the real `git` (gitRun.ts). How history is read and bucketed: gitHistory.ts. Caching: one
 * snapshot per repository, kept in memory until {@link GitDeploys.invalidate} (the glue calls it when .git changes;
 * nothing here polls). After an invalidate the refs are read again (a for-each-ref per pattern — the refs state);
 * when they are unchanged the snapshot is reused and the log is not run again. Deploys do not depend on HEAD, so a
 * checkout does not recompute them; line mapping diffs against the working tree, cached by the file's stat.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serviceMatcher } from '../catalog/load';
import type { DeploySourceConfig, ServiceEntry } from '../catalog/model';
import type { Deploy, DeployFile, DeployProblem, DeploySourceResult } from './model';
import { bucketDeploys, readLog, readRepoInfo, readShallow, readSpecRefs, sourceLabel, type Candidate, type HistoryContext, type RepoInfo } from './gitHistory';
import { gitFailureText, runGit, type GitRunner } from './gitRun';
import { gitSourcesOf, specKey, type GitSource } from './gitSpec';
import { changedInRange, mapToOld, parseHunks, type Hunk, type LineRange } from './lines';

/** Options of {@link GitDeploys}. */
export interface GitDeploysOptions {
  /** Runs git (default: the real one from PATH); tests inject a counting runner. */
  readonly run?: GitRunner;
  /** Deadline of the big log; small commands get a quarter of it, at least 5 s (default 30 s). */
  readonly timeoutMs?: number;
  /** Newest deploys kept per source (default 1000). */
  readonly maxDeploys?: number;
}

/** A deploy that touched a file, with the file as that deploy changed it. */
export interface FileDeploy {
  readonly deploy: Deploy;
  /** The file's entry in the deploy: its path then (renames followed back), status, oldPath. */
  readonly file: DeployFile;
  /** What to diff against: `git diff <previousCommit> <deploy.commit> -- <file.oldPath ?? file.path> <file.path>`. */
  readonly previousCommit?: string;
}

/** {@link GitDeploys.deploysForFile}'s answer: newest first. */
export interface FileDeploysResult {
  readonly deploys: readonly FileDeploy[];
  readonly problems: readonly DeployProblem[];
}

/** A deploy that changed lines of the asked range. */
export interface LineDeploy extends FileDeploy {
  /** The asked range as it was in the file this deploy produced. */
  readonly range: LineRange;
  /** The lines of `range` this deploy added or changed (a deletion inside it: the line before the gap). */
  readonly lines: readonly LineRange[];
}

/** {@link GitDeploys.deploysForLines}'s answer: newest first. */
export interface LineDeploysResult {
  readonly deploys: readonly LineDeploy[];
  /** Lines of the asked range (current numbering) that differ from the newest deploy that touched the file: not deployed. */
  readonly changedSinceDeploy: readonly LineRange[];
  readonly problems: readonly DeployProblem[];
}

interface SourceDeploys {
  readonly source: GitSource;
  /** Newest first; bucketed on first use (a file's question buckets only the services whose paths hold it). */
  readonly deploys: () => readonly Deploy[];
}

interface Snapshot {
  readonly state: string;
  readonly info?: RepoInfo;
  readonly sources: readonly SourceDeploys[];
  /** Problems with the service and entry (its oncall.yaml line) they concern; neither: the repository's. */
  readonly problems: readonly Scoped[];
}

interface Scoped {
  readonly service?: string;
  readonly line?: number;
  readonly problem: DeployProblem;
}

const maxCachedDiffs = 2000;

/** Deploys of the `git` sources of a workspace folder's services, cached per repository state. */
export class GitDeploys {
  private services: readonly ServiceEntry[];
  private readonly ctx: HistoryContext;
  private current: Promise<Snapshot> | undefined;
  private last: Snapshot | undefined;
  private generation = 0;
  private readonly diffs = new Map<string, Hunk[]>();
  private readonly worktree = new Map<string, { stamp: string; hunks: Hunk[] }>();
  private readonly fileIndex = new WeakMap<Deploy, Map<string, DeployFile>>();
  private readonly matchers = new WeakMap<ServiceEntry, (rel: string) => boolean>();

  /** `dir` is the workspace folder (the catalog's folder; service `paths` are relative to it). */
  constructor(readonly dir: string, services: readonly ServiceEntry[], options: GitDeploysOptions = {}) {
    this.services = services;
    this.ctx = { dir: path.resolve(dir), run: options.run ?? runGit, timeoutMs: options.timeoutMs ?? 30_000, maxDeploys: options.maxDeploys ?? 1000 };
  }

  /** A new catalog: the next call recomputes (reusing nothing, since paths may have changed). */
  setServices(services: readonly ServiceEntry[]): void {
    this.services = services;
    this.last = undefined;
    this.invalidate();
  }

  /** Something in .git changed: the next call reads the refs again, and the log only if they changed. */
  invalidate(): void {
    this.generation++;
    this.current = undefined;
    this.worktree.clear();
  }

  /**
   * The deploys of every git source — or of one service, or one of its `deploys:` entries (`config`, matched by its
   * oncall.yaml line: what sources.ts injects) — newest first, and the problems met reading them.
   */
  async deploys(options: { readonly service?: string; readonly config?: Pick<DeploySourceConfig, 'line'>; readonly since?: Date } = {}): Promise<DeploySourceResult> {
    const snap = await this.snapshot();
    const since = options.since?.getTime();
    const line = options.config?.line;
    const deploys = snap.sources
      .filter((s) => (options.service === undefined || s.source.service.name === options.service) && (line === undefined || s.source.line === line))
      .flatMap((s) => s.deploys())
      .filter((d) => since === undefined || Date.parse(d.time) >= since)
      .sort(newestFirst);
    const problems = snap.problems
      .filter((p) => options.service === undefined || p.service === undefined || p.service === options.service)
      .filter((p) => line === undefined || p.line === undefined || p.line === line)
      .map((p) => p.problem);
    return { deploys, problems };
  }

  /**
   * The deploys that changed `file` (relative to the folder, or absolute), newest first, over every service whose
   * paths hold it; renames are followed back (a deploy that renamed a→file, then the deploys that changed a).
   */
  async deploysForFile(file: string, options: { readonly limit?: number } = {}): Promise<FileDeploysResult> {
    const snap = await this.snapshot();
    const rel = this.relative(file);
    const found = snap.sources.flatMap((s) => this.fileChain(s, rel)).sort((a, b) => newestFirst(a.deploy, b.deploy));
    return { deploys: found.slice(0, options.limit ?? found.length), problems: this.problemsFor(snap, rel) };
  }

  /**
   * The newest deploys (default at most 3) that changed lines `startLine`..`endLine` (1-based, inclusive, as the file
   * is in the working tree now) — e.g. a function's range. Per source: one `git diff -U0 <deploy> -- file` maps the
   * range to the newest deploy that touched the file, then one `git diff -U0 prev..deploy` per deploy, walking back
   * (at most `maxDiffs`), intersects and maps the range through its hunks (see lines.ts). Diffs are cached.
   */
  async deploysForLines(file: string, startLine: number, endLine: number, options: { readonly limit?: number; readonly maxDiffs?: number } = {}): Promise<LineDeploysResult> {
    const snap = await this.snapshot();
    const rel = this.relative(file);
    const problems: DeployProblem[] = [...this.problemsFor(snap, rel)];
    const limit = options.limit ?? 3;
    const out: LineDeploy[] = [];
    const changedSince: LineRange[] = [];
    for (const s of snap.sources) {
      const chain = this.fileChain(s, rel);
      const newest = chain[0];
      if (!newest?.deploy.commit) continue;
      let range: LineRange | undefined = { start: Math.min(startLine, endLine), end: Math.max(startLine, endLine) };
      const wt = await this.worktreeHunks(newest.deploy.commit, newest.file.path, rel);
      if ('problem' in wt) {
        problems.push(wt.problem);
        continue;
      }
      changedSince.push(...changedInRange(wt.hunks, range));
      range = mapToOld(wt.hunks, range);
      let diffs = 0;
      let found = 0;
      for (const fd of chain) {
        if (!range || !fd.previousCommit || !fd.deploy.commit || found >= limit || diffs >= (options.maxDiffs ?? 20)) break;
        diffs++;
        const h = await this.deployHunks(fd.previousCommit, fd.deploy.commit, fd.file.oldPath ?? fd.file.path, fd.file.path);
        if ('problem' in h) {
          problems.push(h.problem);
          break;
        }
        const lines = changedInRange(h.hunks, range);
        if (lines.length > 0) {
          out.push({ ...fd, range, lines });
          found++;
        }
        range = mapToOld(h.hunks, range);
      }
    }
    out.sort((a, b) => newestFirst(a.deploy, b.deploy));
    return { deploys: out.slice(0, limit), changedSinceDeploy: mergeRanges(changedSince), problems };
  }

  private holds(service: ServiceEntry, rel: string): boolean {
    let m = this.matchers.get(service);
    if (!m) this.matchers.set(service, (m = serviceMatcher(service)));
    return m(rel);
  }

  private fileChain(s: SourceDeploys, rel: string): FileDeploy[] {
    if (!this.holds(s.source.service, rel)) return [];
    const out: FileDeploy[] = [];
    let name = rel;
    for (const d of s.deploys()) {
      const f = this.filesOf(d)?.get(name);
      if (!f) continue;
      out.push({ deploy: d, file: f, ...(d.previousCommit ? { previousCommit: d.previousCommit } : {}) });
      if (f.status === 'R' && f.oldPath !== undefined) name = f.oldPath;
      else if (f.status === 'A') break;
    }
    return out;
  }

  private filesOf(d: Deploy): Map<string, DeployFile> | undefined {
    if (!d.files) return undefined;
    let m = this.fileIndex.get(d);
    if (!m) {
      m = new Map(d.files.map((f) => [f.path, f]));
      this.fileIndex.set(d, m);
    }
    return m;
  }

  private problemsFor(snap: Snapshot, rel: string): DeployProblem[] {
    const names = new Set(snap.sources.filter((s) => this.holds(s.source.service, rel)).map((s) => s.source.service.name));
    return snap.problems.filter((p) => p.service === undefined || names.has(p.service)).map((p) => p.problem);
  }

  private relative(file: string): string {
    const abs = path.isAbsolute(file) ? file : path.join(this.ctx.dir, file);
    return path.relative(this.ctx.dir, abs).split(path.sep).join('/');
  }

  private async deployHunks(prev: string, commit: string, oldPath: string, newPath: string): Promise<{ hunks: Hunk[] } | { problem: DeployProblem }> {
    const key = `${prev}\0${commit}\0${oldPath}\0${newPath}`;
    const cached = this.diffs.get(key);
    if (cached) return { hunks: cached };
    const r = await this.diff([prev, commit], oldPath, newPath);
    if (!('problem' in r)) {
      if (this.diffs.size >= maxCachedDiffs) this.diffs.delete(this.diffs.keys().next().value as string);
      this.diffs.set(key, r.hunks);
    }
    return r;
  }

  private async worktreeHunks(commit: string, oldPath: string, newPath: string): Promise<{ hunks: Hunk[] } | { problem: DeployProblem }> {
    let stamp = 'missing';
    try {
      const st = fs.statSync(path.join(this.ctx.dir, newPath));
      stamp = `${st.mtimeMs}:${st.ctimeMs}:${st.size}`;
    } catch {
      // deleted in the working tree: diffed all the same
    }
    const key = `${commit}\0${oldPath}\0${newPath}`;
    const cached = this.worktree.get(key);
    if (cached && cached.stamp === stamp) return { hunks: cached.hunks };
    const r = await this.diff([commit], oldPath, newPath);
    if (!('problem' in r)) this.worktree.set(key, { stamp, hunks: r.hunks });
    return r;
  }

  /** `git diff -U0 -M <revs> -- old new`; hunks of the file's section (a section deleting the old path is skipped). */
  private async diff(revs: readonly string[], oldPath: string, newPath: string): Promise<{ hunks: Hunk[] } | { problem: DeployProblem }> {
    const paths = oldPath === newPath ? [newPath] : [oldPath, newPath];
    const args = ['diff', '-U0', '-M', '--no-color', '--no-ext-diff', '--no-textconv', ...revs, '--', ...paths.map((p) => `:(literal)${p}`)];
    const timeoutMs = Math.max(5_000, Math.floor(this.ctx.timeoutMs / 4));
    const r = await this.ctx.run(args, { cwd: this.ctx.dir, timeoutMs });
    if (!r.ok) return { problem: { severity: 'warning', message: `${newPath}: ${gitFailureText(r, 'git diff', timeoutMs)}` } };
    const hunks: Hunk[] = [];
    for (const section of r.stdout.split(/^(?=diff --git )/m)) {
      if (/^\+\+\+ \/dev\/null$/m.test(section)) continue;
      hunks.push(...parseHunks(section));
    }
    return { hunks };
  }

  private snapshot(): Promise<Snapshot> {
    if (!this.current) {
      const generation = this.generation;
      const p = this.compute().then((snap) => {
        if (generation === this.generation) this.last = snap;
        else if (this.current === p) this.current = undefined;
        return snap;
      });
      this.current = p;
      p.catch(() => {
        if (this.current === p) this.current = undefined;
      });
    }
    return this.current;
  }

  private async compute(): Promise<Snapshot> {
    const { sources, errors } = gitSourcesOf(this.services);
    const problems: Scoped[] = errors.map((e) => ({ service: e.service.name, line: e.line, problem: { severity: 'error', code: 'config', source: e.key, message: e.message } }));
    for (const s of sources) if (s.warning) problems.push({ service: s.service.name, line: s.line, problem: { severity: 'warning', code: 'config', source: s.key, message: s.warning } });
    if (sources.length === 0) return { state: '', sources: [], problems };
    const info = await readRepoInfo(this.ctx);
    if ('problem' in info) {
      const names = [...new Set(sources.map((s) => s.service.name))].join(', ');
      return { state: `!${info.problem}`, sources: [], problems: [...problems, { problem: { severity: 'error', code: info.code, message: `${info.problem} (git deploys of ${names})` } }] };
    }
    const keys = [...new Set(sources.map((s) => specKey(s.spec)))];
    const refs = new Map(await Promise.all(keys.map(async (k) => [k, await readSpecRefs(this.ctx, (sources.find((s) => specKey(s.spec) === k) as GitSource).spec)] as const)));
    const state = JSON.stringify([info, sources.map((s) => [s.service.name, s.service.paths, specKey(s.spec)]), keys.map((k) => refs.get(k)?.state)]);
    if (this.last && this.last.state === state) return this.last;
    for (const s of sources) for (const p of refs.get(specKey(s.spec))?.problems ?? []) problems.push({ service: s.service.name, line: s.line, problem: { ...p, source: s.key, message: `${s.service.name}: ${p.message} (oncall.yaml line ${s.line})` } });

    const candidates = new Map<string, Candidate[]>();
    for (const k of keys) {
      try {
        candidates.set(k, await (refs.get(k) as NonNullable<ReturnType<typeof refs.get>>).candidates());
      } catch (e) {
        candidates.set(k, []);
        for (const s of sources.filter((x) => specKey(x.spec) === k)) problems.push({ service: s.service.name, line: s.line, problem: { severity: 'error', code: 'git-failed', source: s.key, message: `${s.service.name}: ${e instanceof Error ? e.message : String(e)}` } });
      }
    }
    const lists = [...candidates.values()];
    const log = await readLog(this.ctx, lists.flatMap((l) => l.map((c) => c.commit)), lists.flatMap((l) => (l.length > 0 ? [(l[l.length - 1] as Candidate).commit] : [])));
    if (log.problem) problems.push({ problem: { severity: 'error', code: log.code ?? 'git-failed', message: `${this.ctx.dir}: ${log.problem}; deploys are listed without their commits and files` } });
    const shallow = info.shallow ? await readShallow(this.ctx, info, log.graph) : { boundary: new Set<string>() };
    const out: SourceDeploys[] = [];
    const truncated: string[] = [];
    for (const s of sources) {
      const list = candidates.get(specKey(s.spec)) ?? [];
      const full = list.length > this.ctx.maxDeploys;
      if (log.problem) {
        const plain = list.slice(0, full ? -1 : undefined).map((c, i) => withoutRange(s, c, list[i + 1]));
        out.push({ source: s, deploys: () => plain });
        continue;
      }
      if (info.shallow) {
        // The shallow problem names the deploys whose range is cut: bucket now.
        const b = bucketDeploys(s, list, full, log.graph, info, shallow.boundary);
        truncated.push(...b.truncated.map((v) => `${v} (${sourceLabel(s)})`));
        out.push({ source: s, deploys: () => b.deploys });
        continue;
      }
      let bucketed: readonly Deploy[] | undefined;
      out.push({ source: s, deploys: () => (bucketed ??= bucketDeploys(s, list, full, log.graph, info, shallow.boundary).deploys) });
    }
    if (info.shallow) {
      const before = 'before' in shallow && shallow.before ? `deploys before ${shallow.before} are not known` : 'older deploys are not known';
      const cut = truncated.length > 0 ? `; the ranges of ${truncated.join(', ')} reach past it and are not listed` : '';
      problems.push({ problem: { severity: 'warning', code: 'shallow', message: `${this.ctx.dir}: history is shallow: ${before}${cut} (git fetch --unshallow reads the rest)` } });
    }
    return { state, info, sources: out, problems };
  }
}

/**
 * One-shot read of the git deploys of `services` in the workspace folder `dir` (a fresh {@link GitDeploys}; keep
 * one instead when asking again).
 */
export async function readGitDeploys(dir: string, services: readonly ServiceEntry[], options: GitDeploysOptions & { readonly service?: string; readonly since?: Date } = {}): Promise<DeploySourceResult> {
  return new GitDeploys(dir, services, options).deploys(options);
}

function withoutRange(s: GitSource, c: Candidate, prev: Candidate | undefined): Deploy {
  return {
    id: c.id,
    service: s.service.name,
    source: 'git',
    kind: 'deploy',
    version: c.version,
    time: new Date(c.time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(c.actor ? { actor: c.actor } : {}),
    status: 'unknown',
    commit: c.commit,
    ...(prev ? { previousCommit: prev.commit } : {}),
    ...(c.message ? { description: c.message } : {}),
  };
}

function newestFirst(a: Deploy, b: Deploy): number {
  return a.time < b.time ? 1 : a.time > b.time ? -1 : 0;
}

function mergeRanges(ranges: readonly LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: LineRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else out.push(r);
  }
  return out;
}
