import * as vscode from 'vscode';
import * as path from 'node:path';
import { Commands } from '../commands';
import type { WireRecord } from '../core/wire/model';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { WireCodeLensProvider } from './codeLens';
import { ErrorDecorations } from './errorDecorations';
import { FollowWireView, registerFollowWire } from './followWire';
import { GoToHandler, openAt } from './goToHandler';
import { WireCommands } from './wireCommands';
import { WireMapView } from './wireMapView';
import { WireService } from './wireService';
import { WireWorkerClient } from './wireWorkerClient';

/** What the wire capability exposes (to the trace view and the extension-host tests). */
export interface WireApi {
  readonly service: WireService;
  readonly lenses: WireCodeLensProvider;
  readonly decorations: ErrorDecorations;
  readonly map: WireMapView;
  readonly goToHandler: GoToHandler;
  readonly follow: FollowWireView;
}

/** Source languages the lenses are offered for (VS Code language ids). */
const LANGUAGE_IDS = ['go', 'python', 'java', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'rust', 'csharp', 'cpp', 'c', 'ruby', 'php', 'proto', 'proto3'];

/** Registers "follow the wire": the index (in a worker), code lenses, error highlights, the Wire Map, Go to Handler, Follow the Wire. */
export function registerWire(context: vscode.ExtensionContext, config: Configuration, log: Logger): { disposable: vscode.Disposable; api: WireApi } {
  const store = new DisposableStore();
  const worker = store.add(new WireWorkerClient(path.join(context.extensionPath, 'dist', 'wireWorker.js'), log));
  // The warm-start cache lives in the workspace's storage (none without a workspace).
  const service = store.add(new WireService(worker, config, log, context.storageUri ? path.join(context.storageUri.fsPath, 'wire') : undefined));
  const lenses = store.add(new WireCodeLensProvider(service, config));
  // .proto has no built-in language: match it by name so unimplemented RPCs get their lens.
  store.add(vscode.languages.registerCodeLensProvider([...LANGUAGE_IDS.map((language) => ({ language, scheme: 'file' })), { scheme: 'file', pattern: '**/*.proto' }], lenses));
  const decorations = store.add(new ErrorDecorations(context.extensionUri, service, config, log));
  const map = store.add(new WireMapView(service));
  const goToHandler = new GoToHandler(service, log);
  const follow = store.add(new FollowWireView(service, log));
  store.add(registerFollowWire(follow));
  store.add(vscode.commands.registerCommand(WireCommands.goToHandler, (input?: unknown) => goToHandler.run(typeof input === 'string' ? input : undefined)));
  store.add(vscode.commands.registerCommand(WireCommands.rebuildWireIndex, () => (service.isStarted ? service.rescan(true) : service.ensure(true))));
  store.add(
    vscode.commands.registerCommand(WireCommands.openLocation, async (file: string, line: number, near?: vscode.Uri) => {
      const folder = (near && vscode.workspace.getWorkspaceFolder(near)) ?? vscode.workspace.workspaceFolders?.[0];
      if (folder) await openAt(service.uriOf(folder, file), line);
    }),
  );
  store.add(
    vscode.commands.registerCommand(WireCommands.findTracesForRoute, (r: WireRecord) =>
      vscode.commands.executeCommand(Commands.findTraces, { operation: r.kind === 'grpc' ? (r.route ?? '').replace(/^\//, '') : `${r.method ?? ''} ${literalPrefix(r.route ?? '/')}` }),
    ),
  );
  return { disposable: store, api: { service, lenses, decorations, map, goToHandler, follow } };
}

/** `/api/articles/{slug}/comments` → `/api/articles/`: what every framework's spelling of the route starts with. */
function literalPrefix(route: string): string {
  const i = route.indexOf('{');
  return i < 0 ? route : route.slice(0, i);
}
