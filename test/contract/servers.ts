/**
 * Loopback HTTP servers that answer like Jaeger (v1 and v3), Tempo (v1 and v2) and Zipkin v2 — routes, status codes,
 * content types and error bodies as in ../shared/reference/trace-apis.md (§0–3; upstream sources named there) — so
 * the backend clients can be tested without the real servers, none of which can be installed here (§7.1).
 *
 * The traces served are real OpenTelemetry JS SDK output (test/fixtures/backends, written by
 * scripts/gen-backend-payloads.mjs), or OTLP generated at test time; Jaeger and Tempo shapes are derived by the
 * documented mapping rules (./convert.ts), Zipkin is the real exporter's capture when there is one.
 *
 * Used by the unit tests (plain Node) and by the extension-host tests (inside VS Code): no `vscode`, no mocha.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendKind } from '../../src/core/backends/types';
import type { FlatSpan, OtlpDoc } from './convert';
import { flatten, jaegerEnvelope, toJaegerTrace, toJaegerV3, toTempoResourceSpans, toZipkin, zipkinTraceId } from './convert';

export type ContractKind = BackendKind;

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** Path without the base path. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: http.IncomingHttpHeaders;
}

/** Ways a server (or what stands in front of it) misbehaves, for the failure tests. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly body?: string; readonly contentType?: string }
  | { readonly kind: 'html-login' }
  | { readonly kind: 'drip'; readonly everyMs?: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'huge'; readonly bytes: number; readonly contentLength: boolean };

export interface ContractServerOptions {
  /** The traces held (OTLP/JSON); default the committed fixture (test/fixtures/backends/otlp.json). */
  readonly otlp?: OtlpDoc | readonly OtlpDoc[];
  /** Zipkin spans as the real exporter wrote them; default the fixture's capture when `otlp` is the fixture. */
  readonly zipkin?: readonly unknown[];
  /** A path prefix, like a query service run with `--query.base-path=/jaeger`. */
  readonly basePath?: string;
  /** Tempo multi-tenancy: `X-Scope-OrgID` required (401 "no org id" without it) and traces live in this tenant. */
  readonly tenant?: string;
  /** An `Authorization` header value required (as a proxy in front would): 401 otherwise. */
  readonly authorization?: string;
  /** Tempo v2: these trace IDs (or all) are answered with `status: "PARTIAL"` and a message. */
  readonly partial?: readonly string[] | 'all';
  readonly fault?: Fault | ((req: RecordedRequest) => Fault | undefined);
}

export interface ContractServer {
  readonly kind: ContractKind;
  /** Base URL including the base path, e.g. `http://127.0.0.1:41234/jaeger`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** IDs of the traces held (32 lower-case hex). */
  readonly traceIds: readonly string[];
  close(): Promise<void>;
}

/** The repository root, from out/test/contract (unit tests) or out/test/suite (extension-host tests). */
const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const fixtureDir = path.join(repoRoot, 'test', 'fixtures', 'backends');

export function loadFixture(): { otlp: OtlpDoc; zipkin: unknown[] } {
  return {
    otlp: JSON.parse(fs.readFileSync(path.join(fixtureDir, 'otlp.json'), 'utf8')) as OtlpDoc,
    zipkin: JSON.parse(fs.readFileSync(path.join(fixtureDir, 'zipkin.json'), 'utf8')) as unknown[],
  };
}

/**
 * The fixture moved in time so that its earliest span starts `agoMs` before `nowMs`: for tests that send a real
 * lookback window ("the last 24 h"), which must keep passing long after the day the fixture was generated. OTLP
 * times (ns strings) and Zipkin times (µs numbers) move by the same amount.
 */
