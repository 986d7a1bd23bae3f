/**
 * The extension host's copy of one folder's wire map, kept from what the wire worker sends: the whole map after a
 * scan (or a full compose), then only the records of the files an update changed (a WireDelta). Records by file
 * and by the file their handler is in are kept up to date; the flat list is put together again when asked for.
 */
import type { WireMap, WireRecord } from './model';
import type { WireDelta } from './workerProtocol';

export class WireMapCopy {
  private current: WireMap | undefined;
  private stale = false;
  byFile = new Map<string, WireRecord[]>();
  /** HTTP/gRPC records by the file their handler is defined in, when that is not the registration file. */
  byHandlerFile = new Map<string, WireRecord[]>();

  /** The map; its record list in map order (by file, then place), put together again after a delta. */
  get map(): WireMap | undefined {
    if (this.stale && this.current) {
      const records: WireRecord[] = [];
      for (const file of [...this.byFile.keys()].sort()) for (const r of this.byFile.get(file) ?? []) records.push(r);
      this.current = { ...this.current, records };
      this.stale = false;
    }
    return this.current;
  }

  set(map: WireMap): void {
    this.current = map;
    this.stale = false;
    const byFile = new Map<string, WireRecord[]>();
    const byHandlerFile = new Map<string, WireRecord[]>();
    for (const r of map.records) {
      add(byFile, r.file, r);
      if (handlerElsewhere(r)) add(byHandlerFile, r.handlerFile, r);
    }
    this.byFile = byFile;
    this.byHandlerFile = byHandlerFile;
  }

  apply(delta: WireDelta): void {
    const touched = new Set<string>();
    for (const [file, records] of delta.files) {
      for (const r of this.byFile.get(file) ?? []) {
        if (!handlerElsewhere(r)) continue;
        const list = this.byHandlerFile.get(r.handlerFile)?.filter((x) => x !== r);
        if (list && list.length > 0) this.byHandlerFile.set(r.handlerFile, list);
        else this.byHandlerFile.delete(r.handlerFile);
      }
      if (records.length > 0) this.byFile.set(file, [...records]);
      else this.byFile.delete(file);
      for (const r of records) {
        if (!handlerElsewhere(r)) continue;
        add(this.byHandlerFile, r.handlerFile, r);
        touched.add(r.handlerFile);
      }
    }
    // In map order, as set() builds them.
    for (const h of touched) this.byHandlerFile.get(h)?.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
    this.current = { records: this.current?.records ?? [], problems: delta.problems, stats: delta.stats };
    this.stale = true;
  }
}

function handlerElsewhere(r: WireRecord): r is WireRecord & { handlerFile: string } {
  return (r.kind === 'http' || r.kind === 'grpc') && !!r.handlerFile && r.handlerFile !== r.file;
}

function add(m: Map<string, WireRecord[]>, file: string, r: WireRecord): void {
  let list = m.get(file);
  if (!list) m.set(file, (list = []));
  list.push(r);
}
