import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog/model';
import type { Runbook } from '../core/runbooks/model';
import { parseRunbook } from '../core/runbooks/parse';
import { RunbookSet, isStale, unassignedService } from '../core/runbooks/index';
import type { Problem } from '../core/util/problems';
import type { CatalogService } from '../catalog/catalogService';
import { relativePath, toDiagnostics } from '../catalog/catalogService';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';

/** A runbook as the glue knows it: where it came from, and a key unique across folders and built-ins. */
export interface LoadedRunbook {
  /** `<folder uri>|<id>` or `builtin|<id>`: unique in the library. */
  readonly key: string;
  readonly runbook: Runbook;
  readonly uri: vscode.Uri;
  readonly folder: vscode.WorkspaceFolder | undefined;
  readonly origin: 'workspace' | 'builtin';
  readonly stale: boolean;
  /** The services it is listed under: front matter, else the catalog, else its folder (never "(unassigned)"). */
  readonly services: readonly string[];
  /** `folder/path.md` (or `built-in: path.md`) for tooltips and messages. */
  readonly displayPath: string;
}

/** A group of the Runbooks view. */
export interface LibraryService {
  readonly key: string;
  readonly label: string;
  readonly description: string | undefined;
  readonly builtin: boolean;
  readonly runbooks: readonly LoadedRunbook[];
}

interface FolderState {
  readonly folder: vscode.WorkspaceFolder;
  readonly catalog: Catalog;
  readonly set: RunbookSet;
  readonly loaded: readonly LoadedRunbook[];
}

const MAX_FILES = 5000;
const MAX_READ_BYTES = 64 * 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out']);

/**
 * Every runbook of the workspace (the folders named in oncall.yaml, `runbooks/`, `oncall.runbooks.folders`) and the
 * built-in ones, read on first use — never at startup — and re-read when a Markdown file or the catalog changes.
 * Problems of each runbook go to the Problems panel; the runbook stays listed.
 */
