import * as vscode from 'vscode';
import type { Catalog, ServiceEntry } from '../core/catalog/model';
import { defaultCatalog, loadCatalog, serviceForFile } from '../core/catalog/load';
import type { LoadCatalogOptions } from '../core/catalog/load';
import type { Problem } from '../core/util/problems';
import { DisposableStore } from '../platform/disposables';
import type { Configuration } from '../platform/configuration';
import type { Logger } from '../platform/logger';

export const CATALOG_FILES = ['oncall.yaml', 'oncall.yml'] as const;

/** Problems of a file as Diagnostics (1-based positions → 0-based ranges), source "On-Call Lens". */
export function toDiagnostics(problems: readonly Problem[]): vscode.Diagnostic[] {
  return problems.map((p) => {
    const start = new vscode.Position(Math.max(0, p.line - 1), Math.max(0, p.column - 1));
    const end = p.endLine !== undefined && p.endColumn !== undefined ? new vscode.Position(Math.max(0, p.endLine - 1), Math.max(0, p.endColumn - 1)) : start.translate(0, 1);
    const severity = p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    const d = new vscode.Diagnostic(new vscode.Range(start, end.isBefore(start) ? start : end), p.message, severity);
    d.source = 'On-Call Lens';
    d.code = p.code;
    return d;
  });
}

/**
 * The service catalog of each workspace folder (`oncall.yaml` at its root, or the defaults), read on first use and
 * re-read when the file changes. Problems go to the Problems panel at their line and column; a broken catalog
 * still yields what could be read, and never stops the rest of the extension.
 */
