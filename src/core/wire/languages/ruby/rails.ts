/**
 * Rails routing DSL (config/routes.rb and the files it `draw`s from config/routes/): verbs, `match … via:`, `root`,
 * `resources`/`resource` with only:/except:/param:/path:/controller:/module:/shallow:, nested resources,
 * member/collection/nested/new blocks, namespace, scope (path, module:, controller:), controller blocks, concerns,
 * `mount`, and loops over literal lists. Rails composes every route inside the routes file itself, so routes are
 * emitted with their full path and no router; handlers point by convention at app/controllers/…_controller.rb.
 */
import type { Node } from '../../node';
import type { HandlerRef, MountFact, RouteFact } from '../../facts';
import { locOf } from '../../syntax';
import { blockOf, blockParams, callArgs, camelize, constantName, type Env, NO_ENV, pluralize, rbList, rbValue, singularize, statements } from './common';

/** Where a route is drawn: the path so far, the controller module, the default controller, the resource around it. */
export interface RailsScope {
  /** Path prefix so far, as written (`/api/v1/articles/:article_id`). */
  readonly path: string;
  /** The path without resource nesting (namespaces and scopes only): shallow routes hang here. */
  readonly basePath: string;
  /** Controller module (`api/v1`), '' at the top. */
  readonly module: string;
  /** Default controller with its module (`api/v1/articles`), inside `resources` or `controller` blocks. */
  readonly controller?: string | undefined;
  readonly resource?: ResourceScope | undefined;
  readonly shallow: boolean;
}

interface ResourceScope {
  readonly memberPath: string;
  readonly collectionPath: string;
  readonly nestedPath: string;
}

export const ROOT_SCOPE: RailsScope = { path: '', basePath: '', module: '', shallow: false };

/** What the walker writes to. */
export interface RailsContext {
  /** Folder that holds app/ and config/ ('' or `svc/`, with the trailing slash). */
  readonly appRoot: string;
  readonly routes: RouteFact[];
  readonly mounts: MountFact[];
  readonly warnings: { line: number; message: string }[];
  /** The router that `mount`ed Rack apps (Sinatra, Grape) hang under. */
  readonly router: string;
  readonly concerns: Map<string, Node>;
  /** Called for `draw :name` (the routes of config/routes/name.rb are drawn in this scope). */
  readonly onDraw?: ((name: string, scope: RailsScope) => void) | undefined;
}

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'match']);
const OPAQUE_BLOCKS = new Set(['direct', 'resolve', 'lambda', 'proc']);
const FRAMEWORK = 'rails';

const join = (...parts: readonly string[]): string => {
  const segs: string[] = [];
  for (const p of parts) for (const s of p.split('/')) if (s !== '') segs.push(s);
  return '/' + segs.join('/');
};

/**
 * Optional groups at the end of a path: a parameter, `settings(/:tab)`, stays as the optional `settings/:tab?`
 * (`{tab?}`: the path matches with or without it; nested `(/:year(/:month))` too); a glob, Redmine's
 * `browse(/*path)`, as the catch-all `browse/*path` (`{*path}` also matches nothing). Other optional groups, the
 * format `(.:format)` or one in the middle, are left out of the template.
 */
const withoutOptional = (p: string): string => {
  let s = p.replace(/\((\/\*\w+)\)((?:\([^()]*\))*)$/, '$1$2').replace(/\(\.[^()]*\)/g, '');
  for (let i = 0; i < 4; i++) {
    const before = s;
    s = s.replace(/\(\/:(\w+)((?:\/:\w+\?)*)\)(?=\)*$)/, '/:$1?$2');
    if (s === before) break;
  }
  return s.replace(/\([^()]*\)/g, '').replace(/\([^()]*\)/g, '');
};

/** Draws the statements of a routes block (or of a whole draw file) in `scope`. */
export function drawRoutes(ctx: RailsContext, nodes: readonly Node[], scope: RailsScope, env: Env = NO_ENV): void {
  for (const n of nodes) {
    if (n.type === 'call') drawCall(ctx, n, scope, env);
    else if (n.type === 'if' || n.type === 'unless' || n.type === 'then' || n.type === 'else' || n.type === 'elsif' || n.type === 'begin' || n.type === 'parenthesized_statements' || n.type === 'body_statement') {
      drawRoutes(
        ctx,
        n.namedChildren.filter((c): c is Node => c !== null && c !== n.childForFieldName('condition')),
        scope,
        env,
      );
    }
  }
}

