import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCatalog } from '../../../src/core/catalog/load';
import { parseDeployLog, readDeployFile } from '../../../src/core/deploys/file';
import type { Deploy } from '../../../src/core/deploys/model';
import { parseTime, readKind, readStatus, valueAt } from '../../../src/core/deploys/feedValues';
import { repoRoot } from '../helpers';

const log = [
  '{"service":"checkout","version":"2.31.0","time":"2026-11-21T10:00:00Z","commit":"1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5","environment":"production","actor":"ana","status":"succeeded","url":"https://ci.example.com/p/1"}',
  '{"service":"pricing","version":"4.18.2","time":"2026-11-21T11:00:00Z"}',
  '',
  '{"version":"flags","time":"2026-11-22T18:05:00Z","kind":"feature_flag","description":"early access on"}',
  '{"service":"checkout","version":"2.30.9","time":"yesterday"}',
  'not json at all',
  '{"service":"checkout","time":"2026-11-20T09:00:00Z"}',
  '{"service":"checkout","version":"PRICING_TIMEOUT_MS=2000","time":"2026-11-20T12:00:00","kind":"config","status":"Rolled-Back"}',
  '["a list"]',
  '{"service":"checkout","version":"x","time":"2026-11-20T13:00:00Z","kind":"secret"}',
  '{"service":"checkout","version":"y","time":1795402800,"url":"javascript:alert(1)","id":"ci-42"}',
].join('\n');

