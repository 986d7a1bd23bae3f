/** From something a user pastes (a URL path from a log, a full URL, `GET /x`, a gRPC method) to the records it goes to. */
import type { WireRecord } from './model';
import { matchRoutes, parseUrlPath } from './routes';

/** Handlers for a concrete URL path (or `GET /path`, a full URL) or a gRPC method (`/pkg.Service/Method`, `Service/Method`). */
export function matchWire(records: readonly WireRecord[], input: string): WireRecord[] {
  const grpc = records.filter((r) => r.kind === 'grpc');
  const g = input.trim().replace(/^\//, '');
  if (/^[\w.]+\/\w+$/.test(g)) {
    const hits = grpc.filter((r) => r.route === '/' + g || r.route?.endsWith('.' + g) || r.route?.endsWith('/' + g));
    if (hits.length > 0) return hits;
  }
  const parsed = parseUrlPath(input);
  if (!parsed) return [];
  const http = records.filter((r) => r.kind === 'http' && r.route !== undefined) as (WireRecord & { route: string })[];
  // A shadowed registration never answers: among equally good templates, the live one comes first.
  return matchRoutes(http, parsed.path, parsed.method)
    .map((m) => ({ r: m.template, score: m.score - (m.template.shadowed ? 0.01 : 0) }))
    .sort((a, b) => b.score - a.score)
    .map((m) => m.r);
}

/**
 * When no route matches the whole path: the routes that match its end, after the fewest leading segments
 * (`/ghost/api/admin/posts/7` → `GET /posts/{id}`). For routes mounted where the scan can't follow (a gateway's
 * prefix, an app a factory makes): the prefix is missing from the map, not from the request. A template must keep
 * two segments, at least one of them literal, so `/{id}` or `/` does not match every path. `dropped`: the leading
 * part of the path that no template accounts for.
 */
export function matchWireEnd(records: readonly WireRecord[], input: string): { records: WireRecord[]; dropped: string } | undefined {
  const parsed = parseUrlPath(input);
  if (!parsed) return undefined;
  const segs = parsed.path.split('/').filter((s) => s !== '');
  const http = records.filter((r) => r.kind === 'http' && r.route !== undefined && specific(r.route)) as (WireRecord & { route: string })[];
  for (let k = 1; k <= segs.length - 2; k++) {
    const hits = matchRoutes(http, '/' + segs.slice(k).join('/'), parsed.method);
    if (hits.length > 0) return { records: hits.map((h) => h.template), dropped: '/' + segs.slice(0, k).join('/') };
  }
  return undefined;
}

/** Two segments or more, one of them literal: a template specific enough to match the end of a longer path. */
function specific(route: string): boolean {
  const segs = route.split('/').filter((s) => s !== '');
  return segs.length >= 2 && segs.some((s) => !s.startsWith('{'));
}
