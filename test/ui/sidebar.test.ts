// The On-Call sidebar's Traces view and the Getting Started walkthrough, as a person sees them.
import * as assert from 'node:assert/strict';
import { openWorkbench, type Workbench } from './workbench';

describe('Traces view and walkthrough (UI)', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench();
  });

  after(async () => {
    await wb?.close();
  });

  it('lists the demo trace files and their traces, and opens a trace on click', async () => {
    await wb.showOnlyView('Traces');
    const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Traces' }) }).first();
    const file = pane.locator('.monaco-list-row', { hasText: 'checkout-stampede.json' }).first();
    await file.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await file.innerText(), /5 traces · OTLP\/JSON/);
    for (const name of ['incident-0312.jsonl', 'pricing-slow.jaeger.json', 'zipkin-retry.trace.json']) {
      await pane.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
    }
    const trace = pane.locator('.monaco-list-row', { hasText: 'POST /api/checkout' }).first();
    await trace.waitFor();
    await wb.screenshot('traces-view');
    await trace.click();
    const frame = await wb.webview();
    await frame.locator('.wf-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    await frame.locator('.wf-title', { hasText: 'POST /api/checkout' }).first().waitFor();
  });

  it('shows the Getting Started walkthrough', async () => {
    await wb.runCommand('Welcome: Open Walkthrough...');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('On-Call Lens');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with On-Call Lens' }).first().waitFor({ timeout: 20_000 });
    await box.press('Enter');
    await wb.page.getByText('Open a trace by ID', { exact: true }).first().waitFor({ timeout: 30_000 });
    await wb.page.getByText('Jump from a span to the code').first().waitFor();
    for (const step of ['Connect Jaeger, Tempo or Zipkin', 'From a latency spike to its trace', 'Compare a slow trace with a fast one', 'Read the runbook beside the code', 'What changed?', 'Keep a hypothesis notebook']) {
      await wb.page.getByText(step, { exact: true }).first().waitFor({ timeout: 10_000 });
    }
    await wb.screenshot('walkthrough');
  });
});
