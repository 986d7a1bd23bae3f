/**
 * Trace and span IDs: canonical form is lower-case hex, 32 chars for trace IDs and 16 for span IDs
 * (docs: ../shared/reference/trace-apis.md §0, normalisation rules 1–3).
 */

const hexRe = /^[0-9a-fA-F]+$/;
const base64Re = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Left-pads hex to `chars` and lower-cases it; undefined if it is not hex or longer than `chars`. */
export function normalizeHex(raw: string, chars: 16 | 32): string | undefined {
  if (raw.length === 0 || raw.length > chars || !hexRe.test(raw)) return undefined;
  return raw.toLowerCase().padStart(chars, '0');
}

/** Decodes standard or URL-safe base64 (padded or not) to lower-case hex; undefined if it is not base64. */
export function base64ToHex(raw: string): string | undefined {
  if (!base64Re.test(raw)) return undefined;
  const std = raw.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const bytes = Buffer.from(std, 'base64');
  // Buffer.from is lenient: reject input whose round trip differs (stray characters were dropped).
  if (bytes.toString('base64').replace(/=+$/, '') !== std) return undefined;
  return bytes.toString('hex');
}

/**
 * Decodes an ID from a trace body. `encoding` is the per-source rule (Tempo → base64; OTLP files, Jaeger,
 * Zipkin → hex); `auto` is for unknown sources: hex when it looks like 16 or 32 hex chars, else base64.
 */
export function decodeId(raw: unknown, chars: 16 | 32, encoding: 'hex' | 'base64' | 'auto' = 'auto'): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0) return undefined;
  if (encoding === 'hex') return normalizeHex(raw, chars);
  if (encoding === 'base64') {
    const hex = base64ToHex(raw);
    return hex !== undefined && hex.length > 0 && hex.length <= chars ? hex.padStart(chars, '0') : undefined;
  }
  // auto: full-length hex is hex; something that decodes as base64 to exactly the ID's byte length is base64;
  // any other hex (a short Jaeger/Zipkin ID) is left-padded hex.
  if (raw.length === chars) {
    const lower = hexLower(raw);
    if (lower !== undefined) return lower;
  }
  const hex = base64ToHex(raw);
  if (hex !== undefined && hex.length === chars) return hex;
  return normalizeHex(raw, chars);
}

/**
 * `raw` in lower case if every character is a hex digit, else undefined. The common case (already lower-case hex,
 * as every OTLP exporter writes it) returns `raw` itself, without allocating a copy per span.
 */
function hexLower(raw: string): string | undefined {
  let upper = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else return undefined;
  }
  return upper ? raw.toLowerCase() : raw;
}

/** What the user pasted, and what was understood. */
export type TraceIdInput =
  | { readonly ok: true; readonly traceId: string; readonly from: TraceIdSource; readonly spanId?: string }
  | { readonly ok: false; readonly message: string };

export type TraceIdSource = 'hex' | 'traceparent' | 'jaeger-url' | 'zipkin-url' | 'tempo-url' | 'grafana-link' | 'exemplar';

/**
 * Understands what an on-call engineer pastes: a 16/32-hex trace ID, a W3C `traceparent` value, a Jaeger
 * `/trace/<id>` URL, a Zipkin `/traces/<id>` URL, a Tempo `/api/traces/<id>` URL, a Grafana Explore link
 * (`left=` or `panes=` JSON), or an exemplar (`{trace_id="…"}` / `trace_id=…`). Never throws.
 */