export function recentFixture(nowMs = Date.now(), agoMs = 60 * 60 * 1000): { otlp: OtlpDoc; zipkin: unknown[] } {
  const { otlp, zipkin } = loadFixture();
  let earliest: bigint | undefined;
  for (const f of flatten(otlp)) {
    const t = BigInt(f.span.startTimeUnixNano);
    if (earliest === undefined || t < earliest) earliest = t;
  }
  const deltaNs = BigInt(nowMs - agoMs) * 1_000_000n - (earliest ?? 0n);
  const moveNs = (v: unknown): unknown => (typeof v === 'string' || typeof v === 'number' ? String(BigInt(v) + deltaNs) : v);
  const moveUs = (v: unknown): unknown => (typeof v === 'number' ? v + Number(deltaNs / 1000n) : v);
  for (const f of flatten(otlp)) {
    const span = f.span as unknown as Record<string, unknown>;
    span['startTimeUnixNano'] = moveNs(span['startTimeUnixNano']);
    span['endTimeUnixNano'] = moveNs(span['endTimeUnixNano']);
    for (const e of (span['events'] as Record<string, unknown>[] | undefined) ?? []) e['timeUnixNano'] = moveNs(e['timeUnixNano']);
  }
  for (const z of zipkin as Record<string, unknown>[]) {
    z['timestamp'] = moveUs(z['timestamp']);
    for (const a of (z['annotations'] as Record<string, unknown>[] | undefined) ?? []) a['timestamp'] = moveUs(a['timestamp']);
  }
  return { otlp, zipkin };
}

// TypeScript compiles `import()` to `require()` under CommonJS, which cannot load an ES module with top-level await.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** One trace of `spans` spans from the real OpenTelemetry SDK (scripts/gen-large-trace.mjs), seeded. */
export async function generateOtlp(spans: number, seed = 1): Promise<OtlpDoc> {
  const mod = (await importEsm(pathToFileURL(path.join(repoRoot, 'scripts', 'gen-large-trace.mjs')).href)) as { generateLargeTrace: (o: { spans: number; seed: number }) => Promise<string> };
  return JSON.parse(await mod.generateLargeTrace({ spans, seed })) as OtlpDoc;
}

interface HeldTrace {
  readonly id: string;
  readonly spans: readonly FlatSpan[];
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly root: FlatSpan | undefined;
  readonly zipkin: readonly unknown[];
}

function hold(docs: readonly OtlpDoc[], zipkin: readonly unknown[] | undefined): Map<string, HeldTrace> {
  const byId = new Map<string, FlatSpan[]>();
  for (const doc of docs) {
    for (const f of flatten(doc)) {
      const id = f.span.traceId.toLowerCase();
      let list = byId.get(id);
      if (!list) byId.set(id, (list = []));
      list.push(f);
    }
  }
  const captured = new Map<string, unknown[]>();
  for (const z of zipkin ?? []) {
    const id = String((z as { traceId?: unknown }).traceId ?? '').padStart(32, '0');
    let list = captured.get(id);
    if (!list) captured.set(id, (list = []));
    list.push(z);
  }
  const out = new Map<string, HeldTrace>();
  for (const [id, spans] of byId) {
    let startNs = BigInt(spans[0]?.span.startTimeUnixNano ?? 0);
    let endNs = startNs;
    for (const f of spans) {
      const s = BigInt(f.span.startTimeUnixNano);
      const e = BigInt(f.span.endTimeUnixNano);
      if (s < startNs) startNs = s;
      if (e > endNs) endNs = e;
    }
    const root = spans.find((f) => !f.span.parentSpanId);
    // Zipkin stores a 128-bit ID with a zero high half as 64-bit and answers with 16 chars.
    const z = (captured.get(id) ?? toZipkin(spans)).map((s) => ({ ...(s as Record<string, unknown>), traceId: zipkinTraceId(String((s as { traceId: string }).traceId)) }));
    out.set(id, { id, spans, startNs, endNs, root, zipkin: z });
  }
  return out;
}

