/**
 * `RunbookSet`: the runbooks of a workspace (and the built-ins) with the catalog, answering the questions the views
 * and commands ask — which service a runbook belongs to, which runbook covers an alert or a file, which are stale —
 * and reporting what only shows across files (duplicate IDs and alerts).
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { serviceForFile } from '../catalog/load';
import type { Catalog, ServiceEntry } from '../catalog/model';
import type { Problem } from '../util/problems';
import { matchRunbooks, type RunbookMatch } from './alertMatch';
import type { Runbook } from './model';

const posix = path.posix;

/** The group name of runbooks no front matter, catalog entry or folder assigns. */
export const unassignedService = '(unassigned)';

/** How a runbook came to be in a service group, strongest first. */
export type ServiceSource = 'front-matter' | 'catalog-runbooks' | 'catalog-paths' | 'folder' | 'unassigned';

/** One service and its runbooks (a runbook naming two services is in both groups). */
export interface RunbookServiceGroup {
  readonly name: string;
  /** What to show: the title of the folder's `_index.md` for folder groups, else the name. */
  readonly label: string;
  /** How the first runbook of the group was assigned (the groups of one name all agree in practice). */
  readonly source: ServiceSource;
  /** The catalog entry of that name, if any. */
  readonly catalog?: ServiceEntry;
  readonly runbooks: readonly Runbook[];
}

/** A duplicate found across the set, reported on the later file. */
export interface SetProblem {
  readonly file: string;
  readonly problem: Problem;
}

export interface RunbookSetOptions {
  /**
   * Runbook root folders (relative to the workspace folder, posix), for the folder fallback of `services()`.
   * Default: the catalog's `runbookFolders`. `''` is the workspace folder itself.
   */
  readonly roots?: readonly string[];
}

/**
 * Runbooks plus the catalog. Built once per change of either; every query is a lookup or a pass over the runbooks.
 * `runbooks` are the input runbooks in input order, with cross-file problems (duplicates) added to the later files.
 */
export class RunbookSet {
  readonly runbooks: readonly Runbook[];
  /** Duplicate IDs (errors) and duplicate alerts (warnings), on the later of two files of the same origin. */
  readonly duplicates: readonly SetProblem[];
  private readonly ofInput = new Map<Runbook, Runbook>();
  private readonly serviceNames = new Map<Runbook, { names: readonly string[]; source: ServiceSource }>();
  private readonly groups: RunbookServiceGroup[];
  private readonly alertIndex = new Map<string, Runbook[]>();
  private readonly codeMatchers = new Map<Runbook, (p: string) => boolean>();
  /** The catalog's services, none for a default catalog (its one service owns every file, which says nothing). */
  private readonly catalogServices: readonly ServiceEntry[];

  constructor(
    runbooks: readonly Runbook[],
    readonly catalog: Catalog = { source: 'default', services: [], runbookFolders: ['runbooks'], problems: [] },
    opts: RunbookSetOptions = {},
  ) {
    const found = findDuplicates(runbooks);
    this.duplicates = found.map((d) => ({ file: d.file, problem: d.problem }));
    const extra = new Map<number, Problem[]>();
    for (const d of found) extra.set(d.index, [...(extra.get(d.index) ?? []), d.problem]);
    this.runbooks = runbooks.map((rb, i) => (extra.has(i) ? { ...rb, problems: [...rb.problems, ...(extra.get(i) as Problem[])] } : rb));
    runbooks.forEach((rb, i) => this.ofInput.set(rb, this.runbooks[i] as Runbook));
    this.catalogServices = catalog.source === 'default' ? [] : catalog.services;
    const roots = (opts.roots ?? catalog.runbookFolders).map(cleanFolder).sort((a, b) => a.length - b.length);
    const folderTitles = new Map<string, string>();
    for (const rb of this.runbooks) if (rb.isSectionIndex) folderTitles.set(posix.dirname(rb.file), rb.title);
    const byName = new Map<string, { source: ServiceSource; runbooks: Runbook[]; display?: string }>();
    for (const rb of this.runbooks) {
      const assigned = this.assign(rb, roots);
      this.serviceNames.set(rb, assigned);
      for (const name of assigned.names) {
        const g = byName.get(name) ?? { source: assigned.source, runbooks: [] };
        g.runbooks.push(rb);
        if (assigned.source === 'folder' && g.display === undefined) {
          const root = roots.find((r) => isUnder(rb.file, r));
          g.display = folderTitles.get(posix.join(root ?? '', name));
        }
        byName.set(name, g);
      }
      for (const a of rb.alerts) {
        const list = this.alertIndex.get(a) ?? [];
        list.push(rb);
        this.alertIndex.set(a, list);
      }
    }
    this.groups = [...byName.entries()]
      .map(([name, g]) => {
        const entry = this.catalogServices.find((s) => s.name === name);
        return { name, label: g.display ?? name, source: g.source, ...(entry ? { catalog: entry } : {}), runbooks: g.runbooks };
      })
      .sort((a, b) => (a.name === unassignedService ? 1 : b.name === unassignedService ? -1 : a.name.localeCompare(b.name, 'en')));
  }

