import * as vscode from 'vscode';
import { Commands } from '../commands';
import { noIcons } from '../core/util/text';
import type { Exemplar, ExemplarError } from '../core/prometheus/exemplars';
import { exemplarStorageEnabled, queryExemplars } from '../core/prometheus/exemplars';
import { formatExemplarValue, formatRelativeTime, formatSeries, shortTraceId } from '../core/prometheus/format';
import { redactUrl } from '../core/http/request';
import type { RequestOptions } from '../core/http/request';
import type { Configuration } from '../platform/configuration';
import type { Logger } from '../platform/logger';
import { abortSignalOf, requestOptions } from '../traces/httpOptions';

export const openTraceFromExemplarCommand = Commands.openTraceFromExemplar;
/** The command that opens a trace by ID (workspace files, then the configured backends). */
const openTraceCommand = Commands.openTrace;
const historyKey = 'oncall.exemplars.queryHistory';
export const maxHistory = 20;
/** More than this many exemplars are cut (slowest kept): a quick pick of 10 000 rows helps no one. */
const maxItems = 500;

/** What one run of the command ended with (returned by the command, for tests and callers). */
export type ExemplarOutcome =
  | { readonly kind: 'cancelled'; readonly step: 'url' | 'query' | 'progress' | 'pick' }
  /** An exemplar was picked and its trace handed to `oncall.openTrace`; `open` is what that command returned. */
  | { readonly kind: 'picked'; readonly traceId: string; readonly query: string; readonly shown: readonly ExemplarItemView[]; readonly open: unknown }
  | { readonly kind: 'empty'; readonly query: string; readonly message: string; readonly storage: boolean | undefined }
  | { readonly kind: 'error'; readonly query: string; readonly message: string; readonly error: ExemplarError };

/** What a row of the exemplar quick pick shows. */
export interface ExemplarItemView {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly traceId: string;
}

interface ExemplarItem extends vscode.QuickPickItem {
  readonly exemplar: Exemplar;
}

interface QueryItem extends vscode.QuickPickItem {
  readonly query?: string;
}

/** A URL for messages: no credentials or secret parameters, no lone trailing slash. */
export function displayUrl(url: string): string {
  return redactUrl(url).replace(/(\/\/[^/]+)\/$/, '$1');
}

/** The metric name all exemplars share, if they do. */
export function commonMetric(exemplars: readonly Exemplar[]): string | undefined {
  const names = new Set(exemplars.map((e) => e.seriesLabels['__name__'] ?? ''));
  const [only] = names;
  return names.size === 1 && only ? only : undefined;
}

/**
 * The rows of the exemplar quick pick, in the order given (slowest first). The detail is the series; when every
 * exemplar comes from the same metric its name is said once (in the placeholder) instead of on every row, so the
 * labels that tell the rows apart fit.
 */
export function exemplarItems(exemplars: readonly Exemplar[], nowMs = Date.now()): ExemplarItemView[] {
  const common = commonMetric(exemplars);
  return exemplars.map((e) => ({
    label: formatExemplarValue(e.value, e.seriesLabels['__name__']),
    description: `${formatRelativeTime(e.timestampMs, nowMs)} · ${shortTraceId(e.traceId)}`,
    detail: noIcons(common !== undefined ? formatSeries(e.seriesLabels, ['__name__']) : formatSeries(e.seriesLabels)),
    traceId: e.traceId,
  }));
}

/** Most recent first, without duplicates, at most `maxHistory`. */
export function pushHistory(history: readonly string[], query: string): string[] {
  return [query, ...history.filter((q) => q !== query)].slice(0, maxHistory);
}

/**
 * "On-Call: Open Trace from Exemplar…": Prometheus URL (asked once when not set) → PromQL (history, the configured
 * queries, or typed) → the exemplars of the last `oncall.prometheus.lookbackMinutes`, slowest first → the trace.
 */
/** The exemplar metric of each service in oncall.yaml; `current` for the service of the active editor's file. */
export type CatalogQueries = () => Promise<readonly { readonly service: string; readonly query: string; readonly current: boolean }[]>;

/** The notebook's command that takes an exemplar (contributed by the notebook capability). */
const NOTEBOOK_ADD_EXEMPLAR = 'oncall.notebook.addExemplar';

