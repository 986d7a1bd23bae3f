/**
 * The YAML front matter of an incident file (format.ts): the scalar metadata, written by js-yaml (CORE schema, no line
 * folding, services as a flow list) and read back tolerantly — unknown values become a warning and a default, a YAML
 * syntax error a positioned problem, and the keys are then read line by line so that one broken line does not lose
 * the others. Only a missing `id` makes the file unusable.
 */
import * as yaml from 'js-yaml';
import type { DetectedBy, Incident, IncidentStatus, Phase, Severity } from './model';
import { DETECTED_BY, INCIDENT_STATUSES, PHASES, SEVERITIES, isUtc, toUtc } from './model';
import { normalizeText } from './text';
import { readTime } from './formatText';

/** A problem of an incident file: 1-based line and column. */
export interface IncidentProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  /** Short and stable, for tests and quick fixes: `yaml-syntax`, `unknown-value`, `bad-time`, `stray-text` … */
  readonly code: string;
}

export type Meta = Pick<Incident, 'id' | 'title' | 'severity' | 'status' | 'phase' | 'commander' | 'detectedBy' | 'alert' | 'started' | 'detected' | 'mitigated' | 'resolved' | 'services'>;

/** The front matter keys, in the order they are written. */
export const FRONT_MATTER_KEYS = ['id', 'title', 'severity', 'status', 'phase', 'commander', 'detected_by', 'alert', 'started', 'detected', 'mitigated', 'resolved', 'services'] as const;

/** `---`, the YAML, `---` (with the final line break). */
export function writeFrontMatter(m: Meta): string {
  const o: Record<string, unknown> = {
    id: m.id,
    title: m.title,
    severity: m.severity,
    status: m.status,
    phase: m.phase,
    commander: m.commander,
    detected_by: m.detectedBy,
    ...(m.alert !== undefined ? { alert: m.alert } : {}),
    started: m.started,
    ...(m.detected !== undefined ? { detected: m.detected } : {}),
    ...(m.mitigated !== undefined ? { mitigated: m.mitigated } : {}),
    ...(m.resolved !== undefined ? { resolved: m.resolved } : {}),
    services: [...m.services],
  };
  return `---\n${yaml.dump(o, { schema: yaml.CORE_SCHEMA, lineWidth: -1, flowLevel: 1, noRefs: true })}---\n`;
}

export interface FrontMatterRead {
  /** Undefined when the file has no usable front matter (no `id`). */
  readonly meta?: Meta;
  /** Index of the first body line (after the closing fence). */
  readonly bodyIndex: number;
}

type Push = (p: IncidentProblem) => void;

