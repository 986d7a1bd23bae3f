import type { Problem } from '../util/problems';
import type { LineIndex, NodeLocation, TextSpan } from './yamlDoc';

/**
 * Collects validation problems by key path and places them in oncall.yaml: a problem with a value is shown on the
 * value, one with a key (unknown, misplaced) on the key, and a path that has no position of its own (a missing key,
 * a value reached through an alias or a merge) falls back to the nearest ancestor that has one.
 */
export class Reporter {
  readonly problems: Problem[] = [];

  constructor(
    private readonly locations: ReadonlyMap<string, NodeLocation>,
    private readonly lines: LineIndex,
    private readonly fileLabel: string,
  ) {}

  /** Reports at the value of `path` (or its key when the value is empty). */
  atValue(path: string, severity: Problem['severity'], code: string, what: string): void {
    this.add(path, 'value', severity, code, what);
  }

  /** Reports at the key of `path` (or its value when it has no key, e.g. a list item). */
  atKey(path: string, severity: Problem['severity'], code: string, what: string): void {
    this.add(path, 'key', severity, code, what);
  }

  /** 1-based line of the node at `path` (or its nearest located ancestor). */
  lineOf(path: string): number {
    return this.lines.position(this.spanOf(path, 'value').start).line;
  }

  private add(path: string, target: 'key' | 'value', severity: Problem['severity'], code: string, what: string): void {
    const span = this.spanOf(path, target);
    const start = this.lines.position(span.start);
    const end = this.lines.position(span.end);
    this.problems.push({
      message: `${path === '' ? this.fileLabel : path}: ${what}`,
      severity,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      code,
    });
  }

  private spanOf(path: string, target: 'key' | 'value'): TextSpan {
    for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
      const loc = this.locations.get(p);
      if (!loc) continue;
      const span = target === 'key' ? (loc.key ?? loc.value) : (loc.value ?? loc.key);
      if (span) return span;
    }
    return { start: 0, end: 0 };
  }
}

/** `services[1].deploys[0]` → `services[1].deploys`; `services` → `''`; `''` → undefined. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const m = /(\.[A-Za-z_$][\w$-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/.exec(path);
  if (!m) return '';
  return path.slice(0, path.length - m[0].length);
}

/** How a value reads in a message: `a number`, `a list`, `nothing` … */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return value.trim() === '' ? 'an empty string' : 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'a mapping';
    default:
      return `a ${typeof value}`;
  }
}

/** A plain mapping (not a list, not null). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The closest candidate to `word` (case-insensitive edit distance, transpositions count 1), if close enough. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). Long inputs are cut at 64 chars. */
export function editDistance(a0: string, b0: string): number {
  const a = a0.slice(0, 64);
  const b = b0.slice(0, 64);
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/** `; did you mean "team"?` or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `; did you mean "${c}"?`;
}

/** A string for a message: quoted, control characters escaped, cut at 80 characters. */
export function quote(s: string): string {
  const cut = s.length > 80 ? `${s.slice(0, 77)}…` : s;
  return JSON.stringify(cut);
}

/** Whether `s` is an absolute http:// or https:// URL. */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}
