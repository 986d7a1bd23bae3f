/**
 * Calls in Go code: route registrations (net/http, gorilla/mux chains, chi, gin, echo, fiber), mounts, listeners and
 * serverless starts, gRPC registrations, package error calls, and calls handing routers to other functions.
 */
import type { Node } from '../../node';
import { locOf, shortText } from '../../syntax';
import { GORILLA_HANDLERS, GORILLA_MATCHERS, type GoFramework, guessFramework, LISTEN_BY_NAME, LISTENERS, ROUTE_CALLS, ROUTER_METHODS, type RouteCallSpec, STYLE } from './frameworks';
import { GoGrpc, GRPC_REGISTER } from './grpc';
import type { Fn, RouterVal, Scope } from './scope';

export abstract class GoRoutes extends GoGrpc {
  // ---- calls --------------------------------------------------------------------------------------------------

  protected onCall(call: Node, scope: Scope, fn: Fn): void {
    const f = call.childForFieldName('function');
    if (!f) return;
    const args = this.args(call);
    if (f.type === 'identifier') {
      fn.calls.add(f.text);
      if (fn.inside && !this.lookup(f.text, scope)) {
        if (f.text === 'panic') this.error('panic', call, fn);
        else if (f.text === 'recover') this.error('catch', this.statementOf(call), fn);
      }
      this.callFact(call, args, scope, fn);
      return;
    }
    if (f.type !== 'selector_expression') return;
    const x = f.childForFieldName('operand');
    const m = f.childForFieldName('field')?.text;
    if (!x || !m) return;
    fn.calls.add(m);
    const pkg = this.pkgOf(x, scope);
    if (pkg !== undefined) return this.onPackageCall(call, pkg, m, args, scope, fn);
    this.onMethodCall(call, x, m, args, scope, fn);
    this.checkErrorCall(call, m, args, scope, fn);
  }

  private onPackageCall(call: Node, pkg: string, m: string, args: Node[], scope: Scope, fn: Fn): void {
    if (pkg === 'net/http') {
      const spec = ROUTE_CALLS['net/http'].get(m);
      if (spec) return this.register(call, this.defaultMux(), 'net/http', spec, args, scope, fn);
      if (m === 'ListenAndServe' || m === 'ListenAndServeTLS' || m === 'Serve' || m === 'ServeTLS') return this.entry('listen', call, 'net/http');
      // http.Error(w, msg, code), http.NotFound(w, r): an error response
      if ((m === 'Error' || m === 'NotFound') && fn.inside) return this.error('http-error', call, fn);
      return;
    }
    const grpc = GRPC_REGISTER.exec(m);
    if (grpc && args.length === 2) {
      const impl = this.evalVal(args[1], scope, fn);
      if (impl?.k === 'obj' && impl.type && !impl.pkg) this.addGrpc(impl.type, grpc[1] as string);
      // a type of another package: its methods are found by name when the map is composed
      else if (impl?.k === 'obj' && impl.type && impl.pkg) this.facts.grpcImpls.push({ service: grpc[1] as string, container: impl.type, methods: [], framework: 'grpc', loc: locOf(call) });
      return;
    }
    if (pkg === 'net' && m === 'Listen') return this.entry('listen', call, [...this.imports.values()].some((p) => p.startsWith('google.golang.org/grpc')) ? 'grpc' : 'net');
    if (pkg === 'github.com/aws/aws-lambda-go/lambda' && m.startsWith('Start')) return this.entry('serverless', call, 'lambda');
    if (pkg === 'github.com/GoogleCloudPlatform/functions-framework-go/functions' && (m === 'HTTP' || m === 'CloudEvent')) return this.entry('serverless', call, 'cloud-functions');
    if (fn.inside) {
      const kind = this.packageErrorKind(pkg, m, args, scope);
      if (kind) return this.error(kind, call, fn);
    }
    if (this.isWorkspace(pkg)) this.callFact(call, args, scope, fn);
  }

