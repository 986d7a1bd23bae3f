/**
 * Routers, routes and mounts of the call-based Node frameworks: Express (app/Router, `app.route(path).get()`
 * chains, `use(prefix, router)`), Koa (@koa/router with `prefix`, `use(prefix, sub.routes())`), Fastify
 * (shorthand methods, `route({method, url, handler})`, plugins `register(plugin, { prefix })`), Hono
 * (`new Hono().basePath()`, `route(prefix, sub)`, `on(method, path)`). Routers are found where they are created,
 * as class fields, as parameters of registration functions (`fn(param)`), through imports; calls passing routers
 * become CallFacts, handlers are resolved to local functions, imports or class members.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { HandlerRef, Ref } from '../../facts';
import { locOf, stringValue } from '../../syntax';
import { argsOf, FN_TYPES, propertyValue, unwrap, type Env, type JsFile } from './context';
import { inlineImport, requireOf, resolveJsModule } from './modules';

/** A router expression: where it is defined (a Ref compose.ts resolves) and its framework. */
export interface RouterRef {
  readonly ref: Ref;
  readonly framework: string;
}

const METHODS: Readonly<Record<string, string>> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', del: 'DELETE', options: 'OPTIONS', head: 'HEAD', all: 'ANY' };
/** Calls that return the router they are called on (chaining). */
const CHAINING: ReadonlySet<string> = new Set([...Object.keys(METHODS), 'use', 'route', 'register', 'on', 'routes', 'middleware']);
const MODULE_FRAMEWORK: Readonly<Record<string, string>> = { express: 'express', fastify: 'fastify', koa: 'koa', '@koa/router': 'koa', 'koa-router': 'koa', hono: 'hono', '@hono/zod-openapi': 'hono' };
/** Parameter names that are routers when passed on to another function (`registerRoutes(app)`). */
const ROUTERISH_PARAM = /^(?:app|application|router|server|fastify|api|instance|r)$|(?:Router|App)$/;

/** The framework a file is written for: its imports first, then the service's package.json dependencies. */
export function fileFramework(js: JsFile): string | undefined {
  for (const imp of js.facts.imports) {
    const fw = MODULE_FRAMEWORK[imp.module];
    if (fw) return fw;
  }
  return serviceFramework(js);
}

const pkgCache = new Map<string, { text: string | undefined; framework: string | undefined }>();
function serviceFramework(js: JsFile): string | undefined {
  const root = js.input.project.serviceRootOf(js.file);
  const file = root === '' ? 'package.json' : `${root}/package.json`;
  const text = js.input.project.read(file);
  let c = pkgCache.get(file);
  if (!c || c.text !== text) {
    let framework: string | undefined;
    try {
      const pkg = text === undefined ? undefined : (JSON.parse(text) as { dependencies?: Record<string, string> });
      const deps = Object.keys(pkg?.dependencies ?? {});
      framework = ['fastify', 'koa', 'hono', 'express'].find((f) => deps.includes(f) || (f === 'koa' && deps.includes('@koa/router')));
    } catch {
      framework = undefined;
    }
    pkgCache.set(file, (c = { text, framework }));
  }
  return c.framework;
}

// ---- router creation ----

/** What a callee names: a package export path (`express` → ['default'], `express.Router` → ['default','Router']). */
function originOf(js: JsFile, node: Node): { module: string | undefined; path: string[] } | undefined {
  const n = unwrap(node);
  if (n.type === 'identifier') {
    const b = js.lookup(n.text, n);
    if (b?.kind === 'import') return { module: b.module, path: [b.name] };
    return b ? undefined : { module: undefined, path: [n.text] };
  }
  if (n.type === 'member_expression') {
    const inner = originOf(js, n.childForFieldName('object') ?? n);
    const prop = n.childForFieldName('property')?.text;
    return inner && prop ? { module: inner.module, path: [...inner.path, prop] } : undefined;
  }
  const r = requireOf(n);
  return r ? { module: r.module, path: r.member ? ['default', r.member] : ['default'] } : undefined;
}

