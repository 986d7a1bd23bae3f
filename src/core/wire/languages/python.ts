/**
 * Python: Flask (and Quart) apps and blueprints, FastAPI apps and APIRouters, Django urls.py with Django REST
 * framework routers and views, gRPC servicers, entry points (`__main__`, app.run, uvicorn, manage.py, AWS
 * Lambda, Celery tasks, gRPC servers) and error exits. Routers are variables, named by scope: `app` at module
 * level, `create_app.app` inside a factory, `register(app)` for a function parameter used as a router.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { emptyFacts, type FileFacts, type HandlerRef, type ParamStyle, type Ref } from '../facts';
import type { ExtractInput, LanguageSupport } from '../language';
import { locOf, shortText } from '../syntax';
import { query } from '../treeSitter';
import { readUrlModule, type PyContext, type ViewRoute } from './python/django';
import { readErrors } from './python/errors';
import { moduleStatements, PyModules, resolvePythonModule, submodule, summarize, toExpr, type Binding, type ModuleSummary } from './python/modules';
import { argument, callArgs, calledName, calleeName, type CallArgs, decoratorsOf, dotted, enclosingClass, enclosingFunction, type Env, HTTP_METHODS, kids, lastSegment, NO_ENV, paramName, params, qualifiedName, sequenceItems, unparen } from './python/syntax';
import { builtinViewMethods, classViewMethods, mappedViewMethods, viewSetRoutes, type ViewMethod } from './python/views';

type Facts = ReturnType<typeof emptyFacts>;

/** Substrings that mark a file worth parsing: framework imports, route registrations, handler shapes, entry points. */
const HINTS = [
  'from flask import',
  'from flask.',
  'import flask',
  'from quart',
  'fastapi',
  'starlette',
  'django.urls',
  'django.conf.urls',
  'django.http',
  'django.shortcuts',
  'django.views',
  'django.core.wsgi',
  'django.core.asgi',
  'rest_framework',
  'urlpatterns',
  'Blueprint',
  'APIRouter',
  '.route(',
  'add_url_rule',
  'include_router',
  'as_view',
  'ViewSet',
  'APIView',
  'MethodView',
  '(request',
  '(self, request',
  '_pb2_grpc',
  'Servicer',
  'grpc.server',
  'aio.server',
  '__main__',
  'event, context',
  'lambda_handler',
  'def handler(',
  'uvicorn',
  'Mangum',
  'shared_task',
  '.task(',
  '.task\n',
  '.task\r',
];

