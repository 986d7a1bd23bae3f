/**
 * Durations for people, in the notebook's outputs (handoff, postmortem): `45 s`, `12 min`, `1 h 05 min`, `2 d 3 h`.
 */

/** Milliseconds from `from` to `to` (UTC model strings or Dates); undefined when either is missing or unreadable. */
export function between(from: string | Date | undefined, to: string | Date | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const a = typeof from === 'string' ? Date.parse(from) : from.getTime();
  const b = typeof to === 'string' ? Date.parse(to) : to.getTime();
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : b - a;
}

/** `45 s`, `12 min`, `1 h 05 min`, `2 d 3 h`; a negative duration is `-` and the rest. */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** `03:12Z` on the same UTC day as `ref`, else `2026-11-23 03:12Z`. */
export function shortTime(utc: string, ref?: string): string {
  const sameDay = ref !== undefined && ref.slice(0, 10) === utc.slice(0, 10);
  return sameDay ? `${utc.slice(11, 16)}Z` : `${utc.slice(0, 10)} ${utc.slice(11, 16)}Z`;
}
