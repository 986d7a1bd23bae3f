import * as vscode from 'vscode';
import type { ErrorFact } from '../core/wire/facts';
import type { ErrorKind } from '../core/wire/model';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import type { WireService } from './wireService';

/** What the hover says about each kind of error exit. */
export const ERROR_KIND_TEXT: Readonly<Record<ErrorKind, string>> = {
  'return-error': 'returns an error to the caller',
  panic: 'panics / aborts the process or request',
  throw: 'throws / raises an exception',
  'http-error': 'answers the request with a 4xx/5xx status',
  'log-error': 'logs an error',
  catch: 'catches an error here (and handles it)',
  swallow: 'catches an error and drops it: nothing is logged, returned or re-thrown',
};

/**
 * Error exits highlighted in the editors on screen: a gutter icon, a subtle themed background and an overview
 * ruler mark, with a hover that says what kind of exit it is. Read on open and on save, never per keystroke.
 */
export class ErrorDecorations implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly exitType: vscode.TextEditorDecorationType;
  private readonly swallowType: vscode.TextEditorDecorationType;
  private timer: NodeJS.Timeout | undefined;
  /** Per document version, what was last drawn (so switching tabs does not parse again). */
  private readonly cache = new Map<string, { version: number; errors: readonly ErrorFact[] }>();

  constructor(
    extensionUri: vscode.Uri,
    private readonly wire: WireService,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {
    this.exitType = this.store.add(
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor('oncall.errorPathBackground'),
        overviewRulerColor: new vscode.ThemeColor('oncall.errorPathRuler'),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'wire', 'error-exit.svg'),
        gutterIconSize: '70%',
      }),
    );
    this.swallowType = this.store.add(
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor('oncall.swallowedErrorBackground'),
        overviewRulerColor: new vscode.ThemeColor('oncall.swallowedErrorRuler'),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'wire', 'error-swallowed.svg'),
        gutterIconSize: '70%',
      }),
    );
    this.store.add(vscode.window.onDidChangeVisibleTextEditors(() => this.schedule()));
    this.store.add(vscode.workspace.onDidSaveTextDocument(() => this.schedule()));
    this.store.add(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
    this.store.add(config.onDidChange(() => this.schedule()));
    this.store.add(wire.onDidChange(() => this.schedule()));
    this.schedule();
  }

  /** The error exits drawn in a document (for tests). */
  drawnIn(uri: vscode.Uri): readonly ErrorFact[] {
    return this.cache.get(uri.toString())?.errors ?? [];
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 150);
  }

  private async refresh(): Promise<void> {
    const enabled = this.config.settings.wire.highlightErrorPaths && this.wire.isStarted;
    for (const editor of vscode.window.visibleTextEditors) {
      if (!enabled || editor.document.uri.scheme !== 'file') {
        editor.setDecorations(this.exitType, []);
        editor.setDecorations(this.swallowType, []);
        continue;
      }
      const doc = editor.document;
      const key = doc.uri.toString();
      let errors = this.cache.get(key)?.version === doc.version ? this.cache.get(key)?.errors : undefined;
      if (!errors) {
        try {
          errors = (await this.wire.fileFacts(doc))?.errors ?? [];
        } catch (e) {
          this.log.warn(`Could not read the error exits of ${vscode.workspace.asRelativePath(doc.uri)}: ${e instanceof Error ? e.message : String(e)}`);
          errors = [];
        }
        this.cache.set(key, { version: doc.version, errors });
      }
      const toOptions = (e: ErrorFact): vscode.DecorationOptions => {
        const line = Math.min(e.loc.line - 1, doc.lineCount - 1);
        const hover = new vscode.MarkdownString();
        hover.appendMarkdown(`**${e.kind === 'swallow' ? 'Swallowed error' : 'Error exit'}** — ${ERROR_KIND_TEXT[e.kind]}`);
        if (e.function) hover.appendMarkdown(' (in ').appendText(e.function).appendMarkdown(')');
        return { range: new vscode.Range(line, 0, line, 0), hoverMessage: hover };
      };
      editor.setDecorations(this.exitType, errors.filter((e) => e.kind !== 'swallow').map(toOptions));
      editor.setDecorations(this.swallowType, errors.filter((e) => e.kind === 'swallow').map(toOptions));
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.store.dispose();
  }
}