export class ExemplarCommand {
  /** A URL typed but not saved: used for the rest of the session. */
  private sessionUrl: string | undefined;
  private catalogQueries: CatalogQueries | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {}

  async run(args?: { readonly query?: unknown }): Promise<ExemplarOutcome> {
    if (args instanceof vscode.Uri) args = undefined; // invoked from a menu on a resource: no preset query
    const url = this.config.settings.prometheus.url ?? this.sessionUrl ?? (await this.askUrl());
    if (url === undefined) return { kind: 'cancelled', step: 'url' };
    const query = typeof args?.query === 'string' && args.query.trim() !== '' ? args.query.trim() : await this.pickQuery();
    if (query === undefined) return { kind: 'cancelled', step: 'query' };
    return this.query(url, query);
  }

  /** Asks for the Prometheus URL; the save button (or the follow-up notification) stores it in the user settings. */
  private askUrl(): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    box.title = 'Open Trace from Exemplar: Prometheus URL';
    box.prompt = 'The base URL of Prometheus (or Thanos, Mimir, VictoriaMetrics). Enter uses it for this session; the save button stores it in oncall.prometheus.url.';
    box.placeholder = 'http://localhost:9090';
    box.value = 'http://localhost:9090';
    box.ignoreFocusOut = true;
    const save: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('save'), tooltip: 'Save to settings (oncall.prometheus.url) and continue' };
    box.buttons = [save];
    const check = (v: string): string | undefined => {
      try {
        const u = new URL(v.trim());
        return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'An http:// or https:// URL, e.g. http://localhost:9090';
      } catch {
        return 'An http:// or https:// URL, e.g. http://localhost:9090';
      }
    };
    return new Promise((resolve) => {
      let done = false;
      const finish = (value: string | undefined): void => {
        if (done) return;
        done = true;
        resolve(value);
        box.dispose();
      };
      box.onDidChangeValue((v) => (box.validationMessage = v.trim() === '' ? undefined : check(v)));
      box.onDidAccept(() => {
        const v = box.value.trim();
        if (check(v) !== undefined) return;
        this.sessionUrl = v;
        finish(v);
        void vscode.window.showInformationMessage(`On-Call Lens: save ${displayUrl(v)} as the Prometheus URL (oncall.prometheus.url)?`, 'Save to Settings').then((pick) => {
          if (pick) void this.saveUrl(v);
        });
      });
      box.onDidTriggerButton(async (b) => {
        if (b !== save) return;
        const v = box.value.trim();
        if (check(v) !== undefined) {
          box.validationMessage = check(v);
          return;
        }
        this.sessionUrl = v;
        finish(v);
        await this.saveUrl(v);
      });
      box.onDidHide(() => finish(undefined));
      box.show();
    });
  }

  private async saveUrl(url: string): Promise<void> {
    await vscode.workspace.getConfiguration('oncall').update('prometheus.url', url, vscode.ConfigurationTarget.Global);
    this.log.info(`Saved oncall.prometheus.url = ${displayUrl(url)}`);
  }

  private history(): string[] {
    const h = this.context.globalState.get<unknown>(historyKey);
    return Array.isArray(h) ? h.filter((x): x is string => typeof x === 'string') : [];
  }

  /** Offers the services' `metrics.exemplars` from oncall.yaml (set by the composition root). */
  setCatalogQueries(queries: CatalogQueries): void {
    this.catalogQueries = queries;
  }

  /** A quick pick of recent and configured PromQL expressions; whatever is typed becomes "Query: <text>". */
  private async pickQuery(): Promise<string | undefined> {
    const history = this.history();
    const configured = this.config.settings.prometheus.queries.filter((q) => !history.includes(q));
    // Among the catalog's, the service of the file on screen first: its exemplar metric is most likely the one wanted.
    const fromCatalog = [...((await this.catalogQueries?.().catch(() => [])) ?? [])].sort((a, b) => Number(b.current) - Number(a.current));
    // Recent queries, then oncall.prometheus.queries ("offered first", as the setting says), then oncall.yaml's.
    const base: QueryItem[] = [
      ...(history.length ? [{ label: 'Recent', kind: vscode.QuickPickItemKind.Separator }] : []),
      ...history.map((q) => ({ label: noIcons(q), query: q, iconPath: new vscode.ThemeIcon('history') })),
      ...(configured.length ? [{ label: 'oncall.prometheus.queries', kind: vscode.QuickPickItemKind.Separator }] : []),
      ...configured.map((q) => ({ label: noIcons(q), query: q, iconPath: new vscode.ThemeIcon('graph-line') })),
      ...(fromCatalog.length ? [{ label: 'oncall.yaml', kind: vscode.QuickPickItemKind.Separator }] : []),
      ...fromCatalog.map((c) => ({ label: noIcons(c.service), description: c.current ? "this file's service" : undefined, detail: noIcons(c.query), query: c.query, iconPath: new vscode.ThemeIcon('server-process') })),
    ];
    const pick = vscode.window.createQuickPick<QueryItem>();
    pick.title = 'Open Trace from Exemplar: PromQL';
    pick.placeholder = base.length
      ? 'Pick a query or type PromQL, e.g. http_server_duration_seconds_bucket{service="checkout"}'
      : 'Type PromQL, e.g. http_server_duration_seconds_bucket{service="checkout"} (queries can be preset in oncall.prometheus.queries)';
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.items = base;
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (value: string | undefined): void => {
        if (done) return;
        done = true;
        resolve(value);
        pick.dispose();
      };
      pick.onDidChangeValue((v) => {
        const text = v.trim();
        const exact = text !== '' && base.some((i) => i.query === text);
        pick.items = text === '' || exact ? base : [{ label: `Query: ${text}`, query: text, alwaysShow: true, iconPath: new vscode.ThemeIcon('search') }, ...base];
      });
      pick.onDidAccept(() => {
        const q = pick.selectedItems[0]?.query ?? pick.activeItems[0]?.query ?? (pick.value.trim() || undefined);
        if (q !== undefined) finish(q);
      });
      pick.onDidHide(() => finish(undefined));
      pick.show();
    });
  }

  private async query(url: string, query: string): Promise<ExemplarOutcome> {
    const minutes = this.config.settings.prometheus.lookbackMinutes;
    const traceIdLabels = this.config.settings.prometheus.traceIdLabels;
    const shownUrl = displayUrl(url);
    const end = new Date();
    const start = new Date(end.getTime() - minutes * 60_000);
    let storage: boolean | undefined;
    let cancelled = false;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exemplars of ${query} on ${shownUrl}`, cancellable: true },
      async (_progress, token) => {
        const signal = abortSignalOf(token);
        let options: RequestOptions;
        try {
          options = await requestOptions(this.config, signal);
        } catch (e) {
          return { ok: false as const, error: { kind: 'tls' as const, message: e instanceof Error ? e.message : String(e) } };
        }
        const r = await this.log.timed(`Exemplars of ${query} on ${shownUrl}, last ${minutes} min`, () => queryExemplars(url, query, { start, end }, { ...options, traceIdLabels }));
        if (r.ok && r.exemplars.length === 0 && !token.isCancellationRequested) storage = await exemplarStorageEnabled(url, options);
        cancelled = token.isCancellationRequested;
        return r;
      },
    );
    if (cancelled || (!result.ok && result.error.kind === 'cancelled')) return { kind: 'cancelled', step: 'progress' };
    if (!result.ok) return this.failed(url, query, result.error);
    await this.context.globalState.update(historyKey, pushHistory(this.history(), query));
    this.log.info(`Exemplars of ${query}: ${result.exemplars.length} with a trace ID in ${result.seriesCount} series${result.withoutTraceId ? `, ${result.withoutTraceId} without one` : ''}`);

    if (result.exemplars.length === 0) {
      let message: string;
      if (storage === false) {
        message = `Exemplar storage is disabled on ${shownUrl}: start Prometheus with --enable-feature=exemplar-storage.`;
        void vscode.window.showWarningMessage(`On-Call Lens: ${message}`);
      } else if (result.withoutTraceId > 0) {
        message = `${result.withoutTraceId} exemplar(s) for ${query} in the last ${minutes} minutes, but none has a trace ID under ${traceIdLabels.join(', ')} (setting oncall.prometheus.traceIdLabels).`;
        void vscode.window.showWarningMessage(`On-Call Lens: ${message}`, 'Open Settings').then((p) => p && vscode.commands.executeCommand('workbench.action.openSettings', 'oncall.prometheus.traceIdLabels'));
      } else {
        message = `No exemplars for ${query} in the last ${minutes} minutes on ${shownUrl}.`;
        void vscode.window.showInformationMessage(`On-Call Lens: ${message}`, 'Open Settings').then((p) => p && vscode.commands.executeCommand('workbench.action.openSettings', 'oncall.prometheus'));
      }
      this.log.info(message);
      return { kind: 'empty', query, message, storage };
    }

    const picked = await this.pickExemplar(query, minutes, result.exemplars, result.withoutTraceId);
    if (!picked.exemplar) return { kind: 'cancelled', step: 'pick' };
    const traceId = picked.exemplar.traceId;
    this.log.info(`Opening trace ${traceId} from an exemplar of ${formatSeries(picked.exemplar.seriesLabels)}`);
    const open: unknown = await vscode.commands.executeCommand(openTraceCommand, traceId);
    return { kind: 'picked', traceId, query, shown: picked.shown, open };
  }

  private pickExemplar(query: string, minutes: number, all: readonly Exemplar[], withoutTraceId: number): Promise<{ exemplar: Exemplar | undefined; shown: readonly ExemplarItemView[] }> {
    const exemplars = all.slice(0, maxItems);
    const views = exemplarItems(exemplars);
    // Each row can go to the incident notebook (its button) without leaving the list.
    const toNotebook: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('notebook'), tooltip: 'Add to Incident Notebook' };
    const items: ExemplarItem[] = views.map((v, i) => ({ label: v.label, description: v.description, detail: v.detail, exemplar: exemplars[i] as Exemplar, buttons: [toNotebook] }));
    const pick = vscode.window.createQuickPick<ExemplarItem>();
    pick.title = `Exemplars of ${query}, last ${minutes} min — slowest first`;
    const common = commonMetric(exemplars);
    const notes = [
      `${all.length} exemplar${all.length === 1 ? '' : 's'}${common ? ` of ${common}` : ''}${all.length > maxItems ? ` (the ${maxItems} highest shown)` : ''}`,
      ...(withoutTraceId ? [`${withoutTraceId} without a trace ID`] : []),
    ];
    pick.placeholder = `${notes.join(' · ')} · pick one to open its trace; type to filter by value, time, trace ID or label`;
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.ignoreFocusOut = true;
    pick.items = items;
    return new Promise((resolve) => {
      let done = false;
      const finish = (exemplar: Exemplar | undefined): void => {
        if (done) return;
        done = true;
        resolve({ exemplar, shown: views });
        pick.dispose();
      };
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (item) finish(item.exemplar);
      });
      pick.onDidTriggerItemButton((e) => {
        const x = e.item.exemplar;
        void vscode.commands.executeCommand(NOTEBOOK_ADD_EXEMPLAR, {
          traceId: x.traceId,
          query,
          prometheus: displayUrl(this.config.settings.prometheus.url ?? this.sessionUrl ?? ''),
          value: e.item.label,
          series: e.item.detail,
          time: new Date(x.timestampMs).toISOString(),
        });
      });
      pick.onDidHide(() => finish(undefined));
      pick.show();
    });
  }

  private failed(url: string, query: string, error: ExemplarError): ExemplarOutcome {
    const shownUrl = displayUrl(url);
    let message: string;
    let settings: string | undefined;
    switch (error.kind) {
      case 'bad-query':
        message = `Prometheus rejected the query ${query}: ${error.message}`;
        break;
      case 'unauthorized':
      case 'not-found':
      case 'not-prometheus':
      case 'refused':
      case 'dns':
      case 'bad-url':
        message = error.message;
        settings = 'oncall.prometheus.url';
        break;
      case 'tls':
        message = error.message;
        settings = 'oncall.http.caFile';
        break;
      case 'timeout':
      case 'too-large':
        message = error.message;
        settings = 'oncall.http';
        break;
      default:
        message = error.message;
    }
    this.log.warn(`Exemplars of ${query} on ${shownUrl} failed (${error.kind}${error.status ? `, HTTP ${error.status}` : ''}): ${error.message}`);
    const buttons = settings ? ['Open Settings', 'Show Log'] : ['Show Log'];
    void vscode.window.showErrorMessage(`On-Call Lens: ${message}`, ...buttons).then((p) => {
      if (p === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', settings);
      else if (p === 'Show Log') this.log.show();
    });
    return { kind: 'error', query, message, error };
  }
}
