import picomatch from 'picomatch';
import type { Problem } from '../util/problems';
import type { Catalog, ServiceEntry } from './model';
import { Reporter } from './report';
import { validateCatalog, type KnownNames } from './validate';
import { LineIndex, parseYaml } from './yamlDoc';

/** Options of {@link loadCatalog}. */
export interface LoadCatalogOptions extends KnownNames {
  /**
   * The workspace folder's name. When given and the file names no services (no `services:` key, an empty file, a
   * syntax error), the folder's default service is used, so code lenses and runbook lookups keep working.
   */
  readonly folderName?: string;
}

/** Runbook folder read when the file has no top-level `runbooks:`. */
export const defaultRunbookFolder = 'runbooks';

/** Larger files are not parsed (a catalog of a thousand services is ~300 KB). */
export const maxCatalogChars = 8 * 1024 * 1024;

/**
 * Reads oncall.yaml. Never throws: YAML syntax errors and validation problems come back in `problems` with 1-based
 * positions in `text`, and whatever could be read is kept (a service with one bad field is still a service).
 * `file` is the file's name or path, used in messages about the file as a whole.
 */
export function loadCatalog(text: string, file: string, options: LoadCatalogOptions = {}): Catalog {
  const label = file.split(/[\\/]/).pop() || 'oncall.yaml';
  const lines = new LineIndex(text);
  const fallbackServices = (): readonly ServiceEntry[] => (options.folderName !== undefined ? defaultCatalog(options.folderName).services : []);
  if (text.length > maxCatalogChars) {
    const problem: Problem = { message: `${label}: the file is larger than ${maxCatalogChars / 1024 / 1024} MB and was not read`, severity: 'error', line: 1, column: 1, code: 'too-large' };
    return build(fallbackServices(), undefined, [problem]);
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    const at = lines.position(parsed.offset);
    const problem: Problem = {
      message: `${label}: ${parsed.message}`,
      severity: 'error',
      line: at.line,
      column: at.column,
      endLine: at.line,
      endColumn: at.column + (parsed.offset < text.length && !/[\r\n]/.test(text[parsed.offset] ?? '') ? 1 : 0),
      code: /duplicated mapping key/.test(parsed.message) ? 'duplicate-key' : 'yaml-syntax',
    };
    return build(fallbackServices(), undefined, [problem]);
  }
  const r = new Reporter(parsed.locations, lines, label);
  let validated: ReturnType<typeof validateCatalog>;
  try {
    validated = validateCatalog(parsed.value, r, options);
  } catch (err) {
    // Validation is written not to throw; should it ever, the extension still gets a catalog and a visible reason.
    r.atValue('', 'error', 'internal', `could not be checked: ${err instanceof Error ? err.message : String(err)}`);
    validated = { services: undefined, runbooks: undefined };
  }
  if (parsed.extraDocumentAt !== undefined) {
    const at = lines.position(parsed.extraDocumentAt);
    r.problems.push({ message: `${label}: only the first document is read; this one (after "---") is ignored`, severity: 'warning', line: at.line, column: at.column, code: 'multiple-documents' });
  }
  return build(validated.services ?? fallbackServices(), validated.runbooks, r.problems);
}

/** The catalog of a workspace folder without oncall.yaml: one service named after the folder, owning every file. */
export function defaultCatalog(folderName: string): Catalog {
  const service: ServiceEntry = Object.freeze({
    name: folderName,
    paths: Object.freeze(['**']),
    runbooks: Object.freeze([defaultRunbookFolder]),
    dashboards: Object.freeze([]),
    deploys: Object.freeze([]),
  });
  return Object.freeze({
    source: 'default' as const,
    services: Object.freeze([service]),
    runbookFolders: Object.freeze([defaultRunbookFolder]),
    problems: Object.freeze([]),
  });
}

/** Every runbook folder to read: top-level `runbooks:` (default `["runbooks"]`) and each service's, without repeats. */
export function runbookFolders(services: readonly ServiceEntry[], topLevel: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const f of [...(topLevel ?? [defaultRunbookFolder]), ...services.flatMap((s) => s.runbooks)]) if (!out.includes(f)) out.push(f);
  return out;
}

function build(services: readonly ServiceEntry[], topRunbooks: readonly string[] | undefined, problems: readonly Problem[]): Catalog {
  return Object.freeze({
    source: 'file' as const,
    services: Object.freeze([...services]),
    runbookFolders: Object.freeze(runbookFolders(services, topRunbooks)),
    problems: Object.freeze([...problems].sort((a, b) => a.line - b.line || a.column - b.column)),
  });
}

interface CompiledService {
  readonly service: ServiceEntry;
  readonly include: ReadonlyArray<{ readonly match: (p: string) => boolean; readonly prefix: number; readonly literal: number }>;
  readonly exclude: ReadonlyArray<(p: string) => boolean>;
}

const compiled = new WeakMap<Catalog, readonly CompiledService[]>();

/**
 * The service a workspace-relative file belongs to. When several services' globs match, the most specific wins: the
 * glob with the longest literal prefix (`services/checkout/**` over `services/**` over `**`), then the one with more
 * literal characters, then the service listed first. A glob starting with `!` excludes files from its service.
 */
export function serviceForFile(catalog: Catalog, relPath: string): ServiceEntry | undefined {
  let services = compiled.get(catalog);
  if (!services) {
    services = catalog.services.map(compile);
    compiled.set(catalog, services);
  }
  const file = normalizeFile(relPath);
  let best: { service: ServiceEntry; prefix: number; literal: number } | undefined;
  for (const s of services) {
    if (s.exclude.some((m) => m(file))) continue;
    for (const g of s.include) {
      if (!g.match(file)) continue;
      if (!best || g.prefix > best.prefix || (g.prefix === best.prefix && g.literal > best.literal)) best = { service: s.service, prefix: g.prefix, literal: g.literal };
    }
  }
  return best?.service;
}

/**
 * Whether a workspace-relative file belongs to `service` by its `paths` (a leading `!` excludes). Use this rather than
 * `picomatch(service.paths)`: picomatch reads a `!glob` in a list as "everything but", which would include every file.
 */
export function serviceMatcher(service: ServiceEntry): (relPath: string) => boolean {
  const c = compile(service);
  return (relPath) => {
    const file = normalizeFile(relPath);
    return !c.exclude.some((m) => m(file)) && c.include.some((g) => g.match(file));
  };
}

function normalizeFile(relPath: string): string {
  return relPath.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

function compile(service: ServiceEntry): CompiledService {
  const include: Array<CompiledService['include'][number]> = [];
  const exclude: Array<(p: string) => boolean> = [];
  for (const glob of service.paths) {
    try {
      if (glob.startsWith('!')) {
        exclude.push(picomatch(glob.slice(1), { dot: true }));
        continue;
      }
      const scan = picomatch.scan(glob);
      const prefix = scan.isGlob ? scan.base.length : glob.length;
      include.push({ match: picomatch(glob, { dot: true }), prefix, literal: glob.replace(/[*?[\]{}()!+@]/g, '').length });
    } catch {
      // Globs were checked when the catalog was read; one that still fails to compile owns no files.
    }
  }
  return { service, include, exclude };
}
