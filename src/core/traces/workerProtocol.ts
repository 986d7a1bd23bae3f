/** Messages between the extension host and the trace worker thread (src/core/traces/traceWorker.ts). */
import type { TraceFormat } from './model';
import type { FileProblem } from './traceFiles';
import type { FileIndexEntry } from './traceIndex';

export type WorkerRequest =
  | { readonly id: number; readonly op: 'index'; readonly path: string; readonly maxBytes: number }
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
 * A waterfall view as it leaves the worker: the model and the per-row details as JSON text (a string crosses
 * threads as one copy; an object graph of 10k spans is cloned node by node), plus what the host needs at once.
 */
export interface WireView {
  readonly traceId: string;
  readonly title: string;
  readonly rowCount: number;
  readonly warnings: readonly string[];
  /** JSON of a WaterfallModel. */
  readonly modelJson: string;
  /** JSON of SpanDetails[], one per row. */
  readonly detailsJson: string;
}

export interface OpenResult {
  readonly view: WireView | undefined;
  readonly foundIn: readonly { path: string; format: TraceFormat }[];
  readonly problems: readonly FileProblem[];
}

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly op: 'index'; readonly entry: FileIndexEntry; readonly ms: number }
  | { readonly id: number; readonly ok: true; readonly op: 'open'; readonly result: OpenResult; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly message: string };
