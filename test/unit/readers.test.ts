import * as assert from 'node:assert/strict';
import { readTraceText, readDocument } from '../../src/core/traces/readTrace';
import { nsDurationUs, nsToUs } from '../../src/core/traces/readers/common';
import { attr } from '../../src/core/traces/model';
import type { ReadResult, Trace } from '../../src/core/traces/model';
import { fixture } from './helpers';

function traces(r: ReadResult): readonly Trace[] {
  assert.ok(r.ok, `expected a successful read, got ${JSON.stringify(r)}`);
  return r.traces;
}

describe('readTraceText: OTLP/JSON from the OpenTelemetry JS SDK', () => {
  const result = readTraceText(fixture('producers', 'otlp-json-from-otel-js-sdk.json'));

  it('reads both spans with hex IDs, parent link, service, kinds', () => {
    const [t] = traces(result);
    assert.ok(result.ok && result.format === 'otlp-json');
    assert.equal(t?.traceId, '377dd776713a7e99e5c5cb475fbdc196');
    const load = t?.spans.find((s) => s.name === 'loadUser');
    const root = t?.spans.find((s) => s.name === 'GET /api/users/:id');
    assert.equal(load?.parentSpanId, root?.spanId);
    assert.equal(load?.service, 'checkout');
    assert.equal(load?.kind, 'internal');
    assert.equal(root?.kind, 'server');
  });

  it('keeps nanosecond times as microseconds without losing the fraction', () => {
    const load = traces(result)[0]?.spans.find((s) => s.name === 'loadUser');
    // 1795342022145000000 ns → 1795342022145000 µs; end 1795342022145881278 → duration 881.278 µs
    assert.equal(load?.startUs, 1795342022145000);
    assert.ok(Math.abs((load?.durationUs ?? 0) - 881.278) < 0.001, String(load?.durationUs));
  });

  it('reads status, int attributes given as numbers, and the exception event', () => {
    const load = traces(result)[0]?.spans.find((s) => s.name === 'loadUser');
    assert.deepEqual(load?.status, { code: 'error', message: 'user is undefined' });
    assert.equal(attr(load?.attributes ?? [], 'code.line.number'), 42);
    assert.equal(attr(load?.attributes ?? [], 'code.file.path'), '/srv/app/src/userRepo.ts');
    const ev = load?.events[0];
    assert.equal(ev?.name, 'exception');
    assert.match(String(attr(ev?.attributes ?? [], 'exception.stacktrace')), /at \/srv\/app\/gen\.js:10:15/);
    assert.equal(load?.scope?.name, 'demo-lib');
  });
});

describe('readTraceText: Zipkin v2 from the OpenTelemetry Zipkin exporter', () => {
  it('reads µs times, string tags, error tag, annotations', () => {
    const r = readTraceText(fixture('producers', 'zipkin-v2-from-otel-js-exporter.json'));
    assert.ok(r.ok && r.format === 'zipkin-v2');
    const s = traces(r)[0]?.spans[0];
    assert.equal(s?.traceId, '648d9eb667a5c070638d44c1e7d83dc7');
    assert.equal(s?.durationUs, 823);
    assert.equal(s?.kind, 'client');
    assert.deepEqual(s?.status, { code: 'error', message: 'user is undefined' });
    assert.equal(s?.events[0]?.name, 'exception');
    assert.equal(attr(s?.attributes ?? [], 'code.line.number'), '42');
  });

  it('pads a 64-bit Zipkin trace ID to 32 hex', () => {
    const r = readDocument([{ traceId: 'a3ce929d0e0e4736', id: '00f067aa0ba902b7', name: 'x', timestamp: 1, duration: 2, localEndpoint: { serviceName: 's' } }]);
    assert.equal(traces(r)[0]?.traceId, '0000000000000000a3ce929d0e0e4736');
  });
});

