/**
 * The wire index: facts per file (parsed once, re-read when a file changes) and the composed map. Used by the
 * CLI (`oncall-lens scan`), the wire worker thread and the tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Edit, Node, Parser, Tree } from '@vscode/tree-sitter-wasm';
import { WireComposer, type FactsChange } from './compose';
import type { FileFacts } from './facts';
import type { LanguageSupport, ProjectReads, ProjectView } from './language';
import { LANGUAGES, supportFor } from './languages';
import type { WireLanguage, WireMap, WireProblem, WireRecord } from './model';
import { dirOf } from './paths';
import { language, parser, type Grammar } from './treeSitter';
import { MANIFESTS } from './extensions';
import { looksGenerated, serviceRootFor, walkTree } from './walk';

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
}

/** Where a thread's time went while it read files (ms; for the benchmark and the log). */
export interface ReadTiming {
  /** Reading files and the cheap pre-checks (generated? interesting?). */
  readMs: number;
  /** tree-sitter parsing. */
  parseMs: number;
  /** The language extractors (queries, walking the tree; query compilation the first time). */
  extractMs: number;
  /** The whole readFiles() call. */
  totalMs: number;
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
}

/** What reading a list of files gave. */
export interface FileBatch {
  readonly facts: FileFacts[];
  readonly problems: WireProblem[];
  readonly stats: { parsedFiles: number; lines: number; bytes: number };
  /** What each file's extraction read of the project besides its own text (see WireIndex.extractDeps). */
  readonly deps: [string, string[]][];
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

export class WireIndex implements ProjectView {
  private readonly facts = new Map<string, FileFacts>();
  /**
   * What each file's extraction read of the project besides its own text: `r:file` (another file's text, a
   * Django urls.py its views, a Spring class its application.properties), `h:file` and `d:dir` (whether a file
   * is there, a folder's files), `sr:file` (a file's service root). A change of any re-reads the file.
   */
  private readonly extractDeps = new Map<string, readonly string[]>();
  private readonly extractReaders = new Map<string, Set<string>>();
  /** Where has/filesIn/read/serviceRootOf record what an extraction reads (set only while one runs). */
  private sink: Set<string> | undefined;
  /** Composes the facts, and again only what a change touches (compose.ts). */
  private readonly composer = new WireComposer(this, SUPPORTS);
  /** Files changed since the last compose, with their facts before the first change. */
  private readonly pending = new Map<string, FileFacts | undefined>();
  /** Keys changed since the last compose besides facts (`h:`, `d:`, `r:`). */
  private readonly pendingKeys = new Set<string>();
  private rootsChanged = false;
  private needsFullCompose = true;
  private problemList: WireProblem[] | undefined;
  private readonly problems = new Map<string, WireProblem[]>();
  private readonly byDir = new Map<string, Set<string>>();
  private serviceRoots = new Set<string>();
  /** serviceRootOf per file (compose asks once per record); cleared when the roots change. */
  private readonly rootCache = new Map<string, string>();
  private readonly small = new Map<string, string | undefined>();
  private readonly parsers = new Map<Grammar, Parser>();
  /**
   * The last tree and text of the files re-read by update() (the ones being edited), most recent last: the next
   * update of one parses incrementally from it (tree-sitter reuses what the edit did not touch).
   */
  private readonly recentTrees = new Map<string, { text: string; tree: Tree; grammar: Grammar }>();
  private stats = { files: 0, parsedFiles: 0, lines: 0, bytes: 0 };
  /** How many threads the last scan read files on (2 only when the helper thread answered). */
  lastScanThreads = 1;
  /** Where the last scan's time went. */
  lastScanTiming: ScanTiming | undefined;
  /** Parse and extract time of the readFiles() call running (undefined outside one). */
  private timing: ReadTiming | undefined;

  constructor(readonly root: string) {}

