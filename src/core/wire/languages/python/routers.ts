/**
 * The state of one Python file's read and what the other layers of the reader build on: the file's query captures
 * and function nesting, its names (exports, imports, refs), assignments by scope, router variables (Flask, Quart,
 * FastAPI, DRF constructors, parameters used as routers) and constant values.
 *
 * The reader is one class built in layers, each extending the one before: routers.ts → handlers.ts (views, loops
 * over route tables) → routes.ts (Flask / FastAPI / DRF registrations) → python.ts (the file's read, entries).
 */
import type { Node } from '../../node';
import type { emptyFacts, ParamStyle, Ref } from '../../facts';
import type { ExtractInput } from '../../language';
import { locOf, shortText } from '../../syntax';
import { query } from '../../treeSitter';
import { PyModules, rememberSummary } from './modules';
import { summarize, toExpr, type ModuleSummary } from './summary';
import { argument, callArgs, calleeName, type CallArgs, dotted, enclosingFunction, type Env, kids, lastSegment, NO_ENV, paramName, params, qualifiedName, sequenceItems } from './syntax';

type Facts = ReturnType<typeof emptyFacts>;

/** Router constructors → framework. */
const ROUTER_CTORS: Readonly<Record<string, string>> = {
  Flask: 'flask',
  Quart: 'quart',
  Blueprint: 'flask',
  FastAPI: 'fastapi',
  APIRouter: 'fastapi',
  DefaultRouter: 'drf',
  SimpleRouter: 'drf',
  ExtendedDefaultRouter: 'drf',
  ExtendedSimpleRouter: 'drf',
  NestedSimpleRouter: 'drf',
  NestedDefaultRouter: 'drf',
};

/** App objects (not blueprints or routers): their construction is a bootstrap entry. */
const APP_CTORS: ReadonlySet<string> = new Set(['Flask', 'Quart', 'FastAPI']);

/** Methods only FastAPI routers have, and only Flask apps/blueprints have (to tell a parameter router's framework). */
const FASTAPI_ONLY: ReadonlySet<string> = new Set(['include_router', 'api_route', 'add_api_route', 'add_api_websocket_route', 'websocket', 'mount']);
const FLASK_ONLY: ReadonlySet<string> = new Set(['register_blueprint', 'add_url_rule']);

const QUERY = `
(function_definition) @fn
(class_definition) @class
(call) @call
(assignment) @assign
(import_statement) @import
(import_from_statement) @import
(raise_statement) @raise
(except_clause) @except
(return_statement) @return
`;

export interface RouterInfo {
  readonly name: string;
  readonly framework: string;
  /** DRF routers: whether generated routes end with '/'. */
  readonly trailingSlash?: boolean | undefined;
}

/** Scope key of the module level in the per-scope maps (function scopes are keyed by node id). */
export const MODULE = -1;

export abstract class PyReaderBase {
  readonly file: string;
  readonly mods: PyModules;
  protected readonly summary: ModuleSummary;
  /** The web framework this file imports, for routers whose constructor is not in sight (a parameter, an import). */
  protected readonly fileFramework: string | undefined;
  /** Routers by scope, then variable name. */
  private readonly routerVars = new Map<number, Map<string, RouterInfo>>();
  protected readonly routerByName = new Map<string, RouterInfo>();
  /** Assignments by scope, then variable name → the assigned value (the last one in the scope). */
  protected readonly assigned = new Map<number, Map<string, Node>>();
  /** gRPC server variables (`server = grpc.server(...)`) by scope. */
  protected readonly grpcServers = new Map<number, Set<string>>();

  /** The nodes the file's query captured, by capture name. */
  private readonly nodes = new Map<string, Node[]>();
  /** The names each function calls (by function node id), from the calls directly in its body. */
  protected readonly callsByFunction = new Map<number, Set<string>>();

