import * as vscode from 'vscode';
import { classifyDependency, type DependencyKind } from '../core/wire/calls';
import { noIcons } from '../core/util/text';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import type { LensTarget } from './codeLens';
import { WireCommands, WireViews } from './wireCommands';
import type { WireService } from './wireService';

/** Where the calls of a node come from: the language server's call hierarchy, or the file's syntax tree. */
export type CallSource = 'language server' | 'syntax tree';

export interface CallNode {
  readonly label: string;
  readonly description?: string | undefined;
  readonly dependency?: DependencyKind | undefined;
  readonly uri?: vscode.Uri | undefined;
  /** 0-based range to reveal on click. */
  readonly range?: vscode.Range | undefined;
  /** How to get this node's own outgoing calls (undefined: a leaf). */
  readonly expand?: (() => Promise<CallNode[]>) | undefined;
  readonly source: CallSource;
  children?: CallNode[] | undefined;
}

const DEPENDENCY_ICON: Readonly<Record<DependencyKind, string>> = { database: 'database', http: 'globe', queue: 'mail', cache: 'zap', rpc: 'plug' };

/**
 * "Follow the wire" from a handler: its outgoing calls as a tree. The language server's call hierarchy
 * (`vscode.prepareCallHierarchy` → `vscode.provideOutgoingCalls`) when one answers for the file; otherwise the
 * calls tree-sitter finds in the handler's body, with callees resolved through the wire index. Calls to
 * databases, HTTP clients, queues, caches and RPC clients are labelled as dependencies.
 */
