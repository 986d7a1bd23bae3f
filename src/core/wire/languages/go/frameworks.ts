/**
 * What the Go reader knows about each HTTP framework: the import path that names it, its router types and
 * constructors, how its registration methods take method, path and handler, and the HTTP status constants.
 */
import type { ParamStyle } from '../../facts';

export type GoFramework = 'net/http' | 'gorilla/mux' | 'chi' | 'gin' | 'echo' | 'fiber' | 'httprouter' | 'prometheus/route';

/** The framework an import path names (`github.com/go-chi/chi/v5` → chi), or undefined. */
export function frameworkOfModule(path: string): GoFramework | undefined {
  if (path === 'net/http') return 'net/http';
  const bare = path.replace(/\/v\d+$/, '');
  switch (bare) {
    case 'github.com/go-chi/chi':
      return 'chi';
    case 'github.com/gorilla/mux':
      return 'gorilla/mux';
    case 'github.com/gin-gonic/gin':
      return 'gin';
    case 'github.com/labstack/echo':
      return 'echo';
    case 'github.com/gofiber/fiber':
      return 'fiber';
    case 'github.com/julienschmidt/httprouter':
      return 'httprouter';
    // Prometheus's router (httprouter underneath), used by Prometheus, Alertmanager and their exporters
    case 'github.com/prometheus/common/route':
      return 'prometheus/route';
    default:
      return undefined;
  }
}

/** How each framework writes path parameters. */
export const STYLE: Readonly<Record<GoFramework, ParamStyle>> = {
  'net/http': 'brace',
  'gorilla/mux': 'brace',
  chi: 'brace',
  gin: 'colon',
  echo: 'colon',
  fiber: 'colon',
  httprouter: 'colon',
  'prometheus/route': 'colon',
};

/** Types whose values are routers (`chi.Router`, `*gin.RouterGroup`, …), per framework. */
export const ROUTER_TYPES: Readonly<Record<GoFramework, ReadonlySet<string>>> = {
  'net/http': new Set(['ServeMux']),
  'gorilla/mux': new Set(['Router']),
  chi: new Set(['Router', 'Mux']),
  gin: new Set(['Engine', 'RouterGroup', 'IRouter', 'IRoutes']),
  echo: new Set(['Echo', 'Group']),
  fiber: new Set(['App', 'Router']),
  httprouter: new Set(['Router']),
  'prometheus/route': new Set(['Router']),
};

/** Package functions that create a router (`chi.NewRouter()`, `gin.Default()`). */
export const CONSTRUCTORS: Readonly<Record<GoFramework, ReadonlySet<string>>> = {
  'net/http': new Set(['NewServeMux']),
  'gorilla/mux': new Set(['NewRouter']),
  chi: new Set(['NewRouter', 'NewMux']),
  gin: new Set(['Default', 'New']),
  echo: new Set(['New']),
  fiber: new Set(['New']),
  httprouter: new Set(['New']),
  'prometheus/route': new Set(['New']),
};

/** How a registration call reads: where the method(s), path and handler are. */
export interface RouteCallSpec {
  /** A fixed method (`GET`, `ANY`), or read from an argument. */
  readonly method: string | { readonly arg: number };
  readonly path: number;
  /** Handler argument index, or the last argument (gin, fiber: middleware come first). */
  readonly handler: number | 'last';
  /** The path may carry a method and host (`GET /articles/{slug}`, Go 1.22 patterns). */
  readonly pattern?: boolean;
}

const TITLE_VERBS = ['Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'Connect', 'Trace'];
const UPPER_VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];

function verbs(names: readonly string[], handler: number | 'last'): Map<string, RouteCallSpec> {
  return new Map(names.map((n) => [n, { method: n.toUpperCase(), path: 0, handler }]));
}

const CHI = verbs(TITLE_VERBS, 1)
  .set('Handle', { method: 'ANY', path: 0, handler: 1, pattern: true })
  .set('HandleFunc', { method: 'ANY', path: 0, handler: 1, pattern: true })
  .set('Method', { method: { arg: 0 }, path: 1, handler: 2 })
  .set('MethodFunc', { method: { arg: 0 }, path: 1, handler: 2 });
const NET_HTTP = new Map<string, RouteCallSpec>([
  ['Handle', { method: 'ANY', path: 0, handler: 1, pattern: true }],
  ['HandleFunc', { method: 'ANY', path: 0, handler: 1, pattern: true }],
]);
const GIN = verbs(UPPER_VERBS.slice(0, 7), 'last')
  .set('Any', { method: 'ANY', path: 0, handler: 'last' })
  .set('Handle', { method: { arg: 0 }, path: 1, handler: 'last' })
  .set('Match', { method: { arg: 0 }, path: 1, handler: 'last' });
