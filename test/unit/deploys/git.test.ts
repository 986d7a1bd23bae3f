// The git deploy source (src/core/deploys/git.ts) over real repositories made with the real `git`: tags (annotated
// and lightweight), ranges and files within each service's paths only, renames followed, deploy branches (local and
// remote-tracking), tags off the main line and rollbacks, shallow clones, a detached HEAD, patterns that match
// nothing or are not valid, a folder that is not a repository and git missing, and the cache (spawns counted).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitDeploys, readGitDeploys } from '../../../src/core/deploys/git';
import type { Deploy } from '../../../src/core/deploys/model';
import { runGit, runningGitProcesses, type GitRunner } from '../../../src/core/deploys/gitRun';
import { countingRunner, Repo, service } from './gitRepos';

const checkout = service('checkout', ['services/checkout/**', '!services/checkout/**/*.md'], [{ tags: 'checkout-v*' }]);
const pricing = service('pricing', ['services/pricing/**'], [{ tags: 'pricing-v*' }], 9);
const summary = (d: Deploy): unknown => ({ version: d.version, files: d.files?.map((f) => `${f.status} ${f.path}${f.oldPath ? ` <- ${f.oldPath}` : ''}`), commits: d.commits?.map((c) => c.subject) });

describe('git deploys: tags, ranges and files', () => {
  let repo: Repo;
  const sha: Record<string, string> = {};
  before(() => {
    repo = Repo.init();
    repo.write('services/checkout/a.ts', 'a1\n').write('services/pricing/p.ts', 'p1\n').write('docs/x.md', 'x\n');
    sha.c1 = repo.commit('initial import', '2026-11-01T10:00:00Z');
    repo.tag('checkout-v1.0.0', '2026-11-01T10:05:00Z', 'first checkout deploy');
    repo.tag('pricing-v1', '2026-11-01T10:00:00Z');
    repo.write('services/checkout/a.ts', 'a2\n');
    sha.c2 = repo.commit('checkout: fix a', '2026-11-02T09:00:00Z', 'Ann');
    repo.write('services/pricing/p.ts', 'p2\n').write('docs/x.md', 'x2\n');
    sha.c3 = repo.commit('pricing: p2, docs', '2026-11-02T10:00:00Z');
    repo.write('services/checkout/README.md', 'readme\n').write('services/checkout/b.ts', 'b\n'.repeat(20));
    sha.c4 = repo.commit('checkout: add b', '2026-11-03T11:00:00Z');
    repo.tag('checkout-v1.1.0', '2026-11-03T12:00:00Z', 'v1.1.0');
    repo.tag('pricing-v2', '2026-11-03T11:00:00Z');
    repo.tag('release-2026-11', '2026-11-03T12:30:00Z', 'not a deploy of either');
    repo.git('mv', 'services/checkout/b.ts', 'services/checkout/c.ts');
    repo.write('services/checkout/a.ts', 'a3\n');
    sha.c5 = repo.commit('checkout: rename b to c', '2026-11-04T08:00:00Z');
    repo.tag('checkout-v1.2.0', '2026-11-04T09:00:00Z', 'v1.2.0');
  });
  after(() => repo.remove());

  it('lists tag deploys newest first with version, time, actor, commit, range and description', async () => {
    const r = await readGitDeploys(repo.dir, [checkout], { service: 'checkout' });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.deploys.map((d) => d.version), ['checkout-v1.2.0', 'checkout-v1.1.0', 'checkout-v1.0.0']);
    const [v12, v11, v10] = r.deploys as [Deploy, Deploy, Deploy];
    assert.deepEqual(
      { id: v12.id, service: v12.service, source: v12.source, kind: v12.kind, time: v12.time, actor: v12.actor, status: v12.status, commit: v12.commit, previousCommit: v12.previousCommit, description: v12.description },
      { id: 'git:checkout-v1.2.0', service: 'checkout', source: 'git', kind: 'deploy', time: '2026-11-04T09:00:00Z', actor: 'Deploy Bot', status: 'unknown', commit: sha.c5, previousCommit: sha.c4, description: 'v1.2.0' },
    );
    assert.equal(v11.previousCommit, sha.c1);
    // The first deploy has no previous one: its range is not known, so it lists no commits or files.
    assert.deepEqual([v10.previousCommit, v10.commits, v10.files, v10.description], [undefined, undefined, undefined, 'first checkout deploy']);
  });

  it('keeps only the commits and files within the service paths (with "!" exclusions)', async () => {
    const r = await readGitDeploys(repo.dir, [checkout, pricing]);
    const by = (v: string): Deploy => r.deploys.find((d) => d.version === v) as Deploy;
    assert.deepEqual(summary(by('checkout-v1.1.0')), { version: 'checkout-v1.1.0', files: ['M services/checkout/a.ts', 'A services/checkout/b.ts'], commits: ['checkout: add b', 'checkout: fix a'] });
    assert.deepEqual(summary(by('pricing-v2')), { version: 'pricing-v2', files: ['M services/pricing/p.ts'], commits: ['pricing: p2, docs'] });
    assert.deepEqual(by('checkout-v1.1.0').commits?.map((c) => [c.sha, c.author, c.time]), [[sha.c4, 'Dev One', '2026-11-03T11:00:00Z'], [sha.c2, 'Ann', '2026-11-02T09:00:00Z']]);
    // A lightweight tag: the commit's committer and date.
    assert.deepEqual([by('pricing-v2').actor, by('pricing-v2').time], ['Dev One', '2026-11-03T11:00:00Z']);
    assert.ok(!r.deploys.some((d) => d.version.startsWith('release')));
  });

  it('reports renames with their old path and follows them back for a file', async () => {
    const g = new GitDeploys(repo.dir, [checkout]);
    const all = await g.deploys();
    assert.deepEqual(summary(all.deploys[0] as Deploy), { version: 'checkout-v1.2.0', files: ['M services/checkout/a.ts', 'R services/checkout/c.ts <- services/checkout/b.ts'], commits: ['checkout: rename b to c'] });
    const f = await g.deploysForFile('services/checkout/c.ts');
    assert.deepEqual(f.deploys.map((x) => [x.deploy.version, x.file.status, x.file.path, x.previousCommit]), [
      ['checkout-v1.2.0', 'R', 'services/checkout/c.ts', sha.c4],
      ['checkout-v1.1.0', 'A', 'services/checkout/b.ts', sha.c1],
    ]);
    const abs = await g.deploysForFile(path.join(repo.dir, 'services', 'checkout', 'a.ts'), { limit: 1 });
    assert.deepEqual(abs.deploys.map((x) => x.deploy.version), ['checkout-v1.2.0']);
    assert.deepEqual((await g.deploysForFile('services/checkout/README.md')).deploys, []);
    assert.deepEqual((await g.deploysForFile('docs/x.md')).deploys, []);
  });

  it('a workspace folder below the repository root: paths relative to the folder', async () => {
    const sub = path.join(repo.dir, 'services');
    const g = new GitDeploys(sub, [service('checkout', ['checkout/**', '!checkout/**/*.md'], [{ tags: 'checkout-v*' }])]);
    const r = await g.deploys();
    assert.deepEqual(r.deploys.map(summary)[1], { version: 'checkout-v1.1.0', files: ['M checkout/a.ts', 'A checkout/b.ts'], commits: ['checkout: add b', 'checkout: fix a'] });
    assert.deepEqual((await g.deploysForFile('checkout/c.ts')).deploys.map((x) => x.file.path), ['checkout/c.ts', 'checkout/b.ts']);
    const lines = await g.deploysForLines('checkout/c.ts', 1, 3);
    assert.deepEqual([lines.deploys.map((x) => x.deploy.version), lines.problems], [['checkout-v1.1.0'], []]);
  });

  it('works on a detached HEAD (tags need no branch)', async () => {
    const attached = await readGitDeploys(repo.dir, [checkout, pricing]);
    repo.git('checkout', '-q', '--detach', sha.c2 as string);
    assert.equal(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim(), 'HEAD', 'HEAD is detached');
    try {
      const detached = await readGitDeploys(repo.dir, [checkout, pricing]);
      assert.deepEqual(detached, attached);
      assert.equal(detached.deploys.length, 5);
    } finally {
      repo.git('checkout', '-q', 'main');
    }
  });

  it('filters by --since time and by service', async () => {
    const r = await readGitDeploys(repo.dir, [checkout, pricing], { since: new Date('2026-11-03T00:00:00Z') });
    assert.deepEqual(r.deploys.map((d) => d.version), ['checkout-v1.2.0', 'checkout-v1.1.0', 'pricing-v2']);
    assert.equal(r.deploys[1]?.previousCommit, sha.c1, 'the range still starts at the deploy before the window');
  });

  it('answers for one deploys: entry of a service (what sources.ts injects), by its oncall.yaml line', async () => {
    const two = service('checkout', ['services/checkout/**'], [{ tags: 'checkout-v*' }, { tags: 'nope-v*' }], 20);
    const g = new GitDeploys(repo.dir, [two, pricing]);
    const first = await g.deploys({ service: 'checkout', config: { line: 20 } });
    assert.deepEqual([first.deploys.map((d) => d.version), first.problems], [['checkout-v1.2.0', 'checkout-v1.1.0', 'checkout-v1.0.0'], []]);
    const second = await g.deploys({ service: 'checkout', config: { line: 21 } });
    assert.deepEqual([second.deploys, second.problems.map((p) => p.code)], [[], ['no-match']]);
    assert.deepEqual((await g.deploys({ service: 'pricing' })).deploys.map((d) => d.version), ['pricing-v2', 'pricing-v1']);
  });

  it('a pattern that matches no tag: no deploys and a warning that names it and shows the tags there are', async () => {
    const r = await readGitDeploys(repo.dir, [service('cart', ['services/cart/**'], [{ tags: 'cart-v*' }], 12)]);
    assert.deepEqual(r.deploys, []);
    assert.equal(r.problems.length, 1);
    const p = r.problems[0];
    assert.equal(p?.severity, 'warning');
    assert.match(p?.message ?? '', /^cart: no tags match "cart-v\*" \(the newest tags here: checkout-v1\.2\.0, release-2026-11, checkout-v1\.1\.0, .*\) \(oncall\.yaml line 12\)$/);
    assert.deepEqual([p?.code, p?.source], ['no-match', 'git:cart-v*']);
  });

  it('a bad tag pattern is a problem naming its oncall.yaml entry, and git is never asked about it', async () => {
    const counted = countingRunner();
    const bad = [service('a', ['a/**'], [{ tags: 'checkout v*' }], 3), service('b', ['b/**'], [{ tags: 'b-v[0-9' }], 7), service('c', ['c/**'], [{ tags: '--output=x' }], 11), service('d', ['d/**'], [{ branch: 'deploy/*' }], 15)];
    const r = await readGitDeploys(repo.dir, bad, { run: counted.run });
    assert.deepEqual(r.deploys, []);
    assert.deepEqual(r.problems.map((p) => [p.severity, p.code, p.message]), [
      ['error', 'config', 'a: tag pattern "checkout v*" is not valid: ref names cannot contain spaces (oncall.yaml line 3)'],
      ['error', 'config', 'b: tag pattern "b-v[0-9" is not valid: a "[" is not closed by "]" (oncall.yaml line 7)'],
      ['error', 'config', 'c: tag pattern "--output=x" is not valid: a ref name cannot start with "-" (oncall.yaml line 11)'],
      ['error', 'config', 'd: branch "deploy/*" is not valid: a branch is one name, not a pattern (for several refs, use tags) (oncall.yaml line 15)'],
    ]);
    assert.deepEqual(counted.calls, []);
  });
});

