// What a person sees of trace backends in the real workbench: Open Trace by ID answered by a (contract) Jaeger, the
// choice of where to look, Find Traces slowest first, and the credentials prompt. Screenshots under
// test-results/screenshots/backend-*.png. The backends are loopback contract servers serving real SDK output.
import * as assert from 'node:assert/strict';
import type { ContractServer } from '../contract/servers';
import { recentFixture, startContractServer } from '../contract/servers';
import { openWorkbench, type Workbench } from './workbench';

/** The slow checkout of the contract fixture: 12 spans, a declined card. In no demo file. */
const slowId = '4a2e37d7a16c6f54d848a12e98fbf5ec';

describe('Traces from backends (UI)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let jaeger: ContractServer;
  let zipkin: ContractServer;
  let hang: ContractServer;

  before(async function () {
    this.timeout(300_000);
    const recent = recentFixture();
    jaeger = await startContractServer('jaeger', recent);
    zipkin = await startContractServer('zipkin', { ...recent, authorization: 'Bearer ui-t0ken' });
    hang = await startContractServer('tempo', { ...recent, fault: { kind: 'hang' } });
    wb = await openWorkbench({
      settings: {
        'oncall.traces.backends': [
          { name: 'jaeger-prod', kind: 'jaeger', url: jaeger.url, lookbackHours: 24 },
          { name: 'zipkin-secured', kind: 'zipkin', url: zipkin.url },
          { name: 'tempo-hang', kind: 'tempo', url: hang.url },
        ],
      },
    });
  });

  after(async () => {
    await wb?.close();
    await jaeger?.close();
    await zipkin?.close();
    await hang?.close();
  });

  const input = (w: Workbench) => w.page.locator('.quick-input-widget .quick-input-box input');
  const widget = (w: Workbench, text: string | RegExp) => w.page.locator('.quick-input-widget', { hasText: text });
  const rows = (w: Workbench) => w.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

  it('Open Trace by ID: not in the files, answered by Jaeger — the waterfall says so', async () => {
    await wb.runCommand('On-Call: Open Trace by ID…', { expect: widget(wb, 'Open Trace by ID') });
    await widget(wb, 'from trace files, then each backend in order').waitFor({ timeout: 15_000 });
    await input(wb).fill(slowId);
    await input(wb).press('Enter');
    const tab = wb.page.locator('.tabs-container .tab', { hasText: /Trace 4a2e37d7/ }).first();
    await tab.waitFor({ state: 'visible', timeout: 60_000 });
    const frame = await wb.webview();
    await frame.locator('.wf-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    await frame.locator('text=/jaeger-prod/ >> visible=true').first().waitFor({ timeout: 10_000 }); // the status line says it too, hidden once done
    assert.equal(await frame.locator('.wf-row').count() >= 12, true, 'the 12 spans are listed');
    assert.ok(jaeger.requests.some((r) => r.path === `/api/traces/${slowId}` && r.query['start'] && r.query['end']), 'Jaeger was asked with the lookback window');
    await wb.screenshot('backend-waterfall');
    await wb.page.keyboard.press('Escape');
  });

  it('the server button narrows Open Trace by ID to one source', async () => {
    await wb.runCommand('On-Call: Open Trace by ID…', { expect: widget(wb, 'Open Trace by ID') });
    await widget(wb, 'Open Trace by ID').waitFor({ timeout: 15_000 });
    await wb.page.locator('.quick-input-widget .quick-input-titlebar .action-label, .quick-input-widget .quick-input-inline-action-bar .action-label').first().click();
    await widget(wb, 'where to look').waitFor({ timeout: 10_000 });
    const labels = await rows(wb).allInnerTexts();
    assert.ok(labels.some((l) => l.includes('Everywhere, in order')) && labels.some((l) => l.includes('Workspace trace files')) && labels.some((l) => l.includes('zipkin-secured')), labels.join(' | '));
    await wb.page.waitForTimeout(500); // the quick input fades in over the webview
    await wb.screenshot('backend-choose-source');
    await input(wb).fill('zipkin-secured');
    await input(wb).press('Enter');
    await widget(wb, 'from zipkin-secured only').waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('Escape');
  });

  it('Find Traces: service, operation, time range, then the traces slowest first with errors marked', async () => {
    await wb.runCommand('On-Call: Find Traces…');
    await widget(wb, 'which backend').waitFor({ timeout: 15_000 });
    await input(wb).fill('jaeger-prod');
    await input(wb).press('Enter');
    await widget(wb, 'Find Traces in jaeger-prod: service').waitFor({ timeout: 15_000 });
    // The services come from the backend (/api/services).
    await rows(wb).filter({ hasText: 'pricing-service' }).first().waitFor({ timeout: 15_000 });
    assert.match((await input(wb).getAttribute('placeholder')) ?? '', /known to the backend/);
    await input(wb).fill('checkout-service');
    await rows(wb).filter({ hasText: 'checkout-service' }).first().waitFor({ timeout: 20_000 });
    assert.equal(await rows(wb).count(), 1, 'only the typed service is left');
    await input(wb).press('Enter');
    await widget(wb, 'operation of checkout-service').waitFor({ timeout: 20_000 });
    await rows(wb).filter({ hasText: 'POST /api/checkout' }).first().waitFor({ timeout: 20_000 });
    await rows(wb).filter({ hasText: 'Any operation' }).first().click();
    await widget(wb, 'time range').waitFor({ timeout: 20_000 });
    await rows(wb).filter({ hasText: 'Last 6 hours' }).first().click();
    await widget(wb, 'slowest first').waitFor({ timeout: 20_000 });
    const texts = await rows(wb).allInnerTexts();
    assert.ok(texts.length >= 3, `three traces of checkout-service: ${texts.join(' | ')}`);
    assert.match(texts[0] ?? '', /POST \/api\/checkout/, 'the slowest (482 ms) checkout first');
    assert.match(texts[0] ?? '', /error/, 'with its errors marked');
    await wb.page.waitForTimeout(500); // the quick input fades in over the webview
    await wb.screenshot('backend-find-traces');
    await input(wb).press('Enter');
    await wb.page.locator('.tabs-container .tab', { hasText: /Trace 4a2e37d7/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
    // Let the waterfall settle (it takes focus when painted) before the next command.
    await (await wb.webview()).locator('.wf-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it("Find Traces starts from the service oncall.yaml gives the file on screen", async () => {
    await wb.runCommand('Go to File...');
    await input(wb).fill('services/checkout-service/src/checkoutHandler.ts');
    await rows(wb).filter({ hasText: 'checkoutHandler.ts' }).first().click({ timeout: 20_000 });
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'checkoutHandler.ts' }).first().waitFor({ timeout: 20_000 });
    await wb.runCommand('On-Call: Find Traces…');
    await widget(wb, 'which backend').waitFor({ timeout: 15_000 });
    await input(wb).fill('jaeger-prod');
    await input(wb).press('Enter');
    await widget(wb, 'Find Traces in jaeger-prod: service').waitFor({ timeout: 15_000 });
    assert.equal(await input(wb).inputValue(), 'checkout-service');
    await wb.page.keyboard.press('Escape');
  });

  it('Set Backend Credentials: the token is asked masked and kept in secret storage; Zipkin then answers', async () => {
    await wb.runCommand('On-Call: Set Backend Credentials…');
    await widget(wb, 'Set Backend Credentials').waitFor({ timeout: 15_000 });
    await input(wb).fill('zipkin-secured');
    await input(wb).press('Enter');
    await widget(wb, 'Credentials for zipkin-secured').waitFor({ timeout: 10_000 });
    await wb.page.waitForTimeout(500); // the quick input fades in over the webview
    await wb.screenshot('backend-credentials-kind');
    await rows(wb).filter({ hasText: 'Bearer token' }).first().click();
    // The token is typed into a masked box.
    await wb.page.locator('.quick-input-widget .quick-input-box input[type="password"]').waitFor({ timeout: 10_000 });
    await input(wb).fill('ui-t0ken');
    await input(wb).press('Enter');
    await wb.waitForNotification(/Stored a bearer token for zipkin-secured/);
    // The source chosen above (Zipkin only) still applies this session: Zipkin is asked, with the stored token.
    const before = zipkin.requests.length;
    await wb.runCommand('On-Call: Open Trace by ID…', { expect: widget(wb, 'Open Trace by ID') });
    await widget(wb, 'from zipkin-secured only').waitFor({ timeout: 15_000 });
    await input(wb).fill(slowId);
    await input(wb).press('Enter');
    const until = Date.now() + 30_000;
    while (Date.now() < until && !zipkin.requests.slice(before).some((r) => r.path === `/api/v2/trace/${slowId}`)) await new Promise((r) => setTimeout(r, 200));
    const asked = zipkin.requests.slice(before).find((r) => r.path === `/api/v2/trace/${slowId}`);
    assert.ok(asked, 'Zipkin was asked for the trace');
    assert.equal(asked.headers.authorization, 'Bearer ui-t0ken', 'with the token from secret storage');
  });

  it('a backend that never answers: progress with Cancel, and cancelling leaves nothing behind', async () => {
    const shortId = '0000000000000000b072e6bb20630d5f';
    // The waterfalls of the tests before are closed: a webview that reloads can take the focus from a quick input.
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('On-Call: Open Trace by ID…', { expect: widget(wb, 'Open Trace by ID') });
    await widget(wb, 'Open Trace by ID').waitFor({ timeout: 15_000 });
    await wb.page.locator('.quick-input-widget .quick-input-titlebar .action-label, .quick-input-widget .quick-input-inline-action-bar .action-label').first().click();
    await widget(wb, 'where to look').waitFor({ timeout: 10_000 });
    await input(wb).fill('tempo-hang');
    await input(wb).press('Enter');
    await widget(wb, 'from tempo-hang only').waitFor({ timeout: 10_000 });
    await input(wb).fill(shortId);
    await input(wb).press('Enter');
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'asking tempo-hang' });
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    const until = Date.now() + 10_000;
    while (Date.now() < until && !hang.requests.some((r) => r.path.startsWith('/api/traces/'))) await wb.page.waitForTimeout(100);
    assert.ok(hang.requests.some((r) => r.path === `/api/traces/${shortId}`), 'the request is in flight');
    const tab = wb.page.locator('.tabs-container .tab', { hasText: /Trace b072e6bb/ });
    await tab.waitFor({ state: 'visible', timeout: 10_000 });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('backend-progress-cancel');
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await toast.waitFor({ state: 'hidden', timeout: 10_000 });
    // The panel opened for it is closed again, and no error is shown: the user asked for this.
    await tab.waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual((await wb.notificationTexts()).filter((t) => /could not|failed|error/i.test(t)), []);
  });
});
