import * as assert from 'node:assert/strict';
import { codeRefOf, hasCodeOrRoute, parseStackTrace, routeRefOf } from '../../src/core/traces/codeRef';
import type { Attribute } from '../../src/core/traces/model';
import { bestSuffixMatch } from '../../src/core/traces/pathMatch';
import { readTraceText } from '../../src/core/traces/readTrace';
import { attr } from '../../src/core/traces/model';
import { fixture } from './helpers';

describe('codeRefOf', () => {
  it('reads the current code.* attributes (from the OTel SDK fixture)', () => {
    const r = readTraceText(fixture('producers', 'otlp-json-from-otel-js-sdk.json'));
    assert.ok(r.ok);
    const load = r.traces[0]?.spans.find((s) => s.name === 'loadUser');
    assert.deepEqual(codeRefOf(load?.attributes ?? []), { path: '/srv/app/src/userRepo.ts', line: 42, column: 7, function: 'UserRepo.load' });
  });

  it('reads the pre-1.30 names and joins code.namespace + code.function', () => {
    const ref = codeRefOf([
      { key: 'code.filepath', value: 'app/cart.py' },
      { key: 'code.lineno', value: '17' },
      { key: 'code.function', value: 'checkout' },
      { key: 'code.namespace', value: 'app.cart.Cart' },
    ]);
    assert.deepEqual(ref, { path: 'app/cart.py', line: 17, function: 'app.cart.Cart.checkout' });
  });

  it('ignores nonsense line numbers and returns undefined without code attributes', () => {
    assert.deepEqual(codeRefOf([{ key: 'code.file.path', value: 'x.go' }, { key: 'code.line.number', value: -3 }]), { path: 'x.go' });
    assert.equal(codeRefOf([{ key: 'http.route', value: '/x' }]), undefined);
  });
});

describe('parseStackTrace', () => {
  it('finds frames in a V8 stack from the OTel SDK fixture and skips node internals', () => {
    const r = readTraceText(fixture('producers', 'otlp-json-from-otel-js-sdk.json'));
    assert.ok(r.ok);
    const ev = r.traces[0]?.spans.find((s) => s.name === 'loadUser')?.events[0];
    const lines = parseStackTrace(String(attr(ev?.attributes ?? [], 'exception.stacktrace')));
    assert.equal(lines[0]?.text, 'TypeError: user is undefined');
    assert.equal(lines[0]?.frame, undefined);
    assert.deepEqual(lines[1]?.frame, { path: '/srv/app/gen.js', line: 10, column: 15 });
    assert.deepEqual(lines[2]?.frame, { path: '/srv/app/node_modules/@opentelemetry/api/build/src/context/NoopContextManager.js', line: 14, column: 19 });
    const internal = lines.find((l) => l.text.includes('node:internal'));
    assert.ok(internal && internal.frame === undefined);
  });

  const cases: [string, string, { path: string; line: number; column?: number }][] = [
    ['Python', '  File "/app/pricing/cache.py", line 88, in get_prices', { path: '/app/pricing/cache.py', line: 88 }],
    ['Java', '\tat com.shop.pricing.CatalogRepo.fetchCatalog(CatalogRepo.java:57)', { path: 'CatalogRepo.java', line: 57 }],
    ['Go', '\t/build/pricing/internal/cache/cache.go:123 +0x1d', { path: '/build/pricing/internal/cache/cache.go', line: 123 }],
    ['.NET', '   at Shop.Pricing.Catalog.Fetch() in C:\\build\\src\\Pricing\\Catalog.cs:line 42', { path: 'C:\\build\\src\\Pricing\\Catalog.cs', line: 42 }],
    ['PHP', '#0 /var/www/app/Http/Kernel.php(12): handle()', { path: '/var/www/app/Http/Kernel.php', line: 12 }],
    ['Ruby', "/app/models/cart.rb:31:in `total'", { path: '/app/models/cart.rb', line: 31 }],
    ['Rust', '             at ./src/handlers/checkout.rs:77:9', { path: './src/handlers/checkout.rs', line: 77, column: 9 }],
    ['V8 anonymous', '    at /srv/app/src/userRepo.ts:42:7', { path: '/srv/app/src/userRepo.ts', line: 42, column: 7 }],
  ];
  for (const [lang, line, frame] of cases) {
    it(`finds the frame of a ${lang} stack line`, () => {
      assert.deepEqual(parseStackTrace(line)[0]?.frame, frame);
    });
  }

  it('caps very long stack traces', () => {
    const lines = parseStackTrace(Array.from({ length: 1000 }, (_, i) => `    at f${i} (/a/b.js:${i + 1}:1)`).join('\n'));
    assert.equal(lines.length, 201);
    assert.match(lines[200]?.text ?? '', /800 more lines/);
  });
});

