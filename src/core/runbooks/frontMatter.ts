/**
 * Runbook front matter: YAML between `---` lines or TOML between `+++` lines (Hugo), read into the runbook fields
 * with every problem positioned in the file (1-based, counting the fence line), never thrown.
 */
import * as yaml from 'js-yaml';
import type { Problem } from '../util/problems';
import { readToml } from './toml';

/** Where a front-matter key and its value are written (1-based, in the file). */
export interface KeyPosition {
  readonly line: number;
  readonly column: number;
  readonly valueLine: number;
  readonly valueColumn: number;
  /** Exclusive end column of the value on `valueLine`. */
  readonly endColumn: number;
}

/** The runbook fields front matter can state, validated. */
export interface FrontMatterFields {
  id?: string;
  title?: string;
  services?: string[];
  alerts?: string[];
  severity?: string;
  code?: string[];
  owner?: string;
  lastReviewed?: string;
  tags?: string[];
}

export interface FrontMatter {
  readonly kind: 'yaml' | 'toml' | 'none';
  /** Index of the first body line (after the closing fence), 0 without front matter. */
  readonly bodyIndex: number;
  readonly fields: FrontMatterFields;
  readonly keys: ReadonlyMap<string, KeyPosition>;
  readonly problems: readonly Problem[];
}

/** The runbook keys, documented in the issue and the README. */
export const runbookKeys = ['id', 'title', 'service', 'services', 'alerts', 'severity', 'code', 'owner', 'last_reviewed', 'tags'] as const;

/** Keys of Hugo (and the Hugo Book theme, Docusaurus, Jekyll) that real runbook sites carry: read as-is, no warning. */
const siteKeys = new Set([
  'weight', 'aliases', 'draft', 'date', 'lastmod', 'publishDate', 'expiryDate', 'description', 'summary', 'slug', 'url',
  'type', 'layout', 'linkTitle', 'keywords', 'categories', 'series', 'menu', 'toc', 'params', 'headless', 'cascade',
  'outputs', 'resources', 'sitemap', 'translationKey', 'markup', 'build', 'author', 'authors', 'images',
  'bookCollapseSection', 'bookFlatSection', 'bookHidden', 'bookToc', 'bookComments', 'bookSearchExclude', 'bookHref',
  'sidebar_position', 'sidebar_label', 'hide_title', 'permalink', 'nav_order', 'parent', 'has_children',
]);

/**
 * Reads the front matter at the top of `lines` (a UTF-8 BOM already removed). A YAML block opens with `---` and closes
 * with `---` or `...`; a TOML block opens and closes with `+++`. An unclosed block is an error and the whole file is
 * read as Markdown.
 */
export function readFrontMatter(lines: readonly string[]): FrontMatter {
  const first = (lines[0] ?? '').trimEnd();
  const fence = first === '---' ? 'yaml' : first === '+++' ? 'toml' : undefined;
  if (fence === undefined) return { kind: 'none', bodyIndex: 0, fields: {}, keys: new Map(), problems: [] };
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    const l = (lines[i] as string).trimEnd();
    if (fence === 'yaml' ? l === '---' || l === '...' : l === '+++') {
      end = i;
      break;
    }
  }
  if (end < 0) {
    const problem: Problem = { message: `The front matter opened on line 1 is never closed with "${first}"; the file is read as Markdown only.`, severity: 'error', line: 1, column: 1, endLine: 1, endColumn: first.length + 1, code: 'front-matter-unclosed' };
    return { kind: fence, bodyIndex: 0, fields: {}, keys: new Map(), problems: [problem] };
  }
  const read = fence === 'yaml' ? readYaml(lines, 1, end) : readToml(lines, 1, end);
  const problems = [...read.problems];
  const fields = read.data === undefined ? {} : validateFields(read.data, read.keys, problems);
  return { kind: fence, bodyIndex: end + 1, fields, keys: read.keys, problems };
}

function readYaml(lines: readonly string[], start: number, end: number): { data: Record<string, unknown> | undefined; keys: Map<string, KeyPosition>; problems: Problem[] } {
  const text = lines.slice(start, end).join('\n');
  const keys = topLevelKeys(lines, start, end);
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text, { maxAliases: 100 });
  } catch (e) {
    const mark = e instanceof yaml.YAMLException ? e.mark : undefined;
    // The mark is 0-based in the YAML text; the text starts on the line after the opening fence.
    const line = mark ? Math.min(start + mark.line + 1, end + 1) : start + 1;
    const column = mark && start + mark.line < end ? mark.column + 1 : 1;
    const reason = e instanceof yaml.YAMLException ? e.reason : e instanceof Error ? e.message : String(e);
    return { data: undefined, keys, problems: [{ message: `YAML front matter: ${reason}.`, severity: 'error', line, column, code: 'yaml-syntax' }] };
  }
  if (docs.length > 1) return { data: undefined, keys, problems: [{ message: 'The front matter holds more than one YAML document.', severity: 'error', line: start + 1, column: 1, code: 'yaml-syntax' }] };
  const doc = docs[0];
  if (doc === undefined || doc === null) return { data: {}, keys, problems: [] };
  if (typeof doc !== 'object' || Array.isArray(doc) || doc instanceof Date) {
    return { data: undefined, keys, problems: [{ message: `The front matter must be a mapping of keys (title: …, alerts: …), not ${typeName(doc)}.`, severity: 'error', line: start + 1, column: 1, code: 'front-matter-type' }] };
  }
  return { data: doc as Record<string, unknown>, keys, problems: [] };
}

