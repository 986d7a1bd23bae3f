// `oncall-lens incident <file.md>` (src/cli/incidentCommand.ts): problems as file:line:column, the handoff summary,
// JSON and the postmortem draft, over the demo's incident file and broken copies of it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { incidentMain } from '../../../src/cli/incidentCommand';
import { repoRoot } from '../helpers';
import { DEMO_INCIDENT_FILE } from './demoIncident';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await incidentMain(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}

const demoFile = path.join(repoRoot, DEMO_INCIDENT_FILE);

describe('oncall-lens incident (CLI)', () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-incident-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('prints the handoff summary by default, counting from --now', async () => {
    const r = await run(demoFile, '--now', '2026-11-23T04:02:00Z');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.match(r.out, /^\*\*INC-2026-11-23-01 · SEV-2 · mitigated\*\* — Checkout 504s/);
    assert.match(r.out, /· 50 min since start \(03:12Z\)/);
    assert.equal((await run(demoFile, '--handoff', '--now=2026-11-23T04:02:00Z')).out, r.out);
  });

  it('--json prints the incident; --postmortem the draft', async () => {
    const j = await run(demoFile, '--json');
    assert.equal(j.code, 0, j.err);
    const inc = JSON.parse(j.out);
    assert.equal(inc.id, 'INC-2026-11-23-01');
    assert.deepEqual(inc.hypotheses.map((h: { status: string }) => h.status), ['confirmed', 'falsified', 'open']);
    const p = await run(demoFile, '--postmortem', '--now', '2026-11-24T10:00:00Z');
    assert.equal(p.code, 0, p.err);
    assert.match(p.out, /^# Postmortem: Checkout 504s/);
    assert.match(p.out, /generated 2026-11-24 10:00:00 UTC/);
  });

  it('prints problems as file:line:column: severity: message; errors fail without output, warnings do not', async () => {
    const demo = fs.readFileSync(demoFile, 'utf8');
    const warn = write('warn.md', demo.replace('severity: SEV-2', 'severity: SEV-9').replace('## Observations\n', '## Observations\n\nA stray paragraph.\n'));
    const w = await run(warn);
    assert.equal(w.code, 0);
    assert.match(w.err, new RegExp(`^${warn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:11: warning: Severity "SEV-9" is read as SEV-3`, 'm'));
    assert.match(w.err, /warn\.md:\d+:1: warning: This text is not an observation/);
    assert.match(w.out, /^\*\*INC-2026-11-23-01 · SEV-3 · mitigated\*\*/);

    const broken = write('broken.md', demo.replace('title: Checkout', 'title: "Checkout'));
    const b = await run(broken);
    assert.equal(b.code, 1);
    assert.equal(b.out, '');
    assert.match(b.err, /broken\.md:\d+:\d+: error: YAML front matter: /);
    assert.match(b.err, /broken\.md: 1 error\.$/m);

    const none = write('none.md', '# Notes\n');
    const n = await run(none);
    assert.equal(n.code, 1);
    assert.match(n.err, /none\.md:1:1: error: An incident file starts with YAML front matter/);
    assert.match(n.err, /not readable as an incident/);
  });

  it('fails clearly on a missing file and on usage errors', async () => {
    const missing = await run(path.join(tmp, 'nope.md'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.md: no such file\./);
    assert.equal((await run()).code, 2);
    assert.equal((await run(demoFile, '--json', '--postmortem')).code, 2);
    assert.equal((await run(demoFile, '--now', 'yesterday')).code, 2);
    assert.equal((await run(demoFile, '--frobnicate')).code, 2);
    assert.equal((await run(demoFile, demoFile)).code, 2);
    const help = await run('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /oncall-lens incident <file\.md>/);
  });

  it('is wired into oncall-lens and its usage', async () => {
    let out = '';
    const code = await main(['incident', demoFile, '--json'], (s) => (out += s), () => undefined);
    assert.equal(code, 0);
    assert.equal(JSON.parse(out).commander, 'Sam Okafor');
    let usage = '';
    await main(['--help'], (s) => (usage += s), () => undefined);
    assert.match(usage, /oncall-lens incident <file\.md> \[--json \| --handoff \| --postmortem\] \[--now <ISO time>\]/);
  });
});
