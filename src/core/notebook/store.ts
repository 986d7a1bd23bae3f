/**
 * One incident file on disk, edited by this process while others (another VS Code window, `git pull`, a person in
 * a text editor) may change it too. Node `fs` only; never imports `vscode`.
 *
 * Every edit is saved at once, under the file's lock ({@link withFileLock}) and atomically ({@link writeFileAtomic}):
 * 1. read the file; when it is not what this process last read or wrote, someone else changed it: merge three ways
 *    (base = what we last agreed with disk, ours = our incident, theirs = the file) — {@link mergeIncidents};
 * 2. apply the edit, write, and remember what was written as the new base.
 * Conflicting changes are never overwritten: the file is left as it is, our incident is kept in memory and in the
 * backup folder, and the caller shows both side by side until the user picks one ({@link IncidentFile.resolve}).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { removeStaleTemps, withFileLock, writeFileAtomic } from './atomicFile';
import type { FormatProblem } from './format';
import { parseIncident, serializeIncident } from './format';
import type { MergeConflict } from './merge';
import { mergeIncidents } from './merge';
import type { Incident } from './model';
import type { NotebookOp, OpContext } from './ops';
import { applyOp } from './ops';

export type SaveOutcome =
  /** Written. `merged`: changes made by someone else were merged in first. `id`: what an add op created. */
  | { readonly kind: 'saved'; readonly incident: Incident; readonly merged: boolean; readonly id?: string }
  /** Nothing to write (the op changed nothing, or the file already says it). */
  | { readonly kind: 'unchanged'; readonly incident: Incident }
  /** The op was invalid; nothing changed. */
  | { readonly kind: 'refused'; readonly error: string }
  /** The file changed on disk in a way that conflicts with ours: not written; ours kept (memory and backup). */
  | { readonly kind: 'conflict'; readonly incident: Incident; readonly theirs: Incident; readonly conflicts: readonly MergeConflict[]; readonly backup?: string }
  /** Reading or writing failed (or the file on disk no longer parses): not written; ours kept (memory and backup). */
  | { readonly kind: 'failed'; readonly incident: Incident; readonly error: string; readonly problems: readonly FormatProblem[]; readonly backup?: string };

export type OpenResult = { readonly ok: true; readonly file: IncidentFile; readonly problems: readonly FormatProblem[] } | { readonly ok: false; readonly error: string; readonly problems: readonly FormatProblem[] };

export interface IncidentFileOptions {
  /** Where our version goes when it cannot be written to the file (a conflict, a failure); none when undefined. */
  readonly backupDir?: string;
  /** Lock wait (default 5 s). */
  readonly lockTimeoutMs?: number;
}

const same = (a: Incident, b: Incident): boolean => serializeIncident(a) === serializeIncident(b);
const describeProblems = (file: string, problems: readonly FormatProblem[]): string =>
  problems
    .filter((p) => p.severity === 'error')
    .slice(0, 3)
    .map((p) => `${path.basename(file)}:${p.line}:${p.column}: ${p.message}`)
    .join('; ');

