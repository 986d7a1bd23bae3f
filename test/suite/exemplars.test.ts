// "Open Trace from Exemplar" end to end in the real extension host, against a REAL Prometheus (Debian's 2.42 started
// by scripts/test-host/prometheus.mjs on a free loopback port, fed the demo's exemplars by remote write).
// The quick picks are the workbench's own: the test accepts their focused (first) item with
// `workbench.action.acceptSelectedQuickOpenItem`, as Enter would.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';
import type { ExemplarOutcome } from '../../src/exemplars/exemplarCommand';
import { displayUrl, exemplarItems, maxHistory, pushHistory } from '../../src/exemplars/exemplarCommand';
import { activateApi, repoRoot, waitFor } from './testUtil';

interface Server {
  url: string;
  stop(): Promise<void>;
}
interface Harness {
  ensurePrometheus(): Promise<{ path: string } | { path: undefined; reason: string }>;
  startPrometheus(opts?: { exemplarStorage?: boolean }): Promise<Server>;
  remoteWrite(url: string, series: unknown[]): Promise<number>;
  demoSeries(nowMs?: number, root?: string): { series: unknown[]; roots: { traceId: string; name: string; seconds: number }[]; slowest: string };
}

// TypeScript compiles `import()` to `require()` under CommonJS; this keeps a real ESM import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

const command = 'oncall.openTraceFromExemplar';
const query = 'http_server_duration_seconds_bucket';
const slowId = '9cf35a0a068b7724b80691ede72e69f5';

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('oncall').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Runs the command and presses "Enter" on whatever quick pick it shows, until it finishes. */
async function runAccepting(args?: { query: string }): Promise<ExemplarOutcome> {
  let outcome: ExemplarOutcome | undefined;
  let failure: unknown;
  const running = (args ? vscode.commands.executeCommand<ExemplarOutcome>(command, args) : vscode.commands.executeCommand<ExemplarOutcome>(command)).then(
    (o) => (outcome = o),
    (e: unknown) => (failure = e),
  );
  const until = Date.now() + 60_000;
  while (outcome === undefined && failure === undefined && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 400));
    if (outcome === undefined) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  await Promise.race([running, new Promise((r) => setTimeout(r, 1000))]);
  if (failure !== undefined) throw failure;
  assert.ok(outcome, 'the command finished within 60 s');
  return outcome;
}

