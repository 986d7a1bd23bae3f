/**
 * Reads one Go file's wire facts from its tree-sitter tree: routers and their groups/mounts (net/http, gorilla/mux,
 * chi, gin, echo, fiber), routes and their handlers, routers passed to or returned from functions, loops over
 * literal route tables, gRPC implementations, entry points and error exits.
 *
 * The reader walks each function once, in order, with a scope of what every variable holds as far as the syntax
 * tells (a router, a value of a named type, a func literal, a constant expression, a row of a route table).
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { emptyFacts, type FileFacts, type HandlerRef, type Loc, type Ref } from '../../facts';
import type { ProjectView } from '../../language';
import type { ErrorKind } from '../../model';
import { locOf, shortText, stringValue } from '../../syntax';
import {
  ABORTS,
  CONSTRUCTORS,
  defaultBinding,
  ERROR_PACKAGES,
  frameworkOfModule,
  GORILLA_HANDLERS,
  GORILLA_MATCHERS,
  GROUP_METHODS,
  type GoFramework,
  guessFramework,
  LISTEN_BY_NAME,
  LISTENERS,
  ROUTE_CALLS,
  ROUTER_METHODS,
  ROUTER_TYPES,
  type RouteCallSpec,
  STATUS,
  STATUS_FIRST,
  STYLE,
} from './frameworks';
import { goModOf, type GoMod, inModule } from './module';

type Facts = ReturnType<typeof emptyFacts>;

interface RouterVal {
  readonly k: 'router';
  readonly ref: Ref;
  readonly fw: GoFramework | undefined;
  /** Known to be a router (created, typed); otherwise only a guess from how it is used. */
  readonly sure: boolean;
}

/** What an expression holds, as far as the syntax tells. */
type Val =
  | RouterVal
  /** A value of a named type (`pkg` = import binding, absent = this package); `origin` = the function that returned it. */
  | { readonly k: 'obj'; readonly pkg?: string | undefined; readonly type?: string | undefined; readonly origin?: Ref | undefined }
  | { readonly k: 'func'; readonly node: Node }
  /** An expression to evaluate where it was written (constants, table cells, literal tables). */
  | { readonly k: 'expr'; readonly node: Node; readonly scope: Scope }
  /** One struct of a literal route table, by field name. */
  | { readonly k: 'row'; readonly fields: ReadonlyMap<string, Node>; readonly scope: Scope }
  /** A parameter or variable of a declared type, read when first used. */
  | { readonly k: 'typed'; readonly type: Node; readonly routerName: string; readonly at: Node }
  | { readonly k: 'none' };

const NONE: Val = { k: 'none' };

class Scope {
  private readonly vars = new Map<string, Val>();
  constructor(readonly parent?: Scope) {}
  get(name: string): Val | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
  set(name: string, v: Val): void {
    if (name !== '_') this.vars.set(name, v);
  }
  /** `x = …`: updates the scope that declared x (or this one). */
  assign(name: string, v: Val): void {
    if (!this.update(name, v)) this.set(name, v);
  }
  private update(name: string, v: Val): boolean {
    if (this.vars.has(name)) {
      this.vars.set(name, v);
      return true;
    }
    return this.parent?.update(name, v) ?? false;
  }
}

/** The function being read. */
interface Fn {
  /** `Container.name` for methods, `name` for functions; '' at package level. */
  readonly qual: string;
  /** For error records: the function or method name. */
  readonly name: string;
  /** Inside a function body (errors are only recorded there). */
  readonly inside: boolean;
  /** Inside a func literal (its `return` is not the function's). */
  readonly literal: boolean;
  /** The declared result is a router type. */
  readonly returnsRouter: GoFramework | undefined;
  /** The declared result is `http.Handler` (a router behind an interface). */
  readonly returnsHandler?: boolean | undefined;
  readonly calls: Set<string>;
}

interface TypeInfo {
  readonly fields: readonly { readonly name: string; readonly type: Node }[];
  readonly loc: Loc;
}

interface Row {
  readonly key: Val;
  readonly value: Val;
  readonly loc: Loc;
}

const SCOPED: ReadonlySet<string> = new Set([
  'if_statement',
  'expression_switch_statement',
  'type_switch_statement',
  'select_statement',
  'expression_case',
  'type_case',
  'default_case',
  'communication_case',
]);
const PLAIN_EXPRESSIONS: ReadonlySet<string> = new Set(['argument_list', 'selector_expression', 'binary_expression', 'unary_expression', 'index_expression', 'expression_list', 'keyed_element', 'literal_element', 'expression_statement', 'inc_statement', 'dec_statement', 'send_statement']);
const TABLE_TYPES: ReadonlySet<string> = new Set(['slice_type', 'array_type', 'implicit_length_array_type', 'map_type']);
/** Nodes the walk never enters: names, literals, types. */
const SKIP: ReadonlySet<string> = new Set([
  'comment',
  'interpreted_string_literal',
  'raw_string_literal',
  'int_literal',
  'float_literal',
  'rune_literal',
  'imaginary_literal',
  'nil',
  'true',
  'false',
  'iota',
  'identifier',
  'field_identifier',
  'type_identifier',
  'package_identifier',
  'qualified_type',
  'pointer_type',
  'slice_type',
  'array_type',
  'map_type',
  'channel_type',
  'function_type',
  'interface_type',
  'struct_type',
  'generic_type',
  'type_arguments',
  'parameter_list',
]);

const ERR_NAME = /^err$|^err[A-Z0-9_]|^Err[A-Z0-9]|[a-z0-9](?:Err|Error)$/;
const GRPC_MARKER = /^(?:Unimplemented|Unsafe)(\w+)Server$/;
const GRPC_STREAM = /^(\w+)_\w+Server$/;
const GRPC_REGISTER = /^Register(\w+)Server$/;

/** Reads the facts of one Go file. Never throws on odd code: what is not understood is skipped or warned about. */
export function readGo(root: Node, file: string, project: ProjectView): FileFacts {
  return new GoReader(root, file, project).read();
}

class GoReader {
  private readonly facts: Facts;
  /** Import binding → import path. */
  private readonly imports = new Map<string, string>();
  private readonly imported = new Set<GoFramework>();
  private readonly types = new Map<string, TypeInfo>();
  /** Top-level functions of this file by name. */
  private readonly funcs = new Map<string, Node>();
  /** Methods of this file by receiver type. */
  private readonly methods = new Map<string, { name: string; loc: Loc }[]>();
  /** Type → gRPC services it implements (by marker in this file). */
  private readonly grpc = new Map<string, Set<string>>();
  private readonly routerNames = new Set<string>();
  /** Router-creating calls already read, by node id. */
  private readonly memo = new Map<number, Val>();
  /** What other calls evaluated to (outside route tables), by node id. */
  private readonly callCache = new Map<number, Val>();
  /** The name a router created by this call should get (the variable or field it is assigned to), by node id. */
  private readonly hints = new Map<number, { name: string; reuse: boolean }>();
  /** Func literals whose first parameter is a known router (chi Route/Group, fiber Route callbacks), by node id. */
  private readonly literalRouters = new Map<number, RouterVal>();
  private readonly pkgScope = new Scope();
  /** Package-level names not yet evaluated (evaluated on first use, so order does not matter). */
  private readonly lazy = new Map<string, Node>();
  private readonly seen = new Set<string>();
  /** Inside an expanded route table: the row's position, used as the registration site. */
  private rowLoc: Loc | undefined;
  private readonly isTest: boolean;
  /** The file's go.mod (module path and local replaces), read once. */
  private readonly mod: GoMod | undefined;

  constructor(
    private readonly root: Node,
    file: string,
    project: ProjectView,
  ) {
    this.facts = emptyFacts(file, 'go');
    this.isTest = file.endsWith('_test.go');
    this.mod = goModOf(file, project);
  }

  read(): FileFacts {
    let isMain = false;
    const decls: Node[] = [];
    for (const n of this.root.namedChildren) {
      if (!n) continue;
      if (n.type === 'package_clause') isMain = n.namedChildren[0]?.text === 'main';
      else if (n.type === 'import_declaration') this.readImports(n);
      else if (n.type === 'type_declaration') this.readTypes(n);
      else decls.push(n);
    }
    // Package-level names first, so functions can use them in any order.
    for (const n of decls) {
      if (n.type === 'function_declaration') {
        const name = n.childForFieldName('name')?.text;
        if (name) {
          this.funcs.set(name, n);
          this.facts.exports[name] = name;
        }
      } else if (n.type === 'var_declaration' || n.type === 'const_declaration') this.declarePackage(n);
    }
    for (const n of decls) {
      if (n.type === 'function_declaration' || n.type === 'method_declaration') this.readFunction(n, isMain);
      else if (n.type === 'var_declaration') this.walkPackageVars(n);
    }
    this.emitGrpc();
    return this.facts;
  }

  // ---- declarations -------------------------------------------------------------------------------------------

  private readImports(decl: Node): void {
    const list = decl.namedChildren.find((c) => c?.type === 'import_spec_list');
    for (const spec of list ? list.namedChildren : decl.namedChildren) {
      if (spec?.type !== 'import_spec') continue;
      const path = spec.childForFieldName('path')?.text.slice(1, -1);
      if (!path) continue;
      const alias = spec.childForFieldName('name');
      if (alias && (alias.type === 'blank_identifier' || alias.type === 'dot')) continue;
      const local = alias?.text ?? defaultBinding(path);
      this.imports.set(local, path);
      this.facts.imports.push({ local, module: path, name: '*' });
      const fw = frameworkOfModule(path);
      if (fw) this.imported.add(fw);
    }
  }