  /**
   * Service groups, by name, `(unassigned)` last. A runbook is listed under the services its front matter names;
   * else the catalog services whose `runbooks` folders hold it; else the catalog service its file belongs to by
   * `paths`; else its top folder under the runbook root (`kubernetes` for `runbooks/kubernetes/X.md`, labelled with
   * that folder's `_index.md` title); else `(unassigned)`. A default catalog (no oncall.yaml) is not consulted.
   */
  services(): readonly RunbookServiceGroup[] {
    return this.groups;
  }

  /** The runbook of this set for an input runbook (the same, or a copy with the set's problems added). */
  runbookOf(rb: Runbook): Runbook {
    return this.ofInput.get(rb) ?? rb;
  }

  /** The services a runbook is listed under (never empty: `(unassigned)` at worst). */
  servicesOf(rb: Runbook): readonly string[] {
    return this.serviceNames.get(this.runbookOf(rb))?.names ?? this.assign(rb, []).names;
  }

  /** Runbooks for an alert: exact name first; if none, case-insensitive. Workspace runbooks before built-ins. */
  byAlert(name: string): readonly Runbook[] {
    const exact = this.alertIndex.get(name.trim());
    const found = exact ?? this.runbooks.filter((rb) => rb.alerts.some((a) => a.toLowerCase() === name.trim().toLowerCase()));
    return [...found].sort((a, b) => originRank(a) - originRank(b));
  }

  byId(id: string): Runbook | undefined {
    return this.runbooks.find((rb) => rb.id === id);
  }

  byFile(file: string): Runbook | undefined {
    return this.runbooks.find((rb) => rb.file === file);
  }

