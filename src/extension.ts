import * as vscode from 'vscode';
import { Commands } from './commands';
import { Configuration } from './platform/configuration';
import { createLogger } from './platform/logger';
import { registerExemplars } from './exemplars/registerExemplars';
import { registerTraces } from './traces/registerTraces';
import type { TracesApi } from './traces/registerTraces';
import { registerWire } from './wire/registerWire';
import type { WireApi } from './wire/registerWire';
import { CatalogService } from './catalog/catalogService';
import { registerRunbooks } from './runbooks/registerRunbooks';
import type { RunbooksApi } from './runbooks/registerRunbooks';
import { RunbookCommands } from './runbooks/runbookCommands';
import { registerDeploys } from './deploys/registerDeploys';
import type { DeploysApi } from './deploys/registerDeploys';
import { registerNotebook } from './notebook/registerNotebook';
import type { NotebookApi } from './notebook/registerNotebook';

/** The extension's API, returned from `activate` (used by the extension-host tests). */
export interface OnCallLensApi {
  readonly traces: TracesApi;
  readonly wire: WireApi;
  readonly catalog: CatalogService;
  readonly runbooks: RunbooksApi;
  readonly deploys: DeploysApi;
  readonly notebook: NotebookApi;
}

/** Composition root: infrastructure first, then one `register*` per capability. No feature logic here. */
export function activate(context: vscode.ExtensionContext): OnCallLensApi | undefined {
  const log = createLogger();
  context.subscriptions.push(log);
  try {
    const config = new Configuration(log);
    context.subscriptions.push(config);
    context.subscriptions.push(vscode.commands.registerCommand(Commands.showLog, () => log.show()));
    const traces = registerTraces(context, config, log);
    context.subscriptions.push(traces.disposable);
    const exemplars = registerExemplars(context, config, log);
    context.subscriptions.push(exemplars.disposable);
    const wire = registerWire(context, config, log);
    context.subscriptions.push(wire.disposable);
    // A span without code.* attributes opens its handler through the wire index (http.route, url.path, rpc.*).
    traces.api.navigator.setRouteResolver(async (input) => (await wire.api.goToHandler.run(input)) !== undefined);
    const catalog = new CatalogService(config, log);
    context.subscriptions.push(catalog);
    const runbooks = registerRunbooks(context, catalog, config, log);
    context.subscriptions.push(runbooks.disposable);
    const deploys = registerDeploys(context, catalog, config, log);
    context.subscriptions.push(deploys.disposable);
    const notebook = registerNotebook(context, runbooks.api, config, log);
    context.subscriptions.push(notebook.disposable);
    // "Add Trace to Notebook" in a waterfall's title bar takes the trace of the active waterfall.
    notebook.api.setActiveTrace(() => traces.api.panels.activeTrace());
    // Deploys in the active incident's window are highlighted; What Changed offers its start.
    deploys.api.setIncident(() => {
      const i = notebook.api.incidents.loaded;
      return i ? { id: i.id, started: i.started, resolved: i.resolved } : undefined;
    }, notebook.api.incidents.onDidChange);
    // Find Traces starts from the service of the file on screen and its backend, as oncall.yaml says.
    traces.api.finder.setServiceHint(() => catalog.serviceHint(vscode.window.activeTextEditor?.document.uri));
    // Open Trace from Exemplar offers each service's exemplar metric from oncall.yaml, the current file's first.
    exemplars.command.setCatalogQueries(() => catalog.exemplarQueries(vscode.window.activeTextEditor?.document.uri));
    // A handler whose own lines a recent deploy changed says so (its body's lines from the wire index).
    deploys.api.lenses.setHandlers((uri) => {
      if (!wire.api.service.isStarted) return [];
      // Handlers defined here: those registered here too (recordsOf), and those registered in another file (handlersIn).
      const here = [...wire.api.service.recordsOf(uri).filter((r) => r.handlerFile === r.file), ...wire.api.service.handlersIn(uri)];
      return here
        .filter((r) => (r.kind === 'http' || r.kind === 'grpc') && r.handlerLine !== undefined && r.handlerEndLine !== undefined)
        .map((r) => ({ line: r.handlerLine as number, endLine: r.handlerEndLine as number, title: r.kind === 'grpc' ? `gRPC ${r.route ?? ''}` : `${r.method ?? ''} ${r.route ?? ''}` }));
    }, wire.api.service.onDidChange);
    // Handler lenses show how many runbooks the handler's service has.
    wire.api.lenses.setRunbookLens({ count: (uri) => runbooks.api.library.countFor(uri), command: RunbookCommands.runbooksForFile }, runbooks.api.library.onDidChange);
    log.info(`On-Call Lens ${String(context.extension.packageJSON.version)} activated in VS Code ${vscode.version}`);
    return { traces: traces.api, wire: wire.api, catalog, runbooks: runbooks.api, deploys: deploys.api, notebook: notebook.api };
  } catch (e) {
    // VS Code does not show a notification when an extension fails to activate, so we do it ourselves.
    log.error('Activation failed', e);
    void vscode.window.showErrorMessage(`On-Call Lens failed to start: ${e instanceof Error ? e.message : String(e)}`, 'Show Log').then((p) => p && log.show());
    return undefined;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
