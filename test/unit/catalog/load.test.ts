import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { defaultCatalog, loadCatalog, serviceForFile, serviceMatcher } from '../../../src/core/catalog/load';
import { fixture, repoRoot } from '../helpers';

describe('loadCatalog: reading a valid catalog', () => {
  it('reads the example of the issue as written', () => {
    const catalog = loadCatalog(fixture('catalog', 'issue-example.yaml'), 'oncall.yaml');
    assert.deepEqual(catalog.problems, []);
    assert.equal(catalog.source, 'file');
    assert.deepEqual(catalog.services, [
      {
        name: 'checkout',
        paths: ['services/checkout/**'],
        team: 'payments',
        runbooks: ['runbooks/checkout'],
        dashboards: [{ title: 'Checkout', url: 'https://grafana.example/d/abc' }],
        traces: 'jaeger-prod',
        metrics: { prometheus: 'prom-prod', exemplars: 'http_server_duration_seconds_bucket{service="checkout"}' },
        deploys: [{ kind: 'git', options: { tags: 'checkout-v*' }, line: 10 }],
        line: 2,
      },
    ]);
    assert.deepEqual(catalog.runbookFolders, ['runbooks', 'runbooks/checkout']);
    assert.ok(Object.isFrozen(catalog.services[0]));
  });

  it('reads every key, every deploy kind, and normalizes folders', () => {
    const catalog = loadCatalog(fixture('catalog', 'every-kind.yaml'), 'oncall.yaml', { knownBackends: ['jaeger-prod'], knownPrometheus: ['prom-prod'] });
    assert.deepEqual(catalog.problems, []);
    const [checkout, pricing] = catalog.services;
    assert.equal(checkout?.description, 'Takes the order');
    assert.equal(checkout?.tier, '1');
    assert.equal(pricing?.tier, 'critical');
    assert.equal(checkout?.escalation, '#storefront-oncall');
    assert.deepEqual(checkout?.paths, ['services/checkout/**', '!services/checkout/test/**']);
    assert.deepEqual(checkout?.dashboards, [
      { title: 'Checkout RED', url: 'https://grafana.example.com/d/checkout' },
      { title: 'grafana.example.com/d/slo', url: 'https://grafana.example.com/d/slo' },
    ]);
    assert.deepEqual(
      checkout?.deploys.map((d) => [d.kind, d.options, d.line]),
      [
        ['git', { tags: 'checkout-v*' }, 23],
        ['git', { branch: 'main' }, 25],
        ['github', { repo: 'acme/shop', environment: 'production' }, 27],
        ['argocd', { server: 'https://argocd.example.com', app: 'checkout-prod' }, 30],
        ['http', { url: 'https://deploys.example.com/api/deploys?service=checkout', mapping: { version: 'tag', time: 'deployed_at', commit: 'sha', environment: 'env', actor: 'user', status: 'state' } }, 33],
        ['file', { path: 'deploys/checkout.jsonl' }, 36],
      ],
    );
    assert.deepEqual(pricing?.runbooks, []);
    assert.deepEqual(catalog.runbookFolders, ['runbooks', 'docs/runbooks', 'runbooks/checkout']);
  });

  it('takes anchors, aliases and merge keys', () => {
    const text = [
      'defaults: &d',
      '  team: shop',
      'services:',
      '  - <<: *d',
      '    name: a',
      '    paths: &p ["a/**"]',
      '  - { <<: *d, name: b, paths: *p }',
    ].join('\n');
    const catalog = loadCatalog(text, 'oncall.yaml');
    assert.deepEqual(catalog.services.map((s) => [s.name, s.team, s.paths]), [['a', 'shop', ['a/**']], ['b', 'shop', ['a/**']]]);
    assert.deepEqual(catalog.problems.map((p) => [p.code, p.line, p.column]), [['unknown-key', 1, 1]]);
  });

  it('uses the top-level runbooks as given, and "." for the workspace folder itself', () => {
    assert.deepEqual(loadCatalog('runbooks: []\nservices: [{ name: a, runbooks: [ops] }]', 'oncall.yaml').runbookFolders, ['ops']);
    assert.deepEqual(loadCatalog('runbooks: ["./", ops/, ops]', 'oncall.yaml').runbookFolders, ['.', 'ops']);
  });
});

describe('defaultCatalog and the fallback for a file without services', () => {
  it('is one service named after the folder that owns every file, with runbooks in runbooks/', () => {
    const catalog = defaultCatalog('shop');
    assert.deepEqual(catalog, {
      source: 'default',
      services: [{ name: 'shop', paths: ['**'], runbooks: ['runbooks'], dashboards: [], deploys: [] }],
      runbookFolders: ['runbooks'],
      problems: [],
    });
    assert.equal(serviceForFile(catalog, 'src/main.ts')?.name, 'shop');
    assert.equal(serviceForFile(catalog, '.github/workflows/ci.yml')?.name, 'shop');
  });

  it('falls back to the folder service when the file names none, but keeps source "file" and the problems', () => {
    const broken = loadCatalog('services: [', 'oncall.yaml', { folderName: 'shop' });
    assert.equal(broken.source, 'file');
    assert.deepEqual(broken.services.map((s) => s.name), ['shop']);
    assert.equal(broken.problems.length, 1);
    assert.deepEqual(loadCatalog('runbooks: [ops]\n', 'oncall.yaml', { folderName: 'shop' }).services.map((s) => s.name), ['shop']);
    assert.deepEqual(loadCatalog('services: []\n', 'oncall.yaml', { folderName: 'shop' }).services, []);
    assert.deepEqual(loadCatalog('services: []\n', 'oncall.yaml').services, []);
    assert.deepEqual(loadCatalog('services: [', 'oncall.yaml').services, []);
  });
});

