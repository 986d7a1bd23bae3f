// The DOM-free logic of the waterfall webview: formatting, ticks, visible rows (collapse + filter), navigation,
// the key map and the view state.
import * as assert from 'node:assert/strict';
import type { WaterfallModel, WaterfallRow } from '../../src/shared/protocol/waterfall';
import { addMicrosToIso, barGeometry, computeTicks, formatDuration, formatOffset, formatPercent, formatTick, niceStep, plural, serviceClass } from '../../webview/waterfall/format';
import { commandForKey } from '../../webview/waterfall/keyboard';
import { movePosition, nextCriticalRow, nextErrorRow, scrollToReveal, stepSorted, uniqueInOrder, visibleWindow } from '../../webview/waterfall/navigation';
import { WaterfallState } from '../../webview/waterfall/state';
import {ancestors, computeVisibleRows, filterFromMatches, isDescendant, revealRow } from '../../webview/waterfall/tree';
import { COLLAPSE_BY_DEFAULT_ROWS, criticalWithAncestors, crumbItems, defaultCollapsed, highlightRanges, indexOfSorted, lowerBound, visibleInSubset, withAncestors } from '../../webview/waterfall/tree';
import { sortStats, statsQuery } from '../../webview/waterfall/statsModel';

/**
 * A small tree in display order:
 *   0 root
 *     1 a
 *       2 a1 (error)
 *       3 a2
 *     4 b (error)
 *       5 b1
 *   6 missing:ff (group)
 *     7 orphan
 */
function row(id: string, parent: number, depth: number, descendants: number, extra: Partial<WaterfallRow> = {}): WaterfallRow {
  return {
    id,
    parent,
    depth,
    name: id,
    service: 'svc',
    serviceIndex: 0,
    kind: 'internal',
    startUs: 0,
    durationUs: 10,
    selfUs: 10,
    descendants,
    error: false,
    status: 'unset',
    critical: [],
    hasCode: false,
    ...extra,
  };
}

const rows: WaterfallRow[] = [
  row('root', -1, 0, 5, { name: 'GET /checkout', service: 'frontend' }),
  row('a', 0, 1, 2, { name: 'loadCart' }),
  row('a1', 1, 2, 0, { name: 'SELECT cart', error: true }),
  row('a2', 1, 2, 0, { name: 'redis GET' }),
  row('b', 0, 1, 1, { name: 'charge', error: true, statusMessage: 'Timeout' }),
  row('b1', 4, 2, 0, { name: 'POST /v1/charges', service: 'payments' }),
  row('missing:ff', -1, 0, 1, { name: 'missing parent ff', missingParent: true }),
  row('orphan', 6, 1, 0, { name: 'kafka.consume' }),
];

function model(over: Partial<WaterfallModel> = {}): WaterfallModel {
  return {
    traceId: 't1',
    title: 'GET /checkout',
    startIso: '2024-05-01T03:12:45.123456Z',
    durationUs: 1000,
    services: ['frontend', 'payments'],
    spanCount: 7,
    errorCount: 2,
    slowestRow: 5,
    criticalRows: [0, 1, 3, 4, 5],
    rows,
    warnings: [],
    source: 'x.json',
    ...over,
  };
}

