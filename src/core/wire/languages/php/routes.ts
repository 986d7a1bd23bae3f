/**
 * Route files of Laravel (the `Route::` facade), Lumen (`$router->`) and Slim (`$app->`, `$group->`): verbs,
 * match/any, groups (prefix chains, attribute arrays, `Route::controller(X::class)->group`), resource and
 * apiResource (only/except), view/redirect/fallback, and the prefix a route file gets from
 * bootstrap/app.php or RouteServiceProvider (routes/api.php gets `/api` when nothing says otherwise).
 * Each group is a router mounted on the one around it, so routes keep the path as written.
 */
import type { Language } from '@vscode/tree-sitter-wasm';
import type { Node } from '../../node';
import { parseWith } from '../../treeSitter';
import type { emptyFacts, HandlerRef, RouteFact } from '../../facts';
import type { ProjectView } from '../../language';
import { descendants, locOf } from '../../syntax';
import { classConstant, phpArgs, phpArray, phpHandler, phpList, phpString, type PhpArgs, simpleName, singular } from './common';

type Facts = ReturnType<typeof emptyFacts>;

/** One call of a fluent chain, base first: `Route::prefix('v1')->middleware('auth')->group(…)` → prefix, middleware, group. */
interface Link {
  readonly name: string;
  readonly args: PhpArgs;
  readonly node: Node;
}

interface Chain {
  /** `Route` for the facade, else the variable the chain starts on (`$router`, `$app`, `$group`, `$app->router`). */
  readonly base: string;
  readonly links: Link[];
}

interface Group {
  readonly router: string;
  readonly controller?: string | undefined;
}

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'any']);
const FUNCTIONS: ReadonlySet<string> = new Set(['anonymous_function', 'arrow_function']);

/** Splits a fluent call chain into its links; undefined when it does not start on `Route::` or a variable. */
export function chainOf(expr: Node): Chain | undefined {
  const links: Link[] = [];
  let n: Node | null = expr;
  while (n && (n.type === 'member_call_expression' || n.type === 'nullsafe_member_call_expression')) {
    links.unshift({ name: n.childForFieldName('name')?.text ?? '', args: phpArgs(n), node: n });
    const obj: Node | null = n.childForFieldName('object');
    if (obj?.type === 'variable_name' || obj?.type === 'member_access_expression') return { base: obj.text, links };
    n = obj;
  }
  if (n?.type === 'scoped_call_expression' && simpleName(n.childForFieldName('scope')?.text ?? '') === 'Route') {
    links.unshift({ name: n.childForFieldName('name')?.text ?? '', args: phpArgs(n), node: n });
    return { base: 'Route', links };
  }
  return undefined;
}

export interface RouteFileOptions {
  readonly facts: Facts;
  /** `laravel`, `lumen` or `slim`. */
  readonly framework: string;
  /** The prefix of the whole file (routes/api.php → `api`). */
  readonly filePrefix: string;
  /** Variables that are routers (`$router`, `$app`): the chains the reader follows besides `Route::`. */
  readonly routerVars: ReadonlySet<string>;
  /** Route closures get a name for error records: node id → `GET /path`. */
  readonly closureNames: Map<number, string>;
}

/** Reads the routes registered by the top-level statements of a file (and, through groups, their closures). */
export function readRouteFile(root: Node, opts: RouteFileOptions): void {
  const reader = new RouteReader(opts);
  const top: Group = { router: 'routes' };
  reader.statements(root.namedChildren.filter((n): n is Node => n !== null), top, new Map());
  if (reader.used) opts.facts.routers.unshift({ name: 'routes', framework: opts.framework, prefix: opts.filePrefix || undefined, style: 'brace', loc: { line: 1, column: 1 } });
}

class RouteReader {
  used = false;
  constructor(private readonly opts: RouteFileOptions) {}