  private onMethodCall(call: Node, x: Node, m: string, args: Node[], scope: Scope, fn: Fn): void {
    if (GORILLA_HANDLERS.has(m) && this.gorillaRoute(call, x, m, args, scope, fn)) return;
    if (m === 'ListenAndServe' || m === 'ListenAndServeTLS') return this.entry('listen', call, 'net/http');
    const recv = this.routerOf(x, scope, fn);
    const listener = recv ? (recv.fw ? [recv.fw] : [...this.imported]).find((f) => LISTENERS[f]?.has(m)) : undefined;
    if (listener) return this.entry('listen', call, listener);
    // a router made in another package: `r.Run(":8080")`, `app.Listen(":3000")` with a literal address
    const byName = recv && LISTEN_BY_NAME.get(m);
    if (byName && /^[\w.-]*:\d+$/.test(this.evalString(args[0], scope) ?? '')) return this.entry('listen', call, byName);
    const fw = recv ? (recv.fw ?? guessFramework(m, this.imported)) : undefined;
    if (recv && fw) {
      const spec = ROUTE_CALLS[fw].get(m);
      if (spec) return this.register(call, recv, fw, spec, args, scope, fn);
      if (ROUTER_METHODS[fw].has(m)) {
        this.evalVal(call, scope, fn);
        return;
      }
      if (m === 'Mount' && (fw === 'chi' || fw === 'fiber')) return this.mount(call, recv, fw, args[0], args[1], scope, fn);
      if (m === 'Use' && fw === 'fiber' && args.length >= 2) return this.mount(call, recv, fw, args[0], args[args.length - 1], scope, fn);
      if (recv.sure) return;
    }
    this.callFact(call, args, scope, fn);
  }

  /** chi Mount, fiber Mount/Use(prefix, app): a router under a prefix. */
  private mount(call: Node, recv: RouterVal, fw: GoFramework, prefixNode: Node | undefined, childNode: Node | undefined, scope: Scope, fn: Fn): void {
    if (!childNode) return;
    const known = prefixNode ? this.evalString(prefixNode, scope) : undefined;
    if (known === undefined) {
      if (recv.sure) this.warn(call, `mount prefix computed at run time: ${shortText(call, 60)}`);
      // still mounted (under a prefix left out of the routes) where the call surely mounts: chi's Mount
      if (!recv.sure || fw === 'fiber') return;
    }
    const prefix = known ?? '';
    if (fw === 'fiber' && !prefix.startsWith('/')) return;
    const child = this.mountTarget(childNode, scope, fn)?.router ?? this.routerLike(childNode, scope, fn);
    if (!child) {
      const ext = this.externalCall(childNode, scope);
      if (ext) this.warn(call, `router from a package outside the workspace: ${shortText(childNode, 60)}`);
      return;
    }
    this.facts.mounts.push({ parent: recv.ref, child: child.ref, prefix, style: STYLE[fw], loc: this.rowLoc ?? locOf(call), ...(known === undefined ? { unknownPrefix: true } : {}) });
  }

  /** Whether an expression is a call into a package outside the workspace (`middleware.Profiler()`). */
  private externalCall(node: Node, scope: Scope): boolean {
    const f = node.type === 'call_expression' ? node.childForFieldName('function') : node;
    const x = f?.type === 'selector_expression' ? f.childForFieldName('operand') : undefined;
    const pkg = x ? this.pkgOf(x, scope) : undefined;
    return pkg !== undefined && !this.isWorkspace(pkg);
  }

  /** One registration call → one route per method (or a mount, when net/http or chi is handed a router). */
  private register(call: Node, recv: RouterVal, fw: GoFramework, spec: RouteCallSpec, args: Node[], scope: Scope, fn: Fn): void {
    const pathNode = args[spec.path];
    const hNode = spec.handler === 'last' ? args[args.length - 1] : args[spec.handler];
    if (!pathNode || !hNode || hNode === pathNode) return;
    let path = this.evalString(pathNode, scope);
    if (!recv.sure && !(path !== undefined && this.isPathLiteral(pathNode, scope) && this.looksLikeHandler(hNode, scope, fn))) return;
    if (path === undefined) {
      this.warn(call, `route path computed at run time: ${shortText(pathNode, 60)}`);
      return;
    }
    let methods = typeof spec.method === 'string' ? [spec.method] : this.evalMethods(args[spec.method.arg], scope);
    if (!methods) {
      this.warn(call, `route method computed at run time: ${shortText(call, 60)}`);
      return;
    }
    if (spec.pattern) {
      const p = parsePattern(path);
      if (p.method) methods = [p.method];
      path = p.path;
      const sub = this.mountTarget(hNode, scope, fn);
      if (sub) {
        const loc = this.rowLoc ?? locOf(call);
        this.facts.mounts.push({ parent: recv.ref, child: sub.router.ref, prefix: sub.strip ?? '', style: STYLE[fw], loc });
        return;
      }
    }
    const handler = this.handlerOf(hNode, scope, fn);
    const loc = this.rowLoc ?? locOf(call);
    for (const method of methods) this.facts.routes.push({ router: recv.ref, method, path, style: STYLE[fw], handler, framework: fw, loc });
  }