  constructor(
    protected readonly input: ExtractInput,
    readonly facts: Facts,
  ) {
    this.file = input.file;
    for (const c of query(input.language, input.grammar, QUERY).captures(input.root)) {
      let list = this.nodes.get(c.name);
      if (!list) this.nodes.set(c.name, (list = []));
      list.push(c.node);
    }
    this.summary = summarize(input.root, this.captured('import'));
    rememberSummary(input.project, input.file, input.text, this.summary);
    this.mods = new PyModules(input.project, input.language, { file: input.file, summary: this.summary });
    const modules = this.summary.imports.map((i) => i.module);
    const uses = (m: string): boolean => modules.some((x) => x === m || x.startsWith(m + '.'));
    this.fileFramework = uses('fastapi') ? 'fastapi' : uses('quart') ? 'quart' : uses('flask') ? 'flask' : undefined;
  }

  protected captured(name: string): Node[] {
    return this.nodes.get(name) ?? [];
  }

  /** Function definitions in document order, each with the index of the one it is nested in (-1: none). */
  private fnSpans: FnSpan[] | undefined;

  /** The innermost function definition around a node (a binary search over the captured definitions). */
  protected functionOf(node: Node): Node | undefined {
    const spans = (this.fnSpans ??= nestSpans(this.captured('fn')));
    let lo = 0;
    let hi = spans.length - 1;
    let last = -1; // the last definition starting before the node
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((spans[mid] as FnSpan).start < node.startIndex) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = last; i >= 0; ) {
      const f = spans[i] as FnSpan;
      if (f.end >= node.endIndex) return f.node;
      i = f.outer;
    }
    return undefined;
  }

  // ---- names -------------------------------------------------------------------------------------------

  /** Every top-level name: definitions, assignments and imports (Python exports them all). */
  protected readExports(top: readonly Node[]): void {
    const add = (n: string | undefined): void => {
      if (n && !n.includes('.') && n !== '*') this.facts.exports[n] = n;
    };
    for (const st of top) {
      const def = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
      if (def?.type === 'function_definition' || def?.type === 'class_definition') add(def.childForFieldName('name')?.text);
      else if (st.type === 'expression_statement') {
        const a = kids(st)[0];
        const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
        if (left?.type === 'identifier') add(left.text);
        else for (const item of sequenceItems(left) ?? []) if (item.type === 'identifier') add(item.text);
      }
    }
    for (const imp of this.summary.imports) add(imp.local);
  }

  /** A Ref for a dotted name as written in this file: through an import when its head is imported, else local. */
  refOf(name: string): Ref {
    const segs = name.split('.');
    for (let k = segs.length; k >= 1; k--) {
      const local = segs.slice(0, k).join('.');
      if (this.facts.imports.some((i) => i.local === local)) return { kind: 'import', binding: local, member: k < segs.length ? segs.slice(k).join('.') : undefined };
    }
    const head = segs[0] as string;
    if (!this.summary.classes.has(head) && !this.summary.functions.has(head) && !this.summary.values.has(head)) {
      // A name from `from .views import *`: bind it explicitly so compose.ts can follow it.
      for (const imp of this.summary.imports) {
        if (imp.local !== '*') continue;
        const hit = this.mods.resolve(this.file, imp.module).some((f) => this.mods.lookup(f, head) !== undefined);
        if (hit) {
          this.facts.imports.push({ local: head, module: imp.module, name: head });
          return { kind: 'import', binding: head, member: segs.length > 1 ? segs.slice(1).join('.') : undefined };
        }
      }
    }
    return { kind: 'local', name };
  }

  /** An ImportFact for a module named by a string (Django `include('blog.urls')`); returns its binding. */
  importModule(module: string): string {
    if (!this.facts.imports.some((i) => i.local === module && i.module === module)) this.facts.imports.push({ local: module, module, name: '*' });
    return module;
  }

  warn(node: Node, message: string): void {
    this.facts.warnings.push({ line: locOf(node).line, message });
  }

  // ---- scopes and values -------------------------------------------------------------------------------

  protected scopeOf(node: Node): number {
    return this.functionOf(node)?.id ?? MODULE;
  }

  protected readAssignment(a: Node): void {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) return;
    const scope = this.scopeOf(a);
    let vars = this.assigned.get(scope);
    if (!vars) this.assigned.set(scope, (vars = new Map()));
    vars.set(left.text, right);
    if (right.type !== 'call') return;
    const callee = calleeName(right) ?? '';
    const ctor = lastSegment(callee);
    const framework = ROUTER_CTORS[ctor];
    if (framework) {
      const fn = enclosingFunction(a);
      const name = fn ? `${qualifiedName(fn)}.${left.text}` : left.text;
      const args = callArgs(right);
      const fw = ctor === 'Blueprint' && this.fileFramework === 'quart' ? 'quart' : framework;
      const info: RouterInfo = { name, framework: fw, trailingSlash: args.keywords.get('trailing_slash')?.text !== 'False' };
      this.addRouterVar(scope, left.text, info);
      const prefixNode = fw === 'fastapi' ? args.keywords.get('prefix') : fw === 'drf' ? undefined : args.keywords.get('url_prefix');
      const prefix = prefixNode ? this.valueString(prefixNode, a) : '';
      if (prefix === undefined && prefixNode) this.warn(prefixNode, `Router prefix \`${shortText(prefixNode, 60)}\` is computed at run time: routes are listed without it.`);
      this.facts.routers.push({ name, framework: fw, prefix: prefix || undefined, style: styleOf(prefix ?? ''), loc: locOf(a) });
      if (APP_CTORS.has(ctor)) this.facts.entries.push({ detail: 'bootstrap', name: shortText(a, 80), framework: fw, loc: locOf(a) });
      if (ctor === 'DefaultRouter') {
        this.facts.routes.push({ router: { kind: 'local', name }, method: 'GET', path: '', style: 'angle', handler: { kind: 'member', container: 'DefaultRouter', name: 'APIRootView' }, framework: 'drf', loc: locOf(right) });
      }
      if (ctor.startsWith('Nested')) this.nestedRouter(right, args, name, a);
    } else if (/(?:^|\.)(?:grpc|aio)\.server$/.test(callee)) {
      let set = this.grpcServers.get(scope);
      if (!set) this.grpcServers.set(scope, (set = new Set()));
      set.add(left.text);
    } else if (ctor === 'Mangum') {
      this.facts.entries.push({ detail: 'serverless', name: left.text, framework: 'aws-lambda', loc: locOf(a) });
    } else if ((ctor === 'get_wsgi_application' || ctor === 'get_asgi_application') && scope === MODULE) {
      this.facts.entries.push({ detail: 'bootstrap', name: shortText(a, 80), framework: 'django', loc: locOf(a) });
    }
  }

  /** drf-nested-routers: `NestedSimpleRouter(router, r'articles', lookup='article')` routes under `articles/<article_pk>/`. */
  private nestedRouter(call: Node, args: CallArgs, name: string, site: Node): void {
    const parent = args.positional[0] ? this.routerRef(args.positional[0], site) : undefined;
    const prefix = this.valueString(argument(args, 'parent_prefix', 1), site);
    const lookup = this.valueString(args.keywords.get('lookup'), site);
    if (!parent || prefix === undefined || lookup === undefined) return;
    const fact = this.facts.routers.find((r) => r.name === name);
    if (fact) this.facts.routers[this.facts.routers.indexOf(fact)] = { ...fact, prefix: `${prefix}/<${lookup}_pk>`, style: 'angle' };
    this.facts.mounts.push({ parent, child: { kind: 'local', name }, prefix: '', style: 'angle', loc: locOf(call) });
  }

  private addRouterVar(scope: number, variable: string, info: RouterInfo): void {
    let vars = this.routerVars.get(scope);
    if (!vars) this.routerVars.set(scope, (vars = new Map()));
    vars.set(variable, info);
    this.routerByName.set(info.name, info);
  }

  /** A router met as a parameter or variable that receives router calls (its constructor is elsewhere). */
  private addUsedRouter(scope: number, variable: string, info: RouterInfo, at: Node): void {
    this.addRouterVar(scope, variable, info);
    this.facts.routers.push({ name: info.name, framework: info.framework, style: 'brace', loc: locOf(at) });
  }

  /** The value a variable has in the scopes around a node (function scopes, innermost first; not the module). */
  protected localValue(site: Node, name: string): Node | undefined {
    for (let fn = enclosingFunction(site); fn; fn = enclosingFunction(fn)) {
      const v = this.assigned.get(fn.id)?.get(name);
      if (v) return v;
    }
    return undefined;
  }

  value(node: Node | null | undefined, site: Node, env: Env = NO_ENV): string | string[] | undefined {
    const expr = toExpr(node, (name) => env.get(name) ?? this.localValue(site, name));
    return expr ? this.mods.evaluate(this.file, expr) : undefined;
  }

  valueString(node: Node | null | undefined, site: Node, env: Env = NO_ENV): string | undefined {
    const v = this.value(node, site, env);
    return typeof v === 'string' ? v : undefined;
  }

  protected valueList(node: Node | null | undefined, site: Node, env: Env = NO_ENV): string[] | undefined {
    const v = this.value(node, site, env);
    return typeof v === 'string' ? [v] : v;
  }

  /**
   * The router an expression names, as a Ref: a router variable in the scopes around `site`, a parameter or
   * variable used as one (created when `framework` is given: the expression receives router calls), or an
   * imported name. Undefined for anything else.
   */
  routerRef(expr: Node, site: Node, framework?: string): Ref | undefined {
    const name = dotted(expr);
    if (name === undefined) return undefined;
    if (!name.includes('.')) {
      for (let fn = enclosingFunction(site); fn; fn = enclosingFunction(fn)) {
        const r = this.routerVars.get(fn.id)?.get(name);
        if (r) return { kind: 'local', name: r.name };
        const ps = params(fn);
        const local = this.assigned.get(fn.id)?.has(name);
        if (ps.includes(name) || local) {
          if (!framework) return undefined;
          const fw = paramFramework(fn, name) ?? framework;
          const info: RouterInfo = { name: local ? `${qualifiedName(fn)}.${name}` : `${qualifiedName(fn)}(${name})`, framework: fw };
          this.addUsedRouter(fn.id, name, info, fn);
          return { kind: 'local', name: info.name };
        }
      }
      const r = this.routerVars.get(MODULE)?.get(name);
      if (r) return { kind: 'local', name: r.name };
      if (this.assigned.get(MODULE)?.has(name) && framework) {
        this.addUsedRouter(MODULE, name, { name, framework }, this.assigned.get(MODULE)?.get(name) ?? site);
        return { kind: 'local', name };
      }
    }
    const ref = this.refOf(name);
    return ref.kind === 'import' ? ref : undefined;
  }

  /** The framework of a router Ref in this file (undefined for imported routers). */
  protected frameworkOf(ref: Ref): string | undefined {
    return ref.kind === 'local' ? this.routerByName.get(ref.name)?.framework : undefined;
  }

  /** The framework a router method implies. */
  protected hintFor(method: string): string {
    if (FASTAPI_ONLY.has(method)) return 'fastapi';
    if (FLASK_ONLY.has(method)) return this.fileFramework === 'quart' ? 'quart' : 'flask';
    return this.fileFramework ?? 'flask';
  }
}

