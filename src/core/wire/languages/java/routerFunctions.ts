/**
 * Spring's functional endpoints (WebFlux and WebMvc.fn): a method returning `RouterFunction<…>` built with the
 * builder (`route().GET("/x", h::get).path("/api", b -> b.POST(…)).nest(path("/v2"), b -> …).build()`) or the
 * static form (`route(GET("/x").and(accept(JSON)), h::get).andRoute(POST("/y"), …)`, `nest(path("/api"), …)`).
 * Each `path`/`nest` becomes a child router mounted on its parent with the prefix, so the composed route carries
 * every level; the method's router itself is a top-level router (it gets spring.webflux.base-path).
 */
import type { Node } from '../../node';
import type { emptyFacts, HandlerRef } from '../../facts';
import { locOf } from '../../syntax';

type Facts = ReturnType<typeof emptyFacts>;

/** A node's byte range, read once (every Node getter is a call into WebAssembly). */
export interface Range {
  readonly start: number;
  readonly end: number;
}

export const HTTP_VERBS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

/** What the walker needs from the extractor. */
export interface RouterFunctionContext {
  readonly facts: Facts;
  /** The class declaring the method. */
  readonly cls: string;
  /** Evaluates a string expression (literals, constants). */
  value(node: Node | null | undefined): string | undefined;
  /** The simple type name of a variable visible in the method (parameter, local, field), if known. */
  typeOf(name: string): string | undefined;
  /** Names of the methods of the class that return a RouterFunction (composed with `.add(other())`, `.and(other())`). */
  readonly routerMethods: ReadonlySet<string>;
  /** Byte ranges of lambdas that are route handlers: their errors belong to `<anonymous>`, not the enclosing method. */
  readonly handlerLambdas: Range[];
}

/** Reads one RouterFunction method: its router is `Class.method`. */
export function readRouterFunction(method: Node, ctx: RouterFunctionContext): void {
  const name = method.childForFieldName('name')?.text;
  const body = method.childForFieldName('body');
  if (!name || !body) return;
  const router = `${ctx.cls}.${name}`;
  ctx.facts.routers.push({ name: router, framework: 'spring', style: 'brace', loc: locOf(method.childForFieldName('name') ?? method) });
  const w = new Walker(ctx, router);
  for (const stmt of body.namedChildren) if (stmt) w.statement(stmt, router);
}

class Walker {
  private nested = 0;
  constructor(
    private readonly ctx: RouterFunctionContext,
    private readonly root: string,
  ) {}

  statement(stmt: Node, router: string): void {
    if (stmt.type === 'return_statement' || stmt.type === 'expression_statement') {
      const e = stmt.namedChildren[0];
      if (e) this.expr(e, router);
    } else if (stmt.type === 'local_variable_declaration') {
      for (const d of stmt.namedChildren) {
        const v = d?.type === 'variable_declarator' ? d.childForFieldName('value') : null;
        if (v) this.expr(v, router);
      }
    }
  }

  private expr(e: Node, router: string): void {
    switch (e.type) {
      case 'parenthesized_expression': {
        const inner = e.namedChildren[0];
        if (inner) this.expr(inner, router);
        return;
      }
      case 'lambda_expression': {
        const body = e.childForFieldName('body');
        if (!body) return;
        if (body.type !== 'block') this.expr(body, router);
        else for (const s of body.namedChildren) if (s) this.statement(s, router);
        return;
      }
      case 'method_invocation':
        this.invocation(e, router);
        return;
      default:
        return;
    }
  }

