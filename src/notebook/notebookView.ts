import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { writeFileAtomic } from '../core/notebook/atomicFile';
import { FAILURE_SHAPES } from '../core/notebook/shapes';
import { toUtc } from '../core/notebook/model';
import type { EvidenceLink, Incident } from '../core/notebook/model';
import type { NotebookHostToWebview, NotebookWebviewToHost } from '../shared/protocol/notebook';
import { parseNotebookWebviewMessage } from '../shared/protocol/notebook';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { webviewHtml, webviewOptions } from '../platform/webviewHtml';
import type { IncidentService } from './incidentService';
import { NotebookCommands } from './notebookCommands';

/** What the page reported after painting (tests wait on it). */
export interface NotebookRender {
  readonly revision: number;
  readonly incident?: string;
}

/** The link an entry of the incident carries, found by the entry's ID (the page names entries only by ID). */
export function linkOfEntry(incident: Incident, id: string, depth = 0): EvidenceLink | undefined {
  for (const o of incident.observations) if (o.id === id) return o.link;
  for (const h of incident.hypotheses) for (const e of h.evidence) if (e.id === id) return e.link;
  for (const a of incident.actions) if (a.id === id) return a.link;
  for (const t of incident.timeline) {
    // An entry about an observation, a piece of evidence or an action opens what that one links to.
    if (t.id === id) return t.link ?? (t.ref !== undefined && depth < 2 ? linkOfEntry(incident, t.ref, depth + 1) : undefined);
  }
  return undefined;
}

/**
 * The hypothesis notebook: a webview view in the panel area (movable like any view). The page is a view of the
 * active incident: it asks for edits as ops; the host applies them to the file ({@link IncidentService}) and sends
 * the new state. The page is destroyed when hidden; its drafts live in its own webview state.
 */
export class NotebookViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'oncall.notebook';
  private readonly store = new DisposableStore();
  private view: vscode.WebviewView | undefined;
  private viewStore: DisposableStore | undefined;
  private ready = false;
  private readonly renderEmitter = new vscode.EventEmitter<NotebookRender>();
  /** Fires when the page has painted a state. */
  readonly onDidRender = this.renderEmitter.event;
  lastRender: NotebookRender | undefined;
  private pendingFocus: 'observation' | 'hypothesis' | 'action' | 'note' | undefined;
  /** The page's state as last sent (drafts …); written to `stateFile` so a window reload cannot lose it. */
  private viewState: Record<string, unknown> | undefined;
  private viewStateRead = false;
  private sendViewState = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly incidents: IncidentService,
    private readonly openLink: (link: EvidenceLink) => Promise<void>,
    private readonly log: Logger,
    /** Where the page's state is kept between sessions (workspace storage); not kept when undefined. */
    private readonly stateFile: string | undefined,
  ) {
    this.store.add(this.renderEmitter);
    this.store.add(incidents.onDidChange(() => void this.sendState()));
    this.store.add({ dispose: () => this.viewStore?.dispose() });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewStore?.dispose();
    const store = (this.viewStore = new DisposableStore());
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'notebook', 'Incident Notebook');
    store.add(view.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    store.add(
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
        }
        store.dispose();
      }),
    );
  }

  /** Shows the panel (and, with `form`, opens that form in it). */
  async reveal(form?: 'observation' | 'hypothesis' | 'action' | 'note'): Promise<void> {
    this.pendingFocus = form;
    await vscode.commands.executeCommand(`${NotebookViewProvider.viewId}.focus`);
    if (this.ready && form) {
      this.pendingFocus = undefined;
      await this.post({ type: 'focus', form });
    }
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseNotebookWebviewMessage(raw);
    if (!msg) {
      this.log.warn('Notebook view: ignored a malformed message');
      return;
    }
    await this.handle(msg);
  }

  private async handle(msg: NotebookWebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.sendViewState = true;
        await this.sendState();
        if (this.pendingFocus) {
          await this.post({ type: 'focus', form: this.pendingFocus });
          this.pendingFocus = undefined;
        }
        return;
      case 'rendered':
        this.lastRender = { revision: msg.revision, incident: msg.incident };
        this.renderEmitter.fire(this.lastRender);
        return;
      case 'op': {
        const r = await this.incidents.apply(msg.op);
        await this.post(r.ok ? { type: 'applied', requestId: msg.requestId, ok: true, id: r.id } : { type: 'applied', requestId: msg.requestId, ok: false, error: r.error });
        return;
      }
      case 'openEntry': {
        const incident = await this.incidents.current();
        const link = incident ? linkOfEntry(incident, msg.id) : undefined;
        if (link) await this.openLink(link);
        return;
      }
      case 'command':
        await vscode.commands.executeCommand(NotebookCommands[msg.command]);
        return;
      case 'viewState': {
        // An older copy (a page that came back without its state and has not seen ours yet) never replaces a newer one.
        const kept = await this.savedViewState();
        const at = (v: Record<string, unknown> | undefined): number => (typeof v?.['savedAt'] === 'number' ? v['savedAt'] : 0);
        if (kept && at(msg.state) < at(kept)) return;
        this.viewState = msg.state;
        // Written at once (the page already sends at most one per 250 ms): a window reload restarts this process.
        this.flushViewState();
        return;
      }
      case 'switch':
        try {
          await this.incidents.open(msg.id);
        } catch (e) {
          void vscode.window.showErrorMessage(`Could not open ${msg.id}: ${e instanceof Error ? e.message : String(e)}`);
        }
        return;
    }
  }

  private async sendState(): Promise<void> {
    if (!this.view || !this.ready) return;
    const withViewState = this.sendViewState;
    this.sendViewState = false;
    const viewState = withViewState ? await this.savedViewState() : undefined;
    const [incident, others] = await Promise.all([this.incidents.current(), this.incidents.list()]);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const file = this.incidents.file;
    const conflict = this.incidents.conflict;
    await this.post({
      type: 'state',
      incident,
      file: file && root ? path.relative(root, file).split(path.sep).join('/') : undefined,
      revision: this.incidents.revision,
      now: toUtc(new Date()),
      shapes: FAILURE_SHAPES,
      others: others.filter((o) => o.id !== incident?.id),
      conflict: conflict ? { fields: conflict.conflicts.map((c) => c.path) } : undefined,
      ...(viewState ? { viewState } : {}),
    });
    // After the state it concerns: the page clears the banner when a newer state arrives.
    const saveError = this.incidents.saveError;
    if (saveError) await this.post({ type: 'saveError', message: saveError });
  }

  private async savedViewState(): Promise<Record<string, unknown> | undefined> {
    if (!this.viewStateRead && this.stateFile) {
      this.viewStateRead = true;
      try {
        const v: unknown = JSON.parse(await fsp.readFile(this.stateFile, 'utf8'));
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) this.viewState = v as Record<string, unknown>;
      } catch {
        // none yet, or unreadable: the page starts fresh
      }
    }
    return this.viewState;
  }

  /** Writes the page's state, one write at a time (the last one wins). */
  private flushViewState(): void {
    const file = this.stateFile;
    const state = this.viewState;
    if (!file || !state) return;
    this.writing = this.writing.then(() => writeFileAtomic(file, JSON.stringify(state))).catch((e: unknown) => this.log.warn(`Could not keep the notebook's drafts: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async post(msg: NotebookHostToWebview): Promise<void> {
    if (!this.view) return;
    await this.view.webview.postMessage(msg);
  }

  dispose(): void {
    this.store.dispose();
  }
}
