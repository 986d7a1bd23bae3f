/**
 * The index kept up to date: update() and remove() re-read a changed file (and the files whose extraction read it,
 * and those whose service root it moves), the facts changes pending since the last compose, and the map composed
 * from them (in full after a scan, then incrementally by the WireComposer, compose.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WireComposer, type FactsChange } from '../compose';
import { MANIFESTS } from '../extensions';
import type { FileFacts } from '../facts';
import type { LanguageSupport } from '../language';
import { LANGUAGES, supportFor } from '../languages';
import type { WireLanguage, WireMap, WireProblem, WireRecord } from '../model';
import { dirOf } from '../paths';
import { looksGenerated, serviceRootFor, walkReaches } from '../walk';
import { IndexParser } from './parse';
import { countLines } from './text';

const SUPPORTS: ReadonlyMap<WireLanguage, LanguageSupport> = new Map(LANGUAGES.map((l) => [l.language, l]));

export abstract class IndexUpdates extends IndexParser {
  /** Composes the facts, and again only what a change touches (compose.ts). */
  private readonly composer = new WireComposer(this, SUPPORTS);
  /** Files changed since the last compose, with their facts before the first change. */
  protected readonly pending = new Map<string, FileFacts | undefined>();
  /** Keys changed since the last compose besides facts (`h:`, `d:`, `r:`). */
  protected readonly pendingKeys = new Set<string>();
  protected rootsChanged = false;
  protected needsFullCompose = true;
  /** The exclude globs (`files.exclude`) of the last scan: update() takes only what that scan's walk would reach. */
  protected walkExclude: readonly string[] | undefined;

  /**
   * Re-reads one file (saved, created) from the given text, or from disk when no text is given. Always parses (a
   * file the user is looking at is interesting by definition). Files whose extraction read this one (its text,
   * whether it exists) are read again; the map is composed again, as far as the change reaches, by the next map().
   */
  async update(file: string, text?: string): Promise<void> {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const manifest = MANIFESTS.has(base) || base.endsWith('.csproj');
    if (!walkReaches(this.root, file, this.walkExclude, manifest)) {
      // Build output (dist/, a git-ignored build/), vendored or generated code, an excluded file: a scan would not
      // read it, so neither does a save or the file watcher (a build would otherwise add a copy of every route).
      if (this.has(file)) await this.remove(file);
      return;
    }
    const keys = new Set<string>(['r:' + file]);
    const reread = new Set<string>();
    if (manifest) this.setServiceRoot(dirOf(file), true, reread);
    // Other files' extractors may have read this one through read() (a Django urls.py reads its views.py).
    this.small.delete(file);
    const sup = supportFor(file);
    if (sup) {
      if (text === undefined) {
        try {
          text = fs.readFileSync(path.join(this.root, file), 'utf8');
        } catch {
          await this.remove(file);
          return;
        }
      }
      if (!this.has(file)) {
        this.track(file);
        keys.add('h:' + file);
        keys.add('d:' + dirOf(file));
      }
      await this.ingest(file, text, true, true, true);
    }
    await this.changed(keys, file, reread);
  }

  /** Drops a deleted file (a deleted manifest's folder stops being a service root when no other manifest is left). */
  async remove(file: string): Promise<void> {
    const keys = new Set<string>(['r:' + file]);
    const reread = new Set<string>();
    if (this.has(file)) {
      keys.add('h:' + file);
      keys.add('d:' + dirOf(file));
    }
    this.noteChanged(file);
    this.facts.delete(file);
    this.setExtractDeps(file, []);
    if (this.problems.delete(file)) this.problemList = undefined;
    this.byDir.get(dirOf(file))?.delete(file);
    this.small.delete(file);
    this.recentTrees.get(file)?.tree.delete();
    this.recentTrees.delete(file);
    const base = file.slice(file.lastIndexOf('/') + 1);
    if ((MANIFESTS.has(base) || base.endsWith('.csproj')) && !hasManifest(path.join(this.root, dirOf(file)))) this.setServiceRoot(dirOf(file), false, reread);
    await this.changed(keys, file, reread);
  }

  map(): WireMap {
    const records = this.compose();
    if (!this.problemList) {
      const problems: WireProblem[] = [];
      for (const list of this.problems.values()) problems.push(...list);
      for (const f of this.facts.values()) for (const w of f.warnings) problems.push({ file: f.file, line: w.line, message: w.message });
      problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
      this.problemList = problems;
    }
    return { records, problems: this.problemList, stats: { ...this.stats } };
  }

  /**
   * The files whose records changed since the last call, composing what is pending first; 'all' after a scan or
   * a full compose. The worker sends the host only these files' records (recordsAt) after an update.
   */
  takeChanges(): readonly string[] | 'all' {
    this.compose();
    return this.composer.takeChanges();
  }

  /** The records at one file (after map() or takeChanges()). */
  recordsAt(file: string): readonly WireRecord[] {
    return this.composer.recordsAt(file);
  }

  /** What the last compose did (full or incremental, how many files' units it composed again, ms). */
  get lastCompose(): WireComposer['lastStats'] {
    return this.composer.lastStats;
  }

  /** The records: every file's facts composed after a scan, then only what changed since. */
  private compose(): readonly WireRecord[] {
    if (this.needsFullCompose || !this.composer.ready) {
      this.needsFullCompose = false;
      this.pending.clear();
      this.pendingKeys.clear();
      this.rootsChanged = false;
      return this.composer.composeAll(this.facts);
    }
    if (this.pending.size === 0 && this.pendingKeys.size === 0 && !this.rootsChanged) return this.composer.records();
    const changes: FactsChange[] = [...this.pending].map(([file, before]) => ({ file, before, after: this.facts.get(file) }));
    const files: string[] = [];
    const dirs: string[] = [];
    for (const k of this.pendingKeys) (k.startsWith('d:') ? dirs : files).push(k.slice(k.indexOf(':') + 1));
    const records = this.composer.update(changes, files, dirs, this.rootsChanged);
    this.pending.clear();
    this.pendingKeys.clear();
    this.rootsChanged = false;
    return records;
  }

  /**
   * Reads one file into the index (`count`: add it to the stats; not when a file is read again for another's
   * change; `keep`: keep its tree for an incremental parse of its next version).
   */
  private async ingest(file: string, text: string, all: boolean, count = true, keep = false): Promise<void> {
    const sup = supportFor(file);
    if (!sup) return;
    if (count) {
      this.stats.bytes += text.length;
      this.stats.lines += countLines(text);
    }
    this.noteChanged(file);
    if (this.problems.delete(file)) this.problemList = undefined;
    if (looksGenerated(text) || (!all && !sup.interesting(text, file))) {
      this.facts.delete(file);
      this.setExtractDeps(file, []);
      return;
    }
    try {
      const { facts, deps } = await this.extract(sup, file, text, keep);
      if (facts) this.facts.set(file, facts);
      else this.facts.delete(file);
      this.setExtractDeps(file, deps);
      if (count) this.stats.parsedFiles++;
    } catch (e) {
      this.facts.delete(file);
      this.setExtractDeps(file, []);
      this.problems.set(file, [{ file, message: `Could not read the wire facts: ${(e as Error).message}` }]);
    }
    if (this.facts.get(file)?.warnings.length) this.problemList = undefined;
  }

  /** Remembers a file's facts before its first change since the last compose (and whether the problems change). */
  private noteChanged(file: string): void {
    const before = this.facts.get(file);
    if (!this.pending.has(file)) this.pending.set(file, before);
    if (before?.warnings.length) this.problemList = undefined;
  }

  /**
   * After `file` changed (`keys`: its text, its existence): files whose extraction read any of it are read again
   * from disk, with `reread` (files whose service root moved); their facts changes join the pending ones.
   */
  private async changed(keys: ReadonlySet<string>, file: string, reread: Set<string>): Promise<void> {
    for (const k of keys) {
      this.pendingKeys.add(k);
      for (const reader of this.extractReaders.get(k) ?? []) if (reader !== file) reread.add(reader);
    }
    for (const other of reread) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(this.root, other), 'utf8');
      } catch {
        continue;
      }
      await this.ingest(other, text, true, false);
    }
  }

  /** Adds or drops a service root; files whose extraction asked for a service root that this moves are noted in `reread`. */
  private setServiceRoot(dir: string, present: boolean, reread: Set<string>): void {
    if (this.serviceRoots.has(dir) === present) return;
    const next = new Set(this.serviceRoots);
    if (present) next.add(dir);
    else next.delete(dir);
    for (const [k, readers] of this.extractReaders) {
      if (!k.startsWith('sr:')) continue;
      const f = k.slice(3);
      if (dir !== '' && !f.startsWith(dir + '/')) continue;
      if (serviceRootFor(f, this.serviceRoots) !== serviceRootFor(f, next)) for (const r of readers) reread.add(r);
    }
    this.serviceRoots = next;
    this.rootCache.clear();
    this.rootsChanged = true;
  }
}

/** Whether a folder (absolute) holds a manifest. */
function hasManifest(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((n) => MANIFESTS.has(n) || n.endsWith('.csproj'));
  } catch {
    return false;
  }
}
