// The demo's incident file (demo/.oncall/incidents/INC-2026-11-23-01.md) is made by the notebook's own serializer from
// demoIncident.ts and must read back with no problem. UPDATE_DEMO_INCIDENT=1 rewrites it after a change of the story
// or of the format.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseIncident, serializeIncident } from '../../../src/core/notebook/format';
import { repoRoot } from '../helpers';
import { DEMO_INCIDENT_FILE, demoIncident } from './demoIncident';

const file = path.join(repoRoot, DEMO_INCIDENT_FILE);

describe('notebook: the demo incident', () => {
  const incident = demoIncident();
  const text = serializeIncident(incident);
  before(() => {
    if (process.env['UPDATE_DEMO_INCIDENT'] === '1') {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
  });

  it('is what the serializer writes for demoIncident() (UPDATE_DEMO_INCIDENT=1 regenerates it)', () => {
    assert.equal(fs.readFileSync(file, 'utf8'), text);
  });

  it('reads back with zero problems, exactly', () => {
    const parsed = parseIncident(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.incident, incident);
  });

  it('tells the demo\'s story: three hypotheses (confirmed, falsified, open), all three kinds of action, a timeline', () => {
    assert.equal(incident.id, 'INC-2026-11-23-01');
    assert.equal(incident.started, '2026-11-23T03:12:00Z');
    assert.deepEqual(incident.hypotheses.map((h) => h.status), ['confirmed', 'falsified', 'open']);
    assert.deepEqual([...new Set(incident.actions.map((a) => a.kind))], ['mitigation', 'diagnosis', 'fix']);
    assert.ok(incident.observations.length >= 3);
    assert.ok(incident.timeline.length >= 20);
    assert.deepEqual(incident.services, ['checkout-service', 'pricing-service']);
  });

  it('links only to files, lines, traces and spans that exist in the demo workspace', () => {
    const demo = path.join(repoRoot, 'demo');
    const traces = fs.readdirSync(path.join(demo, 'traces')).map((f) => fs.readFileSync(path.join(demo, 'traces', f), 'utf8')).join('\n');
    const links = [...incident.observations, ...incident.hypotheses.flatMap((h) => h.evidence), ...incident.actions, ...incident.timeline].flatMap((x) => (x.link ? [x.link] : []));
    assert.ok(links.length >= 10);
    for (const l of links) {
      if (l.kind === 'file') {
        const lines = fs.readFileSync(path.join(demo, l.path), 'utf8').split('\n').length;
        assert.ok((l.endLine ?? l.line) <= lines, `${l.path}:${l.endLine ?? l.line} is past the end`);
      } else if (l.kind === 'trace' || l.kind === 'span') {
        assert.ok(traces.includes(l.traceId), `trace ${l.traceId} is not in demo/traces`);
        if (l.kind === 'span') assert.ok(traces.includes(l.spanId), `span ${l.spanId}`);
        if (l.source !== undefined) assert.ok(fs.existsSync(path.join(demo, l.source)), l.source);
      } else if (l.kind === 'deploy') {
        assert.ok(fs.readFileSync(path.join(demo, 'deploys.jsonl'), 'utf8').includes(`"version":"${l.version}"`), l.version);
      }
    }
  });
});
