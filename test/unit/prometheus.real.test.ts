// queryExemplars / exemplarStorageEnabled against a REAL Prometheus (Debian's 2.42, started by
// scripts/test-host/prometheus.mjs on a free loopback port, fed by remote write and by scraping an OpenMetrics
// endpoint of this test). Skipped, saying why, only when prometheus is absent and cannot be installed here.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exemplarStorageEnabled, queryExemplars } from '../../src/core/prometheus/exemplars';
import type { Exemplar, ExemplarResult } from '../../src/core/prometheus/exemplars';
import { main } from '../../src/cli/main';
import { repoRoot } from './helpers';

/** What the test uses of scripts/test-host/prometheus.mjs. */
export interface PrometheusHarness {
  ensurePrometheus(opts?: { install?: boolean }): Promise<{ path: string } | { path: undefined; reason: string }>;
  startPrometheus(opts?: { exemplarStorage?: boolean; scrapeTargets?: string[] }): Promise<{ url: string; pid: number; logTail(): string; stop(): Promise<void> }>;
  remoteWrite(url: string, series: unknown[]): Promise<number>;
  startOpenMetricsServer(body: () => string): Promise<{ target: string; scrapes(): number; stop(): Promise<void> }>;
  demoSeries(nowMs?: number, root?: string): {
    series: { labels: Record<string, string> }[];
    roots: { traceId: string; spanId: string; seconds: number; error: boolean; name: string }[];
    slowest: string;
  };
}

// TypeScript compiles `import()` to `require()` under CommonJS; this keeps a real ESM import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

export async function loadHarness(root: string): Promise<PrometheusHarness> {
  return (await importEsm(pathToFileURL(path.join(root, 'scripts', 'test-host', 'prometheus.mjs')).href)) as PrometheusHarness;
}

function ok(r: ExemplarResult): Extract<ExemplarResult, { ok: true }> {
  assert.ok(r.ok, `expected success, got ${r.ok ? '' : `${r.error.kind}: ${r.error.message}`}`);
  return r;
}

const lastHour = (): { start: Date; end: Date } => ({ start: new Date(Date.now() - 3600_000), end: new Date(Date.now() + 5000) });

