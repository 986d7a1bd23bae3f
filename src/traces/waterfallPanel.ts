import * as vscode from 'vscode';
import { shortTraceId } from '../core/traces/ids';
import type { HostToWebview, NotebookTrace, SpanDetails, WaterfallViewState, WebviewToHost } from '../shared/protocol/waterfall';
import type { LoadedView } from './loadedView';
import { SearchIndex } from '../core/traces/search';
import { notebookSpan, notebookTrace, spanAsJson } from '../core/traces/spanExport';
import { traceStats } from '../core/traces/stats';
import { PanelTypes } from '../commands';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { webviewHtml, webviewOptions } from '../platform/webviewHtml';
import type { CodeNavigator } from './codeNavigator';
import { codeTargetOf } from './codeNavigator';
import { parseWebviewMessage } from './waterfallMessages';

/**
 * One webview panel per trace. The page holds no data: it posts `ready`, and only then does the host send the
 * model (messages before that are queued). The webview is untrusted: its messages are validated and refer to
 * rows/frames by index into the model the host keeps, so it cannot name a file to open.
 */
export class WaterfallPanel implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private ready = false;
  private queue: HostToWebview[] = [];
  private view: LoadedView | undefined;
  /** The rows' search index, built on the first filter of a trace. */
  private search: SearchIndex | undefined;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly renderEmitter = new vscode.EventEmitter<{ traceId: string; rowCount: number; domRows: number; renderMs?: number }>();
  /** Fires when the webview has painted a model (tests and the benchmark wait on it). */
  readonly onDidRender = this.renderEmitter.event;
  /** The last `rendered` report of the webview. */
  lastRender: { traceId: string; rowCount: number; domRows: number; renderMs?: number } | undefined;
  /** The row the user last selected (for tests and for restoring). */
  selectedRow = -1;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly navigator: CodeNavigator,
    private readonly log: Logger,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'trace.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'waterfall', panel.title);
    this.store.add(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    this.store.add(
      panel.onDidDispose(() => {
        this.disposeEmitter.fire();
        this.dispose();
      }),
    );
  }

  get traceId(): string | undefined {
    return this.view?.traceId;
  }

  show(view: LoadedView, selectRow?: number): void {
    this.view = view;
    this.search = undefined;
    this.panel.title = `Trace ${shortTraceId(view.traceId)} · ${view.wire.title}`;
    this.post({ type: 'trace/show', modelJson: view.wire.modelJson, ...(selectRow !== undefined ? { selectRow } : {}) });
  }

  showError(message: string): void {
    this.post({ type: 'trace/error', message });
  }

  showLoading(message: string): void {
    this.post({ type: 'trace/loading', message });
  }

  private post(msg: HostToWebview): void {
    if (!this.ready) {
      // Only the latest model matters; keep the queue from growing if the page never loads.
      this.queue = msg.type === 'trace/show' ? [msg] : [...this.queue.slice(-4), msg];
      return;
    }
    void this.panel.webview.postMessage(msg);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.log.warn(`Ignored a malformed message from the waterfall webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    await this.handle(msg);
  }

  private async handle(msg: WebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.queue;
        this.queue = [];
        for (const m of queued) void this.panel.webview.postMessage(m);
        return;
      }
      case 'row/selected':
        this.selectedRow = msg.row;
        return;
      case 'rendered':
        this.lastRender = { traceId: msg.traceId, rowCount: msg.rowCount, domRows: msg.domRows, ...(msg.renderMs !== undefined ? { renderMs: msg.renderMs } : {}) };
        this.log.info(`Waterfall of trace ${msg.traceId} painted: ${msg.rowCount} rows, ${msg.domRows} in the DOM, ${msg.renderMs ?? '?'} ms in the webview`);
        this.renderEmitter.fire(this.lastRender);
        // Once the waterfall is on screen (not before: it would compete with painting), fetch the span details so
        // the first click on a span finds them.
        if (this.view?.traceId === msg.traceId) void this.detailsOf(this.view);
        return;
      case 'span/details': {
        const view = this.view;
        const details = (await this.detailsOf(view))?.[msg.row];
        if (!view || !details || view !== this.view) return;
        void this.panel.webview.postMessage({ type: 'span/details', traceId: view.traceId, row: msg.row, details } satisfies HostToWebview);
        return;
      }
      case 'filter': {
        const view = this.view;
        const details = await this.detailsOf(view);
        if (!view || !details || view !== this.view) return;
        this.search ??= new SearchIndex(view.model.rows, details);
        const { matches, highlight, problems } = this.search.search(msg.query);
        void this.panel.webview.postMessage({ type: 'filter/result', traceId: view.traceId, query: msg.query, matches, highlight, ...(problems.length ? { problems } : {}) } satisfies HostToWebview);
        return;
      }
      case 'stats': {
        const view = this.view;
        if (!view) return;
        const stats = traceStats(view.model.rows, view.model.durationUs);
        void this.panel.webview.postMessage({ type: 'stats/result', traceId: view.traceId, stats } satisfies HostToWebview);
        return;
      }
      case 'trace/copyId': {
        const view = this.view;
        if (!view) return;
        if (await this.copy(view.traceId, 'the trace ID')) vscode.window.setStatusBarMessage(`Copied trace ID ${view.traceId}`, 4000);
        return;
      }
      case 'span/copyJson': {
        const view = this.view;
        const details = await this.detailsOf(view);
        if (!view || view !== this.view) return;
        const json = spanAsJson(view.model, msg.row, details?.[msg.row]);
        if (!json) return;
        if (await this.copy(JSON.stringify(json, null, 2), 'the span')) vscode.window.setStatusBarMessage(`Copied span "${view.model.rows[msg.row]?.name ?? ''}" as JSON`, 4000);
        return;
      }
      case 'span/addToNotebook':
        return this.addToNotebook(msg.row);
      case 'span/openCode': {
        const row = this.view?.model.rows[msg.row];
        const details = (await this.detailsOf(this.view))?.[msg.row];
        if (!row) return;
        if (details?.code) await this.navigator.open(codeTargetOf(details.code, row.name));
        else if (details?.route) await this.navigator.openRoute(details.route, row.name);
        else void vscode.window.showInformationMessage(`Span "${row.name}" has no code.* attributes and names no route, so it points at no source location.`);
        return;
      }
      case 'frame/open': {
        const row = this.view?.model.rows[msg.row];
        const frame = (await this.detailsOf(this.view))?.[msg.row]?.events[msg.event]?.exception?.stack[msg.frame]?.frame;
        if (!row || !frame) return;
        await this.navigator.open({ path: frame.path, line: frame.line, column: frame.column, context: `a stack frame of span "${row.name}"` });
        return;
      }
      default:
        assertNever(msg);
    }
  }

  /** The shown trace, summarized for the notebook; undefined while loading. */
  notebookTrace(): NotebookTrace | undefined {
    return this.view ? notebookTrace(this.view.model) : undefined;
  }

  /**
   * Hands the span to the incident notebook (`oncall.notebook.addSpan`), which asks for an incident when none is
   * active and, while hypotheses are under test, whether the span is an observation or evidence.
   */
  private async addToNotebook(row: number): Promise<void> {
    const view = this.view;
    const span = view ? notebookSpan(view.model, row) : undefined;
    if (span) await vscode.commands.executeCommand(NOTEBOOK_ADD_SPAN, span);
  }

  /** Writes the clipboard; a failure is logged and (unless `quiet`) told. */
  private async copy(text: string, what: string, tell = true): Promise<boolean> {
    try {
      await vscode.env.clipboard.writeText(text);
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.warn(`Copying ${what} to the clipboard failed: ${message}`);
      if (tell) void vscode.window.showWarningMessage(`Could not copy ${what} to the clipboard: ${message}`);
      return false;
    }
  }

  /** The view's span details; a failure is told to the webview (its detail pane says why) and to the log. */
  private async detailsOf(view: LoadedView | undefined): Promise<readonly SpanDetails[] | undefined> {
    if (!view) return undefined;
    try {
      return await view.details();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.warn(`Span details of trace ${view.traceId}: ${message}`);
      void this.panel.webview.postMessage({ type: 'span/detailsFailed', traceId: view.traceId, message } satisfies HostToWebview);
      return undefined;
    }
  }

  dispose(): void {
    this.store.dispose();
    this.disposeEmitter.dispose();
    this.renderEmitter.dispose();
  }
}

/** The notebook's command that takes a {@link NotebookSpan} (registered by src/notebook/). */
export const NOTEBOOK_ADD_SPAN = 'oncall.notebook.addSpan';

function assertNever(x: never): never {
  throw new Error(`Unhandled message ${JSON.stringify(x)}`);
}

/** Opens, reuses and restores waterfall panels. */
export class WaterfallPanels implements vscode.Disposable {
  private readonly panels = new Map<string, WaterfallPanel>();
  private readonly store = new DisposableStore();
  private readonly shownEmitter = new vscode.EventEmitter<WaterfallPanel>();
  /** Fires after a model was handed to a panel (tests wait on it). */
  readonly onDidShow = this.shownEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly navigator: CodeNavigator,
    private readonly log: Logger,
    /** Re-reads a trace for a panel VS Code restores after a reload. */
    private readonly reload: (traceId: string) => Promise<LoadedView | undefined>,
  ) {
    this.store.add(this.shownEmitter);
    this.store.add(
      vscode.window.registerWebviewPanelSerializer(PanelTypes.waterfall, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const traceId = isViewState(state) ? state.traceId : undefined;
          const p = this.adopt(panel, traceId);
          if (!traceId) {
            p.showError('This trace view was saved without its trace ID; open the trace again with "On-Call: Open Trace by ID…".');
            return;
          }
          const view = await this.reload(traceId).catch(() => undefined);
          if (view) p.show(view, state && isViewState(state) ? state.selectedRow : undefined);
          else p.showError(`Trace ${traceId} could not be read again: it is no longer in the workspace's trace files, and no configured backend has it.`);
        },
      }),
    );
  }

  /**
   * Opens (or reveals) the panel of a trace before its model is read, showing `loading`: the webview boots while
   * the worker reads the file, instead of after. Returns whether the panel was created by this call.
   */
  prepare(traceId: string, loading: string): { panel: WaterfallPanel; created: boolean } {
    const existing = this.panels.get(traceId);
    if (existing) {
      existing.panel.reveal(undefined, false);
      return { panel: existing, created: false };
    }
    const panel = vscode.window.createWebviewPanel(PanelTypes.waterfall, `Trace ${shortTraceId(traceId)}`, vscode.ViewColumn.Active, {
      ...webviewOptions(this.extensionUri),
      enableFindWidget: true,
    });
    const p = this.adopt(panel, traceId);
    p.showLoading(loading);
    return { panel: p, created: true };
  }

  show(view: LoadedView): WaterfallPanel {
    const p = this.panels.get(view.traceId) ?? this.prepare(view.traceId, '').panel;
    p.panel.reveal(undefined, false);
    p.show(view);
    this.shownEmitter.fire(p);
    return p;
  }

  get(traceId: string): WaterfallPanel | undefined {
    return this.panels.get(traceId);
  }

  /** The trace of the active waterfall panel, summarized for the notebook ("Add Trace to Notebook" in its title bar). */
  activeTrace(): NotebookTrace | undefined {
    for (const p of this.panels.values()) if (p.panel.active) return p.notebookTrace();
    return undefined;
  }

  private adopt(panel: vscode.WebviewPanel, traceId: string | undefined): WaterfallPanel {
    const p = new WaterfallPanel(panel, this.extensionUri, this.navigator, this.log);
    if (traceId) this.panels.set(traceId, p);
    p.onDidDispose(() => {
      if (traceId && this.panels.get(traceId) === p) this.panels.delete(traceId);
    });
    return p;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
    this.store.dispose();
  }
}

function isViewState(s: unknown): s is WaterfallViewState {
  return typeof s === 'object' && s !== null && typeof (s as { traceId?: unknown }).traceId === 'string' && /^[0-9a-f]{32}$/.test((s as { traceId: string }).traceId);
}
