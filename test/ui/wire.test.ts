// "Follow the wire" as a person sees it: the Wire Map in the On-Call sidebar, code lenses with full routes on a
// route file, and Go to Handler taking a URL path pasted from a log.
import * as assert from 'node:assert/strict';
import { openWorkbench, type Workbench } from './workbench';

describe('Follow the wire (UI)', function () {
  this.timeout(240_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench();
  });

  after(async () => {
    await wb?.close();
  });

  it('shows the Wire Map: services in many languages, routes grouped by prefix, error exits under a handler', async () => {
    // The other On-Call views collapsed, so the Wire Map gets the room.
    await wb.showOnlyView('Wire Map');
    const header = wb.page.locator('.pane-header', { hasText: 'Wire Map' }).first();
    const pane = wb.page.locator('.pane', { has: header }).first();
    await pane.locator('.monaco-list-row', { hasText: 'polyglot/' }).first().waitFor({ state: 'visible', timeout: 90_000 });
    const rows = await pane.locator('.monaco-list-row').allInnerTexts();
    assert.ok(rows.some((t) => /\b(GET|POST|PUT|DELETE|PATCH)\s+\/\S+/.test(t)), `route rows: ${rows.slice(0, 8).join(' | ')}`);
    await wb.page.waitForTimeout(500);
    await wb.screenshot('wire-map');
  });

  it('puts code lenses with method and full route on a route file (prefixes from another package)', async () => {
    await wb.runCommand('Go to File...');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('polyglot/go-gin/internal/products/routes.go');
    await wb.page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 20_000 });
    await box.press('Enter');
    const lens = wb.page.locator('.monaco-editor .codelens-decoration', { hasText: 'GET /api/v1/products/{id}' }).first();
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.page.locator('.monaco-editor .codelens-decoration', { hasText: 'Follow the wire' }).first().waitFor();
    await wb.page.waitForTimeout(500);
    await wb.screenshot('wire-code-lenses');
  });

  it('Go to Handler: a URL path pasted from a log goes to its handler', async () => {
    await wb.runCommand('On-Call: Go to Handler…');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('https://shop.example.com/api/v1/products/42/images/front.png?w=200');
    const best = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: '/api/v1/products/{id}/images/{*path}' }).first();
    await best.waitFor({ state: 'visible', timeout: 20_000 });
    await wb.page.waitForTimeout(500);
    await wb.screenshot('wire-go-to-handler');
    await box.press('Enter');
    await wb.page.locator('.monaco-editor .codelens-decoration', { hasText: 'GET /api/v1/products/{id}/images/{*path}' }).first().waitFor({ timeout: 30_000 });
  });

  it('marks the error exits of the handler file in the gutter, with a hover that says which kind', async () => {
    // The handler file Go to Handler opened (go-gin products/handler.go) returns errors and answers 4xx/5xx.
    const glyph = wb.page.locator('.monaco-editor .cgmr').first();
    await glyph.waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok((await wb.page.locator('.monaco-editor .cgmr').count()) >= 2, 'several error exits are marked');
    await wb.page.waitForTimeout(500);
    await wb.screenshot('wire-error-exits');
  });

  it('Go to Handler: a path behind a prefix the map does not know offers the routes matching its end, and names the prefix', async () => {
    await wb.runCommand('On-Call: Go to Handler…');
    const box = wb.page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('GET https://edge.example.com/gateway/api/v1/products/42');
    const best = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'GET /api/v1/products/{id}' }).first();
    await best.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await best.innerText(), /matches the end, without \/gateway/);
    await wb.page.waitForTimeout(500);
    await wb.screenshot('wire-go-to-handler-prefix');
    await box.press('Escape');
  });
});
