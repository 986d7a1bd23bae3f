// Which deploy changed a function's lines (GitDeploys.deploysForLines) over a real repository: the range is mapped
// from the working tree to the newest deploy that touched the file, then back through each deploy's `git diff -U0`
// (renames followed); plus the pure hunk arithmetic (lines.ts) and the incremental log parser (gitParse.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitDeploys } from '../../../src/core/deploys/git';
import { netFiles } from '../../../src/core/deploys/gitHistory';
import { LogParser, naturalCompare, parseTagRefs, type LogCommit } from '../../../src/core/deploys/gitParse';
import { changedInRange, mapToOld, parseHunks } from '../../../src/core/deploys/lines';
import { countingRunner, functions, Repo, service } from './gitRepos';

describe('git deploys: the deploys that changed a line range', () => {
  let repo: Repo;
  const app = service('app', ['services/app/**'], [{ tags: 'app-v*' }]);
  const header = '// header 1\n// header 2\n// header 3\n';
  before(() => {
    repo = Repo.init();
    // alpha 1-5, beta 7-11, gamma 13-17 (each: signature, 3 body lines, closing brace, blank line).
    repo.write('services/app/f.ts', functions(['alpha', 'beta', 'gamma']));
    repo.commit('add f', '2026-11-01T10:00:00Z');
    repo.tag('app-v1', '2026-11-01T10:00:00Z', 'v1');
    repo.write('services/app/f.ts', functions(['alpha', 'beta', 'gamma']).replace("step1('beta')", "step1('beta', 2)"));
    repo.commit('beta: change line 9', '2026-11-02T10:00:00Z');
    repo.tag('app-v2', '2026-11-02T10:00:00Z', 'v2');
    // Three lines above alpha, and gamma changed: alpha 4-8, beta 10-14, gamma 16-20.
    repo.write('services/app/f.ts', header + functions(['alpha', 'beta', 'gamma']).replace("step1('beta')", "step1('beta', 2)").replace("step2('gamma')", "step2('gamma', 3)"));
    repo.commit('header; gamma', '2026-11-03T10:00:00Z');
    repo.tag('app-v3', '2026-11-03T10:00:00Z', 'v3');
    repo.git('mv', 'services/app/f.ts', 'services/app/g.ts');
    repo.write('services/app/other.ts', 'x\n');
    repo.commit('rename f to g', '2026-11-04T10:00:00Z');
    repo.tag('app-v4', '2026-11-04T10:00:00Z', 'v4');
  });
  after(() => repo.remove());

  const versions = (r: { deploys: ReadonlyArray<{ deploy: { version: string } }> }): string[] => r.deploys.map((d) => d.deploy.version);

  it('finds the deploy that changed a function, not the newer ones that only moved it or renamed the file', async () => {
    const g = new GitDeploys(repo.dir, [app]);
    const beta = await g.deploysForLines('services/app/g.ts', 10, 14);
    assert.deepEqual(versions(beta), ['app-v2']);
    assert.deepEqual([beta.deploys[0]?.range, beta.deploys[0]?.lines, beta.deploys[0]?.file.path], [{ start: 7, end: 11 }, [{ start: 9, end: 9 }], 'services/app/f.ts']);
    assert.deepEqual(beta.changedSinceDeploy, []);
    const gamma = await g.deploysForLines('services/app/g.ts', 16, 20);
    assert.deepEqual(versions(gamma), ['app-v3']);
    assert.deepEqual(gamma.deploys[0]?.lines, [{ start: 19, end: 19 }]);
    // alpha was only moved; the deploy that created it has no known range.
    assert.deepEqual(versions(await g.deploysForLines('services/app/g.ts', 4, 8)), []);
    // The header lines came with app-v3; a range over header and gamma lists app-v3 once.
    const both = await g.deploysForLines('services/app/g.ts', 1, 20);
    assert.deepEqual(versions(both), ['app-v3', 'app-v2']);
    assert.deepEqual(both.deploys[0]?.lines, [{ start: 1, end: 3 }, { start: 19, end: 19 }]);
    assert.deepEqual(versions(await g.deploysForLines('services/app/g.ts', 1, 20, { limit: 1 })), ['app-v3']);
    // The file as a whole: every deploy that touched it, renames followed back (app-v1, the first, has no range).
    assert.deepEqual(versions(await g.deploysForFile('services/app/g.ts')), ['app-v4', 'app-v3', 'app-v2']);
  });

  it('maps lines edited in the working tree; lines not deployed yet are reported as such; diffs are cached', async () => {
    const counted = countingRunner();
    const g = new GitDeploys(repo.dir, [app], { run: counted.run });
    const file = path.join(repo.dir, 'services', 'app', 'g.ts');
    const original = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, `// local 1\n// local 2\n${original.replace("step0('beta')", "step0('beta', 'local')")}`);
      const beta = await g.deploysForLines('services/app/g.ts', 12, 16);
      assert.deepEqual(versions(beta), ['app-v2']);
      assert.deepEqual(beta.changedSinceDeploy, [{ start: 13, end: 13 }]);
      const top = await g.deploysForLines('services/app/g.ts', 1, 2);
      assert.deepEqual([versions(top), top.changedSinceDeploy], [[], [{ start: 1, end: 2 }]]);
      const spawned = counted.calls.length;
      assert.deepEqual(versions(await g.deploysForLines('services/app/g.ts', 12, 16)), ['app-v2']);
      assert.equal(counted.calls.length, spawned, 'the same question again spawns no git');
      fs.writeFileSync(file, original);
      assert.deepEqual(versions(await g.deploysForLines('services/app/g.ts', 10, 14)), ['app-v2']);
      assert.deepEqual(counted.calls.slice(spawned).map((c) => c[0]), ['diff'], 'a saved file: one diff against the working tree, the deploy diffs cached');
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});

describe('lines: ranges through -U0 hunks', () => {
  const hunks = parseHunks('diff --git a/f b/f\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n@@ -9 +12 @@\n-x\n+y\n@@ -20,2 +22,0 @@\n-p\n-q\n@@ -30,0 +32,2 @@\n+n\n+m\n');
  it('parses hunk headers (a missing count is 1)', () => {
    assert.deepEqual(hunks, [
      { oldStart: 0, oldLines: 0, newStart: 1, newLines: 3 },
      { oldStart: 9, oldLines: 1, newStart: 12, newLines: 1 },
      { oldStart: 20, oldLines: 2, newStart: 22, newLines: 0 },
      { oldStart: 30, oldLines: 0, newStart: 32, newLines: 2 },
    ]);
  });
  it('changedInRange: added and replaced lines in the range, and a deletion between two of its lines', () => {
    assert.deepEqual(changedInRange(hunks, { start: 2, end: 12 }), [{ start: 2, end: 3 }, { start: 12, end: 12 }]);
    assert.deepEqual(changedInRange(hunks, { start: 21, end: 23 }), [{ start: 22, end: 22 }]);
    assert.deepEqual(changedInRange(hunks, { start: 23, end: 30 }), []);
    assert.deepEqual(changedInRange(hunks, { start: 4, end: 11 }), []);
  });
  it('mapToOld: shifts by the hunks above, widens into replaced lines, nothing for added-only ranges', () => {
    assert.deepEqual(mapToOld(hunks, { start: 4, end: 11 }), { start: 1, end: 8 });
    assert.deepEqual(mapToOld(hunks, { start: 12, end: 12 }), { start: 9, end: 9 });
    assert.deepEqual(mapToOld(hunks, { start: 23, end: 25 }), { start: 22, end: 24 });
    assert.deepEqual(mapToOld(hunks, { start: 1, end: 3 }), undefined);
    assert.deepEqual(mapToOld(hunks, { start: 32, end: 33 }), undefined);
    assert.deepEqual(mapToOld(hunks, { start: 30, end: 33 }), { start: 29, end: 30 });
  });
});

describe('netFiles: the net change of a deploy\'s commits per file, within the service', () => {
  let n = 0;
  const commit = (...files: LogCommit['files']): LogCommit => ({ sha: (n++).toString(16).padStart(40, '0'), parents: [], authorTime: 0, commitTime: 0, author: '', subject: '', files: [...files], index: n });
  const inApp = (p: string): boolean => p.startsWith('app/');
  it('composes statuses oldest to newest, follows rename chains, and keeps the service\'s paths only', () => {
    const oldestFirst = [
      commit({ status: 'A', path: 'app/new.ts' }, { status: 'M', path: 'app/kept.ts' }, { status: 'M', path: 'lib/other.ts' }),
      commit({ status: 'M', path: 'app/new.ts' }, { status: 'A', path: 'app/tmp.ts' }, { status: 'R', path: 'app/b.ts', oldPath: 'app/a.ts' }),
      commit({ status: 'D', path: 'app/tmp.ts' }, { status: 'R', path: 'app/c.ts', oldPath: 'app/b.ts' }, { status: 'R', path: 'lib/moved.ts', oldPath: 'app/out.ts' }),
      commit({ status: 'R', path: 'app/in.ts', oldPath: 'lib/in.ts' }, { status: 'D', path: 'app/gone.ts' }, { status: 'A', path: 'app/gone.ts' }),
    ];
    assert.deepEqual(netFiles([...oldestFirst].reverse(), '', inApp), [
      { path: 'app/c.ts', status: 'R', oldPath: 'app/a.ts' },
      { path: 'app/gone.ts', status: 'M' },
      { path: 'app/in.ts', status: 'R', oldPath: 'lib/in.ts' },
      { path: 'app/kept.ts', status: 'M' },
      { path: 'app/new.ts', status: 'A' },
      { path: 'app/out.ts', status: 'D' },
    ]);
  });
  it('a folder below the repository root: paths relative to it, files outside it left out', () => {
    const c = commit({ status: 'M', path: 'shop/app/x.ts' }, { status: 'M', path: 'app/y.ts' });
    assert.deepEqual(netFiles([c], 'shop/', inApp), [{ path: 'app/x.ts', status: 'M' }]);
  });
});

describe('gitParse', () => {
  const sha = (c: string): string => c.repeat(40);
  const text =
    `\x1e${sha('a')}\x1f${sha('b')} ${sha('c')}\x1f100\x1f200\x1fAnn\x1fMerge\x1fwith a unit separator\0` +
    `\x1e${sha('b')}\x1f${sha('c')}\x1f90\x1f95\x1fBo\x1frename\0\nR087\0old name.ts\0new\tname.ts\0M\0x.ts\0T\0link\0C100\0a.ts\0copy.ts\0` +
    `\x1e${sha('c')}\x1f\x1f80\x1f85\x1fCy\x1froot\0\nA\0\x1eodd.ts\0D\0gone.ts\0`;
  const expected = [
    { sha: sha('a'), parents: [sha('b'), sha('c')], authorTime: 100, commitTime: 200, author: 'Ann', subject: 'Merge\x1fwith a unit separator', files: [], index: 0 },
    { sha: sha('b'), parents: [sha('c')], authorTime: 90, commitTime: 95, author: 'Bo', subject: 'rename', files: [{ status: 'R', path: 'new\tname.ts', oldPath: 'old name.ts' }, { status: 'M', path: 'x.ts' }, { status: 'M', path: 'link' }, { status: 'A', path: 'copy.ts' }], index: 1 },
    { sha: sha('c'), parents: [], authorTime: 80, commitTime: 85, author: 'Cy', subject: 'root', files: [{ status: 'A', path: '\x1eodd.ts' }, { status: 'D', path: 'gone.ts' }], index: 2 },
  ];
  it('LogParser reads the same commits however the stream is cut', () => {
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const got: LogCommit[] = [];
      const p = new LogParser((c) => got.push(c));
      for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
      assert.equal(p.end(), 3);
      assert.deepEqual(got, expected, `chunks of ${size}`);
    }
  });
  it('LogParser refuses output that is not the format it asked for', () => {
    assert.throws(() => new LogParser(() => undefined).push('\x1enot a sha\0'), /unexpected git log output/);
  });
  it('parseTagRefs: annotated tags by their tagger, lightweight ones by the committer; non-commits flagged', () => {
    const line = (...fields: string[]): string => `${fields.join('\x00')}\n`;
    const refs = parseTagRefs(
      line('refs/tags/v1', 'tag', sha('1'), 'commit', sha('2'), '100', 'Deploy Bot', '', 'Ann', 'Release 1') +
        line('refs/tags/v2', 'commit', sha('3'), '', '', '200', '', 'Bo', '', 'subject of the commit') +
        line('refs/tags/tree', 'tag', sha('4'), 'tree', sha('5'), '300', 'Cy', '', '', 'a tree'),
    );
    assert.deepEqual(refs, [
      { name: 'v1', commit: sha('2'), annotated: true, time: 100, actor: 'Deploy Bot', message: 'Release 1' },
      { name: 'v2', commit: sha('3'), annotated: false, time: 200, actor: 'Bo' },
      { name: 'tree', annotated: true, time: 300, actor: 'Cy', message: 'a tree' },
    ]);
  });
  it('naturalCompare orders versions by number', () => {
    assert.deepEqual(['v1.10.0', 'v1.9.0', 'v1.9.10', 'v1.9.2', 'v2'].sort(naturalCompare), ['v1.9.0', 'v1.9.2', 'v1.9.10', 'v1.10.0', 'v2']);
  });
});
