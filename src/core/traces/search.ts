/**
 * The waterfall's filter, run on the host (which holds every span's details). Pure: unit-tested from node.
 *
 * A query is whitespace-separated terms, all of which must hold (AND). `"double quotes"` keep spaces together;
 * a leading `-` negates a term. Terms:
 *
 * | term | a row matches when |
 * |---|---|
 * | `checkout` (free text) | it is a case-insensitive substring of the name, service, IDs, kind, status message, attributes and resource as `key=value`, event names, exception type/message, code location |
 * | `service:pricing` / `svc:` | the service contains `pricing`; `service:"pricing"` (quoted): the service is exactly `pricing` |
 * | `op:fetchCatalog` / `name:` | the span name contains `fetchCatalog`; quoted: is exactly it |
 * | `status:error` / `status:ok` / `status:unset` | the span's status code is that |
 * | `is:error`, `is:critical`, `is:root` | the span is an error / on the critical path / a root span |
 * | `dur>=250ms`, `dur<1s`, `self>5ms` | its duration (or self time) compares so; units `us` `µs` `ms` `s` `m`, default `ms` |
 * | `key=value` | an attribute or resource line `key=value` contains it (`status_code=504` matches `http.response.status_code=504`) |
 * | `has:key` | the span has an attribute (or resource attribute) `key` |
 *
 * Unknown `word:` prefixes are free text (a URL stays searchable). Terms that cannot be read (`dur>=abc`) are
 * reported as `problems` and ignored.
 */
import type { FilterHighlight, SpanDetails, WaterfallRow } from '../../shared/protocol/waterfall';

export type Comparison = '>' | '>=' | '<' | '<=' | '=';

export type QueryTerm =
  | { readonly kind: 'text'; readonly text: string; readonly negate: boolean }
  | { readonly kind: 'service' | 'op'; readonly value: string; readonly exact: boolean; readonly negate: boolean }
  | { readonly kind: 'status'; readonly value: 'error' | 'ok' | 'unset'; readonly negate: boolean }
  | { readonly kind: 'is'; readonly value: 'error' | 'critical' | 'root'; readonly negate: boolean }
  | { readonly kind: 'duration' | 'self'; readonly cmp: Comparison; readonly us: number; readonly negate: boolean }
  | { readonly kind: 'attr'; readonly text: string; readonly negate: boolean }
  | { readonly kind: 'has'; readonly key: string; readonly negate: boolean };

export interface ParsedQuery {
  readonly terms: readonly QueryTerm[];
  /** Terms that could not be read, worded for the user; they are ignored. */
  readonly problems: readonly string[];
}

