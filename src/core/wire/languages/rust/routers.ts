/**
 * Rust routers, read from method chains inside one function body:
 * - axum: `Router::new().route("/x", get(h).post(h2)).nest("/api", api_routes()).merge(other)`, route_service,
 *   nest_service; a function returning a router is a router named after the function.
 * - actix-web: `App::new().service(web::scope("/api").service(get_article).configure(articles::config))`,
 *   `web::resource("/x").route(web::get().to(h))`, `cfg.service(...)` on a `&mut web::ServiceConfig` parameter.
 * - Rocket: `rocket::build().mount("/api", routes![a, b])`.
 * Attribute routes (`#[get("/x/{id}")]` on a function) are read in rust.ts: each such function is a router of
 * its own, mounted where `.service(f)` or `routes![f]` names it.
 */
import type { Node } from '../../node';
import type { ParamStyle, Ref } from '../../facts';
import { locOf, shortText, stringValue } from '../../syntax';
import { argsOf, handlerRef, kids, pathSegments, unwrapExpr, valueRef, type RustCtx } from './context';

/** The Rust HTTP frameworks whose routers are read. */
export type RustFramework = 'axum' | 'actix-web' | 'rocket';

/** A value that is (or may be) a router. `known` is false for the result of a call to a function that may return one. */
export interface RouterVal {
  readonly ref: Ref;
  readonly fw?: RustFramework | undefined;
  readonly known: boolean;
}

/** One function being read: its name for router naming, its variables and what was already consumed. */
export interface FnScope {
  /** `Container.fn` or `fn`. */
  readonly key: string;
  readonly selfType: string | undefined;
  readonly vars: Map<string, RouterVal>;
  /** Call nodes (by id) already read as part of a chain. */
  readonly consumed: Set<number>;
  /** Variables bound to a call not yet read (`let api = api_routes();`): read when used where a router is expected. */
  readonly lazy: Map<string, Node>;
  /** Names of the local functions used as handlers here (for unwrap/expect on request paths). */
  readonly handlerNames: Set<string>;
  /** Closures used as handlers (by id). */
  readonly handlerClosures: Set<number>;
}

const HTTP_METHODS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'trace', 'connect']);

/** `/x/:id` is axum ≤0.7, `/x/{id}` axum 0.8. */
function axumStyle(path: string): ParamStyle {
  return path.includes('{') ? 'brace' : 'axum';
}

const STYLE: Record<RustFramework, (p: string) => ParamStyle> = { axum: axumStyle, 'actix-web': () => 'brace', rocket: () => 'angle' };

/** A chain `base.m1(..).m2(..)`: the base expression and each method call, base first. */
interface Link {
  readonly method: string;
  readonly args: Node[];
  readonly call: Node;
  /** The method name node (its line is the registration line). */
  readonly at: Node;
}

/** Splits a method chain into its base expression and its method calls. */
export function chainOf(node: Node): { base: Node; links: Link[] } {
  const links: Link[] = [];
  let n = unwrapExpr(node);
  for (;;) {
    if (n.type !== 'call_expression') break;
    let fn = n.childForFieldName('function');
    if (fn?.type === 'generic_function') fn = fn.childForFieldName('function');
    if (fn?.type !== 'field_expression') break;
    const field = fn.childForFieldName('field');
    const recv = fn.childForFieldName('value');
    if (!field || !recv) break;
    links.push({ method: field.text, args: argsOf(n), call: n, at: field });
    n = unwrapExpr(recv);
  }
  links.reverse();
  return { base: n, links };
}

/** What a constructor call creates: `Router::new()`, `App::new()`, `web::scope("/x")`, `web::resource("/x")`, `rocket::build()`. */
function constructorOf(ctx: RustCtx, call: Node): { fw: RustFramework; prefix?: Node | undefined } | undefined {
  const segs = pathSegments(call.childForFieldName('function'));
  if (!segs) return undefined;
  const last = segs[segs.length - 1] as string;
  const owner = segs.length >= 2 ? (segs[segs.length - 2] as string) : undefined;
  if (owner === 'Router' && (last === 'new' || last === 'default')) return { fw: 'axum' };
  if (owner === 'App' && last === 'new') return { fw: 'actix-web' };
  if ((owner === 'rocket' || owner === 'Rocket') && (last === 'build' || last === 'custom' || last === 'ignite')) return { fw: 'rocket' };
  const isActix = owner === 'web' || (owner === undefined && (ctx.bindings.get(last) ?? '').startsWith('actix_web'));
  if (isActix && (last === 'scope' || last === 'resource')) return { fw: 'actix-web', prefix: argsOf(call)[0] };
  return undefined;
}

