/**
 * Parsing and extraction: a parser per grammar, the trees of the files being edited (kept so their next version
 * parses incrementally), and extract(), which runs a language's extractor and records what it read of the project.
 */
import type { Parser, Tree } from '@vscode/tree-sitter-wasm';
import { rootOf, type Node } from '../node';
import type { FileFacts } from '../facts';
import type { LanguageSupport } from '../language';
import { supportFor } from '../languages';
import { language, parser, type Grammar } from '../treeSitter';
import { IndexProject } from './project';
import { textEdit } from './text';

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

/** How many files' trees are kept for incremental parsing (the files being edited). */
const RECENT_TREES = 8;

export abstract class IndexParser extends IndexProject {
  protected readonly parsers = new Map<Grammar, Parser>();
  /**
   * The last tree and text of the files re-read by update() (the ones being edited), most recent last: the next
   * update of one parses incrementally from it (tree-sitter reuses what the edit did not touch).
   */
  protected readonly recentTrees = new Map<string, { text: string; tree: Tree; grammar: Grammar }>();
  /** Parse and extract time of the readFiles() call running (undefined outside one). */
  protected timing: ReadTiming | undefined;

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
      return use(rootOf(tree, text));
    } finally {
      tree.delete();
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

  /**
   * Parses and extracts one file; `deps`: what the extractor read of the project besides the file. With a tree
   * kept from the file's last update, the parse is incremental; `keep` keeps the new tree (so does a file whose
   * tree was kept already).
   */
  protected async extract(sup: LanguageSupport, file: string, text: string, keep = false): Promise<{ facts: FileFacts | undefined; deps: string[] }> {
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
      const facts = sup.extract({ root: rootOf(tree, text), text, file, language: lang, grammar, project: this });
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

  protected dropTrees(): void {
    for (const t of this.recentTrees.values()) t.tree.delete();
    this.recentTrees.clear();
  }
}
