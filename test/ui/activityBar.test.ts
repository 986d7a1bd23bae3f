// The workbench starts with the extension installed and shows its "On-Call" activity-bar container.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openWorkbench, type Workbench } from './workbench';

describe('activity bar', () => {
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench();
  });

  after(async () => {
    await wb?.close();
  });

  it('shows the On-Call container', async () => {
    assert.ok(wb);
    const onCall = wb.page.locator('.part.activitybar .action-item a.action-label[aria-label*="On-Call"]');
    await onCall.first().waitFor({ state: 'visible', timeout: 30_000 }).catch(() => undefined);
    const items = wb.page.locator('.part.activitybar .action-item a.action-label');
    const labels: string[] = [];
    for (let i = 0; i < (await items.count()); i++) labels.push((await items.nth(i).getAttribute('aria-label')) ?? '');
    assert.ok(await onCall.count() > 0, `no "On-Call" container in the activity bar; it has: ${JSON.stringify(labels)}`);
  });

  it('takes the workbench-start screenshot', async () => {
    assert.ok(wb);
    const file = await wb.screenshot('workbench-start');
    assert.ok(fs.statSync(file).size > 10_000, `${file} is suspiciously small`);
  });
});
