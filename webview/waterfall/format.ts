/**
 * Number and time formatting for the waterfall. Pure: no DOM, unit-tested from node (test/unit/waterfallLogic.test.ts).
 */

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Three significant digits, trailing zeros dropped: 123, 12.3, 1.23, 0.5. */
export function sig3(v: number): string {
  if (v >= 99.95) return Math.round(v).toString();
  if (v >= 9.995) return trimZeros(v.toFixed(1));
  return trimZeros(v.toFixed(2));
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** A duration in microseconds for people: `850 µs`, `12.3 ms`, `1.84 s`, `2m 05s`, `1h 02m`. */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '?';
  if (us < 0) return `-${formatDuration(-us)}`;
  if (us === 0) return '0 µs';
  if (us < 999.5) return `${sig3(us)} µs`;
  if (us < 999_500) return `${sig3(us / 1e3)} ms`;
  if (us < 59_995_000) return `${sig3(us / 1e6)} s`;
  const totalSeconds = Math.round(us / 1e6);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m ${pad2(totalSeconds % 60)}s`;
  const totalMinutes = Math.round(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h ${pad2(totalMinutes % 60)}m`;
}

/** An offset from the trace start: `+12.3 ms` (`0 µs` at the start). */
export function formatOffset(us: number): string {
  return us > 0 ? `+${formatDuration(us)}` : formatDuration(us);
}

/** `part` as a percentage of `total`: `37%`, `0.4%`, `<0.1%`. */
export function formatPercent(part: number, total: number): string {
  if (!(total > 0)) return '—';
  const p = (part / total) * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return '<0.1%';
  return p < 10 ? `${trimZeros(p.toFixed(1))}%` : `${Math.round(p)}%`;
}

/** `1 span`, `3 spans`, `10,000 spans`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : pluralForm}`;
}

/** The smallest 1/2/2.5/5 × 10^k step that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const base = 10 ** Math.floor(Math.log10(raw));
  const m = raw / base;
  const nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
  return nice * base;
}

export interface Tick {
  /** Microseconds since the trace start. */
  readonly us: number;
  /** Position on the axis, 0..1. */
  readonly fraction: number;
  readonly label: string;
}

/**
 * A tick label in one unit for the whole axis (chosen from the last tick, `lastUs`), so labels line up:
 * `0 ms`, `250 ms`, `500 ms` or `0 s`, `0.5 s`, `1 s`.
 */
export function formatTick(us: number, stepUs: number, lastUs: number): string {
  if (stepUs >= 60e6) return us === 0 ? '0 s' : formatDuration(us);
  const [unit, size] = lastUs >= 1e6 ? ['s', 1e6] : lastUs >= 1e3 ? ['ms', 1e3] : ['µs', 1];
  const stepInUnit = stepUs / size;
  let decimals = Math.max(0, -Math.floor(Math.log10(stepInUnit) + 1e-9));
  if (!Number.isInteger(Math.round(stepInUnit * 10 ** decimals * 1e6) / 1e6)) decimals += 1;
  return `${trimZeros((us / size).toFixed(Math.min(decimals, 3)))} ${unit}`;
}

/** Ticks from 0 to at most `totalUs`, at most `maxTicks` intervals, on a nice step. */
export function computeTicks(totalUs: number, maxTicks: number): Tick[] {
  if (!(totalUs > 0) || !Number.isFinite(totalUs)) return [{ us: 0, fraction: 0, label: '0 µs' }];
  const step = niceStep(totalUs / Math.max(1, maxTicks));
  const count = Math.floor((totalUs * (1 + 1e-9)) / step);
  const ticks: Tick[] = [];
  for (let i = 0; i <= count; i++) {
    const us = i * step;
    ticks.push({ us, fraction: Math.min(1, us / totalUs), label: formatTick(us, step, count * step) });
  }
  return ticks;
}

/**
 * `iso` (ISO-8601 UTC, any number of fraction digits) plus `offsetUs`, as ISO with microseconds:
 * `2024-05-01T03:12:45.123456Z`. Returns `iso` unchanged when it cannot be parsed.
 */
export function addMicrosToIso(iso: string, offsetUs: number): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso);
  if (!m || !Number.isFinite(offsetUs)) return iso;
  const secondsMs = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(secondsMs)) return iso;
  const fraction = ((m[2] ?? '') + '000000').slice(0, 6);
  const totalUs = secondsMs * 1000 + Number(fraction) + Math.round(offsetUs);
  const wholeMs = Math.floor(totalUs / 1e6) * 1000;
  const micros = totalUs - wholeMs * 1000;
  const base = new Date(wholeMs).toISOString().slice(0, 19);
  return `${base}.${String(micros).padStart(6, '0')}Z`;
}

/** The CSS class giving a row the colour of service `index` (a fixed palette, cycled). */
export const SERVICE_COLOURS = 10;
export function serviceClass(index: number): string {
  const i = Number.isInteger(index) && index >= 0 ? index % SERVICE_COLOURS : 0;
  return `svc-${i}`;
}

/** Left and width of a bar on a 0..100 axis; a zero-length span still gets a visible sliver. */
export function barGeometry(startUs: number, durationUs: number, totalUs: number): { left: number; width: number } {
  if (!(totalUs > 0)) return { left: 0, width: 100 };
  const left = Math.min(100, Math.max(0, (startUs / totalUs) * 100));
  const width = Math.min(100 - left, Math.max(0, (durationUs / totalUs) * 100));
  return { left, width };
}
