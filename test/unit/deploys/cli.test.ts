// `oncall-lens deploys` (src/cli/deploysCommand.ts) over a real repository with an oncall.yaml: git tag deploys with
// their range, commits and files next to a deploy log's entries (through sources.ts), text and JSON, --service,
// --since (durations and dates), the current folder by default, and the failures: no oncall.yaml, not a repository,
// usage errors.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deploysMain, parseSince } from '../../../src/cli/deploysCommand';
import { main } from '../../../src/cli/main';
import type { Deploy } from '../../../src/core/deploys/model';
import { Repo } from './gitRepos';

const now = new Date('2026-11-05T12:00:00Z');

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await deploysMain(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`), now);
  return { code, out, err };
}

const catalog = `version: 1
services:
  - name: web
    paths: ["web/**"]
    deploys:
      - kind: git
        tags: "web-v*"
      - kind: file
        path: deploys.jsonl
  - name: api
    paths: ["api/**"]
    deploys:
      - kind: git
        tags: "api-v*"
  - name: docs
    paths: ["docs/**"]
`;

describe('oncall-lens deploys (CLI)', () => {
  let repo: Repo;
  before(() => {
    repo = Repo.init('oncall-deploys-cli-');
    repo.write('oncall.yaml', catalog).write('web/index.ts', '1\n').write('api/main.go', 'package main\n');
    repo.commit('import', '2026-11-01T10:00:00Z');
    repo.tag('web-v1.0.0', '2026-11-01T11:00:00Z', 'web 1.0.0');
    repo.tag('api-v7', '2026-11-01T11:30:00Z', 'api 7');
    repo.write('web/index.ts', '2\n').write('api/main.go', 'package main // 2\n');
    repo.commit('web: two; api: two', '2026-11-03T09:00:00Z', 'Ann');
    repo.tag('web-v1.1.0', '2026-11-03T10:00:00Z', 'web 1.1.0');
    repo.write('web/login.ts', 'login\n');
    repo.commit('web: login page', '2026-11-04T15:00:00Z', 'Bo');
    repo.tag('web-v1.2.0', '2026-11-05T08:00:00Z', 'web 1.2.0');
    repo.write('deploys.jsonl', `${JSON.stringify({ service: 'web', version: 'feature.login=on', time: '2026-11-05T09:00:00Z', kind: 'flag', actor: 'ops' })}\n`);
  });
  after(() => repo.remove());

  it('prints what changed, newest first, git deploys with range, commits and files next to the deploy log', async () => {
    const r = await run(repo.dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const lines = r.out.split('\n');
    assert.equal(lines[0], `What changed in ${repo.dir}, newest first:`);
    const head = lines.filter((l) => /^\d{4}-/.test(l));
    assert.deepEqual(head, [
      '2026-11-05 09:00 UTC  web  feature.login=on  by ops  (file; flag)',
      '2026-11-05 08:00 UTC  web  web-v1.2.0  by Deploy Bot  (git)',
      '2026-11-03 10:00 UTC  web  web-v1.1.0  by Deploy Bot  (git)',
      '2026-11-01 11:30 UTC  api  api-v7  by Deploy Bot  (git)',
      '2026-11-01 11:00 UTC  web  web-v1.0.0  by Deploy Bot  (git)',
    ]);
    const block = r.out.slice(r.out.indexOf('web-v1.2.0'), r.out.indexOf('2026-11-03 10:00'));
    assert.match(block, /\n {4}web 1\.2\.0\n {4}[0-9a-f]{7}\.\.[0-9a-f]{7}: 1 commit in the service's paths\n {6}[0-9a-f]{7} web: login page \(Bo\)\n {4}A web\/login\.ts\n/);
    assert.match(r.out, /commit [0-9a-f]{12} \(the first deploy known: its changes are not\)/);
    assert.match(r.out, /\n4 deploys, 0 config changes, 1 flag change in 2 service\(s\)\.$/m);
  });

  it('--json, --service and --since (a duration before now, or a date)', async () => {
    const r = await run(repo.dir, '--json', '--service', 'web', '--since', '3d');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { dir: string; since: string; deploys: Deploy[]; problems: unknown[] };
    assert.deepEqual([j.dir, j.since, j.problems], [repo.dir, '2026-11-02T12:00:00.000Z', []]);
    assert.deepEqual(j.deploys.map((d) => [d.version, d.source, d.files?.map((f) => f.path)]), [
      ['feature.login=on', 'file', undefined],
      ['web-v1.2.0', 'git', ['web/login.ts']],
      ['web-v1.1.0', 'git', ['web/index.ts']],
    ]);
    assert.deepEqual(j.deploys[2]?.commits?.map((c) => [c.subject, c.author, c.time]), [['web: two; api: two', 'Ann', '2026-11-03T09:00:00Z']]);
    const dated = JSON.parse((await run(repo.dir, '--json', '--since=2026-11-04')).out) as { deploys: Deploy[] };
    assert.deepEqual(dated.deploys.map((d) => d.version), ['feature.login=on', 'web-v1.2.0']);
    const text = await run(repo.dir, '--service=api', '--since', '7d');
    assert.match(text.out, /^What changed in .+ since 2026-10-29 12:00 UTC \(7d\), newest first:$/m);
  });

  it('reads the current folder by default; a service without sources says so', async () => {
    const cwd = process.cwd();
    process.chdir(repo.dir);
    try {
      const r = await run('--service', 'docs');
      assert.equal(r.code, 0);
      assert.match(r.out, /^What changed in \., newest first:/);
      assert.match(r.err, /no service "docs" in oncall\.yaml has deploy sources/);
    } finally {
      process.chdir(cwd);
    }
  });

  it('a folder that is not a git repository: the git sources fail with the folder and cause, exit 1', async () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-deploys-plain-'));
    try {
      fs.writeFileSync(path.join(plain, 'oncall.yaml'), catalog);
      const r = await run(plain);
      assert.equal(r.code, 1);
      const errors = r.err.split('\n').filter((l) => l.includes(': error: '));
      assert.deepEqual(errors, [`oncall-lens deploys: error: ${plain} is not in a git repository (git rev-parse: not a git repository), so it has no git deploys (git deploys of web, api)`]);
      assert.match(r.err, /deploys\.jsonl/, 'the missing deploy log is reported by its own source');
      const none = await run(path.join(plain, 'nope'));
      assert.equal(none.code, 1);
      fs.rmSync(path.join(plain, 'oncall.yaml'));
      const noCatalog = await run(plain);
      assert.equal(noCatalog.code, 1);
      assert.match(noCatalog.err, /oncall\.yaml not found: deploy sources are configured per service there/);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2; main dispatches and documents the command', async () => {
    assert.equal((await run(repo.dir, '--since', 'yesterday')).code, 2);
    assert.equal((await run(repo.dir, '--since')).code, 2);
    const unknown = await run(repo.dir, '--service', 'cart');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no service "cart" in oncall\.yaml \(services: web, api, docs\)/);
    assert.equal((await run(repo.dir, '--bogus')).code, 2);
    assert.equal((await run(repo.dir, repo.dir)).code, 2);
    assert.match((await run('--help')).out, /oncall-lens deploys \[<dir>\] \[--service <name>\]/);
    let out = '';
    assert.equal(await main(['deploys', repo.dir, '--json', '--service', 'api'], (s) => (out += s), () => undefined), 0);
    assert.deepEqual((JSON.parse(out) as { deploys: Deploy[] }).deploys.map((d) => d.version), ['api-v7']);
    let usage = '';
    await main(['--help'], (s) => (usage += s), () => undefined);
    assert.match(usage, /oncall-lens deploys \[<dir>\]/);
  });

  it('parseSince: durations, dates, date-times (UTC unless an offset is given)', () => {
    assert.equal(parseSince('24h', now)?.toISOString(), '2026-11-04T12:00:00.000Z');
    assert.equal(parseSince('90m', now)?.toISOString(), '2026-11-05T10:30:00.000Z');
    assert.equal(parseSince('2w', now)?.toISOString(), '2026-10-22T12:00:00.000Z');
    assert.equal(parseSince('2026-11-22', now)?.toISOString(), '2026-11-22T00:00:00.000Z');
    assert.equal(parseSince('2026-11-22T18:00', now)?.toISOString(), '2026-11-22T18:00:00.000Z');
    assert.equal(parseSince('2026-11-22T18:00+01:00', now)?.toISOString(), '2026-11-22T17:00:00.000Z');
    assert.equal(parseSince('soon', now), undefined);
  });
});
