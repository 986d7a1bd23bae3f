import * as vscode from 'vscode';
import type { Settings } from '../core/config/settings';
import { parseSettings } from '../core/config/settings';
import type { Logger } from './logger';

/** One frozen settings snapshot, rebuilt only when an `oncall.*` setting changes. */
export class Configuration implements vscode.Disposable {
  private current: Settings;
  private readonly emitter = new vscode.EventEmitter<Settings>();
  private readonly listener: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: Logger) {
    this.current = this.read();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('oncall')) return;
      this.current = this.read();
      this.emitter.fire(this.current);
    });
  }

  get settings(): Settings {
    return this.current;
  }

  private read(): Settings {
    const cfg = vscode.workspace.getConfiguration('oncall');
    const { settings, problems } = parseSettings((key) => cfg.get(key));
    for (const p of problems) {
      this.log.warn(`Setting ${p.key} ${p.message}`);
      void vscode.window.showWarningMessage(`On-Call Lens: the setting ${p.key} ${p.message}`);
    }
    return settings;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