  /** `vars`: closure parameters bound to group routers (Slim's `function (RouteCollectorProxy $group)`). */
  statements(nodes: readonly Node[], group: Group, vars: ReadonlyMap<string, string>): void {
    for (const n of nodes) {
      switch (n.type) {
        case 'expression_statement':
        case 'return_statement': {
          const e = n.namedChildren.find((c) => c !== null && c.type !== 'comment');
          if (e) this.expression(e, group, vars);
          break;
        }
        case 'compound_statement':
        case 'if_statement':
        case 'else_clause':
        case 'else_if_clause':
        case 'colon_block':
          this.statements(
            n.namedChildren.filter((c): c is Node => c !== null && c !== n.childForFieldName('condition')),
            group,
            vars,
          );
          break;
        case 'foreach_statement':
          this.opts.facts.warnings.push({ line: locOf(n).line, message: 'Routes registered in a loop are not listed (the paths are computed at run time).' });
          break;
      }
    }
  }

  private expression(e: Node, group: Group, vars: ReadonlyMap<string, string>): void {
    // Slim skeleton: `return function (App $app) { $app->get(…) }` — the closure's router parameter is the file's router.
    if (FUNCTIONS.has(e.type)) {
      const param = firstParam(e);
      const body = e.childForFieldName('body');
      if (param && body) this.statements(body.namedChildren.filter((c): c is Node => c !== null), group, new Map([...vars, [param, group.router]]));
      return;
    }
    const chain = chainOf(e);
    if (!chain) return;
    let router = group.router;
    if (chain.base !== 'Route') {
      const bound = vars.get(chain.base);
      if (bound !== undefined) router = bound;
      else if (!this.opts.routerVars.has(chain.base)) return;
    }
    this.chain(chain, { ...group, router }, vars);
  }

  private chain(chain: Chain, group: Group, vars: ReadonlyMap<string, string>): void {
    const prefixes: string[] = [];
    let controller = group.controller;
    const links = chain.links;
    for (let i = 0; i < links.length; i++) {
      const link = links[i] as Link;
      const a = link.args.positional;
      switch (link.name) {
        case 'prefix': {
          const p = phpString(a[0]);
          if (p === undefined) return this.warn(link.node, 'a route group prefix computed at run time');
          prefixes.push(p);
          break;
        }
        case 'controller':
          controller = classConstant(a[0]) ?? (phpString(a[0]) !== undefined ? simpleName(phpString(a[0]) as string) : controller);
          break;
        case 'group':
          return this.group(link, prefixes, controller, group, vars);
        case 'match': {
          const methods = phpList(a[0]);
          if (!methods) return this.warn(link.node, 'route methods computed at run time');
          return this.route(link, methods, a[1], a[2], prefixes, controller, group.router);
        }
        case 'map':
          // Slim: $app->map(['GET', 'POST'], '/x', handler)
          if (chain.base !== 'Route') return this.route(link, phpList(a[0]) ?? ['ANY'], a[1], a[2], prefixes, controller, group.router);
          break;
        case 'resource':
        case 'apiResource':
          return this.resource(link, links.slice(i + 1), link.name === 'apiResource', a[0], a[1], a[2], prefixes, group.router);
        case 'resources':
        case 'apiResources': {
          const { keyed } = phpArray(a[0]);
          for (const [name, ctrl] of keyed) this.resource(link, links.slice(i + 1), link.name === 'apiResources', undefined, ctrl, a[1], prefixes, group.router, name);
          return;
        }
        case 'view':
          return this.route(link, ['GET'], a[0], undefined, prefixes, controller, group.router, { kind: 'here', name: `view:${phpString(a[1]) ?? '?'}`, loc: locOf(link.node, true) });
        case 'redirect':
        case 'permanentRedirect':
          return this.route(link, ['ANY'], a[0], undefined, prefixes, controller, group.router, { kind: 'here', name: `redirect:${phpString(a[1]) ?? '?'}`, loc: locOf(link.node, true) });
        case 'fallback':
          return this.route(link, ['ANY'], undefined, a[0], prefixes, controller, group.router, undefined, '{*fallback}');
        default:
          if (VERBS.has(link.name)) return this.route(link, [link.name === 'any' ? 'ANY' : link.name.toUpperCase()], a[0], a[1], prefixes, controller, group.router);
      }
    }
  }

  private warn(node: Node, what: string): void {
    this.opts.facts.warnings.push({ line: locOf(node).line, message: `Not listed: ${what}.` });
  }