function drawCall(ctx: RailsContext, call: Node, scope: RailsScope, env: Env): void {
  const name = call.childForFieldName('method')?.text ?? '';
  const receiver = call.childForFieldName('receiver');
  if (receiver) {
    if (name === 'each' || name === 'each_with_index') drawLoop(ctx, call, receiver, scope, env);
    return;
  }
  if (VERBS.has(name)) return drawVerb(ctx, call, name, scope, env);
  switch (name) {
    case 'root':
      return drawVerb(ctx, call, name, scope, env);
    case 'resources':
    case 'resource':
      return drawResources(ctx, call, name === 'resource', scope, env);
    case 'namespace':
      return drawNamespace(ctx, call, scope, env);
    case 'scope':
      return drawScope(ctx, call, scope, env);
    case 'controller': {
      const args = callArgs(call);
      const c = rbValue(args.positional[0], env);
      if (c === undefined) return;
      const path = rbValue(args.options.get('path'), env) ?? '';
      inner(ctx, call, { ...scope, controller: controllerPath(scope.module, c), path: join(scope.path, path), basePath: join(scope.basePath, path) }, env);
      return;
    }
    case 'member':
    case 'collection':
    case 'nested':
    case 'new': {
      const r = scope.resource;
      if (!r) return;
      const path = name === 'member' ? r.memberPath : name === 'nested' ? r.nestedPath : name === 'new' ? join(r.collectionPath, 'new') : r.collectionPath;
      inner(ctx, call, { ...scope, path }, env);
      return;
    }
    case 'shallow':
      inner(ctx, call, { ...scope, shallow: true }, env);
      return;
    case 'concern': {
      const c = rbValue(callArgs(call).positional[0], env);
      const block = blockOf(call);
      if (c !== undefined && block) ctx.concerns.set(c, block);
      return;
    }
    case 'concerns':
      for (const p of callArgs(call).positional) for (const c of rbList(p, env) ?? []) drawConcern(ctx, c, scope, env);
      return;
    case 'draw': {
      const d = rbValue(callArgs(call).positional[0], env);
      if (d !== undefined) ctx.onDraw?.(d, scope);
      return;
    }
    case 'mount':
      return drawMount(ctx, call, scope, env);
    case 'devise_for':
      ctx.warnings.push({ line: locOf(call).line, message: 'devise_for: the routes Devise generates are not listed.' });
      return;
    default:
      if (!OPAQUE_BLOCKS.has(name)) inner(ctx, call, scope, env);
  }
}

/** Walks a call's block (if any) in a new scope. */
function inner(ctx: RailsContext, call: Node, scope: RailsScope, env: Env): void {
  const block = blockOf(call);
  if (block) drawRoutes(ctx, statements(block), scope, env);
}

function drawConcern(ctx: RailsContext, name: string, scope: RailsScope, env: Env): void {
  const block = ctx.concerns.get(name);
  if (block) drawRoutes(ctx, statements(block), scope, env);
}

/** `%w[about contact].each do |page| get page, to: "pages##{page}" end`: the block once per literal element. */
function drawLoop(ctx: RailsContext, call: Node, receiver: Node, scope: RailsScope, env: Env): void {
  const block = blockOf(call);
  if (!block) return;
  const items = rbList(receiver, env);
  const param = blockParams(block)[0];
  if (!items || param === undefined) {
    ctx.warnings.push({ line: locOf(call).line, message: 'Rails routes drawn in a loop over a list computed at run time are not listed.' });
    return;
  }
  for (const item of items) drawRoutes(ctx, statements(block), scope, new Map([...env, [param, item]]));
}

/** `api/v1` + `articles` → `api/v1/articles`; a leading `/` makes the controller absolute. */
function controllerPath(module: string, controller: string): string {
  if (controller.startsWith('/')) return controller.slice(1);
  return module === '' ? controller : module + '/' + controller;
}

function handlerFor(ctx: RailsContext, controller: string, action: string): HandlerRef {
  return { kind: 'file', file: `${ctx.appRoot}app/controllers/${controller}_controller.rb`, container: camelize(controller) + 'Controller', name: action };
}

function emit(ctx: RailsContext, call: Node, methods: readonly string[], path: string, handler: HandlerRef | undefined): void {
  for (const method of methods) ctx.routes.push({ method, path: withoutOptional(path), style: 'colon', handler, framework: FRAMEWORK, loc: locOf(call) });
}

