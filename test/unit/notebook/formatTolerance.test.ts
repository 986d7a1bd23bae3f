// Reading incident files that people edited by hand, or that `git pull` brought: entries without IDs get stable
// derived IDs, unknown sections and stray text are kept in the notes, a malformed line is a positioned problem while
// the rest still reads, broken front matter is positioned, unknown values are warnings with a default.
import * as assert from 'node:assert/strict';
import { parseIncident, serializeIncident, type IncidentProblem } from '../../../src/core/notebook/format';
import type { Incident } from '../../../src/core/notebook/model';
import { HOSTILE, Rng, randomIncident } from './generate';
import { small } from './sample';

const FRONT = ['---', 'id: INC-2026-11-23-01', 'title: Checkout 504s', 'severity: SEV-2', 'status: active', 'phase: triage', 'commander: Lena Fischer', 'detected_by: alert', 'started: 2026-11-23T03:12:00Z', 'services: [checkout-service]', '---', ''];

function parse(...body: string[]): { incident: Incident; problems: IncidentProblem[] } {
  const r = parseIncident([...FRONT, ...body].join('\n'));
  assert.ok(r.incident, JSON.stringify(r.problems));
  return { incident: r.incident, problems: r.problems };
}
/** [line, column, severity, code] of each problem. */
const where = (ps: readonly IncidentProblem[]): Array<[number, number, string, string]> => ps.map((p) => [p.line, p.column, p.severity, p.code]);
const L = FRONT.length; // the first body line is L + 1

