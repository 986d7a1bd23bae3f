/**
 * Span ID → index of the first span with that ID, for the tree of a trace. An open-addressing table in one typed
 * array instead of a Map: a 10k-span trace would otherwise allocate about 1 MB of hash-table storage on the heap
 * (grown by doubling) for the collector to copy, and each lookup here is a few character reads and integer compares.
 */
import { keepAlive } from './readers/shapes';

export class SpanIdTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Distinct span IDs. */
  readonly size: number;

  constructor(private readonly spans: readonly { readonly spanId: string }[]) {
    let cap = 16;
    while (cap < spans.length * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    let size = 0;
    for (let i = 0; i < spans.length; i++) {
      const id = (spans[i] as { readonly spanId: string }).spanId;
      let h = hash(id) & this.mask;
      for (;;) {
        const e = this.slots[h] as number;
        if (e === 0) {
          this.slots[h] = i + 1;
          size++;
          break;
        }
        if ((spans[e - 1] as { readonly spanId: string }).spanId === id) break;
        h = (h + 1) & this.mask;
      }
    }
    this.size = size;
  }

  /** The index of the first span with this ID, or -1. */
  get(id: string): number {
    let h = hash(id) & this.mask;
    for (;;) {
      const e = this.slots[h] as number;
      if (e === 0) return -1;
      if ((this.spans[e - 1] as { readonly spanId: string }).spanId === id) return e - 1;
      h = (h + 1) & this.mask;
    }
  }
}

/** FNV-1a over the UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

keepAlive(new SpanIdTable([]));
