// Runbooks as a person sees them in the real workbench: the Runbooks view (real-world, demo and built-in runbooks
// grouped by service), a runbook opened from a handler's code lens and from a pasted alert, a checklist tick that
// survives closing the viewer, a shell step run in a terminal after the confirmation dialog, hostile Markdown that
// runs nothing — and, in a second workbench in Restricted Mode, "Run in terminal" refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, FrameLocator } from 'playwright-core';
import { openWorkbench, type Workbench } from './workbench';

const RUN_TEST = `---
title: Terminal check
alerts: [TerminalCheck]
last_reviewed: 2026-11-20
---
# TerminalCheck

- [ ] Say hello from the runbook

\`\`\`sh
echo "hello-from-runbook-$((20 + 22))" | tee ran-from-ui.txt
\`\`\`
`;

const PRODUCTS = `---
title: Products API errors
alerts: [ProductsApiErrors]
code: ["polyglot/go-gin/**"]
last_reviewed: 2026-11-20
---
# ProductsApiErrors

## Diagnosis

- [ ] Which route fails? Paste it into [Go to Handler](command:oncall.goToHandler).
`;

const HOSTILE = `---
title: Hostile runbook
alerts: [HostileRunbook]
---
# HostileRunbook

<script>window.__xss = 1</script>
<img src=x onerror="window.__xss = 2">
<iframe src="javascript:window.__xss=3"></iframe>

[click me](javascript:window.__xss=4) and [this too](JaVaScRiPt:window.__xss=5) and [data](data:text/html,<script>window.__xss=6</script>)
and [a VS Code command](command:workbench.action.terminal.new) and <a href="javascript:window.__xss=7">raw</a>.

## "><img src=x onerror=window.__xss=8>
`;

