import * as assert from 'node:assert/strict';
import { base64ToHex, decodeId, parseTraceIdInput, shortTraceId } from '../../src/core/traces/ids';

const id = '4bf92f3577b34da6a3ce929d0e0e4736';

function ok(input: string): { traceId: string; from: string } {
  const r = parseTraceIdInput(input);
  assert.ok(r.ok, `expected ${JSON.stringify(input)} to parse, got ${JSON.stringify(r)}`);
  return r;
}

function bad(input: string): string {
  const r = parseTraceIdInput(input);
  assert.ok(!r.ok, `expected ${JSON.stringify(input)} to be rejected`);
  return r.message;
}

describe('parseTraceIdInput', () => {
  it('accepts 32 hex, lower-cases it, trims whitespace', () => {
    assert.equal(ok(`  ${id.toUpperCase()}\n`).traceId, id);
  });

  it('pads a 16-hex (64-bit) ID to 32', () => {
    assert.equal(ok('a3ce929d0e0e4736').traceId, '0000000000000000a3ce929d0e0e4736');
  });

  it('says what is wrong with an invalid ID', () => {
    assert.match(bad('4bf92f3577b34da6a3ce929d0e0e473'), /16 or 32 hex characters; this has 31/);
    assert.match(bad('4bf92f3577b34da6a3ce929d0e0e47zz'), /"z" is not a hex digit/);
    assert.match(bad('0'.repeat(32)), /all-zero/);
    assert.match(bad(''), /Paste a trace ID/);
  });

  it('extracts the trace ID from a traceparent value', () => {
    const r = parseTraceIdInput(`00-${id}-00f067aa0ba902b7-01`);
    assert.deepEqual(r, { ok: true, traceId: id, spanId: '00f067aa0ba902b7', from: 'traceparent' });
    assert.equal(ok(`traceparent: 00-${id}-00f067aa0ba902b7-01`).from, 'traceparent');
  });

  it('extracts the ID from Jaeger, Zipkin and Tempo links', () => {
    assert.deepEqual(ok(`http://jaeger.internal:16686/trace/${id}?uiFind=abc`), { ok: true, traceId: id, from: 'jaeger-url' });
    assert.equal(ok(`https://tracing.example.com/jaeger/trace/${id.slice(16)}`).traceId, `${'0'.repeat(16)}${id.slice(16)}`);
    assert.equal(ok(`http://zipkin:9411/zipkin/traces/${id}`).from, 'zipkin-url');
    assert.equal(ok(`http://tempo:3200/api/v2/traces/${id}`).from, 'tempo-url');
    assert.match(bad('http://jaeger:16686/trace/not-an-id'), /not a trace ID/);
  });

  it('extracts the ID from Grafana Explore links (old `left` and new `panes`)', () => {
    const left = encodeURIComponent(JSON.stringify({ datasource: 'tempo', queries: [{ refId: 'A', queryType: 'traceql', query: id }], range: { from: 'now-1h', to: 'now' } }));
    assert.deepEqual(ok(`https://grafana.example.com/explore?orgId=1&left=${left}`), { ok: true, traceId: id, from: 'grafana-link' });
    const panes = encodeURIComponent(JSON.stringify({ x1y: { datasource: 'P214B5B846CF3925F', queries: [{ refId: 'A', datasource: { type: 'tempo', uid: 'P2' }, queryType: 'traceql', limit: 20, query: id }], range: { from: 'now-1h', to: 'now' } } }));
    assert.equal(ok(`https://grafana.example.com/explore?schemaVersion=1&panes=${panes}&orgId=1`).traceId, id);
    assert.match(bad('https://grafana.example.com/explore?orgId=1'), /No trace ID found in this link/);
  });

  it('extracts the ID from an exemplar', () => {
    assert.deepEqual(ok(`{span_id="00f067aa0ba902b7",trace_id="${id}"} 0.054 1795341914.224`), { ok: true, traceId: id, from: 'exemplar' });
    assert.equal(ok(`traceID=${id}`).from, 'exemplar');
  });
});

describe('decodeId', () => {
  it('decodes Tempo base64 IDs (docs example)', () => {
    assert.equal(decodeId('W47/95gDgQPSabYzgT/HAA==', 32, 'base64'), '5b8efff798038103d269b633813fc700');
    assert.equal(decodeId('W47/95gDgQPSabYzgT/HAA==', 32, 'auto'), '5b8efff798038103d269b633813fc700');
    assert.equal(decodeId('7uGbfsPBsQA=', 16, 'auto'), 'eee19b7ec3c1b100');
  });

  it('keeps hex hex, left-pads short hex, rejects junk', () => {
    assert.equal(decodeId('00F067AA0BA902B7', 16, 'auto'), '00f067aa0ba902b7');
    assert.equal(decodeId('a3ce929d0e0e4736', 32, 'hex'), '0000000000000000a3ce929d0e0e4736');
    assert.equal(decodeId('zz', 16, 'hex'), undefined);
    assert.equal(decodeId('5b8efff798038103d269b633813fc700', 32, 'auto'), '5b8efff798038103d269b633813fc700');
    assert.equal(decodeId('5B8EFFF798038103D269B633813FC700', 32, 'auto'), '5b8efff798038103d269b633813fc700');
    assert.equal(decodeId('00f067aa0ba902g7', 16, 'auto'), undefined);
    assert.equal(decodeId(42, 16), undefined);
    assert.equal(decodeId('', 16), undefined);
    assert.equal(base64ToHex('no spaces allowed'), undefined);
  });
});

describe('shortTraceId', () => {
  it('shows the first 8 hex digits, of the significant half for a padded 64-bit ID', () => {
    assert.equal(shortTraceId('4bf92f3577b34da6a3ce929d0e0e4736'), '4bf92f35');
    assert.equal(shortTraceId('0000000000000000b072e6bb20630d5f'), 'b072e6bb');
    assert.equal(shortTraceId('00000000e6bb20630d5fb072e6bb2063'), '00000000');
  });
});
