import * as vscode from 'vscode';
import type { CatalogService } from '../catalog/catalogService';
import { sourceKey, sourceLabel } from '../core/deploys/sources';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { DeployCommands, DeployViews, GIT_SHOW_SCHEME } from './deployCommands';
import { DeployLensProvider } from './deployLens';
import { DeploysService } from './deploysService';
import { DeploysView, WhatChangedView } from './deploysView';
import type { IncidentWindow } from './deploysView';
import { GitShowProvider } from './gitShow';

/** What "What changed" exposes (extension-host tests, later the notebook). */
export interface DeploysApi {
  readonly service: DeploysService;
  readonly view: DeploysView;
  readonly whatChanged: WhatChangedView;
  readonly lenses: DeployLensProvider;
  /** The active incident (from the notebook): its deploys are highlighted, What Changed offers its start. */
  setIncident(fn: () => IncidentWindow | undefined, changed: vscode.Event<unknown>): void;
}

/** Registers "What changed": the Deploys and What Changed views, code lenses and hovers, the diff, credentials. */
export function registerDeploys(context: vscode.ExtensionContext, catalogs: CatalogService, config: Configuration, log: Logger): { disposable: vscode.Disposable; api: DeploysApi } {
  const store = new DisposableStore();
  const service = store.add(new DeploysService(catalogs, config, context.secrets, log));
  const view = store.add(new DeploysView(service));
  const whatChanged = store.add(new WhatChangedView(service));
  const lenses = store.add(new DeployLensProvider(service));
  let incident: () => IncidentWindow | undefined = () => undefined;
  store.add(vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses));
  store.add(vscode.languages.registerHoverProvider({ scheme: 'file' }, lenses));
  store.add(vscode.workspace.registerTextDocumentContentProvider(GIT_SHOW_SCHEME, new GitShowProvider()));
  store.add(vscode.commands.registerCommand(DeployCommands.refreshDeploys, () => service.refresh()));
  store.add(
    vscode.commands.registerCommand(DeployCommands.openDeployDiff, (root: vscode.Uri, from: string, to: string, oldPath: string, newPath: string, version: string) =>
      vscode.commands.executeCommand('vscode.diff', GitShowProvider.uri(root, from, oldPath), GitShowProvider.uri(root, to, newPath), `${newPath.split('/').pop() ?? newPath} (deploy before ↔ ${version})`, { preview: true }),
    ),
  );
  store.add(
    vscode.commands.registerCommand(DeployCommands.whatChanged, async (args?: { hours?: number; incidentStart?: string }) => {
      let hours = args?.hours;
      let start = args?.incidentStart;
      if (hours === undefined) {
        const active = incident();
        const pick = await vscode.window.showQuickPick(
          [
            ...(active ? [{ label: `Before ${active.id}`, description: `24 h before its start, ${active.started.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, '')} UTC`, hours: 24, start: active.started }] : []),
            { label: 'Last 24 hours', hours: 24 },
            { label: 'Last 6 hours', hours: 6 },
            { label: 'Last hour', hours: 1 },
            { label: 'Last 3 days', hours: 72 },
            { label: 'Before an incident start…', hours: 24, ask: true },
          ],
          { title: 'What Changed' },
        );
        if (!pick) return undefined;
        hours = pick.hours;
        if ('start' in pick) start = pick.start;
        if ('ask' in pick) {
          start = await vscode.window.showInputBox({
            title: 'What Changed: incident start (UTC)',
            prompt: 'When it started, e.g. 2026-11-23 03:12 or 03:12 (today, UTC)',
            validateInput: (v) => (parseStart(v) ? undefined : 'A UTC time like 2026-11-23 03:12, or 03:12 for today'),
          });
          if (start === undefined) return undefined;
          start = parseStart(start);
        }
      }
      whatChanged.hours = hours;
      whatChanged.incidentStart = start;
      await vscode.commands.executeCommand(`${DeployViews.timeline}.focus`).then(undefined, () => undefined);
      await whatChanged.rebuild();
      return whatChanged.nodes;
    }),
  );
  store.add(
    vscode.commands.registerCommand(DeployCommands.setDeployCredentials, async () => {
      const keys: { label: string; description: string; key: string }[] = [];
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        for (const s of (await catalogs.get(folder)).services) {
          for (const d of s.deploys) if (d.kind === 'github' || d.kind === 'argocd' || d.kind === 'http') keys.push({ label: sourceLabel(d), description: s.name, key: sourceKey(d) });
        }
      }
      if (keys.length === 0) {
        void vscode.window.showInformationMessage('No GitHub, Argo CD or HTTP deploy source in oncall.yaml needs a token.');
        return;
      }
      const pick = await vscode.window.showQuickPick(keys, { title: 'Set Deploy Credentials: which source?' });
      if (!pick) return;
      const token = await vscode.window.showInputBox({ title: `Token for ${pick.label}`, prompt: 'Kept in VS Code SecretStorage; empty removes it', password: true, ignoreFocusOut: true });
      if (token === undefined) return;
      await service.setToken(pick.key, token.trim() || undefined);
      log.info(`Deploy credentials ${token.trim() ? 'stored' : 'removed'} for ${pick.key}`);
    }),
  );
  const setIncident = (fn: () => IncidentWindow | undefined, changed: vscode.Event<unknown>): void => {
    incident = fn;
    view.setIncident(fn, changed);
    whatChanged.setIncident(fn, changed);
  };
  return { disposable: store, api: { service, view, whatChanged, lenses, setIncident } };
}

/** `2026-11-23 03:12`, `2026-11-23T03:12Z`, or `03:12` (today, UTC) → ISO; undefined when unreadable. */
export function parseStart(text: string, now = new Date()): string | undefined {
  const t = text.trim();
  const hm = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (hm) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), Number(hm[1]), Number(hm[2])));
    return Number.isNaN(d.getTime()) || Number(hm[1]) > 23 ? undefined : d.toISOString();
  }
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return undefined;
  const d = new Date(`${m[1]}T${(m[2] as string).padStart(5, '0')}${m[3] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