describe('Open Trace from Exemplar (extension host, real Prometheus)', function () {
  this.timeout(180_000);
  let api: OnCallLensApi;
  let harness: Harness;
  let prom: Server | undefined;
  let plain: Server | undefined;
  let demo: ReturnType<Harness['demoSeries']>;

  before(async function () {
    this.timeout(600_000);
    harness = (await importEsm(pathToFileURL(path.join(repoRoot(), 'scripts', 'test-host', 'prometheus.mjs')).href)) as Harness;
    const found = await harness.ensurePrometheus();
    if (found.path === undefined) {
      console.log(`      SKIPPED: ${found.reason}`);
      this.skip();
    }
    [prom, plain] = await Promise.all([harness.startPrometheus(), harness.startPrometheus({ exemplarStorage: false })]);
    demo = harness.demoSeries(Date.now(), repoRoot());
    await harness.remoteWrite(prom.url, demo.series);
    await harness.remoteWrite(plain.url, demo.series);
    api = await activateApi();
    await setSetting('prometheus.url', prom.url);
    await setSetting('prometheus.queries', [query, 'checkout_errors_total']);
  });

  after(async () => {
    await setSetting('prometheus.url', undefined);
    await setSetting('prometheus.queries', undefined);
    await Promise.all([prom?.stop(), plain?.stop()]);
  });

  it('is contributed as "On-Call: Open Trace from Exemplar…"', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes(command));
    const pkg = vscode.extensions.getExtension('oncall-lens.oncall-lens')?.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } };
    const c = pkg.contributes.commands.find((x) => x.command === command);
    assert.deepEqual([c?.category, c?.title], ['On-Call', 'Open Trace from Exemplar…']);
  });

  it('picks the configured query, then the slowest exemplar, and opens its waterfall', async () => {
    const o = await runAccepting();
    assert.equal(o.kind, 'picked', JSON.stringify(o));
    const opened = o as Extract<ExemplarOutcome, { kind: 'picked' }>;
    assert.equal(opened.query, query, 'the first configured query');
    assert.equal(opened.traceId, slowId, 'the first (slowest) exemplar');
    const checkouts = demo.roots.filter((r) => r.name === 'POST /api/checkout').sort((a, b) => b.seconds - a.seconds);
    assert.deepEqual(opened.shown.map((s) => s.traceId), checkouts.map((r) => r.traceId), 'every checkout, slowest first');
    assert.equal(opened.shown[0]?.label, '3.00 s');
    assert.match(opened.shown[0]?.description ?? '', /^\d+ min ago · 9cf35a0a…$/);
    assert.equal(opened.shown[0]?.detail, '{job="checkout", le="5", route="/api/checkout", service="checkout-service"}', 'the metric name, the same on every row, is said once');
    assert.equal(opened.shown.at(-1)?.label, '381 ms');
    assert.equal((opened.open as { kind?: string } | undefined)?.kind, 'opened', 'oncall.openTrace found the trace in the workspace');
    const panel = api.traces.panels.get(slowId);
    assert.ok(panel, 'a waterfall panel for the trace');
    await waitFor(() => panel.lastRender?.traceId === slowId, 'the waterfall is painted', 60_000);
    assert.match(panel.panel.title, /^Trace 9cf35a0a/);
  });

  it('puts the query it ran first in the history', async () => {
    const o = await runAccepting({ query: 'checkout_errors_total' });
    assert.equal(o.kind, 'picked', JSON.stringify(o));
    // The history now starts with checkout_errors_total, so Enter on the query pick runs that one.
    const again = await runAccepting();
    assert.equal(again.kind, 'picked');
    assert.equal((again as Extract<ExemplarOutcome, { kind: 'picked' }>).query, 'checkout_errors_total');
    assert.equal((again as Extract<ExemplarOutcome, { kind: 'picked' }>).traceId, slowId, 'the failed checkout');
    assert.deepEqual(pushHistory(['a', 'b', 'c'], 'b'), ['b', 'a', 'c']);
    assert.equal(pushHistory(Array.from({ length: 30 }, (_, i) => `q${i}`), 'new').length, maxHistory);
  });

  it('shows a PromQL error verbatim', async () => {
    const o = await runAccepting({ query: 'rate(http_server_duration_seconds_bucket[5m]' });
    assert.equal(o.kind, 'error');
    const e = o as Extract<ExemplarOutcome, { kind: 'error' }>;
    assert.equal(e.error.kind, 'bad-query');
    assert.match(e.message, /^Prometheus rejected the query rate\(http_server_duration_seconds_bucket\[5m\]: 1:\d+: parse error: unclosed left parenthesis$/);
  });

  it('says when nothing matched, and when exemplar storage is disabled', async () => {
    assert.ok(prom && plain);
    const none = await runAccepting({ query: 'no_such_metric_seconds_bucket' });
    assert.equal(none.kind, 'empty');
    assert.equal((none as { message: string }).message, `No exemplars for no_such_metric_seconds_bucket in the last 60 minutes on ${displayUrl(prom.url)}.`);
    await setSetting('prometheus.url', plain.url);
    try {
      const off = await runAccepting({ query });
      assert.equal(off.kind, 'empty');
      assert.equal((off as { storage?: boolean }).storage, false);
      assert.equal((off as { message: string }).message, `Exemplar storage is disabled on ${displayUrl(plain.url)}: start Prometheus with --enable-feature=exemplar-storage.`);
    } finally {
      await setSetting('prometheus.url', prom.url);
    }
  });

  it('formats quick-pick rows from exemplars', () => {
    const rows = exemplarItems(
      [{ traceId: slowId, value: 1.2375, timestampMs: 1_000_000 - 180_000, seriesLabels: { __name__: 'x_seconds_bucket', le: '2.5' }, labels: {} }],
      1_000_000,
    );
    assert.deepEqual(rows, [{ label: '1.24 s', description: '3 min ago · 9cf35a0a…', detail: '{le="2.5"}', traceId: slowId }]);
    const mixed = exemplarItems([
      { traceId: slowId, value: 2, timestampMs: 1_000_000, seriesLabels: { __name__: 'a_seconds_bucket', le: '5' }, labels: {} },
      { traceId: slowId, value: 1, timestampMs: 1_000_000, seriesLabels: { __name__: 'b_total' }, labels: {} },
    ], 1_000_000);
    assert.deepEqual(mixed.map((r) => [r.label, r.detail]), [['2.00 s', 'a_seconds_bucket{le="5"}'], ['1', 'b_total']]);
  });
});
