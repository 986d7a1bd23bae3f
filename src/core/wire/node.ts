/**
 * A lean syntax-node layer over web-tree-sitter (@vscode/tree-sitter-wasm): the extractors' view of a tree.
 *
 * web-tree-sitter's own `Node` costs more than the tree-sitter call behind it: each node object runs class-field
 * initialisers (one of them an indexed element), every call marshals the node through `setValue`/`getValue` (a
 * switch on a type string per int), `childForFieldName` searches the field-name list, and `type` crosses into
 * wasm on every read. On the wire scan of a 200k-line tree that was about a tenth of the CPU.
 *
 * This layer calls the same exported C functions of the same wasm module, with the same five-int node layout in
 * the same transfer buffer, but writes and reads `HEAP32` directly, caches a node's type, end and children, and
 * looks fields up in a Map. Trees, parsers, languages and queries stay web-tree-sitter's; `rootOf` wraps a tree's
 * root and `CompiledQuery` a query. The node API is the subset of web-tree-sitter's the extractors use, with the same
 * results (the wire unit tests and a node-by-node comparison test check that).
 */
import type { Language, Query, Tree } from '@vscode/tree-sitter-wasm';

/** The emscripten module behind web-tree-sitter (what `Parser.init` fills in): the C functions this layer calls. */
export interface TreeSitterModule {
  HEAP32: Int32Array;
  _ts_init(): number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _ts_node_symbol_wasm(tree: number): number;
  _ts_node_end_index_wasm(tree: number): number;
  _ts_node_end_point_wasm(tree: number): void;
  _ts_node_parent_wasm(tree: number): void;
  _ts_node_child_wasm(tree: number, index: number): void;
  _ts_node_named_child_wasm(tree: number, index: number): void;
  _ts_node_child_count_wasm(tree: number): number;
  _ts_node_named_child_count_wasm(tree: number): number;
  _ts_node_children_wasm(tree: number): void;
  _ts_node_named_children_wasm(tree: number): void;
  _ts_node_child_by_field_id_wasm(tree: number, field: number): void;
  _ts_node_children_by_field_id_wasm(tree: number, field: number): void;
  _ts_node_prev_named_sibling_wasm(tree: number): void;
  _ts_node_descendants_of_type_wasm(tree: number, symbols: number, count: number, startRow: number, startColumn: number, endRow: number, endColumn: number): void;
  _ts_tree_cursor_new_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_wasm(tree: number): void;
  _ts_query_captures_wasm(query: number, tree: number, startRow: number, startColumn: number, endRow: number, endColumn: number, startIndex: number, endIndex: number, matchLimit: number, maxStartDepth: number, timeoutMicros: number): void;
  _ts_query_matches_wasm(query: number, tree: number, startRow: number, startColumn: number, endRow: number, endColumn: number, startIndex: number, endIndex: number, matchLimit: number, maxStartDepth: number, timeoutMicros: number): void;
}

let C: TreeSitterModule | undefined;
/** The transfer buffer web-tree-sitter and its C side exchange nodes and cursors through, as an index into HEAP32. */
let TB = 0;
/** Ints per node in the transfer buffer: id, start index, start row, start column, alias ("other"). */
const NODE_INTS = 5;
/** "No limit" for query match limits and start depths (0xFFFFFFFF as the C side's uint32). */
const UNLIMITED = -1;

/** Binds the layer to the module `Parser.init` filled in (treeSitter.ts calls it once per thread). */
export function bindModule(mod: TreeSitterModule): void {
  C = mod;
  TB = mod._ts_init() >> 2;
}

function mod(): TreeSitterModule {
  if (!C) throw new Error('tree-sitter is not initialised');
  return C;
}

