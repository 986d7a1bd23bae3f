import * as vscode from 'vscode';

/** The incident the engineer is working on: checklist ticks and command runs are kept per incident. */
export interface IncidentRef {
  readonly id: string;
  readonly title: string;
}

/** Used until an incident is started (the notebook sets the active one). */
export const NO_INCIDENT: IncidentRef = Object.freeze({ id: 'no-incident', title: 'No active incident' });

const KEY = 'oncall.activeIncident';

/**
 * Which incident is active, stored in the workspace state so a window reload keeps it. The incident notebook owns
 * starting and closing incidents; until then everything is kept under {@link NO_INCIDENT}.
 */
export class ActiveIncident implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<IncidentRef>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento) {}

  get current(): IncidentRef {
    const v = this.state.get<IncidentRef>(KEY);
    return v && typeof v.id === 'string' && typeof v.title === 'string' ? v : NO_INCIDENT;
  }

  async set(incident: IncidentRef | undefined): Promise<void> {
    await this.state.update(KEY, incident);
    this.emitter.fire(this.current);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