  /**
   * Reads the whole tree. Replaces whatever the index held. With `threads: 2` (the default when the tree is big
   * enough) this thread and a helper worker thread take the languages one at a time, biggest first, each the next
   * when it is done (so each compiles only its own grammars' queries, and neither waits long for the other); the
   * facts come back and are composed here, in the order of the files, whichever thread read them.
   */
  async scan(options: ScanOptions = {}): Promise<WireMap> {
    const t0 = performance.now();
    const exts = new Set(LANGUAGES.flatMap((l) => [...l.extensions]));
    const walked = walkTree(this.root, { extensions: exts, exclude: options.exclude, maxFileBytes: options.maxFileBytes });
    const walkMs = performance.now() - t0;
    this.prime({ files: walked.files, serviceRoots: walked.serviceRoots });
    for (const f of walked.skippedLarge) this.problems.set(f, [{ file: f, message: `Skipped: larger than ${Math.round((options.maxFileBytes ?? 1048576) / 1024)} KB (usually generated code).` }]);
    const threads = options.threads ?? (walked.files.length >= 200 ? 2 : 1);
    const all = options.all ?? false;
    const groups = threads > 1 ? groupByLanguage(walked.files, walked.sizes) : [{ language: '', files: walked.files, bytes: 0 }];
    const queue = [...groups];
    const total = walked.files.length;
    let localDone = 0;
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
    const read = new Map<string, FileFacts>();
    for (const r of [...local, ...helped]) {
      for (const f of r.facts) read.set(f.file, f);
      for (const [file, deps] of r.deps) this.setExtractDeps(file, deps);
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
    this.lastScanTiming = { walkMs, local: sumTimings(local), helper: helped.length > 0 ? sumTimings(helped) : undefined, waitMs, composeMs: t3 - t2, totalMs: t3 - t0 };
    return map;
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
    const out: FileBatch = { facts: [], problems: [], stats: { parsedFiles: 0, lines: 0, bytes: 0 }, deps: [], timing };
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
      out.stats.bytes += text.length;
      out.stats.lines += countLines(text);
      if (!looksGenerated(text) && (all || sup.interesting(text, file))) {
        try {
          const { facts, deps } = await this.extract(sup, file, text);
          if (facts) out.facts.push(facts);
          if (deps.length > 0) out.deps.push([file, deps]);
          out.stats.parsedFiles++;
        } catch (e) {
          out.problems.push({ file, message: `Could not read the wire facts: ${(e as Error).message}` });
        }
      }
      onFile?.();
    }
  }

  /**
   * Re-reads one file (saved, created) from the given text, or from disk when no text is given. Always parses (a
   * file the user is looking at is interesting by definition). Files whose extraction read this one (its text,
   * whether it exists) are read again; the map is composed again, as far as the change reaches, by the next map().
   */
  async update(file: string, text?: string): Promise<void> {
    const keys = new Set<string>(['r:' + file]);
    const reread = new Set<string>();
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (MANIFESTS.has(base) || base.endsWith('.csproj')) this.setServiceRoot(dirOf(file), true, reread);
    // Other files' extractors may have read this one through read() (a Django urls.py reads its views.py).
    this.small.delete(file);
    const sup = supportFor(file);
    if (sup) {
      if (text === undefined) {
        try {
          text = fs.readFileSync(path.join(this.root, file), 'utf8');
        } catch {
          await this.remove(file);
          return;
        }
      }
      if (!this.has(file)) {
        this.track(file);
        keys.add('h:' + file);
        keys.add('d:' + dirOf(file));
      }
      await this.ingest(file, text, true, true, true);
    }
    await this.changed(keys, file, reread);
  }

  /** Drops a deleted file (a deleted manifest's folder stops being a service root when no other manifest is left). */
  async remove(file: string): Promise<void> {
    const keys = new Set<string>(['r:' + file]);
    const reread = new Set<string>();
    if (this.has(file)) {
      keys.add('h:' + file);
      keys.add('d:' + dirOf(file));
    }
    this.noteChanged(file);
    this.facts.delete(file);
    this.setExtractDeps(file, []);
    if (this.problems.delete(file)) this.problemList = undefined;
    this.byDir.get(dirOf(file))?.delete(file);
    this.small.delete(file);
    this.recentTrees.get(file)?.tree.delete();
    this.recentTrees.delete(file);
    const base = file.slice(file.lastIndexOf('/') + 1);
    if ((MANIFESTS.has(base) || base.endsWith('.csproj')) && !hasManifest(path.join(this.root, dirOf(file)))) this.setServiceRoot(dirOf(file), false, reread);
    await this.changed(keys, file, reread);
  }

  /** The facts of one file (for the editor: error paths of the file on screen). */
  factsOf(file: string): FileFacts | undefined {
    return this.facts.get(file);
  }