describe('waterfall format', () => {
  it('formats durations with three significant digits and a readable unit', () => {
    assert.equal(formatDuration(0), '0 µs');
    assert.equal(formatDuration(0.5), '0.5 µs');
    assert.equal(formatDuration(850), '850 µs');
    assert.equal(formatDuration(999.4), '999 µs');
    assert.equal(formatDuration(999.7), '1 ms');
    assert.equal(formatDuration(1234), '1.23 ms');
    assert.equal(formatDuration(12_340), '12.3 ms');
    assert.equal(formatDuration(123_400), '123 ms');
    assert.equal(formatDuration(1_840_000), '1.84 s');
    assert.equal(formatDuration(60_000_000), '1m 00s');
    assert.equal(formatDuration(125_000_000), '2m 05s');
    assert.equal(formatDuration(3_720_000_000), '1h 02m');
    assert.equal(formatDuration(-1500), '-1.5 ms');
    assert.equal(formatDuration(Number.NaN), '?');
  });

  it('formats offsets, percentages and counts', () => {
    assert.equal(formatOffset(0), '0 µs');
    assert.equal(formatOffset(2500), '+2.5 ms');
    assert.equal(formatPercent(37, 100), '37%');
    assert.equal(formatPercent(4, 1000), '0.4%');
    assert.equal(formatPercent(1, 100_000), '<0.1%');
    assert.equal(formatPercent(1, 0), '—');
    assert.equal(plural(1, 'span'), '1 span');
    assert.equal(plural(10_000, 'span'), '10,000 spans');
  });

  it('picks nice tick steps and labels them in one unit', () => {
    assert.equal(niceStep(0.3), 0.5);
    assert.equal(niceStep(130), 200);
    assert.equal(niceStep(2100), 2500);
    assert.equal(niceStep(7000), 10_000);
    const ticks = computeTicks(1_840_000, 5);
    assert.deepEqual(ticks.map((t) => t.label), ['0 s', '0.5 s', '1 s', '1.5 s']);
    assert.equal(ticks[0]?.fraction, 0);
    assert.ok(ticks.every((t) => t.fraction <= 1));
    assert.deepEqual(computeTicks(1000, 4).map((t) => t.label), ['0 ms', '0.25 ms', '0.5 ms', '0.75 ms', '1 ms']);
    assert.deepEqual(computeTicks(0, 5), [{ us: 0, fraction: 0, label: '0 µs' }]);
    assert.equal(formatTick(2500, 2500, 10_000), '2.5 ms');
    assert.equal(formatTick(40, 20, 80), '40 µs');
  });

  it('adds a microsecond offset to an ISO time', () => {
    assert.equal(addMicrosToIso('2024-05-01T03:12:45.123456Z', 0), '2024-05-01T03:12:45.123456Z');
    assert.equal(addMicrosToIso('2024-05-01T03:12:45.123456Z', 1_000_001), '2024-05-01T03:12:46.123457Z');
    assert.equal(addMicrosToIso('2024-05-01T23:59:59Z', 1_500_000), '2024-05-02T00:00:00.500000Z');
    assert.equal(addMicrosToIso('not a date', 5), 'not a date');
  });

  it('positions bars on a 0..100 axis and cycles service colours', () => {
    assert.deepEqual(barGeometry(250, 500, 1000), { left: 25, width: 50 });
    assert.deepEqual(barGeometry(900, 500, 1000), { left: 90, width: 10 });
    assert.deepEqual(barGeometry(0, 0, 0), { left: 0, width: 100 });
    assert.equal(serviceClass(3), 'svc-3');
    assert.equal(serviceClass(13), 'svc-3');
    assert.equal(serviceClass(-1), 'svc-0');
  });
});