export class CatalogService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly catalogs = new Map<string, Promise<{ catalog: Catalog; uri: vscode.Uri | undefined }>>();
  private readonly emitter = new vscode.EventEmitter<vscode.WorkspaceFolder>();
  /** Fires after a folder's catalog was re-read. */
  readonly onDidChange = this.emitter.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('oncall-catalog');

  constructor(
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {
    this.store.add(this.emitter);
    this.store.add(this.diagnostics);
    for (const name of CATALOG_FILES) {
      const watcher = this.store.add(vscode.workspace.createFileSystemWatcher(`**/${name}`));
      const changed = (uri: vscode.Uri): void => this.invalidate(uri);
      this.store.add(watcher.onDidChange(changed));
      this.store.add(watcher.onDidCreate(changed));
      this.store.add(watcher.onDidDelete(changed));
    }
    this.store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.catalogs.clear()));
    // Backend names are checked against the settings: re-read when they change.
    this.store.add(
      config.onDidChange(() => {
        if (this.catalogs.size === 0) return;
        this.catalogs.clear();
        for (const f of vscode.workspace.workspaceFolders ?? []) void this.get(f).then(() => this.emitter.fire(f));
      }),
    );
    // Problems follow the text as it is typed (not only on save); the catalog itself changes when the file is saved.
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.store.add({ dispose: () => timer && clearTimeout(timer) });
    this.store.add(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.isCatalogFile(e.document.uri)) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => this.validateBuffer(e.document), 250);
      }),
    );
    this.store.add(vscode.workspace.onDidOpenTextDocument((d) => this.isCatalogFile(d.uri) && this.validateBuffer(d)));
    for (const d of vscode.workspace.textDocuments) if (this.isCatalogFile(d.uri)) this.validateBuffer(d);
  }

  private isCatalogFile(uri: vscode.Uri): boolean {
    const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    return !!folder && CATALOG_FILES.some((n) => vscode.Uri.joinPath(folder.uri, n).toString() === uri.toString());
  }

  private validateBuffer(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const name = doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1);
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    this.diagnostics.set(doc.uri, toDiagnostics(loadCatalog(doc.getText(), name, this.options(folder)).problems));
  }

  /** The catalog of a folder (read once, then cached until oncall.yaml changes). */
  get(folder: vscode.WorkspaceFolder): Promise<Catalog> {
    return this.entry(folder).then((e) => e.catalog);
  }

  /** The oncall.yaml of a folder, when it has one. */
  async fileOf(folder: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined> {
    return (await this.entry(folder)).uri;
  }

  /** The service a file belongs to (most specific `paths` glob), if the catalog names one. */
  async serviceOf(uri: vscode.Uri): Promise<{ folder: vscode.WorkspaceFolder; service: ServiceEntry | undefined } | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    const catalog = await this.get(folder);
    return { folder, service: serviceForFile(catalog, relativePath(folder, uri)) };
  }

  /** The catalog's service of a file, with its trace backend name (undefined without an oncall.yaml entry). */
  async serviceHint(uri: vscode.Uri | undefined): Promise<{ service?: string; backend?: string } | undefined> {
    const s = uri ? (await this.serviceOf(uri))?.service : undefined;
    const catalog = uri && vscode.workspace.getWorkspaceFolder(uri);
    if (!s || !catalog || (await this.get(catalog)).source !== 'file') return undefined;
    return { service: s.name, ...(s.traces ? { backend: s.traces } : {}) };
  }

  /** Every service's `metrics.exemplars` PromQL; `current` marks the service of `active` (the file on screen). */
  async exemplarQueries(active: vscode.Uri | undefined): Promise<{ service: string; query: string; current: boolean }[]> {
    const current = active ? (await this.serviceOf(active))?.service?.name : undefined;
    const out: { service: string; query: string; current: boolean }[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const catalog = await this.get(folder);
      if (catalog.source !== 'file') continue;
      for (const s of catalog.services) if (s.metrics?.exemplars) out.push({ service: s.name, query: s.metrics.exemplars, current: s.name === current });
    }
    return out;
  }

  private entry(folder: vscode.WorkspaceFolder): Promise<{ catalog: Catalog; uri: vscode.Uri | undefined }> {
    const key = folder.uri.toString();
    let p = this.catalogs.get(key);
    if (!p) {
      p = this.read(folder);
      this.catalogs.set(key, p);
    }
    return p;
  }

  private async read(folder: vscode.WorkspaceFolder): Promise<{ catalog: Catalog; uri: vscode.Uri | undefined }> {
    for (const name of CATALOG_FILES) {
      const uri = vscode.Uri.joinPath(folder.uri, name);
      let bytes: Uint8Array;
      try {
        bytes = await vscode.workspace.fs.readFile(uri);
      } catch {
        this.diagnostics.delete(uri);
        continue;
      }
      const t0 = Date.now();
      const catalog = loadCatalog(new TextDecoder('utf-8').decode(bytes), name, this.options(folder));
      this.diagnostics.set(uri, toDiagnostics(catalog.problems));
      const errors = catalog.problems.filter((p) => p.severity === 'error').length;
      this.log.info(`Read ${uri.fsPath}: ${catalog.services.length} service(s), ${catalog.problems.length} problem(s) in ${Date.now() - t0} ms`);
      if (errors > 0) this.log.warn(`${name} has ${errors} error(s); see the Problems panel. What could be read is used.`);
      return { catalog, uri };
    }
    return { catalog: defaultCatalog(folder.name), uri: undefined };
  }

  /** Names the catalog may refer to; a broken or empty file falls back to the folder's default service. */
  private options(folder: vscode.WorkspaceFolder | undefined): LoadCatalogOptions {
    return { knownBackends: this.config.settings.traces.backends.map((b) => b.name), ...(folder ? { folderName: folder.name } : {}) };
  }

  private invalidate(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || !this.isCatalogFile(uri)) return;
    this.catalogs.delete(folder.uri.toString());
    // Re-read now so the Problems panel follows edits even when nothing else asks for the catalog.
    void this.get(folder).then(() => this.emitter.fire(folder));
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** A file's path relative to its workspace folder, posix. */
export function relativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : vscode.workspace.asRelativePath(uri, false);
}