export function parseTraceIdInput(input: string, traceIdLabels: readonly string[] = defaultTraceIdLabels): TraceIdInput {
  const text = input.trim();
  if (text.length === 0) return { ok: false, message: 'Paste a trace ID (16 or 32 hex characters), a traceparent, or a Jaeger/Grafana link.' };

  const tp = /^(?:traceparent\s*[:=]\s*)?([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/i.exec(text);
  if (tp?.[2] && tp[3]) {
    if (/^0+$/.test(tp[2])) return { ok: false, message: 'This traceparent has an all-zero trace ID, which is invalid.' };
    return { ok: true, traceId: tp[2].toLowerCase(), spanId: tp[3].toLowerCase(), from: 'traceparent' };
  }

  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith('/')) return fromUrl(text, traceIdLabels);

  const exemplar = fromExemplar(text, traceIdLabels);
  if (exemplar) return exemplar;

  return fromBareId(text);
}

export const defaultTraceIdLabels: readonly string[] = ['trace_id', 'traceID', 'traceId', 'TraceID'];

function fromBareId(text: string): TraceIdInput {
  if (!hexRe.test(text)) {
    const bad = [...text].find((ch) => !/[0-9a-fA-F]/.test(ch)) ?? '';
    return { ok: false, message: `A trace ID is hexadecimal: "${bad}" is not a hex digit.` };
  }
  if (text.length !== 16 && text.length !== 32) {
    return { ok: false, message: `A trace ID has 16 or 32 hex characters; this has ${text.length}.` };
  }
  if (/^0+$/.test(text)) return { ok: false, message: 'An all-zero trace ID is invalid.' };
  return { ok: true, traceId: text.toLowerCase().padStart(32, '0'), from: 'hex' };
}

function fromExemplar(text: string, labels: readonly string[]): TraceIdInput | undefined {
  for (const label of labels) {
    const re = new RegExp(`(?:^|[{,\\s])${label}\\s*[=:]\\s*"?([0-9a-fA-F]{16,32})"?`);
    const m = re.exec(text);
    if (m?.[1]) {
      const r = fromBareId(m[1]);
      return r.ok ? { ...r, from: 'exemplar' } : r;
    }
  }
  return undefined;
}

function fromUrl(text: string, labels: readonly string[]): TraceIdInput {
  let url: URL;
  try {
    url = new URL(text, 'http://localhost');
  } catch {
    return { ok: false, message: 'This looks like a link but is not a valid URL.' };
  }
  const path = decodeURIComponent(url.pathname);
  const byPath: readonly [RegExp, TraceIdSource][] = [
    [/\/api\/(?:v2\/)?traces\/([^/]+)\/?$/, 'tempo-url'],
    [/\/api\/v3\/traces\/([^/]+)\/?$/, 'tempo-url'],
    [/\/zipkin\/traces\/([^/]+)\/?$/, 'zipkin-url'],
    [/\/traces\/([0-9a-fA-F]{16,32})\/?$/, 'zipkin-url'],
    [/\/trace\/([^/]+)\/?$/, 'jaeger-url'],
  ];
  for (const [re, from] of byPath) {
    const m = re.exec(path);
    if (m?.[1]) {
      const r = fromBareId(m[1]);
      return r.ok ? { ...r, from } : { ok: false, message: `The link's ${from === 'jaeger-url' ? '/trace/' : 'traces'} segment "${m[1]}" is not a trace ID: ${r.message}` };
    }
  }
  // Grafana Explore: `left=<json>` (old) or `panes=<json>` (new); the trace ID is a query of a Tempo/Jaeger/Zipkin pane.
  for (const param of ['panes', 'left', 'right']) {
    const raw = url.searchParams.get(param);
    if (!raw) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue;
    }
    const found = findIdInJson(json, 0);
    if (found) {
      const r = fromBareId(found);
      if (r.ok) return { ...r, from: 'grafana-link' };
    }
  }
  for (const key of ['traceId', 'traceID', 'trace_id', 'uiFind', 'query', 'var-traceId', 'var-trace_id']) {
    const v = url.searchParams.get(key);
    if (v && /^[0-9a-fA-F]{16,32}$/.test(v.trim())) {
      const r = fromBareId(v.trim());
      if (r.ok) return { ...r, from: key === 'uiFind' ? 'jaeger-url' : 'grafana-link' };
    }
  }
  const exemplar = fromExemplar(decodeURIComponent(url.search), labels);
  if (exemplar?.ok) return exemplar;
  return { ok: false, message: 'No trace ID found in this link (expected /trace/<id>, a Grafana Explore link with a trace query, or a traceparent).' };
}

/** Depth-limited search of a Grafana pane state for a `query`/`traceId` string holding a trace ID. */
function findIdInJson(value: unknown, depth: number): string | undefined {
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const hit = typeof v === 'string' ? idLike(v) : findIdInJson(v, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  for (const key of ['query', 'traceId', 'traceID', 'expr']) {
    const v = obj[key];
    if (typeof v === 'string' && idLike(v)) return idLike(v);
  }
  for (const v of Object.values(obj)) {
    if (typeof v === 'object') {
      const hit = findIdInJson(v, depth + 1);
      if (hit) return hit;
    }
  }
  return undefined;
}

function idLike(s: string): string | undefined {
  const t = s.trim();
  return /^[0-9a-fA-F]{16}$|^[0-9a-fA-F]{32}$/.test(t) ? t : undefined;
}

/**
 * The first 8 hex digits of a trace ID for titles and messages; for a 64-bit ID padded to 32 (16 leading zeros) the
 * first 8 of its significant half, since "00000000" tells traces apart no better than nothing.
 */
export function shortTraceId(traceId: string): string {
  return traceId.length === 32 && traceId.startsWith('0000000000000000') ? traceId.slice(16, 24) : traceId.slice(0, 8);
}