interface Creation {
  readonly framework: string;
  readonly prefix?: string | undefined;
  /** `app.basePath('/api')`: a new router mounted on an existing one. */
  readonly parent?: { readonly router: RouterRef; readonly prefix: string } | undefined;
}

/** Whether an expression creates a router or app: `express()`, `Router()`, `new Router({prefix})`, `new Hono()`, `Fastify()`, `new Koa()`. */
function creation(js: JsFile, node: Node): Creation | undefined {
  const n = unwrap(node);
  if (n.type === 'new_expression') {
    const o = originOf(js, n.childForFieldName('constructor') ?? n);
    if (!o) return undefined;
    const last = o.path[o.path.length - 1];
    const mod = o.module;
    if ((mod === 'hono' && last === 'Hono') || (mod === '@hono/zod-openapi' && last === 'OpenAPIHono') || (mod === undefined && last === 'Hono')) return { framework: 'hono' };
    if (mod === 'koa' || (mod === undefined && last === 'Koa')) return { framework: 'koa' };
    if (mod === '@koa/router' || mod === 'koa-router' || (mod === undefined && (last === 'KoaRouter' || (last === 'Router' && fileFramework(js) === 'koa')))) {
      const opts = n.childForFieldName('arguments')?.namedChild(0);
      const prefixNode = opts?.type === 'object' ? propertyValue(opts, 'prefix') : undefined;
      return { framework: 'koa', prefix: prefixNode ? js.constString(prefixNode) : undefined };
    }
    if ((mod === 'express' || mod === undefined) && last === 'Router' && (mod === 'express' || fileFramework(js) !== 'koa')) return { framework: 'express' };
    return undefined;
  }
  if (n.type !== 'call_expression') return undefined;
  const callee = unwrap(n.childForFieldName('function') ?? n);
  const chained = callee.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined;
  // Router().use(a).use(b): the router created at the start of the chain
  if (chained && CHAINING.has(chained) && chained !== 'routes' && chained !== 'middleware') return creation(js, callee.childForFieldName('object') ?? callee);
  if (chained === 'basePath') {
    const obj = callee.childForFieldName('object') ?? callee;
    const p = js.constString(n.childForFieldName('arguments')?.namedChild(0));
    if (p === undefined) return undefined;
    const inner = creation(js, obj);
    if (inner) return { framework: inner.framework, prefix: (inner.prefix ?? '') + '/' + p };
    const parent = routerRef(js, obj, {});
    return parent ? { framework: parent.framework, parent: { router: parent, prefix: p } } : undefined;
  }
  const o = originOf(js, callee);
  if (!o) return undefined;
  const path = o.path.join('.');
  if (o.module === 'express') return path === 'default' || path === 'express' ? { framework: 'express' } : path === 'Router' || path === 'default.Router' ? { framework: 'express' } : undefined;
  if (o.module === 'fastify') return path === 'default' || path === 'fastify' || path === 'Fastify' || path === 'default.fastify' ? { framework: 'fastify' } : undefined;
  if (o.module === undefined) {
    if (path === 'express' || path === 'express.Router') return { framework: 'express' };
    if (path === 'Router' && fileFramework(js) !== 'koa') return { framework: 'express' };
    if (path === 'Fastify' || path === 'fastify') return { framework: 'fastify' };
  }
  return undefined;
}

/** The calls of a creation chain, outermost first: `Router().use(a).use(b)` → [….use(b), ….use(a), Router()]. */
function chainOf(node: Node): Node[] {
  const out: Node[] = [];
  let n = unwrap(node);
  while (n.type === 'call_expression' || n.type === 'new_expression') {
    out.push(n);
    const callee = n.type === 'call_expression' ? unwrap(n.childForFieldName('function') ?? n) : undefined;
    const prop = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined;
    if (!callee || !prop || !CHAINING.has(prop)) break;
    n = unwrap(callee.childForFieldName('object') ?? callee);
  }
  return out;
}

/** Whether a variable is returned by its function (`const router = Router(); …; return router`). */
function returned(fn: Node, name: string): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  if (body.type === 'identifier') return body.text === name;
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'return_statement') {
      const arg = n.namedChild(0);
      if (arg && unwrap(arg).type === 'identifier' && unwrap(arg).text === name) return true;
      continue;
    }
    for (const c of n.namedChildren) if (c && !FN_TYPES.has(c.type)) stack.push(c);
  }
  return false;
}

