import type { BackendConfig, BackendKind } from '../backends/types';
import { backendKinds } from '../backends/types';

/**
 * The extension's settings as one typed, validated, frozen snapshot. Pure: the glue
 * (src/platform/configuration.ts) feeds it what `workspace.getConfiguration('oncall')` holds.
 */

export interface Settings {
  readonly traces: {
    /** Globs (workspace-relative) of trace files. */
    readonly paths: readonly string[];
    /** Glob of files never read as traces. */
    readonly exclude: string;
    /** Files larger than this are refused with a message. */
    readonly maxFileBytes: number;
    /** Trace backends, tried in this order by Open Trace by ID (after the workspace files). */
    readonly backends: readonly BackendConfig[];
  };
  readonly http: {
    /** Deadline of one request, connect to last byte. */
    readonly timeoutMs: number;
    /** Answers larger than this are not read. */
    readonly maxResponseBytes: number;
    /** A PEM file of extra certificate authorities (absolute, or relative to the first workspace folder). */
    readonly caFile: string | undefined;
  };
  readonly prometheus: {
    /** Base URL of Prometheus (or a compatible API such as Thanos or Mimir's Prometheus endpoint). */
    readonly url: string | undefined;
    /** How far back Open Trace from Exemplar looks. */
    readonly lookbackMinutes: number;
    /** Exemplar label names that carry the trace ID, in order of preference. */
    readonly traceIdLabels: readonly string[];
    /** PromQL expressions offered first in Open Trace from Exemplar. */
    readonly queries: readonly string[];
  };
  readonly codeNavigation: {
    /** Open code beside the waterfall (true) or in the active editor group. */
    readonly openBeside: boolean;
  };
  readonly wire: {
    /** Index the workspace as soon as a source file is opened (off: only when the Wire Map, a code lens or a command needs it). */
    readonly indexOnOpen: boolean;
    /** Code lenses on handlers, gRPC implementations and entry points. */
    readonly codeLens: boolean;
    /** Gutter icon and background on error exits. */
    readonly highlightErrorPaths: boolean;
    /** Globs (gitignore syntax) left out of the wire index, on top of .gitignore and `files.exclude`. */
    readonly exclude: readonly string[];
  };
  readonly runbooks: {
    /** A runbook whose `last_reviewed` is older than this many days is marked stale. */
    readonly staleAfterDays: number;
    /** "Runbooks (N)" code lens on files that belong to a service or match a runbook's `code` globs. */
    readonly codeLens: boolean;
    /** List the runbooks that ship with the extension (first 30 minutes, mitigation ladder, …). */
    readonly includeBuiltIn: boolean;
    /** Extra runbook folders (workspace-relative), on top of `runbooks/` and the folders in oncall.yaml. */
    readonly folders: readonly string[];
  };
  readonly notebook: {
    /** Where incident files are kept, workspace-relative (posix), e.g. `.oncall/incidents`. */
    readonly folder: string;
    /** The incident commander offered by Start Incident (empty: git's user.name, else the OS user). */
    readonly commander: string;
  };
}

export const settingKeys = {
  tracesPaths: 'traces.paths',
  tracesExclude: 'traces.exclude',
  tracesMaxFileSizeMB: 'traces.maxFileSizeMB',
  codeOpenBeside: 'codeNavigation.openBeside',
  tracesBackends: 'traces.backends',
  httpTimeoutSeconds: 'http.timeoutSeconds',
  httpMaxResponseMB: 'http.maxResponseMB',
  httpCaFile: 'http.caFile',
  prometheusUrl: 'prometheus.url',
  prometheusLookbackMinutes: 'prometheus.lookbackMinutes',
  prometheusTraceIdLabels: 'prometheus.traceIdLabels',
  prometheusQueries: 'prometheus.queries',
  wireIndexOnOpen: 'wire.indexOnOpen',
  wireCodeLens: 'wire.codeLens',
  wireHighlightErrorPaths: 'wire.highlightErrorPaths',
  wireExclude: 'wire.exclude',
  runbooksStaleAfterDays: 'runbooks.staleAfterDays',
  runbooksCodeLens: 'runbooks.codeLens',
  runbooksIncludeBuiltIn: 'runbooks.includeBuiltIn',
  runbooksFolders: 'runbooks.folders',
  notebookFolder: 'notebook.folder',
  notebookCommander: 'notebook.commander',
} as const;

