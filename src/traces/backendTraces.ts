import * as vscode from 'vscode';
import { redactUrl } from '../core/http/request';
import { shortTraceId } from '../core/traces/ids';
import { fetchTraceBody } from '../core/backends';
import type { BackendConfig } from '../core/backends/types';
import { backendKindLabels } from '../core/backends/types';

import type { Configuration } from '../platform/configuration';
import type { Logger } from '../platform/logger';
import type { BackendCredentials } from './credentials';
import { abortSignalOf, requestOptions } from './httpOptions';
import { LoadedView } from './loadedView';
import type { OpenOutcome } from './openTrace';
import { CancelledError } from './traceWorkerClient';
import type { TraceWorkerClient } from './traceWorkerClient';
import type { WaterfallPanels } from './waterfallPanel';

/** "312 KB", "4.2 MB": a trace body's size for progress and status messages. */
function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** What asking the backends gave when no trace could be shown: where we looked, and whether a backend failed. */
export type BackendOutcome = OpenOutcome | { readonly kind: 'none'; readonly looked: readonly string[]; readonly failed: boolean };

/**
 * Traces from Jaeger, Tempo and Zipkin. The HTTP request runs in the extension host (it is asynchronous, and VS Code's
 * proxy support applies there); the body — up to the size limit — is parsed and analysed in the trace worker, so a
 * large trace never blocks the editor. The worker keeps the analysis for the span details that follow.
 */
export class BackendTraces {
  constructor(
    private readonly worker: TraceWorkerClient,
    private readonly panels: WaterfallPanels,
    private readonly credentials: BackendCredentials,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {}

  /** Asks `backends` in order until one has the trace; shows it, and says which one answered. */
  async open(traceId: string, backends: readonly BackendConfig[]): Promise<BackendOutcome> {
    const looked: string[] = [];
    let failed = false;
    const prepared = this.panels.prepare(traceId, `Asking ${backends.map((b) => b.name).join(', ')}…`);
    const discard = (message: string): void => {
      if (prepared.created) prepared.panel.panel.dispose();
      // A panel that already shows this trace keeps showing it; only an empty or failed one says why.
      else if (prepared.panel.traceId === undefined) prepared.panel.showError(message);
    };
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Trace ${shortTraceId(traceId)}…`, cancellable: true },
        async (progress, token): Promise<BackendOutcome> => {
          const signal = abortSignalOf(token);
          for (const backend of backends) {
            if (token.isCancellationRequested) throw new CancelledError();
            progress.report({ message: `asking ${backend.name} (${redactUrl(backend.url)})…` });
            const got = await this.fetch(backend, traceId, signal, token, (message) => progress.report({ message }));
            if (got.kind === 'cancelled') throw new CancelledError();
            if (got.kind === 'failed') {
              looked.push(got.message);
              if (!got.notFound) {
                failed = true;
                this.log.warn(got.message);
              }
              continue;
            }
            if (got.view.wire.warnings.length > 0) this.log.warn(`Trace ${traceId}: ${got.view.wire.warnings.join(' | ')}`);
            const panel = this.panels.show(got.view);
            const note = `Trace ${shortTraceId(traceId)}… from ${backend.name} (${size(got.bytes)} in ${got.ms} ms)`;
            this.log.info(`${note}: ${got.url}`);
            vscode.window.setStatusBarMessage(`$(pulse) ${note}`, 10_000);
            if (got.partial) {
              void vscode.window.showWarningMessage(`${backend.name} returned only part of trace ${traceId}: ${got.partial}`);
            }
            return { kind: 'opened', panel, view: got.view, source: backend.name, ...(got.partial ? { partial: got.partial } : {}) };
          }
          discard('Not found.');
          return { kind: 'none', looked, failed };
        },
      );
    } catch (e) {
      if (e instanceof CancelledError) {
        this.log.info(`Fetching trace ${traceId} was cancelled`);
        discard('Cancelled.');
        return { kind: 'cancelled', message: 'Cancelled.' };
      }
      const message = `Could not open trace ${traceId}: ${e instanceof Error ? e.message : String(e)}`;
      this.log.error(message);
      discard(message);
      void vscode.window.showErrorMessage(message);
      return { kind: 'unreadable', message };
    }
  }

  /** Re-reads a trace from the backends without notifications (panel restore after a window reload). */
  async reload(traceId: string, backends: readonly BackendConfig[]): Promise<LoadedView | undefined> {
    for (const backend of backends) {
      const got = await this.fetch(backend, traceId, undefined, undefined);
      if (got.kind === 'opened') return got.view;
    }
    return undefined;
  }

  private async fetch(
    backend: BackendConfig,
    traceId: string,
    signal: AbortSignal | undefined,
    token: vscode.CancellationToken | undefined,
    report?: (message: string) => void,
  ): Promise<
    | { kind: 'opened'; view: LoadedView; bytes: number; ms: number; url: string; partial: string | undefined }
    | { kind: 'failed'; message: string; notFound: boolean }
    | { kind: 'cancelled' }
  > {
    const auth = await this.credentials.get(backend.name);
    const onProgress = report ? (received: number, total: number | undefined): void => report(`${backend.name}: ${size(received)}${total ? ` of ${size(total)}` : ''}`) : undefined;
    const options = { ...(await requestOptions(this.config, signal)), ...(auth ? { auth } : {}), ...(onProgress ? { onProgress } : {}) };
    const body = await this.log.timed(`GET trace ${traceId} from ${backend.name}`, () => fetchTraceBody(backend, traceId, options));
    if (!body.ok) {
      if (body.error.kind === 'cancelled') return { kind: 'cancelled' };
      return { kind: 'failed', message: body.error.message, notFound: body.error.kind === 'not-found' };
    }
    report?.(`reading ${size(body.bytes)} from ${backend.name}…`);
    const key = `${backend.name}\n${traceId}`;
    const source = `${backend.name} (${backendKindLabels[backend.kind].replace(/ \(.*$/, '')})`;
    const parsed = await this.worker.parse(key, body.text, traceId, body.idEncoding, source, token);
    if (!parsed.view && parsed.empty) {
      return { kind: 'failed', message: `${backend.name} (${body.url}, searched ${body.searched}): no spans of trace ${traceId}`, notFound: true };
    }
    if (!parsed.view) {
      return { kind: 'failed', message: `${backend.name} answered for trace ${traceId} (${body.url}), but ${parsed.problem ?? 'the answer could not be read'}.`, notFound: false };
    }
    const view = new LoadedView(parsed.view, async () => {
      // The worker keeps the last trace it parsed; if it has moved on (another trace, or it restarted), fetch again.
      const cached = await this.worker.cachedDetails(key, traceId);
      if (cached !== undefined) return cached;
      const again = await fetchTraceBody(backend, traceId, { ...(await requestOptions(this.config)), ...(auth ? { auth } : {}) });
      if (!again.ok) throw new Error(again.error.message);
      await this.worker.parse(key, again.text, traceId, again.idEncoding, source);
      return this.worker.cachedDetails(key, traceId);
    });
    return { kind: 'opened', view, bytes: body.bytes, ms: body.ms, url: body.url, partial: parsed.partial };
  }
}