  /** `Route::prefix('v1')->group(function () {…})`, `Route::group(['prefix' => 'v1'], fn)`, Slim `$app->group('/v1', function ($group) {…})`. */
  private group(link: Link, prefixes: string[], controller: string | undefined, parent: Group, vars: ReadonlyMap<string, string>): void {
    const a = link.args.positional;
    const all = [...prefixes];
    for (const arg of a) {
      if (arg.type === 'array_creation_expression') {
        const attrs = phpArray(arg).keyed;
        const p = attrs.get('prefix');
        if (p) {
          const v = phpString(p);
          if (v === undefined) return this.warn(link.node, 'a route group prefix computed at run time');
          all.push(v);
        }
        const c = attrs.get('controller');
        if (c) controller = classConstant(c) ?? controller;
      } else if (arg.type === 'string' || arg.type === 'encapsed_string') {
        const v = phpString(arg);
        if (v === undefined) return this.warn(link.node, 'a route group prefix computed at run time');
        all.push(v);
      }
    }
    const closure = a.find((x) => FUNCTIONS.has(x.type));
    const body = closure?.childForFieldName('body');
    if (!closure || !body) return;
    const name = `group@${locOf(link.node).line}:${locOf(link.node).column}`;
    const prefix = all.join('/');
    this.opts.facts.routers.push({ name, framework: this.opts.framework, prefix: prefix || undefined, style: 'brace', loc: locOf(link.node) });
    this.opts.facts.mounts.push({ parent: { kind: 'local', name: parent.router }, child: { kind: 'local', name }, prefix: '', style: 'brace', loc: locOf(link.node) });
    this.used = true;
    const param = firstParam(closure);
    const inner = param ? new Map([...vars, [param, name]]) : vars;
    const stmts = body.type === 'compound_statement' ? body.namedChildren.filter((c): c is Node => c !== null) : [];
    this.statements(stmts, { router: name, controller }, inner);
  }

  private route(link: Link, methods: readonly string[], pathNode: Node | undefined, handlerNode: Node | undefined, prefixes: readonly string[], controller: string | undefined, router: string, handler?: HandlerRef, fixedPath?: string): void {
    const written = fixedPath ?? phpString(pathNode);
    if (written === undefined) return this.warn(link.node, 'a route path computed at run time');
    const path = [...prefixes, written].join('/');
    const h = handler ?? phpHandler(handlerNode, controller);
    this.used = true;
    for (const m of methods) {
      const method = m.toUpperCase() === 'ANY' ? 'ANY' : m.toUpperCase();
      this.push({ router: { kind: 'local', name: router }, method, path, style: 'brace', handler: h, framework: this.opts.framework, loc: locOf(link.node) });
    }
    if (h?.kind === 'here' && handlerNode && FUNCTIONS.has(handlerNode.type)) {
      const label = `${methods.join('|').toUpperCase()} /${path.replace(/^\/+/, '')}`;
      this.opts.closureNames.set(handlerNode.id, label);
    }
  }

  private push(r: RouteFact): void {
    this.opts.facts.routes.push(r);
  }

  /**
   * `Route::resource('photos', PhotoController::class)` → index, create, store, show, edit, update (PUT and
   * PATCH), destroy; apiResource without create/edit; `photos.comments` nests under `photos/{photo}`.
   */
  private resource(link: Link, rest: readonly Link[], api: boolean, nameNode: Node | undefined, ctrlNode: Node | undefined, optsNode: Node | undefined, prefixes: readonly string[], router: string, fixedName?: string): void {
    const name = fixedName ?? phpString(nameNode);
    const ctrl = classConstant(ctrlNode) ?? (phpString(ctrlNode) !== undefined ? simpleName(phpString(ctrlNode) as string) : undefined);
    if (name === undefined || ctrl === undefined) return this.warn(link.node, 'a resource whose name or controller is computed at run time');
    const options = phpArray(optsNode).keyed;
    let only = phpList(options.get('only'));
    let except = phpList(options.get('except'));
    for (const l of rest) {
      if (l.name === 'only') only = l.args.positional.length === 1 ? phpList(l.args.positional[0]) : l.args.positional.map((x) => phpString(x) ?? '');
      if (l.name === 'except') except = l.args.positional.length === 1 ? phpList(l.args.positional[0]) : l.args.positional.map((x) => phpString(x) ?? '');
    }
    // `Route::resource('people/{contact}/notes', …)`: Laravel takes the part before the last `/` as a prefix
    // (ResourceRegistrar::prefixedResource), so the parameter is `{note}`.
    const slash = name.lastIndexOf('/');
    const segments = name.slice(slash + 1).split('.');
    let base = slash >= 0 ? name.slice(0, slash) : '';
    segments.forEach((seg, i) => {
      base += (base ? '/' : '') + seg;
      if (i < segments.length - 1) base += `/{${paramName(seg)}}`;
    });
    const last = segments[segments.length - 1] as string;
    const member = `${base}/{${paramName(last)}}`;
    const actions: [string, string, string][] = [
      ['index', 'GET', base],
      ['create', 'GET', `${base}/create`],
      ['store', 'POST', base],
      ['show', 'GET', member],
      ['edit', 'GET', `${member}/edit`],
      ['update', 'PUT', member],
      ['update', 'PATCH', member],
      ['destroy', 'DELETE', member],
    ];
    for (const [action, method, path] of actions) {
      if (api && (action === 'create' || action === 'edit')) continue;
      if (only && !only.includes(action)) continue;
      if (except?.includes(action)) continue;
      this.used = true;
      this.push({ router: { kind: 'local', name: router }, method, path: [...prefixes, path].join('/'), style: 'brace', handler: { kind: 'member', container: ctrl, name: action }, framework: this.opts.framework, loc: locOf(link.node) });
    }
  }
}

