import * as vscode from 'vscode';
import { allowedCommandLink } from '../core/runbooks/commandLinks';
import { renderRunbook } from '../core/runbooks/render';
import type { RenderedRunbook } from '../core/runbooks/render';
import type { RunbookHostToWebview, RunbookLink, RunbookMeta } from '../shared/protocol/runbook';
import { parseRunbookWebviewMessage } from '../shared/protocol/runbook';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { webviewHtml, webviewOptions } from '../platform/webviewHtml';
import type { ChecklistStore } from './checklists';
import type { CommandRunner, RunOutcome } from './commandRunner';
import type { ActiveIncident } from './incident';
import { RUNBOOK_PANEL } from './runbookCommands';
import type { LoadedRunbook, RunbookLibrary } from './runbookLibrary';

/** What the webview reported after painting (tests wait on it). */
export interface RunbookRender {
  readonly file: string;
  readonly checks: number;
  readonly commands: number;
  readonly links: number;
}

/** Larger runbooks are listed (with a problem) but not rendered: open the Markdown instead. */
const MAX_RENDER_BYTES = 2 * 1024 * 1024;

/** What the panels share. */
export interface RunbookPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly library: RunbookLibrary;
  readonly checks: ChecklistStore;
  readonly incident: ActiveIncident;
  readonly runner: CommandRunner;
  readonly log: Logger;
  /** Opens another runbook (a link between runbooks). */
  readonly openRunbook: (rb: LoadedRunbook) => Promise<unknown>;
  /** Every open panel, to keep ticks in sync between two panels of one runbook. */
  readonly panels: () => Iterable<RunbookPanel>;
}

/**
 * One webview panel per runbook. The host renders the Markdown (src/core/runbooks/render.ts: no raw HTML, no hrefs)
 * and keeps the render result; the untrusted page names links, checklist items and commands only by ID.
 */
