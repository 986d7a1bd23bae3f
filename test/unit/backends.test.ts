import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fetchTrace, fetchTraceBody, listOperations, listServices, searchTraces, setCredentialsCommand } from '../../src/core/backends';
import type { BackendConfig, BackendKind, FetchResult } from '../../src/core/backends';
import type { Span, Trace } from '../../src/core/traces/model';
import { attr } from '../../src/core/traces/model';
import { flatten, jaegerEnvelope, toJaegerTrace, toTempoResourceSpans } from '../contract/convert';
import type { ContractServer, ContractServerOptions } from '../contract/servers';
import { fixtureDir, generateOtlp, loadFixture, startContractServer } from '../contract/servers';

const kinds: readonly BackendKind[] = ['jaeger', 'jaeger-v3', 'tempo', 'tempo-v2', 'zipkin'];
/** Just after the fixture's traces (2026-11-23 03:06:30–03:07:30 UTC). */
const now = new Date(Date.UTC(2026, 10, 23, 3, 10, 0));
const fixture = loadFixture();
const traceIds = [...new Set(flatten(fixture.otlp).map((f) => f.span.traceId))];
const rootOf = (id: string): string => flatten(fixture.otlp).find((f) => f.span.traceId === id && !f.span.parentSpanId)?.span.name ?? '';
const errorCountOf = (id: string): number => flatten(fixture.otlp).filter((f) => f.span.traceId === id && f.span.status?.code === 2).length;
/** The slow checkout with the declined payment (12 spans), the fast one (40), and the cart (64-bit ID, 5). */
const slowId = traceIds.find((id) => rootOf(id) === 'POST /api/checkout' && errorCountOf(id) > 0) as string;
const cartId = traceIds.find((id) => id.startsWith('0000000000000000')) as string;

const servers: ContractServer[] = [];
async function start(kind: BackendKind, options?: ContractServerOptions): Promise<ContractServer> {
  const s = await startContractServer(kind, options);
  servers.push(s);
  return s;
}
const backendOf = (s: ContractServer, over: Partial<BackendConfig> = {}): BackendConfig => ({ name: `${s.kind}-prod`, kind: s.kind, url: s.url, lookbackHours: 24, ...over });

/** What must be equal across backends: the fields every format carries. */
function comparable(t: Trace): Record<string, unknown>[] {
  const code = (s: Span): Record<string, string | undefined> => {
    const out: Record<string, string | undefined> = {};
    for (const k of ['code.file.path', 'code.line.number', 'code.function.name', 'code.column.number']) {
      const v = attr(s.attributes, k);
      if (v !== undefined) out[k] = String(v);
    }
    return out;
  };
  return [...t.spans]
    .sort((a, b) => a.spanId.localeCompare(b.spanId))
    .map((s) => ({ spanId: s.spanId, parent: s.parentSpanId, name: s.name, service: s.service, error: s.status.code === 'error', code: code(s), startUs: s.startUs, durationUs: s.durationUs }));
}