export class IncidentFile {
  /** What this process last read from or wrote to the file, and its text. */
  private base: Incident;
  private baseText: string;
  /** Our incident: equal to `base` unless a save failed or conflicts. */
  private ours: Incident;
  /** Set while the file and ours conflict. */
  private theirs: Incident | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    text: string,
    incident: Incident,
    private readonly options: IncidentFileOptions,
  ) {
    this.base = incident;
    this.baseText = text;
    this.ours = incident;
  }

  /** Reads and parses `file`; clears temp files a killed writer left behind. */
  static async open(file: string, options: IncidentFileOptions = {}): Promise<OpenResult> {
    await removeStaleTemps(file);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (e) {
      return { ok: false, error: `Could not read ${file}: ${(e as Error).message}`, problems: [] };
    }
    const parsed = parseIncident(text);
    if (!parsed.incident) return { ok: false, error: `${file} is not an incident file: ${describeProblems(file, parsed.problems) || 'no id in its front matter'}`, problems: parsed.problems };
    return { ok: true, file: new IncidentFile(file, text, parsed.incident, options), problems: parsed.problems };
  }

  /** Creates `file` for a new incident; fails when it exists already (another window may have just created it). */
  static async create(file: string, incident: Incident, options: IncidentFileOptions = {}): Promise<IncidentFile> {
    const text = serializeIncident(incident);
    await withFileLock(
      file,
      async () => {
        if (await fsp.stat(file).then(() => true, () => false)) throw new Error(`${file} exists already`);
        await writeFileAtomic(file, text);
      },
      { timeoutMs: options.lockTimeoutMs },
    );
    return new IncidentFile(file, text, incident, options);
  }

  /** Our incident (what the panel shows). */
  get incident(): Incident {
    return this.ours;
  }

  /** True while ours is not on disk (after a conflict or a failed save). */
  get pending(): boolean {
    return this.theirs !== undefined || !same(this.ours, this.base);
  }

  /** The file's version while a conflict stands. */
  get conflicting(): Incident | undefined {
    return this.theirs;
  }

  /** Applies `op` to ours and saves (merging changes made on disk meanwhile). Calls run one at a time. */
  apply(op: NotebookOp, ctx: OpContext): Promise<SaveOutcome> {
    return this.serial(async () => {
      const r = applyOp(this.ours, op, ctx);
      if (!r.ok) return { kind: 'refused', error: r.error };
      this.ours = r.incident;
      const out = await this.write();
      return out.kind === 'saved' && r.id !== undefined ? { ...out, id: r.id } : out;
    });
  }

  /** Saves ours again (after a failure, or to merge an outside change that has to be written back). */
  save(): Promise<SaveOutcome> {
    return this.serial(() => this.write());
  }

  /**
   * The file changed on disk (a watcher saw it): takes the change in. Without edits of ours pending, theirs simply
   * becomes ours; with some, they are merged and written back.
   */
  reload(): Promise<SaveOutcome> {
    return this.serial(async () => {
      let text: string;
      try {
        text = await fsp.readFile(this.file, 'utf8');
      } catch (e) {
        return this.fail(`Could not read ${this.file}: ${(e as Error).message}`, []);
      }
      if (text === this.baseText && this.theirs === undefined) return { kind: 'unchanged', incident: this.ours };
      if (!this.pending) {
        const parsed = parseIncident(text);
        if (!parsed.incident) return this.fail(`${this.file} no longer parses: ${describeProblems(this.file, parsed.problems)}`, parsed.problems);
        this.base = this.ours = parsed.incident;
        this.baseText = text;
        return { kind: 'saved', incident: this.ours, merged: true };
      }
      return this.write();
    });
  }

  /**
   * Ends a conflict: `mine` writes ours over the file; `theirs` takes the file's version (ours stays in the backup
   * folder, written when the conflict arose).
   */
  resolve(choice: 'mine' | 'theirs'): Promise<SaveOutcome> {
    return this.serial(async () => {
      if (choice === 'theirs') {
        const r = await this.readDisk();
        if (!r.ok) return this.fail(r.error, r.problems);
        this.base = this.ours = r.incident;
        this.baseText = r.text;
        this.theirs = undefined;
        return { kind: 'saved', incident: this.ours, merged: true };
      }
      return this.locked(async () => {
        const text = serializeIncident(this.ours);
        await writeFileAtomic(this.file, text);
        this.base = this.ours;
        this.baseText = text;
        this.theirs = undefined;
        return { kind: 'saved', incident: this.ours, merged: false };
      });
    });
  }

  /** Our version as file text (for a side-by-side view of a conflict). */
  oursText(): string {
    return serializeIncident(this.ours);
  }

  private write(): Promise<SaveOutcome> {
    return this.locked(async () => {
      const r = await this.readDisk();
      if (!r.ok) return this.fail(r.error, r.problems);
      let merged = false;
      if (r.text !== this.baseText) {
        const m = mergeIncidents(this.base, this.ours, r.incident);
        if (m.conflicts.length > 0) {
          this.theirs = r.incident;
          return { kind: 'conflict', incident: this.ours, theirs: r.incident, conflicts: m.conflicts, backup: await this.backup() };
        }
        this.ours = m.merged;
        this.base = r.incident;
        this.baseText = r.text;
        merged = true;
      }
      this.theirs = undefined;
      const text = serializeIncident(this.ours);
      if (text === r.text) {
        this.base = this.ours;
        this.baseText = text;
        return merged ? { kind: 'saved', incident: this.ours, merged } : { kind: 'unchanged', incident: this.ours };
      }
      await writeFileAtomic(this.file, text);
      this.base = this.ours;
      this.baseText = text;
      return { kind: 'saved', incident: this.ours, merged };
    });
  }

  private async readDisk(): Promise<{ ok: true; text: string; incident: Incident } | { ok: false; error: string; problems: readonly FormatProblem[] }> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // Deleted on disk (a branch switch, a `git clean`): ours is written back rather than lost.
      if (err.code === 'ENOENT') return { ok: true, text: '', incident: this.ours };
      return { ok: false, error: `Could not read ${this.file}: ${err.message}`, problems: [] };
    }
    if (text === this.baseText) return { ok: true, text, incident: this.base };
    const parsed = parseIncident(text);
    if (!parsed.incident) return { ok: false, error: `${this.file} was changed on disk and no longer parses (${describeProblems(this.file, parsed.problems)}); your edits are kept and not written until it is fixed`, problems: parsed.problems };
    return { ok: true, text, incident: parsed.incident };
  }

  private async locked(fn: () => Promise<SaveOutcome>): Promise<SaveOutcome> {
    try {
      return await withFileLock(this.file, fn, { timeoutMs: this.options.lockTimeoutMs });
    } catch (e) {
      return this.fail(e instanceof Error ? e.message : String(e), []);
    }
  }

  private async fail(error: string, problems: readonly FormatProblem[]): Promise<SaveOutcome> {
    return { kind: 'failed', incident: this.ours, error, problems, backup: this.pending ? await this.backup() : undefined };
  }

  /** Writes ours to the backup folder; returns its path (undefined without a backup folder or when that fails). */
  private async backup(): Promise<string | undefined> {
    if (!this.options.backupDir) return undefined;
    const file = path.join(this.options.backupDir, `${this.ours.id}.mine.md`);
    try {
      await writeFileAtomic(file, serializeIncident(this.ours));
      return file;
    } catch {
      return undefined;
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
