/**
 * Three-way merge of an incident: what protects "two VS Code windows edit the same incident" and "`git pull` changed
 * the file while I was editing". `base` is the version both sides started from, `ours` this window's, `theirs` the
 * file's (or the other window's).
 *
 * - A field (title, status, a hypothesis' status, an observation's text …) takes the side that changed it from
 *   `base`; both changed it the same way: fine; differently: a conflict, and `ours` stays in the merge. Texts are
 *   fields too: no line-level merge.
 * - Lists keyed by ID (observations, hypotheses and their evidence, actions, timeline): additions from both sides
 *   are kept (ours in our order, theirs after the entry they follow in their list, concurrent additions ordered by
 *   time, then ID); a removal on one side is honoured unless the other side edited the item — then it is a conflict
 *   and the edited item stays. Items both sides kept are merged field by field.
 * - Services are a set: additions and removals of both sides.
 *
 * Conflict paths read like `title`, `hypotheses[h-2m7q].status`, `hypotheses[h-2m7q].evidence[e-9x1c].text`,
 * `observations[o-k3x9]` (removed on one side, edited on the other).
 */
import type { Incident } from './model';
import { deepEqual } from './equal';
import { groupActions, sortTimeline } from './ops';

export interface MergeConflict {
  /** What conflicts: `title`, `hypotheses[h-2m7q].status`, `observations[o-k3x9]` … */
  readonly path: string;
  /** Our value, readable (`(none)` when absent, `(removed)` when the item is gone). */
  readonly ours: string;
  readonly theirs: string;
}

export interface MergeResult {
  /** Both sides' changes; at a conflict, ours. */
  readonly merged: Incident;
  readonly conflicts: MergeConflict[];
}

type Item = { readonly id: string; readonly at: string } & Readonly<Record<string, unknown>>;

/** Fields that are not compared one by one: lists merged by ID, and the ID itself. */
const LIST_FIELDS = new Set(['observations', 'hypotheses', 'actions', 'timeline', 'evidence', 'services']);

export function mergeIncidents(base: Incident, ours: Incident, theirs: Incident): MergeResult {
  if (deepEqual(ours, theirs) || deepEqual(theirs, base)) return { merged: ours, conflicts: [] };
  if (deepEqual(ours, base)) return { merged: theirs, conflicts: [] };
  const conflicts: MergeConflict[] = [];
  const fields = mergeFields('', base as unknown as Record<string, unknown>, ours as unknown as Record<string, unknown>, theirs as unknown as Record<string, unknown>, conflicts);
  const list = <T extends Item>(key: 'observations' | 'hypotheses' | 'actions' | 'timeline', each: (path: string, b: T, o: T, t: T) => T): T[] =>
    mergeList(key, base[key] as unknown as readonly T[], ours[key] as unknown as readonly T[], theirs[key] as unknown as readonly T[], each, conflicts);
  const plain = <T extends Item>(path: string, b: T, o: T, t: T): T => mergeFields(path, b, o, t, conflicts) as T;
  const merged = {
    ...fields,
    services: mergeSet(base.services, ours.services, theirs.services),
    observations: list('observations', plain),
    hypotheses: list('hypotheses', (path, b, o, t) =>
      ({
        ...mergeFields(path, b, o, t, conflicts),
        evidence: mergeList(`${path}.evidence`, b['evidence'] as readonly Item[], o['evidence'] as readonly Item[], t['evidence'] as readonly Item[], plain, conflicts),
      }) as unknown as Item,
    ),
    actions: groupActions(list('actions', plain) as unknown as Incident['actions']),
    timeline: sortTimeline(list('timeline', plain) as unknown as Incident['timeline']),
  } as unknown as Incident;
  return { merged, conflicts };
}

