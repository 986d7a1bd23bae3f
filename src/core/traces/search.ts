/**
 * The waterfall's filter, run on the host (which holds every span's details): a row matches when every
 * whitespace-separated term of the query is a case-insensitive substring of its search text.
 */
import type { SpanDetails, WaterfallRow } from '../../shared/protocol/waterfall';

/** The lower-cased text a query is matched against: name, service, IDs, status, attributes and resource as `key=value`, events, code. */
export function searchText(row: WaterfallRow, d: SpanDetails | undefined): string {
  const parts: string[] = [row.name, row.service, row.id, row.kind];
  if (row.statusMessage) parts.push(row.statusMessage);
  if (row.error) parts.push('error');
  if (d) {
    for (const [k, v] of d.attributes) parts.push(`${k}=${v}`);
    for (const [k, v] of d.resource) parts.push(`${k}=${v}`);
    for (const e of d.events) {
      parts.push(e.name);
      if (e.exception?.type) parts.push(e.exception.type);
      if (e.exception?.message) parts.push(e.exception.message);
    }
    if (d.code?.function) parts.push(d.code.function);
    if (d.code?.path) parts.push(d.code.path);
  }
  return parts.join('\n').toLowerCase();
}

/** Indices of the texts that contain every term of `query`; empty for a blank query. */
export function matchRows(texts: readonly string[], query: string): number[] {
  const terms = query.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
  if (terms.length === 0) return [];
  const out: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i] as string;
    if (terms.every((t) => text.includes(t))) out.push(i);
  }
  return out;
}
