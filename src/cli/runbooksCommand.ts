/**
 * `oncall-lens runbooks <dir>`: the runbooks of a workspace folder for terminals and CI — listed by service with
 * their alerts, problems and review age — and `oncall-lens runbooks lint <dir>`, which prints every problem as
 * `file:line:col: severity: message` and fails on errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultCatalog, loadCatalog } from '../core/catalog/load';
import type { Catalog } from '../core/catalog/model';
import { RunbookSet, isStale, reviewAgeDays } from '../core/runbooks/index';
import { loadRunbooksFromDir } from '../core/runbooks/load';
import type { Runbook } from '../core/runbooks/model';
import { defaultMaxRunbookBytes } from '../core/runbooks/parse';
import { formatProblem, type Problem } from '../core/util/problems';

export const runbooksUsage = `  oncall-lens runbooks <dir> [--json] [--stale-days <n>] [--max-mb <n>]
  oncall-lens runbooks lint <dir> [--strict] [--max-mb <n>]

Reads the runbooks of a workspace folder: the runbook folders of <dir>/oncall.yaml, else <dir>/runbooks, else <dir>
itself. Lists them by service with their alerts, problems and whether they are stale (last_reviewed more than
--stale-days ago, default 180); --json prints { runbooks, services, problems, notes }. "lint" prints every problem as
file:line:col: severity: message and exits 1 when there is an error (with --strict, also a warning). Runbooks over
--max-mb (default ${defaultMaxRunbookBytes / 1024 / 1024}) are listed with an error and not read beyond their title.`;

interface Options {
  lint: boolean;
  dir?: string;
  json: boolean;
  strict: boolean;
  staleDays: number;
  maxBytes: number;
}

export async function runbooksMain(args: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const usageError = (msg: string): number => {
    err(`oncall-lens runbooks: ${msg}\n\nUsage:\n${runbooksUsage}`);
    return 2;
  };
  const o: Options = { lint: false, json: false, strict: false, staleDays: 180, maxBytes: defaultMaxRunbookBytes };
  let rest = args;
  if (rest[0] === 'lint') {
    o.lint = true;
    rest = rest.slice(1);
  }
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--help' || a === '-h') {
      out(`Usage:\n${runbooksUsage}`);
      return 0;
    } else if (a === '--json' && !o.lint) o.json = true;
    else if (a === '--strict' && o.lint) o.strict = true;
    else if ((a === '--stale-days' || a.startsWith('--stale-days=')) && !o.lint) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (v === undefined || !/^\d+$/.test(v.trim())) return usageError('--stale-days needs a whole number of days.');
      o.staleDays = Number(v);
    } else if (a === '--max-mb' || a.startsWith('--max-mb=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      const n = Number(v);
      if (v === undefined || v.trim() === '' || !Number.isFinite(n) || n <= 0) return usageError('--max-mb needs a positive number of megabytes.');
      o.maxBytes = Math.round(n * 1024 * 1024);
    } else if (a.startsWith('-')) return usageError(`unknown option ${a}.`);
    else if (o.dir === undefined) o.dir = a;
    else return usageError(`one folder at a time (got "${o.dir}" and "${a}").`);
  }
  if (o.dir === undefined) return usageError('which folder?');
  const root = path.resolve(o.dir);
  try {
    if (!fs.statSync(root).isDirectory()) return usageError(`${o.dir} is not a folder.`);
  } catch (e) {
    err(`oncall-lens runbooks: ${o.dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}.`);
    return 1;
  }
  const { catalog, catalogFile } = readCatalog(root);
  let folders = catalog.runbookFolders;
  if (catalog.source === 'default' && !isDir(path.join(root, 'runbooks'))) folders = [''];
  const loaded = await loadRunbooksFromDir(root, folders, { maxBytes: o.maxBytes });
  const set = new RunbookSet(loaded.runbooks, catalog, { roots: folders });
  const shown = (file: string): string => path.join(o.dir as string, file);
  // Problems that belong to no listed runbook: the catalog's, and files that could not be read.
  const other: Array<{ file: string; problem: Problem }> = [
    ...catalog.problems.map((problem) => ({ file: catalogFile, problem })),
    ...loaded.unreadable.map((u) => ({ file: u.file, problem: { message: `Could not read this file: ${u.message}`, severity: 'error' as const, line: 1, column: 1, code: 'read-failed' } })),
  ];
  const problems = [...other, ...set.runbooks.flatMap((rb) => rb.problems.map((problem) => ({ file: rb.file, problem })))];
  // The default folder may well be absent; folders the catalog names should exist.
  const notes = loaded.missingFolders.filter((f) => f !== 'runbooks').map((f) => `runbook folder "${f}" (from ${catalogFile}) does not exist.`);
  if (o.lint) return lint(problems, set.runbooks.length, notes, o.strict, shown, out, err);

  const now = new Date();
  if (o.json) {
    const runbooks = set.runbooks.map((rb) => ({
      id: rb.id,
      file: rb.file,
      title: rb.title,
      alerts: rb.alerts,
      services: set.servicesOf(rb),
      ...(rb.severity !== undefined ? { severity: rb.severity } : {}),
      ...(rb.owner !== undefined ? { owner: rb.owner } : {}),
      ...(rb.lastReviewed !== undefined ? { lastReviewed: rb.lastReviewed } : {}),
      tags: rb.tags,
      code: rb.code,
      sections: rb.sections.map((s) => s.slug),
      isSectionIndex: rb.isSectionIndex,
      stale: isStale(rb, now, o.staleDays) ?? null,
      problems: rb.problems,
    }));
    const services = set.services().map((g) => ({ name: g.name, label: g.label, source: g.source, runbooks: g.runbooks.map((rb) => rb.id) }));
    out(JSON.stringify({ runbooks, services, problems: other.map((p) => ({ file: p.file, ...p.problem })), notes }, null, 2));
    return 0;
  }
  out(renderList(set, now, o.staleDays));
  for (const n of notes) err(`oncall-lens runbooks: ${n}`);
  for (const p of problems) err(formatProblem(shown(p.file), p.problem));
  return 0;
}

function lint(problems: ReadonlyArray<{ file: string; problem: Problem }>, count: number, notes: readonly string[], strict: boolean, shown: (f: string) => string, out: (s: string) => void, err: (s: string) => void): number {
  // Code-unit order, as the files are read: the same on every machine whatever its locale.
  const sorted = [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.problem.line - b.problem.line || a.problem.column - b.problem.column);
  for (const p of sorted) out(formatProblem(shown(p.file), p.problem));
  for (const n of notes) err(`oncall-lens runbooks: ${n}`);
  const errors = problems.filter((p) => p.problem.severity === 'error').length;
  const warnings = problems.filter((p) => p.problem.severity === 'warning').length;
  err(`${count} runbook${count === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
  return errors > 0 || (strict && warnings > 0) ? 1 : 0;
}

/** Text listing: services, then their runbooks with alerts, title, file and flags. */
export function renderList(set: RunbookSet, now: Date, staleDays: number): string {
  const lines: string[] = [];
  let stale = 0;
  for (const g of set.services()) {
    lines.push(`${g.label === g.name ? g.name : `${g.label} (${g.name})`}  — ${g.runbooks.length} runbook${g.runbooks.length === 1 ? '' : 's'}`);
    const width = Math.min(40, Math.max(0, ...g.runbooks.map((rb) => alertsText(rb).length)));
    for (const rb of g.runbooks) {
      const flags: string[] = [];
      const age = reviewAgeDays(rb, now);
      if (isStale(rb, now, staleDays)) {
        flags.push(`stale: reviewed ${rb.lastReviewed}, ${age} days ago`);
        stale++;
      }
      const errors = rb.problems.filter((p) => p.severity === 'error').length;
      const warnings = rb.problems.length - errors;
      if (errors > 0) flags.push(`${errors} error${errors === 1 ? '' : 's'}`);
      if (warnings > 0) flags.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
      lines.push(`  ${alertsText(rb).padEnd(width)}  ${rb.title}  ${rb.file}${flags.length ? `  [${flags.join('; ')}]` : ''}`);
    }
  }
  const alerts = new Set(set.runbooks.flatMap((rb) => rb.alerts)).size;
  const undated = set.runbooks.filter((rb) => !rb.isSectionIndex && rb.lastReviewed === undefined).length;
  lines.push('');
  lines.push(`${set.runbooks.length} runbooks for ${alerts} alerts in ${set.services().length} services; ${stale} stale (last reviewed over ${staleDays} days ago), ${undated} without last_reviewed.`);
  return lines.join('\n');
}

function alertsText(rb: Runbook): string {
  if (rb.isSectionIndex) return '(section)';
  return rb.alerts.length === 0 ? '-' : rb.alerts.join(', ');
}

function readCatalog(root: string): { catalog: Catalog; catalogFile: string } {
  const folderName = path.basename(root);
  const name = 'oncall.yaml';
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, name), 'utf8');
  } catch {
    return { catalog: defaultCatalog(folderName), catalogFile: name };
  }
  return { catalog: loadCatalog(text, name, { folderName }), catalogFile: name };
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
