/**
 * ASP.NET Core minimal APIs: `app.MapGet("/x", handler)` and friends on a WebApplication, on route groups
 * (`var api = app.MapGroup("/api")`, nested, chained with `.RequireAuthorization()`), on `IEndpointRouteBuilder`
 * parameters (Carter modules, `UseEndpoints(e => …)`), and in extension methods in other files
 * (`public static RouteGroupBuilder MapArticles(this RouteGroupBuilder g)` called as `api.MapArticles()`): a
 * router parameter is the router `Container.Method(param)`, and the call is a CallFact with the receiver first.
 */
import type { Node } from '../../node';
import type { emptyFacts, HandlerRef, Ref } from '../../facts';
import { locOf } from '../../syntax';
import { initializer } from './types';

type Facts = ReturnType<typeof emptyFacts>;

/** A node's byte range, read once (every Node getter is a call into WebAssembly). */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** Endpoint registrations and their HTTP method (`MapMethods` names its own; `Map` is every method). */
const ENDPOINTS: ReadonlyMap<string, string | undefined> = new Map([
  ['MapGet', 'GET'],
  ['MapPost', 'POST'],
  ['MapPut', 'PUT'],
  ['MapDelete', 'DELETE'],
  ['MapPatch', 'PATCH'],
  ['Map', 'ANY'],
  ['MapMethods', undefined],
  ['MapHealthChecks', 'GET'],
]);
/** Methods on a builder that are not routers, nor calls that could register routes on one. */
const NOT_REGISTRATION = /^(Map(Get|Post|Put|Delete|Patch|Methods|HealthChecks|Fallback\w*|Hub|Controllers|ControllerRoute|DefaultControllerRoute|RazorPages|GrpcService|GrpcReflectionService|OpenApi|Static\w*|Identity\w*)|Use\w*|Run|RunAsync|Start|StartAsync|StopAsync|Build|Add\w*|With\w*|Require\w*|Allow\w*|Disable\w*|Produces\w*|Accepts|Exclude\w*|Cache\w*|Short\w*|Configure\w*)$/;
/** Parameter types that are route builders. */
const ROUTER_TYPES = /^(I?EndpointRouteBuilder|RouteGroupBuilder|WebApplication|IApplicationBuilder)$/;

/** A function-like scope the extractor knows: its router name prefix, parameters, and range. */
export interface Scope {
  /** `Container.Method` or a local function name; '' for top-level statements. */
  readonly name: string;
  readonly node: Node | undefined;
  /** Parameter name → simple type name. */
  readonly params: ReadonlyMap<string, string>;
}

/** What the minimal-API reader needs from the extractor. */
export interface MinimalApiContext {
  readonly facts: Facts;
  /** The innermost scope around a node. */
  scopeOf(node: Node): Scope;
  /** The class around a node (for method groups named without a type), if any. */
  classOf(node: Node): string | undefined;
  /** Whether a function of this name is declared in this file (a local function or a method of the file). */
  definesFunction(name: string): boolean;
  /** Evaluates a string expression (literals, constants). */
  value(node: Node | null | undefined, at: Node): string | undefined;
  /** Byte ranges of lambdas that are route handlers: their errors belong to `<anonymous>`. */
  readonly handlerLambdas: Range[];
  /** Whether the file calls `UseEndpoints` (only then can a lambda parameter be a router). */
  readonly usesUseEndpoints: boolean;
  /** Variable declarators by name, in document order, for binding `api` to `app.MapGroup("/api")`. */
  readonly declarations: ReadonlyMap<string, readonly Node[]>;
}

export class MinimalApiReader {
  private readonly routers = new Set<string>();
  /** MapGroup invocation node id → its router name. */
  private readonly groups = new Map<number, string>();
  private anonymous = 0;

  constructor(private readonly ctx: MinimalApiContext) {}

