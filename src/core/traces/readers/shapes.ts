/**
 * Keeps the hidden classes of the last parsed trace document alive, so the next one is read by optimized code.
 *
 * `JSON.parse` gives its objects hidden classes ("maps") that live only as long as some object has them. The readers'
 * optimized code is compiled against those maps; when the previous document is collected, a full collection frees the
 * maps and V8 throws that code away ("weak objects"), so each trace opened after a quiet moment was read partly by
 * unoptimized code — 10–20 % slower at 10k spans. A document from less than a megabyte of text is kept whole; a
 * larger one would hold tens of megabytes, so it is kept pruned to a few objects of each shape: every list is cut
 * down, in place, to the first element of each distinct shape (its keys, and two levels of what they hold: a span
 * with events or a status message, an attribute holding an int rather than a string). The document must be the
 * reader's own (nothing else may use it afterwards).
 */

/** At most this many elements of a list are looked at (spread over the list), and this many kept. */
const scanPerList = 32;
const keepPerList = 16;
/** At most this many lists are pruned per document (the cost stays well under a millisecond). */
const maxLists = 2_000;
const maxDepth = 16;

let kept: unknown;
/** Objects kept for good (see {@link keepAlive}), and the last list of a rare shape a reader met (see {@link keepRare}). */
const forGood: unknown[] = [];
let rare: unknown;

/**
 * Keeps one instance of a class alive for good. The hidden class of a class's instances lives only as long as one
 * of them does: a class made and dropped once per trace (the span-ID table, the warnings) would otherwise get a new
 * hidden class after every full collection, and the code compiled against the old one is thrown away.
 */
export function keepAlive<T>(instance: T): T {
  forGood.push(instance);
  return instance;
}

/** Keeps the last value of a shape too rare for pruning to find (a span's events: only failed spans have them). */
export function keepRare(value: unknown): void {
  rare = value;
}

/** Documents parsed from less text than this are kept whole: pruning would cost more than the memory it saves. */
const keepWholeBelowChars = 1_000_000;

/**
 * Keeps `doc` until the next document replaces it: whole when it came from less than a megabyte of text, else pruned
 * in place to a few objects of each shape.
 */
export function keepShapes(doc: unknown, textLength = Infinity): void {
  if (textLength >= keepWholeBelowChars) prune(doc, 0, { lists: maxLists });
  kept = doc;
}

/** What is kept now (for tests). */
export function keptShapes(): { readonly document: unknown; readonly rare: unknown; readonly forGood: readonly unknown[] } {
  return { document: kept, rare, forGood };
}

function prune(v: unknown, depth: number, budget: { lists: number }): void {
  if (typeof v !== 'object' || v === null || depth > maxDepth) return;
  if (Array.isArray(v)) {
    if (budget.lists-- <= 0) {
      v.length = 0;
      return;
    }
    const seen = new Set<string>();
    const step = Math.max(1, Math.ceil(v.length / scanPerList));
    let n = 0;
    for (let i = 0; i < v.length && n < keepPerList; i += step) {
      const x: unknown = v[i];
      const key = shapeOf(x, 2);
      if (seen.has(key)) continue;
      seen.add(key);
      v[n++] = x;
    }
    v.length = n;
    for (let i = 0; i < n; i++) prune(v[i], depth + 1, budget);
    return;
  }
  for (const key of Object.keys(v)) prune((v as Record<string, unknown>)[key], depth + 1, budget);
}

/** The keys of `x` and, `depth` levels down, the shapes of its values: objects that differ here have different maps. */
function shapeOf(x: unknown, depth: number): string {
  if (typeof x !== 'object' || x === null) return typeof x;
  if (Array.isArray(x)) return depth > 0 && x.length > 0 ? `[${shapeOf(x[0], depth - 1)}]` : x.length > 0 ? '[…]' : '[]';
  if (depth === 0) return '{…}';
  let out = '{';
  for (const k of Object.keys(x)) out += `${k}:${shapeOf((x as Record<string, unknown>)[k], depth - 1)},`;
  return `${out}}`;
}
