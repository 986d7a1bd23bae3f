/**
 * The message protocol of the waterfall webview, shared by the host (`src/traces/waterfallPanel.ts`) and the
 * browser code (`webview/waterfall/`). Type-only: nothing here runs.
 *
 * Security: every string in a {@link WaterfallModel} comes from an untrusted trace file. The webview renders
 * them as text (never as HTML). The webview is untrusted in turn: it names spans, events and frames by
 * id/index, never by path, so it cannot make the host open a file the host did not put in the model.
 */

/** A span-to-code location, as read from `code.*` attributes. */
export interface CodeRef {
  /** `code.file.path` (or the old `code.filepath`), as written by the producer: often an absolute path on another machine. */
  readonly path?: string;
  /** `code.line.number` (or `code.lineno`), 1-based. */
  readonly line?: number;
  /** `code.column.number` (or `code.column`), 1-based. */
  readonly column?: number;
  /** `code.function.name`, or `code.namespace` + `.` + `code.function`. */
  readonly function?: string;
}

/**
 * What a span says about the request it served or made, to find its handler in the workspace when it carries no
 * `code.*` attributes: `http.route` (a template), `url.path`/`http.target` (a concrete path), `rpc.service`/`rpc.method`.
 */
export interface RouteRef {
  readonly method?: string;
  readonly route?: string;
  readonly path?: string;
  /** `package.Service/Method`. */
  readonly rpc?: string;
}

/** One line of an exception stack trace; `frame` is set when the line names a source location. */
export interface StackLine {
  readonly text: string;
  readonly frame?: { readonly path: string; readonly line: number; readonly column?: number };
}

export interface WaterfallEvent {
  readonly name: string;
  /** Microseconds since the trace start. */
  readonly offsetUs: number;
  /** Attributes as display strings, in source order. */
  readonly attributes: readonly (readonly [key: string, value: string])[];
  /** Set when the event is an OTel `exception` event. */
  readonly exception?: {
    readonly type?: string;
    readonly message?: string;
    readonly stack: readonly StackLine[];
  };
}

export interface WaterfallLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: readonly (readonly [key: string, value: string])[];
}

/**
 * One row of the waterfall, in display order (depth-first, children by start time). Only what the list and the
 * bars need: attributes, events, links and the code location travel on demand as {@link SpanDetails}, so a 10k-span
 * trace crosses to the webview as a fraction of its size.
 */
export interface WaterfallRow {
  /** Span ID (16 hex), or `missing:<parentId>` for the synthetic group row of spans whose parent is absent. */
  readonly id: string;
  /** Index of the parent row in `rows`, or -1 for a top-level row. */
  readonly parent: number;
  readonly depth: number;
  readonly name: string;
  readonly service: string;
  /** Index into {@link WaterfallModel.services}: the colour of the row. */
  readonly serviceIndex: number;
  readonly kind: string;
  /** Microseconds since the trace start. */
  readonly startUs: number;
  readonly durationUs: number;
  /** Time not covered by any child span. */
  readonly selfUs: number;
  /** Number of rows below this one (all descendants), for collapse/expand. */
  readonly descendants: number;
  readonly error: boolean;
  /** The span's status code (`unset` is the default: most spans never set one). */
  readonly status: 'unset' | 'ok' | 'error' | '';
  readonly statusMessage?: string;
  /** The synthetic group row for spans whose parent span is not in the trace. */
  readonly missingParent?: boolean;
  /** On the critical path: the parts of this span's bar that are (µs since trace start, [start, end)). */
  readonly critical: readonly (readonly [startUs: number, endUs: number])[];
  /** The span names a code location (its {@link SpanDetails.code}): "Open code" and Enter work. */
  /** The span names its code (`code.*`) or a route/RPC whose handler can be looked up in the workspace. */
  readonly hasCode: boolean;
}

