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
 */
import type { FileFacts, FunctionFact, HandlerRef, Ref, RouterFact } from './facts';
import type { LanguageSupport, ProjectView } from './language';
import type { WireLanguage, WireRecord } from './model';
import { dirOf } from './paths';
import { joinRoute, normalizePath } from './routes';

interface Target {
  readonly file: string;
  readonly name: string;
}

interface Edge {
  readonly parent: string; // router key file#name
  readonly prefix: string; // normalized
  readonly replacesOwn?: boolean | undefined; // the edge's prefix stands in for the child's own prefix
}

const key = (file: string, name: string): string => file + '#' + name;

/** How many prefix chains one route may expand to (a router mounted in many places): beyond this, the rest are dropped. */
const MAX_CHAINS = 16;

/** One record and where it came from, so a file's records sort exactly as one pass over all facts would sort them. */
interface Entry {
  readonly r: WireRecord;
  /** 1: routes, entry points, error exits of a file; 2: gRPC implementations; 3: RPCs declared and not implemented. */
  readonly phase: 1 | 2 | 3;
  /** Facts order of the file whose unit gave the record. */
  readonly seq: number;
  /** Order within that unit. */
  readonly idx: number;
  /** Phase 2: route, file and line; of records with the same, only the first is kept. */
  readonly dedup?: string | undefined;
  /** http: service, method and route without parameter names (the shadowing key), computed once. */
  shadowKey?: string | undefined;
  /** The record with `shadowed: true`, made once. */
  shadowedCopy?: WireRecord | undefined;
  /** Place in its file's records (set when the file's records are put together). */
  pos?: number | undefined;
  /** http: an earlier record of the same key exists. */
  shadowed?: boolean | undefined;
}

/** The records at one file, sorted; `out` as they appear in the map (shadowed ones flagged). */
interface Bucket {
  readonly entries: readonly Entry[];
  out: WireRecord[];
}

/** A method of a class, by the file defining it (`pos`: its place among the file's methods). */
interface Member {
  readonly file: string;
  readonly fn: FunctionFact;
  readonly pos: number;
}

/** What a unit read: other files (facts, existence, text) and keys (see the top of this file); sets made when first needed. */
interface Deps {
  files: Set<string> | undefined;
  keys: Set<string> | undefined;
}

const NO_DEPS: Deps = Object.freeze({ files: undefined, keys: undefined }) as Deps;
const NO_ROUTES: ReadonlySet<string> = new Set();
const NO_EDGES: Map<string, Edge[]> = new Map();
const NOTHING: readonly never[] = [];
const NO_PREFIXES: Map<string, string> = new Map();

/**
 * Key → values, a single value kept as itself and several in an array (most keys here have one: the index holds
 * tens of thousands of them, so no Set each). A value is added once per key; the caller sees to that.
 */
class MultiMap<V> {
  private readonly map = new Map<string, V | V[]>();

  add(k: string, v: V): void {
    const cur = this.map.get(k);
    if (cur === undefined) this.map.set(k, v);
    else if (Array.isArray(cur)) cur.push(v);
    else this.map.set(k, [cur, v]);
  }

  delete(k: string, v: V): void {
    const cur = this.map.get(k);
    if (cur === undefined) return;
    if (!Array.isArray(cur)) {
      if (cur === v) this.map.delete(k);
      return;
    }
    const i = cur.indexOf(v);
    if (i >= 0) cur.splice(i, 1);
    if (cur.length === 1) this.map.set(k, cur[0] as V);
    else if (cur.length === 0) this.map.delete(k);
  }

  /** The values of a key (do not change the map while going through them). */
  get(k: string): readonly V[] {
    const cur = this.map.get(k);
    return cur === undefined ? NOTHING : Array.isArray(cur) ? cur : [cur];
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  clear(): void {
    this.map.clear();
  }
}

/** Who read what: file or key → the units (files, or router keys for prefix chains) that read it. */
class Readers {
  private readonly byFile = new MultiMap<string>();
  private readonly byKey = new MultiMap<string>();

  add(unit: string, deps: Deps): void {
    if (deps.files) for (const f of deps.files) this.byFile.add(f, unit);
    if (deps.keys) for (const k of deps.keys) this.byKey.add(k, unit);
  }

  remove(unit: string, deps: Deps): void {
    if (deps.files) for (const f of deps.files) this.byFile.delete(f, unit);
    if (deps.keys) for (const k of deps.keys) this.byKey.delete(k, unit);
  }

  /** The units that read any of `files` or `keys`, added to `into`. */
  collect(files: Iterable<string>, keys: Iterable<string>, into: Set<string>): void {
    for (const f of files) for (const u of this.byFile.get(f)) into.add(u);
    for (const k of keys) for (const u of this.byKey.get(k)) into.add(u);
  }

  readersOf(k: string): readonly string[] {
    return this.byKey.get(k);
  }

