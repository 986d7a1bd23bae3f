/**
 * The time window a trace-by-ID lookup searches, and how each backend wants it written. A window makes Jaeger and
 * Tempo look in fewer blocks (faster), but a trace outside it is "not found": so the 404 message says which window.
 */
import type { BackendConfig } from './types';

export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/** The last `lookbackHours` before `now`, or undefined when the backend has no lookback (search everything). */
export function lookbackWindow(backend: BackendConfig, now: Date = new Date()): TimeWindow | undefined {
  const hours = backend.lookbackHours;
  if (hours === undefined || !(hours > 0)) return undefined;
  return { start: new Date(now.getTime() - hours * 3_600_000), end: now };
}

/** "the last 24 h", for messages; "without a time window" when there is none. */
export function describeWindow(window: TimeWindow | undefined, backend: BackendConfig): string {
  if (!window || backend.lookbackHours === undefined) return window ? `${window.start.toISOString()} – ${window.end.toISOString()}` : 'without a time window';
  const h = backend.lookbackHours;
  return h % 24 === 0 && h >= 48 ? `the last ${h / 24} days` : `the last ${h} h`;
}

/** Jaeger v1 `start`/`end`: Unix microseconds (trace-apis.md §1.1). */
export const unixMicros = (d: Date): number => d.getTime() * 1000;

/** Tempo `start`/`end`: Unix seconds, widened to whole seconds so the window never shrinks (trace-apis.md §2). */
export const unixSecondsFloor = (d: Date): number => Math.floor(d.getTime() / 1000);
export const unixSecondsCeil = (d: Date): number => Math.ceil(d.getTime() / 1000);

/** Jaeger v3 `startTime`/`endTime`: RFC 3339 with fractional seconds (Go's time.RFC3339Nano parses milliseconds). */
export const rfc3339 = (d: Date): string => d.toISOString();
