/**
 * The message protocol of the trace comparison webview, shared by the host (`src/traces/comparePanel.ts`) and the
 * browser code (`webview/compare/`), and the shape `compareTraces` (src/core/traces/compare.ts) produces.
 * Type-only: nothing here runs.
 *
 * Security: every name and service comes from untrusted trace files; the webview renders them as text. The webview
 * names rows only by index, and can ask the host for nothing but "ready", "rendered" and the selected row.
 */

/**
 * How a node of the merged tree differs: `added` only in trace B, `missing` only in trace A, `changed` in both with
 * a duration difference above the threshold (or a different error state), `same` otherwise.
 */
export type CompareStatus = 'same' | 'added' | 'missing' | 'changed';

/**
 * One node of the merged tree of two traces, in display order (depth first, siblings by start offset from their
 * parent). A node is the k-th span with its (service, operation) key under its parent node, in each trace.
 */
export interface CompareRow {
  /** Index of the parent node in `rows`, or -1 at top level. */
  readonly parent: number;
  readonly depth: number;
  /** Number of nodes below this one (all descendants), for collapse/expand. */
  readonly descendants: number;
  /** Operation name, or `missing parent` for the synthetic group of spans whose parent is absent from the trace. */
  readonly name: string;
  readonly service: string;
  /** The synthetic group of spans whose parent is not in the trace. */
  readonly missingParent?: boolean;
  readonly status: CompareStatus;
  /** Duration of the span in A / B (µs), null when the node has no span in that trace. */
  readonly durA: number | null;
  readonly durB: number | null;
  /** Self time (duration not covered by children) in A / B (µs), null when absent. */
  readonly selfA: number | null;
  readonly selfB: number | null;
  /** Start offset from the trace start in A / B (µs), null when absent. */
  readonly startA: number | null;
  readonly startB: number | null;
  /** (durB ?? 0) − (durA ?? 0): positive when B is slower (a regression if B is the trace under suspicion). */
  readonly diffUs: number;
  readonly errorA: boolean;
  readonly errorB: boolean;
  /** 0-based position among the siblings with the same key (the k-th matches the k-th). */
  readonly ordinal: number;
  /** How many siblings with this key the parent has in A / B (1 for most nodes). */
  readonly countA: number;
  readonly countB: number;
  /**
   * Sum of the durations of all same-key siblings in A / B (µs). Set on the first node of a sibling group when
   * either trace has more than one, so "SELECT ×1 → ×16" can show the time the repeats add up to.
   */
  readonly groupA?: number;
  readonly groupB?: number;
  /** Span ID in A / B (16 hex), null when absent; empty for the synthetic missing-parent group. */
  readonly spanIdA: string | null;
  readonly spanIdB: string | null;
}

/** One entry of the summary's top lists: a row and how much it grew (or shrank). */
export interface CompareRank {
  readonly row: number;
  readonly diffUs: number;
}

export interface CompareSummary {
  /** Trace durations (µs), B − A. */
  readonly totalA: number;
  readonly totalB: number;
  readonly diffUs: number;
  readonly spansA: number;
  readonly spansB: number;
  readonly errorsA: number;
  readonly errorsB: number;
  /** Node counts per status (added = spans only in B, missing = spans only in A). */
  readonly added: number;
  readonly missing: number;
  readonly changed: number;
  readonly same: number;
  /** Top nodes by duration increase (B − A > 0), largest first; an added span counts with its whole duration. */
  readonly regressions: readonly CompareRank[];
  /** Top nodes by self-time increase, largest first: where the extra time is spent rather than waited for. */
  readonly selfRegressions: readonly CompareRank[];
  /** Top nodes by duration decrease (B − A < 0), most negative first. */
  readonly improvements: readonly CompareRank[];
}

/** What the header says about each side. */
export interface CompareTraceInfo {
  readonly traceId: string;
  /** Root span name (or `(empty trace)`). */
  readonly title: string;
  readonly rootService: string;
  /** ISO-8601 UTC start. */
  readonly startIso: string;
  readonly durationUs: number;
  readonly spanCount: number;
  readonly errorCount: number;
  /** Where it was read from, e.g. `traces/checkout-stampede.json (OTLP/JSON)`. */
  readonly source: string;
}

export interface CompareModel {
  readonly a: CompareTraceInfo;
  readonly b: CompareTraceInfo;
  readonly rows: readonly CompareRow[];
  readonly summary: CompareSummary;
  /** Problems worth telling the user (missing parents, cycles), prefixed with the side they belong to. */
  readonly warnings: readonly string[];
}

/** Host → webview. */
export type CompareHostToWebview =
  /** The comparison to show, as JSON of a {@link CompareModel} (serialized once in the worker, forwarded untouched). */
  | { readonly type: 'compare/show'; readonly modelJson: string }
  | { readonly type: 'compare/loading'; readonly message: string }
  | { readonly type: 'compare/error'; readonly message: string };

/** Webview → host. */
export type CompareWebviewToHost =
  /** The page listens: the host sends nothing before this. */
  | { readonly type: 'ready' }
  /** The user selected `rows[row]` (the host remembers it for tests). */
  | { readonly type: 'row/selected'; readonly row: number }
  /** The model of `compare/show` is painted (`domRows` row elements exist: virtualized, far fewer than `rowCount`). */
  | { readonly type: 'rendered'; readonly traceA: string; readonly traceB: string; readonly rowCount: number; readonly domRows: number };
