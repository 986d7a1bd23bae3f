import * as vscode from 'vscode';
import type { WireRecord } from '../core/wire/model';
import { noIcons } from '../core/util/text';
import { DisposableStore } from '../platform/disposables';
import { ERROR_KIND_TEXT } from './errorDecorations';
import { WireCommands, WireViews } from './wireCommands';
import type { WireService } from './wireService';

/** One node of the Wire Map: service → group → handler/entry → error exits. */
export interface WireNode {
  readonly id: string;
  readonly label: string;
  readonly description?: string | undefined;
  readonly tooltip?: string | undefined;
  readonly icon: string;
  readonly parent: WireNode | undefined;
  readonly children: WireNode[];
  readonly record?: WireRecord | undefined;
  readonly folder?: vscode.WorkspaceFolder | undefined;
  /** Where a click goes. */
  readonly target?: { readonly file: string; readonly line: number } | undefined;
  readonly expanded?: boolean | undefined;
}

const ERROR_ICON = 'error';

/**
 * The "Wire Map" tree in the On-Call container: service/app → entry points, HTTP routes grouped by prefix, gRPC
 * services → handlers → the error exits inside each handler. Selecting a node reveals its code. Showing the view
 * is what starts the index.
 */
export class WireMapView implements vscode.TreeDataProvider<WireNode>, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly emitter = new vscode.EventEmitter<WireNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: WireNode[] = [];
  private filter = '';
  readonly view: vscode.TreeView<WireNode>;

  constructor(private readonly wire: WireService) {
    this.view = this.store.add(vscode.window.createTreeView(WireViews.map, { treeDataProvider: this, showCollapseAll: true }));
    this.store.add(this.emitter);
    this.store.add(wire.onDidChange(() => this.rebuild()));
    this.store.add(this.view.onDidChangeVisibility((e) => e.visible && void this.wire.ensure()));
    if (this.view.visible) void this.wire.ensure();
    this.store.add(vscode.commands.registerCommand(WireCommands.filterWireMap, () => this.askFilter()));
    this.store.add(vscode.commands.registerCommand(WireCommands.clearWireMapFilter, () => this.setFilter('')));
    this.store.add(vscode.commands.registerCommand(WireCommands.revealInWireMap, (r: WireRecord) => this.reveal(r)));
  }

  getTreeItem(n: WireNode): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children.length === 0 ? vscode.TreeItemCollapsibleState.None : n.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.iconPath = new vscode.ThemeIcon(n.icon, n.icon === ERROR_ICON ? new vscode.ThemeColor('errorForeground') : undefined);
    item.contextValue = n.record ? `wire.${n.record.kind}` : 'wire.group';
    if (n.target && n.folder) item.command = { title: 'Open', command: WireCommands.openLocation, arguments: [n.target.file, n.target.line, n.folder.uri] };
    return item;
  }

  getChildren(n?: WireNode): WireNode[] {
    if (!n) {
      if (!this.wire.isStarted) void this.wire.ensure();
      return this.roots;
    }
    return n.children;
  }

  getParent(n: WireNode): WireNode | undefined {
    return n.parent;
  }

  /** The top-level nodes as built (for tests). */
  get nodes(): readonly WireNode[] {
    return this.roots;
  }

  setFilter(text: string): void {
    this.filter = text.trim();
    void vscode.commands.executeCommand('setContext', 'oncall.wireMapFiltered', this.filter !== '');
    this.rebuild();
  }

  private async askFilter(): Promise<void> {
    const text = await vscode.window.showInputBox({ title: 'Filter the Wire Map', prompt: 'Part of a route, handler, file or error text (e.g. articles, POST, 500)', value: this.filter });
    if (text !== undefined) this.setFilter(text);
  }

  async reveal(r: WireRecord): Promise<void> {
    await vscode.commands.executeCommand(`${WireViews.map}.focus`);
    const find = (nodes: readonly WireNode[]): WireNode | undefined => {
      for (const n of nodes) {
        if (n.record === r || (n.record && n.record.file === r.file && n.record.line === r.line && n.record.kind === r.kind && n.record.route === r.route)) return n;
        const inner = find(n.children);
        if (inner) return inner;
      }
      return undefined;
    };
    const node = find(this.roots);
    if (node) await this.view.reveal(node, { select: true, focus: true, expand: true });
  }

  private rebuild(): void {
    this.roots = buildWireTree(
      this.wire.indexedFolders().map((folder) => ({ folder, records: this.wire.mapOf(folder)?.records ?? [] })),
      this.filter,
    );
    const total = this.wire.all().filter((x) => x.record.kind === 'http' || x.record.kind === 'grpc').length;
    this.view.description = this.filter ? `filter: ${this.filter}` : undefined;
    this.view.message = this.wire.isScanning ? 'Indexing the wire…' : this.wire.isStarted && total === 0 ? 'No HTTP routes or gRPC services found in this workspace. See the log (On-Call: Show Log) for files that could not be read.' : this.filter && this.roots.length === 0 ? `Nothing matches "${this.filter}".` : undefined;
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** Builds the tree (pure apart from the folder objects it carries; exported for tests). */
export function buildWireTree(folders: readonly { folder: vscode.WorkspaceFolder; records: readonly WireRecord[] }[], filter: string): WireNode[] {
  const f = filter.toLowerCase();
  const matches = (r: WireRecord): boolean => f === '' || [r.method, r.route, r.handler, r.file, r.text, r.detail, r.framework].some((s) => s?.toLowerCase().includes(f));
  const multiRoot = folders.length > 1;
  const roots: WireNode[] = [];
  for (const { folder, records } of folders) {
    const folderNode: WireNode | undefined = multiRoot ? { id: `f:${folder.uri.toString()}`, label: folder.name, icon: 'root-folder', parent: undefined, children: [], expanded: true } : undefined;
    const services = [...new Set(records.filter((r) => r.kind !== 'error').map((r) => r.service))].sort();
    const errors = records.filter((r) => r.kind === 'error');
    for (const service of services) {
      const mine = records.filter((r) => r.service === service);
      const frameworks = [...new Set(mine.filter((r) => r.kind === 'http' || r.kind === 'grpc').map((r) => r.framework))];
      const languages = [...new Set(mine.filter((r) => r.kind !== 'error').map((r) => r.language))];
      const sid = `s:${folder.uri.toString()}:${service}`;
      const routeCount = mine.filter((r) => r.kind === 'http' || r.kind === 'grpc').length;
      const serviceNode: WireNode = {
        id: sid,
        label: service === '' ? folder.name : service,
        description: `${languages.join(', ')}${frameworks.length ? ' · ' + frameworks.join(', ') : ''} · ${routeCount} ${routeCount === 1 ? 'route' : 'routes'}`,
        icon: 'server-process',
        parent: folderNode,
        children: [],
        expanded: true,
      };
      /** Small groups open, large ones closed, so a big service still fits on a screen. */
      const group = (id: string, label: string, icon: string, size: number, description?: string): WireNode => ({ id: `${sid}:${id}`, label, icon, parent: serviceNode, children: [], description, expanded: size <= 8 });
      const errorChildren = (parent: WireNode, r: WireRecord): void => {
        if (!r.handlerFile || r.handlerLine === undefined) return;
        const end = r.handlerEndLine ?? r.handlerLine;
        for (const e of errors) {
          if (e.file !== r.handlerFile || e.line < r.handlerLine || e.line > end) continue;
          parent.children.push({
            id: `${parent.id}:e:${e.line}:${e.column}`,
            label: noIcons(e.text ?? ''),
            description: e.detail,
            tooltip: `${e.detail === 'swallow' ? 'Swallowed error' : 'Error exit'}: ${ERROR_KIND_TEXT[e.detail as keyof typeof ERROR_KIND_TEXT] ?? e.detail} — ${e.file}:${e.line}`,
            icon: e.detail === 'swallow' ? 'circle-slash' : ERROR_ICON,
            parent,
            children: [],
            record: e,
            folder,
            target: { file: e.file, line: e.line },
          });
        }
      };
      const leaf = (parent: WireNode, r: WireRecord, label: string, icon: string): WireNode => {
        const target = r.handlerFile && r.handlerLine !== undefined ? { file: r.handlerFile, line: r.handlerLine } : { file: r.file, line: r.line };
        const node: WireNode = {
          id: `${parent.id}:${r.kind}:${r.file}:${r.line}:${r.column}:${r.method ?? ''}:${r.route ?? ''}`,
          label,
          description: `${r.handler && r.kind !== 'entry' ? noIcons(r.handler) + ' · ' : ''}${target.file}:${target.line}${r.shadowed ? ' · shadowed' : ''}`,
          tooltip: `${label}\nregistered at ${r.file}:${r.line}${r.handlerFile ? `\nhandler ${r.handler ?? ''} at ${r.handlerFile}:${r.handlerLine}` : ''}\n${r.framework} (${r.language})`,
          icon,
          parent,
          children: [],
          record: r,
          folder,
          target,
        };
        errorChildren(node, r);
        return node;
      };

      const entries = mine.filter((r) => r.kind === 'entry' && matches(r));
      if (entries.length > 0) {
        const g = group('entry', 'Entry points', 'debug-start', entries.length);
        for (const r of entries) g.children.push(leaf(g, r, `${r.detail ?? 'entry'}: ${noIcons(r.text ?? '')}`, 'debug-start'));
        serviceNode.children.push(g);
      }
      const http = mine.filter((r) => r.kind === 'http' && matches(r));
      if (http.length > 0) {
        const byPrefix = new Map<string, WireRecord[]>();
        for (const r of [...http].sort((a, b) => (a.route ?? '').localeCompare(b.route ?? '') || (a.method ?? '').localeCompare(b.method ?? ''))) {
          const p = prefixOf(r.route ?? '/');
          let list = byPrefix.get(p);
          if (!list) byPrefix.set(p, (list = []));
          list.push(r);
        }
        for (const [prefix, list] of byPrefix) {
          const g = group(`http:${prefix}`, prefix, 'symbol-namespace', list.length, `${list.length} ${list.length === 1 ? 'route' : 'routes'}`);
          for (const r of list) g.children.push(leaf(g, r, `${r.method ?? ''} ${noIcons(r.route ?? '')}`, r.shadowed ? 'warning' : 'plug'));
          serviceNode.children.push(g);
        }
      }
      const grpc = mine.filter((r) => r.kind === 'grpc' && matches(r));
      if (grpc.length > 0) {
        const byService = new Map<string, WireRecord[]>();
        for (const r of grpc) {
          const svc = (r.route ?? '').split('/')[1] ?? '';
          let list = byService.get(svc);
          if (!list) byService.set(svc, (list = []));
          list.push(r);
        }
        for (const [svc, list] of [...byService].sort((a, b) => a[0].localeCompare(b[0]))) {
          const g = group(`grpc:${svc}`, `gRPC ${svc}`, 'symbol-interface', list.length, `${list.length} ${list.length === 1 ? 'method' : 'methods'}`);
          for (const r of list) g.children.push(leaf(g, r, `${(r.route ?? '').split('/')[2] ?? r.route ?? ''}${r.handler ? '' : ' (not implemented here)'}`, 'symbol-method'));
          serviceNode.children.push(g);
        }
      }
      if (serviceNode.children.length === 0) continue;
      if (folderNode) folderNode.children.push(serviceNode);
      else roots.push(serviceNode);
    }
    if (folderNode && folderNode.children.length > 0) roots.push(folderNode);
  }
  return roots;
}

/** The group a route is shown under: its first two literal segments (`/api/articles`), or `/`. */
export function prefixOf(route: string): string {
  const segs = route.split('/').filter((s) => s !== '');
  const literal: string[] = [];
  for (const s of segs) {
    if (s.includes('{') || literal.length === 2) break;
    literal.push(s);
  }
  if (literal.length === segs.length && literal.length > 0) literal.pop(); // `/api/health` groups under `/api`
  return '/' + literal.join('/');
}
