/**
 * Joins the facts of every file into the wire map: routers mounted in other files, prefixes from groups,
 * controllers and global prefixes, routers passed to registration functions, handlers defined elsewhere, gRPC
 * services linked to their implementations. Pure and synchronous.
 *
 * Incremental: the composer keeps, per file, the mount edges its facts add (its "edge unit") and the records its
 * routes, entry points, error exits and gRPC implementations give (its "record unit"), each with what it read
 * while it was composed: other files (their facts, whether they exist, their text), and keys — a top-level name's
 * files (`g:`), a class's members (`m:`), the edges into a router (`e:`), a router's prefix chains (`c:`), a global
 * prefix (`p:`), a proto service (`s:`), a folder's files (`d:`). Prefix chains are kept per router with what they
 * read, so a changed mount reaches exactly the routers below it. When files change, only the units that read a
 * changed file or key are composed again; the records are kept per file, so the map is put together again without
 * sorting everything (and shadowing is decided again only for the routes whose key was touched). The result is,
 * record for record, what composing all facts again gives (test/unit/wire/incremental.test.ts holds it to a fresh
 * scan); where that could differ (a mount cycle, whose chains depend on the order they are walked in; service
 * roots that changed) the composer composes everything again.
 *
 * The composer is one class built in layers, one module each under compose/ (see compose/indexes.ts): the indexes
 * and the recording of reads, Ref resolution, the mount graph and prefix chains, a file's records, the records per
 * file and shadowing. This module is the top layer: the units, who read what, invalidation and the incremental pass.
 */
import type { FileFacts } from './facts';
import type { LanguageSupport, ProjectView } from './language';
import type { WireLanguage, WireRecord } from './model';
import { ComposerBuckets } from './compose/buckets';
import { type Bucket, type Edge, type EdgeUnit, NOTHING, outOf, Readers, type RecordUnit } from './compose/structures';

/** A change of one file's facts: `before` and `after` undefined when the file had, or has, none. */
export interface FactsChange {
  readonly file: string;
  readonly before: FileFacts | undefined;
  readonly after: FileFacts | undefined;
}

/** Thrown inside an incremental pass that meets a mount cycle: the pass is redone in full. */
class NeedsFullCompose extends Error {}

/** Counters of the last compose, for the benchmark and the log. */
export interface ComposeStats {
  readonly full: boolean;
  readonly edgeUnits: number;
  readonly recordUnits: number;
  readonly buckets: number;
  readonly ms: number;
}

export class WireComposer extends ComposerBuckets {
  // Units and who reads what (the record units are kept in buckets.ts, which puts their records together).
  private readonly edgeUnits = new Map<string, EdgeUnit>();
  private readonly edgeReaders = new Readers();
  private readonly recordReaders = new Readers();
  /** A full pass met a mount cycle: every later compose is a full one. */
  private cyclic = false;
  private composed = false;
  /** The files whose records changed since takeChanges() was last called ('all' after a full compose). */
  private sinceTaken: Set<string> | 'all' = 'all';
  lastStats: ComposeStats | undefined;

  /** Whether a full compose has been done (update() needs one first). */
  get ready(): boolean {
    return this.composed;
  }

  /** Composes every file's facts (the map is kept as a reference: update() reads the files' current facts from it). */
  composeAll(facts: ReadonlyMap<string, FileFacts>): readonly WireRecord[] {
    const t0 = performance.now();
    this.reset();
    this.beginPass();
    this.facts = facts;
    for (const f of facts.values()) {
      this.seq.set(f.file, this.nextSeq++);
      this.addContribution(f);
    }
    this.sawCycle = false;
    for (const f of facts.values()) this.setEdgeUnit(f.file, this.composeEdges(f));
    for (const f of facts.values()) this.setRecordUnit(f.file, this.composeRecords(f));
    this.cyclic = this.sawCycle;
    const affected = new Set<string>();
    for (const file of this.bucketSources.keys()) this.rebuildBucket(file, affected);
    for (const file of this.declaredFiles()) if (!this.buckets.has(file)) this.rebuildBucket(file, affected);
    this.reshadow(affected);
    this.sortedFiles = [...this.buckets.keys()].sort();
    this.result = [];
    this.lengths = [];
    for (const file of this.sortedFiles) {
      const b = this.buckets.get(file) as Bucket;
      b.out = b.entries.map(outOf);
      this.lengths.push(b.out.length);
      for (const r of b.out) this.result.push(r);
    }
    this.composed = true;
    this.sinceTaken = 'all';
    this.lastStats = { full: true, edgeUnits: this.edgeUnits.size, recordUnits: this.recordUnits.size, buckets: this.buckets.size, ms: performance.now() - t0 };
    return this.result;
  }

