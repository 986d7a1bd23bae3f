/**
 * What one file says about the wire, before anything is resolved across files. Each language's extractor turns a
 * tree-sitter tree into FileFacts; compose.ts joins the facts of all files into full routes.
 *
 * Names: a router (app, group, blueprint, APIRouter, controller class, `func(r chi.Router)` parameter…) has a
 * name unique within its file, chosen by the extractor, which also resolves local variables to those names
 * (so `r` in two functions can be two routers: name them `Setup(r)` and `Other(r)`). Everything that crosses
 * files is a Ref, resolved by compose.ts.
 */
import type { ErrorKind, WireLanguage } from './model';

/** A position in the fact's own file, 1-based. */
export interface Loc {
  readonly line: number;
  readonly column: number;
  /** For definitions: the last line of the body. */
  readonly endLine?: number | undefined;
}

/** How parameters are written in a path, so routes.ts can normalize them to `{name}`. */
export type ParamStyle =
  | 'colon' // :id, *splat, *  (Express, gin, echo, fiber, Koa, Hono, Rails, Sinatra, Fastify)
  | 'brace' // {id}, {id:[0-9]+}, {id...}, {*rest}, {id:int}  (chi, gorilla, net/http 1.22, Spring, JAX-RS, FastAPI, ASP.NET, actix, axum ≥0.8, Laravel {id?})
  | 'angle' // <id>, <int:id>, <path..> (Flask, Django path(), Rocket)
  | 'regex' // Django re_path / url(): ^articles/(?P<slug>[-\w]+)/$
  | 'next' // Next.js file segments [id], [...slug], [[...slug]], (group)
  | 'axum'; // axum ≤0.7 :id and *rest (same as colon, kept apart for clarity)

/**
 * A reference to something that may live in another file.
 * - local: a router or function name in this file (already scoped by the extractor);
 * - import: through an ImportFact's local binding, optionally a member of it (`articles.router`, `pkg.Register`);
 * - package: a top-level name in the same package (Go: same directory; Rust: same module) — resolved in this
 *   file first, then its package siblings;
 * - global: a class/type name looked up in every file of the same language (Java, C#, PHP, Ruby, C++).
 */
export type Ref =
  | { readonly kind: 'local'; readonly name: string }
  | { readonly kind: 'import'; readonly binding: string; readonly member?: string | undefined }
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'global'; readonly name: string };

export interface ImportFact {
  /** The name bound in this file (`router`, `articles`, `api` for `import * as api`). */
  readonly local: string;
  /** The module as written: `./routes/articles`, `.routers`, `app.api.users`, `example.com/svc/internal/api`, `crate::routes`. */
  readonly module: string;
  /** The imported symbol: a name, `default`, or `*` for the whole module (namespace / Go package / Python module). */
  readonly name: string;
}

export interface RouterFact {
  readonly name: string;
  readonly framework: string;
  /** A prefix the router carries itself (APIRouter(prefix=), Blueprint(url_prefix=), @RequestMapping on the class, @Controller('x')). */
  readonly prefix?: string | undefined;
  readonly style: ParamStyle;
  readonly loc: Loc;
}

/** Where a handler is, as far as the registration site can tell. */
export type HandlerRef =
  /** Defined at the registration site (closure, lambda) or resolved by the extractor within this file. */
  | { readonly kind: 'here'; readonly name: string; readonly loc: Loc }
  /** A function (or `Class.method`) referred to by name, possibly from another file. */
  | { readonly kind: 'ref'; readonly ref: Ref; readonly display: string }
  /** A method of a class found by its name anywhere in the same language (controllers: `ArticlesController@show`). */
  | { readonly kind: 'member'; readonly container: string; readonly name: string }
  /** A method in a file found by convention (Rails `articles#show` → app/controllers/articles_controller.rb). */
  | { readonly kind: 'file'; readonly file: string; readonly container?: string | undefined; readonly name: string };

export interface RouteFact {
  /** The router it is registered on; absent when `path` is already the full route (file-based routing, Rails). */
  readonly router?: Ref | undefined;
  /** Upper-case; `ANY` for all methods. */
  readonly method: string;
  /** As written at the registration site. */
  readonly path: string;
  readonly style: ParamStyle;
  readonly handler?: HandlerRef | undefined;
  readonly framework: string;
  readonly loc: Loc;
}

