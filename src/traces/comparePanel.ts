import * as vscode from 'vscode';
import type { CompareHostToWebview, CompareModel, CompareWebviewToHost } from '../shared/protocol/compare';
import { PanelTypes } from '../commands';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { webviewHtml, webviewOptions } from '../platform/webviewHtml';
import { parseCompareMessage } from './compareMessages';

/** What the webview reported after painting a comparison. */
export interface CompareRender {
  readonly traceA: string;
  readonly traceB: string;
  readonly rowCount: number;
  readonly domRows: number;
}

/**
 * One webview panel per pair of traces. Like the waterfall, the page holds no data: it posts `ready`, then the host
 * sends the comparison (JSON made in the worker, forwarded untouched). The webview is untrusted: its messages are
 * validated, and it can only report what it shows.
 */
export class ComparePanel implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private ready = false;
  private queue: CompareHostToWebview[] = [];
  private json: string | undefined;
  private parsed: CompareModel | undefined;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly renderEmitter = new vscode.EventEmitter<CompareRender>();
  /** Fires when the webview has painted a comparison (tests wait on it). */
  readonly onDidRender = this.renderEmitter.event;
  /** The last `rendered` report of the webview. */
  lastRender: CompareRender | undefined;
  /** The row the user last selected. */
  selectedRow = -1;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'trace.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'compare', panel.title);
    this.store.add(panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)));
    this.store.add(
      panel.onDidDispose(() => {
        this.disposeEmitter.fire();
        this.dispose();
      }),
    );
  }

  /** The comparison shown (parsed on first use: the host itself never needs it). */
  get model(): CompareModel | undefined {
    if (!this.parsed && this.json) this.parsed = JSON.parse(this.json) as CompareModel;
    return this.parsed;
  }

  show(modelJson: string, traceA: string, traceB: string): void {
    this.json = modelJson;
    this.parsed = undefined;
    this.selectedRow = -1;
    this.panel.title = compareTitle(traceA, traceB);
    this.post({ type: 'compare/show', modelJson });
  }

  showLoading(message: string): void {
    this.post({ type: 'compare/loading', message });
  }

  showError(message: string): void {
    this.post({ type: 'compare/error', message });
  }

  private post(msg: CompareHostToWebview): void {
    if (!this.ready) {
      // Only the latest comparison matters; keep the queue from growing if the page never loads.
      this.queue = msg.type === 'compare/show' ? [msg] : [...this.queue.slice(-4), msg];
      return;
    }
    void this.panel.webview.postMessage(msg);
  }

  private onMessage(raw: unknown): void {
    const msg = parseCompareMessage(raw);
    if (!msg) {
      this.log.warn(`Ignored a malformed message from the comparison webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    this.handle(msg);
  }

  private handle(msg: CompareWebviewToHost): void {
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
        this.lastRender = { traceA: msg.traceA, traceB: msg.traceB, rowCount: msg.rowCount, domRows: msg.domRows };
        this.log.info(`Comparison of ${msg.traceA} with ${msg.traceB} painted: ${msg.rowCount} rows, ${msg.domRows} in the DOM`);
        this.renderEmitter.fire(this.lastRender);
        return;
    }
  }

  dispose(): void {
    this.store.dispose();
    this.disposeEmitter.dispose();
    this.renderEmitter.dispose();
  }
}

export function compareTitle(traceA: string, traceB: string): string {
  return `Compare ${traceA.slice(0, 8)} ↔ ${traceB.slice(0, 8)}`;
}

/** Opens and reuses comparison panels, one per (A, B) pair. */
export class ComparePanels implements vscode.Disposable {
  private readonly panels = new Map<string, ComparePanel>();
  private readonly shownEmitter = new vscode.EventEmitter<ComparePanel>();
  /** Fires after a comparison was handed to a panel (tests wait on it). */
  readonly onDidShow = this.shownEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {}

  /** Opens (or reveals) the panel of a pair before the comparison is ready, showing `loading`. */
  prepare(traceA: string, traceB: string, loading: string): { panel: ComparePanel; created: boolean } {
    const key = `${traceA}:${traceB}`;
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal(undefined, false);
      return { panel: existing, created: false };
    }
    const panel = vscode.window.createWebviewPanel(PanelTypes.compare, compareTitle(traceA, traceB), vscode.ViewColumn.Active, {
      ...webviewOptions(this.extensionUri),
      enableFindWidget: true,
    });
    const p = new ComparePanel(panel, this.extensionUri, this.log);
    this.panels.set(key, p);
    p.onDidDispose(() => {
      if (this.panels.get(key) === p) this.panels.delete(key);
    });
    p.showLoading(loading);
    return { panel: p, created: true };
  }

  show(traceA: string, traceB: string, modelJson: string): ComparePanel {
    const p = this.panels.get(`${traceA}:${traceB}`) ?? this.prepare(traceA, traceB, '').panel;
    p.panel.reveal(undefined, false);
    p.show(modelJson, traceA, traceB);
    this.shownEmitter.fire(p);
    return p;
  }

  get(traceA: string, traceB: string): ComparePanel | undefined {
    return this.panels.get(`${traceA}:${traceB}`);
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
    this.shownEmitter.dispose();
  }
}