describe('readDocument: backend envelopes and Tempo conventions', () => {
  const tempoSpan = {
    traceId: 'W47/95gDgQPSabYzgT/HAA==',
    spanId: '7uGbfsPBsQA=',
    name: 'I am a span!',
    kind: 'SPAN_KIND_SERVER',
    startTimeUnixNano: '1689969302000000000',
    endTimeUnixNano: '1689970000000000000',
    attributes: [{ key: 'n', value: { intValue: '9223372036854775807' } }],
    status: { code: 'STATUS_CODE_ERROR' },
  };
  const rs = [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] }, scopeSpans: [{ scope: { name: 'lib' }, spans: [tempoSpan] }] }];

  for (const [name, doc] of [
    ['Tempo v1 batches', { batches: rs }],
    ['Tempo v2 trace', { trace: { resourceSpans: rs }, metrics: {} }],
    ['Jaeger v3 result', { result: { resourceSpans: rs } }],
  ] as const) {
    it(`reads ${name}: base64 IDs, enum names, int64 beyond 2^53 kept exact`, () => {
      const s = traces(readDocument(doc))[0]?.spans[0];
      assert.equal(s?.traceId, '5b8efff798038103d269b633813fc700');
      assert.equal(s?.kind, 'server');
      assert.equal(s?.status.code, 'error');
      assert.equal(attr(s?.attributes ?? [], 'n'), '9223372036854775807');
      assert.equal(s?.service, 'my.service');
    });
  }

  it('reads pre-2.0 Tempo instrumentationLibrarySpans', () => {
    const doc = { batches: [{ resource: {}, instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old' }, spans: [tempoSpan] }] }] };
    const s = traces(readDocument(doc))[0]?.spans[0];
    assert.equal(s?.scope?.name, 'old');
    assert.equal(s?.service, 'unknown_service');
  });
});

describe('readTraceText: Jaeger UI JSON', () => {
  const doc = {
    data: [
      {
        traceID: '83a9efd15c1c98a977e0711cc93ee28b',
        spans: [
          {
            traceID: '83a9efd15c1c98a977e0711cc93ee28b',
            spanID: 'e127af99e3b3e074',
            operationName: 'child',
            references: [{ refType: 'CHILD_OF', traceID: '83a9efd15c1c98a977e0711cc93ee28b', spanID: '909541b92cf05311' }],
            startTime: 1706678909209712,
            duration: 123,
            tags: [
              { key: 'span.kind', type: 'string', value: 'client' },
              { key: 'javascript_limit', type: 'int64', value: '9223372036854775222' },
              { key: 'error', type: 'bool', value: true },
              { key: 'otel.status_description', type: 'string', value: 'boom' },
            ],
            logs: [{ timestamp: 1706678909209800, fields: [{ key: 'event', type: 'string', value: 'exception' }, { key: 'exception.type', type: 'string', value: 'E' }] }],
            processID: 'p1',
            warnings: null,
          },
        ],
        processes: { p1: { serviceName: 'telemetrygen', tags: [{ key: 'host.name', type: 'string', value: 'h' }] } },
        warnings: null,
      },
    ],
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  };

  it('maps tags, process, references, logs and error tags', () => {
    const r = readTraceText(JSON.stringify(doc));
    assert.ok(r.ok && r.format === 'jaeger-ui');
    const s = traces(r)[0]?.spans[0];
    assert.equal(s?.parentSpanId, '909541b92cf05311');
    assert.equal(s?.kind, 'client');
    assert.equal(s?.service, 'telemetrygen');
    assert.deepEqual(s?.status, { code: 'error', message: 'boom' });
    assert.equal(attr(s?.attributes ?? [], 'javascript_limit'), '9223372036854775222');
    assert.equal(s?.events[0]?.name, 'exception');
    assert.equal(attr(s?.events[0]?.attributes ?? [], 'exception.type'), 'E');
    assert.equal(attr(s?.resource ?? [], 'host.name'), 'h');
  });
});

describe('readTraceText: bad input never throws and says where', () => {
  const good = fixture('producers', 'otlp-json-from-otel-js-sdk.json');

  it('names line and column of a truncated file', () => {
    const r = readTraceText(good.slice(0, 3000));
    assert.ok(!r.ok);
    assert.match(r.error.message, /truncated/);
    assert.ok(r.error.position && r.error.position.line > 50, JSON.stringify(r.error.position));
  });

  it('names line and column of a syntax error in the middle', () => {
    const broken = good.replace('"name": "loadUser",', '"name": "loadUser",,');
    const r = readTraceText(broken);
    assert.ok(!r.ok);
    const lineOfError = broken.split('\n').findIndex((l) => l.includes('"loadUser",,')) + 1;
    assert.equal(r.error.position?.line, lineOfError);
  });

  it('rejects JSON that is not a trace, naming what it found', () => {
    const r = readTraceText('{"kind":"Deployment","spec":{}}');
    assert.ok(!r.ok);
    assert.match(r.error.message, /found keys "kind", "spec"/);
    const empty = readTraceText('   ');
    assert.ok(!empty.ok && /empty/.test(empty.error.message));
  });

  it('skips a bad JSON line of a .jsonl file with a warning naming the line, keeping the rest', () => {
    const line = JSON.stringify(JSON.parse(good));
    const r = readTraceText(`${line}\n{"resourceSpans": [oops\n${line}\n`);
    assert.ok(r.ok && r.format === 'otlp-jsonl');
    assert.equal(r.traces[0]?.spans.length, 4); // the same two spans twice: kept, dedup happens when merging files
    assert.match(r.warnings.join('\n'), /Line 2, column \d+: skipped/);
  });

  it('skips spans with unreadable IDs or times, with one summarized warning', () => {
    const doc = JSON.parse(good);
    const spans = doc.resourceSpans[0].scopeSpans[0].spans;
    for (let i = 0; i < 5; i++) spans.push({ ...spans[0], spanId: 'not-hex!' });
    spans.push({ ...spans[0], spanId: 'aaaaaaaaaaaaaaaa', startTimeUnixNano: 'yesterday' });
    const r = readDocument(doc);
    assert.ok(r.ok);
    assert.equal(r.traces[0]?.spans.length, 2);
    assert.match(r.warnings.join('\n'), /not a valid ID.*\(and 4 more like it\)/);
    assert.match(r.warnings.join('\n'), /"yesterday" is not a time/);
  });

  it('keeps hostile text as data', () => {
    const doc = JSON.parse(good);
    doc.resourceSpans[0].scopeSpans[0].spans[0].name = '<img src=x onerror=alert(1)>';
    const r = readDocument(doc);
    assert.equal(traces(r)[0]?.spans[0]?.name, '<img src=x onerror=alert(1)>');
  });
});

describe('nanosecond timestamps', () => {
  it('keeps sub-microsecond precision of 19-digit strings and reads numbers, short strings and zero', () => {
    assert.equal(nsToUs('1795404000400100123'), 1795404000400100 + 0.123);
    assert.equal(nsToUs('999'), 0.999);
    assert.equal(nsToUs('0'), 0);
    assert.equal(nsToUs(2_500_000), 2500);
    assert.equal(nsDurationUs('1795404000400100000', '1795404000402020672'), 1920.672);
    assert.equal(nsDurationUs(1000, '3500'), 2.5);
  });

  it('rejects what is not a non-negative decimal of at most 20 digits', () => {
    for (const bad of ['', '-1', '1.5', '12a4', ' 12', '1e9', '123456789012345678901', null, {}]) {
      assert.equal(nsToUs(bad), undefined, JSON.stringify(bad));
      assert.equal(nsDurationUs(bad, '1000'), undefined, JSON.stringify(bad));
      assert.equal(nsDurationUs('1000', bad), undefined, JSON.stringify(bad));
    }
    // A failed read leaves nothing behind for the next one.
    assert.equal(nsDurationUs('2000', '12a4'), undefined);
    assert.equal(nsDurationUs('1000', '3500'), 2.5);
    assert.equal(nsToUs(-5), undefined);
    assert.equal(nsToUs(Number.NaN), undefined);
  });
});