  /** Looks at one invocation: an endpoint registration, a group, or a call passing routers to a function. */
  invocation(node: Node): void {
    const fn = node.childForFieldName('function');
    const args = argumentsOf(node);
    if (fn?.type === 'member_access_expression') {
      const nameNode = fn.childForFieldName('name');
      const name = methodName(nameNode);
      const receiver = fn.childForFieldName('expression');
      if (!receiver || !nameNode) return;
      // `Map` is an endpoint only with a pattern and a handler (`UserEndpoints.Map(app)` is a call)
      if (ENDPOINTS.has(name) && (name !== 'Map' || args.length >= 2)) {
        const router = this.routerOf(receiver, false);
        if (router) this.endpoint(name, args, router, nameNode, node);
        return;
      }
      if (name === 'MapGroup') {
        this.routerOf(node, true);
        return;
      }
      if (NOT_REGISTRATION.test(name)) return;
      const recv = this.routerOf(receiver, true);
      const argRefs = args.map((a) => this.refOf(a));
      if (recv) {
        // an extension method on a builder (`api.MapArticles()`): the receiver is its first (`this`) parameter
        this.ctx.facts.calls.push({ callee: { kind: 'global', name }, args: [{ kind: 'local', name: recv }, ...argRefs], loc: locOf(nameNode) });
      } else if (argRefs.some((r) => r)) {
        // a static registration method passed routers (`UserEndpoints.Map(api)`)
        this.ctx.facts.calls.push({ callee: { kind: 'global', name: `${receiver.text}.${name}` }, args: argRefs, loc: locOf(nameNode) });
      }
    } else if (fn?.type === 'identifier' || fn?.type === 'generic_name') {
      const argRefs = args.map((a) => this.refOf(a));
      if (argRefs.some((r) => r)) this.ctx.facts.calls.push({ callee: { kind: 'global', name: methodName(fn) }, args: argRefs, loc: locOf(fn) });
    }
  }

  private refOf(e: Node): Ref | undefined {
    const r = this.routerOf(e, true);
    return r ? { kind: 'local', name: r } : undefined;
  }

  private endpoint(name: string, args: readonly Node[], router: string, at: Node, call: Node): void {
    const pathNode = args[0];
    const path = name === 'MapHealthChecks' || args.length >= 2 ? this.ctx.value(pathNode, call) : undefined;
    if (path === undefined) {
      if (args.length >= 2 || name === 'MapHealthChecks') this.warn(at, `${name}(${pathNode?.text ?? ''}): the route pattern is computed at run time`);
      return;
    }
    let methods: string[] = [];
    const fixed = ENDPOINTS.get(name);
    if (fixed) methods = [fixed];
    else {
      const list = args[1];
      for (const s of list ? list.descendantsOfType(['string_literal', 'member_access_expression']) : []) {
        if (!s) continue;
        const v = s.type === 'string_literal' ? this.ctx.value(s, call) : /^HttpMethods?\.\w+$/.test(s.text) ? s.childForFieldName('name')?.text : undefined;
        if (v) methods.push(v.toUpperCase());
      }
      if (methods.length === 0) return this.warn(at, `${name}: the HTTP methods are computed at run time`);
    }
    const handler = name === 'MapHealthChecks' ? undefined : this.handler(args[args.length - 1], call);
    for (const method of methods) this.ctx.facts.routes.push({ router: { kind: 'local', name: router }, method, path, style: 'brace', handler, framework: 'aspnet', loc: locOf(at) });
  }

