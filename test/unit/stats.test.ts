// Trace statistics (src/core/traces/stats.ts) and span export (src/core/traces/spanExport.ts).
import * as assert from 'node:assert/strict';
import type { WaterfallModel, WaterfallRow } from '../../src/shared/protocol/waterfall';
import { statsOfAnalysis, traceStats } from '../../src/core/traces/stats';
import { escapeMarkdown, isoAt, notebookSpan, spanAsJson, spanMarkdown } from '../../src/core/traces/spanExport';
import { analyzeTrace } from '../../src/core/traces/analyze';
import type { Span } from '../../src/core/traces/model';

function row(id: string, parent: number, extra: Partial<WaterfallRow> = {}): WaterfallRow {
  return { id, parent, depth: parent < 0 ? 0 : 1, name: id, service: 'svc', serviceIndex: 0, kind: 'internal', startUs: 0, durationUs: 1000, selfUs: 1000, descendants: 0, error: false, status: 'unset', critical: [], hasCode: false, ...extra };
}

const rows: WaterfallRow[] = [
  row('0000000000000001', -1, { name: 'GET /a', service: 'front', durationUs: 1000, selfUs: 100, descendants: 3, critical: [[0, 100], [900, 1000]] }),
  row('0000000000000002', 0, { name: 'query', service: 'db', startUs: 100, durationUs: 500, selfUs: 500, critical: [[100, 600]] }),
  row('0000000000000003', 0, { name: 'query', service: 'db', startUs: 600, durationUs: 300, selfUs: 300, error: true, status: 'error', statusMessage: 'deadlock', critical: [[600, 900]] }),
  row('0000000000000004', 0, { name: 'render', service: 'front', startUs: 200, durationUs: 50, selfUs: 50 }),
  row('missing:00000000000000ff', -1, { name: 'missing parent 00000000000000ff', service: '', missingParent: true, status: '' }),
];

describe('trace statistics', () => {
  it('sums count, total, self, critical, errors and max per service and per operation, by self time', () => {
    const s = traceStats(rows, 1000);
    assert.equal(s.spanCount, 4);
    assert.equal(s.durationUs, 1000);
    assert.deepEqual(s.services, [
      { service: 'db', count: 2, totalUs: 800, selfUs: 800, criticalUs: 800, errors: 1, maxUs: 500 },
      { service: 'front', count: 2, totalUs: 1050, selfUs: 150, criticalUs: 200, errors: 0, maxUs: 1000 },
    ]);
    assert.deepEqual(s.operations, [
      { service: 'db', operation: 'query', count: 2, totalUs: 800, selfUs: 800, criticalUs: 800, errors: 1, maxUs: 500 },
      { service: 'front', operation: 'GET /a', count: 1, totalUs: 1000, selfUs: 100, criticalUs: 200, errors: 0, maxUs: 1000 },
      { service: 'front', operation: 'render', count: 1, totalUs: 50, selfUs: 50, criticalUs: 0, errors: 0, maxUs: 50 },
    ]);
  });

  it('is empty for an empty trace', () => {
    assert.deepEqual(traceStats([], 0), { services: [], operations: [], spanCount: 0, durationUs: 0 });
  });

  it('agrees with the analysis of a real trace', () => {
    const base = { traceId: 'a'.repeat(32), kind: 'internal' as const, status: { code: 'unset' as const }, attributes: [], resource: [], events: [], links: [] };
    const spans: Span[] = [
      { ...base, spanId: '1'.repeat(16), name: 'root', service: 'a', startUs: 1_000_000, durationUs: 1000 },
      { ...base, spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), name: 'child', service: 'b', startUs: 1_000_100, durationUs: 600, status: { code: 'error' } },
    ];
    const s = statsOfAnalysis(analyzeTrace({ traceId: 'a'.repeat(32), spans, format: 'otlp-json', warnings: [] }));
    assert.equal(s.spanCount, 2);
    assert.deepEqual(s.services.map((x) => [x.service, x.selfUs, x.totalUs, x.errors]), [['b', 600, 600, 1], ['a', 400, 1000, 0]]);
    assert.equal(s.services.reduce((t, x) => t + x.selfUs, 0), 1000, 'self times add up to the trace for a sequential trace');
  });

  it('summarizes 100k spans', () => {
    const big: WaterfallRow[] = Array.from({ length: 100_000 }, (_, i) => row(`r${i}`, i === 0 ? -1 : 0, { name: `op ${i % 500}`, service: `svc-${i % 14}`, durationUs: i, selfUs: i % 7 }));
    const s = traceStats(big, 100_000);
    assert.equal(s.services.length, 14);
    assert.equal(s.spanCount, 100_000);
  });
});

