import * as vscode from 'vscode';
import { TraceIndex } from '../core/traces/traceIndex';
import type { FileIndexEntry } from '../core/traces/traceIndex';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { CancelledError } from './traceWorkerClient';
import type { TraceWorkerClient } from './traceWorkerClient';

/** File endings read as traces; other files matched by the globs (a README beside the traces) are ignored. */
const traceFileRe = /\.(json|jsonl|ndjson)$/i;

/**
 * The trace files of the workspace and the trace IDs each holds. Built lazily on first use (never at
 * activation), kept current by file watchers, re-read only when a file's mtime or size changed. Files that
 * cannot be read get a diagnostic at the position of the problem.
 */
export class WorkspaceTraces implements vscode.Disposable {
  private readonly index = new TraceIndex();
  private readonly store = new DisposableStore();
  private watchers = new DisposableStore();
  /** Globs and folders the current watchers were made for; a rebuild for anything else keeps them running. */
  private watchKey = '';
  /** The trace settings the index was built with: other `oncall.*` changes leave it alone. */
  private settingsKey: string;
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly diagnostics: vscode.DiagnosticCollection;
  private building: Promise<void> | undefined;
  private readonly pendingChanges = new Map<string, vscode.Uri | undefined>();
  private changeTimer: NodeJS.Timeout | undefined;
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly config: Configuration,
    private readonly worker: TraceWorkerClient,
    private readonly log: Logger,
  ) {
    this.diagnostics = this.store.add(vscode.languages.createDiagnosticCollection('oncall-traces'));
    this.store.add(this.emitter);
    this.settingsKey = this.traceSettingsKey();
    this.store.add(
      config.onDidChange(() => {
        const key = this.traceSettingsKey();
        if (key === this.settingsKey) return;
        this.settingsKey = key;
        if (this.building) void this.rebuild();
      }),
    );
    this.store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => (this.building ? void this.rebuild() : undefined)));
  }

  /** Indexes the workspace the first time it is called; later calls wait for that and return at once. */
  ensureIndexed(): Promise<void> {
    this.building ??= this.build();
    return this.building;
  }

  /** Forgets everything and indexes again (command "Rebuild Trace Index", settings changes). */
  rebuild(): Promise<void> {
    for (const p of this.index.paths()) this.index.remove(p);
    this.diagnostics.clear();
    this.building = this.build();
    return this.building;
  }

  lookup(traceId: string): string[] {
    return this.index.lookup(traceId);
  }

  entries(): [string, FileIndexEntry][] {
    return this.index.entries();
  }

  get isBuilt(): boolean {
    return this.building !== undefined;
  }

  /** Workspace-relative label of an indexed file. */
  label(fsPath: string): string {
    return vscode.workspace.asRelativePath(vscode.Uri.file(fsPath), vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
  }

  /** Where lookups searched, in words: the globs and the folders. */
  describeSearch(): string {
    const globs = this.config.settings.traces.paths.join(', ');
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.name).join(', ') || '(no folder open)';
    return `${this.index.paths().length} trace file(s) matching ${globs} in ${folders}`;
  }

  private traceSettingsKey(): string {
    const { paths, exclude, maxFileBytes } = this.config.settings.traces;
    return JSON.stringify([paths, exclude, maxFileBytes]);
  }

  private async build(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const { paths, exclude } = this.config.settings.traces;
    const glob = paths.length === 1 ? (paths[0] as string) : `{${paths.join(',')}}`;
    // Watch before searching, and keep watchers that already watch the same globs: a file written while the
    // search runs, or while a rebuild waits for it, is then still seen by one or the other.
    this.watch(folders, glob);
    const uris: vscode.Uri[] = [];
    for (const folder of folders) {
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), exclude || null, 20_000);
      uris.push(...found.filter((u) => traceFileRe.test(u.path)));
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Indexing trace files' }, async (progress) => {
      await this.log.timed(`Indexed ${uris.length} trace file(s) matching ${glob}`, async () => {
        let done = 0;
        for (const uri of uris) {
          progress.report({ message: `${++done}/${uris.length}` });
          await this.indexOne(uri);
        }
      });
    });
    this.emitter.fire();
  }

  private watch(folders: readonly vscode.WorkspaceFolder[], glob: string): void {
    const key = JSON.stringify([glob, folders.map((f) => f.uri.toString())]);
    if (key === this.watchKey) return;
    this.watchKey = key;
    this.watchers.dispose();
    this.watchers = new DisposableStore();
    for (const folder of folders) {
      const w = this.watchers.add(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob)));
      this.watchers.add(w.onDidCreate((u) => this.queueChange(u, true)));
      this.watchers.add(w.onDidChange((u) => this.queueChange(u, true)));
      this.watchers.add(w.onDidDelete((u) => this.queueChange(u, false)));
    }
  }

  private queueChange(uri: vscode.Uri, exists: boolean): void {
    if (!traceFileRe.test(uri.path)) return;
    this.pendingChanges.set(uri.fsPath, exists ? uri : undefined);
    if (this.changeTimer) clearTimeout(this.changeTimer);
    // Debounced: a tool writing a file emits several events, and a save storm must not re-parse every time.
    this.changeTimer = setTimeout(() => void this.flushChanges(), 300);
  }

  private async flushChanges(): Promise<void> {
    const changes = [...this.pendingChanges];
    this.pendingChanges.clear();
    for (const [fsPath, uri] of changes) {
      if (uri) await this.indexOne(uri);
      else {
        this.index.remove(fsPath);
        this.diagnostics.delete(vscode.Uri.file(fsPath));
      }
    }
    if (changes.length > 0) this.emitter.fire();
  }

  private async indexOne(uri: vscode.Uri): Promise<void> {
    const old = this.index.get(uri.fsPath);
    try {
      const st = await vscode.workspace.fs.stat(uri);
      if (old && old.mtimeMs === st.mtime && old.size === st.size) return;
      const entry = await this.worker.index(uri.fsPath, this.config.settings.traces.maxFileBytes);
      this.index.set(uri.fsPath, entry);
      this.setDiagnostics(uri, entry);
      this.log.debug(`Indexed ${this.label(uri.fsPath)}: ${entry.traces.length} trace(s)${entry.error ? `, error: ${entry.error.message}` : ''}`);
    } catch (e) {
      if (e instanceof CancelledError) return;
      this.log.warn(`Could not index ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
      this.index.remove(uri.fsPath);
    }
  }

  private setDiagnostics(uri: vscode.Uri, entry: FileIndexEntry): void {
    if (!entry.error) {
      this.diagnostics.delete(uri);
      return;
    }
    const pos = entry.error.position;
    const at = new vscode.Position(pos ? pos.line - 1 : 0, pos ? pos.column - 1 : 0);
    const d = new vscode.Diagnostic(new vscode.Range(at, at.translate(0, 1)), `Not readable as a trace: ${entry.error.message}`, vscode.DiagnosticSeverity.Warning);
    d.source = 'On-Call Lens';
    this.diagnostics.set(uri, [d]);
  }

  dispose(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.watchers.dispose();
    this.store.dispose();
  }
}
