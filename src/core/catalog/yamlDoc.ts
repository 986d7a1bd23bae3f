import { COLLECTION_STYLE, CORE_SCHEMA, EVENT_ID, SCALAR_STYLE, constructFromEvents, getScalarValue, mergeTag, parseEvents } from 'js-yaml';
import type { Event } from 'js-yaml';

/**
 * YAML with the source position of every node. js-yaml 5 parses into a flat event stream whose events carry source
 * offsets (`parseEvents`), and builds values from that same stream (`constructFromEvents`): one parse gives both the
 * value and, per key path (`services[1].deploys[0].kind`), where its key and value are written. Block and flow style
 * alike, to the column.
 */

/** Offsets into the text, end exclusive. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** Where a node is written: the key that names it (in a mapping) and the value itself (absent when empty, `key:`). */
export interface NodeLocation {
  readonly key?: TextSpan;
  readonly value?: TextSpan;
}

/** The result of {@link parseYaml}: the value with its locations, or the first syntax error. */
export type ParsedYaml =
  | {
      readonly ok: true;
      /** The first document's value; `undefined` for an empty file or one with only comments. */
      readonly value: unknown;
      /** Location by key path (see {@link joinPath}); the root is `''`. */
      readonly locations: ReadonlyMap<string, NodeLocation>;
      /** Offset of the second document's content when the file holds more than one (`---`). */
      readonly extraDocumentAt?: number;
    }
  | { readonly ok: false; readonly message: string; readonly offset: number };

/** Aliases are rare in a catalog; the limit keeps a crafted file from making validation walk millions of nodes. */
const maxAliases = 1000;
const schema = CORE_SCHEMA.withTags(mergeTag);

/** `services` + 1 → `services[1]`, `services[1]` + `name` → `services[1].name`; odd keys are quoted: `a["b c"]`. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const simple = isSimpleKey(key);
  if (parent === '') return simple ? key : `[${JSON.stringify(key)}]`;
  return simple ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

const simpleKeys = new Map<string, boolean>();

/** Whether a key can be written after a dot (`a.b`); remembered, since a catalog repeats the same few keys. */
function isSimpleKey(key: string): boolean {
  let simple = simpleKeys.get(key);
  if (simple === undefined) {
    simple = /^[A-Za-z_$][\w$-]*$/.test(key);
    if (simpleKeys.size < 1000) simpleKeys.set(key, simple);
  }
  return simple;
}

interface Frame {
  readonly path: string;
  readonly isMap: boolean;
  readonly flow: boolean;
  readonly start: number;
  end: number;
  index: number;
  /** In a mapping: the key just read, waiting for its value. */
  key?: string;
  keySpan?: TextSpan;
  /** This collection is itself a mapping key (`? [a, b]: …`): not located. */
  readonly isKey: boolean;
}

