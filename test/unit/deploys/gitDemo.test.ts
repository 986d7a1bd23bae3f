// scripts/demo-git.mjs: a copy of demo/ made a git repository whose tags the git deploy source reads as each
// service's deploys — files within the service's paths, the rename in payments, PriceCache.warm() traced to the
// pricing deploy that added it, the same versions and times as the demo's deploy log — deterministic for a given
// `now`, shifted with it, and never on demo/ itself or over a repository it did not make.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCatalog, serviceMatcher } from '../../../src/core/catalog/load';
import { GitDeploys } from '../../../src/core/deploys/git';
import type { Deploy } from '../../../src/core/deploys/model';
import { repoRoot } from '../helpers';
import { Repo } from './gitRepos';

interface DemoGit {
  demoNow: string;
  makeDemoHistory(dir: string, options?: { now?: string | Date }): { head: string; tags: string[]; commits: number; skipped: string[] };
}

// TypeScript compiles `import()` to `require()` under CommonJS; this keeps a real ESM import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

describe('demo history (scripts/demo-git.mjs)', () => {
  let demo: DemoGit;
  let tmp: string;
  const copy = (name: string): string => {
    const dir = path.join(tmp, name);
    fs.cpSync(path.join(repoRoot, 'demo'), dir, { recursive: true });
    return dir;
  };
  before(async () => {
    demo = (await importEsm(pathToFileURL(path.join(repoRoot, 'scripts', 'demo-git.mjs')).href)) as DemoGit;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-demo-git-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the git source finds each service\'s tagged deploys, with files in its paths only', async () => {
    const dir = copy('a');
    const made = demo.makeDemoHistory(dir);
    assert.deepEqual(made.skipped, []);
    const catalog = loadCatalog(fs.readFileSync(path.join(dir, 'oncall.yaml'), 'utf8'), 'oncall.yaml');
    const g = new GitDeploys(dir, catalog.services);
    const all = await g.deploys();
    assert.deepEqual(all.problems, []);
    const of = (service: string): Deploy[] => all.deploys.filter((d) => d.service === service);
    assert.deepEqual(of('checkout-service').map((d) => d.version), ['checkout-service-v2.31.0', 'checkout-service-v2.30.0', 'checkout-service-v2.29.4']);
    assert.deepEqual(of('pricing-service').map((d) => d.version), ['pricing-service-v4.18.2', 'pricing-service-v4.18.1', 'pricing-service-v4.18.0', 'pricing-service-v4.17.0', 'pricing-service-v4.16.3']);
    assert.deepEqual(of('payments-service').map((d) => d.version), ['payments-service-v1.9.4', 'payments-service-v1.9.3', 'payments-service-v1.9.2', 'payments-service-v1.9.1']);
    for (const s of catalog.services) {
      const inPaths = serviceMatcher(s);
      for (const d of of(s.name)) {
        if (!d.previousCommit) continue; // the first deploy of each service: its range is not known
        assert.ok((d.files?.length ?? 0) >= 2, `${d.version} changed code and package.json`);
        for (const f of d.files ?? []) assert.ok(inPaths(f.path), `${d.version}: ${f.path} is in ${s.name}'s paths`);
        assert.ok(d.files?.some((f) => f.path === `services/${s.name}/package.json`), `${d.version} bumps package.json`);
        assert.equal(d.actor, 'deploy-bot');
      }
    }
    const warm = of('pricing-service').find((d) => d.version === 'pricing-service-v4.18.0') as Deploy;
    assert.deepEqual(warm.files?.map((f) => f.path), ['services/pricing-service/package.json', 'services/pricing-service/src/priceCache.ts', 'services/pricing-service/src/repricingJob.ts']);
    assert.equal(warm.time, '2026-11-18T09:12:27Z');
    const idem = of('payments-service').find((d) => d.version === 'payments-service-v1.9.3') as Deploy;
    assert.ok(idem.files?.some((f) => f.status === 'R' && f.path === 'services/payments-service/src/pspClient.ts' && f.oldPath === 'services/payments-service/src/psp.ts'));
    // Nothing was deployed that night (README): the last deploy is the afternoon before.
    assert.ok(all.deploys.every((d) => d.time < '2026-11-22T00:00:00Z'));

    // PriceCache.warm() as the editor sees it: the pricing deploy that added it.
    const lines = fs.readFileSync(path.join(dir, 'services/pricing-service/src/priceCache.ts'), 'utf8').split('\n');
    const start = lines.findIndex((l) => l.includes('async warm(): Promise<void> {')) + 1;
    const end = lines.findIndex((l, i) => i >= start && l === '  }') + 1;
    const byLines = await g.deploysForLines('services/pricing-service/src/priceCache.ts', start, end);
    assert.deepEqual(byLines.deploys.map((d) => d.deploy.version), ['pricing-service-v4.18.0']);
    assert.deepEqual(byLines.changedSinceDeploy, []);
    assert.equal(new Repo(dir).git('status', '--porcelain'), '?? traces/\n');
  });

  it('has the versions and times of the demo deploy log (demo/deploys.jsonl) for the deploys both name', async () => {
    const log = path.join(repoRoot, 'demo', 'deploys.jsonl');
    if (!fs.existsSync(log)) return;
    const entries = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { service: string; version: string; time: string; kind?: string });
    const dir = copy('log');
    demo.makeDemoHistory(dir);
    const all = await new GitDeploys(dir, loadCatalog(fs.readFileSync(path.join(dir, 'oncall.yaml'), 'utf8'), 'oncall.yaml').services).deploys();
    let matched = 0;
    for (const d of all.deploys) {
      const first = entries.find((x) => (x.kind ?? 'deploy') === 'deploy' && `${x.service}-v${x.version}` === d.version);
      if (!first) continue;
      matched++;
      assert.equal(d.time, first.time, `${d.version}: the tag is the deploy's (first) time`);
    }
    assert.equal(matched, 9, 'every deploy of the log has its tag, but the three oldest tags are older than the log');
  });

  it('is deterministic for a given now, shifts with it, and touches only the folder it is given', () => {
    const ownHead = new Repo(repoRoot).git('rev-parse', 'HEAD');
    const a = demo.makeDemoHistory(copy('d1'));
    const b = demo.makeDemoHistory(copy('d2'), { now: demo.demoNow });
    assert.equal(a.head, b.head);
    assert.deepEqual([a.commits, a.tags.length], [25, 12]);
    const later = copy('d3');
    const c = demo.makeDemoHistory(later, { now: new Date(Date.parse(demo.demoNow) + 86_400_000) });
    assert.notEqual(c.head, a.head);
    assert.equal(new Repo(later).git('log', '-1', '--format=%cI', 'pricing-service-v4.18.0').trim(), '2026-11-19T09:05:00+00:00');
    // Again on a folder it made: rebuilt the same. On demo/ itself, or over someone else's repository: refused.
    assert.equal(demo.makeDemoHistory(later, { now: new Date(Date.parse(demo.demoNow) + 86_400_000) }).head, c.head);
    assert.throws(() => demo.makeDemoHistory(path.join(repoRoot, 'demo')), /never on demo\/ itself/);
    const foreign = copy('foreign');
    new Repo(foreign).git('init', '-q');
    assert.throws(() => demo.makeDemoHistory(foreign), /already a git repository not made by this script/);
    assert.equal(fs.existsSync(path.join(repoRoot, 'demo', '.git')), false);
    assert.equal(new Repo(repoRoot).git('rev-parse', 'HEAD'), ownHead);
  });
});