/** Methods that only a router has, strong enough to call an unknown receiver a router. */
function isRouterLink(l: Link): boolean {
  const first = l.args[0];
  const literal = first ? stringValue(first) : undefined;
  if ((l.method === 'route' || l.method === 'nest' || l.method === 'route_service' || l.method === 'nest_service') && l.args.length === 2) return literal?.startsWith('/') ?? false;
  return false;
}

/** The router-reading pass over one file's functions. */
export class RustRouters {
  private anon = 0;
  private readonly names = new Set<string>();

  constructor(private readonly ctx: RustCtx) {}

  /** Declares a router fact (once per name) and returns its Ref. */
  declare(name: string, fw: RustFramework, at: Node, prefix?: string): Ref {
    if (!this.names.has(name)) {
      this.names.add(name);
      this.ctx.facts.routers.push({ name, framework: fw, prefix, style: STYLE[fw](prefix ?? ''), loc: locOf(at) });
    }
    return { kind: 'local', name };
  }

  private fresh(scope: FnScope, want: string | undefined, at: Node): string {
    if (want !== undefined && !this.names.has(want)) return want;
    return `${want ?? scope.key}@${at.startPosition.row + 1}:${at.startPosition.column + 1}#${++this.anon}`;
  }

  /**
   * Reads an expression that may be a router, registering routes, mounts and calls on the way. `want` names a
   * router the expression creates (a variable or the function it is returned from).
   */
  eval(node: Node, want: string | undefined, scope: FnScope): RouterVal | undefined {
    const n = unwrapExpr(node);
    if (n.type === 'identifier') return scope.vars.get(n.text) ?? this.evalLazy(n.text, scope) ?? { ref: valueRef(this.ctx, [n.text], scope.selfType), known: false };
    if (n.type === 'scoped_identifier') {
      const segs = pathSegments(n);
      return segs ? { ref: valueRef(this.ctx, segs, scope.selfType), known: false } : undefined;
    }
    if (n.type === 'macro_invocation') return this.routesMacro(n, want, scope);
    if (n.type !== 'call_expression') return undefined;
    const { base, links } = chainOf(n);
    for (const l of links) scope.consumed.add(l.call.id);
    let r = this.evalBase(base, links, want, scope);
    if (!r) return undefined;
    if (!r.known && links.some(isRouterLink)) {
      const name = this.fresh(scope, want, n);
      const ref = this.declare(name, 'axum', n);
      this.ctx.facts.mounts.push({ parent: ref, child: r.ref, prefix: '', style: 'axum', loc: locOf(n) });
      r = { ref, fw: 'axum', known: true };
    }
    if (r.known) for (const l of links) this.apply(r, l, scope);
    return r;
  }

  /** Reads the call a variable was bound to, the first time the variable is used where a router is expected. */
  private evalLazy(name: string, scope: FnScope): RouterVal | undefined {
    const call = scope.lazy.get(name);
    if (!call) return undefined;
    scope.lazy.delete(name);
    if (scope.consumed.has(call.id)) return undefined;
    const r = this.eval(call, `${scope.key}:${name}`, scope);
    if (r) scope.vars.set(name, r);
    return r;
  }

  private evalBase(base: Node, links: readonly Link[], want: string | undefined, scope: FnScope): RouterVal | undefined {
    if (base.type === 'identifier' || base.type === 'scoped_identifier' || base.type === 'macro_invocation') {
      return links.length > 0 && base.type === 'scoped_identifier' ? undefined : this.eval(base, want, scope);
    }
    if (base.type !== 'call_expression') return undefined;
    scope.consumed.add(base.id);
    const ctor = constructorOf(this.ctx, base);
    if (ctor) {
      const prefix = ctor.prefix ? stringValue(ctor.prefix) : undefined;
      if (ctor.prefix && prefix === undefined) this.warn(base, 'actix scope/resource path computed at run time');
      return { ref: this.declare(this.fresh(scope, want, base), ctor.fw, base, prefix), fw: ctor.fw, known: true };
    }
    const segs = pathSegments(base.childForFieldName('function'));
    if (!segs) return undefined;
    // `Ok(router)`, `Some(router)`, `Box::new(router)`: the value inside.
    const wrapper = segs.join('::');
    if (wrapper === 'Ok' || wrapper === 'Some' || wrapper === 'Box::new' || wrapper === 'Arc::new') {
      const inner = argsOf(base)[0];
      return inner ? this.eval(inner, want, scope) : undefined;
    }
    const callee = valueRef(this.ctx, segs, scope.selfType);
    // `add_routes(Router::new())`: a router passed to a function that registers on it and hands it back.
    const args = argsOf(base).map((a) => {
      const inner = unwrapExpr(a);
      if (inner.type === 'identifier') return scope.vars.get(inner.text) ?? this.evalLazy(inner.text, scope);
      if (inner.type !== 'call_expression') return undefined;
      const v = this.eval(inner, undefined, scope);
      return v?.known ? v : undefined;
    });
    const first = args.find((a) => a?.known);
    if (first) {
      this.ctx.facts.calls.push({ callee, args: args.map((a) => (a?.known ? a.ref : undefined)), loc: locOf(base) });
      return first;
    }
    return { ref: callee, known: false };
  }