/** Starts a contract server of `kind` on 127.0.0.1 (a free port). */
export async function startContractServer(kind: ContractKind, options: ContractServerOptions = {}): Promise<ContractServer> {
  const fixture = options.otlp === undefined ? loadFixture() : undefined;
  const docs = fixture ? [fixture.otlp] : Array.isArray(options.otlp) ? (options.otlp as readonly OtlpDoc[]) : [options.otlp as OtlpDoc];
  const traces = hold(docs, options.zipkin ?? fixture?.zipkin);
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const rendered = new Map<string, string>();

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const rel = basePath && u.pathname.startsWith(basePath) ? u.pathname.slice(basePath.length) || '/' : basePath ? '' : u.pathname;
    const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '', path: rel, query: Object.fromEntries(u.searchParams), headers: req.headers };
    requests.push(recorded);
    const fault = typeof options.fault === 'function' ? options.fault(recorded) : options.fault;
    if (fault) return void applyFault(fault, res, timers);
    if (options.authorization !== undefined && req.headers.authorization !== options.authorization) {
      return void res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="traces"' }).end('Unauthorized\n');
    }
    if (rel === '') return void goError(res, 404, '404 page not found');
    const ctx: Ctx = { kind, traces, rendered, options, req: recorded, res };
    try {
      route(ctx);
    } catch (e) {
      goError(res, 500, `contract server: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    kind,
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    traceIds: [...traces.keys()],
    close: () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

interface Ctx {
  readonly kind: ContractKind;
  readonly traces: Map<string, HeldTrace>;
  /** Rendered trace-by-ID bodies, so a 100k-span trace is converted and serialized once, not per request. */
  readonly rendered: Map<string, string>;
  readonly options: ContractServerOptions;
  readonly req: RecordedRequest;
  readonly res: http.ServerResponse;
}

function applyFault(fault: Fault, res: http.ServerResponse, timers: Set<NodeJS.Timeout>): void {
  switch (fault.kind) {
    case 'status':
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/plain; charset=utf-8' }).end(fault.body ?? '');
      return;
    case 'html-login':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html>\n<html><head><title>Sign in · Example SSO</title></head><body><form method="post" action="/oauth2/sign_in"><input name="username"><input type="password" name="password"></form></body></html>\n');
      return;
    case 'drip': {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const t = setInterval(() => res.write(' '), fault.everyMs ?? 200);
      timers.add(t);
      res.on('close', () => {
        clearInterval(t);
        timers.delete(t);
      });
      return;
    }
    case 'hang':
      return;
    case 'huge': {
      res.writeHead(200, { 'content-type': 'application/json', ...(fault.contentLength ? { 'content-length': String(fault.bytes) } : {}) });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < fault.bytes && !res.destroyed) {
          const n = Math.min(chunk.length, fault.bytes - sent);
          sent += n;
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
      return;
    }
  }
}

/** Go's `http.Error`: text/plain, nosniff, the message and a newline — also how Jaeger sends its JSON errors. */
function goError(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(`${body}\n`);
}

function json(res: http.ServerResponse, body: unknown): void {
  sendJson(res, JSON.stringify(body));
}

function sendJson(res: http.ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }).end(text);
}

/** The body for trace `id` in this server's shape, rendered once. */
function cachedJson(ctx: Ctx, key: string, render: () => unknown): void {
  let text = ctx.rendered.get(key);
  if (text === undefined) ctx.rendered.set(key, (text = JSON.stringify(render())));
  sendJson(ctx.res, text);
}

function route(ctx: Ctx): void {
  switch (ctx.kind) {
    case 'jaeger':
      return jaegerV1(ctx);
    case 'jaeger-v3':
      return jaegerV3(ctx);
    case 'tempo':
    case 'tempo-v2':
      return tempo(ctx);
    case 'zipkin':
      return zipkin(ctx);
  }
}

// ---- Jaeger v1 (http_handler.go) ---------------------------------------------------------------------------------

function jaegerV1Error(res: http.ServerResponse, status: number, msg: string): void {
  goError(res, status, JSON.stringify({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg }] }));
}

/** jaeger-idl TraceIDFromString: hex, at most 32 chars. */
function jaegerParseId(raw: string): { id: string } | { error: string } {
  if (raw.length > 32) return { error: `TraceID cannot be longer than 32 hex characters: ${raw}` };
  if (!/^[0-9a-fA-F]+$/.test(raw)) return { error: `strconv.ParseUint: parsing ${JSON.stringify(raw)}: invalid syntax` };
  return { id: raw.toLowerCase().padStart(32, '0') };
}

function jaegerV1(ctx: Ctx): void {
  const { req, res, traces } = ctx;
  const byId = /^\/api\/traces\/([^/]+)$/.exec(req.path);
  if (byId?.[1]) {
    const parsed = jaegerParseId(decodeURIComponent(byId[1]));
    if ('error' in parsed) return jaegerV1Error(res, 400, parsed.error);
    const start = numberParam(req.query['start']);
    const end = numberParam(req.query['end']);
    const t = traces.get(parsed.id);
    if (!t || !inWindow(t, start !== undefined ? BigInt(start) * 1000n : undefined, end !== undefined ? BigInt(end) * 1000n : undefined)) return jaegerV1Error(res, 404, 'trace not found');
    return cachedJson(ctx, t.id, () => jaegerEnvelope([toJaegerTrace(t.spans)]));
  }
  if (req.path === '/api/traces') {
    const service = req.query['service'];
    if (!service) return jaegerV1Error(res, 400, "parameter 'service' is required");
    const minDuration = req.query['minDuration'] ? goDurationNs(req.query['minDuration']) : undefined;
    if (minDuration === null) return jaegerV1Error(res, 400, `time: invalid duration ${JSON.stringify(req.query['minDuration'])}`);
    const found = search(traces, {
      service,
      operation: req.query['operation'],
      startNs: microsParam(req.query['start']),
      endNs: microsParam(req.query['end']),
      minDurationNs: minDuration,
      limit: numberParam(req.query['limit']) ?? 100,
    });
    return json(res, { ...jaegerEnvelope(found.map((t) => toJaegerTrace(t.spans))), total: found.length });
  }
  if (req.path === '/api/services') {
    const names = services(traces);
    return json(res, { ...jaegerEnvelope(names), total: names.length });
  }
  const ops = /^\/api\/services\/([^/]+)\/operations$/.exec(req.path);
  if (ops?.[1]) {
    const names = operations(traces, decodeURIComponent(ops[1]));
    return json(res, { ...jaegerEnvelope(names), total: names.length });
  }
  goError(res, 404, '404 page not found');
}

// ---- Jaeger v3 (apiv3/http_gateway.go, query_parser.go) ---------------------------------------------------------------

function v3Error(res: http.ServerResponse, status: number, message: string): void {
  goError(res, status, JSON.stringify({ error: { httpCode: status, message } }));
}

/** The canonical camelCase parameter, else its deprecated snake_case alias (query_parser.go getQueryParam). */
function v3Param(q: Readonly<Record<string, string>>, canonical: string, deprecated: string): [string | undefined, string] {
  if (q[canonical]) return [q[canonical], canonical];
  return [q[deprecated] || undefined, deprecated];
}

function rfc3339Ns(v: string | undefined, name: string): bigint | undefined | { error: string } {
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(v) || Number.isNaN(ms)) return { error: `malformed parameter ${name}: parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05.999999999Z07:00": cannot parse` };
  return BigInt(ms) * 1_000_000n;
}

function jaegerV3(ctx: Ctx): void {
  const { req, res, traces } = ctx;
  const byId = /^\/api\/v3\/traces\/([^/]+)$/.exec(req.path);
  if (byId?.[1]) {
    const raw = decodeURIComponent(byId[1]);
    // Hex (jaeger-idl) or base64 std/url, padded or not (http_gateway.go TraceIDFromString).
    let id: string | undefined = /^[0-9a-fA-F]{1,32}$/.test(raw) ? raw.toLowerCase().padStart(32, '0') : undefined;
    if (!id && /^[A-Za-z0-9+/_-]{22}={0,2}$/.test(raw)) id = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('hex');
    if (!id) return v3Error(res, 400, `malformed parameter trace_id: strconv.ParseUint: parsing ${JSON.stringify(raw)}: invalid syntax`);
    const [startRaw, startName] = v3Param(req.query, 'startTime', 'start_time');
    const [endRaw, endName] = v3Param(req.query, 'endTime', 'end_time');
    const start = rfc3339Ns(startRaw, startName);
    const end = rfc3339Ns(endRaw, endName);
    if (typeof start === 'object') return v3Error(res, 400, start.error);
    if (typeof end === 'object') return v3Error(res, 400, end.error);
    const t = traces.get(id);
    if (!t || !inWindow(t, start, end)) return v3Error(res, 404, 'No traces found');
    return cachedJson(ctx, t.id, () => toJaegerV3(t.spans));
  }
  if (req.path === '/api/v3/traces') {
    const q = req.query;
    const [minRaw, minName] = v3Param(q, 'query.startTimeMin', 'query.start_time_min');
    const [maxRaw, maxName] = v3Param(q, 'query.startTimeMax', 'query.start_time_max');
    if (!minRaw || !maxRaw) return v3Error(res, 400, 'query.start_time_min and query.start_time_max are required');
    const startNs = rfc3339Ns(minRaw, minName);
    const endNs = rfc3339Ns(maxRaw, maxName);
    if (typeof startNs === 'object') return v3Error(res, 400, startNs.error);
    if (typeof endNs === 'object') return v3Error(res, 400, endNs.error);
    const [durRaw, durName] = v3Param(q, 'query.durationMin', 'query.duration_min');
    const minDurationNs = durRaw ? goDurationNs(durRaw) : undefined;
    if (minDurationNs === null) return v3Error(res, 400, `malformed parameter ${durName}: time: invalid duration ${JSON.stringify(durRaw)}`);
    const depth = v3Param(q, 'query.searchDepth', 'query.search_depth')[0] ?? q['query.num_traces'];
    const found = search(traces, { service: v3Param(q, 'query.serviceName', 'query.service_name')[0] ?? '', operation: v3Param(q, 'query.operationName', 'query.operation_name')[0], startNs, endNs, minDurationNs, limit: numberParam(depth) ?? 20 });
    if (found.length === 0) return v3Error(res, 404, 'No traces found');
    return json(res, toJaegerV3(found.flatMap((t) => t.spans)));
  }
  if (req.path === '/api/v3/services') return json(res, { services: services(traces) });
  if (req.path === '/api/v3/operations') {
    const service = req.query['service'] ?? '';
    const kinds = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
    const seen = new Map<string, string>();
    for (const t of traces.values()) for (const f of t.spans) if (f.service === service && !seen.has(f.span.name)) seen.set(f.span.name, kinds[f.span.kind ?? 1] || 'internal');
    return json(res, { operations: [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([name, spanKind]) => ({ name, spanKind })) });
  }
  goError(res, 404, '404 page not found');
}

// ---- Tempo (api_docs/_index.md, pkg/api/http.go, combiner/trace_by_id*.go, pkg/util/traceid.go) ------------------

/** hexStringToID: hex only (case-insensitive), at most 32 chars, odd lengths left-padded. */
function tempoParseId(raw: string): { id: string } | { error: string } {
  if (raw.length > 32) return { error: `trace IDs can't be larger than 128 bits` };
  const bad = [...raw].findIndex((c) => !/[0-9a-fA-F]/.test(c));
  if (bad >= 0) return { error: `trace IDs can only contain hex characters: invalid character '${raw[bad]}' at position ${bad + 1}` };
  return { id: raw.toLowerCase().padStart(32, '0') };
}

function tempo(ctx: Ctx): void {
  const { req, res, traces, options, kind } = ctx;
  // dskit's HTTP auth middleware when multitenancy_enabled: no header → 401 "no org id".
  const org = req.headers['x-scope-orgid'];
  if (options.tenant !== undefined && !org) return goError(res, 401, 'no org id');
  const held = options.tenant !== undefined && org !== options.tenant ? new Map<string, HeldTrace>() : traces;
  const byId = /^\/api\/(v2\/)?traces\/([^/]+)$/.exec(req.path);
  if (byId?.[2]) {
    const v2 = byId[1] !== undefined;
    const parsed = tempoParseId(decodeURIComponent(byId[2]));
    if ('error' in parsed) return goError(res, 400, parsed.error);
    const start = numberParam(req.query['start']);
    const end = numberParam(req.query['end']);
    const t = held.get(parsed.id);
    // Not found: 404 with an empty body (v1 and v2; trace_by_id_v2_test "HTTPFinal returns 404 with empty body").
    if (!t || !inWindow(t, start !== undefined ? BigInt(start) * 1_000_000_000n : undefined, end !== undefined ? BigInt(end) * 1_000_000_000n : undefined)) return void res.writeHead(404, { 'content-length': '0' }).end();
    if (!v2) return cachedJson(ctx, `v1 ${t.id}`, () => ({ batches: toTempoResourceSpans(t.spans) })); // MarshalToJSONV1 keeps the pre-2.6 field name
    const partial = options.partial === 'all' || (Array.isArray(options.partial) && options.partial.includes(parsed.id));
    return cachedJson(ctx, `v2 ${t.id} ${partial}`, () => ({ trace: { resourceSpans: toTempoResourceSpans(t.spans) }, metrics: {}, ...(partial ? { status: 'PARTIAL', message: 'Response exceeds the max bytes limit of 5000000 bytes; the trace is truncated (max_bytes_per_trace).' } : {}) }));
  }
  if (kind === 'tempo' || kind === 'tempo-v2') {
    if (req.path === '/api/search') return tempoSearch(req, res, held);
    if (req.path === '/api/v2/search/tag/resource.service.name/values' || req.path === '/api/search/tag/service.name/values') {
      const names = services(held);
      return json(res, { tagValues: req.path.startsWith('/api/v2') ? names.map((value) => ({ type: 'string', value })) : names, metrics: {} });
    }
    if (req.path === '/api/v2/search/tag/name/values') {
      const service = /resource\.service\.name\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(req.query['q'] ?? '')?.[1]?.replace(/\\(.)/g, '$1');
      const names = service !== undefined ? operations(held, service) : [...new Set([...held.values()].flatMap((t) => t.spans.map((f) => f.span.name)))].sort();
      return json(res, { tagValues: names.map((value) => ({ type: 'string', value })), metrics: {} });
    }
  }
  goError(res, 404, '404 page not found');
}

/** The TraceQL this server understands: `{ cond && cond … }` with the three conditions the client writes. */
function parseTraceQl(q: string): { service?: string; operation?: string; minDurationNs?: bigint } | undefined {
  const m = /^\s*\{(.*)\}\s*$/.exec(q);
  if (!m?.[1]) return undefined;
  const out: { service?: string; operation?: string; minDurationNs?: bigint } = {};
  for (const part of m[1].split('&&').map((p) => p.trim()).filter(Boolean)) {
    const str = /^(resource\.service\.name|name)\s*=\s*"((?:[^"\\]|\\.)*)"$/.exec(part);
    if (str?.[1] && str[2] !== undefined) {
      const value = str[2].replace(/\\(.)/g, '$1');
      if (str[1] === 'name') out.operation = value;
      else out.service = value;
      continue;
    }
    const dur = /^traceDuration\s*>=\s*(\S+)$/.exec(part);
    const ns = dur?.[1] ? goDurationNs(dur[1]) : null;
    if (ns === null || ns === undefined) return undefined;
    out.minDurationNs = ns;
  }
  return out;
}

