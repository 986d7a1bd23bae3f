/**
 * The records per file, in the order one full pass gives (a file's bucket: its units' records, gRPC
 * implementations without repeats, RPCs declared and not implemented), which http records are shadowed by an
 * earlier one of the same key, and the map's record list patched file by file.
 */
import type { WireRecord } from '../model';
import { ComposerRecords } from './records';
import { type Bucket, type Entry, MultiMap, outOf, type RecordUnit, shadowKeyOf } from './structures';

export abstract class ComposerBuckets extends ComposerRecords {
  /** gRPC route → how many files implement it. */
  protected readonly implementedCount = new Map<string, number>();

  // Records per file.
  /** The record units, by file (set by the composer, compose.ts). */
  protected readonly recordUnits = new Map<string, RecordUnit>();
  /** file → the units with records at it. */
  protected readonly bucketSources = new MultiMap<string>();
  protected readonly buckets = new Map<string, Bucket>();
  /** The files with records, sorted, and how many records each has in `result` (same order). */
  protected sortedFiles: string[] = [];
  protected lengths: number[] = [];
  protected result: WireRecord[] = [];
  /** http records by shadowing key (service, method, route without parameter names). */
  protected readonly shadowGroups = new MultiMap<Entry>();

  /**
   * The records at one file, sorted as the single stable sort of a full pass would sort them; the shadowing keys of
   * the http records it drops or adds go to `affected`.
   */
  protected rebuildBucket(file: string, affected: Set<string>): void {
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

  /**
   * The new record list from the previous one: a copy with the changed files' records replaced (from the last
   * file to the first, so the offsets of the earlier ones still hold). A changed file's records, or its absence,
   * is in `buckets`; `sortedFiles` and `lengths` still describe the previous list.
   */
  protected patchResult(files: ReadonlySet<string>): void {
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
  protected reshadow(keys: ReadonlySet<string>): Set<string> {
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
