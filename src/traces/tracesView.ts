import * as vscode from 'vscode';
import type { FileIndexEntry, TraceSummary } from '../core/traces/traceIndex';
import { formatLabel } from '../core/traces/formats';
import { Commands } from '../commands';
import type { WorkspaceTraces } from './workspaceTraces';

type Node = { readonly kind: 'file'; readonly path: string; readonly entry: FileIndexEntry } | { readonly kind: 'trace'; readonly path: string; readonly trace: TraceSummary };

/** The "Traces" view: trace files of the workspace and the traces in each. Indexing starts when the view is first shown. */
export class TracesTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly traces: WorkspaceTraces) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      await this.traces.ensureIndexed();
      return this.traces.entries().map(([path, entry]) => ({ kind: 'file', path, entry }));
    }
    if (node.kind === 'file') {
      return [...node.entry.traces].sort((a, b) => (a.startUs ?? 0) - (b.startUs ?? 0)).map((trace) => ({ kind: 'trace', path: node.path, trace }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'file') {
      const e = node.entry;
      const item = new vscode.TreeItem(this.traces.label(node.path), e.traces.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      item.resourceUri = vscode.Uri.file(node.path);
      item.contextValue = 'oncall.traceFile';
      if (e.error) {
        const at = e.error.position ? ` (line ${e.error.position.line}, column ${e.error.position.column})` : '';
        item.description = 'unreadable';
        item.tooltip = `${this.traces.label(node.path)}${at}: ${e.error.message}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        const pos = new vscode.Position(Math.max(0, (e.error.position?.line ?? 1) - 1), Math.max(0, (e.error.position?.column ?? 1) - 1));
        item.command = { command: 'vscode.open', title: 'Open File', arguments: [vscode.Uri.file(node.path), { selection: new vscode.Range(pos, pos) }] };
      } else {
        item.description = `${e.traces.length} trace${e.traces.length === 1 ? '' : 's'}${e.format ? ` · ${formatLabel(e.format)}` : ''}`;
        item.iconPath = vscode.ThemeIcon.File;
      }
      return item;
    }
    const t = node.trace;
    const item = new vscode.TreeItem(t.rootName ?? t.traceId, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.path}#${t.traceId}`;
    // Many traces share a root name (every checkout is "POST /api/checkout"): the UTC start time tells them apart.
    const at = t.startUs !== undefined ? `${new Date(t.startUs / 1000).toISOString().slice(11, 19)}Z` : undefined;
    const parts = [at, t.rootService, t.durationUs !== undefined ? formatDuration(t.durationUs) : undefined, t.spanCount !== undefined ? `${t.spanCount} spans` : undefined];
    item.description = parts.filter((p) => p !== undefined).join(' · ');
    item.tooltip = new vscode.MarkdownString(undefined, false);
    item.tooltip.isTrusted = false;
    item.tooltip.appendText(`Trace ${t.traceId}\n`);
    if (t.startUs !== undefined) item.tooltip.appendText(`Started ${new Date(t.startUs / 1000).toISOString()}\n`);
    if (t.errorCount) item.tooltip.appendText(`${t.errorCount} error span(s)\n`);
    item.iconPath = t.errorCount ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('pulse');
    item.contextValue = 'oncall.trace';
    item.command = { command: Commands.openTrace, title: 'Open Trace', arguments: [t.traceId] };
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

export function formatDuration(us: number): string {
  if (us < 1000) return `${us.toFixed(0)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}