  /**
   * Takes in changed facts (`facts`, the same map as before, already holds the new ones), other files that changed
   * (created, deleted, their text: a go.mod, a tsconfig.json) and folders whose files changed, and composes again
   * what depends on them. `rootsChanged`: the service roots changed, so everything is composed again.
   */
  update(changes: readonly FactsChange[], files: Iterable<string>, dirs: Iterable<string>, rootsChanged = false): readonly WireRecord[] {
    if (!this.composed || this.cyclic || rootsChanged) return this.composeAll(this.facts);
    const t0 = performance.now();
    this.beginPass();
    try {
      const counts = this.applyChanges(changes, new Set(files), new Set([...dirs].map((d) => 'd:' + d)));
      this.lastStats = { full: false, ...counts, ms: performance.now() - t0 };
      return this.result;
    } catch (e) {
      if (e instanceof NeedsFullCompose) return this.composeAll(this.facts);
      throw e;
    }
  }

  records(): readonly WireRecord[] {
    return this.result;
  }

  /** The records at one file, in map order. */
  recordsAt(file: string): readonly WireRecord[] {
    return this.buckets.get(file)?.out ?? [];
  }

  /** The files whose records may have changed since the last call ('all' when everything was composed again). */
  takeChanges(): readonly string[] | 'all' {
    const taken = this.sinceTaken;
    this.sinceTaken = new Set();
    return taken === 'all' ? 'all' : [...taken];
  }

  private reset(): void {
    this.seq.clear();
    this.nextSeq = 0;
    this.routers.clear();
    this.functionsByFile.clear();
    this.members.clear();
    this.globals.clear();
    this.prefixContrib.clear();
    this.globalPrefix.clear();
    this.services.clear();
    this.declaredBy.clear();
    this.contributions.clear();
    this.edgeUnits.clear();
    this.recordUnits.clear();
    this.edgeReaders.clear();
    this.recordReaders.clear();
    this.chainCache.clear();
    this.chainReaders.clear();
    this.deps = undefined;
    this.edgesByChild.clear();
    this.parentsCache.clear();
    this.implementedCount.clear();
    this.bucketSources.clear();
    this.buckets.clear();
    this.shadowGroups.clear();
    this.sortedFiles = [];
    this.lengths = [];
    this.result = [];
    this.cyclic = false;
  }

  // ---- incremental pass ---------------------------------------------------------------------------------

  private applyChanges(changes: readonly FactsChange[], changedFiles: Set<string>, changed: Set<string>): { edgeUnits: number; recordUnits: number; buckets: number } {
    const touched = new Set<string>();
    // 1. The indexes: take out each file's old contribution, put in the new one; note the keys whose answer changed.
    for (const c of changes) {
      if (c.before === c.after && c.before !== undefined) continue;
      touched.add(c.file);
      changedFiles.add(c.file);
      const old = this.contributions.get(c.file);
      if (old) this.removeContribution(c.file, old, changed, !c.after);
      if (c.after) {
        if (!this.seq.has(c.file)) this.seq.set(c.file, this.nextSeq++);
        this.addContribution(c.after, changed, old);
      } else {
        this.seq.delete(c.file);
      }
    }
    this.sawCycle = false;
    const dirtyBuckets = new Set<string>();
    // 2. Edge units of the changed files and of every file that read a changed one or a changed key; changed edges
    // change `e:` keys.
    const edgeDirty = new Set<string>(touched);
    this.edgeReaders.collect(changedFiles, changed, edgeDirty);
    for (const file of edgeDirty) {
      const f = this.facts.get(file);
      this.setEdgeUnit(file, f ? this.composeEdges(f) : undefined, changed);
    }
    // 3. Prefix chains that read what changed, and every chain below them (`c:` keys).
    const stale = new Set<string>();
    this.chainReaders.collect(changedFiles, changed, stale);
    const work = [...stale];
    for (let rk = work.pop(); rk !== undefined; rk = work.pop()) {
      changed.add('c:' + rk);
      for (const child of this.chainReaders.readersOf('c:' + rk)) {
        if (stale.has(child)) continue;
        stale.add(child);
        work.push(child);
      }
    }
    for (const rk of stale) {
      const entry = this.chainCache.get(rk);
      if (!entry) continue;
      this.chainReaders.remove(rk, entry.deps);
      this.chainCache.delete(rk);
    }
    // 4. Record units of the changed files and of every file that read a changed one or a changed key.
    const recordDirty = new Set<string>(touched);
    this.recordReaders.collect(changedFiles, changed, recordDirty);
    for (const file of recordDirty) {
      const f = this.facts.get(file);
      this.setRecordUnit(file, f ? this.composeRecords(f) : undefined, dirtyBuckets);
    }
    if (this.sawCycle) throw new NeedsFullCompose();
    // 5. The files whose records changed: their units, their declared RPCs (implemented or not), their own facts;
    // then the shadowing of the routes they add or drop, which may flag or unflag a route in another file.
    for (const file of touched) dirtyBuckets.add(file);
    const affected = new Set<string>();
    for (const file of dirtyBuckets) this.rebuildBucket(file, affected);
    const reflagged = this.reshadow(affected);
    for (const file of reflagged) if (this.buckets.has(file)) dirtyBuckets.add(file);
    this.patchResult(dirtyBuckets);
    if (this.sinceTaken !== 'all') for (const file of dirtyBuckets) this.sinceTaken.add(file);
    return { edgeUnits: edgeDirty.size, recordUnits: recordDirty.size, buckets: dirtyBuckets.size };
  }