describe('bestSuffixMatch', () => {
  const files = ['services/checkout-service/src/checkoutHandler.ts', 'services/pricing-service/src/catalogRepo.ts', 'services/pricing-service/src/index.ts', 'services/checkout-service/src/index.ts', 'tools/catalogRepo.ts'];

  it('resolves a production path by its longest matching suffix', () => {
    const m = bestSuffixMatch('/srv/pricing-service/src/catalogRepo.ts', files);
    assert.deepEqual(m, { path: 'services/pricing-service/src/catalogRepo.ts', score: 3, ties: [] });
  });

  it('handles Windows separators and case differences', () => {
    assert.equal(bestSuffixMatch('C:\\build\\Services\\Checkout-Service\\SRC\\checkoutHandler.ts', files)?.path, 'services/checkout-service/src/checkoutHandler.ts');
  });

  it('reports ties when the suffix cannot decide', () => {
    const m = bestSuffixMatch('/app/src/index.ts', files);
    assert.equal(m?.score, 2);
    assert.equal(m?.ties.length, 1);
  });

  it('returns undefined when no file name matches', () => {
    assert.equal(bestSuffixMatch('/srv/app/src/userRepo.ts', files), undefined);
    assert.equal(bestSuffixMatch('', files), undefined);
  });
});

describe('routeRefOf: the route a span names, to find its handler', () => {
  const a = (o: Record<string, string>): { key: string; value: string }[] => Object.entries(o).map(([key, value]) => ({ key, value }));
  it('reads the route template, the method and the concrete path (current and older names)', () => {
    assert.deepEqual(routeRefOf(a({ 'http.request.method': 'get', 'http.route': '/api/articles/:slug', 'url.path': '/api/articles/how-to' })), { method: 'GET', route: '/api/articles/:slug', path: '/api/articles/how-to' });
    assert.deepEqual(routeRefOf(a({ 'http.method': 'POST', 'http.target': '/api/orders?x=1' })), { method: 'POST', path: '/api/orders' });
    assert.deepEqual(routeRefOf(a({ 'http.request.method': 'GET', 'url.full': 'http://pricing:8080/api/prices?sku=1' })), { method: 'GET', path: '/api/prices' });
  });
  it('reads an RPC as package.Service/Method', () => {
    assert.deepEqual(routeRefOf(a({ 'rpc.system': 'grpc', 'rpc.service': 'shop.v1.ArticleService', 'rpc.method': 'GetArticle' })), { rpc: 'shop.v1.ArticleService/GetArticle' });
  });
  it('is undefined for a span with neither', () => {
    assert.equal(routeRefOf(a({ 'db.system': 'postgresql' })), undefined);
  });
});

describe('hasCodeOrRoute (the row flag of the waterfall list)', () => {
  const keys = ['code.file.path', 'code.filepath', 'code.function.name', 'code.function', 'code.namespace', 'code.lineno', 'rpc.method', 'rpc.service', 'http.route', 'url.path', 'http.target', 'url.full', 'http.url', 'http.method', 'other'];
  const values: Attribute['value'][] = ['', '  ', 'x', '/api/x', 'https://h:8080/p?q=1', 'https://h', 'not a url', 'ftp://x/y', 42, null, true, ['a']];

  it('says what codeRefOf or routeRefOf would find, on 20,000 random attribute lists with repeated keys', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let found = 0;
    for (let i = 0; i < 20_000; i++) {
      const attrs: Attribute[] = Array.from({ length: next(6) }, () => ({ key: keys[next(keys.length)] as string, value: values[next(values.length)] as Attribute['value'] }));
      const expected = codeRefOf(attrs) !== undefined || routeRefOf(attrs) !== undefined;
      if (expected) found++;
      assert.equal(hasCodeOrRoute(attrs), expected, JSON.stringify(attrs));
    }
    assert.ok(found > 5_000 && found < 15_000, `both answers are common (${found} of 20,000 found something)`);
  });

  it('reads url.full before http.url, and the first attribute of a key only, as routeRefOf does', () => {
    const cases: Attribute[][] = [
      [{ key: 'url.full', value: 'not a url' }, { key: 'http.url', value: 'https://h/p' }],
      [{ key: 'http.url', value: 'https://h/p' }, { key: 'url.full', value: 'not a url' }],
      [{ key: 'url.full', value: 'https://h/p' }, { key: 'http.url', value: 'not a url' }],
      [{ key: 'http.route', value: ' ' }, { key: 'http.route', value: '/x' }],
      [{ key: 'rpc.method', value: 'Get' }],
      [{ key: 'rpc.method', value: 'Get' }, { key: 'rpc.service', value: 'pkg.Svc' }],
    ];
    assert.deepEqual(cases.map(hasCodeOrRoute), [false, false, true, false, false, true]);
    for (const c of cases) assert.equal(hasCodeOrRoute(c), codeRefOf(c) !== undefined || routeRefOf(c) !== undefined, JSON.stringify(c));
  });
});
