/**
 * The per-file state of the JavaScript/TypeScript extractor: the nodes one tree-sitter query captured, every
 * function with the name it is known by, lexical scopes and what each name is bound to (import, local function,
 * variable, parameter, class), constant strings, and the routers found so far. The framework readers
 * (frameworks.ts, nest.ts, next.ts, grpc.ts, errors.ts) all work through this.
 */
import type { Node } from '../../node';
import { emptyFacts, type FunctionFact, type ImportFact, type Loc, type RouterFact } from '../../facts';
import type { ExtractInput } from '../../language';
import { locOf, stringValue } from '../../syntax';
import { CLASS_TYPES, isModuleExports, paramName, propertyName, propertyValue, TRANSPARENT, unwrap, type CallSite, type Env } from './syntax';
import { query } from '../../treeSitter';

/** What a name is bound to in some scope. */
export type Binding =
  | { readonly kind: 'var'; readonly name: string; readonly decl: Node; readonly value: Node | undefined }
  | { readonly kind: 'param'; readonly name: string; readonly index: number; readonly fn: Node }
  | { readonly kind: 'function'; readonly name: string; readonly fn: Node }
  | { readonly kind: 'class'; readonly name: string; readonly node: Node }
  | { readonly kind: 'import'; readonly local: string; readonly module: string; readonly name: string };

/** A function-like node and the name it is known by. */
export interface FnInfo {
  readonly node: Node;
  /** Declared or bound name (`default` for an anonymous default export); undefined for an anonymous callback. */
  readonly name: string | undefined;
  /** Class, or object-literal variable, the function belongs to. */
  readonly container: string | undefined;
  readonly params: readonly string[];
  /** `Container.name`, `name`, or `<anonymous@L>`: the prefix of parameter-router names `fn(param)`. */
  readonly qualified: string;
  /** Recorded as a FunctionFact (named functions, and anonymous ones that handle a route). */
  recorded: boolean;
}

const JS_QUERY = `
(import_statement) @import
(call_expression) @call
(new_expression) @new
(variable_declarator) @var
(assignment_expression left: (member_expression)) @assign
(export_statement) @export
[(function_declaration) (generator_function_declaration) (function_expression) (generator_function) (arrow_function) (method_definition)] @fn
(class_declaration) @class
(class) @class
(throw_statement) @throw
(catch_clause) @catch
`;
/** Run only on files that mention `require.main` (a pattern over every member expression is costly). */
const REQUIRE_MAIN_QUERY = '(binary_expression left: (member_expression object: (identifier) property: (property_identifier)) right: (identifier)) @bin';
const TS_QUERY = JS_QUERY + '(abstract_class_declaration) @class\n';

export class JsFile {
  readonly facts;
  readonly root: Node;
  readonly file: string;
  /** Captured nodes by capture name, in document order. */
  readonly nodes = new Map<string, Node[]>();
  /** Function-like nodes by node id. */
  readonly fns = new Map<number, FnInfo>();
  /** Class methods and fields by `Class.member`. */
  readonly members = new Map<string, Node>();
  /** Scope node id (function or program) → name → binding. */
  private readonly scopes = new Map<number, Map<string, Binding>>();
  /** Import bindings by local name. */
  readonly importsByLocal = new Map<string, ImportFact>();
  /** Router facts by name. */
  readonly routers = new Map<string, RouterFact>();
  /** Variable and field names that hold routers (a cheap pre-filter for calls passing routers). */
  readonly routerVars = new Set<string>();
  /** Declarator / class field / assignment node id → the router it creates. */
  readonly routerAt = new Map<number, string>();
  private readonly constCache = new Map<number, string | null>();
  /** Function-like nodes in document order with their extents and enclosing function (index, -1 for none): scopes by position, without walking `.parent` (which costs O(depth) per step). */
  private readonly fnNodes: Node[] = [];
  private readonly fnStart: number[] = [];
  private readonly fnEnd: number[] = [];
  private readonly fnParent: number[] = [];

