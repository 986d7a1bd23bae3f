/** `2 h ago`, `3 d ago`, `in 5 min` — relative to `now`. */
export function ago(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  const future = ms < 0;
  const m = Math.round(Math.abs(ms) / 60_000);
  const text = m < 1 ? 'just now' : m < 60 ? `${m} min` : m < 48 * 60 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} d`;
  return text === 'just now' ? text : future ? `in ${text}` : `${text} ago`;
}

/** `2026-11-23 03:12 UTC`. */
export function utc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `9 min before the incident start` / `2 h after …`. */
export function relativeTo(iso: string, startIso: string): string {
  const ms = Date.parse(iso) - Date.parse(startIso);
  const m = Math.round(Math.abs(ms) / 60_000);
  const span = m < 60 ? `${m} min` : m < 48 * 60 ? `${(m / 60).toFixed(m < 600 ? 1 : 0)} h` : `${Math.round(m / 1440)} d`;
  return ms === 0 ? 'at the incident start' : `${span} ${ms < 0 ? 'before' : 'after'} the incident start`;
}
