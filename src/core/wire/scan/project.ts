/**
 * The index's base layer: what it holds (facts, problems, stats) and the project as the extractors see it
 * (ProjectView: files by folder, service roots, small files' text, each cached). While an extraction runs, every
 * question it asks is recorded as something the file depends on (extractDeps, and extractReaders the other way).
 *
 * The index is one class built in layers, one module each, each extending the one before:
 * project → parse (parsers, kept trees, extract) → incremental (update, pending changes, compose) → WireIndex
 * (scan.ts: walking, reading, the helper thread).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileFacts } from '../facts';
import type { ProjectReads, ProjectView } from '../language';
import type { WireProblem } from '../model';
import { dirOf } from '../paths';
import { serviceRootFor } from '../walk';

export abstract class IndexProject implements ProjectView {
  protected readonly facts = new Map<string, FileFacts>();
  /**
   * What each file's extraction read of the project besides its own text: `r:file` (another file's text, a
   * Django urls.py its views, a Spring class its application.properties), `h:file` and `d:dir` (whether a file
   * is there, a folder's files), `sr:file` (a file's service root). A change of any re-reads the file.
   */
  protected readonly extractDeps = new Map<string, readonly string[]>();
  protected readonly extractReaders = new Map<string, Set<string>>();
  /** Where has/filesIn/read/serviceRootOf record what an extraction reads (set only while one runs). */
  protected sink: Set<string> | undefined;
  protected problemList: WireProblem[] | undefined;
  protected readonly problems = new Map<string, WireProblem[]>();
  protected readonly byDir = new Map<string, Set<string>>();
  protected serviceRoots = new Set<string>();
  /** serviceRootOf per file (compose asks once per record); cleared when the roots change. */
  protected readonly rootCache = new Map<string, string>();
  protected readonly small = new Map<string, string | undefined>();
  protected stats = { files: 0, parsedFiles: 0, lines: 0, bytes: 0 };

  constructor(readonly root: string) {}

  /** The facts of one file (for the editor: error paths of the file on screen). */
  factsOf(file: string): FileFacts | undefined {
    return this.facts.get(file);
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

  /**
   * Asks the project the question a dependency key stands for (recorded in the sink like any other question).
   * `readAnswer` answers `r:` (by default the file's text; the warm-start cache asks for its size and time).
   */
  protected ask(k: string, readAnswer: (file: string) => string | undefined = (f) => this.read(f)): string | boolean | undefined {
    const colon = k.indexOf(':');
    const arg = k.slice(colon + 1);
    switch (k.slice(0, colon)) {
      case 'r':
        return readAnswer(arg);
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

  protected track(file: string): void {
    const d = dirOf(file);
    let set = this.byDir.get(d);
    if (!set) this.byDir.set(d, (set = new Set()));
    set.add(file);
  }

  protected setExtractDeps(file: string, deps: readonly string[]): void {
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
}