function writeRunbook(workspace: string, rel: string, text: string): void {
  const file = path.join(workspace, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

async function showRunbooksView(wb: Workbench): Promise<void> {
  await wb.showOnlyView('Runbooks');
}

async function runbookFrame(wb: Workbench, title: string): Promise<FrameLocator> {
  await wb.page.locator(`.tab[aria-label=${JSON.stringify(`Runbook: ${title}`)}]`).first().waitFor({ state: 'attached', timeout: 30_000 });
  const frame = await wb.webview(`Runbook: ${title}`);
  await frame.locator('.rb-body h1, .rb-body h2').first().waitFor({ state: 'visible', timeout: 60_000 });
  return frame;
}

async function runbookDocument(wb: Workbench, text: string): Promise<Frame> {
  for (const f of wb.page.frames()) {
    const hit = await f.evaluate(`document.querySelector('#app[data-view="runbook"]') !== null && document.body.innerText.includes(${JSON.stringify(text)})`).catch(() => false);
    if (hit) return f;
  }
  throw new Error(`no runbook document showing "${text}"`);
}

describe('Runbooks (UI)', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    // A Prometheus URL so Open Trace from Exemplar goes straight to its query pick (nothing listens there).
    // indexOnOpen: handler lenses appear when a source file opens, without visiting the Wire Map first.
    wb = await openWorkbench({ settings: { 'oncall.prometheus.url': 'http://127.0.0.1:9', 'oncall.wire.indexOnOpen': true } });
    writeRunbook(wb.workspace, 'runbooks/ui-tests/TerminalCheck.md', RUN_TEST);
    writeRunbook(wb.workspace, 'runbooks/ui-tests/ProductsApiErrors.md', PRODUCTS);
    writeRunbook(wb.workspace, 'runbooks/ui-tests/HostileRunbook.md', HOSTILE);
  });

  after(async () => {
    await wb?.close();
  });

  it('lists real-world, demo and built-in runbooks grouped by service, stale ones marked', async () => {
    await showRunbooksView(wb);
    const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Runbooks' }) }).first();
    for (const group of ['checkout-service', 'pricing-service', 'kubernetes', 'On-Call Lens (built-in)']) {
      await pane.locator('.monaco-list-row', { hasText: group }).first().waitFor({ state: 'visible', timeout: 60_000 });
    }
    // Open the pricing group: its stale runbook says so.
    await pane.locator('.monaco-list-row', { hasText: 'pricing-service' }).first().click();
    await pane.locator('.monaco-list-row', { hasText: 'stale' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await pane.locator('.monaco-list-row', { hasText: 'kubernetes' }).first().click();
    await pane.locator('.monaco-list-row', { hasText: /^Kube / }).first().waitFor({ state: 'visible' });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('runbooks-view');
  });

  it('opens a runbook from the Runbooks (N) code lens of a service file, and keeps a tick after the viewer closes', async () => {
    await wb.runCommand('Go to File...');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('services/checkout-service/src/deadline.ts');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'deadline.ts' }).first().click({ timeout: 20_000 });
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: /Runbooks \(\d+\)/ }).first();
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    await lens.click();
    // deadline.ts is in the code globs of two checkout runbooks: pick one.
    const pick = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Checkout p99 latency high' }).first();
    await pick.waitFor({ state: 'visible', timeout: 20_000 });
    await pick.click();
    let frame = await runbookFrame(wb, 'Checkout p99 latency high');
    await frame.locator('.rb-toc').first().waitFor({ state: 'visible' });
    const first = frame.locator('input[data-check]').first();
    await first.check();
    await frame.locator('text=1 of').first().waitFor({ timeout: 10_000 });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('runbook-viewer');
    // Close the viewer and open it again from the tree: the tick is still there.
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('On-Call: Find Runbook for Alert…');
    const input = wb.page.locator('.quick-input-widget input');
    await input.fill('CheckoutLatencyHigh');
    await wb.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Checkout p99 latency high' }).first().waitFor({ timeout: 20_000 });
    await input.press('Enter');
    frame = await runbookFrame(wb, 'Checkout p99 latency high');
    await frame.locator('input[data-check]').first().waitFor();
    assert.equal(await frame.locator('input[data-check]').first().isChecked(), true, 'the tick was remembered');
  });

  it("opens a runbook from the Runbooks (N) lens beside a handler's route lens", async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Go to File...');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('polyglot/go-gin/internal/products/routes.go');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'routes.go' }).first().click({ timeout: 20_000 });
    const route = wb.page.locator('.monaco-editor .codelens-decoration', { hasText: 'GET /api/v1/products/{id}' }).first();
    await route.waitFor({ state: 'visible', timeout: 90_000 });
    // The lenses of one line share a decoration: the route, Follow the wire, Runbooks (1).
    const lens = route.locator('a', { hasText: 'Runbooks (1)' });
    await lens.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('runbook-handler-lens');
    await lens.click();
    const frame = await runbookFrame(wb, 'Products API errors');
    await frame.locator('a[data-link]', { hasText: 'Go to Handler' }).waitFor();
  });

  it('finds the runbook for a pasted Alertmanager notification', async () => {
    // The viewer of the last test takes focus when its page loads, which would close a quick pick opened before.
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('On-Call: Find Runbook for Alert…');
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('[FIRING:2] KubePodCrashLooping (shop checkout-service-6d9f7c warning)');
    const best = wb.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Kube Pod Crash Looping' }).first();
    await best.waitFor({ state: 'visible', timeout: 20_000 });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('runbook-find-for-alert');
    await input.press('Enter');
    const frame = await runbookFrame(wb, 'Kube Pod Crash Looping');
    await frame.locator('.rb-body h2', { hasText: 'Diagnosis' }).waitFor();
    // A multi-line Grafana notification, from the clipboard through the picker's title button.
    await wb.runCommand('View: Close All Editors');
    const grafana = ['**Firing**', '', 'Value: A=1', 'Labels:', ' - alertname = KubeDeploymentReplicasMismatch', ' - namespace = shop', ' - deployment = pricing-service', 'Annotations:', ' - summary = Deployment has not matched the expected number of replicas.'].join('\n');
    await wb.page.locator('.part.editor').click(); // the clipboard API needs the page's document focused
    await wb.page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(grafana)})`);
    await wb.runCommand('On-Call: Find Runbook for Alert…');
    await input.waitFor({ state: 'visible' });
    await wb.page.locator('.quick-input-widget .action-label[aria-label*="clipboard"]').first().click();
    await wb.page.locator('.quick-input-widget', { hasText: 'from the clipboard: **Firing**' }).waitFor({ timeout: 20_000 });
    const top = wb.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'KubeDeploymentReplicasMismatch' }).first();
    await top.waitFor({ state: 'visible', timeout: 20_000 });
    await wb.screenshot('runbook-find-from-clipboard');
    await wb.page.keyboard.press('Enter');
    await runbookFrame(wb, 'Kube Deployment Replicas Mismatch');
  });

  it("Open Trace from Exemplar offers the services' exemplar metrics from oncall.yaml, the current file's first", async () => {
    await wb.runCommand('Go to File...');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('services/pricing-service/src/priceCache.ts');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'priceCache.ts' }).first().click({ timeout: 20_000 });
    await wb.page.locator('.tab.active', { hasText: 'priceCache.ts' }).first().waitFor({ timeout: 20_000 });
    await wb.runCommand('On-Call: Open Trace from Exemplar…');
    const rows = wb.page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 20_000 });
    const first = await rows.first().innerText();
    assert.match(first, /job="pricing-service"/);
    assert.match(first, /this file's service/);
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'job="checkout-service"' }).first().waitFor();
    await wb.screenshot('exemplar-queries-from-catalog');
    // The picker ignores focus loss: close it for sure, or the next command palette cannot open over it.
    for (let i = 0; i < 3 && (await wb.page.locator('.quick-input-widget').isVisible()); i++) {
      await wb.page.locator('.quick-input-widget input').first().press('Escape').catch(() => undefined);
      await wb.page.waitForTimeout(300);
    }
  });

  it('runs a shell step only after the confirmation dialog that shows the exact command', async () => {
    await wb.runCommand('On-Call: Find Runbook for Alert…');
    const input = wb.page.locator('.quick-input-widget input');
    await input.fill('TerminalCheck');
    await wb.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Terminal check' }).first().waitFor({ timeout: 20_000 });
    await input.press('Enter');
    const frame = await runbookFrame(wb, 'Terminal check');
    await frame.locator('.rb-run').first().click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await dialog.innerText();
    assert.ok(text.includes('echo "hello-from-runbook-$((20 + 22))" | tee ran-from-ui.txt'), text);
    await wb.screenshot('runbook-run-confirm');
    // Cancel first: nothing runs.
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await wb.page.waitForTimeout(1000);
    assert.equal(fs.existsSync(path.join(wb.workspace, 'ran-from-ui.txt')), false);
    // Then run it.
    await frame.locator('.rb-run').first().click();
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    await dialog.locator('.monaco-button', { hasText: 'Run in Terminal' }).click();
    const out = path.join(wb.workspace, 'ran-from-ui.txt');
    for (let i = 0; i < 100 && !(fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('hello-from-runbook-42')); i++) await wb.page.waitForTimeout(200);
    assert.ok(fs.readFileSync(out, 'utf8').includes('hello-from-runbook-42'), 'the command ran in the terminal');
    await frame.locator('.rb-ran').first().waitFor({ state: 'visible', timeout: 20_000 });
    await wb.page.waitForTimeout(500);
    await wb.screenshot('runbook-ran-in-terminal');
  });

  it('a built-in runbook links the extension\'s own commands: a click opens Open Trace by ID; Copy puts a command on the clipboard', async () => {
    // The terminal and viewer of the last test may still take focus, closing a quick pick opened too soon.
    await wb.runCommand('View: Close All Editors');
    if (await wb.page.locator('.part.panel').first().isVisible()) await wb.runCommand('View: Hide Panel');
    await wb.runCommand('On-Call: Find Runbook for Alert…');
    const input = wb.page.locator('.quick-input-widget input');
    await input.fill('First 30 minutes');
    await wb.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'First 30 minutes' }).first().waitFor({ timeout: 20_000 });
    await input.press('Enter');
    const frame = await runbookFrame(wb, 'First 30 minutes on an unknown service');
    await frame.locator('a[data-link]', { hasText: 'Open Trace by ID' }).first().click();
    await wb.page.locator('.quick-input-widget', { hasText: 'Open Trace by ID' }).waitFor({ state: 'visible', timeout: 20_000 });
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.quick-input-widget-closing').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    // Copy: the block's command text, prompts stripped, reaches the clipboard.
    const block = frame.locator('.rb-code[data-command]').first();
    const code = (await block.locator('pre').innerText()).trim();
    await block.locator('.rb-tool', { hasText: 'Copy' }).click();
    await wb.page.waitForTimeout(500);
    const clip = await wb.page.evaluate('navigator.clipboard.readText()');
    assert.equal(String(clip).trim(), code.replace(/^\$ /gm, ''));
  });

  it('renders hostile Markdown as text and runs none of it in the real webview', async () => {
    await wb.runCommand('On-Call: Find Runbook for Alert…');
    const input = wb.page.locator('.quick-input-widget input');
    await input.fill('HostileRunbook');
    await wb.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Hostile runbook' }).first().waitFor({ timeout: 20_000 });
    await input.press('Enter');
    const frame = await runbookFrame(wb, 'Hostile runbook');
    // Every link is inert: clicking the blocked ones and the raw one does nothing.
    for (const text of ['click me', 'this too', 'data', 'a VS Code command']) {
      const el = frame.getByText(text, { exact: false }).first();
      if ((await el.count()) > 0) await el.click();
    }
    await wb.page.waitForTimeout(1000);
    const doc = await runbookDocument(wb, 'Hostile runbook');
    const state = await doc.evaluate(`({
      xss: typeof window.__xss,
      imgs: document.querySelectorAll('img').length,
      iframes: document.querySelectorAll('iframe').length,
      scripts: [...document.scripts].filter((s) => s.textContent.includes('__xss')).length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
      hrefs: [...document.querySelectorAll('a[href]')].filter((a) => a.getAttribute('href') !== '#').length,
    })`);
    assert.deepEqual(state, { xss: 'undefined', imgs: 0, iframes: 0, scripts: 0, handlers: 0, hrefs: 0 });
    // The blocked links are marked as such, not clickable.
    assert.ok((await frame.locator('a[data-link]', { hasText: 'click me' }).count()) === 0, 'javascript: is not a link');
    await wb.screenshot('runbook-hostile');
  });
});

describe('Runbooks in Restricted Mode (UI)', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench({ restricted: true });
  });

  after(async () => {
    await wb?.close();
  });

  it('disables "Run in terminal" with an explanation; Copy still works', async () => {
    await wb.runCommand('On-Call: Find Runbook for Alert…');
    const input = wb.page.locator('.quick-input-widget input');
    await input.fill('CheckoutLatencyHigh');
    await wb.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Checkout p99 latency high' }).first().waitFor({ timeout: 30_000 });
    await input.press('Enter');
    const frame = await runbookFrame(wb, 'Checkout p99 latency high');
    const run = frame.locator('.rb-run').first();
    await run.waitFor();
    assert.equal(await run.isDisabled(), true, 'Run is disabled');
    await frame.getByText('Restricted Mode', { exact: false }).first().waitFor();
    // Copy still works.
    assert.equal(await frame.locator('.rb-tool', { hasText: 'Copy' }).first().isDisabled(), false);
    await wb.page.waitForTimeout(300);
    await wb.screenshot('runbook-restricted');
    // Even a page that forces the button on cannot run anything: the host checks Workspace Trust itself.
    const doc = await runbookDocument(wb, 'Checkout p99 latency high');
    await doc.evaluate(`(() => { const b = document.querySelector('.rb-run'); b.disabled = false; b.click(); })()`);
    await wb.waitForNotification(/disabled in Restricted Mode/);
    assert.equal(await wb.page.locator('.monaco-dialog-box').count(), 0, 'no confirmation dialog was shown');
  });
});
