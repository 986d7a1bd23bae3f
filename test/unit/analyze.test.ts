import * as assert from 'node:assert/strict';
import { analyzeTrace } from '../../src/core/traces/analyze';
import type { Span, Trace } from '../../src/core/traces/model';
import { span } from './helpers';

function trace(spans: Span[]): Trace {
  return { traceId: 'ab'.repeat(16), spans, format: 'otlp-json', warnings: [] };
}

const names = (t: ReturnType<typeof analyzeTrace>, rows: readonly number[]): string[] => rows.map((r) => t.rows[r]?.span?.name ?? `<group ${t.rows[r]?.missingParentId}>`);

describe('analyzeTrace: tree', () => {
  it('orders rows depth-first with children by start time and counts descendants', () => {
    const root = span({ name: 'root', startUs: 0, durationUs: 100 });
    const b = span({ name: 'b', startUs: 50, durationUs: 10, parentSpanId: root.spanId });
    const a = span({ name: 'a', startUs: 10, durationUs: 30, parentSpanId: root.spanId });
    const a1 = span({ name: 'a1', startUs: 12, durationUs: 5, parentSpanId: a.spanId });
    const t = analyzeTrace(trace([b, a1, root, a]));
    assert.deepEqual(names(t, t.rows.map((_, i) => i)), ['root', 'a', 'a1', 'b']);
    assert.deepEqual(t.rows.map((r) => r.depth), [0, 1, 2, 1]);
    assert.equal(t.rows[0]?.descendants, 3);
    assert.equal(t.rows[1]?.parent, 0);
    assert.equal(t.rows[2]?.parent, 1);
  });

  it('groups spans whose parent is missing under a marked group instead of dropping them', () => {
    const root = span({ name: 'root', startUs: 0, durationUs: 100 });
    const orphan1 = span({ name: 'orphan1', startUs: 20, durationUs: 10, parentSpanId: 'ffffffffffffffff' });
    const orphan2 = span({ name: 'orphan2', startUs: 10, durationUs: 10, parentSpanId: 'ffffffffffffffff' });
    const t = analyzeTrace(trace([root, orphan1, orphan2]));
    assert.equal(t.rows.length, 4);
    const group = t.rows[1];
    assert.equal(group?.span, undefined);
    assert.equal(group?.missingParentId, 'ffffffffffffffff');
    assert.deepEqual(names(t, [2, 3]), ['orphan2', 'orphan1']);
    assert.equal(t.rows[2]?.parent, 1);
    assert.match(t.warnings.join(), /2 span\(s\) name a parent that is not in this trace \(ffffffffffffffff\)/);
  });

  it('breaks parent cycles without hanging and shows every span once', () => {
    const a = span({ name: 'a', startUs: 0, durationUs: 10, spanId: '000000000000000a', parentSpanId: '000000000000000c' });
    const b = span({ name: 'b', startUs: 1, durationUs: 5, spanId: '000000000000000b', parentSpanId: '000000000000000a' });
    const c = span({ name: 'c', startUs: 2, durationUs: 3, spanId: '000000000000000c', parentSpanId: '000000000000000b' });
    const self = span({ name: 'self', startUs: 3, durationUs: 1, spanId: '00000000000000dd', parentSpanId: '00000000000000dd' });
    const t = analyzeTrace(trace([c, b, a, self]));
    assert.equal(t.rows.length, 4);
    assert.deepEqual(new Set(t.rows.map((r) => r.span?.name)), new Set(['a', 'b', 'c', 'self']));
    assert.match(t.warnings.join('\n'), /cycle; broken at "a"/);
    assert.match(t.warnings.join('\n'), /names itself as its parent/);
  });

  it('handles a 100,000-deep parent chain (no recursion)', () => {
    const spans: Span[] = [];
    let parent: string | undefined;
    for (let i = 0; i < 100_000; i++) {
      const s = span({ name: `s${i}`, startUs: i, durationUs: 200_000 - 2 * i, ...(parent ? { parentSpanId: parent } : {}) });
      spans.push(s);
      parent = s.spanId;
    }
    const t = analyzeTrace(trace(spans));
    assert.equal(t.rows.length, 100_000);
    assert.equal(t.rows[99_999]?.depth, 99_999);
    assert.equal(new Set(t.criticalRows).size, 100_000, 'every span of the chain is on the critical path');
  });

  it('nests a Zipkin shared server half under its client half', () => {
    const client = span({ name: 'client', startUs: 0, durationUs: 10, spanId: '0000000000000001', kind: 'client' });
    const server = span({ name: 'server', startUs: 1, durationUs: 8, spanId: '0000000000000001', kind: 'server', attributes: [{ key: 'zipkin.shared', value: true }] });
    const t = analyzeTrace(trace([client, server]));
    assert.deepEqual(names(t, [0, 1]), ['client', 'server']);
    assert.equal(t.rows[1]?.parent, 0);
    assert.equal(t.warnings.length, 0);
  });
});