/** What the layer needs of a grammar: type names by symbol, field IDs by name (first one, as `indexOf` gives). */
class Grammar {
  readonly types: readonly string[];
  readonly fields = new Map<string, number>();
  private readonly symbolLists = new Map<string, Int32Array>();
  constructor(language: Language) {
    const l = language as unknown as { types: string[]; fields: (string | null)[] };
    this.types = l.types;
    l.fields.forEach((f, i) => {
      if (f !== null && !this.fields.has(f)) this.fields.set(f, i);
    });
  }
  /** The symbols of some type names (as web-tree-sitter's descendantsOfType finds them), cached by the names. */
  symbols(types: readonly string[]): Int32Array {
    const key = types.join('\0');
    let s = this.symbolLists.get(key);
    if (!s) {
      const list: number[] = [];
      if (types.includes('ERROR')) list.push(65535);
      this.types.forEach((t, i) => {
        if (types.includes(t)) list.push(i);
      });
      s = Int32Array.from(list);
      this.symbolLists.set(key, s);
    }
    return s;
  }
}
const grammars = new WeakMap<Language, Grammar>();

/** One tree as the nodes see it: its address in wasm memory, its text and its grammar. */
class TreeRef {
  constructor(
    readonly ptr: number,
    readonly text: string,
    readonly grammar: Grammar,
  ) {}
}

/** Writes a node where the C side reads it. */
function put(n: SyntaxNode): void {
  const h = (C as TreeSitterModule).HEAP32;
  h[TB] = n.id;
  h[TB + 1] = n.startIndex;
  h[TB + 2] = n.row;
  h[TB + 3] = n.column;
  h[TB + 4] = n.alias;
}

/** The node at HEAP32[at] (written by the C side), or null for a null node. Reads HEAP32 afresh: memory may have grown. */
function take(tree: TreeRef, at = TB): SyntaxNode | null {
  const h = (C as TreeSitterModule).HEAP32;
  const id = h[at] as number;
  if (id === 0) return null;
  return new SyntaxNode(tree, id, h[at + 1] as number, h[at + 2] as number, h[at + 3] as number, h[at + 4] as number);
}

/** A list of nodes the C side left at a malloc'd address (count and address in the transfer buffer); frees it. */
function takeList(tree: TreeRef): (SyntaxNode | null)[] {
  const c = C as TreeSitterModule;
  const count = c.HEAP32[TB] as number;
  const address = c.HEAP32[TB + 1] as number;
  const out = new Array<SyntaxNode | null>(count);
  if (count > 0) {
    let at = address >> 2;
    for (let i = 0; i < count; i++, at += NODE_INTS) out[i] = take(tree, at);
    c._free(address);
  }
  return out;
}

export interface Point {
  row: number;
  column: number;
}

/** A syntax node: what web-tree-sitter's `Node` offers the extractors, with the same results. */
export class SyntaxNode {
  private typeName: string | undefined = undefined;
  private end = -1;
  private named: (SyntaxNode | null)[] | undefined = undefined;
  private all: (SyntaxNode | null)[] | undefined = undefined;

  constructor(
    readonly tree: TreeRef,
    /** Unique within a tree (and kept by nodes an incremental parse reuses). */
    readonly id: number,
    /** UTF-16 index of the node's start in the text. */
    readonly startIndex: number,
    readonly row: number,
    readonly column: number,
    /** The alias symbol tree-sitter keeps with the node. */
    readonly alias: number,
  ) {}

  get type(): string {
    let t = this.typeName;
    if (t === undefined) {
      const c = mod();
      put(this);
      t = this.tree.grammar.types[c._ts_node_symbol_wasm(this.tree.ptr)] || 'ERROR';
      this.typeName = t;
    }
    return t;
  }

  get startPosition(): Point {
    return { row: this.row, column: this.column };
  }

  get endIndex(): number {
    let e = this.end;
    if (e < 0) {
      put(this);
      e = mod()._ts_node_end_index_wasm(this.tree.ptr);
      this.end = e;
    }
    return e;
  }

  get endPosition(): Point {
    const c = mod();
    put(this);
    c._ts_node_end_point_wasm(this.tree.ptr);
    return { row: c.HEAP32[TB] as number, column: c.HEAP32[TB + 1] as number };
  }

  get text(): string {
    return this.tree.text.slice(this.startIndex, this.endIndex);
  }

  get parent(): SyntaxNode | null {
    put(this);
    mod()._ts_node_parent_wasm(this.tree.ptr);
    return take(this.tree);
  }

  get childCount(): number {
    put(this);
    return mod()._ts_node_child_count_wasm(this.tree.ptr);
  }

