import * as vscode from 'vscode';
import { elapsed, statusText } from '../core/notebook/times';
import { DisposableStore } from '../platform/disposables';
import type { ActiveIncident } from '../runbooks/incident';
import { NO_INCIDENT } from '../runbooks/incident';
import type { IncidentService } from './incidentService';
import { NotebookCommands } from './notebookCommands';

/**
 * The active incident and its clock in the status bar; a click opens the notebook. The clock ticks once a minute,
 * and only while an incident is active (no timer otherwise).
 */
export class IncidentStatusBar implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly item: vscode.StatusBarItem;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly incidents: IncidentService,
    private readonly active: ActiveIncident,
  ) {
    this.item = this.store.add(vscode.window.createStatusBarItem('oncall.incident', vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'On-Call: Active Incident';
    this.item.command = NotebookCommands.show;
    this.store.add(incidents.onDidChange(() => this.update()));
    this.store.add(active.onDidChange(() => void this.refresh()));
    this.store.add({ dispose: () => this.stopClock() });
    void this.refresh();
  }

  /** What the item says now (tests). */
  get text(): string | undefined {
    return this.item.text === '' ? undefined : this.item.text;
  }

  private async refresh(): Promise<void> {
    if (this.active.current.id === NO_INCIDENT.id) this.update();
    else await this.incidents.current().then(() => this.update());
  }

  private update(): void {
    const i = this.incidents.loaded;
    if (!i || this.active.current.id !== i.id) {
      this.item.hide();
      this.item.text = '';
      this.stopClock();
      return;
    }
    const sev1 = i.severity === 'SEV-1';
    this.item.text = `$(${i.status === 'active' ? 'flame' : 'pass'}) ${statusText(i, Date.now())}`;
    this.item.backgroundColor = sev1 && i.status === 'active' ? new vscode.ThemeColor('statusBarItem.errorBackground') : i.status === 'active' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendText(`${i.id}: ${i.title}\n\n${i.severity} · ${i.status} · phase ${i.phase} · IC ${i.commander}\nStarted ${i.started.replace('T', ' ')} UTC\n\n`);
    tip.appendMarkdown('Click to open the incident notebook.');
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `Active incident ${i.id}, ${i.severity}, ${i.status}, phase ${i.phase}, started ${elapsed(i.started, Date.now())} ago` };
    this.item.show();
    if (!this.timer && i.status !== 'closed') this.timer = setInterval(() => this.update(), 60_000);
  }

  private stopClock(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.store.dispose();
  }
}