  // ---- units ----------------------------------------------------------------------------------------------

  private setEdgeUnit(file: string, unit: EdgeUnit | undefined, changed?: Set<string>): void {
    const old = this.edgeUnits.get(file);
    if (old) this.edgeReaders.remove(file, old.deps);
    const children = (old?.edges.size ?? 0) + (unit?.edges.size ?? 0) === 0 ? NOTHING : new Set<string>([...(old?.edges.keys() ?? []), ...(unit?.edges.keys() ?? [])]);
    for (const child of children) {
      const before = old?.edges.get(child);
      const after = unit?.edges.get(child);
      if (before && after && sameEdges(before, after)) continue;
      let byFile = this.edgesByChild.get(child);
      if (after) {
        if (!byFile) this.edgesByChild.set(child, (byFile = new Map()));
        byFile.set(file, after);
      } else if (byFile) {
        byFile.delete(file);
        if (byFile.size === 0) this.edgesByChild.delete(child);
      }
      this.parentsCache.delete(child);
      changed?.add('e:' + child);
    }
    if (!unit) {
      this.edgeUnits.delete(file);
      return;
    }
    this.edgeUnits.set(file, unit);
    this.edgeReaders.add(file, unit.deps);
  }

  private setRecordUnit(file: string, unit: RecordUnit | undefined, dirtyBuckets?: Set<string>): void {
    const old = this.recordUnits.get(file);
    if (old) {
      this.recordReaders.remove(file, old.deps);
      for (const b of old.out.keys()) {
        this.bucketSources.delete(b, file);
        dirtyBuckets?.add(b);
      }
      for (const route of old.implemented) {
        if (unit?.implemented.has(route)) continue;
        const n = (this.implementedCount.get(route) ?? 0) - 1;
        if (n > 0) this.implementedCount.set(route, n);
        else {
          this.implementedCount.delete(route);
          for (const d of this.declaredBy.get(route) ?? []) dirtyBuckets?.add(d);
        }
      }
    }
    if (!unit) {
      this.recordUnits.delete(file);
      return;
    }
    this.recordUnits.set(file, unit);
    this.recordReaders.add(file, unit.deps);
    for (const b of unit.out.keys()) {
      this.bucketSources.add(b, file);
      dirtyBuckets?.add(b);
    }
    for (const route of unit.implemented) {
      if (old?.implemented.has(route)) continue;
      const n = this.implementedCount.get(route) ?? 0;
      this.implementedCount.set(route, n + 1);
      if (n === 0) for (const d of this.declaredBy.get(route) ?? []) dirtyBuckets?.add(d);
    }
  }
}

/** The records of a set of facts, composed once (the CLI's scan and the tests; the index keeps a WireComposer). */
export function composeWire(facts: ReadonlyMap<string, FileFacts>, project: ProjectView, supports: ReadonlyMap<WireLanguage, LanguageSupport>): WireRecord[] {
  return [...new WireComposer(project, supports).composeAll(facts)];
}

function sameEdges(a: readonly Edge[], b: readonly Edge[]): boolean {
  return a.length === b.length && a.every((e, i) => e.parent === b[i]?.parent && e.prefix === b[i]?.prefix && e.replacesOwn === b[i]?.replacesOwn);
}
