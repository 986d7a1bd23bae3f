import * as vscode from 'vscode';
import type { Logger } from '../platform/logger';
import type { ActiveIncident } from './incident';

/** One command run from a runbook, for the incident timeline. Times are ISO 8601 UTC. */
export interface RunRecord {
  readonly incidentId: string;
  readonly runbookId: string;
  readonly runbookTitle: string;
  readonly command: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  /** The shell's exit code, when the terminal's shell integration reports it. */
  readonly exitCode?: number;
  readonly terminal: string;
}

export type RunOutcome =
  | { readonly kind: 'ran'; readonly record: RunRecord }
  | { readonly kind: 'untrusted' }
  | { readonly kind: 'declined' };

/** Asks the user to confirm one exact command; resolves true only for an explicit "Run". */
export type Confirm = (command: string, runbookTitle: string, cwd: string | undefined) => Promise<boolean>;

const RUN = 'Run in Terminal';

/** The real confirmation: a modal that shows the exact command, every time. */
export const modalConfirm: Confirm = async (command, runbookTitle, cwd) => {
  const answer = await vscode.window.showWarningMessage(
    'Run this command from the runbook in a terminal?',
    { modal: true, detail: `${command}\n\nFrom: ${runbookTitle}${cwd ? `\nIn: ${cwd}` : ''}\n\nIt runs exactly as shown, with your credentials.` },
    RUN,
  );
  return answer === RUN;
};

const SHELL_INTEGRATION_WAIT_MS = 4000;
const MAX_RECORDS = 500;

/**
 * Runs a shell step of a runbook in a terminal, only after the user clicked "Run in terminal" AND confirmed the exact
 * command in a modal; refused in Restricted Mode. Each run is recorded per incident (command, UTC time, exit code
 * when the terminal's shell integration reports one).
 */
export class CommandRunner implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunRecord>();
  /** Fires when a run starts and again when it ends with an exit code. */
  readonly onDidRecord = this.emitter.event;
  private terminal: vscode.Terminal | undefined;
  private readonly listeners: vscode.Disposable[] = [];
  /** Replaceable for tests that cannot click a modal; the UI tests click the real one. */
  confirm: Confirm = modalConfirm;

  constructor(
    private readonly state: vscode.Memento,
    private readonly incident: ActiveIncident,
    private readonly log: Logger,
  ) {
    this.listeners.push(vscode.window.onDidCloseTerminal((t) => t === this.terminal && (this.terminal = undefined)));
  }

  /** Every run recorded for an incident, oldest first. */
  records(incidentId = this.incident.current.id): readonly RunRecord[] {
    const v = this.state.get<unknown>(`oncall.runs/${incidentId}`);
    return Array.isArray(v) ? (v as RunRecord[]) : [];
  }

  async run(command: string, runbook: { id: string; title: string }, cwd: vscode.Uri | undefined): Promise<RunOutcome> {
    if (!vscode.workspace.isTrusted) {
      this.log.info(`Refused to run a runbook command in Restricted Mode (${runbook.id})`);
      const manage = 'Manage Workspace Trust';
      void vscode.window
        .showWarningMessage('Running runbook commands is disabled in Restricted Mode. Trust this workspace to run them; you can still copy a command.', manage)
        .then((a) => a === manage && vscode.commands.executeCommand('workbench.trust.manage'));
      return { kind: 'untrusted' };
    }
    if (!(await this.confirm(command, runbook.title, cwd?.fsPath))) return { kind: 'declined' };
    const incidentId = this.incident.current.id;
    const terminal = this.ensureTerminal(cwd);
    terminal.show(true);
    const started: RunRecord = { incidentId, runbookId: runbook.id, runbookTitle: runbook.title, command, startedAt: new Date().toISOString(), terminal: terminal.name };
    await this.append(started);
    this.log.info(`Running a command from runbook ${runbook.id} in terminal "${terminal.name}"`);
    const integration = terminal.shellIntegration ?? (await this.waitForShellIntegration(terminal));
    if (!integration) {
      terminal.sendText(command, true);
      return { kind: 'ran', record: started };
    }
    const execution = integration.executeCommand(command);
    const sub = vscode.window.onDidEndTerminalShellExecution(async (e) => {
      if (e.execution !== execution) return;
      sub.dispose();
      const ended: RunRecord = { ...started, endedAt: new Date().toISOString(), ...(e.exitCode !== undefined ? { exitCode: e.exitCode } : {}) };
      await this.replace(started, ended);
      this.log.info(`Runbook command from ${runbook.id} ended with exit code ${e.exitCode ?? 'unknown'}`);
    });
    this.listeners.push(sub);
    return { kind: 'ran', record: started };
  }

  private ensureTerminal(cwd: vscode.Uri | undefined): vscode.Terminal {
    if (this.terminal && this.terminal.exitStatus === undefined) return this.terminal;
    this.terminal = vscode.window.createTerminal({ name: 'On-Call: runbook', cwd, iconPath: new vscode.ThemeIcon('book') });
    return this.terminal;
  }

  private waitForShellIntegration(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(terminal.shellIntegration);
      }, SHELL_INTEGRATION_WAIT_MS);
      const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
        if (e.terminal !== terminal) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(e.shellIntegration);
      });
    });
  }

  private async append(r: RunRecord): Promise<void> {
    const list = [...this.records(r.incidentId), r].slice(-MAX_RECORDS);
    await this.state.update(`oncall.runs/${r.incidentId}`, list);
    this.emitter.fire(r);
  }

  private async replace(old: RunRecord, next: RunRecord): Promise<void> {
    const list = this.records(old.incidentId).map((x) => (x.startedAt === old.startedAt && x.command === old.command ? next : x));
    await this.state.update(`oncall.runs/${old.incidentId}`, list);
    this.emitter.fire(next);
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.emitter.dispose();
  }
}
