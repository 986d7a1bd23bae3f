/** Messages between the extension host and the trace worker thread (src/core/traces/traceWorker.ts). */
import type { TraceFormat } from './model';
import type { FileProblem } from './traceFiles';
import type { FileIndexEntry } from './traceIndex';

/**
 * The trace worker's heap limits (the bench measures under the same ones). The young generation is 96 MB (32 MB
 * semi-spaces, twice V8's default): JSON.parse leaves a 10k-span document in the young generation, and at the default
 * size the scavenger ran while the spans were read and copied the whole fresh document twice — costing about as much
 * as JSON.parse itself. The old generation may grow to 4 GB for 100k-span traces.
 */
export const traceWorkerResourceLimits = { maxOldGenerationSizeMb: 4096, maxYoungGenerationSizeMb: 96 } as const;

export type WorkerRequest =
  | { readonly id: number; readonly op: 'index'; readonly path: string; readonly maxBytes: number }
  | {
      readonly id: number;
      /** The details of every row of a trace opened before (kept by the worker; read again if it restarted). */
      readonly op: 'details';
      readonly paths: readonly string[];
      readonly traceId: string;
      readonly maxBytes: number;
    }
  | {
      readonly id: number;
      readonly op: 'open';
      readonly paths: readonly string[];
      readonly traceId: string;
      readonly maxBytes: number;
      /** Display name (workspace-relative) per absolute path, for the waterfall header. */
      readonly labels: Readonly<Record<string, string>>;
    }
  | {
      readonly id: number;
      /** A trace body fetched from a backend: parsed, analysed and kept under `key` (for the details that follow). */
      readonly op: 'parse';
      readonly key: string;
      readonly text: string;
      readonly traceId: string;
      /** How OTLP IDs in this body are encoded (Tempo: base64). */
      readonly idEncoding: 'hex' | 'base64' | 'auto';
      /** Where it came from, for the waterfall header ("jaeger-prod (Jaeger)"). */
      readonly source: string;
    }
  | {
      readonly id: number;
      /** The details of the trace kept under `key` by `parse`; undefined when the worker no longer has it. */
      readonly op: 'cachedDetails';
      readonly key: string;
      readonly traceId: string;
    }
  | {
      readonly id: number;
      /** Idle: drop the trace kept for the details that follow an open (the worker itself stays, its code compiled). */
      readonly op: 'release';
    }
  | {
      readonly id: number;
      /** Read two traces and compare them (src/core/traces/compare.ts): `a` is the baseline, `b` the one compared. */
      readonly op: 'compare';
      readonly a: TraceRef;
      readonly b: TraceRef;
      readonly maxBytes: number;
      /** Display name (workspace-relative) per absolute path, for the comparison header. */
      readonly labels: Readonly<Record<string, string>>;
    };

/** A trace to read: its ID and the files that hold it. */
export interface TraceRef {
  readonly traceId: string;
  readonly paths: readonly string[];
}

/** What `compare` returns: the model as JSON (forwarded to the webview untouched), or which side could not be read. */
export interface CompareResult {
  /** JSON of a CompareModel (src/shared/protocol/compare.ts); undefined when either trace could not be read. */
  readonly modelJson: string | undefined;
  readonly rowCount: number;
  /** Sides whose trace the files no longer hold (or could not be read). */
  readonly unreadable: readonly ('a' | 'b')[];
  readonly problems: readonly FileProblem[];
  /** Warnings of both analyses, prefixed `A: ` / `B: `. */
  readonly warnings: readonly string[];
}

/**
 * A waterfall model as it leaves the worker: JSON text (a string crosses threads as one copy; an object graph of 10k
 * spans is cloned node by node), plus what the host needs at once. The rows' details follow on request (`details`).
 */
export interface WireView {
  readonly traceId: string;
  readonly title: string;
  readonly rowCount: number;
  readonly warnings: readonly string[];
  /** JSON of a WireModel (src/shared/protocol/waterfallWire.ts). */
  readonly modelJson: string;
}

export interface OpenResult {
  readonly view: WireView | undefined;
  readonly foundIn: readonly { path: string; format: TraceFormat }[];
  readonly problems: readonly FileProblem[];
}

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly op: 'index'; readonly entry: FileIndexEntry; readonly ms: number }
  | { readonly id: number; readonly ok: true; readonly op: 'open'; readonly result: OpenResult; readonly ms: number }
  /** JSON of SpanDetails[] (one per row), or undefined when the files no longer hold the trace. */
  | { readonly id: number; readonly ok: true; readonly op: 'details'; readonly detailsJson: string | undefined; readonly ms: number }
  | { readonly id: number; readonly ok: true; readonly op: 'parse'; readonly result: ParseResult; readonly ms: number }
  | { readonly id: number; readonly ok: true; readonly op: 'cachedDetails'; readonly detailsJson: string | undefined; readonly ms: number }
  | { readonly id: number; readonly ok: true; readonly op: 'compare'; readonly result: CompareResult; readonly ms: number }
  | { readonly id: number; readonly ok: true; readonly op: 'release'; readonly released: boolean; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** A parsed backend body: the view of the trace, or why there is none (the body held no such trace, or is unreadable). */
export interface ParseResult {
  readonly view: WireView | undefined;
  readonly format: TraceFormat | undefined;
  readonly spanCount: number;
  /** Unreadable body (with position), or a readable body without the trace. */
  readonly problem: string | undefined;
  /** Tempo's PARTIAL status message. */
  readonly partial: string | undefined;
  /** The answer is a valid but empty trace (Jaeger `{"data":[]}`, Tempo `{}`, Zipkin `[]`): not found. */
  readonly empty: boolean;
}
