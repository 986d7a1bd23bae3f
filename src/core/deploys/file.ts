/**
 * The `file` deploy source: a deploy log in the workspace that CI appends to, JSON Lines (one object per line) or
 * YAML (a list of the same objects; `.yaml`/`.yml`, and `.json` as a JSON list). Each entry is
 * `{service?, version, time, commit?, environment?, actor?, status?, kind?: deploy|config|flag, description?, url?, id?}`.
 * A malformed entry is skipped and reported with its file and line; the others are kept. Entries naming another
 * service are left out, so one log can serve every service of the catalog.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex, parseYaml, type NodeLocation } from '../catalog/yamlDoc';
import type { Deploy, DeployProblem, DeploySourceResult } from './model';
import { itemToDeploy, logEntryMapping, type ItemContext } from './feedItems';
import { EntryProblems, isSince } from './feedValues';

/** Larger logs are refused with a problem that says to rotate them (100 000 deploys are ~20 MB). */
export const maxDeployLogBytes = 32 * 1024 * 1024;

/** True when `file` is read as YAML (`.yaml`, `.yml`, `.json`), false for JSON Lines (anything else). */
export function isYamlLog(file: string): boolean {
  return /\.(?:ya?ml|json)$/i.test(file);
}

/**
 * Parses a deploy log's text. `file` is the path as configured (relative to the workspace folder): it names the
 * log in messages and ids (`file:deploys.jsonl:17`, or `file:deploys.jsonl#<id>` for an entry with an `id`).
 */
export function parseDeployLog(text: string, file: string, service: string, since?: Date): DeploySourceResult {
  const problems = new EntryProblems(file);
  const deploys: Deploy[] = [];
  const ctx = (line: number): ItemContext => ({
    service,
    source: 'file',
    defaultKind: 'deploy',
    defaultStatus: 'success',
    idOf: (own) => (own !== undefined ? `file:${file}#${own}` : `file:${file}:${line}`),
  });
  const take = (item: unknown, line: number): void => {
    const r = itemToDeploy(item, logEntryMapping, ctx(line));
    if (r.ok === 'other-service') return;
    if (r.ok === false) return problems.add({ severity: 'warning', code: 'malformed', file, line, message: `${file}:${line}: skipped: ${r.reason}.` });
    if (r.warning) problems.add({ severity: 'warning', code: 'malformed', file, line, message: `${file}:${line}: ${r.warning}.` });
    if (isSince(r.deploy, since)) deploys.push(r.deploy);
  };
  const text0 = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (isYamlLog(file)) {
    const fatal = readYamlEntries(text0, file, take);
    if (fatal) return { deploys: [], problems: [fatal] };
  } else {
    readJsonLines(text0, file, take, problems);
  }
  return { deploys, problems: problems.list() };
}

function readJsonLines(text: string, file: string, take: (item: unknown, line: number) => void, problems: EntryProblems): void {
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/^JSON\.parse: /, '') : String(e);
      // The last line of a log CI is appending to right now may be cut short: say so.
      const cut = i === lines.length - 1 && !text.endsWith('\n') ? ' (the last line may still be being written)' : '';
      problems.add({ severity: 'warning', code: 'malformed', file, line: i + 1, message: `${file}:${i + 1}: skipped: not a JSON object (${why})${cut}.` });
      return;
    }
    take(item, i + 1);
  });
}

/** Reads a YAML (or JSON) list; a syntax error or a top level that is not a list is the one problem returned. */
function readYamlEntries(text: string, file: string, take: (item: unknown, line: number) => void): DeployProblem | undefined {
  const lines = new LineIndex(text);
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    const at = lines.position(parsed.offset);
    return { severity: 'error', code: 'syntax', file, line: at.line, column: at.column, message: `${file}:${at.line}:${at.column}: YAML syntax error, nothing read: ${parsed.message}.` };
  }
  if (parsed.value === undefined || parsed.value === null) return undefined;
  if (!Array.isArray(parsed.value)) {
    return { severity: 'error', code: 'malformed', file, line: 1, message: `${file}: expected a list of deploys (- version: …, time: …), got ${parsed.value === null ? 'nothing' : typeof parsed.value === 'object' ? 'a mapping' : 'a single value'}; nothing read.` };
  }
  parsed.value.forEach((item: unknown, i: number) => {
    const loc = parsed.locations.get(`[${i}]`);
    take(asWritten(item, i, text, parsed.locations), lines.position(loc?.value?.start ?? loc?.key?.start ?? 0).line);
  });
  return undefined;
}

/** Text fields as written: YAML reads `version: 1.10` as the number 1.1 and `commit: 1234567e1` as a float. */
const textFields = ['version', 'commit', 'environment', 'actor', 'description', 'id', 'service'];

function asWritten(item: unknown, i: number, text: string, locations: ReadonlyMap<string, NodeLocation>): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const out: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const key of textFields) {
    const v = out[key];
    const span = locations.get(`[${i}].${key}`)?.value;
    if ((typeof v === 'number' || typeof v === 'boolean') && span) out[key] = text.slice(span.start, span.end);
  }
  return out;
}

export interface ReadDeployFileOptions {
  /** The workspace folder the path is relative to. */
  readonly root: string;
  readonly service: string;
  readonly since?: Date;
  readonly signal?: AbortSignal;
  /** Default {@link maxDeployLogBytes}. */
  readonly maxBytes?: number;
}

/**
 * Reads the log at `file` (relative to `root`, as the catalog requires) and parses it. Never throws: a missing,
 * unreadable or too large file, or one outside the workspace folder (also through a symbolic link), is a problem.
 */
export async function readDeployFile(file: string, options: ReadDeployFileOptions): Promise<DeploySourceResult> {
  const fail = (code: string, message: string, severity: DeployProblem['severity'] = 'error'): DeploySourceResult => ({ deploys: [], problems: [{ severity, code, file, message, source: `file:${file}` }] });
  const rel = file.replace(/\\/g, '/');
  if (path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.split('/').includes('..')) return fail('not-relative', `${file}: a deploy log must be a path inside the workspace folder, not read.`);
  const full = path.resolve(options.root, rel);
  try {
    if (options.signal?.aborted) return fail('cancelled', `Cancelled: reading ${file}.`);
    const [realRoot, realFile] = await Promise.all([fs.promises.realpath(options.root), fs.promises.realpath(full)]);
    const inside = path.relative(realRoot, realFile);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return fail('not-relative', `${file} leads outside the workspace folder (a symbolic link?), not read.`);
    const stat = await fs.promises.stat(realFile);
    if (!stat.isFile()) return fail('not-a-file', `${file} in ${options.root} is not a file.`);
    const max = options.maxBytes ?? maxDeployLogBytes;
    if (stat.size > max) return fail('too-large', `${file} is ${mb(stat.size)}, over the ${mb(max)} a deploy log may have: rotate it (keep the last months) and it is read again.`);
    const text = await fs.promises.readFile(realFile, { encoding: 'utf8', ...(options.signal ? { signal: options.signal } : {}) });
    const result = parseDeployLog(text, file, options.service, options.since);
    return { deploys: result.deploys, problems: result.problems.map((p) => ({ ...p, source: `file:${file}` })) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('missing-file', `${file} does not exist in ${options.root}: the catalog names it as a deploy log (CI appends to it).`, 'warning');
    if (code === 'ABORT_ERR' || options.signal?.aborted) return fail('cancelled', `Cancelled: reading ${file}.`);
    return fail('unreadable', `${file} could not be read: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
