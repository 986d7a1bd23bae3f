// Three-way merge of incidents (src/core/notebook/merge.ts): "two VS Code windows edit the same incident" and
// "git pull changed the file while I was editing". Field by field, lists by ID, conflicts keep ours and say where.
import * as assert from 'node:assert/strict';
import { mergeIncidents } from '../../../src/core/notebook/merge';
import type { Incident, Observation } from '../../../src/core/notebook/model';
import { applyOp, countingIds, type NotebookOp } from '../../../src/core/notebook/ops';
import { parseIncident, serializeIncident } from '../../../src/core/notebook/format';
import { entityIds } from '../../../src/core/notebook/ids';
import { Rng, randomEdits, randomIncident } from './generate';
import { small } from './sample';

/** `inc` after `ops`, at 03:50 onwards, with IDs from `prefix`-letters (`o-x1`, …) so two sides never collide. */
function edit(inc: Incident, side: string, ...ops: NotebookOp[]): Incident {
  const n = countingIds();
  ops.forEach((op, i) => {
    const r = applyOp(inc, op, { now: `2026-11-23T03:5${i}:00Z`, newId: (p) => `${n(p)}${side}` });
    assert.ok(r.ok, r.ok ? '' : r.error);
    inc = r.incident;
  });
  return inc;
}

const paths = (r: { conflicts: ReadonlyArray<{ path: string }> }): string[] => r.conflicts.map((c) => c.path);

