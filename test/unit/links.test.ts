import * as assert from 'node:assert/strict';
import { parseTraceUri, traceLink } from '../../src/core/traces/links';
import { noIcons } from '../../src/core/util/text';

describe('links into VS Code (vscode://oncall-lens.oncall-lens/trace/<id>)', () => {
  it('reads the trace ID from the path, and the backend from the query', () => {
    assert.deepEqual(parseTraceUri({ path: '/trace/4BF92F3577B34DA6A3CE929D0E0E4736', query: 'backend=tempo-prod' }), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', source: 'tempo-prod' });
    assert.deepEqual(parseTraceUri({ path: '/trace/a3ce929d0e0e4736/', query: '' }), { traceId: '0000000000000000a3ce929d0e0e4736' });
    assert.deepEqual(parseTraceUri({ path: '/trace', query: 'id=4bf92f3577b34da6a3ce929d0e0e4736' }), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });

  it('accepts a traceparent but never a URL (a link must not name a host to fetch)', () => {
    const tp = parseTraceUri({ path: `/trace/${encodeURIComponent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')}`, query: '' });
    assert.deepEqual(tp, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    const url = parseTraceUri({ path: '/trace', query: `id=${encodeURIComponent('http://evil.example/api/traces/4bf92f3577b34da6a3ce929d0e0e4736')}` });
    assert.ok('error' in url, JSON.stringify(url));
  });

  it('explains what is wrong with a bad link instead of throwing', () => {
    for (const [path, query, want] of [
      ['/open/abc', '', /does not know the link path/],
      ['/trace/xyz', '', /not a trace ID/],
      ['/trace/%E0%A4%A', '', /not properly encoded/],
      ['/trace', '', /not a trace ID/],
    ] as const) {
      const r = parseTraceUri({ path, query });
      assert.ok('error' in r, `${path}?${query} → ${JSON.stringify(r)}`);
      assert.match(r.error, want);
    }
  });

  it('builds the link that Grafana data links and alerts can use, and reads it back', () => {
    const link = traceLink('4bf92f3577b34da6a3ce929d0e0e4736', 'jaeger prod', 'vscode');
    assert.equal(link, 'vscode://oncall-lens.oncall-lens/trace/4bf92f3577b34da6a3ce929d0e0e4736?backend=jaeger%20prod');
    const u = new URL(link);
    assert.deepEqual(parseTraceUri({ path: u.pathname, query: u.search.slice(1) }), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', source: 'jaeger prod' });
  });
});

describe('noIcons (trace text in quick picks)', () => {
  it('keeps `$(name)` in data from rendering as a codicon, and leaves other text alone', () => {
    assert.equal(noIcons('$(loading~spin) GET /x'), '$\u200d(loading~spin) GET /x');
    assert.equal(noIcons('cost $5 (approx)'), 'cost $5 (approx)');
    assert.ok(!/\$\(/.test(noIcons('a $( b $(c)')));
  });
});