/** The scalar fields of three versions of an object, merged (list fields are left to the caller). */
function mergeFields(path: string, b: Readonly<Record<string, unknown>>, o: Readonly<Record<string, unknown>>, t: Readonly<Record<string, unknown>>, conflicts: MergeConflict[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = [...new Set([...Object.keys(o), ...Object.keys(t), ...Object.keys(b)])];
  for (const k of keys) {
    if (LIST_FIELDS.has(k)) continue;
    const v = merge3(path === '' ? k : `${path}.${k}`, b[k], o[k], t[k], conflicts);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function merge3(path: string, b: unknown, o: unknown, t: unknown, conflicts: MergeConflict[]): unknown {
  if (deepEqual(o, t) || deepEqual(t, b)) return o;
  if (deepEqual(o, b)) return t;
  conflicts.push({ path, ours: show(o), theirs: show(t) });
  return o;
}

/** A list of items keyed by ID, merged; see the module comment for the order. */
function mergeList<T extends Item>(path: string, base: readonly T[], ours: readonly T[], theirs: readonly T[], each: (path: string, b: T, o: T, t: T) => T, conflicts: MergeConflict[]): T[] {
  if (deepEqual(ours, theirs) || deepEqual(theirs, base)) return [...ours];
  if (deepEqual(ours, base)) return [...theirs];
  const b = new Map(base.map((x) => [x.id, x]));
  const t = new Map(theirs.map((x) => [x.id, x]));
  const o = new Map(ours.map((x) => [x.id, x]));
  const at = (id: string): string => `${path}[${id}]`;
  const out: T[] = [];
  for (const x of ours) {
    const bx = b.get(x.id);
    const tx = t.get(x.id);
    if (bx !== undefined && tx !== undefined) out.push(each(at(x.id), bx, x, tx));
    else if (bx !== undefined) {
      // Removed by theirs: gone, unless we edited it.
      if (!deepEqual(x, bx)) {
        conflicts.push({ path: at(x.id), ours: `(edited) ${describe(x)}`, theirs: '(removed)' });
        out.push(x);
      }
    } else if (tx !== undefined && !deepEqual(x, tx)) {
      // Added on both sides with one ID (two hand-written copies of one line): ours.
      conflicts.push({ path: at(x.id), ours: describe(x), theirs: describe(tx) });
      out.push(x);
    } else out.push(x);
  }
  // Theirs that we do not have: their additions, and what we removed but they edited. Each goes after the item it
  // follows in their list, after our additions that come earlier (by time, then ID).
  const ourAdded = (x: T): boolean => !b.has(x.id) && !t.has(x.id);
  const before = (x: T, y: T): boolean => x.at < y.at || (x.at === y.at && x.id < y.id);
  let anchor = -1;
  for (const x of theirs) {
    const i = out.findIndex((y) => y.id === x.id);
    if (i >= 0) {
      anchor = i;
      continue;
    }
    if (o.has(x.id)) continue;
    const bx = b.get(x.id);
    if (bx !== undefined) {
      if (deepEqual(x, bx)) continue; // we removed it, they did not touch it
      conflicts.push({ path: at(x.id), ours: '(removed)', theirs: `(edited) ${describe(x)}` });
    }
    let pos = anchor + 1;
    while (pos < out.length && ourAdded(out[pos] as T) && before(out[pos] as T, x)) pos++;
    out.splice(pos, 0, x);
    anchor = pos;
  }
  return out;
}

/** Services as a set: ours, without what theirs removed, with what theirs added. */
function mergeSet(base: readonly string[], ours: readonly string[], theirs: readonly string[]): string[] {
  if (deepEqual(ours, base)) return [...theirs];
  if (deepEqual(theirs, base)) return [...ours];
  const removed = new Set(base.filter((s) => !theirs.includes(s)));
  return [...ours.filter((s) => !removed.has(s)), ...theirs.filter((s) => !base.includes(s) && !ours.includes(s))];
}

const cut = (s: string, max = 500): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function show(v: unknown): string {
  if (v === undefined || v === null) return '(none)';
  if (typeof v === 'string') return cut(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return cut(v.join(', '));
  return cut(JSON.stringify(v));
}

/** An item in a few words: its statement, text or action. */
function describe(x: Item): string {
  const text = x['statement'] ?? x['what'] ?? x['text'];
  return typeof text === 'string' ? cut(text.split('\n', 1)[0] as string, 120) : x.id;
}