  /** `routes![a, articles::b]` (Rocket): a router mounting each attribute route. */
  private routesMacro(n: Node, want: string | undefined, scope: FnScope): RouterVal | undefined {
    const segs = pathSegments(n.childForFieldName('macro'));
    if (segs?.[segs.length - 1] !== 'routes') return undefined;
    scope.consumed.add(n.id);
    const tree = n.namedChildren.find((c) => c?.type === 'token_tree');
    const ref = this.declare(this.fresh(scope, want, n), 'rocket', n);
    let item: string[] = [];
    const flush = (): void => {
      if (item.length > 0) this.ctx.facts.mounts.push({ parent: ref, child: valueRef(this.ctx, item, scope.selfType), prefix: '', style: 'angle', loc: locOf(n) });
      item = [];
    };
    for (let i = 0; tree && i < tree.childCount; i++) {
      const c = tree.child(i);
      if (!c) continue;
      if (c.type === 'identifier' || c.type === 'crate' || c.type === 'self' || c.type === 'super') item.push(c.text);
      else if (c.type === ',') flush();
    }
    flush();
    return { ref, fw: 'rocket', known: true };
  }

  private apply(r: RouterVal, l: Link, scope: FnScope): void {
    const fw = r.fw ?? 'axum';
    const path = l.args.length >= 2 || fw === 'rocket' ? l.args[0] : undefined;
    const literal = path ? stringValue(path) : undefined;
    const needPath = (): string | undefined => {
      if (literal === undefined) this.warn(l.at, `${fw} ${l.method}: the path is computed at run time`);
      return literal;
    };
    const mount = (childNode: Node | undefined, prefix: string): void => {
      if (!childNode) return;
      const targets = unwrapExpr(childNode).type === 'tuple_expression' ? kids(unwrapExpr(childNode)) : [childNode];
      for (const t of targets) {
        const child = this.eval(t, undefined, scope);
        if (child) this.ctx.facts.mounts.push({ parent: r.ref, child: child.ref, prefix, style: STYLE[fw](prefix), loc: locOf(l.at) });
        else this.warn(l.at, `${fw} ${l.method}: could not tell which router is mounted`);
      }
    };
    const route = (method: string, p: string, handler: Node | undefined): void => {
      const inner = handler ? unwrapExpr(handler) : undefined;
      // `route_service("/assets", ServeDir::new("assets"))`: a service value, shown as written.
      const service = (l.method === 'route_service' || l.method === 'nest_service') && inner?.type === 'call_expression';
      const h = service && inner ? { kind: 'ref' as const, ref: valueRef(this.ctx, pathSegments(inner.childForFieldName('function')) ?? ['<service>'], scope.selfType), display: shortText(inner, 60) } : handlerRef(this.ctx, handler, scope.selfType);
      if (h?.kind === 'here' && inner) scope.handlerClosures.add(inner.id); else if (h?.kind === 'ref' && h.ref.kind === 'package') scope.handlerNames.add(h.ref.name);
      this.ctx.facts.routes.push({ router: r.ref, method, path: p, style: STYLE[fw](p), handler: h, framework: fw, loc: locOf(l.at) });
    };
    switch (fw) {
      case 'axum':
        switch (l.method) {
          case 'route': {
            const p = needPath();
            if (p === undefined) return;
            const methods = axumMethods(l.args[1]);
            if (methods.length === 0) this.warn(l.at, 'axum route: could not read the method router');
            for (const m of methods) route(m.method, p, m.handler);
            return;
          }
          case 'route_service':
          case 'nest_service': {
            const p = needPath();
            if (p !== undefined) route('ANY', p, l.args[1]);
            return;
          }
          case 'nest': {
            const p = needPath();
            if (p !== undefined) mount(l.args[1], p);
            return;
          }
          case 'merge':
            mount(l.args[0], '');
            return;
          default:
            return;
        }
      case 'actix-web':
        if (l.method === 'service') mount(l.args[0], '');
        else if (l.method === 'configure') this.configure(r, l, scope);
        else if (l.method === 'route') {
          const p = l.args.length >= 2 ? needPath() : '';
          if (p === undefined) return;
          const m = actixRoute(l.args[l.args.length - 1]);
          route(m.method, p, m.handler);
        } else if (l.method === 'to' || (HTTP_METHODS.has(l.method) && l.args.length === 1)) route(l.method === 'to' ? 'ANY' : l.method.toUpperCase(), '', l.args[0]);
        return;
      case 'rocket':
        if (l.method === 'mount') {
          const p = needPath();
          if (p !== undefined) mount(l.args[1], p);
        }
        return;
    }
  }