describe('trace backends (contract servers)', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('the fixture derivations agree: script output = run-time conversion (Jaeger v1, Tempo)', () => {
    const read = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtureDir, name), 'utf8'));
    const flat = flatten(fixture.otlp);
    const byId = (id: string): ReturnType<typeof flatten> => flat.filter((f) => f.span.traceId === id);
    const jaeger = read('jaeger-v1.json') as { data: { traceID: string }[] };
    assert.deepEqual(jaeger, jaegerEnvelope(jaeger.data.map((t) => toJaegerTrace(byId(t.traceID.padStart(32, '0'))))));
    const tempo = read('tempo.json') as { batches: unknown[] };
    assert.deepEqual(tempo.batches, toTempoResourceSpans(flat));
    assert.ok(jaeger.data.some((t) => t.traceID.length === 16), 'Jaeger writes a 64-bit trace ID as 16 hex chars');
  });

  it('fetches the same trace from all five kinds, normalized equal (IDs, parents, names, services, times ±1 µs, errors, code.*)', async () => {
    const results = new Map<BackendKind, FetchResult>();
    for (const kind of kinds) {
      const s = await start(kind);
      for (const id of [slowId, cartId]) {
        const r = await fetchTrace(backendOf(s), id.toUpperCase(), { now });
        assert.ok(r.ok, `${kind} ${id}: ${r.ok ? '' : r.error.message}`);
        assert.equal(r.traces[0]?.traceId, id, kind);
        if (id === slowId) results.set(kind, r);
      }
      // Zipkin must be sent lower-case hex (it answers 400 to upper case).
      if (kind === 'zipkin') assert.ok(s.requests.every((q) => !/[A-F]/.test(q.path)), s.requests.map((q) => q.path).join());
    }
    const base = results.get('jaeger-v3');
    assert.ok(base?.ok);
    const expected = comparable(base.traces[0] as Trace);
    assert.equal(expected.length, 12);
    assert.ok(expected.filter((s) => s['error']).length >= 3);
    for (const kind of kinds) {
      const r = results.get(kind);
      assert.ok(r?.ok);
      const got = comparable(r.traces[0] as Trace);
      assert.equal(got.length, expected.length, kind);
      got.forEach((g, i) => {
        const e = expected[i] as Record<string, unknown>;
        for (const k of ['spanId', 'parent', 'name', 'service', 'error']) assert.deepEqual(g[k], e[k], `${kind} span ${String(e['spanId'])} ${k}`);
        assert.deepEqual(g['code'], e['code'], `${kind} code.* of ${String(e['name'])}`);
        assert.ok(Math.abs((g['startUs'] as number) - (e['startUs'] as number)) <= 1, `${kind} start of ${String(e['name'])}`);
        assert.ok(Math.abs((g['durationUs'] as number) - (e['durationUs'] as number)) <= 1, `${kind} duration of ${String(e['name'])}`);
      });
    }
    // Formats: Jaeger v1 UI JSON, OTLP for v3/Tempo, Zipkin v2.
    assert.deepEqual(kinds.map((k) => (results.get(k) as { format: string }).format), ['jaeger-ui', 'otlp-json', 'otlp-json', 'otlp-json', 'zipkin-v2']);
  });

  it('sends each backend its own parameters: Jaeger µs window, v3 RFC 3339, Tempo seconds + X-Scope-OrgID, base path', async () => {
    const j = await start('jaeger', { basePath: '/jaeger' });
    assert.ok((await fetchTrace(backendOf(j), slowId, { now })).ok);
    const q = j.requests[0];
    assert.equal(q?.path, `/api/traces/${slowId}`);
    assert.equal(q?.query['end'], String(now.getTime() * 1000));
    assert.equal(q?.query['start'], String((now.getTime() - 24 * 3_600_000) * 1000));

    const v3 = await start('jaeger-v3');
    assert.ok((await fetchTrace(backendOf(v3), slowId, { now })).ok);
    assert.equal(v3.requests[0]?.query['endTime'], now.toISOString());

    const t = await start('tempo-v2', { tenant: 'team-a' });
    assert.ok((await fetchTrace(backendOf(t, { tenant: 'team-a' }), slowId, { now })).ok);
    assert.equal(t.requests[0]?.headers['x-scope-orgid'], 'team-a');
    assert.equal(t.requests[0]?.query['end'], String(now.getTime() / 1000));

    const noWindow = await fetchTrace(backendOf(t, { tenant: 'team-a', lookbackHours: undefined }), slowId);
    assert.ok(noWindow.ok);
    assert.deepEqual(t.requests[1]?.query, {});
  });

  it('Tempo v2 PARTIAL is surfaced with its message; the 10k-span trace generated at test time is read from v3 and Tempo', async function () {
    this.timeout(20_000);
    const t = await start('tempo-v2', { partial: 'all' });
    const r = await fetchTrace(backendOf(t), slowId, { now });
    assert.ok(r.ok);
    assert.match(r.partial ?? '', /exceeds the max bytes limit/);

    const big = await generateOtlp(10_000, 3);
    const id = flatten(big)[0]?.span.traceId as string;
    for (const kind of ['jaeger-v3', 'tempo'] as const) {
      const s = await start(kind, { otlp: big });
      const got = await fetchTrace(backendOf(s, { lookbackHours: undefined }), id);
      assert.ok(got.ok, got.ok ? '' : got.error.message);
      assert.equal(got.traces[0]?.spans.length, 10_000);
    }
  });

  it('searches slowest first with error markers, and lists services and operations, on every kind', async () => {
    for (const kind of kinds) {
      const s = await start(kind);
      const b = backendOf(s);
      const r = await searchTraces(b, { service: 'checkout-service', start: new Date(now.getTime() - 3_600_000), end: now, limit: 10 }, {});
      assert.ok(r.ok, `${kind}: ${r.ok ? '' : r.error.message}`);
      assert.equal(r.results.length, 3, kind);
      const durations = r.results.map((x) => x.durationUs);
      assert.deepEqual(durations, [...durations].sort((a, b2) => b2 - a), `${kind} slowest first`);
      const first = r.results[0];
      assert.equal(first?.traceId, slowId, kind);
      assert.equal(first?.rootName, 'POST /api/checkout');
      assert.equal(first?.rootService, 'checkout-service');
      assert.equal(first?.spanCount, 12, kind);
      assert.equal(first?.errorCount, errorCountOf(slowId), kind);
      assert.ok(Math.abs((first?.durationUs ?? 0) - 482_500) <= 1000, `${kind} duration ${first?.durationUs}`);
      assert.ok(r.results.some((x) => x.traceId === cartId), `${kind}: the 64-bit ID comes back padded`);

      const narrowed = await searchTraces(b, { service: 'checkout-service', operation: 'GET /api/cart', start: new Date(now.getTime() - 3_600_000), end: now, minDurationMs: 1 }, {});
      assert.ok(narrowed.ok);
      assert.deepEqual(narrowed.results.map((x) => x.traceId), [cartId], kind);
      const slowOnly = await searchTraces(b, { service: 'checkout-service', start: new Date(now.getTime() - 3_600_000), end: now, minDurationMs: 200 }, {});
      assert.ok(slowOnly.ok);
      assert.deepEqual(slowOnly.results.map((x) => x.traceId), [slowId], `${kind} minDuration`);
      const none = await searchTraces(b, { service: 'checkout-service', start: new Date(now.getTime() - 7_200_000), end: new Date(now.getTime() - 3_600_000) }, {});
      assert.ok(none.ok, kind);
      assert.equal(none.results.length, 0);

      const svc = await listServices(b);
      assert.ok(svc.ok, kind);
      assert.deepEqual(svc.names, ['checkout-service', 'payments-service', 'pricing-service'], kind);
      const ops = await listOperations(b, 'payments-service');
      assert.ok(ops.ok, kind);
      assert.deepEqual(ops.names, ['ChargeService.charge', 'issuer.authorize', 'POST /api/charge'], kind);
    }
  });

  describe('failures, each with a message that says what happened and what to do', () => {
    it('404 names the backend, the URL and the window searched, on every kind', async () => {
      const missing = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
      for (const kind of kinds) {
        const s = await start(kind);
        const r = await fetchTrace(backendOf(s), missing, { now });
        assert.ok(!r.ok);
        assert.equal(r.error.kind, 'not-found', kind);
        const window = kind === 'zipkin' ? 'without a time window' : 'the last 24 h';
        assert.ok(r.error.message.startsWith(`Trace ${missing} was not found in ${kind}-prod (http://127.0.0.1:`), r.error.message);
        assert.ok(r.error.message.includes(`searched ${window}`), r.error.message);
      }
      // A trace outside the window is "not found" too, and says which window.
      const j = await start('jaeger');
      const r = await fetchTrace(backendOf(j, { lookbackHours: 1 }), slowId, { now: new Date(now.getTime() + 5 * 3_600_000) });
      assert.ok(!r.ok);
      assert.match(r.error.message, /not found in jaeger-prod .*searched the last 1 h\)/);
      assert.match(r.error.message, /trace not found/, 'Jaeger says why in errors[0].msg');
    });

    it('401 hints at the credentials command; Tempo without org id hints at the tenant; 403 likewise', async () => {
      const j = await start('jaeger', { authorization: 'Bearer right' });
      const bad = await fetchTrace(backendOf(j), slowId, { now, auth: { kind: 'bearer', token: 'wrong' } });
      assert.ok(!bad.ok);
      assert.equal(bad.error.kind, 'unauthorized');
      assert.equal(bad.error.status, 401);
      assert.ok(bad.error.message.includes(`Run "${setCredentialsCommand}"`), bad.error.message);
      assert.doesNotMatch(bad.error.message, /wrong/);
      assert.ok((await fetchTrace(backendOf(j), slowId, { now, auth: { kind: 'bearer', token: 'right' } })).ok);

      const t = await start('tempo', { tenant: 'team-a' });
      const noOrg = await fetchTrace(backendOf(t), slowId, { now });
      assert.ok(!noOrg.ok);
      assert.equal(noOrg.error.kind, 'unauthorized');
      assert.match(noOrg.error.message, /"no org id".*set the backend's "tenant" \(sent as X-Scope-OrgID\)/);

      const f = await start('zipkin', { fault: { kind: 'status', status: 403, body: 'RBAC: access denied' } });
      const forbidden = await fetchTrace(backendOf(f), slowId, { now });
      assert.ok(!forbidden.ok);
      assert.equal(forbidden.error.kind, 'forbidden');
      assert.match(forbidden.error.message, /denied access \(HTTP 403 Forbidden: "RBAC: access denied"\).*Set Backend Credentials/);
    });

    it('5xx includes a snippet of the body; Jaeger v3 error JSON is shown by its message', async () => {
      const s = await start('tempo-v2', { fault: { kind: 'status', status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination' } });
      const r = await fetchTrace(backendOf(s), slowId, { now });
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'server');
      assert.match(r.error.message, /tempo-v2-prod \(http:.*\) failed with HTTP 503 Service Unavailable: "upstream connect error/);

      const v3 = await start('jaeger-v3', { fault: { kind: 'status', status: 500, body: '{"error":{"httpCode":500,"message":"elasticsearch: no shards available"}}' } });
      const e = await fetchTrace(backendOf(v3), slowId, { now });
      assert.ok(!e.ok);
      assert.match(e.error.message, /HTTP 500 Internal Server Error: "elasticsearch: no shards available"/);

      const z = await start('zipkin');
      const badId = await fetchTrace(backendOf(z), 'xyz', { now });
      assert.ok(!badId.ok);
      assert.equal(badId.error.kind, 'bad-request');
      assert.equal(z.requests.length, 0, 'an invalid ID is not sent');
    });

    it('an HTML login page is not-json; too large and drip timeout stop in time', async () => {
      const h = await start('jaeger', { fault: { kind: 'html-login' } });
      const html = await fetchTrace(backendOf(h), slowId, { now });
      assert.ok(!html.ok);
      assert.equal(html.error.kind, 'not-json');
      assert.match(html.error.message, /^jaeger-prod at http:.* answered with an HTML page \(HTTP 200\) instead of JSON — often a login or proxy page/);
      const body = await fetchTraceBody(backendOf(h), slowId, { now });
      assert.ok(!body.ok && body.error.kind === 'not-json', 'the worker path checks too');

      for (const contentLength of [true, false]) {
        const big = await start('zipkin', { fault: { kind: 'huge', bytes: 3 * 1024 * 1024, contentLength } });
        const r = await fetchTrace(backendOf(big), slowId, { now, maxBytes: 1024 * 1024 });
        assert.ok(!r.ok);
        assert.equal(r.error.kind, 'too-large');
        assert.match(r.error.message, /^zipkin-prod: .*1\.0 MB limit/);
      }

      const drip = await start('tempo', { fault: { kind: 'drip', everyMs: 100 } });
      const t0 = performance.now();
      const slow = await fetchTrace(backendOf(drip), slowId, { now, timeoutMs: 400 });
      const ms = performance.now() - t0;
      assert.ok(!slow.ok);
      assert.equal(slow.error.kind, 'timeout');
      assert.match(slow.error.message, /^tempo-prod: http:.* did not answer within 0\.4 s/);
      assert.ok(ms < 3000, `took ${ms} ms (the drip never ends: only the deadline stops it)`);
    });

    it('refused, DNS, cancel and bad URL come back as failures, never as exceptions', async () => {
      const s = await start('jaeger');
      await s.close();
      servers.splice(servers.indexOf(s), 1);
      const refused = await fetchTrace(backendOf(s), slowId, { now });
      assert.ok(!refused.ok && refused.error.kind === 'refused', refused.ok ? '' : refused.error.message);
      assert.match(refused.error.message, /^jaeger-prod: Nothing is listening at 127\.0\.0\.1:\d+/);
      const dns = await fetchTrace({ name: 'x', kind: 'zipkin', url: 'http://zipkin.invalid:9411' }, slowId);
      assert.ok(!dns.ok && dns.error.kind === 'dns');
      const ac = new AbortController();
      ac.abort();
      const cancelled = await searchTraces({ name: 'x', kind: 'tempo', url: 'http://127.0.0.1:1' }, { service: 'a', start: new Date(0), end: now }, { signal: ac.signal });
      assert.ok(!cancelled.ok && cancelled.error.kind === 'cancelled');
      const badUrl = await listServices({ name: 'x', kind: 'jaeger', url: 'jaeger:16686' });
      assert.ok(!badUrl.ok && badUrl.error.kind === 'bad-url', badUrl.ok ? '' : badUrl.error.message);
      const noUrl = await listServices({ name: 'x', kind: 'jaeger', url: 'not a url' });
      assert.ok(!noUrl.ok && noUrl.error.kind === 'bad-url');
    });
  });
});