describe('span export', () => {
  const model: WaterfallModel = {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736', title: 'GET /a', startIso: '2024-05-01T03:12:45.123456Z', durationUs: 1000, services: ['front', 'db'], spanCount: 4, errorCount: 1,
    slowestRow: 1, criticalRows: [0, 1, 2, 0], rows, warnings: [], source: 'traces/a.json (OTLP/JSON)',
  };

  it('computes absolute times from the trace start', () => {
    assert.equal(isoAt('2024-05-01T03:12:45.123456Z', 600), '2024-05-01T03:12:45.124056Z');
    assert.equal(isoAt('2024-05-01T03:12:45Z', 1_500_000), '2024-05-01T03:12:46.500000Z');
    assert.equal(isoAt('yesterday', 1), undefined);
  });

  it('builds the span JSON from the row and its details', () => {
    const json = spanAsJson(model, 2, { attributes: [['db.system.name', 'postgresql'], ['db.rows', '3']], resource: [['service.name', 'db']], events: [{ name: 'retry', offsetUs: 700, attributes: [['attempt', '1']] }], links: [], code: { function: 'Repo.load', path: '/srv/repo.ts', line: 3 } });
    assert.deepEqual(JSON.parse(JSON.stringify(json)), {
      traceId: model.traceId, spanId: '0000000000000003', parentSpanId: '0000000000000001', name: 'query', service: 'db', kind: 'internal',
      startTime: '2024-05-01T03:12:45.124056Z', offsetMs: 0.6, durationMs: 0.3, selfMs: 0.3, criticalPathMs: 0.3,
      status: { code: 'error', message: 'deadlock' },
      attributes: { 'db.system.name': 'postgresql', 'db.rows': '3' }, resource: { 'service.name': 'db' },
      events: [{ name: 'retry', offsetMs: 0.7, attributes: { attempt: '1' } }], links: [],
      code: { function: 'Repo.load', path: '/srv/repo.ts', line: 3 }, source: model.source,
    });
    assert.equal(spanAsJson(model, 4, undefined), undefined, 'the missing-parent group is not a span');
    assert.equal(spanAsJson(model, 99, undefined), undefined);
    assert.equal((spanAsJson(model, 0, undefined) as Record<string, unknown>)['parentSpanId'], undefined);
  });

  it('gives the notebook plain data, and a Markdown summary with trace text escaped', () => {
    assert.deepEqual(notebookSpan(model, 2), { traceId: model.traceId, spanId: '0000000000000003', service: 'db', name: 'query', durationMs: 0.3, error: true, source: model.source, startIso: '2024-05-01T03:12:45.123Z' });
    assert.equal(notebookSpan(model, 4), undefined);
    const md = spanMarkdown(model, 2) ?? '';
    assert.match(md, /^\*\*query\*\* · db · ❌ error/);
    assert.match(md, /Status: error — deadlock/);
    assert.match(md, /Trace `4bf92f3577b34da6a3ce929d0e0e4736` · span `0000000000000003`/);
    assert.equal(escapeMarkdown('<img src=x> *bold* [a](b)\nnext'), '\\<img src=x\\> \\*bold\\* \\[a\\]\\(b\\) next');
  });
});

describe('oncall-lens trace --stats', () => {
  it('prints self and total time by service and operation, as text and JSON', async () => {
    const { main } = await import('../../src/cli/main');
    const path = await import('node:path');
    const file = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'producers', 'otlp-json-from-otel-js-sdk.json');
    const out: string[] = [];
    const err: string[] = [];
    assert.equal(await main(['trace', file, '--stats'], (s) => out.push(s), (s) => err.push(s)), 0, err.join('\n'));
    assert.match(out.join('\n'), /By service[\s\S]*self ms[\s\S]*By operation/);
    out.length = 0;
    assert.equal(await main(['trace', file, '--stats', '--json'], (s) => out.push(s), (s) => err.push(s)), 0);
    const parsed = JSON.parse(out.join('\n')) as { services: { selfMs: number; count: number }[]; operations: unknown[]; spanCount: number }[];
    const first = parsed[0];
    assert.ok(first && first.spanCount > 0 && first.services.length > 0 && first.operations.length > 0);
    assert.equal(first.services.reduce((t, s) => t + s.count, 0), first.spanCount);
  });
});
