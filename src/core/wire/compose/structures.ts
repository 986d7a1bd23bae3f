/**
 * The shapes the composer's layers share: mount edges and their targets, records with where they came from
 * (entries), a file's records (buckets), units and what they read (deps), a file's contribution to the indexes; and
 * the two small multi-valued maps the dependency bookkeeping is built on (MultiMap, Readers).
 */
import type { FunctionFact } from '../facts';
import type { WireLanguage, WireRecord } from '../model';

/** Where a Ref points: a router or function name in a file. */
export interface Target {
  readonly file: string;
  readonly name: string;
}

/** A mount edge into a child router (kept per child router key). */
export interface Edge {
  readonly parent: string; // router key file#name
  readonly prefix: string; // normalized
  readonly replacesOwn?: boolean | undefined; // the edge's prefix stands in for the child's own prefix
}

/**
 * The chain segment that stands for a prefix computed at run time, one per mount (the mount's place): it keeps the
 * routes below apart from the parent's when shadowing is decided, and is taken out of the routes shown.
 */
export function unknownPrefixSegment(file: string, line: number, column: number): string {
  return UNKNOWN_PREFIX + `${file}:${line}:${column}`.replace(/\//g, '\u0001');
}
export const UNKNOWN_PREFIX = '\u0000';

/**
 * The chain segment of a root router that is a server of its own (the binaries of one Go module, `cmd/api` and
 * `cmd/admin`, each make their router; two Express apps of one service listen on two ports) or a router mounted
 * where the scan can't see: a route of one never shadows a route of another. Taken out of the routes shown, like an
 * unknown prefix.
 */
export function rootSegment(routerKey: string): string {
  return UNKNOWN_PREFIX + ROOT_MARK + routerKey.replace(/\//g, '\u0001');
}
const ROOT_MARK = '\u0002';

/** Whether a composed route went through a prefix computed at run time (not only a root segment). */
export function hasUnknownPrefix(route: string): boolean {
  return route.split('/').some((s) => s.startsWith(UNKNOWN_PREFIX) && s[1] !== ROOT_MARK);
}

/** A route without its unknown-prefix segments. */
export function withoutUnknownPrefixes(route: string): string {
  return route.includes(UNKNOWN_PREFIX) ? '/' + route.split('/').filter((s) => s !== '' && !s.startsWith(UNKNOWN_PREFIX)).join('/') : route;
}

/** A router's key: file#name. */
export const key = (file: string, name: string): string => file + '#' + name;

/** One record and where it came from, so a file's records sort exactly as one pass over all facts would sort them. */
export interface Entry {
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
export interface Bucket {
  readonly entries: readonly Entry[];
  out: WireRecord[];
}

/** A method of a class, by the file defining it (`pos`: its place among the file's methods). */
export interface Member {
  readonly file: string;
  readonly fn: FunctionFact;
  readonly pos: number;
}

/** What a unit read: other files (facts, existence, text) and keys (see the top of this file); sets made when first needed. */
export interface Deps {
  files: Set<string> | undefined;
  keys: Set<string> | undefined;
}

export const NOTHING: readonly never[] = [];

/**
 * Key → values, a single value kept as itself and several in an array (most keys here have one: the index holds
 * tens of thousands of them, so no Set each). A value is added once per key; the caller sees to that.
 */
export class MultiMap<V> {
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
export class Readers {
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
export interface RecordUnit {
  /** Records by the file they are at (gRPC methods may be in a sibling file of the implementation). */
  readonly out: Map<string, Entry[]>;
  /** gRPC routes this file implements. */
  readonly implemented: ReadonlySet<string>;
  readonly deps: Deps;
}

/** The mount edges one file's mounts and calls add: child router key → edges, in order. */
export interface EdgeUnit {
  readonly edges: Map<string, Edge[]>;
  readonly deps: Deps;
}

/** A file's contributions to the composer's indexes, kept to take them out again when the file changes. */
export interface Contribution {
  readonly language: WireLanguage;
  readonly routerKeys: readonly string[];
  readonly globalNames: ReadonlySet<string>;
  readonly members: readonly { container: string; name: string; fn: FunctionFact; pos: number }[];
  readonly prefixes: ReadonlyMap<string, string>;
  readonly services: readonly string[];
  readonly declaredRoutes: readonly string[];
}

/** An http record's shadowing key: service, method, route without parameter names (computed once per entry). */
export function shadowKeyOf(e: Entry): string {
  return (e.shadowKey ??= shadowKey(e.r, e.r.route ?? ''));
}

/** The shadowing key of a record whose route (as composed: with any unknown-prefix segments) is `route`. */
export function shadowKey(r: WireRecord, route: string): string {
  return r.service + '\0' + r.method + '\0' + route.replace(/\{(\*?)[^}]*\}/g, '{$1}');
}

/** An entry as it appears in the map. */
export function outOf(e: Entry): WireRecord {
  return e.shadowed ? (e.shadowedCopy ??= { ...e.r, shadowed: true }) : e.r;
}
