/**
 * The Statistics view's pure logic: sorting and the filter query of a row. No DOM: unit-tested from node.
 */
import type { StatsEntry } from '../../src/shared/protocol/waterfall';

export type StatsKey = 'name' | 'count' | 'totalUs' | 'selfUs' | 'criticalUs' | 'errors' | 'maxUs';

/** Operations listed before the rest are summarised ("and 1,234 more"): a table, not a second waterfall. */
export const MAX_OPERATION_ROWS = 300;

/** `entries` sorted by `key` (numbers largest first, names A→Z); `dir` flips it. Pure. */
export function sortStats(entries: readonly StatsEntry[], key: StatsKey, dir: 1 | -1): StatsEntry[] {
  const name = (e: StatsEntry): string => `${e.service}\u0000${e.operation ?? ''}`;
  const cmp = key === 'name' ? (a: StatsEntry, b: StatsEntry) => name(a).localeCompare(name(b)) : (a: StatsEntry, b: StatsEntry) => b[key] - a[key] || name(a).localeCompare(name(b));
  return [...entries].sort((a, b) => dir * cmp(a, b));
}

/** A filter query for a service (exact) or one of its operations (exact), in src/core/traces/search.ts syntax. */
export function statsQuery(e: StatsEntry): string {
  const q = (s: string): string => `"${s.replace(/"/g, '')}"`;
  return e.operation === undefined ? `service:${q(e.service)}` : `service:${q(e.service)} op:${q(e.operation)}`;
}

