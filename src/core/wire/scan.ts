/**
 * The wire index: facts per file (parsed once, re-read when a file changes) and the composed map. Used by the
 * CLI (`oncall-lens scan`), the wire worker thread and the tests.
 *
 * WireIndex is the top layer of a class built in layers under scan/ (see scan/project.ts): this module walks the
 * tree and reads the files of a cold scan, on this thread and a helper worker thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileFacts } from './facts';
import { LANGUAGES, supportFor } from './languages';
import type { WireMap, WireProblem } from './model';
import { looksGenerated, walkTree } from './walk';
import { CACHE_FORMAT, cacheFile, cacheKey, loadCache, settledBefore, statFingerprint, writeCache, type CachedFile } from './scan/cache';
import { IndexUpdates } from './scan/incremental';
import type { ReadTiming } from './scan/parse';
import { countLines } from './scan/text';

export type { ReadTiming } from './scan/parse';
export { textEdit } from './scan/text';

export interface ScanOptions {
  readonly exclude?: readonly string[] | undefined;
  readonly maxFileBytes?: number | undefined;
  /** Parse every file of a known language, not only those that look interesting (tests, `scan --all`). */
  readonly all?: boolean | undefined;
  /** Called after each file, for progress. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /** Checked between files; a true value stops the scan (the index keeps what it has). */
  readonly cancelled?: (() => boolean) | undefined;
  /** 1 reads every file on this thread; 2 splits the languages with a helper worker thread (default: 2 for 200+ files). */
  readonly threads?: number | undefined;
  /**
   * A folder for the warm-start cache (scan/cache.ts): files unchanged since the cache was written are not read
   * again. saveCache() writes it. Without one, every scan is cold.
   */
  readonly cacheDir?: string | undefined;
  /** With a cache folder: read every file all the same (saveCache() writes the cache anew). */
  readonly fresh?: boolean | undefined;
}

/** Where a cold scan's time went (ms). The helper's is its own thread's (it overlaps this thread's). */
export interface ScanTiming {
  readonly walkMs: number;
  readonly local: ReadTiming;
  readonly helper?: ReadTiming | undefined;
  /** Waiting for the helper thread after this thread was done. */
  readonly waitMs: number;
  readonly composeMs: number;
  readonly totalMs: number;
  /** Files whose facts came from the warm-start cache, and the time spent loading and checking it. */
  readonly cached: number;
  readonly cacheMs: number;
}

/** What reading a list of files gave. */
export interface FileBatch {
  readonly facts: FileFacts[];
  readonly problems: WireProblem[];
  readonly stats: { parsedFiles: number; lines: number; bytes: number };
  /** What each file's extraction read of the project besides its own text (see WireIndex.extractDeps). */
  readonly deps: [string, string[]][];
  /** Each file read without a problem: its lines, its length, whether it was parsed. */
  readonly perFile: [string, number, number, boolean][];
  readonly timing?: ReadTiming | undefined;
}

/** The files of one language: what one thread reads (so no grammar is loaded, and no query compiled, on both). */
export interface LanguageGroup {
  readonly language: string;
  readonly files: string[];
  bytes: number;
}

/** The files grouped by language, the biggest group (in bytes) first. */
export function groupByLanguage(files: readonly string[], sizes: readonly number[]): LanguageGroup[] {
  const byLang = new Map<string, LanguageGroup>();
  files.forEach((f, i) => {
    const language = supportFor(f)?.language ?? '';
    let g = byLang.get(language);
    if (!g) byLang.set(language, (g = { language, files: [], bytes: 0 }));
    g.files.push(f);
    g.bytes += sizes[i] ?? 0;
  });
  return [...byLang.values()].sort((a, b) => b.bytes - a.bytes);
}

/**
 * A helper worker thread (this module's wireWorker.js in its `read` role) that reads the language groups it is
 * handed, one at a time, and sends the facts back.
 */
class ReadHelper {
  private readonly worker: Worker;
  private pending: { resolve: (b: FileBatch) => void; reject: (e: Error) => void; progress: (done: number) => void } | undefined;
  private failed: Error | undefined;