/**
 * Finds the routers the file creates: `const app = express()` (top-level: the variable's name; in a function
 * that returns it: the function's name, so `app.use(createRouter())` and imports of `createRouter` find it),
 * class fields and `this.x = Router()` (`Class#x`), `export default new Hono()` (`default`).
 */
export function readRouters(js: JsFile): void {
  const add = (name: string, variable: string, c: Creation, at: Node, site: Node): void => {
    js.addRouter(name, c.framework, at, c.prefix);
    js.routerVars.add(variable);
    const value = site.type === 'variable_declarator' || site.type === 'public_field_definition' || site.type === 'field_definition' ? site.childForFieldName('value') : site.type === 'assignment_expression' ? site.childForFieldName('right') : site;
    for (const n of value ? chainOf(value) : []) js.routerAt.set(n.id, name);
    js.routerAt.set(site.id, name);
    if (c.parent) js.facts.mounts.push({ parent: c.parent.router.ref, child: { kind: 'local', name }, prefix: c.parent.prefix, style: 'colon', loc: locOf(at) });
  };
  for (const d of js.of('var')) {
    const id = d.childForFieldName('name');
    const value = d.childForFieldName('value');
    if (id?.type !== 'identifier' || !value) continue;
    const c = creation(js, value);
    if (!c) continue;
    const scope = js.scopeOf(d);
    let name = id.text;
    if (scope.id !== js.root.id) {
      const q = js.fns.get(scope.id)?.qualified ?? '<anonymous>';
      name = returned(scope, id.text) ? q : `${q}.${id.text}`;
    }
    add(name, id.text, c, d, d);
  }
  // const warehouses = buildRouter(): the router the local function returns
  for (const d of js.of('var')) {
    const value = d.childForFieldName('value');
    const callee = value && unwrap(value).type === 'call_expression' ? unwrap(unwrap(value).childForFieldName('function') ?? value) : undefined;
    if (callee?.type !== 'identifier' || js.routerAt.has(d.id)) continue;
    const b = js.lookup(callee.text, callee);
    const fn = b?.kind === 'function' ? b.fn : b?.kind === 'var' && b.value && FN_TYPES.has(unwrap(b.value).type) ? unwrap(b.value) : undefined;
    const name = fn ? js.fns.get(fn.id)?.qualified : undefined;
    if (name && js.routers.has(name)) {
      js.routerAt.set(d.id, name);
      js.routerVars.add(d.childForFieldName('name')?.text ?? '');
    }
  }
  for (const cls of js.of('class')) {
    const className = js.classNameOf(cls);
    if (!className) continue;
    for (const m of cls.childForFieldName('body')?.namedChildren ?? []) {
      if (m?.type !== 'public_field_definition' && m?.type !== 'field_definition') continue;
      const key = m.childForFieldName('name') ?? m.childForFieldName('property');
      const value = m.childForFieldName('value');
      const c = key && value ? creation(js, value) : undefined;
      if (c && key) add(`${className}#${key.text}`, key.text, c, m, m);
    }
  }
  for (const a of js.of('assign')) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || !right) continue;
    const c = creation(js, right);
    if (!c) continue;
    if (left.type === 'member_expression' && left.childForFieldName('object')?.type === 'this') {
      const cls = js.enclosingClass(a);
      const prop = left.childForFieldName('property')?.text ?? '';
      if (cls) add(`${cls}#${prop}`, prop, c, a, a);
    } else if (left.text === 'module.exports') add('default', 'default', c, a, right);
  }
  for (const e of js.of('export')) {
    const value = e.childForFieldName('value');
    const c = value ? creation(js, value) : undefined;
    if (c && value) add('default', 'default', c, e, value);
  }
}

// ---- router references ----

