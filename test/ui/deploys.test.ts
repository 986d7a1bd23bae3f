// "What changed" as a person sees it: the Deploys view per service, the What Changed timeline before the incident,
// and the deploy lens on a file the last deploy changed, opening VS Code's diff between the deploys.
import * as assert from 'node:assert/strict';
import { openWorkbench, type Workbench } from './workbench';

describe('What changed (UI)', function () {
  this.timeout(240_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench();
  });

  after(async () => {
    await wb?.close();
  });

  it('lists recent deploys per service with their files', async () => {
    await wb.showOnlyView('Deploys');
    const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Deploys' }) }).first();
    await pane.locator('.monaco-list-row', { hasText: 'payments-service' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    const deploy = pane.locator('.monaco-list-row', { hasText: /^v?1\.9\.4/ }).first();
    await deploy.waitFor({ state: 'visible', timeout: 20_000 });
    await deploy.click();
    await pane.locator('.monaco-list-row', { hasText: 'pspClient.ts' }).first().waitFor({ timeout: 10_000 });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('deploys-view');
  });

  it('What Changed: the timeline of the 24 h before the incident start', async () => {
    await wb.runCommand('On-Call: What Changed…');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Before an incident start' }).first().click();
    await wb.page.locator('.quick-input-widget', { hasText: 'incident start (UTC)' }).waitFor({ timeout: 10_000 });
    await box.fill('2026-11-23 03:12');
    await box.press('Enter');
    await wb.showOnlyView('What Changed');
    const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'What Changed' }) }).first();
    const row = pane.locator('.monaco-list-row', { hasText: 'before the incident start' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const texts = await pane.locator('.monaco-list-row').allInnerTexts();
    assert.ok(texts.some((t) => /checkout\.bf-early-access/.test(t)), texts.join(' | '));
    await wb.page.waitForTimeout(300);
    await wb.screenshot('what-changed');
  });

  it('the deploy lens on a changed file opens the diff between the deploys', async () => {
    await wb.runCommand('Go to File...');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('services/payments-service/src/pspClient.ts');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'pspClient.ts' }).first().click({ timeout: 20_000 });
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: /Changed in deploy payments-service-v1\.9\.4/ }).first();
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('deploy-code-lens');
    await wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Open diff' }).first().click();
    await wb.page.locator('.tab.active', { hasText: 'deploy before' }).first().waitFor({ timeout: 30_000 });
    await wb.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.waitForTimeout(800);
    await wb.screenshot('deploy-diff');
  });
});
