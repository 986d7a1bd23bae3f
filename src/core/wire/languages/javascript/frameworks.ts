/**
 * Routes and mounts of the call-based Node frameworks: Express (app/Router, `app.route(path).get()`
 * chains, `use(prefix, router)`), Koa (@koa/router with `prefix`, `use(prefix, sub.routes())`), Fastify
 * (shorthand methods, `route({method, url, handler})`, plugins `register(plugin, { prefix })`), Hono
 * (`route(prefix, sub)`, `on(method, path)`), and routes registered in loops over literal route tables. Calls
 * passing routers become CallFacts. Where routers are created and what an expression denotes is in routers.ts;
 * handlers are resolved in handlers.ts.
 */
import type { Node } from '../../node';
import type { HandlerRef, Ref } from '../../facts';
import { locOf, stringValue } from '../../syntax';
import { routeFromRegex } from '../../routes';
import type { JsFile } from './context';
import { argsOf, FN_TYPES, propertyValue, unwrap, type Env } from './syntax';
import { handlerOf, isHandlerish } from './handlers';
import { calleeRef, childRef, fileFramework, METHODS, MODULE_FRAMEWORK, type RouterRef, routerRef } from './routers';

/** Parameter names that are routers when passed on to another function (`registerRoutes(app)`). */
const ROUTERISH_PARAM = /^(?:app|application|router|server|fastify|api|instance|r)$|(?:Router|App)$/;

// ---- loops over route tables ----

interface Loop {
  /** Names the loop binds per element. */
  readonly names: ReadonlySet<string>;
  /** The table's elements, or undefined when the table is not a literal. */
  readonly elements: readonly Node[] | undefined;
  readonly bind: (element: Node) => Map<string, Node>;
}

/** The `for (const r of table)` / `table.forEach(({ path, handler }) => …)` around a call, if any. */
function loopAround(js: JsFile, call: Node): Loop | undefined {
  let n = call.parent;
  while (n) {
    let pattern: Node | null = null;
    let iterable: Node | null = null;
    if (n.type === 'for_in_statement' && n.children.some((c) => c?.type === 'of')) {
      pattern = n.childForFieldName('left');
      iterable = n.childForFieldName('right');
    } else if (FN_TYPES.has(n.type)) {
      const args = n.parent;
      const outer = args?.parent;
      const callee = outer?.type === 'call_expression' ? outer.childForFieldName('function') : null;
      const prop = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined;
      if (args?.type !== 'arguments' || (prop !== 'forEach' && prop !== 'map')) return undefined;
      const formal = n.childForFieldName('parameters') ?? n.childForFieldName('parameter');
      pattern = formal?.type === 'formal_parameters' ? formal.namedChild(0) : formal;
      if (pattern?.type === 'required_parameter') pattern = pattern.childForFieldName('pattern');
      iterable = callee?.childForFieldName('object') ?? null;
    }
    if (pattern && iterable) {
      const p = pattern;
      const names = new Set<string>();
      if (p.type === 'identifier') names.add(p.text);
      else if (p.type === 'object_pattern') {
        for (const c of p.namedChildren) {
          if (c?.type === 'shorthand_property_identifier_pattern') names.add(c.text);
          else if (c?.type === 'pair_pattern' && c.childForFieldName('value')?.type === 'identifier') names.add(c.childForFieldName('value')?.text ?? '');
        }
      }
      const bind = (element: Node): Map<string, Node> => {
        const env = new Map<string, Node>();
        if (p.type === 'identifier') env.set(p.text, element);
        else if (unwrap(element).type === 'object') {
          for (const c of p.namedChildren) {
            if (c?.type === 'shorthand_property_identifier_pattern') {
              const v = propertyValue(unwrap(element), c.text);
              if (v) env.set(c.text, v);
            } else if (c?.type === 'pair_pattern') {
              const key = c.childForFieldName('key')?.text;
              const val = c.childForFieldName('value');
              const v = key ? propertyValue(unwrap(element), key) : undefined;
              if (v && val?.type === 'identifier') env.set(val.text, v);
            }
          }
        }
        return env;
      };
      let table = unwrap(iterable);
      if (table.type === 'identifier') {
        const b = js.lookup(table.text, table);
        table = b?.kind === 'var' && b.value ? unwrap(b.value) : table;
      }
      const elements = table.type === 'array' ? table.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : undefined;
      return { names, elements, bind };
    }
    n = n.parent;
  }
  return undefined;
}

