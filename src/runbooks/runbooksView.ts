import * as vscode from 'vscode';
import { noIcons } from '../core/util/text';
import { DisposableStore } from '../platform/disposables';
import type { LoadedRunbook, RunbookLibrary } from './runbookLibrary';
import { RunbookCommands, RunbookContext, RunbookViews } from './runbookCommands';

/** One node of the Runbooks tree: group (current file / service / built-in) → runbook → alert. */
export interface RunbookNode {
  readonly id: string;
  readonly label: string;
  readonly description?: string | undefined;
  readonly tooltip?: string | vscode.MarkdownString | undefined;
  readonly icon: vscode.ThemeIcon;
  readonly parent: RunbookNode | undefined;
  readonly children: RunbookNode[];
  readonly runbook?: LoadedRunbook | undefined;
  readonly expanded?: boolean | undefined;
  readonly contextValue: string;
}

/**
 * The "Runbooks" tree in the On-Call container: "For the current file" first (when the active editor belongs to a
 * service or matches a runbook's `code` globs), then one group per service, then the built-in runbooks. Each runbook
 * lists its alerts. Problems show a warning icon; a `last_reviewed` older than the setting shows "stale".
 */
export class RunbooksView implements vscode.TreeDataProvider<RunbookNode>, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly emitter = new vscode.EventEmitter<RunbookNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: RunbookNode[] = [];
  private filter = '';
  private current: readonly LoadedRunbook[] = [];
  readonly view: vscode.TreeView<RunbookNode>;

  constructor(private readonly library: RunbookLibrary) {
    this.view = this.store.add(vscode.window.createTreeView(RunbookViews.tree, { treeDataProvider: this, showCollapseAll: true }));
    this.store.add(this.emitter);
    this.store.add(library.onDidChange(() => void this.refreshCurrent()));
    this.store.add(vscode.window.onDidChangeActiveTextEditor(() => void this.refreshCurrent()));
    this.store.add(this.view.onDidChangeVisibility((e) => e.visible && void this.library.ensure()));
    this.store.add(vscode.commands.registerCommand(RunbookCommands.filterRunbooks, (text?: unknown) => (typeof text === 'string' ? this.setFilter(text) : this.askFilter())));
    this.store.add(vscode.commands.registerCommand(RunbookCommands.clearRunbookFilter, () => this.setFilter('')));
    if (this.view.visible) void this.library.ensure();
  }

  getTreeItem(n: RunbookNode): vscode.TreeItem {
    const state = n.children.length === 0 ? vscode.TreeItemCollapsibleState.None : n.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.iconPath = n.icon;
    item.contextValue = n.contextValue;
    if (n.runbook) {
      item.resourceUri = n.runbook.uri;
      item.command = { title: 'Open Runbook', command: RunbookCommands.openRunbook, arguments: [n.runbook.key] };
    }
    return item;
  }

  getChildren(n?: RunbookNode): RunbookNode[] {
    if (!n) {
      if (!this.library.isLoaded) void this.library.ensure();
      return this.roots;
    }
    return n.children;
  }

  getParent(n: RunbookNode): RunbookNode | undefined {
    return n.parent;
  }

  /** The top-level nodes as shown (for tests). */
  get nodes(): readonly RunbookNode[] {
    return this.roots;
  }

  get filterText(): string {
    return this.filter;
  }

  setFilter(text: string): void {
    this.filter = text.trim();
    void vscode.commands.executeCommand('setContext', RunbookContext.filtered, this.filter !== '');
    this.rebuild();
  }

  private async askFilter(): Promise<void> {
    const text = await vscode.window.showInputBox({ title: 'Filter Runbooks', prompt: 'Words from a title, alert, service or tag (all must match), e.g. "crash loop" or "pricing"', value: this.filter });
    if (text !== undefined) this.setFilter(text);
  }

  /** Recomputes "For the current file" for the active editor, then the tree. */
  async refreshCurrent(): Promise<void> {
    const uri = vscode.window.activeTextEditor?.document.uri;
    this.current = uri && uri.scheme === 'file' && this.library.isLoaded ? await this.library.forFile(uri) : [];
    this.rebuild();
  }

  private rebuild(): void {
    this.roots = buildRunbookTree(this.library, this.current, this.filter);
    const total = this.library.all().length;
    this.view.description = this.filter ? `filter: ${this.filter}` : undefined;
    this.view.message = this.library.isLoading && total === 0 ? 'Reading runbooks…' : this.filter && this.roots.length === 0 ? `No runbook matches "${this.filter}".` : undefined;
    this.emitter.fire(undefined);
  }

  /** Selects a runbook in the tree (after opening it from elsewhere). */
  async reveal(key: string): Promise<void> {
    const find = (nodes: readonly RunbookNode[]): RunbookNode | undefined => {
      for (const n of nodes) {
        if (n.runbook?.key === key) return n;
        const inner = find(n.children);
        if (inner) return inner;
      }
      return undefined;
    };
    const node = find(this.roots.filter((r) => !r.id.startsWith('current')));
    if (node && this.view.visible) await this.view.reveal(node, { select: true, focus: false, expand: true });
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** Builds the tree (exported for tests): groups sorted by name, built-ins last, runbooks by title. */
export function buildRunbookTree(library: RunbookLibrary, current: readonly LoadedRunbook[], filter: string): RunbookNode[] {
  const keep = (list: readonly LoadedRunbook[]): LoadedRunbook[] => (filter ? library.filter(list, filter) : [...list]);
  const roots: RunbookNode[] = [];
  const group = (id: string, label: string, icon: string, list: readonly LoadedRunbook[], description: string | undefined, expanded: boolean): void => {
    const shown = keep(list).sort((a, b) => a.runbook.title.localeCompare(b.runbook.title));
    if (shown.length === 0) return;
    const node: RunbookNode = {
      id,
      label,
      description: description ?? `${shown.length}`,
      icon: new vscode.ThemeIcon(icon),
      parent: undefined,
      children: [],
      expanded: expanded || filter !== '',
      contextValue: 'runbookGroup',
    };
    for (const rb of shown) node.children.push(runbookNode(node, rb));
    roots.push(node);
  };
  group('current', 'For the current file', 'target', current, undefined, true);
  for (const s of library.services()) {
    group(`service:${s.key}`, s.label, s.builtin ? 'library' : 'server-process', s.runbooks, s.description, false);
  }
  return roots;
}

function runbookNode(parent: RunbookNode, rb: LoadedRunbook): RunbookNode {
  const r = rb.runbook;
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  const warnings = r.problems.length - errors;
  const bits: string[] = [];
  if (rb.stale) bits.push(`stale · reviewed ${r.lastReviewed ?? '?'}`);
  if (r.problems.length > 0) bits.push(`${r.problems.length} ${r.problems.length === 1 ? 'problem' : 'problems'}`);
  if (bits.length === 0 && r.alerts.length > 0 && r.alerts[0] !== r.title) bits.push(r.alerts.join(', '));
  const tip = new vscode.MarkdownString(undefined, false);
  tip.isTrusted = false;
  tip.supportHtml = false;
  tip.appendText(`${r.title}\n`);
  tip.appendMarkdown('\n');
  if (r.alerts.length) tip.appendText(`Alerts: ${r.alerts.join(', ')}\n`);
  if (r.services.length) tip.appendText(`Services: ${r.services.join(', ')}\n`);
  if (r.owner) tip.appendText(`Owner: ${r.owner}\n`);
  if (r.lastReviewed) tip.appendText(`Last reviewed: ${r.lastReviewed}${rb.stale ? ' (stale)' : ''}\n`);
  if (errors + warnings > 0) tip.appendText(`${errors} error(s), ${warnings} warning(s): see the Problems panel\n`);
  tip.appendText(rb.displayPath);
  const icon = errors + warnings > 0 ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : rb.stale ? new vscode.ThemeIcon('history', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('book');
  const node: RunbookNode = {
    id: `${parent.id}/${rb.key}`,
    label: noIcons(r.title),
    description: noIcons(bits.join(' · ')) || undefined,
    tooltip: tip,
    icon,
    parent,
    children: [],
    runbook: rb,
    contextValue: rb.origin === 'builtin' ? 'runbook.builtin' : 'runbook',
  };
  for (const a of r.alerts) {
    node.children.push({ id: `${node.id}#${a}`, label: noIcons(a), icon: new vscode.ThemeIcon('bell'), parent: node, children: [], runbook: rb, contextValue: 'runbookAlert' });
  }
  return node;
}
