// What a person sees of "On-Call: Open Trace from Exemplar…" in the real workbench, against a REAL Prometheus
// (scripts/test-host/prometheus.mjs, fed the demo's exemplars by remote write): the URL box, the PromQL pick with a
// typed query, the exemplars slowest first, the waterfall of the one picked, a PromQL error. Screenshots under
// test-results/screenshots/exemplar-*.png.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, openWorkbench, type Workbench } from './workbench';

interface Server {
  url: string;
  stop(): Promise<void>;
}
interface Harness {
  ensurePrometheus(): Promise<{ path: string } | { path: undefined; reason: string }>;
  startPrometheus(opts?: { exemplarStorage?: boolean }): Promise<Server>;
  remoteWrite(url: string, series: unknown[]): Promise<number>;
  demoSeries(nowMs?: number, root?: string): { series: unknown[]; slowest: string };
}

const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

describe('Open Trace from Exemplar (UI, real Prometheus)', function () {
  this.timeout(240_000);
  let wb: Workbench | undefined;
  let prom: Server | undefined;

  before(async function () {
    this.timeout(600_000);
    const harness = (await importEsm(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'test-host', 'prometheus.mjs')).href)) as Harness;
    const found = await harness.ensurePrometheus();
    if (found.path === undefined) {
      console.log(`      SKIPPED: ${found.reason}`);
      this.skip();
    }
    prom = await harness.startPrometheus();
    const demo = harness.demoSeries(Date.now(), REPO_ROOT);
    assert.equal(demo.slowest, '9cf35a0a068b7724b80691ede72e69f5');
    await harness.remoteWrite(prom.url, demo.series);
    wb = await openWorkbench();
  });

  after(async () => {
    await wb?.close();
    await prom?.stop();
  });

  const input = (w: Workbench) => w.page.locator('.quick-input-widget .quick-input-box input');
  const rows = (w: Workbench) => w.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

  it('asks for the Prometheus URL when none is set, offering to save it', async () => {
    assert.ok(wb && prom);
    await wb.runCommand('On-Call: Open Trace from Exemplar…');
    const box = input(wb);
    await box.waitFor({ state: 'visible' });
    await wb.page.locator('.quick-input-widget', { hasText: 'Prometheus URL' }).waitFor({ timeout: 10_000 });
    assert.equal(await box.inputValue(), 'http://localhost:9090');
    await box.fill('not a url');
    await wb.page.locator('.quick-input-widget .quick-input-message', { hasText: 'An http:// or https:// URL' }).waitFor({ timeout: 10_000 });
    await box.fill(prom.url);
    assert.ok((await wb.page.locator('.quick-input-widget .quick-input-action[aria-label*="Save to settings"], .quick-input-widget [aria-label*="Save to settings"]').count()) > 0, 'a save button');
    await wb.screenshot('exemplar-url');
    await box.press('Enter');
    await wb.waitForNotification(/save http:\/\/127\.0\.0\.1:\d+ as the Prometheus URL/);
  });

  it('takes a typed PromQL expression and shows the exemplars slowest first, with series, time and trace ID', async () => {
    assert.ok(wb);
    const box = input(wb);
    await wb.page.locator('.quick-input-widget', { hasText: 'Open Trace from Exemplar: PromQL' }).waitFor({ timeout: 10_000 });
    await box.fill('http_server_duration_seconds_bucket{route="/api/checkout"}');
    const typed = rows(wb).filter({ hasText: 'Query: http_server_duration_seconds_bucket{route="/api/checkout"}' });
    await typed.first().waitFor({ timeout: 10_000 });
    await wb.screenshot('exemplar-query');
    await box.press('Enter');
    const first = rows(wb).first();
    await first.filter({ hasText: '3.00 s' }).waitFor({ timeout: 30_000 });
    const texts = (await rows(wb).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.ok(texts.length >= 4, texts.join('\n'));
    assert.match(texts[0] ?? '', /^3\.00 s ?\d+ min ago · 9cf35a0a… \{job="checkout", le="5", route="\/api\/checkout", service="checkout-service"\}$/);
    assert.match(texts[1] ?? '', /^2\.54 s ?.*a77f7d7c…/);
    assert.match(texts.at(-1) ?? '', /^381 ms ?.*9dce8c83…/);
    await wb.page.locator('.quick-input-widget', { hasText: 'slowest first' }).waitFor();
    assert.match(await input(wb).getAttribute('placeholder') ?? '', /^4 exemplars of http_server_duration_seconds_bucket · pick one to open its trace/);
    await wb.screenshot('exemplar-pick');
  });

  it('opens the waterfall of the picked exemplar', async () => {
    assert.ok(wb);
    await input(wb).press('Enter');
    const tab = wb.page.locator('.tabs-container .tab', { hasText: /Trace 9cf35a0a/ }).first();
    await tab.waitFor({ state: 'visible', timeout: 60_000 });
    const frame = await wb.webview();
    await frame.locator('.wf-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('exemplar-waterfall');
  });

  it('shows a PromQL error as Prometheus words it', async () => {
    assert.ok(wb);
    await wb.runCommand('On-Call: Open Trace from Exemplar…');
    const box = input(wb);
    await wb.page.locator('.quick-input-widget', { hasText: 'Open Trace from Exemplar: PromQL' }).waitFor({ timeout: 10_000 });
    await box.fill('rate(http_server_duration_seconds_bucket[5m]');
    await rows(wb).filter({ hasText: 'Query: rate(' }).first().waitFor({ timeout: 10_000 });
    await box.press('Enter');
    const text = await wb.waitForNotification(/parse error: unclosed left parenthesis/);
    assert.match(text, /Prometheus rejected the query rate\(http_server_duration_seconds_bucket\[5m\]: 1:\d+: parse error: unclosed left parenthesis/);
    await wb.screenshot('exemplar-error');
  });
});
