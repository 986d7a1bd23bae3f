// The notebook's edits (src/core/notebook/ops.ts): applyOp with the timeline side effects a person expects and its
// validation, and parseWebviewOp, which rebuilds ops from an untrusted webview and drops anything with a link or ref.
import * as assert from 'node:assert/strict';
import type { Incident } from '../../../src/core/notebook/model';
import type { NotebookOp, OpContext, OpResult } from '../../../src/core/notebook/ops';
import { applyOp, countingIds, parseWebviewOp } from '../../../src/core/notebook/ops';
import { newIncident } from '../../../src/core/notebook/incident';
import { parseIncident, serializeIncident } from '../../../src/core/notebook/format';

const start = (): Incident => newIncident({ title: 'Checkout 504s', severity: 'SEV-2', commander: 'Sam Okafor', detectedBy: 'alert', alert: 'CheckoutLatencyHigh', started: '2026-11-23T03:12:00Z' }, []);

/** A context at `now` with counted IDs (o-1, t-1, …). */
function ctx(now: string, ids = countingIds()): OpContext {
  return { now, newId: ids };
}

function ok(r: OpResult): Extract<OpResult, { ok: true }> {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r;
}
function err(r: OpResult): string {
  assert.ok(!r.ok, 'expected the op to be refused');
  return r.error;
}

/** Applies ops in order, one minute apart from 03:20:00, with one ID counter. */
function run(inc: Incident, ...ops: NotebookOp[]): { inc: Incident; ids: string[] } {
  const ids = countingIds();
  const out: string[] = [];
  ops.forEach((op, i) => {
    const r = ok(applyOp(inc, op, ctx(`2026-11-23T03:${String(20 + i).padStart(2, '0')}:00Z`, ids)));
    inc = r.incident;
    if (r.id !== undefined) out.push(r.id);
  });
  return { inc, ids: out };
}