  constructor(
    readonly input: ExtractInput,
    language: 'javascript' | 'typescript',
  ) {
    this.facts = emptyFacts(input.file, language);
    this.root = input.root;
    this.file = input.file;
    const q = query(input.language, input.grammar, input.grammar === 'javascript' ? JS_QUERY : TS_QUERY);
    for (const c of q.captures(input.root)) {
      let list = this.nodes.get(c.name);
      if (!list) this.nodes.set(c.name, (list = []));
      list.push(c.node);
    }
    if (input.text.includes('require.main')) {
      const main = query(input.language, input.grammar, REQUIRE_MAIN_QUERY).captures(input.root).filter((c) => c.node.childForFieldName('left')?.text === 'require.main' && c.node.childForFieldName('right')?.text === 'module');
      this.nodes.set('reqmain', main.map((c) => c.node));
    }
    this.scopes.set(this.root.id, new Map());
    const open: number[] = [];
    for (const fn of this.of('fn')) {
      const i = this.fnNodes.length;
      this.fnNodes.push(fn);
      this.fnStart.push(fn.startIndex);
      this.fnEnd.push(fn.endIndex);
      while (open.length > 0 && (this.fnEnd[open[open.length - 1] as number] as number) <= fn.startIndex) open.pop();
      this.fnParent.push(open.length > 0 ? (open[open.length - 1] as number) : -1);
      open.push(i);
    }
    for (const fn of this.of('fn')) this.addFunction(fn);
    for (const c of this.of('class')) this.addClass(c);
    for (const d of this.of('var')) this.addDeclarator(d);
  }

  private callSites: CallSite[] | undefined;
  /** Every call of the file with its callee (computed once: the readers all walk them). */
  calls(): readonly CallSite[] {
    if (!this.callSites) {
      this.callSites = [];
      for (const node of this.of('call')) {
        const callee = node.childForFieldName('function');
        if (!callee) continue;
        this.callSites.push({ node, callee, prop: callee.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined });
      }
    }
    return this.callSites;
  }

  /** The captured nodes of one capture name. */
  of(capture: string): readonly Node[] {
    return this.nodes.get(capture) ?? [];
  }

  warn(node: Node, message: string): void {
    this.facts.warnings.push({ line: node.startPosition.row + 1, message });
  }

  // ---- scopes and bindings ----

