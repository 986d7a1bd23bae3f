/**
 * The wire map: where requests come in (HTTP routes, gRPC methods, entry points) and where errors leave.
 * One flat record list, the same for the CLI's `scan --json`, the Wire Map tree, code lenses and "Go to Handler".
 */

export type WireKind = 'http' | 'grpc' | 'entry' | 'error';

export type WireLanguage =
  | 'go'
  | 'python'
  | 'java'
  | 'javascript'
  | 'typescript'
  | 'rust'
  | 'csharp'
  | 'cpp'
  | 'ruby'
  | 'php'
  | 'proto';

/** What kind of error exit an `error` record is. */
export type ErrorKind =
  | 'return-error' // return err / return nil, err / Err(e) / Result.failure
  | 'panic' // panic(), unwrap()/expect() on a request path, process.exit
  | 'throw' // throw / raise
  | 'http-error' // a 4xx/5xx response written by the handler (http.Error, res.status(500), abort(404), HttpStatus.*)
  | 'log-error' // an error logged (log.Error, logger.error, console.error)
  | 'catch' // a catch / except / rescue block that handles the error (re-throws, returns, logs)
  | 'swallow'; // a catch / except / rescue block that drops the error (empty body, pass, only a comment)

export interface WireRecord {
  readonly kind: WireKind;
  /** HTTP method upper-case (`GET`, `ANY` when every method is routed), `GRPC` for gRPC. */
  readonly method?: string | undefined;
  /** Full route with every prefix resolved and parameters as `{name}`; gRPC: `/package.Service/Method`. */
  readonly route?: string | undefined;
  /** The path exactly as written at the registration site (without prefixes). */
  readonly routeAsWritten?: string | undefined;
  /** Workspace-relative path (forward slashes) of the registration site (for entry/error: the site itself). */
  readonly file: string;
  /** 1-based line of the registration site. */
  readonly line: number;
  readonly column: number;
  /** Where the handler is defined (absent when it could not be resolved). */
  readonly handlerFile?: string | undefined;
  readonly handlerLine?: number | undefined;
  /** Last line of the handler's body, for attaching error paths and follow-the-wire. */
  readonly handlerEndLine?: number | undefined;
  /** `Class.method`, `function`, `controller#action`, or `<anonymous>`. */
  readonly handler?: string | undefined;
  readonly language: WireLanguage;
  /** e.g. `express`, `fastapi`, `spring`, `net/http`, `grpc`. */
  readonly framework: string;
  /** entry: what it is (`main`, `listen`, `bootstrap`, `serverless`); error: the ErrorKind. */
  readonly detail?: string | undefined;
  /** error: the source text of the exit, shortened; entry: the call or declaration. */
  readonly text?: string | undefined;
  /** error: the enclosing function's name. */
  readonly function?: string | undefined;
  /** The service/app this belongs to: the folder of the nearest manifest (go.mod, package.json, pom.xml, …), '' = root. */
  readonly service: string;
  /** http: the same method and route is registered earlier in this service, so this one never answers. */
  readonly shadowed?: boolean | undefined;
}

/** The result of a scan: records sorted by file, then line; and what could not be read. */
export interface WireMap {
  readonly records: readonly WireRecord[];
  readonly problems: readonly WireProblem[];
  readonly stats: { readonly files: number; readonly parsedFiles: number; readonly lines: number; readonly bytes: number };
}

export interface WireProblem {
  readonly file: string;
  readonly line?: number | undefined;
  readonly message: string;
}