/** Laravel's resource parameter: the singular, with `-` as `_` (`blog-posts` → `blog_post`). */
function paramName(segment: string): string {
  return singular(segment).replace(/-/g, '_');
}

function firstParam(fn: Node): string | undefined {
  const p = fn.childForFieldName('parameters')?.namedChildren.find((c) => c?.type === 'simple_parameter');
  return p?.childForFieldName('name')?.text;
}

/**
 * The prefix Laravel gives a route file: what bootstrap/app.php (`withRouting(api: …, apiPrefix: …)`) or
 * RouteServiceProvider (`Route::prefix('api')->group(base_path('routes/api.php'))`) says, else `api` for
 * routes/api.php and nothing for the others.
 */
export function laravelFilePrefix(file: string, project: ProjectView, language: Language): string {
  const at = file.lastIndexOf('routes/');
  if (at < 0) return '';
  const appRoot = file.slice(0, at);
  const rel = file.slice(at);
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  let found: string | undefined;
  for (const p of ['bootstrap/app.php', 'app/Providers/RouteServiceProvider.php']) {
    const text = project.read(appRoot + p);
    if (text === undefined || !text.includes(base) || found !== undefined) continue;
    parseWith(language, text, (root) => {
      for (const call of descendants(root, CALLS)) {
        const name = call.childForFieldName('name')?.text;
        const args = phpArgs(call);
        if (name === 'withRouting') {
          for (const [key, value] of args.named) {
            if ((key !== 'web' && key !== 'api') || !namesFile(value, rel)) continue;
            found = key === 'api' ? (phpString(args.named.get('apiPrefix')) ?? 'api') : '';
          }
        } else if (name === 'group' && args.positional.some((a) => namesFile(a, rel))) {
          const chain = chainOf(call);
          const prefixes: string[] = [];
          for (const l of chain?.links ?? []) {
            if (l.name === 'prefix') prefixes.push(phpString(l.args.positional[0]) ?? '');
            if (l.name === 'group') {
              const attrs = phpArray(l.args.positional[0]).keyed;
              const p = phpString(attrs.get('prefix'));
              if (p !== undefined) prefixes.push(p);
            }
          }
          found = prefixes.filter((x) => x !== '').join('/');
        }
        if (found !== undefined) return;
      }
    });
  }
  return found ?? (rel === 'routes/api.php' ? 'api' : '');
}

const CALLS: ReadonlySet<string> = new Set(['member_call_expression', 'scoped_call_expression']);

/** Whether an expression names the file (`base_path('routes/api.php')`, `__DIR__.'/../routes/api.php'`). */
function namesFile(node: Node, rel: string): boolean {
  for (const s of descendants(node, STRINGS)) {
    const v = phpString(s);
    if (v !== undefined && (v === rel || v.endsWith('/' + rel))) return true;
  }
  return false;
}

const STRINGS: ReadonlySet<string> = new Set(['string', 'encapsed_string']);