describe('serviceForFile', () => {
  const catalog = loadCatalog(
    [
      'services:',
      '  - { name: monolith, paths: ["**"] }',
      '  - { name: services, paths: ["services/**"] }',
      '  - { name: checkout, paths: ["services/checkout/**", "!services/checkout/vendor/**"] }',
      '  - { name: checkout-api, paths: ["services/checkout/src/api/*.ts"] }',
      '  - { name: handler, paths: ["services/checkout/src/api/handler.ts"] }',
      '  - { name: docs, paths: ["**/*.md"] }',
      '  - { name: nothing }',
      '  - { name: first, paths: ["lib/**"] }',
      '  - { name: second, paths: ["lib/**"] }',
    ].join('\n'),
    'oncall.yaml',
  );
  const owner = (p: string): string | undefined => serviceForFile(catalog, p)?.name;

  it('picks the glob with the longest literal prefix', () => {
    assert.deepEqual(catalog.problems, []);
    assert.equal(owner('README'), 'monolith');
    assert.equal(owner('services/shared/util.ts'), 'services');
    assert.equal(owner('services/checkout/src/main.ts'), 'checkout');
    assert.equal(owner('services/checkout/src/api/routes.ts'), 'checkout-api');
    assert.equal(owner('services/checkout/src/api/handler.ts'), 'handler');
    assert.equal(owner('services/checkout/README.md'), 'checkout');
  });

  it('breaks ties by literal characters, then by order; honours exclusions; normalizes the path', () => {
    assert.equal(owner('docs/intro.md'), 'docs', '"**/*.md" has more literal characters than "**"');
    assert.equal(owner('lib/x.ts'), 'first');
    assert.equal(owner('services/checkout/vendor/lib.js'), 'services');
    assert.equal(owner('./services/checkout/src/main.ts'), 'checkout');
    assert.equal(owner('services\\checkout\\src\\main.ts'), 'checkout');
    assert.equal(serviceForFile(loadCatalog('services: [{ name: a, paths: ["a/**"] }]', 'x'), 'b/c.ts'), undefined);
  });

  it('serviceMatcher applies exclusions, unlike picomatch over the list', () => {
    const checkout = catalog.services.find((s) => s.name === 'checkout');
    assert.ok(checkout);
    const match = serviceMatcher(checkout);
    assert.equal(match('services/checkout/a.ts'), true);
    assert.equal(match('services/checkout/vendor/a.ts'), false);
    assert.equal(match('other/a.ts'), false);
    assert.equal(picomatch([...checkout.paths])('other/a.ts'), true, 'why serviceMatcher exists');
  });
});

describe('the demo catalog (demo/oncall.yaml)', () => {
  const demo = path.join(repoRoot, 'demo');
  const catalog = loadCatalog(fs.readFileSync(path.join(demo, 'oncall.yaml'), 'utf8'), 'oncall.yaml');

  it('is valid and names the three services of the demo', () => {
    assert.deepEqual(catalog.problems, []);
    assert.deepEqual(catalog.services.map((s) => s.name), ['checkout-service', 'pricing-service', 'payments-service']);
    for (const s of catalog.services) {
      assert.ok(s.team && s.dashboards.length > 0 && s.metrics?.exemplars, s.name);
      assert.match(s.metrics?.exemplars ?? '', new RegExp(`job="${s.name}"`));
    }
  });

  it('owns the demo sources, and its runbook folders exist and hold runbooks', () => {
    for (const s of catalog.services) {
      const src = path.join(demo, 'services', s.name, 'src');
      for (const f of fs.readdirSync(src)) assert.equal(serviceForFile(catalog, `services/${s.name}/src/${f}`)?.name, s.name);
    }
    assert.deepEqual(catalog.runbookFolders, ['runbooks', 'runbooks/checkout-service', 'runbooks/pricing-service', 'runbooks/payments-service']);
    for (const folder of catalog.services.flatMap((s) => s.runbooks)) assert.ok(fs.readdirSync(path.join(demo, folder)).some((f) => f.endsWith('.md')), folder);
  });

  it("runbooks' code links point at lines that exist, and code globs at real files", () => {
    for (const folder of catalog.services.flatMap((s) => s.runbooks)) {
      for (const file of fs.readdirSync(path.join(demo, folder))) {
        const text = fs.readFileSync(path.join(demo, folder, file), 'utf8');
        for (const m of text.matchAll(/\]\((services\/[^):]+):(\d+)\)/g)) {
          const lines = fs.readFileSync(path.join(demo, m[1] as string), 'utf8').split('\n');
          assert.ok(Number(m[2]) <= lines.length && (lines[Number(m[2]) - 1] ?? '').trim() !== '', `${file}: ${m[1]}:${m[2]} is blank or past the end`);
        }
        for (const m of text.matchAll(/^ {2}- (services\/\S+)$/gm)) assert.ok(fs.existsSync(path.join(demo, m[1] as string)), `${file}: ${m[1]}`);
      }
    }
  });
});