/** Splits a query at whitespace outside double quotes; quotes stay in the tokens (they mean "exact" for fields). */
export function tokenize(query: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of query) {
    if (ch === '"') {
      quoted = !quoted;
      cur += ch;
    } else if (!quoted && /\s/.test(ch)) {
      if (cur) out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** `"abc"` → { value: 'abc', quoted: true }; an unbalanced quote is dropped. */
function unquote(s: string): { value: string; quoted: boolean } {
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return { value: s.slice(1, -1), quoted: true };
  return { value: s.replace(/"/g, ''), quoted: false };
}

const UNITS: Readonly<Record<string, number>> = { us: 1, µs: 1, μs: 1, ms: 1e3, s: 1e6, m: 60e6, min: 60e6, h: 3600e6 };

/** `250ms` → 250000 (µs); a bare number is milliseconds; undefined when it is not a duration. */
export function parseDurationUs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-zµμ]*)$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase() || 'ms';
  const factor = UNITS[unit];
  if (factor === undefined) return undefined;
  return Number(m[1]) * factor;
}

const FIELD = /^([a-z]+):(.*)$/i;
const COMPARE = /^(dur|duration|self)(>=|<=|>|<|=)(.*)$/i;

export function parseQuery(query: string): ParsedQuery {
  const terms: QueryTerm[] = [];
  const problems: string[] = [];
  for (const token of tokenize(query)) {
    const negate = token.length > 1 && token.startsWith('-');
    const body = negate ? token.slice(1) : token;
    const cmp = COMPARE.exec(body);
    if (cmp) {
      const us = parseDurationUs(unquote(cmp[3] ?? '').value);
      if (us === undefined) problems.push(`“${token}”: not a duration (try ${cmp[1]}${cmp[2]}250ms)`);
      else terms.push({ kind: (cmp[1] ?? '').toLowerCase() === 'self' ? 'self' : 'duration', cmp: cmp[2] as Comparison, us, negate });
      continue;
    }
    const field = FIELD.exec(body);
    if (field) {
      const name = (field[1] ?? '').toLowerCase();
      const { value, quoted } = unquote(field[2] ?? '');
      const v = value.toLowerCase();
      if (name === 'service' || name === 'svc' || name === 'op' || name === 'name' || name === 'operation') {
        if (v === '') problems.push(`“${token}”: which ${name}?`);
        else terms.push({ kind: name === 'service' || name === 'svc' ? 'service' : 'op', value: v, exact: quoted, negate });
        continue;
      }
      if (name === 'status') {
        if (v === 'error' || v === 'ok' || v === 'unset') terms.push({ kind: 'status', value: v, negate });
        else problems.push(`“${token}”: the status is error, ok or unset`);
        continue;
      }
      if (name === 'is') {
        if (v === 'error' || v === 'critical' || v === 'root') terms.push({ kind: 'is', value: v, negate });
        else problems.push(`“${token}”: try is:error, is:critical or is:root`);
        continue;
      }
      if (name === 'has') {
        if (v === '') problems.push(`“${token}”: which attribute key?`);
        else terms.push({ kind: 'has', key: v, negate });
        continue;
      }
      // Any other `word:` is free text (e.g. a URL).
    }
    const { value, quoted } = unquote(body);
    const text = value.toLowerCase();
    if (text === '') continue;
    if (!quoted && text.includes('=') && !text.startsWith('=')) terms.push({ kind: 'attr', text, negate });
    else terms.push({ kind: 'text', text, negate });
  }
  return { terms, problems };
}

/** The lower-cased text a query is matched against: name, service, IDs, status, attributes and resource as `key=value`, events, code. */
export function searchText(row: WaterfallRow, d: SpanDetails | undefined): string {
  return searchEntry(row, d).text;
}

/** One row's searchable text; `text.slice(attrStart, attrEnd)` is its `\nkey=value` lines (attributes, then resource). */
interface SearchEntry {
  readonly text: string;
  readonly attrStart: number;
  readonly attrEnd: number;
}

function searchEntry(row: WaterfallRow, d: SpanDetails | undefined): SearchEntry {
  const head: string[] = [row.name, row.service, row.id, row.kind];
  if (row.statusMessage) head.push(row.statusMessage);
  if (row.error) head.push('error');
  let attrs = '';
  const tail: string[] = [];
  if (d) {
    for (const [k, v] of d.attributes) attrs += `\n${k}=${v}`;
    for (const [k, v] of d.resource) attrs += `\n${k}=${v}`;
    for (const e of d.events) {
      tail.push(e.name);
      if (e.exception?.type) tail.push(e.exception.type);
      if (e.exception?.message) tail.push(e.exception.message);
    }
    if (d.code?.function) tail.push(d.code.function);
    if (d.code?.path) tail.push(d.code.path);
  }
  const start = head.join('\n');
  const text = `${start}${attrs}\n${tail.join('\n')}`.toLowerCase();
  // Lower-casing can change lengths (rare Unicode): then fall back to searching the whole text for attributes.
  const exact = text.length === start.length + attrs.length + 1 + tail.join('\n').length;
  return exact ? { text, attrStart: start.length, attrEnd: start.length + attrs.length } : { text, attrStart: 0, attrEnd: text.length };
}

/** What a query is run against: the rows and their search texts, built once per trace. */
export class SearchIndex {
  private readonly entries: SearchEntry[];
  private readonly names: string[];
  private readonly services: string[];

  constructor(
    private readonly rows: readonly WaterfallRow[],
    details: readonly (SpanDetails | undefined)[],
  ) {
    this.entries = rows.map((r, i) => searchEntry(r, details[i]));
    this.names = rows.map((r) => r.name.toLowerCase());
    this.services = rows.map((r) => r.service.toLowerCase());
  }

  /** Ascending indices of the rows matching every term; highlights for the matches; problems of the query. */
  search(query: string): SearchResult {
    const parsed = parseQuery(query);
    const terms = parsed.terms;
    const matches: number[] = [];
    if (terms.length > 0) {
      for (let i = 0; i < this.rows.length; i++) {
        if (terms.every((t) => this.holds(i, t) !== t.negate)) matches.push(i);
      }
    }
    return { matches, highlight: highlightOf(terms), problems: parsed.problems };
  }

  private holds(i: number, t: QueryTerm): boolean {
    const row = this.rows[i] as WaterfallRow;
    const e = this.entries[i] as SearchEntry;
    switch (t.kind) {
      case 'text':
        return e.text.includes(t.text);
      case 'service': {
        const s = this.services[i] as string;
        return t.exact ? s === t.value : s.includes(t.value);
      }
      case 'op': {
        const n = this.names[i] as string;
        return !row.missingParent && (t.exact ? n === t.value : n.includes(t.value));
      }
      case 'status':
        return !row.missingParent && row.status === t.value;
      case 'is':
        return t.value === 'error' ? row.error : t.value === 'critical' ? row.critical.length > 0 : row.parent < 0 && !row.missingParent;
      case 'duration':
      case 'self':
        return !row.missingParent && compare(t.kind === 'self' ? row.selfUs : row.durationUs, t.cmp, t.us);
      case 'attr':
        return within(e, t.text);
      case 'has':
        return within(e, `\n${t.key}=`);
    }
  }
}

export interface SearchResult {
  readonly matches: number[];
  readonly highlight: FilterHighlight;
  readonly problems: readonly string[];
}

function within(e: SearchEntry, needle: string): boolean {
  const at = e.text.indexOf(needle, e.attrStart);
  return at >= 0 && at + needle.length <= e.attrEnd;
}

function compare(v: number, cmp: Comparison, us: number): boolean {
  switch (cmp) {
    case '>':
      return v > us;
    case '>=':
      return v >= us;
    case '<':
      return v < us;
    case '<=':
      return v <= us;
    case '=':
      return Math.abs(v - us) < 0.5;
  }
}

/** What matching rows highlight: the positive free-text terms in names and services, `op:` in names, `service:` in services. */
export function highlightOf(terms: readonly QueryTerm[]): FilterHighlight {
  const name = new Set<string>();
  const service = new Set<string>();
  for (const t of terms) {
    if (t.negate) continue;
    if (t.kind === 'text') {
      name.add(t.text);
      service.add(t.text);
    } else if (t.kind === 'op') {
      name.add(t.value);
    } else if (t.kind === 'service') {
      service.add(t.value);
    }
  }
  return { name: [...name], service: [...service] };
}

/** Indices of the texts that contain every free-text term of `query`; empty for a blank query (the plain-text matcher). */
export function matchRows(texts: readonly string[], query: string): number[] {
  const terms = query.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
  if (terms.length === 0) return [];
  const out: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i] as string;
    if (terms.every((t) => text.includes(t))) out.push(i);
  }
  return out;
}
