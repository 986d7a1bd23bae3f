import * as vscode from 'vscode';
import * as path from 'node:path';
import { bestSuffixMatch, pathSegments } from '../core/traces/pathMatch';
import type { CodeRef, RouteRef } from '../shared/protocol/waterfall';
import type { Configuration } from '../platform/configuration';
import type { Logger } from '../platform/logger';

/** Where a span or stack frame points: a path as the producer wrote it, maybe a line, column and function. */
export interface CodeTarget {
  readonly path?: string | undefined;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  readonly function?: string | undefined;
  /** Named in messages: "span \"loadUser\"" or "a frame of the exception in span \"loadUser\"". */
  readonly context: string;
}

export type NavigationResult = { readonly opened: vscode.Uri; readonly line: number } | { readonly opened: undefined; readonly reason: string };

/**
 * Opens the workspace file a trace points at. Paths from another machine (`/srv/app/src/x.ts`) resolve by the
 * longest matching path suffix; only files inside the workspace are ever opened.
 */
export class CodeNavigator {
  private routeResolver: ((input: string) => Promise<boolean>) | undefined;

  constructor(
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {}

  /** Set by the composition root: finds and opens the handler of a route or RPC (the wire index's Go to Handler). */
  setRouteResolver(resolver: (input: string) => Promise<boolean>): void {
    this.routeResolver = resolver;
  }

  /** Opens the handler of the route or RPC a span names (when it has no `code.*` attributes). */
  async openRoute(route: RouteRef, spanName: string): Promise<boolean> {
    const input = routeInput(route);
    if (!this.routeResolver || !input) {
      void vscode.window.showInformationMessage(`Span "${spanName}" has no code.* attributes, so it names no source location.`);
      return false;
    }
    this.log.info(`Span "${spanName}" names no code; looking up the handler of ${input}`);
    return this.routeResolver(input);
  }

  async open(target: CodeTarget): Promise<NavigationResult> {
    const uri = target.path ? await this.resolve(target.path) : target.function ? await this.findSymbol(target.function) : undefined;
    if (!uri) {
      const what = target.path ? `No file in this workspace matches ${target.path}` : 'This span names no source file';
      this.log.info(`${what} (${target.context})`);
      const fn = target.function ? shortName(target.function) : undefined;
      const searchFor = fn ?? (target.path ? path.posix.basename(target.path.replace(/\\/g, '/')) : undefined);
      const action = searchFor ? `Search for "${searchFor}"` : undefined;
      void vscode.window.showWarningMessage(`${what} (${target.context}).`, ...(action ? [action] : [])).then((pick) => {
        if (pick && searchFor) void vscode.commands.executeCommand('workbench.action.findInFiles', { query: searchFor, triggerSearch: true, isRegex: false, matchWholeWord: true });
      });
      return { opened: undefined, reason: what };
    }
    const line = Math.max(1, target.line ?? 1);
    const column = Math.max(1, target.column ?? 1);
    const pos = new vscode.Position(line - 1, column - 1);
    const editor = await vscode.window.showTextDocument(uri, {
      selection: new vscode.Range(pos, pos),
      viewColumn: this.config.settings.codeNavigation.openBeside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
      preview: true,
    });
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.log.info(`Opened ${vscode.workspace.asRelativePath(uri)}:${line} (${target.context})`);
    return { opened: uri, line };
  }

  /** The workspace file for a path written anywhere: relative to a folder, absolute inside one, or by suffix. */
  async resolve(written: string): Promise<vscode.Uri | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const normalized = written.replace(/\\/g, '/').replace(/^file:\/\//, '');
    for (const f of folders) {
      const direct = path.posix.isAbsolute(normalized) ? vscode.Uri.file(normalized) : vscode.Uri.joinPath(f.uri, normalized);
      if (isInside(f.uri, direct) && (await exists(direct))) return direct;
    }
    const base = path.posix.basename(normalized);
    if (!base || base === '.' || base === '..') return undefined;
    const found = await vscode.workspace.findFiles(`**/${escapeGlob(base)}`, '**/node_modules/**', 500);
    const byRelative = new Map(found.map((u) => [vscode.workspace.asRelativePath(u, true), u]));
    const match = bestSuffixMatch(normalized, [...byRelative.keys()]);
    if (!match) return undefined;
    const segments = pathSegments(normalized).length;
    if (match.ties.length > 0) {
      const pick = await vscode.window.showQuickPick([match.path, ...match.ties], { title: `Several workspace files match ${written}`, placeHolder: 'Pick the file to open' });
      return pick ? byRelative.get(pick) : undefined;
    }
    // A lone file-name match is only trusted when the written path had nothing more to compare.
    if (match.score < Math.min(2, segments) && found.length > 1) return undefined;
    return byRelative.get(match.path);
  }

  private async findSymbol(fn: string): Promise<vscode.Uri | undefined> {
    const name = shortName(fn);
    const symbols = await Promise.race([
      vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', name).then((s) => s ?? []),
      new Promise<vscode.SymbolInformation[]>((r) => setTimeout(() => r([]), 3000)),
    ]);
    const exact = symbols.filter((s) => s.name === name || s.name === `${name}()`);
    return exact.length === 1 ? exact[0]?.location.uri : undefined;
  }
}

/** `com.x.Cart.checkout` → `checkout`; `UserRepo.load` → `load`; `pkg.(*T).Serve` → `Serve`. */
export function shortName(fn: string): string {
  const parts = fn.split(/[.:/#\\]+/).filter((p) => p !== '');
  return (parts[parts.length - 1] ?? fn).replace(/[()*]/g, '');
}

function isInside(folder: vscode.Uri, uri: vscode.Uri): boolean {
  const rel = path.posix.relative(folder.path, uri.path);
  return rel !== '' && !rel.startsWith('..') && !path.posix.isAbsolute(rel);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    const st = await vscode.workspace.fs.stat(uri);
    return (st.type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}

function escapeGlob(s: string): string {
  return s.replace(/[[\]{}*?!]/g, (c) => `[${c}]`);
}

/** What Go to Handler is given for a span's route: the RPC, or `METHOD route` (the template, else the concrete path). */
export function routeInput(route: RouteRef): string | undefined {
  if (route.rpc) return route.rpc;
  const p = route.route ?? route.path; // the template names the handler; a concrete path could also fit a more literal route
  if (!p) return undefined;
  return route.method && route.method !== '_OTHER' ? `${route.method} ${p}` : p;
}

export function codeTargetOf(code: CodeRef, spanName: string): CodeTarget {
  return { path: code.path, line: code.line, column: code.column, function: code.function, context: `span "${spanName}"` };
}