/** `app.use('/api', router)`, `include_router(r, prefix=)`, `r.Mount`, `r.Group` → child, `nest`, `path('api/', include(...))`. */
export interface MountFact {
  readonly parent: Ref;
  readonly child: Ref;
  /** '' when the mount adds no prefix. */
  readonly prefix: string;
  readonly style: ParamStyle;
  readonly loc: Loc;
  /** The mount's prefix takes the place of the child's own prefix instead of adding to it (Flask `register_blueprint(bp, url_prefix=)`). */
  readonly replacesOwnPrefix?: boolean | undefined;
  /**
   * The prefix is computed at run time (`r.WithPrefix(*routePrefix)`; `prefix` is then ''): the routes below are
   * listed without it, and compared for shadowing only with routes below the same mount.
   */
  readonly unknownPrefix?: boolean | undefined;
}

/** A call passing routers to a function (`articles.Register(api)`, `registerRoutes(app)`): the callee's parameter routers get mounted. */
export interface CallFact {
  readonly callee: Ref;
  /** Each argument as a Ref when it is a plain name (or dotted name), else undefined. */
  readonly args: readonly (Ref | undefined)[];
  /** Extra prefix the call adds (rare: `register(app, '/v1')` is not understood; keep '' ). */
  readonly loc: Loc;
}

export interface FunctionFact {
  /** Function or method name. */
  readonly name: string;
  /** Class / struct / impl type / module the function belongs to, if any. */
  readonly container?: string | undefined;
  readonly params: readonly string[];
  /** Start of the declaration, endLine = last line of the body. */
  readonly loc: Loc;
  /** Names of the functions/methods it calls (plain or last segment of a member call), for following errors into callees. */
  readonly calls?: readonly string[] | undefined;
}

/** `app.setGlobalPrefix('api')` (NestJS), `server.servlet.context-path` (Spring), … applied to every top-level router of the framework in the same service. */
export interface GlobalPrefixFact {
  readonly framework: string;
  readonly prefix: string;
  readonly loc: Loc;
}

export interface EntryFact {
  /** main | listen | bootstrap | serverless | worker */
  readonly detail: string;
  /** Function name or the call's text, shortened. */
  readonly name: string;
  readonly framework: string;
  readonly loc: Loc;
}

export interface ErrorFact {
  readonly kind: ErrorKind;
  /** The source text of the exit, first line, at most 120 characters. */
  readonly text: string;
  /** Enclosing function name (method name for methods). */
  readonly function?: string | undefined;
  readonly loc: Loc;
}

/** A class/struct that implements a gRPC service (extends FooServiceImplBase, implements FooServiceServer, …). */
export interface GrpcImplFact {
  /** The proto service's simple name (`ArticleService`). */
  readonly service: string;
  /** The implementing type's name. */
  readonly container: string;
  readonly methods: readonly { readonly name: string; readonly loc: Loc }[];
  readonly framework: string;
  readonly loc: Loc;
}

/** A service declared in a .proto file. */
export interface GrpcServiceFact {
  readonly package: string;
  readonly service: string;
  readonly rpcs: readonly { readonly name: string; readonly loc: Loc }[];
  readonly loc: Loc;
}

export interface FileFacts {
  /** Workspace-relative, forward slashes. */
  readonly file: string;
  readonly language: WireLanguage;
  readonly imports: readonly ImportFact[];
  /** Exported name → local router or function name in this file (`default` for default exports). Python/Go/Rust: every top-level name. */
  readonly exports: Readonly<Record<string, string>>;
  readonly routers: readonly RouterFact[];
  readonly routes: readonly RouteFact[];
  readonly mounts: readonly MountFact[];
  readonly calls: readonly CallFact[];
  readonly functions: readonly FunctionFact[];
  readonly globalPrefixes: readonly GlobalPrefixFact[];
  readonly entries: readonly EntryFact[];
  readonly errors: readonly ErrorFact[];
  readonly grpcImpls: readonly GrpcImplFact[];
  readonly grpcServices: readonly GrpcServiceFact[];
  /** Patterns seen but not understood (a route whose path is computed at run time, …): shown, never silently dropped. */
  readonly warnings: readonly { readonly line: number; readonly message: string }[];
}

/** A FileFacts with every list empty, for extractors to fill. */
export function emptyFacts(file: string, language: WireLanguage): {
  -readonly [K in keyof FileFacts]: FileFacts[K] extends readonly (infer T)[] ? T[] : FileFacts[K] extends Readonly<Record<string, string>> ? Record<string, string> : FileFacts[K];
} {
  return { file, language, imports: [], exports: {}, routers: [], routes: [], mounts: [], calls: [], functions: [], globalPrefixes: [], entries: [], errors: [], grpcImpls: [], grpcServices: [], warnings: [] };
}