  /** Parses a file that is not (or not yet) in the index without adding it: an editor's unsaved text. */
  async factsFor(file: string, text: string): Promise<FileFacts | undefined> {
    const sup = supportFor(file);
    if (!sup) return undefined;
    return (await this.extract(sup, file, text)).facts;
  }

  /** Parses `text` as `file` and hands the tree to `use` (the tree is freed afterwards); undefined for a file no grammar reads. */
  async withTree<T>(file: string, text: string, use: (root: Node) => T): Promise<T | undefined> {
    const grammar = supportFor(file)?.grammar(file);
    if (!grammar) return undefined;
    const tree = (await this.parserFor(grammar)).parse(text);
    if (!tree) return undefined;
    try {
      return use(tree.rootNode);
    } finally {
      tree.delete();
    }
  }

  /** Where a function of this name is defined: in `near` first, then its service, then anywhere indexed. */
  findFunction(name: string, near: string): { file: string; line: number } | undefined {
    const bare = name.replace(/!$/, '');
    const inFile = (file: string): { file: string; line: number } | undefined => {
      const fn = this.facts.get(file)?.functions.find((f) => f.name === bare);
      return fn ? { file, line: fn.loc.line } : undefined;
    };
    const here = inFile(near);
    if (here) return here;
    const service = this.serviceRootOf(near);
    let elsewhere: { file: string; line: number } | undefined;
    for (const file of this.facts.keys()) {
      if (file === near) continue;
      const hit = inFile(file);
      if (!hit) continue;
      if (this.serviceRootOf(file) === service) return hit;
      elsewhere ??= hit;
    }
    return elsewhere;
  }

  map(): WireMap {
    const records = this.compose();
    if (!this.problemList) {
      const problems: WireProblem[] = [];
      for (const list of this.problems.values()) problems.push(...list);
      for (const f of this.facts.values()) for (const w of f.warnings) problems.push({ file: f.file, line: w.line, message: w.message });
      problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
      this.problemList = problems;
    }
    return { records, problems: this.problemList, stats: { ...this.stats } };
  }

  /**
   * The files whose records changed since the last call, composing what is pending first; 'all' after a scan or
   * a full compose. The worker sends the host only these files' records (recordsAt) after an update.
   */
  takeChanges(): readonly string[] | 'all' {
    this.compose();
    return this.composer.takeChanges();
  }

  /** The records at one file (after map() or takeChanges()). */
  recordsAt(file: string): readonly WireRecord[] {
    return this.composer.recordsAt(file);
  }

  /** What the last compose did (full or incremental, how many files' units it composed again, ms). */
  get lastCompose(): WireComposer['lastStats'] {
    return this.composer.lastStats;
  }

  /** The records: every file's facts composed after a scan, then only what changed since. */
  private compose(): readonly WireRecord[] {
    if (this.needsFullCompose || !this.composer.ready) {
      this.needsFullCompose = false;
      this.pending.clear();
      this.pendingKeys.clear();
      this.rootsChanged = false;
      return this.composer.composeAll(this.facts);
    }
    if (this.pending.size === 0 && this.pendingKeys.size === 0 && !this.rootsChanged) return this.composer.records();
    const changes: FactsChange[] = [...this.pending].map(([file, before]) => ({ file, before, after: this.facts.get(file) }));
    const files: string[] = [];
    const dirs: string[] = [];
    for (const k of this.pendingKeys) (k.startsWith('d:') ? dirs : files).push(k.slice(k.indexOf(':') + 1));
    const records = this.composer.update(changes, files, dirs, this.rootsChanged);
    this.pending.clear();
    this.pendingKeys.clear();
    this.rootsChanged = false;
    return records;
  }

  // ProjectView (while an extraction runs, each call is recorded as something the file depends on)
  has(file: string): boolean {
    this.sink?.add('h:' + file);
    return this.byDir.get(dirOf(file))?.has(file) ?? false;
  }
  filesIn(dir: string): readonly string[] {
    this.sink?.add('d:' + dir);
    return [...(this.byDir.get(dir) ?? [])];
  }
  serviceRootOf(file: string): string {
    this.sink?.add('sr:' + file);
    let root = this.rootCache.get(file);
    if (root === undefined) {
      root = serviceRootFor(file, this.serviceRoots);
      this.rootCache.set(file, root);
    }
    return root;
  }
  read(file: string): string | undefined {
    this.sink?.add('r:' + file);
    if (this.small.has(file)) return this.small.get(file);
    let text: string | undefined;
    try {
      const p = path.join(this.root, file);
      if (fs.statSync(p).size < 256 * 1024) text = fs.readFileSync(p, 'utf8');
    } catch {
      text = undefined;
    }
    this.small.set(file, text);
    return text;
  }

