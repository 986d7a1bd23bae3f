import * as vscode from 'vscode';
import type { WireMap, WireRecord } from '../core/wire/model';
import { MANIFESTS, WIRE_EXTENSIONS } from '../core/wire/extensions';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { WireMapCopy } from '../core/wire/mapCopy';
import type { WireChange, WireWorkerClient } from './wireWorkerClient';

/** A record with the workspace folder it belongs to. */
export interface FolderRecord {
  readonly folder: vscode.WorkspaceFolder;
  readonly record: WireRecord;
}

interface FolderState {
  readonly folder: vscode.WorkspaceFolder;
  /** The folder's map as the worker last sent it (whole after a scan, then patched by each update's delta). */
  readonly copy: WireMapCopy;
  scanning: Promise<void> | undefined;
  generation: number;
  /** The last scan: its time in the worker, and how many files came from the warm-start cache. */
  lastScan?: { readonly ms: number; readonly cached: number } | undefined;
}

const SOURCE_GLOB = `**/*{${WIRE_EXTENSIONS.join(',')}}`;
/** Manifests: one created or deleted outside VS Code (a `git pull`) makes or ends a service root. */
const MANIFEST_GLOB = `**/{${[...MANIFESTS].filter((m) => !WIRE_EXTENSIONS.some((e) => m.endsWith(e))).join(',')},*.csproj}`;

/**
 * The wire index of every (file:) workspace folder, kept in the wire worker. Nothing is read until something asks
 * (`ensure()`: the Wire Map shown, Go to Handler, a code lens with `oncall.wire.indexOnOpen`); then saves,
 * creations and deletions re-index one file at a time.
 */
