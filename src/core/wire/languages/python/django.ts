/**
 * Django URLconfs: the module-level pattern lists of a urls.py (`urlpatterns = [...]`, `+=`, `.append`,
 * `.extend`, `if settings.DEBUG:` additions) with path() / re_path() / url() entries, include() of other URLconfs
 * (by dotted string, by module, inline lists, DRF `router.urls`) as mounts, and views as handlers.
 */
import type { Node } from '../../node';
import type { emptyFacts, HandlerRef, ParamStyle, Ref } from '../../facts';
import { locOf, shortText } from '../../syntax';
import type { PyModules } from './modules';
import { argument, callArgs, calleeName, dotted, type Env, kids, lastSegment, NO_ENV, sequenceItems, unparen } from './syntax';

type Facts = ReturnType<typeof emptyFacts>;

/** One route a view expression gives. */
export interface ViewRoute {
  readonly method: string;
  readonly handler: HandlerRef;
  readonly framework?: string | undefined;
}

/** What the Django reader needs from the file's reader. */
export interface PyContext {
  readonly file: string;
  readonly facts: Facts;
  readonly mods: PyModules;
  valueString(node: Node | null | undefined, site: Node, env?: Env): string | undefined;
  viewRoutes(node: Node, site: Node, env: Env, fallback: readonly string[]): ViewRoute[];
  routerRef(expr: Node, site: Node): Ref | undefined;
  refOf(name: string): Ref;
  /** Binds a module named by a string (`include('blog.urls')`) as an import; returns the binding. */
  importModule(module: string): string;
  warn(node: Node, message: string): void;
}

const PATTERN_FNS: ReadonlySet<string> = new Set(['path', 're_path', 'url']);
/** Calls that wrap pattern lists and return them (their arguments are patterns or pattern lists). */
const WRAPPERS: ReadonlySet<string> = new Set(['format_suffix_patterns', 'i18n_patterns']);
/** Calls that add static-file patterns in development: not application routes. */
const STATIC_FNS: ReadonlySet<string> = new Set(['static', 'staticfiles_urlpatterns', 'debug_toolbar_urls']);

/** Reads the URL pattern lists among a module's statements. */
export function readUrlModule(ctx: PyContext, statements: readonly Node[]): void {
  const django = ctx.facts.imports.some((i) => i.module.startsWith('django') || i.module.startsWith('rest_framework'));
  const reader = new UrlReader(ctx);
  for (const st of statements) {
    const e = st.type === 'expression_statement' ? kids(st)[0] : undefined;
    if (!e) continue;
    if (e.type === 'assignment') {
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      if (left?.type !== 'identifier' || !right) continue;
      if (left.text === 'urlpatterns' || (django && holdsPatterns(right))) reader.declare(left.text, e);
      if (reader.isList(left.text)) reader.addItems(left.text, right);
    } else if (e.type === 'augmented_assignment') {
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      if (left?.type === 'identifier' && right && reader.isList(left.text)) reader.addItems(left.text, right);
    } else if (e.type === 'call') {
      const f = e.childForFieldName('function');
      const owner = f?.type === 'attribute' ? f.childForFieldName('object') : undefined;
      const method = f?.childForFieldName('attribute')?.text;
      if (owner?.type !== 'identifier' || !reader.isList(owner.text)) continue;
      const args = callArgs(e).positional;
      if (method === 'append' || method === 'extend') reader.addItems(owner.text, args[0]);
      else if (method === 'insert') reader.addItems(owner.text, args[1]);
    }
  }
}

/** Whether an expression is (or concatenates) a list that holds path()/re_path()/url() entries. */
function holdsPatterns(node: Node): boolean {
  const n = unparen(node);
  if (!n) return false;
  if (n.type === 'binary_operator') return holdsPatterns(n.childForFieldName('left') as Node) || holdsPatterns(n.childForFieldName('right') as Node);
  return (sequenceItems(n) ?? []).some((c) => c.type === 'call' && PATTERN_FNS.has(lastSegment(calleeName(c) ?? '')));
}

class UrlReader {
  private readonly lists = new Set<string>();

  constructor(private readonly ctx: PyContext) {}

  isList(name: string): boolean {
    return this.lists.has(name);
  }

  /** A pattern list becomes a router named like its variable (`urlpatterns`). */
  declare(name: string, at: Node): void {
    if (this.lists.has(name)) return;
    this.lists.add(name);
    this.ctx.facts.routers.push({ name, framework: 'django', style: 'angle', loc: locOf(at) });
  }

