import * as vscode from 'vscode';
import type { Deploy } from '../core/deploys/model';
import { noIcons } from '../core/util/text';
import { DisposableStore } from '../platform/disposables';
import { DeployCommands, DeployViews } from './deployCommands';
import type { DeploysService, FolderDeploy } from './deploysService';
import { ago, relativeTo, utc } from './timeText';

/** A node of the Deploys / What Changed trees. */
export interface DeployNode {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon: vscode.ThemeIcon;
  readonly children: DeployNode[];
  readonly deploy?: FolderDeploy;
  readonly command?: vscode.Command;
  readonly expanded?: boolean;
  /** In the active incident's window: highlighted. */
  readonly suspect?: boolean;
}

const KIND_ICON = { deploy: 'rocket', config: 'settings-gear', flag: 'symbol-boolean' } as const;

function statusIcon(d: Deploy): vscode.ThemeIcon {
  if (d.status === 'failure' || d.status === 'rolled_back') return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  if (d.status === 'in_progress' || d.status === 'pending') return new vscode.ThemeIcon('sync');
  return new vscode.ThemeIcon(KIND_ICON[d.kind]);
}

/** `checkout-service-v1.42.0` → `v1.42.0`: the service is said once, by the group or the label. */
export function shortVersion(service: string, version: string): string {
  return version.startsWith(`${service}-`) ? version.slice(service.length + 1) : version;
}

/** The active incident, as the deploy views see it: deploys in its window are highlighted. */
export interface IncidentWindow {
  readonly id: string;
  /** UTC ISO. */
  readonly started: string;
  /** When it was resolved (UTC ISO); still running when absent. */
  readonly resolved?: string;
}

/** How long before an incident's start a change counts as "in its window" (a suspect): What Changed's default. */
export const SUSPECT_BEFORE_MS = 24 * 3_600_000;

/** Whether the change happened in the incident's window: from 24 h before its start until it was resolved (or now). */
export function inIncidentWindow(time: string, incident: IncidentWindow, now: number): boolean {
  const t = Date.parse(time);
  const start = Date.parse(incident.started) - SUSPECT_BEFORE_MS;
  const end = incident.resolved ? Date.parse(incident.resolved) : now;
  return !Number.isNaN(t) && t >= start && t <= end;
}

/** One deploy with its commits and files (files open the diff against the previous deploy). */
export function deployNode(fd: FolderDeploy, prefix: string, now: number, incidentStart?: string, withService = false, incident?: IncidentWindow): DeployNode {
  const d = fd.deploy;
  const suspect = incident !== undefined && inIncidentWindow(d.time, incident, now);
  const version = shortVersion(d.service, d.version);
  const when = incidentStart ? relativeTo(d.time, incidentStart) : ago(d.time, now);
  const bits = [suspect && !incidentStart ? `${incident.id}: ${relativeTo(d.time, incident.started)}` : undefined, when, utc(d.time), d.environment, d.actor, d.kind !== 'deploy' ? d.kind : undefined, d.status !== 'success' ? d.status : undefined].filter(Boolean);
  const children: DeployNode[] = [];
  for (const f of d.files ?? []) {
    children.push({
      id: `${prefix}/${d.id}/f/${f.path}`,
      label: noIcons(f.path),
      description: f.status === 'R' ? `renamed from ${f.oldPath ?? '?'}` : { A: 'added', M: 'modified', D: 'deleted', R: '' }[f.status],
      icon: new vscode.ThemeIcon(f.status === 'A' ? 'diff-added' : f.status === 'D' ? 'diff-removed' : 'diff-modified'),
      children: [],
      ...(d.commit && d.previousCommit && f.status !== 'D'
        ? { command: { title: 'Open Diff', command: DeployCommands.openDeployDiff, arguments: [fd.folder.uri, d.previousCommit, d.commit, f.oldPath ?? f.path, f.path, d.version] } }
        : {}),
    });
  }
  for (const c of d.commits ?? []) {
    children.push({ id: `${prefix}/${d.id}/c/${c.sha}`, label: noIcons(c.subject), description: `${c.sha.slice(0, 8)} · ${noIcons(c.author)} · ${ago(c.time, now)}`, icon: new vscode.ThemeIcon('git-commit'), children: [] });
  }
  return {
    id: `${prefix}/${d.id}`,
    label: noIcons(withService ? `${d.service} ${version}` : version),
    description: noIcons(bits.join(' · ')),
    tooltip: noIcons([`${d.service} ${d.version} (${d.kind}, ${d.source})`, `${utc(d.time)} — ${ago(d.time, now)}`, d.environment && `environment: ${d.environment}`, d.actor && `by ${d.actor}`, `status: ${d.status}`, d.commit && `commit ${d.commit.slice(0, 12)}${d.previousCommit ? ` (from ${d.previousCommit.slice(0, 12)})` : ''}`, d.description].filter(Boolean).join('\n')),
    icon: suspect && d.status !== 'failure' && d.status !== 'rolled_back' ? new vscode.ThemeIcon('flame', new vscode.ThemeColor('list.warningForeground')) : statusIcon(d),
    children,
    deploy: fd,
    suspect,
  };
}

/** A tree over the service's deploys; `buildRoots` decides the shape (per service, or one timeline). */
abstract class DeployTree implements vscode.TreeDataProvider<DeployNode>, vscode.Disposable {
  protected readonly store = new DisposableStore();
  protected readonly emitter = new vscode.EventEmitter<DeployNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  protected roots: DeployNode[] = [];
  readonly view: vscode.TreeView<DeployNode>;
  private building: Promise<void> | undefined;
  /** The active incident (set by the composition root once the notebook exists). */
  protected incident: () => IncidentWindow | undefined = () => undefined;

