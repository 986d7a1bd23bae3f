import * as vscode from 'vscode';
import type { CatalogService } from '../catalog/catalogService';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { ChecklistStore } from './checklists';
import { CommandRunner } from './commandRunner';
import { FindRunbook } from './findRunbook';
import { ActiveIncident } from './incident';
import { RUNBOOK_PANEL, RunbookCommands } from './runbookCommands';
import { RunbookLensProvider } from './runbookLens';
import type { LoadedRunbook } from './runbookLibrary';
import { RunbookLibrary } from './runbookLibrary';
import { RunbookPanels } from './runbookPanel';
import { RunbooksView } from './runbooksView';

/** What the runbooks capability exposes (to the wire lenses, the notebook later, and the extension-host tests). */
export interface RunbooksApi {
  readonly library: RunbookLibrary;
  readonly view: RunbooksView;
  readonly panels: RunbookPanels;
  readonly find: FindRunbook;
  readonly runner: CommandRunner;
  readonly checks: ChecklistStore;
  readonly incident: ActiveIncident;
  readonly lenses: RunbookLensProvider;
}

/** Registers runbooks: the library, the Runbooks view, the viewer, code lenses, Find Runbook for Alert. */
export function registerRunbooks(context: vscode.ExtensionContext, catalogs: CatalogService, config: Configuration, log: Logger): { disposable: vscode.Disposable; api: RunbooksApi } {
  const store = new DisposableStore();
  const library = store.add(new RunbookLibrary(context.extensionUri, catalogs, config, log));
  const incident = store.add(new ActiveIncident(context.workspaceState));
  const checks = new ChecklistStore(context.workspaceState);
  const runner = store.add(new CommandRunner(context.workspaceState, incident, log));
  // `panels` and `view` are created below; `open` only runs after activation.
  const open = async (rb: LoadedRunbook): Promise<void> => {
    panels.show(rb);
    await view.reveal(rb.key);
  };
  const panels: RunbookPanels = store.add(new RunbookPanels({ extensionUri: context.extensionUri, library, checks, incident, runner, log, openRunbook: open }));
  const view = store.add(new RunbooksView(library));
  store.add(vscode.window.registerWebviewPanelSerializer(RUNBOOK_PANEL, { deserializeWebviewPanel: (panel, state) => panels.restore(panel, state) }));
  const find = new FindRunbook(library, open, log);
  const lenses = store.add(new RunbookLensProvider(library, config));
  store.add(vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses));

  const resolve = async (arg: unknown): Promise<LoadedRunbook | undefined> => {
    await library.ensure();
    if (typeof arg === 'string') return library.byKey(arg);
    if (arg instanceof vscode.Uri) return library.byUri(arg);
    const node = arg as { runbook?: LoadedRunbook } | undefined;
    if (node?.runbook) return node.runbook;
    const active = panels.all.find((p) => p.panel.active);
    return active?.runbook;
  };
  store.add(
    vscode.commands.registerCommand(RunbookCommands.openRunbook, async (arg: unknown) => {
      const rb = await resolve(arg);
      if (rb) await open(rb);
      else void vscode.window.showWarningMessage(`No runbook "${typeof arg === 'string' ? arg : ''}" in this workspace.`);
    }),
  );
  store.add(
    vscode.commands.registerCommand(RunbookCommands.openRunbookSource, async (arg: unknown) => {
      const rb = await resolve(arg);
      if (rb) await vscode.window.showTextDocument(rb.uri, { preview: true });
    }),
  );
  store.add(vscode.commands.registerCommand(RunbookCommands.findRunbookForAlert, (text?: unknown) => find.run(typeof text === 'string' ? text : undefined)));
  store.add(vscode.commands.registerCommand(RunbookCommands.refreshRunbooks, () => library.reload()));
  store.add(
    vscode.commands.registerCommand(RunbookCommands.runbooksForFile, async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) return undefined;
      const list = await library.forFile(uri);
      if (list.length === 0) {
        void vscode.window.showInformationMessage(`No runbooks for ${vscode.workspace.asRelativePath(uri)}: it matches no service in oncall.yaml and no runbook's code globs.`);
        return undefined;
      }
      if (list.length === 1 && list[0]) return open(list[0]);
      const pick = await vscode.window.showQuickPick(
        list.map((rb) => ({ label: rb.runbook.title, description: rb.runbook.alerts.join(', '), detail: rb.displayPath, rb })),
        { title: `Runbooks for ${vscode.workspace.asRelativePath(uri)}`, matchOnDescription: true },
      );
      return pick ? open(pick.rb) : undefined;
    }),
  );
  store.add(
    vscode.commands.registerCommand(RunbookCommands.openCatalog, async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) return;
      const file = await catalogs.fileOf(folder);
      if (file) {
        await vscode.window.showTextDocument(file);
        return;
      }
      const create = 'Create oncall.yaml';
      if ((await vscode.window.showInformationMessage('This workspace has no oncall.yaml: every folder is one service and runbooks are read from runbooks/.', create)) !== create) return;
      const uri = vscode.Uri.joinPath(folder.uri, 'oncall.yaml');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(CATALOG_TEMPLATE(folder.name)));
      await vscode.window.showTextDocument(uri);
    }),
  );
  return { disposable: store, api: { library, view, panels, find, runner, checks, incident, lenses } };
}

const CATALOG_TEMPLATE = (name: string): string => `# The service catalog of On-Call Lens: services, their code, owners, runbooks, traces and deploys.
# Completion and checks come from the schema the extension registers (needs a YAML language extension).
services:
  - name: ${name.replace(/[^\w.-]/g, '-')}
    paths: ["**"]
    team: my-team
    runbooks: ["runbooks"]
    dashboards: []
`;
