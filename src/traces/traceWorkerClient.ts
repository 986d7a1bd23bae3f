import type * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import type { FileIndexEntry } from '../core/traces/traceIndex';
import type { CompareResult, OpenResult, ParseResult, TraceRef, WorkerRequest, WorkerResponse } from '../core/traces/workerProtocol';
import { traceWorkerResourceLimits } from '../core/traces/workerProtocol';
import type { Logger } from '../platform/logger';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class CancelledError extends Error {
  constructor() {
    super('Cancelled.');
  }
}

/**
 * Runs trace parsing in a worker thread (dist/traceWorker.js). Cancelling a request terminates the worker (a
 * JSON.parse cannot be interrupted any other way); the next request starts a fresh one. After a minute without
 * requests the worker drops the trace it keeps for span details, so a parsed 50 MB file does not hold memory; it
 * stops after a quarter of an hour. In between it stays, with its code compiled: a trace opened a few minutes after
 * the last one is read about twice as fast at 10k spans as by a fresh worker (`npm run bench`, "first run").
 */
export class TraceWorkerClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void }>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly scriptPath: string,
    private readonly log: Logger,
    /** Idle this long, the worker drops what it keeps. */
    private readonly releaseAfterMs = 60_000,
    /** Idle this long, the worker stops. */
    private readonly stopAfterMs = 15 * 60_000,
  ) {}

  /** Whether a worker thread is running (tests). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  index(path: string, maxBytes: number, token?: vscode.CancellationToken): Promise<FileIndexEntry> {
    return this.request({ op: 'index', path, maxBytes }, token).then((r) => {
      if (r.ok && r.op === 'index') return r.entry;
      throw new Error(r.ok ? 'unexpected worker reply' : r.message);
    });
  }

  open(paths: readonly string[], traceId: string, maxBytes: number, labels: Record<string, string>, token?: vscode.CancellationToken): Promise<OpenResult> {
    return this.request({ op: 'open', paths, traceId, maxBytes, labels }, token).then((r) => {
      if (r.ok && r.op === 'open') {
        this.log.info(`Read trace ${traceId} from ${paths.length} file(s) in ${r.ms.toFixed(0)} ms`);
        return r.result;
      }
      throw new Error(r.ok ? 'unexpected worker reply' : r.message);
    });
  }

  /** JSON of the span details of a trace `open` returned (undefined if the files no longer hold it). */
  details(paths: readonly string[], traceId: string, maxBytes: number): Promise<string | undefined> {
    return this.request({ op: 'details', paths, traceId, maxBytes }).then((r) => {
      if (r.ok && r.op === 'details') return r.detailsJson;
      throw new Error(r.ok ? 'unexpected worker reply' : r.message);
    });
  }

  /** Parses a trace body fetched from a backend; the worker keeps its analysis under `key` for `cachedDetails`. */
  parse(key: string, text: string, traceId: string, idEncoding: 'hex' | 'base64' | 'auto', source: string, token?: vscode.CancellationToken): Promise<ParseResult> {
    return this.request({ op: 'parse', key, text, traceId, idEncoding, source }, token).then((r) => {
      if (r.ok && r.op === 'parse') {
        this.log.info(`Parsed trace ${traceId} from ${source} (${r.result.spanCount} spans) in ${r.ms.toFixed(0)} ms`);
        return r.result;
      }
      throw new Error(r.ok ? 'unexpected worker reply' : r.message);
    });
  }

  /** JSON of the span details of the trace `parse` kept under `key`; undefined when the worker no longer has it. */
  cachedDetails(key: string, traceId: string): Promise<string | undefined> {
    return this.request({ op: 'cachedDetails', key, traceId }).then((r) => {
      if (r.ok && r.op === 'cachedDetails') return r.detailsJson;
      throw new Error(r.ok ? 'unexpected worker reply' : r.message);
    });
  }

  /** Reads traces `a` and `b` and compares them (a is the baseline) in the worker: the model as JSON. */
  compare(a: TraceRef, b: TraceRef, maxBytes: number, labels: Record<string, string>, token?: vscode.CancellationToken): Promise<CompareResult> {
    return this.request({ op: 'compare', a, b, maxBytes, labels }, token).then((r) => {
      if (r.ok && r.op === 'compare') {
        this.log.info(`Compared traces ${a.traceId} and ${b.traceId} (${r.result.rowCount} nodes) in ${r.ms.toFixed(0)} ms`);
        return r.result;
      }
      throw new Error(r.ok ? 'unexpected worker reply' : r.message);
    });
  }

  private request(body: DistributiveOmit<WorkerRequest, 'id'>, token?: vscode.CancellationToken): Promise<WorkerResponse> {
    if (token?.isCancellationRequested) return Promise.reject(new CancelledError());
    const id = this.nextId++;
    const worker = this.ensureWorker();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    return new Promise<WorkerResponse>((resolve, reject) => {
      const sub = token?.onCancellationRequested(() => {
        this.log.info(`Cancelled ${body.op} request; stopping the trace worker`);
        this.restart(new CancelledError());
      });
      this.pending.set(id, {
        resolve: (r) => {
          sub?.dispose();
          resolve(r);
        },
        reject: (e) => {
          sub?.dispose();
          reject(e);
        },
      });
      worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.scriptPath, { resourceLimits: traceWorkerResourceLimits });
    worker.on('message', (res: WorkerResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return; // the answer to a release, or to a request failed since
      this.pending.delete(res.id);
      p.resolve(res);
      if (this.pending.size === 0) this.scheduleIdle();
    });
    worker.on('error', (e) => {
      this.log.error('Trace worker failed', e);
      this.restart(e instanceof Error ? e : new Error(String(e)));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.pending.size > 0) this.failAll(new Error(`The trace worker stopped (exit code ${code}); the file may be too large for memory.`));
    });
    this.worker = worker;
    return worker;
  }

  /** Idle: first the worker drops what it keeps, later it stops. A request in between cancels both. */
  private scheduleIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const worker = this.worker;
      if (this.pending.size > 0 || !worker) return;
      worker.postMessage({ id: this.nextId++, op: 'release' } satisfies WorkerRequest);
      this.log.info('Trace worker idle: it drops the trace it kept for span details');
      this.idleTimer = setTimeout(
        () => {
          if (this.pending.size > 0) return;
          this.log.info('Trace worker idle: stopped');
          this.restart(new Error('idle'));
        },
        Math.max(0, this.stopAfterMs - this.releaseAfterMs),
      );
    }, this.releaseAfterMs);
  }

  private restart(reason: Error): void {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(reason);
    void w?.terminate();
  }

  private failAll(reason: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(reason);
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.restart(new CancelledError());
  }
}