  /** `.configure(articles::config)`: the function's `&mut ServiceConfig` parameter router is mounted here. */
  private configure(r: RouterVal, l: Link, scope: FnScope): void {
    const segs = pathSegments(l.args[0] ? unwrapExpr(l.args[0]) : undefined);
    if (!segs) {
      this.warn(l.at, 'actix configure: the configuration function is not a plain name');
      return;
    }
    this.ctx.facts.calls.push({ callee: valueRef(this.ctx, segs, scope.selfType), args: [r.ref], loc: locOf(l.at) });
  }

  private warn(at: Node, message: string): void {
    this.ctx.facts.warnings.push({ line: at.startPosition.row + 1, message });
  }
}

/** The methods and handlers of an axum method router: `get(h).post(h2)`, `axum::routing::get(h)`, `on(MethodFilter::GET, h)`, `get_service(svc)`. */
function axumMethods(node: Node | undefined): { method: string; handler: Node | undefined }[] {
  if (!node) return [];
  const { base, links } = chainOf(node);
  const out: { method: string; handler: Node | undefined }[] = [];
  const add = (name: string, args: readonly Node[]): void => {
    const plain = name.replace(/_service$/, '');
    if (HTTP_METHODS.has(plain) || plain === 'any') out.push({ method: plain === 'any' ? 'ANY' : plain.toUpperCase(), handler: args[0] });
    else if (plain === 'on') {
      const filter = args[0] ? kids(args[0]).concat(args[0]) : [];
      const methods = new Set<string>();
      for (const f of filter) {
        const segs = pathSegments(f);
        if (segs && segs[segs.length - 2] === 'MethodFilter') methods.add((segs[segs.length - 1] as string).toUpperCase());
      }
      for (const m of methods.size > 0 ? methods : ['ANY']) out.push({ method: m, handler: args[1] });
    }
  };
  if (base.type === 'call_expression') {
    const segs = pathSegments(base.childForFieldName('function'));
    if (segs) add(segs[segs.length - 1] as string, argsOf(base));
  }
  for (const l of links) add(l.method, l.args);
  return out;
}

/** An actix route value: `web::get().to(h)`, `web::route().guard(guard::Post()).to(h)`, `web::method(Method::GET).to(h)`. */
function actixRoute(node: Node | undefined): { method: string; handler: Node | undefined } {
  if (!node) return { method: 'ANY', handler: undefined };
  const { base, links } = chainOf(node);
  let method = 'ANY';
  let handler: Node | undefined;
  const methodFrom = (n: Node | undefined): string | undefined => {
    const call = n ? unwrapExpr(n) : undefined;
    const segs = pathSegments(call?.type === 'call_expression' ? call.childForFieldName('function') : call);
    const last = segs?.[segs.length - 1]?.toLowerCase();
    return last && HTTP_METHODS.has(last) ? last.toUpperCase() : undefined;
  };
  if (base.type === 'call_expression') {
    const segs = pathSegments(base.childForFieldName('function'));
    const last = segs?.[segs.length - 1];
    if (last && HTTP_METHODS.has(last)) method = last.toUpperCase();
    else if (last === 'method') method = methodFrom(argsOf(base)[0]) ?? 'ANY';
  }
  for (const l of links) {
    if (l.method === 'to') handler = l.args[0];
    else if (l.method === 'guard' && method === 'ANY') method = methodFrom(l.args[0]) ?? method;
    else if (l.method === 'method') method = methodFrom(l.args[0]) ?? method;
  }
  return { method, handler };
}