describe('analyzeTrace: self time, critical path, errors, the slow span', () => {
  //   root  [0 ............................. 100]
  //   auth     [5 .. 15]
  //   fetch              [20 .......... 80]          ← the request waits on this
  //   db                    [25 ...... 75]
  //   cacheSet                               [82 .. 95]   (sequential after fetch)
  //   async               [30 ................ 99] (FOLLOWS_FROM-ish child that ends later, but starts after)
  const root = span({ name: 'root', startUs: 0, durationUs: 100 });
  const auth = span({ name: 'auth', startUs: 5, durationUs: 10, parentSpanId: root.spanId });
  const fetch = span({ name: 'fetch', startUs: 20, durationUs: 60, parentSpanId: root.spanId, status: { code: 'error', message: 'timeout' } });
  const db = span({ name: 'db', startUs: 25, durationUs: 50, parentSpanId: fetch.spanId });
  const cacheSet = span({ name: 'cacheSet', startUs: 82, durationUs: 13, parentSpanId: root.spanId });
  const t = analyzeTrace(trace([root, auth, fetch, db, cacheSet]));
  const row = (n: string): number => t.rows.findIndex((r) => r.span?.name === n);

  it('computes self time as duration not covered by children', () => {
    assert.equal(t.rows[row('root')]?.selfUs, 100 - 10 - 60 - 13);
    assert.equal(t.rows[row('fetch')]?.selfUs, 10);
    assert.equal(t.rows[row('db')]?.selfUs, 50);
  });

  it('follows the last-finishing child backwards from the end (Jaeger algorithm)', () => {
    assert.deepEqual(names(t, t.criticalRows), ['root', 'auth', 'root', 'fetch', 'db', 'fetch', 'root', 'cacheSet', 'root']);
    // Concretely, in time order:
    assert.deepEqual(t.rows[row('cacheSet')]?.critical, [[82, 95]]);
    assert.deepEqual(t.rows[row('db')]?.critical, [[25, 75]]);
    assert.deepEqual(t.rows[row('fetch')]?.critical, [[20, 25], [75, 80]]);
    assert.deepEqual(t.rows[row('auth')]?.critical, [[5, 15]]);
    assert.deepEqual(t.rows[row('root')]?.critical, [[0, 5], [15, 20], [80, 82], [95, 100]]);
    const total = t.rows.flatMap((r) => r.critical).reduce((a, [s, e]) => a + e - s, 0);
    assert.equal(total, 100, 'the critical path covers the root exactly once');
  });

  it('skips a child that overlaps a later critical child (it was not waited on)', () => {
    const r = span({ name: 'r', startUs: 0, durationUs: 100 });
    const long = span({ name: 'long', startUs: 10, durationUs: 85, parentSpanId: r.spanId });
    const overlapped = span({ name: 'overlapped', startUs: 20, durationUs: 40, parentSpanId: r.spanId });
    const a = analyzeTrace(trace([r, long, overlapped]));
    assert.deepEqual(names(a, a.criticalRows), ['r', 'long', 'r']);
  });

  it('clips children that outlive their parent (async work)', () => {
    const r = span({ name: 'r', startUs: 0, durationUs: 50 });
    const late = span({ name: 'late', startUs: 40, durationUs: 100, parentSpanId: r.spanId });
    const a = analyzeTrace(trace([r, late]));
    assert.deepEqual(a.rows[1]?.critical, [[40, 50]]);
  });

  it('clips grandchildren to the interval the root actually waited (client timed out, server kept working)', () => {
    const r = span({ name: 'checkout', startUs: 0, durationUs: 3000 });
    const client = span({ name: 'GET prices', startUs: 0, durationUs: 2000, parentSpanId: r.spanId, status: { code: 'error' } });
    const server = span({ name: 'GET /api/prices', startUs: 10, durationUs: 2990, parentSpanId: client.spanId });
    const fetch = span({ name: 'fetchCatalog', startUs: 20, durationUs: 2975, parentSpanId: server.spanId });
    const after = span({ name: 'fallback', startUs: 2000, durationUs: 1000, parentSpanId: r.spanId });
    const a = analyzeTrace(trace([r, client, server, fetch, after]));
    const crit = (n: string): readonly (readonly [number, number])[] => a.rows.find((x) => x.span?.name === n)?.critical ?? [];
    assert.deepEqual(crit('fetchCatalog'), [[20, 2000]]);
    assert.deepEqual(crit('GET /api/prices'), [[10, 20]]);
    assert.deepEqual(crit('fallback'), [[2000, 3000]]);
    assert.equal(a.rows[a.slowestRow]?.span?.name, 'fetchCatalog');
  });

  it('lists error rows and picks the span with most critical time as the slow span', () => {
    assert.deepEqual(names(t, t.errorRows), ['fetch']);
    assert.equal(t.rows[t.slowestRow]?.span?.name, 'db');
    assert.deepEqual(t.services, ['svc']);
    assert.equal(t.endUs - t.startUs, 100);
  });

  it('terminates with zero-duration children and identical timestamps', () => {
    const r = span({ name: 'r', startUs: 0, durationUs: 10 });
    const z1 = span({ name: 'z1', startUs: 10, durationUs: 0, parentSpanId: r.spanId });
    const z2 = span({ name: 'z2', startUs: 10, durationUs: 0, parentSpanId: r.spanId });
    const z3 = span({ name: 'z3', startUs: 0, durationUs: 0, parentSpanId: r.spanId });
    const a = analyzeTrace(trace([r, z1, z2, z3]));
    assert.deepEqual(a.rows[0]?.critical, [[0, 10]]);
  });
});