/** Parses `text` as YAML; never throws. Syntax errors come back with the offset js-yaml reports. */
export function parseYaml(text: string): ParsedYaml {
  let events: Event[];
  let value: unknown;
  try {
    events = parseEvents(text, {});
    const docs = constructFromEvents(events, { source: text, schema, maxAliases });
    value = docs[0];
  } catch (err) {
    return { ok: false, ...errorOf(err) };
  }
  const locations = new Map<string, NodeLocation>();
  const stack: Frame[] = [];
  let documents = 0;
  let extraDocumentAt: number | undefined;

  /** Where a node starting now goes: its path, or undefined when it is (part of) a mapping key. */
  const place = (): { path: string | undefined; key?: TextSpan; asKey: boolean } => {
    const top = stack[stack.length - 1];
    if (!top) return { path: '', asKey: false };
    if (top.isKey) return { path: undefined, asKey: true };
    if (!top.isMap) return { path: joinPath(top.path, top.index++), asKey: false };
    if (top.key === undefined) return { path: undefined, asKey: true };
    return { path: joinPath(top.path, top.key), key: top.keySpan, asKey: false };
  };
  /** A node ended at `end`: widen the parent, and in a mapping move from key to value or from value to next key. */
  const finished = (end: number, asKey: boolean, keyText?: string, keySpan?: TextSpan): void => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (end > top.end) top.end = end;
    if (!top.isMap || top.isKey) return;
    if (asKey) {
      top.key = keyText ?? '?';
      top.keySpan = keySpan;
    } else {
      top.key = undefined;
      top.keySpan = undefined;
    }
  };

  for (const ev of events) {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        documents++;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (documents > 1) {
          extraDocumentAt ??= ev.start;
          break;
        }
        const where = place();
        const frame: Frame = {
          path: where.path ?? '',
          isMap: ev.type === EVENT_ID.MAPPING,
          flow: ev.style === COLLECTION_STYLE.FLOW,
          start: ev.start,
          end: ev.start + 1,
          index: 0,
          isKey: where.asKey,
        };
        if (where.path !== undefined) locations.set(where.path, { key: where.key, value: { start: ev.start, end: ev.start + 1 } });
        stack.push(frame);
        break;
      }
      case EVENT_ID.SCALAR:
      case EVENT_ID.ALIAS: {
        if (documents > 1) {
          if (ev.type === EVENT_ID.SCALAR && ev.valueStart >= 0) extraDocumentAt ??= ev.valueStart;
          break;
        }
        const where = place();
        const span = ev.type === EVENT_ID.SCALAR ? scalarSpan(text, ev.valueStart, ev.valueEnd, ev.style) : { start: Math.max(0, ev.anchorStart - 1), end: ev.anchorEnd };
        if (where.path !== undefined) locations.set(where.path, { key: where.key, value: span });
        const keyText = where.asKey && ev.type === EVENT_ID.SCALAR ? getScalarValue(text, ev) : undefined;
        finished(span?.end ?? 0, where.asKey, keyText, span);
        break;
      }
      case EVENT_ID.POP: {
        if (documents > 1) break;
        const frame = stack.pop();
        if (!frame) break;
        // A collection's value span is its first line: enough to point at, never a squiggle over fifty lines.
        const loc = locations.get(frame.path);
        if (loc?.value && !frame.isKey) locations.set(frame.path, { key: loc.key, value: { start: frame.start, end: collectionEnd(text, frame) } });
        finished(frame.end, frame.isKey, frame.isKey ? '?' : undefined);
        break;
      }
    }
  }
  return { ok: true, value, locations, ...(extraDocumentAt !== undefined ? { extraDocumentAt } : {}) };
}

function scalarSpan(text: string, start: number, end: number, style: number): TextSpan | undefined {
  if (start < 0) return undefined;
  if (style === SCALAR_STYLE.SINGLE_QUOTED || style === SCALAR_STYLE.DOUBLE_QUOTED) return { start: Math.max(0, start - 1), end: Math.min(text.length, end + 1) };
  if (style === SCALAR_STYLE.LITERAL_BLOCK || style === SCALAR_STYLE.FOLDED_BLOCK) {
    let s = start;
    while (s < end && (text[s] === ' ' || text[s] === '\n' || text[s] === '\r')) s++;
    let e = end;
    while (e > s && (text[e - 1] === '\n' || text[e - 1] === '\r')) e--;
    return { start: s, end: Math.max(e, s) };
  }
  return { start, end };
}

/** End of a collection's span: its closing bracket when it is flow style on one line, else the end of its first line. */
function collectionEnd(text: string, frame: Frame): number {
  const lineEnd = endOfLine(text, frame.start);
  let end = frame.end;
  if (frame.flow) {
    const close = frame.isMap ? '}' : ']';
    const at = text.indexOf(close, end > frame.start + 1 ? end : frame.start + 1);
    if (at >= 0) end = at + 1;
  }
  end = Math.min(end, lineEnd);
  if (end <= frame.start) end = Math.min(frame.start + 1, text.length);
  // Trailing blanks (and a trailing comment) of a block collection's first line are not part of it.
  while (end > frame.start + 1 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}

function endOfLine(text: string, offset: number): number {
  for (let i = offset; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') return i;
  return text.length;
}

function errorOf(err: unknown): { message: string; offset: number } {
  if (typeof err === 'object' && err !== null) {
    const e = err as { reason?: unknown; message?: unknown; mark?: { position?: unknown } };
    const message = typeof e.reason === 'string' && e.reason !== '' ? e.reason : typeof e.message === 'string' ? e.message.split('\n')[0] ?? '' : String(err);
    const offset = typeof e.mark?.position === 'number' && e.mark.position >= 0 ? e.mark.position : 0;
    return { message, offset };
  }
  return { message: String(err), offset: 0 };
}

/** Turns offsets into 1-based lines and columns (UTF-16 code units, as VS Code counts). `\r\n`, `\n` and `\r` end lines. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** 1-based line and column of `offset` (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - (this.starts[lo] ?? 0) + 1 };
  }
}
