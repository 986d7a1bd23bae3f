/**
 * Route registrations of Flask/Quart and FastAPI/Starlette: route decorators (`@app.route`, `@router.get`),
 * `add_url_rule` / `add_api_route`, `register_blueprint` / `include_router` and `mount` as mounts; Django REST
 * framework `router.register` with the routes of the ViewSet; Celery task decorators as worker entries.
 */
import type { Node } from '../../node';
import type { HandlerRef, Ref } from '../../facts';
import { locOf, shortText } from '../../syntax';
import { PyHandlers } from './handlers';
import { type RouterInfo, styleOf } from './routers';
import { argument, callArgs, calleeName, dotted, type Env, lastSegment, qualifiedName, unparen } from './syntax';
import { viewSetRoutes } from './views';

/** Decorators that register a route on a Flask/FastAPI app or router. */
const ROUTE_DECORATORS: ReadonlySet<string> = new Set(['route', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'api_route', 'websocket']);

/**
 * Whether a path can be a route's: Werkzeug (Flask, Quart) and Starlette (FastAPI) refuse one that does not start
 * with `/`, except FastAPI's `''` under a router's prefix. `@mock.patch('pkg.mod.fn')` in a test has a route
 * decorator's shape but no such path.
 */
function isRoutePath(path: string): boolean {
  return path === '' || path.startsWith('/');
}

export abstract class PyRoutes extends PyHandlers {
  // ---- Flask / FastAPI ---------------------------------------------------------------------------------

  /** `@app.route('/x', methods=[...])`, `@router.get('/{id}')`, `@bp.post(...)` on a function. */
  protected readDecorator(decorator: Node, call: Node): void {
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
    if (!isRoutePath(path)) return;
    const methods = method === 'route' || method === 'api_route' ? (this.valueList(args.keywords.get('methods'), call) ?? ['GET']) : [method === 'websocket' ? 'GET' : method.toUpperCase()];
    const framework = this.frameworkOf(router) ?? this.hintFor(method);
    const handler: HandlerRef = { kind: 'here', name: qualifiedName(def), loc: locOf(def, true) };
    for (const m of methods) this.facts.routes.push({ router, method: m.toUpperCase(), path: fastapiPath(path, framework), style: styleOf(path), handler, framework, loc: locOf(call) });
  }

  /** Celery: `@shared_task`, `@app.task`, `@celery.task(bind=True)` make a function a worker entry. */
  protected taskDecorator(d: Node, fn: Node): void {
    const name = d.type === 'call' ? calleeName(d) : dotted(d);
    if (!name || !(name === 'shared_task' || name.endsWith('.shared_task') || (name.endsWith('.task') && name.split('.').length === 2))) return;
    this.facts.entries.push({ detail: 'worker', name: qualifiedName(fn), framework: 'celery', loc: locOf(fn) });
  }

  /** Route registrations and mounts by call: add_url_rule, add_api_route, register_blueprint, include_router, mount, DRF register. */
  protected readRouterCall(call: Node): void {
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
      if (!isRoutePath(path)) continue;
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
}

/** Starlette's `{name:path}` convertor is a catch-all: written `{*name}` so routes.ts sees it as one. */
function fastapiPath(path: string, framework: string): string {
  return framework === 'fastapi' ? path.replace(/\{(\w+):path\}/g, '{*$1}') : path;
}