describe('Prometheus exemplars (real Prometheus)', function () {
  this.timeout(120_000);
  let harness: PrometheusHarness;
  let prom: Awaited<ReturnType<PrometheusHarness['startPrometheus']>> | undefined;
  let plain: Awaited<ReturnType<PrometheusHarness['startPrometheus']>> | undefined;
  let exporter: Awaited<ReturnType<PrometheusHarness['startOpenMetricsServer']>> | undefined;
  let demo: ReturnType<PrometheusHarness['demoSeries']>;
  const scrapedTrace = '4bf92f3577b34da6a3ce929d0e0e4736';

  before(async function () {
    this.timeout(600_000); // a first-time apt-get install of prometheus
    harness = await loadHarness(repoRoot);
    const found = await harness.ensurePrometheus();
    if (found.path === undefined) {
      console.log(`      SKIPPED: ${found.reason}`);
      this.skip();
    }
    // The OpenMetrics endpoint from reference §7.2, exemplars with and without timestamps, trace_id and traceID.
    exporter = await harness.startOpenMetricsServer(() =>
      [
        '# TYPE om_request_duration_seconds histogram',
        '# HELP om_request_duration_seconds Request latency.',
        `om_request_duration_seconds_bucket{route="/api/users/:id",le="0.1"} 3 # {trace_id="${scrapedTrace}",span_id="00f067aa0ba902b7"} 0.054`,
        `om_request_duration_seconds_bucket{route="/api/users/:id",le="1.0"} 6 # {traceID="0af7651916cd43dd8448eb211c80319c"} 0.67`,
        'om_request_duration_seconds_bucket{route="/api/users/:id",le="+Inf"} 6',
        'om_request_duration_seconds_sum{route="/api/users/:id"} 1.500',
        'om_request_duration_seconds_count{route="/api/users/:id"} 6',
        '# TYPE om_orders counter',
        '# HELP om_orders Orders placed.',
        `om_orders_total{shop="a"} 3 # {trace_id="${scrapedTrace}"} 1.0`,
        '# EOF',
        '',
      ].join('\n'),
    );
    [prom, plain] = await Promise.all([harness.startPrometheus({ scrapeTargets: [exporter.target] }), harness.startPrometheus({ exemplarStorage: false })]);
    demo = harness.demoSeries(Date.now());
    assert.equal(await harness.remoteWrite(prom.url, demo.series), 204);
    assert.equal(await harness.remoteWrite(plain.url, demo.series), 204, 'remote write is accepted, exemplars silently dropped');
  });

  after(async () => {
    await Promise.all([prom?.stop(), plain?.stop(), exporter?.stop()]);
  });

  it('finds the demo checkout exemplars of a histogram _bucket, slowest first, with trace_id and traceID labels', async () => {
    assert.ok(prom);
    const r = ok(await queryExemplars(prom.url, 'http_server_duration_seconds_bucket', lastHour()));
    const checkouts = demo.roots.filter((x) => x.name === 'POST /api/checkout');
    assert.equal(r.exemplars.length, checkouts.length);
    assert.equal(r.withoutTraceId, 0);
    assert.equal(r.exemplars[0]?.traceId, '9cf35a0a068b7724b80691ede72e69f5', 'the 3.00 s checkout is the slowest');
    assert.equal(r.exemplars[0]?.traceId, demo.slowest);
    const values = r.exemplars.map((e) => e.value);
    assert.deepEqual(values, [...values].sort((a, b) => b - a));
    const byId = new Map(r.exemplars.map((e) => [e.traceId, e] as const));
    for (const c of checkouts) {
      const e = byId.get(c.traceId);
      assert.ok(e, `exemplar of ${c.traceId}`);
      assert.equal(e.spanId, c.spanId);
      assert.ok(Math.abs(e.value - c.seconds) < 1e-9);
      assert.equal(e.seriesLabels['__name__'], 'http_server_duration_seconds_bucket');
      assert.equal(e.seriesLabels['route'], '/api/checkout');
      assert.ok(e.timestampMs > Date.now() - 3600_000 && e.timestampMs <= Date.now());
    }
    assert.equal(byId.get('a77f7d7c93378ee801c4985086c872a4')?.labels['traceID'], 'a77f7d7c93378ee801c4985086c872a4', 'found under traceID');
    assert.equal(r.exemplars[0]?.seriesLabels['le'], '5');
    assert.equal(r.seriesCount, 3);
  });

  it('finds a counter exemplar, and those of the series inside any PromQL expression', async () => {
    assert.ok(prom);
    const c = ok(await queryExemplars(prom.url, 'checkout_errors_total', lastHour()));
    assert.deepEqual(
      c.exemplars.map((e) => [e.traceId, e.value]),
      demo.roots.filter((x) => x.error && x.name === 'POST /api/checkout').map((x) => [x.traceId, 1]),
    );
    const q = ok(await queryExemplars(prom.url, 'histogram_quantile(0.9, sum by (le) (rate(http_server_duration_seconds_bucket{route="/api/checkout"}[5m])))', lastHour()));
    assert.equal(q.exemplars[0]?.traceId, '9cf35a0a068b7724b80691ede72e69f5');
  });

  it('honours the configured trace-ID label names', async () => {
    assert.ok(prom);
    const r = ok(await queryExemplars(prom.url, 'http_server_duration_seconds_bucket', lastHour(), { traceIdLabels: ['traceID'] }));
    assert.deepEqual(r.exemplars.map((e) => e.traceId), ['a77f7d7c93378ee801c4985086c872a4']);
    assert.equal(r.withoutTraceId, demo.roots.filter((x) => x.name === 'POST /api/checkout').length - 1, 'the trace_id ones are counted, not shown');
  });

  it('sends a long query as POST and gets the same answer', async () => {
    assert.ok(prom);
    const long = `http_server_duration_seconds_bucket{route=~"${Array.from({ length: 400 }, (_, i) => `/route${i}`).join('|')}|/api/checkout"}`;
    assert.ok(long.length > 1500);
    const r = ok(await queryExemplars(prom.url, long, lastHour()));
    assert.equal(r.exemplars[0]?.traceId, '9cf35a0a068b7724b80691ede72e69f5');
  });

  it('reads exemplars Prometheus scraped from OpenMetrics (histogram and counter, with and without timestamps)', async () => {
    assert.ok(prom && exporter);
    let hist: readonly Exemplar[] = [];
    let counter: readonly Exemplar[] = [];
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      hist = ok(await queryExemplars(prom.url, 'om_request_duration_seconds_bucket', lastHour())).exemplars;
      counter = ok(await queryExemplars(prom.url, 'om_orders_total', lastHour())).exemplars;
      if (hist.length >= 2 && counter.length >= 1) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(exporter.scrapes() > 0, 'Prometheus scraped the endpoint');
    assert.deepEqual(
      hist.slice(0, 2).map((e) => [e.traceId, e.value, e.seriesLabels['le']]),
      [
        ['0af7651916cd43dd8448eb211c80319c', 0.67, '1.0'],
        [scrapedTrace, 0.054, '0.1'],
      ],
    );
    assert.equal(hist.find((e) => e.traceId === scrapedTrace)?.spanId, '00f067aa0ba902b7');
    assert.equal(hist[0]?.seriesLabels['job'], 'openmetrics');
    assert.equal(counter[0]?.traceId, scrapedTrace);
    assert.equal(counter[0]?.value, 1);
  });

  it('shows bad PromQL errors verbatim, as Prometheus words them', async () => {
    assert.ok(prom);
    const r = await queryExemplars(prom.url, 'rate(http_server_duration_seconds_bucket[5m]', lastHour());
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'bad-query');
    assert.equal(r.error.status, 400);
    assert.match(r.error.message, /^1:\d+: parse error: unclosed left parenthesis$/);
    const empty = await queryExemplars(prom.url, '', lastHour());
    assert.ok(!empty.ok);
    assert.equal(empty.error.message, '1:1: parse error: no expression found in input');
  });

  it('passes an end before the start to Prometheus, which refuses it', async () => {
    assert.ok(prom);
    const r = await queryExemplars(prom.url, 'http_server_duration_seconds_bucket', { start: new Date(), end: new Date(Date.now() - 60_000) });
    assert.ok(!r.ok);
    assert.deepEqual([r.error.kind, r.error.message], ['bad-query', 'end timestamp must not be before start timestamp']);
  });

  it('tells storage disabled from nothing found, through /api/v1/status/flags', async () => {
    assert.ok(prom && plain);
    const none = ok(await queryExemplars(plain.url, 'http_server_duration_seconds_bucket', lastHour()));
    assert.equal(none.exemplars.length, 0, 'the same empty answer as "no match"');
    assert.equal(await exemplarStorageEnabled(plain.url), false);
    assert.equal(await exemplarStorageEnabled(prom.url), true);
    const nothing = ok(await queryExemplars(prom.url, 'no_such_metric_total', lastHour()));
    assert.equal(nothing.exemplars.length, 0);
  });

  it('oncall-lens exemplars prints them, slowest first, and names disabled storage', async () => {
    assert.ok(prom && plain);
    let out = '';
    let err = '';
    const code = await main(['exemplars', '--prometheus', prom.url, '--query', 'http_server_duration_seconds_bucket', '--minutes', '30'], (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
    assert.equal(code, 0, err);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, demo.roots.filter((x) => x.name === 'POST /api/checkout').length);
    assert.match(lines[0] ?? '', /^3\.00 s {2}\d+ min ago {2}9cf35a0a068b7724b80691ede72e69f5 {2}http_server_duration_seconds_bucket\{job="checkout", le="5", route="\/api\/checkout", service="checkout-service"\}$/);
    err = '';
    const off = await main(['exemplars', '--prometheus', plain.url, '--query', 'http_server_duration_seconds_bucket'], () => undefined, (s) => (err += `${s}\n`));
    assert.equal(off, 1);
    assert.match(err, /Exemplar storage is disabled on http:\/\/127\.0\.0\.1:\d+: start Prometheus with --enable-feature=exemplar-storage\./);
  });

  it('reports a stopped Prometheus as refused', async () => {
    const short = await harness.startPrometheus({ exemplarStorage: false });
    await short.stop();
    const r = await queryExemplars(short.url, 'up', lastHour(), { timeoutMs: 5000 });
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'refused');
    assert.equal(await exemplarStorageEnabled(short.url), undefined);
  });
});