/** Positions of the top-level block-mapping keys, found line by line (column 0, `key:`). */
function topLevelKeys(lines: readonly string[], start: number, end: number): Map<string, KeyPosition> {
  const keys = new Map<string, KeyPosition>();
  for (let i = start; i < end; i++) {
    const line = lines[i] as string;
    const m = /^(?:"([^"]*)"|'([^']*)'|([^\s:#"'][^:#]*?))[ \t]*:(?=[ \t]|$)/.exec(line.length > 500 ? line.slice(0, 500) : line);
    if (!m) continue;
    const key = m[1] ?? m[2] ?? (m[3] as string);
    let v = m[0].length;
    while (line[v] === ' ' || line[v] === '\t') v++;
    const valueOnLine = v < line.length && line[v] !== '#';
    if (!keys.has(key)) keys.set(key, { line: i + 1, column: 1, valueLine: i + 1, valueColumn: valueOnLine ? v + 1 : 1, endColumn: line.trimEnd().length + 1 });
  }
  return keys;
}

function validateFields(data: Record<string, unknown>, keys: ReadonlyMap<string, KeyPosition>, problems: Problem[]): FrontMatterFields {
  const at = (key: string, message: string, severity: Problem['severity'], code: string): void => {
    const k = keys.get(key);
    problems.push(k ? { message, severity, line: k.valueLine, column: k.valueColumn, endLine: k.valueLine, endColumn: Math.max(k.endColumn, k.valueColumn + 1), code } : { message, severity, line: 1, column: 1, code });
  };
  const fields: FrontMatterFields = {};
  const text = (key: string): string | undefined => {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    at(key, `"${key}" must be text, not ${typeName(v)}.`, 'error', 'wrong-type');
    return undefined;
  };
  const list = (key: string): string[] | undefined => {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v.trim() === '' ? [] : [v.trim()];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return (v as string[]).map((x) => x.trim()).filter((x) => x !== '');
    const bad = Array.isArray(v) ? v.find((x) => typeof x !== 'string') : v;
    const what = Array.isArray(v) ? `a list with ${typeName(bad)} in it` : typeName(v);
    at(key, `"${key}" must be a name or a list of names, not ${what}.`, 'error', 'wrong-type');
    return undefined;
  };
  fields.id = text('id');
  fields.title = text('title');
  fields.severity = text('severity');
  fields.owner = text('owner');
  const service = list('service');
  const services = list('services');
  if (service !== undefined || services !== undefined) fields.services = [...new Set([...(service ?? []), ...(services ?? [])])];
  fields.alerts = list('alerts');
  fields.tags = list('tags');
  fields.code = list('code');
  for (const g of fields.code ?? []) {
    if (g.startsWith('/') || /^[A-Za-z]:[\\/]/.test(g) || g.split('/').includes('..')) at('code', `"code" globs are relative to the workspace folder; "${g}" is not.`, 'warning', 'code-glob');
  }
  if (data.last_reviewed !== undefined && data.last_reviewed !== null) {
    const v = data.last_reviewed;
    const s = v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : typeof v === 'string' ? v.trim() : undefined;
    if (s !== undefined && isDate(s)) fields.lastReviewed = s;
    else at('last_reviewed', `"last_reviewed" must be a date written YYYY-MM-DD (e.g. 2025-01-31), not ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)}.`, 'error', 'bad-date');
  }
  for (const key of Object.keys(data)) {
    if ((runbookKeys as readonly string[]).includes(key) || siteKeys.has(key)) continue;
    const near = closestKey(key);
    at(key, `Unknown front-matter key "${key}" (ignored)${near ? `; did you mean "${near}"?` : '.'}`, 'warning', 'unknown-key');
    const k = keys.get(key);
    if (k) {
      // Point at the key itself rather than its value.
      const last = problems[problems.length - 1] as Problem;
      problems[problems.length - 1] = { ...last, line: k.line, column: k.column, endLine: k.line, endColumn: k.column + key.length };
    }
  }
  return fields;
}

/** `YYYY-MM-DD` and a real calendar day. */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function closestKey(key: string): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  const k = norm(key);
  for (const known of runbookKeys) if (norm(known) === k || norm(known) === `${k}s` || `${norm(known)}s` === k) return known;
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of runbookKeys) {
    const d = editDistance(k, norm(known));
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 40 || b.length > 40) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] as number;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return `a number (${v})`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  return `a ${typeof v}`;
}