/** The router a parameter stands for: `fn(param)`, created on first use. */
function paramRouter(js: JsFile, fn: Node, param: string, hint?: string): RouterRef {
  const info = js.fns.get(fn.id);
  const name = `${info?.qualified ?? '<anonymous>'}(${param})`;
  const framework = js.routers.get(name)?.framework ?? (hint === 'fastify' || /fastify/i.test(param) ? 'fastify' : (fileFramework(js) ?? 'express'));
  js.addRouter(name, framework, fn);
  return { ref: { kind: 'local', name }, framework };
}

function importRouter(js: JsFile, binding: string, module: string, member?: string): RouterRef | undefined {
  if (resolveJsModule(js.file, module, js.input.project).length === 0) return undefined;
  return { ref: { kind: 'import', binding, member }, framework: fileFramework(js) ?? 'express' };
}

/**
 * The router an expression denotes: a created router, a parameter used as one (`param`: create it), an
 * imported router, `this.router`, or a call chained on one (`router.get(…).post(…)`, `sub.routes()`).
 */
export function routerRef(js: JsFile, node: Node, opts: { param?: boolean; hint?: string }, depth = 0): RouterRef | undefined {
  if (depth > 6) return undefined;
  const n = unwrap(node);
  if (n.type === 'identifier') {
    const b = js.lookup(n.text, n);
    if (!b) return undefined;
    switch (b.kind) {
      case 'var': {
        const name = js.routerAt.get(b.decl.id);
        if (name) return { ref: { kind: 'local', name }, framework: js.routers.get(name)?.framework ?? 'express' };
        return b.value && unwrap(b.value).type !== 'call_expression' ? routerRef(js, b.value, opts, depth + 1) : undefined;
      }
      case 'param': {
        const existing = js.routers.get(`${js.fns.get(b.fn.id)?.qualified ?? '<anonymous>'}(${b.name})`);
        if (existing) return { ref: { kind: 'local', name: existing.name }, framework: existing.framework };
        return opts.param ? paramRouter(js, b.fn, b.name, opts.hint) : undefined;
      }
      case 'import':
        return importRouter(js, b.local, b.module);
      default:
        return undefined;
    }
  }
  if (n.type === 'member_expression') {
    const obj = unwrap(n.childForFieldName('object') ?? n);
    const prop = n.childForFieldName('property')?.text;
    if (!prop) return undefined;
    if (obj.type === 'this') {
      const cls = js.enclosingClass(n);
      const name = cls ? `${cls}#${prop}` : undefined;
      const r = name ? js.routers.get(name) : undefined;
      return r ? { ref: { kind: 'local', name: r.name }, framework: r.framework } : undefined;
    }
    if (obj.type === 'identifier') {
      const b = js.lookup(obj.text, obj);
      if (b?.kind === 'import') return importRouter(js, b.local, b.module, prop);
    }
    const inline = requireOf(obj) ? inlineImport(js, obj) : undefined;
    return inline ? { ref: { kind: 'import', binding: inline.binding, member: prop }, framework: fileFramework(js) ?? 'express' } : undefined;
  }
  if (n.type === 'call_expression') {
    const created = js.routerAt.get(n.id);
    if (created) return { ref: { kind: 'local', name: created }, framework: js.routers.get(created)?.framework ?? 'express' };
    const callee = unwrap(n.childForFieldName('function') ?? n);
    if (callee.type === 'member_expression' && CHAINING.has(callee.childForFieldName('property')?.text ?? '')) {
      const prop = callee.childForFieldName('property')?.text;
      if (prop === 'route' && (n.childForFieldName('arguments')?.namedChildCount ?? 0) < 2) return undefined;
      return routerRef(js, callee.childForFieldName('object') ?? callee, { ...opts, param: false }, depth + 1);
    }
    const inline = inlineImport(js, n);
    if (inline && resolveJsModule(js.file, requireOf(n)?.module ?? '', js.input.project).length > 0) return { ref: { kind: 'import', binding: inline.binding, member: inline.member }, framework: fileFramework(js) ?? 'express' };
  }
  return undefined;
}

