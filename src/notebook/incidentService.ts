import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FormatProblem } from '../core/notebook/format';
import { parseIncident } from '../core/notebook/format';
import { newIncident, nextIncidentId } from '../core/notebook/incident';
import type { NewIncidentInit } from '../core/notebook/incident';
import type { MergeConflict } from '../core/notebook/merge';
import type { Incident } from '../core/notebook/model';
import { toUtc } from '../core/notebook/model';
import type { NotebookOp } from '../core/notebook/ops';
import { opContext } from '../core/notebook/ops';
import { IncidentFile } from '../core/notebook/store';
import type { SaveOutcome } from '../core/notebook/store';
import type { IncidentListItem } from '../shared/protocol/notebook';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import type { ActiveIncident } from '../runbooks/incident';
import { NO_INCIDENT } from '../runbooks/incident';

/** A conflict between our edits and the file on disk, until the user picks a side. */
export interface StandingConflict {
  readonly conflicts: readonly MergeConflict[];
  readonly backup?: string;
}

/** What an edit came to, for the panel and the commands. */
export type ApplyResult = { readonly ok: true; readonly id?: string } | { readonly ok: false; readonly error: string };

/**
 * The incidents of the workspace (`.oncall/incidents/INC-*.md`) and the active one. The file is the single source
 * of truth: every edit goes through {@link IncidentFile} (locked, merged with changes on disk, written atomically).
 * Changes made outside (another window, `git pull`, a text editor) reach us through a file watcher and are merged;
 * a conflict is never overwritten — it stands until the user keeps theirs or ours ({@link resolveConflict}).
 * Nothing is read until the notebook is used or an incident is active.
 */
