import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeTrace } from '../../src/core/traces/analyze';
import type { TraceAnalysis } from '../../src/core/traces/analyze';
import { compareTraces, toCompareModel } from '../../src/core/traces/compare';
import type { TraceComparison } from '../../src/core/traces/compare';
import type { Span, Trace } from '../../src/core/traces/model';
import { readTraceText } from '../../src/core/traces/readTrace';
import { repoRoot, span } from './helpers';

/** The demo's first request after the cache expired: cache miss, slow SELECT, pricing retry, 504 (demo/README.md). */
const slowId = '9cf35a0a068b7724b80691ede72e69f5';
/** A healthy checkout of the same route: cache hit, 381 ms. */
const fastId = '9dce8c838ffef85d83bd9be93d69c393';
/** Succeeded although its first pricing attempt waited 2.9 s for the DB pool, then ran the slow query anyway. */
const poolId = 'a77f7d7c93378ee801c4985086c872a4';

let stampede: readonly Trace[] | undefined;
function demo(traceId: string): TraceAnalysis {
  if (!stampede) {
    const r = readTraceText(fs.readFileSync(path.join(repoRoot, 'demo', 'traces', 'checkout-stampede.json'), 'utf8'));
    assert.ok(r.ok, 'the demo file reads');
    stampede = r.traces;
  }
  const t = stampede.find((x) => x.traceId === traceId);
  assert.ok(t, `demo trace ${traceId}`);
  return analyzeTrace(t);
}

function trace(spans: Span[]): TraceAnalysis {
  return analyzeTrace({ traceId: 'ab'.repeat(16), spans, format: 'otlp-json', warnings: [] });
}

/** The merged tree as indented lines `status name [service]` (+ `#k of a/b` for repeated keys): what a reader sees. */
function outline(c: TraceComparison): string[] {
  return c.rows.map((r) => {
    const rep = r.countA > 1 || r.countB > 1 ? ` #${r.ordinal + 1} of ${r.countA}/${r.countB}` : '';
    return `${'  '.repeat(r.depth)}${r.status} ${r.name}${r.service ? ` [${r.service}]` : ''}${rep}`;
  });
}

const ms = (us: number | null): number | null => (us === null ? null : Math.round(us / 10) / 100);