/** The hints as one alternation of escaped literals: the same substring test, several times faster than a loop of includes(). */
const HINT_RE = new RegExp(HINTS.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

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

/** Decorators that register a route on a Flask/FastAPI app or router. */
const ROUTE_DECORATORS: ReadonlySet<string> = new Set(['route', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'api_route', 'websocket']);

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

/** Python (.py). */
export const pythonSupport: LanguageSupport = {
  language: 'python',
  extensions: ['.py'],
  grammar: () => 'python',
  interesting(text: string, file: string): boolean {
    if (file.endsWith('__init__.py') && text.includes('import')) return true;
    return HINT_RE.test(text);
  },
  extract(input: ExtractInput): FileFacts {
    const facts = emptyFacts(input.file, 'python');
    try {
      new PythonReader(input, facts).read();
    } catch (e) {
      facts.warnings.push({ line: 1, message: `Python reader stopped early: ${(e as Error).message}` });
    }
    return facts;
  },
  resolveModule: (fromFile, module, project) => resolvePythonModule(fromFile, module, project),
  submodule,
};

interface RouterInfo {
  readonly name: string;
  readonly framework: string;
  /** DRF routers: whether generated routes end with '/'. */
  readonly trailingSlash?: boolean | undefined;
}

/** Scope key of the module level in the per-scope maps (function scopes are keyed by node id). */
const MODULE = -1;

/** One file's walk. */
class PythonReader implements PyContext {
  readonly file: string;
  readonly mods: PyModules;
  private readonly summary: ModuleSummary;
  /** The web framework this file imports, for routers whose constructor is not in sight (a parameter, an import). */
  private readonly fileFramework: string | undefined;
  /** Routers by scope, then variable name. */
  private readonly routerVars = new Map<number, Map<string, RouterInfo>>();
  private readonly routerByName = new Map<string, RouterInfo>();
  /** Assignments by scope, then variable name → the assigned value (the last one in the scope). */
  private readonly assigned = new Map<number, Map<string, Node>>();
  /** gRPC server variables (`server = grpc.server(...)`) by scope. */
  private readonly grpcServers = new Map<number, Set<string>>();

  /** The nodes the file's query captured, by capture name. */
  private readonly nodes = new Map<string, Node[]>();
  /** The names each function calls (by function node id), from the calls directly in its body. */
  private readonly callsByFunction = new Map<number, Set<string>>();

  constructor(
    private readonly input: ExtractInput,
    readonly facts: Facts,
  ) {
    this.file = input.file;
    for (const c of query(input.language, input.grammar, QUERY).captures(input.root)) {
      let list = this.nodes.get(c.name);
      if (!list) this.nodes.set(c.name, (list = []));
      list.push(c.node);
    }
    this.summary = summarize(input.root, this.captured('import'));
    this.mods = new PyModules(input.project, input.language, { file: input.file, summary: this.summary });
    const modules = this.summary.imports.map((i) => i.module);
    const uses = (m: string): boolean => modules.some((x) => x === m || x.startsWith(m + '.'));
    this.fileFramework = uses('fastapi') ? 'fastapi' : uses('quart') ? 'quart' : uses('flask') ? 'flask' : undefined;
  }

  private captured(name: string): Node[] {
    return this.nodes.get(name) ?? [];
  }

  /** Function definitions in document order, each with the index of the one it is nested in (-1: none). */
  private fnSpans: FnSpan[] | undefined;

  /** The innermost function definition around a node (a binary search over the captured definitions). */
  private functionOf(node: Node): Node | undefined {
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

  read(): void {
    const fns = this.captured('fn');
    const calls = this.captured('call');
    this.facts.imports.push(...this.summary.imports);
    const top = moduleStatements(this.input.root);
    this.readExports(top);
    for (const a of this.captured('assign')) this.readAssignment(a);
    for (const call of calls) {
      const fn = this.functionOf(call);
      const name = calledName(call);
      if (!fn || !name) continue;
      let set = this.callsByFunction.get(fn.id);
      if (!set) this.callsByFunction.set(fn.id, (set = new Set()));
      set.add(name);
    }
    for (const fn of fns) this.readFunction(fn);
    for (const cls of this.captured('class')) this.readClass(cls);
    for (const call of calls) if (call.parent?.type === 'decorator') this.readDecorator(call.parent, call);
    for (const fn of fns) for (const d of decoratorsOf(fn)) if (d.type !== 'call') this.taskDecorator(d, fn);
    readUrlModule(this, top);
    for (const call of calls) this.readRouterCall(call);
    // after every router is known: routers passed to functions, app.run()
    for (const call of calls) if (call.parent?.type !== 'decorator') this.readCall(call);
    this.readMainGuard();
    readErrors({ raises: this.captured('raise'), excepts: this.captured('except'), calls, returns: this.captured('return'), assignments: this.captured('assign') }, this.facts, (n) => this.functionOf(n));
  }

  // ---- names -------------------------------------------------------------------------------------------

  /** Every top-level name: definitions, assignments and imports (Python exports them all). */
  private readExports(top: readonly Node[]): void {
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

  private scopeOf(node: Node): number {
    return this.functionOf(node)?.id ?? MODULE;
  }

  private readAssignment(a: Node): void {
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
  private localValue(site: Node, name: string): Node | undefined {
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

  private valueList(node: Node | null | undefined, site: Node, env: Env = NO_ENV): string[] | undefined {
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
  private frameworkOf(ref: Ref): string | undefined {
    return ref.kind === 'local' ? this.routerByName.get(ref.name)?.framework : undefined;
  }

  /** The framework a router method implies. */
  private hintFor(method: string): string {
    if (FASTAPI_ONLY.has(method)) return 'fastapi';
    if (FLASK_ONLY.has(method)) return this.fileFramework === 'quart' ? 'quart' : 'flask';
    return this.fileFramework ?? 'flask';
  }

  // ---- functions and classes ---------------------------------------------------------------------------

  private readFunction(fn: Node): void {
    const name = fn.childForFieldName('name')?.text;
    if (!name) return;
    const cls = enclosingClass(fn);
    const container = cls?.childForFieldName('name')?.text;
    let ps = params(fn);
    // Call sites do not pass `self` / `cls`: drop it so CallFact arguments line up with the parameters.
    if (container && (ps[0] === 'self' || ps[0] === 'cls')) ps = ps.slice(1);
    this.facts.functions.push({ name, container, params: ps, loc: locOf(fn, true), calls: [...(this.callsByFunction.get(fn.id) ?? [])] });
    const topLevel = !container && !enclosingFunction(fn);
    const all = params(fn);
    if (topLevel && ((all.length === 2 && all[0] === 'event' && all[1] === 'context') || (name === 'lambda_handler' && all.length === 2))) {
      this.facts.entries.push({ detail: 'serverless', name, framework: 'aws-lambda', loc: locOf(fn) });
    }
  }

  /** Classes are recorded as functions too: a handler inherited from a framework class points at the class. */
  private readClass(cls: Node): void {
    const name = cls.childForFieldName('name')?.text;
    if (!name) return;
    const outer = enclosingClass(cls)?.childForFieldName('name')?.text;
    this.facts.functions.push({ name, container: outer, params: [], loc: locOf(cls, true) });
    const servicer = kids(cls.childForFieldName('superclasses'))
      .map((b) => dotted(b))
      .find((b) => b !== undefined && /Servicer$/.test(b) && b !== 'Servicer');
    if (!servicer) return;
    const methods = kids(cls.childForFieldName('body'))
      .map((s) => (s.type === 'decorated_definition' ? s.childForFieldName('definition') : s))
      .filter((s): s is Node => s?.type === 'function_definition')
      .filter((m) => !(m.childForFieldName('name')?.text ?? '_').startsWith('_'))
      .map((m) => ({ name: m.childForFieldName('name')?.text ?? '', loc: locOf(m, true) }));
    this.facts.grpcImpls.push({ service: lastSegment(servicer).replace(/Servicer$/, ''), container: name, methods, framework: 'grpc', loc: locOf(cls) });
  }

  // ---- Flask / FastAPI ---------------------------------------------------------------------------------

  /** `@app.route('/x', methods=[...])`, `@router.get('/{id}')`, `@bp.post(...)` on a function. */
  private readDecorator(decorator: Node, call: Node): void {
    const def = decorator.parent?.type === 'decorated_definition' ? decorator.parent.childForFieldName('definition') : undefined;
    if (def?.type !== 'function_definition') return;
    const f = call.childForFieldName('function');
    if (f?.type !== 'attribute') {
      if (lastSegment(calleeName(call) ?? '') === 'shared_task') this.taskDecorator(call, def);
      return;
    }
    const method = f.childForFieldName('attribute')?.text ?? '';
    const recv = f.childForFieldName('object');
    if (method === 'task') return this.taskDecorator(call, def);
    if (!ROUTE_DECORATORS.has(method) || !recv) return;
    const args = callArgs(call);
    const pathNode = argument(args, method === 'route' ? 'rule' : 'path', 0);
    if (!pathNode) return;
    const router = this.routerRef(recv, call, this.hintFor(method));
    if (!router) return;
    const path = this.valueString(pathNode, call);
    if (path === undefined) return this.warn(call, `Route path \`${shortText(pathNode, 60)}\` is computed at run time: not listed.`);
    const methods = method === 'route' || method === 'api_route' ? (this.valueList(args.keywords.get('methods'), call) ?? ['GET']) : [method === 'websocket' ? 'GET' : method.toUpperCase()];
    const framework = this.frameworkOf(router) ?? this.hintFor(method);
    const handler: HandlerRef = { kind: 'here', name: qualifiedName(def), loc: locOf(def, true) };
    for (const m of methods) this.facts.routes.push({ router, method: m.toUpperCase(), path: fastapiPath(path, framework), style: styleOf(path), handler, framework, loc: locOf(call) });
  }

  /** Celery: `@shared_task`, `@app.task`, `@celery.task(bind=True)` make a function a worker entry. */
  private taskDecorator(d: Node, fn: Node): void {
    const name = d.type === 'call' ? calleeName(d) : dotted(d);
    if (!name || !(name === 'shared_task' || name.endsWith('.shared_task') || (name.endsWith('.task') && name.split('.').length === 2))) return;
    this.facts.entries.push({ detail: 'worker', name: qualifiedName(fn), framework: 'celery', loc: locOf(fn) });
  }

  /** Route registrations and mounts by call: add_url_rule, add_api_route, register_blueprint, include_router, mount, DRF register. */
  private readRouterCall(call: Node): void {
    const f = call.childForFieldName('function');
    if (f?.type !== 'attribute') return;
    const method = f.childForFieldName('attribute')?.text ?? '';
    const recv = f.childForFieldName('object');
    if (!recv) return;
    switch (method) {
      case 'add_url_rule':
      case 'add_api_route':
      case 'add_route':
      case 'add_api_websocket_route':
      case 'add_websocket_route':
        return this.routeCall(call, recv, method);
      case 'register_blueprint':
      case 'include_router':
        return this.includeCall(call, recv, method);
      case 'mount':
        return this.mountCall(call, recv);
      case 'register':
        return this.drfRegister(call, recv);
    }
  }

  /** `app.add_url_rule('/x', view_func=v, methods=[...])`, `router.add_api_route('/x', endpoint, methods=[...])`. */
  private routeCall(call: Node, recv: Node, method: string): void {
    const flask = method === 'add_url_rule';
    const args = callArgs(call);
    const pathNode = argument(args, flask ? 'rule' : 'path', 0);
    const view = flask ? argument(args, 'view_func', 2) : argument(args, 'endpoint', 1);
    if (!pathNode || !view) return;
    const router = this.routerRef(recv, call, this.hintFor(method));
    if (!router) return;
    const websocket = method.includes('websocket');
    const framework = this.frameworkOf(router) ?? this.hintFor(method);
    for (const env of this.loopEnvs(call) ?? []) {
      const path = this.valueString(pathNode, call, env);
      if (path === undefined) return this.warn(call, `Route path \`${shortText(pathNode, 60)}\` is computed at run time: not listed.`);
      const explicit = this.valueList(args.keywords.get('methods'), call, env)?.map((m) => m.toUpperCase());
      for (const r of this.viewRoutes(view, call, env, ['GET'], websocket ? ['GET'] : explicit)) {
        this.facts.routes.push({ router, method: r.method, path: fastapiPath(path, framework), style: styleOf(path), handler: r.handler, framework, loc: locOf(call) });
      }
    }
  }

  /** `app.register_blueprint(bp, url_prefix='/x')` (the prefix replaces the blueprint's own), `app.include_router(r, prefix='/x')` (adds to it). */
  private includeCall(call: Node, recv: Node, method: string): void {
    const args = callArgs(call);
    const childNode = unparen(args.positional[0] ?? args.keywords.get(method === 'include_router' ? 'router' : 'blueprint'));
    const parent = this.routerRef(recv, call, this.hintFor(method));
    if (!childNode || !parent) return;
    const given = args.keywords.get(method === 'include_router' ? 'prefix' : 'url_prefix');
    const prefixNode = given?.type === 'none' ? undefined : given;
    for (const env of this.loopEnvs(call) ?? []) {
      const bound = childNode.type === 'identifier' ? env.get(childNode.text) : undefined;
      const child = this.routerRef(bound ?? childNode, call);
      if (!child) return this.warn(call, `\`${shortText(childNode, 60)}\` is not a router this scan can follow: its routes are not mounted.`);
      const prefix = prefixNode ? this.valueString(prefixNode, call, env) : '';
      if (prefix === undefined) this.warn(call, `Mount prefix \`${shortText(prefixNode ?? call, 60)}\` is computed at run time: routes are listed without it.`);
      this.facts.mounts.push({ parent, child, prefix: prefix ?? '', style: styleOf(prefix ?? ''), loc: locOf(call), replacesOwnPrefix: method === 'register_blueprint' && prefixNode !== undefined ? true : undefined });
    }
  }

  /** FastAPI/Starlette `app.mount('/v2', other_app)`, `app.mount('/static', StaticFiles(...))`. */
  private mountCall(call: Node, recv: Node): void {
    const name = dotted(recv);
    const router = name !== undefined && !name.includes('.') ? this.routerRef(recv, call) : undefined;
    if (!router || router.kind !== 'local') return;
    const args = callArgs(call);
    const path = this.valueString(argument(args, 'path', 0), call);
    const app = argument(args, 'app', 1);
    if (path === undefined || !app) return;
    const child = this.routerRef(app, call);
    if (child) {
      this.facts.mounts.push({ parent: router, child, prefix: path, style: 'brace', loc: locOf(call) });
      return;
    }
    const what = app.type === 'call' ? (calleeName(app) ?? shortText(app, 40)) : shortText(app, 40);
    this.facts.routes.push({ router, method: 'ANY', path: path.replace(/\/$/, '') + '/*', style: 'colon', handler: { kind: 'ref', ref: this.refOf(lastSegment(what)), display: what }, framework: this.frameworkOf(router) ?? 'fastapi', loc: locOf(call) });
  }

  /** DRF `router.register(r'articles', ArticleViewSet)`: the list, detail and `@action` routes of the ViewSet. */
  private drfRegister(call: Node, recv: Node): void {
    const args = callArgs(call);
    const prefixNode = argument(args, 'prefix', 0);
    const viewset = unparen(argument(args, 'viewset', 1));
    if (!prefixNode || !viewset) return;
    // A DRF router of this file, or an imported one (`from .routers import router`)
    const router = this.routerRef(recv, call);
    const info = router?.kind === 'local' ? this.routerByName.get(router.name) : undefined;
    if (!router || (router.kind === 'local' ? info?.framework !== 'drf' : !/router/i.test(recv.text))) return;
    for (const env of this.loopEnvs(call) ?? []) this.viewSetRoutes(call, router, info, prefixNode, viewset, env);
  }

  private viewSetRoutes(call: Node, router: Ref, info: RouterInfo | undefined, prefixNode: Node, viewset: Node, env: Env): void {
    const prefix = this.valueString(prefixNode, call, env);
    if (prefix === undefined) return this.warn(call, `Router prefix \`${shortText(prefixNode, 60)}\` is computed at run time: not listed.`);
    const name = dotted(viewset.type === 'identifier' ? (env.get(viewset.text) ?? viewset) : viewset);
    const b = name !== undefined ? this.mods.lookup(this.file, name) : undefined;
    if (name === undefined || b?.kind !== 'class') return this.warn(call, `ViewSet \`${shortText(viewset, 60)}\` is not defined in the workspace: its routes are not listed.`);
    const { routes, lookup } = viewSetRoutes(this.mods, b.file, b.cls);
    const regex = /[\^$()\\[\]]/.test(prefix);
    const param = regex ? `(?P<${lookup}>[^/.]+)` : `<${lookup}>`;
    const slash = info?.trailingSlash === false ? '' : '/';
    for (const r of routes) {
      const path = prefix + (r.detail ? '/' + param : '') + (r.urlPath ? '/' + r.urlPath : '') + slash;
      this.facts.routes.push({ router, method: r.method.method, path, style: regex ? 'regex' : 'angle', handler: this.classHandler(b, r.method), framework: 'drf', loc: locOf(call) });
    }
  }

  // ---- handlers ----------------------------------------------------------------------------------------

  /**
   * The routes a view expression gives: a function (methods from its decorators, else `fallback`), a class's
   * `as_view()` (one per method the class answers), a lambda, a wrapped view (`csrf_exempt(view)`), a variable
   * holding one of those. `explicit` methods from the registration site win.
   */
  viewRoutes(node: Node, site: Node, env: Env, fallback: readonly string[], explicit?: readonly string[], depth = 0): ViewRoute[] {
    const n = unparen(node);
    if (!n || depth > 4) return [];
    if (n.type === 'lambda') return (explicit ?? fallback).map((method) => ({ method, handler: { kind: 'here', name: '<lambda>', loc: locOf(n, true) } }));
    if (n.type === 'identifier') {
      const bound = env.get(n.text) ?? this.localValue(site, n.text) ?? (this.summary.functions.has(n.text) || this.summary.classes.has(n.text) ? undefined : this.assigned.get(MODULE)?.get(n.text));
      if (bound) return this.viewRoutes(bound, site, env, fallback, explicit, depth + 1);
    }
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      const cls = f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'as_view' ? f.childForFieldName('object') : undefined;
      if (cls) return this.classViewRoutes(cls, callArgs(n), explicit);
      const wrapped = callArgs(n).positional[0];
      return wrapped ? this.viewRoutes(wrapped, site, env, fallback, explicit, depth + 1) : [];
    }
    const name = dotted(n);
    if (name === undefined) return [];
    const b = this.mods.lookup(this.file, name);
    if (b?.kind === 'class') return this.classViewRoutes(n, { positional: [], keywords: new Map() }, explicit);
    const display = b?.kind === 'function' ? b.fn.name : lastSegment(name);
    const methods = explicit ?? (b?.kind === 'function' ? b.fn.methods : undefined) ?? fallback;
    const ref = b?.kind === 'function' ? this.definitionRef(b.file, b.fn.name) : this.refOf(name);
    const framework = b?.kind === 'function' && b.fn.drf ? 'drf' : undefined;
    return methods.map((method) => ({ method, handler: { kind: 'ref', ref, display }, framework }));
  }

  /** `ArticleView.as_view()`, `ArticleViewSet.as_view({'get': 'list'})`, `UserAPI.as_view('users')`. */
  private classViewRoutes(clsNode: Node, asView: CallArgs, explicit?: readonly string[]): ViewRoute[] {
    const name = dotted(clsNode);
    if (name === undefined) return [];
    const b = this.mods.lookup(this.file, name);
    if (b?.kind !== 'class') {
      // A framework view (TemplateView.as_view(template_name=...)) or one outside the workspace.
      const methods = explicit ?? builtinViewMethods(lastSegment(name)) ?? ['ANY'];
      const ref = this.refOf(name);
      return methods.map((method) => ({ method, handler: { kind: 'ref', ref, display: lastSegment(name) } }));
    }
    const mapping = dictOf(asView.positional[0] ?? asView.keywords.get('actions'));
    const { framework, methods } = mapping ? { framework: 'drf' as const, methods: mappedViewMethods(this.mods, b.file, b.cls, mapping) } : classViewMethods(this.mods, b.file, b.cls, explicit);
    return methods.map((vm) => ({ method: vm.method, handler: this.classHandler(b, vm), framework }));
  }

  /**
   * The handler of one method of a class view: the method in the class (or a base class in the workspace) that
   * defines it, or the class itself when a framework class implements it (`ModelViewSet.list`).
   */
  private classHandler(b: Extract<Binding, { kind: 'class' }>, vm: ViewMethod): HandlerRef {
    if (!vm.owner) return { kind: 'ref', ref: this.definitionRef(b.file, b.cls.name), display: `${b.cls.name}.${vm.name}` };
    return { kind: 'ref', ref: memberRef(this.definitionRef(vm.owner.file, vm.owner.cls.name), vm.name), display: `${vm.owner.cls.name}.${vm.name}` };
  }

  /**
   * A Ref to a top-level name defined in `file`, found through the module summaries. Another file's name is
   * bound by a relative import straight to that file, so compose.ts reaches it even when this file names it
   * through a star import, a package re-export or a module attribute.
   */
  private definitionRef(file: string, name: string): Ref {
    if (file === this.file) return { kind: 'local', name };
    const module = relativeModule(this.file, file);
    const binding = `${module}:${name}`;
    if (!this.facts.imports.some((i) => i.local === binding)) this.facts.imports.push({ local: binding, module, name });
    return { kind: 'import', binding };
  }

  /**
   * The bindings of the loop variables around a call, one per iteration (`for rule, view in ROUTES:` over a
   * literal list, tuple or dict `.items()`), `[NO_ENV]` without a loop; undefined (after a warning) when a loop
   * whose variables the call uses goes over something computed at run time.
   */
  private loopEnvs(call: Node): Env[] | undefined {
    let envs: Env[] = [NO_ENV];
    for (let n = call.parent; n && n.type !== 'function_definition' && n.type !== 'class_definition'; n = n.parent) {
      if (n.type !== 'block' || n.parent?.type !== 'for_statement') continue;
      const loop = n.parent;
      const items = this.loopItems(loop.childForFieldName('right'), call);
      const left = loop.childForFieldName('left');
      if (!items || !left) {
        if (!mentions(call, left)) continue;
        this.warn(call, `Loop over \`${shortText(loop.childForFieldName('right') ?? loop, 60)}\` is not a literal list: the routes it registers are not listed.`);
        return undefined;
      }
      envs = envs.flatMap((env) => items.map((item) => bindPattern(new Map(env), left, item)));
    }
    return envs;
  }

  private loopItems(node: Node | null, site: Node): Node[] | undefined {
    let n = unparen(node);
    if (!n) return undefined;
    let items = false;
    if (n.type === 'call' && n.childForFieldName('function')?.type === 'attribute' && n.childForFieldName('function')?.childForFieldName('attribute')?.text === 'items') {
      n = n.childForFieldName('function')?.childForFieldName('object') ?? undefined;
      items = true;
    }
    if (n?.type === 'identifier') n = this.localValue(site, n.text) ?? this.assigned.get(MODULE)?.get(n.text);
    if (!n) return undefined;
    if (items || n.type === 'dictionary') {
      if (n.type !== 'dictionary') return undefined;
      // pairs as (key, value) tuples: bindPattern destructures them
      return kids(n).filter((p) => p.type === 'pair');
    }
    return sequenceItems(n);
  }

  // ---- calls: CallFacts and entries ----------------------------------------------------------------------

  private readCall(call: Node): void {
    const callee = calleeName(call);
    if (callee === undefined) return;
    const last = lastSegment(callee);
    const f = call.childForFieldName('function');
    const recv = f?.type === 'attribute' ? f.childForFieldName('object') : undefined;
    this.entryCall(call, callee, last, recv ?? undefined);
    if ((ROUTER_CALLS.has(last) && recv) || this.routerByName.size === 0) return;
    // Routers passed to a function: `register_routes(app)`, `views.init_app(app)`.
    const args = callArgs(call);
    const refs = args.positional.map((a) => (a.type === 'identifier' ? this.routerRef(a, call) : undefined));
    if (!refs.some((r) => r?.kind === 'local')) return;
    this.facts.calls.push({ callee: this.refOf(callee), args: refs, loc: locOf(call) });
  }

  private entryCall(call: Node, callee: string, last: string, recv: Node | undefined): void {
    const add = (detail: string, framework: string): void => {
      this.facts.entries.push({ detail, name: shortText(call, 80), framework, loc: locOf(call) });
    };
    if (callee === 'uvicorn.run' || callee === 'hypercorn.run') return add('listen', 'uvicorn');
    if (callee === 'waitress.serve' || (callee === 'serve' && this.summary.imports.some((i) => i.module === 'waitress'))) return add('listen', 'waitress');
    if (callee === 'web.run_app' || callee === 'aiohttp.web.run_app') return add('listen', 'aiohttp');
    if (last === 'run_simple') return add('listen', 'werkzeug');
    if (/^add_\w+Servicer_to_server$/.test(last)) return add('bootstrap', 'grpc');
    if (!recv) return;
    const r = dotted(recv);
    if (last === 'run' && r !== undefined) {
      const ref = !r.includes('.') ? this.routerRef(recv, call) : undefined;
      const fw = ref ? this.frameworkOf(ref) : undefined;
      // FastAPI apps have no run(): an `app.run()` is Flask's (or Quart's) development server.
      if (fw || /app|application/i.test(lastSegment(r)) || r === 'socketio') add('listen', fw ?? this.fileFramework ?? 'flask');
    } else if ((last === 'start' || last === 'wait_for_termination') && r !== undefined && !r.includes('.')) {
      const scopes = [this.scopeOf(call), MODULE];
      if (last === 'start' && scopes.some((s) => this.grpcServers.get(s)?.has(r))) add('listen', 'grpc');
    }
  }

  /** `if __name__ == "__main__":` at module level. */
  private readMainGuard(): void {
    for (const st of kids(this.input.root)) {
      if (st.type !== 'if_statement') continue;
      const cond = st.childForFieldName('condition');
      if (cond?.type !== 'comparison_operator') continue;
      const sides = kids(cond).map((c) => c.text.replace(/['"]/g, ''));
      if (!sides.includes('__name__') || !sides.includes('__main__')) continue;
      const body = kids(st.childForFieldName('consequence'));
      const only = body.length === 1 && body[0]?.type === 'expression_statement' ? kids(body[0])[0] : undefined;
      const called = only?.type === 'call' && only.childForFieldName('function')?.type === 'identifier' ? calleeName(only) : undefined;
      const manage = this.file === 'manage.py' || this.file.endsWith('/manage.py');
      this.facts.entries.push({ detail: 'main', name: called ?? shortText(st, 80), framework: manage ? 'django' : 'python', loc: locOf(st) });
    }
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

/** Router methods whose arguments are routers being mounted, not routers passed to a function. */
const ROUTER_CALLS: ReadonlySet<string> = new Set(['register_blueprint', 'include_router', 'mount', 'add_url_rule', 'add_api_route', 'register', 'route']);

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
function styleOf(path: string): ParamStyle {
  return path.includes('<') ? 'angle' : 'brace';
}

/** Starlette's `{name:path}` convertor is a catch-all: written `{*name}` so routes.ts sees it as one. */
function fastapiPath(path: string, framework: string): string {
  return framework === 'fastapi' ? path.replace(/\{(\w+):path\}/g, '{*$1}') : path;
}

/** A Ref to a member of what `ref` names (`views.ArticleView` → `views.ArticleView.get`). */
function memberRef(ref: Ref, member: string): Ref {
  switch (ref.kind) {
    case 'local':
    case 'package':
    case 'global':
      return { ...ref, name: `${ref.name}.${member}` };
    case 'import':
      return { kind: 'import', binding: ref.binding, member: ref.member ? `${ref.member}.${member}` : member };
  }
}

/** The relative module that names `to` from `from` (`blog/urls.py` → `blog/api/views.py`: `.api.views`). */
function relativeModule(from: string, to: string): string {
  const fromDir = from.split('/').slice(0, -1);
  const target = to.replace(/\.py$/, '').replace(/(?:^|\/)__init__$/, '').split('/').filter((s) => s !== '');
  let common = 0;
  while (common < fromDir.length && common < target.length && fromDir[common] === target[common]) common++;
  return '.'.repeat(fromDir.length - common + 1) + target.slice(common).join('.');
}

/** `{'get': 'list', 'post': 'create'}` → GET → list, POST → create; undefined for anything else. */
function dictOf(node: Node | undefined): Map<string, string> | undefined {
  const n = unparen(node);
  if (n?.type !== 'dictionary') return undefined;
  const out = new Map<string, string>();
  for (const p of kids(n)) {
    if (p.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    const v = p.childForFieldName('value');
    const key = k ? stringOf(k) : undefined;
    const value = v ? stringOf(v) : undefined;
    if (key !== undefined && value !== undefined && HTTP_METHODS.has(key.toUpperCase())) out.set(key, value);
  }
  return out.size > 0 ? out : undefined;
}

function stringOf(n: Node): string | undefined {
  const e = toExpr(n);
  return e?.kind === 'str' ? e.value : undefined;
}

/** Binds a loop's target (`rule`, `(rule, view)`) to one literal element. */
function bindPattern(env: Map<string, Node>, left: Node, item: Node): Env {
  if (left.type === 'identifier') {
    env.set(left.text, item);
    return env;
  }
  const names = sequenceItems(left);
  const values = item.type === 'pair' ? [item.childForFieldName('key'), item.childForFieldName('value')] : sequenceItems(item);
  if (!names || !values) return env;
  names.forEach((n, i) => {
    const v = values[i];
    if (n.type === 'identifier' && v) env.set(n.text, v);
  });
  return env;
}

/** Whether a call uses any of the names a loop target binds. */
function mentions(call: Node, left: Node | null): boolean {
  if (!left) return false;
  const names = new Set(left.type === 'identifier' ? [left.text] : (sequenceItems(left) ?? []).map((n) => n.text));
  const stack: Node[] = [call];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'identifier' && names.has(n.text)) return true;
    stack.push(...kids(n));
  }
  return false;
}
