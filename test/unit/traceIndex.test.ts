import * as assert from 'node:assert/strict';
import { TraceIndex, indexText, scanTraceIds, summarizeLimitBytes } from '../../src/core/traces/traceIndex';
import { fixture } from './helpers';

describe('trace index', () => {
  const otlp = fixture('producers', 'otlp-json-from-otel-js-sdk.json');
  const zipkin = fixture('producers', 'zipkin-v2-from-otel-js-exporter.json');

  it('summarizes a small file from a full parse', () => {
    const e = indexText(otlp, { mtimeMs: 1, size: otlp.length });
    assert.equal(e.format, 'otlp-json');
    assert.deepEqual(e.traces, [
      { traceId: '377dd776713a7e99e5c5cb475fbdc196', rootName: 'GET /api/users/:id', rootService: 'checkout', startUs: 1795342022144000, durationUs: e.traces[0]?.durationUs, spanCount: 2, errorCount: 1 },
    ]);
  });

  it('only scans IDs of a file above the summarize limit', () => {
    const e = indexText(zipkin, { mtimeMs: 1, size: summarizeLimitBytes + 1 });
    assert.deepEqual(e.traces, [{ traceId: '648d9eb667a5c070638d44c1e7d83dc7' }]);
  });

  it('still lists the IDs of a broken file, with its error', () => {
    const e = indexText(otlp.slice(0, 3000), { mtimeMs: 1, size: 3000 });
    assert.deepEqual(e.traces.map((t) => t.traceId), ['377dd776713a7e99e5c5cb475fbdc196']);
    assert.ok(e.error?.position);
  });

  it('scans Jaeger traceID, Tempo base64 and 16-hex IDs', () => {
    const ids = scanTraceIds('{"traceID":"a3ce929d0e0e4736"} {"traceId": "W47/95gDgQPSabYzgT/HAA=="} {"traceId":"00000000000000000000000000000000"}');
    assert.deepEqual(ids, ['0000000000000000a3ce929d0e0e4736', '5b8efff798038103d269b633813fc700']);
  });

  it('maps trace IDs to files and forgets removed files', () => {
    const idx = new TraceIndex();
    idx.set('/w/a.json', indexText(otlp, { mtimeMs: 1, size: 10 }));
    idx.set('/w/b.json', indexText(otlp, { mtimeMs: 1, size: 10 }));
    idx.set('/w/z.json', indexText(zipkin, { mtimeMs: 1, size: 10 }));
    assert.deepEqual(idx.lookup('377dd776713a7e99e5c5cb475fbdc196'), ['/w/a.json', '/w/b.json']);
    idx.remove('/w/a.json');
    assert.deepEqual(idx.lookup('377dd776713a7e99e5c5cb475fbdc196'), ['/w/b.json']);
    idx.set('/w/b.json', indexText(zipkin, { mtimeMs: 2, size: 10 }));
    assert.deepEqual(idx.lookup('377dd776713a7e99e5c5cb475fbdc196'), []);
    assert.equal(idx.traceCount, 1);
  });
});