describe('git deploys: deploy branches, tags off the main line, rollbacks', () => {
  let repo: Repo;
  let clone: string;
  const svc = service('api', ['svc/**'], [{ branch: 'deploy/prod' }]);
  before(() => {
    repo = Repo.init();
    repo.write('svc/a.ts', '1\n');
    repo.commit('m1', '2026-11-01T10:00:00Z');
    repo.git('branch', 'deploy/prod');
    repo.write('svc/a.ts', '2\n');
    repo.commit('m2', '2026-11-02T10:00:00Z');
    repo.write('svc/b.ts', 'b\n').write('other/o.ts', 'o\n');
    repo.commit('m3', '2026-11-03T10:00:00Z');
    repo.git('checkout', '-q', 'deploy/prod');
    repo.git('merge', '-q', '--no-ff', '-m', 'deploy 1', 'main', { at: '2026-11-04T10:00:00Z' });
    repo.git('checkout', '-q', 'main');
    repo.write('svc/a.ts', '3\n');
    repo.commit('m4', '2026-11-05T10:00:00Z');
    repo.git('checkout', '-q', 'deploy/prod');
    repo.git('merge', '-q', '--no-ff', '-m', 'deploy 2', 'main', { at: '2026-11-06T10:00:00Z' });
    repo.git('checkout', '-q', 'main');
    clone = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-git-clone-'));
    new Repo(clone).git('clone', '-q', `file://${repo.dir}`, '.');
  });
  after(() => {
    repo.remove();
    fs.rmSync(clone, { recursive: true, force: true });
  });

  it('each first-parent commit of the branch is a deploy; merged commits belong to the merge that shipped them', async () => {
    const r = await readGitDeploys(repo.dir, [svc]);
    assert.deepEqual(r.problems, []);
    const tip = repo.git('rev-parse', 'deploy/prod').trim();
    assert.deepEqual(r.deploys.map(summary), [
      { version: `${tip.slice(0, 7)} (2026-11-06 10:00 UTC)`, files: ['M svc/a.ts'], commits: ['m4'] },
      { version: r.deploys[1]?.version, files: ['M svc/a.ts', 'A svc/b.ts'], commits: ['m3', 'm2'] },
      { version: r.deploys[2]?.version, files: undefined, commits: undefined },
    ]);
    assert.deepEqual([r.deploys[0]?.id, r.deploys[0]?.description, r.deploys[0]?.time, r.deploys[0]?.actor], [`git:deploy/prod@${tip.slice(0, 12)}`, 'deploy 2', '2026-11-06T10:00:00Z', 'Dev One']);
  });

  it('finds a deploy branch that exists only as a remote-tracking branch', async () => {
    assert.throws(() => new Repo(clone).git('rev-parse', '--verify', '-q', 'refs/heads/deploy/prod'));
    const r = await readGitDeploys(clone, [svc]);
    assert.deepEqual(r.problems, []);
    assert.equal(r.deploys.length, 3);
    assert.match(r.deploys[0]?.id ?? '', /^git:origin\/deploy\/prod@[0-9a-f]{12}$/);
    const missing = await readGitDeploys(clone, [service('x', ['svc/**'], [{ branch: 'deploy/staging' }])]);
    assert.match(missing.problems[0]?.message ?? '', /^x: branch "deploy\/staging" not found/);
    assert.equal(missing.problems[0]?.code, 'not-found');
  });

  it('a tag on a hotfix branch owns only its commit; the next main-line deploy does not repeat it; a rollback ships nothing new', async () => {
    const r2 = Repo.init();
    try {
      r2.write('svc/a.ts', '1\n');
      r2.commit('h1', '2026-11-01T10:00:00Z');
      r2.tag('api-v1', '2026-11-01T10:00:00Z', 'v1');
      r2.write('svc/a.ts', '2\n');
      const h2 = r2.commit('h2', '2026-11-02T10:00:00Z');
      r2.tag('api-v2', '2026-11-02T10:00:00Z', 'v2');
      r2.git('checkout', '-q', '-b', 'hotfix');
      r2.write('svc/fix.ts', 'fix\n');
      r2.commit('x1 hotfix', '2026-11-03T09:00:00Z');
      r2.tag('api-v2.0.1', '2026-11-03T10:00:00Z', 'hotfix');
      r2.git('checkout', '-q', 'main');
      r2.write('svc/a.ts', '3\n');
      r2.commit('h3', '2026-11-04T08:00:00Z');
      r2.write('svc/b.ts', 'b\n');
      r2.commit('h4', '2026-11-04T09:00:00Z');
      r2.tag('api-v3', '2026-11-04T10:00:00Z', 'v3');
      r2.tag('api-v3.0.1', '2026-11-05T10:00:00Z', 'back to v2', h2);
      const r = await readGitDeploys(r2.dir, [service('api', ['svc/**'], [{ tags: 'api-v*' }])]);
      assert.deepEqual(r.deploys.map(summary), [
        { version: 'api-v3.0.1', files: [], commits: [] },
        { version: 'api-v3', files: ['M svc/a.ts', 'A svc/b.ts'], commits: ['h4', 'h3'] },
        { version: 'api-v2.0.1', files: ['A svc/fix.ts'], commits: ['x1 hotfix'] },
        { version: 'api-v2', files: ['M svc/a.ts'], commits: ['h2'] },
        { version: 'api-v1', files: undefined, commits: undefined },
      ]);
      assert.match(r.deploys[0]?.description ?? '', /^back to v2 — a commit an earlier deploy already shipped \(a rollback or a redeploy\)/);
    } finally {
      r2.remove();
    }
  });
});

