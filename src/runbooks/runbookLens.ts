import * as vscode from 'vscode';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import { RunbookCommands, RunbookContext } from './runbookCommands';
import type { RunbookLibrary } from './runbookLibrary';

/**
 * "Runbooks (N)" at the top of every file that belongs to a service in oncall.yaml or matches a runbook's `code`
 * globs, and the `oncall.fileHasRunbooks` context key that shows the editor-title action. Counting is a lookup in
 * the library; the library itself is read once, the first time a lens is asked for.
 */
export class RunbookLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(
    private readonly library: RunbookLibrary,
    private readonly config: Configuration,
  ) {
    this.store.add(this.emitter);
    this.store.add(library.onDidChange(() => {
      this.emitter.fire();
      this.updateContext();
    }));
    this.store.add(config.onDidChange(() => this.emitter.fire()));
    this.store.add(vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()));
    this.updateContext();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.config.settings.runbooks.codeLens || doc.uri.scheme !== 'file') return [];
    if (!this.library.isLoaded) {
      void this.library.ensure();
      return [];
    }
    const n = this.library.countFor(doc.uri);
    if (n === 0) return [];
    const names = this.library.forFileNow(doc.uri).slice(0, 5).map((r) => r.runbook.title);
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: `$(book) Runbooks (${n})`,
        tooltip: `${names.join('\n')}${n > names.length ? '\n…' : ''}`,
        command: RunbookCommands.runbooksForFile,
        arguments: [doc.uri],
      }),
    ];
  }

  private updateContext(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const has = !!uri && uri.scheme === 'file' && this.library.isLoaded && this.library.countFor(uri) > 0;
    void vscode.commands.executeCommand('setContext', RunbookContext.fileHasRunbooks, has);
  }

  dispose(): void {
    this.store.dispose();
  }
}