describe('waterfall tree', () => {
  it('shows every row when nothing is collapsed', () => {
    assert.deepEqual(computeVisibleRows(rows, new Set()), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('hides the descendants of collapsed rows', () => {
    assert.deepEqual(computeVisibleRows(rows, new Set([1])), [0, 1, 4, 5, 6, 7]);
    assert.deepEqual(computeVisibleRows(rows, new Set([0, 6])), [0, 6]);
    assert.deepEqual(computeVisibleRows(rows, new Set([1, 4])), [0, 1, 4, 6, 7]);
  });

  it('finds ancestors and descendants, and reveals a hidden row', () => {
    assert.deepEqual(ancestors(rows, 5), [4, 0]);
    assert.deepEqual(ancestors(rows, 0), []);
    assert.ok(isDescendant(rows, 0, 5));
    assert.ok(!isDescendant(rows, 1, 5));
    const collapsed = new Set([0, 4, 6]);
    assert.ok(revealRow(rows, collapsed, 5));
    assert.deepEqual([...collapsed], [6]);
    assert.ok(!revealRow(rows, collapsed, 5));
  });

  it('stops on malformed parent links', () => {
    const bad = [row('x', 1, 0, 0), row('y', 0, 0, 0)];
    assert.deepEqual(ancestors(bad, 0), []);
    assert.deepEqual(ancestors(bad, 1), [0]);
  });

  it('shows the host\'s matches with their ancestors, ignoring collapse and bad indices', () => {
    const f = filterFromMatches(rows, [5, 99, -1]);
    assert.deepEqual([...f.matches], [5]);
    assert.deepEqual(computeVisibleRows(rows, new Set([0, 4]), f), [0, 4, 5]);
    assert.equal(filterFromMatches(rows, []).shown.size, 0);
  });
});

describe('waterfall navigation', () => {
  it('steps through a sorted list with wrap-around', () => {
    assert.equal(stepSorted([2, 4], 0, 1), 2);
    assert.equal(stepSorted([2, 4], 2, 1), 4);
    assert.equal(stepSorted([2, 4], 4, 1), 2);
    assert.equal(stepSorted([2, 4], 3, -1), 2);
    assert.equal(stepSorted([2, 4], 2, -1), 4);
    assert.equal(stepSorted([], 2, 1), -1);
  });

  it('goes to the next / previous error span', () => {
    assert.equal(nextErrorRow(rows, 0, 1), 2);
    assert.equal(nextErrorRow(rows, 2, 1), 4);
    assert.equal(nextErrorRow(rows, 4, 1), 2);
    assert.equal(nextErrorRow(rows, 0, -1), 4);
    assert.equal(nextErrorRow([row('z', -1, 0, 0)], 0, 1), -1);
  });

  it('walks the critical path in its own (time) order', () => {
    const path = [0, 4, 5, 1];
    assert.equal(nextCriticalRow(path, 0, 1), 4);
    assert.equal(nextCriticalRow(path, 1, 1), 0);
    assert.equal(nextCriticalRow(path, 0, -1), 1);
    assert.equal(nextCriticalRow(path, 7, 1), 0, 'off the path: c goes to the start');
    assert.equal(nextCriticalRow(path, 7, -1), 1, 'off the path: C goes to the end');
    assert.equal(nextCriticalRow([], 0, 1), -1);
  });

  it('visits a row that is on the critical path twice only once (its first visit)', () => {
    const path = [0, 1, 0];
    assert.equal(nextCriticalRow(path, 0, 1), 1);
    assert.equal(nextCriticalRow(path, 1, 1), 0);
    assert.equal(nextCriticalRow(path, 0, -1), 1, 'C from the root does not stay on the root');
    assert.deepEqual(uniqueInOrder([3, 1, 3, 2, 1]), [3, 1, 2]);
  });

  it('moves and clamps positions', () => {
    assert.equal(movePosition(10, 3, 1), 4);
    assert.equal(movePosition(10, 9, 1), 9);
    assert.equal(movePosition(10, 1, -20), 0);
    assert.equal(movePosition(10, -1, 1), 0);
    assert.equal(movePosition(10, -1, -1), 9);
    assert.equal(movePosition(0, 0, 1), -1);
  });

  it('computes the virtual window with overscan', () => {
    assert.deepEqual(visibleWindow(10_000, 24, 0, 480, 8), { first: 0, last: 28 });
    assert.deepEqual(visibleWindow(10_000, 24, 24_000, 480, 8), { first: 992, last: 1028 });
    assert.deepEqual(visibleWindow(30, 24, 0, 2400, 8), { first: 0, last: 30 });
    assert.deepEqual(visibleWindow(0, 24, 0, 480, 8), { first: 0, last: 0 });
  });

  it('scrolls just enough to reveal a row', () => {
    assert.equal(scrollToReveal(5, 24, 0, 480), 0);
    assert.equal(scrollToReveal(30, 24, 0, 480), 31 * 24 - 480);
    assert.equal(scrollToReveal(2, 24, 240, 480), 48);
  });
});

describe('waterfall keyboard map', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  it('maps keys to commands', () => {
    assert.equal(commandForKey(key('j')), 'down');
    assert.equal(commandForKey(key('ArrowUp')), 'up');
    assert.equal(commandForKey(key('ArrowLeft')), 'left');
    assert.equal(commandForKey(key('Enter')), 'openCode');
    assert.equal(commandForKey(key('s')), 'slowest');
    assert.equal(commandForKey(key('e')), 'nextError');
    assert.equal(commandForKey(key('E')), 'prevError');
    assert.equal(commandForKey(key('c')), 'nextCritical');
    assert.equal(commandForKey(key('C')), 'prevCritical');
    assert.equal(commandForKey(key('/')), 'focusFilter');
    assert.equal(commandForKey(key('Escape')), 'escape');
    assert.equal(commandForKey(key('PageDown')), 'pageDown');
  });
  it('leaves modified and unknown keys alone', () => {
    assert.equal(commandForKey(key('c', { ctrlKey: true })), undefined);
    assert.equal(commandForKey(key('s', { metaKey: true })), undefined);
    assert.equal(commandForKey(key('x')), undefined);
    assert.equal(commandForKey(key('toString')), undefined);
  });
});

describe('waterfall state', () => {
  it('selects the first row of a new trace', () => {
    const s = new WaterfallState();
    s.setModel(model());
    assert.equal(s.selected, 0);
    assert.equal(s.visible.length, rows.length);
    assert.deepEqual(s.viewState(0), { traceId: 't1', selectedRow: 0, collapsed: [], scrollTop: 0 });
  });

  it('restores a saved state for the same trace only, and the host selection wins', () => {
    const saved = { traceId: 't1', selectedRow: 3, collapsed: ['b', 'unknown', 'a2'], scrollTop: 48 };
    const s = new WaterfallState();
    s.setModel(model(), saved);
    assert.equal(s.selected, 3);
    assert.deepEqual([...s.collapsed], [4], 'unknown ids and leaf rows are dropped');
    assert.deepEqual(s.viewState(48)?.collapsed, ['b']);
    s.setModel(model(), saved, 5);
    assert.equal(s.selected, 5);
    assert.deepEqual([...s.collapsed], [], 'the selected row is revealed');
    s.setModel(model({ traceId: 'other' }), saved);
    assert.equal(s.selected, 0);
    assert.equal(s.collapsed.size, 0);
  });

  it('collapsing an ancestor moves the selection to it; selecting reveals', () => {
    const s = new WaterfallState();
    s.setModel(model());
    s.select(2);
    assert.ok(s.setCollapsed(1, true));
    assert.equal(s.selected, 1);
    assert.equal(s.positionOf(2), -1);
    assert.ok(!s.setCollapsed(2, true), 'leaf rows do not collapse');
    s.select(3);
    assert.ok(!s.collapsed.has(1));
    assert.equal(s.positionOf(3), 3);
  });

  it('collapse all keeps only top-level rows and selects the top ancestor', () => {
    const s = new WaterfallState();
    s.setModel(model());
    s.select(5);
    s.setAllCollapsed(true);
    assert.deepEqual(s.visible, [0, 6]);
    assert.equal(s.selected, 0);
    s.setAllCollapsed(false);
    assert.equal(s.visible.length, rows.length);
  });

  it('filters, reports matches, and drops the filter to reveal a non-matching selection', () => {
    const s = new WaterfallState();
    s.setModel(model());
    const v = s.version;
    assert.ok(s.applyFilter('charges', [5]));
    assert.ok(s.version > v);
    assert.deepEqual(s.visible, [0, 4, 5]);
    assert.ok(s.isMatch(5));
    assert.ok(!s.isMatch(4));
    assert.ok(s.isExpanded(4));
    assert.ok(!s.setCollapsed(4, true), 'no collapsing while filtering');
    assert.ok(s.clearFilter());
    assert.ok(!s.clearFilter(), 'nothing to clear: no change');
    assert.ok(s.applyFilter('charges', [5]));
    s.select(7);
    assert.equal(s.filter, null);
    assert.equal(s.filterQuery, '');
    assert.equal(s.visible.length, rows.length);
  });
});

describe('waterfall tree at scale (collapse, critical path only, highlights)', () => {
  /** A chain root → k1 → … plus `width` leaves under the root: depth-first rows, with `critical` on the chain. */
  function wide(width: number, chain: number): WaterfallRow[] {
    const out: WaterfallRow[] = [row('root', -1, 0, width + chain, { critical: [[0, 1]] })];
    for (let d = 1; d <= chain; d++) out.push(row(`k${d}`, d - 1, d, chain - d + (d === chain ? 0 : 0), { critical: [[0, 1]] }));
    for (let i = 0; i < width; i++) out.push(row(`leaf${i}`, 0, 1, 0));
    return out;
  }

  it('binary searches ascending lists', () => {
    assert.equal(lowerBound([1, 3, 5, 7], 4), 2);
    assert.equal(lowerBound([1, 3, 5, 7], 9), 4);
    assert.equal(lowerBound([1, 3, 5, 7], 1, 2), 2);
    assert.equal(indexOfSorted([1, 3, 5, 7], 5), 2);
    assert.equal(indexOfSorted([1, 3, 5, 7], 4), -1);
    assert.equal(indexOfSorted([], 4), -1);
  });

  it('shows a subset of rows with collapsed subtrees skipped', () => {
    // rows: 0 root, 1 a, 2 a1, 3 a2, 4 b, 5 b1, 6 missing, 7 orphan
    assert.deepEqual(visibleInSubset(rows, [0, 1, 2, 4, 5, 6, 7], new Set([1])), [0, 1, 4, 5, 6, 7]);
    assert.deepEqual(visibleInSubset(rows, [0, 1, 2, 4, 5, 6, 7], new Set([0])), [0, 6, 7]);
    assert.deepEqual(visibleInSubset(rows, [0, 4, 5], new Set()), [0, 4, 5]);
    assert.deepEqual(visibleInSubset(rows, [], new Set([0])), []);
  });

  it('adds ancestors to found rows (sorted), and finds the critical path with its ancestors', () => {
    assert.deepEqual(withAncestors(rows, [5, 3, 99, -1]).sorted, [0, 1, 3, 4, 5]);
    const crit = rows.map((r, i) => ({ ...r, critical: i === 5 || i === 7 ? [[0, 1] as const] : [] }));
    assert.deepEqual(criticalWithAncestors(crit).sorted, [0, 4, 5, 6, 7]);
  });

  it('opens a large trace within a row budget: whole top levels, then the critical path as far as it fits', () => {
    // root → 3 hubs (depth 1) of 5,000 leaves each; hub 1 (critical) → chain c1 → c2 (critical) with 10 leaves.
    const big: WaterfallRow[] = [row('root', -1, 0, 0, { critical: [[0, 1]] })];
    const hub = (name: string, leaves: number, critical: boolean): void => {
      const at = big.length;
      big.push(row(name, 0, 1, leaves, critical ? { critical: [[0, 1]] } : {}));
      for (let i = 0; i < leaves; i++) big.push(row(`${name}.${i}`, at, 2, 0));
    };
    hub('h0', 5000, false);
    const h1 = big.length;
    big.push(row('h1', 0, 1, 0, { critical: [[0, 1]] }));
    big.push(row('c1', h1, 2, 0, { critical: [[0, 1]] }));
    big.push(row('c2', h1 + 1, 3, 0, { critical: [[0, 1]] }));
    for (let i = 0; i < 10; i++) big.push(row(`c2.${i}`, h1 + 2, 4, 0));
    big[h1 + 1] = { ...big[h1 + 1], descendants: 11 } as WaterfallRow;
    big[h1 + 2] = { ...big[h1 + 2], descendants: 10 } as WaterfallRow;
    big[h1] = { ...big[h1], descendants: 12 } as WaterfallRow;
    hub('h2', 6000, false);
    big[0] = { ...big[0], descendants: big.length - 1 } as WaterfallRow;
    const collapsed = defaultCollapsed(big);
    const names = (set: Set<number>) => [...set].map((i) => big[i]?.name);
    assert.deepEqual(names(collapsed), ['h0', 'h2'], 'level 1 does not fit the budget; the critical path does');
    assert.deepEqual(computeVisibleRows(big, collapsed).map((i) => big[i]?.name), ['root', 'h0', 'h1', 'c1', 'c2', ...Array.from({ length: 10 }, (_, i) => `c2.${i}`), 'h2']);
    assert.deepEqual(names(defaultCollapsed(big, 4)), ['h0', 'h1', 'c1', 'c2', 'h2'], 'a tiny budget: only the root is open');
    assert.deepEqual(names(defaultCollapsed(big, 3)), ['root', 'h0', 'h1', 'c1', 'c2', 'h2'], 'not even that');
  });

  it('collapses large traces by default: non-critical rows with children at depth ≥ 2', () => {
    assert.equal(defaultCollapsed(rows).size, 0, 'small traces open expanded');
    const big: WaterfallRow[] = [row('root', -1, 0, COLLAPSE_BY_DEFAULT_ROWS + 3, { critical: [[0, 1]] })];
    big.push(row('a', 0, 1, COLLAPSE_BY_DEFAULT_ROWS + 2, { critical: [[0, 1]] }));
    big.push(row('crit', 1, 2, 1, { critical: [[0, 1]] }));
    big.push(row('crit-kid', 2, 3, 0));
    big.push(row('off', 1, 2, COLLAPSE_BY_DEFAULT_ROWS - 1));
    for (let i = 0; i < COLLAPSE_BY_DEFAULT_ROWS - 1; i++) big.push(row(`x${i}`, 4, 3, 0));
    assert.deepEqual([...defaultCollapsed(big)], [4]);
    const s = new WaterfallState();
    s.setModel(model({ rows: big, criticalRows: [0, 1, 2] }));
    assert.ok(s.collapsedByDefault);
    assert.deepEqual(s.visible, [0, 1, 2, 3, 4]);
    assert.deepEqual(s.viewState(0)?.collapsed, [], 'the default is not saved');
    s.setCollapsed(4, false);
    assert.equal(s.visible.length, big.length);
    assert.deepEqual(s.viewState(0), { traceId: 't1', selectedRow: 0, collapsed: [], noDefault: true, scrollTop: 0 }, 'nothing collapsed: the shorter full list');
    s.setCollapsed(2, true);
    assert.deepEqual(s.viewState(0), { traceId: 't1', selectedRow: 0, collapsed: ['crit'], noDefault: true, scrollTop: 0 });
    s.setCollapsed(4, true);
    assert.deepEqual(s.viewState(0), { traceId: 't1', selectedRow: 0, collapsed: ['crit'], scrollTop: 0 }, 'the default plus one: the difference');
    s.setCollapsed(4, false);
    s.setCollapsed(2, false);
    const saved = s.viewState(0);
    const t = new WaterfallState();
    t.setModel(model({ rows: big, criticalRows: [0, 1, 2] }), saved);
    assert.equal(t.visible.length, big.length, 'the expanded default row is restored expanded');
    t.setAllCollapsed(true);
    const all = t.viewState(0);
    assert.deepEqual(all?.collapsed, ['root', 'a', 'crit'], 'collapse all: the difference from the default');
    const u = new WaterfallState();
    u.setModel(model({ rows: big, criticalRows: [0, 1, 2] }), all);
    assert.deepEqual(u.visible, [0]);
  });

  it('expand all below, critical path only, and reveal on select', () => {
    const big = wide(5, 3); // 0 root, 1 k1, 2 k2, 3 k3, 4.. leaves
    big[1] = { ...big[1], descendants: 2 } as WaterfallRow;
    big[2] = { ...big[2], descendants: 1 } as WaterfallRow;
    big[3] = { ...big[3], descendants: 0 } as WaterfallRow;
    for (let i = 4; i < big.length; i++) big[i] = { ...big[i], parent: 0, depth: 1 } as WaterfallRow;
    const s = new WaterfallState();
    s.setModel(model({ rows: big, criticalRows: [0, 1, 2, 3] }));
    s.setAllCollapsed(true);
    assert.deepEqual(s.visible, [0]);
    assert.ok(s.expandAllBelow(0));
    assert.equal(s.visible.length, big.length);
    assert.ok(!s.expandAllBelow(0), 'nothing left to expand');
    assert.ok(s.setCriticalOnly(true));
    assert.deepEqual(s.visible, [0, 1, 2, 3]);
    s.setCollapsed(1, true);
    assert.deepEqual(s.visible, [0, 1]);
    assert.ok(s.select(3), 'selecting a hidden row reveals it');
    assert.deepEqual(s.visible, [0, 1, 2, 3]);
    s.select(5);
    assert.equal(s.criticalOnly, false, 'selecting a row off the path leaves "critical path only"');
    assert.equal(s.positionOf(5), 5);
    assert.ok(!new WaterfallState().setCriticalOnly(true), 'no model, no path');
  });

  it('matches only off: all rows, matches marked; next/previous match reveal and wrap', () => {
    const s = new WaterfallState();
    s.setModel(model());
    s.setCollapsed(4, true);
    s.applyFilter('charges', [5, 2], { name: ['charge'], service: [] });
    assert.deepEqual(s.visible, [0, 1, 2, 4, 5], 'matches only: shown whatever is collapsed');
    s.setMatchesOnly(false);
    assert.deepEqual(s.visible, [0, 1, 2, 3, 4, 6, 7], 'all rows, collapse respected');
    assert.ok(s.canCollapse);
    s.select(0);
    assert.equal(s.matchOrdinal(), 0);
    assert.equal(s.nextMatch(1), 2);
    s.select(2);
    assert.equal(s.matchOrdinal(), 1);
    assert.equal(s.nextMatch(1), 5);
    s.select(5);
    assert.ok(s.positionOf(5) >= 0, 'the match was revealed');
    assert.ok(s.filter, 'the filter stays');
    assert.equal(s.nextMatch(1), 2, 'wraps');
    assert.equal(s.nextMatch(-1), 2);
    s.select(7);
    assert.equal(s.nextMatch(-1), 5);
    assert.equal(s.nextMatch(1), 2);
    assert.deepEqual(s.highlight, { name: ['charge'], service: [] });
    assert.ok(s.clearFilter());
    assert.equal(s.highlight, null);
    assert.equal(s.nextMatch(1), -1);
  });

  it('filter + critical path only shows matches on the path with their ancestors', () => {
    const s = new WaterfallState();
    const crit = rows.map((r, i) => ({ ...r, critical: [0, 4, 5].includes(i) ? [[0, 1] as const] : [] }));
    s.setModel(model({ rows: crit }));
    s.applyFilter('x', [2, 5]);
    s.setCriticalOnly(true);
    assert.deepEqual(s.visible, [0, 4, 5]);
  });

  it('finds highlight ranges case-insensitively, merged', () => {
    assert.deepEqual(highlightRanges('fetchCatalog', ['catalog']), [[5, 12]]);
    assert.deepEqual(highlightRanges('pool.acquire pool', ['pool', 'l.a']), [[0, 6], [13, 17]]);
    assert.deepEqual(highlightRanges('abc', []), []);
    assert.deepEqual(highlightRanges('', ['a']), []);
    assert.deepEqual(highlightRanges('aaaa', ['aa']), [[0, 4]]);
  });

  it('folds long breadcrumbs into root, gap, nearest ancestors', () => {
    assert.deepEqual(crumbItems(3, false), [0, 1, 2]);
    assert.deepEqual(crumbItems(7, false), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(crumbItems(10, false), [0, -1, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(crumbItems(10, true), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('sorts statistics and turns a row into an exact filter query', () => {
    const e = (service: string, selfUs: number, operation?: string) => ({ service, ...(operation ? { operation } : {}), count: 1, totalUs: selfUs * 2, selfUs, criticalUs: 0, errors: 0, maxUs: selfUs });
    const list = [e('b', 5), e('a', 9), e('c', 5)];
    assert.deepEqual(sortStats(list, 'selfUs', 1).map((x) => x.service), ['a', 'b', 'c']);
    assert.deepEqual(sortStats(list, 'selfUs', -1).map((x) => x.service), ['c', 'b', 'a']);
    assert.deepEqual(sortStats(list, 'name', 1).map((x) => x.service), ['a', 'b', 'c']);
    assert.equal(statsQuery(e('pricing', 1)), 'service:"pricing"');
    assert.equal(statsQuery(e('pricing', 1, 'GET "x"')), 'service:"pricing" op:"GET x"');
  });

  it('maps the new keys', () => {
    const key = (k: string, shiftKey = false) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey });
    assert.equal(commandForKey(key('*')), 'expandBelow');
    assert.equal(commandForKey(key('P')), 'toggleCriticalOnly');
    assert.equal(commandForKey(key('p')), 'toggleCritical');
    assert.equal(commandForKey(key('n')), 'nextMatch');
    assert.equal(commandForKey(key('N')), 'prevMatch');
    assert.equal(commandForKey(key('F3')), 'nextMatch');
    assert.equal(commandForKey(key('F3', true)), 'prevMatch');
    assert.equal(commandForKey(key('m')), 'toggleMatchesOnly');
    assert.equal(commandForKey(key('t')), 'toggleStats');
    assert.equal(commandForKey(key('y')), 'copySpanJson');
    assert.equal(commandForKey(key('Y')), 'copyTraceId');
  });

  it('visible rows of a 100k-row trace: expand/collapse touch only what is shown', () => {
    const n = 100_000;
    const big: WaterfallRow[] = [row('root', -1, 0, n - 1, { critical: [[0, 1]] })];
    // 1,000 groups of 99 leaves under the root.
    for (let g = 0; g < 1000 && big.length < n; g++) {
      const at = big.length;
      big.push(row(`g${g}`, 0, 1, 98));
      for (let k = 0; k < 98; k++) big.push(row(`g${g}.${k}`, at, 2, 0));
    }
    while (big.length < n) big.push(row(`t${big.length}`, 0, 1, 0));
    const s = new WaterfallState();
    s.setModel(model({ rows: big, criticalRows: [0] }));
    s.setAllCollapsed(true);
    s.expandAllBelow(0);
    s.setAllCollapsed(true);
    s.setCollapsed(0, false);
    // The root, its 1,000 collapsed groups and 999 leaves.
    assert.equal(s.visible.length, 2000);
    for (let g = 0; g < 200; g++) s.toggle(1 + g * 99);
    // 200 groups opened: 98 leaves each. (Frame times at 100k rows are measured by the webview harness, not here.)
    assert.equal(s.visible.length, 2000 + 200 * 98);
    s.toggle(1);
    assert.equal(s.visible.length, 2000 + 199 * 98);
  });
});
