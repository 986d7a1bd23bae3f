// The waterfall's host-side filter: query parsing and matching (src/core/traces/search.ts).
import * as assert from 'node:assert/strict';
import type { SpanDetails, WaterfallRow } from '../../src/shared/protocol/waterfall';
import { SearchIndex, matchRows, parseDurationUs, parseQuery, searchText, tokenize } from '../../src/core/traces/search';

function row(id: string, parent: number, extra: Partial<WaterfallRow> = {}): WaterfallRow {
  return { id, parent, depth: parent < 0 ? 0 : 1, name: id, service: 'svc', serviceIndex: 0, kind: 'internal', startUs: 0, durationUs: 1000, selfUs: 1000, descendants: 0, error: false, status: 'unset', critical: [], hasCode: false, ...extra };
}
const none: SpanDetails = { attributes: [], resource: [], events: [], links: [] };

const rows: WaterfallRow[] = [
  row('a1', -1, { name: 'POST /checkout', service: 'checkout', durationUs: 1_900_000, selfUs: 5_000, descendants: 4, critical: [[0, 10]] }),
  row('b2', 0, { name: 'fetchCatalog', service: 'pricing', durationUs: 1_100_000, selfUs: 600_000, critical: [[10, 20]] }),
  row('c3', 0, { name: 'fetchCatalogCached', service: 'pricing-cache', durationUs: 2_000, selfUs: 2_000 }),
  row('d4', 0, { name: 'chargeCard', service: 'checkout', durationUs: 250_000, selfUs: 250_000, error: true, status: 'error', statusMessage: 'PaymentTimeout' }),
  row('e5', 0, { name: 'audit.write', service: 'checkout', durationUs: 3_000, selfUs: 1_000, status: 'ok' }),
  row('missing:ff', -1, { name: 'missing parent ff', service: '', missingParent: true, status: '' }),
];
const details: SpanDetails[] = [
  { ...none, attributes: [['http.response.status_code', '500']], resource: [['service.name', 'checkout']] },
  { ...none, attributes: [['db.system.name', 'postgresql'], ['catalog.region', 'eu-west-1']] },
  { ...none, attributes: [['cache.hit', 'true']] },
  { ...none, attributes: [['http.response.status_code', '504']], events: [{ name: 'exception', offsetUs: 0, attributes: [], exception: { type: 'GatewayTimeout', message: 'gateway did not answer', stack: [] } }] },
  { ...none, code: { function: 'Audit.write', path: '/srv/audit.ts' } },
  none,
];
const index = new SearchIndex(rows, details);
const find = (q: string): number[] => index.search(q).matches;

describe('search: query parsing', () => {
  it('tokenizes at whitespace outside quotes', () => {
    assert.deepEqual(tokenize('  service:"pricing cache"  op:x  "two words" '), ['service:"pricing cache"', 'op:x', '"two words"']);
  });

  it('reads durations with units (a bare number is ms)', () => {
    assert.equal(parseDurationUs('250ms'), 250_000);
    assert.equal(parseDurationUs('1.5s'), 1_500_000);
    assert.equal(parseDurationUs('800us'), 800);
    assert.equal(parseDurationUs('800µs'), 800);
    assert.equal(parseDurationUs('2m'), 120_000_000);
    assert.equal(parseDurationUs('40'), 40_000);
    assert.equal(parseDurationUs('abc'), undefined);
    assert.equal(parseDurationUs('5 parsecs'), undefined);
  });

  it('parses fields, negation, comparisons and free text; unknown prefixes stay text', () => {
    const q = parseQuery('service:pricing op:"fetchCatalog" -status:ok is:error dur>=250ms self<1s status_code=504 has:cache.hit http://x checkout');
    assert.deepEqual(q.problems, []);
    assert.deepEqual(q.terms, [
      { kind: 'service', value: 'pricing', exact: false, negate: false },
      { kind: 'op', value: 'fetchcatalog', exact: true, negate: false },
      { kind: 'status', value: 'ok', negate: true },
      { kind: 'is', value: 'error', negate: false },
      { kind: 'duration', cmp: '>=', us: 250_000, negate: false },
      { kind: 'self', cmp: '<', us: 1_000_000, negate: false },
      { kind: 'attr', text: 'status_code=504', negate: false },
      { kind: 'has', key: 'cache.hit', negate: false },
      { kind: 'text', text: 'http://x', negate: false },
      { kind: 'text', text: 'checkout', negate: false },
    ]);
  });

  it('reports terms it cannot read, and ignores them', () => {
    const q = parseQuery('dur>=abc status:maybe is:slow checkout');
    assert.equal(q.problems.length, 3);
    assert.match(q.problems[0] ?? '', /dur>=abc.*not a duration/);
    assert.deepEqual(q.terms, [{ kind: 'text', text: 'checkout', negate: false }]);
  });
});

