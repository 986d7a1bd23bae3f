/**
 * Times as people type and read them during an incident: the start time typed into Start Incident, and the clock
 * of the status bar. Pure; never imports `vscode`.
 */
import type { Incident } from './model';
import { toUtc } from './model';

/**
 * A start time as typed: empty → now; `03:12` → today at that UTC time (yesterday when that is in the future);
 * `-15m` / `-2h` → that long ago; `2026-11-24 03:12` or full ISO → that time (UTC unless it says otherwise).
 * Undefined when it is none of these or in the future.
 */
export function parseStartTime(text: string, now: Date): string | undefined {
  const v = text.trim();
  if (v === '' || v.toLowerCase() === 'now') return toUtc(now);
  let t: number | undefined;
  const ago = /^-\s*(\d+(?:\.\d+)?)\s*(m|min|h|hr|d)$/i.exec(v);
  const hm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (ago) {
    const unit = ago[2]!.toLowerCase();
    const mult = unit.startsWith('m') ? 60_000 : unit.startsWith('h') ? 3_600_000 : 86_400_000;
    t = now.getTime() - Number(ago[1]) * mult;
  } else if (hm) {
    const [h, m, s] = [Number(hm[1]), Number(hm[2]), Number(hm[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return undefined;
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m, s));
    t = d.getTime() > now.getTime() ? d.getTime() - 86_400_000 : d.getTime();
  } else if (/^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(v)) {
    const iso = v.replace(' ', 'T');
    t = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`);
  }
  if (t === undefined || Number.isNaN(t) || t > now.getTime() + 60_000) return undefined;
  return toUtc(new Date(t));
}

/** `42m`, `3h 05m`, `2d 4h`: time since the start, as an incident channel would say it. */
export function elapsed(fromIso: string, nowMs: number): string {
  const min = Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 60_000));
  if (Number.isNaN(min)) return '?';
  if (min < 60) return `${min}m`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h}h ${String(min % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** The status-bar text of an incident: `INC-2026-11-24-01 · SEV-2 · mitigate · 42m`. */
export function statusText(i: Pick<Incident, 'id' | 'severity' | 'phase' | 'started'>, nowMs: number): string {
  return `${i.id} · ${i.severity} · ${i.phase} · ${elapsed(i.started, nowMs)}`;
}