describe('analyzeTrace: many siblings', () => {
  /** A parent with `n` children at pseudo-random starts, many of them equal. */
  function siblings(n: number, seed: number): { spans: Span[]; expected: string[] } {
    const root = span({ name: 'root', startUs: 0, durationUs: 10_000 });
    let x = seed;
    const kids = Array.from({ length: n }, (_, i) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return span({ name: `k${i}`, startUs: (x % 9) * 100, durationUs: 50, parentSpanId: root.spanId });
    });
    // Children by start time, ties in the order the source lists them.
    const expected = kids.map((k, i) => ({ k, i })).sort((a, b) => a.k.startUs - b.k.startUs || a.i - b.i).map(({ k }) => k.name);
    return { spans: [...kids, root], expected: ['root', ...expected] };
  }

  for (const n of [5, 31, 33, 200]) {
    it(`orders ${n} children by start time, ties in source order`, () => {
      const { spans, expected } = siblings(n, n);
      const t = analyzeTrace(trace(spans));
      assert.deepEqual(names(t, t.rows.map((_, i) => i)), expected);
    });
  }

  for (const n of [20, 100]) {
    it(`puts ${n} sequential children on the critical path, each for its own interval`, () => {
      const root = span({ name: 'root', startUs: 0, durationUs: n * 10 });
      // Listed out of order, so the children must be sorted by when they end.
      const kids = Array.from({ length: n }, (_, i) => span({ name: `k${i}`, startUs: ((i * 7) % n) * 10, durationUs: 10, parentSpanId: root.spanId }));
      const t = analyzeTrace(trace([root, ...kids]));
      for (const row of t.rows.slice(1)) assert.deepEqual(row.critical, [[row.startUs, row.endUs]], row.span?.name);
      assert.deepEqual(t.rows[0]?.critical, []);
      // The root waited the whole time: it has no time of its own on the path.
      assert.deepEqual(
        t.criticalRows.map((r) => t.rows[r]?.startUs),
        Array.from({ length: n }, (_, i) => i * 10),
      );
    });
  }
});