export class FollowWireView implements vscode.TreeDataProvider<CallNode>, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly emitter = new vscode.EventEmitter<CallNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private root: CallNode | undefined;
  readonly view: vscode.TreeView<CallNode>;

  constructor(
    private readonly wire: WireService,
    private readonly log: Logger,
  ) {
    this.view = this.store.add(vscode.window.createTreeView(WireViews.calls, { treeDataProvider: this }));
    this.store.add(this.emitter);
  }

  /** The root shown now (for tests). */
  get current(): CallNode | undefined {
    return this.root;
  }

  /** Follows the handler at a lens target, or the function around the cursor. */
  async follow(target?: LensTarget): Promise<CallNode | undefined> {
    let uri: vscode.Uri;
    let line: number;
    let title: string | undefined;
    if (target) {
      ({ uri, line, title } = target);
      if (target.record.handlerFile && target.record.handlerLine !== undefined) {
        const folder = vscode.workspace.getWorkspaceFolder(uri);
        if (folder) {
          uri = this.wire.uriOf(folder, target.record.handlerFile);
          line = target.record.handlerLine;
        }
      }
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Put the cursor in a handler (or click "Follow the wire" on its code lens) first.');
        return undefined;
      }
      uri = editor.document.uri;
      line = editor.selection.active.line + 1;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    let root = await this.rootFor(doc, line, title, true);
    if (!root) {
      void vscode.window.showInformationMessage(`No function found at ${vscode.workspace.asRelativePath(uri)}:${line}.`);
      return undefined;
    }
    root.children = root.expand ? await root.expand() : [];
    // A language server that cannot resolve the callees (dependencies not installed) answers with nothing: the
    // syntax tree still sees the calls.
    if (root.source === 'language server' && root.children.length === 0) {
      const fromTree = await this.rootFor(doc, line, title, false);
      if (fromTree) {
        root = fromTree;
        root.children = root.expand ? await root.expand() : [];
      }
    }
    this.root = root;
    this.view.message = `${root.children.length} ${root.children.length === 1 ? 'call' : 'calls'}, from the ${root.source}${root.source === 'syntax tree' ? ' (no language server answered for this file)' : ''}.`;
    this.emitter.fire(undefined);
    await vscode.commands.executeCommand(`${WireViews.calls}.focus`);
    this.log.info(`Follow the wire: ${root.label} — ${root.children.length} calls from the ${root.source}`);
    return root;
  }

  getTreeItem(n: CallNode): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n === this.root ? vscode.TreeItemCollapsibleState.Expanded : n.expand ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = n.dependency ? `${n.dependency}${n.description ? ' · ' + n.description : ''}` : n.description;
    item.iconPath = new vscode.ThemeIcon(n === this.root ? 'plug' : n.dependency ? DEPENDENCY_ICON[n.dependency] : 'symbol-function');
    item.tooltip = n.dependency ? `Dependency (${n.dependency}): ${n.label}` : n.label;
    if (n.uri && n.range) item.command = { title: 'Open', command: 'vscode.open', arguments: [n.uri, { selection: n.range, preview: true }] };
    return item;
  }

  async getChildren(n?: CallNode): Promise<CallNode[]> {
    if (!n) return this.root ? [this.root] : [];
    if (!n.children) {
      try {
        n.children = n.expand ? await n.expand() : [];
      } catch (e) {
        this.log.warn(`Follow the wire: could not expand ${n.label}: ${e instanceof Error ? e.message : String(e)}`);
        n.children = [];
      }
    }
    return n.children;
  }

  private async rootFor(doc: vscode.TextDocument, line: number, title: string | undefined, askLsp: boolean): Promise<CallNode | undefined> {
    const fromLsp = askLsp ? await this.lspItem(doc, line) : undefined;
    if (fromLsp) return { label: title ?? fromLsp.name, description: `${fromLsp.name} · ${vscode.workspace.asRelativePath(doc.uri)}:${line}`, uri: doc.uri, range: fromLsp.selectionRange, source: 'language server', expand: () => this.lspCalls(fromLsp) };
    const found = await this.wire.calls(doc, line);
    if (!found?.function) return undefined;
    return { label: title ?? found.function, description: `${found.function} · ${vscode.workspace.asRelativePath(doc.uri)}:${found.line ?? line}`, uri: doc.uri, range: new vscode.Range((found.line ?? line) - 1, 0, (found.line ?? line) - 1, 0), source: 'syntax tree', expand: async () => this.treeCalls(doc, found.line ?? line) };
  }

  /** The call hierarchy item of the function declared on `line`: tried at each word of the line (servers want the name). */
  private async lspItem(doc: vscode.TextDocument, line: number): Promise<vscode.CallHierarchyItem | undefined> {
    const text = doc.lineAt(Math.min(line - 1, doc.lineCount - 1)).text;
    const words = [...text.matchAll(/[A-Za-z_$][\w$]*/g)].slice(0, 12);
    for (const w of words) {
      try {
        const items = await vscode.commands.executeCommand<vscode.CallHierarchyItem[] | undefined>('vscode.prepareCallHierarchy', doc.uri, new vscode.Position(line - 1, (w.index ?? 0) + 1));
        const item = items?.[0];
        if (item && item.range.start.line <= line - 1 && item.range.end.line >= line - 1) return item;
      } catch {
        return undefined; // no provider for this language
      }
    }
    return undefined;
  }

  private async lspCalls(item: vscode.CallHierarchyItem): Promise<CallNode[]> {
    const calls = (await vscode.commands.executeCommand<vscode.CallHierarchyOutgoingCall[] | undefined>('vscode.provideOutgoingCalls', item)) ?? [];
    const doc = await vscode.workspace.openTextDocument(item.uri);
    return calls
      .sort((a, b) => (a.fromRanges[0]?.start.line ?? 0) - (b.fromRanges[0]?.start.line ?? 0))
      .map((c) => {
        const at = c.fromRanges[0];
        const site = at ? doc.lineAt(at.start.line).text.slice(0, at.end.character).trim() : c.to.name;
        const external = vscode.workspace.getWorkspaceFolder(c.to.uri) === undefined;
        return {
          label: noIcons(c.to.name),
          description: `${external ? 'library' : vscode.workspace.asRelativePath(c.to.uri)}${c.to.detail ? ' · ' + noIcons(c.to.detail) : ''}`,
          dependency: classifyDependency(site) ?? classifyDependency(`${c.to.detail ?? ''}.${c.to.name}`),
          uri: c.to.uri,
          range: c.to.selectionRange,
          source: 'language server' as const,
          expand: external ? undefined : () => this.lspCalls(c.to),
        };
      });
  }

  private async treeCalls(doc: vscode.TextDocument, line: number): Promise<CallNode[]> {
    const found = await this.wire.calls(doc, line);
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    return (found?.calls ?? []).map((c) => {
      const targetUri = c.target && folder ? this.wire.uriOf(folder, c.target.file) : undefined;
      return {
        label: noIcons(c.callee),
        description: c.target ? `${c.target.file}:${c.target.line}` : `line ${c.line}`,
        dependency: c.dependency,
        uri: targetUri ?? doc.uri,
        range: targetUri && c.target ? new vscode.Range(c.target.line - 1, 0, c.target.line - 1, 0) : new vscode.Range(c.line - 1, c.column - 1, c.line - 1, c.column - 1),
        source: 'syntax tree' as const,
        expand: targetUri && c.target ? async () => this.treeCalls(await vscode.workspace.openTextDocument(targetUri), (c.target as { line: number }).line) : undefined,
      };
    });
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** Registers the Follow the Wire command (argument: a lens target; none: the function around the cursor). */
export function registerFollowWire(view: FollowWireView): vscode.Disposable {
  return vscode.commands.registerCommand(WireCommands.followWire, (target?: LensTarget) => view.follow(target));
}