export const defaultSettings: Settings = Object.freeze({
  traces: Object.freeze({ paths: Object.freeze(['traces/**', '**/*.trace.json']), exclude: '**/node_modules/**', maxFileBytes: 256 * 1024 * 1024, backends: Object.freeze([]) }),
  codeNavigation: Object.freeze({ openBeside: true }),
  http: Object.freeze({ timeoutMs: 15_000, maxResponseBytes: 50 * 1024 * 1024, caFile: undefined }),
  prometheus: Object.freeze({ url: undefined, lookbackMinutes: 60, traceIdLabels: Object.freeze(['trace_id', 'traceID', 'traceId', 'TraceID']), queries: Object.freeze([]) }),
  wire: Object.freeze({ indexOnOpen: false, codeLens: true, highlightErrorPaths: true, exclude: Object.freeze([]) }),
  runbooks: Object.freeze({ staleAfterDays: 180, codeLens: true, includeBuiltIn: true, folders: Object.freeze([]) }),
  notebook: Object.freeze({ folder: '.oncall/incidents', commander: '' }),
});

/** A problem with a setting's value, worded for the user; the default is used instead. */
export interface SettingProblem {
  readonly key: string;
  readonly message: string;
}

/** Builds settings from raw values (`get(key)` returns whatever the user wrote); never throws. */
export function parseSettings(get: (key: string) => unknown): { settings: Settings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const rawPaths = get(settingKeys.tracesPaths);
  let paths = defaultSettings.traces.paths;
  if (rawPaths !== undefined) {
    if (Array.isArray(rawPaths) && rawPaths.every((p) => typeof p === 'string' && p.trim() !== '')) paths = rawPaths.map((p: string) => p.trim());
    else problems.push({ key: `oncall.${settingKeys.tracesPaths}`, message: 'must be a list of glob patterns, e.g. ["traces/**"]; using the default.' });
  }
  const rawExclude = get(settingKeys.tracesExclude);
  const exclude = typeof rawExclude === 'string' ? rawExclude : defaultSettings.traces.exclude;
  const rawMax = get(settingKeys.tracesMaxFileSizeMB);
  let maxFileBytes = defaultSettings.traces.maxFileBytes;
  if (rawMax !== undefined) {
    if (typeof rawMax === 'number' && rawMax > 0 && rawMax <= 1024) maxFileBytes = Math.round(rawMax * 1024 * 1024);
    else problems.push({ key: `oncall.${settingKeys.tracesMaxFileSizeMB}`, message: 'must be a number of megabytes between 1 and 1024; using 256.' });
  }
  const openBeside = get(settingKeys.codeOpenBeside);
  const backends = parseBackends(get(settingKeys.tracesBackends), problems);
  const num = (key: string, min: number, max: number, fallback: number, unit: string): number => {
    const raw = get(key);
    if (raw === undefined || raw === null) return fallback;
    if (typeof raw === 'number' && Number.isFinite(raw) && raw >= min && raw <= max) return raw;
    problems.push({ key: `oncall.${key}`, message: `must be a number of ${unit} between ${min} and ${max}; using ${fallback}.` });
    return fallback;
  };
  const strings = (key: string, fallback: readonly string[], example: string): readonly string[] => {
    const raw = get(key);
    if (raw === undefined || raw === null) return fallback;
    if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return Object.freeze(raw.map((x: string) => x.trim()).filter((x) => x !== ''));
    problems.push({ key: `oncall.${key}`, message: `must be a list of strings, e.g. ${example}; using the default.` });
    return fallback;
  };
  const optionalUrl = (key: string): string | undefined => {
    const raw = get(key);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw === 'string' && isHttpUrl(raw.trim())) return raw.trim();
    problems.push({ key: `oncall.${key}`, message: 'must be an http:// or https:// URL, e.g. "http://localhost:9090"; ignored.' });
    return undefined;
  };
  const caRaw = get(settingKeys.httpCaFile);
  const bool = (key: string, fallback: boolean): boolean => {
    const raw = get(key);
    if (raw === undefined || raw === null) return fallback;
    if (typeof raw === 'boolean') return raw;
    problems.push({ key: `oncall.${key}`, message: `must be true or false; using ${fallback}.` });
    return fallback;
  };
  const traceIdLabels = strings(settingKeys.prometheusTraceIdLabels, defaultSettings.prometheus.traceIdLabels, '["trace_id"]');
  const settings: Settings = Object.freeze({
    traces: Object.freeze({ paths: Object.freeze([...paths]), exclude, maxFileBytes, backends }),
    codeNavigation: Object.freeze({ openBeside: typeof openBeside === 'boolean' ? openBeside : defaultSettings.codeNavigation.openBeside }),
    http: Object.freeze({
      timeoutMs: Math.round(num(settingKeys.httpTimeoutSeconds, 1, 600, 15, 'seconds') * 1000),
      maxResponseBytes: Math.round(num(settingKeys.httpMaxResponseMB, 1, 1024, 50, 'megabytes') * 1024 * 1024),
      caFile: typeof caRaw === 'string' && caRaw.trim() !== '' ? caRaw.trim() : undefined,
    }),
    prometheus: Object.freeze({
      url: optionalUrl(settingKeys.prometheusUrl),
      lookbackMinutes: num(settingKeys.prometheusLookbackMinutes, 1, 60 * 24 * 30, 60, 'minutes'),
      traceIdLabels: traceIdLabels.length > 0 ? traceIdLabels : defaultSettings.prometheus.traceIdLabels,
      queries: strings(settingKeys.prometheusQueries, defaultSettings.prometheus.queries, '["http_server_duration_seconds_bucket"]'),
    }),
    wire: Object.freeze({
      indexOnOpen: bool(settingKeys.wireIndexOnOpen, defaultSettings.wire.indexOnOpen),
      codeLens: bool(settingKeys.wireCodeLens, defaultSettings.wire.codeLens),
      highlightErrorPaths: bool(settingKeys.wireHighlightErrorPaths, defaultSettings.wire.highlightErrorPaths),
      exclude: strings(settingKeys.wireExclude, defaultSettings.wire.exclude, '["**/fixtures/**"]'),
    }),
    runbooks: Object.freeze({
      staleAfterDays: Math.round(num(settingKeys.runbooksStaleAfterDays, 1, 3650, defaultSettings.runbooks.staleAfterDays, 'days')),
      codeLens: bool(settingKeys.runbooksCodeLens, defaultSettings.runbooks.codeLens),
      includeBuiltIn: bool(settingKeys.runbooksIncludeBuiltIn, defaultSettings.runbooks.includeBuiltIn),
      folders: strings(settingKeys.runbooksFolders, defaultSettings.runbooks.folders, '["docs/runbooks"]'),
    }),
    notebook: Object.freeze({ folder: relativeFolder(get(settingKeys.notebookFolder), defaultSettings.notebook.folder, `oncall.${settingKeys.notebookFolder}`, problems), commander: typeof get(settingKeys.notebookCommander) === 'string' ? String(get(settingKeys.notebookCommander)).trim() : '' }),
  });
  return { settings, problems };
}