export class RunbookPanel implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private ready = false;
  private rendered: RenderedRunbook | undefined;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly renderEmitter = new vscode.EventEmitter<RunbookRender>();
  /** Fires when the webview has painted a runbook. */
  readonly onDidRender = this.renderEmitter.event;
  lastRender: RunbookRender | undefined;
  /** Record start time → command id, to report the exit code to the right block. */
  private readonly running = new Map<string, number>();

  constructor(
    readonly panel: vscode.WebviewPanel,
    public runbook: LoadedRunbook,
    private readonly deps: RunbookPanelDeps,
  ) {
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'runbook.svg');
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, 'runbook', panel.title);
    this.store.add(this.disposeEmitter);
    this.store.add(this.renderEmitter);
    this.store.add(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    this.store.add(panel.onDidDispose(() => this.dispose()));
    this.store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => this.post({ type: 'trust', trusted: true })));
    this.store.add(deps.incident.onDidChange(() => this.postChecks()));
    this.store.add(
      deps.library.onDidChange(() => {
        const next = deps.library.byKey(this.runbook.key);
        if (next) {
          this.runbook = next;
          void this.send();
        }
      }),
    );
    this.store.add(
      deps.runner.onDidRecord((r) => {
        const id = this.running.get(r.startedAt);
        if (id !== undefined && r.endedAt) this.post({ type: 'ran', commandId: id, at: Date.parse(r.endedAt), ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}) });
      }),
    );
  }

  /** The render result the host acts on (tests read commands and links from it). */
  get current(): RenderedRunbook | undefined {
    return this.rendered;
  }

  show(rb: LoadedRunbook): void {
    this.runbook = rb;
    this.panel.title = `Runbook: ${rb.runbook.title}`;
    if (this.ready) void this.send();
  }

  private post(msg: RunbookHostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  private async send(): Promise<void> {
    const rb = this.runbook;
    const r = rb.runbook;
    let body: string;
    const blocking = r.problems.find((p) => p.code === 'binary' || p.code === 'too-large' || p.code === 'read-failed');
    if (blocking) {
      body = `> **This runbook cannot be shown.** ${blocking.message}\n`;
    } else {
      try {
        const bytes = await vscode.workspace.fs.readFile(rb.uri);
        body = bytes.byteLength > MAX_RENDER_BYTES ? `> **This runbook is too large to show** (${(bytes.byteLength / 1048576).toFixed(1)} MB). Open the Markdown instead.\n` : bodyOf(new TextDecoder('utf-8').decode(bytes), r.bodyLine);
      } catch (e) {
        body = `> **Could not read ${rb.displayPath}:** ${e instanceof Error ? e.message : String(e)}\n`;
      }
    }
    const t0 = Date.now();
    const rendered = renderRunbook(body, { file: r.file, bodyLine: r.bodyLine });
    this.rendered = rendered;
    this.deps.log.info(`Rendered runbook ${rb.displayPath} in ${Date.now() - t0} ms (${rendered.checks.length} checks, ${rendered.commands.length} commands, ${rendered.links.length} links)`);
    const incident = this.deps.incident.current;
    const ticked = this.deps.checks.ticked(incident.id, rb.key);
    const meta: RunbookMeta = {
      title: r.title,
      file: rb.displayPath,
      alerts: r.alerts,
      services: rb.services,
      ...(r.owner !== undefined ? { owner: r.owner } : {}),
      ...(r.severity !== undefined ? { severity: r.severity } : {}),
      ...(r.lastReviewed !== undefined ? { lastReviewed: r.lastReviewed } : {}),
      stale: rb.stale,
      problems: r.problems.length,
      origin: rb.origin,
    };
    this.post({
      type: 'show',
      runbook: meta,
      html: rendered.html,
      toc: rendered.toc,
      checks: rendered.checks.map((c) => ({ ...c, checked: ticked.has(c.id) })),
      commands: rendered.commands,
      links: rendered.links,
      trusted: vscode.workspace.isTrusted,
      incident: incident.title,
    });
  }

  postChecks(): void {
    const incident = this.deps.incident.current;
    this.post({ type: 'checks', checked: [...this.deps.checks.ticked(incident.id, this.runbook.key)], incident: incident.title });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseRunbookWebviewMessage(raw);
    if (!msg) {
      this.deps.log.warn('Ignored a malformed message from the runbook view');
      return;
    }
    const incident = this.deps.incident.current.id;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        await this.send();
        return;
      case 'rendered':
        this.lastRender = msg;
        this.renderEmitter.fire(msg);
        return;
      case 'toggleCheck': {
        const check = this.rendered?.checks.find((c) => c.id === msg.checkId);
        if (!check) return;
        await this.deps.checks.tick({ incidentId: incident, runbook: this.runbook, checkId: msg.checkId, checked: msg.checked, text: check.text, line: check.line, at: new Date().toISOString() });
        for (const p of this.deps.panels()) if (p !== this && p.runbook.key === this.runbook.key) p.postChecks();
        return;
      }
      case 'resetChecks':
        await this.deps.checks.reset(incident, this.runbook.key);
        for (const p of this.deps.panels()) if (p.runbook.key === this.runbook.key) p.postChecks();
        return;
      case 'copyCommand': {
        const c = this.rendered?.commands[msg.commandId];
        if (!c) return;
        await vscode.env.clipboard.writeText(c.code);
        vscode.window.setStatusBarMessage('$(copy) Command copied', 2500);
        return;
      }
      case 'runCommand': {
        const c = this.rendered?.commands[msg.commandId];
        if (c) await this.runCommand(msg.commandId);
        return;
      }
      case 'openLink': {
        const link = this.rendered?.links[msg.linkId];
        if (link) await this.openLink(link);
        return;
      }
    }
  }

  /** Runs `commands[id]` of the current render (after trust and confirmation). */
  async runCommand(id: number): Promise<RunOutcome | undefined> {
    const c = this.rendered?.commands[id];
    if (!c) return undefined;
    const cwd = this.runbook.folder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const outcome = await this.deps.runner.run(c.code, { id: this.runbook.key, title: this.runbook.runbook.title }, cwd);
    if (outcome.kind === 'ran') {
      this.running.set(outcome.record.startedAt, id);
      this.post({ type: 'ran', commandId: id, at: Date.parse(outcome.record.startedAt) });
    } else if (outcome.kind === 'untrusted') this.post({ type: 'trust', trusted: false });
    return outcome;
  }

  /** Opens a link of the current render: external through VS Code's opener, runbooks in a panel, code at its line. */
  async openLink(link: RunbookLink): Promise<void> {
    const where = `${this.runbook.displayPath}`;
    if (link.kind === 'anchor') return;
    if (link.kind === 'command') {
      // Checked again here: the ID comes from our own render, but the allowlist is the rule.
      const id = allowedCommandLink(`command:${link.target}`);
      if (id) await vscode.commands.executeCommand(id);
      return;
    }
    if (link.kind === 'external') {
      const uri = vscode.Uri.parse(link.target, true);
      if (!['http', 'https', 'mailto'].includes(uri.scheme)) return;
      await vscode.env.openExternal(uri);
      return;
    }
    if (link.kind === 'runbook') {
      const target = this.findRunbook(link);
      if (target) await this.deps.openRunbook(target);
      else void vscode.window.showWarningMessage(`The runbook ${where} links to "${link.target}", which is not a runbook in this workspace.`);
      return;
    }
    const uri = await this.findCode(link);
    if (!uri) {
      void vscode.window.showWarningMessage(`The runbook ${where} links to "${link.target}", which does not exist in this workspace.`);
      return;
    }
    const line = Math.max(0, (link.line ?? 1) - 1);
    const col = Math.max(0, (link.column ?? 1) - 1);
    const pos = new vscode.Position(line, col);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  private findRunbook(link: RunbookLink): LoadedRunbook | undefined {
    const all = this.deps.library.all().filter((l) => l.folder?.uri.toString() === this.runbook.folder?.uri.toString());
    const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1).replace(/\.md$/i, '').toLowerCase();
    if (link.resolved) {
      const want = link.resolved.replace(/\.md$/i, '').toLowerCase();
      const exact = all.find((l) => l.runbook.file.replace(/\.md$/i, '').toLowerCase() === want || l.runbook.file.replace(/\.md$/i, '').toLowerCase() === `${want}/_index`);
      if (exact) return exact;
    }
    if (link.hugo || !link.resolved) {
      const name = base(link.target);
      return all.find((l) => base(l.runbook.file) === name);
    }
    return undefined;
  }

  private async findCode(link: RunbookLink): Promise<vscode.Uri | undefined> {
    const folder = this.runbook.folder ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const candidates: string[] = [];
    if (link.resolved) candidates.push(link.resolved);
    const asWritten = link.target.replace(/^\.?\//, '');
    if (!asWritten.split('/').includes('..')) candidates.push(asWritten);
    for (const rel of candidates) {
      const uri = vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
      if (!uri.path.startsWith(folder.uri.path)) continue;
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.type & vscode.FileType.File) return uri;
      } catch {
        // try the next reading of the link
      }
    }
    return undefined;
  }

  dispose(): void {
    this.disposeEmitter.fire();
    this.store.dispose();
  }
}