  private readTypes(decl: Node): void {
    for (const spec of decl.namedChildren) {
      if (!spec || spec.type !== 'type_spec') continue;
      const name = spec.childForFieldName('name')?.text;
      const t = spec.childForFieldName('type');
      if (!name || !t || t.type !== 'struct_type') continue;
      const fields: { name: string; type: Node }[] = [];
      for (const fd of t.descendantsOfType('field_declaration')) {
        if (!fd || fd.parent?.parent?.id !== t.id) continue;
        const type = fd.childForFieldName('type');
        if (!type) continue;
        const names = fd.childrenForFieldName('name').filter((x): x is Node => x !== null);
        if (names.length === 0) {
          // embedded: pb.UnimplementedArticleServiceServer marks a gRPC implementation
          const marker = GRPC_MARKER.exec(this.typeName(type)?.name ?? '');
          if (marker) this.addGrpc(name, marker[1] as string);
          continue;
        }
        for (const n of names) {
          fields.push({ name: n.text, type });
          const fw = this.routerType(type);
          if (fw) this.ensureRouter(`${name}.${n.text}`, fw, locOf(n));
        }
      }
      this.types.set(name, { fields, loc: locOf(spec) });
    }
  }

  private declarePackage(decl: Node): void {
    for (const spec of decl.descendantsOfType(['var_spec', 'const_spec'])) {
      if (!spec || !this.isTopLevel(spec)) continue;
      const names = spec.childrenForFieldName('name').filter((x): x is Node => x !== null);
      const values = spec.childForFieldName('value')?.namedChildren.filter((x): x is Node => x !== null) ?? [];
      const type = spec.childForFieldName('type');
      names.forEach((n, i) => {
        this.facts.exports[n.text] = n.text;
        const v = values.length === names.length ? values[i] : undefined;
        if (v) {
          this.lazy.set(n.text, v);
          this.hints.set(v.id, { name: n.text, reuse: true });
        } else if (type) this.pkgScope.set(n.text, this.typedVal(type, n.text, locOf(n)));
      });
    }
  }

  private isTopLevel(spec: Node): boolean {
    let p = spec.parent;
    while (p && (p.type === 'var_spec_list' || p.type === 'var_declaration' || p.type === 'const_declaration')) p = p.parent;
    return p?.type === 'source_file';
  }

  /** Package-level values are walked too: func literals assigned to vars are handlers, `var r = chi.NewRouter()` a router. */
  private walkPackageVars(decl: Node): void {
    for (const spec of decl.descendantsOfType('var_spec')) {
      if (!spec || !this.isTopLevel(spec)) continue;
      const names = spec.childrenForFieldName('name').filter((x): x is Node => x !== null);
      const values = spec.childForFieldName('value')?.namedChildren.filter((x): x is Node => x !== null) ?? [];
      values.forEach((v, i) => {
        const name = names[i]?.text ?? '_';
        if (v.type === 'func_literal') this.facts.functions.push({ name, params: this.bindParams(v.childForFieldName('parameters'), new Scope(), name), loc: locOf(v, true), calls: [] });
        this.lookup(name, this.pkgScope);
        this.walk(v, this.pkgScope, { qual: '', name, inside: false, literal: false, returnsRouter: undefined, calls: new Set() });
      });
    }
  }

  private readFunction(node: Node, isMain: boolean): void {
    const name = node.childForFieldName('name')?.text;
    const body = node.childForFieldName('body');
    if (!name) return;
    let container: string | undefined;
    const scope = new Scope(this.pkgScope);
    const receiver = node.childForFieldName('receiver');
    if (receiver) {
      const p = receiver.namedChildren.find((c) => c?.type === 'parameter_declaration');
      const t = p?.childForFieldName('type');
      container = t ? this.typeName(t)?.name : undefined;
      const rname = p?.childForFieldName('name')?.text;
      if (rname && container) scope.set(rname, { k: 'obj', type: container });
    }
    const qual = container ? `${container}.${name}` : name;
    const params = node.childForFieldName('parameters');
    const paramNames = this.bindParams(params, scope, qual);
    if (container) {
      let list = this.methods.get(container);
      if (!list) this.methods.set(container, (list = []));
      list.push({ name, loc: locOf(node, true) });
      this.streamMarkers(container, params);
    }
    const result = node.childForFieldName('result');
    const resultType = result ? this.typeName(result) : undefined;
    const returnsHandler = resultType?.name === 'Handler' && resultType.pkg !== undefined && this.imports.get(resultType.pkg) === 'net/http';
    const fn: Fn = { qual, name, inside: true, literal: false, returnsRouter: this.routerTypeOf(resultType), returnsHandler, calls: new Set() };
    if (body) this.walk(body, scope, fn);
    this.facts.functions.push({ name, container, params: paramNames, loc: locOf(node, true), calls: [...fn.calls] });
    if (isMain && !container && name === 'main' && !this.isTest) this.facts.entries.push({ detail: 'main', name: 'main', framework: 'go', loc: locOf(node) });
  }

  /** Binds parameters by their types (a router-typed parameter is the router `fn(param)`); returns their names. */
  private bindParams(list: Node | null, scope: Scope, qual: string): string[] {
    const names: string[] = [];
    for (const p of list?.namedChildren ?? []) {
      if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
      const type = p.childForFieldName('type');
      const ns = p.childrenForFieldName('name');
      if (ns.length === 0) names.push('_');
      for (const n of ns) {
        if (!n) continue;
        names.push(n.text);
        scope.set(n.text, type ? { k: 'typed', type, routerName: `${qual}(${n.text})`, at: n } : NONE);
      }
    }
    return names;
  }

  /** What a variable of a declared type holds: a router (named `routerName`), a value of a named type, or nothing known. */
  private typedVal(type: Node, routerName: string, loc: Loc): Val {
    const t = this.typeName(type);
    const fw = this.routerTypeOf(t);
    if (fw) {
      this.ensureRouter(routerName, fw, loc);
      return { k: 'router', ref: { kind: 'local', name: routerName }, fw, sure: true };
    }
    return t ? { k: 'obj', pkg: t.pkg, type: t.name } : NONE;
  }

  // ---- types --------------------------------------------------------------------------------------------------