describe('compareTraces on the demo incident', () => {
  it('matches a fast checkout (A) with the slow first cache miss (B) span by span', () => {
    const c = compareTraces(demo(fastId), demo(slowId));
    assert.deepEqual(outline(c), [
      'changed POST /api/checkout [checkout-service]',
      '  changed GET [checkout-service] #1 of 1/2',
      '    changed GET /api/prices [pricing-service]',
      '      changed PriceCache.getCatalog [pricing-service]',
      '        added fetchCatalog [pricing-service]',
      '          added db.pool.acquire [pricing-service]',
      '          added SELECT catalog_items [pricing-service]',
      '      same applyPromotions [pricing-service]',
      // The retry only B made: next to the first attempt, not after the spans that follow it in A.
      '  added GET [checkout-service] #2 of 1/2',
      '    added GET /api/prices [pricing-service]',
      '      added PriceCache.getCatalog [pricing-service]',
      '        added fetchCatalog [pricing-service]',
      '          added db.pool.acquire [pricing-service]',
      // Never reached in B: the checkout gave up at its deadline.
      '  missing UPDATE inventory [checkout-service]',
      '  missing POST [checkout-service]',
      '    missing POST /api/charges [payments-service]',
      '      missing POST [payments-service]',
      '  missing INSERT orders [checkout-service]',
    ]);
    const s = c.summary;
    assert.equal(s.spansA, 10);
    assert.equal(s.spansB, 13);
    assert.equal(s.added, 8);
    assert.equal(s.missing, 5);
    assert.equal(s.changed + s.same + s.added + s.missing, c.rows.length);
    assert.equal(s.added + s.changed + s.same, 13, 'every span of B is in exactly one node');
    assert.equal(s.missing + s.changed + s.same, 10, 'every span of A is in exactly one node');
    assert.equal(ms(s.totalA), 381.11);
    assert.equal(ms(s.totalB), 5251.53);
    assert.equal(s.errorsA, 0);
    assert.ok(s.errorsB >= 4);
  });

  it('carries both durations, the difference, errors and the repeat sums', () => {
    const c = compareTraces(demo(fastId), demo(slowId));
    const root = c.rows[0];
    assert.ok(root);
    assert.equal(ms(root.durA), 381.11);
    assert.equal(ms(root.durB), 3000.87);
    assert.equal(ms(root.diffUs), 2619.76);
    assert.equal(root.errorA, false);
    assert.equal(root.errorB, true, 'the 504 is on the root span of B');
    assert.equal(root.descendants, c.rows.length - 1);
    const get = c.rows[1];
    assert.ok(get && get.name === 'GET');
    assert.equal(ms(get.durA), 1.4);
    assert.equal(ms(get.durB), 2000.18);
    assert.equal(ms(get.groupA ?? -1), 1.4, 'one GET in A');
    assert.equal(ms(get.groupB ?? -1), 4000.27, 'two GETs of 2 s each in B');
    const retry = c.rows.find((r) => r.name === 'GET' && r.ordinal === 1);
    assert.ok(retry);
    assert.equal(retry.durA, null);
    assert.equal(retry.groupB, undefined, 'the sums sit on the first of the group only');
    assert.equal(ms(retry.diffUs), ms(retry.durB));
    const select = c.rows.find((r) => r.name === 'SELECT catalog_items');
    assert.ok(select && select.spanIdA === null && select.spanIdB?.length === 16);
    const missing = c.rows.find((r) => r.name === 'INSERT orders');
    assert.ok(missing && missing.durB === null && missing.diffUs === -(missing.durA ?? 0));
    const same = c.rows.find((r) => r.name === 'applyPromotions');
    assert.ok(same && same.durA !== null && same.durB !== null && same.diffUs !== 0, 'a sub-millisecond difference is kept but not flagged');
  });

  it('ranks the regressions: by duration, and by self time (where the time went)', () => {
    const c = compareTraces(demo(fastId), demo(slowId));
    const names = (list: readonly { row: number }[]): string[] => list.map((x) => `${c.rows[x.row]?.name} ${c.rows[x.row]?.status}`);
    const reg = c.summary.regressions;
    assert.equal(reg.length, 10);
    for (let i = 1; i < reg.length; i++) assert.ok((reg[i - 1]?.diffUs ?? 0) >= (reg[i]?.diffUs ?? 0), 'largest first');
    assert.deepEqual(names(reg).slice(0, 4), ['PriceCache.getCatalog changed', 'fetchCatalog added', 'SELECT catalog_items added', 'GET /api/prices changed']);
    assert.deepEqual(names(c.summary.selfRegressions).slice(0, 2), ['SELECT catalog_items added', 'db.pool.acquire added']);
    assert.ok(names(c.summary.improvements).includes('POST missing'), 'the payment B never made is time it did not spend');
  });

  it('is symmetric: swapping A and B swaps added and missing and negates every difference', () => {
    const ab = compareTraces(demo(fastId), demo(slowId));
    const ba = compareTraces(demo(slowId), demo(fastId));
    assert.equal(ba.summary.added, ab.summary.missing);
    assert.equal(ba.summary.missing, ab.summary.added);
    assert.equal(ba.rows.length, ab.rows.length);
    // A node's identity: its path of (service, name, ordinal) from the top.
    const paths = (rows: typeof ab.rows): string[] => {
      const out: string[] = [];
      rows.forEach((r, i) => (out[i] = `${r.parent >= 0 ? out[r.parent] : ''}/${r.service}:${r.name}#${r.ordinal}`));
      return out;
    };
    const byKey = new Map(paths(ab.rows).map((p, i) => [p, ab.rows[i]]));
    const baPaths = paths(ba.rows);
    for (const [i, r] of ba.rows.entries()) {
      const o = byKey.get(baPaths[i] ?? '');
      assert.ok(o, `node ${baPaths[i]} exists both ways`);
      assert.equal(r.diffUs, -o.diffUs);
      assert.equal(r.durA, o.durB);
    }
  });

  it('finds nothing to report when a trace is compared with itself', () => {
    const c = compareTraces(demo(poolId), demo(poolId));
    assert.ok(c.rows.every((r) => r.status === 'same' && r.diffUs === 0));
    assert.equal(c.rows.length, demo(poolId).rows.length);
    assert.deepEqual(c.summary.regressions, []);
  });

  it('compares two slow requests of different causes: a pool wait against the slow query', () => {
    const c = compareTraces(demo(slowId), demo(poolId));
    const acquire = c.rows.find((r) => r.name === 'db.pool.acquire' && r.status === 'changed');
    assert.ok(acquire, 'the pool wait of the first attempt grew');
    assert.ok((acquire.durB ?? 0) > 2_800_000 && (acquire.durA ?? Infinity) < 1000);
    assert.equal(c.summary.spansB, 17);
  });

  it('builds the view model with both headers and side-tagged warnings', () => {
    const m = toCompareModel(demo(fastId), demo(slowId), 'traces/a.json (OTLP/JSON)', 'traces/b.json (OTLP/JSON)');
    assert.equal(m.a.traceId, fastId);
    assert.equal(m.b.traceId, slowId);
    assert.equal(m.a.title, 'POST /api/checkout');
    assert.equal(m.b.rootService, 'checkout-service');
    assert.equal(m.b.source, 'traces/b.json (OTLP/JSON)');
    assert.equal(m.rows.length, 18);
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(m)));
  });
});

