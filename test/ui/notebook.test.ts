// The hypothesis notebook in the real workbench (what a person sees): Start Incident from the palette, the panel with
// its header and phases, a hypothesis typed from the keyboard, the status-bar clock, evidence from an editor
// selection, the panel and the status bar back after a window reload (with a draft typed before it), the demo
// incident, and the postmortem. Screenshots: test-results/screenshots/notebook-*.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { openWorkbench } from './workbench';
import type { Workbench } from './workbench';

describe('Hypothesis notebook (UI)', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let id = '';

  before(async () => {
    wb = await openWorkbench({ viewport: { width: 1400, height: 950 } });
  });
  after(async () => {
    await wb?.close();
  });

  const input = (): ReturnType<Workbench['page']['locator']> => wb.page.locator('.quick-input-widget .quick-input-box input');
  const widget = (text: string | RegExp): ReturnType<Workbench['page']['locator']> => wb.page.locator('.quick-input-widget', { hasText: text });
  /** The notebook's page (the webview drawn over the view "Hypothesis Notebook"). */
  const notebook = (): Promise<FrameLocator> => wb.webview('Hypothesis Notebook');

  it('Start Incident asks five things, writes the file and shows the notebook with its header and phases', async () => {
    await wb.runCommand('On-Call: Start Incident…', { expect: widget('Start Incident (1/5)') });
    await input().fill('Checkout returns 502 for a third of requests');
    await input().press('Enter');
    await widget('Start Incident (2/5)').waitFor();
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'SEV-2' }).first().click();
    await widget('Start Incident (3/5)').waitFor();
    await input().fill('Lena Fischer');
    await input().press('Enter');
    await widget('Start Incident (4/5)').waitFor();
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'An alert' }).first().click();
    await widget('which alert').waitFor();
    await input().fill('CheckoutHighErrorRate');
    await input().press('Enter');
    await widget('Start Incident (5/5)').waitFor();
    await input().fill('-20m');
    await input().press('Enter');
    const toast = await wb.waitForNotification(/INC-\d{4}-\d{2}-\d{2}-\d{2} started \(SEV-2\)/);
    id = /INC-\d{4}-\d{2}-\d{2}-\d{2}/.exec(toast)?.[0] ?? '';
    assert.ok(fs.existsSync(path.join(wb.workspace, '.oncall', 'incidents', `${id}.md`)), 'the incident file is written');
    const nb = await notebook();
    await nb.locator('.nb-header .nb-id', { hasText: id }).waitFor({ timeout: 30_000 });
    assert.match(await nb.locator('h1.nb-title').innerText(), /Checkout returns 502/);
    assert.equal(await nb.locator('.nb-header .nb-sev').innerText(), 'SEV-2');
    assert.match(await nb.locator('.nb-phase-button[aria-current="step"]').innerText(), /triage/i);
    assert.match(await nb.locator('.nb-elapsed-text').innerText(), /2\d\s*m|20m|21m/);
    // The status bar keeps the clock.
    const item = wb.page.locator('.part.statusbar .statusbar-item', { hasText: id });
    await item.waitFor({ timeout: 10_000 });
    assert.match(await item.innerText(), /SEV-2 · triage · 2\dm/);
    await wb.page.waitForTimeout(400);
    await wb.screenshot('notebook-started');
  });

  it('a hypothesis from the keyboard: h, the statement, the prediction that would falsify it, the test, Ctrl+Enter', async () => {
    const nb = await notebook();
    await nb.locator('.nb-main').first().click({ position: { x: 5, y: 5 } });
    await nb.locator('body').press('h');
    const form = nb.locator('form[data-form="hypothesis"]');
    await form.waitFor();
    await form.locator('[name="statement"]').fill('The price cache stampedes when its entry expires');
    await form.locator('[name="prediction"]').fill('No burst of catalog queries at the moment of expiry');
    await form.locator('[name="test"]').fill('Count catalog DB spans per second around the expiry');
    await form.locator('[name="probability"]').fill('60');
    await form.locator('[name="test"]').press('Control+Enter');
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    await nb.locator('.nb-hyp', { hasText: 'The price cache stampedes' }).waitFor();
    const text = fs.readFileSync(path.join(wb.workspace, '.oncall', 'incidents', `${id}.md`), 'utf8');
    assert.match(text, /### H1 · The price cache stampedes when its entry expires/);
    assert.match(text, /Prediction \(would falsify it\): No burst of catalog queries/);
    await wb.page.waitForTimeout(300);
    await wb.screenshot('notebook-hypothesis');
  });

  it('Add Selection to Notebook: the lines of a file become an observation that reopens the file', async () => {
    await wb.runCommand('Go to File...');
    await input().fill('services/pricing-service/src/priceCache.ts');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'priceCache.ts' }).first().click({ timeout: 20_000 });
    await wb.page.locator('.tab.active', { hasText: 'priceCache.ts' }).first().waitFor({ timeout: 20_000 });
    await wb.runCommand('Go to Line/Column...');
    await input().fill(':30');
    await input().press('Enter');
    // The keys go to the editor only once "Go to Line" has closed and handed the focus back.
    await wb.page.locator('.quick-input-widget-closing').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    await wb.page.locator('.part.editor .monaco-editor.focused').first().waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('Shift+ArrowDown');
    await wb.page.keyboard.press('Shift+ArrowDown');
    await wb.page.locator('.part.statusbar', { hasText: /Ln 32, Col 1 \(\d+ selected\)/ }).first().waitFor({ timeout: 10_000 });
    // One open hypothesis: it asks whether this is an observation or evidence for H1.
    // It reads git (is the file committed, at which commit) before it asks: give it time on a loaded machine.
    await wb.runCommand('On-Call: Add Selection to Notebook', { expect: widget('Add to Notebook'), expectTimeoutMs: 30_000 });
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Supports H1' }).first().click();
    const nb = await notebook();
    const evidence = nb.locator('.nb-hyp', { hasText: 'The price cache stampedes' }).locator('text=/priceCache\\.ts:30-31/');
    await evidence.first().waitFor({ timeout: 15_000 });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('notebook-evidence-from-selection');
  });

  it('after a window reload the incident is still active: the status bar, the panel, and a draft typed before', async () => {
    let nb = await notebook();
    await nb.locator('.nb-main').first().click({ position: { x: 5, y: 5 } });
    await nb.locator('body').press('o');
    await nb.locator('form[data-form="observation"] [name="text"]').fill('pricing-db pool at 8/8 since 03:12');
    await wb.page.waitForTimeout(1500); // the draft is kept as it is typed; the page sends it to the host 250 ms later
    await wb.reload();
    await wb.page.locator('.part.statusbar .statusbar-item', { hasText: id }).waitFor({ timeout: 60_000 });
    await wb.runCommand('On-Call: Show Incident Notebook');
    nb = await notebook();
    await nb.locator('.nb-header .nb-id', { hasText: id }).waitFor({ timeout: 30_000 });
    assert.equal(await nb.locator('form[data-form="observation"] [name="text"]').inputValue(), 'pricing-db pool at 8/8 since 03:12', 'the draft survived the reload');
    await nb.locator('form[data-form="observation"] [name="text"]').press('Control+Enter');
    await nb.locator('.nb-obs', { hasText: 'pricing-db pool at 8/8' }).waitFor({ timeout: 15_000 });
  });

  it('Open Incident: the demo incident, with its hypotheses, evidence and timeline', async () => {
    await wb.runCommand('On-Call: Open Incident…', { expect: widget('Open Incident') });
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'INC-2026-11-23-01' }).first().click();
    const nb = await notebook();
    await nb.locator('.nb-header .nb-id', { hasText: 'INC-2026-11-23-01' }).waitFor({ timeout: 30_000 });
    assert.equal(await nb.locator('.nb-hyp').count(), 3);
    assert.ok((await nb.locator('.nb-tl').count()) >= 10, 'the timeline is shown');
    await wb.page.waitForTimeout(400);
    await wb.screenshot('notebook-demo-incident');
  });

  it('Export Postmortem writes .oncall/postmortems/<id>.md on the SRE template and opens it', async () => {
    await wb.runCommand('On-Call: Export Postmortem');
    const tab = wb.page.locator('.tabs-container .tab', { hasText: 'INC-2026-11-23-01.md' });
    await tab.first().waitFor({ timeout: 20_000 });
    const file = path.join(wb.workspace, '.oncall', 'postmortems', 'INC-2026-11-23-01.md');
    assert.ok(fs.existsSync(file));
    const pm = fs.readFileSync(file, 'utf8');
    for (const h of ['Root cause', 'Trigger', 'Action items', 'Where we got lucky']) assert.match(pm, new RegExp(h, 'i'), h);
    await wb.page.waitForTimeout(400);
    await wb.screenshot('notebook-postmortem');
    // The lint's findings are in the Problems panel, with their source.
    await wb.page.locator('.part.editor .monaco-editor').first().click({ position: { x: 5, y: 5 } }).catch(() => undefined);
    await wb.page.keyboard.press('Control+Shift+M');
    const row = wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'postmortem lint' }).first();
    await row.waitFor({ timeout: 20_000 });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('notebook-postmortem-lint');
  });
});