/** Reads the front matter at the top of `lines` (BOM already removed). `h1Title`: the title the heading shows, if any. */
export function readFrontMatter(lines: readonly string[], push: Push, h1Title: (bodyIndex: number) => string | undefined): FrontMatterRead {
  if ((lines[0] ?? '').trimEnd() !== '---') {
    push({ line: 1, column: 1, severity: 'error', code: 'no-front-matter', message: 'An incident file starts with YAML front matter between "---" lines (id, title, severity, …); this one does not.' });
    return { bodyIndex: 0 };
  }
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    const l = (lines[i] as string).trimEnd();
    if (l === '---' || l === '...') {
      end = i;
      break;
    }
  }
  if (end < 0) {
    push({ line: 1, column: 1, severity: 'error', code: 'front-matter-unclosed', message: 'The front matter opened on line 1 is never closed with "---".' });
    return { bodyIndex: 0 };
  }
  const keyLines = new Map<string, { line: number; column: number }>();
  for (let i = 1; i < end; i++) {
    const m = /^([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)[ \t]*/.exec(lines[i] as string);
    if (m && !keyLines.has(m[1] as string)) keyLines.set(m[1] as string, { line: i + 1, column: m[0].length < (lines[i] as string).length ? m[0].length + 1 : 1 });
  }
  const at = (key: string): { line: number; column: number } => keyLines.get(key) ?? { line: 1, column: 1 };
  const warn = (key: string, message: string, code = 'unknown-value'): void => push({ ...at(key), severity: 'warning', code, message });
  const error = (key: string, message: string, code: string): void => push({ ...at(key), severity: 'error', code, message });

  const text = lines.slice(1, end).join('\n');
  let data: Record<string, unknown> | undefined;
  try {
    const doc = yaml.load(text, { schema: yaml.CORE_SCHEMA, maxAliases: 0 });
    if (doc === undefined || doc === null) data = {};
    else if (typeof doc === 'object' && !Array.isArray(doc)) data = doc as Record<string, unknown>;
    else push({ line: 2, column: 1, severity: 'error', code: 'front-matter-type', message: 'The front matter must be a mapping of keys (id: …, title: …).' });
  } catch (e) {
    const mark = e instanceof yaml.YAMLException ? e.mark : undefined;
    const reason = e instanceof yaml.YAMLException ? e.reason : e instanceof Error ? e.message : String(e);
    const line = mark ? Math.min(2 + mark.line, end + 1) : 2;
    push({ line, column: mark && mark.line < end - 1 ? mark.column + 1 : 1, severity: 'error', code: 'yaml-syntax', message: `YAML front matter: ${reason}; the other keys are read line by line.` });
  }
  if (data === undefined) data = lineByLine(lines, end);

  const str = (key: string): string | undefined => {
    const v = data?.[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return normalizeText(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    warn(key, `"${key}" must be text, not ${Array.isArray(v) ? 'a list' : 'a mapping'}; ignored.`, 'wrong-type');
    return undefined;
  };

  const id = str('id');
  if (id === undefined || id === '') {
    error('id', 'The front matter has no "id" (INC-YYYY-MM-DD-NN): the file cannot be read as an incident.', 'no-id');
    return { bodyIndex: end + 1 };
  }
  if (!/^INC-\d{4}-\d{2}-\d{2}-\d{2,}$/.test(id)) warn('id', `"${id}" does not look like an incident ID (INC-YYYY-MM-DD-NN).`, 'odd-id');

  let title = str('title');
  if (title === undefined) {
    title = h1Title(end + 1) ?? '';
    warn('title', `The front matter has no "title"${title !== '' ? '; the heading\'s is used' : ''}.`, 'no-title');
  }

  const severity = readSeverity(str('severity'), (m) => warn('severity', m));
  const status = readEnum<IncidentStatus>(str('status'), INCIDENT_STATUSES, 'active', 'status', (m) => warn('status', m));
  const phase = readEnum<Phase>(str('phase'), PHASES, 'triage', 'phase', (m) => warn('phase', m));
  let commander = str('commander');
  if (commander === undefined) {
    warn('commander', 'The front matter has no "commander" (the incident commander).', 'no-commander');
    commander = '';
  }
  const alertRaw = str('alert');
  const alert = alertRaw === '' ? undefined : alertRaw;
  const detectedKey = data['detected_by'] !== undefined ? 'detected_by' : 'detectedBy';
  const detectedBy = readEnum<DetectedBy>(str(detectedKey), DETECTED_BY, alert !== undefined ? 'alert' : 'human', 'detected_by', (m) => warn(detectedKey, m));

  const time = (key: string, required: boolean): string | undefined => {
    const raw = str(key);
    if (raw === undefined || raw === '') {
      if (required) error(key, `The front matter has no "${key}" time (UTC, like 2026-11-24T03:12:09Z).`, 'no-started');
      return undefined;
    }
    const t = isUtc(raw) ? raw : (readTime(/utc$/i.test(raw) ? `${raw.slice(0, -3).trimEnd()}Z` : raw, undefined) ?? withZone(raw));
    if (t === undefined) (required ? error : warn)(key, `"${key}" must be a UTC time like 2026-11-24T03:12:09Z, not "${raw.slice(0, 60)}"${required ? '' : '; ignored'}.`, 'bad-time');
    else if (t !== raw) warn(key, `"${key}" is read as ${t} (UTC); it is written so when the notebook saves.`, 'time-format');
    return t;
  };
  const started = time('started', true) ?? fallbackStart(id);
  const detected = time('detected', false);
  const mitigated = time('mitigated', false);
  const resolved = time('resolved', false);

  const services: string[] = [];
  const sv = data['services'] ?? data['service'];
  const svKey = data['services'] !== undefined ? 'services' : 'service';
  if (typeof sv === 'string') services.push(...sv.split(',').map((s) => normalizeText(s)).filter((s) => s !== ''));
  else if (Array.isArray(sv)) {
    for (const s of sv) {
      if (typeof s === 'string' || typeof s === 'number') {
        const name = normalizeText(String(s));
        if (name !== '' && !services.includes(name)) services.push(name);
        else if (name !== '') warn(svKey, `"${name}" is listed twice in services.`, 'duplicate-service');
      } else warn(svKey, 'Services must be names; an entry that is not was ignored.', 'wrong-type');
    }
  } else if (sv !== undefined && sv !== null) warn(svKey, '"services" must be a list of names; ignored.', 'wrong-type');

  for (const key of Object.keys(data)) {
    if ((FRONT_MATTER_KEYS as readonly string[]).includes(key) || key === 'detectedBy' || key === 'service') continue;
    push({ ...at(key), column: 1, severity: 'warning', code: 'unknown-key', message: `"${key}" is not an incident key; it is dropped when the notebook saves this file (write it in the notes instead).` });
  }

  const meta: Meta = {
    id, title, severity, status, phase, commander, detectedBy, ...(alert !== undefined ? { alert } : {}), started,
    ...(detected !== undefined ? { detected } : {}), ...(mitigated !== undefined ? { mitigated } : {}), ...(resolved !== undefined ? { resolved } : {}), services,
  };
  return { meta, bodyIndex: end + 1 };
}

/** After a YAML syntax error: each `key: value` line on its own, so that one bad line does not lose the rest. */
function lineByLine(lines: readonly string[], end: number): Record<string, unknown> {
  const data: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (let i = 1; i < end; i++) {
    const m = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$/.exec(lines[i] as string);
    if (!m || m[1] === '__proto__' || data[m[1] as string] !== undefined) continue;
    try {
      const v = yaml.load(`v: ${m[2] as string}`, { schema: yaml.CORE_SCHEMA, maxAliases: 0 }) as { v?: unknown } | null;
      if (v && v.v !== undefined && v.v !== null) data[m[1] as string] = v.v;
    } catch {
      // That line is the broken one (reported already).
    }
  }
  return data;
}

/** An ISO time with a fraction or an explicit offset (`2026-11-23T04:12:00.5+01:00`) in UTC, to the second. */
function withZone(raw: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(raw)) return undefined;
  const ms = Date.parse(raw.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : toUtc(new Date(ms));
}

/** The start when the file's is unusable: midnight of the ID's date. */
function fallbackStart(id: string): string {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(id);
  const t = m ? `${m[1]}T00:00:00Z` : '1970-01-01T00:00:00Z';
  return isUtc(t) ? t : '1970-01-01T00:00:00Z';
}

function readEnum<T extends string>(raw: string | undefined, values: readonly T[], fallback: T, key: string, warn: (m: string) => void): T {
  if (raw === undefined) {
    warn(`The front matter has no "${key}"; read as "${fallback}".`);
    return fallback;
  }
  if ((values as readonly string[]).includes(raw)) return raw as T;
  const lower = raw.toLowerCase().trim();
  const near = values.find((v) => v === lower);
  if (near !== undefined) return near;
  warn(`Unknown ${key} "${raw.slice(0, 60)}" (one of ${values.join(', ')}); read as "${fallback}".`);
  return fallback;
}

/** `SEV-2`; also `sev2`, `SEV 2`, `P2`, `2` (with a warning), `SEV-0` → SEV-1, `SEV-5` → SEV-3. */
function readSeverity(raw: string | undefined, warn: (m: string) => void): Severity {
  if (raw === undefined) {
    warn('The front matter has no "severity"; read as SEV-2.');
    return 'SEV-2';
  }
  if ((SEVERITIES as readonly string[]).includes(raw)) return raw as Severity;
  const m = /^(?:sev|p)?[\s-]*(\d+)$/i.exec(raw.trim());
  if (m) {
    const n = Number(m[1]);
    const sev: Severity = n <= 1 ? 'SEV-1' : n === 2 ? 'SEV-2' : 'SEV-3';
    warn(`Severity "${raw.slice(0, 40)}" is read as ${sev} (the notebook knows ${SEVERITIES.join(', ')}).`);
    return sev;
  }
  warn(`Unknown severity "${raw.slice(0, 40)}" (one of ${SEVERITIES.join(', ')}); read as SEV-2.`);
  return 'SEV-2';
}
