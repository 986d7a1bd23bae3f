import * as vscode from 'vscode';
import { Commands } from '../commands';
import { parseTraceIdList } from '../core/traces/compare';
import { parseTraceIdInput } from '../core/traces/ids';
import type { TraceSummary } from '../core/traces/traceIndex';
import type { CompareResult } from '../core/traces/workerProtocol';
import type { Configuration } from '../platform/configuration';
import type { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { ComparePanels } from './comparePanel';
import type { ComparePanel } from './comparePanel';
import { CancelledError } from './traceWorkerClient';
import type { TraceWorkerClient } from './traceWorkerClient';
import type { WaterfallPanel, WaterfallPanels } from './waterfallPanel';
import type { WorkspaceTraces } from './workspaceTraces';

export type CompareOutcome =
  | { readonly kind: 'compared'; readonly panel: ComparePanel; readonly result: CompareResult }
  | { readonly kind: 'invalid' | 'not-found' | 'unreadable' | 'cancelled'; readonly message: string };

/** A duration for a quick pick description: 381 ms, 3.00 s. */
function duration(us: number | undefined): string | undefined {
  if (us === undefined) return undefined;
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 1 : 0)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

interface TraceItem extends vscode.QuickPickItem {
  readonly ids?: readonly string[];
}

/**
 * "Compare Traces…": pick (or paste) trace A, the baseline, and trace B; both are read and compared in the worker
 * thread, and the merged tree is shown in a comparison panel.
 */
export class TraceComparer {
  private readonly waterfalls = new Set<WaterfallPanel>();
  private lastActive: WaterfallPanel | undefined;

  constructor(
    private readonly traces: WorkspaceTraces,
    private readonly worker: TraceWorkerClient,
    readonly panels: ComparePanels,
    waterfalls: WaterfallPanels,
    private readonly config: Configuration,
    private readonly log: Logger,
    store: DisposableStore,
  ) {
    // The waterfall the user looks at is the default for A: remember the panels shown and which was active last.
    store.add(
      waterfalls.onDidShow((p) => {
        if (this.waterfalls.has(p)) return;
        this.waterfalls.add(p);
        this.lastActive = p;
        const sub = p.panel.onDidChangeViewState((e) => {
          if (e.webviewPanel.active) this.lastActive = p;
        });
        p.onDidDispose(() => {
          sub.dispose();
          this.waterfalls.delete(p);
          if (this.lastActive === p) this.lastActive = undefined;
        });
      }),
    );
  }

  /** The trace of the active waterfall panel, else of the one active last. */
  currentTrace(): string | undefined {
    for (const p of this.waterfalls) if (p.panel.active && p.traceId) return p.traceId;
    return this.lastActive?.traceId;
  }

  /** Asks for A (default: the open waterfall's trace) and B, then compares them. */
  async prompt(): Promise<CompareOutcome | undefined> {
    await this.traces.ensureIndexed();
    const current = this.currentTrace();
    const first = await this.pick({
      title: 'Compare Traces (1/2): trace A, the baseline',
      placeholder: 'Pick trace A, or paste its ID — or paste two IDs (A then B)',
      prefer: current,
    });
    if (!first) return undefined;
    const [a, b] = first;
    if (a === undefined) return undefined;
    if (b !== undefined) return this.compare(a, b);
    const summary = this.summaryOf(a);
    const second = await this.pick({
      title: `Compare Traces (2/2): trace B, compared with A (${a.slice(0, 8)}${summary?.rootName ? ` · ${summary.rootName}` : ''})`,
      placeholder: 'Pick trace B, or paste its ID',
      exclude: a,
      sameRoute: summary?.rootName,
    });
    const pickedB = second?.[0];
    if (pickedB === undefined) return undefined;
    return this.compare(a, pickedB);
  }

  /** Compares the traces named by `inputA` and `inputB` (IDs, links, traceparents); every failure is shown and returned. */
  async compare(inputA: string, inputB: string): Promise<CompareOutcome> {
    const ids: string[] = [];
    for (const [side, input] of [['A', inputA], ['B', inputB]] as const) {
      const parsed = parseTraceIdInput(input);
      if (!parsed.ok) {
        const message = `Compare Traces: trace ${side}: ${parsed.message}`;
        void vscode.window.showErrorMessage(message);
        return { kind: 'invalid', message };
      }
      ids.push(parsed.traceId);
    }
    const [a, b] = ids as [string, string];
    if (a === b) {
      const message = `Compare Traces: A and B are the same trace (${a}); pick two different traces.`;
      void vscode.window.showErrorMessage(message);
      return { kind: 'invalid', message };
    }
    await this.traces.ensureIndexed();
    const filesA = this.traces.lookup(a);
    const filesB = this.traces.lookup(b);
    const absent = [...(filesA.length === 0 ? [a] : []), ...(filesB.length === 0 ? [b] : [])];
    if (absent.length > 0) {
      const message = `Compare Traces: ${absent.map((id) => `trace ${id}`).join(' and ')} ${absent.length > 1 ? 'were' : 'was'} not found. Looked in ${this.traces.describeSearch()}.`;
      this.log.info(message);
      void vscode.window.showWarningMessage(message);
      return { kind: 'not-found', message };
    }
    const labels = Object.fromEntries([...filesA, ...filesB].map((f) => [f, this.traces.label(f)]));
    const prepared = this.panels.prepare(a, b, `Reading traces ${a.slice(0, 8)} and ${b.slice(0, 8)}…`);
    const discard = (message: string): void => {
      if (prepared.created) prepared.panel.panel.dispose();
      else prepared.panel.showError(message);
    };
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Comparing traces ${a.slice(0, 8)} and ${b.slice(0, 8)}…`, cancellable: true },
        (_progress, token) =>
          this.worker.compare({ traceId: a, paths: filesA }, { traceId: b, paths: filesB }, this.config.settings.traces.maxFileBytes, labels, token),
      );
      for (const p of result.problems) this.log.warn(`${this.traces.label(p.path)}: ${p.error.message}`);
      if (!result.modelJson) {
        const sides = result.unreadable.map((s) => `${s.toUpperCase()} (${s === 'a' ? a : b})`).join(' and ');
        const why = result.problems.map((p) => `${this.traces.label(p.path)}: ${p.error.message}`).join('; ');
        const message = `Compare Traces: could not read trace ${sides}${why ? `: ${why}` : ': the files no longer hold it'}.`;
        discard(message);
        void vscode.window.showErrorMessage(message);
        return { kind: 'unreadable', message };
      }
      if (result.warnings.length > 0) this.log.warn(`Comparison of ${a} with ${b}: ${result.warnings.join(' | ')}`);
      const panel = this.panels.show(a, b, result.modelJson);
      return { kind: 'compared', panel, result };
    } catch (e) {
      if (e instanceof CancelledError) {
        discard('Cancelled.');
        return { kind: 'cancelled', message: 'Cancelled.' };
      }
      const message = `Compare Traces: could not compare ${a} with ${b}: ${e instanceof Error ? e.message : String(e)}`;
      this.log.error(message);
      discard(message);
      void vscode.window.showErrorMessage(message);
      return { kind: 'unreadable', message };
    }
  }

  private summaryOf(traceId: string): (TraceSummary & { file: string }) | undefined {
    for (const [file, entry] of this.traces.entries()) {
      const t = entry.traces.find((x) => x.traceId === traceId);
      if (t) return { ...t, file };
    }
    return undefined;
  }

  /**
   * A quick pick of the workspace's traces that also takes typed or pasted IDs. `prefer` goes first (the open
   * waterfall), traces of route `sameRoute` next; `exclude` is left out. Resolves to the IDs chosen (one, or two
   * when two were pasted), or undefined when dismissed.
   */
  private pick(opts: { title: string; placeholder: string; prefer?: string | undefined; exclude?: string; sameRoute?: string | undefined }): Promise<string[] | undefined> {
    const all: (TraceSummary & { file: string })[] = [];
    const seen = new Set<string>();
    for (const [file, entry] of this.traces.entries()) {
      for (const t of entry.traces) {
        if (seen.has(t.traceId) || t.traceId === opts.exclude) continue;
        seen.add(t.traceId);
        all.push({ ...t, file });
      }
    }
    const item = (t: TraceSummary & { file: string }, note?: string): TraceItem => ({
      label: t.rootName ?? t.traceId,
      description: [
        note,
        duration(t.durationUs),
        t.spanCount !== undefined ? `${t.spanCount} spans` : undefined,
        t.errorCount ? `${t.errorCount} error${t.errorCount > 1 ? 's' : ''}` : undefined,
        t.startUs !== undefined ? `${new Date(t.startUs / 1000).toISOString().slice(11, 23)}Z` : undefined,
      ]
        .filter((x) => x)
        .join(' · '),
      detail: `${t.traceId}  ·  ${this.traces.label(t.file)}`,
      ids: [t.traceId],
    });
    const sep = (label: string): TraceItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
    const preferred = all.find((t) => t.traceId === opts.prefer);
    const route = opts.sameRoute ? all.filter((t) => t.rootName === opts.sameRoute && t !== preferred) : [];
    const rest = all.filter((t) => t !== preferred && !route.includes(t));
    const base: TraceItem[] = [
      ...(preferred ? [sep('open in the waterfall'), item(preferred, '$(eye) open')] : []),
      ...(route.length > 0 ? [sep(`same route: ${opts.sameRoute ?? ''}`), ...route.map((t) => item(t))] : []),
      ...(rest.length > 0 ? [sep(preferred || route.length > 0 ? 'other traces' : 'traces in the workspace'), ...rest.map((t) => item(t))] : []),
    ];

    const qp = vscode.window.createQuickPick<TraceItem>();
    qp.title = opts.title;
    qp.placeholder = opts.placeholder;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.ignoreFocusOut = true;
    qp.items = base;
    const firstPick = base.find((i) => i.kind !== vscode.QuickPickItemKind.Separator);
    if (firstPick) qp.activeItems = [firstPick];
    // Typed or pasted IDs that are not (all) in the list become an item of their own, on top.
    qp.onDidChangeValue((value) => {
      const text = value.trim();
      const parsed = text === '' ? undefined : parseTraceIdList(text);
      if (!parsed || !('ids' in parsed) || (parsed.ids.length === 1 && seen.has(parsed.ids[0] ?? ''))) {
        qp.items = base;
        return;
      }
      const ids = parsed.ids.slice(0, 2);
      const typed: TraceItem =
        ids.length === 2
          ? { label: `$(diff) Compare ${ids[0]?.slice(0, 8)} (A) with ${ids[1]?.slice(0, 8)} (B)`, description: 'the two pasted IDs', alwaysShow: true, ids }
          : { label: `$(search) Trace ${ids[0]}`, description: 'the pasted ID (looked up in the workspace trace files)', alwaysShow: true, ids };
      qp.items = [typed, ...base];
      qp.activeItems = [typed];
    });
    return new Promise((resolve) => {
      let done = false;
      qp.onDidAccept(() => {
        const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
        if (!chosen?.ids) return;
        done = true;
        resolve([...chosen.ids]);
        qp.hide();
      });
      qp.onDidHide(() => {
        if (!done) resolve(undefined);
        qp.dispose();
      });
      qp.show();
    });
  }
}

/** Registers "Compare Traces…" and its panels; returns the comparer (for the API and tests). */
export function registerCompare(
  store: DisposableStore,
  extensionUri: vscode.Uri,
  traces: WorkspaceTraces,
  worker: TraceWorkerClient,
  waterfalls: WaterfallPanels,
  config: Configuration,
  log: Logger,
): TraceComparer {
  const panels = store.add(new ComparePanels(extensionUri, log));
  const comparer = new TraceComparer(traces, worker, panels, waterfalls, config, log, store);
  store.add(
    vscode.commands.registerCommand(Commands.compareTraces, (a?: unknown, b?: unknown) =>
      typeof a === 'string' && typeof b === 'string' ? comparer.compare(a, b) : comparer.prompt(),
    ),
  );
  return comparer;
}
