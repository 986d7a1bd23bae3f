// The incident file on disk: atomic saves, the lock, merging what others changed, conflicts never overwritten,
// two writers in two processes, and kill -9 in the middle of saves.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LockTimeoutError, removeStaleTemps, withFileLock, writeFileAtomic } from '../../../src/core/notebook/atomicFile';
import { parseIncident, serializeIncident } from '../../../src/core/notebook/format';
import { newIncident } from '../../../src/core/notebook/incident';
import type { Incident } from '../../../src/core/notebook/model';
import { countingIds } from '../../../src/core/notebook/ops';
import type { OpContext } from '../../../src/core/notebook/ops';
import { IncidentFile } from '../../../src/core/notebook/store';

const T0 = '2026-11-24T03:02:00Z';
const base = (): Incident => newIncident({ title: 'Checkout returns 502', severity: 'SEV-2', commander: 'Lena', detectedBy: 'alert', alert: 'CheckoutErrors', started: T0 }, 'INC-2026-11-24-01');
let n = 0;
const ctx = (prefix = 'w'): OpContext => {
  const next = countingIds();
  return { now: '2026-11-24T03:10:00Z', newId: (p) => `${next(p)}${prefix}${++n}` };
};

describe('notebook: the incident file on disk (store)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-nb-'));
    file = path.join(dir, 'INC-2026-11-24-01.md');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const open = async (options = {}): Promise<IncidentFile> => {
    const r = await IncidentFile.open(file, options);
    assert.ok(r.ok, r.ok ? '' : r.error);
    return r.file;
  };
  const onDisk = (): Incident => {
    const p = parseIncident(fs.readFileSync(file, 'utf8'));
    assert.ok(p.incident, JSON.stringify(p.problems));
    return p.incident;
  };

  it('creates the file once (a second create fails) and saves each edit at once', async () => {
    const doc = await IncidentFile.create(file, base());
    await assert.rejects(IncidentFile.create(file, base()), /exists already/);
    const r = await doc.apply({ op: 'addObservation', text: 'p99 of /api/checkout is 4 s', source: 'Grafana' }, ctx());
    assert.equal(r.kind, 'saved');
    assert.equal(onDisk().observations[0]?.text, 'p99 of /api/checkout is 4 s');
    assert.equal(doc.pending, false);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['INC-2026-11-24-01.md'], 'no temp or lock file is left');
  });

  it('refuses an invalid edit and changes nothing', async () => {
    const doc = await IncidentFile.create(file, base());
    const before = fs.readFileSync(file, 'utf8');
    const r = await doc.apply({ op: 'editObservation', id: 'o-nope', text: 'x' }, ctx());
    assert.equal(r.kind, 'refused');
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });

  it('merges an edit made on disk meanwhile (git pull) with ours, and writes both', async () => {
    const doc = await IncidentFile.create(file, base());
    // Someone else's version: a new observation and a new title, written by their serializer.
    const theirs = { ...onDisk(), title: 'Checkout 502s after the pricing deploy', observations: [{ id: 'o-them1', at: '2026-11-24T03:05:00Z', text: 'pricing-service pods restarted', source: 'kubectl' }] };
    fs.writeFileSync(file, serializeIncident(theirs));
    const r = await doc.apply({ op: 'addHypothesis', statement: 'The price cache stampedes on expiry', prediction: 'No burst of catalog queries at expiry', test: 'Count db spans per minute' }, ctx());
    assert.equal(r.kind, 'saved');
    assert.ok(r.kind === 'saved' && r.merged, 'says it merged');
    const disk = onDisk();
    assert.equal(disk.title, 'Checkout 502s after the pricing deploy');
    assert.deepEqual(disk.observations.map((o) => o.id), ['o-them1']);
    assert.equal(disk.hypotheses[0]?.statement, 'The price cache stampedes on expiry');
  });

  it('a conflict is never overwritten: the file stays, ours is kept in memory and in the backup, until the user picks', async () => {
    const backupDir = path.join(dir, 'backups');
    await IncidentFile.create(file, base());
    const doc = await open({ backupDir });
    fs.writeFileSync(file, serializeIncident({ ...onDisk(), title: 'Theirs' }));
    const theirsText = fs.readFileSync(file, 'utf8');
    const r = await doc.apply({ op: 'setMeta', field: 'title', value: 'Mine' }, ctx());
    assert.equal(r.kind, 'conflict');
    assert.ok(r.kind === 'conflict' && r.conflicts.some((c) => c.path === 'title'), JSON.stringify(r));
    assert.equal(fs.readFileSync(file, 'utf8'), theirsText, 'the file is untouched');
    assert.equal(doc.incident.title, 'Mine');
    assert.equal(doc.pending, true);
    assert.ok(r.kind === 'conflict' && r.backup);
    assert.equal(parseIncident(fs.readFileSync(path.join(backupDir, 'INC-2026-11-24-01.mine.md'), 'utf8')).incident?.title, 'Mine');
    // Further edits are kept but not written while the conflict stands.
    const again = await doc.apply({ op: 'addObservation', text: 'still typing' }, ctx());
    assert.equal(again.kind, 'conflict');
    assert.equal(fs.readFileSync(file, 'utf8'), theirsText);
    const mine = await doc.resolve('mine');
    assert.equal(mine.kind, 'saved');
    assert.equal(onDisk().title, 'Mine');
    assert.equal(onDisk().observations.at(-1)?.text, 'still typing');
    assert.equal(doc.pending, false);
  });

  it('"take theirs" ends a conflict with the file as it is', async () => {
    await IncidentFile.create(file, base());
    const doc = await open();
    fs.writeFileSync(file, serializeIncident({ ...onDisk(), severity: 'SEV-1' }));
    assert.equal((await doc.apply({ op: 'setMeta', field: 'severity', value: 'SEV-3' }, ctx())).kind, 'conflict');
    const r = await doc.resolve('theirs');
    assert.equal(r.kind, 'saved');
    assert.equal(doc.incident.severity, 'SEV-1');
    assert.equal(doc.pending, false);
  });

  it('reload takes an outside change in when nothing of ours is pending', async () => {
    const doc = await IncidentFile.create(file, base());
    assert.equal((await doc.reload()).kind, 'unchanged');
    fs.writeFileSync(file, serializeIncident({ ...onDisk(), phase: 'mitigate' }));
    const r = await doc.reload();
    assert.equal(r.kind, 'saved');
    assert.equal(doc.incident.phase, 'mitigate');
  });

  it('a file that no longer parses: edits are kept and not written; the problem names the line', async () => {
    const backupDir = path.join(dir, 'backups');
    await IncidentFile.create(file, base());
    const doc = await open({ backupDir });
    fs.writeFileSync(file, '---\nid: [unclosed\n---\n# broken\n');
    const r = await doc.apply({ op: 'addObservation', text: 'kept' }, ctx());
    assert.equal(r.kind, 'failed');
    assert.match(r.kind === 'failed' ? r.error : '', /no longer parses.*INC-2026-11-24-01\.md:\d+:\d+/);
    assert.equal(fs.readFileSync(file, 'utf8'), '---\nid: [unclosed\n---\n# broken\n');
    assert.equal(doc.incident.observations.at(-1)?.text, 'kept');
    assert.ok(fs.existsSync(path.join(backupDir, 'INC-2026-11-24-01.mine.md')));
  });

  it('a file deleted on disk (a branch switch) is written again rather than lost', async () => {
    const doc = await IncidentFile.create(file, base());
    fs.rmSync(file);
    assert.equal((await doc.apply({ op: 'addObservation', text: 'after the delete' }, ctx())).kind, 'saved');
    assert.equal(onDisk().observations.at(-1)?.text, 'after the delete');
  });

  it('two writers in two processes (two VS Code windows) lose nothing: 2 × 40 observations', async function () {
    this.timeout(60_000);
    await IncidentFile.create(file, base());
    const script = path.join(dir, 'writer.js');
    fs.writeFileSync(
      script,
      `const { IncidentFile } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/notebook/store.js'))});
       const { opContext } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/notebook/ops.js'))});
       (async () => {
         const r = await IncidentFile.open(process.argv[2], { lockTimeoutMs: 30000 });
         if (!r.ok) throw new Error(r.error);
         for (let i = 0; i < 40; i++) {
           const out = await r.file.apply({ op: 'addObservation', text: process.argv[3] + ' #' + i }, opContext(r.file.incident, '2026-11-24T03:20:00Z'));
           if (out.kind !== 'saved') throw new Error(out.kind + ' ' + (out.error || JSON.stringify(out.conflicts || '')));
         }
       })().catch((e) => { console.error(e); process.exit(1); });`,
    );
    const run = (who: string): Promise<number> =>
      new Promise((resolve) => {
        const p = spawn(process.execPath, [script, file, who], { stdio: ['ignore', 'ignore', 'inherit'] });
        p.on('exit', (code) => resolve(code ?? 1));
      });
    assert.deepEqual(await Promise.all([run('window A'), run('window B')]), [0, 0]);
    const texts = onDisk().observations.map((o) => o.text);
    assert.equal(texts.length, 80);
    for (let i = 0; i < 40; i++) assert.ok(texts.includes(`window A #${i}`) && texts.includes(`window B #${i}`), `#${i} of both`);
  });

  it('kill -9 in the middle of saves leaves a whole file, old or new, never a mix', async function () {
    this.timeout(120_000);
    const big = { ...base(), summary: 'x'.repeat(200_000) }; // slow enough to be killed mid-write
    await IncidentFile.create(file, big);
    const script = path.join(dir, 'saver.js');
    fs.writeFileSync(
      script,
      `const { IncidentFile } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/notebook/store.js'))});
       const { opContext } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/notebook/ops.js'))});
       (async () => {
         const r = await IncidentFile.open(process.argv[2]);
         if (!r.ok) throw new Error(r.error);
         process.stdout.write('ready\\n');
         for (let i = 0; ; i++) await r.file.apply({ op: 'addObservation', text: 'save ' + i + ' ' + 'y'.repeat(5000) }, opContext(r.file.incident, '2026-11-24T03:20:00Z'));
       })().catch((e) => { console.error(e); process.exit(1); });`,
    );
    let last = 0;
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 30 + Math.random() * 150));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      // A stale lock of the killed process must not block the next writer for long: it is dead.
      const parsed = parseIncident(fs.readFileSync(file, 'utf8'));
      assert.ok(parsed.incident, `round ${round}: the file parses (${JSON.stringify(parsed.problems.slice(0, 2))})`);
      assert.equal(parsed.problems.filter((p) => p.severity === 'error').length, 0);
      assert.equal(parsed.incident.summary.length, 200_000, 'the summary is whole');
      const count = parsed.incident.observations.length;
      assert.ok(count >= last, `round ${round}: nothing saved before is lost (${count} >= ${last})`);
      last = count;
    }
    assert.ok(last > 0, 'some saves completed between kills');
    // The next open clears the temp files the killed writers left.
    await IncidentFile.open(file);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });
});

