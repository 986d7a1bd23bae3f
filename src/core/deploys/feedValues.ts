/**
 * Reading the values deploy feeds carry (times, statuses, kinds, dotted paths), shared by the `file`, `http`,
 * `github` and `argocd` sources. Lenient where feeds differ harmlessly (`succeeded` vs `success`), strict where a
 * wrong guess would mislead (a time without a date is not a time).
 */
import type { ChangeKind, Deploy, DeployProblem, DeployStatus } from './model';

/**
 * The value at a dotted path (`deployment.sha`, `meta.who`, `items.0.id`) in `value`; undefined when any step is
 * missing. An empty path is the value itself. Own properties only: `__proto__` or `constructor` never reach a prototype.
 */
export function valueAt(value: unknown, path: string): unknown {
  if (path === '') return value;
  let cur: unknown = value;
  for (const step of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(step)) return undefined;
      cur = cur[Number(step)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, step)) return undefined;
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}

/** A string (trimmed, non-empty) or a finite number as text; anything else is undefined. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const isoNoZone = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
/** 1990 … 2200 in ms: outside is a unit mistake (ms read as s, µs as ms), not a deploy time. */
const plausible = (ms: number): boolean => ms >= 631_152_000_000 && ms <= 7_258_118_400_000;

/**
 * A deploy time as ISO 8601 UTC (`2026-11-22T18:05:00.000Z`), or undefined. Accepts ISO 8601 / RFC 3339 (a time
 * without offset is read as UTC, never as the machine's zone), RFC 2822, and epoch seconds or milliseconds as a number
 * or a string of digits (below 10^11: seconds).
 */
export function parseTime(value: unknown): string | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') ms = epochMs(value);
  else if (typeof value === 'string') {
    const t = value.trim();
    if (/^\d+(?:\.\d+)?$/.test(t)) ms = epochMs(Number(t));
    else {
      const m = isoNoZone.exec(t);
      const parsed = Date.parse(m ? `${m[1]}T${m[2]}Z` : t);
      // Date.parse also takes "5" or "March"; a time must at least carry a year.
      if (!Number.isNaN(parsed) && /\d{4}/.test(t)) ms = parsed;
    }
  }
  return ms !== undefined && plausible(ms) ? new Date(ms).toISOString() : undefined;
}

function epochMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
}

const statusWords: ReadonlyArray<[DeployStatus, readonly string[]]> = [
  ['success', ['success', 'succeeded', 'successful', 'ok', 'done', 'deployed', 'complete', 'completed', 'finished', 'healthy', 'synced', 'active', 'released', 'applied']],
  ['failure', ['failure', 'failed', 'fail', 'error', 'errored', 'broken', 'aborted', 'cancelled', 'canceled', 'degraded']],
  ['in_progress', ['in_progress', 'running', 'deploying', 'started', 'progressing', 'syncing', 'rolling_out']],
  ['pending', ['pending', 'queued', 'waiting', 'scheduled', 'created']],
  ['rolled_back', ['rolled_back', 'rollback', 'rolledback', 'reverted', 'revert', 'rolled-back']],
];

/** A feed's status word as a DeployStatus (`Succeeded`, `FAILED`, `in-progress` …); `unknown` for anything else. */
export function readStatus(value: unknown): DeployStatus {
  const t = textOf(value)?.toLowerCase().replace(/[\s-]+/g, '_');
  if (t === undefined) return 'unknown';
  for (const [status, words] of statusWords) if (words.includes(t)) return status;
  return 'unknown';
}

/** `deploy` | `config` | `flag` and their common spellings (`feature_flag`, `configuration`, `release`); else undefined. */
export function readKind(value: unknown): ChangeKind | undefined {
  const t = textOf(value)?.toLowerCase().replace(/[\s-]+/g, '_');
  switch (t) {
    case 'deploy':
    case 'deployment':
    case 'release':
    case 'rollout':
      return 'deploy';
    case 'config':
    case 'configuration':
    case 'config_change':
    case 'setting':
    case 'settings':
      return 'config';
    case 'flag':
    case 'feature_flag':
    case 'featureflag':
    case 'flag_change':
    case 'toggle':
      return 'flag';
    default:
      return undefined;
  }
}

/** True for a full or abbreviated hex commit SHA (7–64 hex digits). */
export function isSha(s: string | undefined): s is string {
  return s !== undefined && /^[0-9a-f]{7,64}$/i.test(s);
}

/** An http(s) URL, or undefined: a link from a feed must never be `javascript:`, `file:` or `command:`. */
export function httpUrlOf(value: unknown): string | undefined {
  const t = textOf(value);
  if (t === undefined) return undefined;
  try {
    const u = new URL(t);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Newest first; equal times by id, so the order never depends on the order sources answered in. */
export function newestFirst(a: Deploy, b: Deploy): number {
  if (a.time !== b.time) return a.time < b.time ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** True when `d` happened at or after `since` (always true without `since`). */
export function isSince(d: Pick<Deploy, 'time'>, since: Date | undefined): boolean {
  return since === undefined || Date.parse(d.time) >= since.getTime();
}

/** `{ a: undefined, b: 1 }` → `{ b: 1 }`: Deploy objects carry only the fields a source knows. */
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Collects problems about single entries and keeps the first `max`: a broken 10 000-line log must not flood the
 * UI. The rest become one summary ("… and 41 more like it").
 */
export class EntryProblems {
  private readonly kept: DeployProblem[] = [];
  private more = 0;

  constructor(
    private readonly where: string,
    private readonly max = 20,
  ) {}

  add(p: DeployProblem): void {
    if (this.kept.length < this.max) this.kept.push(p);
    else this.more++;
  }

  /** The problems kept, plus the summary of the rest. */
  list(): DeployProblem[] {
    if (this.more === 0) return [...this.kept];
    return [...this.kept, { severity: 'warning', code: 'malformed', message: `… and ${this.more} more skipped ${this.more === 1 ? 'entry' : 'entries'} in ${this.where}.` }];
  }
}