  recordReads<T>(run: () => T): { value: T; reads: ProjectReads } {
    const outer = this.sink;
    const inner = new Set<string>();
    this.sink = inner;
    let value: T;
    try {
      value = run();
    } finally {
      this.sink = outer;
    }
    if (outer) for (const k of inner) outer.add(k);
    return { value, reads: [...inner].map((k) => [k, this.ask(k)] as const) };
  }

  stillReads(reads: ProjectReads): boolean {
    return reads.every(([k, answer]) => this.ask(k) === answer);
  }

  /** Asks the project the question a dependency key stands for (recorded in the sink like any other question). */
  private ask(k: string): string | boolean | undefined {
    const colon = k.indexOf(':');
    const arg = k.slice(colon + 1);
    switch (k.slice(0, colon)) {
      case 'r':
        return this.read(arg);
      case 'h':
        return this.has(arg);
      case 'd':
        return this.filesIn(arg).join('\n');
      case 'sr':
        return this.serviceRootOf(arg);
      default:
        return undefined;
    }
  }

  dispose(): void {
    this.dropTrees();
    for (const p of this.parsers.values()) p.delete();
    this.parsers.clear();
  }

  private async parserFor(grammar: Grammar): Promise<Parser> {
    let p = this.parsers.get(grammar);
    if (!p) {
      p = await parser(grammar);
      this.parsers.set(grammar, p);
    }
    return p;
  }

  private track(file: string): void {
    const d = dirOf(file);
    let set = this.byDir.get(d);
    if (!set) this.byDir.set(d, (set = new Set()));
    set.add(file);
  }

  /**
   * Reads one file into the index (`count`: add it to the stats; not when a file is read again for another's
   * change; `keep`: keep its tree for an incremental parse of its next version).
   */
  private async ingest(file: string, text: string, all: boolean, count = true, keep = false): Promise<void> {
    const sup = supportFor(file);
    if (!sup) return;
    if (count) {
      this.stats.bytes += text.length;
      this.stats.lines += countLines(text);
    }
    this.noteChanged(file);
    if (this.problems.delete(file)) this.problemList = undefined;
    if (looksGenerated(text) || (!all && !sup.interesting(text, file))) {
      this.facts.delete(file);
      this.setExtractDeps(file, []);
      return;
    }
    try {
      const { facts, deps } = await this.extract(sup, file, text, keep);
      if (facts) this.facts.set(file, facts);
      else this.facts.delete(file);
      this.setExtractDeps(file, deps);
      if (count) this.stats.parsedFiles++;
    } catch (e) {
      this.facts.delete(file);
      this.setExtractDeps(file, []);
      this.problems.set(file, [{ file, message: `Could not read the wire facts: ${(e as Error).message}` }]);
    }
    if (this.facts.get(file)?.warnings.length) this.problemList = undefined;
  }

  /** Remembers a file's facts before its first change since the last compose (and whether the problems change). */
  private noteChanged(file: string): void {
    const before = this.facts.get(file);
    if (!this.pending.has(file)) this.pending.set(file, before);
    if (before?.warnings.length) this.problemList = undefined;
  }

