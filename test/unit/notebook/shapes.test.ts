// The catalog of recurring failure shapes (src/core/notebook/shapes.ts) the panel offers to start a hypothesis from.
import * as assert from 'node:assert/strict';
import { FAILURE_SHAPES, failureShape } from '../../../src/core/notebook/shapes';
import type { FailureShape } from '../../../src/shared/protocol/notebook';
import { applyOp, countingIds } from '../../../src/core/notebook/ops';
import { small } from './sample';

describe('notebook: failure shapes', () => {
  it('has the twelve shapes, with unique IDs and every field written', () => {
    assert.deepEqual(FAILURE_SHAPES.map((s) => s.id), [
      'gc-pause', 'fd-leak', 'retry-storm', 'cache-stampede', 'thundering-herd', 'clock-skew', 'dns-failure', 'pool-exhaustion', 'n-plus-one', 'slow-log-replay', 'oom-kill', 'missing-backpressure',
    ]);
    assert.equal(new Set(FAILURE_SHAPES.map((s) => s.id)).size, 12);
    assert.equal(new Set(FAILURE_SHAPES.map((s) => s.name)).size, 12);
    for (const s of FAILURE_SHAPES as readonly FailureShape[]) {
      for (const k of ['id', 'name', 'symptom', 'statement', 'prediction', 'test'] as const) assert.ok(s[k].trim().length > 0, `${s.id}.${k}`);
      assert.ok(s.lookFirst.length >= 3 && s.lookFirst.every((l) => l.trim().length > 20), `${s.id}: where to look first`);
      assert.ok(s.symptom.length > 80 && s.prediction.length > 40 && s.test.length > 40, `${s.id}: written out`);
      assert.notEqual(s.statement, s.prediction);
    }
  });

  it('names the concrete signals an SRE looks for', () => {
    const text = (id: string): string => JSON.stringify(failureShape(id));
    assert.match(text('oom-kill'), /OOMKilled/);
    assert.match(text('oom-kill'), /137/);
    assert.match(text('oom-kill'), /kubectl describe pod/);
    assert.match(text('fd-leak'), /too many open files/);
    assert.match(text('fd-leak'), /ulimit/);
    assert.match(text('n-plus-one'), /sequential, nearly identical DB spans/);
    assert.match(text('gc-pause'), /gap/);
    assert.match(text('slow-log-replay'), /write-ahead log|WAL/);
    assert.match(text('slow-log-replay'), /Kafka/);
    assert.match(text('retry-storm'), /resend_count/);
    assert.match(text('cache-stampede'), /cache\.hit=false/);
    assert.equal(failureShape('nope'), undefined);
  });

  it('pre-fills a hypothesis the notebook accepts, shape ID included', () => {
    for (const s of FAILURE_SHAPES) {
      const r = applyOp(small, { op: 'addHypothesis', statement: s.statement, prediction: s.prediction, test: s.test, shape: s.id }, { now: '2026-11-23T04:00:00Z', newId: countingIds() });
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(r.incident.hypotheses.at(-1)?.shape, s.id);
    }
  });
});