interface FnSpan {
  readonly node: Node;
  readonly start: number;
  readonly end: number;
  /** Index of the enclosing definition, -1 at the top. */
  readonly outer: number;
}

/** Spans of definitions given in document order, linked to the definitions they are nested in. */
function nestSpans(fns: readonly Node[]): FnSpan[] {
  const spans: FnSpan[] = [];
  const open: number[] = [];
  for (const fn of fns) {
    while (open.length > 0 && (spans[open[open.length - 1] as number] as FnSpan).end <= fn.startIndex) open.pop();
    spans.push({ node: fn, start: fn.startIndex, end: fn.endIndex, outer: open[open.length - 1] ?? -1 });
    open.push(spans.length - 1);
  }
  return spans;
}

/** The framework a parameter's type annotation names (`app: FastAPI`, `bp: Blueprint`). */
function paramFramework(fn: Node, param: string): string | undefined {
  for (const p of kids(fn.childForFieldName('parameters'))) {
    if (paramName(p) !== param) continue;
    const t = p.childForFieldName('type')?.text ?? '';
    if (/\b(FastAPI|APIRouter)\b/.test(t)) return 'fastapi';
    if (/\b(Flask|Blueprint)\b/.test(t)) return 'flask';
  }
  return undefined;
}

/** Flask paths use `<id>`, FastAPI/Starlette paths `{id}`. */
export function styleOf(path: string): ParamStyle {
  return path.includes('<') ? 'angle' : 'brace';
}
