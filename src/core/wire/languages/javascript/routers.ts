/**
 * Routers of the call-based Node frameworks (Express, Koa, Fastify, Hono): the framework a file is written for,
 * where routers are created (`express()`, `Router()`, `new Router({prefix})`, `new Hono().basePath()`, `Fastify()`,
 * `new Koa()`: variables, functions returning one, class fields, default exports), and the router an expression
 * denotes (created, a parameter of a registration function `fn(param)`, imported, `this.router`, a chained call).
 */
import type { Node } from '../../node';
import type { Ref } from '../../facts';
import { locOf } from '../../syntax';
import type { JsFile } from './context';
import { FN_TYPES, propertyValue, unwrap } from './syntax';
import { inlineImport, requireOf, resolveJsModule } from './modules';

/** A router expression: where it is defined (a Ref compose.ts resolves) and its framework. */
export interface RouterRef {
  readonly ref: Ref;
  readonly framework: string;
}

export const METHODS: Readonly<Record<string, string>> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', del: 'DELETE', options: 'OPTIONS', head: 'HEAD', all: 'ANY' };
/** Functions whose name says they make an app, router or server (`createApp`, `createExpressApp`, `makeRouter`, `buildServer`). */
const FACTORY_NAME = /^(?:app|application|router|server)$|[a-z0-9](?:App|Application|Router|Server)$|_(?:app|application|router|server)$/;

/** Calls that return the router they are called on (chaining). */
const CHAINING: ReadonlySet<string> = new Set([...Object.keys(METHODS), 'use', 'route', 'register', 'on', 'routes', 'middleware']);
export const MODULE_FRAMEWORK: Readonly<Record<string, string>> = { express: 'express', fastify: 'fastify', koa: 'koa', '@koa/router': 'koa', 'koa-router': 'koa', hono: 'hono', '@hono/zod-openapi': 'hono' };

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
  /** `apiUtil.createExpressApp(settings)`: a new app holding what the workspace factory puts in every app it makes. */
  readonly factory?: Ref | undefined;
}

/** A workspace function that makes an app: `createExpressApp`, `createApp`, `makeApplication`. */
const APP_FACTORY = /^(?:create|make|new|build)\w*(?:App|Application)$/;

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
  if (o.module?.startsWith('.') && o.path[o.path.length - 1] === 'Router') {
    // A wrapper module of the service's own (Ghost's `require('../shared/express').Router('admin api')`).
    const framework = fileFramework(js);
    return framework === 'express' || framework === 'koa' ? { framework } : undefined;
  }
  if (o.module?.startsWith('.') && path === 'default' && callee.type === 'identifier' && callee.text === 'express' && fileFramework(js) === 'express') {
    // The same wrapper's app factory, imported under the framework's name (Ghost's `const express =
    // require('../../../shared/express'); const membersApp = express('members')`).
    return { framework: 'express' };
  }
  const last = o.path[o.path.length - 1] ?? '';
  if (o.module?.startsWith('.') && APP_FACTORY.test(last)) {
    // Node-RED's `const editorApp = apiUtil.createExpressApp(settings)`, in many files: each call makes an app of its
    // own (two of them never shadow each other), which holds what the factory adds to every app.
    const framework = fileFramework(js) ?? 'express';
    const factory = calleeRef(js, callee);
    return framework === 'express' || framework === 'koa' ? { framework, factory } : undefined;
  }
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
    if (c.factory) js.facts.mounts.push({ parent: { kind: 'local', name }, child: c.factory, prefix: '', style: 'colon', loc: locOf(at) });
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
        if (!b.value) return undefined;
        const value = unwrap(b.value);
        if (value.type !== 'call_expression') return routerRef(js, b.value, opts, depth + 1);
        // `const adminApp = apiUtil.createExpressApp(settings)` (Node-RED): the router a function of this file or of
        // a workspace module returns, which is named after that function. Only a function named for an app, router
        // or server: `api.createClient().get('/x', cb)` is an HTTP client.
        const fn = unwrap(value.childForFieldName('function') ?? value);
        const fnName = fn.type === 'member_expression' ? fn.childForFieldName('property')?.text : fn.type === 'identifier' ? fn.text : undefined;
        const made = fnName !== undefined && FACTORY_NAME.test(fnName) ? calleeRef(js, fn) : undefined;
        return made ? { ref: made, framework: fileFramework(js) ?? 'express' } : undefined;
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
export function childRef(js: JsFile, node: Node, plugin: boolean): Ref | undefined {
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
    // editorApp.use('/projects', projects.app()) (Node-RED): a function of a workspace module that returns a router
    if (callee.type === 'member_expression' && unwrap(callee.childForFieldName('object') ?? callee).type === 'identifier') return calleeRef(js, callee);
    // app.use('/api', require('./routes')()): the function the workspace module exports, called
    const required = requireOf(callee);
    if (required && resolveJsModule(js.file, required.module, js.input.project).length > 0) return calleeRef(js, callee);
    return undefined;
  }
  return routerRef(js, n, { param: true })?.ref;
}

/** A called function as a Ref: a local function, an import (or a member of one), an inline require. */
export function calleeRef(js: JsFile, callee: Node): Ref | undefined {
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