  get namedChildCount(): number {
    put(this);
    return mod()._ts_node_named_child_count_wasm(this.tree.ptr);
  }

  child(index: number): SyntaxNode | null {
    put(this);
    mod()._ts_node_child_wasm(this.tree.ptr, index);
    return take(this.tree);
  }

  namedChild(index: number): SyntaxNode | null {
    put(this);
    mod()._ts_node_named_child_wasm(this.tree.ptr, index);
    return take(this.tree);
  }

  get lastNamedChild(): SyntaxNode | null {
    return this.namedChild(this.namedChildCount - 1);
  }

  get previousNamedSibling(): SyntaxNode | null {
    put(this);
    mod()._ts_node_prev_named_sibling_wasm(this.tree.ptr);
    return take(this.tree);
  }

  /** Every child, the anonymous ones (punctuation, keywords) too. */
  get children(): (SyntaxNode | null)[] {
    let list = this.all;
    if (!list) {
      put(this);
      mod()._ts_node_children_wasm(this.tree.ptr);
      list = takeList(this.tree);
      this.all = list;
    }
    return list;
  }

  get namedChildren(): (SyntaxNode | null)[] {
    let list = this.named;
    if (!list) {
      put(this);
      mod()._ts_node_named_children_wasm(this.tree.ptr);
      list = takeList(this.tree);
      this.named = list;
    }
    return list;
  }

  childForFieldName(field: string): SyntaxNode | null {
    const id = this.tree.grammar.fields.get(field);
    if (id === undefined) return null;
    put(this);
    mod()._ts_node_child_by_field_id_wasm(this.tree.ptr, id);
    return take(this.tree);
  }

  childrenForFieldName(field: string): (SyntaxNode | null)[] {
    const id = this.tree.grammar.fields.get(field);
    if (id === undefined || id === 0) return [];
    put(this);
    mod()._ts_node_children_by_field_id_wasm(this.tree.ptr, id);
    return takeList(this.tree);
  }

  /** The descendants of these types, in document order (tree-sitter's own search, as web-tree-sitter's). */
  descendantsOfType(types: string | readonly string[]): (SyntaxNode | null)[] {
    const symbols = this.tree.grammar.symbols(typeof types === 'string' ? [types] : types);
    const c = mod();
    const address = c._malloc(4 * symbols.length);
    c.HEAP32.set(symbols, address >> 2);
    put(this);
    c._ts_node_descendants_of_type_wasm(this.tree.ptr, address, symbols.length, 0, 0, 0, 0);
    const count = c.HEAP32[TB] as number;
    const found = c.HEAP32[TB + 1] as number;
    const out = new Array<SyntaxNode | null>(count);
    for (let i = 0, at = found >> 2; i < count; i++, at += NODE_INTS) out[i] = take(this.tree, at);
    c._free(found);
    c._free(address);
    return out;
  }

  equals(other: SyntaxNode): boolean {
    return this.tree === other.tree && this.id === other.id;
  }
}

/** What the extractors call a node. */
export type Node = SyntaxNode;

/** The root node of a tree parsed from `text`. */
export function rootOf(tree: Tree, text: string): SyntaxNode {
  const t = tree as unknown as { 0: number; language: Language; rootNode: { id: number; startIndex: number; startPosition: Point; 0: number } };
  let g = grammars.get(t.language);
  if (!g) {
    g = new Grammar(t.language);
    grammars.set(t.language, g);
  }
  const r = t.rootNode;
  return new SyntaxNode(new TreeRef(t[0], text, g), r.id, r.startIndex, r.startPosition.row, r.startPosition.column, r[0]);
}

/**
 * Every descendant of `node` (itself included) whose type is in `types`, in document order: one tree-sitter cursor
 * walk that makes node objects only for what it returns.
 */