describe('notebook: applyOp', () => {
  it('adds an observation and its timeline entry (ref, the observation\'s time), sorted by time', () => {
    const { inc, ids } = run(start(), { op: 'addObservation', text: '  p99 at 3 s\r\nsince 03:12  ', source: ' Grafana ', at: '2026-11-23T03:12:30Z' });
    assert.deepEqual(ids, ['o-1']);
    assert.deepEqual(inc.observations, [{ id: 'o-1', at: '2026-11-23T03:12:30Z', text: 'p99 at 3 s\nsince 03:12', source: 'Grafana' }]);
    assert.deepEqual(inc.timeline.map((t) => [t.at, t.kind, t.text, t.ref]), [
      ['2026-11-23T03:12:00Z', 'detect', 'Alert CheckoutLatencyHigh fired; Sam Okafor is incident commander.', undefined],
      ['2026-11-23T03:12:30Z', 'observation', 'p99 at 3 s', 'o-1'],
    ]);
  });

  it('keeps the timeline sorted and stable for equal times', () => {
    const { inc } = run(start(), { op: 'addTimeline', text: 'b', at: '2026-11-23T03:15:00Z' }, { op: 'addTimeline', text: 'a', at: '2026-11-23T03:13:00Z' }, { op: 'addTimeline', text: 'c', at: '2026-11-23T03:15:00Z' });
    assert.deepEqual(inc.timeline.map((t) => t.text).slice(1), ['a', 'b', 'c']);
  });

  it('hypothesis lifecycle: raised, testing (experiment), falsified (verdict); evidence adds an evidence entry', () => {
    const { inc, ids } = run(
      start(),
      { op: 'addHypothesis', statement: 'PSP is slow', prediction: 'charges < 300 ms', test: 'compare spans', probability: 20, shape: 'retry-storm' },
      { op: 'setHypothesisStatus', id: 'h-1', status: 'testing' },
      { op: 'addEvidence', hypothesis: 'h-1', text: 'charges took 277 ms', bearing: 'refutes', link: { kind: 'trace', traceId: 'a77f7d7c93378ee801c4985086c872a4' } },
      { op: 'setHypothesisStatus', id: 'h-1', status: 'falsified', verdict: 'Payments is not on the slow path.' },
    );
    assert.deepEqual(ids, ['h-1', 'e-1']);
    const h = inc.hypotheses[0];
    assert.deepEqual(h, {
      id: 'h-1', at: '2026-11-23T03:20:00Z', statement: 'PSP is slow', prediction: 'charges < 300 ms', test: 'compare spans', probability: 20, status: 'falsified', shape: 'retry-storm',
      evidence: [{ id: 'e-1', at: '2026-11-23T03:22:00Z', text: 'charges took 277 ms', bearing: 'refutes', link: { kind: 'trace', traceId: 'a77f7d7c93378ee801c4985086c872a4' } }],
      verdict: 'Payments is not on the slow path.',
    });
    assert.deepEqual(inc.timeline.slice(1).map((t) => [t.kind, t.text, t.ref]), [
      ['hypothesis', 'H1 raised: PSP is slow', 'h-1'],
      ['experiment', 'Testing H1: compare spans', 'h-1'],
      ['evidence', 'Evidence against H1: charges took 277 ms', 'e-1'],
      ['verdict', 'H1 falsified: PSP is slow — Payments is not on the slow path.', 'h-1'],
    ]);
    // The same status again changes nothing on the timeline.
    const again = ok(applyOp(inc, { op: 'setHypothesisStatus', id: 'h-1', status: 'falsified' }, ctx('2026-11-23T04:00:00Z')));
    assert.equal(again.incident.timeline.length, inc.timeline.length);
    assert.equal(again.incident.hypotheses[0]?.verdict, 'Payments is not on the slow path.');
  });

  it('phase and status changes go on the timeline; mitigated/resolved set their times once', () => {
    const { inc } = run(
      start(),
      { op: 'setMeta', field: 'phase', value: 'mitigate' },
      { op: 'setMeta', field: 'status', value: 'mitigated' },
      { op: 'setMeta', field: 'status', value: 'active' },
      { op: 'setMeta', field: 'status', value: 'resolved' },
      { op: 'setMeta', field: 'phase', value: 'mitigate' },
    );
    assert.equal(inc.mitigated, '2026-11-23T03:21:00Z', 'the first mitigation time is kept');
    assert.equal(inc.resolved, '2026-11-23T03:23:00Z');
    assert.deepEqual(inc.timeline.slice(1).map((t) => [t.kind, t.text]), [
      ['phase', 'Phase: mitigate'],
      ['status', 'Status: mitigated'],
      ['status', 'Status: active'],
      ['status', 'Status: resolved'],
    ]);
    const closed = run(start(), { op: 'setMeta', field: 'status', value: 'closed' }).inc;
    assert.deepEqual([closed.mitigated, closed.resolved], ['2026-11-23T03:20:00Z', '2026-11-23T03:20:00Z']);
  });

  it('sets and clears front-matter fields; title and commander cannot be emptied', () => {
    let { inc } = run(start(), { op: 'setMeta', field: 'alert', value: 'PricingDbPoolSaturated' }, { op: 'setMeta', field: 'detected', value: '2026-11-23T03:13:05Z' }, { op: 'setMeta', field: 'summary', value: '  two\n\nparagraphs ' });
    assert.deepEqual([inc.alert, inc.detected, inc.summary], ['PricingDbPoolSaturated', '2026-11-23T03:13:05Z', 'two\n\nparagraphs']);
    inc = run(inc, { op: 'setMeta', field: 'alert', value: undefined }, { op: 'setMeta', field: 'detected', value: '' }, { op: 'setMeta', field: 'title', value: 'New\ntitle' }).inc;
    assert.ok(!('alert' in inc) && !('detected' in inc), 'cleared optional fields are absent, not undefined');
    assert.equal(inc.title, 'New title', 'a one-line field gets no line break');
    assert.match(err(applyOp(inc, { op: 'setMeta', field: 'title', value: '  ' }, ctx('2026-11-23T04:00:00Z'))), /title is empty/i);
    assert.match(err(applyOp(inc, { op: 'setMeta', field: 'commander', value: undefined }, ctx('2026-11-23T04:00:00Z'))), /commander is empty/i);
    assert.match(err(applyOp(inc, { op: 'setMeta', field: 'severity', value: 'SEV-9' }, ctx('2026-11-23T04:00:00Z'))), /Unknown severity "SEV-9"/);
    assert.match(err(applyOp(inc, { op: 'setMeta', field: 'started', value: '2026-11-23 03:12' }, ctx('2026-11-23T04:00:00Z'))), /UTC time/);
  });

  it('actions stay grouped by kind; a status change is an action entry; a kind change moves it', () => {
    const { inc } = run(
      start(),
      { op: 'addAction', kind: 'fix', what: 'single-flight' },
      { op: 'addAction', kind: 'mitigation', what: 'pause repricing', who: 'Marta' },
      { op: 'addAction', kind: 'diagnosis', what: 'count loads', status: 'doing' },
      { op: 'editAction', id: 'a-2', status: 'done' },
      { op: 'editAction', id: 'a-3', kind: 'fix' },
    );
    assert.deepEqual(inc.actions.map((a) => [a.id, a.kind, a.status]), [['a-2', 'mitigation', 'done'], ['a-1', 'fix', 'planned'], ['a-3', 'fix', 'doing']]);
    assert.deepEqual(inc.timeline.slice(1).map((t) => t.text), ['Fix planned: single-flight', 'Mitigation planned: pause repricing', 'Diagnosis doing: count loads', 'Mitigation done: pause repricing']);
  });

  it('editing an observation moves its timeline entry with it; removing items removes the entries about them', () => {
    let { inc } = run(
      start(),
      { op: 'addObservation', text: 'first', at: '2026-11-23T03:14:00Z' },
      { op: 'addHypothesis', statement: 'H', prediction: '', test: '' },
      { op: 'addEvidence', hypothesis: 'h-1', text: 'ev', bearing: 'supports' },
      { op: 'addAction', kind: 'fix', what: 'fix it' },
      { op: 'editObservation', id: 'o-1', text: 'edited', at: '2026-11-23T03:13:00Z' },
    );
    assert.deepEqual(inc.timeline.slice(0, 2).map((t) => [t.at, t.text]), [['2026-11-23T03:12:00Z', 'Alert CheckoutLatencyHigh fired; Sam Okafor is incident commander.'], ['2026-11-23T03:13:00Z', 'edited']]);
    inc = run(inc, { op: 'removeObservation', id: 'o-1' }, { op: 'removeHypothesis', id: 'h-1' }, { op: 'removeAction', id: 'a-1' }).inc;
    assert.deepEqual([inc.observations, inc.hypotheses, inc.actions], [[], [], []]);
    assert.deepEqual(inc.timeline.map((t) => t.kind), ['detect'], 'the entries about the observation, the hypothesis, its evidence and the action are gone');
  });

  it('refuses unknown IDs, empty statements, bad probabilities, non-UTC times, overlong text and bad links', () => {
    const inc = start();
    const c = ctx('2026-11-23T03:20:00Z');
    assert.match(err(applyOp(inc, { op: 'editObservation', id: 'o-nope', text: 'x' }, c)), /no observation with ID o-nope in INC-2026-11-23-01/);
    assert.match(err(applyOp(inc, { op: 'removeHypothesis', id: 'h-nope' }, c)), /no hypothesis with ID h-nope/);
    assert.match(err(applyOp(inc, { op: 'addEvidence', hypothesis: 'h-nope', text: 'x', bearing: 'supports' }, c)), /no hypothesis with ID h-nope/);
    assert.match(err(applyOp(inc, { op: 'addHypothesis', statement: ' \n ', prediction: '', test: '' }, c)), /statement is empty/);
    assert.match(err(applyOp(inc, { op: 'addObservation', text: '' }, c)), /observation is empty/);
    for (const p of [-1, 101, 50.5, NaN]) assert.match(err(applyOp(inc, { op: 'addHypothesis', statement: 'x', prediction: '', test: '', probability: p }, c)), /whole number from 0 to 100/);
    assert.match(err(applyOp(inc, { op: 'addObservation', text: 'x', at: '2026-11-23T03:12:00+01:00' }, c)), /UTC time like 2026-11-24T03:12:09Z/);
    assert.match(err(applyOp(inc, { op: 'addObservation', text: 'x'.repeat(20_001) }, c)), /longer than 20000 characters/);
    assert.match(err(applyOp(inc, { op: 'addAction', kind: 'fix', what: 'x', who: 'y'.repeat(201) }, c)), /longer than 200/);
    assert.match(err(applyOp(inc, { op: 'addObservation', text: 'x', link: { kind: 'file', path: '../etc/passwd', line: 1 } }, c)), /relative to the workspace folder/);
    assert.match(err(applyOp(inc, { op: 'addObservation', text: 'x', link: { kind: 'url', url: 'javascript:alert(1)' } }, c)), /http or https/);
    assert.match(err(applyOp(inc, { op: 'addTimeline', text: 'x', ref: 'o-nope' }, c)), /no observation, hypothesis, evidence or action with ID o-nope/);
    assert.match(err(applyOp(inc, { op: 'addObservation', text: 'x' }, { now: '2026-11-23 03:20', newId: countingIds() })), /clock/);
    assert.match(err(applyOp(inc, { op: 'nope' } as unknown as NotebookOp, c)), /Unknown notebook op "nope"/);
  });

  it('never reuses a taken ID, even when the ID source offers one', () => {
    const inc = run(start(), { op: 'addObservation', text: 'a' }).inc;
    const r = ok(applyOp(inc, { op: 'addObservation', text: 'b' }, ctx('2026-11-23T03:30:00Z', countingIds())));
    assert.equal(r.id, 'o-2', 'o-1 is taken');
    assert.match(err(applyOp(inc, { op: 'addObservation', text: 'b' }, { now: '2026-11-23T03:30:00Z', newId: () => 'o-1' })), /taken or malformed/);
  });

  it('every incident the ops make round-trips through the file format', () => {
    const { inc } = run(
      start(),
      { op: 'addObservation', text: 'a\n## Timeline\n<!-- x -->', source: 'Grafana', link: { kind: 'url', url: 'https://grafana.example.com/d/(x)' } },
      { op: 'addHypothesis', statement: 'H <br>', prediction: 'p', test: 't', probability: 0 },
      { op: 'addEvidence', hypothesis: 'h-1', text: 'e', bearing: 'neutral', link: { kind: 'file', path: 'src/a b.ts', line: 3 } },
      { op: 'addAction', kind: 'diagnosis', what: 'd', status: 'abandoned' },
      { op: 'setMeta', field: 'impact', value: '## Summary\nx' },
    );
    assert.deepEqual(parseIncident(serializeIncident(inc)).incident, inc);
  });
});

