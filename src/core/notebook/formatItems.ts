/**
 * The list items of the incident file (format.ts): observations, evidence, actions and timeline entries, written and
 * read by the same grammar here. An item is
 *
 *     - <fields> · <text>[ — *<source or who>*][ <link token>] <!-- <id>[ ref=<id>] -->
 *       <more lines of the text, indented two spaces>
 *
 * The tokens after the text are read only when the ID comment is there (so a hand-written line stays text as
 * written). When an entry's text itself ends like a token would, `<!-- -->` is written between the text and the tokens
 * ({@link TEXT_END}); every item is written, read back and compared, and the marker used only when needed.
 */
import type { Action, ActionKind, ActionStatus, Evidence, EvidenceLink, Observation, TimelineEntry, TimelineKind } from './model';
import { ACTION_STATUSES, TIMELINE_KINDS } from './model';
import { deepEqual } from './equal';
import type { IncidentProblem } from './formatFrontMatter';
import { linkToken, splitLinkToken } from './formatLinks';
import { TEXT_END, TIME_SRC, decodeInline, decodeItemText, encodeInline, encodeItemText, idComment, readTime, showTime, splitIdComment } from './formatText';
import { derivedEntityId } from './ids';
import { normalizeText } from './text';

/** A line of the body: its text (markers or indentation already taken off), file line and the column the text starts at (1-based). */
export interface Line {
  readonly text: string;
  readonly no: number;
  readonly col: number;
}

export type Push = (p: IncidentProblem) => void;

/** The IDs of one file: those written in it (to keep derived IDs off them) and those already given to an entry. */
export class IdPool {
  private readonly used = new Set<string>();
  constructor(private readonly written: ReadonlySet<string> = new Set()) {}

  /** Takes the written `id` for an entry; false when an earlier entry has it (a copied line). */
  claim(id: string): boolean {
    if (this.used.has(id)) return false;
    this.used.add(id);
    return true;
  }

  /** A stable ID for an entry written without one: from its content, off every written and given ID. */
  derive(prefix: string, content: string): string {
    const id = derivedEntityId(prefix, content, (x) => this.used.has(x) || this.written.has(x));
    this.used.add(id);
    return id;
  }
}

