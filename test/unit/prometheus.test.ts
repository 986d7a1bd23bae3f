// The exemplar client against a loopback server that replays the bodies recorded from a real Prometheus 2.42
// (shared/reference/trace-apis.md §5.1 and §7.2), plus the failure modes of what sits in front of one.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exemplarStorageEnabled, maxGetQueryLength, queryExemplars } from '../../src/core/prometheus/exemplars';
import type { ExemplarResult } from '../../src/core/prometheus/exemplars';
import { formatExemplarValue, formatRelativeTime, formatSeries, metricUnit, shortTraceId } from '../../src/core/prometheus/format';

// §7.2, verbatim (the histogram answer trimmed to its first entry there; the second series is the counter's).
const histogramBody =
  '{"status":"success","data":[{"seriesLabels":{"__name__":"http_server_duration_seconds_bucket","instance":"127.0.0.1:19100","job":"demo","le":"0.1","route":"/api/users/:id"},' +
  '"exemplars":[{"labels":{"span_id":"00f067aa0ba902b7","trace_id":"0af7651916cd43dd8448eb211c80319c"},"value":"0.054","timestamp":1795341910.227}]}]}';
const counterBody =
  '{"status":"success","data":[{"seriesLabels":{"__name__":"orders_total","instance":"127.0.0.1:19100","job":"demo","shop":"a"},' +
  '"exemplars":[{"labels":{"trace_id":"0af7651916cd43dd8448eb211c80319c"},"value":"1","timestamp":1795341910.227}]}]}';
const remoteWriteBody =
  '{"status":"success","data":[{"seriesLabels":{"__name__":"rw_requests_total","job":"rw-test","route":"/checkout"},' +
  '"exemplars":[{"labels":{"trace_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90"},"value":"1","timestamp":1795341974.313}]}]}';
const flagsOn = '{"status":"success","data":{"enable-feature":"exemplar-storage","web.enable-remote-write-receiver":"true","query.lookback-delta":"5m"}}';
const flagsOff = '{"status":"success","data":{"enable-feature":"","web.enable-remote-write-receiver":"true"}}';
const badData = (msg: string): string => JSON.stringify({ status: 'error', errorType: 'bad_data', error: msg });

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  contentType: string | undefined;
}

type Handler = (req: Seen) => { status: number; body: string; type?: string };