  constructor(init: { root: string; files: readonly string[]; serviceRoots: readonly string[]; all: boolean }) {
    this.worker = new Worker(path.join(__dirname, 'wireWorker.js'), { workerData: { role: 'read' } });
    this.worker.on('message', (m: { progress?: number; batch?: FileBatch; error?: string }) => {
      const p = this.pending;
      if (!p) return;
      if (m.progress !== undefined) return p.progress(m.progress);
      this.pending = undefined;
      if (m.batch) p.resolve(m.batch);
      else p.reject(new Error(m.error ?? 'the helper thread gave no answer'));
    });
    const fail = (e: Error): void => {
      this.failed ??= e;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(e);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the helper thread stopped (exit code ${code})`)));
    this.worker.postMessage({ init });
  }

  read(files: readonly string[], progress: (done: number) => void): Promise<FileBatch> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<FileBatch>((resolve, reject) => {
      this.pending = { resolve, reject, progress };
      this.worker.postMessage({ read: files });
    });
  }

  stop(): void {
    void this.worker.terminate();
  }
}

export class WireIndex extends IndexUpdates {
  /** How many threads the last scan read files on (2 only when the helper thread answered). */
  lastScanThreads = 1;
  /** Where the last scan's time went. */
  lastScanTiming: ScanTiming | undefined;
  /** What saveCache() needs of the last scan (undefined without a cache folder, or after a cancelled scan). */
  private lastScan: { file: string; key: string; startedAt: number; files: readonly string[]; sizes: readonly number[]; mtimes: readonly number[]; perFile: Map<string, [number, number, boolean]> } | undefined;
  /** Why the last scan's cache could not be used, if it could not. */
  lastCacheProblem: string | undefined;

  /**
   * Reads the whole tree. Replaces whatever the index held. With `threads: 2` (the default when the tree is big
   * enough) this thread and a helper worker thread take the languages one at a time, biggest first, each the next
   * when it is done (so each compiles only its own grammars' queries, and neither waits long for the other); the
   * facts come back and are composed here, in the order of the files, whichever thread read them.
   */
  async scan(options: ScanOptions = {}): Promise<WireMap> {
    const t0 = performance.now();
    const startedAt = Date.now();
    this.lastScan = undefined;
    this.lastCacheProblem = undefined;
    const exts = new Set(LANGUAGES.flatMap((l) => [...l.extensions]));
    const walked = walkTree(this.root, { extensions: exts, exclude: options.exclude, maxFileBytes: options.maxFileBytes });
    const walkMs = performance.now() - t0;
    this.prime({ files: walked.files, serviceRoots: walked.serviceRoots });
    this.walkExclude = options.exclude;
    for (const f of walked.skippedLarge) this.problems.set(f, [{ file: f, message: `Skipped: larger than ${Math.round((options.maxFileBytes ?? 1048576) / 1024)} KB (usually generated code).` }]);
    const all = options.all ?? false;
    // The warm start: the files the cache still answers for are not read.
    const perFile = new Map<string, [number, number, boolean]>();
    const read = new Map<string, FileFacts>();
    const tc = performance.now();
    let toRead: readonly string[] = walked.files;
    let toReadSizes: readonly number[] = walked.sizes;
    let cached = 0;
    const cachePath = options.cacheDir ? cacheFile(options.cacheDir, this.root) : undefined;
    const key = cachePath ? cacheKey(this.root, options) : '';
    if (cachePath && !options.fresh) {
      const { data, problem } = loadCache(cachePath, key);
      this.lastCacheProblem = problem;
      if (data) {
        const files: string[] = [];
        const sizes: number[] = [];
        walked.files.forEach((f, i) => {
          const entry = data.files[f];
          if (entry && this.stillHolds(entry, walked.sizes[i] as number, walked.mtimes[i] as number)) {
            if (entry.facts) read.set(f, entry.facts);
            if (entry.deps && entry.deps.length > 0) this.setExtractDeps(f, entry.deps.map(([k]) => k));
            perFile.set(f, [entry.lines, entry.bytes, entry.parsed]);
            this.stats.lines += entry.lines;
            this.stats.bytes += entry.bytes;
            if (entry.parsed) this.stats.parsedFiles++;
            cached++;
          } else {
            files.push(f);
            sizes.push(walked.sizes[i] as number);
          }
        });
        toRead = files;
        toReadSizes = sizes;
      }
    }
    const cacheMs = performance.now() - tc;
    const threads = options.threads ?? (toRead.length >= 200 ? 2 : 1);
    const groups = threads > 1 ? groupByLanguage(toRead, toReadSizes) : [{ language: '', files: [...toRead], bytes: 0 }];
    const queue = [...groups];
    const total = walked.files.length;
    let localDone = cached;
    let helperDone = 0;
    const report = (): void => options.onProgress?.(localDone + helperDone, total);
    const local: FileBatch[] = [];
    const helped: FileBatch[] = [];
    let helper: ReadHelper | undefined;
    try {
      helper = queue.length > 1 ? new ReadHelper({ root: this.root, files: walked.files, serviceRoots: walked.serviceRoots, all }) : undefined;
    } catch {
      helper = undefined; // no worker threads: this thread reads everything
    }
    // This thread takes the first (biggest) language while the helper starts.
    const yieldOften = helper !== undefined;
    const mine = (async (): Promise<void> => {
      for (let g = queue.shift(); g; g = queue.shift()) local.push(await this.readFiles(g.files, all, options.cancelled, () => (localDone++, report()), yieldOften));
    })();
    const theirs = (async (): Promise<void> => {
      if (!helper) return;
      for (let g = queue.shift(); g && !options.cancelled?.(); g = queue.shift()) {
        const before = helperDone;
        try {
          helped.push(await helper.read(g.files, (n) => ((helperDone = before + n), report())));
          helperDone = before + g.files.length;
        } catch {
          helperDone = before;
          // A failed helper (a crash) must not lose the scan: what it had is read here.
          queue.unshift(g);
          return;
        }
      }
    })();
    await mine;
    const t1 = performance.now();
    await theirs;
    const waitMs = performance.now() - t1;
    helper?.stop();
    for (let g = queue.shift(); g; g = queue.shift()) local.push(await this.readFiles(g.files, all, options.cancelled, () => (localDone++, report())));
    this.lastScanThreads = helped.length > 0 ? 2 : 1;
    // The facts in the order of the files (the order a one-thread scan gives), whichever thread read them.
    for (const r of [...local, ...helped]) {
      for (const f of r.facts) read.set(f.file, f);
      for (const [file, deps] of r.deps) this.setExtractDeps(file, deps);
      for (const [file, lines, bytes, parsed] of r.perFile) perFile.set(file, [lines, bytes, parsed]);
      for (const p of r.problems) this.problems.set(p.file, [...(this.problems.get(p.file) ?? []), p]);
      this.stats.parsedFiles += r.stats.parsedFiles;
      this.stats.lines += r.stats.lines;
      this.stats.bytes += r.stats.bytes;
    }
    for (const f of walked.files) {
      const facts = read.get(f);
      if (facts) this.facts.set(f, facts);
    }
    this.needsFullCompose = true;
    const t2 = performance.now();
    const map = this.map();
    const t3 = performance.now();
    this.lastScanTiming = { walkMs, local: sumTimings(local), helper: helped.length > 0 ? sumTimings(helped) : undefined, waitMs, composeMs: t3 - t2, totalMs: t3 - t0, cached, cacheMs };
    if (cachePath && !options.cancelled?.()) this.lastScan = { file: cachePath, key, startedAt, files: walked.files, sizes: walked.sizes, mtimes: walked.mtimes, perFile };
    return map;
  }

  /**
   * Writes the warm-start cache of the last scan (when it was given a cache folder): every file read without a
   * problem whose modification time, and that of every file its extraction read, is safely older than the scan.
   * Call it right after scan(), before any update (the worker does, once it has answered). Returns how many files
   * it kept; throws when the cache can't be written.
   */
  saveCache(): number {
    const last = this.lastScan;
    if (!last) return 0;
    this.lastScan = undefined;
    const files: Record<string, CachedFile> = {};
    let kept = 0;
    last.files.forEach((f, i) => {
      const stats = last.perFile.get(f);
      const size = last.sizes[i] as number;
      const mtime = last.mtimes[i] as number;
      if (!stats || !settledBefore(`${size}:${mtime}`, last.startedAt)) return;
      const deps = (this.extractDeps.get(f) ?? []).map((k) => [k, this.answerFor(k) ?? ''] as const);
      if (deps.some(([k, a]) => k.startsWith('r:') && !settledBefore(String(a), last.startedAt))) return;
      files[f] = { size, mtime, lines: stats[0], bytes: stats[1], parsed: stats[2], facts: this.facts.get(f), deps: deps.length > 0 ? deps : undefined };
      kept++;
    });
    writeCache(last.file, { format: CACHE_FORMAT, key: last.key, files });
    return kept;
  }

  /** Whether a cached file still stands: the same size and time, and every answer its extraction got the same. */
  private stillHolds(entry: CachedFile, size: number, mtime: number): boolean {
    if (entry.size !== size || entry.mtime !== mtime) return false;
    for (const [k, answer] of entry.deps ?? []) if (this.answerFor(k) !== answer) return false;
    return true;
  }

  /** What the project answers now to a question an extraction asked (`r:` as the file's size and time). */
  private answerFor(k: string): string | boolean | undefined {
    return this.ask(k, (file) => statFingerprint(path.join(this.root, file)));
  }

  /** Sets the file list and service roots of a scan (also how a helper thread learns the tree without walking it). */
  prime(tree: { readonly files: readonly string[]; readonly serviceRoots: readonly string[] }): void {
    this.facts.clear();
    this.dropTrees();
    this.extractDeps.clear();
    this.extractReaders.clear();
    this.pending.clear();
    this.pendingKeys.clear();
    this.rootsChanged = false;
    this.needsFullCompose = true;
    this.problemList = undefined;
    this.problems.clear();
    this.byDir.clear();
    this.small.clear();
    this.serviceRoots = new Set(tree.serviceRoots);
    this.rootCache.clear();
    this.stats = { files: tree.files.length, parsedFiles: 0, lines: 0, bytes: 0 };
    for (const f of tree.files) this.track(f);
  }

  /**
   * Reads and extracts a list of files without adding them to the index (the scan merges the result).
   * `yieldOften`: let the event loop run every few ms (a helper thread's answers wait for it).
   */
  async readFiles(files: readonly string[], all: boolean, cancelled?: () => boolean, onFile?: () => void, yieldOften = false): Promise<FileBatch> {
    const timing: ReadTiming = { readMs: 0, parseMs: 0, extractMs: 0, totalMs: 0 };
    const out: FileBatch = { facts: [], problems: [], stats: { parsedFiles: 0, lines: 0, bytes: 0 }, deps: [], perFile: [], timing };
    const t0 = performance.now();
    this.timing = timing;
    try {
      await this.readEach(files, all, out, cancelled, onFile, yieldOften);
    } finally {
      this.timing = undefined;
    }
    timing.totalMs = performance.now() - t0;
    timing.readMs = timing.totalMs - timing.parseMs - timing.extractMs;
    return out;
  }

  private async readEach(files: readonly string[], all: boolean, out: FileBatch, cancelled?: () => boolean, onFile?: () => void, yieldOften = false): Promise<void> {
    let yielded = performance.now();
    for (const file of files) {
      if (yieldOften && performance.now() - yielded > 25) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
      if (cancelled?.()) break;
      const sup = supportFor(file);
      if (!sup) continue;
      let text: string;
      try {
        text = fs.readFileSync(path.join(this.root, file), 'utf8');
      } catch (e) {
        out.problems.push({ file, message: `Could not read: ${(e as Error).message}` });
        continue;
      }
      const lines = countLines(text);
      out.stats.bytes += text.length;
      out.stats.lines += lines;
      if (!looksGenerated(text) && (all || sup.interesting(text, file))) {
        try {
          const { facts, deps } = await this.extract(sup, file, text);
          if (facts) out.facts.push(facts);
          if (deps.length > 0) out.deps.push([file, deps]);
          out.stats.parsedFiles++;
          out.perFile.push([file, lines, text.length, true]);
        } catch (e) {
          out.problems.push({ file, message: `Could not read the wire facts: ${(e as Error).message}` });
        }
      } else out.perFile.push([file, lines, text.length, false]);
      onFile?.();
    }
  }
}

function sumTimings(batches: readonly FileBatch[]): ReadTiming {
  const t: ReadTiming = { readMs: 0, parseMs: 0, extractMs: 0, totalMs: 0 };
  for (const b of batches) {
    t.readMs += b.timing?.readMs ?? 0;
    t.parseMs += b.timing?.parseMs ?? 0;
    t.extractMs += b.timing?.extractMs ?? 0;
    t.totalMs += b.timing?.totalMs ?? 0;
  }
  return t;
}

/** Scans a folder once (the CLI). */
export async function scanTree(root: string, options: ScanOptions = {}): Promise<WireMap> {
  const index = new WireIndex(root);
  try {
    return await index.scan(options);
  } finally {
    index.dispose();
  }
}
