// The runbook viewer's harness checks: drive the page in Chromium (real CSP, fake host), assert on the DOM and the
// posted messages, and save screenshots (test-results/harness/runbook-*.png).
/* global window, document, getComputedStyle, atTopOrEnd */ // used inside page.evaluate callbacks (run in the page)
import * as assert from 'node:assert/strict';
import { checkRunner } from './site.mjs';

export async function runRunbookChecks({ context, origin, outDir, models }) {
  const { results, check, shot, errors, open } = checkRunner({
    context,
    origin,
    outDir,
    prefix: 'runbook-',
    viewport: { width: 1200, height: 860 },
    ready: async (page) => {
      await page.waitForFunction(() => window.__posted.some((m) => m.type === 'rendered'));
      // A heading jumped to is at the top, or the page is scrolled to its end with the heading on screen.
      await page.evaluate(() => {
        window.atTopOrEnd = (id) => {
          const p = document.querySelector('.rb-page');
          const top = document.getElementById(id).getBoundingClientRect().top;
          return Math.abs(top) < 30 || (p.scrollTop + p.clientHeight >= p.scrollHeight - 1 && top >= 0 && top < p.clientHeight);
        };
      });
    },
  });
  const posted = (page) => page.evaluate(() => window.__posted);
  const lastPosted = async (page) => (await posted(page)).at(-1);
  const demo = models.demo;
  const commandAt = (lang) => demo.commands.findIndex((c) => c.lang === lang);

  // ---------- Demo, dark ----------
  const page = await open('dark', 'demo');
  await shot(page, 'demo-dark');
  await check('ready once, then rendered with the counts of the show', async () => {
    const p = await posted(page);
    assert.deepEqual(p[0], { type: 'ready' });
    assert.equal(await page.evaluate(() => window.__acquireCount), 1);
    const r = p.find((m) => m.type === 'rendered');
    assert.deepEqual(r, { type: 'rendered', file: demo.runbook.file, checks: demo.checks.length, commands: demo.commands.length, links: demo.links.length });
    return `${demo.checks.length} checks, ${demo.commands.length} commands, ${demo.links.length} links`;
  });
  await check('header: title, alert badges, severity, stale warning, problems', async () => {
    assert.equal(await page.locator('.rb-title').textContent(), demo.runbook.title);
    assert.deepEqual(await page.locator('.rb-badge-alert').allTextContents(), demo.runbook.alerts);
    assert.equal(await page.locator('.rb-sev').textContent(), 'critical');
    assert.match(await page.locator('.rb-stale').textContent(), /Reviewed 2024-03-02 \(.+ ago\)Stale/);
    assert.match(await page.locator('.rb-problems').textContent(), /2 problems/);
    assert.match(await page.locator('.rb-checkbar').textContent(), /Checklist forINC-0312/);
    assert.equal(await page.locator('.rb-progress').textContent(), '1 of 6 done');
  });
  await check('TOC lists every heading; clicking one scrolls there without asking the host', async () => {
    assert.deepEqual(await page.locator('.rb-toc-link').allTextContents(), demo.toc.map((t) => t.title));
    const before = (await posted(page)).length;
    await page.click('.rb-toc-link[data-slug="escalation"]');
    await page.waitForFunction(() => atTopOrEnd('escalation'));
    assert.equal((await posted(page)).length, before);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'escalation');
    await page.waitForFunction(() => document.querySelector('.rb-toc-link[aria-current]')?.dataset.slug === 'escalation');
    assert.equal(await page.evaluate(() => document.querySelector('.rb-toc').getBoundingClientRect().top), 0, 'sticky TOC');
    await shot(page, 'demo-dark-scrolled');
  });
  await check('anchor links scroll within the page; other links post openLink with their ID only', async () => {
    const anchor = demo.links.find((l) => l.kind === 'anchor');
    const before = (await posted(page)).length;
    await page.click(`a[data-link="${anchor.id}"]`);
    await page.waitForFunction(() => atTopOrEnd('mitigation'));
    assert.equal((await posted(page)).length, before);
    for (const kind of ['code', 'runbook', 'external']) {
      const link = demo.links.find((l) => l.kind === kind);
      await page.locator(`a[data-link="${link.id}"]`).click();
      assert.deepEqual(await lastPosted(page), { type: 'openLink', linkId: link.id });
    }
    assert.equal(page.url(), `${origin}/?theme=dark&model=demo`, 'no navigation');
    const code = demo.links.find((l) => l.kind === 'code' && l.line === 42);
    assert.equal(await page.getAttribute(`a[data-link="${code.id}"]`, 'title'), 'Open runbooks/checkout/src/checkout/pay.go:42');
  });
  await check('the blocked link is shown as text with a marker, not as a link', async () => {
    assert.equal(await page.locator('.rb-link-blocked').count(), 1);
    assert.equal(await page.locator('.rb-blocked-marker').textContent(), 'blocked link');
    assert.equal(await page.locator('.rb-link-blocked a, a.rb-link-blocked').count(), 0);
  });
  await check('Run in terminal posts runCommand with the ID (no code); the result badge shows', async () => {
    const id = commandAt('console');
    const block = page.locator(`.rb-code[data-command="${id}"]`);
    await block.scrollIntoViewIfNeeded();
    await block.locator('.rb-run').click();
    const m = await lastPosted(page);
    assert.deepEqual(m, { type: 'runCommand', commandId: id });
    await page.waitForSelector(`.rb-code[data-command="${id}"] .rb-ran:not([hidden])`);
    assert.match(await block.locator('.rb-ran').textContent(), /^Exit 0 · \d\d:\d\d:\d\d UTC$/);
    assert.deepEqual(await page.evaluate(() => window.__ran), [demo.commands[id].code]);
    const rollback = commandAt('sh');
    await page.locator(`.rb-code[data-command="${rollback}"] .rb-run`).click();
    await page.waitForSelector(`.rb-code[data-command="${rollback}"] .rb-ran-failed`);
    await block.locator('.rb-copy, .rb-tool:not(.rb-run)').click();
    assert.deepEqual(await lastPosted(page), { type: 'copyCommand', commandId: id });
    assert.equal(await block.locator('.rb-tool:not(.rb-run) .label').textContent(), 'Copied');
    await shot(page, 'demo-dark-ran');
  });
  await check('every command block has Copy and Run buttons with accessible names; Run is enabled when trusted', async () => {
    const n = await page.locator('.rb-code[data-command]').count();
    assert.equal(n, demo.commands.length);
    assert.equal(await page.locator('.rb-code-toolbar button.rb-run:not([disabled])').count(), n);
    assert.equal(await page.locator('.rb-run-note:not([hidden])').count(), 0);
    for (const label of await page.locator('.rb-code-toolbar button').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label')))) assert.ok(label && label.length > 10, label);
    assert.equal(await page.locator('.rb-code:not([data-command]) .rb-code-toolbar').count(), 0, 'promql is not a command');
  });
  await check('ticking a checkbox posts toggleCheck; the host echo keeps it; the keyboard works too', async () => {
    const c = demo.checks.find((x) => !x.checked);
    const box = page.locator(`input[data-check="${c.id}"]`);
    await box.scrollIntoViewIfNeeded();
    await box.click();
    assert.deepEqual(await lastPosted(page), { type: 'toggleCheck', checkId: c.id, checked: true });
    await page.waitForFunction(() => document.querySelector('.rb-progress').textContent === '2 of 6 done');
    assert.equal(await box.isChecked(), true);
    const other = demo.checks.filter((x) => !x.checked)[1];
    await page.locator(`input[data-check="${other.id}"]`).focus();
    await page.keyboard.press('Space');
    assert.deepEqual(await lastPosted(page), { type: 'toggleCheck', checkId: other.id, checked: true });
    await page.waitForFunction(() => document.querySelector('.rb-progress').textContent === '3 of 6 done');
    assert.equal(await page.locator(`li.rb-done:has(input[data-check="${other.id}"])`).count(), 1);
  });
  await check('a checks message from the host sets the boxes; Reset checklist posts resetChecks', async () => {
    // Let the fake host's echoes of the last check's ticks (setTimeout 0) arrive first: a late one would relabel.
    await page.waitForTimeout(300);
    await page.evaluate((ids) => window.__hostSend({ type: 'checks', checked: ids, incident: 'INC-0400' }), demo.checks.map((c) => c.id));
    await page.waitForFunction(() => document.querySelector('.rb-progress').textContent === 'All 6 done' && document.querySelector('.rb-incident').textContent === 'INC-0400');
    await shot(page, 'demo-dark-all-done');
    await page.click('.rb-reset');
    assert.deepEqual(await lastPosted(page), { type: 'resetChecks' });
    await page.waitForFunction(() => document.querySelector('.rb-progress').textContent === '0 of 6 done');
    assert.equal(await page.locator('input[data-check]:checked').count(), 0);
    assert.equal(await page.locator('.rb-reset').isDisabled(), true);
  });
  await check('scroll position survives a reload (setState)', async () => {
    await page.evaluate(() => {
      document.querySelector('.rb-page').scrollTop = 400;
    });
    await page.waitForTimeout(400);
    await page.reload();
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'rendered'));
    const top = await page.evaluate(() => document.querySelector('.rb-page').scrollTop);
    assert.equal(top, 400);
  });
  await check('no errors, no CSP violations (dark demo)', async () => {
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(errors, []);
  });
  await page.close();

  // ---------- Themes ----------
  for (const theme of ['light', 'hc']) {
    const p = await open(theme, 'demo');
    await shot(p, `demo-${theme}`);
    await p.locator('.rb-code[data-command="0"]').scrollIntoViewIfNeeded();
    await p.locator('.rb-code[data-command="0"] .rb-run').focus();
    await shot(p, `demo-${theme}-commands`);
    await check(`${theme}: focus is visible on a focused button`, async () => {
      const outline = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.equal(outline, 'solid');
    });
    await p.close();
  }

  // ---------- Restricted Mode ----------
  const u = await open('dark', 'untrusted');
  await check('untrusted: Run disabled with the Restricted Mode note; clicking posts nothing', async () => {
    const n = demo.commands.length;
    assert.equal(await u.locator('button.rb-run[disabled]').count(), n);
    const notes = await u.locator('.rb-run-note:not([hidden])').allTextContents();
    assert.equal(notes.length, n);
    assert.equal(notes[0], 'Running commands is disabled in Restricted Mode — trust this workspace to run it');
    assert.equal(await u.locator('.rb-trust-banner:not([hidden])').count(), 1);
    const before = (await posted(u)).length;
    await u.locator('button.rb-run').first().click({ force: true });
    assert.equal((await posted(u)).length, before);
    assert.equal(await u.locator('button.rb-tool:not(.rb-run):not([disabled])').count(), n, 'Copy still works');
    assert.match(await u.locator('.rb-checkbar').textContent(), /No active incident/);
  });
  await u.locator('.rb-code[data-command="0"]').scrollIntoViewIfNeeded();
  await shot(u, 'untrusted-dark');
  await check('trust message enables Run and hides the notes', async () => {
    await u.evaluate(() => window.__hostSend({ type: 'trust', trusted: true }));
    await u.waitForFunction(() => document.querySelectorAll('button.rb-run[disabled]').length === 0);
    assert.equal(await u.locator('.rb-run-note:not([hidden])').count(), 0);
    assert.equal(await u.locator('.rb-trust-banner:not([hidden])').count(), 0);
  });
  await u.close();

  // ---------- Narrow ----------
  const n = await open('light', 'demo', { width: 560, height: 800 });
  await check('narrow: the TOC collapses above the body and opens with its toggle', async () => {
    const toc = await n.evaluate(() => document.querySelector('.rb-toc').getBoundingClientRect().toJSON());
    const body = await n.evaluate(() => document.querySelector('.rb-body').getBoundingClientRect().toJSON());
    assert.ok(toc.bottom <= body.top + 1, `toc ${toc.bottom} above body ${body.top}`);
    assert.equal(await n.locator('.rb-toc-list').isVisible(), false);
    await n.click('.rb-toc-toggle');
    assert.equal(await n.getAttribute('.rb-toc-toggle', 'aria-expanded'), 'true');
    assert.equal(await n.locator('.rb-toc-list').isVisible(), true);
    await shot(n, 'narrow-light-toc');
    await n.click('.rb-toc-link[data-slug="diagnosis"]');
    assert.equal(await n.locator('.rb-toc-list').isVisible(), false, 'closes after a jump');
  });
  await shot(n, 'narrow-light');
  await n.close();

  // ---------- Hostile content ----------
  const h = await open('dark', 'hostile');
  await shot(h, 'hostile-dark');
  await check('hostile Markdown: nothing ran, nothing loaded, no CSP violation', async () => {
    await h.waitForTimeout(300);
    const state = await h.evaluate(() => ({
      xss: window.__xss,
      alerts: window.__alerts,
      csp: window.__cspViolations,
      active: document.querySelectorAll('.rb-page img, .rb-page iframe, .rb-page svg, .rb-page script, .rb-page style, .rb-page object, .rb-page embed').length,
      scripts: document.scripts.length,
      handlers: Array.from(document.querySelectorAll('.rb-page *')).flatMap((e) => Array.from(e.attributes).map((a) => a.name)).filter((n) => n.startsWith('on')),
      hrefs: Array.from(document.querySelectorAll('.rb-page a[href]')).map((a) => a.getAttribute('href')).filter((x) => x !== '#'),
    }));
    assert.equal(state.xss, undefined);
    assert.deepEqual(state.alerts, []);
    assert.deepEqual(state.csp, []);
    assert.equal(state.active, 0);
    assert.equal(state.scripts, 4, "only the page's own four scripts: the fake bridge and host, the model, the bundle");
    assert.deepEqual(state.handlers, []);
    assert.deepEqual(state.hrefs, []);
    assert.match(await h.locator('.rb-title').textContent(), /onerror/);
    assert.ok((await h.locator('.rb-blocked-marker').count()) >= 8);
    return `${await h.locator('.rb-blocked-marker').count()} blocked links shown`;
  });
  await check('hostile: clicking every link and running every command never runs page script', async () => {
    for (const a of await h.locator('.rb-body a').all()) await a.click();
    for (const b of await h.locator('button.rb-run').all()) await b.click();
    assert.equal(await h.evaluate(() => window.__xss), undefined);
    const kinds = (await posted(h)).filter((m) => m.type === 'openLink' || m.type === 'runCommand').map((m) => Object.keys(m).sort().join(','));
    assert.ok(kinds.every((k) => k === 'linkId,type' || k === 'commandId,type'), kinds.join(' '));
  });
  await h.close();

  // ---------- A real runbook ----------
  if (models.real) {
    const r = await open('dark', 'real');
    await shot(r, 'real-dark');
    await check('real runbook (prometheus-operator KubeProxyDown): commands and TOC', async () => {
      assert.equal(await r.locator('.rb-code[data-command]').count(), models.real.commands.length);
      assert.deepEqual(await r.locator('.rb-toc-link').allTextContents(), models.real.toc.map((t) => t.title));
      assert.equal(await r.locator('.rb-checkbar').isVisible(), false, 'no checklist, no checklist bar');
    });
    await r.close();
  }
  await check('no page errors', async () => assert.deepEqual(errors, []));
  return results;
}
