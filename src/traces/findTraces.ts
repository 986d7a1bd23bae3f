import * as vscode from 'vscode';
import { redactUrl } from '../core/http/request';
import type { TraceSummary } from '../core/backends';
import { noIcons } from '../core/util/text';
import { listOperations, listServices, searchTraces } from '../core/backends';
import type { Configuration } from '../platform/configuration';
import type { Logger } from '../platform/logger';
import type { BackendCredentials } from './credentials';
import { abortSignalOf, requestOptions } from './httpOptions';
import type { OpenOutcome, TraceOpener } from './openTrace';

const ranges: readonly { label: string; minutes: number }[] = [
  { label: 'Last 15 minutes', minutes: 15 },
  { label: 'Last hour', minutes: 60 },
  { label: 'Last 6 hours', minutes: 360 },
  { label: 'Last 24 hours', minutes: 1440 },
  { label: 'Last 7 days', minutes: 7 * 1440 },
];

/** "12.3 s", "845 ms", "0.42 ms". */
export function formatDuration(us: number): string {
  if (us >= 10_000_000) return `${(us / 1e6).toFixed(1)} s`;
  if (us >= 1_000_000) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1000) return `${Math.round(us / 1000)} ms`;
  return `${(us / 1000).toFixed(2)} ms`;
}

