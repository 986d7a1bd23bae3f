import * as vscode from 'vscode';
import * as path from 'node:path';
import { lintPostmortem } from '../core/notebook/postmortemLint';
import { DisposableStore } from '../platform/disposables';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

/**
 * The postmortem lint as you write: blaming language, vague or unowned action items, a single root cause, a trigger
 * given as the root cause, a missing "what went well" — shown as Diagnostics on the Markdown files of the postmortems
 * folder (next to the incidents folder) while they are open, updated a moment after each edit.
 */
export class PostmortemDiagnostics implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly collection: vscode.DiagnosticCollection;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    /** The postmortems folder (absolute), or undefined without a workspace. */
    private readonly folder: () => string | undefined,
  ) {
    this.collection = this.store.add(vscode.languages.createDiagnosticCollection('oncall-postmortem'));
    this.store.add(vscode.workspace.onDidOpenTextDocument((d) => this.lint(d)));
    this.store.add(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.store.add(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        const t = this.timers.get(d.uri.toString());
        if (t) clearTimeout(t);
        this.timers.delete(d.uri.toString());
      }),
    );
    this.store.add({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
    for (const d of vscode.workspace.textDocuments) this.lint(d);
  }

  /** Whether the document is a postmortem this lint is for. */
  isPostmortem(doc: vscode.TextDocument): boolean {
    const folder = this.folder();
    return folder !== undefined && doc.uri.scheme === 'file' && doc.uri.fsPath.toLowerCase().endsWith('.md') && path.dirname(doc.uri.fsPath) === folder;
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!this.isPostmortem(doc)) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.lint(doc);
      }, 300),
    );
  }

  lint(doc: vscode.TextDocument): void {
    if (!this.isPostmortem(doc) || doc.isClosed) return;
    const problems = lintPostmortem(doc.getText());
    this.collection.set(
      doc.uri,
      problems.map((p) => {
        const line = Math.min(Math.max(0, p.line - 1), Math.max(0, doc.lineCount - 1));
        const start = Math.max(0, p.column - 1);
        const end = Math.max(start + 1, p.endColumn - 1);
        const d = new vscode.Diagnostic(new vscode.Range(line, start, line, end), p.message, SEVERITY[p.severity]);
        d.source = 'On-Call postmortem lint';
        d.code = p.code;
        return d;
      }),
    );
  }

  dispose(): void {
    this.store.dispose();
  }
}