  /** A lambda, a local function or method of this file, `Handlers.Get`, or `(Delegate)Handler`. */
  private handler(h: Node | undefined, call: Node): HandlerRef | undefined {
    if (!h) return undefined;
    if (h.type === 'cast_expression') return this.handler(h.childForFieldName('value') ?? undefined, call);
    if (h.type === 'lambda_expression' || h.type === 'anonymous_method_expression') {
      this.ctx.handlerLambdas.push({ start: h.startIndex, end: h.endIndex });
      return { kind: 'here', name: '<anonymous>', loc: locOf(h, true) };
    }
    if (h.type === 'identifier') {
      if (this.ctx.definesFunction(h.text)) return { kind: 'ref', ref: { kind: 'local', name: h.text }, display: h.text };
      const cls = this.ctx.classOf(call);
      return cls ? { kind: 'member', container: cls, name: h.text } : { kind: 'ref', ref: { kind: 'global', name: h.text }, display: h.text };
    }
    if (h.type === 'member_access_expression') {
      const type = h.childForFieldName('expression')?.text ?? '';
      const name = methodName(h.childForFieldName('name'));
      return { kind: 'member', container: type.slice(type.lastIndexOf('.') + 1), name };
    }
    return undefined;
  }

  /**
   * The router an expression stands for. `strict`: only when it is known to be one (a group, a builder
   * parameter, an app built by `builder.Build()`); otherwise any receiver of `MapGet` is a router by definition.
   */
  private routerOf(e: Node, strict: boolean): string | undefined {
    if (e.type === 'parenthesized_expression') return e.namedChildren[0] ? this.routerOf(e.namedChildren[0], strict) : undefined;
    if (e.type === 'invocation_expression') {
      const fn = e.childForFieldName('function');
      if (fn?.type !== 'member_access_expression') return undefined;
      const name = methodName(fn.childForFieldName('name'));
      const receiver = fn.childForFieldName('expression');
      if (!receiver) return undefined;
      if (name === 'MapGroup') return this.group(e, receiver);
      if ((ENDPOINTS.has(name) && name !== 'Map') || name === 'Build') return undefined;
      // fluent calls (`.RequireAuthorization()`, `.WithTags()`, an extension returning the builder) keep the router
      return this.routerOf(receiver, strict);
    }
    if (e.type !== 'identifier') return undefined;
    const scope = this.ctx.scopeOf(e);
    const decl = this.declarationBefore(e, scope);
    if (decl) {
      const init = initializer(decl);
      const bound = init ? this.routerOf(init, true) : undefined;
      if (bound) return bound;
      // `var app = builder.Build()`, `WebApplication.Create(args)`: the app itself
      return !strict || (init && isApp(init)) ? this.router(scope, e.text, decl) : undefined;
    }
    const endpointsLambda = this.ctx.usesUseEndpoints ? this.useEndpointsReceiver(e) : undefined;
    if (endpointsLambda) return this.routerOf(endpointsLambda, strict);
    const type = scope.params.get(e.text);
    if (type !== undefined && (!strict || ROUTER_TYPES.test(type))) {
      const name = `${scope.name}(${e.text})`;
      if (!this.routers.has(name)) {
        this.routers.add(name);
        this.ctx.facts.routers.push({ name, framework: 'aspnet', style: 'brace', loc: locOf(scope.node ?? e) });
      }
      return name;
    }
    return strict ? undefined : this.router(scope, e.text, e);
  }

  /** `X.MapGroup("/p")`: a child router of X's, mounted with the prefix; named after the variable it is assigned to. */
  private group(call: Node, receiver: Node): string | undefined {
    const known = this.groups.get(call.id);
    if (known) return known;
    const parent = this.routerOf(receiver, false);
    if (!parent) return undefined;
    const scope = this.ctx.scopeOf(call);
    const declarator = declaratorOf(call);
    const name = declarator ? this.router(scope, declarator, call) : this.router(scope, `group@${call.startPosition.row + 1}#${++this.anonymous}`, call);
    this.groups.set(call.id, name);
    const arg = argumentsOf(call)[0];
    const prefix = this.ctx.value(arg, call);
    if (prefix === undefined) this.warn(call, `MapGroup(${arg?.text ?? ''}): the prefix is computed at run time`);
    this.ctx.facts.mounts.push({ parent: { kind: 'local', name: parent }, child: { kind: 'local', name }, prefix: prefix ?? '', style: 'brace', loc: locOf(call.childForFieldName('function')?.childForFieldName('name') ?? call) });
    return name;
  }