/** What the detail pane shows of one span, sent when the webview asks for it (`span/details`). */
export interface SpanDetails {
  readonly attributes: readonly (readonly [key: string, value: string])[];
  /** Resource attributes of the span's process. */
  readonly resource: readonly (readonly [key: string, value: string])[];
  readonly scope?: string;
  readonly events: readonly WaterfallEvent[];
  readonly links: readonly WaterfallLink[];
  readonly code?: CodeRef;
  /** Only when there is no `code`: the route or RPC to find the handler by. */
  readonly route?: RouteRef;
}

export interface WaterfallModel {
  readonly traceId: string;
  /** Name of the root span (or of the earliest span when there is no single root). */
  readonly title: string;
  /** ISO-8601 UTC time of the trace start. */
  readonly startIso: string;
  readonly durationUs: number;
  readonly services: readonly string[];
  readonly spanCount: number;
  readonly errorCount: number;
  /** Row index of the span with the largest self time (the slow span), or -1. */
  readonly slowestRow: number;
  /** Row indices on the critical path, in time order. A parent appears again after each child it waited on (root, child, root, …). */
  readonly criticalRows: readonly number[];
  readonly rows: readonly WaterfallRow[];
  /** Problems worth telling the user (missing parents, cycles, skipped spans), already worded. */
  readonly warnings: readonly string[];
  /** Where the trace was read from, for the header (e.g. `traces/checkout-stampede.json (OTLP/JSON)`). */
  readonly source: string;
}

/** Host → webview. */
export type HostToWebview =
  /**
   * The trace to show: a {@link WaterfallModel} as the JSON of its `WireModel` (rows by column, see
   * `waterfallWire.ts`). The worker thread serializes it once and the host
   * forwards the text untouched, so a 10k-span model is neither cloned into nor re-serialized by the extension host.
   */
  | { readonly type: 'trace/show'; readonly modelJson: string; readonly selectRow?: number }
  | { readonly type: 'trace/loading'; readonly message: string }
  /** Details of trace `traceId` cannot be had (e.g. its file changed): the detail pane shows `message`. */
  | { readonly type: 'span/detailsFailed'; readonly traceId: string; readonly message: string }
  /** The details of `rows[row]` of trace `traceId`, answering the webview's `span/details`. */
  | { readonly type: 'span/details'; readonly traceId: string; readonly row: number; readonly details: SpanDetails }
  /**
   * Rows of trace `traceId` matching `query`, answering `filter`. The query syntax is `src/core/traces/search.ts`'s:
   * free text (every term a case-insensitive substring of the span's name, service, IDs, status, attributes as
   * `key=value`, resource, events or code location) and fields (`service:`, `op:`, `status:`, `is:error`,
   * `dur>=250ms`, `key=value`, `-term`). `matches` are ascending row indices.
   */
  | {
      readonly type: 'filter/result';
      readonly traceId: string;
      readonly query: string;
      readonly matches: readonly number[];
      /** Lower-case texts to highlight in the matching rows' names and services (free-text terms, `op:` / `service:` values). */
      readonly highlight?: FilterHighlight;
      /** Terms of the query that could not be read (e.g. `dur>=abc`), already worded; they were ignored. */
      readonly problems?: readonly string[];
    }
  /** Statistics of trace `traceId`, answering `stats`. */
  | { readonly type: 'stats/result'; readonly traceId: string; readonly stats: TraceStats }
  | { readonly type: 'trace/error'; readonly message: string };

/** What the rows of a filter result highlight: lower-case needles, matched case-insensitively. */
export interface FilterHighlight {
  readonly name: readonly string[];
  readonly service: readonly string[];
}

/** Time spent in one service or one (service, operation): sums over its spans. */
export interface StatsEntry {
  readonly service: string;
  /** The span name; absent on a per-service entry. */
  readonly operation?: string;
  readonly count: number;
  /** Sum of the spans' durations (nested spans of the same group count again: "total" is inclusive time). */
  readonly totalUs: number;
  /** Sum of the spans' self times (time not covered by a child span): where the time was actually spent. */
  readonly selfUs: number;
  /** Sum of the spans' stretches on the critical path. */
  readonly criticalUs: number;
  readonly errors: number;
  readonly maxUs: number;
}

