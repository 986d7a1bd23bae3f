import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCatalog } from '../../../src/core/catalog/load';
import type { DeploySourceConfig, ServiceEntry } from '../../../src/core/catalog/model';
import type { Deploy, DeploySourceResult } from '../../../src/core/deploys/model';
import { mergeDeployResults, readDeploySources, sourceKey } from '../../../src/core/deploys/sources';
import type { LoopbackServer } from '../../contract/deployServers';
import { argoApplication, startArgocdServer, startFeedServer, startGithubServer } from '../../contract/deployServers';

function service(yaml: string): ServiceEntry {
  const c = loadCatalog(yaml, 'oncall.yaml');
  assert.deepEqual(c.problems, [], 'the catalog is valid');
  return c.services[0] as ServiceEntry;
}
const cfg = (kind: DeploySourceConfig['kind'], options: Record<string, unknown>): DeploySourceConfig => ({ kind, options, line: 1 });
const deploy = (over: Partial<Deploy> & Pick<Deploy, 'id' | 'time'>): Deploy => ({ service: 's', source: 'file', kind: 'deploy', version: over.id, status: 'success', ...over });

describe('deploys: readDeploySources (every source of a service, merged)', () => {
  const servers: LoopbackServer[] = [];
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-sources-'));
    fs.writeFileSync(
      path.join(root, 'deploys.jsonl'),
      [
        '{"service":"checkout","version":"flag on","time":"2026-11-22T18:05:00Z","kind":"flag"}',
        '{"service":"pricing","version":"4.18.2","time":"2026-11-22T19:00:00Z"}',
        'broken line',
      ].join('\n'),
    );
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('runs github, argocd, http, file and the injected git source; merges newest first; problems name their source', async () => {
    const gh = await startGithubServer({ repos: { 'acme/shop': { id: 1, deployments: [{ id: 5, sha: 'a'.repeat(40), ref: 'v1.0.0', environment: 'production', created_at: '2026-11-20T10:00:00Z', creator: 'ana', statuses: [{ state: 'success', created_at: '2026-11-20T10:01:00Z' }] }] } }, token: 'gh' });
    const argo = await startArgocdServer({ apps: { 'checkout-prod': argoApplication('checkout-prod', [{ id: 1, revision: 'b'.repeat(40), deployedAt: '2026-11-21T10:00:00Z' }]) }, token: 'argo' });
    const feed = await startFeedServer({ routes: { '/changes': { changes: [{ what: 'ttl=300', at: '2026-11-22T09:00:00Z' }] } } });
    servers.push(gh, argo, feed);
    const svc = service(`services:
  - name: checkout
    deploys:
      - { kind: github, repo: acme/shop, api: "${gh.url}", environment: production, releases: false }
      - { kind: argocd, server: "${argo.url}", app: checkout-prod }
      - { kind: http, url: "${feed.url}/changes", items: changes, changeKind: config, mapping: { version: what, time: at } }
      - { kind: file, path: deploys.jsonl }
      - { kind: git, tags: "checkout-v*" }
      - { kind: github, repo: acme/missing, api: "${gh.url}" }
`);
    const asked: string[] = [];
    const tokens: Record<string, string> = { 'github:127.0.0.1/acme/shop': 'gh', 'argocd:127.0.0.1/checkout-prod': 'argo' };
    const gitCalls: Array<[DeploySourceConfig, string]> = [];
    const r = await readDeploySources(svc, {
      root,
      http: { timeoutMs: 5000 },
      token: async (key) => {
        asked.push(key);
        return tokens[key.replace(/:\d+\//, '/')];
      },
      git: async (c, s) => {
        gitCalls.push([c, s.name]);
        return { deploys: [deploy({ id: 'git:checkout-v0.9', time: '2026-11-19T10:00:00Z', source: 'git', service: 'checkout', commit: 'c'.repeat(40) })], problems: [] };
      },
    });
    assert.deepEqual(
      r.deploys.map((d) => [d.source, d.kind, d.time.slice(0, 16)]),
      [
        ['file', 'flag', '2026-11-22T18:05'],
        ['http', 'config', '2026-11-22T09:00'],
        ['argocd', 'deploy', '2026-11-21T10:00'],
        ['github', 'deploy', '2026-11-20T10:01'],
        ['git', 'deploy', '2026-11-19T10:00'],
      ],
    );
    assert.equal(r.deploys.find((d) => d.source === 'argocd')?.previousCommit, 'c'.repeat(40), 'linked across sources: the git deploy before it, also without environment');
    assert.equal(r.deploys.find((d) => d.source === 'github')?.previousCommit, undefined, 'production has no deploy before');
    assert.deepEqual(gitCalls.map(([c, n]) => [c.options['tags'], n]), [['checkout-v*', 'checkout']]);
    assert.deepEqual(asked.map((k) => k.replace(/:\d{4,5}\b/, ':PORT')).sort(), ['argocd:127.0.0.1:PORT/checkout-prod', 'github:127.0.0.1:PORT/acme/missing', 'github:127.0.0.1:PORT/acme/shop', 'http:http://127.0.0.1:PORT'].sort());
    assert.deepEqual(r.problems.map((p) => [p.code, p.source?.replace(/:\d{4,5}\b/, ':PORT')]), [
      ['malformed', 'file:deploys.jsonl'],
      ['not-found', 'github:127.0.0.1:PORT/acme/missing'],
    ]);
    assert.match(r.problems[0]?.message ?? '', /^deploys\.jsonl:3: skipped/);
    assert.match(r.problems[1]?.message ?? '', /^Repository acme\/missing was not found/);
  });

  it('never throws: a failing token store, a throwing git source, no git source, a cancelled read', async () => {
    const svc = service(`services:
  - name: checkout
    deploys:
      - { kind: github, repo: acme/shop, api: "http://127.0.0.1:1" }
      - { kind: git, branch: main }
      - { kind: file, path: deploys.jsonl }
`);
    const r = await readDeploySources(svc, {
      root,
      http: { timeoutMs: 2000 },
      token: () => Promise.reject(new Error('keychain locked')),
      git: () => Promise.reject(new Error('git exploded')),
    });
    assert.equal(r.deploys.length, 1, 'the file source still counts');
    assert.deepEqual(r.problems.map((p) => p.code), ['credentials', 'internal', 'malformed']);
    assert.match(r.problems[0]?.message ?? '', /^GitHub acme\/shop: its stored token could not be read \(keychain locked\)/);
    assert.match(r.problems[1]?.message ?? '', /^git branch main: git exploded/);

    const noGit = await readDeploySources(svc, { root, http: {} });
    const g = noGit.problems.find((p) => p.source === 'git:main');
    assert.equal(g?.severity, 'warning');
    assert.match(g?.message ?? '', /git branch main \(oncall\.yaml line 5\) was not read: the git source is not available here/);

    const ac = new AbortController();
    ac.abort();
    const cancelled = await readDeploySources(svc, { root, http: {}, signal: ac.signal });
    assert.deepEqual(cancelled.problems.map((p) => p.code).sort(), ['cancelled', 'cancelled', 'not-available']);
  });

  it('builds request options only for network sources; options that fail (a bad CA file) stop only those', async () => {
    const both = service(`services:
  - name: checkout
    deploys:
      - { kind: github, repo: acme/shop, api: "http://127.0.0.1:1" }
      - { kind: file, path: deploys.jsonl }
`);
    let built = 0;
    const badCa = (): Promise<never> => {
      built++;
      return Promise.reject(new Error('The CA file of the setting oncall.http.caFile (/etc/ca.txt) could not be used: it holds no PEM certificate'));
    };
    const r = await readDeploySources(both, { root, http: badCa });
    assert.equal(r.deploys.length, 1, 'the file source is read');
    assert.deepEqual(r.problems.map((p) => [p.code, p.source]), [['http-options', 'github:127.0.0.1:1/acme/shop'], ['malformed', 'file:deploys.jsonl']]);
    assert.match(r.problems[0]?.message ?? '', /^GitHub acme\/shop \(oncall\.yaml line 4\) was not read: The CA file of the setting oncall\.http\.caFile \(\/etc\/ca\.txt\)/);
    assert.equal(built, 1);

    const fileOnly = service(`services:
  - name: checkout
    deploys:
      - { kind: file, path: deploys.jsonl }
`);
    built = 0;
    const f = await readDeploySources(fileOnly, { root, http: badCa });
    assert.equal(f.deploys.length, 1);
    assert.equal(built, 0, 'no network source, no request options (and no CA file read)');
  });

  it('merging: newest first, duplicates by id dropped (first source wins), since applied, previousCommit per environment', () => {
    const a: DeploySourceResult = { deploys: [deploy({ id: 'x', time: '2026-11-20T10:00:00.000Z', description: 'from a', commit: '1111111', environment: 'prod' }), deploy({ id: 'old', time: '2026-11-01T00:00:00.000Z' })], problems: [{ severity: 'warning', message: 'a' }] };
    const b: DeploySourceResult = {
      deploys: [
        deploy({ id: 'x', time: '2026-11-20T10:00:00.000Z', description: 'from b' }),
        deploy({ id: 'y', time: '2026-11-21T10:00:00.000Z', commit: '2222222', environment: 'prod' }),
        deploy({ id: 'z', time: '2026-11-21T10:00:00.000Z', commit: '3333333', environment: 'staging' }),
        deploy({ id: 'w', time: '2026-11-22T10:00:00.000Z', commit: '4444444', environment: 'prod', status: 'failure' }),
      ],
      problems: [{ severity: 'error', message: 'b' }],
    };
    const m = mergeDeployResults([a, b], new Date('2026-11-10T00:00:00Z'));
    assert.deepEqual(m.deploys.map((d) => d.id), ['w', 'y', 'z', 'x']);
    assert.equal(m.deploys.find((d) => d.id === 'x')?.description, 'from a');
    assert.equal(m.deploys.find((d) => d.id === 'y')?.previousCommit, '1111111');
    assert.equal(m.deploys.find((d) => d.id === 'z')?.previousCommit, undefined, 'another environment');
    assert.equal(m.deploys.find((d) => d.id === 'w')?.previousCommit, undefined, 'only successful deploys are linked');
    assert.deepEqual(m.problems.map((p) => p.message), ['a', 'b']);
  });

  it('sourceKey: the credential key of each kind', () => {
    assert.equal(sourceKey(cfg('github', { repo: 'acme/shop' })), 'github:acme/shop');
    assert.equal(sourceKey(cfg('github', { repo: 'acme/shop', api: 'https://api.github.com/' })), 'github:acme/shop');
    assert.equal(sourceKey(cfg('github', { repo: 'acme/shop', api: 'https://ghe.example.com/api/v3' })), 'github:ghe.example.com/acme/shop');
    assert.equal(sourceKey(cfg('argocd', { server: 'https://argocd.example.com/', app: 'checkout-prod' })), 'argocd:argocd.example.com/checkout-prod');
    assert.equal(sourceKey(cfg('argocd', { server: 'https://example.com/argo', app: 'a' })), 'argocd:example.com/argo/a');
    assert.equal(sourceKey(cfg('http', { url: 'https://user:pw@deploys.example.com/api?x=1', mapping: {} })), 'http:https://deploys.example.com');
    assert.equal(sourceKey(cfg('file', { path: 'deploys.jsonl' })), 'file:deploys.jsonl');
    assert.equal(sourceKey(cfg('git', { tags: 'checkout-v*' })), 'git:checkout-v*');
  });

  it('the catalog validates the new keys (api, deployments, releases, items, changeKind, mapping.kind …)', () => {
    const ok = loadCatalog(`services:
  - name: a
    deploys:
      - { kind: github, repo: acme/shop, api: "https://ghe.example.com/api/v3", deployments: true, releases: false }
      - { kind: http, url: "https://d.example.com", items: data.list, changeKind: flag, mapping: { version: v, time: t, kind: k, service: s, description: d, url: u, id: i } }
`, 'oncall.yaml');
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.services[0]?.deploys[0]?.options, { repo: 'acme/shop', api: 'https://ghe.example.com/api/v3', deployments: true, releases: false });
    const bad = loadCatalog(`services:
  - name: a
    deploys:
      - { kind: github, repo: acme/shop, releases: "yes", api: "ghe.example.com" }
      - { kind: http, url: "https://d", changeKind: flags, mapping: { version: v, time: t } }
      - { kind: github, repo: acme/shop, deployments: false, releases: false }
      - { kind: file, path: x.jsonl, items: y }
`, 'oncall.yaml');
    assert.deepEqual(bad.problems.map((p) => [p.code, p.severity]), [
      ['wrong-type', 'error'],
      ['invalid-url', 'error'],
      ['invalid-value', 'error'],
      ['reads-nothing', 'warning'],
      ['unknown-key', 'warning'],
    ]);
    assert.match(bad.problems[2]?.message ?? '', /expected one of deploy, config, flag, got "flags"; did you mean "flag"\?/);
  });
});
