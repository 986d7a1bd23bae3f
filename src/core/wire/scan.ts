/**
 * The wire index: facts per file (parsed once, re-read when a file changes) and the composed map. Used by the
 * CLI (`oncall-lens scan`), the wire worker thread and the tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
}

export class WireIndex implements ProjectView {
  private readonly facts = new Map<string, FileFacts>();
  private readonly problems = new Map<string, WireProblem[]>();
  private readonly byDir = new Map<string, Set<string>>();
  private serviceRoots = new Set<string>();
  private readonly small = new Map<string, string | undefined>();
  private readonly parsers = new Map<Grammar, Parser>();
  private composed: WireRecord[] | undefined;
  private stats = { files: 0, parsedFiles: 0, lines: 0, bytes: 0 };

  constructor(readonly root: string) {}

  /** Reads the whole tree. Replaces whatever the index held. */
  async scan(options: ScanOptions = {}): Promise<WireMap> {
    const exts = new Set(LANGUAGES.flatMap((l) => [...l.extensions]));
    const walked = walkTree(this.root, { extensions: exts, exclude: options.exclude, maxFileBytes: options.maxFileBytes });
    this.facts.clear();
    this.problems.clear();
    this.byDir.clear();
    this.small.clear();
    this.serviceRoots = new Set(walked.serviceRoots);
    this.stats = { files: walked.files.length, parsedFiles: 0, lines: 0, bytes: 0 };
    for (const f of walked.files) this.track(f);
    for (const f of walked.skippedLarge) this.problems.set(f, [{ file: f, message: `Skipped: larger than ${Math.round((options.maxFileBytes ?? 1048576) / 1024)} KB (usually generated code).` }]);
    let done = 0;
    for (const file of walked.files) {
      if (options.cancelled?.()) break;
      let text: string;
      try {
        text = fs.readFileSync(path.join(this.root, file), 'utf8');
      } catch (e) {
        this.problems.set(file, [{ file, message: `Could not read: ${(e as Error).message}` }]);
        continue;
      }
      await this.ingest(file, text, options.all ?? false);
      options.onProgress?.(++done, walked.files.length);
    }
    this.composed = undefined;
    return this.map();
  }

  /**
   * Re-reads one file (saved, created) from the given text, or from disk when no text is given. Returns whether
   * its facts changed the map. Always parses (a file the user is looking at is interesting by definition).
   */
  async update(file: string, text?: string): Promise<void> {
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (MANIFESTS.has(base) || base.endsWith('.csproj')) {
      this.serviceRoots.add(dirOf(file));
      this.composed = undefined;
    }
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
    return serviceRootFor(file, this.serviceRoots);
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
