// The DOM-free logic of the waterfall webview: formatting, ticks, visible rows (collapse + filter), navigation,
// the key map and the view state.
import * as assert from 'node:assert/strict';
import type { WaterfallModel, WaterfallRow } from '../../src/shared/protocol/waterfall';
import { addMicrosToIso, barGeometry, computeTicks, formatDuration, formatOffset, formatPercent, formatTick, niceStep, plural, serviceClass } from '../../webview/waterfall/format';
import { commandForKey } from '../../webview/waterfall/keyboard';
import { movePosition, nextCriticalRow, nextErrorRow, scrollToReveal, stepSorted, uniqueInOrder, visibleWindow } from '../../webview/waterfall/navigation';
import { WaterfallState } from '../../webview/waterfall/state';
import {ancestors, computeVisibleRows, filterFromMatches, isDescendant, revealRow } from '../../webview/waterfall/tree';

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
