import * as assert from 'node:assert/strict';
import { analyzeTrace } from '../../src/core/traces/analyze';
import { readTraceText } from '../../src/core/traces/readTrace';
import { matchRows, searchText } from '../../src/core/traces/search';
import { toSpanDetails, toWaterfallModel } from '../../src/core/traces/waterfallModel';
import { decodeModel, encodeModel } from '../../src/shared/protocol/waterfallWire';
import type { SpanDetails, WaterfallModel } from '../../src/shared/protocol/waterfall';
import { fixture } from './helpers';

function view(): { model: WaterfallModel; details: SpanDetails[] } {
  const r = readTraceText(fixture('producers', 'otlp-json-from-otel-js-sdk.json'));
  assert.ok(r.ok && r.traces[0]);
  const a = analyzeTrace(r.traces[0]);
  return { model: toWaterfallModel(a, 'producers/otlp.json (OTLP/JSON)'), details: toSpanDetails(a) };
}

describe('toWaterfallModel', () => {
  it('sends lean rows and keeps attributes, events and code in per-row details', () => {
    const { model, details } = view();
    assert.equal(details.length, model.rows.length);
    const load = model.rows.findIndex((r) => r.name === 'loadUser');
    const row = model.rows[load];
    assert.ok(row && !('attributes' in row) && !('events' in row), 'rows carry no attributes or events');
    assert.equal(row.hasCode, true);
    assert.equal(row.status, 'error');
    assert.deepEqual(details[load]?.code, { path: '/srv/app/src/userRepo.ts', line: 42, column: 7, function: 'UserRepo.load' });
    assert.equal(details[load]?.events[0]?.exception?.type, 'TypeError');
    assert.deepEqual(details[load]?.events[0]?.exception?.stack[1]?.frame, { path: '/srv/app/gen.js', line: 10, column: 15 });
    assert.ok(details[load]?.attributes.some(([k, v]) => k === 'code.line.number' && v === '42'));
  });

  it('converts a process\'s resource once for all its spans', () => {
    const { details } = view();
    assert.equal(details[0]?.resource, details[1]?.resource);
    assert.deepEqual(details[0]?.resource, [['service.name', 'checkout']]);
  });

  it('cuts huge attribute values before they reach the webview', () => {
    const r = readTraceText(fixture('producers', 'otlp-json-from-otel-js-sdk.json'));
    assert.ok(r.ok && r.traces[0]);
    const t = r.traces[0];
    const huge = { ...t, spans: t.spans.map((s) => ({ ...s, attributes: [...s.attributes, { key: 'blob', value: 'x'.repeat(100_000) }] })) };
    const details = toSpanDetails(analyzeTrace(huge));
    const blob = details[0]?.attributes.find(([k]) => k === 'blob')?.[1] ?? '';
    assert.ok(blob.length < 17_000);
    assert.match(blob, /83616 more characters not shown/);
  });
});

describe('waterfall filter (host side)', () => {
  it('matches name, service, attributes and resource as key=value, exception text, code; every term must match', () => {
    const { model, details } = view();
    const texts = model.rows.map((r, i) => searchText(r, details[i]));
    const names = (q: string): string[] => matchRows(texts, q).map((i) => model.rows[i]?.name ?? '');
    assert.deepEqual(names('loaduser'), ['loadUser']);
    assert.deepEqual(names('service.name=checkout').length, 2);
    assert.deepEqual(names('code.function.name=UserRepo.load'), ['loadUser']);
    assert.deepEqual(names('TypeError'), ['loadUser']);
    assert.deepEqual(names('userRepo.ts'), ['loadUser']);
    assert.deepEqual(names('GET  checkout'), ['GET /api/users/:id']);
    assert.deepEqual(names('GET loadUser'), []);
    assert.deepEqual(matchRows(texts, '   '), []);
  });
});

describe('waterfall wire format', () => {
  it('round-trips the model through JSON, rows by column', () => {
    const { model } = view();
    const text = JSON.stringify(encodeModel(model));
    assert.ok(!text.includes('"durationUs":'.repeat(2)), 'no per-row keys');
    assert.deepEqual(decodeModel(JSON.parse(text)), model);
  });

  it('rejects what is not a wire model', () => {
    const { model } = view();
    const wire = encodeModel(model);
    assert.equal(decodeModel(null), undefined);
    assert.equal(decodeModel({ ...wire, traceId: 7 }), undefined);
    assert.equal(decodeModel({ ...wire, rows: { ...wire.rows, name: ['only one'] } }), undefined, 'columns of different lengths');
    assert.equal(decodeModel({ ...wire, rows: model.rows }), undefined, 'rows as objects');
  });
});