  clear(): void {
    this.byFile.clear();
    this.byKey.clear();
  }
}

/** What one file's routes, entry points, error exits and gRPC implementations give. */
interface RecordUnit {
  /** Records by the file they are at (gRPC methods may be in a sibling file of the implementation). */
  readonly out: Map<string, Entry[]>;
  /** gRPC routes this file implements. */
  readonly implemented: ReadonlySet<string>;
  readonly deps: Deps;
}

/** The mount edges one file's mounts and calls add: child router key → edges, in order. */
interface EdgeUnit {
  readonly edges: Map<string, Edge[]>;
  readonly deps: Deps;
}

/** A file's contributions to the composer's indexes, kept to take them out again when the file changes. */
interface Contribution {
  readonly language: WireLanguage;
  readonly routerKeys: readonly string[];
  readonly globalNames: ReadonlySet<string>;
  readonly members: readonly { container: string; name: string; fn: FunctionFact; pos: number }[];
  readonly prefixes: ReadonlyMap<string, string>;
  readonly services: readonly string[];
  readonly declaredRoutes: readonly string[];
}

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

export class WireComposer {
  private facts: ReadonlyMap<string, FileFacts> = new Map();
  /** Facts order (the order of the facts map, which is the order of a full pass). */
  private readonly seq = new Map<string, number>();
  private nextSeq = 0;

  // Indexes over all facts, kept up to date file by file.
  private readonly routers = new Map<string, RouterFact & { file: string }>();
  private readonly functionsByFile = new Map<string, Map<string, FunctionFact>>();
  /** language → container → name → the files defining it, in facts order (the first wins). */
  private readonly members = new Map<WireLanguage, Map<string, Map<string, Member[]>>>();
  /** language → top-level name → the files that may define it, in facts order. */
  private readonly globals = new Map<WireLanguage, Map<string, string[]>>();
  /** service root + framework → file → prefix (the last file in facts order wins). */
  private readonly prefixContrib = new Map<string, Map<string, string>>();
  private readonly globalPrefix = new Map<string, string>();
  /** proto service name → declarations in facts order. */
  private readonly services = new Map<string, { file: string; seq: number; idx: number; pkg: string; rpcs: FileFacts['grpcServices'][number]['rpcs'] }[]>();
  /** gRPC route → the files declaring it. */
  private readonly declaredBy = new Map<string, Set<string>>();
  private readonly contributions = new Map<string, Contribution>();

  // Units and who reads what.
  private readonly edgeUnits = new Map<string, EdgeUnit>();
  private readonly recordUnits = new Map<string, RecordUnit>();
  private readonly edgeReaders = new Readers();
  private readonly recordReaders = new Readers();
  /** Prefix chains per router key, kept across passes, with what each read. */
  private readonly chainCache = new Map<string, { list: string[]; deps: Deps }>();
  private readonly chainReaders = new Readers();
  /** child router key → file → that file's edges into it. */
  private readonly edgesByChild = new Map<string, Map<string, Edge[]>>();
  private readonly parentsCache = new Map<string, Edge[]>();
  /** gRPC route → how many files implement it. */
  private readonly implementedCount = new Map<string, number>();

  // Records per file.
  /** file → the units with records at it. */
  private readonly bucketSources = new MultiMap<string>();
  private readonly buckets = new Map<string, Bucket>();
  /** The files with records, sorted, and how many records each has in `result` (same order). */
  private sortedFiles: string[] = [];
  private lengths: number[] = [];
  private result: WireRecord[] = [];
  /** http records by shadowing key (service, method, route without parameter names). */
  private readonly shadowGroups = new MultiMap<Entry>();

  /** What the unit being composed reads (undefined: nothing is being recorded), and its own file (not recorded). */
  private deps: Deps | undefined;
  private self = '';
  private sawCycle = false;
  /** A full pass met a mount cycle: every later compose is a full one. */
  private cyclic = false;
  private composed = false;
  /** The files whose records changed since takeChanges() was last called ('all' after a full compose). */
  private sinceTaken: Set<string> | 'all' = 'all';
  lastStats: ComposeStats | undefined;

  /** The project as the resolvers see it, recording which files and folders a unit asked about. */
  private readonly tracked: ProjectView;

  constructor(
    private readonly project: ProjectView,
    private readonly supports: ReadonlyMap<WireLanguage, LanguageSupport>,
  ) {
    this.tracked = {
      has: (file) => (this.depFile(file), project.has(file)),
      filesIn: (dir) => (this.dep('d:' + dir), project.filesIn(dir)),
      read: (file) => (this.depFile(file), project.read(file)),
      // Service roots: a change of them composes everything again (see update()).
      serviceRootOf: (file) => project.serviceRootOf(file),
    };
  }

  /** Whether a full compose has been done (update() needs one first). */
  get ready(): boolean {
    return this.composed;
  }