/** A router passed somewhere (mount child, call argument): also a local function that returns one, and a plugin function. */
function childRef(js: JsFile, node: Node, plugin: boolean): Ref | undefined {
  const n = unwrap(node);
  if (FN_TYPES.has(n.type)) {
    if (!plugin) return undefined;
    const param = js.fns.get(n.id)?.params[0];
    return param ? paramRouter(js, n, param, 'fastify').ref : undefined;
  }
  if (n.type === 'identifier') {
    const b = js.lookup(n.text, n);
    if (b?.kind === 'function' || (b?.kind === 'var' && b.value && FN_TYPES.has(unwrap(b.value).type))) {
      const fn = b.kind === 'function' ? b.fn : unwrap(b.value as Node);
      const info = js.fns.get(fn.id);
      if (plugin && info?.params[0]) return paramRouter(js, fn, info.params[0], 'fastify').ref;
      return info?.name ? { kind: 'local', name: info.name } : undefined;
    }
    if (b?.kind === 'var' && b.value && plugin && unwrap(b.value).type === 'call_expression' && !js.routerAt.has(b.decl.id)) {
      return childRef(js, b.value, plugin); // const plugin = fp(async (fastify) => …)
    }
    return routerRef(js, n, { param: true, hint: plugin ? 'fastify' : undefined })?.ref;
  }
  if (n.type === 'call_expression') {
    const callee = unwrap(n.childForFieldName('function') ?? n);
    const prop = callee.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined;
    if (prop === 'routes' || prop === 'middleware') return childRef(js, callee.childForFieldName('object') ?? callee, false);
    if (requireOf(n)) {
      const inline = inlineImport(js, n);
      return inline ? { kind: 'import', binding: inline.binding, member: inline.member } : undefined;
    }
    const created = js.routerAt.get(n.id);
    if (created) return { kind: 'local', name: created };
    if (callee.type === 'identifier') {
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      // fp(plugin) / fp(async (fastify) => …): the wrapped plugin
      if (plugin && args[0] && (FN_TYPES.has(unwrap(args[0]).type) || unwrap(args[0]).type === 'identifier')) return childRef(js, args[0], plugin);
      return calleeRef(js, callee);
    }
    return undefined;
  }
  return routerRef(js, n, { param: true })?.ref;
}

/** A called function as a Ref: a local function, an import (or a member of one), an inline require. */
function calleeRef(js: JsFile, callee: Node): Ref | undefined {
  const n = unwrap(callee);
  if (n.type === 'identifier') {
    const b = js.lookup(n.text, n);
    if (b?.kind === 'function') return { kind: 'local', name: js.fns.get(b.fn.id)?.name ?? n.text };
    if (b?.kind === 'var' && b.value && FN_TYPES.has(unwrap(b.value).type)) return { kind: 'local', name: n.text };
    if (b?.kind === 'import') return resolveJsModule(js.file, b.module, js.input.project).length > 0 ? { kind: 'import', binding: b.local } : undefined;
    return undefined;
  }
  if (n.type === 'member_expression') {
    const obj = unwrap(n.childForFieldName('object') ?? n);
    const prop = n.childForFieldName('property')?.text;
    const b = obj.type === 'identifier' ? js.lookup(obj.text, obj) : undefined;
    if (b?.kind === 'import' && prop && resolveJsModule(js.file, b.module, js.input.project).length > 0) return { kind: 'import', binding: b.local, member: prop };
    return undefined;
  }
  const inline = requireOf(n) ? inlineImport(js, n) : undefined;
  return inline ? { kind: 'import', binding: inline.binding, member: inline.member } : undefined;
}

// ---- handlers ----

/** What the last argument of a route registration can be when it is the handler (options objects need a `handler` key). */
const HANDLERISH: ReadonlySet<string> = new Set([...FN_TYPES, 'identifier', 'member_expression', 'call_expression', 'array', 'shorthand_property_identifier']);

function isHandlerish(node: Node | undefined): boolean {
  if (!node) return false;
  const n = unwrap(node);
  return HANDLERISH.has(n.type) || (n.type === 'object' && propertyValue(n, 'handler') !== undefined);
}

/** A function node as a 'here' handler (recorded as a FunctionFact). */
function hereFn(js: JsFile, fn: Node): HandlerRef {
  const info = js.record(fn);
  return { kind: 'here', name: info ? js.display(info) : '<anonymous>', loc: js.fnLoc(fn) };
}

