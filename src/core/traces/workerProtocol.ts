/** Messages between the extension host and the trace worker thread (src/core/traces/traceWorker.ts). */
import type { TraceFormat } from './model';
import type { FileProblem } from './traceFiles';
import type { FileIndexEntry } from './traceIndex';

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
    };

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
  | { readonly id: number; readonly ok: false; readonly message: string };