  constructor(
    id: string,
    protected readonly deploys: DeploysService,
  ) {
    this.view = this.store.add(vscode.window.createTreeView(id, { treeDataProvider: this, showCollapseAll: true }));
    this.store.add(this.emitter);
    this.store.add(deploys.onDidChange(() => this.view.visible && void this.rebuild()));
    this.store.add(this.view.onDidChangeVisibility((e) => e.visible && void this.rebuild()));
  }

  getTreeItem(n: DeployNode): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children.length === 0 ? vscode.TreeItemCollapsibleState.None : n.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.iconPath = n.icon;
    item.command = n.command;
    item.contextValue = n.deploy ? 'deploy' : 'deployPart';
    return item;
  }

  getChildren(n?: DeployNode): DeployNode[] {
    return n ? n.children : this.roots;
  }

  /** The nodes as shown (tests). */
  get nodes(): readonly DeployNode[] {
    return this.roots;
  }

  rebuild(): Promise<void> {
    this.building ??= this.buildRoots()
      .then(
        (r) => {
          this.roots = r;
          this.emitter.fire(undefined);
        },
        // Sources report their own failures; anything else is a bug, said in the view instead of a silent rejection.
        (e: unknown) => {
          this.view.message = `Deploys could not be read: ${e instanceof Error ? e.message : String(e)}`;
        },
      )
      .finally(() => (this.building = undefined));
    return this.building;
  }

  protected abstract buildRoots(): Promise<DeployNode[]>;

  /** Highlights deploys in the window of the incident `fn` returns; rebuilds when `changed` fires. */
  setIncident(fn: () => IncidentWindow | undefined, changed: vscode.Event<unknown>): void {
    this.incident = fn;
    this.store.add(changed(() => this.view.visible && void this.rebuild()));
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** "Deploys": per service, newest first, within the window (`oncall.deploysWindow`). */
export class DeploysView extends DeployTree {
  constructor(deploys: DeploysService) {
    super(DeployViews.deploys, deploys);
    this.store.add(vscode.commands.registerCommand(DeployCommands.deploysWindow, (hours?: unknown) => (typeof hours === 'number' ? this.setWindow(hours) : this.askWindow())));
  }

  private async askWindow(): Promise<void> {
    const pick = await vscode.window.showQuickPick(
      [1, 6, 24, 72, 168, 720].map((h) => ({ label: h < 24 ? `Last ${h} h` : `Last ${h / 24} d`, hours: h, picked: h === this.deploys.windowHours })),
      { title: 'Deploys: time window' },
    );
    if (pick) await this.setWindow(pick.hours);
  }

  async setWindow(hours: number): Promise<void> {
    this.deploys.windowHours = hours;
    await this.rebuild();
  }

  protected async buildRoots(): Promise<DeployNode[]> {
    const now = Date.now();
    const { deploys, problems } = await this.deploys.recent(this.deploys.windowHours, new Date(now));
    const incident = this.incident();
    const byService = new Map<string, FolderDeploy[]>();
    for (const fd of deploys) {
      const key = fd.deploy.service;
      byService.set(key, [...(byService.get(key) ?? []), fd]);
    }
    const w = this.deploys.windowHours;
    this.view.description = w < 24 ? `last ${w} h` : `last ${w / 24} d`;
    this.view.message = problems.length > 0 ? `${problems.length} problem(s) reading deploy sources: ${problems[0]?.message ?? ''}${problems.length > 1 ? ' (see On-Call: Show Log)' : ''}` : deploys.length === 0 ? 'No deploys in this window. Deploy sources are configured per service under "deploys:" in oncall.yaml.' : undefined;
    return [...byService.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([service, list]) => ({
        id: `svc/${service}`,
        label: noIcons(service),
        description: `${list.length} · last ${ago(list[0]?.deploy.time ?? '', now)}`,
        icon: new vscode.ThemeIcon('server-process'),
        children: list.map((fd) => deployNode(fd, `svc/${service}`, now, undefined, false, incident)),
        expanded: true,
      }));
  }
}

/** "What Changed": one timeline across services, newest first, optionally relative to an incident start. */
export class WhatChangedView extends DeployTree {
  hours = 24;
  incidentStart: string | undefined;

  constructor(deploys: DeploysService) {
    super(DeployViews.timeline, deploys);
  }

  protected async buildRoots(): Promise<DeployNode[]> {
    const now = Date.now();
    const anchor = this.incidentStart ? Date.parse(this.incidentStart) : now;
    const since = anchor - this.hours * 3_600_000;
    const until = this.incidentStart ? anchor + 3_600_000 : now; // an hour after the start too: what changed while it ran
    const { deploys } = await this.deploys.recent((Math.max(now, until) - since) / 3_600_000, new Date(Math.max(now, until)));
    const inWindow = deploys.filter((fd) => Date.parse(fd.deploy.time) <= until);
    this.view.description = `${this.hours} h${this.incidentStart ? ` before ${utc(this.incidentStart)}` : ''}`;
    this.view.message = inWindow.length === 0 ? `Nothing changed in the ${this.hours} h${this.incidentStart ? ' before the incident start' : ''}.` : undefined;
    const incident = this.incident();
    return inWindow.map((fd) => deployNode(fd, 'tl', Date.now(), this.incidentStart, true, incident));
  }
}
