/**
 * The wire index: facts per file (parsed once, re-read when a file changes) and the composed map. Used by the
 * CLI (`oncall-lens scan`), the wire worker thread and the tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Node, Parser } from '@vscode/tree-sitter-wasm';
import { composeWire } from './compose';
import type { FileFacts } from './facts';
import type { LanguageSupport, ProjectView } from './language';
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

/** What reading a list of files gave. */
export interface FileBatch {
  readonly facts: FileFacts[];
  readonly problems: WireProblem[];
  readonly stats: { parsedFiles: number; lines: number; bytes: number };
}

/**
 * Splits files into two sets by language, balancing bytes, so no grammar is loaded (and no query compiled) on
 * both threads. The first set stays on the calling thread.
 */
export function splitByLanguage(files: readonly string[], sizes: readonly number[]): [string[], string[]] {
  const byLang = new Map<string, { files: string[]; bytes: number }>();
  files.forEach((f, i) => {
    const lang = supportFor(f)?.language ?? '';
    let g = byLang.get(lang);
    if (!g) byLang.set(lang, (g = { files: [], bytes: 0 }));
    g.files.push(f);
    g.bytes += sizes[i] ?? 0;
  });
  const bins: [{ files: string[]; bytes: number }, { files: string[]; bytes: number }] = [
    { files: [], bytes: 0 },
    { files: [], bytes: 0 },
  ];
  for (const g of [...byLang.values()].sort((a, b) => b.bytes - a.bytes)) {
    const bin = bins[0].bytes <= bins[1].bytes ? bins[0] : bins[1];
    bin.files.push(...g.files);
    bin.bytes += g.bytes;
  }
  return [bins[0].files, bins[1].files];
}

