import type * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import type { ErrorFact, FunctionFact } from '../core/wire/facts';
import type { WireMap } from '../core/wire/model';
import type { CallWithTarget, WireDelta, WireRequest, WireResponse } from '../core/wire/workerProtocol';
import type { Logger } from '../platform/logger';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Reply = Exclude<WireResponse, { progress: unknown } | { log: string }>;

/** What an update or removal did to a folder's map: the whole map again, or the records of the files that changed. */
export type WireChange = { readonly map: WireMap; readonly delta?: undefined } | { readonly map?: undefined; readonly delta: WireDelta };

/**
 * Talks to the wire worker (dist/wireWorker.js), which holds the index of every workspace folder. Unlike the
 * trace worker it lives as long as the extension: the index is what it is for. If it dies, the next request
 * starts a new one and the caller re-scans.
 */
export class WireWorkerClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; progress?: ((done: number, total: number) => void) | undefined }>();
  /** Bumped whenever a worker is started, so callers can tell their index is gone. */
  generation = 0;

  constructor(
    private readonly scriptPath: string,
    private readonly log: Logger,
  ) {}

  /** `cache`: the warm-start cache's folder, and whether to read every file all the same (`fresh`). */
  async scan(root: string, exclude: readonly string[], progress?: (done: number, total: number) => void, cache?: { dir: string; fresh: boolean }): Promise<{ map: WireMap; ms: number; cached?: { files: number; problem?: string | undefined } | undefined }> {
    const r = await this.request({ op: 'scan', root, exclude, cacheDir: cache?.dir, fresh: cache?.fresh }, progress);
    if (r.ok && r.op === 'map') return { map: r.map, ms: r.ms, cached: r.cached };
    throw new Error(r.ok ? 'unexpected worker reply' : r.message);
  }

  async update(root: string, file: string, text?: string): Promise<WireChange & { ms: number }> {
    return changeOf(await this.request({ op: 'update', root, file, text }));
  }

  async remove(root: string, file: string): Promise<WireChange & { ms: number }> {
    return changeOf(await this.request({ op: 'remove', root, file }));
  }

  async fileFacts(root: string, file: string, text: string): Promise<{ errors: readonly ErrorFact[]; functions: readonly FunctionFact[] }> {
    const r = await this.request({ op: 'fileFacts', root, file, text });
    if (r.ok && r.op === 'fileFacts') return { errors: r.errors, functions: r.functions };
    throw new Error(r.ok ? 'unexpected worker reply' : r.message);
  }

  async calls(root: string, file: string, text: string, line: number): Promise<{ function?: string | undefined; line?: number | undefined; calls: readonly CallWithTarget[] }> {
    const r = await this.request({ op: 'calls', root, file, text, line });
    if (r.ok && r.op === 'calls') return r;
    throw new Error(r.ok ? 'unexpected worker reply' : r.message);
  }

  private request(body: DistributiveOmit<WireRequest, 'id'>, progress?: (done: number, total: number) => void): Promise<Reply> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      worker.postMessage({ ...body, id } as WireRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.scriptPath);
    this.generation++;
    worker.on('message', (res: WireResponse) => {
      if ('log' in res) {
        if (res.level === 'warn') this.log.warn(res.log);
        else this.log.info(res.log);
        return;
      }
      const p = this.pending.get(res.id);
      if ('progress' in res) {
        p?.progress?.(res.progress.done, res.progress.total);
        return;
      }
      this.pending.delete(res.id);
      p?.resolve(res);
    });
    worker.on('error', (e) => {
      this.log.error('Wire worker failed', e);
      this.stop(e instanceof Error ? e : new Error(String(e)));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new Error(`The wire worker stopped (exit code ${code}).`));
    });
    this.worker = worker;
    return worker;
  }

  private stop(reason: Error): void {
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
    this.stop(new Error('On-Call Lens is shutting down.'));
  }
}

function changeOf(r: Reply): WireChange & { ms: number } {
  if (r.ok && r.op === 'map') return { map: r.map, ms: r.ms };
  if (r.ok && r.op === 'delta') return { delta: r.delta, ms: r.ms };
  throw new Error(r.ok ? 'unexpected worker reply' : r.message);
}