  /**
   * Runbooks about a workspace file (relative, posix): those whose `code` globs match it, then those listed under
   * the catalog service the file belongs to (the most specific `paths` match, as the catalog decides). A default
   * catalog (no oncall.yaml) assigns no files.
   */
  forFile(relPath: string): readonly Runbook[] {
    const p = relPath.replace(/\\/g, '/').replace(/^\.\//, '');
    const found: Runbook[] = [];
    for (const rb of this.runbooks) if (rb.code.length > 0 && this.codeMatcher(rb)(p)) found.push(rb);
    const service = this.catalogServices.length > 0 ? serviceForFile(this.catalog, p) : undefined;
    const group = service && this.groups.find((g) => g.name === service.name);
    for (const rb of group?.runbooks ?? []) if (!found.includes(rb)) found.push(rb);
    return found;
  }

  /** See {@link isStale}. */
  isStale(rb: Runbook, now: Date, days: number): boolean | undefined {
    return isStale(rb, now, days);
  }

  /**
   * Runbooks whose title, alerts, services, tags, ID or file contain every word of `query` (case-insensitive), in
   * set order. An empty query matches all.
   */
  filter(query: string): readonly Runbook[] {
    return filterRunbooks(this.runbooks, query, (rb) => this.servicesOf(rb));
  }

  /** {@link RunbookSet.filter} over any runbooks, with their front-matter services. */
  static filter(runbooks: readonly Runbook[], query: string): Runbook[] {
    return filterRunbooks(runbooks, query, (rb) => rb.services);
  }

  /** Runbooks for a pasted alert (name, notification or payload), best first: see {@link matchRunbooks}. */
  match(text: string): readonly RunbookMatch[] {
    return matchRunbooks(text, this.runbooks, { servicesOf: (rb) => this.servicesOf(rb) });
  }

  private codeMatcher(rb: Runbook): (p: string) => boolean {
    let m = this.codeMatchers.get(rb);
    if (!m) {
      m = globMatcher(rb.code);
      this.codeMatchers.set(rb, m);
    }
    return m;
  }

  private assign(rb: Runbook, roots: readonly string[]): { names: readonly string[]; source: ServiceSource } {
    if (rb.services.length > 0) return { names: rb.services, source: 'front-matter' };
    const byFolder = this.catalogServices.filter((s) => s.runbooks.some((f) => isUnder(rb.file, cleanFolder(f))));
    if (byFolder.length > 0) return { names: byFolder.map((s) => s.name), source: 'catalog-runbooks' };
    const byPaths = this.catalogServices.length > 0 ? serviceForFile(this.catalog, rb.file) : undefined;
    if (byPaths) return { names: [byPaths.name], source: 'catalog-paths' };
    const root = roots.find((r) => isUnder(rb.file, r));
    if (root !== undefined) {
      const rel = root === '' ? rb.file : rb.file.slice(root.length + 1);
      const slash = rel.indexOf('/');
      if (slash > 0) return { names: [rel.slice(0, slash)], source: 'folder' };
    }
    return { names: [unassignedService], source: 'unassigned' };
  }
}

/**
 * Whether a runbook's `last_reviewed` is more than `days` days before `now`. `undefined` when the runbook has no
 * review date: not stale (falsy), but unknown — show it as such.
 */
export function isStale(rb: Runbook, now: Date, days: number): boolean | undefined {
  const age = reviewAgeDays(rb, now);
  return age === undefined ? undefined : age > days;
}

/** Whole days between `last_reviewed` (UTC midnight) and `now`; undefined without a date. */
export function reviewAgeDays(rb: Runbook, now: Date): number | undefined {
  if (rb.lastReviewed === undefined) return undefined;
  const t = Date.parse(`${rb.lastReviewed}T00:00:00Z`);
  if (Number.isNaN(t)) return undefined;
  return Math.floor((now.getTime() - t) / 86_400_000);
}

function filterRunbooks(runbooks: readonly Runbook[], query: string, servicesOf: (rb: Runbook) => readonly string[]): Runbook[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [...runbooks];
  return runbooks.filter((rb) => {
    const hay = [rb.title, ...rb.alerts, ...servicesOf(rb), ...rb.services, ...rb.tags, rb.id, rb.file].join('\n').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

function findDuplicates(runbooks: readonly Runbook[]): Array<SetProblem & { index: number }> {
  const out: Array<SetProblem & { index: number }> = [];
  const ids = new Map<string, Runbook>();
  const alerts = new Map<string, Runbook>();
  runbooks.forEach((rb, index) => {
    const idKey = `${rb.origin}\u0000${rb.id}`;
    const first = ids.get(idKey);
    if (first) {
      const at = rb.keyPositions?.id ?? { line: 1, column: 1 };
      out.push({ index, file: rb.file, problem: { message: `The runbook ID "${rb.id}" is also the ID of ${first.file}; IDs must be unique.`, severity: 'error', line: at.line, column: at.column, code: 'duplicate-id' } });
    } else ids.set(idKey, rb);
    for (const a of rb.alerts) {
      const key = `${rb.origin}\u0000${a}`;
      const other = alerts.get(key);
      if (other && other !== rb) {
        const at = rb.alertsFrom ?? { line: 1, column: 1 };
        out.push({ index, file: rb.file, problem: { message: `The alert "${a}" already has a runbook: ${other.file}. Alert links open the first one.`, severity: 'warning', line: at.line, column: at.column, code: 'duplicate-alert' } });
      } else if (!other) alerts.set(key, rb);
    }
  });
  return out;
}

/** Matches any of `globs`, minus those of `!globs` (picomatch alone reads `!x` in a list as "everything but x"). */
function globMatcher(globs: readonly string[]): (p: string) => boolean {
  const compile = (g: string): ((p: string) => boolean) => {
    try {
      return picomatch(g, { dot: true });
    } catch {
      return () => false;
    }
  };
  const include = globs.filter((g) => !g.startsWith('!')).map(compile);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => compile(g.slice(1)));
  return (p) => include.some((m) => m(p)) && !exclude.some((m) => m(p));
}

function originRank(rb: Runbook): number {
  return rb.origin === 'workspace' ? 0 : 1;
}

function cleanFolder(f: string): string {
  const c = posix.normalize(f.replace(/\\/g, '/')).replace(/^\.\/?/, '').replace(/\/+$/, '');
  return c === '.' ? '' : c;
}

function isUnder(file: string, folder: string): boolean {
  return folder === '' || file.startsWith(`${folder}/`);
}