describe('notebook: mergeIncidents', () => {
  it('takes each side\'s changes to different fields and items, without conflicts', () => {
    const ours = edit(small, 'a', { op: 'setMeta', field: 'status', value: 'resolved' }, { op: 'editObservation', id: 'o-k3x9', text: 'p99 at 3.1 s' }, { op: 'setHypothesisStatus', id: 'h-2m7q', status: 'testing' });
    const theirs = edit(small, 'b', { op: 'setMeta', field: 'title', value: 'Checkout 504s (APAC)' }, { op: 'editObservation', id: 'o-k3x9', source: 'Grafana p99 panel' }, { op: 'editAction', id: 'a-f1x0', status: 'doing' });
    const { merged, conflicts } = mergeIncidents(small, ours, theirs);
    assert.deepEqual(conflicts, []);
    assert.equal(merged.status, 'resolved');
    assert.equal(merged.resolved, ours.resolved);
    assert.equal(merged.title, 'Checkout 504s (APAC)');
    assert.deepEqual(merged.observations[0], { ...small.observations[0], text: 'p99 at 3.1 s', source: 'Grafana p99 panel' } as Observation, 'fields of one item merge');
    assert.equal(merged.hypotheses[0]?.status, 'testing');
    assert.equal(merged.actions.find((a) => a.id === 'a-f1x0')?.status, 'doing');
    // Both sides' timeline entries, sorted.
    assert.equal(merged.timeline.length, small.timeline.length + 3, 'status (ours), experiment (ours), action (theirs)');
    assert.deepEqual(merged.timeline.map((t) => t.at), [...merged.timeline.map((t) => t.at)].sort());
    assert.deepEqual(parseIncident(serializeIncident(merged)).incident, merged, 'the merge is a valid incident');
  });

  it('keeps additions from both sides, ordered by time then ID', () => {
    const ours = edit(small, 'a', { op: 'addObservation', text: 'ours late', at: '2026-11-23T03:40:00Z' }, { op: 'addObservation', text: 'ours later', at: '2026-11-23T03:45:00Z' });
    const theirs = edit(small, 'b', { op: 'addObservation', text: 'theirs early', at: '2026-11-23T03:30:00Z' }, { op: 'addObservation', text: 'theirs between', at: '2026-11-23T03:42:00Z' });
    const { merged, conflicts } = mergeIncidents(small, ours, theirs);
    assert.deepEqual(conflicts, []);
    assert.deepEqual(merged.observations.map((o) => o.text), ['p99 at 3.0 s', 'theirs early', 'ours late', 'theirs between', 'ours later']);
    assert.equal(new Set(merged.timeline.map((t) => t.id)).size, merged.timeline.length);
    assert.equal(merged.timeline.filter((t) => t.kind === 'observation').length, 4);
  });

  it('same change on both sides is no conflict; different changes to one field are, and ours stays', () => {
    const same = mergeIncidents(small, edit(small, 'a', { op: 'setMeta', field: 'severity', value: 'SEV-1' }), edit(small, 'b', { op: 'setMeta', field: 'severity', value: 'SEV-1' }));
    assert.deepEqual([same.conflicts, same.merged.severity], [[], 'SEV-1']);
    const ours = edit(small, 'a', { op: 'setMeta', field: 'title', value: 'Ours' }, { op: 'setHypothesisStatus', id: 'h-2m7q', status: 'falsified' }, { op: 'setMeta', field: 'summary', value: 'ours summary' });
    const theirs = edit(small, 'b', { op: 'setMeta', field: 'title', value: 'Theirs' }, { op: 'setHypothesisStatus', id: 'h-2m7q', status: 'inconclusive' }, { op: 'setMeta', field: 'summary', value: 'theirs summary' });
    const r = mergeIncidents(small, ours, theirs);
    assert.deepEqual(r.conflicts, [
      { path: 'title', ours: 'Ours', theirs: 'Theirs' },
      { path: 'summary', ours: 'ours summary', theirs: 'theirs summary' },
      { path: 'hypotheses[h-2m7q].status', ours: 'falsified', theirs: 'inconclusive' },
    ]);
    assert.deepEqual([r.merged.title, r.merged.summary, r.merged.hypotheses[0]?.status], ['Ours', 'ours summary', 'falsified']);
    assert.equal(r.merged.timeline.filter((t) => t.kind === 'verdict').length, 3, 'both verdict entries are kept (the old one and one per side)');
  });

  it('honours a removal unless the other side edited the item: then it is a conflict and the edited item stays', () => {
    const removed = edit(small, 'a', { op: 'removeObservation', id: 'o-k3x9' }, { op: 'removeAction', id: 'a-f1x0' });
    const untouched = mergeIncidents(small, removed, edit(small, 'b', { op: 'setMeta', field: 'phase', value: 'fix' }));
    assert.deepEqual(untouched.conflicts, []);
    assert.deepEqual([untouched.merged.observations, untouched.merged.actions.map((a) => a.id), untouched.merged.phase], [[], ['a-r2c8'], 'fix']);

    const edited = edit(small, 'b', { op: 'editObservation', id: 'o-k3x9', text: 'p99 at 3.2 s' });
    const r = mergeIncidents(small, removed, edited);
    assert.deepEqual(paths(r), ['observations[o-k3x9]']);
    assert.deepEqual(r.conflicts[0], { path: 'observations[o-k3x9]', ours: '(removed)', theirs: '(edited) p99 at 3.2 s' });
    assert.equal(r.merged.observations[0]?.text, 'p99 at 3.2 s');
    // And the other way round: we edited, they removed.
    const back = mergeIncidents(small, edited, removed);
    assert.deepEqual(back.conflicts, [{ path: 'observations[o-k3x9]', ours: '(edited) p99 at 3.2 s', theirs: '(removed)' }]);
    assert.equal(back.merged.observations[0]?.text, 'p99 at 3.2 s');
    assert.deepEqual(back.merged.actions.map((a) => a.id), ['a-r2c8']);
  });

  it('merges the evidence of a hypothesis by ID too', () => {
    const ours = edit(small, 'a', { op: 'addEvidence', hypothesis: 'h-2m7q', text: 'ours', bearing: 'supports' });
    const theirs = edit(small, 'b', { op: 'addEvidence', hypothesis: 'h-2m7q', text: 'theirs', bearing: 'refutes' }, { op: 'setHypothesisStatus', id: 'h-2m7q', status: 'open' });
    const r = mergeIncidents(small, ours, theirs);
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.merged.hypotheses[0]?.evidence.map((e) => e.text), ['16 concurrent loads', 'ours', 'theirs']);
    assert.equal(r.merged.hypotheses[0]?.status, 'open');

    const e = (inc: Incident, text: string): Incident => ({ ...inc, hypotheses: inc.hypotheses.map((h) => ({ ...h, evidence: h.evidence.map((x) => ({ ...x, text })) })) });
    const c = mergeIncidents(small, e(small, 'mine'), e(small, 'yours'));
    assert.deepEqual(c.conflicts, [{ path: 'hypotheses[h-2m7q].evidence[e-p0d3].text', ours: 'mine', theirs: 'yours' }]);
    // A removed hypothesis that got evidence on the other side comes back, with a conflict.
    const gone = mergeIncidents(small, edit(small, 'a', { op: 'removeHypothesis', id: 'h-2m7q' }), ours);
    assert.deepEqual(paths(gone), ['hypotheses[h-2m7q]']);
    assert.equal(gone.merged.hypotheses[0]?.evidence.length, 2);
  });

  it('merges services as a set and keeps actions grouped by kind', () => {
    const ours = { ...small, services: ['checkout-service', 'payments-service'] };
    const theirs = { ...small, services: ['pricing-service', 'inventory'] };
    assert.deepEqual(mergeIncidents(small, ours, theirs).merged.services, ['payments-service', 'inventory']);
    const a = edit(small, 'a', { op: 'editAction', id: 'a-f1x0', kind: 'mitigation' }, { op: 'addAction', kind: 'fix', what: 'ours fix' });
    const b = edit(small, 'b', { op: 'addAction', kind: 'diagnosis', what: 'theirs diag' });
    const r = mergeIncidents(small, a, b);
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.merged.actions.map((x) => x.kind), ['mitigation', 'mitigation', 'diagnosis', 'fix']);
  });

  it('with one side unchanged the result is the other side exactly; with both equal, that version', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = new Rng(seed);
      const base = randomIncident(r);
      const changed = randomEdits(r, base, 1 + r.int(8), seed);
      assert.deepEqual(mergeIncidents(base, changed, base), { merged: changed, conflicts: [] }, `seed ${seed}`);
      assert.deepEqual(mergeIncidents(base, base, changed), { merged: changed, conflicts: [] }, `seed ${seed}`);
      assert.deepEqual(mergeIncidents(base, changed, changed), { merged: changed, conflicts: [] }, `seed ${seed}`);
    }
  });

  it('random concurrent edits: every addition of both sides survives, and the merge is a valid incident', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const r = new Rng(1000 + seed);
      const base = randomIncident(r);
      const ours = randomEdits(r, base, 1 + r.int(6), 2 * seed);
      const theirs = randomEdits(r, base, 1 + r.int(6), 2 * seed + 1);
      const { merged } = mergeIncidents(base, ours, theirs);
      const has = entityIds(merged);
      const baseIds = entityIds(base);
      for (const side of [ours, theirs]) for (const id of entityIds(side)) if (!baseIds.has(id)) assert.ok(has.has(id), `seed ${seed}: ${id}, added on one side, is lost`);
      assert.equal(has.size, merged.observations.length + merged.hypotheses.reduce((n, h) => n + 1 + h.evidence.length, 0) + merged.actions.length + merged.timeline.length, `seed ${seed}: IDs are unique`);
      const again = parseIncident(serializeIncident(merged));
      assert.deepEqual(again.incident, merged, `seed ${seed}: the merge is valid (sorted timeline, grouped actions)`);
    }
  });
});