/** Whether any identifier under `nodes` is one of `names`. */
function mentions(nodes: readonly Node[], names: ReadonlySet<string>): boolean {
  const stack = [...nodes];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'identifier' && names.has(n.text)) return true;
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return false;
}

// ---- routes ----

/** The path(s) a path argument names (a string, a template of constants, an array of them). */
function paths(js: JsFile, node: Node, env?: Env): string[] | undefined {
  const n = unwrap(node);
  if (n.type === 'array') {
    const out: string[] = [];
    for (const c of n.namedChildren) {
      if (!c || c.type === 'comment') continue;
      const v = js.constString(c, env);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  const v = js.constString(n, env);
  return v === undefined ? undefined : [v];
}

/** Express error middleware by its name (`apiUtil.errorHandler`, `handleErrors`): `(err, req, res, next)`, not the handler. */
const ERROR_MIDDLEWARE = /^[\w$.]*[Ee]rror[\w$]*$/;

/**
 * The handler among a route's arguments (`path, …middleware, handler`): the last one, passing over error middleware
 * after it (Node-RED's `adminApp.get('/flows', needsPermission('flows.read'), flows.get, apiUtil.errorHandler)`).
 */
function routeHandler(args: readonly Node[]): Node {
  let i = args.length - 1;
  while (i > 1 && isHandlerish(args[i - 1]) && ['identifier', 'member_expression'].includes(unwrap(args[i] as Node).type) && ERROR_MIDDLEWARE.test(unwrap(args[i] as Node).text)) i--;
  return args[i] as Node;
}

function isPathLiteral(node: Node | undefined): boolean {
  if (!node) return false;
  const n = unwrap(node);
  return n.type === 'string' || n.type === 'template_string' || (n.type === 'array' && n.namedChildren.every((c) => !c || c.type === 'string' || c.type === 'comment'));
}

function pushRoutes(js: JsFile, router: RouterRef | undefined, methods: readonly string[], pathList: readonly string[], handler: HandlerRef | undefined, at: Node, style: 'colon' | 'regex' = 'colon'): void {
  for (const method of methods) {
    for (const path of pathList) {
      js.facts.routes.push({ router: router?.ref, method, path, style, handler, framework: router?.framework ?? fileFramework(js) ?? 'express', loc: locOf(at) });
    }
  }
}

/** `router.route('/x').get(…).post(…)` (Express): the router and path of the chain a method call is on. */
function routeChain(js: JsFile, recv: Node): { router: RouterRef | undefined; path: Node } | undefined {
  const n = unwrap(recv);
  if (n.type !== 'call_expression') return undefined;
  const callee = unwrap(n.childForFieldName('function') ?? n);
  if (callee.type !== 'member_expression') return undefined;
  const prop = callee.childForFieldName('property')?.text ?? '';
  const obj = callee.childForFieldName('object') ?? callee;
  const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
  if (prop === 'route' && args.length === 1 && unwrap(args[0] as Node).type !== 'object') return { router: routerRef(js, obj, { param: true }), path: args[0] as Node };
  return METHODS[prop] ? routeChain(js, obj) : undefined;
}

/** A method call on a router: `router.get(path, …mw, handler)`, `router[method](path, handler)` in a table loop. */
function readRoute(js: JsFile, call: Node, callee: Node, recv: Node, args: readonly Node[], methodName: string | undefined, methodNode: Node | undefined): void {
  const chain = methodName !== undefined ? routeChain(js, recv) : undefined;
  if (chain) {
    const method = METHODS[methodName as string] as string;
    const p = paths(js, chain.path);
    const last = args[args.length - 1];
    if (!p) return js.warn(call, `Route path computed at run time: ${chain.path.text}`);
    if (last && isHandlerish(last)) pushRoutes(js, chain.router, [method], p, handlerOf(js, last), callee.childForFieldName('property') ?? call);
    return;
  }
  if (args.length < 2 || !isHandlerish(args[args.length - 1])) return;
  const router = routerRef(js, recv, { param: isPathLiteral(args[0]) });
  if (!router) {
    const path = methodName !== undefined ? outsideRouterPath(js, recv, args, call) : undefined;
    if (path !== undefined) pushRoutes(js, undefined, [METHODS[methodName as string] as string], [path], handlerOf(js, routeHandler(args)), callee.childForFieldName('property') ?? call);
    return;
  }
  const loop = loopAround(js, call);
  if (loop && mentions(methodNode ? [...args, methodNode] : [...args], loop.names)) {
    if (!loop.elements) return js.warn(call, 'Routes registered in a loop over a table that is not a literal array');
    for (const el of loop.elements) {
      const env = loop.bind(el);
      const m = methodName ?? js.constString(methodNode, env)?.toLowerCase();
      const method = m === undefined ? undefined : METHODS[m];
      const p = paths(js, args[0] as Node, env);
      if (!method || !p) {
        js.warn(el, 'Route table entry whose method or path is not a constant');
        continue;
      }
      pushRoutes(js, router, [method], p, handlerOf(js, routeHandler(args), env), unwrap(el).type === 'object' ? el : call);
    }
    return;
  }
  const m = methodName ?? js.constString(methodNode)?.toLowerCase();
  const method = m === undefined ? undefined : METHODS[m];
  if (!method) return;
  const p = paths(js, args[0] as Node);
  if (!p && unwrap(args[0] as Node).type === 'regex') {
    // Node-RED's `adminApp.get(/^\/nodes\/((@[^\/]+\/)?[^\/]+)$/, …)`: listed when it reads as a route template
    const pattern = unwrap(args[0] as Node).childForFieldName('pattern')?.text ?? '';
    if (routeFromRegex(pattern) === undefined) return js.warn(call, `Route path is a regular expression that does not read as a route, not listed: ${(args[0] as Node).text.slice(0, 80)}`);
    return pushRoutes(js, router, [method], [pattern], handlerOf(js, routeHandler(args)), callee.type === 'member_expression' ? (callee.childForFieldName('property') ?? call) : call, 'regex');
  }
  if (!p) return js.warn(call, `Route path computed at run time: ${(args[0] as Node).text.slice(0, 80)}`);
  pushRoutes(js, router, [method], p, handlerOf(js, routeHandler(args)), callee.type === 'member_expression' ? (callee.childForFieldName('property') ?? call) : call);
}

/**
 * Packages whose `x.get('/path', fn)` answers requests in tests or in the browser, not in a server: Mock Service
 * Worker (`http.get`, `rest.get`), fetch-mock, Mirage.
 */
const NOT_A_SERVER = /^(?:msw|@mswjs\/[^/]+|fetch-mock|miragejs)(?:\/|$)/;

/**
 * A route on a router imported from a package outside the workspace (`import { router } from '@acme/http'`,
 * with a literal '/path' and an inline handler): its path, kept without prefixes, with a warning.
 */
function outsideRouterPath(js: JsFile, recv: Node, args: readonly Node[], call: Node): string | undefined {
  const r = unwrap(recv);
  const root = r.type === 'member_expression' ? unwrap(r.childForFieldName('object') ?? r) : r;
  const b = root.type === 'identifier' ? js.lookup(root.text, root) : undefined;
  if (b?.kind !== 'import' || MODULE_FRAMEWORK[b.module] || NOT_A_SERVER.test(b.module) || !FN_TYPES.has(unwrap(args[args.length - 1] as Node).type)) return undefined;
  const p = stringValue(unwrap(args[0] as Node));
  if (p === undefined || !p.startsWith('/')) return undefined;
  js.warn(call, `Router ${recv.text} comes from the package '${b.module}' outside the workspace: its prefix is unknown`);
  return p;
}

/** `fastify.route({ method: ['GET','HEAD'], url, handler })` */
function readRouteOptions(js: JsFile, router: RouterRef, opts: Node, call: Node): void {
  const methodNode = propertyValue(opts, 'method');
  const urlNode = propertyValue(opts, 'url') ?? propertyValue(opts, 'path');
  const handler = propertyValue(opts, 'handler');
  if (!methodNode || !urlNode) return;
  const methods = paths(js, methodNode)?.map((m) => (m.toUpperCase() === 'ALL' ? 'ANY' : m.toUpperCase()));
  const p = paths(js, urlNode);
  if (!methods || !p) return js.warn(call, `Route method or url computed at run time: ${shortOf(opts)}`);
  pushRoutes(js, router, methods, p, handler ? handlerOf(js, handler) : undefined, call);
}

function shortOf(n: Node): string {
  const t = n.text.replace(/\s+/g, ' ');
  return t.length > 80 ? t.slice(0, 79) + '…' : t;
}

/** `unknownPrefix`: the prefix is computed at run time (or is a constant of another module); `prefix` is then ''. */
function mount(js: JsFile, parent: RouterRef, child: Ref | undefined, prefix: string, at: Node, unknownPrefix = false): void {
  if (child) js.facts.mounts.push({ parent: parent.ref, child, prefix, style: 'colon', loc: locOf(at), ...(unknownPrefix ? { unknownPrefix } : {}) });
}

/** A name that says it holds a path: `BASE_API_PATH`, `config.apiPrefix`, `mountPath`. */
const PATH_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|(?:path|prefix|url|base|route)$/i;

/** `x.use([prefix,] …routers)` (Express, Koa); Ghost's `x.lazyUse(prefix, requireFn)`. */
function readUse(js: JsFile, recv: Node, args: readonly Node[], call: Node): void {
  if (args.length === 0) return;
  const router = routerRef(js, recv, { param: true });
  if (!router) return;
  let prefix = '';
  let unknown = false;
  let rest = args;
  const first = unwrap(args[0] as Node);
  const name = first.type === 'identifier' ? first.text : first.type === 'member_expression' ? (first.childForFieldName('property')?.text ?? '') : '';
  if (first.type === 'string' || first.type === 'template_string' || first.type === 'binary_expression' || (first.type === 'identifier' && js.constString(first) !== undefined)) {
    const p = js.constString(first);
    rest = args.slice(1);
    if (p === undefined) {
      // still mounted, under a prefix left out of the routes (they are not shadowed by the parent's)
      js.warn(call, `Mount prefix computed at run time: ${first.text.slice(0, 80)}`);
      unknown = true;
    } else prefix = p;
  } else if (args.length >= 2 && PATH_NAME.test(name) && !js.routerVars.has(name)) {
    // `app.use(BASE_API_PATH, api)` with the constant in another module, `app.use(config.apiPrefix, api)`
    js.warn(call, `Mount prefix from another module or computed at run time: ${first.text.slice(0, 80)}`);
    unknown = true;
    rest = args.slice(1);
  }
  for (const a of rest) mount(js, router, childRef(js, a, false), prefix, call, unknown);
}

/** `fastify.register(plugin, { prefix })` */
function readRegister(js: JsFile, recv: Node, args: readonly Node[], call: Node): void {
  const plugin = args[0];
  if (!plugin) return;
  const router = routerRef(js, recv, { param: true, hint: 'fastify' });
  if (!router) return;
  const opts = args[1] ? unwrap(args[1]) : undefined;
  const prefixNode = opts?.type === 'object' ? propertyValue(opts, 'prefix') : undefined;
  const prefix = prefixNode ? js.constString(prefixNode) : '';
  if (prefix === undefined) return js.warn(call, `Plugin prefix computed at run time: ${(prefixNode as Node).text.slice(0, 80)}`);
  const p = unwrap(plugin);
  if (p.type === 'identifier') {
    const b = js.lookup(p.text, p);
    if (b?.kind === 'import' && (b.module === '@fastify/autoload' || b.module === 'fastify-autoload')) return js.warn(call, 'Routes loaded from a folder by @fastify/autoload are not followed');
  }
  mount(js, router, childRef(js, plugin, true), prefix, call);
}

const ROUTER_CALLS: ReadonlySet<string> = new Set([...Object.keys(METHODS), 'use', 'lazyUse', 'register', 'route', 'on']);

/** Reads every router method call of the file (routes, mounts, plugins, calls passing routers). */
export function readRouterCalls(js: JsFile): void {
  const relativeImports = new Set(js.facts.imports.filter((i) => i.module.startsWith('.')).map((i) => i.local));
  const mayPassRouter = (call: Node): boolean => {
    const text = call.childForFieldName('arguments')?.text ?? '';
    return (text.match(/[A-Za-z_$][\w$]*/g) ?? []).some((t) => js.routerVars.has(t) || relativeImports.has(t) || ROUTERISH_PARAM.test(t));
  };
  for (const { node: call, callee, prop } of js.calls()) {
    if (callee.type === 'subscript_expression') {
      const recv = callee.childForFieldName('object');
      const index = callee.childForFieldName('index');
      if (recv && index) readRoute(js, call, callee, recv, argsOf(call), undefined, index);
      continue;
    }
    if (prop === undefined || !ROUTER_CALLS.has(prop)) {
      if (mayPassRouter(call)) readCallWithRouters(js, call, callee, argsOf(call));
      continue;
    }
    const recv = callee.childForFieldName('object');
    if (!recv) continue;
    const args = argsOf(call);
    if (METHODS[prop]) readRoute(js, call, callee, recv, args, prop, undefined);
    // Ghost's wrapper app adds `lazyUse(path, requireFn)`: `use(path, requireFn())` on the first request
    else if (prop === 'use' || prop === 'lazyUse') readUse(js, recv, args, call);
    else if (prop === 'register') readRegister(js, recv, args, call);
    else if (prop === 'route' && args.length >= 2) {
      const router = routerRef(js, recv, { param: true });
      const p = js.constString(args[0]);
      if (router && p === undefined) js.warn(call, `Mount prefix computed at run time: ${(args[0] as Node).text.slice(0, 80)}`);
      else if (router) mount(js, router, childRef(js, args[1] as Node, false), p as string, call);
    } else if (prop === 'route' && args.length === 1 && unwrap(args[0] as Node).type === 'object') {
      const router = routerRef(js, recv, { param: true, hint: 'fastify' });
      if (router) readRouteOptions(js, router, unwrap(args[0] as Node), call);
    } else if (prop === 'on' && args.length >= 3) {
      const router = routerRef(js, recv, {});
      if (router?.framework !== 'hono') continue;
      const methods = paths(js, args[0] as Node)?.map((m) => m.toUpperCase());
      const p = paths(js, args[1] as Node);
      if (!methods || !p) js.warn(call, `Route method or path computed at run time: ${shortOf(call)}`);
      else pushRoutes(js, router, methods, p, handlerOf(js, args[args.length - 1] as Node), callee.childForFieldName('property') ?? call);
    }
  }
}

/** `registerRoutes(app)`, `require('./routes')(router)`, `articles.register(api)`: a CallFact when a router is passed. */
function readCallWithRouters(js: JsFile, call: Node, callee: Node, args: readonly Node[]): void {
  if (args.length === 0) return;
  const refs = args.map((a) => {
    const n = unwrap(a);
    if (n.type === 'identifier') {
      const b = js.lookup(n.text, n);
      if (b?.kind === 'param' && !ROUTERISH_PARAM.test(b.name)) return routerRef(js, n, {})?.ref;
      return routerRef(js, n, { param: true })?.ref;
    }
    return n.type === 'member_expression' ? routerRef(js, n, {})?.ref : undefined;
  });
  if (!refs.some((r) => r !== undefined)) return;
  const target = calleeRef(js, callee);
  if (target) js.facts.calls.push({ callee: target, args: refs, loc: locOf(call) });
}