describe('search: matching rows', () => {
  it('free text: every term is a substring of the search text (as before)', () => {
    assert.deepEqual(find('checkout'), [0, 3, 4]);
    assert.deepEqual(find('CHECKOUT post'), [0]);
    assert.deepEqual(find('gatewaytimeout'), [3]);
    assert.deepEqual(find('audit.write /srv/audit'), [4]);
    assert.deepEqual(find('   '), []);
  });

  it('service: and op: are substrings; quoted, exact', () => {
    assert.deepEqual(find('service:pricing'), [1, 2]);
    assert.deepEqual(find('service:"pricing"'), [1]);
    assert.deepEqual(find('op:fetchcatalog'), [1, 2]);
    assert.deepEqual(find('op:"fetchCatalog"'), [1]);
    assert.deepEqual(find('svc:checkout name:write'), [4]);
  });

  it('status:, is:, and negation', () => {
    assert.deepEqual(find('status:error'), [3]);
    assert.deepEqual(find('is:error'), [3]);
    assert.deepEqual(find('status:ok'), [4]);
    assert.deepEqual(find('status:unset'), [0, 1, 2]);
    assert.deepEqual(find('is:critical'), [0, 1]);
    assert.deepEqual(find('is:root'), [0]);
    assert.deepEqual(find('service:checkout -is:error'), [0, 4]);
    assert.deepEqual(find('-service:checkout -missing'), [1, 2]);
  });

  it('duration and self-time comparisons (the missing-parent group is not a span)', () => {
    assert.deepEqual(find('dur>=250ms'), [0, 1, 3]);
    assert.deepEqual(find('dur>1s'), [0, 1]);
    assert.deepEqual(find('dur<3ms'), [2]);
    assert.deepEqual(find('dur<=3ms'), [2, 4]);
    assert.deepEqual(find('self>=250ms'), [1, 3]);
    assert.deepEqual(find('dur=2ms'), [2]);
  });

  it('key=value matches attribute and resource lines only; has:key needs the key', () => {
    assert.deepEqual(find('status_code=504'), [3]);
    assert.deepEqual(find('http.response.status_code=5'), [0, 3]);
    assert.deepEqual(find('service.name=checkout'), [0]);
    assert.deepEqual(find('db.system.name=postgresql'), [1]);
    assert.deepEqual(find('has:cache.hit'), [2]);
    assert.deepEqual(find('has:cache'), [], 'has: names a whole key');
    assert.deepEqual(find('"status_code=504"'), [3], 'quoted: plain text');
  });

  it('combines terms (AND) and reports highlights and problems', () => {
    const r = index.search('service:checkout dur>=200ms charge -op:audit dur>=x');
    assert.deepEqual(r.matches, [3]);
    assert.deepEqual(r.highlight, { name: ['charge'], service: ['checkout', 'charge'] });
    assert.equal(r.problems.length, 1);
    assert.deepEqual(index.search('op:fetch service:pricing').highlight, { name: ['fetch'], service: ['pricing'] });
  });

  it('searchText and the plain matcher are unchanged', () => {
    const texts = rows.map((r, i) => searchText(r, details[i]));
    assert.ok(texts[0]?.includes('http.response.status_code=500'));
    assert.ok(texts[0]?.includes('service.name=checkout'));
    assert.deepEqual(matchRows(texts, 'catalog eu-west'), [1]);
    assert.deepEqual(matchRows(texts, ''), []);
  });

  it('indexes and searches 100k rows (speed: npm run bench / the webview harness)', () => {
    const big: WaterfallRow[] = [];
    const bigDetails: SpanDetails[] = [];
    for (let i = 0; i < 100_000; i++) {
      big.push(row(`r${i}`, i === 0 ? -1 : 0, { name: `op ${i % 50}`, service: `svc-${i % 14}`, durationUs: i * 10 }));
      bigDetails.push({ ...none, attributes: [['item.id', String(i)], ['http.route', '/items/:id']] });
    }
    const ix = new SearchIndex(big, bigDetails);
    const r = ix.search('service:svc-3 dur>=500ms item.id=9');
    // svc-3 is every 14th row; durations ≥ 500 ms are rows ≥ 50 000; `item.id=9` is in the line `item.id=9…`.
    const want = big.map((_, i) => i).filter((i) => i % 14 === 3 && i * 10 >= 500_000 && String(i).startsWith('9'));
    assert.ok(want.length > 100);
    assert.deepEqual(r.matches, want);
  });
});