export class WireService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly folders = new Map<string, FolderState>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private started = false;
  readonly onDidChange = this.emitter.event;
  /** Last re-index time of one file (ms, in the worker), for the log and tests. */
  lastUpdateMs: number | undefined;

  /**
   * `cacheDir`: where the worker keeps each folder's warm-start cache (the workspace's storage), so the index of an
   * unchanged folder is back in well under a second after a reload; undefined: every scan reads every file.
   */
  constructor(
    private readonly worker: WireWorkerClient,
    private readonly config: Configuration,
    private readonly log: Logger,
    private readonly cacheDir?: string | undefined,
  ) {
    this.store.add(this.emitter);
    this.store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.started && void this.rescan()));
  }

  /** Whether the index was asked for in this window (so views and lenses may show it). */
  get isStarted(): boolean {
    return this.started;
  }

  get isScanning(): boolean {
    return [...this.folders.values()].some((s) => s.scanning !== undefined);
  }

  /** Starts the index (once; `fresh`: without the warm-start cache) and resolves when every folder has been scanned. */
  async ensure(fresh = false): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.watch();
      await this.rescan(fresh);
      return;
    }
    await Promise.all([...this.folders.values()].map((s) => s.scanning));
  }

  /**
   * Scans every folder again: files unchanged since the warm-start cache was written are not read again, unless
   * `fresh` (command "Rebuild Wire Index": every file is read, and the cache written anew).
   */
  async rescan(fresh = false): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    for (const key of [...this.folders.keys()]) if (!folders.some((f) => f.uri.toString() === key)) this.folders.delete(key);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'On-Call: indexing the wire' }, async (progress) => {
      await Promise.all(
        folders.map((folder) => {
          const state = this.stateOf(folder);
          state.scanning = this.scanFolder(state, (done, total) => progress.report({ message: `${folder.name}: ${done}/${total} files` }), fresh).finally(() => {
            state.scanning = undefined;
            this.emitter.fire();
          });
          return state.scanning;
        }),
      );
    });
  }

  /** The last scan of a folder (for the log and tests). */
  lastScanOf(folder: vscode.WorkspaceFolder): { readonly ms: number; readonly cached: number } | undefined {
    return this.folders.get(folder.uri.toString())?.lastScan;
  }

  /** Records of one file (by URI), for code lenses and decorations; empty before the index is built. */
  recordsOf(uri: vscode.Uri): readonly WireRecord[] {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return [];
    const state = this.folders.get(folder.uri.toString());
    return state?.copy.byFile.get(relativeTo(folder, uri)) ?? [];
  }

  /** Records whose handler is defined in this file (a handler registered in another file still gets its lens here). */
  handlersIn(uri: vscode.Uri): readonly WireRecord[] {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return [];
    return this.folders.get(folder.uri.toString())?.copy.byHandlerFile.get(relativeTo(folder, uri)) ?? [];
  }

  all(): FolderRecord[] {
    const out: FolderRecord[] = [];
    for (const s of this.folders.values()) for (const record of s.copy.map?.records ?? []) out.push({ folder: s.folder, record });
    return out;
  }

  mapOf(folder: vscode.WorkspaceFolder): WireMap | undefined {
    return this.folders.get(folder.uri.toString())?.copy.map;
  }

  /** The workspace folders the index covers, in order. */
  indexedFolders(): vscode.WorkspaceFolder[] {
    return [...this.folders.values()].map((s) => s.folder);
  }

  uriOf(folder: vscode.WorkspaceFolder, file: string): vscode.Uri {
    return vscode.Uri.joinPath(folder.uri, ...file.split('/'));
  }

  /** Error exits and functions of a document's current text (parsed in the worker; the index is not changed). */
  async fileFacts(doc: vscode.TextDocument): Promise<Awaited<ReturnType<WireWorkerClient['fileFacts']>> | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!folder || doc.uri.scheme !== 'file') return undefined;
    return this.worker.fileFacts(folder.uri.fsPath, relativeTo(folder, doc.uri), doc.getText());
  }

  /** Outgoing calls of the function around a line, read by tree-sitter. */
  async calls(doc: vscode.TextDocument, line: number): Promise<Awaited<ReturnType<WireWorkerClient['calls']>> | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!folder || doc.uri.scheme !== 'file') return undefined;
    return this.worker.calls(folder.uri.fsPath, relativeTo(folder, doc.uri), doc.getText(), line);
  }

  private stateOf(folder: vscode.WorkspaceFolder): FolderState {
    const key = folder.uri.toString();
    let s = this.folders.get(key);
    if (!s) this.folders.set(key, (s = { folder, copy: new WireMapCopy(), scanning: undefined, generation: -1 }));
    return s;
  }

  private exclude(folder: vscode.WorkspaceFolder): string[] {
    const filesExclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
    return [...Object.entries(filesExclude).filter(([, v]) => v === true).map(([k]) => k), ...this.config.settings.wire.exclude];
  }

  private async scanFolder(state: FolderState, progress: (done: number, total: number) => void, fresh: boolean): Promise<void> {
    const t0 = Date.now();
    try {
      const { map, ms, cached } = await this.worker.scan(state.folder.uri.fsPath, this.exclude(state.folder), progress, this.cacheDir ? { dir: this.cacheDir, fresh } : undefined);
      state.generation = this.worker.generation;
      state.lastScan = { ms, cached: cached?.files ?? 0 };
      this.setMap(state, map);
      const count = (k: string): number => map.records.filter((r) => r.kind === k).length;
      this.log.info(
        `Wire index of ${state.folder.name}: ${count('http')} HTTP routes, ${count('grpc')} gRPC methods, ${count('entry')} entry points, ${count('error')} error exits — ${map.stats.parsedFiles} of ${map.stats.files} files parsed (${map.stats.lines.toLocaleString('en-US')} lines) in ${ms.toFixed(0)} ms (${Date.now() - t0} ms with messaging)${cached ? `; ${cached.files} files unchanged since the last start were not read again` : ''}`,
      );
      if (cached?.problem) this.log.warn(`Wire index cache: ${cached.problem}`);
      for (const p of map.problems.slice(0, 20)) this.log.warn(`Wire index: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
      if (map.problems.length > 20) this.log.warn(`Wire index: ${map.problems.length - 20} more problem(s) not shown.`);
    } catch (e) {
      this.log.error(`Wire index of ${state.folder.name} failed`, e);
      void vscode.window.showErrorMessage(`On-Call Lens could not index ${state.folder.name}: ${e instanceof Error ? e.message : String(e)}`, 'Show Log').then((p) => p && this.log.show());
    }
  }

  private setMap(state: FolderState, map: WireMap): void {
    state.copy.set(map);
  }

  /** Takes in what an update or removal changed: the whole map, or the records of the files that changed. */
  private applyChange(state: FolderState, change: WireChange): void {
    if (change.map) state.copy.set(change.map);
    else state.copy.apply(change.delta);
  }

  private watch(): void {
    this.store.add(vscode.workspace.onDidSaveTextDocument((doc) => void this.updateFile(doc.uri, doc.getText())));
    // Files created, renamed or deleted in VS Code itself are known at once; the watcher below catches the rest
    // (git checkout, generators), when the platform's file watcher delivers.
    this.store.add(vscode.workspace.onDidCreateFiles((e) => e.files.forEach((uri) => void this.updateFile(uri))));
    this.store.add(vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => void this.removeFile(uri))));
    this.store.add(
      vscode.workspace.onDidRenameFiles((e) =>
        e.files.forEach(({ oldUri, newUri }) => {
          void this.removeFile(oldUri);
          void this.updateFile(newUri);
        }),
      ),
    );
    for (const glob of [SOURCE_GLOB, MANIFEST_GLOB]) {
      const watcher = this.store.add(vscode.workspace.createFileSystemWatcher(glob));
      this.store.add(watcher.onDidCreate((uri) => void this.updateFile(uri)));
      // A change on disk that is not a save in this window (git checkout, a formatter run outside): read it from disk.
      this.store.add(
        watcher.onDidChange((uri) => {
          if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && !d.isDirty)) return; // the save handler has it
          void this.updateFile(uri);
        }),
      );
      this.store.add(watcher.onDidDelete((uri) => void this.removeFile(uri)));
    }
  }

  private async updateFile(uri: vscode.Uri, text?: string): Promise<void> {
    const state = this.stateFor(uri);
    if (!state) return;
    const rel = relativeTo(state.folder, uri);
    if (!WIRE_EXTENSIONS.some((e) => rel.toLowerCase().endsWith(e)) && !MANIFESTS.has(rel.slice(rel.lastIndexOf('/') + 1))) return; // a new manifest is a new service root
    await state.scanning;
    try {
      const change = await this.worker.update(state.folder.uri.fsPath, rel, text);
      if (this.worker.generation !== state.generation) return this.rescanAfterCrash();
      this.lastUpdateMs = change.ms;
      this.applyChange(state, change);
      this.log.info(`Wire index: re-read ${rel} in ${change.ms.toFixed(1)} ms${change.delta ? ` (${change.delta.files.length} file(s) changed)` : ''}`);
      this.emitter.fire();
    } catch (e) {
      this.log.warn(`Wire index: could not re-read ${rel}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async removeFile(uri: vscode.Uri): Promise<void> {
    const state = this.stateFor(uri);
    if (!state) return;
    await state.scanning;
    try {
      const change = await this.worker.remove(state.folder.uri.fsPath, relativeTo(state.folder, uri));
      if (this.worker.generation !== state.generation) return this.rescanAfterCrash();
      this.applyChange(state, change);
      this.emitter.fire();
    } catch (e) {
      this.log.warn(`Wire index: could not drop ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private rescanAfterCrash(): void {
    this.log.warn('The wire worker restarted; indexing again.');
    void this.rescan();
  }

  private stateFor(uri: vscode.Uri): FolderState | undefined {
    if (!this.started || uri.scheme !== 'file') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.folders.get(folder.uri.toString()) : undefined;
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** Folder-relative path with forward slashes. */
export function relativeTo(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : folder.uri.path + '/';
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : vscode.workspace.asRelativePath(uri, false);
}