/** The Markdown after the front matter (`bodyLine` is 1-based). */
export function bodyOf(text: string, bodyLine: number): string {
  if (bodyLine <= 1) return text;
  let i = 0;
  for (let n = 1; n < bodyLine && i >= 0; n++) {
    i = text.indexOf('\n', i);
    if (i >= 0) i++;
  }
  return i < 0 ? '' : text.slice(i);
}

/** Creates panels, reuses one per runbook. */
export class RunbookPanels implements vscode.Disposable {
  private readonly open = new Map<string, RunbookPanel>();
  private readonly store = new DisposableStore();

  constructor(private readonly deps: Omit<RunbookPanelDeps, 'panels'>) {}

  get all(): readonly RunbookPanel[] {
    return [...this.open.values()];
  }

  panelOf(key: string): RunbookPanel | undefined {
    return this.open.get(key);
  }

  /** A panel VS Code kept across a window reload: the page saved the runbook's path (`file`) in its state. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const file = typeof state === 'object' && state !== null ? (state as { file?: unknown }).file : undefined;
    await this.deps.library.ensure();
    const rb = typeof file === 'string' ? this.deps.library.all().find((r) => r.displayPath === file) : undefined;
    if (!rb || this.open.has(rb.key)) {
      panel.dispose();
      return;
    }
    const p = new RunbookPanel(panel, rb, { ...this.deps, panels: () => this.open.values() });
    this.open.set(rb.key, p);
    p.show(rb);
    p.onDidDispose(() => this.open.delete(rb.key));
  }

  show(rb: LoadedRunbook): RunbookPanel {
    const existing = this.open.get(rb.key);
    if (existing) {
      existing.show(rb);
      existing.panel.reveal(undefined, false);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RUNBOOK_PANEL, `Runbook: ${rb.runbook.title}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, { retainContextWhenHidden: false });
    const p = new RunbookPanel(panel, rb, { ...this.deps, panels: () => this.open.values() });
    this.open.set(rb.key, p);
    p.show(rb);
    p.onDidDispose(() => this.open.delete(rb.key));
    return p;
  }

  dispose(): void {
    for (const p of this.open.values()) p.panel.dispose();
    this.open.clear();
    this.store.dispose();
  }
}