function drawVerb(ctx: RailsContext, call: Node, verb: string, scope: RailsScope, env: Env): void {
  const args = callArgs(call);
  const opts = args.options;
  let written = '';
  let pathIsSymbol = false;
  let target: Node | undefined = opts.get('to');
  if (verb === 'root') {
    target = args.positional[0] ?? target;
  } else {
    const pathNode = args.arrow?.key ?? args.positional[0];
    if (args.arrow) target = args.arrow.value;
    const p = rbValue(pathNode, env);
    if (pathNode && p === undefined) {
      ctx.warnings.push({ line: locOf(call).line, message: `Rails route \`${verb}\` with a path computed at run time is not listed.` });
      return;
    }
    written = p ?? '';
    pathIsSymbol = pathNode?.type === 'simple_symbol' || pathNode?.type === 'delimited_symbol' || pathNode?.type === 'identifier';
  }
  let methods = [verb === 'root' ? 'GET' : verb.toUpperCase()];
  if (verb === 'match') {
    const via = rbList(opts.get('via'), env);
    methods = !via || via.includes('all') ? ['ANY'] : via.map((v) => v.toUpperCase());
  }

  // Where the path hangs: `on: :member` / `on: :collection` inside resources.
  const on = rbValue(opts.get('on'), env);
  let base = scope.path;
  if (scope.resource && on === 'member') base = scope.resource.memberPath;
  else if (scope.resource && on === 'collection') base = scope.resource.collectionPath;
  else if (scope.resource && on === 'new') base = join(scope.resource.collectionPath, 'new');
  const path = join(base, written);

  // controller#action
  let controller = scope.controller;
  const c = rbValue(opts.get('controller'), env);
  if (c !== undefined) controller = controllerPath(scope.module, c);
  let action = rbValue(opts.get('action'), env);
  let handler: HandlerRef | undefined;
  if (target) {
    const t = rbValue(target, env);
    if (t !== undefined) {
      const hash = t.indexOf('#');
      if (hash >= 0) {
        if (hash > 0) controller = controllerPath(scope.module, t.slice(0, hash));
        action = t.slice(hash + 1);
      } else action = t;
    } else if (target.type === 'lambda' || (target.type === 'call' && target.childForFieldName('method')?.text === 'lambda')) {
      handler = { kind: 'here', name: '<lambda>', loc: locOf(target, true) };
    } else if (target.type === 'call' && target.childForFieldName('method')?.text === 'redirect') {
      handler = { kind: 'here', name: 'redirect', loc: locOf(target, true) };
    } else {
      const k = constantName(target);
      if (k !== undefined) handler = { kind: 'ref', ref: { kind: 'global', name: k }, display: k };
    }
  }
  if (!handler && action === undefined && written !== '') {
    // `get :preview` inside resources/controller blocks, `get 'photos/search'` → photos#search
    const segs = written.replace(/\(.*$/, '').split('/').filter((s) => s !== '' && !s.startsWith(':') && !s.startsWith('*'));
    if (controller !== undefined || pathIsSymbol) action = segs[segs.length - 1];
    else if (segs.length >= 2) {
      action = segs[segs.length - 1];
      controller = controllerPath(scope.module, segs.slice(0, -1).join('/'));
    }
  }
  if (!handler && controller !== undefined && action !== undefined) handler = handlerFor(ctx, controller, action);
  emit(ctx, call, methods, path, handler);
}

const PLURAL_ACTIONS: readonly (readonly [string, string, 'collection' | 'new' | 'member' | 'edit'])[] = [
  ['index', 'GET', 'collection'],
  ['create', 'POST', 'collection'],
  ['new', 'GET', 'new'],
  ['edit', 'GET', 'edit'],
  ['show', 'GET', 'member'],
  ['update', 'PATCH', 'member'],
  ['update', 'PUT', 'member'],
  ['destroy', 'DELETE', 'member'],
];

const SINGULAR_ACTIONS: readonly (readonly [string, string, 'collection' | 'new' | 'member' | 'edit'])[] = [
  ['new', 'GET', 'new'],
  ['edit', 'GET', 'edit'],
  ['show', 'GET', 'member'],
  ['update', 'PATCH', 'member'],
  ['update', 'PUT', 'member'],
  ['destroy', 'DELETE', 'member'],
  ['create', 'POST', 'collection'],
];

function drawResources(ctx: RailsContext, call: Node, singular: boolean, scope: RailsScope, env: Env): void {
  const args = callArgs(call);
  const opts = args.options;
  const names: string[] = [];
  for (const p of args.positional) {
    const v = rbValue(p, env);
    if (v === undefined) {
      ctx.warnings.push({ line: locOf(call).line, message: 'Rails resources with a name computed at run time are not listed.' });
      return;
    }
    names.push(v);
  }
  const only = rbList(opts.get('only'), env);
  const except = rbList(opts.get('except'), env);
  const param = rbValue(opts.get('param'), env) ?? 'id';
  const moduleOpt = rbValue(opts.get('module'), env);
  const module = moduleOpt === undefined ? scope.module : controllerPath(scope.module, moduleOpt);
  const shallow = scope.shallow || opts.get('shallow')?.type === 'true';
  const concerns = rbList(opts.get('concerns'), env) ?? [];
  for (const name of names) {
    const controllerOpt = rbValue(opts.get('controller'), env);
    const controller = controllerPath(module, controllerOpt ?? (singular ? pluralize(name) : name));
    const seg = rbValue(opts.get('path'), env) ?? name;
    // A shallow resource nested in another keeps only its collection routes under the parent.
    const memberBase = scope.resource && shallow ? scope.basePath : scope.path;
    const collectionPath = join(scope.path, seg);
    const memberPath = singular ? collectionPath : join(memberBase, seg, ':' + param);
    const nestedPath = singular ? collectionPath : join(memberBase, seg, ':' + singularize(name) + '_' + param);
    const resource: ResourceScope = { memberPath, collectionPath, nestedPath };
    const innerScope: RailsScope = { ...scope, module, path: nestedPath, controller, resource, shallow };
    const block = blockOf(call);
    if (block) drawRoutes(ctx, statements(block), innerScope, env);
    for (const c of concerns) drawConcern(ctx, c, innerScope, env);
    for (const [action, method, where] of singular ? SINGULAR_ACTIONS : PLURAL_ACTIONS) {
      if (only && !only.includes(action)) continue;
      if (except?.includes(action)) continue;
      const path = where === 'collection' ? collectionPath : where === 'new' ? join(collectionPath, 'new') : where === 'edit' ? join(memberPath, 'edit') : memberPath;
      emit(ctx, call, [method], path, handlerFor(ctx, controller, action));
    }
  }
}

function drawNamespace(ctx: RailsContext, call: Node, scope: RailsScope, env: Env): void {
  const args = callArgs(call);
  const name = rbValue(args.positional[0], env);
  if (name === undefined) return;
  const path = rbValue(args.options.get('path'), env) ?? name;
  const moduleOpt = rbValue(args.options.get('module'), env) ?? name;
  inner(ctx, call, { path: join(scope.path, path), basePath: join(scope.basePath, path), module: controllerPath(scope.module, moduleOpt), shallow: scope.shallow }, env);
}

function drawScope(ctx: RailsContext, call: Node, scope: RailsScope, env: Env): void {
  const args = callArgs(call);
  const opts = args.options;
  const parts: string[] = [];
  for (const p of args.positional) {
    const v = rbValue(p, env);
    if (v !== undefined) parts.push(v);
  }
  const pathOpt = rbValue(opts.get('path'), env);
  if (pathOpt !== undefined) parts.push(pathOpt);
  const path = parts.join('/');
  const moduleOpt = rbValue(opts.get('module'), env);
  const module = moduleOpt === undefined ? scope.module : controllerPath(scope.module, moduleOpt);
  const c = rbValue(opts.get('controller'), env);
  inner(ctx, call, { ...scope, path: join(scope.path, path), basePath: join(scope.basePath, path), module, controller: c !== undefined ? controllerPath(module, c) : scope.controller }, env);
}

/** `mount Sidekiq::Web => '/sidekiq'`, `mount Api::App, at: '/api'`: every path under the mount point goes to the Rack app. */
function drawMount(ctx: RailsContext, call: Node, scope: RailsScope, env: Env): void {
  const args = callArgs(call);
  const app = args.arrow?.key ?? args.positional[0];
  const at = args.arrow ? rbValue(args.arrow.value, env) : rbValue(args.options.get('at'), env);
  if (!app || at === undefined) return;
  const name = constantName(app) ?? app.text;
  const path = join(scope.path, at);
  emit(ctx, call, ['ANY'], join(path, '*'), { kind: 'ref', ref: { kind: 'global', name }, display: name });
  if (constantName(app) !== undefined) ctx.mounts.push({ parent: { kind: 'local', name: ctx.router }, child: { kind: 'global', name }, prefix: path, style: 'colon', loc: locOf(call) });
}