const ECHO = verbs(UPPER_VERBS, 1)
  .set('Any', { method: 'ANY', path: 0, handler: 1 })
  .set('Add', { method: { arg: 0 }, path: 1, handler: 2 })
  .set('Match', { method: { arg: 0 }, path: 1, handler: 2 });
const FIBER = verbs(TITLE_VERBS, 'last')
  .set('All', { method: 'ANY', path: 0, handler: 'last' })
  .set('Add', { method: { arg: 0 }, path: 1, handler: 'last' });
const HTTPROUTER = verbs(UPPER_VERBS.slice(0, 7), 1)
  .set('Handle', { method: { arg: 0 }, path: 1, handler: 2 })
  .set('Handler', { method: { arg: 0 }, path: 1, handler: 2 })
  .set('HandlerFunc', { method: { arg: 0 }, path: 1, handler: 2 });
const PROMETHEUS_ROUTE = verbs(['Get', 'Post', 'Put', 'Patch', 'Head', 'Options'], 1).set('Del', { method: 'DELETE', path: 0, handler: 1 });

/** The registration methods of each framework (gorilla/mux is read from its method chains instead). */
export const ROUTE_CALLS: Readonly<Record<GoFramework, ReadonlyMap<string, RouteCallSpec>>> = {
  'net/http': NET_HTTP,
  'gorilla/mux': new Map(),
  chi: CHI,
  gin: GIN,
  echo: ECHO,
  fiber: FIBER,
  httprouter: HTTPROUTER,
  'prometheus/route': PROMETHEUS_ROUTE,
};

/** Methods that create a child router with a path prefix as their first argument. */
export const GROUP_METHODS: Readonly<Record<GoFramework, ReadonlySet<string>>> = {
  'net/http': new Set(),
  'gorilla/mux': new Set(),
  chi: new Set(),
  gin: new Set(['Group']),
  echo: new Set(['Group']),
  fiber: new Set(['Group']),
  httprouter: new Set(),
  'prometheus/route': new Set(['WithPrefix']),
};

/** Methods that create a child router or return the same one (chi Route/Group/With, fiber Route, groups). */
export const ROUTER_METHODS: Readonly<Record<GoFramework, ReadonlySet<string>>> = {
  'net/http': new Set(),
  'gorilla/mux': new Set(),
  chi: new Set(['Route', 'Group', 'With']),
  gin: new Set(['Group']),
  echo: new Set(['Group']),
  fiber: new Set(['Group', 'Route']),
  httprouter: new Set(),
  'prometheus/route': new Set(['WithPrefix', 'WithInstrumentation']),
};

/** gorilla/mux route matchers that may appear in a registration chain. */
export const GORILLA_MATCHERS: ReadonlySet<string> = new Set(['Methods', 'Path', 'PathPrefix', 'Host', 'Schemes', 'Headers', 'HeadersRegexp', 'Queries', 'MatcherFunc', 'Name', 'BuildVarsFunc', 'NewRoute']);
/** gorilla/mux calls that register a handler. */
export const GORILLA_HANDLERS: ReadonlySet<string> = new Set(['HandleFunc', 'Handle', 'HandlerFunc', 'Handler']);
/** Methods that open a listener on a router (gin Run, echo Start, fiber Listen). */
export const LISTENERS: Readonly<Partial<Record<GoFramework, ReadonlySet<string>>>> = {
  gin: new Set(['Run', 'RunTLS', 'RunUnix', 'RunListener']),
  echo: new Set(['Start', 'StartTLS', 'StartAutoTLS', 'StartServer', 'StartH2CServer']),
  fiber: new Set(['Listen', 'ListenTLS', 'Listener', 'ListenMutualTLS']),
};
/** Listener method names that name their framework even on a router made elsewhere (`r.Run(":8080")`). */
export const LISTEN_BY_NAME: ReadonlyMap<string, GoFramework> = new Map([
  ['Run', 'gin'],
  ['RunTLS', 'gin'],
  ['Start', 'echo'],
  ['StartTLS', 'echo'],
  ['Listen', 'fiber'],
  ['ListenTLS', 'fiber'],
]);
/** Which framework a router of unknown origin most likely belongs to, from the method called on it and the file's imports. */
export function guessFramework(method: string, imported: ReadonlySet<GoFramework>): GoFramework | undefined {
  const pick = (...order: GoFramework[]): GoFramework | undefined => order.find((f) => imported.has(f));
  if (UPPER_VERBS.includes(method) || method === 'Any' || method === 'Match') return pick('gin', 'echo') ?? 'gin';
  if (TITLE_VERBS.includes(method) || method === 'All' || method === 'Route' || method === 'Mount') return pick('fiber', 'chi') ?? 'chi';
  if (method === 'Group') return pick('gin', 'echo', 'fiber', 'chi');
  if (method === 'HandleFunc' || method === 'Handle') return pick('gorilla/mux', 'chi', 'net/http') ?? 'net/http';
  return undefined;
}

