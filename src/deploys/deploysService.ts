import * as vscode from 'vscode';
import type { CatalogService } from '../catalog/catalogService';
import { relativePath } from '../catalog/catalogService';
import { GitDeploys } from '../core/deploys/git';
import type { FileDeploysResult, LineDeploysResult } from '../core/deploys/git';
import type { Deploy, DeployProblem } from '../core/deploys/model';
import type { RequestOptions } from '../core/http/request';
import { readDeploySources } from '../core/deploys/sources';
import { mergeSameDeploys } from '../core/deploys/merge';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { requestOptions } from '../traces/httpOptions';

/** A deploy with the workspace folder it belongs to. */
export interface FolderDeploy {
  readonly folder: vscode.WorkspaceFolder;
  readonly deploy: Deploy;
}

interface FolderState {
  readonly git: GitDeploys;
  deploys?: Promise<{ deploys: readonly Deploy[]; problems: readonly DeployProblem[] }>;
}

const SECRET_PREFIX = 'oncall.deploys.token/';

/**
 * Deploys of every service in oncall.yaml, read from their sources the first time something asks (the Deploys view,
 * What Changed, a code lens), kept until .git, oncall.yaml, a deploy log or the settings change. No polling: git
 * answers come from GitDeploys' cache, keyed by the repository's refs; HTTP sources are asked again on Refresh.
 */
export class DeploysService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly folders = new Map<string, FolderState>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  /** How far back the view and lenses look (hours). */
  windowHours = 24 * 7;

  constructor(
    private readonly catalogs: CatalogService,
    private readonly config: Configuration,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
  ) {
    this.store.add(this.emitter);
    const git = this.store.add(vscode.workspace.createFileSystemWatcher('**/.git/{HEAD,packed-refs,refs/**}'));
    const changed = (): void => this.invalidate();
    this.store.add(git.onDidChange(changed));
    this.store.add(git.onDidCreate(changed));
    this.store.add(git.onDidDelete(changed));
    const logs = this.store.add(vscode.workspace.createFileSystemWatcher('**/*.{jsonl,ndjson,yaml,yml}'));
    this.store.add(logs.onDidChange(() => this.invalidateFeeds()));
    this.store.add(catalogs.onDidChange(() => this.reset()));
    this.store.add(config.onDidChange(() => this.invalidateFeeds()));
  }

  /** Token of a source in SecretStorage (never in settings or the log). */
  token(sourceKey: string): Thenable<string | undefined> {
    return this.secrets.get(SECRET_PREFIX + sourceKey);
  }

  async setToken(sourceKey: string, token: string | undefined): Promise<void> {
    if (token) await this.secrets.store(SECRET_PREFIX + sourceKey, token);
    else await this.secrets.delete(SECRET_PREFIX + sourceKey);
    this.invalidateFeeds();
  }

  /** Re-read everything (Refresh). */
  refresh(): void {
    this.invalidate();
  }

  private invalidate(): void {
    for (const s of this.folders.values()) {
      s.git.invalidate();
      s.deploys = undefined;
    }
    this.emitter.fire();
  }

  private invalidateFeeds(): void {
    for (const s of this.folders.values()) s.deploys = undefined;
    this.emitter.fire();
  }

  private reset(): void {
    this.folders.clear();
    this.emitter.fire();
  }

  private async state(folder: vscode.WorkspaceFolder): Promise<FolderState> {
    let s = this.folders.get(folder.uri.toString());
    if (!s) {
      const catalog = await this.catalogs.get(folder);
      s = { git: new GitDeploys(folder.uri.fsPath, catalog.source === 'file' ? catalog.services : []) };
      this.folders.set(folder.uri.toString(), s);
    }
    return s;
  }

  /** Every service's deploys in a folder (newest first), and what went wrong reading them. */
  async deploysOf(folder: vscode.WorkspaceFolder): Promise<{ deploys: readonly Deploy[]; problems: readonly DeployProblem[] }> {
    const s = await this.state(folder);
    s.deploys ??= this.read(folder, s);
    return s.deploys;
  }

  /** Deploys across the workspace, newest first, within the last `hours`. */
  async recent(hours = this.windowHours, now = new Date()): Promise<{ deploys: FolderDeploy[]; problems: DeployProblem[] }> {
    const since = now.getTime() - hours * 3_600_000;
    const deploys: FolderDeploy[] = [];
    const problems: DeployProblem[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const r = await this.deploysOf(folder);
      for (const d of r.deploys) if (Date.parse(d.time) >= since) deploys.push({ folder, deploy: d });
      problems.push(...r.problems);
    }
    deploys.sort((a, b) => Date.parse(b.deploy.time) - Date.parse(a.deploy.time));
    return { deploys, problems };
  }

  /** The git deploys that touched a file, newest first (renames followed). */
  async forFile(uri: vscode.Uri): Promise<FileDeploysResult | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || uri.scheme !== 'file') return undefined;
    const s = await this.state(folder);
    return s.git.deploysForFile(relativePath(folder, uri), { limit: 5 });
  }

  /** The git deploys that changed some of the lines `start..end` (1-based) of a file. */
  async forLines(uri: vscode.Uri, start: number, end: number): Promise<LineDeploysResult | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || uri.scheme !== 'file') return undefined;
    const s = await this.state(folder);
    return s.git.deploysForLines(relativePath(folder, uri), start, end, { limit: 3 });
  }

  private async read(folder: vscode.WorkspaceFolder, s: FolderState): Promise<{ deploys: readonly Deploy[]; problems: readonly DeployProblem[] }> {
    const t0 = Date.now();
    const catalog = await this.catalogs.get(folder);
    if (catalog.source !== 'file') return { deploys: [], problems: [] };
    // Built once per read, and only if a network source asks: a bad oncall.http.caFile is then that source's
    // problem, and git and file sources are read as usual.
    let options: Promise<RequestOptions> | undefined;
    const http = (): Promise<RequestOptions> => (options ??= requestOptions(this.config));
    const deploys: Deploy[] = [];
    const problems: DeployProblem[] = [];
    await Promise.all(
      catalog.services.map(async (service) => {
        const r = await readDeploySources(service, {
          root: folder.uri.fsPath,
          http,
          token: (key) => Promise.resolve(this.token(key)),
          git: (cfg) => s.git.deploys({ service: service.name, config: cfg }),
        });
        deploys.push(...r.deploys);
        problems.push(...r.problems);
      }),
    );
    const merged = mergeSameDeploys(deploys);
    deploys.length = 0;
    deploys.push(...merged);
    deploys.sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
    this.log.info(`Read ${deploys.length} deploy(s) and change(s) of ${catalog.services.length} service(s) in ${folder.name} in ${Date.now() - t0} ms${problems.length ? `; ${problems.length} problem(s)` : ''}`);
    for (const p of problems) this.log.warn(`Deploys: ${p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}`);
    return { deploys, problems };
  }

  dispose(): void {
    this.store.dispose();
  }
}
