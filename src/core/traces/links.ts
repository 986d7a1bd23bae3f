/**
 * Links into VS Code: `vscode://oncall-lens.oncall-lens/trace/<id>?backend=<name>` (the scheme is `vscode-insiders`,
 * `code-oss`… per product). What a link may ask for is deliberately small: a trace ID, and the name of a backend the
 * user configured — never a URL to fetch, so a link in a chat message cannot make the editor call an arbitrary host.
 */
import { parseTraceIdInput } from './ids';

export const extensionLinkAuthority = 'oncall-lens.oncall-lens';

/** What a link's path and query ask for, or why it is not understood (for the user). */
export function parseTraceUri(uri: { path: string; query: string }): { traceId: string; source?: string } | { error: string } {
  const query = new URLSearchParams(uri.query);
  const m = /^\/trace(?:\/([^/]+))?\/?$/.exec(uri.path);
  if (!m) return { error: `On-Call Lens does not know the link path "${uri.path}" (expected /trace/<trace ID>).` };
  let raw: string;
  try {
    raw = m[1] !== undefined ? decodeURIComponent(m[1]) : (query.get('id') ?? query.get('traceId') ?? '');
  } catch {
    return { error: `The link's trace ID "${(m[1] ?? '').slice(0, 80)}" is not properly encoded.` };
  }
  // Only an ID or traceparent: a link must not smuggle in a URL for us to fetch.
  const parsed = parseTraceIdInput(raw);
  if (!parsed.ok || (parsed.from !== 'hex' && parsed.from !== 'traceparent')) {
    return { error: `The link names "${raw.slice(0, 80)}", which is not a trace ID: ${parsed.ok ? 'expected 16 or 32 hex characters.' : parsed.message}` };
  }
  const source = query.get('backend') ?? query.get('source') ?? undefined;
  return source ? { traceId: parsed.traceId, source } : { traceId: parsed.traceId };
}

/** The link that opens `traceId` (from `backend`, when given) in VS Code; `scheme` is `vscode.env.uriScheme`. */
export function traceLink(traceId: string, backend?: string, scheme = 'vscode'): string {
  return `${scheme}://${extensionLinkAuthority}/trace/${encodeURIComponent(traceId)}${backend ? `?backend=${encodeURIComponent(backend)}` : ''}`;
}