async function serve(handler: Handler): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const s: Seen = { method: req.method ?? '', path: u.pathname, query: u.searchParams, body, contentType: req.headers['content-type'] };
      seen.push(s);
      const r = handler(s);
      res.writeHead(r.status, { 'content-type': r.type ?? 'application/json' });
      res.end(r.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

const range = { start: new Date(1795341900_000), end: new Date(1795342000_000) };

function ok(r: ExemplarResult): Extract<ExemplarResult, { ok: true }> {
  assert.ok(r.ok, `expected success, got ${r.ok ? '' : `${r.error.kind}: ${r.error.message}`}`);
  return r;
}
function failed(r: ExemplarResult): Extract<ExemplarResult, { ok: false }>['error'] {
  assert.ok(!r.ok, 'expected a failure');
  return r.error;
}

describe('queryExemplars (replayed Prometheus 2.42 answers)', () => {
  let srv: Awaited<ReturnType<typeof serve>>;
  let next: Handler;
  before(async () => {
    srv = await serve((req) => next(req));
  });
  after(() => srv.close());
  beforeEach(() => {
    srv.seen.length = 0;
  });

  it('reads a histogram bucket exemplar: trace and span ID, value, time, series', async () => {
    next = () => ({ status: 200, body: histogramBody });
    const r = ok(await queryExemplars(srv.url, 'http_server_duration_seconds_bucket', range));
    assert.equal(r.seriesCount, 1);
    assert.equal(r.withoutTraceId, 0);
    assert.deepEqual(r.exemplars, [
      {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: '00f067aa0ba902b7',
        value: 0.054,
        timestampMs: 1795341910227,
        seriesLabels: { __name__: 'http_server_duration_seconds_bucket', instance: '127.0.0.1:19100', job: 'demo', le: '0.1', route: '/api/users/:id' },
        labels: { span_id: '00f067aa0ba902b7', trace_id: '0af7651916cd43dd8448eb211c80319c' },
      },
    ]);
    const req = srv.seen[0];
    assert.ok(req);
    assert.equal(req.method, 'GET');
    assert.equal(req.path, '/api/v1/query_exemplars');
    assert.equal(req.query.get('query'), 'http_server_duration_seconds_bucket');
    assert.equal(req.query.get('start'), '1795341900.000');
    assert.equal(req.query.get('end'), '1795342000.000');
  });

  it('reads counter exemplars (value "1") and remote-written ones', async () => {
    next = (req) => ({ status: 200, body: req.query.get('query') === 'orders_total' ? counterBody : remoteWriteBody });
    const c = ok(await queryExemplars(srv.url, 'orders_total', range));
    assert.equal(c.exemplars[0]?.value, 1);
    assert.equal(c.exemplars[0]?.spanId, undefined);
    assert.equal(c.exemplars[0]?.seriesLabels['shop'], 'a');
    const rw = ok(await queryExemplars(srv.url, 'rw_requests_total', range));
    assert.equal(rw.exemplars[0]?.traceId, 'a1b2c3d4e5f60718293a4b5c6d7e8f90');
    assert.equal(rw.exemplars[0]?.timestampMs, 1795341974313);
  });

  it('matches the configured label names in order, normalizes IDs, and counts exemplars without one', async () => {
    const body = {
      status: 'success',
      data: [
        {
          seriesLabels: { __name__: 'x_seconds_bucket', le: '1' },
          exemplars: [
            { labels: { traceID: '4BF92F3577B34DA6A3CE929D0E0E4736' }, value: '0.5', timestamp: 1795341910.1 },
            { labels: { traceId: 'a3ce929d0e0e4736', spanID: '00F067AA0BA902B7' }, value: '0.7', timestamp: 1795341911.1 },
            { labels: { TraceID: 'cafe' }, value: '0.2', timestamp: 1795341912 },
            { labels: { request: 'req-42' }, value: '9', timestamp: 1795341912 },
            { labels: { trace_id: 'not-hex-at-all' }, value: '8', timestamp: 1795341912 },
            { labels: { trace_id: '00000000000000000000000000000000' }, value: '8', timestamp: 1795341912 },
          ],
        },
        { seriesLabels: { __name__: 'x_seconds_bucket', le: '2' }, exemplars: [] },
      ],
    };
    next = () => ({ status: 200, body: JSON.stringify(body) });
    const r = ok(await queryExemplars(srv.url, 'x_seconds_bucket', range));
    assert.deepEqual(
      r.exemplars.map((e) => [e.traceId, e.spanId, e.value]),
      [
        ['0000000000000000a3ce929d0e0e4736', '00f067aa0ba902b7', 0.7],
        ['4bf92f3577b34da6a3ce929d0e0e4736', undefined, 0.5],
        ['0000000000000000000000000000cafe', undefined, 0.2],
      ],
    );
    assert.equal(r.withoutTraceId, 3);
    assert.equal(r.seriesCount, 1, 'series without exemplars are not counted');
    const only = ok(await queryExemplars(srv.url, 'x', range, { traceIdLabels: ['request', 'traceID'] }));
    assert.equal(only.exemplars.length, 1, '"req-42" under "request" is not a hex ID; only traceID counts');
    assert.equal(only.exemplars[0]?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('sorts by value, highest first, across series; ties most recent first', async () => {
    const ex = (id: string, value: string, ts: number): object => ({ labels: { trace_id: id.repeat(32 / id.length) }, value, timestamp: ts });
    next = () => ({
      status: 200,
      body: JSON.stringify({
        status: 'success',
        data: [
          { seriesLabels: { le: '0.5' }, exemplars: [ex('a', '0.2', 10), ex('b', '0.45', 11)] },
          { seriesLabels: { le: '5' }, exemplars: [ex('c', '3', 9), ex('d', '2.5', 12)] },
          { seriesLabels: { le: '+Inf' }, exemplars: [ex('e', '0.45', 13)] },
        ],
      }),
    });
    const r = ok(await queryExemplars(srv.url, 'q', range));
    assert.deepEqual(
      r.exemplars.map((e) => e.traceId[0]),
      ['c', 'd', 'e', 'b', 'a'],
    );
    assert.equal(r.seriesCount, 3);
  });

  it('an empty answer is a success with nothing in it', async () => {
    next = () => ({ status: 200, body: '{"status":"success","data":[]}' });
    const r = ok(await queryExemplars(srv.url, 'nothing_here', range));
    assert.deepEqual([r.exemplars.length, r.seriesCount, r.withoutTraceId], [0, 0, 0]);
  });

  it('sends a long query as a POST form', async () => {
    next = () => ({ status: 200, body: remoteWriteBody });
    const long = `sum by (le) (rate(http_server_duration_seconds_bucket{route=~"${'/a|'.repeat(600)}/b"}[5m]))`;
    assert.ok(long.length > maxGetQueryLength);
    ok(await queryExemplars(`${srv.url}/prom/`, long, range));
    const req = srv.seen[0];
    assert.ok(req);
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/prom/api/v1/query_exemplars', 'a path prefix of the base URL is kept');
    assert.equal(req.contentType, 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(req.body);
    assert.equal(form.get('query'), long);
    assert.equal(form.get('start'), '1795341900.000');
    assert.equal([...req.query.keys()].length, 0, 'nothing in the URL');
  });

  it('shows Prometheus bad_data errors verbatim', async () => {
    for (const msg of ['1:1: parse error: no expression found in input', '1:6: parse error: unclosed left parenthesis', 'end timestamp must not be before start timestamp']) {
      next = () => ({ status: 400, body: badData(msg) });
      const e = failed(await queryExemplars(srv.url, 'rate(', range));
      assert.deepEqual(e, { kind: 'bad-query', message: msg, status: 400 });
    }
    next = () => ({ status: 422, body: JSON.stringify({ status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory' }) });
    assert.equal(failed(await queryExemplars(srv.url, 'q', range)).message, 'query processing would load too many samples into memory');
  });

  it('names 401/403, 404, 5xx and HTML pages', async () => {
    next = () => ({ status: 401, body: 'Unauthorized', type: 'text/plain' });
    let e = failed(await queryExemplars(srv.url, 'q', range));
    assert.equal(e.kind, 'unauthorized');
    assert.match(e.message, /refused the request \(HTTP 401 Unauthorized\): check the credentials/);
    next = () => ({ status: 403, body: '{"status":"error","errorType":"forbidden","error":"tenant not allowed"}' });
    e = failed(await queryExemplars(srv.url, 'q', range));
    assert.deepEqual([e.kind, e.message], ['unauthorized', 'tenant not allowed']);
    next = () => ({ status: 404, body: '404 page not found', type: 'text/plain' });
    e = failed(await queryExemplars(srv.url, 'q', range));
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /There is no Prometheus API at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query_exemplars\?query=q.* \(HTTP 404\)/);
    next = () => ({ status: 502, body: 'Bad Gateway', type: 'text/plain' });
    e = failed(await queryExemplars(srv.url, 'q', range));
    assert.equal(e.kind, 'server');
    assert.match(e.message, /failed with HTTP 502 Bad Gateway: "Bad Gateway"\./);
    next = () => ({ status: 503, body: '{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}' });
    e = failed(await queryExemplars(srv.url, 'q', range));
    assert.deepEqual([e.kind, e.message], ['server', 'query timed out in expression evaluation']);
    next = () => ({ status: 200, body: '<!DOCTYPE html><html><body>Sign in</body></html>', type: 'text/html' });
    e = failed(await queryExemplars(srv.url, 'q', range));
    assert.equal(e.kind, 'not-prometheus');
    assert.match(e.message, /answered with an HTML page \(HTTP 200\).*login or proxy page/);
    next = () => ({ status: 200, body: '{"data":{"result":[]}}' });
    e = failed(await queryExemplars(srv.url, 'q', range));
    assert.equal(e.kind, 'not-prometheus');
    assert.match(e.message, /did not answer like the Prometheus API/);
  });

  it('passes network errors and cancellation on from the HTTP layer, with the URL redacted', async () => {
    const gone = await serve(() => ({ status: 200, body: '' }));
    const port = new URL(gone.url).port;
    await gone.close();
    const e = failed(await queryExemplars(`http://user:secret@127.0.0.1:${port}`, 'q', range));
    assert.equal(e.kind, 'refused');
    assert.match(e.message, /Nothing is listening at 127\.0\.0\.1:\d+/);
    assert.doesNotMatch(e.message, /secret/);
    const ac = new AbortController();
    ac.abort();
    assert.equal(failed(await queryExemplars(srv.url, 'q', range, { signal: ac.signal })).kind, 'cancelled');
    assert.equal(failed(await queryExemplars('not a url', 'q', range)).kind, 'bad-url');
    const bad = failed(await queryExemplars('ftp://example.com', 'q', range));
    assert.equal(bad.kind, 'bad-url');
  });
});

describe('exemplarStorageEnabled', () => {
  it('reads enable-feature from /api/v1/status/flags', async () => {
    let body = flagsOn;
    let status = 200;
    const srv = await serve((req) => {
      assert.equal(req.path, '/api/v1/status/flags');
      return { status, body };
    });
    try {
      assert.equal(await exemplarStorageEnabled(srv.url), true);
      body = flagsOff;
      assert.equal(await exemplarStorageEnabled(srv.url), false);
      body = '{"status":"success","data":{"enable-feature":"memory-snapshot-on-shutdown,exemplar-storage"}}';
      assert.equal(await exemplarStorageEnabled(srv.url), true);
      body = '{"status":"success","data":{"web.enable-remote-write-receiver":"true"}}';
      assert.equal(await exemplarStorageEnabled(srv.url), false, 'no enable-feature at all: no features enabled');
      status = 404;
      body = 'not found';
      assert.equal(await exemplarStorageEnabled(srv.url), undefined, 'unknown (Thanos, Mimir) when there is no flags endpoint');
    } finally {
      await srv.close();
    }
  });
});

describe('exemplar formatting', () => {
  it('formats a series label set in PromQL notation', () => {
    assert.equal(formatSeries({ route: '/api', __name__: 'http_server_duration_seconds_bucket', le: '0.1' }), 'http_server_duration_seconds_bucket{le="0.1", route="/api"}');
    assert.equal(formatSeries({ __name__: 'up' }), 'up');
    assert.equal(formatSeries({ a: 'x"y\\z\nw' }), '{a="x\\"y\\\\z\\nw"}');
    assert.equal(formatSeries({ __name__: 'm', instance: 'h:1', job: 'j', le: '1' }, ['instance', 'job']), 'm{le="1"}');
    assert.equal(formatSeries({}), '{}');
    assert.equal(formatSeries({ __name__: 'm', le: '1' }, ['__name__']), '{le="1"}');
  });

  it('formats values in the unit of the metric', () => {
    assert.equal(metricUnit('http_server_duration_seconds_bucket'), 'seconds');
    assert.equal(metricUnit('rpc_latency_ms_bucket'), 'milliseconds');
    assert.equal(metricUnit('response_size_bytes_sum'), 'bytes');
    assert.equal(metricUnit('orders_total'), undefined);
    assert.equal(formatExemplarValue(1.2375, 'http_server_duration_seconds_bucket'), '1.24 s');
    assert.equal(formatExemplarValue(3.000870726, 'http_server_duration_seconds_bucket'), '3.00 s');
    assert.equal(formatExemplarValue(0.054, 'http_server_duration_seconds_bucket'), '54 ms');
    assert.equal(formatExemplarValue(0.381114225, 'http_server_duration_seconds'), '381 ms');
    assert.equal(formatExemplarValue(0.0000123, 'x_seconds_bucket'), '12.3 µs');
    assert.equal(formatExemplarValue(95, 'job_duration_seconds_bucket'), '1.58 min');
    assert.equal(formatExemplarValue(1240, 'rpc_latency_milliseconds_bucket'), '1.24 s');
    assert.equal(formatExemplarValue(2048, 'response_size_bytes_bucket'), '2 KB');
    assert.equal(formatExemplarValue(1, 'orders_total'), '1');
    assert.equal(formatExemplarValue(0.123456, undefined), '0.1235');
    assert.equal(formatExemplarValue(42.5, 'queue_depth'), '42.5');
  });

  it('formats times relative to now', () => {
    const now = 1795342000_000;
    assert.equal(formatRelativeTime(now - 1000, now), 'just now');
    assert.equal(formatRelativeTime(now + 3000, now), 'just now', 'a little clock skew');
    assert.equal(formatRelativeTime(now - 42_000, now), '42 s ago');
    assert.equal(formatRelativeTime(now - 3 * 60_000 - 5000, now), '3 min ago');
    assert.equal(formatRelativeTime(now - 2 * 3600_000, now), '2 h ago');
    assert.equal(formatRelativeTime(now - 5 * 86400_000, now), '5 d ago');
    assert.equal(formatRelativeTime(now + 10 * 60_000, now), 'in 10 min');
    assert.equal(shortTraceId('9cf35a0a068b7724b80691ede72e69f5'), '9cf35a0a…');
  });
});
