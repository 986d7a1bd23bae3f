// `oncall-lens runbooks` (src/cli/runbooksCommand.ts): the listing by service with alerts, problems and stale flags
// (text and JSON), and `lint`, which prints file:line:col: severity: message and fails on errors (or, with
// --strict, on warnings) — over the prometheus-operator runbooks and a workspace of broken ones, including a binary
// .md and a runbook over the size limit.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { runbooksMain } from '../../../src/cli/runbooksCommand';
import { repoRoot } from '../helpers';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runbooksMain(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}

const promOp = path.join(repoRoot, 'test', 'fixtures', 'runbooks', 'prometheus-operator');
const bad = path.join(repoRoot, 'test', 'fixtures', 'runbooks', 'bad');

describe('oncall-lens runbooks (CLI)', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-runbooks-'));
    fs.cpSync(bad, path.join(tmp, 'bad'), { recursive: true });
    const rb = path.join(tmp, 'bad', 'runbooks');
    fs.writeFileSync(path.join(rb, 'Screenshot.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    const line = 'Check the dashboards, then the logs, then the deploys.\n';
    fs.writeFileSync(path.join(rb, 'huge.md'), `---\ntitle: Huge runbook\nalerts: [HugeAlert]\n---\n# HugeAlert\n${line.repeat(Math.ceil((3 * 1024 * 1024) / line.length))}`);
    fs.mkdirSync(path.join(tmp, 'warn', 'runbooks'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'warn', 'runbooks', 'Only.md'), '---\ntitle: Only a warning\nowners: me\n---\n# OnlyAlert\n');
    fs.mkdirSync(path.join(tmp, 'empty'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lists the prometheus-operator runbooks by folder service with their alerts', async () => {
    const r = await run(promOp);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^kubernetes {2}— 48 runbooks$/m);
    assert.match(r.out, /^ {2}KubePodCrashLooping +Kube Pod Crash Looping {2}kubernetes\/KubePodCrashLooping\.md$/m);
    assert.match(r.out, /^ {2}\(section\) +node {2}node\/_index\.md$/m);
    assert.match(r.out, /^81 runbooks for 75 alerts in 6 services; 0 stale \(last reviewed over 180 days ago\), 76 without last_reviewed\.$/m);
    assert.equal(r.err, '');
  });

  it('--json prints runbooks, services and problems', async () => {
    const r = await run(promOp, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.runbooks.length, 81);
    const crash = j.runbooks.find((x: { id: string }) => x.id === 'kubernetes/KubePodCrashLooping');
    assert.deepEqual([crash.alerts, crash.services, crash.stale, crash.problems, crash.sections], [['KubePodCrashLooping'], ['kubernetes'], null, [], ['kubepodcrashlooping', 'meaning', 'impact', 'diagnosis', 'mitigation']]);
    assert.deepEqual(j.services.map((s: { name: string }) => s.name), ['alertmanager', 'general', 'kube-state-metrics', 'kubernetes', 'node', '(unassigned)']);
    assert.deepEqual([j.problems, j.notes], [[], []]);
  });

  it('lint passes on the prometheus-operator runbooks', async () => {
    const r = await run('lint', promOp);
    assert.equal(r.code, 0, r.out);
    assert.equal(r.out, '');
    assert.equal(r.err, '81 runbooks: 0 errors, 0 warnings.\n');
  });

  it('lint prints every problem as file:line:col: severity: message and exits 1 on errors', async () => {
    const dir = path.join(tmp, 'bad');
    const r = await run('lint', dir);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    for (const l of lines) assert.match(l, /^.+\.md:\d+:\d+: (error|warning|info): .+$/);
    const p = (rel: string): string => path.join(dir, rel);
    const expected = [
      `${p('runbooks/Screenshot.md')}:1:1: error: This is not a text file (it contains NUL bytes); it is listed but not shown.`,
      `${p('runbooks/duplicate-b.md')}:2:1: error: The runbook ID "queue-backlog" is also the ID of runbooks/duplicate-a.md; IDs must be unique.`,
      `${p('runbooks/duplicate-b.md')}:4:1: warning: The alert "QueueBacklogGrowing" already has a runbook: runbooks/duplicate-a.md. Alert links open the first one.`,
      `${p('runbooks/huge.md')}:1:1: error: This runbook is 3 MB, over the 2 MB limit: only its front matter and title are read, and it is not shown.`,
      `${p('runbooks/links.md')}:9:25: warning: Link target "../other.md" not found (looked for other.md).`,
      `${p('runbooks/links.md')}:10:17: warning: Link target "./NotThere.md" not found (looked for runbooks/NotThere.md, NotThere.md).`,
      `${p('runbooks/links.md')}:11:95: warning: Link target "src/checkout/gone.go:7" not found (looked for runbooks/src/checkout/gone.go, src/checkout/gone.go).`,
      `${p('runbooks/links.md')}:12:48: warning: No heading of this runbook has the anchor "#no-such-heading".`,
      `${p('runbooks/links.md')}:13:17: warning: Links with the "javascript:" scheme are not followed (only http, https and mailto open).`,
      `${p('runbooks/links.md')}:13:49: warning: Links with the "data:" scheme are not followed (only http, https and mailto open).`,
      `${p('runbooks/malformed-yaml.md')}:4:1: error: YAML front matter: deficient indentation.`,
      `${p('runbooks/payments/bad-toml.md')}:3:11: error: TOML front matter: "PaymentsRetry" is not a TOML value (strings need quotes).`,
      `${p('runbooks/wrong-types.md')}:3:9: error: "alerts" must be a name or a list of names, not a number (5).`,
      `${p('runbooks/wrong-types.md')}:4:16: error: "last_reviewed" must be a date written YYYY-MM-DD (e.g. 2025-01-31), not "last tuesday".`,
      `${p('runbooks/wrong-types.md')}:6:1: warning: Unknown front-matter key "sevrity" (ignored); did you mean "severity"?`,
    ];
    assert.deepEqual(lines, expected);
    assert.match(r.err, /runbook folder "runbooks\/checkout" \(from oncall\.yaml\) does not exist\./);
    assert.match(r.err, /^9 runbooks: 7 errors, 8 warnings\.$/m);
  });

  it('the listing shows problems, stale flags and the services from oncall.yaml and front matter', async () => {
    const dir = path.join(tmp, 'bad');
    const r = await run(dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^payments {2}— 3 runbooks$/m);
    assert.match(r.out, /^ {2}PaymentsDown, PaymentsErrorRate +Payments down {2}runbooks\/payments\/PaymentsDown\.md {2}\[stale: reviewed 2024-03-01, \d+ days ago\]$/m);
    assert.match(r.out, /^ {2}HugeAlert +Huge runbook {2}runbooks\/huge\.md {2}\[1 error\]$/m);
    assert.match(r.out, /^ {2}Screenshot +Screenshot {2}runbooks\/Screenshot\.md {2}\[1 error\]$/m);
    assert.match(r.err, /runbooks\/wrong-types\.md:3:9: error: "alerts" must be/);
    const fresh = await run(dir, '--stale-days', '100000', '--json');
    const j = JSON.parse(fresh.out);
    assert.equal(j.runbooks.find((x: { file: string }) => x.file === 'runbooks/payments/PaymentsDown.md').stale, false);
    assert.equal(j.runbooks.find((x: { file: string }) => x.file === 'runbooks/links.md').stale, null);
    assert.deepEqual(j.notes, ['runbook folder "runbooks/checkout" (from oncall.yaml) does not exist.']);
    // --max-mb raises the size limit: the huge runbook is read in full.
    const big = await run('lint', dir, '--max-mb', '8');
    assert.doesNotMatch(big.out, /huge\.md/);
  });

  it('lint exits 0 on warnings only, 1 with --strict', async () => {
    const dir = path.join(tmp, 'warn');
    const r = await run('lint', dir);
    assert.equal(r.code, 0);
    assert.equal(r.out, `${path.join(dir, 'runbooks', 'Only.md')}:3:1: warning: Unknown front-matter key "owners" (ignored); did you mean "owner"?\n`);
    assert.equal((await run('lint', dir, '--strict')).code, 1);
    const empty = await run('lint', path.join(tmp, 'empty'));
    assert.deepEqual([empty.code, empty.err], [0, '0 runbooks: 0 errors, 0 warnings.\n']);
  });

  it('usage errors exit 2; a missing folder exits 1; main dispatches and documents the command', async () => {
    assert.equal((await run()).code, 2);
    assert.equal((await run('lint')).code, 2);
    assert.equal((await run(promOp, '--stale-days', 'soon')).code, 2);
    assert.equal((await run(promOp, '--max-mb', '0')).code, 2);
    assert.equal((await run('lint', promOp, '--json')).code, 2);
    assert.equal((await run(promOp, '--bogus')).code, 2);
    assert.equal((await run(promOp, promOp)).code, 2);
    const missing = await run(path.join(tmp, 'nope'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no such folder/);
    assert.match((await run('--help')).out, /oncall-lens runbooks lint <dir> \[--strict\]/);
    let out = '';
    assert.equal(await main(['runbooks', 'lint', promOp], (s) => (out += s), () => undefined), 0);
    assert.equal(out, '');
    let usage = '';
    await main(['--help'], (s) => (usage += s), () => undefined);
    assert.match(usage, /oncall-lens runbooks <dir> \[--json\]/);
  });
});
