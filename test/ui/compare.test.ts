// What a person sees: "On-Call: Compare Traces…" from the palette, two traces picked from the quick pick (or two
// IDs pasted), and the merged tree with its summary — in the real workbench, with screenshots.
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { openWorkbench, type Workbench } from './workbench';

/** The demo's first cache miss (slow SELECT, retry, 504) and a healthy checkout of the same route. */
const slowId = '9cf35a0a068b7724b80691ede72e69f5';
const fastId = '9dce8c838ffef85d83bd9be93d69c393';
/** A checkout that waited 2.9 s for the DB pool. */
const poolId = 'a77f7d7c93378ee801c4985086c872a4';

async function quickPick(wb: Workbench, title: RegExp): Promise<void> {
  await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
}

/** Types into the open quick pick and accepts the row that shows `rowText`. */
async function choose(wb: Workbench, typed: string, rowText: string | RegExp): Promise<void> {
  const box = wb.page.locator('.quick-input-widget .quick-input-box input');
  await box.fill(typed);
  const row = wb.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText });
  await row.first().waitFor({ state: 'visible', timeout: 10_000 });
  await box.press('Enter');
}

async function compareFrame(wb: Workbench, title: string): Promise<FrameLocator> {
  const tab = wb.page.locator('.tabs-container .tab', { hasText: title }).first();
  await tab.waitFor({ state: 'visible', timeout: 60_000 });
  const frame = await wb.webview(title);
  await frame.locator('.cmp-row').first().waitFor({ state: 'visible', timeout: 60_000 });
  return frame;
}

describe('Compare Traces (UI)', function () {
  this.timeout(240_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench({ settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  });

  after(async () => {
    await wb?.close();
  });

  it('picks A and B from the workspace traces and shows the merged tree with its summary', async () => {
    await wb.runCommand('On-Call: Compare Traces…');
    await quickPick(wb, /Compare Traces \(1\/2\)/);
    await wb.screenshot('compare-pick-a');
    await choose(wb, fastId.slice(0, 8), fastId);
    await quickPick(wb, /Compare Traces \(2\/2\)/);
    // Traces of the same route as A are offered first.
    await wb.page.locator('.quick-input-list', { hasText: 'same route: POST /api/checkout' }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('compare-pick-b');
    await choose(wb, slowId.slice(0, 8), slowId);

    const frame = await compareFrame(wb, 'Compare 9dce8c83 ↔ 9cf35a0a');
    const header = await frame.locator('.cmp-header').innerText();
    assert.match(header, /Trace comparison/);
    assert.match(header, /8\s*only in B/);
    assert.match(header, /5\s*only in A/);
    assert.match(header, /B \+4\.87 s · 13\.8× slower/);
    assert.equal(await frame.locator('.cmp-row').count(), 18, 'all 18 rows fit the viewport');
    assert.equal(await frame.locator('.cmp-row.status-added').count(), 8);
    assert.equal(await frame.locator('.cmp-row.status-missing').count(), 5);
    assert.equal((await frame.locator('.cmp-row').first().locator('.cmp-diff').innerText()).trim(), '+2.62 s');
    await wb.screenshot('compare-traces');
  });

  it('goes to a regression from the summary, and walks the differences from the keyboard', async () => {
    const frame = await wb.webview('Compare 9dce8c83 ↔ 9cf35a0a');
    await frame.locator('.cmp-chip', { hasText: 'SELECT catalog_items' }).first().click();
    await frame.locator('.cmp-row.selected .cmp-op', { hasText: 'SELECT catalog_items' }).waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('n');
    assert.equal((await frame.locator('.cmp-row.selected .cmp-op').innerText()).trim(), 'GET', 'the next difference: the retry only B made');
    await wb.page.keyboard.press('d');
    await frame.locator('.cmp-toggle.on').waitFor({ timeout: 10_000 });
    assert.equal(await frame.locator('.cmp-row').count(), 17, 'only differences: the unchanged applyPromotions is hidden');
    await frame.locator('.cmp-count', { hasText: '17 of 18 rows' }).waitFor();
    await wb.page.keyboard.press('ArrowUp');
    await wb.page.keyboard.press('ArrowLeft');
    await wb.screenshot('compare-only-differences');
    await wb.page.keyboard.press('d');
    await frame.locator('.cmp-toggle:not(.on)').waitFor({ timeout: 10_000 });
  });

  it('takes two pasted IDs at once, and offers the open waterfall as A from its title bar', async () => {
    await wb.runCommand('On-Call: Compare Traces…');
    await quickPick(wb, /Compare Traces \(1\/2\)/);
    await choose(wb, `${slowId} vs ${poolId}`, /Compare 9cf35a0a \(A\) with a77f7d7c \(B\)/);
    const frame = await compareFrame(wb, 'Compare 9cf35a0a ↔ a77f7d7c');
    await frame.locator('.cmp-row.status-changed .cmp-op', { hasText: 'db.pool.acquire' }).first().waitFor();

    // The waterfall of the slow trace, then "Compare Traces…" from its editor title: A is preselected.
    await wb.runCommand('On-Call: Open Trace by ID…');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill(slowId);
    await box.press('Enter');
    const tab = wb.page.locator('.tabs-container .tab.active', { hasText: /Trace 9cf35a0a/ });
    await tab.first().waitFor({ state: 'visible', timeout: 60_000 });
    const action = wb.page.locator('.editor-actions .action-label[aria-label^="Compare Traces"]').first();
    await action.waitFor({ state: 'visible', timeout: 20_000 });
    await action.click();
    await quickPick(wb, /Compare Traces \(1\/2\)/);
    const active = wb.page.locator('.quick-input-list .monaco-list-row.focused');
    await active.filter({ hasText: slowId }).waitFor({ timeout: 10_000 });
    assert.match(await active.innerText(), /open/);
    await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    await quickPick(wb, /Compare Traces \(2\/2\)/);
    await choose(wb, fastId.slice(0, 8), fastId);
    const reverse = await compareFrame(wb, 'Compare 9cf35a0a ↔ 9dce8c83');
    assert.match(await reverse.locator('.cmp-header').innerText(), /B −4\.87 s · 13\.8× faster/);
    await wb.screenshot('compare-from-waterfall');
  });
});