/** net/http status constant names → codes (`http.StatusNotFound`, also `fiber.StatusNotFound`). */
export const STATUS: Readonly<Record<string, number>> = {
  StatusContinue: 100,
  StatusSwitchingProtocols: 101,
  StatusOK: 200,
  StatusCreated: 201,
  StatusAccepted: 202,
  StatusNonAuthoritativeInfo: 203,
  StatusNoContent: 204,
  StatusResetContent: 205,
  StatusPartialContent: 206,
  StatusMultipleChoices: 300,
  StatusMovedPermanently: 301,
  StatusFound: 302,
  StatusSeeOther: 303,
  StatusNotModified: 304,
  StatusTemporaryRedirect: 307,
  StatusPermanentRedirect: 308,
  StatusBadRequest: 400,
  StatusUnauthorized: 401,
  StatusPaymentRequired: 402,
  StatusForbidden: 403,
  StatusNotFound: 404,
  StatusMethodNotAllowed: 405,
  StatusNotAcceptable: 406,
  StatusProxyAuthRequired: 407,
  StatusRequestTimeout: 408,
  StatusConflict: 409,
  StatusGone: 410,
  StatusLengthRequired: 411,
  StatusPreconditionFailed: 412,
  StatusRequestEntityTooLarge: 413,
  StatusRequestURITooLong: 414,
  StatusUnsupportedMediaType: 415,
  StatusRequestedRangeNotSatisfiable: 416,
  StatusExpectationFailed: 417,
  StatusTeapot: 418,
  StatusMisdirectedRequest: 421,
  StatusUnprocessableEntity: 422,
  StatusLocked: 423,
  StatusFailedDependency: 424,
  StatusTooEarly: 425,
  StatusUpgradeRequired: 426,
  StatusPreconditionRequired: 428,
  StatusTooManyRequests: 429,
  StatusRequestHeaderFieldsTooLarge: 431,
  StatusUnavailableForLegalReasons: 451,
  StatusInternalServerError: 500,
  StatusNotImplemented: 501,
  StatusBadGateway: 502,
  StatusServiceUnavailable: 503,
  StatusGatewayTimeout: 504,
  StatusHTTPVersionNotSupported: 505,
  StatusVariantAlsoNegotiates: 506,
  StatusInsufficientStorage: 507,
  StatusLoopDetected: 508,
  StatusNotExtended: 510,
  StatusNetworkAuthenticationRequired: 511,
};

/** Context methods whose first argument is the response status (gin, echo, fiber): `c.JSON(500, …)`, `c.SendStatus(404)`. */
export const STATUS_FIRST: ReadonlySet<string> = new Set([
  'JSON',
  'XML',
  'String',
  'HTML',
  'YAML',
  'TOML',
  'ProtoBuf',
  'IndentedJSON',
  'PureJSON',
  'SecureJSON',
  'AsciiJSON',
  'JSONP',
  'JSONPretty',
  'JSONBlob',
  'XMLPretty',
  'XMLBlob',
  'Blob',
  'Stream',
  'NoContent',
  'Data',
  'DataFromReader',
  'Render',
  'Status',
  'SendStatus',
  'WriteHeader',
]);

/** Context methods that always answer with an error status (gin). */
export const ABORTS: ReadonlySet<string> = new Set(['AbortWithStatus', 'AbortWithStatusJSON', 'AbortWithStatusPureJSON', 'AbortWithError']);

/** Packages whose functions build errors rather than log them (`errors.New`, `fmt.Errorf`, `status.Error`). */
export const ERROR_PACKAGES: ReadonlySet<string> = new Set([
  'errors',
  'fmt',
  'github.com/pkg/errors',
  'golang.org/x/xerrors',
  'github.com/cockroachdb/errors',
  'google.golang.org/grpc/status',
  'emperror.dev/errors',
]);

/** The name a package is used by when imported without an alias: the last path element, skipping a major-version suffix. */
export function defaultBinding(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1] ?? path;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2] ?? last;
  return last
    .replace(/\.v\d+$/, '')
    .replace(/^go-/, '')
    .replace(/[-.]go$/, '')
    .replace(/[-.]/g, '');
}
