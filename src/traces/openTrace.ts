import * as vscode from 'vscode';
import { redactUrl } from '../core/http/request';
import { parseTraceIdInput, shortTraceId } from '../core/traces/ids';
import { mb } from '../core/traces/traceFiles';
import { Commands } from '../commands';
import { noIcons } from '../core/util/text';
import type { BackendTraces } from './backendTraces';
import { LoadedView } from './loadedView';
import type { WireView } from '../core/traces/workerProtocol';
import type { Configuration } from '../platform/configuration';
import type { Logger } from '../platform/logger';
import { CancelledError } from './traceWorkerClient';
import type { TraceWorkerClient } from './traceWorkerClient';
import type { WaterfallPanels, WaterfallPanel } from './waterfallPanel';
import type { WorkspaceTraces } from './workspaceTraces';

/** `open(…, {source})`: only the workspace's trace files. */
export const filesSource = 'files';

export type OpenOutcome =
  | { readonly kind: 'opened'; readonly panel: WaterfallPanel; readonly view: LoadedView; readonly source?: string; readonly partial?: string }
  | { readonly kind: 'invalid' | 'not-found' | 'unreadable' | 'cancelled'; readonly message: string };

/** "Open Trace by ID": understand the input, find the files that hold the trace, read them in the worker, show the waterfall. */
export class TraceOpener {
  constructor(
    private readonly traces: WorkspaceTraces,
    private readonly worker: TraceWorkerClient,
    private readonly panels: WaterfallPanels,
    private readonly backends: BackendTraces,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {}

  /** Asks for the ID (pre-filled from the clipboard when it holds one), then opens it. */
  async prompt(): Promise<OpenOutcome | undefined> {
    void this.traces.ensureIndexed();
    // In a browser (code-server, vscode.dev) reading the clipboard asks for a permission and shows an error toast when
    // refused: pre-fill from the clipboard on desktop only, and never wait long for it.
    const clip =
      vscode.env.uiKind === vscode.UIKind.Desktop
        ? await Promise.race([vscode.env.clipboard.readText().then((t) => t.trim(), () => ''), new Promise<string>((r) => setTimeout(() => r(''), 300))])
        : '';
    const fromClipboard = clip.length > 0 && clip.length < 4096 && parseTraceIdInput(clip).ok ? clip : '';
    let value = fromClipboard;
    for (;;) {
      const answer = await this.askId(value);
      if (answer.kind === 'cancel') return undefined;
      if (answer.kind === 'chooseSource') {
        value = answer.value;
        await this.chooseSource();
        continue;
      }
      if (answer.value.trim() === '') return undefined;
      return this.open(answer.value, this.source !== undefined ? { source: this.source } : {});
    }
  }

  /** Where "Open Trace by ID" looks this session: everywhere in order (undefined), the files, or one backend. */
  private source: string | undefined;

  private describeChosenSource(): string {
    if (this.source === undefined) return 'trace files, then each backend in order';
    return this.source === filesSource ? 'the workspace trace files only' : `${this.source} only`;
  }

  private askId(initial: string): Promise<{ kind: 'cancel' } | { kind: 'chooseSource'; value: string } | { kind: 'open'; value: string }> {
    const box = vscode.window.createInputBox();
    box.title = 'Open Trace by ID';
    box.prompt = 'A trace ID (16 or 32 hex), a traceparent, a Jaeger /trace/<id> link, a Grafana Explore link, or an exemplar';
    box.placeholder = 'e.g. 4bf92f3577b34da6a3ce929d0e0e4736';
    box.value = initial;
    box.ignoreFocusOut = true;
    const hasBackends = this.config.settings.traces.backends.length > 0;
    if (hasBackends) {
      box.title = `Open Trace by ID — from ${this.describeChosenSource()}`;
      box.buttons = [{ iconPath: new vscode.ThemeIcon('server-environment'), tooltip: 'Choose where to look…' }];
    }
    const validate = (text: string): vscode.InputBoxValidationMessage | undefined => {
      if (text.trim() === '') return undefined;
      const r = parseTraceIdInput(text);
      if (!r.ok) return { message: r.message, severity: vscode.InputBoxValidationSeverity.Error };
      const how = r.from === 'hex' ? '' : ` (from the ${describeSource(r.from)})`;
      return { message: `Trace ${r.traceId}${how}`, severity: vscode.InputBoxValidationSeverity.Info };
    };
    box.validationMessage = validate(initial);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (r: { kind: 'cancel' } | { kind: 'chooseSource'; value: string } | { kind: 'open'; value: string }): void => {
        if (settled) return;
        settled = true;
        resolve(r);
        box.dispose();
      };
      box.onDidChangeValue((v) => (box.validationMessage = validate(v)));
      box.onDidAccept(() => {
        if (box.value.trim() !== '' && !parseTraceIdInput(box.value).ok) return;
        finish({ kind: 'open', value: box.value });
      });
      box.onDidTriggerButton(() => finish({ kind: 'chooseSource', value: box.value }));
      box.onDidHide(() => finish({ kind: 'cancel' }));
      box.show();
    });
  }

  private async chooseSource(): Promise<void> {
    const backends = this.config.settings.traces.backends;
    const items: (vscode.QuickPickItem & { source: string | undefined })[] = [
      { label: '$(list-ordered) Everywhere, in order', description: 'trace files first, then each backend', source: undefined },
      { label: '$(files) Workspace trace files', description: this.config.settings.traces.paths.join(', '), source: filesSource },
      ...backends.map((b) => ({ label: `$(server-environment) ${b.name}`, description: `${b.kind} · ${redactUrl(b.url)}`, source: b.name })),
    ];
    for (const item of items) if (item.source === this.source) item.picked = true;
    // Like the ID box it came from, it stays open when the focus moves (to copy an ID from an editor, or a webview that finished loading).
    const pick = await vscode.window.showQuickPick(items, { title: 'Open Trace by ID: where to look', placeHolder: `Now: ${this.describeChosenSource()}`, ignoreFocusOut: true });
    if (pick) this.source = pick.source;
  }

  /**
   * Opens the trace named by `input` (an ID, link or traceparent); every failure is shown to the user and returned.
   * Looks in the workspace's trace files first (offline, instant), then asks each configured backend in order —
   * or only `options.source` ("files" or a backend name) when the user or a link chose one.
   */
  async open(input: string, options: { source?: string } = {}): Promise<OpenOutcome> {
    const parsed = parseTraceIdInput(input);
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(`Open Trace by ID: ${parsed.message}`);
      return { kind: 'invalid', message: parsed.message };
    }
    const traceId = parsed.traceId;
    const backends = this.config.settings.traces.backends;
    const source = options.source;
    if (source !== undefined && source !== filesSource && !backends.some((b) => b.name === source)) {
      const known = backends.map((b) => `"${b.name}"`).join(', ') || 'none is configured';
      const message = `There is no trace backend named "${source}" (setting oncall.traces.backends: ${known}).`;
      void vscode.window.showErrorMessage(message, 'Open Settings').then((p) => p && vscode.commands.executeCommand('workbench.action.openSettings', 'oncall.traces.backends'));
      return { kind: 'invalid', message };
    }
    const looked: string[] = [];
    if (source === undefined || source === filesSource) {
      await this.traces.ensureIndexed();
      const files = this.traces.lookup(traceId);
      if (files.length > 0) {
        const labels = Object.fromEntries(files.map((f) => [f, this.traces.label(f)]));
        const size = files.reduce((a, f) => a + (this.traces.entries().find(([p]) => p === f)?.[1].size ?? 0), 0);
        return this.read(traceId, files, labels, size);
      }
      looked.push(this.traces.describeSearch());
    }
    // A pasted link that points at a configured backend (same origin) asks that backend first.
    const linked = this.linkedBackend(input);
    const candidates = source === undefined ? [...backends].sort((a, b) => Number(b.name === linked) - Number(a.name === linked)) : backends.filter((b) => b.name === source);
    const fetched = candidates.length > 0 ? await this.backends.open(traceId, candidates) : undefined;
    if (fetched && fetched.kind !== 'none') return fetched;
    return this.notFound(traceId, [...looked, ...(fetched?.looked ?? [])], fetched?.failed ?? false);
  }

  /** When a pasted link points at a configured backend (same origin), that backend answers first. */
  private linkedBackend(input: string): string | undefined {
    let origin: string;
    try {
      origin = new URL(input.trim()).origin;
    } catch {
      return undefined;
    }
    return this.config.settings.traces.backends.find((b) => {
      try {
        return new URL(b.url).origin === origin;
      } catch {
        return false;
      }
    })?.name;
  }

  /**
   * "Open Trace File…": any trace file, also outside the workspace (a Jaeger "Download JSON" in ~/Downloads). With
   * several traces in the file the user picks one (or `traceId` names it).
   */
  async openFile(uri?: vscode.Uri, traceId?: string): Promise<OpenOutcome | undefined> {
    const target =
      uri ??
      (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Open Trace', title: 'Open Trace File', filters: { 'Trace files': ['json', 'jsonl', 'ndjson'], 'All files': ['*'] } }))?.[0];
    if (!target) return undefined;
    if (target.scheme !== 'file') {
      const message = `On-Call Lens reads trace files from the local disk; ${target.toString()} is not one.`;
      void vscode.window.showErrorMessage(message);
      return { kind: 'unreadable', message };
    }
    const path = target.fsPath;
    const label = vscode.workspace.asRelativePath(target, false);
    let entry;
    try {
      entry = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${label}…`, cancellable: true }, (_p, token) =>
        this.worker.index(path, this.config.settings.traces.maxFileBytes, token),
      );
    } catch (e) {
      if (e instanceof CancelledError) return { kind: 'cancelled', message: 'Cancelled.' };
      throw e;
    }
    if (entry.traces.length === 0 || (entry.error && !traceId)) {
      const pos = entry.error?.position ? `:${entry.error.position.line}:${entry.error.position.column}` : '';
      const message = `${label}${pos}: ${entry.error?.message ?? 'no spans in this file.'}`;
      this.log.warn(message);
      void vscode.window.showErrorMessage(message);
      return { kind: 'unreadable', message };
    }
    let chosen = traceId ?? (entry.traces.length === 1 ? entry.traces[0]?.traceId : undefined);
    if (!chosen) {
      const pick = await vscode.window.showQuickPick(
        entry.traces.map((t) => ({
          label: noIcons(t.rootName ?? t.traceId),
          description: [t.startUs !== undefined ? `${new Date(t.startUs / 1000).toISOString().slice(11, 19)}Z` : undefined, t.rootService !== undefined ? noIcons(t.rootService) : undefined, t.spanCount !== undefined ? `${t.spanCount} spans` : undefined, t.errorCount ? `${t.errorCount} errors` : undefined].filter((x) => x).join(' · '),
          detail: t.traceId,
          traceId: t.traceId,
        })),
        { title: `${label} holds ${entry.traces.length} traces`, placeHolder: 'Pick the trace to open', matchOnDescription: true, matchOnDetail: true },
      );
      chosen = pick?.traceId;
    }
    if (!chosen) return undefined;
    return this.read(chosen, [path], { [path]: label }, entry.size);
  }

  /** Reads a trace from `files` in the worker while its panel opens, and shows it. */
  private async read(traceId: string, files: readonly string[], labels: Record<string, string>, size: number): Promise<OpenOutcome> {
    const where = files.map((f) => labels[f]).join(', ');
    // The webview boots while the worker reads: the panel opens now, showing progress.
    const prepared = this.panels.prepare(traceId, `Reading ${where} (${mb(size)})…`);
    const discard = (message: string): void => {
      if (prepared.created) prepared.panel.panel.dispose();
      // A panel that already shows this trace keeps showing it; only an empty or failed one says why.
      else if (prepared.panel.traceId === undefined) prepared.panel.showError(message);
    };
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Reading trace ${shortTraceId(traceId)}… from ${where} (${mb(size)})`, cancellable: true },
        (_progress, token) => this.log.timed(`Read trace ${traceId} from ${where}`, () => this.worker.open(files, traceId, this.config.settings.traces.maxFileBytes, labels, token)),
      );
      if (!result.view) {
        const why = result.problems.map((p) => `${this.traces.label(p.path)}${p.error.position ? `:${p.error.position.line}:${p.error.position.column}` : ''}: ${p.error.message}`);
        const message = `Trace ${traceId} is listed in ${where}, but could not be read: ${why.join('; ') || 'the file no longer holds it'}`;
        this.log.warn(message);
        discard(message);
        void vscode.window.showErrorMessage(message);
        return { kind: 'unreadable', message };
      }
      for (const p of result.problems) this.reportProblem(p.path, p.error.message, p.error.position);
      const view = this.loadedView(result.view, files);
      if (view.wire.warnings.length > 0) this.log.warn(`Trace ${traceId}: ${view.wire.warnings.join(' | ')}`);
      const panel = this.panels.show(view);
      return { kind: 'opened', panel, view };
    } catch (e) {
      if (e instanceof CancelledError) {
        this.log.info(`Opening trace ${traceId} was cancelled`);
        discard('Cancelled.');
        return { kind: 'cancelled', message: 'Cancelled.' };
      }
      const message = `Could not read trace ${traceId} from ${where}: ${e instanceof Error ? e.message : String(e)}`;
      this.log.error(message);
      discard(message);
      void vscode.window.showErrorMessage(message);
      return { kind: 'unreadable', message };
    }
  }

  /** Re-reads a trace without prompts (panel restore after a reload): from the files, else from the backends. */
  async reload(traceId: string): Promise<LoadedView | undefined> {
    await this.traces.ensureIndexed();
    const files = this.traces.lookup(traceId);
    if (files.length === 0) return this.backends.reload(traceId, this.config.settings.traces.backends);
    const labels = Object.fromEntries(files.map((f) => [f, this.traces.label(f)]));
    const wire = (await this.worker.open(files, traceId, this.config.settings.traces.maxFileBytes, labels)).view;
    return wire ? this.loadedView(wire, files) : undefined;
  }

  private loadedView(wire: WireView, files: readonly string[]): LoadedView {
    return new LoadedView(wire, () => this.worker.details(files, wire.traceId, this.config.settings.traces.maxFileBytes));
  }

  private notFound(traceId: string, looked: readonly string[], backendFailed: boolean): OpenOutcome {
    const broken = this.traces.entries().filter(([, e]) => e.error);
    const brokenNote =
      broken.length > 0
        ? ` ${broken.length} file(s) could not be read: ${broken
            .slice(0, 3)
            .map(([p, e]) => `${this.traces.label(p)}${e.error?.position ? `:${e.error.position.line}:${e.error.position.column}` : ''} (${(e.error?.message ?? '').replace(/\.$/, '')})`)
            .join('; ')}${broken.length > 3 ? '; …' : ''}.`
        : '';
    const message = `Trace ${traceId} was not found. Looked in ${looked.map((l) => l.replace(/\.+$/, '')).join('; ')}.${brokenNote}`;
    this.log.info(message);
    const actions = this.config.settings.traces.backends.length === 0 ? ['Add a Trace Backend', 'Change Trace Paths'] : backendFailed ? ['Set Backend Credentials', 'Show Log'] : ['Change Trace Paths', 'Show Log'];
    void (backendFailed ? vscode.window.showErrorMessage(message, ...actions) : vscode.window.showWarningMessage(message, ...actions)).then((pick) => {
      if (pick === 'Change Trace Paths') void vscode.commands.executeCommand('workbench.action.openSettings', 'oncall.traces.paths');
      else if (pick === 'Add a Trace Backend') void vscode.commands.executeCommand('workbench.action.openSettings', 'oncall.traces.backends');
      else if (pick === 'Set Backend Credentials') void vscode.commands.executeCommand(Commands.setBackendCredentials);
      else if (pick === 'Show Log') this.log.show();
    });
    return { kind: 'not-found', message };
  }

  private reportProblem(path: string, message: string, position?: { line: number; column: number }): void {
    const label = this.traces.label(path);
    const at = position ? `:${position.line}:${position.column}` : '';
    this.log.warn(`${label}${at}: ${message}`);
    void vscode.window.showWarningMessage(`${label}${at}: ${message} The trace is shown from the other files.`, 'Open File').then((pick) => {
      if (pick !== 'Open File') return;
      const pos = new vscode.Position(Math.max(0, (position?.line ?? 1) - 1), Math.max(0, (position?.column ?? 1) - 1));
      void vscode.window.showTextDocument(vscode.Uri.file(path), { selection: new vscode.Range(pos, pos) });
    });
  }
}

function describeSource(from: string): string {
  switch (from) {
    case 'traceparent':
      return 'traceparent';
    case 'jaeger-url':
      return 'Jaeger link';
    case 'zipkin-url':
      return 'Zipkin link';
    case 'tempo-url':
      return 'Tempo API link';
    case 'grafana-link':
      return 'Grafana link';
    case 'exemplar':
      return 'exemplar';
    default:
      return from;
  }
}