/** "3 min ago", "2 h ago", "just now". */
export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(s / 3600);
  if (h < 24) return `${h} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** A search result as a quick-pick item: slowest first is the caller's order; errors get a marker. */
export function resultItem(t: TraceSummary, now = Date.now()): vscode.QuickPickItem & { traceId: string } {
  const errors = t.errorCount > 0 ? `$(error) ${t.errorCount} error${t.errorCount === 1 ? '' : 's'} · ` : '';
  return {
    label: `${t.errorCount > 0 ? '$(error)' : '$(pulse)'} ${formatDuration(t.durationUs)}  ${noIcons(t.rootName)}`,
    description: `${noIcons(t.rootService)} · ${ago(t.startUs / 1000, now)}`,
    detail: `${errors}${t.spanCount} span${t.spanCount === 1 ? '' : 's'} · ${new Date(t.startUs / 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC · ${t.traceId}`,
    traceId: t.traceId,
  };
}

/**
 * "On-Call: Find Traces…": backend → service → operation (or any) → time range → the matching traces, slowest first
 * with error markers → open one. Service and operation lists come from the backend; when it cannot list them the
 * user types the name.
 */
/** What oncall.yaml says about the file on screen: its service's name and trace backend. */
export type ServiceHint = () => Promise<{ readonly service?: string | undefined; readonly backend?: string | undefined } | undefined>;

export class TraceFinder {
  private hint: ServiceHint | undefined;

  constructor(
    private readonly opener: TraceOpener,
    private readonly credentials: BackendCredentials,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {}

  /** The service of the active file (from oncall.yaml) is typed into the service picker, and its backend is used. */
  setServiceHint(hint: ServiceHint): void {
    this.hint = hint;
  }

  /** `preset.operation` is typed into the operation picker first (a route from a code lens: the backend's list is filtered by it). */
  async run(preset?: { readonly operation?: string | undefined }): Promise<OpenOutcome | undefined> {
    const backends = this.config.settings.traces.backends;
    const hint = await this.hint?.().catch(() => undefined);
    const hinted = hint?.backend !== undefined ? backends.find((b) => b.name === hint.backend) : undefined;
    if (backends.length === 0) {
      const pick = await vscode.window.showInformationMessage('Find Traces searches a Jaeger, Tempo or Zipkin backend; none is configured yet (setting oncall.traces.backends).', 'Open Settings');
      if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'oncall.traces.backends');
      return undefined;
    }
    const backend =
      backends.length === 1
        ? backends[0]
        : hinted
        ? hinted
        : (await vscode.window.showQuickPick(backends.map((b) => ({ label: b.name, description: `${b.kind} · ${redactUrl(b.url)}`, backend: b })), { title: 'Find Traces: which backend?', ignoreFocusOut: true }))?.backend;
    if (!backend) return undefined;
    const options = async (signal?: AbortSignal): Promise<Parameters<typeof listServices>[1]> => {
      const auth = await this.credentials.get(backend.name);
      return { ...(await requestOptions(this.config, signal)), ...(auth ? { auth } : {}) };
    };

    const service = await this.pickName(`Find Traces in ${backend.name}: service`, 'Service name', async (signal) => listServices(backend, await options(signal)), false, hint?.service);
    if (!service) return undefined;
    const operation = await this.pickName(`Find Traces in ${backend.name}: operation of ${service}`, 'Operation or route (empty for any)', async (signal) => listOperations(backend, service, await options(signal)), true, preset?.operation);
    if (operation === undefined) return undefined;
    const range = await vscode.window.showQuickPick(
      ranges.map((r) => ({ ...r, picked: r.minutes === 60 })),
      { title: `Find Traces: ${service}${operation ? ` · ${operation}` : ''} — time range`, ignoreFocusOut: true },
    );
    if (!range) return undefined;

    const end = new Date();
    const start = new Date(end.getTime() - range.minutes * 60_000);
    let result: Awaited<ReturnType<typeof searchTraces>>;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Searching ${backend.name} for ${service}${operation ? ` · ${operation}` : ''}…`, cancellable: true },
        async (_p, token) => searchTraces(backend, { service, operation: operation || undefined, start, end, limit: 50 }, await options(abortSignalOf(token))),
      );
    } catch (e) {
      // Only the settings can throw here (an unusable oncall.http.caFile): the search itself returns its failures.
      const message = e instanceof Error ? e.message : String(e);
      this.log.warn(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
    if (!result.ok) {
      if (result.error.kind === 'cancelled') return undefined;
      this.log.warn(result.error.message);
      const credentials = result.error.kind === 'unauthorized' || result.error.kind === 'forbidden';
      void vscode.window.showErrorMessage(result.error.message, ...(credentials ? ['Set Backend Credentials'] : [])).then((p) => p && vscode.commands.executeCommand('oncall.setBackendCredentials', backend.name));
      return undefined;
    }
    this.log.info(`Found ${result.results.length} trace(s) of ${service}${operation ? ` / ${operation}` : ''} in ${backend.name} in ${result.ms} ms`);
    for (const w of result.warnings) this.log.warn(w);
    if (result.results.length === 0) {
      void vscode.window.showInformationMessage(`No traces of ${service}${operation ? ` · ${operation}` : ''} in ${backend.name} in the ${range.label.toLowerCase()}.`);
      return undefined;
    }
    const now = Date.now();
    const sorted = [...result.results].sort((a, b) => b.durationUs - a.durationUs);
    const pick = await vscode.window.showQuickPick(
      sorted.map((t) => resultItem(t, now)),
      { title: `${sorted.length} ${sorted.length === 1 ? 'trace' : 'traces'} of ${service}${operation ? ` · ${operation}` : ''} — slowest first`, matchOnDescription: true, matchOnDetail: true },
    );
    if (!pick) return undefined;
    return this.opener.open(pick.traceId, { source: backend.name });
  }

  /** A name from a list the backend gives (with free text accepted), or typed when the list is unavailable. */
  private async pickName(title: string, prompt: string, list: (signal: AbortSignal) => Promise<Awaited<ReturnType<typeof listServices>>>, allowEmpty = false, initial?: string): Promise<string | undefined> {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: string }>();
    if (initial) qp.value = initial;
    qp.title = title;
    qp.placeholder = `${prompt} — loading the list…`;
    qp.busy = true;
    qp.ignoreFocusOut = true;
    const anyItem = { label: '$(list-flat) Any operation', value: '', alwaysShow: true };
    const fixed = allowEmpty ? [anyItem] : [];
    qp.items = fixed;
    const controller = new AbortController();
    let names: readonly string[] = [];
    const refresh = (): void => {
      const typed = qp.value.trim();
      const typedItem = typed && !names.includes(typed) ? [{ label: `$(edit) ${noIcons(typed)}`, description: 'as typed', value: typed, alwaysShow: true }] : [];
      qp.items = [...typedItem, ...fixed, ...names.map((n) => ({ label: noIcons(n), value: n }))];
    };
    void list(controller.signal)
      .catch((e: unknown) => ({ ok: false as const, backend: '', error: { kind: 'network' as const, message: e instanceof Error ? e.message : String(e) } }))
      .then((r) => {
      qp.busy = false;
      if (r.ok) {
        names = r.names;
        qp.placeholder = `${prompt} (${names.length} known to the backend, or type one)`;
      } else {
        qp.placeholder = `${prompt} — type it (the list is unavailable: ${r.error.message})`;
        this.log.warn(r.error.message);
      }
      refresh();
    });
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (v: string | undefined): void => {
        if (done) return;
        done = true;
        controller.abort();
        resolve(v);
        qp.dispose();
      };
      qp.onDidChangeValue(refresh);
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        const value = item?.value ?? qp.value.trim();
        if (value === '' && !allowEmpty) return;
        finish(value);
      });
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  }
}