export class RunbookLibrary implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('oncall-runbooks');
  private folders: FolderState[] = [];
  private builtins: { set: RunbookSet; loaded: readonly LoadedRunbook[] } | undefined;
  private loading: Promise<void> | undefined;
  private again: Promise<void> | undefined;
  private loaded = false;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly byRunbook = new WeakMap<readonly LoadedRunbook[], Map<Runbook, LoadedRunbook>>();
  /** file URI → its runbooks; cleared whenever the library is re-read. */
  private readonly forFileCache = new Map<string, LoadedRunbook[]>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly catalogs: CatalogService,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {
    this.store.add(this.emitter);
    this.store.add(this.diagnostics);
    const watcher = this.store.add(vscode.workspace.createFileSystemWatcher('**/*.{md,markdown}'));
    const changed = (uri: vscode.Uri): void => {
      if (this.loaded && this.isRunbookFile(uri)) this.scheduleReload();
    };
    this.store.add(watcher.onDidChange(changed));
    this.store.add(watcher.onDidCreate(changed));
    this.store.add(watcher.onDidDelete(changed));
    this.store.add(catalogs.onDidChange(() => this.loaded && this.scheduleReload()));
    this.store.add(config.onDidChange(() => this.loaded && this.scheduleReload()));
    this.store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.loaded && this.scheduleReload()));
    this.store.add({ dispose: () => this.reloadTimer && clearTimeout(this.reloadTimer) });
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  get isLoading(): boolean {
    return this.loading !== undefined;
  }

  /** Reads everything once; later calls wait for the same read. */
  ensure(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    return this.loading ?? this.reload();
  }

  /** Re-reads every runbook (the Reload command, file changes). */
  reload(): Promise<void> {
    // A read already running may have listed the folders before the change that asks for this one: read again after
    // it (once, however many ask meanwhile).
    if (this.loading) {
      this.again ??= this.loading.then(() => {
        this.again = undefined;
        return this.reload();
      });
      return this.again;
    }
    this.loading = this.readAll().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  all(): LoadedRunbook[] {
    return [...this.folders.flatMap((f) => f.loaded), ...(this.builtins?.loaded ?? [])];
  }

  byKey(key: string): LoadedRunbook | undefined {
    return this.all().find((r) => r.key === key) ?? this.all().find((r) => r.runbook.id === key);
  }

  byUri(uri: vscode.Uri): LoadedRunbook | undefined {
    const s = uri.toString();
    return this.all().find((r) => r.uri.toString() === s);
  }

  /** Groups for the view: each folder's services (from the catalog, front matter or folders), then the built-ins. */
  services(): LibraryService[] {
    const multi = this.folders.length > 1;
    const out: LibraryService[] = [];
    for (const f of this.folders) {
      for (const g of f.set.services()) {
        // Hugo section pages (`_index.md`) name a folder; their title labels the group instead of being listed.
        const runbooks = g.runbooks
          .filter((rb) => !rb.isSectionIndex)
          .map((rb) => this.find(f.loaded, rb))
          .filter((x): x is LoadedRunbook => x !== undefined);
        if (runbooks.length === 0) continue;
        const team = f.catalog.services.find((s) => s.name === g.name)?.team;
        out.push({
          key: `${f.folder.uri.toString()}|${g.name}`,
          label: multi ? `${g.label} (${f.folder.name})` : g.label,
          description: [team, `${runbooks.length}`].filter(Boolean).join(' · '),
          builtin: false,
          runbooks,
        });
      }
    }
    if (this.builtins && this.builtins.loaded.length > 0) {
      // Built-ins apply to every service: one group of their own, after the workspace's.
      out.push({ key: 'builtin', label: 'On-Call Lens (built-in)', description: `${this.builtins.loaded.length}`, builtin: true, runbooks: this.builtins.loaded });
    }
    return out;
  }

  /** Runbooks for a file: those whose `code` globs match it, and those of the service the file belongs to. */
  async forFile(uri: vscode.Uri): Promise<LoadedRunbook[]> {
    await this.ensure();
    return this.forFileNow(uri);
  }

  /** {@link forFile} without reading: empty until the library is loaded (for code lenses). */
  forFileNow(uri: vscode.Uri): LoadedRunbook[] {
    const cached = this.forFileCache.get(uri.toString());
    if (cached) return cached;
    const found = this.lookUpFile(uri);
    if (this.forFileCache.size > 2000) this.forFileCache.clear();
    this.forFileCache.set(uri.toString(), found);
    return found;
  }

  private lookUpFile(uri: vscode.Uri): LoadedRunbook[] {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const state = folder && this.folders.find((f) => f.folder.uri.toString() === folder.uri.toString());
    if (!state || !folder) return [];
    return state.set
      .forFile(relativePath(folder, uri))
      .map((rb) => this.find(state.loaded, rb))
      .filter((x): x is LoadedRunbook => x !== undefined);
  }

  countFor(uri: vscode.Uri): number {
    return this.forFileNow(uri).length;
  }

  /** Runbooks matching a filter text (every word in title, alerts, services, tags or id). */
  filter(list: readonly LoadedRunbook[], query: string): LoadedRunbook[] {
    const keep = new Set<Runbook>();
    for (const f of this.folders) for (const rb of f.set.filter(query)) keep.add(rb);
    for (const rb of this.builtins?.set.filter(query) ?? []) keep.add(rb);
    return list.filter((l) => keep.has(l.runbook));
  }

  /** The loaded entry of a parsed runbook (a map per list, built once: lookups stay O(1) for big folders). */
  private find(list: readonly LoadedRunbook[], rb: Runbook): LoadedRunbook | undefined {
    let index = this.byRunbook.get(list);
    if (!index) {
      index = new Map(list.map((l) => [l.runbook, l] as const));
      this.byRunbook.set(list, index);
    }
    return index.get(rb);
  }

  private isRunbookFile(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const state = folder && this.folders.find((f) => f.folder.uri.toString() === folder.uri.toString());
    if (!state || !folder) return false;
    const rel = relativePath(folder, uri);
    return this.runbookFolders(state.catalog).some((d) => d === '.' || d === '' || rel === d || rel.startsWith(`${d.replace(/\/+$/, '')}/`));
  }

  private runbookFolders(catalog: Catalog): string[] {
    return [...new Set([...catalog.runbookFolders, ...this.config.settings.runbooks.folders].map((d) => d.replace(/^\.\//, '').replace(/\/+$/, '')))];
  }

  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), 300);
  }

  private async readAll(): Promise<void> {
    const t0 = Date.now();
    const now = new Date();
    const days = this.config.settings.runbooks.staleAfterDays;
    const folders: FolderState[] = [];
    // Problems become diagnostics when the read is done, together with the runbooks they belong to: clearing them
    // at the start left the Problems panel (and anyone reading it) without them for the whole read.
    const diagnostics: [vscode.Uri, vscode.Diagnostic[]][] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const catalog = await this.catalogs.get(folder);
      const roots = this.runbookFolders(catalog);
      const files = await this.listMarkdown(folder.uri, roots);
      const parsed: { rb: Runbook; uri: vscode.Uri }[] = [];
      // Links to missing files are reported; local folders only (a sync check, and runbooks link into the same repo).
      const exists = folder.uri.scheme === 'file' ? (rel: string): boolean => fs.existsSync(path.join(folder.uri.fsPath, ...rel.split('/'))) : undefined;
      for (const uri of files) {
        const file = relativePath(folder, uri);
        const root = roots.filter((r) => r === '.' || file.startsWith(`${r}/`)).sort((a, b) => a.length - b.length)[0]; // IDs relative to the shortest root, as the CLI does
        parsed.push({ rb: await this.readOne(uri, file, 'workspace', root === '.' ? '' : root, exists), uri });
      }
      const set = new RunbookSet(
        parsed.map((p) => p.rb),
        catalog,
        { roots },
      );
      const loaded = parsed.map(({ rb, uri }) => this.loadedOf(set.runbookOf(rb), uri, folder, 'workspace', now, days, set));
      for (const l of loaded) if (l.runbook.problems.length > 0) diagnostics.push([l.uri, toDiagnostics(l.runbook.problems)]);
      folders.push({ folder, catalog, set, loaded });
    }
    let builtins: RunbookLibrary['builtins'];
    if (this.config.settings.runbooks.includeBuiltIn) {
      const root = vscode.Uri.joinPath(this.extensionUri, 'runbooks');
      const files = (await this.listMarkdown(root, ['.'])).filter((u) => !/\/README\.md$/i.test(u.path));
      const parsed: { rb: Runbook; uri: vscode.Uri }[] = [];
      for (const uri of files) parsed.push({ rb: await this.readOne(uri, uri.path.slice(root.path.length + 1), 'builtin', ''), uri });
      const set = new RunbookSet(
        parsed.map((p) => p.rb),
        undefined,
        { roots: [''] },
      );
      builtins = { set, loaded: parsed.map(({ rb, uri }) => this.loadedOf(set.runbookOf(rb), uri, undefined, 'builtin', now, days, set)) };
    }
    this.folders = folders;
    this.builtins = builtins;
    this.diagnostics.clear();
    this.diagnostics.set(diagnostics);
    this.forFileCache.clear();
    this.loaded = true;
    const count = this.all().length;
    const problems = this.all().reduce((n, r) => n + r.runbook.problems.length, 0);
    this.log.info(`Read ${count} runbook(s) (${problems} problem(s)) in ${Date.now() - t0} ms`);
    this.emitter.fire();
  }

  private loadedOf(rb: Runbook, uri: vscode.Uri, folder: vscode.WorkspaceFolder | undefined, origin: 'workspace' | 'builtin', now: Date, days: number, set: RunbookSet): LoadedRunbook {
    const key = `${folder ? folder.uri.toString() : 'builtin'}|${rb.id}`;
    const displayPath = folder ? `${folder.name}/${rb.file}` : `built-in: ${rb.file}`;
    const services = set.servicesOf(rb).filter((s) => s !== unassignedService);
    return { key, runbook: rb, uri, folder, origin, stale: isStale(rb, now, days) === true, services, displayPath };
  }

  private async readOne(uri: vscode.Uri, file: string, origin: 'workspace' | 'builtin', root: string | undefined, exists?: (rel: string) => boolean): Promise<Runbook> {
    const base = { file, origin, ...(root !== undefined ? { root } : {}), ...(exists ? { exists } : {}) };
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_READ_BYTES) return parseRunbook(new Uint8Array(0), { ...base, tooLargeBytes: stat.size });
      return parseRunbook(await vscode.workspace.fs.readFile(uri), base);
    } catch (e) {
      const problem: Problem = { message: `Could not read this file: ${e instanceof Error ? e.message : String(e)}`, severity: 'error', line: 1, column: 1, code: 'read-failed' };
      const rb = parseRunbook('', base);
      return { ...rb, problems: [problem] };
    }
  }

  /** Markdown files under the given folders (relative to `root`), without duplicates, at most {@link MAX_FILES}. */
  private async listMarkdown(root: vscode.Uri, folders: readonly string[]): Promise<vscode.Uri[]> {
    const seen = new Set<string>();
    const out: vscode.Uri[] = [];
    const walk = async (dir: vscode.Uri, depth: number): Promise<void> => {
      if (depth > 12 || out.length >= MAX_FILES) return;
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(dir);
      } catch {
        return; // a folder named in the catalog that does not exist: nothing to read
      }
      entries.sort((a, b) => a[0].localeCompare(b[0]));
      for (const [name, type] of entries) {
        const child = vscode.Uri.joinPath(dir, name);
        if (type & vscode.FileType.Directory) {
          if (!SKIP_DIRS.has(name) && !name.startsWith('.')) await walk(child, depth + 1);
        } else if (/\.(md|markdown)$/i.test(name) && !seen.has(child.toString()) && out.length < MAX_FILES) {
          seen.add(child.toString());
          out.push(child);
        }
      }
    };
    for (const f of folders) await walk(f === '.' || f === '' ? root : vscode.Uri.joinPath(root, ...f.split('/')), 0);
    if (out.length >= MAX_FILES) this.log.warn(`Stopped reading runbooks after ${MAX_FILES} Markdown files under ${root.fsPath}`);
    return out;
  }

  dispose(): void {
    this.store.dispose();
  }
}
