// "Compare Traces" end to end in the real extension host: the demo's slow first cache miss against fast checkouts,
// read and compared in the worker, painted by the comparison webview.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { scanTraceIds } from '../../src/core/traces/traceIndex';
import type { OnCallLensApi } from '../../src/extension';
import type { CompareModel } from '../../src/shared/protocol/compare';
import type { ComparePanel, CompareRender } from '../../src/traces/comparePanel';
import type { CompareOutcome } from '../../src/traces/compareTraces';
import { activateApi, maxEventLoopGap, repoRoot, waitFor, workspaceRoot } from './testUtil';

/** The demo's first request after the cache expired (slow SELECT, retry, 504). */
const slowId = '9cf35a0a068b7724b80691ede72e69f5';
/** A healthy checkout of the same route, same file. */
const fastId = '9dce8c838ffef85d83bd9be93d69c393';
/** The last healthy checkout before the expiry, in another file (JSON Lines). */
const fastJsonlId = '90f53dcdcc84094e2ae84bed261878f9';
/** A checkout that waited 2.9 s for the DB pool. */
const poolId = 'a77f7d7c93378ee801c4985086c872a4';

function compared(o: CompareOutcome | undefined): { panel: ComparePanel; model: CompareModel } {
  assert.ok(o, 'an outcome');
  assert.equal(o.kind, 'compared', `expected a comparison, got ${o.kind}: ${'message' in o ? o.message : ''}`);
  const ok = o as Extract<CompareOutcome, { kind: 'compared' }>;
  const model = ok.panel.model;
  assert.ok(model, 'the panel holds the model it sent to the webview');
  return { panel: ok.panel, model };
}

async function rendered(panel: ComparePanel, a: string, b: string): Promise<CompareRender> {
  if (panel.lastRender?.traceA === a && panel.lastRender.traceB === b) return panel.lastRender;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the comparison webview did not report a paint within 60 s')), 60_000);
    const sub = panel.onDidRender((r) => {
      if (r.traceA !== a || r.traceB !== b) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(r);
    });
  });
}


describe('Compare Traces (extension host)', function () {
  this.timeout(120_000);
  let api: OnCallLensApi;

  before(async () => {
    api = await activateApi();
    await api.traces.traces.ensureIndexed();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('compares a fast checkout (A) with the slow first cache miss (B) and paints the merged tree', async () => {
    const { panel, model } = compared(await api.traces.comparer.compare(fastId, slowId));
    assert.equal(model.a.traceId, fastId);
    assert.equal(model.b.traceId, slowId);
    assert.match(model.a.source, /traces\/checkout-stampede\.json \(OTLP\/JSON\)/);
    assert.equal(model.rows.length, 18);
    const s = model.summary;
    assert.deepEqual([s.added, s.missing, s.spansA, s.spansB], [8, 5, 10, 13]);
    assert.ok(s.diffUs > 4_800_000, `B is ~4.9 s slower: ${s.diffUs}`);
    assert.equal(model.rows[s.regressions[0]?.row ?? -1]?.name, 'PriceCache.getCatalog');
    assert.equal(model.rows[s.selfRegressions[0]?.row ?? -1]?.name, 'SELECT catalog_items');
    const retry = model.rows.find((r) => r.name === 'GET' && r.status === 'added');
    assert.ok(retry && retry.countA === 1 && retry.countB === 2, 'the pricing retry only B made');
    const r = await rendered(panel, fastId, slowId);
    assert.equal(r.rowCount, 18, 'the webview painted every row of the model');
    assert.ok(r.domRows > 0 && r.domRows <= 18);
    assert.equal(panel.panel.title, 'Compare 9dce8c83 ↔ 9cf35a0a');
  });

  it('runs from the command with two IDs (links and traceparents too) and reuses the panel of a pair', async () => {
    const first = compared(await vscode.commands.executeCommand<CompareOutcome>('oncall.compareTraces', slowId, poolId));
    const again = compared(await vscode.commands.executeCommand<CompareOutcome>('oncall.compareTraces', `00-${slowId}-00f067aa0ba902b7-01`, `http://jaeger:16686/trace/${poolId}`));
    assert.equal(first.panel, again.panel);
    const acquire = again.model.rows.find((r) => r.name === 'db.pool.acquire' && r.status === 'changed');
    assert.ok(acquire && (acquire.durB ?? 0) > 2_800_000, 'the pool wait of B stands out');
    await rendered(again.panel, slowId, poolId);
  });

  it('compares traces from two files of different formats', async () => {
    const { model, panel } = compared(await api.traces.comparer.compare(fastJsonlId, slowId));
    assert.match(model.a.source, /incident-0312\.jsonl/);
    assert.match(model.b.source, /checkout-stampede\.json/);
    assert.equal(model.rows[0]?.name, 'POST /api/checkout');
    assert.equal(model.rows[0]?.status, 'changed');
    await rendered(panel, fastJsonlId, slowId);
  });

  it('defaults A to the trace of the open waterfall', async () => {
    const o = await api.traces.opener.open(slowId);
    assert.equal(o.kind, 'opened');
    assert.equal(api.traces.comparer.currentTrace(), slowId);
  });

  it('compares two 10 000-span traces in the worker without blocking the extension host; the list is virtualized', async () => {
    const ids: string[] = [];
    for (const seed of [11, 12]) {
      const file = path.join(workspaceRoot(), 'traces', `compare-10k-${seed}.json`);
      execFileSync(process.execPath, [path.join(repoRoot(), 'scripts', 'gen-large-trace.mjs'), '--spans', '10000', '--seed', String(seed), '--out', file], {
        cwd: repoRoot(),
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: 'pipe',
      });
      const id = scanTraceIds(fs.readFileSync(file, 'utf8').slice(0, 4096))[0];
      assert.ok(id);
      ids.push(id);
    }
    const [a, b] = ids as [string, string];
    await waitFor(() => api.traces.traces.lookup(a).length === 1 && api.traces.traces.lookup(b).length === 1, 'the watcher indexes both files', 60_000);
    const { result, maxGapMs } = await maxEventLoopGap(() => api.traces.comparer.compare(a, b));
    console.log(`      (10k vs 10k spans: longest extension-host event-loop stall ${maxGapMs} ms)`);
    assert.ok(maxGapMs < 500, `the extension host was blocked for ${maxGapMs} ms`);
    const { panel, model } = compared(result);
    assert.ok(model.rows.length >= 10_000, `${model.rows.length} rows`);
    assert.equal(model.summary.spansA, 10_000);
    assert.equal(model.summary.added + model.summary.changed + model.summary.same, 10_000, 'every span of B is in one node');
    const r = await rendered(panel, a, b);
    assert.equal(r.rowCount, model.rows.length);
    assert.ok(r.domRows < 200, `virtualized: ${r.domRows} row elements for ${r.rowCount} rows`);
  });

  it('says why it cannot compare: unknown ID, invalid input, the same trace twice', async () => {
    const missing = await api.traces.comparer.compare(fastId, '0123456789abcdef0123456789abcdef');
    assert.equal(missing.kind, 'not-found');
    assert.match((missing as { message: string }).message, /trace 0123456789abcdef0123456789abcdef was not found\. Looked in \d+ trace file\(s\)/);
    const invalid = await api.traces.comparer.compare('nope', slowId);
    assert.equal(invalid.kind, 'invalid');
    assert.match((invalid as { message: string }).message, /trace A:/);
    const same = await api.traces.comparer.compare(slowId, slowId);
    assert.equal(same.kind, 'invalid');
    assert.match((same as { message: string }).message, /the same trace/);
  });
});