function tempoSearch(req: RecordedRequest, res: http.ServerResponse, traces: Map<string, HeldTrace>): void {
  const q = req.query['q'] ?? '{}';
  const parsed = parseTraceQl(q);
  if (!parsed) return goError(res, 400, `invalid TraceQL query: parse error at line 1, col 1: syntax error: ${q}`);
  const start = numberParam(req.query['start']);
  const end = numberParam(req.query['end']);
  const found = search(traces, {
    service: parsed.service ?? '',
    operation: parsed.operation,
    startNs: start !== undefined ? BigInt(start) * 1_000_000_000n : undefined,
    endNs: end !== undefined ? BigInt(end) * 1_000_000_000n : undefined,
    minDurationNs: parsed.minDurationNs,
    limit: numberParam(req.query['limit']) ?? 20,
  });
  json(res, {
    traces: found.map((t) => {
      const matched = t.spans.filter((f) => (!parsed.service || f.service === parsed.service) && (!parsed.operation || f.span.name === parsed.operation));
      const stats: Record<string, { spanCount: number; errorCount?: number }> = {};
      for (const f of t.spans) {
        const s = (stats[f.service] ??= { spanCount: 0 });
        s.spanCount++;
        if (f.span.status?.code === 2) s.errorCount = (s.errorCount ?? 0) + 1;
      }
      const durationMs = Number((t.endNs - t.startNs) / 1_000_000n);
      return {
        // Tempo's search results print the ID without leading zeros (the gist and docs samples show 30- and 16-char IDs).
        traceID: t.id.replace(/^0+/, ''),
        rootServiceName: t.root?.service ?? '<root span not yet received>',
        ...(t.root ? { rootTraceName: t.root.span.name } : {}),
        startTimeUnixNano: String(t.startNs),
        ...(durationMs > 0 ? { durationMs } : {}),
        spanSets: [{ spans: matched.slice(0, 3).map((f) => ({ spanID: f.span.spanId, startTimeUnixNano: f.span.startTimeUnixNano, durationNanos: String(BigInt(f.span.endTimeUnixNano) - BigInt(f.span.startTimeUnixNano)), attributes: [{ key: 'service.name', value: { stringValue: f.service } }] })), matched: matched.length }],
        serviceStats: stats,
      };
    }),
    metrics: { inspectedTraces: traces.size, inspectedBytes: '1024', totalBlocks: 1 },
  });
}