/** Where the handler of a route is: the last argument, through arrays, wrappers, `.bind()`, options objects. */
export function handlerOf(js: JsFile, node: Node, env?: Env, depth = 0): HandlerRef | undefined {
  if (depth > 6) return undefined;
  const n = unwrap(node);
  if (FN_TYPES.has(n.type)) return hereFn(js, n);
  switch (n.type) {
    case 'array': {
      const last = n.namedChildren.filter((c) => c && c.type !== 'comment').pop();
      return last ? handlerOf(js, last, env, depth + 1) : undefined;
    }
    case 'object': {
      const h = propertyValue(n, 'handler');
      return h ? handlerOf(js, h, env, depth + 1) : undefined;
    }
    case 'shorthand_property_identifier':
    case 'identifier': {
      const e = env?.get(n.text);
      if (e) return handlerOf(js, e, undefined, depth + 1);
      const b = js.lookup(n.text, n);
      if (b?.kind === 'function') return hereFn(js, b.fn);
      if (b?.kind === 'var' && b.value) {
        const v = unwrap(b.value);
        if (FN_TYPES.has(v.type) || v.type === 'call_expression') {
          const inner = handlerOf(js, v, undefined, depth + 1);
          if (inner?.kind === 'here') return inner;
        }
      }
      if (b?.kind === 'import') return { kind: 'ref', ref: { kind: 'import', binding: b.local }, display: n.text };
      return { kind: 'ref', ref: { kind: 'local', name: n.text }, display: n.text };
    }
    case 'member_expression':
      return memberHandler(js, n, env, depth);
    case 'call_expression': {
      const callee = unwrap(n.childForFieldName('function') ?? n);
      if (callee.type === 'member_expression' && callee.childForFieldName('property')?.text === 'bind') return handlerOf(js, callee.childForFieldName('object') ?? callee, env, depth + 1);
      const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && isHandlerish(a) && unwrap(a).type !== 'object');
      const last = args[args.length - 1];
      if (last) return handlerOf(js, last, env, depth + 1);
      return callee.type === 'identifier' || callee.type === 'member_expression' ? handlerOf(js, callee, env, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** `ctrl.list`, `this.list`, `ArticlesController.list`, `articles.handlers.list`. */
function memberHandler(js: JsFile, n: Node, env: Env | undefined, depth: number): HandlerRef | undefined {
  const obj = unwrap(n.childForFieldName('object') ?? n);
  const prop = n.childForFieldName('property')?.text;
  if (!prop) return undefined;
  const display = `${obj.text}.${prop}`;
  const member = (container: string): HandlerRef => {
    const local = js.members.get(`${container}.${prop}`);
    if (local) {
      const fn = local.type === 'method_definition' ? local : local.childForFieldName('value');
      if (fn && FN_TYPES.has(unwrap(fn).type)) return hereFn(js, unwrap(fn));
    }
    return { kind: 'member', container, name: prop };
  };
  if (obj.type === 'this') {
    const cls = js.enclosingClass(n);
    return cls ? member(cls) : undefined;
  }
  const table = js.objectValue(obj, env);
  if (table) {
    const v = propertyValue(table, prop);
    if (v) return handlerOf(js, v, undefined, depth + 1);
  }
  if (obj.type === 'identifier') {
    const b = js.lookup(obj.text, obj);
    if (b?.kind === 'import') return { kind: 'ref', ref: { kind: 'import', binding: b.local, member: prop }, display };
    if (b?.kind === 'class') return member(b.name);
    if (b?.kind === 'var' && b.value) {
      const v = unwrap(b.value);
      if (v.type === 'new_expression') {
        const ctor = v.childForFieldName('constructor');
        if (ctor?.type === 'identifier') {
          const cb = js.lookup(ctor.text, ctor);
          return member(cb?.kind === 'import' && cb.name !== 'default' && cb.name !== '*' ? cb.name : ctor.text);
        }
      }
    }
    return { kind: 'ref', ref: { kind: 'local', name: display }, display };
  }
  // a.b.c where a is an import: the member path below it
  let root = obj;
  const path: string[] = [prop];
  while (root.type === 'member_expression') {
    path.unshift(root.childForFieldName('property')?.text ?? '');
    root = unwrap(root.childForFieldName('object') ?? root);
  }
  const b = root.type === 'identifier' ? js.lookup(root.text, root) : undefined;
  if (b?.kind === 'import') return { kind: 'ref', ref: { kind: 'import', binding: b.local, member: path.join('.') }, display };
  return { kind: 'ref', ref: { kind: 'local', name: display }, display };
}

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

function isPathLiteral(node: Node | undefined): boolean {
  if (!node) return false;
  const n = unwrap(node);
  return n.type === 'string' || n.type === 'template_string' || (n.type === 'array' && n.namedChildren.every((c) => !c || c.type === 'string' || c.type === 'comment'));
}

function pushRoutes(js: JsFile, router: RouterRef | undefined, methods: readonly string[], pathList: readonly string[], handler: HandlerRef | undefined, at: Node): void {
  for (const method of methods) {
    for (const path of pathList) {
      js.facts.routes.push({ router: router?.ref, method, path, style: 'colon', handler, framework: router?.framework ?? fileFramework(js) ?? 'express', loc: locOf(at) });
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
    if (path !== undefined) pushRoutes(js, undefined, [METHODS[methodName as string] as string], [path], handlerOf(js, args[args.length - 1] as Node), callee.childForFieldName('property') ?? call);
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
      pushRoutes(js, router, [method], p, handlerOf(js, args[args.length - 1] as Node, env), unwrap(el).type === 'object' ? el : call);
    }
    return;
  }
  const m = methodName ?? js.constString(methodNode)?.toLowerCase();
  const method = m === undefined ? undefined : METHODS[m];
  if (!method) return;
  const p = paths(js, args[0] as Node);
  if (!p) return js.warn(call, `Route path computed at run time: ${(args[0] as Node).text.slice(0, 80)}`);
  pushRoutes(js, router, [method], p, handlerOf(js, args[args.length - 1] as Node), callee.type === 'member_expression' ? (callee.childForFieldName('property') ?? call) : call);
}

/**
 * A route on a router imported from a package outside the workspace (`import { router } from '@acme/http'`,
 * with a literal '/path' and an inline handler): its path, kept without prefixes, with a warning.
 */
function outsideRouterPath(js: JsFile, recv: Node, args: readonly Node[], call: Node): string | undefined {
  const r = unwrap(recv);
  const root = r.type === 'member_expression' ? unwrap(r.childForFieldName('object') ?? r) : r;
  const b = root.type === 'identifier' ? js.lookup(root.text, root) : undefined;
  if (b?.kind !== 'import' || MODULE_FRAMEWORK[b.module] || !FN_TYPES.has(unwrap(args[args.length - 1] as Node).type)) return undefined;
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

function mount(js: JsFile, parent: RouterRef, child: Ref | undefined, prefix: string, at: Node): void {
  if (child) js.facts.mounts.push({ parent: parent.ref, child, prefix, style: 'colon', loc: locOf(at) });
}

/** `x.use([prefix,] …routers)` (Express, Koa). */
function readUse(js: JsFile, recv: Node, args: readonly Node[], call: Node): void {
  if (args.length === 0) return;
  const router = routerRef(js, recv, { param: true });
  if (!router) return;
  let prefix = '';
  let rest = args;
  const first = unwrap(args[0] as Node);
  if (first.type === 'string' || first.type === 'template_string' || first.type === 'binary_expression' || (first.type === 'identifier' && js.constString(first) !== undefined)) {
    const p = js.constString(first);
    if (p === undefined) return js.warn(call, `Mount prefix computed at run time: ${first.text.slice(0, 80)}`);
    prefix = p;
    rest = args.slice(1);
  }
  for (const a of rest) mount(js, router, childRef(js, a, false), prefix, call);
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

const ROUTER_CALLS: ReadonlySet<string> = new Set([...Object.keys(METHODS), 'use', 'register', 'route', 'on']);

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
    else if (prop === 'use') readUse(js, recv, args, call);
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