  /** `*pkg.T`, `pkg.T`, `T`, `T[X]` → package binding and name. */
  private typeName(type: Node | null | undefined): { pkg?: string | undefined; name: string } | undefined {
    switch (type?.type) {
      case 'pointer_type':
      case 'parenthesized_type': {
        const inner = type.namedChildren[0];
        return inner ? this.typeName(inner) : undefined;
      }
      case 'type_identifier':
        return { name: type.text };
      case 'qualified_type': {
        const pkg = type.childForFieldName('package')?.text;
        const name = type.childForFieldName('name')?.text;
        return name ? { pkg, name } : undefined;
      }
      case 'generic_type': {
        const t = type.childForFieldName('type');
        return t ? this.typeName(t) : undefined;
      }
      case 'parameter_list': {
        // a result list: its first type
        const first = type.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('type');
        return first ? this.typeName(first) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The framework whose router type this is (`chi.Router`, `*gin.RouterGroup`), or undefined. */
  private routerType(type: Node): GoFramework | undefined {
    return this.routerTypeOf(this.typeName(type));
  }

  private routerTypeOf(t: { pkg?: string | undefined; name: string } | undefined): GoFramework | undefined {
    if (!t?.pkg) return undefined;
    const path = this.imports.get(t.pkg);
    const fw = path ? frameworkOfModule(path) : undefined;
    return fw && ROUTER_TYPES[fw].has(t.name) ? fw : undefined;
  }

  private structFields(type: Node | null): string[] | undefined {
    if (!type) return undefined;
    if (type.type === 'pointer_type') return this.structFields(type.namedChildren[0] ?? null);
    if (type.type === 'type_identifier') return this.types.get(type.text)?.fields.map((f) => f.name);
    if (type.type !== 'struct_type') return undefined;
    const out: string[] = [];
    for (const fd of type.descendantsOfType('field_declaration')) {
      if (!fd || fd.parent?.parent?.id !== type.id) continue;
      const names = fd.childrenForFieldName('name').filter((x): x is Node => x !== null);
      if (names.length === 0) out.push(this.typeName(fd.childForFieldName('type'))?.name ?? '_');
      for (const n of names) out.push(n.text);
    }
    return out;
  }

  // ---- routers ------------------------------------------------------------------------------------------------

  private ensureRouter(name: string, fw: GoFramework, loc: Loc): void {
    if (this.routerNames.has(name)) return;
    this.routerNames.add(name);
    this.facts.routers.push({ name, framework: fw, style: STYLE[fw], loc });
  }

  /** A new router for a call (a constructor or a group): named after the variable it is assigned to, else after the call's line. */
  private newRouter(call: Node, fw: GoFramework, fn: Fn, what: string): RouterVal {
    const hint = this.hints.get(call.id);
    let name: string;
    if (hint?.reuse) name = hint.name;
    else {
      const base = hint?.name ?? `${fn.qual ? fn.qual + '.' : ''}${what}@${call.startPosition.row + 1}`;
      name = base;
      for (let i = 2; this.routerNames.has(name); i++) name = `${base}#${i}`;
    }
    this.ensureRouter(name, fw, locOf(call));
    const v: RouterVal = { k: 'router', ref: { kind: 'local', name }, fw, sure: true };
    this.memo.set(call.id, v);
    return v;
  }

  /** A child router mounted under `parent` with a prefix (groups, subrouters, chi Route/Group, fiber Route). */
  private childRouter(call: Node, parent: RouterVal, fw: GoFramework, prefixNode: Node | null | undefined, scope: Scope, fn: Fn, what: string): RouterVal {
    const child = this.newRouter(call, fw, fn, what);
    let prefix = '';
    if (prefixNode) {
      const p = this.evalString(prefixNode, scope);
      if (p === undefined) this.warn(call, `route prefix computed at run time: ${shortText(prefixNode, 60)}`);
      else prefix = p;
    }
    this.facts.mounts.push({ parent: parent.ref, child: child.ref, prefix, style: STYLE[fw], loc: locOf(call) });
    return child;
  }

  /** A chi/fiber callback given the child router: a func literal reads it as its first parameter; a named function gets a CallFact. */
  private routerCallback(cb: Node | undefined, child: RouterVal, scope: Scope, fn: Fn): void {
    if (!cb) return;
    if (cb.type === 'func_literal') {
      this.literalRouters.set(cb.id, child);
      return;
    }
    const callee = this.calleeRef(cb, scope, fn);
    if (callee) this.facts.calls.push({ callee, args: [child.ref], loc: locOf(cb) });
  }

  /** A router an expression holds: known ones, and guesses (values returned by functions, unknown package names, struct fields). */
  private routerOf(node: Node, scope: Scope, fn: Fn): RouterVal | undefined {
    const known = this.routerLike(node, scope, fn);
    if (known) return known;
    if (node.type === 'identifier' && !this.imports.has(node.text) && !this.lookup(node.text, scope)) return { k: 'router', ref: { kind: 'package', name: node.text }, fw: undefined, sure: false };
    return undefined;
  }

  /** The router a handler argument really is, looking through middleware wrappers and http.StripPrefix (whose prefix is returned). */
  private mountTarget(node: Node, scope: Scope, fn: Fn, depth = 0): { router: RouterVal; strip?: string | undefined } | undefined {
    if (depth > 4) return undefined;
    if (node.type === 'call_expression') {
      const f = node.childForFieldName('function');
      const args = this.args(node);
      if (f?.type === 'selector_expression' && this.pkgOf(f.childForFieldName('operand'), scope) === 'net/http' && f.childForFieldName('field')?.text === 'StripPrefix') {
        const target = args[1] ? (this.mountTarget(args[1], scope, fn, depth + 1)?.router ?? this.routerLike(args[1], scope, fn)) : undefined;
        return target ? { router: target, strip: args[0] ? this.evalString(args[0], scope) : undefined } : undefined;
      }
    }
    const v = this.evalVal(node, scope, fn);
    if (v?.k === 'router' && v.sure) return { router: v };
    if (node.type === 'call_expression') {
      for (const a of this.args(node)) {
        const inner = this.mountTarget(a, scope, fn, depth + 1);
        if (inner) return inner;
      }
    }
    return undefined;
  }

  /** A value that may be a router (a function's result) when the framework says it is mounted. */
  private routerLike(node: Node, scope: Scope, fn: Fn): RouterVal | undefined {
    const v = this.evalVal(node, scope, fn);
    if (v?.k === 'router') return v;
    if (v?.k === 'obj' && v.origin) return { k: 'router', ref: v.origin, fw: undefined, sure: false };
    return undefined;
  }

  // ---- evaluation ---------------------------------------------------------------------------------------------

  private lookup(name: string, scope: Scope): Val | undefined {
    const v = scope.get(name);
    if (v?.k === 'typed') {
      const typed = this.typedVal(v.type, v.routerName, locOf(v.at));
      scope.assign(name, typed);
      return typed;
    }
    if (v) return v;
    const node = this.lazy.get(name);
    if (!node) return undefined;
    this.lazy.delete(name);
    this.pkgScope.set(name, NONE);
    const fn: Fn = { qual: '', name, inside: false, literal: false, returnsRouter: undefined, calls: new Set() };
    const val = this.evalVal(node, this.pkgScope, fn) ?? { k: 'expr', node, scope: this.pkgScope };
    this.pkgScope.set(name, val);
    return val;
  }

  /** The import path of a package name (`http` → net/http) unless a variable shadows it. */
  private pkgOf(node: Node | null, scope: Scope): string | undefined {
    if (!node || node.type !== 'identifier' || scope.get(node.text)) return undefined;
    return this.imports.get(node.text);
  }

  private isWorkspace(path: string): boolean {
    return this.mod !== undefined && inModule(this.mod, path);
  }

  private readonly argsCache = new Map<number, Node[]>();
  private args(call: Node): Node[] {
    let a = this.argsCache.get(call.id);
    if (!a) {
      a = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((x): x is Node => x !== null && x.type !== 'comment');
      this.argsCache.set(call.id, a);
    }
    return a;
  }

  private evalVal(node: Node | null | undefined, scope: Scope, fn: Fn, depth = 0): Val | undefined {
    if (!node || depth > 16) return undefined;
    switch (node.type) {
      case 'parenthesized_expression':
      case 'literal_element':
        return this.evalVal(node.namedChildren[0], scope, fn, depth + 1);
      case 'identifier': {
        const v = this.lookup(node.text, scope);
        if (v?.k === 'expr') return this.evalVal(v.node, v.scope, fn, depth + 1) ?? v;
        return v;
      }
      case 'func_literal':
        return { k: 'func', node };
      case 'unary_expression':
        return node.childForFieldName('operator')?.text === '&' ? this.evalVal(node.childForFieldName('operand'), scope, fn, depth + 1) : undefined;
      case 'composite_literal': {
        const t = node.childForFieldName('type');
        if (!t) return undefined;
        if (TABLE_TYPES.has(t.type)) return { k: 'expr', node, scope };
        const tn = this.typeName(t);
        if (!tn) return undefined;
        if (tn.pkg && this.imports.get(tn.pkg) === 'net/http' && tn.name === 'ServeMux') return this.memo.get(node.id) ?? this.newRouter(node, 'net/http', fn, 'mux');
        return { k: 'obj', pkg: tn.pkg, type: tn.name };
      }
      case 'call_expression':
        return this.evalCall(node, scope, fn, depth);
      case 'selector_expression':
        return this.evalSelector(node, scope, fn, depth);
      case 'interpreted_string_literal':
      case 'raw_string_literal':
      case 'binary_expression':
        return { k: 'expr', node, scope };
      default:
        return undefined;
    }
  }

  private evalSelector(node: Node, scope: Scope, fn: Fn, depth: number): Val | undefined {
    const x = node.childForFieldName('operand');
    const field = node.childForFieldName('field')?.text;
    if (!x || !field) return undefined;
    const pkg = this.pkgOf(x, scope);
    if (pkg !== undefined) {
      if (pkg === 'net/http' && field === 'DefaultServeMux') return this.defaultMux();
      return this.isWorkspace(pkg) ? { k: 'router', ref: { kind: 'import', binding: x.text, member: field }, fw: undefined, sure: false } : undefined;
    }
    const v = this.evalVal(x, scope, fn, depth + 1);
    if (v?.k === 'row') {
      const cell = v.fields.get(field);
      return cell ? (this.evalVal(cell, v.scope, fn, depth + 1) ?? { k: 'expr', node: cell, scope: v.scope }) : undefined;
    }
    if (v?.k !== 'obj' || !v.type) return undefined;
    const name = `${v.type}.${field}`;
    const ref: Ref = v.pkg ? { kind: 'import', binding: v.pkg, member: name } : { kind: 'package', name };
    const info = v.pkg ? undefined : this.types.get(v.type);
    const f = info?.fields.find((x2) => x2.name === field);
    if (f) {
      const fw = this.routerType(f.type);
      if (fw) return { k: 'router', ref, fw, sure: true };
      const t = this.typeName(f.type);
      return t ? { k: 'obj', pkg: t.pkg, type: t.name } : NONE;
    }
    return { k: 'router', ref, fw: undefined, sure: false };
  }

  private evalCall(call: Node, scope: Scope, fn: Fn, depth: number): Val | undefined {
    const memo = this.memo.get(call.id);
    if (memo) return memo;
    if (this.rowLoc) return this.evalCallOnce(call, scope, fn, depth);
    // Outside route tables a call means the same wherever it is asked about: read it once.
    const cached = this.callCache.get(call.id);
    if (cached) return cached === NONE ? undefined : cached;
    const v = this.evalCallOnce(call, scope, fn, depth);
    this.callCache.set(call.id, this.memo.get(call.id) ?? v ?? NONE);
    return v;
  }

  private evalCallOnce(call: Node, scope: Scope, fn: Fn, depth: number): Val | undefined {
    const f = call.childForFieldName('function');
    if (!f) return undefined;
    const args = this.args(call);
    if (f.type === 'identifier') {
      if (f.text === 'new' && args[0]) {
        const t = this.typeName(args[0]);
        return t ? { k: 'obj', pkg: t.pkg, type: t.name } : undefined;
      }
      if (this.lookup(f.text, scope)) return undefined;
      const decl = this.funcs.get(f.text);
      const result = decl?.childForFieldName('result');
      const origin: Ref = { kind: 'package', name: f.text };
      if (result) {
        const fw = this.routerType(result);
        if (fw) return { k: 'router', ref: origin, fw, sure: true };
        const t = this.typeName(result);
        return { k: 'obj', pkg: t?.pkg, type: t?.name, origin };
      }
      return { k: 'obj', type: constructed(f.text), origin };
    }
    if (f.type !== 'selector_expression') return undefined;
    const x = f.childForFieldName('operand');
    const m = f.childForFieldName('field')?.text;
    if (!x || !m) return undefined;
    const pkg = this.pkgOf(x, scope);
    if (pkg !== undefined) {
      const fw = frameworkOfModule(pkg);
      if (fw && CONSTRUCTORS[fw].has(m)) return this.newRouter(call, fw, fn, 'router');
      if (this.isWorkspace(pkg)) return { k: 'obj', pkg: x.text, type: constructed(m), origin: { kind: 'import', binding: x.text, member: m } };
      return undefined;
    }
    if (m === 'Subrouter') return this.gorillaSubrouter(call, x, scope, fn);
    const recv = this.evalVal(x, scope, fn, depth + 1);
    const router = recv?.k === 'router' ? recv : recv?.k === 'obj' && recv.origin && !recv.type ? ({ k: 'router', ref: recv.origin, fw: undefined, sure: false } as RouterVal) : undefined;
    if (router) {
      const made = this.routerMethod(call, router, m, args, scope, fn);
      if (made) return made;
    }
    if (recv?.k === 'obj') {
      const origin = this.methodRef(recv, m);
      return origin ? { k: 'obj', origin } : undefined;
    }
    return undefined;
  }

  /** Router methods that return a router: groups, chi Route/Group/With, fiber Route, gin Use. */
  private routerMethod(call: Node, recv: RouterVal, m: string, args: Node[], scope: Scope, fn: Fn): Val | undefined {
    const fw = recv.fw ?? guessFramework(m, this.imported);
    if (!fw) return undefined;
    if (GROUP_METHODS[fw].has(m)) {
      if (!recv.sure && !this.isPathLiteral(args[0], scope)) return undefined;
      return this.childRouter(call, recv, fw, args[0], scope, fn, 'group');
    }
    if (fw === 'chi' && m === 'With') return recv;
    if (fw === 'gin' && m === 'Use') return recv;
    if ((fw === 'chi' || fw === 'fiber') && m === 'Route') {
      if (!recv.sure && !this.isPathLiteral(args[0], scope)) return undefined;
      const child = this.childRouter(call, recv, fw, args[0], scope, fn, 'route');
      this.routerCallback(args[1], child, scope, fn);
      return child;
    }
    if (fw === 'chi' && m === 'Group') {
      const child = this.childRouter(call, recv, fw, undefined, scope, fn, 'group');
      this.routerCallback(args[0], child, scope, fn);
      return child;
    }
    return undefined;
  }

  /** `r.PathPrefix("/api").Subrouter()`, `r.Host(h).Subrouter()`, `r.NewRoute().Subrouter()`. */
  private gorillaSubrouter(call: Node, chain: Node, scope: Scope, fn: Fn): Val | undefined {
    const c = this.gorillaChain(chain);
    const base = this.routerOf(c.base, scope, fn);
    if (!base || (base.fw ?? guessFramework('HandleFunc', this.imported)) !== 'gorilla/mux') return undefined;
    return this.childRouter(call, base, 'gorilla/mux', c.path, scope, fn, 'subrouter');
  }

  /** Reads a gorilla/mux matcher chain down to the router it starts from. */
  private gorillaChain(node: Node): { base: Node; path?: Node | undefined; prefix: boolean; methods: Node[] } {
    let cur = node;
    let path: Node | undefined;
    let prefix = false;
    const methods: Node[] = [];
    while (cur.type === 'call_expression') {
      const f = cur.childForFieldName('function');
      const k = f?.type === 'selector_expression' ? f.childForFieldName('field')?.text : undefined;
      const x = f?.childForFieldName('operand');
      if (!k || !x || !GORILLA_MATCHERS.has(k)) break;
      const a = this.args(cur);
      if (k === 'Path' || k === 'PathPrefix') {
        path ??= a[0];
        prefix ||= k === 'PathPrefix';
      } else if (k === 'Methods') methods.push(...a);
      cur = x;
    }
    return { base: cur, path, prefix, methods };
  }

  private defaultMux(): RouterVal {
    this.ensureRouter('http.DefaultServeMux', 'net/http', { line: 1, column: 1 });
    return { k: 'router', ref: { kind: 'local', name: 'http.DefaultServeMux' }, fw: 'net/http', sure: true };
  }

  /** The function a method call on a value names: `Handler.Routes` in the value's package. */
  private methodRef(recv: Val | undefined, m: string): Ref | undefined {
    if (recv?.k !== 'obj') return undefined;
    if (recv.type) return recv.pkg ? { kind: 'import', binding: recv.pkg, member: `${recv.type}.${m}` } : { kind: 'package', name: `${recv.type}.${m}` };
    if (recv.origin?.kind === 'import') return { kind: 'import', binding: recv.origin.binding, member: m };
    return undefined;
  }

  /** The function a callee expression names (`Register`, `articles.Register`, `h.Register`). */
  private calleeRef(f: Node, scope: Scope, fn: Fn): Ref | undefined {
    if (f.type === 'identifier') return this.lookup(f.text, scope) ? undefined : { kind: 'package', name: f.text };
    if (f.type !== 'selector_expression') return undefined;
    const x = f.childForFieldName('operand');
    const m = f.childForFieldName('field')?.text;
    if (!x || !m) return undefined;
    const pkg = this.pkgOf(x, scope);
    if (pkg !== undefined) return this.isWorkspace(pkg) ? { kind: 'import', binding: x.text, member: m } : undefined;
    return this.methodRef(this.evalVal(x, scope, fn), m);
  }

  /** The constant string an expression holds: literals, constants, `+`, `http.MethodGet`, table cells. */
  private evalString(node: Node | null | undefined, scope: Scope, depth = 0): string | undefined {
    if (!node || depth > 16) return undefined;
    switch (node.type) {
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return stringValue(node);
      case 'parenthesized_expression':
      case 'literal_element':
        return this.evalString(node.namedChildren[0], scope, depth + 1);
      case 'identifier': {
        const v = this.lookup(node.text, scope);
        return v?.k === 'expr' ? this.evalString(v.node, v.scope, depth + 1) : undefined;
      }
      case 'binary_expression': {
        if (node.childForFieldName('operator')?.text !== '+') return undefined;
        const a = this.evalString(node.childForFieldName('left'), scope, depth + 1);
        const b = a === undefined ? undefined : this.evalString(node.childForFieldName('right'), scope, depth + 1);
        return a === undefined || b === undefined ? undefined : a + b;
      }
      case 'selector_expression': {
        const x = node.childForFieldName('operand');
        const field = node.childForFieldName('field')?.text ?? '';
        if (!x) return undefined;
        if (this.pkgOf(x, scope) !== undefined) {
          const m = /^Method([A-Z][a-z]+)$/.exec(field);
          return m ? (m[1] as string).toUpperCase() : undefined;
        }
        if (x.type !== 'identifier') return undefined;
        const v = this.lookup(x.text, scope);
        const cell = v?.k === 'row' ? v.fields.get(field) : undefined;
        return cell && v?.k === 'row' ? this.evalString(cell, v.scope, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Methods given as one string or a `[]string{…}` literal. */
  private evalMethods(node: Node | undefined, scope: Scope): string[] | undefined {
    if (!node) return undefined;
    const one = this.evalString(node, scope);
    if (one !== undefined) return [one.toUpperCase()];
    const v = node.type === 'identifier' ? this.lookup(node.text, scope) : undefined;
    const lit = node.type === 'composite_literal' ? node : v?.k === 'expr' && v.node.type === 'composite_literal' ? v.node : undefined;
    const s = v?.k === 'expr' ? v.scope : scope;
    const body = lit?.childForFieldName('body');
    if (!body) return undefined;
    const out: string[] = [];
    for (const e of body.namedChildren) {
      if (!e || e.type === 'comment') continue;
      const m = this.evalString(e, s);
      if (m === undefined) return undefined;
      out.push(m.toUpperCase());
    }
    return out;
  }

  private isPathLiteral(node: Node | undefined, scope: Scope): boolean {
    const s = node ? this.evalString(node, scope) : undefined;
    return s !== undefined && (s === '' || s.startsWith('/') || /^[A-Z]+ \//.test(s));
  }

  // ---- handlers -----------------------------------------------------------------------------------------------

  private handlerOf(node: Node | undefined, scope: Scope, fn: Fn, depth = 0): HandlerRef | undefined {
    if (!node || depth > 8) return undefined;
    switch (node.type) {
      case 'func_literal':
        return { kind: 'here', name: '<anonymous>', loc: locOf(node, true) };
      case 'parenthesized_expression':
      case 'literal_element':
        return this.handlerOf(node.namedChildren[0] ?? undefined, scope, fn, depth + 1);
      case 'unary_expression':
        return this.handlerOf(node.childForFieldName('operand') ?? undefined, scope, fn, depth + 1);
      case 'identifier': {
        const v = this.lookup(node.text, scope);
        if (!v) return { kind: 'ref', ref: { kind: 'package', name: node.text }, display: node.text };
        if (v.k === 'func') return { kind: 'here', name: node.text, loc: locOf(v.node, true) };
        if (v.k === 'expr') return this.handlerOf(v.node, v.scope, fn, depth + 1);
        if (v.k === 'obj' && v.type) return this.serveHTTP(v.pkg, v.type);
        return undefined;
      }
      case 'composite_literal': {
        const t = node.childForFieldName('type');
        const tn = t ? this.typeName(t) : undefined;
        return tn ? this.serveHTTP(tn.pkg, tn.name) : undefined;
      }
      case 'selector_expression': {
        const x = node.childForFieldName('operand');
        const m = node.childForFieldName('field')?.text;
        if (!x || !m) return undefined;
        if (this.pkgOf(x, scope) !== undefined) return { kind: 'ref', ref: { kind: 'import', binding: x.text, member: m }, display: `${x.text}.${m}` };
        const v = this.evalVal(x, scope, fn);
        if (v?.k === 'row') {
          const cell = v.fields.get(m);
          return cell ? this.handlerOf(cell, v.scope, fn, depth + 1) : undefined;
        }
        if (v?.k === 'obj' && v.type) return { kind: 'ref', ref: this.methodRef(v, m) as Ref, display: `${v.type}.${m}` };
        const ref = this.methodRef(v, m) ?? { kind: 'package', name: m };
        return { kind: 'ref', ref, display: shortText(node, 80) };
      }
      case 'call_expression':
        return this.handlerOfCall(node, scope, fn, depth);
      default:
        return undefined;
    }
  }

  /** `http.HandlerFunc(f)`, `http.StripPrefix(p, h)`, middleware `auth(h.Get)`, factories `s.handleIndex()`. */
  private handlerOfCall(call: Node, scope: Scope, fn: Fn, depth: number): HandlerRef | undefined {
    const f = call.childForFieldName('function');
    if (!f) return undefined;
    const args = this.args(call);
    if (f.type === 'selector_expression') {
      const x = f.childForFieldName('operand');
      const m = f.childForFieldName('field')?.text ?? '';
      const pkg = this.pkgOf(x, scope);
      if (pkg === 'net/http') {
        if (m === 'HandlerFunc' || m === 'TimeoutHandler' || m === 'MaxBytesHandler') return this.handlerOf(args[0], scope, fn, depth + 1);
        if (m === 'StripPrefix' || m === 'AllowQuerySemicolons') return this.handlerOf(args[m === 'StripPrefix' ? 1 : 0], scope, fn, depth + 1);
      }
      // a method on a value is a handler factory (`s.handleIndex(tmpl)`)
      if (pkg === undefined && x && this.evalVal(x, scope, fn)?.k === 'obj') return this.handlerOf(f, scope, fn, depth + 1);
    }
    if (args.length > 0) {
      const lit = args.find((a) => a.type === 'func_literal');
      if (lit) return this.handlerOf(lit, scope, fn, depth + 1);
      const inner = args.find((a) => this.isHandlerValue(a, scope, fn));
      if (inner) return this.handlerOf(inner, scope, fn, depth + 1);
    }
    return this.handlerOf(f, scope, fn, depth + 1);
  }

  private serveHTTP(pkg: string | undefined, type: string): HandlerRef {
    const name = `${type}.ServeHTTP`;
    return { kind: 'ref', ref: pkg ? { kind: 'import', binding: pkg, member: name } : { kind: 'package', name }, display: name };
  }

  /** An argument that is itself a handler (wrapped by middleware): a func literal or variable, a function of this file, a method value. */
  private isHandlerValue(node: Node, scope: Scope, fn: Fn): boolean {
    if (node.type === 'func_literal') return true;
    if (node.type === 'identifier') {
      const v = this.lookup(node.text, scope);
      return v ? v.k === 'func' : this.funcs.has(node.text);
    }
    if (node.type === 'selector_expression') {
      const v = this.evalVal(node.childForFieldName('operand'), scope, fn);
      return v?.k === 'obj' && v.type !== undefined && !this.isField(v, node.childForFieldName('field')?.text ?? '');
    }
    return false;
  }

  private isField(v: Val, name: string): boolean {
    return v.k === 'obj' && !v.pkg && v.type !== undefined && (this.types.get(v.type)?.fields.some((f) => f.name === name) ?? false);
  }

  /** Whether a registration on a guessed router looks like a real one: its handler argument is handler-shaped. */
  private looksLikeHandler(node: Node | undefined, scope: Scope, fn: Fn): boolean {
    if (!node) return false;
    switch (node.type) {
      case 'func_literal':
      case 'call_expression':
      case 'composite_literal':
      case 'unary_expression':
        return true;
      case 'identifier': {
        const v = this.lookup(node.text, scope);
        return !v || v.k === 'func' || v.k === 'expr';
      }
      case 'selector_expression': {
        const x = node.childForFieldName('operand');
        if (this.pkgOf(x, scope) !== undefined) return true;
        const v = this.evalVal(x, scope, fn);
        return v?.k === 'obj' || v?.k === 'row';
      }
      default:
        return false;
    }
  }

  // ---- walking ------------------------------------------------------------------------------------------------

  private walk(node: Node, scope: Scope, fn: Fn): void {
    const t = node.type;
    if (SKIP.has(t)) return;
    switch (t) {
      case 'func_literal':
        return this.walkLiteral(node, scope, fn);
      case 'block':
        return this.walkChildren(node, new Scope(scope), fn);
      case 'short_var_declaration':
        return this.declare(node, scope, fn);
      case 'assignment_statement':
        return this.assign(node, scope, fn);
      case 'var_declaration':
      case 'const_declaration':
        return this.declareLocal(node, scope, fn);
      case 'type_declaration':
        return this.readTypes(node);
      case 'for_statement':
        return this.walkFor(node, scope, fn);
      case 'composite_literal':
        return this.walkComposite(node, scope, fn);
      case 'return_statement':
        this.onReturn(node, scope, fn);
        return this.walkChildren(node, scope, fn);
      case 'call_expression':
        this.onCall(node, scope, fn);
        return this.walkChildren(node, scope, fn);
      case 'if_statement':
        this.checkSwallow(node, fn);
        return this.walkChildren(node, new Scope(scope), fn);
      default:
        // an expression with no call, literal or block inside holds nothing to read
        if (PLAIN_EXPRESSIONS.has(t) && !/[({]/.test(t === 'argument_list' ? node.text.slice(1, -1) : node.text)) return;
        return this.walkChildren(node, SCOPED.has(t) ? new Scope(scope) : scope, fn);
    }
  }

  private walkChildren(node: Node, scope: Scope, fn: Fn): void {
    for (const c of node.namedChildren) if (c) this.walk(c, scope, fn);
  }

  private walkLiteral(node: Node, scope: Scope, fn: Fn): void {
    const inner = new Scope(scope);
    const params = node.childForFieldName('parameters');
    const router = this.literalRouters.get(node.id);
    const first = params?.namedChildren.find((p) => p?.type === 'parameter_declaration')?.childForFieldName('name');
    if (router && first) inner.set(first.text, router);
    else this.bindParams(params, inner, `${fn.qual ? fn.qual + '.' : ''}func@${node.startPosition.row + 1}`);
    const body = node.childForFieldName('body');
    if (body) this.walk(body, inner, { ...fn, inside: true, literal: true });
  }

  private pairs(node: Node): { lefts: Node[]; rights: Node[] } {
    const list = (n: Node | null): Node[] => (n?.type === 'expression_list' ? n.namedChildren.filter((x): x is Node => x !== null) : n ? [n] : []);
    return { lefts: list(node.childForFieldName('left')), rights: list(node.childForFieldName('right')) };
  }

  private declare(node: Node, scope: Scope, fn: Fn): void {
    const { lefts, rights } = this.pairs(node);
    const paired = lefts.length === rights.length;
    if (paired) lefts.forEach((l, i) => l.type === 'identifier' && l.text !== '_' && this.hints.set((rights[i] as Node).id, { name: this.varRouterName(l.text, fn), reuse: false }));
    for (const r of rights) this.walk(r, scope, fn);
    lefts.forEach((l, i) => {
      if (l.type === 'identifier') scope.set(l.text, (paired ? this.evalVal(rights[i], scope, fn) : undefined) ?? NONE);
    });
  }

  private varRouterName(name: string, fn: Fn): string {
    return fn.qual ? `${fn.qual}.${name}` : name;
  }

  private assign(node: Node, scope: Scope, fn: Fn): void {
    const { lefts, rights } = this.pairs(node);
    const paired = lefts.length === rights.length && node.childForFieldName('operator')?.text === '=';
    if (paired) {
      lefts.forEach((l, i) => {
        const r = rights[i] as Node;
        if (l.type === 'identifier' && l.text !== '_') this.hints.set(r.id, { name: this.varRouterName(l.text, fn), reuse: false });
        const field = l.type === 'selector_expression' ? this.fieldName(l, scope, fn) : undefined;
        if (field) this.hints.set(r.id, { name: field, reuse: true });
      });
    }
    for (const l of lefts) if (l.type !== 'identifier') this.walk(l, scope, fn);
    for (const r of rights) this.walk(r, scope, fn);
    if (!paired) return;
    lefts.forEach((l, i) => {
      const r = rights[i] as Node;
      if (l.type === 'identifier') {
        if (l.text === '_') {
          if (r.type === 'identifier' && ERR_NAME.test(r.text)) this.error('swallow', node, fn);
        } else scope.assign(l.text, this.evalVal(r, scope, fn) ?? NONE);
        return;
      }
      const field = l.type === 'selector_expression' ? this.fieldName(l, scope, fn) : undefined;
      const v = field ? this.evalVal(r, scope, fn) : undefined;
      if (field && v?.k === 'router') this.aliasRouter(field, v, l);
    });
  }

  /** `s.router` where s is a value of a type of this package → `Server.router`. */
  private fieldName(sel: Node, scope: Scope, fn: Fn): string | undefined {
    const v = this.evalVal(sel.childForFieldName('operand'), scope, fn);
    const f = sel.childForFieldName('field')?.text;
    return v?.k === 'obj' && v.type && !v.pkg && f ? `${v.type}.${f}` : undefined;
  }

  /** A struct field set to a router made elsewhere: the field's router mounts it (same object, no prefix). */
  private aliasRouter(field: string, v: RouterVal, at: Node): void {
    if (v.ref.kind === 'local' && v.ref.name === field) return;
    const fw = v.fw ?? this.routerFwOf(field);
    if (!fw) return;
    this.ensureRouter(field, fw, locOf(at));
    this.facts.mounts.push({ parent: { kind: 'local', name: field }, child: v.ref, prefix: '', style: STYLE[fw], loc: locOf(at) });
  }

  private routerFwOf(name: string): GoFramework | undefined {
    return this.facts.routers.find((r) => r.name === name)?.framework as GoFramework | undefined;
  }

  private declareLocal(node: Node, scope: Scope, fn: Fn): void {
    for (const spec of node.descendantsOfType(['var_spec', 'const_spec'])) {
      if (!spec) continue;
      const names = spec.childrenForFieldName('name').filter((x): x is Node => x !== null);
      const values = spec.childForFieldName('value')?.namedChildren.filter((x): x is Node => x !== null) ?? [];
      const type = spec.childForFieldName('type');
      const paired = values.length === names.length;
      if (paired) names.forEach((n, i) => this.hints.set((values[i] as Node).id, { name: this.varRouterName(n.text, fn), reuse: false }));
      for (const v of values) this.walk(v, scope, fn);
      names.forEach((n, i) => {
        const v = paired ? this.evalVal(values[i], scope, fn) : undefined;
        scope.set(n.text, v ?? (type ? this.typedVal(type, this.varRouterName(n.text, fn), locOf(n)) : NONE));
      });
    }
  }

  /** `&Server{router: chi.NewRouter()}`: the field's router gets the name `Server.router`. */
  private walkComposite(node: Node, scope: Scope, fn: Fn): void {
    const t = node.childForFieldName('type');
    const tn = t && t.type === 'type_identifier' ? t.text : undefined;
    const body = node.childForFieldName('body');
    const keyed = tn && body ? body.namedChildren.filter((e): e is Node => e?.type === 'keyed_element') : [];
    const cells: [string, Node][] = [];
    for (const e of keyed) {
      const key = e.childForFieldName('key')?.text ?? e.namedChildren[0]?.text;
      const value = e.childForFieldName('value') ?? e.namedChildren[1];
      const inner = value?.type === 'literal_element' ? value.namedChildren[0] : value;
      if (key && inner) {
        this.hints.set(inner.id, { name: `${tn}.${key}`, reuse: true });
        cells.push([`${tn}.${key}`, inner]);
      }
    }
    this.walkChildren(node, scope, fn);
    for (const [field, value] of cells) {
      const v = this.evalVal(value, scope, fn);
      if (v?.k === 'router') this.aliasRouter(field, v, value);
    }
  }

  /** Loops over a literal table (slice of structs, slice of strings, map) are read once per row. */
  private walkFor(node: Node, scope: Scope, fn: Fn): void {
    const range = node.namedChildren.find((c) => c?.type === 'range_clause');
    const body = node.childForFieldName('body');
    if (!range || !body) return this.walkChildren(node, new Scope(scope), fn);
    const right = range.childForFieldName('right');
    if (right) this.walk(right, scope, fn);
    const vars = (range.childForFieldName('left')?.namedChildren ?? []).filter((x): x is Node => x?.type === 'identifier');
    const table = right ? this.evalVal(right, scope, fn) : undefined;
    const rows = table?.k === 'expr' && table.node.type === 'composite_literal' ? this.rowsOf(table.node, table.scope) : undefined;
    if (!rows || rows.length === 0) {
      const inner = new Scope(scope);
      for (const v of vars) inner.set(v.text, NONE);
      return this.walk(body, inner, fn);
    }
    const saved = this.rowLoc;
    for (const row of rows) {
      const inner = new Scope(scope);
      if (vars[0]) inner.set(vars[0].text, row.key);
      if (vars[1]) inner.set(vars[1].text, row.value);
      this.rowLoc = row.loc;
      this.walk(body, inner, fn);
    }
    this.rowLoc = saved;
  }

  private rowsOf(lit: Node, scope: Scope): Row[] | undefined {
    const t = lit.childForFieldName('type');
    const body = lit.childForFieldName('body');
    if (!t || !body) return undefined;
    const unwrap = (n: Node | null | undefined): Node | undefined => (n?.type === 'literal_element' ? (n.namedChildren[0] ?? undefined) : (n ?? undefined));
    const rows: Row[] = [];
    if (t.type === 'map_type') {
      for (const e of body.namedChildren) {
        if (e?.type !== 'keyed_element') continue;
        const k = unwrap(e.childForFieldName('key') ?? e.namedChildren[0]);
        const v = unwrap(e.childForFieldName('value') ?? e.namedChildren[1]);
        if (k && v) rows.push({ key: { k: 'expr', node: k, scope }, value: this.cell(v, scope), loc: locOf(e) });
      }
      return rows;
    }
    const names = this.structFields(t.childForFieldName('element'));
    for (const e of body.namedChildren) {
      if (!e || e.type === 'comment') continue;
      const v = unwrap(e.type === 'keyed_element' ? (e.childForFieldName('value') ?? e.namedChildren[1]) : e);
      if (!v) continue;
      const key = NONE; // the index
      let struct: Node | undefined = v.type === 'literal_value' ? v : undefined;
      if (!struct && (v.type === 'composite_literal' || v.type === 'unary_expression')) {
        const c = v.type === 'unary_expression' ? v.childForFieldName('operand') : v;
        if (c?.type === 'composite_literal') struct = c.childForFieldName('body') ?? undefined;
      }
      if (!struct) {
        rows.push({ key, value: { k: 'expr', node: v, scope }, loc: locOf(e) });
        continue;
      }
      const fields = new Map<string, Node>();
      let pos = 0;
      for (const c of struct.namedChildren) {
        if (!c || c.type === 'comment') continue;
        if (c.type === 'keyed_element') {
          const k = unwrap(c.childForFieldName('key') ?? c.namedChildren[0]);
          const val = unwrap(c.childForFieldName('value') ?? c.namedChildren[1]);
          if (k && val) fields.set(k.text, val);
        } else {
          const name = names?.[pos];
          const val = unwrap(c);
          if (name && val) fields.set(name, val);
        }
        pos++;
      }
      if (fields.size === 0 && !names) this.warn(e, 'route table rows of an unknown struct type are not read');
      rows.push({ key, value: { k: 'row', fields, scope }, loc: locOf(e) });
    }
    return rows;
  }

  private cell(node: Node, scope: Scope): Val {
    return node.type === 'func_literal' ? { k: 'func', node } : { k: 'expr', node, scope };
  }

  // ---- calls --------------------------------------------------------------------------------------------------

  private onCall(call: Node, scope: Scope, fn: Fn): void {
    const f = call.childForFieldName('function');
    if (!f) return;
    const args = this.args(call);
    if (f.type === 'identifier') {
      fn.calls.add(f.text);
      if (fn.inside && !this.lookup(f.text, scope)) {
        if (f.text === 'panic') this.error('panic', call, fn);
        else if (f.text === 'recover') this.error('catch', this.statementOf(call), fn);
      }
      this.callFact(call, args, scope, fn);
      return;
    }
    if (f.type !== 'selector_expression') return;
    const x = f.childForFieldName('operand');
    const m = f.childForFieldName('field')?.text;
    if (!x || !m) return;
    fn.calls.add(m);
    const pkg = this.pkgOf(x, scope);
    if (pkg !== undefined) return this.onPackageCall(call, pkg, m, args, scope, fn);
    this.onMethodCall(call, x, m, args, scope, fn);
    this.checkErrorCall(call, m, args, scope, fn);
  }

  private onPackageCall(call: Node, pkg: string, m: string, args: Node[], scope: Scope, fn: Fn): void {
    if (pkg === 'net/http') {
      const spec = ROUTE_CALLS['net/http'].get(m);
      if (spec) return this.register(call, this.defaultMux(), 'net/http', spec, args, scope, fn);
      if (m === 'ListenAndServe' || m === 'ListenAndServeTLS' || m === 'Serve' || m === 'ServeTLS') return this.entry('listen', call, 'net/http');
      if (m === 'Error' && fn.inside) return this.error('http-error', call, fn);
      return;
    }
    const grpc = GRPC_REGISTER.exec(m);
    if (grpc && args.length === 2) {
      const impl = this.evalVal(args[1], scope, fn);
      if (impl?.k === 'obj' && impl.type && !impl.pkg) this.addGrpc(impl.type, grpc[1] as string);
      // a type of another package: its methods are found by name when the map is composed
      else if (impl?.k === 'obj' && impl.type && impl.pkg) this.facts.grpcImpls.push({ service: grpc[1] as string, container: impl.type, methods: [], framework: 'grpc', loc: locOf(call) });
      return;
    }
    if (pkg === 'net' && m === 'Listen') return this.entry('listen', call, [...this.imports.values()].some((p) => p.startsWith('google.golang.org/grpc')) ? 'grpc' : 'net');
    if (pkg === 'github.com/aws/aws-lambda-go/lambda' && m.startsWith('Start')) return this.entry('serverless', call, 'lambda');
    if (pkg === 'github.com/GoogleCloudPlatform/functions-framework-go/functions' && (m === 'HTTP' || m === 'CloudEvent')) return this.entry('serverless', call, 'cloud-functions');
    if (fn.inside) {
      const kind = this.packageErrorKind(pkg, m, args, scope);
      if (kind) return this.error(kind, call, fn);
    }
    if (this.isWorkspace(pkg)) this.callFact(call, args, scope, fn);
  }

  private onMethodCall(call: Node, x: Node, m: string, args: Node[], scope: Scope, fn: Fn): void {
    if (GORILLA_HANDLERS.has(m) && this.gorillaRoute(call, x, m, args, scope, fn)) return;
    if (m === 'ListenAndServe' || m === 'ListenAndServeTLS') return this.entry('listen', call, 'net/http');
    const recv = this.routerOf(x, scope, fn);
    const listener = recv ? (recv.fw ? [recv.fw] : [...this.imported]).find((f) => LISTENERS[f]?.has(m)) : undefined;
    if (listener) return this.entry('listen', call, listener);
    // a router made in another package: `r.Run(":8080")`, `app.Listen(":3000")` with a literal address
    const byName = recv && LISTEN_BY_NAME.get(m);
    if (byName && /^[\w.-]*:\d+$/.test(this.evalString(args[0], scope) ?? '')) return this.entry('listen', call, byName);
    const fw = recv ? (recv.fw ?? guessFramework(m, this.imported)) : undefined;
    if (recv && fw) {
      const spec = ROUTE_CALLS[fw].get(m);
      if (spec) return this.register(call, recv, fw, spec, args, scope, fn);
      if (ROUTER_METHODS[fw].has(m)) {
        this.evalVal(call, scope, fn);
        return;
      }
      if (m === 'Mount' && (fw === 'chi' || fw === 'fiber')) return this.mount(call, recv, fw, args[0], args[1], scope, fn);
      if (m === 'Use' && fw === 'fiber' && args.length >= 2) return this.mount(call, recv, fw, args[0], args[args.length - 1], scope, fn);
      if (recv.sure) return;
    }
    this.callFact(call, args, scope, fn);
  }

  /** chi Mount, fiber Mount/Use(prefix, app): a router under a prefix. */
  private mount(call: Node, recv: RouterVal, fw: GoFramework, prefixNode: Node | undefined, childNode: Node | undefined, scope: Scope, fn: Fn): void {
    if (!childNode) return;
    const prefix = prefixNode ? this.evalString(prefixNode, scope) : undefined;
    if (prefix === undefined) {
      if (recv.sure) this.warn(call, `mount prefix computed at run time: ${shortText(call, 60)}`);
      return;
    }
    if (fw === 'fiber' && !prefix.startsWith('/')) return;
    const child = this.mountTarget(childNode, scope, fn)?.router ?? this.routerLike(childNode, scope, fn);
    if (!child) {
      const ext = this.externalCall(childNode, scope);
      if (ext) this.warn(call, `router from a package outside the workspace: ${shortText(childNode, 60)}`);
      return;
    }
    this.facts.mounts.push({ parent: recv.ref, child: child.ref, prefix, style: STYLE[fw], loc: this.rowLoc ?? locOf(call) });
  }

  /** Whether an expression is a call into a package outside the workspace (`middleware.Profiler()`). */
  private externalCall(node: Node, scope: Scope): boolean {
    const f = node.type === 'call_expression' ? node.childForFieldName('function') : node;
    const x = f?.type === 'selector_expression' ? f.childForFieldName('operand') : undefined;
    const pkg = x ? this.pkgOf(x, scope) : undefined;
    return pkg !== undefined && !this.isWorkspace(pkg);
  }

  /** One registration call → one route per method (or a mount, when net/http or chi is handed a router). */
  private register(call: Node, recv: RouterVal, fw: GoFramework, spec: RouteCallSpec, args: Node[], scope: Scope, fn: Fn): void {
    const pathNode = args[spec.path];
    const hNode = spec.handler === 'last' ? args[args.length - 1] : args[spec.handler];
    if (!pathNode || !hNode || hNode === pathNode) return;
    let path = this.evalString(pathNode, scope);
    if (!recv.sure && !(path !== undefined && this.isPathLiteral(pathNode, scope) && this.looksLikeHandler(hNode, scope, fn))) return;
    if (path === undefined) {
      this.warn(call, `route path computed at run time: ${shortText(pathNode, 60)}`);
      return;
    }
    let methods = typeof spec.method === 'string' ? [spec.method] : this.evalMethods(args[spec.method.arg], scope);
    if (!methods) {
      this.warn(call, `route method computed at run time: ${shortText(call, 60)}`);
      return;
    }
    if (spec.pattern) {
      const p = parsePattern(path);
      if (p.method) methods = [p.method];
      path = p.path;
      const sub = this.mountTarget(hNode, scope, fn);
      if (sub) {
        const loc = this.rowLoc ?? locOf(call);
        this.facts.mounts.push({ parent: recv.ref, child: sub.router.ref, prefix: sub.strip ?? '', style: STYLE[fw], loc });
        return;
      }
    }
    const handler = this.handlerOf(hNode, scope, fn);
    const loc = this.rowLoc ?? locOf(call);
    for (const method of methods) this.facts.routes.push({ router: recv.ref, method, path, style: STYLE[fw], handler, framework: fw, loc });
  }

  /** gorilla/mux: `r.HandleFunc(p, h).Methods(…)`, `r.Methods(…).Path(p).HandlerFunc(h)`, `r.PathPrefix(p).Handler(h)`. */
  private gorillaRoute(call: Node, x: Node, m: string, args: Node[], scope: Scope, fn: Fn): boolean {
    const chain = this.gorillaChain(x);
    const base = this.routerOf(chain.base, scope, fn);
    if (!base) return false;
    const fw = base.fw ?? (this.imported.has('gorilla/mux') ? 'gorilla/mux' : undefined);
    if (fw !== 'gorilla/mux') return false;
    const direct = m === 'HandleFunc' || m === 'Handle';
    if (direct && chain.base.id !== x.id) return false;
    const pathNode = direct ? args[0] : chain.path;
    const hNode = direct ? args[1] : args[0];
    const methodNodes = [...chain.methods];
    for (let up = call; up.parent?.type === 'selector_expression' && up.parent.parent?.type === 'call_expression'; up = up.parent.parent) {
      const k = up.parent.childForFieldName('field')?.text ?? '';
      if (!GORILLA_MATCHERS.has(k)) break;
      if (k === 'Methods') methodNodes.push(...this.args(up.parent.parent));
    }
    if (!hNode) return true;
    let path = pathNode ? this.evalString(pathNode, scope) : '';
    if (path === undefined) {
      if (base.sure) this.warn(call, `route path computed at run time: ${shortText(pathNode as Node, 60)}`);
      return true;
    }
    if (!base.sure && !(this.isPathLiteral(pathNode, scope) && this.looksLikeHandler(hNode, scope, fn))) return false;
    const loc = this.rowLoc ?? locOf(call);
    const sub = this.mountTarget(hNode, scope, fn);
    if (sub) {
      this.facts.mounts.push({ parent: base.ref, child: sub.router.ref, prefix: sub.strip !== undefined ? sub.strip : path, style: 'brace', loc });
      return true;
    }
    if (chain.prefix && !direct) path = path.replace(/\/$/, '') + '/{*}';
    const methods: string[] = [];
    for (const n of methodNodes) {
      const s = this.evalString(n, scope);
      if (s === undefined) {
        this.warn(call, `route method computed at run time: ${shortText(n, 60)}`);
        return true;
      }
      methods.push(s.toUpperCase());
    }
    const handler = this.handlerOf(hNode, scope, fn);
    for (const method of methods.length > 0 ? methods : ['ANY']) this.facts.routes.push({ router: base.ref, method, path, style: 'brace', handler, framework: 'gorilla/mux', loc });
    return true;
  }

  /** A call handing routers to a function (`articles.Register(api, h)`, `h.Register(v1)`): the function's router parameters get mounted. */
  private callFact(call: Node, args: Node[], scope: Scope, fn: Fn): void {
    const f = call.childForFieldName('function');
    if (args.length === 0 || !f) return;
    let any = false;
    const refs = args.map((a) => {
      if (a.type !== 'identifier' && a.type !== 'call_expression' && a.type !== 'selector_expression') return undefined;
      const v = this.evalVal(a, scope, fn);
      if (v?.k !== 'router' || !v.sure) return undefined;
      any = true;
      return v.ref;
    });
    if (!any) return;
    const callee = this.calleeRef(f, scope, fn);
    if (callee) this.facts.calls.push({ callee, args: refs, loc: locOf(call) });
  }

  // ---- returns, entries, errors -------------------------------------------------------------------------------

  private onReturn(node: Node, scope: Scope, fn: Fn): void {
    const list = node.namedChildren[0];
    const exprs = list?.type === 'expression_list' ? list.namedChildren.filter((x): x is Node => x !== null) : list ? [list] : [];
    if (exprs.length === 0) return;
    if (!fn.literal && fn.qual) {
      // A function returning a router is that router to its callers (`r.Mount("/x", articles.Routes())`).
      const first = exprs[0] as Node;
      const v = this.evalVal(first, scope, fn);
      const router = v?.k === 'router' && (v.sure || fn.returnsRouter || fn.returnsHandler) ? v : this.mountTarget(first, scope, fn)?.router;
      const fw = router?.fw ?? fn.returnsRouter ?? [...this.imported][0];
      if (router && fw && !(router.ref.kind === 'local' && router.ref.name === fn.qual)) {
        this.ensureRouter(fn.qual, fw, locOf(node));
        this.facts.mounts.push({ parent: { kind: 'local', name: fn.qual }, child: router.ref, prefix: '', style: STYLE[fw], loc: locOf(node) });
      }
    }
    if (fn.inside && this.isErrorValue(exprs[exprs.length - 1] as Node, scope)) this.error('return-error', node, fn);
  }

  /** `err`, `ErrNotFound`, `fmt.Errorf(…)`, `errors.New(…)`, `status.Error(…)`, `&NotFoundError{…}`. */
  private isErrorValue(e: Node, scope: Scope): boolean {
    switch (e.type) {
      case 'identifier':
        return ERR_NAME.test(e.text);
      case 'selector_expression':
        return /^Err[A-Z0-9]/.test(e.childForFieldName('field')?.text ?? '');
      case 'unary_expression':
      case 'parenthesized_expression': {
        const inner = e.childForFieldName('operand') ?? e.namedChildren[0];
        return inner ? this.isErrorValue(inner, scope) : false;
      }
      case 'composite_literal':
        return /Err(?:or)?$/.test(this.typeName(e.childForFieldName('type'))?.name ?? '');
      case 'call_expression': {
        const f = e.childForFieldName('function');
        const args = this.args(e);
        if (!f) return false;
        if (f.type === 'identifier') return /Err/.test(f.text);
        if (f.type !== 'selector_expression') return false;
        const x = f.childForFieldName('operand');
        const m = f.childForFieldName('field')?.text ?? '';
        const pkg = this.pkgOf(x, scope);
        if (pkg !== undefined && this.packageErrorKind(pkg, m, args, scope) === 'http-error') return false;
        if (pkg !== undefined && ERROR_PACKAGES.has(pkg)) return pkg === 'fmt' ? m === 'Errorf' : m !== 'Is' && m !== 'As';
        if (m === 'Error' && args.length === 0) return false;
        if (m === 'Err' && args.length === 0) return true;
        return /Err/.test(m);
      }
      default:
        return false;
    }
  }

  /** Errors from package functions: `log.Fatal`, `os.Exit(1)`, `slog.Error`, `echo.NewHTTPError(404)`, `log.Printf("…%v", err)`. */
  private packageErrorKind(pkg: string, m: string, args: Node[], scope: Scope): ErrorKind | undefined {
    if (ERROR_PACKAGES.has(pkg)) return undefined;
    if (/^(?:Fatal|Panic)/.test(m)) return 'panic';
    if (pkg === 'os' && m === 'Exit') return args[0]?.text === '0' ? undefined : 'panic';
    const fw = frameworkOfModule(pkg);
    if ((fw === 'echo' && m === 'NewHTTPError') || (fw === 'fiber' && m === 'NewError')) return this.errorStatus(args[0], scope, true) ? 'http-error' : undefined;
    if (m === 'Status' && pkg.endsWith('/render') && this.errorStatus(args[1], scope, false)) return 'http-error';
    if (/^Error(?:f|w|ln|Context)?$/.test(m)) return 'log-error';
    if (/^Print(?:f|ln)?$/.test(m) && args.some((a) => a.type === 'identifier' && ERR_NAME.test(a.text))) return 'log-error';
    return undefined;
  }

  /** Errors from method calls: `w.WriteHeader(500)`, `c.JSON(http.StatusNotFound, …)`, `c.AbortWithStatus(401)`, `logger.Error(…)`, `log.Fatal`. */
  private checkErrorCall(call: Node, m: string, args: Node[], scope: Scope, fn: Fn): void {
    if (!fn.inside) return;
    if (/^(?:Fatal|Panic)(?:f|ln|w)?$/.test(m)) return this.error('panic', call, fn);
    if (ABORTS.has(m)) return this.error('http-error', call, fn);
    if (STATUS_FIRST.has(m) && this.errorStatus(args[0], scope, false)) return this.error('http-error', call, fn);
    if (/^Error(?:f|w|ln|Context)?$/.test(m)) {
      if (args.length > 0) return this.error('log-error', call, fn);
      // zerolog: log.Error().Err(err).Msg("…")
      const up = call.parent?.type === 'selector_expression' ? call.parent.childForFieldName('field')?.text : undefined;
      if (up === 'Err' || up === 'Msg' || up === 'Msgf' || up === 'Send') this.error('log-error', call, fn);
    }
  }

  /** Whether a status argument is 4xx/5xx (`unknownIsError`: a computed status counts). */
  private errorStatus(node: Node | undefined, scope: Scope, unknownIsError: boolean): boolean {
    if (!node) return unknownIsError;
    let code: number | undefined;
    if (node.type === 'int_literal') code = Number(node.text);
    else if (node.type === 'selector_expression') code = STATUS[node.childForFieldName('field')?.text ?? ''];
    else if (node.type === 'identifier') {
      const v = this.lookup(node.text, scope);
      code = v?.k === 'expr' && v.node.type === 'int_literal' ? Number(v.node.text) : STATUS[node.text];
    }
    return code === undefined ? unknownIsError : code >= 400;
  }

  /** `if err != nil {}` with nothing but comments inside drops the error. */
  private checkSwallow(node: Node, fn: Fn): void {
    if (!fn.inside) return;
    const cond = node.childForFieldName('condition');
    if (!cond?.text.endsWith('!= nil')) return;
    const body = node.childForFieldName('consequence');
    if (cond.type !== 'binary_expression' || !body || node.childForFieldName('alternative')) return;
    if (cond.childForFieldName('operator')?.text !== '!=') return;
    const l = cond.childForFieldName('left');
    const r = cond.childForFieldName('right');
    if (l?.type !== 'identifier' || !ERR_NAME.test(l.text) || r?.type !== 'nil') return;
    const empty = body.namedChildren.every((c) => !c || c.type === 'comment' || (c.type === 'statement_list' && c.namedChildren.every((s) => !s || s.type === 'comment' || s.type === 'empty_statement')));
    if (empty) this.error('swallow', node, fn);
  }

  /** The statement a `recover()` is in: the `if r := recover(); r != nil {…}` when it is the initializer. */
  private statementOf(call: Node): Node {
    let n: Node = call;
    while (n.parent && !n.type.endsWith('_statement') && n.type !== 'short_var_declaration') n = n.parent;
    if (n.parent?.type === 'if_statement' && n.parent.childForFieldName('initializer')?.id === n.id) return n.parent;
    return n;
  }

  private error(kind: ErrorKind, node: Node, fn: Fn): void {
    if (this.isTest) return;
    const loc = locOf(node);
    const key = `e${loc.line}:${loc.column}:${kind}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.facts.errors.push({ kind, text: shortText(node), function: fn.name, loc });
  }

  private entry(detail: string, call: Node, framework: string): void {
    if (this.isTest) return;
    const loc = locOf(call);
    const key = `n${loc.line}:${loc.column}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.facts.entries.push({ detail, name: shortText(call, 80), framework, loc });
  }

  private warn(node: Node, message: string): void {
    const line = node.startPosition.row + 1;
    const key = `w${line}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.facts.warnings.push({ line, message });
  }

  // ---- gRPC ---------------------------------------------------------------------------------------------------

  private addGrpc(type: string, service: string): void {
    let set = this.grpc.get(type);
    if (!set) this.grpc.set(type, (set = new Set()));
    set.add(service);
  }

  /** Streaming methods name their service in the stream type: `stream pb.ArticleService_ListArticlesServer`. */
  private streamMarkers(container: string, params: Node | null): void {
    for (const p of params?.namedChildren ?? []) {
      const t = p?.childForFieldName('type');
      if (!t?.text.endsWith('Server') || !t.text.includes('_')) continue;
      const tn = this.typeName(t);
      const m = tn?.pkg ? GRPC_STREAM.exec(tn.name) : undefined;
      if (m) this.addGrpc(container, m[1] as string);
    }
  }

  private emitGrpc(): void {
    for (const [type, services] of this.grpc) {
      const methods = (this.methods.get(type) ?? []).filter((m) => /^[A-Z]/.test(m.name));
      const loc = this.types.get(type)?.loc ?? methods[0]?.loc ?? { line: 1, column: 1 };
      for (const service of services) this.facts.grpcImpls.push({ service, container: type, methods, framework: 'grpc', loc });
    }
  }
}

/** The type a constructor's name promises: `NewHandler` → `Handler`. */
function constructed(fn: string): string | undefined {
  return /^New[A-Z]/.test(fn) ? fn.slice(3) : undefined;
}

/** A Go 1.22 ServeMux pattern: `[METHOD ][HOST]/PATH`. */
export function parsePattern(raw: string): { method?: string | undefined; path: string } {
  let s = raw.trim();
  let method: string | undefined;
  const m = /^([A-Z]+)\s+(.*)$/.exec(s);
  if (m) {
    method = m[1];
    s = (m[2] as string).trim();
  }
  const slash = s.indexOf('/');
  if (slash > 0) s = s.slice(slash);
  return { method, path: s };
}
