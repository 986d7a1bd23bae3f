// The hypothesis notebook's harness checks: drive the page in Chromium (real CSP, fake host), assert on the DOM and
// the posted messages, and save screenshots (test-results/harness/notebook-*.png).
/* global window, document, getComputedStyle, sessionStorage, HTMLElement */ // used inside page.evaluate callbacks (run in the page)
import * as assert from 'node:assert/strict';
import { checkRunner } from './site.mjs';

export async function runNotebookChecks({ context, origin, outDir, models }) {
  const { results, check, shot, errors, open } = checkRunner({
    context,
    origin,
    outDir,
    prefix: 'notebook-',
    viewport: { width: 1200, height: 860 },
    ready: (page) => page.waitForFunction(() => window.__posted.some((m) => m.type === 'rendered')),
  });
  const posted = (page) => page.evaluate(() => window.__posted);
  const lastPosted = async (page) => (await posted(page)).at(-1);
  const ops = async (page) => (await posted(page)).filter((m) => m.type === 'op');
  /** The op of the last `op` message (without its request ID), once one more than `before` was posted. */
  const nextOp = async (page, before) => {
    await page.waitForFunction((n) => window.__posted.filter((m) => m.type === 'op').length > n, before);
    return (await ops(page)).at(-1).op;
  };
  const opCount = async (page) => (await ops(page)).length;
  /** Sends a host message and waits until the page has painted `state` messages of that revision. */
  const host = async (page, message) => {
    await page.evaluate((m) => window.__hostSend(m), message);
    if (message.type === 'state') await page.waitForFunction((r) => window.__posted.some((m) => m.type === 'rendered' && m.revision === r), message.revision);
  };
  const blur = (page) => page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  const formOpen = (page, key) => page.locator(`form[data-form="${key}"]`);
  /** Waits until the form `key` is gone (the fake host answered ok). */
  const closed = (page, key) => page.waitForFunction((k) => !document.querySelector(`form[data-form="${k}"]`), key);
  /** Horizontal overflow: scroll containers wider than their box, or any visible element past the viewport's right edge. */
  const overflow = (page) =>
    page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const bad = [];
      for (const s of [document.documentElement, document.body, ...document.querySelectorAll('.nb-page, .nb-col, .nb-section-body, .nb-header')]) {
        if (s.scrollWidth > s.clientWidth + 1) bad.push(`${s.className || s.tagName}: scrollWidth ${s.scrollWidth} > ${s.clientWidth}`);
      }
      for (const e of document.querySelectorAll('#app *')) {
        if (e.closest('.nb-sr, .nb-popup')) continue;
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.right > w + 1) bad.push(`${e.tagName}.${e.className}: right ${Math.round(r.right)} > ${w}`);
      }
      return bad.slice(0, 5);
    });
  const demo = models.demo.incident;

  // ---------- No incident ----------
  const e = await open('dark', 'empty', { width: 800, height: 620 });
  await shot(e, 'empty-dark');
  await check('empty: ready once, rendered without an incident, an explanation with Start and Open', async () => {
    const p = await posted(e);
    assert.deepEqual(p[0], { type: 'ready' });
    assert.equal(await e.evaluate(() => window.__acquireCount), 1);
    assert.deepEqual(p.find((m) => m.type === 'rendered'), { type: 'rendered', revision: models.empty.revision });
    assert.equal(await e.locator('.nb-empty-title').textContent(), 'No active incident');
    assert.match(await e.locator('.nb-empty-text').textContent(), /hypothes/);
    await e.getByRole('button', { name: 'Start Incident…' }).click();
    assert.deepEqual(await lastPosted(e), { type: 'command', command: 'start' });
    await e.getByRole('button', { name: 'Open Incident…' }).click();
    assert.deepEqual(await lastPosted(e), { type: 'command', command: 'open' });
    assert.equal(await e.locator('.nb-main').isVisible(), false);
  });
  await check('empty: the other incidents are listed; picking one posts switch with its ID', async () => {
    const others = models.empty.others;
    assert.deepEqual(await e.locator('.nb-other .nb-id').allTextContents(), others.map((o) => o.id));
    await e.locator(`.nb-other[data-incident="${others[1].id}"]`).click();
    assert.deepEqual(await lastPosted(e), { type: 'switch', id: others[1].id });
    assert.equal(await e.locator('.nb-page').evaluate((p) => p.scrollWidth <= p.clientWidth), true);
  });
  await check('empty → incident → empty: the panel follows the state', async () => {
    await host(e, { ...models.demo, revision: 40 });
    assert.equal(await e.locator('.nb-title').textContent(), demo.title);
    assert.equal(await e.locator('.nb-empty').count(), 0);
    await host(e, { ...models.empty, revision: 41 });
    assert.equal(await e.locator('.nb-empty-title').isVisible(), true);
    assert.equal(await e.locator('.nb-main').isVisible(), false);
    const r = (await posted(e)).filter((m) => m.type === 'rendered').map((m) => m.revision);
    assert.deepEqual(r.slice(-2), [40, 41]);
  });
  await e.close();

  // ---------- The demo incident, dark, wide editor-sized panel ----------
  const page = await open('dark', 'demo');
  await shot(page, 'demo-dark');
  await check('demo: rendered with the revision and the incident ID', async () => {
    const p = await posted(page);
    assert.deepEqual(p[0], { type: 'ready' });
    assert.deepEqual(p.find((m) => m.type === 'rendered'), { type: 'rendered', revision: models.demo.revision, incident: demo.id });
  });
  await check('header: ID, title, SEV badge, status, IC, services, alert', async () => {
    assert.equal(await page.locator('.nb-header .nb-id').textContent(), demo.id);
    assert.equal(await page.locator('h1.nb-title').textContent(), demo.title);
    assert.equal(await page.locator('.nb-header .nb-sev').textContent(), 'SEV-2');
    assert.equal(await page.locator('.nb-header .nb-sev-sev2').count(), 1);
    assert.equal(await page.locator('.nb-header .nb-istatus').textContent(), 'Mitigated');
    assert.match(await page.locator('.nb-commander').textContent(), /IC\s*Dana Okafor/);
    assert.match(await page.locator('.nb-services').textContent(), /checkout-api, payments-db/);
    assert.match(await page.locator('.nb-alert').textContent(), /CheckoutHighLatency/);
    assert.equal(await page.locator('.nb-header .nb-id').getAttribute('title'), `${demo.id} — ${models.demo.file}`);
  });
  await check('header: elapsed time since the start on the host clock, ticking every second', async () => {
    // The host said now = 04:14:05, the start was 02:51:00: 1h 23m 05s, whatever the page's own clock says.
    const first = await page.locator('.nb-elapsed-text').textContent();
    assert.match(first, /^1h 23m (0[5-9]|1\d)s$/);
    await page.waitForFunction((t) => document.querySelector('.nb-elapsed-text').textContent !== t, first, { timeout: 2500 });
    assert.equal(await page.locator('.nb-elapsed').getAttribute('role'), 'timer');
    assert.match(await page.locator('.nb-elapsed').getAttribute('title'), /2026-11-24 02:51:00 UTC/);
    return first;
  });
  await check('phases: six steps, the current one marked; clicking another posts setMeta phase', async () => {
    assert.deepEqual(await page.locator('.nb-phase-label').allTextContents(), ['Detect', 'Triage', 'Mitigate', 'Diagnose', 'Fix', 'Postmortem']);
    assert.equal(await page.locator('.nb-phase-button[aria-current="step"]').getAttribute('data-phase'), 'diagnose');
    assert.equal(await page.locator('.nb-phase-done').count(), 3);
    const before = await opCount(page);
    await page.locator('.nb-phase-button[data-phase="diagnose"]').click();
    assert.equal(await opCount(page), before, 'the current phase posts nothing');
    await page.locator('.nb-phase-button[data-phase="fix"]').click();
    assert.deepEqual(await nextOp(page, before), { op: 'setMeta', field: 'phase', value: 'fix' });
  });
  await check('header commands: hand-off, postmortem and open file post their commands', async () => {
    for (const [fk, command] of [
      ['header:handoff', 'handoff'],
      ['header:postmortem', 'postmortem'],
      ['header:openFile', 'openFile'],
    ]) {
      await page.locator(`[data-fk="${fk}"]`).click();
      assert.deepEqual(await lastPosted(page), { type: 'command', command });
    }
    assert.equal(await page.getByRole('button', { name: 'Hand-off' }).count(), 1);
  });
  await check('sections: observations, hypotheses (confirmed, falsified, open), actions by kind, timeline', async () => {
    assert.equal(await page.locator('.nb-obs').count(), demo.observations.length);
    assert.deepEqual(await page.locator('.nb-hyp-label').allTextContents(), ['H1', 'H2', 'H3']);
    assert.deepEqual(await page.locator('.nb-hyp').evaluateAll((hs) => hs.map((h) => h.className.match(/nb-hs-(\w+)/)[1])), ['confirmed', 'falsified', 'open']);
    assert.equal(await page.locator('.nb-hyp .nb-verdict').count(), 2);
    assert.match(await page.locator('.nb-hyp[data-id="h-2m7q"] .nb-evidence-head').textContent(), /Evidence \(3\)\+3/);
    assert.match(await page.locator('.nb-hyp[data-id="h-8c1d"] .nb-hyp-fields').textContent(), /Wrong ifIf wrong, db\.query/);
    assert.equal(await page.locator('.nb-hyp[data-id="h-2m7q"] .nb-prob-text').textContent(), '70%');
    assert.match(await page.locator('.nb-hyp[data-id="h-2m7q"] .nb-shape-tag').textContent(), /Connection-pool exhaustion/);
    for (const kind of ['mitigation', 'diagnosis', 'fix']) {
      assert.equal(await page.locator(`.nb-group-${kind} .nb-action`).count(), demo.actions.filter((a) => a.kind === kind).length, kind);
    }
    assert.equal(await page.locator('.nb-tl').count(), demo.timeline.length);
    assert.deepEqual(await page.locator('.nb-section .nb-section-title').allTextContents(), ['Hypotheses', 'Failure shapes', 'Observations', 'Actions', 'Timeline (UTC)']);
    assert.match(await page.locator('.nb-obs').first().locator('.nb-code').textContent(), /POST \/checkout/);
  });
  await check('timeline: newest first with UTC times; the order toggles and is remembered', async () => {
    const times = await page.locator('.nb-tl-time').allTextContents();
    assert.equal(times[0], '03:55:12');
    assert.equal(times.at(-1), '02:45:10');
    assert.match(await page.locator('.nb-tl-day').first().textContent(), /2026-11-24 UTC/);
    await page.locator('[data-fk="timeline:order"]').click();
    assert.equal((await page.locator('.nb-tl-time').allTextContents())[0], '02:45:10');
    assert.equal(await page.evaluate(() => JSON.parse(sessionStorage.getItem('__harness_notebook_state')).timelineOrder), 'oldest');
    await page.locator('[data-fk="timeline:order"]').click();
    assert.equal((await page.locator('.nb-tl-time').allTextContents())[0], '03:55:12');
  });
  await check('open: entries with a link have an Open button that posts openEntry with the entry ID only', async () => {
    const linked = demo.timeline.filter((t) => t.link).map((t) => t.id);
    assert.deepEqual((await page.locator('.nb-tl:has(.nb-open)').evaluateAll((ls) => ls.map((l) => l.dataset.id))).sort(), [...linked].sort());
    await page.locator('.nb-tl[data-id="t-8evi"] .nb-open').click();
    assert.deepEqual(await lastPosted(page), { type: 'openEntry', id: 't-8evi' });
    assert.match(await page.locator('.nb-tl[data-id="t-8evi"] .nb-open').getAttribute('title'), /Open span 00f067aa0ba902b7 of trace 4a2e37d7/);
    assert.equal(await page.locator('.nb-tl[data-id="t-2ack"] [data-fk^="open:"]').count(), 0);
    await page.locator('.nb-obs[data-id="o-k3x9"] [data-fk="open:o-k3x9"]').click();
    assert.deepEqual(await lastPosted(page), { type: 'openEntry', id: 'o-k3x9' });
    await page.locator('.nb-evidence[data-id="e-c3d4"] [data-fk="open:e-c3d4"]').click();
    assert.deepEqual(await lastPosted(page), { type: 'openEntry', id: 'e-c3d4' });
    return `${linked.length} linked timeline entries`;
  });
  await check('add observation: posts addObservation with text, source and the UTC time typed; the form closes', async () => {
    const before = await opCount(page);
    await page.locator('[data-fk="add:observation"]').click();
    const f = formOpen(page, 'observation');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'text', 'the first field has focus');
    await f.locator('[name="text"]').fill('Error rate of payments-db clients at 4%');
    await f.locator('[name="source"]').fill('Grafana: DB clients');
    await f.locator('[name="at"]').fill('03:20');
    await f.getByRole('button', { name: 'Add observation' }).click();
    assert.deepEqual(await nextOp(page, before), { op: 'addObservation', text: 'Error rate of payments-db clients at 4%', source: 'Grafana: DB clients', at: '2026-11-24T03:20:00Z' });
    await closed(page, 'observation');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.fk), 'add:observation', 'focus back on the add button');
  });
  await check('the entry an op added is scrolled into view and flashed when its state arrives; a live region says so', async () => {
    await page.evaluate(() => (window.__appliedId = 'o-new1'));
    await page.evaluate(() => document.querySelectorAll('.nb-col')[1].scrollTo(0, 0));
    await page.setViewportSize({ width: 1200, height: 420 });
    const before = await opCount(page);
    await page.locator('[data-fk="add:observation"]').click();
    await formOpen(page, 'observation').locator('[name="text"]').fill('Pool waits back to 0 after the rollback');
    await page.keyboard.press('Control+Enter');
    await nextOp(page, before);
    await closed(page, 'observation');
    const added = { id: 'o-new1', at: '2026-11-24T04:14:05Z', text: 'Pool waits back to 0 after the rollback' };
    await host(page, { ...models.demo, revision: 60, incident: { ...demo, observations: [...demo.observations, added] } });
    const item = page.locator('.nb-obs[data-id="o-new1"]');
    assert.equal(await item.evaluate((e) => e.classList.contains('nb-flash')), true);
    const box = await item.evaluate((e) => {
      const r = e.getBoundingClientRect();
      const c = e.closest('.nb-col').getBoundingClientRect();
      return r.top >= c.top - 1 && r.bottom <= c.bottom + 1;
    });
    assert.equal(box, true, 'scrolled into its column\'s view');
    await page.waitForFunction(() => document.querySelector('.nb-page > [role="status"]').textContent === 'Add observation: saved');
    await page.setViewportSize({ width: 1200, height: 860 });
    await host(page, { ...models.demo, revision: 61 });
  });
  await check('H opens the hypothesis form; Ctrl+Enter submits addHypothesis with the probability', async () => {
    await blur(page);
    const before = await opCount(page);
    await page.keyboard.press('h');
    const f = formOpen(page, 'hypothesis');
    await f.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.name), 'statement');
    await page.keyboard.type('Payments-db failover at 02:50 left the pool pointing at the replica');
    await f.locator('[name="prediction"]').fill('If wrong, the pool connects to the primary all along');
    await f.locator('[name="test"]').fill('Check the DSN the pods resolved at 02:50');
    await f.locator('[name="probability"]').fill('15%');
    await f.locator('[name="test"]').focus();
    await page.keyboard.press('Control+Enter');
    assert.deepEqual(await nextOp(page, before), {
      op: 'addHypothesis',
      statement: 'Payments-db failover at 02:50 left the pool pointing at the replica',
      prediction: 'If wrong, the pool connects to the primary all along',
      test: 'Check the DSN the pods resolved at 02:50',
      probability: 15,
    });
    await closed(page, 'hypothesis');
  });
  await check('required fields and bad values: nothing is posted, the field says what is wrong', async () => {
    await blur(page);
    const before = await opCount(page);
    await page.keyboard.press('h');
    const f = formOpen(page, 'hypothesis');
    await f.locator('[name="statement"]').fill('Only a statement');
    await page.keyboard.press('Control+Enter');
    assert.equal(await f.locator('[name="prediction"]').getAttribute('aria-invalid'), 'true');
    assert.match(await f.locator('.nb-field-error:visible').textContent(), /Wrong if we see is needed/);
    assert.equal(await page.evaluate(() => document.activeElement.name), 'prediction');
    await f.locator('[name="prediction"]').fill('x');
    await f.locator('[name="probability"]').fill('250');
    await page.keyboard.press('Control+Enter');
    assert.match(await f.locator('.nb-field-error:visible').textContent(), /0 to 100/);
    assert.equal(await opCount(page), before);
    await f.getByRole('button', { name: 'Discard' }).click();
    await closed(page, 'hypothesis');
  });
  await check('A opens the action form; kind, who and status travel in addAction; a group\'s + preselects its kind', async () => {
    await blur(page);
    let before = await opCount(page);
    await page.keyboard.press('a');
    const f = formOpen(page, 'action');
    await f.waitFor();
    await f.locator('.nb-choice-fix').click();
    await f.locator('[name="what"]').fill('Add pool saturation to the checkout dashboard');
    await f.locator('[name="who"]').fill('Sam Lee');
    await f.locator('[name="status"]').selectOption('doing');
    await f.locator('[name="what"]').press('Control+Enter');
    assert.deepEqual(await nextOp(page, before), { op: 'addAction', kind: 'fix', what: 'Add pool saturation to the checkout dashboard', who: 'Sam Lee', status: 'doing' });
    await closed(page, 'action');
    before = await opCount(page);
    await page.locator('[data-fk="add:action:diagnosis"]').click();
    assert.equal(await f.locator('input[name="kind"]:checked').getAttribute('value'), 'diagnosis');
    await f.locator('[name="what"]').fill('Read the pool config of v2.15.0');
    await f.locator('[name="what"]').press('Control+Enter');
    assert.deepEqual(await nextOp(page, before), { op: 'addAction', kind: 'diagnosis', what: 'Read the pool config of v2.15.0', status: 'planned' });
    await closed(page, 'action');
  });
  await check('N opens the note form; addTimeline is a note', async () => {
    await blur(page);
    const before = await opCount(page);
    await page.keyboard.press('n');
    await formOpen(page, 'note').waitFor();
    await page.keyboard.type('Status page updated: degraded checkout');
    await page.keyboard.press('Control+Enter');
    assert.deepEqual(await nextOp(page, before), { op: 'addTimeline', kind: 'note', text: 'Status page updated: degraded checkout' });
    await closed(page, 'note');
  });
  await check('evidence: each hypothesis has its form; addEvidence carries the hypothesis and the bearing', async () => {
    const before = await opCount(page);
    await page.locator('[data-fk="evidence:h-5r0t"]').click();
    const f = formOpen(page, 'evidence:h-5r0t');
    await f.locator('[name="text"]').fill('Max 2 requests per idempotency key between 02:45 and 03:45');
    await f.locator('.nb-choice-refutes').click();
    await f.getByRole('button', { name: 'Add evidence' }).click();
    assert.deepEqual(await nextOp(page, before), { op: 'addEvidence', hypothesis: 'h-5r0t', text: 'Max 2 requests per idempotency key between 02:45 and 03:45', bearing: 'refutes' });
    await closed(page, 'evidence:h-5r0t');
  });
  await check('verdict: closing a hypothesis asks for the verdict and why; setHypothesisStatus carries both', async () => {
    const before = await opCount(page);
    await page.locator('[data-fk="verdict:h-5r0t"]').click();
    const f = formOpen(page, 'verdict:h-5r0t');
    await f.locator('[name="verdict"]').fill('No key repeats: the clients did not amplify the load');
    await f.getByRole('button', { name: 'Record verdict' }).click();
    assert.match(await f.locator('.nb-field-error:visible').textContent(), /Verdict is needed/, 'the verdict itself is required');
    await f.locator('.nb-choice-falsified').click();
    await f.getByRole('button', { name: 'Record verdict' }).click();
    assert.deepEqual(await nextOp(page, before), { op: 'setHypothesisStatus', id: 'h-5r0t', status: 'falsified', verdict: 'No key repeats: the clients did not amplify the load' });
    await closed(page, 'verdict:h-5r0t');
  });
  await check('Start testing and Reopen post setHypothesisStatus', async () => {
    let before = await opCount(page);
    await page.locator('[data-fk="testing:h-5r0t"]').click();
    assert.deepEqual(await nextOp(page, before), { op: 'setHypothesisStatus', id: 'h-5r0t', status: 'testing' });
    before = await opCount(page);
    await page.locator('[data-fk="reopen:h-8c1d"]').click();
    assert.deepEqual(await nextOp(page, before), { op: 'setHypothesisStatus', id: 'h-8c1d', status: 'open' });
    assert.equal(await page.locator('[data-fk="verdict:h-2m7q"]').count(), 0, 'a closed hypothesis offers Reopen, not a verdict');
  });
  await check('edit in place: only changed fields travel; a cleared probability is null', async () => {
    let before = await opCount(page);
    await page.locator('[data-fk="edit:h-2m7q"]').click();
    const f = formOpen(page, 'edit:h-2m7q');
    assert.equal(await f.locator('[name="statement"]').inputValue(), demo.hypotheses[0].statement);
    await f.locator('[name="test"]').fill('Compare pool waits per pod before and after 02:45');
    await f.locator('[name="probability"]').fill('');
    await f.getByRole('button', { name: 'Save' }).click();
    assert.deepEqual(await nextOp(page, before), { op: 'editHypothesis', id: 'h-2m7q', test: 'Compare pool waits per pod before and after 02:45', probability: null });
    await closed(page, 'edit:h-2m7q');
    before = await opCount(page);
    await page.locator('[data-fk="edit:o-7fq2"]').click();
    const o = formOpen(page, 'edit:o-7fq2');
    assert.equal(await o.locator('[name="at"]').inputValue(), '2026-11-24 03:03:40');
    await o.locator('[name="text"]').fill('CPU of checkout-api pods flat at 35%');
    await o.locator('[name="text"]').press('Control+Enter');
    assert.deepEqual(await nextOp(page, before), { op: 'editObservation', id: 'o-7fq2', text: 'CPU of checkout-api pods flat at 35%' });
    await closed(page, 'edit:o-7fq2');
    before = await opCount(page);
    await page.locator('[data-fk="edit:t-fnot"]').click();
    await formOpen(page, 'edit:t-fnot').locator('[name="at"]').fill('2026-11-24 03:56');
    await formOpen(page, 'edit:t-fnot').locator('[name="at"]').press('Control+Enter');
    assert.deepEqual(await nextOp(page, before), { op: 'editTimeline', id: 't-fnot', at: '2026-11-24T03:56:00Z' });
    await closed(page, 'edit:t-fnot');
  });
  await check('an action\'s status picker posts editAction; delete asks for a second click', async () => {
    let before = await opCount(page);
    await page.locator('[data-fk="status:a-u4lg"]').selectOption('done');
    assert.deepEqual(await nextOp(page, before), { op: 'editAction', id: 'a-u4lg', status: 'done' });
    before = await opCount(page);
    await page.locator('[data-fk="edit:t-2ack"]').click();
    const remove = formOpen(page, 'edit:t-2ack').locator('[data-fk="form:edit:t-2ack:remove"]');
    await remove.click();
    assert.equal(await opCount(page), before, 'the first click only arms it');
    assert.match(await remove.textContent(), /Click again/);
    await remove.click();
    assert.deepEqual(await nextOp(page, before), { op: 'removeTimeline', id: 't-2ack' });
    await closed(page, 'edit:t-2ack');
  });
  await check('details: the form posts one setMeta per changed field, in order', async () => {
    const before = await opCount(page);
    await page.locator('[data-fk="header:details"]').click();
    const f = formOpen(page, 'meta');
    await f.locator('[name="title"]').fill('Checkout p99 above 2 s after v2.15.0');
    await f.locator('[name="severity"]').selectOption('SEV-1');
    await f.getByRole('button', { name: 'Save details' }).click();
    await closed(page, 'meta');
    const sent = (await ops(page)).slice(before).map((m) => m.op);
    assert.deepEqual(sent, [
      { op: 'setMeta', field: 'title', value: 'Checkout p99 above 2 s after v2.15.0' },
      { op: 'setMeta', field: 'severity', value: 'SEV-1' },
    ]);
  });
  await check('a refused op shows the host\'s error next to its form and keeps the text', async () => {
    await blur(page);
    await page.evaluate(() => (window.__refuseNext = 'Timeline text must be one line'));
    const before = await opCount(page);
    await page.keyboard.press('n');
    const f = formOpen(page, 'note');
    await page.keyboard.type('First line');
    await page.keyboard.press('Control+Enter');
    await nextOp(page, before);
    await f.locator('.nb-form-error:visible').waitFor();
    assert.equal(await f.locator('.nb-form-error').textContent(), 'Timeline text must be one line');
    assert.equal(await f.locator('.nb-form-error').getAttribute('role'), 'alert');
    assert.equal(await f.locator('[name="text"]').inputValue(), 'First line');
    await shot(page, 'demo-dark-refused');
    await page.keyboard.press('Control+Enter');
    await closed(page, 'note');
  });
  await check('a refused inline op (the phase) shows its error in the header', async () => {
    await page.evaluate(() => (window.__refuseNext = 'The incident file is read-only'));
    await page.locator('.nb-phase-button[data-phase="postmortem"]').click();
    await page.locator('.nb-header .nb-inline-error').waitFor();
    assert.match(await page.locator('.nb-header .nb-inline-error').textContent(), /read-only/);
  });
  await check('request IDs are fresh: unique and increasing', async () => {
    const ids = (await ops(page)).map((m) => m.requestId);
    assert.ok(ids.length >= 15, `${ids.length} ops`);
    assert.ok(ids.every((id, i) => Number.isSafeInteger(id) && (i === 0 || id > ids[i - 1])), ids.join(','));
    return `${ids.length} ops`;
  });
  await check('a focus message from the host opens and focuses that form', async () => {
    await page.evaluate(() => window.__hostSend({ type: 'focus', form: 'action' }));
    await formOpen(page, 'action').waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('form')?.dataset.form === 'action');
    await page.keyboard.press('Escape');
    await closed(page, 'action');
  });
  await check('a state arriving while typing keeps the form element, its text, focus and caret', async () => {
    await blur(page);
    await page.keyboard.press('n');
    const f = formOpen(page, 'note');
    await page.keyboard.type('abc');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await f.locator('[name="text"]').evaluate((t) => t.addEventListener('blur', () => (window.__noteBlurred = true)));
    await host(page, { ...models.demo, revision: 150 });
    await page.keyboard.type('X');
    assert.equal(await f.locator('[name="text"]').inputValue(), 'aXbc');
    assert.equal(await page.evaluate(() => window.__noteBlurred), undefined, 'the field never left the page');
    await page.keyboard.press('Escape');
    // A form inside a list item: the item is rebuilt, focus and caret come back.
    await page.locator('[data-fk="edit:t-9exp"]').click();
    const t = formOpen(page, 'edit:t-9exp').locator('[name="text"]');
    await t.focus();
    await t.press('End');
    await host(page, { ...models.demo, revision: 151 });
    await page.keyboard.type('!');
    assert.equal(await t.inputValue(), `${demo.timeline.find((x) => x.id === 't-9exp').text}!`);
    await page.keyboard.press('Escape');
  });
  await check('Escape closes a form and keeps the draft (a dot on its button); Discard drops it', async () => {
    await blur(page);
    await page.keyboard.press('o');
    await page.keyboard.type('Half a thought');
    await page.keyboard.press('Escape');
    await closed(page, 'observation');
    assert.equal(await page.locator('[data-fk="add:observation"].nb-has-draft').count(), 1);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.fk), 'add:observation');
    await page.keyboard.press('Enter');
    assert.equal(await formOpen(page, 'observation').locator('[name="text"]').inputValue(), 'Half a thought');
    await formOpen(page, 'observation').getByRole('button', { name: 'Discard' }).click();
    await closed(page, 'observation');
    await page.locator('[data-fk="add:observation"]').click();
    assert.equal(await formOpen(page, 'observation').locator('[name="text"]').inputValue(), '');
    await page.keyboard.press('Escape');
  });
  await check('shapes: / focuses the filter, which narrows the list; a pick pre-fills the hypothesis form with symptom and where to look first', async () => {
    await blur(page);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.fk), 'shapes:filter');
    assert.equal(await page.locator('.nb-shape').count(), models.demo.shapes.length);
    await page.keyboard.type('pool');
    assert.deepEqual(await page.locator('.nb-shape').evaluateAll((bs) => bs.map((b) => b.dataset.shape)), ['pool-exhaustion']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const shape = models.demo.shapes[0];
    const f = formOpen(page, 'hypothesis');
    await f.waitFor();
    assert.equal(await f.locator('[name="statement"]').inputValue(), shape.statement);
    assert.equal(await f.locator('[name="prediction"]').inputValue(), shape.prediction);
    assert.equal(await f.locator('[name="test"]').inputValue(), shape.test);
    assert.match(await f.locator('.nb-shape-aside').textContent(), /Symptom: Latency climbs/);
    assert.deepEqual(await f.locator('.nb-look-first li').allTextContents(), shape.lookFirst);
    await shot(page, 'demo-dark-shape');
    const before = await opCount(page);
    await f.getByRole('button', { name: 'Add hypothesis' }).click();
    assert.deepEqual(await nextOp(page, before), { op: 'addHypothesis', statement: shape.statement, prediction: shape.prediction, test: shape.test, shape: shape.id });
    await closed(page, 'hypothesis');
  });
  await check('? shows the keyboard shortcuts; Escape closes them and returns focus', async () => {
    await blur(page);
    await page.keyboard.press('?');
    const d = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await d.waitFor();
    assert.match(await d.textContent(), /OAdd an observation.*Ctrl\+EnterSave the form/s);
    await shot(page, 'demo-dark-shortcuts');
    await page.keyboard.press('Escape');
    assert.equal(await d.count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.fk), 'header:shortcuts');
  });
  await check('switch menu: the other incidents, then Start and Open; arrow keys move, Enter picks', async () => {
    await page.locator('[data-fk="header:switch"]').click();
    const menu = page.getByRole('menu', { name: 'Switch incident' });
    await menu.waitFor();
    const items = await menu.getByRole('menuitem').allTextContents();
    assert.equal(items.length, models.demo.others.length + 2);
    assert.match(items[0], new RegExp(models.demo.others[0].id));
    await shot(page, 'demo-dark-switch');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.deepEqual(await lastPosted(page), { type: 'switch', id: models.demo.others[1].id });
    assert.equal(await menu.count(), 0);
    await page.locator('[data-fk="header:switch"]').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    assert.deepEqual(await lastPosted(page), { type: 'command', command: 'open' });
  });
  await check('conflict: a banner names the fields; Show Conflict posts showConflict; gone once resolved', async () => {
    await host(page, { ...models.demo, revision: 100, conflict: { fields: ['title', 'hypotheses'] } });
    const b = page.locator('.nb-banner-conflict');
    assert.equal(await b.isVisible(), true);
    assert.equal(await b.locator('.nb-banner-text').textContent(), 'The file changed on disk and conflicts with your edits: title, hypotheses');
    await page.evaluate(() => document.querySelector('.nb-page').scrollTo(0, 0));
    await shot(page, 'demo-dark-conflict');
    await b.getByRole('button', { name: 'Show Conflict' }).click();
    assert.deepEqual(await lastPosted(page), { type: 'command', command: 'showConflict' });
    await host(page, { ...models.demo, revision: 101 });
    assert.equal(await b.isVisible(), false);
  });
  await check('saveError: a warning banner says the edits are kept; a newer state clears it', async () => {
    await page.evaluate(() => window.__hostSend({ type: 'saveError', message: 'EACCES: permission denied, open .oncall/incidents/INC-2026-11-24-01.md' }));
    const b = page.locator('.nb-banner-error');
    await b.waitFor();
    assert.match(await b.textContent(), /EACCES: permission denied.*edits are kept/);
    assert.equal(await b.getAttribute('role'), 'alert');
    await shot(page, 'demo-dark-save-error');
    await host(page, { ...models.demo, revision: 102 });
    assert.equal(await b.isVisible(), false);
  });
  await check('keyboard: every control is in the Tab order, Tab walks the header first, focus is visible', async () => {
    const bad = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#app button, #app input, #app select, #app textarea, #app a[href]'))
        .filter((x) => !x.closest('.nb-popup') && x.getClientRects().length > 0 && (x.tabIndex < 0 || x.disabled))
        .map((x) => x.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(bad, []);
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.fk), 'header:handoff');
    assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'solid');
    // Edit buttons appear on keyboard focus.
    await page.locator('[data-fk="edit:o-p0c4"]').focus();
    assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).opacity), '1');
  });
  await check('ARIA: sections are labelled and expandable, forms named, the current phase aria-current', async () => {
    const toggles = await page.locator('.nb-section-toggle').evaluateAll((ts) => ts.map((t) => [t.getAttribute('aria-expanded'), !!document.getElementById(t.getAttribute('aria-controls'))]));
    assert.ok(toggles.length === 5 && toggles.every(([e, c]) => e === 'true' && c), JSON.stringify(toggles));
    await page.locator('.nb-section[data-section="shapes"] .nb-section-toggle').click();
    assert.equal(await page.locator('.nb-section[data-section="shapes"] .nb-section-toggle').getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#nb-b-shapes').isVisible(), false);
    await page.locator('.nb-section[data-section="shapes"] .nb-section-toggle').click();
    assert.equal(await page.locator('#nb-b-shapes').isVisible(), true);
    assert.equal(await page.getByRole('region', { name: /Hypotheses/ }).count(), 1);
    assert.equal(await page.getByRole('navigation', { name: 'Phase' }).count(), 1);
    const unnamed = await page.locator('#app button').evaluateAll((bs) => bs.filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).length);
    assert.equal(unnamed, 0, 'every button has an accessible name');
  });
  await check('no page errors or CSP violations (demo)', async () => {
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(errors, []);
  });
  await page.close();

  // ---------- Drafts and UI state across a reload ----------
  const r = await open('dark', 'demo', { width: 320, height: 700 });
  await check('reload: drafts, open forms, collapsed sections, the shapes filter and the scroll position survive', async () => {
    // An op first, so the request counter has moved (and clicking scrolls: done before the scroll position is set).
    await r.locator('.nb-phase-button[data-phase="fix"]').click();
    await r.waitForFunction(() => window.__posted.some((m) => m.type === 'op'));
    const lastId = (await ops(r)).at(-1).requestId;
    await blur(r);
    await r.keyboard.press('o');
    await formOpen(r, 'observation').locator('[name="text"]').fill('Typed, not yet submitted');
    await formOpen(r, 'observation').locator('[name="source"]').fill('my eyes');
    await r.locator('[data-fk="edit:h-8c1d"]').click();
    await formOpen(r, 'edit:h-8c1d').locator('[name="prediction"]').fill('Edited prediction, unsaved');
    await r.locator('.nb-section[data-section="actions"] .nb-section-toggle').click();
    await r.locator('[data-fk="shapes:filter"]').fill('retry');
    await r.evaluate(() => (document.querySelector('.nb-page').scrollTop = 900));
    await r.waitForTimeout(400);
    await r.reload();
    await r.waitForFunction(() => window.__posted.some((m) => m.type === 'rendered'));
    assert.equal(await formOpen(r, 'observation').locator('[name="text"]').inputValue(), 'Typed, not yet submitted');
    assert.equal(await formOpen(r, 'observation').locator('[name="source"]').inputValue(), 'my eyes');
    assert.equal(await formOpen(r, 'edit:h-8c1d').locator('[name="prediction"]').inputValue(), 'Edited prediction, unsaved');
    assert.equal(await r.locator('.nb-section[data-section="actions"] .nb-section-toggle').getAttribute('aria-expanded'), 'false');
    assert.equal(await r.locator('[data-fk="shapes:filter"]').inputValue(), 'retry');
    assert.deepEqual(await r.locator('.nb-shape').evaluateAll((bs) => bs.map((b) => b.dataset.shape)), ['retry-storm']);
    assert.equal(await r.evaluate(() => document.querySelector('.nb-page').scrollTop), 900);
    // The request counter survives too: a new op after the reload gets a new ID.
    await formOpen(r, 'observation').locator('[name="text"]').press('Control+Enter');
    await r.waitForFunction(() => window.__posted.some((m) => m.type === 'op'));
    const id = (await ops(r))[0].requestId;
    assert.ok(id > lastId, `request ID ${id} after the reload, ${lastId} before`);
  });
  await r.close();

  // ---------- Layouts ----------
  for (const theme of ['dark', 'light', 'hc']) {
    const n = await open(theme, 'demo', { width: 320, height: 900 });
    await shot(n, `narrow-${theme}`);
    await check(`${theme}: narrow 320 px: one column, sections stacked, no horizontal overflow`, async () => {
      assert.equal(await n.locator('.nb-body.nb-cols-1').count(), 1);
      const tops = await n.locator('.nb-section').evaluateAll((ss) => ss.map((s) => Math.round(s.getBoundingClientRect().left)));
      assert.ok(tops.every((l) => l === tops[0]), `sections share a left edge: ${tops}`);
      assert.deepEqual(await overflow(n), []);
      await n.locator('.nb-section[data-section="hypotheses"]').scrollIntoViewIfNeeded();
      await shot(n, `narrow-${theme}-hypotheses`);
      await blur(n);
      await n.keyboard.press('h');
      await n.locator('[data-fk="evidence:h-5r0t"]').click();
      await n.locator('[data-fk="edit:a-r1bk"]').click();
      assert.deepEqual(await overflow(n), [], 'with forms open');
      await formOpen(n, 'hypothesis').scrollIntoViewIfNeeded();
      await shot(n, `narrow-${theme}-form`);
    });
    await n.close();
    const w = await open(theme, 'demo', { width: 1200, height: 250 });
    await shot(w, `wide-${theme}`);
    await check(`${theme}: wide 1200×250 panel: three columns that scroll on their own under the header, no horizontal overflow`, async () => {
      assert.equal(await w.locator('.nb-body.nb-cols-3').count(), 1);
      const cols = await w.locator('.nb-col').evaluateAll((cs) => cs.map((c) => ({ left: c.getBoundingClientRect().left, scrolls: c.scrollHeight > c.clientHeight, overflow: getComputedStyle(c).overflowY })));
      assert.equal(cols.length, 3);
      assert.ok(cols[0].left < cols[1].left && cols[1].left < cols[2].left);
      assert.ok(cols.every((c) => c.overflow === 'auto'), JSON.stringify(cols));
      assert.ok(cols.some((c) => c.scrolls));
      await w.evaluate(() => (document.querySelectorAll('.nb-col')[2].scrollTop = 120));
      assert.equal(await w.evaluate(() => Math.round(document.querySelector('.nb-header').getBoundingClientRect().top)), 0, 'the header stays');
      assert.deepEqual(await overflow(w), []);
      const headerH = await w.evaluate(() => document.querySelector('.nb-header').getBoundingClientRect().height);
      assert.ok(headerH <= 110, `header ${headerH}px high leaves room in a 250px panel`);
    });
    await w.close();
  }
  const m = await open('light', 'demo', { width: 820, height: 600 });
  await shot(m, 'medium-light');
  await check('medium 820 px: two columns, no horizontal overflow', async () => {
    assert.equal(await m.locator('.nb-body.nb-cols-2').count(), 1);
    assert.deepEqual(await overflow(m), []);
    await m.setViewportSize({ width: 500, height: 600 });
    await m.waitForFunction(() => document.querySelector('.nb-body.nb-cols-1'));
    assert.deepEqual(await overflow(m), [], 'after narrowing the panel');
  });
  await m.close();

  // ---------- Themes ----------
  for (const theme of ['light', 'hc']) {
    const p = await open(theme, 'demo');
    await shot(p, `demo-${theme}`);
    await check(`${theme}: focus is visible on a focused control`, async () => {
      await p.locator('[data-fk="add:hypothesis"]').focus();
      await p.keyboard.press('Enter');
      await formOpen(p, 'hypothesis').locator('[name="statement"]').fill('A hypothesis typed in the light of day');
      assert.equal(await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'solid');
      await shot(p, `demo-${theme}-form`);
    });
    await p.close();
  }

  // ---------- A fresh incident ----------
  const f = await open('dark', 'fresh', { width: 420, height: 760 });
  await shot(f, 'fresh-dark');
  await check('fresh incident: empty lists say what to do next; phase detect; elapsed 4m 05s', async () => {
    assert.match(await f.locator('.nb-section[data-section="hypotheses"] .nb-empty-note').textContent(), /prove it wrong/);
    assert.match(await f.locator('.nb-section[data-section="observations"] .nb-empty-note').textContent(), /press O/);
    assert.equal(await f.locator('.nb-phase-button[aria-current="step"]').getAttribute('data-phase'), 'detect');
    assert.match(await f.locator('.nb-elapsed-text').textContent(), /^4m (0[5-9]|1\d)s$/);
    assert.deepEqual(await overflow(f), []);
  });
  await f.close();

  // ---------- Hostile content ----------
  const h = await open('dark', 'hostile', { width: 1200, height: 860 });
  await shot(h, 'hostile-dark');
  await check('hostile: nothing ran, nothing loaded, no element from data, no CSP violation', async () => {
    await h.waitForTimeout(300);
    const s = await h.evaluate(() => ({
      xss: window.__xss,
      alerts: window.__alerts,
      csp: window.__cspViolations,
      active: Array.from(document.querySelectorAll('#app img, #app iframe, #app svg, #app script, #app style, #app object, #app embed, #app a, #app b, #app i')).map((e) => e.outerHTML.slice(0, 80)),
      scripts: document.scripts.length,
      handlers: Array.from(document.querySelectorAll('#app *')).flatMap((e) => Array.from(e.attributes).map((a) => a.name)).filter((n) => n.startsWith('on')),
      // The only styles are the page's own CSSOM sizes (probability bars, the popup's position); Chromium may leave
      // an empty style attribute on an input, which styles nothing.
      styles: Array.from(document.querySelectorAll('#app [style]'))
        .map((e) => `${e.className}: ${e.getAttribute('style').trim()}`)
        .filter((st) => !/^[\w -]*: ((width|left|top|max-height): [\d.]+(%|px);\s*)*$/.test(st)),
    }));
    assert.equal(s.xss, undefined);
    assert.deepEqual(s.alerts, []);
    assert.deepEqual(s.csp, []);
    assert.deepEqual(s.active, [], 'no element from the data');
    assert.equal(s.scripts, 4, 'only the page\'s own four scripts: the fake bridge and host, the model, the bundle');
    assert.deepEqual(s.handlers, [], 'no event handler attributes');
    assert.deepEqual(s.styles, [], 'no style from the data');
  });
  await check('hostile: markup shows as text; RTL text is isolated; long text is cut with Show all; 500 timeline entries', async () => {
    const inc = models.hostile.incident;
    assert.equal(await h.locator('h1.nb-title').textContent(), inc.title);
    assert.equal(await h.locator('h1.nb-title').getAttribute('dir'), 'auto');
    assert.equal(await h.locator('.nb-header .nb-sev').textContent(), 'SEV-<b>1</b>');
    assert.equal(await h.locator('.nb-header .nb-sev-unknown').count(), 1);
    assert.equal(await h.locator('.nb-tl').count(), 500);
    assert.match(await h.locator('.nb-banner-conflict').textContent(), /<img src=x onerror=/);
    const obs = h.locator('.nb-obs[data-id="o-x1"]');
    assert.ok((await obs.locator('.nb-long-text').textContent()).length < 700);
    await obs.getByRole('button', { name: /Show all \(10,000 characters\)/ }).click();
    assert.equal((await obs.locator('.nb-long-text').textContent()).length, 10_000);
    assert.equal(await h.locator('.nb-hyp[data-id="h-x2"] .nb-missing').count(), 2, 'empty prediction and test are called out');
    assert.equal(await h.locator('.nb-hyp[data-id="h-x1"] .nb-prob-text').textContent(), '999%');
    assert.equal(await h.locator('.nb-hyp[data-id="h-x1"] .nb-prob-fill').evaluate((e) => e.style.width), '100%');
  });
  await check('hostile: no horizontal overflow, wide and narrow', async () => {
    assert.deepEqual(await overflow(h), []);
    await h.setViewportSize({ width: 320, height: 800 });
    await h.waitForFunction(() => document.querySelector('.nb-body.nb-cols-1'));
    assert.deepEqual(await overflow(h), []);
    await shot(h, 'hostile-narrow-dark');
  });
  await check('hostile: clicking every button and picking every shape runs nothing; Open posts only IDs', async () => {
    await h.setViewportSize({ width: 1200, height: 860 });
    for (const b of await h.locator('.nb-open, [data-fk^="open:"], .nb-shape').all()) await b.click();
    await h.locator('[data-fk="header:switch"]').click();
    await h.keyboard.press('Escape');
    await h.waitForTimeout(200);
    assert.equal(await h.evaluate(() => window.__xss), undefined);
    const opened = (await posted(h)).filter((m) => m.type === 'openEntry');
    assert.ok(opened.length >= 72, `${opened.length} openEntry`);
    assert.ok(opened.every((m) => Object.keys(m).sort().join() === 'id,type' && /^[a-z]-[a-z0-9]{1,16}$/.test(m.id)), JSON.stringify(opened.slice(0, 3)));
    assert.equal(await h.locator('#app img, #app script, #app svg, #app iframe').count(), 0);
    await shot(h, 'hostile-dark-shape');
  });
  await h.close();
  await check('no page errors', async () => assert.deepEqual(errors, []));
  return results;
}
