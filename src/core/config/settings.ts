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
  };
  readonly codeNavigation: {
    /** Open code beside the waterfall (true) or in the active editor group. */
    readonly openBeside: boolean;
  };
}

export const settingKeys = {
  tracesPaths: 'traces.paths',
  tracesExclude: 'traces.exclude',
  tracesMaxFileSizeMB: 'traces.maxFileSizeMB',
  codeOpenBeside: 'codeNavigation.openBeside',
} as const;

export const defaultSettings: Settings = Object.freeze({
  traces: Object.freeze({ paths: Object.freeze(['traces/**', '**/*.trace.json']), exclude: '**/node_modules/**', maxFileBytes: 256 * 1024 * 1024 }),
  codeNavigation: Object.freeze({ openBeside: true }),
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
  const settings: Settings = Object.freeze({
    traces: Object.freeze({ paths: Object.freeze([...paths]), exclude, maxFileBytes }),
    codeNavigation: Object.freeze({ openBeside: typeof openBeside === 'boolean' ? openBeside : defaultSettings.codeNavigation.openBeside }),
  });
  return { settings, problems };
}