describe('git deploys: shallow clones, missing repositories, missing git', () => {
  let origin: Repo;
  let shallow: string;
  before(() => {
    origin = Repo.init();
    for (let i = 1; i <= 6; i++) {
      origin.write('app/f.ts', `${i}\n`);
      origin.commit(`c${i}`, `2026-11-0${i}T10:00:00Z`);
      origin.tag(`app-v${i}`, `2026-11-0${i}T10:30:00Z`, `v${i}`);
    }
    shallow = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-git-shallow-'));
    new Repo(shallow).git('clone', '-q', '--depth', '3', `file://${origin.dir}`, '.');
  });
  after(() => {
    origin.remove();
    fs.rmSync(shallow, { recursive: true, force: true });
  });

  it('says the history is shallow and from when deploys are known; does not guess ranges past the boundary', async () => {
    const app = service('app', ['app/**'], [{ tags: 'app-v*' }]);
    const r = await readGitDeploys(shallow, [app]);
    assert.deepEqual(r.deploys.map(summary), [
      { version: 'app-v6', files: ['M app/f.ts'], commits: ['c6'] },
      { version: 'app-v5', files: ['M app/f.ts'], commits: ['c5'] },
      { version: 'app-v4', files: undefined, commits: undefined },
    ]);
    assert.deepEqual(r.problems.map((p) => [p.severity, p.code, p.message]), [['warning', 'shallow', `${shallow}: history is shallow: deploys before 2026-11-04T10:00:00Z are not known (git fetch --unshallow reads the rest)`]]);
    // An older tag fetched on its own: app-v4's range would run from c1 past the boundary, so it is not listed.
    new Repo(shallow).git('fetch', '-q', '--depth=1', 'origin', 'tag', 'app-v1');
    const r2 = await readGitDeploys(shallow, [app]);
    const v4 = r2.deploys.find((d) => d.version === 'app-v4') as Deploy;
    assert.deepEqual([v4.previousCommit !== undefined, v4.commits, v4.files], [true, undefined, undefined]);
    assert.match(v4.description ?? '', /its range reaches past the shallow history/);
    assert.match(r2.problems[0]?.message ?? '', /history is shallow: deploys before 2026-11-04T10:00:00Z are not known; the ranges of app-v4 \(app \(tags "app-v\*"\)\) reach past it/);
  });

  it('a folder that is not a git repository: an error naming the folder and the cause, no throw', async () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-not-git-'));
    try {
      const r = await readGitDeploys(plain, [service('app', ['app/**'], [{ tags: 'app-v*' }])]);
      assert.deepEqual(r.deploys, []);
      assert.deepEqual(r.problems.map((p) => [p.severity, p.code, p.message]), [['error', 'not-a-repository', `${plain} is not in a git repository (git rev-parse: not a git repository), so it has no git deploys (git deploys of app)`]]);
      const gone = await readGitDeploys(path.join(plain, 'nope'), [service('app', ['app/**'], [{ tags: 'app-v*' }])]);
      assert.match(gone.problems[0]?.message ?? '', /nope does not exist \(git deploys of app\)$/);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });

  it('git missing from PATH: runGit says so, and the source turns it into a problem', async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(os.tmpdir(), 'no-such-bin-dir');
    let r;
    try {
      r = await runGit(['--version'], { cwd: os.tmpdir() });
    } finally {
      process.env.PATH = saved;
    }
    assert.deepEqual([r.ok, r.failure, r.code], [false, 'not-found', null]);
    const missing: GitRunner = async () => r;
    const res = await readGitDeploys(origin.dir, [service('app', ['app/**'], [{ tags: 'app-v*' }])], { run: missing });
    assert.deepEqual(res.problems.map((p) => p.message), [`git was not found on PATH, so the git deploys of ${origin.dir} cannot be read (git deploys of app)`]);
  });

  it('a git run past its deadline is killed and reported only once it has exited', async () => {
    // 32 MB to hash from stdin: git cannot finish before the 1 ms deadline, even when the test machine is busy
    // (`log -p` of the small test repository once did, and the run came back complete).
    const r = await runGit(['hash-object', '--stdin'], { cwd: origin.dir, timeoutMs: 1, input: 'x'.repeat(32 * 1024 * 1024) });
    assert.deepEqual([r.ok, r.failure], [false, 'timeout']);
    assert.equal(runningGitProcesses(), 0);
  });
});