export function descendants(node: SyntaxNode, types: ReadonlySet<string>): SyntaxNode[] {
  const c = mod();
  const tree = node.tree;
  const names = tree.grammar.types;
  const out: SyntaxNode[] = [];
  put(node);
  c._ts_tree_cursor_new_wasm(tree.ptr);
  // The cursor is four ints, kept here: written to the transfer buffer before each call and read back after it.
  const cursor = c.HEAP32.slice(TB, TB + 4);
  const call = (fn: (tree: number) => number | void): number => {
    c.HEAP32.set(cursor, TB);
    const r = fn(tree.ptr) ?? 0;
    cursor.set(c.HEAP32.subarray(TB, TB + 4));
    return r;
  };
  try {
    outer: for (;;) {
      c.HEAP32.set(cursor, TB);
      if (types.has(names[c._ts_tree_cursor_current_node_type_id_wasm(tree.ptr)] || 'ERROR')) {
        c.HEAP32.set(cursor, TB);
        c._ts_tree_cursor_current_node_wasm(tree.ptr);
        const n = take(tree);
        if (n) out.push(n);
      }
      if (call(c._ts_tree_cursor_goto_first_child_wasm)) continue;
      for (;;) {
        if (call(c._ts_tree_cursor_goto_next_sibling_wasm)) continue outer;
        if (!call(c._ts_tree_cursor_goto_parent_wasm)) break outer;
      }
    }
  } finally {
    call(c._ts_tree_cursor_delete_wasm);
  }
  return out;
}

export interface QueryCapture {
  name: string;
  node: SyntaxNode;
}

export interface QueryMatch {
  pattern: number;
  patternIndex: number;
  captures: QueryCapture[];
}

interface QueryInternals {
  0: number;
  captureNames: string[];
  textPredicates: ((captures: QueryCapture[]) => boolean)[][];
}

/**
 * A web-tree-sitter query run over our nodes: the same C call and the same text predicates (#eq?, #match?, …) as
 * `Query.captures`/`Query.matches`, without a start/end range or limits (the extractors use none).
 */
export class CompiledQuery {
  private readonly q: QueryInternals;
  constructor(readonly query: Query) {
    this.q = query as unknown as QueryInternals;
  }

  /** Every capture of every match, in the order they appear. */
  captures(node: SyntaxNode): QueryCapture[] {
    const out: QueryCapture[] = [];
    this.run(node, true, (pattern, captures, captureIndex) => {
      if (this.passes(pattern, captures)) out.push(captures[captureIndex] as QueryCapture);
    });
    return out;
  }

  /** Every match with its captures. */
  matches(node: SyntaxNode): QueryMatch[] {
    const out: QueryMatch[] = [];
    this.run(node, false, (pattern, captures) => {
      if (this.passes(pattern, captures)) out.push({ pattern, patternIndex: pattern, captures });
    });
    return out;
  }

  /**
   * Runs the query over `node` (ts_query_captures_wasm, or _matches_wasm) and hands each result to `each`. A
   * captures result carries the index of its capture after the count; a matches result does not.
   */
  private run(node: SyntaxNode, byCapture: boolean, each: (pattern: number, captures: QueryCapture[], captureIndex: number) => void): void {
    const c = mod();
    put(node);
    (byCapture ? c._ts_query_captures_wasm : c._ts_query_matches_wasm)(this.q[0], node.tree.ptr, 0, 0, 0, 0, 0, 0, UNLIMITED, UNLIMITED, 0);
    const count = c.HEAP32[TB] as number;
    const start = c.HEAP32[TB + 1] as number;
    let at = start >> 2;
    for (let i = 0; i < count; i++) {
      const h = c.HEAP32;
      const pattern = h[at] as number;
      const captures = new Array<QueryCapture>(h[at + 1] as number);
      const captureIndex = byCapture ? (h[at + 2] as number) : 0;
      at += byCapture ? 3 : 2;
      at = this.readCaptures(node.tree, at, captures);
      each(pattern, captures, captureIndex);
    }
    c._free(start);
  }

  private readCaptures(tree: TreeRef, at: number, into: QueryCapture[]): number {
    const names = this.q.captureNames;
    for (let i = 0; i < into.length; i++) {
      const index = (C as TreeSitterModule).HEAP32[at] as number;
      into[i] = { name: names[index] as string, node: take(tree, at + 1) as SyntaxNode };
      at += 1 + NODE_INTS;
    }
    return at;
  }

  private passes(pattern: number, captures: QueryCapture[]): boolean {
    const predicates = this.q.textPredicates[pattern];
    if (!predicates) return true;
    for (const p of predicates) if (!p(captures)) return false;
    return true;
  }
}