  /** Composes every file's facts (the map is kept as a reference: update() reads the files' current facts from it). */
  composeAll(facts: ReadonlyMap<string, FileFacts>): readonly WireRecord[] {
    const t0 = performance.now();
    this.reset();
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

  /**
   * The new record list from the previous one: a copy with the changed files' records replaced (from the last
   * file to the first, so the offsets of the earlier ones still hold). A changed file's records, or its absence,
   * is in `buckets`; `sortedFiles` and `lengths` still describe the previous list.
   */
  private patchResult(files: ReadonlySet<string>): void {
    const offsets: number[] = new Array<number>(this.sortedFiles.length + 1);
    let at = 0;
    for (let i = 0; i < this.sortedFiles.length; i++) {
      offsets[i] = at;
      at += this.lengths[i] as number;
    }
    offsets[this.sortedFiles.length] = at;
    const next = this.result.slice();
    const changed = [...files].sort();
    for (let j = changed.length - 1; j >= 0; j--) {
      const file = changed[j] as string;
      const i = lowerBound(this.sortedFiles, file);
      const present = this.sortedFiles[i] === file;
      const start = offsets[i] as number;
      const oldLength = present ? (this.lengths[i] as number) : 0;
      const b = this.buckets.get(file);
      const out = b ? (b.out = b.entries.map(outOf)) : [];
      if (out.length === oldLength) for (let k = 0; k < out.length; k++) next[start + k] = out[k] as WireRecord;
      else next.splice(start, oldLength, ...out);
      if (present && b) this.lengths[i] = out.length;
      else if (present) {
        this.sortedFiles.splice(i, 1);
        this.lengths.splice(i, 1);
      } else if (b) {
        this.sortedFiles.splice(i, 0, file);
        this.lengths.splice(i, 0, out.length);
      }
    }
    this.result = next;
  }

  /** Sets which http records are shadowed, for the keys given; returns the files whose records were re-flagged. */
  private reshadow(keys: ReadonlySet<string>): Set<string> {
    const files = new Set<string>();
    for (const k of keys) {
      const group = this.shadowGroups.get(k);
      let first: Entry | undefined;
      for (const e of group) {
        if (!first || e.r.file < first.r.file || (e.r.file === first.r.file && (e.pos as number) < (first.pos as number))) first = e;
      }
      for (const e of group) {
        const shadowed = e !== first;
        if ((e.shadowed ?? false) === shadowed) continue;
        e.shadowed = shadowed;
        files.add(e.r.file);
      }
    }
    return files;
  }

  // ---- indexes --------------------------------------------------------------------------------------------

  /**
   * Puts a file's facts into the indexes; the keys whose answer changes go to `changed`. A top-level name the file
   * defined before too (`previous`) changes no list of files: whoever looked it up depends on this file's facts.
   */
  private addContribution(f: FileFacts, changed?: Set<string>, previous?: Contribution): void {
    const file = f.file;
    const seq = this.seq.get(file) as number;
    const routerKeys: string[] = [];
    for (const r of f.routers) {
      const k = key(file, r.name);
      this.routers.set(k, { ...r, file });
      routerKeys.push(k);
    }
    const fns = new Map<string, FunctionFact>();
    const members: { container: string; name: string; fn: FunctionFact; pos: number }[] = [];
    const seenMember = new Set<string>();
    for (const fn of f.functions) {
      const qualified = fn.container ? fn.container + '.' + fn.name : fn.name;
      if (!fns.has(qualified)) fns.set(qualified, fn);
      if (!fns.has(fn.name)) fns.set(fn.name, fn);
      if (fn.container && !seenMember.has(qualified)) {
        seenMember.add(qualified);
        members.push({ container: fn.container, name: fn.name, fn, pos: members.length });
      }
    }
    this.functionsByFile.set(file, fns);
    // Members: a class's methods by name, the first file in facts order wins.
    let byLang = this.members.get(f.language);
    if (!byLang) this.members.set(f.language, (byLang = new Map()));
    for (const m of members) {
      let byContainer = byLang.get(m.container);
      if (!byContainer) byLang.set(m.container, (byContainer = new Map()));
      let list = byContainer.get(m.name);
      if (!list) byContainer.set(m.name, (list = []));
      const i = this.insertAt(list, seq, (x) => x.file);
      list.splice(i, 0, { file, fn: m.fn, pos: m.pos });
      if (i === 0) changed?.add('m:' + f.language + '\0' + m.container);
    }
    // Top-level names.
    const names = new Set<string>([...f.routers.map((r) => r.name), ...Object.keys(f.exports)]);
    for (const fn of f.functions) {
      names.add(fn.name);
      if (fn.container) names.add(fn.container + '.' + fn.name);
    }
    let globals = this.globals.get(f.language);
    if (!globals) this.globals.set(f.language, (globals = new Map()));
    for (const n of names) {
      let list = globals.get(n);
      if (!list) globals.set(n, (list = []));
      list.splice(this.insertAt(list, seq, (x) => x), 0, file);
      if (!previous?.globalNames.has(n)) changed?.add('g:' + f.language + '\0' + n);
    }
    if (previous) for (const n of previous.globalNames) if (!names.has(n)) changed?.add('g:' + previous.language + '\0' + n);
    // Global prefixes: the last one of a file, the last file in facts order.
    const prefixes = f.globalPrefixes.length === 0 ? NO_PREFIXES : new Map<string, string>();
    for (const g of f.globalPrefixes) prefixes.set(this.project.serviceRootOf(file) + '\0' + g.framework, normalizePath(g.prefix, 'brace'));
    for (const [k, v] of prefixes) {
      let byFile = this.prefixContrib.get(k);
      if (!byFile) this.prefixContrib.set(k, (byFile = new Map()));
      byFile.set(file, v);
      this.refreshPrefix(k, changed);
    }
    // Proto services and the routes they declare.
    const services: string[] = [];
    const declaredRoutes: string[] = [];
    f.grpcServices.forEach((s, idx) => {
      let list = this.services.get(s.service);
      if (!list) this.services.set(s.service, (list = []));
      const decl = { file, seq, idx, pkg: s.package, rpcs: s.rpcs };
      let i = list.length;
      while (i > 0 && ((list[i - 1] as typeof decl).seq > seq || ((list[i - 1] as typeof decl).seq === seq && (list[i - 1] as typeof decl).idx > idx))) i--;
      list.splice(i, 0, decl);
      services.push(s.service);
      changed?.add('s:' + s.service);
      changed?.add('s:' + s.service + '\0' + this.project.serviceRootOf(file));
      for (const r of s.rpcs) {
        const route = `/${s.package ? s.package + '.' : ''}${s.service}/${r.name}`;
        declaredRoutes.push(route);
        let set = this.declaredBy.get(route);
        if (!set) this.declaredBy.set(route, (set = new Set()));
        set.add(file);
      }
    });
    this.contributions.set(file, { language: f.language, routerKeys, globalNames: names, members, prefixes, services, declaredRoutes });
  }

  /** Takes a file's facts out of the indexes (`gone`: the file has no facts now, so its top-level names are gone). */
  private removeContribution(file: string, c: Contribution, changed: Set<string>, gone: boolean): void {
    for (const k of c.routerKeys) {
      if (this.routers.get(k)?.file === file) this.routers.delete(k);
      if (!this.edgesByChild.has(k)) this.parentsCache.delete(k);
    }
    this.functionsByFile.delete(file);
    const byLang = this.members.get(c.language);
    for (const m of c.members) {
      const byContainer = byLang?.get(m.container);
      const list = byContainer?.get(m.name);
      if (!byContainer || !list) continue;
      const i = list.findIndex((x) => x.file === file);
      if (i < 0) continue;
      list.splice(i, 1);
      if (i === 0) changed.add('m:' + c.language + '\0' + m.container);
      if (list.length === 0) byContainer.delete(m.name);
      if (byContainer.size === 0) byLang?.delete(m.container);
    }
    const globals = this.globals.get(c.language);
    for (const n of c.globalNames) {
      const list = globals?.get(n);
      if (!list) continue;
      const i = list.indexOf(file);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) globals?.delete(n);
      if (gone) changed.add('g:' + c.language + '\0' + n);
    }
    for (const k of c.prefixes.keys()) {
      const byFile = this.prefixContrib.get(k);
      byFile?.delete(file);
      if (byFile?.size === 0) this.prefixContrib.delete(k);
      this.refreshPrefix(k, changed);
    }
    for (const s of new Set(c.services)) {
      const list = this.services.get(s);
      if (!list) continue;
      const kept = list.filter((d) => d.file !== file);
      if (kept.length > 0) this.services.set(s, kept);
      else this.services.delete(s);
      changed.add('s:' + s);
      changed.add('s:' + s + '\0' + this.project.serviceRootOf(file));
    }
    for (const route of c.declaredRoutes) {
      const set = this.declaredBy.get(route);
      set?.delete(file);
      if (set?.size === 0) this.declaredBy.delete(route);
    }
    this.contributions.delete(file);
  }