  /** gorilla/mux: `r.HandleFunc(p, h).Methods(…)`, `r.Methods(…).Path(p).HandlerFunc(h)`, `r.PathPrefix(p).Handler(h)`. */
  private gorillaRoute(call: Node, x: Node, m: string, args: Node[], scope: Scope, fn: Fn): boolean {
    const chain = this.gorillaChain(x);
    const base = this.routerOf(chain.base, scope, fn);
    if (!base) return false;
    const fw = base.fw ?? (this.imported.has('gorilla/mux') ? 'gorilla/mux' : undefined);
    if (fw !== 'gorilla/mux') return false;
    const direct = m === 'HandleFunc' || m === 'Handle';
    if (direct && chain.base.id !== x.id) return false;
    const pathNode = direct ? args[0] : chain.path;
    const hNode = direct ? args[1] : args[0];
    const methodNodes = [...chain.methods];
    for (let up = call; up.parent?.type === 'selector_expression' && up.parent.parent?.type === 'call_expression'; up = up.parent.parent) {
      const k = up.parent.childForFieldName('field')?.text ?? '';
      if (!GORILLA_MATCHERS.has(k)) break;
      if (k === 'Methods') methodNodes.push(...this.args(up.parent.parent));
    }
    if (!hNode) return true;
    let path = pathNode ? this.evalString(pathNode, scope) : '';
    if (path === undefined) {
      if (base.sure) this.warn(call, `route path computed at run time: ${shortText(pathNode as Node, 60)}`);
      return true;
    }
    if (!base.sure && !(this.isPathLiteral(pathNode, scope) && this.looksLikeHandler(hNode, scope, fn))) return false;
    const loc = this.rowLoc ?? locOf(call);
    const sub = this.mountTarget(hNode, scope, fn);
    if (sub) {
      this.facts.mounts.push({ parent: base.ref, child: sub.router.ref, prefix: sub.strip !== undefined ? sub.strip : path, style: 'brace', loc });
      return true;
    }
    if (chain.prefix && !direct) path = path.replace(/\/$/, '') + '/{*}';
    const methods: string[] = [];
    for (const n of methodNodes) {
      const s = this.evalString(n, scope);
      if (s === undefined) {
        this.warn(call, `route method computed at run time: ${shortText(n, 60)}`);
        return true;
      }
      methods.push(s.toUpperCase());
    }
    const handler = this.handlerOf(hNode, scope, fn);
    for (const method of methods.length > 0 ? methods : ['ANY']) this.facts.routes.push({ router: base.ref, method, path, style: 'brace', handler, framework: 'gorilla/mux', loc });
    return true;
  }

  /** A call handing routers to a function (`articles.Register(api, h)`, `h.Register(v1)`): the function's router parameters get mounted. */
  private callFact(call: Node, args: Node[], scope: Scope, fn: Fn): void {
    const f = call.childForFieldName('function');
    if (args.length === 0 || !f) return;
    let any = false;
    const refs = args.map((a) => {
      if (a.type !== 'identifier' && a.type !== 'call_expression' && a.type !== 'selector_expression') return undefined;
      const v = this.evalVal(a, scope, fn);
      if (v?.k !== 'router' || !v.sure) return undefined;
      any = true;
      return v.ref;
    });
    if (!any) return;
    const callee = this.calleeRef(f, scope, fn);
    if (callee) this.facts.calls.push({ callee, args: refs, loc: locOf(call) });
  }
}

/** A Go 1.22 ServeMux pattern: `[METHOD ][HOST]/PATH`. */
export function parsePattern(raw: string): { method?: string | undefined; path: string } {
  let s = raw.trim();
  let method: string | undefined;
  const m = /^([A-Z]+)\s+(.*)$/.exec(s);
  if (m) {
    method = m[1];
    s = (m[2] as string).trim();
  }
  const slash = s.indexOf('/');
  if (slash > 0) s = s.slice(slash);
  return { method, path: s };
}