  private invocation(e: Node, router: string): void {
    const name = e.childForFieldName('name')?.text ?? '';
    const obj = e.childForFieldName('object');
    const args = (e.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'line_comment' && a.type !== 'block_comment');
    const nameNode = e.childForFieldName('name') ?? e;
    if (HTTP_VERBS.has(name) && obj && obj.text !== 'RequestPredicates' && (args.length >= 2 || (args.length === 1 && isHandler(args[0] as Node)))) {
      // builder: .GET("/x", [predicate,] handler) or .GET(handler)
      const path = args.length >= 2 ? this.ctx.value(args[0]) : '';
      this.route(router, name, path, args[args.length - 1] as Node, nameNode, args[0]);
    } else if ((name === 'route' || name === 'andRoute') && args.length === 2) {
      const p = this.predicate(args[0] as Node);
      this.route(router, p.verb, p.path, args[1] as Node, nameNode, args[0]);
    } else if ((name === 'path' && args.length === 2 && obj) || ((name === 'nest' || name === 'andNest') && args.length === 2)) {
      const prefix = name === 'path' ? this.ctx.value(args[0]) : this.predicate(args[0] as Node).path;
      let child = router;
      if (prefix === undefined) this.warn(nameNode, `${name}(…): the prefix is computed at run time`);
      else {
        child = `${router}/${prefix}@${nameNode.startPosition.row + 1}#${++this.nested}`;
        this.ctx.facts.routers.push({ name: child, framework: 'spring', style: 'brace', loc: locOf(nameNode) });
        this.ctx.facts.mounts.push({ parent: { kind: 'local', name: router }, child: { kind: 'local', name: child }, prefix, style: 'brace', loc: locOf(nameNode) });
      }
      this.expr(args[1] as Node, child);
    } else if ((name === 'and' || name === 'andOther' || name === 'add') && args.length === 1) {
      this.expr(args[0] as Node, router);
    } else if (!obj && this.ctx.routerMethods.has(name) && args.length === 0) {
      // another RouterFunction method of the same class composed into this one
      const child = `${this.ctx.cls}.${name}`;
      if (child !== this.root) this.ctx.facts.mounts.push({ parent: { kind: 'local', name: router }, child: { kind: 'local', name: child }, prefix: '', style: 'brace', loc: locOf(nameNode) });
    }
    if (obj) this.expr(obj, router);
  }

  /** `GET("/x")`, `RequestPredicates.GET("/x").and(accept(JSON))`, `path("/x")`, `method(HttpMethod.GET).and(path("/x"))`. */
  private predicate(p: Node): { verb: string; path: string | undefined } {
    let verb: string | undefined;
    let path: string | undefined;
    let found = false;
    const visit = (n: Node): void => {
      if (n.type !== 'method_invocation') return;
      const name = n.childForFieldName('name')?.text ?? '';
      const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a);
      if ((HTTP_VERBS.has(name) || name === 'path') && args.length === 1 && !found) {
        found = true;
        path = this.ctx.value(args[0]);
        if (name !== 'path') verb ??= name;
      } else if (name === 'method' && args.length === 1) {
        const v = (args[0] as Node).text.slice((args[0] as Node).text.lastIndexOf('.') + 1);
        if (HTTP_VERBS.has(v)) verb ??= v;
      }
      const obj = n.childForFieldName('object');
      if (obj) visit(obj);
      for (const a of args) visit(a);
    };
    visit(p);
    return { verb: verb ?? 'ANY', path: found ? path : '' };
  }

  private route(router: string, verb: string, path: string | undefined, handler: Node, at: Node, pathNode: Node | undefined): void {
    if (path === undefined) {
      this.warn(at, `${verb} ${pathNode?.text ?? ''}: the route path is computed at run time`);
      return;
    }
    this.ctx.facts.routes.push({ router: { kind: 'local', name: router }, method: verb, path, style: 'brace', handler: this.handler(handler), framework: 'spring', loc: locOf(at) });
  }

  /** `handler::get` (by the variable's type), `ArticleHandler::get`, `this::get`, or a lambda. */
  private handler(h: Node): HandlerRef | undefined {
    if (h.type === 'lambda_expression') {
      this.ctx.handlerLambdas.push({ start: h.startIndex, end: h.endIndex });
      return { kind: 'here', name: '<anonymous>', loc: locOf(h, true) };
    }
    if (h.type !== 'method_reference') return undefined;
    const parts = h.namedChildren.filter((c): c is Node => !!c);
    const target = parts[0];
    const method = parts[parts.length - 1];
    if (!target || !method || parts.length < 2) return undefined;
    let container: string | undefined;
    if (target.type === 'this') container = this.ctx.cls;
    else if (target.type === 'identifier') container = this.ctx.typeOf(target.text) ?? (/^[A-Z]/.test(target.text) ? target.text : undefined);
    else if (target.type === 'type_identifier' || target.type === 'scoped_type_identifier' || target.type === 'field_access') container = target.text.slice(target.text.lastIndexOf('.') + 1);
    return container ? { kind: 'member', container, name: method.text } : { kind: 'ref', ref: { kind: 'global', name: h.text }, display: h.text };
  }

  private warn(at: Node, message: string): void {
    this.ctx.facts.warnings.push({ line: at.startPosition.row + 1, message });
  }
}

function isHandler(n: Node): boolean {
  return n.type === 'method_reference' || n.type === 'lambda_expression';
}