export class IncidentService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the active incident, its content, a conflict or the list of incidents changes. */
  readonly onDidChange = this.emitter.event;
  private doc: IncidentFile | undefined;
  private loading: Promise<IncidentFile | undefined> | undefined;
  private standing: StandingConflict | undefined;
  private lastSaveError: string | undefined;
  private revisionNo = 0;
  private readonly listCache = new Map<string, { mtimeMs: number; size: number; item: IncidentListItem | undefined }>();
  private readonly diagnostics: vscode.DiagnosticCollection;
  private watcherFolder: string | undefined;
  private watcher: vscode.Disposable | undefined;

  constructor(
    private readonly active: ActiveIncident,
    private readonly config: Configuration,
    private readonly log: Logger,
    /** Where our version goes when it cannot be written (workspace storage). */
    private readonly backupDir: string | undefined,
  ) {
    this.store.add(this.emitter);
    this.diagnostics = this.store.add(vscode.languages.createDiagnosticCollection('oncall-incident'));
    this.store.add({ dispose: () => this.watcher?.dispose() });
  }

  /** The incidents folder of the first workspace folder (`oncall.notebook.folder`, default `.oncall/incidents`). */
  get folder(): string | undefined {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!root || root.scheme !== 'file') return undefined;
    return path.join(root.fsPath, ...this.config.settings.notebook.folder.split('/'));
  }

  /** Grows with every change: the panel paints revisions in order. */
  get revision(): number {
    return this.revisionNo;
  }

  /** The active incident, loading its file on first use; undefined when none is active (or it cannot be read). */
  async current(): Promise<Incident | undefined> {
    return (await this.activeFile())?.incident;
  }

  /** The active incident if it is loaded already (no I/O: for the status bar). */
  get loaded(): Incident | undefined {
    return this.doc?.incident;
  }

  get conflict(): StandingConflict | undefined {
    return this.standing;
  }

  /** Why the last save failed, until a save succeeds (the panel shows it; the edits are kept). */
  get saveError(): string | undefined {
    return this.lastSaveError;
  }

  /** The active incident's file. */
  get file(): string | undefined {
    return this.doc?.file;
  }

  /** Every incident file of the folder, newest first (front matter only). */
  async list(): Promise<IncidentListItem[]> {
    const folder = this.folder;
    if (!folder) return [];
    let names: string[];
    try {
      names = await fsp.readdir(folder);
    } catch {
      return [];
    }
    const items: IncidentListItem[] = [];
    for (const name of names.filter((n) => /^INC-\d{4}-\d{2}-\d{2}-\d{2,4}\.md$/.test(n))) {
      const file = path.join(folder, name);
      try {
        // Read again only when the file changed: the list is sent with every state of the panel.
        const stat = await fsp.stat(file);
        const cached = this.listCache.get(file);
        if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
          if (cached.item) items.push(cached.item);
          continue;
        }
        const i = parseIncident(await fsp.readFile(file, 'utf8')).incident;
        const item = i ? { id: i.id, title: i.title, status: i.status, severity: i.severity, started: i.started } : undefined;
        this.listCache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, item });
        if (item) items.push(item);
      } catch (e) {
        this.log.warn(`Could not read ${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return items.sort((a, b) => b.started.localeCompare(a.started) || b.id.localeCompare(a.id));
  }

  /** Creates a new incident file and makes it the active incident. */
  async start(init: NewIncidentInit): Promise<Incident> {
    const folder = this.requireFolder();
    await fsp.mkdir(folder, { recursive: true });
    // Two windows may start one at the same moment: the create fails for the second, which takes the next number.
    for (let attempt = 0; ; attempt++) {
      const taken = (await fsp.readdir(folder).catch(() => [] as string[])).filter((n) => n.startsWith('INC-')).map((n) => n.replace(/\.md$/, ''));
      const id = nextIncidentId(init.started, taken);
      const incident = newIncident(init, id);
      const file = path.join(folder, `${id}.md`);
      try {
        const doc = await IncidentFile.create(file, incident, { backupDir: this.backupDir });
        await this.setActive(doc);
        this.log.info(`Started incident ${id} (${file})`);
        return incident;
      } catch (e) {
        if (attempt >= 5 || !(e instanceof Error) || !/exists already/.test(e.message)) throw e;
      }
    }
  }

  /** Makes the incident `id` (a file of the folder) the active one. */
  async open(id: string): Promise<Incident> {
    const file = path.join(this.requireFolder(), `${id}.md`);
    const r = await IncidentFile.open(file, { backupDir: this.backupDir });
    this.showProblems(file, r.problems);
    if (!r.ok) throw new Error(r.error);
    await this.setActive(r.file);
    return r.file.incident;
  }

  /** No incident active any more (the file stays). */
  async deactivate(): Promise<void> {
    this.doc = undefined;
    this.standing = undefined;
    await this.active.set(undefined);
    this.changed();
  }

  /** Applies an edit to the active incident and saves it. */
  async apply(op: NotebookOp): Promise<ApplyResult> {
    const doc = await this.activeFile();
    if (!doc) return { ok: false, error: 'No incident is active: start one (On-Call: Start Incident…) or open one first.' };
    const outcome = await doc.apply(op, opContext(doc.incident, toUtc(new Date())));
    return this.settle(doc, outcome);
  }

  /** Ends a standing conflict: keep ours (written over the file) or take the file's version. */
  async resolveConflict(choice: 'mine' | 'theirs'): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const outcome = await doc.resolve(choice);
    await this.settle(doc, outcome);
  }

  /** Our version of the active incident as file text (the left side of the conflict view). */
  oursText(): string | undefined {
    return this.doc?.oursText();
  }

  private async settle(doc: IncidentFile, outcome: SaveOutcome): Promise<ApplyResult> {
    switch (outcome.kind) {
      case 'refused':
        return { ok: false, error: outcome.error };
      case 'unchanged':
        return { ok: true };
      case 'saved':
        if (outcome.merged) this.log.info(`Merged changes made to ${path.basename(doc.file)} outside this window`);
        this.standing = undefined;
        this.lastSaveError = undefined;
        this.showProblems(doc.file, []);
        this.changed();
        return { ok: true, id: outcome.id };
      case 'conflict': {
        const first = this.standing === undefined;
        this.standing = { conflicts: outcome.conflicts, backup: outcome.backup };
        this.log.warn(`${path.basename(doc.file)} changed on disk and conflicts with this window's edits: ${outcome.conflicts.map((c) => c.path).join(', ')}${outcome.backup ? ` (ours kept in ${outcome.backup})` : ''}`);
        this.changed();
        if (first) {
          void vscode.window
            .showWarningMessage(`${doc.incident.id} changed on disk and conflicts with your edits (${outcome.conflicts.map((c) => c.path).join(', ')}). Nothing was overwritten.`, 'Compare', 'Keep Mine', 'Take Theirs')
            .then((pick) => {
              if (pick === 'Compare') void vscode.commands.executeCommand('oncall.notebook.showConflict');
              else if (pick === 'Keep Mine') void this.resolveConflict('mine');
              else if (pick === 'Take Theirs') void this.resolveConflict('theirs');
            });
        }
        return { ok: true };
      }
      case 'failed':
        this.log.error(`Saving ${doc.file} failed: ${outcome.error}`);
        this.lastSaveError = `${outcome.error}${outcome.backup ? ` (your edits are also in ${outcome.backup})` : ''}`;
        this.showProblems(doc.file, outcome.problems);
        this.changed();
        void vscode.window.showErrorMessage(`${doc.incident.id} was not saved: ${outcome.error}${outcome.backup ? ` Your edits are kept (also in ${outcome.backup}).` : ' Your edits are kept in this window.'}`);
        return { ok: true };
    }
  }

  private async activeFile(): Promise<IncidentFile | undefined> {
    const ref = this.active.current;
    if (ref.id === NO_INCIDENT.id) return undefined;
    if (this.doc?.incident.id === ref.id) return this.doc;
    this.loading ??= (async () => {
      const folder = this.folder;
      if (!folder) return undefined;
      const file = path.join(folder, `${ref.id}.md`);
      const r = await IncidentFile.open(file, { backupDir: this.backupDir });
      this.showProblems(file, r.problems);
      if (!r.ok) {
        this.log.warn(`The active incident ${ref.id} could not be loaded: ${r.error}`);
        return undefined;
      }
      this.doc = r.file;
      this.watch(folder);
      return r.file;
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async setActive(doc: IncidentFile): Promise<void> {
    this.doc = doc;
    this.standing = undefined;
    this.watch(path.dirname(doc.file));
    await this.active.set({ id: doc.incident.id, title: doc.incident.title });
    this.changed();
  }

  /** Watches the incidents folder: outside changes to the active file are merged in; the list is refreshed. */
  private watch(folder: string): void {
    if (this.watcherFolder === folder) return;
    this.watcher?.dispose();
    this.watcherFolder = folder;
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '*.md'));
    const onChange = (uri: vscode.Uri): void => {
      const doc = this.doc;
      if (doc && uri.fsPath === doc.file) void doc.reload().then((o) => (o.kind === 'unchanged' ? undefined : this.settle(doc, o)));
      else this.changed();
    };
    const subs = [w, w.onDidChange(onChange), w.onDidCreate(onChange), w.onDidDelete(onChange)];
    this.watcher = { dispose: () => subs.forEach((s) => s.dispose()) };
  }

  private showProblems(file: string, problems: readonly FormatProblem[]): void {
    const uri = vscode.Uri.file(file);
    this.diagnostics.set(
      uri,
      problems.map((p) => {
        const pos = new vscode.Position(Math.max(0, p.line - 1), Math.max(0, p.column - 1));
        const d = new vscode.Diagnostic(new vscode.Range(pos, pos.translate(0, 1)), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        d.source = 'On-Call notebook';
        return d;
      }),
    );
  }

  private requireFolder(): string {
    const folder = this.folder;
    if (!folder) throw new Error('Incidents are kept in the workspace (.oncall/incidents/): open a folder first.');
    return folder;
  }

  private changed(): void {
    this.revisionNo++;
    void vscode.commands.executeCommand('setContext', 'oncall.incidentConflict', this.standing !== undefined);
    const i = this.doc?.incident;
    if (i && this.active.current.id === i.id && this.active.current.title !== i.title) void this.active.set({ id: i.id, title: i.title });
    this.emitter.fire();
  }

  dispose(): void {
    this.store.dispose();
  }
}
