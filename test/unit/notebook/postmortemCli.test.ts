// `oncall-lens postmortem <incident.md>` and `oncall-lens postmortem lint <file.md>` (src/cli/postmortemCommand.ts):
// the draft printed or written (never over an existing file without --force), and the lint as file:line:column.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { postmortemMain } from '../../../src/cli/postmortemCommand';
import { parseIncident } from '../../../src/core/notebook/format';
import { postmortem } from '../../../src/core/notebook/postmortem';
import type { PostmortemProblem } from '../../../src/core/notebook/postmortemLint';
import { repoRoot } from '../helpers';
import { DEMO_INCIDENT_FILE } from './demoIncident';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await postmortemMain(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}

const demoFile = path.join(repoRoot, DEMO_INCIDENT_FILE);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('oncall-lens postmortem (CLI)', () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-postmortem-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('prints the draft of an incident file, generated at --now', async () => {
    const r = await run(demoFile, '--now', '2026-11-24T10:00:00Z');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const incident = parseIncident(fs.readFileSync(demoFile, 'utf8')).incident;
    assert.ok(incident !== undefined);
    assert.equal(r.out, postmortem(incident, '2026-11-24T10:00:00Z'));
    assert.match(r.out, /^# Postmortem: Checkout 504s/);
    assert.match(r.out, /generated 2026-11-24 10:00:00 UTC/);
  });

  it('--out writes the draft, refuses to overwrite without --force', async () => {
    const target = path.join(tmp, 'pm.md');
    const w = await run(demoFile, '--now=2026-11-24T10:00:00Z', '--out', target);
    assert.equal(w.code, 0, w.err);
    assert.match(w.out, /Wrote the postmortem draft of INC-2026-11-23-01 to .*pm\.md/);
    const written = fs.readFileSync(target, 'utf8');
    assert.match(written, /^# Postmortem: Checkout 504s[^]*\n$/);

    fs.writeFileSync(target, 'edited by hand\n');
    const again = await run(demoFile, '--out', target);
    assert.equal(again.code, 1);
    assert.match(again.err, /pm\.md: already exists; not overwritten \(--force overwrites it\)\./);
    assert.equal(fs.readFileSync(target, 'utf8'), 'edited by hand\n');

    const forced = await run(demoFile, '--now', '2026-11-24T10:00:00Z', '--out', target, '--force');
    assert.equal(forced.code, 0, forced.err);
    assert.equal(fs.readFileSync(target, 'utf8'), written);
  });

  it('prints the problems of a broken incident file as file:line:column and exits 1', async () => {
    const demo = fs.readFileSync(demoFile, 'utf8');
    const broken = write('broken.md', demo.replace('title: Checkout', 'title: "Checkout'));
    const b = await run(broken);
    assert.equal(b.code, 1);
    assert.equal(b.out, '');
    assert.match(b.err, new RegExp(`^${escape(broken)}:\\d+:\\d+: error: YAML front matter: `, 'm'));
    assert.match((await run(path.join(tmp, 'nope.md'))).err, /nope\.md: no such file\./);
  });

  it('fails clearly on usage errors', async () => {
    assert.equal((await run()).code, 2);
    assert.equal((await run(demoFile, '--now', 'yesterday')).code, 2);
    assert.equal((await run(demoFile, '--out')).code, 2);
    assert.equal((await run(demoFile, '--force')).code, 2);
    assert.equal((await run(demoFile, demoFile)).code, 2);
    assert.equal((await run(demoFile, '--frobnicate')).code, 2);
    assert.equal((await run('lint')).code, 2);
    assert.equal((await run('lint', 'a.md', 'b.md')).code, 2);
    assert.equal((await run('lint', 'a.md', '--fix')).code, 2);
    const help = await run('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /oncall-lens postmortem lint <postmortem\.md> \[--json\]/);
  });

  describe('lint', () => {
    it("prints the demo draft's problems as file:line:column: severity: message [code]; warnings only exit 0", async () => {
      const draft = path.join(tmp, 'draft.md');
      assert.equal((await run(demoFile, '--now', '2026-11-24T10:00:00Z', '--out', draft)).code, 0);
      const r = await run('lint', draft);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trimEnd().split('\n');
      assert.equal(lines.length, 10);
      for (const l of lines) assert.match(l, new RegExp(`^${escape(draft)}:\\d+:\\d+: warning: .+ \\[[a-z-]+\\]$`));
      assert.match(r.out, /:27:4: warning: "Root causes" names a single cause\. Incidents rarely have one cause: name the contributing factors too.* \[single-root-cause\]$/m);
      assert.match(r.out, /: warning: Action item AI-5 \("Index on price_rules \(sku, valid_from\) for the catalog query"\) has no owner \("TBD"\).* \[action-item-no-owner\]$/m);
      assert.match(r.out, /\[no-what-went-well\]$/m);
    });

    it('exits 1 on an error and prints JSON with --json', async () => {
      const f = write('blame.md', '# Postmortem\n\n## Summary\n\nAlice broke the deploy; human error.\n');
      const r = await run('lint', f);
      assert.equal(r.code, 1);
      assert.match(r.out, new RegExp(`^${escape(f)}:5:1: error: "Alice broke" makes a person the subject of the failure\\..* \\[blame-person\\]$`, 'm'));
      assert.match(r.out, new RegExp(`^${escape(f)}:5:25: error: "human error" .* \\[blame-human-error\\]$`, 'm'));
      const j = await run('lint', '--json', f);
      assert.equal(j.code, 1);
      const problems = JSON.parse(j.out) as PostmortemProblem[];
      assert.deepEqual(problems.find((p) => p.code === 'blame-person'), { line: 5, column: 1, endColumn: 12, message: problems.find((p) => p.code === 'blame-person')?.message, severity: 'error', code: 'blame-person' });
      assert.ok(problems.some((p) => p.code === 'missing-section'));

      const clean = write('clean.md', '');
      const c = await run('lint', clean, '--json');
      assert.ok(Array.isArray(JSON.parse(c.out)));
      assert.equal((await run('lint', path.join(tmp, 'missing.md'))).code, 1);
    });

    it('is wired into oncall-lens and its usage', async () => {
      let out = '';
      const code = await main(['postmortem', 'lint', path.join(tmp, 'blame.md'), '--json'], (s) => (out += s), () => undefined);
      assert.equal(code, 1);
      assert.ok(Array.isArray(JSON.parse(out)));
      let usage = '';
      await main(['--help'], (s) => (usage += s), () => undefined);
      assert.match(usage, /oncall-lens postmortem <incident\.md> \[--now <ISO time>\] \[--out <file> \[--force\]\]/);
      assert.match(usage, /oncall-lens postmortem lint <postmortem\.md> \[--json\]/);
    });
  });
});