describe('notebook: atomic writes and the lock', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-atomic-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes through a temp file and keeps the mode of the file it replaces', async () => {
    const f = path.join(dir, 'sub', 'a.md');
    await writeFileAtomic(f, 'one');
    fs.chmodSync(f, 0o600);
    await writeFileAtomic(f, 'two');
    assert.equal(fs.readFileSync(f, 'utf8'), 'two');
    if (process.platform !== 'win32') assert.equal(fs.statSync(f).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(path.dirname(f)), ['a.md']);
  });

  it('removes temp files of dead processes only', async () => {
    const f = path.join(dir, 'a.md');
    fs.writeFileSync(f, 'x');
    fs.writeFileSync(path.join(dir, '.a.md.999999999.abcd.tmp'), 'half');
    fs.writeFileSync(path.join(dir, `.a.md.${process.ppid}.abcd.tmp`), 'a live writer');
    assert.equal(await removeStaleTemps(f), 1);
    assert.deepEqual(fs.readdirSync(dir).sort(), [`.a.md.${process.ppid}.abcd.tmp`, 'a.md']);
  });

  it('one holder at a time; a lock of a dead process is taken over; a live one times out naming the file', async () => {
    const f = path.join(dir, 'a.md');
    const order: string[] = [];
    await Promise.all([
      withFileLock(f, async () => {
        order.push('1 in');
        await new Promise((r) => setTimeout(r, 50));
        order.push('1 out');
      }),
      new Promise((r) => setTimeout(r, 5)).then(() => withFileLock(f, async () => void order.push('2'))),
    ]);
    assert.deepEqual(order, ['1 in', '1 out', '2']);
    fs.writeFileSync(`${f}.lock`, JSON.stringify({ pid: 999999999, host: os.hostname(), at: '2026-11-24T00:00:00Z' }));
    assert.equal(await withFileLock(f, async () => 'taken over', { timeoutMs: 1000 }), 'taken over');
    fs.writeFileSync(`${f}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), at: new Date().toISOString() }));
    await assert.rejects(withFileLock(f, async () => 'never', { timeoutMs: 200 }), (e: unknown) => e instanceof LockTimeoutError && /a\.md is being saved by process \d+/.test(e.message));
  });
});