describe('deploys: the file source (JSON Lines / YAML deploy log)', () => {
  it('reads the documented entry shape, keeps the service\'s entries and those without a service, newest first by the caller', () => {
    const r = parseDeployLog(log, 'deploys.jsonl', 'checkout');
    const byVersion = new Map(r.deploys.map((d) => [d.version, d]));
    assert.deepEqual([...byVersion.keys()].sort(), ['2.31.0', 'PRICING_TIMEOUT_MS=2000', 'flags', 'y']);
    assert.deepEqual(byVersion.get('2.31.0'), {
      id: 'file:deploys.jsonl:1',
      service: 'checkout',
      source: 'file',
      kind: 'deploy',
      version: '2.31.0',
      time: '2026-11-21T10:00:00.000Z',
      environment: 'production',
      actor: 'ana',
      status: 'success',
      commit: '1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5',
      url: 'https://ci.example.com/p/1',
    });
    const flag = byVersion.get('flags');
    assert.equal(flag?.kind, 'flag');
    assert.equal(flag?.status, 'success', 'an entry without status is a done change');
    assert.equal(flag?.service, 'checkout', 'an entry without service belongs to the log\'s service');
    const config = byVersion.get('PRICING_TIMEOUT_MS=2000');
    assert.equal(config?.kind, 'config');
    assert.equal(config?.status, 'rolled_back');
    assert.equal(config?.time, '2026-11-20T12:00:00.000Z', 'a time without offset is UTC, not the machine zone');
    const y = byVersion.get('y');
    assert.equal(y?.id, 'file:deploys.jsonl#ci-42', 'an entry with an id keeps it');
    assert.equal(y?.time, '2026-11-23T03:00:00.000Z', 'epoch seconds');
    assert.equal(y?.url, undefined, 'a javascript: URL is never kept');
  });

  it('skips each malformed line and reports it with file and line; the rest are kept', () => {
    const r = parseDeployLog(log, 'deploys/all.jsonl', 'checkout');
    const byLine = new Map(r.problems.map((p) => [p.line, p]));
    assert.deepEqual([...byLine.keys()], [5, 6, 7, 9, 10, 11]);
    for (const p of r.problems) {
      assert.equal(p.file, 'deploys/all.jsonl');
      assert.ok(p.message.startsWith(`deploys/all.jsonl:${p.line}: `), p.message);
    }
    assert.match(byLine.get(5)?.message ?? '', /"time" is not a time: "yesterday"/);
    assert.match(byLine.get(6)?.message ?? '', /skipped: not a JSON object/);
    assert.match(byLine.get(7)?.message ?? '', /skipped: no "version"/);
    assert.match(byLine.get(9)?.message ?? '', /expected an object/);
    assert.match(byLine.get(10)?.message ?? '', /"kind" is "secret": expected deploy, config or flag/);
    assert.match(byLine.get(11)?.message ?? '', /"url" is not an http\(s\) URL, left out/);
    assert.equal(byLine.get(11)?.severity, 'warning');
  });

  it('a line being written (no final newline) says so; a thousand bad lines are summarised', () => {
    const cut = parseDeployLog('{"version":"1","time":"2026-11-20T00:00:00Z"}\n{"version":"2","ti', 'd.jsonl', 's');
    assert.equal(cut.deploys.length, 1);
    assert.match(cut.problems[0]?.message ?? '', /d\.jsonl:2: .*may still be being written/);
    const flood = parseDeployLog(Array.from({ length: 1000 }, () => 'x').join('\n'), 'd.jsonl', 's');
    assert.equal(flood.problems.length, 21);
    assert.match(flood.problems[20]?.message ?? '', /… and 980 more skipped entries in d\.jsonl/);
  });

  it('since leaves older entries out', () => {
    const r = parseDeployLog(log, 'deploys.jsonl', 'checkout', new Date('2026-11-21T00:00:00Z'));
    assert.deepEqual(r.deploys.map((d) => d.version).sort(), ['2.31.0', 'flags', 'y']);
  });

  it('YAML: a list of entries, each reported at its own line; versions as written', () => {
    const yaml = [
      '# deploys of the shop',
      '- service: checkout',
      '  version: 1.10',
      '  time: 2026-11-21T10:00:00Z',
      '  commit: 1234567e1',
      '- { service: checkout, version: "2.0", time: never }',
      '- service: pricing',
      '  version: 9',
      '  time: 2026-11-21T10:00:00Z',
      '- version: 2.1',
      '  time: 2026-11-22T10:00:00Z',
      '  kind: flag',
    ].join('\n');
    const r = parseDeployLog(yaml, 'deploys.yaml', 'checkout');
    assert.deepEqual(r.deploys.map((d) => [d.version, d.id, d.commit]), [
      ['1.10', 'file:deploys.yaml:2', '1234567e1'],
      ['2.1', 'file:deploys.yaml:10', undefined],
    ]);
    assert.equal(r.deploys[1]?.kind, 'flag');
    assert.deepEqual(r.problems.map((p) => p.line), [6]);
    assert.match(r.problems[0]?.message ?? '', /^deploys\.yaml:6: skipped: "time" is not a time: "never"/);
  });

  it('YAML: a syntax error is reported with its line and column, nothing read; a mapping is not a list', () => {
    const r = parseDeployLog('- version: 1\n  time: 2026-11-21T10:00:00Z\n- version: [1\n', 'deploys.yml', 'checkout');
    assert.equal(r.deploys.length, 0);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]?.code, 'syntax');
    assert.equal(r.problems[0]?.severity, 'error');
    assert.ok((r.problems[0]?.line ?? 0) >= 3, JSON.stringify(r.problems[0]));
    assert.match(r.problems[0]?.message ?? '', /^deploys\.yml:\d+:\d+: YAML syntax error, nothing read: /);
    const m = parseDeployLog('version: 1\ntime: 2026-11-21T10:00:00Z\n', 'deploys.yaml', 'checkout');
    assert.match(m.problems[0]?.message ?? '', /expected a list of deploys/);
    assert.deepEqual(parseDeployLog('', 'deploys.yaml', 'x'), { deploys: [], problems: [] });
  });

  describe('reading from the workspace folder', () => {
    let root: string;
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-deploys-'));
      fs.mkdirSync(path.join(root, 'deploys'));
      fs.writeFileSync(path.join(root, 'deploys', 'checkout.jsonl'), '{"version":"1","time":"2026-11-21T10:00:00Z"}\nbroken\n');
      fs.writeFileSync(path.join(path.dirname(root), `${path.basename(root)}-outside.jsonl`), '{"version":"1","time":"2026-11-21T10:00:00Z"}\n');
      fs.symlinkSync(path.join(path.dirname(root), `${path.basename(root)}-outside.jsonl`), path.join(root, 'link.jsonl'));
    });
    after(() => {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(path.join(path.dirname(root), `${path.basename(root)}-outside.jsonl`), { force: true });
    });

    it('reads a relative path, with problems naming the file and the source', async () => {
      const r = await readDeployFile('deploys/checkout.jsonl', { root, service: 'checkout' });
      assert.equal(r.deploys.length, 1);
      assert.deepEqual(r.problems.map((p) => [p.file, p.line, p.source]), [['deploys/checkout.jsonl', 2, 'file:deploys/checkout.jsonl']]);
    });

    it('a missing file, a path or link leaving the folder, and a file over the limit are problems, never exceptions', async () => {
      const missing = await readDeployFile('nope.jsonl', { root, service: 'checkout' });
      assert.equal(missing.problems[0]?.code, 'missing-file');
      assert.match(missing.problems[0]?.message ?? '', /nope\.jsonl does not exist in /);
      for (const p of ['../x.jsonl', '/etc/passwd', 'a/../../x.jsonl']) {
        const r = await readDeployFile(p, { root, service: 'checkout' });
        assert.equal(r.problems[0]?.code, 'not-relative', p);
      }
      const link = await readDeployFile('link.jsonl', { root, service: 'checkout' });
      assert.equal(link.deploys.length, 0);
      assert.match(link.problems[0]?.message ?? '', /leads outside the workspace folder/);
      const big = await readDeployFile('deploys/checkout.jsonl', { root, service: 'checkout', maxBytes: 10 });
      assert.equal(big.problems[0]?.code, 'too-large');
      assert.match(big.problems[0]?.message ?? '', /rotate it/);
    });
  });

  it('values: dotted paths, times, statuses and kinds', () => {
    assert.equal(valueAt({ a: { b: [{ c: 1 }] } }, 'a.b.0.c'), 1);
    assert.equal(valueAt({ a: 1 }, 'constructor'), undefined);
    assert.equal(valueAt({ a: 1 }, '__proto__.x'), undefined);
    assert.equal(parseTime('2026-11-23T04:12:00+01:00'), '2026-11-23T03:12:00.000Z');
    assert.equal(parseTime(1795403520000), '2026-11-23T03:12:00.000Z');
    assert.equal(parseTime('1795403520'), '2026-11-23T03:12:00.000Z');
    assert.equal(parseTime('5'), undefined);
    assert.equal(parseTime(''), undefined);
    assert.equal(readStatus('SUCCEEDED'), 'success');
    assert.equal(readStatus('in-progress'), 'in_progress');
    assert.equal(readStatus('weird'), 'unknown');
    assert.equal(readKind('Feature Flag'), 'flag');
    assert.equal(readKind('configuration'), 'config');
    assert.equal(readKind('nope'), undefined);
  });

  describe('the demo (demo/deploys.jsonl, demo/oncall.yaml)', () => {
    const demo = path.join(repoRoot, 'demo');
    const catalog = loadCatalog(fs.readFileSync(path.join(demo, 'oncall.yaml'), 'utf8'), 'oncall.yaml');
    const incident = Date.parse('2026-11-23T03:12:00Z');

    it('every service reads deploys.jsonl without a problem; nothing was deployed that night, a flag flip and a config change the day before', async () => {
      const all: Deploy[] = [];
      for (const s of catalog.services) {
        const file = s.deploys.find((d) => d.kind === 'file');
        assert.equal(file?.options['path'], 'deploys.jsonl', s.name);
        const r = await readDeployFile('deploys.jsonl', { root: demo, service: s.name });
        assert.deepEqual(r.problems, [], s.name);
        assert.ok(r.deploys.filter((d) => d.kind === 'deploy').length >= 2, `${s.name} has deploys`);
        assert.ok(r.deploys.every((d) => d.service === s.name));
        all.push(...r.deploys);
      }
      const total = fs.readFileSync(path.join(demo, 'deploys.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').length;
      assert.equal(all.length, total, 'every entry names one of the three services');
      assert.ok(all.every((d) => Date.parse(d.time) < incident), 'nothing after the page');
      const night = all.filter((d) => Date.parse(d.time) >= Date.parse('2026-11-22T22:00:00Z'));
      assert.deepEqual(night.filter((d) => d.kind === 'deploy'), [], 'nothing was deployed that night');
      const dayBefore = all.filter((d) => Date.parse(d.time) >= incident - 24 * 3_600_000);
      assert.ok(dayBefore.some((d) => d.kind === 'flag') && dayBefore.some((d) => d.kind === 'config'), 'the clues');
      const latest = (svc: string): string | undefined => all.filter((d) => d.service === svc && d.kind === 'deploy' && d.status === 'success').sort((a, b) => b.time.localeCompare(a.time))[0]?.version;
      assert.deepEqual(['checkout-service', 'pricing-service', 'payments-service'].map(latest), ['2.31.0', '4.18.2', '1.9.4'], 'the versions in the services\' package.json');
    });
  });
});
