import * as vscode from 'vscode';
import { noIcons } from '../core/util/text';
import { DisposableStore } from '../platform/disposables';
import { DeployCommands, DeployViews } from './deployCommands';
import type { DeploysService } from './deploysService';
import { ago, utc } from './timeText';

/**
 * "Changed in deploy checkout-service-v1.42.0, 2 h ago" at the top of a file a recent deploy touched, with
 * "Open diff" (the file between the previous deploy and that one); a hover on a line says which deploy last changed
 * it. Answers come from the git source's cache (one log per repository state), never from a git call per line.
 */
/** A handler of a file (from the wire index): its body's lines, 1-based, inclusive. */
export interface HandlerLines {
  readonly line: number;
  readonly endLine: number;
  /** `GET /api/prices`, for the tooltip. */
  readonly title: string;
}

/** At most this many handlers of one file get a lens of their own (each costs one cached git question). */
const MAX_HANDLER_LENSES = 20;

export class DeployLensProvider implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private handlers: (uri: vscode.Uri) => readonly HandlerLines[] = () => [];

  constructor(private readonly deploys: DeploysService) {
    this.store.add(this.emitter);
    this.store.add(deploys.onDidChange(() => this.emitter.fire()));
  }

  /** The handlers of a file (set by the composition root from the wire index); `changed` fires when they move. */
  setHandlers(fn: (uri: vscode.Uri) => readonly HandlerLines[], changed: vscode.Event<unknown>): void {
    this.handlers = fn;
    this.store.add(changed(() => this.emitter.fire()));
    this.emitter.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const r = await this.deploys.forFile(doc.uri).catch(() => undefined);
    const newest = r?.deploys[0];
    if (!newest) return [];
    const handlerLenses = await this.handlerLenses(doc);
    const d = newest.deploy;
    if (Date.now() - Date.parse(d.time) > this.deploys.windowHours * 3_600_000) return handlerLenses;
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const range = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(range, {
        title: `$(rocket) Changed in deploy ${noIcons(d.version)}, ${ago(d.time)}`,
        tooltip: `${d.service} ${d.version} at ${utc(d.time)}${d.actor ? ` by ${d.actor}` : ''}${r.deploys.length > 1 ? `; ${r.deploys.length - 1} earlier deploy(s) touched it too` : ''}`,
        // Shows the Deploys view, where this deploy lists its files and commits.
        command: `${DeployViews.deploys}.focus`,
      }),
    ];
    const previous = newest.previousCommit ?? d.previousCommit;
    if (folder && previous && d.commit && newest.file.status !== 'D') {
      lenses.push(
        new vscode.CodeLens(range, {
          title: 'Open diff',
          tooltip: `This file from the deploy before (${previous.slice(0, 8)}) to ${d.version} (${d.commit.slice(0, 8)})`,
          command: DeployCommands.openDeployDiff,
          arguments: [folder.uri, previous, d.commit, newest.file.oldPath ?? newest.file.path, newest.file.path, d.version],
        }),
      );
    }
    return [...lenses, ...handlerLenses];
  }

  /**
   * "Changed in deploy v4.18.0, 2 d ago" on a handler whose own lines a recent deploy changed (not just its file), or
   * "Changed since the last deploy" when its lines differ from what is deployed.
   */
  private async handlerLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const seen = new Set<number>();
    const handlers = this.handlers(doc.uri)
      .filter((h) => h.endLine >= h.line && !seen.has(h.line) && seen.add(h.line))
      .slice(0, MAX_HANDLER_LENSES);
    const windowMs = this.deploys.windowHours * 3_600_000;
    const out = await Promise.all(
      handlers.map(async (h) => {
        const r = await this.deploys.forLines(doc.uri, h.line, h.endLine).catch(() => undefined);
        if (!r) return undefined;
        const range = new vscode.Range(Math.max(0, h.line - 1), 0, Math.max(0, h.line - 1), 0);
        if (r.changedSinceDeploy.length > 0) {
          return new vscode.CodeLens(range, { title: '$(git-commit) Changed since the last deploy', tooltip: `Lines of ${h.title} differ from what the newest deploy of this file shipped: not deployed yet`, command: `${DeployViews.deploys}.focus` });
        }
        const d = r.deploys[0]?.deploy;
        if (!d || Date.now() - Date.parse(d.time) > windowMs) return undefined;
        return new vscode.CodeLens(range, {
          title: `$(rocket) Changed in deploy ${noIcons(d.version)}, ${ago(d.time)}`,
          tooltip: `${h.title}: its lines changed in ${d.service} ${d.version} at ${utc(d.time)}${d.actor ? ` by ${d.actor}` : ''}`,
          command: `${DeployViews.deploys}.focus`,
        });
      }),
    );
    return out.filter((l): l is vscode.CodeLens => l !== undefined);
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const r = await this.deploys.forLines(doc.uri, pos.line + 1, pos.line + 1).catch(() => undefined);
    if (!r) return undefined;
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    if (r.changedSinceDeploy.length > 0) md.appendText('This line changed since the last deploy (not deployed yet).');
    else if (r.deploys[0]) {
      const d = r.deploys[0].deploy;
      md.appendText(`Changed in deploy ${d.service} ${d.version}, ${ago(d.time)} (${utc(d.time)})${d.actor ? ` by ${d.actor}` : ''}.`);
    } else return undefined;
    return new vscode.Hover(md);
  }

  dispose(): void {
    this.store.dispose();
  }
}
