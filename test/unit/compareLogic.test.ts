// The DOM-free parts of "Compare Traces": the comparison webview's formatting, visible rows and keys, the validation
// of its messages, and the parsing of pasted ID pairs.
import * as assert from 'node:assert/strict';
import { parseTraceIdList } from '../../src/core/traces/compare';
import type { CompareRow } from '../../src/shared/protocol/compare';
import { parseCompareMessage } from '../../src/traces/compareMessages';
import { ancestorsOf, barGeometry, commandForKey, diffClass, differenceSet, formatDiff, formatDuration, formatRatio, nextDifference, repeatLabel, visibleRows } from '../../webview/compare/logic';

type Row = Pick<CompareRow, 'parent' | 'descendants' | 'status'>;
//  0 root (changed)
//  1   a (same)
//  2     a1 (same)
//  3   b (added)
//  4     b1 (added)
//  5   c (same)
const rows: Row[] = [
  { parent: -1, descendants: 5, status: 'changed' },
  { parent: 0, descendants: 1, status: 'same' },
  { parent: 1, descendants: 0, status: 'same' },
  { parent: 0, descendants: 1, status: 'added' },
  { parent: 3, descendants: 0, status: 'added' },
  { parent: 0, descendants: 0, status: 'same' },
];

describe('comparison webview logic', () => {
  it('formats durations, signed differences and ratios', () => {
    assert.equal(formatDuration(850), '850 µs');
    assert.equal(formatDuration(12_345), '12.3 ms');
    assert.equal(formatDuration(3_139_000), '3.14 s');
    assert.equal(formatDiff(4_870_413), '+4.87 s');
    assert.equal(formatDiff(-7722), '−7.72 ms');
    assert.equal(formatDiff(0), '±0');
    assert.equal(formatRatio(381_114, 5_251_527), '13.8× slower');
    assert.equal(formatRatio(5_251_527, 381_114), '13.8× faster');
    assert.equal(formatRatio(100, 100), 'same');
    assert.equal(formatRatio(0, 100), '—');
  });

  it('colours a difference only when the row changed', () => {
    assert.equal(diffClass({ status: 'changed', diffUs: 5 }), 'up');
    assert.equal(diffClass({ status: 'missing', diffUs: -5 }), 'down');
    assert.equal(diffClass({ status: 'same', diffUs: 5 }), 'flat');
  });

  it('labels repeated siblings: ×1 → ×2 when both have some, k/n when the counts agree', () => {
    assert.equal(repeatLabel({ countA: 1, countB: 2, ordinal: 0 }), '×1 → ×2');
    assert.equal(repeatLabel({ countA: 0, countB: 1, ordinal: 0 }), '', '"only in B" says it already');
    assert.equal(repeatLabel({ countA: 3, countB: 3, ordinal: 1 }), '2/3');
    assert.equal(repeatLabel({ countA: 1, countB: 1, ordinal: 0 }), '');
  });

  it('lists visible rows with collapsed subtrees skipped and, optionally, only differences', () => {
    assert.deepEqual(visibleRows(rows, new Set()), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(visibleRows(rows, new Set([1, 3])), [0, 1, 3, 5]);
    assert.deepEqual(visibleRows(rows, new Set([0])), [0]);
    const only = differenceSet(rows);
    assert.deepEqual([...only], [1, 0, 0, 1, 1, 0]);
    assert.deepEqual(visibleRows(rows, new Set(), only), [0, 3, 4]);
    assert.deepEqual(visibleRows(rows, new Set([3]), only), [0, 3]);
  });

  it('navigates: ancestors, next and previous difference (wrapping)', () => {
    assert.deepEqual(ancestorsOf(rows, 4), [3, 0]);
    assert.equal(nextDifference(rows, 0, 1), 3);
    assert.equal(nextDifference(rows, 4, 1), 0);
    assert.equal(nextDifference(rows, 3, -1), 0);
    assert.equal(nextDifference(rows.map((r) => ({ ...r, status: 'same' as const })), 0, 1), -1);
  });

  it('places bars on the common scale and keeps tiny ones visible', () => {
    assert.deepEqual(barGeometry(0, 50, 100), { left: 0, width: 50 });
    assert.deepEqual(barGeometry(50, 0, 100), { left: 50, width: 0.2 });
    assert.deepEqual(barGeometry(90, 50, 100), { left: 90, width: 10 });
  });

  it('maps keys to commands and leaves modifier combinations to VS Code', () => {
    const k = (key: string, mod = false): ReturnType<typeof commandForKey> => commandForKey({ key, ctrlKey: mod, metaKey: false, altKey: false });
    assert.equal(k('n'), 'nextDiff');
    assert.equal(k('N'), 'prevDiff');
    assert.equal(k('d'), 'toggleOnlyDiffs');
    assert.equal(k('ArrowDown'), 'down');
    assert.equal(k('n', true), undefined);
    assert.equal(k('constructor'), undefined);
  });
});

describe('comparison webview messages', () => {
  it('accepts the known messages and drops anything else', () => {
    const id = 'ab'.repeat(16);
    assert.deepEqual(parseCompareMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseCompareMessage({ type: 'row/selected', row: 3, extra: 'x' }), { type: 'row/selected', row: 3 });
    assert.deepEqual(parseCompareMessage({ type: 'rendered', traceA: id, traceB: id, rowCount: 2, domRows: 2 }), { type: 'rendered', traceA: id, traceB: id, rowCount: 2, domRows: 2 });
    for (const bad of [null, 'ready', { type: 'row/selected', row: -1 }, { type: 'row/selected', row: 1.5 }, { type: 'rendered', traceA: '../etc', traceB: id, rowCount: 1, domRows: 1 }, { type: 'open', path: '/etc/passwd' }]) {
      assert.equal(parseCompareMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('parseTraceIdList', () => {
  const a = '9cf35a0a068b7724b80691ede72e69f5';
  const b = '9dce8c838ffef85d83bd9be93d69c393';
  it('reads one ID, link or traceparent', () => {
    assert.deepEqual(parseTraceIdList(a), { ids: [a] });
    assert.deepEqual(parseTraceIdList(`http://jaeger:16686/trace/${a}`), { ids: [a] });
  });

  it('reads two pasted IDs: by space, comma, "vs" or an arrow', () => {
    for (const text of [`${a} ${b}`, `${a}, ${b}`, `${a} vs ${b}`, `${a}\n${b}`, `${a} ↔ ${b}`, `00-${a}-00f067aa0ba902b7-01 http://zipkin/zipkin/traces/${b}`]) {
      assert.deepEqual(parseTraceIdList(text), { ids: [a, b] }, text);
    }
  });

  it('names the part that is not an ID', () => {
    const r = parseTraceIdList(`${a} nothex`);
    assert.ok('message' in r);
    assert.match(r.message, /^"nothex": /);
    assert.ok('message' in parseTraceIdList('abc'));
  });
});
