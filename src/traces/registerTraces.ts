import * as vscode from 'vscode';
import * as path from 'node:path';
import { Commands, ViewIds } from '../commands';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { BackendTraces } from './backendTraces';
import { CodeNavigator } from './codeNavigator';
import { registerCompare } from './compareTraces';
import type { TraceComparer } from './compareTraces';
import { BackendCredentials, promptForCredentials } from './credentials';
import { TraceUriHandler } from './uriHandler';
import { TraceFinder } from './findTraces';
import { TraceOpener } from './openTrace';
import { TracesTreeProvider } from './tracesView';
import { TraceWorkerClient } from './traceWorkerClient';
import { WaterfallPanels } from './waterfallPanel';
import { WorkspaceTraces } from './workspaceTraces';

/** What the traces feature exposes to the rest of the extension (and to the extension-host tests). */
export interface TracesApi {
  readonly opener: TraceOpener;
  readonly traces: WorkspaceTraces;
  readonly panels: WaterfallPanels;
  readonly navigator: CodeNavigator;
  readonly comparer: TraceComparer;
  readonly credentials: BackendCredentials;
  readonly finder: TraceFinder;
  readonly uriHandler: TraceUriHandler;
}

/** Registers the traces capability: commands, the Traces view, the waterfall panels. Nothing is read until used. */
export function registerTraces(context: vscode.ExtensionContext, config: Configuration, log: Logger): { disposable: vscode.Disposable; api: TracesApi } {
  const store = new DisposableStore();
  const workerScript = path.join(context.extensionPath, 'dist', 'traceWorker.js');
  // Two workers: cancelling an open (which terminates its worker) must not interrupt indexing.
  const indexWorker = store.add(new TraceWorkerClient(workerScript, log));
  const openWorker = store.add(new TraceWorkerClient(workerScript, log));
  const traces = store.add(new WorkspaceTraces(config, indexWorker, log));
  const navigator = new CodeNavigator(config, log);
  // Restored panels re-read their trace through the opener, which in turn shows traces in the panels.
  const panels: WaterfallPanels = store.add(new WaterfallPanels(context.extensionUri, navigator, log, (id) => opener.reload(id)));
  const credentials = new BackendCredentials(context.secrets, log);
  const backends = new BackendTraces(openWorker, panels, credentials, config, log);
  const opener: TraceOpener = new TraceOpener(traces, openWorker, panels, backends, config, log);
  const tree = store.add(new TracesTreeProvider(traces));
  store.add(traces.onDidChange(() => tree.refresh()));
  store.add(vscode.window.createTreeView(ViewIds.traces, { treeDataProvider: tree, showCollapseAll: true }));

  const comparer = registerCompare(store, context.extensionUri, traces, openWorker, panels, config, log);
  store.add(vscode.commands.registerCommand(Commands.openTraceById, () => opener.prompt()));
  store.add(vscode.commands.registerCommand(Commands.openTrace, (input?: unknown, source?: unknown) => (typeof input === 'string' ? opener.open(input, typeof source === 'string' ? { source } : {}) : opener.prompt())));
  store.add(vscode.commands.registerCommand(Commands.setBackendCredentials, (name?: unknown) => promptForCredentials(config, credentials, typeof name === 'string' ? name : undefined)));
  const finder = new TraceFinder(opener, credentials, config, log);
  store.add(
    vscode.commands.registerCommand(Commands.findTraces, (preset?: unknown) => {
      const operation = typeof preset === 'object' && preset !== null ? (preset as { operation?: unknown }).operation : undefined;
      return finder.run(typeof operation === 'string' ? { operation } : undefined);
    }),
  );
  const uriHandler = new TraceUriHandler(opener, log);
  store.add(vscode.window.registerUriHandler(uriHandler));
  store.add(vscode.commands.registerCommand(Commands.openTraceFile, (uri?: unknown) => opener.openFile(uri instanceof vscode.Uri ? uri : undefined)));
  store.add(
    vscode.commands.registerCommand(Commands.reindexTraces, async () => {
      await traces.rebuild();
      void vscode.window.showInformationMessage(`On-Call Lens: indexed ${traces.describeSearch()}.`);
    }),
  );
  return { disposable: store, api: { opener, traces, panels, navigator, credentials, comparer, finder, uriHandler } };
}