// ---- Zipkin v2 (ZipkinQueryApiV2.java, zipkin2.Span.normalizeTraceId) -------------------------------------------

function zipkin(ctx: Ctx): void {
  const { req, res, traces } = ctx;
  const plain = (status: number, body: string): void => void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  const byId = /^\/api\/v2\/trace\/([^/]+)$/.exec(req.path);
  if (byId?.[1]) {
    const raw = decodeURIComponent(byId[1]);
    if (!/^[0-9a-f]+$/.test(raw)) return plain(400, `${raw} should be lower-hex encoded with no prefix`);
    if (raw.length > 32) return plain(400, `traceId.length > 32: ${raw}`);
    const id = raw.padStart(raw.length > 16 ? 32 : 16, '0').padStart(32, '0');
    const t = traces.get(id);
    if (!t) return plain(404, `${raw} not found`);
    return cachedJson(ctx, t.id, () => t.zipkin);
  }
  if (req.path === '/api/v2/traces') {
    const endMs = numberParam(req.query['endTs']) ?? Date.now();
    const lookbackMs = numberParam(req.query['lookback']) ?? 86_400_000;
    const minUs = numberParam(req.query['minDuration']);
    const found = search(traces, {
      service: req.query['serviceName'] ?? '',
      operation: req.query['spanName'],
      startNs: BigInt(Math.round(endMs - lookbackMs)) * 1_000_000n,
      endNs: BigInt(Math.round(endMs)) * 1_000_000n,
      minDurationNs: minUs !== undefined ? BigInt(minUs) * 1000n : undefined,
      limit: numberParam(req.query['limit']) ?? 10,
    });
    return json(res, found.map((t) => t.zipkin));
  }
  if (req.path === '/api/v2/services') return json(res, services(traces));
  if (req.path === '/api/v2/spans') {
    if (!req.query['serviceName']) return plain(400, 'serviceName is required');
    return json(res, operations(traces, req.query['serviceName']));
  }
  plain(404, 'Not Found');
}

