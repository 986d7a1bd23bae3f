import * as assert from 'node:assert/strict';
import { SpanIdTable } from '../../src/core/traces/spanIdTable';

describe('SpanIdTable (span ID → first index)', () => {
  it('finds every ID, the first of duplicates, and says -1 for the rest', () => {
    const ids = ['00000000000000a1', '00000000000000b2', '00000000000000a1', 'not-hex-at-all', ''];
    const t = new SpanIdTable(ids.map((spanId) => ({ spanId })));
    assert.equal(t.size, 4);
    assert.equal(t.get('00000000000000a1'), 0);
    assert.equal(t.get('00000000000000b2'), 1);
    assert.equal(t.get('not-hex-at-all'), 3);
    assert.equal(t.get(''), 4);
    assert.equal(t.get('00000000000000c3'), -1);
  });

  it('agrees with a Map on 50,000 IDs, with duplicates and near-identical IDs that collide in the table', () => {
    const ids: string[] = [];
    for (let i = 0; i < 50_000; i++) ids.push((i % 7 === 0 ? i - 7 : i).toString(16).padStart(16, '0'));
    const t = new SpanIdTable(ids.map((spanId) => ({ spanId })));
    const first = new Map<string, number>();
    ids.forEach((id, i) => first.has(id) || first.set(id, i));
    assert.equal(t.size, first.size);
    for (const [id, i] of first) assert.equal(t.get(id), i, id);
    for (let i = 50_000; i < 51_000; i++) assert.equal(t.get(i.toString(16).padStart(16, '0')), -1);
  });
});