/** Per-service and per-operation statistics of a trace (`src/core/traces/stats.ts`), each sorted by self time, largest first. */
export interface TraceStats {
  readonly services: readonly StatsEntry[];
  readonly operations: readonly StatsEntry[];
  /** Spans counted (the synthetic "missing parent" rows are not spans). */
  readonly spanCount: number;
  readonly durationUs: number;
}

/** Webview → host. */
export type WebviewToHost =
  /** The page has loaded and listens for messages: the host sends nothing before this. */
  | { readonly type: 'ready' }
  /** Open the code of the span in `rows[row]` (its `code` reference). */
  | { readonly type: 'span/openCode'; readonly row: number }
  /** Open frame `frame` of the stack trace of event `event` of `rows[row]`. */
  | { readonly type: 'frame/open'; readonly row: number; readonly event: number; readonly frame: number }
  /** Send the {@link SpanDetails} of `rows[row]`. */
  | { readonly type: 'span/details'; readonly row: number }
  /** Find the rows matching `query` (searched on the host, which holds every span's attributes). */
  | { readonly type: 'filter'; readonly query: string }
  /** The user selected a row (the host remembers it for restore and tests). */
  | { readonly type: 'row/selected'; readonly row: number }
  /** Send the trace's {@link TraceStats} (`stats/result`). */
  | { readonly type: 'stats' }
  /** Copy the trace ID to the clipboard. */
  | { readonly type: 'trace/copyId' }
  /** Copy `rows[row]` as JSON (built by the host from the span it holds) to the clipboard. */
  | { readonly type: 'span/copyJson'; readonly row: number }
  /**
   * Add `rows[row]` to the incident notebook: the host runs `oncall.notebook.addSpan` with a {@link NotebookSpan}
   * (which asks for an incident when none is active).
   */
  | { readonly type: 'span/addToNotebook'; readonly row: number }
  /**
   * The model of `trace/show` for `traceId` is on screen (posted once per `trace/show`, after the first paint):
   * `domRows` is how many row elements exist (virtualized: far fewer than `rowCount` for big traces).
   */
  | {
      readonly type: 'rendered';
      readonly traceId: string;
      readonly rowCount: number;
      readonly domRows: number;
      /** Milliseconds from receiving `trace/show` to this report (the webview's own share of the wait). */
      readonly renderMs?: number;
    };

/** The argument of the `oncall.notebook.addSpan` command: plain data, no trace text beyond the span's own. */
export interface NotebookSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly service: string;
  readonly name: string;
  readonly durationMs: number;
  readonly error: boolean;
  /** Where the trace was read from ({@link WaterfallModel.source}). */
  readonly source: string;
  /** When the span started, ISO 8601 UTC (the notebook dates its entry by it). */
  readonly startIso?: string;
}

/** The argument of the `oncall.notebook.addTrace` command: a whole trace, summarized. */
export interface NotebookTrace {
  readonly traceId: string;
  /** The root span's service and name. */
  readonly service: string;
  readonly name: string;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly errorCount: number;
  /** The span with the largest self time, when there is one. */
  readonly slowest?: { readonly service: string; readonly name: string; readonly selfMs: number };
  readonly source: string;
  /** When the trace started, ISO 8601 UTC. */
  readonly startIso: string;
}

/** State the webview keeps with `setState` so a hidden/reloaded panel comes back where the user was. */
export interface WaterfallViewState {
  readonly traceId: string;
  readonly selectedRow: number;
  /**
   * IDs of rows the user collapsed. For a trace collapsed by default (more than `COLLAPSE_BY_DEFAULT_ROWS` rows),
   * only the rows collapsed beyond that default.
   */
  readonly collapsed: readonly string[];
  /** IDs of rows the user expanded that a large trace collapses by default (absent when empty). */
  readonly expanded?: readonly string[];
  /** `collapsed` is the full list: the large-trace default does not apply (saved when that is shorter). */
  readonly noDefault?: boolean;
  readonly scrollTop: number;
  /** "Critical path only" (absent when off). */
  readonly criticalOnly?: boolean;
}