describe('git deploys: the cache', () => {
  let repo: Repo;
  const app = service('app', ['app/**'], [{ tags: 'app-v*' }]);
  before(() => {
    repo = Repo.init();
    for (let i = 1; i <= 3; i++) {
      repo.write('app/f.ts', `${i}\n`);
      repo.commit(`c${i}`, `2026-11-0${i}T10:00:00Z`);
      repo.tag(`app-v${i}`, `2026-11-0${i}T10:30:00Z`, `v${i}`);
    }
  });
  after(() => repo.remove());

  it('a second call spawns no git; invalidate() re-reads only the refs while they are unchanged; a new tag is seen', async () => {
    const counted = countingRunner();
    const none = new GitDeploys(repo.dir, [service('docs', ['docs/**'], [])], { run: counted.run });
    assert.deepEqual(await none.deploys(), { deploys: [], problems: [] });
    assert.deepEqual(await none.deploysForLines('docs/x.md', 1, 2), { deploys: [], changedSinceDeploy: [], problems: [] });
    assert.equal(counted.calls.length, 0, 'no git sources: git is not run at all');
    const g = new GitDeploys(repo.dir, [app], { run: counted.run });
    const first = await g.deploys();
    assert.deepEqual(counted.calls.map((c) => c[0]), ['rev-parse', 'for-each-ref', 'log']);
    assert.deepEqual(await g.deploys(), first);
    await g.deploysForFile('app/f.ts');
    assert.equal(counted.calls.length, 3, 'served from the cache');
    const parallel = new GitDeploys(repo.dir, [app], { run: counted.run });
    await Promise.all([parallel.deploys(), parallel.deploys(), parallel.deploysForFile('app/f.ts')]);
    assert.equal(counted.calls.length, 6, 'concurrent first calls share one computation');

    g.invalidate();
    assert.deepEqual(await g.deploys(), first);
    assert.deepEqual(counted.calls.slice(6).map((c) => c[0]), ['rev-parse', 'for-each-ref'], 'refs unchanged: no log');

    repo.write('app/f.ts', '4\n');
    repo.commit('c4', '2026-11-04T10:00:00Z');
    repo.tag('app-v4', '2026-11-04T10:30:00Z', 'v4');
    assert.deepEqual((await g.deploys()).deploys.length, 3, 'still cached until invalidate()');
    g.invalidate();
    const after = await g.deploys();
    assert.deepEqual(after.deploys.map((d) => d.version), ['app-v4', 'app-v3', 'app-v2', 'app-v1']);
    assert.deepEqual(counted.calls.slice(8).map((c) => c[0]), ['rev-parse', 'for-each-ref', 'log']);
  });
});
