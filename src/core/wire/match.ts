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