  /** Index (in fnNodes) of the innermost function around a node; the node itself counts unless `strict`. -1 when none. */
  private fnIndexAt(node: Node, strict: boolean): number {
    const pos = node.startIndex;
    let lo = 0;
    let hi = this.fnStart.length - 1;
    let i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.fnStart[mid] as number) <= pos) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    while (i >= 0 && ((this.fnEnd[i] as number) <= pos || (strict && (this.fnNodes[i] as Node).id === node.id))) i = this.fnParent[i] as number;
    return i;
  }

  /** The functions around a node, innermost first (the node itself counts unless `strict`). */
  *fnsAround(node: Node, strict: boolean): Generator<FnInfo> {
    for (let i = this.fnIndexAt(node, strict); i >= 0; i = this.fnParent[i] as number) {
      const info = this.fns.get((this.fnNodes[i] as Node).id);
      if (info) yield info;
    }
  }

  /** The function (or program) whose scope a node's declarations belong to. */
  scopeOf(node: Node): Node {
    const i = this.fnIndexAt(node, true);
    return i >= 0 ? (this.fnNodes[i] as Node) : this.root;
  }

  /** Binds a name in a scope; the first binding wins unless `override` (imports replace the `const x = require()` variable). */
  bind(scope: Node, name: string, b: Binding, override = false): void {
    let s = this.scopes.get(scope.id);
    if (!s) this.scopes.set(scope.id, (s = new Map()));
    if (override || !s.has(name)) s.set(name, b);
  }

  /** What `name` means at `at`, searching enclosing functions outwards, then the program. */
  lookup(name: string, at: Node): Binding | undefined {
    for (let i = this.fnIndexAt(at, false); i >= 0; i = this.fnParent[i] as number) {
      const b = this.scopes.get((this.fnNodes[i] as Node).id)?.get(name);
      if (b) return b;
    }
    return this.scopes.get(this.root.id)?.get(name);
  }

  // ---- functions ----

  private addFunction(node: Node): void {
    const params: string[] = [];
    const formal = node.childForFieldName('parameters') ?? node.childForFieldName('parameter');
    if (formal) {
      const list = formal.type === 'formal_parameters' ? formal.namedChildren : [formal];
      for (const p of list) {
        if (!p || p.type === 'comment' || p.type === 'decorator') continue;
        const name = paramName(p);
        if (name === 'this') continue;
        params.push(name);
      }
    }
    const { name, container } = this.nameOf(node);
    const qualified = name === undefined ? `<anonymous@${node.startPosition.row + 1}>` : container ? `${container}.${name}` : name;
    const info: FnInfo = { node, name, container, params, qualified, recorded: name !== undefined };
    this.fns.set(node.id, info);
    params.forEach((p, index) => {
      if (/^[\w$]+$/.test(p)) this.bind(node, p, { kind: 'param', name: p, index, fn: node });
    });
    if ((node.type === 'function_declaration' || node.type === 'generator_function_declaration') && name !== undefined) this.bind(this.scopeOf(node), name, { kind: 'function', name, fn: node });
    if (container && name !== undefined && node.type === 'method_definition') this.members.set(`${container}.${name}`, node);
  }

  /** The name a function-like node is known by, from its declaration or where it is assigned. */
  private nameOf(node: Node): { name: string | undefined; container: string | undefined } {
    const own = node.childForFieldName('name');
    const parent = node.parent;
    if (node.type === 'method_definition') {
      const body = parent;
      if (body?.type === 'class_body') return { name: own?.text, container: this.classNameOf(body.parent) };
      if (body?.type === 'object') return { name: own ? propertyName(own) : undefined, container: this.objectOwner(body) };
      return { name: own?.text, container: undefined };
    }
    if (node.type === 'function_declaration' || node.type === 'generator_function_declaration') {
      return { name: own?.text ?? (parent?.type === 'export_statement' ? 'default' : undefined), container: undefined };
    }
    return this.boundName(node, own?.text);
  }

  /** For a function or class expression: the name of what it is assigned to. */
  private boundName(node: Node, own: string | undefined): { name: string | undefined; container: string | undefined } {
    let n = node;
    let p = n.parent;
    // `wrap(async (req, res) => …)` assigned somewhere is named after the assignment (plain wrapper calls only).
    while (p && (TRANSPARENT.has(p.type) || (p.type === 'arguments' && p.parent?.type === 'call_expression' && p.parent.childForFieldName('function')?.type === 'identifier' && p.parent.childForFieldName('function')?.text !== 'require'))) {
      n = p.type === 'arguments' ? (p.parent as Node) : p;
      p = n.parent;
    }
    if (!p) return { name: own, container: undefined };
    switch (p.type) {
      case 'variable_declarator': {
        const id = p.childForFieldName('name');
        return { name: id?.type === 'identifier' ? id.text : own, container: undefined };
      }
      case 'pair': {
        const key = p.childForFieldName('key');
        return { name: key ? propertyName(key) : own, container: p.parent?.type === 'object' ? this.objectOwner(p.parent) : undefined };
      }
      case 'public_field_definition':
      case 'field_definition': {
        const key = p.childForFieldName('name') ?? p.childForFieldName('property');
        return { name: key?.text ?? own, container: this.classNameOf(p.parent?.parent ?? null) };
      }
      case 'assignment_expression': {
        const left = p.childForFieldName('left');
        if (!left || p.childForFieldName('right')?.id !== n.id) return { name: own, container: undefined };
        if (isModuleExports(left)) return { name: own ?? 'default', container: undefined };
        if (left.type === 'member_expression') {
          const prop = left.childForFieldName('property')?.text;
          const obj = left.childForFieldName('object');
          if (obj && (isModuleExports(obj) || obj.text === 'exports')) return { name: prop, container: undefined };
          if (obj?.type === 'this') return { name: prop, container: this.enclosingClass(p) };
          return { name: prop, container: obj?.type === 'identifier' ? obj.text : undefined };
        }
        if (left.type === 'identifier') return { name: left.text, container: undefined };
        return { name: own, container: undefined };
      }
      case 'export_statement':
        return { name: own ?? 'default', container: undefined };
      default:
        return { name: own, container: undefined };
    }
  }

  /** The variable an object literal is assigned to (`const ctrl = { … }`), for its methods' container. */
  private objectOwner(obj: Node): string | undefined {
    let p = obj.parent;
    while (p && TRANSPARENT.has(p.type)) p = p.parent;
    if (p?.type === 'variable_declarator') {
      const id = p.childForFieldName('name');
      return id?.type === 'identifier' ? id.text : undefined;
    }
    return undefined;
  }

  /** The name of a class node (a class expression takes its variable's name). */
  classNameOf(cls: Node | null): string | undefined {
    if (!cls || !CLASS_TYPES.has(cls.type)) return undefined;
    const own = cls.childForFieldName('name')?.text;
    if (own) return own;
    return this.boundName(cls, undefined).name;
  }

  /** The class a node is inside of. */
  enclosingClass(node: Node): string | undefined {
    let n = node.parent;
    while (n) {
      if (CLASS_TYPES.has(n.type)) return this.classNameOf(n);
      n = n.parent;
    }
    return undefined;
  }


  /** Marks an anonymous function as worth a FunctionFact (it handles a route). */
  record(fn: Node): FnInfo | undefined {
    const info = this.fns.get(fn.id);
    if (info) info.recorded = true;
    return info;
  }

  /** The FunctionFacts of every recorded function, with the names each calls. */
  functionFacts(): FunctionFact[] {
    const calls = new Map<number, Set<string>>();
    for (const { node: call, callee, prop } of this.calls()) {
      const name = callee.type === 'identifier' ? callee.text : prop;
      if (!name) continue;
      let owner: FnInfo | undefined;
      for (const f of this.fnsAround(call, true)) {
        if (f.recorded) {
          owner = f;
          break;
        }
      }
      if (!owner) continue;
      let set = calls.get(owner.node.id);
      if (!set) calls.set(owner.node.id, (set = new Set()));
      set.add(name);
    }
    const out: FunctionFact[] = [];
    for (const info of this.fns.values()) {
      if (!info.recorded) continue;
      out.push({ name: info.name ?? '<anonymous>', container: info.container, params: info.params, loc: this.fnLoc(info.node), calls: [...(calls.get(info.node.id) ?? [])] });
    }
    return out;
  }

  /** Where a function starts (its declaration, `export` and decorators aside) and the last line of its body. */
  fnLoc(fn: Node): Loc {
    return locOf(fn, true);
  }

  /** The display name of a function: `Container.name`, `name` or `<anonymous>`. */
  display(info: FnInfo): string {
    if (info.name === undefined) return '<anonymous>';
    return info.container ? `${info.container}.${info.name}` : info.name;
  }

  // ---- classes and declarations ----

  private addClass(node: Node): void {
    const name = this.classNameOf(node);
    if (!name) return;
    if (node.type !== 'class') this.bind(this.scopeOf(node), name, { kind: 'class', name, node });
    const body = node.childForFieldName('body');
    for (const m of body?.namedChildren ?? []) {
      if (!m || (m.type !== 'public_field_definition' && m.type !== 'field_definition')) continue;
      const key = m.childForFieldName('name') ?? m.childForFieldName('property');
      if (key) this.members.set(`${name}.${key.text}`, m);
    }
  }

  private addDeclarator(d: Node): void {
    const id = d.childForFieldName('name');
    if (id?.type !== 'identifier') return;
    const value = d.childForFieldName('value') ?? undefined;
    this.bind(this.scopeOf(d), id.text, { kind: 'var', name: id.text, decl: d, value: value ?? undefined });
  }

  /** Registers an import binding (ESM import, require, re-export) at the program or function scope. */
  addImport(local: string, module: string, name: string, at: Node | undefined): void {
    if (!this.importsByLocal.has(local)) {
      const fact: ImportFact = { local, module, name };
      this.importsByLocal.set(local, fact);
      this.facts.imports.push(fact);
    }
    if (at) this.bind(this.scopeOf(at), local, { kind: 'import', local, module, name }, true);
  }

  // ---- routers ----

  addRouter(name: string, framework: string, at: Node, prefix?: string): void {
    if (this.routers.has(name)) return;
    const r: RouterFact = { name, framework, prefix, style: 'colon', loc: locOf(at) };
    this.routers.set(name, r);
    this.facts.routers.push(r);
  }

  // ---- constant strings ----

  /**
   * The constant string an expression evaluates to: literals, templates and `+` over constants, `const` names,
   * `this.path` class fields and `obj.KEY` of a constant object. `env` maps loop names to table values.
   */
  constString(node: Node | null | undefined, env?: Env, depth = 0): string | undefined {
    if (!node || depth > 8) return undefined;
    const n = unwrap(node);
    const lit = stringValue(n);
    if (lit !== undefined) return lit;
    switch (n.type) {
      case 'template_string': {
        let s = '';
        for (let i = 0; i < n.namedChildCount; i++) {
          const c = n.namedChild(i);
          if (!c) continue;
          if (c.type === 'template_substitution') {
            const v = this.constString(c.namedChild(0), env, depth + 1);
            if (v === undefined) return undefined;
            s += v;
          } else if (c.type === 'string_fragment' || c.type === 'escape_sequence') s += c.type === 'escape_sequence' ? c.text.slice(1) : c.text;
        }
        return s;
      }
      case 'binary_expression': {
        if (n.childForFieldName('operator')?.text !== '+') return undefined;
        const l = this.constString(n.childForFieldName('left'), env, depth + 1);
        const r = l === undefined ? undefined : this.constString(n.childForFieldName('right'), env, depth + 1);
        return l === undefined || r === undefined ? undefined : l + r;
      }
      case 'identifier': {
        const e = env?.get(n.text);
        if (e) return this.constString(e, undefined, depth + 1);
        return this.constOfName(n.text, n, depth);
      }
      case 'member_expression': {
        const obj = n.childForFieldName('object');
        const prop = n.childForFieldName('property')?.text;
        if (!obj || !prop) return undefined;
        if (obj.type === 'this') {
          const cls = this.enclosingClass(n);
          const field = cls ? this.members.get(`${cls}.${prop}`) : undefined;
          return field && field.type !== 'method_definition' ? this.constString(field.childForFieldName('value'), undefined, depth + 1) : undefined;
        }
        const target = this.objectValue(obj, env);
        return target ? this.constString(propertyValue(target, prop), undefined, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }

  private constOfName(name: string, at: Node, depth: number): string | undefined {
    const b = this.lookup(name, at);
    if (b?.kind !== 'var' || !b.value) return undefined;
    const cached = this.constCache.get(b.decl.id);
    if (cached !== undefined) return cached ?? undefined;
    this.constCache.set(b.decl.id, null);
    const v = this.constString(b.value, undefined, depth + 1);
    this.constCache.set(b.decl.id, v ?? null);
    return v;
  }

  /** The object literal an expression denotes (a literal, a loop value, or a `const` bound to one). */
  objectValue(node: Node, env?: Env): Node | undefined {
    const n = unwrap(node);
    if (n.type === 'object') return n;
    if (n.type !== 'identifier') return undefined;
    const e = env?.get(n.text);
    if (e) return e.type === 'object' ? e : undefined;
    const b = this.lookup(n.text, n);
    const v = b?.kind === 'var' && b.value ? unwrap(b.value) : undefined;
    return v?.type === 'object' ? v : undefined;
  }
}