export interface ItemContext {
  readonly push: Push;
  readonly ids: IdPool;
  /** The time of the previous item (or the start): a time of day takes its date, a missing time is read as it. */
  readonly prevAt: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Splitting a list into items
// ---------------------------------------------------------------------------------------------------------------

const markerRe = /^ ?(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;
const blank = (s: string): boolean => /^\s*$/.test(s);

/**
 * The items of a list whose markers start at column 1 (or 2): an item is its marker line, the lines indented two
 * spaces or more after it (blank lines inside included) and lines that continue its paragraph unindented. Anything
 * else (a paragraph, a heading) goes to `onStray` as a chunk.
 */
export function splitItems(lines: readonly Line[], onStray: (chunk: Line[]) => void): Line[][] {
  const items: Line[][] = [];
  let cur: Line[] | undefined;
  let blanks: Line[] = [];
  let stray: Line[] = [];
  const deindent = (l: Line): Line => (l.text.startsWith('  ') ? { text: l.text.slice(2), no: l.no, col: l.col + 2 } : { text: '', no: l.no, col: l.col });
  const flushStray = (): void => {
    while (stray.length > 0 && blank((stray[stray.length - 1] as Line).text)) stray.pop();
    if (stray.length > 0) onStray(stray);
    stray = [];
  };
  for (const l of lines) {
    if (blank(l.text)) {
      if (cur) blanks.push(l);
      else if (stray.length > 0) stray.push(l);
      continue;
    }
    const m = markerRe.exec(l.text);
    if (m) {
      flushStray();
      blanks = [];
      cur = [{ text: l.text.slice(m[0].length), no: l.no, col: l.col + m[0].length }];
      items.push(cur);
    } else if (cur && l.text.startsWith('  ')) {
      for (const b of blanks) cur.push(deindent(b));
      blanks = [];
      cur.push(deindent(l));
    } else if (cur && blanks.length === 0 && !/^#{1,6}(?:[ \t]|$)/.test(l.text)) {
      cur.push(l); // a lazy continuation line
    } else {
      cur = undefined;
      blanks = [];
      stray.push(l);
    }
  }
  flushStray();
  return items;
}

// ---------------------------------------------------------------------------------------------------------------
// The end of an item: ID comment, link token, source
// ---------------------------------------------------------------------------------------------------------------

interface Tail {
  id?: string;
  ref?: string;
  source?: string;
  link?: EvidenceLink;
}

function readTail(item: readonly Line[], opts: { source: boolean; link: boolean }, push: Push): { lines: Line[]; tail: Tail } {
  const lines = [...item];
  for (let k = lines.length - 1; k >= 0; k--) {
    const l = lines[k] as Line;
    const split = splitIdComment(l.text);
    if (!split) continue;
    const tail: Tail = { id: split.id, ...(split.ref !== undefined ? { ref: split.ref } : {}) };
    let text = split.rest;
    let tokens: string;
    const marker = text.indexOf(TEXT_END);
    if (marker >= 0) {
      tokens = text.slice(marker + TEXT_END.length);
      text = text.slice(0, marker);
    } else {
      tokens = text;
      text = '';
    }
    if (opts.link) {
      const t = splitLinkToken(tokens);
      if (t && 'link' in t) {
        tail.link = t.link;
        tokens = t.rest;
      } else if (t) push({ line: l.no, column: l.col + t.rest.length, severity: 'warning', code: 'bad-link', message: `${t.error} It is kept as text.` });
    }
    if (opts.source) {
      // ` — *source*` at the end, from the first ` — *` (what / — \*(.+)\*$/ finds, without its quadratic worst case).
      const s = tokens.indexOf(' — *');
      if (s >= 0 && (marker < 0 || s === 0) && tokens.endsWith('*') && tokens.length - 1 > s + 4) {
        tail.source = normalizeText(decodeInline(tokens.slice(s + 4, -1)));
        tokens = tokens.slice(0, s);
      }
    }
    if (marker >= 0) {
      if (tokens.trim() !== '') push({ line: l.no, column: l.col + text.length + TEXT_END.length, severity: 'warning', code: 'stray-token', message: `"${tokens.trim().slice(0, 40)}" after the text's end marker is not a source or a link; it is kept as text.` });
      text += tokens;
    } else text = tokens;
    lines[k] = { ...l, text };
    return { lines, tail };
  }
  return { lines, tail: {} };
}

/** The lines of an item, its tail (tokens and ID comment) on the last one. */
function renderItem(marker: string, prefix: string, text: readonly string[], tokens: string, comment: string, safe: boolean): string[] {
  const out = text.map((l, i) => (i === 0 ? (text.length === 1 && l === '' ? marker + prefix.trimEnd() : marker + prefix + l) : l === '' ? '' : `  ${l}`));
  out[out.length - 1] += (safe ? TEXT_END : '') + tokens + comment;
  return out;
}

/** The pretty lines when they read back as `x`, else the lines with the text-end marker. */
function prettyOrSafe<T>(x: T, render: (safe: boolean) => string[], read: (item: Line[], ctx: ItemContext) => T): string[] {
  const pretty = render(false);
  const items = splitItems(pretty.map((text, i) => ({ text, no: i + 1, col: 1 })), () => undefined);
  if (items.length === 1 && deepEqual(read(items[0] as Line[], { push: () => undefined, ids: new IdPool(), prevAt: '1970-01-01T00:00:00Z' }), x)) return pretty;
  return render(true);
}

const sourceToken = (s: string | undefined): string => (s !== undefined ? ` — *${encodeInline(s)}*` : '');
const linkPart = (l: EvidenceLink | undefined): string => (l !== undefined ? ` ${linkToken(l)}` : '');

// ---------------------------------------------------------------------------------------------------------------
// The fields at the start of an item
// ---------------------------------------------------------------------------------------------------------------

const timeStartRe = new RegExp(`^(${TIME_SRC})`);

/** The time at the start of `s` and what follows its separator (` · `, ` - `, ` | `, or a space after a full time). */
function takeTime(s: string): { written: string; rest: string; after: number } | undefined {
  const m = timeStartRe.exec(s);
  if (!m) return undefined;
  const written = m[1] as string;
  const after = s.slice(written.length);
  const sep = /^[ \t]*·[ \t]*|^[ \t]+[-–—|](?:[ \t]+|$)|^$/.exec(after) ?? (/^\d{4}-/.test(written) || written.endsWith('Z') ? /^[ \t]+/.exec(after) : null);
  if (!sep) return undefined;
  return { written, rest: after.slice(sep[0].length), after: written.length + sep[0].length };
}

/** A lowercase word and its ` · ` at the start of `s`. */
function takeWord(s: string): { word: string; rest: string; after: number } | undefined {
  const m = /^([a-z]+)(?:[ \t]*·[ \t]*|$)/.exec(s);
  return m ? { word: m[1] as string, rest: s.slice(m[0].length), after: m[0].length } : undefined;
}

/** The item's time: written, or the previous one (with a warning). */
function itemTime(first: Line, ctx: ItemContext, what: string): { at: string; rest: string; offset: number } {
  const t = takeTime(first.text);
  if (!t) {
    ctx.push({ line: first.no, column: first.col, severity: 'warning', code: 'no-time', message: `This ${what} has no time (2026-11-24 03:12:09Z at the start); read as ${showTime(ctx.prevAt)}.` });
    return { at: ctx.prevAt, rest: first.text, offset: 0 };
  }
  const at = readTime(t.written, ctx.prevAt);
  if (at === undefined) ctx.push({ line: first.no, column: first.col, severity: 'warning', code: 'bad-time', message: `"${t.written}" is not a real time; read as ${showTime(ctx.prevAt)}.` });
  return { at: at ?? ctx.prevAt, rest: t.rest, offset: t.after };
}

function idOf(tail: Tail, prefix: string, lines: readonly Line[], ctx: ItemContext): string {
  const first = lines[0] as Line;
  if (tail.id !== undefined) {
    if (ctx.ids.claim(tail.id)) return tail.id;
    ctx.push({ line: first.no, column: first.col, severity: 'warning', code: 'duplicate-id', message: `The ID ${tail.id} is used by an earlier entry (a copied line?); this one gets a new ID.` });
  }
  return ctx.ids.derive(prefix, lines.map((l) => l.text).join('\n'));
}

const rest = (lines: readonly Line[], first: string): string[] => [first, ...lines.slice(1).map((l) => l.text)];

// ---------------------------------------------------------------------------------------------------------------
// Observations:  - 2026-11-23 03:12:41Z · text — *source* [link](…) <!-- o-k3x9 -->
// ---------------------------------------------------------------------------------------------------------------

export function writeObservation(o: Observation): string[] {
  return prettyOrSafe(o, (safe) => renderItem('- ', `${showTime(o.at)} · `, encodeItemText(o.text), sourceToken(o.source) + linkPart(o.link), idComment(o.id), safe), readObservation);
}

export function readObservation(item: Line[], ctx: ItemContext): Observation {
  const { lines, tail } = readTail(item, { source: true, link: true }, ctx.push);
  const t = itemTime(lines[0] as Line, ctx, 'observation');
  const text = normalizeText(decodeItemText(rest(lines, t.rest)));
  const id = idOf(tail, 'o', item, ctx);
  return { id, at: t.at, text, ...(tail.source !== undefined && tail.source !== '' ? { source: tail.source } : {}), ...(tail.link !== undefined ? { link: tail.link } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Evidence (under "- Evidence:" of a hypothesis):  - 2026-11-23 03:24:00Z · supports · text [link](…) <!-- e-… -->
// ---------------------------------------------------------------------------------------------------------------

const BEARINGS = ['supports', 'refutes', 'neutral'] as const;
type Bearing = (typeof BEARINGS)[number];

export function writeEvidence(e: Evidence): string[] {
  return prettyOrSafe(e, (safe) => renderItem('- ', `${showTime(e.at)} · ${e.bearing} · `, encodeItemText(e.text), linkPart(e.link), idComment(e.id), safe), readEvidence);
}

export function readEvidence(item: Line[], ctx: ItemContext): Evidence {
  const { lines, tail } = readTail(item, { source: false, link: true }, ctx.push);
  const first = lines[0] as Line;
  // The bearing may come first in a hand-written line.
  const before = takeWord(first.text);
  const lead = before && (BEARINGS as readonly string[]).includes(before.word) && takeTime(before.rest) ? before : undefined;
  const shifted: Line = lead ? { ...first, text: lead.rest, col: first.col + lead.after } : first;
  const t = itemTime(shifted, ctx, 'evidence');
  let bearing: Bearing | undefined = lead?.word as Bearing | undefined;
  let text = t.rest;
  if (bearing === undefined) {
    const w = takeWord(t.rest);
    if (w && (BEARINGS as readonly string[]).includes(w.word)) {
      bearing = w.word as Bearing;
      text = w.rest;
    } else if (w && t.rest.slice(w.word.length, w.after).includes('·')) {
      ctx.push({ line: first.no, column: shifted.col + t.offset, severity: 'warning', code: 'unknown-value', message: `Unknown bearing "${w.word}" (supports, refutes or neutral); read as neutral.` });
      bearing = 'neutral';
      text = w.rest;
    } else {
      ctx.push({ line: first.no, column: shifted.col + t.offset, severity: 'warning', code: 'no-bearing', message: 'This evidence does not say whether it supports or refutes the hypothesis (· supports · after the time); read as neutral.' });
      bearing = 'neutral';
    }
  }
  const id = idOf(tail, 'e', item, ctx);
  return { id, at: t.at, text: normalizeText(decodeItemText(rest(lines, text))), bearing, ...(tail.link !== undefined ? { link: tail.link } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Actions (under ### Mitigation / Diagnosis / Fix):  - [x] 2026-11-23 03:31:02Z · done · what — *who* [link](…) <!-- a-… -->
// ---------------------------------------------------------------------------------------------------------------

export function writeAction(a: Action): string[] {
  return prettyOrSafe(
    a,
    (safe) => renderItem('- ', `[${a.status === 'done' ? 'x' : ' '}] ${showTime(a.at)} · ${a.status} · `, [encodeInline(a.what)], sourceToken(a.who) + linkPart(a.link), idComment(a.id), safe),
    (item, ctx) => readAction(item, ctx, a.kind),
  );
}

export function readAction(item: Line[], ctx: ItemContext, kind: ActionKind): Action {
  const { lines, tail } = readTail(item, { source: true, link: true }, ctx.push);
  const first = lines[0] as Line;
  const box = /^\[([ xX])\](?:[ \t]+|$)/.exec(first.text);
  const afterBox: Line = box ? { ...first, text: first.text.slice(box[0].length), col: first.col + box[0].length } : first;
  const t = itemTime(afterBox, ctx, 'action');
  let status: ActionStatus | undefined;
  let what = t.rest;
  const w = takeWord(t.rest);
  if (w && (ACTION_STATUSES as readonly string[]).includes(w.word)) {
    status = w.word as ActionStatus;
    what = w.rest;
  }
  const ticked = box !== null && box[1] !== ' ';
  if (status === undefined) status = ticked ? 'done' : 'planned';
  else if (box && ticked !== (status === 'done')) {
    ctx.push({ line: first.no, column: first.col, severity: 'warning', code: 'checkbox-status', message: `The checkbox says ${ticked ? 'done' : 'not done'} but the status says ${status}; the checkbox wins.` });
    status = ticked ? 'done' : 'planned';
  }
  const id = idOf(tail, 'a', item, ctx);
  return { id, kind, what: normalizeText(decodeInline(rest(lines, what).join('\n'))), ...(tail.source !== undefined && tail.source !== '' ? { who: tail.source } : {}), at: t.at, status, ...(tail.link !== undefined ? { link: tail.link } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Timeline:  - 2026-11-24 03:12:09Z · verdict · H2 falsified: … [link](…) <!-- t-k3x9 ref=h-2m7q -->
// ---------------------------------------------------------------------------------------------------------------

export function writeTimeline(e: TimelineEntry): string[] {
  return prettyOrSafe(e, (safe) => renderItem('- ', `${showTime(e.at)} · ${e.kind} · `, [encodeInline(e.text)], linkPart(e.link), idComment(e.id, e.ref), safe), readTimeline);
}

export function readTimeline(item: Line[], ctx: ItemContext): TimelineEntry {
  const { lines, tail } = readTail(item, { source: false, link: true }, ctx.push);
  const first = lines[0] as Line;
  const t = itemTime(first, ctx, 'timeline entry');
  let kind: TimelineKind = 'note';
  let text = t.rest;
  const w = takeWord(t.rest);
  if (w && (TIMELINE_KINDS as readonly string[]).includes(w.word)) {
    kind = w.word as TimelineKind;
    text = w.rest;
  } else if (w && t.rest.slice(w.word.length, w.after).includes('·')) {
    ctx.push({ line: first.no, column: first.col + t.offset, severity: 'warning', code: 'unknown-value', message: `Unknown timeline kind "${w.word}" (${TIMELINE_KINDS.join(', ')}); read as note.` });
    text = w.rest;
  }
  const id = idOf(tail, 't', item, ctx);
  return { id, at: t.at, kind, text: normalizeText(decodeInline(rest(lines, text).join('\n'))), ...(tail.link !== undefined ? { link: tail.link } : {}), ...(tail.ref !== undefined ? { ref: tail.ref } : {}) };
}