/** A workspace-relative folder (posix, no `..`, not absolute), or the fallback with a problem. */
function relativeFolder(raw: unknown, fallback: string, key: string, problems: SettingProblem[]): string {
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (typeof raw === 'string') {
    const parts = raw.trim().replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length > 0 && !raw.trim().startsWith('/') && !/^[A-Za-z]:/.test(raw.trim()) && !parts.includes('..')) return parts.join('/');
  }
  problems.push({ key, message: `must be a folder inside the workspace, e.g. "${fallback}"; using the default.` });
  return fallback;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `oncall.traces.backends`: each entry checked on its own, so one typo does not lose the others. */
function parseBackends(raw: unknown, problems: SettingProblem[]): readonly BackendConfig[] {
  if (raw === undefined || raw === null) return Object.freeze([]);
  const key = `oncall.${settingKeys.tracesBackends}`;
  if (!Array.isArray(raw)) {
    problems.push({ key, message: 'must be a list of backends, e.g. [{"name": "jaeger", "kind": "jaeger", "url": "http://localhost:16686"}]; ignored.' });
    return Object.freeze([]);
  }
  const out: BackendConfig[] = [];
  const names = new Set<string>();
  raw.forEach((entry: unknown, i: number) => {
    const where = `entry ${i + 1}`;
    if (typeof entry !== 'object' || entry === null) {
      problems.push({ key, message: `${where} is not an object with "name", "kind" and "url"; skipped.` });
      return;
    }
    const e = entry as Record<string, unknown>;
    const kind = e['kind'];
    const url = typeof e['url'] === 'string' ? e['url'].trim() : '';
    const name = typeof e['name'] === 'string' && e['name'].trim() !== '' ? e['name'].trim() : undefined;
    if (!(backendKinds as readonly unknown[]).includes(kind)) {
      problems.push({ key, message: `${where}${name ? ` ("${name}")` : ''}: "kind" must be one of ${backendKinds.join(', ')}; skipped.` });
      return;
    }
    if (!isHttpUrl(url)) {
      problems.push({ key, message: `${where}${name ? ` ("${name}")` : ''}: "url" must be an http:// or https:// URL; skipped.` });
      return;
    }
    const finalName = name ?? `${kind as string}@${new URL(url).host}`;
    if (names.has(finalName)) {
      problems.push({ key, message: `${where}: the name "${finalName}" is used twice; skipped.` });
      return;
    }
    names.add(finalName);
    const hours = e['lookbackHours'];
    if (hours !== undefined && !(typeof hours === 'number' && hours > 0)) problems.push({ key, message: `${where} ("${finalName}"): "lookbackHours" must be a positive number; no time window used.` });
    const tenant = typeof e['tenant'] === 'string' && e['tenant'].trim() !== '' ? e['tenant'].trim() : undefined;
    out.push(Object.freeze({ name: finalName, kind: kind as BackendKind, url, lookbackHours: typeof hours === 'number' && hours > 0 ? hours : undefined, tenant }));
  });
  return Object.freeze(out);
}
