import type * as vscode from 'vscode';

/**
 * Checklist ticks, remembered per incident and runbook in the workspace state (a reload keeps them; another incident
 * starts with a clean list). Item IDs come from the renderer and stay the same when other items are edited.
 */
export class ChecklistStore {
  constructor(private readonly state: vscode.Memento) {}

  private key(incidentId: string, runbookId: string): string {
    return `oncall.checks/${incidentId}/${runbookId}`;
  }

  ticked(incidentId: string, runbookId: string): ReadonlySet<string> {
    const v = this.state.get<unknown>(this.key(incidentId, runbookId));
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  }

  async set(incidentId: string, runbookId: string, checkId: string, checked: boolean): Promise<ReadonlySet<string>> {
    const next = new Set(this.ticked(incidentId, runbookId));
    if (checked) next.add(checkId);
    else next.delete(checkId);
    await this.state.update(this.key(incidentId, runbookId), next.size > 0 ? [...next] : undefined);
    return next;
  }

  async reset(incidentId: string, runbookId: string): Promise<void> {
    await this.state.update(this.key(incidentId, runbookId), undefined);
  }
}