  /** Adds what an expression contributes to a pattern list: entries, other lists, `router.urls`. */
  addItems(list: string, node: Node | null | undefined): void {
    const n = unparen(node);
    if (!n) return;
    switch (n.type) {
      case 'list':
      case 'tuple':
        for (const c of kids(n)) this.addItems(list, c.type === 'list_splat' ? kids(c)[0] : c);
        return;
      case 'list_splat':
        return this.addItems(list, kids(n)[0]);
      case 'binary_operator':
        this.addItems(list, n.childForFieldName('left'));
        this.addItems(list, n.childForFieldName('right'));
        return;
      case 'call': {
        const name = lastSegment(calleeName(n) ?? '');
        if (PATTERN_FNS.has(name)) this.pattern(list, n, name);
        else if (WRAPPERS.has(name)) for (const a of callArgs(n).positional) this.addItems(list, a);
        else if (!STATIC_FNS.has(name)) this.ctx.warn(n, `URL patterns from \`${shortText(n, 60)}\` are not understood: not listed.`);
        return;
      }
      case 'identifier':
      case 'attribute': {
        if (n.text === list) return;
        const child = this.patternsRef(n);
        if (child) this.ctx.facts.mounts.push({ parent: { kind: 'local', name: list }, child, prefix: '', style: 'angle', loc: locOf(n) });
        return;
      }
    }
  }

  /** `path('articles/<int:pk>/', view, name=...)`, `re_path(r'^x/$', view)`, `url(...)`. */
  private pattern(list: string, call: Node, fn: string): void {
    const args = callArgs(call);
    const routeNode = argument(args, 'route', 0) ?? args.keywords.get('regex');
    const view = unparen(argument(args, 'view', 1));
    if (!routeNode || !view) return;
    const style: ParamStyle = fn === 'path' ? 'angle' : 'regex';
    const route = this.ctx.valueString(routeNode, call);
    if (route === undefined) return this.ctx.warn(call, `URL pattern \`${shortText(routeNode, 60)}\` is computed at run time: not listed.`);
    const router: Ref = { kind: 'local', name: list };
    const loc = locOf(call);
    if (view.type === 'call' && lastSegment(calleeName(view) ?? '') === 'include') {
      const child = this.includeTarget(list, view);
      if (child) this.ctx.facts.mounts.push({ parent: router, child, prefix: route, style, loc });
      return;
    }
    const name = dotted(view);
    // `views.urls` can be a view that is just called urls (hyperkitty's `mailman.urls`): only a URLconf is mounted.
    const bound = name?.endsWith('.urls') ? this.ctx.mods.lookup(this.ctx.file, name)?.kind : undefined;
    if ((name?.endsWith('.urls') && bound !== 'function' && bound !== 'class') || view.type === 'tuple') {
      if (name === 'admin.site.urls' || name?.endsWith('.site.urls')) {
        // The Django admin: one catch-all under its prefix.
        if (style === 'angle') this.ctx.facts.routes.push({ router, method: 'ANY', path: route.replace(/\/?$/, '/') + '*', style: 'colon', handler: { kind: 'ref', ref: this.ctx.refOf(name), display: name }, framework: 'django', loc });
        return;
      }
      const child = this.includeArg(list, view);
      if (child) this.ctx.facts.mounts.push({ parent: router, child, prefix: route, style, loc });
      return;
    }
    for (const r of this.ctx.viewRoutes(view, call, NO_ENV, ['ANY'])) {
      this.ctx.facts.routes.push({ router, method: r.method, path: route, style, handler: r.handler, framework: r.framework ?? 'django', loc });
    }
  }

  /** What `include(...)` mounts: a URLconf module by name or by import, a pattern list, a DRF router's urls. */
  private includeTarget(list: string, call: Node): Ref | undefined {
    const args = callArgs(call);
    const arg = unparen(argument(args, 'arg', 0));
    return arg ? this.includeArg(list, arg) : undefined;
  }

  private includeArg(list: string, arg: Node): Ref | undefined {
    const first = arg.type === 'tuple' ? unparen(kids(arg)[0]) : arg;
    if (!first) return undefined;
    const module = first.type === 'string' ? this.ctx.valueString(first, first) : undefined;
    if (module !== undefined) return { kind: 'import', binding: this.ctx.importModule(module), member: 'urlpatterns' };
    if (first.type === 'list') {
      const inline = `${list}.include@${first.startPosition.row + 1}`;
      this.declare(inline, first);
      this.addItems(inline, first);
      return { kind: 'local', name: inline };
    }
    const ref = this.patternsRef(first);
    if (!ref) this.ctx.warn(first, `include(\`${shortText(first, 60)}\`) is not a URLconf this scan can follow: not listed.`);
    return ref;
  }

  /**
   * The pattern list a name stands for: a list variable of this file, a DRF router's `.urls`, the `urlpatterns`
   * of an imported URLconf module, or an imported pattern list.
   */
  private patternsRef(n: Node): Ref | undefined {
    const name = dotted(n);
    if (name === undefined) return undefined;
    if (this.lists.has(name)) return { kind: 'local', name };
    if (name.endsWith('.urls') && n.type === 'attribute') {
      const owner = n.childForFieldName('object');
      const router = owner ? this.ctx.routerRef(owner, n) : undefined;
      if (router) return router;
    }
    const b = this.ctx.mods.lookup(this.ctx.file, name);
    const ref = this.ctx.refOf(name);
    if (b?.kind === 'module') return ref.kind === 'import' ? { kind: 'import', binding: ref.binding, member: ref.member ? `${ref.member}.urlpatterns` : 'urlpatterns' } : undefined;
    return ref.kind === 'import' ? ref : undefined;
  }
}