  /** Where in a list ordered by facts order an item of sequence `seq` goes. */
  private insertAt<T>(list: readonly T[], seq: number, fileOf: (x: T) => string): number {
    const last = list[list.length - 1];
    if (last === undefined || (this.seq.get(fileOf(last)) ?? -1) < seq) return list.length;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.seq.get(fileOf(list[mid] as T)) ?? -1) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private refreshPrefix(k: string, changed: Set<string> | undefined): void {
    let best: string | undefined;
    let bestSeq = -1;
    for (const [file, v] of this.prefixContrib.get(k) ?? []) {
      const s = this.seq.get(file) ?? -1;
      if (s > bestSeq) {
        bestSeq = s;
        best = v;
      }
    }
    if (this.globalPrefix.get(k) === best) return;
    if (best === undefined) this.globalPrefix.delete(k);
    else this.globalPrefix.set(k, best);
    changed?.add('p:' + k);
  }

  private declaredFiles(): Set<string> {
    const out = new Set<string>();
    for (const files of this.declaredBy.values()) for (const f of files) out.add(f);
    return out;
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

  /**
   * The records at one file, sorted as the single stable sort of a full pass would sort them; the shadowing keys of
   * the http records it drops or adds go to `affected`.
   */
  private rebuildBucket(file: string, affected: Set<string>): void {
    const old = this.buckets.get(file);
    if (old) {
      for (const e of old.entries) {
        if (e.r.kind !== 'http') continue;
        const k = shadowKeyOf(e);
        this.shadowGroups.delete(k, e);
        affected.add(k);
      }
    }
    const entries: Entry[] = [];
    const grpc: Entry[] = [];
    for (const u of this.bucketSources.get(file)) {
      for (const e of this.recordUnits.get(u)?.out.get(file) ?? []) (e.phase === 2 ? grpc : entries).push(e);
    }
    if (grpc.length > 0) {
      grpc.sort((a, b) => a.seq - b.seq || a.idx - b.idx);
      const emitted = new Set<string>();
      for (const e of grpc) {
        if (emitted.has(e.dedup as string)) continue;
        emitted.add(e.dedup as string);
        entries.push(e);
      }
    }
    // RPCs declared here that nothing implements.
    const f = this.facts.get(file);
    if (f && f.grpcServices.length > 0) {
      let idx = 0;
      const service = this.project.serviceRootOf(file);
      for (const s of f.grpcServices) {
        for (const r of s.rpcs) {
          const route = `/${s.package ? s.package + '.' : ''}${s.service}/${r.name}`;
          if (this.implementedCount.has(route)) continue;
          entries.push({ phase: 3, seq: 0, idx: idx++, r: { kind: 'grpc', method: 'GRPC', route, routeAsWritten: r.name, file, line: r.loc.line, column: r.loc.column, language: 'proto', framework: 'grpc', service } });
        }
      }
    }
    if (entries.length === 0) {
      this.buckets.delete(file);
      return;
    }
    entries.sort((a, b) => a.r.line - b.r.line || a.r.column - b.r.column || a.phase - b.phase || a.seq - b.seq || a.idx - b.idx);
    entries.forEach((e, i) => {
      e.pos = i;
      if (e.r.kind !== 'http') return;
      const k = shadowKeyOf(e);
      this.shadowGroups.add(k, e);
      affected.add(k);
    });
    this.buckets.set(file, { entries, out: [] });
  }

  // ---- resolution (every read of another file's facts is recorded) ---------------------------------------

  private dep(k: string): void {
    if (this.deps) (this.deps.keys ??= new Set()).add(k);
  }

  private depFile(file: string): void {
    if (this.deps && file !== this.self) (this.deps.files ??= new Set()).add(file);
  }

  private factsOf(file: string): FileFacts | undefined {
    this.depFile(file);
    return this.facts.get(file);
  }

  private routerHas(file: string, name: string): boolean {
    this.depFile(file);
    return this.routers.has(key(file, name));
  }

  private functionsOf(file: string): Map<string, FunctionFact> | undefined {
    this.depFile(file);
    return this.functionsByFile.get(file);
  }

  /** Starts recording what `file`'s unit reads; returns what was recorded before (to restore). */
  private begin(file: string): { deps: Deps | undefined; self: string } {
    const before = { deps: this.deps, self: this.self };
    this.deps = { files: undefined, keys: undefined };
    this.self = file;
    return before;
  }

  private end(before: { deps: Deps | undefined; self: string }): Deps {
    const deps = this.deps as Deps;
    this.deps = before.deps;
    this.self = before.self;
    return deps.files || deps.keys ? deps : NO_DEPS;
  }

  private definesName(file: string, name: string): string | undefined {
    const f = this.factsOf(file);
    if (!f) return undefined;
    if (this.routers.has(key(file, name)) || this.functionsByFile.get(file)?.has(name)) return name;
    const exported = f.exports[name];
    if (exported !== undefined) return exported;
    return undefined;
  }

  private resolveModule(from: FileFacts, module: string): readonly string[] {
    const s = this.supports.get(from.language);
    return s?.resolveModule ? s.resolveModule(from.file, module, this.tracked) : [];
  }

  private globalFiles(language: WireLanguage, name: string): readonly string[] {
    this.dep('g:' + language + '\0' + name);
    return this.globals.get(language)?.get(name) ?? [];
  }

  private member(language: WireLanguage, container: string): ReadonlyMap<string, readonly Member[]> | undefined {
    this.dep('m:' + language + '\0' + container);
    return this.members.get(language)?.get(container);
  }

  /** Where a Ref points: router or function names in some files. */
  private resolve(file: string, ref: Ref, depth = 0): Target[] {
    const f = this.factsOf(file);
    if (!f) return [];
    switch (ref.kind) {
      case 'local':
        return [{ file, name: ref.name }];
      case 'package': {
        const here = this.definesName(file, ref.name);
        if (here !== undefined) return [{ file, name: here }];
        if (!this.supports.get(f.language)?.packageIsFolder) return [];
        const out: Target[] = [];
        for (const sib of this.tracked.filesIn(dirOf(file))) {
          if (sib === file) continue;
          const n = this.definesName(sib, ref.name);
          if (n !== undefined) out.push({ file: sib, name: n });
        }
        return out;
      }
      case 'import': {
        const out: Target[] = [];
        for (const imp of f.imports) {
          if (imp.local !== ref.binding) continue;
          let module = imp.module;
          let symbol: string | undefined = imp.name;
          const sup = this.supports.get(f.language);
          if (imp.name !== '*' && sup?.submodule) {
            const sub = sup.submodule(imp.module, imp.name);
            if (this.resolveModule(f, sub).length > 0) {
              module = sub;
              symbol = '*';
            }
          }
          if (symbol === '*') symbol = ref.member;
          else if (ref.member !== undefined) symbol = symbol + '.' + ref.member;
          if (symbol === undefined) continue;
          for (const target of this.resolveModule(f, module)) {
            const n = this.definesName(target, symbol) ?? (symbol.includes('.') ? this.definesName(target, symbol.slice(symbol.lastIndexOf('.') + 1)) : undefined);
            if (n === undefined) continue;
            // A name the target itself imports and exports again (`export { default as x } from './x'`, `module.exports = { router }`): follow it.
            const reexported = depth < 4 && !this.routers.has(key(target, n)) && !this.functionsByFile.get(target)?.has(n) && this.facts.get(target)?.imports.some((i) => i.local === n);
            if (reexported) out.push(...this.resolve(target, { kind: 'import', binding: n }, depth + 1));
            else out.push({ file: target, name: n });
          }
        }
        return out;
      }
      case 'global': {
        const out: Target[] = [];
        for (const g of this.globalFiles(f.language, ref.name)) {
          const n = this.definesName(g, ref.name);
          if (n !== undefined) out.push({ file: g, name: n });
        }
        return out;
      }
    }
  }

  /** A router target, or a function mounted as a plugin whose first parameter is a router (`fastify.register(plugin)` → `plugin(fastify)`). */
  private routerKeyOf(t: Target): string | undefined {
    if (this.routerHas(t.file, t.name)) return key(t.file, t.name);
    const fn = this.functionsOf(t.file)?.get(t.name);
    const param = fn?.params[0];
    if (!fn || param === undefined) return undefined;
    const pname = `${fn.container ? fn.container + '.' + fn.name : fn.name}(${param})`;
    return this.routers.has(key(t.file, pname)) ? key(t.file, pname) : undefined;
  }

  /** The mount edges one file's mounts and calls add. */
  private composeEdges(f: FileFacts): EdgeUnit {
    const before = this.begin(f.file);
    const edges = new Map<string, Edge[]>();
    const addEdge = (child: string, edge: Edge): void => {
      let list = edges.get(child);
      if (!list) edges.set(child, (list = []));
      if (!list.some((e) => e.parent === edge.parent && e.prefix === edge.prefix && e.replacesOwn === edge.replacesOwn)) list.push(edge);
    };
    for (const m of f.mounts) {
      const prefix = m.prefix === '' ? '' : normalizePath(m.prefix, m.style);
      for (const c of this.resolve(f.file, m.child)) {
        const ck = this.routerKeyOf(c);
        if (!ck) continue;
        for (const p of this.resolve(f.file, m.parent)) {
          const pk = key(p.file, p.name);
          if (pk !== ck && this.routerHas(p.file, p.name)) addEdge(ck, { parent: pk, prefix, replacesOwn: m.replacesOwnPrefix });
        }
      }
    }
    // Routers passed to functions: `articles.Register(api)` mounts Register's parameter router `Register(r)` under api.
    for (const call of f.calls) {
      for (const target of this.resolve(f.file, call.callee)) {
        const fn = this.functionsOf(target.file)?.get(target.name);
        if (!fn) continue;
        const fnName = fn.container ? fn.container + '.' + fn.name : fn.name;
        call.args.forEach((arg, i) => {
          const param = fn.params[i];
          if (!arg || param === undefined) return;
          const ck = [key(target.file, `${fnName}(${param})`), key(target.file, `${fn.name}(${param})`)].find((k) => this.routers.has(k));
          if (!ck) return;
          for (const p of this.resolve(f.file, arg)) {
            const pk = key(p.file, p.name);
            if (pk !== ck && this.routerHas(p.file, p.name)) addEdge(ck, { parent: pk, prefix: '' });
          }
        });
      }
    }
    return { edges: edges.size > 0 ? edges : NO_EDGES, deps: this.end(before) };
  }

  /** A router's mount edges from every file, in facts order, without repeats. */
  private parentsOf(rk: string): readonly Edge[] {
    this.dep('e:' + rk);
    let list = this.parentsCache.get(rk);
    if (list) return list;
    list = [];
    const byFile = this.edgesByChild.get(rk);
    if (byFile) {
      const files = [...byFile.keys()].sort((a, b) => (this.seq.get(a) ?? 0) - (this.seq.get(b) ?? 0));
      for (const file of files) {
        for (const edge of byFile.get(file) ?? []) {
          if (!list.some((e) => e.parent === edge.parent && e.prefix === edge.prefix && e.replacesOwn === edge.replacesOwn)) list.push(edge);
        }
      }
    }
    this.parentsCache.set(rk, list);
    return list;
  }

  /**
   * Every full prefix a router can be reached by, from its roots down to (and including) its own prefix. Kept
   * per router across passes; the caller is recorded as reading `c:` of the router.
   */
  private chains(rk: string, seen: Set<string>): string[] {
    const cached = this.chainCache.get(rk);
    if (cached) {
      this.dep('c:' + rk);
      return cached.list;
    }
    const before = this.begin('');
    const r = this.routers.get(rk);
    if (r) this.depFile(r.file);
    const own = r?.prefix ? normalizePath(r.prefix, r.style) : '';
    const ups = this.parentsOf(rk);
    let result: string[];
    if (ups.length === 0 || seen.has(rk)) {
      if (ups.length > 0) this.sawCycle = true;
      let g = '';
      if (r) {
        const gk = this.project.serviceRootOf(r.file) + '\0' + r.framework;
        this.dep('p:' + gk);
        g = this.globalPrefix.get(gk) ?? '';
      }
      result = [joinRoute(g, own)];
    } else {
      seen.add(rk);
      const set = new Set<string>();
      for (const e of ups) for (const c of this.chains(e.parent, seen)) if (set.size < MAX_CHAINS) set.add(joinRoute(c, e.prefix, e.replacesOwn ? '' : own));
      seen.delete(rk);
      result = [...set];
    }
    const deps = this.end(before);
    this.chainCache.set(rk, { list: result, deps });
    this.chainReaders.add(rk, deps);
    this.dep('c:' + rk);
    return result;
  }

  private lookupHandler(file: string, lang: WireLanguage, h: HandlerRef | undefined): { file?: string; line?: number; endLine?: number; name?: string } {
    if (!h) return {};
    switch (h.kind) {
      case 'here':
        return { file, line: h.loc.line, endLine: h.loc.endLine, name: h.name };
      case 'ref': {
        for (const t of this.resolve(file, h.ref)) {
          const fn = this.functionsOf(t.file)?.get(t.name);
          if (fn) return { file: t.file, line: fn.loc.line, endLine: fn.loc.endLine, name: h.display };
        }
        return { name: h.display };
      }
      case 'member': {
        const m = this.member(lang, h.container)?.get(h.name)?.[0];
        return m ? { file: m.file, line: m.fn.loc.line, endLine: m.fn.loc.endLine, name: `${h.container}.${h.name}` } : { name: `${h.container}.${h.name}` };
      }
      case 'file': {
        const fns = this.functionsOf(h.file);
        const fn = (h.container ? fns?.get(h.container + '.' + h.name) : undefined) ?? fns?.get(h.name);
        const name = h.container ? `${h.container}#${h.name}` : h.name;
        return fn ? { file: h.file, line: fn.loc.line, endLine: fn.loc.endLine, name } : { name };
      }
    }
  }

  /**
   * An implementation's methods; where a package is a folder (Go), also the type's methods in the sibling files;
   * a type registered from another package (`pb.RegisterFooServer(s, &handlers.Foo{})`) is found by its name.
   */
  private implMethods(f: FileFacts, impl: FileFacts['grpcImpls'][number]): { m: { name: string; loc: FunctionFact['loc'] }; file: string }[] {
    const out = impl.methods.map((m) => ({ m, file: f.file }));
    if (!this.supports.get(f.language)?.packageIsFolder) return out;
    if (out.length === 0) {
      // In the order a full pass meets them: by the file that defines each first, then by place in that file.
      const firsts: { name: string; hit: Member }[] = [];
      for (const [name, hits] of this.member(f.language, impl.container) ?? []) if (hits[0]) firsts.push({ name, hit: hits[0] });
      firsts.sort((a, b) => (this.seq.get(a.hit.file) ?? 0) - (this.seq.get(b.hit.file) ?? 0) || a.hit.pos - b.hit.pos);
      for (const { name, hit } of firsts) out.push({ m: { name, loc: hit.fn.loc }, file: hit.file });
    }
    for (const sib of this.tracked.filesIn(dirOf(f.file))) {
      if (sib === f.file) continue;
      const g = this.factsOf(sib);
      if (g?.language !== f.language) continue;
      for (const fn of g.functions) if (fn.container === impl.container) out.push({ m: { name: fn.name, loc: fn.loc }, file: sib });
    }
    return out;
  }

  /** One file's records: its routes with every prefix chain, entry points, error exits, gRPC implementations. */
  private composeRecords(f: FileFacts): RecordUnit {
    const before = this.begin(f.file);
    const seq = this.seq.get(f.file) as number;
    const out = new Map<string, Entry[]>();
    let idx = 0;
    const push = (phase: 1 | 2, r: WireRecord, dedup?: string): void => {
      let list = out.get(r.file);
      if (!list) out.set(r.file, (list = []));
      list.push({ r, phase, seq, idx: idx++, dedup });
    };
    const service = this.project.serviceRootOf(f.file);
    for (const r of f.routes) {
      const path = normalizePath(r.path, r.style);
      const handler = this.lookupHandler(f.file, f.language, r.handler);
      let prefixes: string[] = [''];
      if (r.router) {
        const found = this.resolve(f.file, r.router)
          .filter((t) => this.routerHas(t.file, t.name))
          .map((t) => key(t.file, t.name));
        if (found.length > 0) prefixes = [...new Set(found.flatMap((k) => this.chains(k, new Set())))];
      }
      for (const prefix of prefixes) {
        push(1, {
          kind: 'http',
          method: r.method,
          route: joinRoute(prefix, path),
          routeAsWritten: r.path,
          file: f.file,
          line: r.loc.line,
          column: r.loc.column,
          handlerFile: handler.file,
          handlerLine: handler.line,
          handlerEndLine: handler.endLine,
          handler: handler.name,
          language: f.language,
          framework: r.framework,
          service,
        });
      }
    }
    for (const e of f.entries) {
      push(1, { kind: 'entry', file: f.file, line: e.loc.line, column: e.loc.column, handler: e.name, detail: e.detail, text: e.name, language: f.language, framework: e.framework, service });
    }
    for (const e of f.errors) {
      push(1, { kind: 'error', file: f.file, line: e.loc.line, column: e.loc.column, detail: e.kind, text: e.text, function: e.function, language: f.language, framework: '', service });
    }

    // gRPC: services from .proto files, linked to implementations by service name; method names compared loosely
    // (GetArticle, getArticle, get_article are the same RPC).
    const implemented = new Set<string>();
    for (const impl of f.grpcImpls) {
      // The service's declarations in this implementation's own service folder when it has them (a monorepo may
      // hold many copies of one proto), else every declaration of that name.
      const named = this.services.get(impl.service) ?? [];
      const near = named.filter((d) => this.project.serviceRootOf(d.file) === service);
      const decls = near.length > 0 ? near : named;
      // Only the declarations used count: the service's own folder's, or (none there) all of them.
      this.dep(near.length > 0 ? 's:' + impl.service + '\0' + service : 's:' + impl.service);
      for (const { m, file } of this.implMethods(f, impl)) {
        const matches = decls.flatMap((d) => d.rpcs.filter((r) => loose(r.name) === loose(m.name)).map((r) => ({ d, r })));
        const fn = this.functionsOf(file)?.get(impl.container + '.' + m.name);
        // A method only declared in the class (no body: a C++ header) points at its definition, here or in another file.
        const def = m.loc.endLine !== undefined ? undefined : fn ? { file, fn } : this.member(f.language, impl.container)?.get(m.name)?.[0];
        for (const { d, r } of matches) {
          const route = `/${d.pkg ? d.pkg + '.' : ''}${impl.service}/${r.name}`;
          implemented.add(route);
          push(
            2,
            {
              kind: 'grpc',
              method: 'GRPC',
              route,
              routeAsWritten: r.name,
              file,
              line: m.loc.line,
              column: m.loc.column,
              handlerFile: def?.file ?? file,
              handlerLine: def?.fn.loc.line ?? m.loc.line,
              handlerEndLine: def?.fn.loc.endLine ?? m.loc.endLine ?? fn?.loc.endLine,
              handler: `${impl.container}.${m.name}`,
              language: f.language,
              framework: impl.framework,
              service: this.project.serviceRootOf(file),
            },
            route + '\0' + file + '\0' + m.loc.line,
          );
        }
      }
    }
    return { out, implemented: implemented.size > 0 ? implemented : NO_ROUTES, deps: this.end(before) };
  }
}

/** The records of a set of facts, composed once (the CLI's scan and the tests; the index keeps a WireComposer). */
export function composeWire(facts: ReadonlyMap<string, FileFacts>, project: ProjectView, supports: ReadonlyMap<WireLanguage, LanguageSupport>): WireRecord[] {
  return [...new WireComposer(project, supports).composeAll(facts)];
}

const loose = (s: string): string => s.replace(/_/g, '').toLowerCase();

/** An http record's shadowing key: service, method, route without parameter names (computed once per entry). */
function shadowKeyOf(e: Entry): string {
  return (e.shadowKey ??= e.r.service + '\0' + e.r.method + '\0' + (e.r.route ?? '').replace(/\{(\*?)[^}]*\}/g, '{$1}'));
}

/** An entry as it appears in the map. */
function outOf(e: Entry): WireRecord {
  return e.shadowed ? (e.shadowedCopy ??= { ...e.r, shadowed: true }) : e.r;
}

function sameEdges(a: readonly Edge[], b: readonly Edge[]): boolean {
  return a.length === b.length && a.every((e, i) => e.parent === b[i]?.parent && e.prefix === b[i]?.prefix && e.replacesOwn === b[i]?.replacesOwn);
}

/** The first index of a sorted list whose item is not below `s` (JavaScript string order, as the records are sorted). */
function lowerBound(list: readonly string[], s: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as string) < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