// ---- shared ----------------------------------------------------------------------------------------------------------

function numberParam(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function microsParam(v: string | undefined): bigint | undefined {
  const n = numberParam(v);
  return n === undefined ? undefined : BigInt(Math.round(n)) * 1000n;
}

/** Go's time.ParseDuration for the forms clients send ("250ms", "1.5s", "100us"); null when unreadable. */
export function goDurationNs(v: string): bigint | null {
  const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(v.trim());
  if (!m?.[1] || !m[2]) return null;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  return BigInt(Math.round(Number(m[1]) * (unit[m[2]] ?? 1)));
}

/** A trace is in [start, end] when it starts inside it (how the stores index traces by start time). */
function inWindow(t: HeldTrace, startNs: bigint | undefined, endNs: bigint | undefined): boolean {
  return (startNs === undefined || t.startNs >= startNs) && (endNs === undefined || t.startNs <= endNs);
}

function search(
  traces: Map<string, HeldTrace>,
  q: { service: string; operation?: string | undefined; startNs?: bigint | undefined; endNs?: bigint | undefined; minDurationNs?: bigint | undefined; limit: number },
): HeldTrace[] {
  return [...traces.values()]
    .filter((t) => t.spans.some((f) => (!q.service || f.service === q.service) && (!q.operation || f.span.name === q.operation)))
    .filter((t) => inWindow(t, q.startNs, q.endNs))
    .filter((t) => q.minDurationNs === undefined || t.endNs - t.startNs >= q.minDurationNs)
    .sort((a, b) => (a.startNs > b.startNs ? -1 : a.startNs < b.startNs ? 1 : 0)) // most recent first, like the stores
    .slice(0, Math.max(1, q.limit));
}

function services(traces: Map<string, HeldTrace>): string[] {
  return [...new Set([...traces.values()].flatMap((t) => t.spans.map((f) => f.service)))].sort();
}

function operations(traces: Map<string, HeldTrace>, service: string): string[] {
  return [...new Set([...traces.values()].flatMap((t) => t.spans.filter((f) => f.service === service).map((f) => f.span.name)))].sort();
}