/** Reads `files` in a helper worker thread (this module's wireWorker.js, in its `read` role). */
function readInHelper(root: string, all: readonly string[], serviceRoots: readonly string[], files: readonly string[], readAll: boolean, progress: (done: number) => void): Promise<FileBatch> {
  return new Promise<FileBatch>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(path.join(__dirname, 'wireWorker.js'), { workerData: { role: 'read' } });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    worker.on('message', (m: { progress?: number; batch?: FileBatch; error?: string }) => {
      if (m.progress !== undefined) progress(m.progress);
      else {
        void worker.terminate();
        if (m.batch) resolve(m.batch);
        else reject(new Error(m.error ?? 'the helper thread gave no answer'));
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the helper thread stopped (exit code ${code})`)));
    worker.postMessage({ root, files: all, serviceRoots, read: files, all: readAll });
  });
}

export class WireIndex implements ProjectView {
  private readonly facts = new Map<string, FileFacts>();
  private readonly problems = new Map<string, WireProblem[]>();
  private readonly byDir = new Map<string, Set<string>>();
  private serviceRoots = new Set<string>();
  /** serviceRootOf per file (compose asks once per record); cleared when the roots change. */
  private readonly rootCache = new Map<string, string>();
  private readonly small = new Map<string, string | undefined>();
  private readonly parsers = new Map<Grammar, Parser>();
  private composed: WireRecord[] | undefined;
  private stats = { files: 0, parsedFiles: 0, lines: 0, bytes: 0 };
  /** How many threads the last scan read files on (2 only when the helper thread answered). */
  lastScanThreads = 1;

  constructor(readonly root: string) {}

  /**
   * Reads the whole tree. Replaces whatever the index held. With `threads: 2` (the default when the tree is big
   * enough) the languages are split over this thread and a helper worker thread, so each compiles only its own
   * grammars' queries; the facts come back and are composed here.
   */
  async scan(options: ScanOptions = {}): Promise<WireMap> {
    const exts = new Set(LANGUAGES.flatMap((l) => [...l.extensions]));
    const walked = walkTree(this.root, { extensions: exts, exclude: options.exclude, maxFileBytes: options.maxFileBytes });
    this.prime({ files: walked.files, serviceRoots: walked.serviceRoots });
    for (const f of walked.skippedLarge) this.problems.set(f, [{ file: f, message: `Skipped: larger than ${Math.round((options.maxFileBytes ?? 1048576) / 1024)} KB (usually generated code).` }]);
    const threads = options.threads ?? (walked.files.length >= 200 ? 2 : 1);
    const [mine, theirs] = threads > 1 ? splitByLanguage(walked.files, walked.sizes) : [walked.files, []];
    const total = walked.files.length;
    let helperDone = 0;
    let localDone = 0;
    const report = (): void => options.onProgress?.(localDone + helperDone, total);
    const helper = theirs.length > 0 ? readInHelper(this.root, walked.files, walked.serviceRoots, theirs, options.all ?? false, (n) => ((helperDone = n), report())) : undefined;
    // A failed helper (no worker_threads, a crash) must not lose the scan: its files are read here instead.
    const helped = helper?.catch(() => undefined);
    const local = await this.readFiles(mine, options.all ?? false, options.cancelled, () => (localDone++, report()));
    let result = await helped;
    this.lastScanThreads = result ? 2 : 1;
    if (helper && !result) result = await this.readFiles(theirs, options.all ?? false, options.cancelled, () => (helperDone++, report()));
    for (const r of [local, result]) {
      if (!r) continue;
      for (const f of r.facts) this.facts.set(f.file, f);
      for (const p of r.problems) this.problems.set(p.file, [...(this.problems.get(p.file) ?? []), p]);
      this.stats.parsedFiles += r.stats.parsedFiles;
      this.stats.lines += r.stats.lines;
      this.stats.bytes += r.stats.bytes;
    }
    this.composed = undefined;
    return this.map();
  }

  /** Sets the file list and service roots of a scan (also how a helper thread learns the tree without walking it). */
  prime(tree: { readonly files: readonly string[]; readonly serviceRoots: readonly string[] }): void {
    this.facts.clear();
    this.problems.clear();
    this.byDir.clear();
    this.small.clear();
    this.serviceRoots = new Set(tree.serviceRoots);
    this.rootCache.clear();
    this.stats = { files: tree.files.length, parsedFiles: 0, lines: 0, bytes: 0 };
    for (const f of tree.files) this.track(f);
  }

  /** Reads and extracts a list of files without adding them to the index (the scan merges the result). */
  async readFiles(files: readonly string[], all: boolean, cancelled?: () => boolean, onFile?: () => void): Promise<FileBatch> {
    const out: FileBatch = { facts: [], problems: [], stats: { parsedFiles: 0, lines: 0, bytes: 0 } };
    for (const file of files) {
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
          const facts = await this.extract(sup, file, text);
          if (facts) out.facts.push(facts);
          out.stats.parsedFiles++;
        } catch (e) {
          out.problems.push({ file, message: `Could not read the wire facts: ${(e as Error).message}` });
        }
      }
      onFile?.();
    }
    return out;
  }

  /**
   * Re-reads one file (saved, created) from the given text, or from disk when no text is given. Returns whether
   * its facts changed the map. Always parses (a file the user is looking at is interesting by definition).
   */
  async update(file: string, text?: string): Promise<void> {
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (MANIFESTS.has(base) || base.endsWith('.csproj')) {
      this.serviceRoots.add(dirOf(file));
      this.rootCache.clear();
      this.composed = undefined;
    }
    // Other files' extractors may have read this one through read() (a Django urls.py reads its views.py).
    this.small.delete(file);
    const sup = supportFor(file);
    if (!sup) return;
    if (text === undefined) {
      try {
        text = fs.readFileSync(path.join(this.root, file), 'utf8');
      } catch {
        this.remove(file);
        return;
      }
    }
    if (!this.facts.has(file)) this.track(file);
    await this.ingest(file, text, true);
    this.composed = undefined;
  }

  remove(file: string): void {
    this.facts.delete(file);
    this.problems.delete(file);
    this.byDir.get(dirOf(file))?.delete(file);
    this.composed = undefined;
  }

  /** The facts of one file (for the editor: error paths of the file on screen). */
  factsOf(file: string): FileFacts | undefined {
    return this.facts.get(file);
  }

  /** Parses a file that is not (or not yet) in the index without adding it: an editor's unsaved text. */
  async factsFor(file: string, text: string): Promise<FileFacts | undefined> {
    const sup = supportFor(file);
    if (!sup) return undefined;
    return this.extract(sup, file, text);
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
    this.composed ??= composeWire(this.facts, this, SUPPORTS);
    const problems: WireProblem[] = [];
    for (const list of this.problems.values()) problems.push(...list);
    for (const f of this.facts.values()) for (const w of f.warnings) problems.push({ file: f.file, line: w.line, message: w.message });
    problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
    return { records: this.composed, problems, stats: { ...this.stats } };
  }

  // ProjectView
  has(file: string): boolean {
    return this.byDir.get(dirOf(file))?.has(file) ?? false;
  }
  filesIn(dir: string): readonly string[] {
    return [...(this.byDir.get(dir) ?? [])];
  }
  serviceRootOf(file: string): string {
    let root = this.rootCache.get(file);
    if (root === undefined) {
      root = serviceRootFor(file, this.serviceRoots);
      this.rootCache.set(file, root);
    }
    return root;
  }
  read(file: string): string | undefined {
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

  dispose(): void {
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

  private async ingest(file: string, text: string, all: boolean): Promise<void> {
    const sup = supportFor(file);
    if (!sup) return;
    this.stats.bytes += text.length;
    this.stats.lines += countLines(text);
    this.problems.delete(file);
    if (looksGenerated(text) || (!all && !sup.interesting(text, file))) {
      this.facts.delete(file);
      return;
    }
    try {
      const facts = await this.extract(sup, file, text);
      if (facts) this.facts.set(file, facts);
      this.stats.parsedFiles++;
    } catch (e) {
      this.facts.delete(file);
      this.problems.set(file, [{ file, message: `Could not read the wire facts: ${(e as Error).message}` }]);
    }
  }

  private async extract(sup: LanguageSupport, file: string, text: string): Promise<FileFacts | undefined> {
    const grammar = sup.grammar(file);
    if (!grammar) return sup.extractText?.(text, file);
    const p = await this.parserFor(grammar);
    const lang = await language(grammar);
    const tree = p.parse(text);
    if (!tree) throw new Error('the parser gave no tree');
    try {
      return sup.extract({ root: tree.rootNode, text, file, language: lang, grammar, project: this });
    } finally {
      tree.delete();
    }
  }
}

const SUPPORTS: ReadonlyMap<WireLanguage, LanguageSupport> = new Map(LANGUAGES.map((l) => [l.language, l]));

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