describe('notebook: parseWebviewOp (untrusted input)', () => {
  it('rebuilds known ops from their own fields only', () => {
    assert.deepEqual(parseWebviewOp({ op: 'addObservation', text: 'seen', source: 'Grafana', extra: 'ignored' }), { op: 'addObservation', text: 'seen', source: 'Grafana' });
    assert.deepEqual(parseWebviewOp({ op: 'editHypothesis', id: 'h-2m7q', probability: null }), { op: 'editHypothesis', id: 'h-2m7q', probability: null });
    assert.deepEqual(parseWebviewOp({ op: 'addHypothesis', statement: 's' }), { op: 'addHypothesis', statement: 's', prediction: '', test: '' });
    assert.deepEqual(parseWebviewOp({ op: 'setMeta', field: 'alert', value: null }), { op: 'setMeta', field: 'alert', value: undefined });
    assert.deepEqual(parseWebviewOp({ op: 'setMeta', field: 'severity', value: 'SEV-1' }), { op: 'setMeta', field: 'severity', value: 'SEV-1' });
    assert.deepEqual(parseWebviewOp({ op: 'setServices', services: ['a', 'b'] }), { op: 'setServices', services: ['a', 'b'] });
    assert.deepEqual(parseWebviewOp({ op: 'addTimeline', text: 'note', kind: 'note', at: '2026-11-23T03:20:00Z' }), { op: 'addTimeline', text: 'note', kind: 'note', at: '2026-11-23T03:20:00Z' });
    assert.deepEqual(parseWebviewOp({ op: 'removeTimeline', id: 't-0' }), { op: 'removeTimeline', id: 't-0' });
  });

  it('drops any op that carries a link or a ref, even an empty one', () => {
    assert.equal(parseWebviewOp({ op: 'addObservation', text: 'x', link: { kind: 'url', url: 'https://evil.example' } }), undefined);
    assert.equal(parseWebviewOp({ op: 'addObservation', text: 'x', link: undefined }), undefined);
    assert.equal(parseWebviewOp({ op: 'addTimeline', text: 'x', ref: 'o-1' }), undefined);
    assert.equal(parseWebviewOp({ op: 'addEvidence', hypothesis: 'h-1', text: 'x', bearing: 'supports', link: null }), undefined);
  });

  it('drops unknown ops, wrong types, bad enums, malformed IDs and overlong strings', () => {
    const bad: unknown[] = [
      null, 'addObservation', [], { op: 'eval' }, { op: 'toString' }, { op: '__proto__' },
      { op: 'addObservation' }, { op: 'addObservation', text: 42 }, { op: 'addObservation', text: 'x', at: 5 },
      { op: 'editObservation', id: 'O-1', text: 'x' }, { op: 'removeAction', id: 'a-' }, { op: 'removeAction', id: 'a-12345678901234567' }, { op: 'removeAction', id: '../a' },
      { op: 'setMeta', field: 'id', value: 'INC-x' }, { op: 'setMeta', field: 'severity', value: 'SEV-9' }, { op: 'setMeta', field: 'status', value: undefined }, { op: 'setMeta', field: 'title', value: 1 },
      { op: 'setHypothesisStatus', id: 'h-1', status: 'proven' }, { op: 'addEvidence', hypothesis: 'h-1', text: 'x', bearing: 'maybe' },
      { op: 'addAction', kind: 'pray', what: 'x' }, { op: 'editAction', id: 'a-1', status: 'blocked' }, { op: 'addTimeline', text: 'x', kind: 'gossip' },
      { op: 'addHypothesis', statement: 's', probability: '50' }, { op: 'addHypothesis', statement: 's', probability: Infinity },
      { op: 'setServices', services: 'a' }, { op: 'setServices', services: [1] },
      { op: 'addObservation', text: 'x'.repeat(50_001) },
    ];
    for (const raw of bad) assert.equal(parseWebviewOp(raw), undefined, JSON.stringify(raw)?.slice(0, 80));
  });
});