describe('notebook: reading hand-edited incident files', () => {
  it('gives entries written without an ID a stable ID derived from their content, never a duplicate', () => {
    const body = ['## Observations', '', '- 2026-11-23 03:14:00Z · p99 doubled', '- 2026-11-23 03:14:00Z · p99 doubled', '- 2026-11-23 03:15:00Z · 504s <!-- o-k3x9 -->', '', '## Timeline (UTC)', '', '- 2026-11-23 03:16:00Z · note · paged pricing'];
    const a = parse(...body);
    const b = parse(...body);
    const ids = a.incident.observations.map((o) => o.id);
    assert.deepEqual(ids, b.incident.observations.map((o) => o.id), 'the same file gives the same IDs');
    assert.match(ids[0] as string, /^o-[a-z0-9]{6}$/);
    assert.notEqual(ids[0], ids[1], 'two identical lines get two IDs');
    assert.equal(ids[2], 'o-k3x9');
    assert.match(a.incident.timeline[0]?.id as string, /^t-[a-z0-9]{6}$/);
    assert.deepEqual(a.problems, []);
    // Once saved, the IDs are written and read back as they are.
    const again = parseIncident(serializeIncident(a.incident));
    assert.deepEqual(again.incident, a.incident);
  });

  it('keeps an unknown section, and text before the first section, in the notes — and the notes survive a save', () => {
    const { incident, problems } = parse('# INC-2026-11-23-01: Checkout 504s', '', 'Paged by PagerDuty.', '', '## Summary', '', 'It broke.', '', '## Customer communication', '', 'Status page at 03:20.', '', '## Observations', '', '- 2026-11-23 03:14:00Z · p99 doubled');
    assert.equal(incident.summary, 'It broke.');
    assert.equal(incident.notes, 'Paged by PagerDuty.\n\n## Customer communication\n\nStatus page at 03:20.');
    assert.equal(incident.observations.length, 1);
    assert.deepEqual(where(problems), [[L + 3, 1, 'warning', 'stray-text']], 'text outside a section is reported; an unknown section is not');
    assert.deepEqual(parseIncident(serializeIncident(incident)).incident, incident);
  });

  it('reports a malformed line with its line and column and reads the rest', () => {
    const { incident, problems } = parse(
      '## Observations',
      '',
      '- 2026-13-45 99:99Z · impossible time <!-- o-1 -->',
      '- 03:20Z · a time of day takes the date of the entry before',
      '- no time at all',
      'lazy continuation of the item above',
      '',
      'A paragraph that is no observation.',
      '',
      '- 2026-11-23 03:30:00Z · still read <!-- o-2 -->',
      '',
      '## Timeline (UTC)',
      '',
      '- 2026-11-23 03:40:00Z · meeting · unknown kind',
      '- 2026-11-23 03:20:00Z · note · out of order',
    );
    assert.deepEqual(where(problems), [
      [L + 3, 3, 'warning', 'bad-time'],
      [L + 5, 3, 'warning', 'no-time'],
      [L + 8, 1, 'warning', 'stray-text'],
      [L + 14, 26, 'warning', 'unknown-value'],
    ]);
    assert.deepEqual(
      incident.observations.map((o) => [o.at, o.text]),
      [
        ['2026-11-23T03:12:00Z', 'impossible time'],
        ['2026-11-23T03:20:00Z', 'a time of day takes the date of the entry before'],
        ['2026-11-23T03:20:00Z', 'no time at all\nlazy continuation of the item above'],
        ['2026-11-23T03:30:00Z', 'still read'],
      ],
    );
    assert.equal(incident.notes, 'A paragraph that is no observation.');
    assert.deepEqual(incident.timeline.map((t) => [t.at, t.kind, t.text]), [
      ['2026-11-23T03:20:00Z', 'note', 'out of order'],
      ['2026-11-23T03:40:00Z', 'note', 'unknown kind'],
    ], 'sorted by time; an unknown kind reads as a note');
  });

  it('positions a YAML syntax error and still reads the keys it can', () => {
    const r = parseIncident(['---', 'id: INC-2026-11-23-01', 'title: "unclosed', 'severity: SEV-1', 'started: 2026-11-23T03:12:00Z', '---', '', '## Summary', '', 'ok'].join('\n'));
    const syntax = r.problems.find((p) => p.code === 'yaml-syntax');
    assert.ok(syntax, JSON.stringify(r.problems));
    assert.equal(syntax.severity, 'error');
    assert.ok(syntax.line >= 3 && syntax.line <= 6, `line ${syntax.line}`);
    assert.ok(syntax.column >= 1);
    assert.equal(r.incident?.id, 'INC-2026-11-23-01');
    assert.equal(r.incident?.severity, 'SEV-1');
    assert.equal(r.incident?.summary, 'ok');
  });

  it('is unusable only without front matter or without an id', () => {
    const none = parseIncident('# Just notes\n\nNo front matter here.\n');
    assert.equal(none.incident, undefined);
    assert.deepEqual(where(none.problems), [[1, 1, 'error', 'no-front-matter']]);
    const noId = parseIncident('---\ntitle: x\n---\n');
    assert.equal(noId.incident, undefined);
    assert.equal(noId.problems.find((p) => p.code === 'no-id')?.severity, 'error');
    const unclosed = parseIncident('---\nid: INC-2026-11-23-01\n');
    assert.equal(unclosed.incident, undefined);
    assert.deepEqual(where(unclosed.problems), [[1, 1, 'error', 'front-matter-unclosed']]);
  });

  it('reads unknown front-matter values with a warning and a sensible default', () => {
    const r = parseIncident(['---', 'id: INC-2026-11-23-01', 'severity: SEV-9', 'status: on fire', 'phase: Diagnose', 'commander: Lena', 'detected_by: pager', 'alert: X', 'started: 2026-11-23 03:12', 'mitigated: soon', 'owner: pricing', '---', ''].join('\n'));
    const inc = r.incident as Incident;
    assert.deepEqual([inc.severity, inc.status, inc.phase, inc.detectedBy, inc.started, inc.mitigated, inc.title], ['SEV-3', 'active', 'diagnose', 'alert', '2026-11-23T03:12:00Z', undefined, '']);
    assert.deepEqual(where(r.problems), [
      [1, 1, 'warning', 'no-title'],
      [3, 11, 'warning', 'unknown-value'],
      [4, 9, 'warning', 'unknown-value'],
      [7, 14, 'warning', 'unknown-value'],
      [9, 10, 'warning', 'time-format'],
      [10, 12, 'warning', 'bad-time'],
      [11, 1, 'warning', 'unknown-key'],
    ]);
    const sev0 = parseIncident([...FRONT.slice(0, 3), 'severity: sev0', ...FRONT.slice(4)].join('\n'));
    assert.equal(sev0.incident?.severity, 'SEV-1');
    const zoned = parseIncident([...FRONT.slice(0, 8), 'started: 2026-11-23T04:12:00.750+01:00', 'detected: 2026-11-23 03:13 UTC', ...FRONT.slice(9)].join('\n'));
    assert.deepEqual([zoned.incident?.started, zoned.incident?.detected], ['2026-11-23T03:12:00Z', '2026-11-23T03:13:00Z']);
    assert.deepEqual(where(zoned.problems), [[9, 10, 'warning', 'time-format'], [10, 11, 'warning', 'time-format']]);
  });

  it('takes the title from the heading when the front matter has none', () => {
    const r = parseIncident(['---', 'id: INC-2026-11-23-01', 'severity: SEV-2', 'status: active', 'phase: triage', 'commander: L', 'detected_by: human', 'started: 2026-11-23T03:12:00Z', '---', '', '# INC-2026-11-23-01: From the heading'].join('\n'));
    assert.equal(r.incident?.title, 'From the heading');
  });

  it('reads CRLF line ends and a byte-order mark like LF', () => {
    const text = serializeIncident(small);
    assert.deepEqual(parseIncident(`\uFEFF${text.replace(/\n/g, '\r\n')}`).incident, small);
  });

  it('reads hypotheses written by hand: no H-number, no ID, fields in any case, evidence with the bearing first', () => {
    const { incident, problems } = parse(
      '## Hypotheses',
      '',
      '### The pricing DB is slow',
      '',
      '- status: Testing',
      '- Raised: 2026-11-23 03:20',
      '- Probability: 40%',
      '- Prediction: DB latency is normal',
      '- Test: look at the DB dashboard',
      '  and at the slow query log',
      '- Evidence:',
      '  - supports · 2026-11-23 03:25:00Z · p99 of queries at 2 s',
      '    (from the replica)',
      '  - 2026-11-23 03:26:00Z · refutes · the primary is fine',
      '- Owner: Marta',
      '',
      '### H2: Something else',
    );
    assert.equal(incident.hypotheses.length, 2);
    const [h1, h2] = incident.hypotheses as [Incident['hypotheses'][0], Incident['hypotheses'][0]];
    assert.deepEqual(
      [h1.statement, h1.status, h1.at, h1.probability, h1.prediction, h1.test],
      ['The pricing DB is slow', 'testing', '2026-11-23T03:20:00Z', 40, 'DB latency is normal', 'look at the DB dashboard\nand at the slow query log'],
    );
    assert.deepEqual(h1.evidence.map((e) => [e.bearing, e.at, e.text]), [
      ['supports', '2026-11-23T03:25:00Z', 'p99 of queries at 2 s\n(from the replica)'],
      ['refutes', '2026-11-23T03:26:00Z', 'the primary is fine'],
    ]);
    assert.match(h1.id, /^h-[a-z0-9]{6}$/);
    assert.equal(h2.statement, 'Something else');
    assert.equal(h2.status, 'open');
    assert.equal(incident.notes, '- Owner: Marta', 'an unknown field is kept in the notes');
    assert.deepEqual(where(problems), [
      [L + 15, 3, 'warning', 'unknown-field'],
      [L + 17, 1, 'warning', 'no-status'],
      [L + 17, 1, 'warning', 'no-time'],
    ]);
  });

  it('reads actions: the group is the kind, a ticked box means done (and wins over the status word)', () => {
    const { incident, problems } = parse(
      '## Actions',
      '',
      '- [ ] 2026-11-23 03:20:00Z · outside any group',
      '',
      '### Fix',
      '',
      '- [x] 2026-11-23 03:40:00Z · planned · ticked by hand <!-- a-1 -->',
      '- [ ] 2026-11-23 03:41:00Z · abandoned · gave up — *Sam*',
      '',
      '### Mitigation',
      '',
      '- [x] Roll back',
    );
    assert.deepEqual(
      incident.actions.map((a) => [a.kind, a.status, a.what, a.who]),
      [
        ['mitigation', 'done', 'Roll back', undefined],
        ['diagnosis', 'planned', 'outside any group', undefined],
        ['fix', 'done', 'ticked by hand', undefined],
        ['fix', 'abandoned', 'gave up — *Sam*', undefined],
      ],
      'grouped mitigation, diagnosis, fix; the source token is read only with an ID comment',
    );
    assert.deepEqual(where(problems), [
      [L + 3, 1, 'warning', 'action-group'],
      [L + 7, 3, 'warning', 'checkbox-status'],
      [L + 12, 7, 'warning', 'no-time'],
    ]);
  });

  it('keeps a link of ours that is broken as text, with a warning', () => {
    const { incident, problems } = parse('## Observations', '', '- 2026-11-23 03:14:00Z · see [trace x](vscode://oncall-lens.oncall-lens/trace/xyz) <!-- o-1 -->');
    assert.equal(incident.observations[0]?.link, undefined);
    assert.equal(incident.observations[0]?.text, 'see [trace x](vscode://oncall-lens.oncall-lens/trace/xyz)');
    assert.deepEqual(where(problems).map((p) => p[3]), ['bad-link']);
  });

  it('survives random damage (lines dropped, duplicated, swapped, cut, indented, garbage): never throws, positions every problem in the file, and what it reads saves and reads back the same', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = new Rng(seed);
      const lines = serializeIncident(randomIncident(r)).split('\n');
      for (let m = 1 + r.int(6); m > 0; m--) {
        const i = r.int(lines.length);
        const line = lines[i] ?? '';
        switch (r.int(7)) {
          case 0: lines.splice(i, 1); break;
          case 1: lines.splice(i, 0, lines[r.int(lines.length)] ?? ''); break;
          case 2: lines.splice(i, 0, r.pick(HOSTILE)); break;
          case 3: lines[i] = line.replace(/<!-- [^>]* -->/, ''); break;
          case 4: lines[i] = line.slice(0, r.int(line.length + 1)); break;
          case 5: { const j = r.int(lines.length); [lines[i], lines[j]] = [lines[j] ?? '', line]; break; }
          default: lines[i] = `  ${line}`;
        }
      }
      const text = lines.join(r.chance(0.2) ? '\r\n' : '\n');
      const parsed = parseIncident(text);
      for (const p of parsed.problems) assert.ok(p.line >= 1 && p.line <= lines.length && p.column >= 1, `seed ${seed}: ${JSON.stringify(p)}`);
      if (!parsed.incident) continue;
      const again = parseIncident(serializeIncident(parsed.incident));
      assert.deepEqual(again.incident, parsed.incident, `seed ${seed}`);
      assert.deepEqual(again.problems.filter((p) => p.code !== 'odd-id'), [], `seed ${seed}`);
    }
  });
});
