import type { AttrValue, Attribute, Span, Trace, TraceFormat } from '../model';
import { keepAlive } from './shapes';

/** Collects non-fatal problems while reading, keeping the first few of each kind so a 100k-span file cannot flood the user. */
export class Warnings {
  private readonly counts = new Map<string, number>();
  private readonly first = new Map<string, string>();

  add(kind: string, message: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n === 1) this.first.set(kind, message);
  }

  list(): string[] {
    return [...this.counts].map(([kind, n]) => {
      const msg = this.first.get(kind) ?? kind;
      return n === 1 ? msg : `${msg} (and ${n - 1} more like it)`;
    });
  }
}
keepAlive(new Warnings());

/** The result of {@link nsSplit}: module-level, so reading two timestamps per span allocates nothing. */
let splitUs = 0;
let splitNs = 0;

/**
 * A decimal string of 1–20 digits into {@link splitUs} (whole microseconds) and {@link splitNs} (remaining
 * nanoseconds), read digit by digit: no regular expression, no substrings and no result array, since every span
 * has two of these. False when it is not such a string.
 */
function nsDigits(v: string): boolean {
  const n = v.length;
  if (n === 0 || n > 20) return false;
  let us = 0;
  let ns = 0;
  const split = n - 3;
  for (let i = 0; i < n; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (i < split) us = us * 10 + d;
    else ns = ns * 10 + d;
  }
  splitUs = us;
  splitNs = ns;
  return true;
}

/** Nanoseconds (decimal string or number, as OTLP/JSON allows both) to microseconds as a float; undefined if unreadable. */
export function nsToUs(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v / 1000 : undefined;
  if (typeof v !== 'string') return undefined;
  // Split so 19-digit nanosecond values keep their sub-microsecond part (Number() alone rounds to 256 ns).
  return nsDigits(v) ? splitUs + splitNs / 1000 : undefined;
}

/** Duration between two nanosecond timestamps in µs, exact to the nanosecond (the float start time alone rounds to 0.25 µs). */
export function nsDurationUs(start: unknown, end: unknown): number | undefined {
  if (!nsSplit(start)) return undefined;
  const us = splitUs;
  const ns = splitNs;
  if (!nsSplit(end)) return undefined;
  return splitUs - us + (splitNs - ns) / 1000;
}

/** Splits a nanosecond timestamp into {@link splitUs} and {@link splitNs}; false if unreadable. */
function nsSplit(v: unknown): boolean {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return false;
    splitUs = Math.floor(v / 1000);
    splitNs = v % 1000;
    return true;
  }
  return typeof v === 'string' && nsDigits(v);
}

/** A JSON number or decimal string as a number; undefined if unreadable. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** An int64 that may exceed 2^53: a number when safe, else the exact decimal string. */
export function int64(v: unknown): AttrValue {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return typeof v === 'string' ? v : null;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Groups spans into traces by trace ID, keeping first-seen order. */
export function groupTraces(spans: readonly Span[], format: TraceFormat, warnings: readonly string[]): Trace[] {
  const byId = new Map<string, Span[]>();
  // Runs of one trace ID (the usual case: one trace per file) need no lookup per span.
  let lastId: string | undefined;
  let list: Span[] = [];
  for (const s of spans) {
    if (s.traceId !== lastId) {
      lastId = s.traceId;
      let found = byId.get(lastId);
      if (!found) byId.set(lastId, (found = []));
      list = found;
    }
    list.push(s);
  }
  return [...byId].map(([traceId, list]) => ({ traceId, spans: list, format, warnings }));
}

export function attrsFromRecord(rec: Record<string, unknown>, skip: ReadonlySet<string> = new Set()): Attribute[] {
  const out: Attribute[] = [];
  for (const [key, value] of Object.entries(rec)) {
    if (skip.has(key)) continue;
    out.push({ key, value: typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value) ?? null });
  }
  return out;
}