describe('compareTraces edge cases', () => {
  it('does not match different roots: the whole of A is missing, the whole of B added', () => {
    const ra = span({ name: 'GET /a', startUs: 0, durationUs: 100 });
    const rb = span({ name: 'GET /b', startUs: 0, durationUs: 100 });
    const c = compareTraces(
      trace([ra, span({ name: 'db', startUs: 10, durationUs: 5, parentSpanId: ra.spanId })]),
      trace([rb, span({ name: 'db', startUs: 10, durationUs: 5, parentSpanId: rb.spanId })]),
    );
    assert.deepEqual(outline(c), ['missing GET /a [svc]', '  missing db [svc]', 'added GET /b [svc]', '  added db [svc]']);
    assert.deepEqual([c.summary.added, c.summary.missing, c.summary.changed, c.summary.same], [2, 2, 0, 0]);
  });

  it('keys by service too: the same operation in another service is another node', () => {
    const ra = span({ name: 'root', startUs: 0, durationUs: 100 });
    const rb = span({ name: 'root', startUs: 0, durationUs: 100 });
    const c = compareTraces(
      trace([ra, span({ name: 'GET', service: 'cart', startUs: 1, durationUs: 5, parentSpanId: ra.spanId })]),
      trace([rb, span({ name: 'GET', service: 'stock', startUs: 1, durationUs: 5, parentSpanId: rb.spanId })]),
    );
    assert.deepEqual(outline(c), ['same root [svc]', '  missing GET [cart]', '  added GET [stock]']);
  });

  it('matches repeated siblings in start order, counts them, and sums them', () => {
    const ra = span({ name: 'root', startUs: 0, durationUs: 1000 });
    const rb = span({ name: 'root', startUs: 0, durationUs: 1000 });
    // Listed out of order on purpose: matching goes by start time, not by position in the file.
    const a = trace([
      ra,
      span({ name: 'SELECT', startUs: 300, durationUs: 30_000, parentSpanId: ra.spanId }),
      span({ name: 'SELECT', startUs: 100, durationUs: 10_000, parentSpanId: ra.spanId }),
      span({ name: 'UPDATE', startUs: 200, durationUs: 5000, parentSpanId: ra.spanId }),
    ]);
    const b = trace([
      rb,
      span({ name: 'SELECT', startUs: 100, durationUs: 11_000, parentSpanId: rb.spanId }),
      span({ name: 'SELECT', startUs: 150, durationUs: 90_000, parentSpanId: rb.spanId }),
      span({ name: 'UPDATE', startUs: 200, durationUs: 5000, parentSpanId: rb.spanId }),
      span({ name: 'SELECT', startUs: 400, durationUs: 7000, parentSpanId: rb.spanId }),
      span({ name: 'SELECT', startUs: 500, durationUs: 8000, parentSpanId: rb.spanId }),
    ]);
    const c = compareTraces(a, b);
    assert.deepEqual(outline(c), [
      'same root [svc]',
      '  same SELECT [svc] #1 of 2/4',
      '  same UPDATE [svc]',
      '  changed SELECT [svc] #2 of 2/4',
      '  added SELECT [svc] #3 of 2/4',
      '  added SELECT [svc] #4 of 2/4',
    ]);
    const selects = c.rows.filter((r) => r.name === 'SELECT');
    assert.deepEqual(selects.map((r) => [r.durA, r.durB]), [[10_000, 11_000], [30_000, 90_000], [null, 7000], [null, 8000]]);
    assert.equal(selects[0]?.groupA, 40_000);
    assert.equal(selects[0]?.groupB, 116_000);
    assert.equal(selects[1]?.diffUs, 60_000);
    // 1 ms / 10 %: +1 ms on 11 ms is under 10 %, so "same".
    assert.equal(selects[0]?.status, 'same');
    assert.equal(compareTraces(a, b, { minRatio: 0.05 }).rows[1]?.status, 'changed');
  });

  it('matches the children of matched nodes only, under every level', () => {
    const build = (names: string[][]): TraceAnalysis => {
      const root = span({ name: 'root', startUs: 0, durationUs: 1000 });
      const spans = [root];
      names.forEach(([mid, ...leaves], i) => {
        const m = span({ name: mid ?? '', startUs: 10 * i, durationUs: 5, parentSpanId: root.spanId });
        spans.push(m);
        leaves.forEach((l, j) => spans.push(span({ name: l, startUs: 10 * i + j, durationUs: 1, parentSpanId: m.spanId })));
      });
      return trace(spans);
    };
    const c = compareTraces(build([['x', 'p', 'q'], ['x', 'p']]), build([['x', 'q'], ['x', 'p', 'r']]));
    assert.deepEqual(outline(c), [
      'same root [svc]',
      '  same x [svc] #1 of 2/2',
      '    missing p [svc]',
      '    same q [svc]',
      '  same x [svc] #2 of 2/2',
      '    same p [svc]',
      '    added r [svc]',
    ]);
  });

  it('matches the groups of spans whose parent is missing, although the absent parents differ', () => {
    const a = trace([
      span({ name: 'root', startUs: 0, durationUs: 100 }),
      span({ name: 'orphan', startUs: 10, durationUs: 20_000, parentSpanId: 'aaaaaaaaaaaaaaaa' }),
    ]);
    const b = trace([
      span({ name: 'root', startUs: 0, durationUs: 100 }),
      span({ name: 'orphan', startUs: 10, durationUs: 50_000, parentSpanId: 'bbbbbbbbbbbbbbbb' }),
      span({ name: 'orphan', startUs: 20, durationUs: 1000, parentSpanId: 'bbbbbbbbbbbbbbbb' }),
    ]);
    const c = compareTraces(a, b);
    assert.deepEqual(outline(c), ['same root [svc]', 'changed missing parent', '  changed orphan [svc] #1 of 1/2', '  added orphan [svc] #2 of 1/2']);
    const group = c.rows[1];
    assert.ok(group?.missingParent && group.spanIdA === '' && group.spanIdB === '');
    assert.ok(!c.summary.regressions.some((r) => r.row === 1), 'the synthetic group is never a regression');
    const m = toCompareModel(a, b, 'a', 'b');
    assert.ok(m.warnings.some((w) => w.startsWith('B: ') && /not in this trace/.test(w)));
  });

  it('flags a node whose error state differs even when its duration did not change', () => {
    const ra = span({ name: 'root', startUs: 0, durationUs: 100 });
    const rb = span({ name: 'root', startUs: 0, durationUs: 100, status: { code: 'error', message: 'boom' } });
    const c = compareTraces(trace([ra]), trace([rb]));
    assert.equal(c.rows[0]?.status, 'changed');
    assert.deepEqual([c.rows[0]?.errorA, c.rows[0]?.errorB], [false, true]);
  });

  it('handles empty traces on either side', () => {
    const one = trace([span({ name: 'root', startUs: 0, durationUs: 100 })]);
    const none = trace([]);
    assert.deepEqual(outline(compareTraces(none, one)), ['added root [svc]']);
    assert.deepEqual(outline(compareTraces(one, none)), ['missing root [svc]']);
    assert.deepEqual(compareTraces(none, none).rows, []);
  });

  it('compares 100 000-deep chains and 100 000-wide fan-outs (iterative: no stack overflow)', function () {
    this.timeout(60_000);
    const chain = (n: number, slowAt: number): TraceAnalysis => {
      const spans: Span[] = [];
      for (let i = 0; i < n; i++) {
        spans.push(span({ name: `op${i % 7}`, service: `s${i % 3}`, startUs: i, durationUs: n - i + (i >= slowAt ? 0 : 1_000_000), ...(i > 0 ? { parentSpanId: spans[i - 1]?.spanId } : {}) }));
      }
      return trace(spans);
    };
    const fan = (n: number): TraceAnalysis => {
      const root = span({ name: 'root', startUs: 0, durationUs: 10 * n });
      const spans = [root];
      for (let i = 1; i < n; i++) spans.push(span({ name: `q${i % 50}`, startUs: i, durationUs: 5, parentSpanId: root.spanId }));
      return trace(spans);
    };
    const [ca, cb] = [chain(100_000, 100_000), chain(100_000, 50_000)];
    const deep = compareTraces(ca, cb);
    assert.equal(deep.rows.length, 100_000);
    assert.equal(deep.rows[99_999]?.depth, 99_999);
    assert.equal(deep.summary.changed, 50_000);
    assert.equal(deep.summary.same, 50_000);
    const [fa, fb] = [fan(100_000), fan(90_000)];
    // How fast is `npm run bench`'s business (compare 100k), not a unit test's.
    const wide = compareTraces(fa, fb);
    assert.equal(wide.rows.length, 100_000);
    assert.equal(wide.summary.missing, 10_000);
    assert.equal(wide.rows[0]?.descendants, 99_999);
  });
});