  /**
   * After `file` changed (`keys`: its text, its existence): files whose extraction read any of it are read again
   * from disk, with `reread` (files whose service root moved); their facts changes join the pending ones.
   */
  private async changed(keys: ReadonlySet<string>, file: string, reread: Set<string>): Promise<void> {
    for (const k of keys) {
      this.pendingKeys.add(k);
      for (const reader of this.extractReaders.get(k) ?? []) if (reader !== file) reread.add(reader);
    }
    for (const other of reread) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(this.root, other), 'utf8');
      } catch {
        continue;
      }
      await this.ingest(other, text, true, false);
    }
  }

  /** Adds or drops a service root; files whose extraction asked for a service root that this moves are noted in `reread`. */
  private setServiceRoot(dir: string, present: boolean, reread: Set<string>): void {
    if (this.serviceRoots.has(dir) === present) return;
    const next = new Set(this.serviceRoots);
    if (present) next.add(dir);
    else next.delete(dir);
    for (const [k, readers] of this.extractReaders) {
      if (!k.startsWith('sr:')) continue;
      const f = k.slice(3);
      if (dir !== '' && !f.startsWith(dir + '/')) continue;
      if (serviceRootFor(f, this.serviceRoots) !== serviceRootFor(f, next)) for (const r of readers) reread.add(r);
    }
    this.serviceRoots = next;
    this.rootCache.clear();
    this.rootsChanged = true;
  }

  private setExtractDeps(file: string, deps: readonly string[]): void {
    for (const k of this.extractDeps.get(file) ?? []) this.extractReaders.get(k)?.delete(file);
    if (deps.length === 0) {
      this.extractDeps.delete(file);
      return;
    }
    this.extractDeps.set(file, deps);
    for (const k of deps) {
      let set = this.extractReaders.get(k);
      if (!set) this.extractReaders.set(k, (set = new Set()));
      set.add(file);
    }
  }

  /**
   * Parses and extracts one file; `deps`: what the extractor read of the project besides the file. With a tree
   * kept from the file's last update, the parse is incremental; `keep` keeps the new tree (so does a file whose
   * tree was kept already).
   */
  private async extract(sup: LanguageSupport, file: string, text: string, keep = false): Promise<{ facts: FileFacts | undefined; deps: string[] }> {
    const grammar = sup.grammar(file);
    if (!grammar) return { facts: sup.extractText?.(text, file), deps: [] };
    const p = await this.parserFor(grammar);
    const lang = await language(grammar);
    const recent = this.recentTrees.get(file);
    const t0 = performance.now();
    let tree: Tree | null;
    if (recent && recent.grammar === grammar) {
      this.recentTrees.delete(file);
      const edit = textEdit(recent.text, text);
      if (edit) recent.tree.edit(edit);
      tree = p.parse(text, recent.tree);
      recent.tree.delete();
      keep = true;
    } else {
      tree = p.parse(text);
    }
    if (!tree) throw new Error('the parser gave no tree');
    const t1 = performance.now();
    const deps = new Set<string>();
    this.sink = deps;
    try {
      const facts = sup.extract({ root: tree.rootNode, text, file, language: lang, grammar, project: this });
      deps.delete('r:' + file);
      return { facts, deps: [...deps] };
    } finally {
      this.sink = undefined;
      if (this.timing) {
        this.timing.parseMs += t1 - t0;
        this.timing.extractMs += performance.now() - t1;
      }
      if (keep) this.keepTree(file, text, tree, grammar);
      else tree.delete();
    }
  }

  private keepTree(file: string, text: string, tree: Tree, grammar: Grammar): void {
    this.recentTrees.set(file, { text, tree, grammar });
    for (const [f, t] of this.recentTrees) {
      if (this.recentTrees.size <= RECENT_TREES) break;
      t.tree.delete();
      this.recentTrees.delete(f);
    }
  }

  private dropTrees(): void {
    for (const t of this.recentTrees.values()) t.tree.delete();
    this.recentTrees.clear();
  }
}

const SUPPORTS: ReadonlyMap<WireLanguage, LanguageSupport> = new Map(LANGUAGES.map((l) => [l.language, l]));

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

/** How many files' trees are kept for incremental parsing (the files being edited). */
const RECENT_TREES = 8;

/**
 * The edit that turns `before` into `after` for tree-sitter (one changed range: the text between their common
 * prefix and common suffix), in UTF-16 code units as the parser reads JavaScript strings; undefined when equal.
 */
export function textEdit(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  // Never split a surrogate pair.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (oldEnd < before.length && isLowSurrogate(before.charCodeAt(oldEnd))) {
    oldEnd++;
    newEnd++;
  }
  if (oldEnd < start) oldEnd = start;
  if (newEnd < start) newEnd = start;
  return { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition: pointAt(before, start), oldEndPosition: pointAt(before, oldEnd), newEndPosition: pointAt(after, newEnd) };
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Row and column (UTF-16 code units) of an index. */
function pointAt(text: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** Whether a folder (absolute) holds a manifest. */
function hasManifest(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((n) => MANIFESTS.has(n) || n.endsWith('.csproj'));
  } catch {
    return false;
  }
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
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