  /** A router named after a variable in a scope: `api` at top level, `Startup.Configure#api` in a method. */
  private router(scope: Scope, variable: string, at: Node): string {
    const name = scope.name === '' ? variable : `${scope.name}#${variable}`;
    if (!this.routers.has(name)) {
      this.routers.add(name);
      this.ctx.facts.routers.push({ name, framework: 'aspnet', style: 'brace', loc: locOf(at) });
    }
    return name;
  }

  /** The last declaration of `id`'s name before it in the same scope. */
  private declarationBefore(id: Node, scope: Scope): Node | undefined {
    let best: Node | undefined;
    for (const d of this.ctx.declarations.get(id.text) ?? []) {
      if (d.startIndex > id.startIndex) break;
      if (this.ctx.scopeOf(d).node?.id === scope.node?.id) best = d;
    }
    return best;
  }

  /** `app.UseEndpoints(endpoints => endpoints.MapGet(…))`: the lambda parameter is `app`. */
  private useEndpointsReceiver(id: Node): Node | undefined {
    for (let p = id.parent; p; p = p.parent) {
      if (p.type !== 'lambda_expression') continue;
      const params = p.childForFieldName('parameters');
      const names = params?.type === 'implicit_parameter' ? [params.text] : (params?.namedChildren ?? []).map((x) => x?.childForFieldName('name')?.text ?? x?.text);
      if (!names.includes(id.text)) continue;
      const call = p.parent?.parent?.parent;
      const fn = call?.type === 'invocation_expression' ? call.childForFieldName('function') : undefined;
      return fn?.type === 'member_access_expression' && methodName(fn.childForFieldName('name')) === 'UseEndpoints' ? (fn.childForFieldName('expression') ?? undefined) : undefined;
    }
    return undefined;
  }

  private warn(at: Node, message: string): void {
    this.ctx.facts.warnings.push({ line: at.startPosition.row + 1, message });
  }
}

/** `builder.Build()`, `WebApplication.CreateBuilder(args).Build()`, `WebApplication.Create(args)`. */
function isApp(init: Node): boolean {
  if (init.type !== 'invocation_expression') return false;
  const fn = init.childForFieldName('function');
  const name = methodName(fn?.childForFieldName('name'));
  return name === 'Build' || (/^(Create|CreateSlim|CreateEmpty)$/.test(name) && fn?.childForFieldName('expression')?.text === 'WebApplication');
}

/** The expressions of an invocation's arguments (`name: value` keeps the value). */
export function argumentsOf(call: Node): Node[] {
  const out: Node[] = [];
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (a?.type !== 'argument') continue;
    const e = a.namedChildren[a.namedChildren.length - 1];
    if (e) out.push(e);
  }
  return out;
}

/** `MapGet` for an identifier, `MapGrpcService` for `MapGrpcService<T>`. */
export function methodName(n: Node | null | undefined): string {
  if (!n) return '';
  return n.type === 'generic_name' ? (n.namedChildren[0]?.text ?? '') : n.text;
}

/** The variable a `MapGroup(...)` chain is assigned to (`var api = app.MapGroup("/api").WithTags("x")`). */
function declaratorOf(call: Node): string | undefined {
  let n: Node | null = call;
  while (n?.parent && (n.parent.type === 'member_access_expression' || n.parent.type === 'invocation_expression')) {
    // climbing a fluent chain: only through the receiver side
    if (n.parent.type === 'member_access_expression' && n.parent.childForFieldName('expression')?.id !== n.id) return undefined;
    n = n.parent;
  }
  const d = n?.parent;
  return d?.type === 'variable_declarator' ? d.childForFieldName('name')?.text : d?.type === 'equals_value_clause' && d.parent?.type === 'variable_declarator' ? d.parent.childForFieldName('name')?.text : undefined;
}
