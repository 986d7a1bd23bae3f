import type * as vscode from 'vscode';
import type { LoadedRunbook } from './runbookLibrary';

/** A step ticked or unticked in a runbook viewer (the notebook puts ticks on the incident's timeline). */
export interface StepTick {
  readonly incidentId: string;
  readonly runbook: LoadedRunbook;
  readonly checkId: string;
  readonly checked: boolean;
  /** The step as written (Markdown, one line). */
  readonly text: string;
  /** 1-based line of the step in the runbook. */
  readonly line: number;
  /** When it was ticked, UTC ISO. */
  readonly at: string;
}

/**
 * Checklist ticks, remembered per incident and runbook in the workspace state (a reload keeps them; another incident
 * starts with a clean list). Item IDs come from the renderer and stay the same when other items are edited.
 */
export class ChecklistStore {
  private readonly listeners = new Set<(tick: StepTick) => void>();

  constructor(private readonly state: vscode.Memento) {}

  /** Calls `listener` for every tick made in a viewer ({@link tick}). */
  onDidTick(listener: (tick: StepTick) => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** A tick the user made in a viewer: stored, then told to the listeners. */
  async tick(tick: StepTick): Promise<ReadonlySet<string>> {
    const next = await this.set(tick.incidentId, tick.runbook.key, tick.checkId, tick.checked);
    for (const l of this.listeners) l(tick);
    return next;
  }

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
