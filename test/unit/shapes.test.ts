import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { keepShapes, keptShapes } from '../../src/core/traces/readers/shapes';
import { readDocument, readTraceText } from '../../src/core/traces/readTrace';

const repo = path.resolve(__dirname, '..', '..', '..');

describe('keeping the shapes of the last trace document (readers/shapes.ts)', () => {
  it('prunes lists in place to the first element of each shape, two levels deep', () => {
    const doc = {
      spans: [
        { id: 1, status: { code: 0 }, events: [] },
        { id: 2, status: { code: 0 }, events: [] },
        { id: 3, status: { code: 2, message: 'boom' }, events: [] },
        { id: 4, status: { code: 0 }, events: [{ name: 'exception' }] },
        { id: 5, status: { code: 0 }, events: [] },
      ],
      attributes: [
        { key: 'a', value: { stringValue: 'x' } },
        { key: 'b', value: { stringValue: 'y' } },
        { key: 'c', value: { intValue: 3 } },
      ],
    };
    keepShapes(doc);
    assert.deepEqual(doc.spans.map((s) => s.id), [1, 3, 4], 'one span per shape: plain, with a status message, with events');
    assert.deepEqual(doc.attributes.map((a) => a.key), ['a', 'c'], 'one attribute per kind of value');
    assert.equal(keptShapes().document, doc);
  });

  it('keeps a document from less than a megabyte of text whole, without walking it', () => {
    const doc = { spans: [{ id: 1 }, { id: 2 }, { id: 3 }] };
    keepShapes(doc, 100);
    assert.equal(doc.spans.length, 3);
    assert.equal(keptShapes().document, doc);
  });

  it('leaves what the readers return untouched: the same traces as from an unpruned copy, for every format', () => {
    const files = [
      'test/fixtures/producers/otlp-json-from-otel-js-sdk.json',
      'test/fixtures/producers/zipkin-v2-from-otel-js-exporter.json',
      'test/fixtures/backends/jaeger-v1.json',
      'test/fixtures/backends/tempo.json',
      'demo/traces/checkout-stampede.json',
      'demo/traces/pricing-slow.jaeger.json',
    ];
    for (const file of files) {
      const text = fs.readFileSync(path.join(repo, file), 'utf8');
      const options = { otlpIdEncoding: file.includes('tempo') ? ('base64' as const) : ('auto' as const) };
      const doc: unknown = JSON.parse(text);
      const read = readDocument(doc, options);
      // Pruned after reading, as readTraceText does with large documents: the traces must share nothing with it.
      keepShapes(doc);
      assert.ok(JSON.stringify(doc).length < text.length, `${file}: the document was pruned`);
      const fresh = readDocument(JSON.parse(text), options);
      assert.ok(read.ok && fresh.ok, file);
      assert.ok(read.traces.reduce((n, t) => n + t.spans.length, 0) > 0, `${file} has spans`);
      assert.deepEqual(read, fresh, file);
      assert.deepEqual(readTraceText(text, options), fresh, `${file} through readTraceText`);
    }
  });
});
