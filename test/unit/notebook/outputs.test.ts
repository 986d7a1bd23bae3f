// What the notebook writes for people: the handoff summary for the incident channel (src/core/notebook/handoff.ts)
// and the blameless postmortem draft (src/core/notebook/postmortem.ts), on the demo's realistic incident.
import * as assert from 'node:assert/strict';
import { handoffSummary } from '../../../src/core/notebook/handoff';
import { cell, postmortem } from '../../../src/core/notebook/postmortem';
import type { Incident } from '../../../src/core/notebook/model';
import { newIncident } from '../../../src/core/notebook/incident';
import { demoIncident } from './demoIncident';

const demo = demoIncident();

describe('notebook: handoff summary', () => {
  it('says where we are, what stops the bleeding, what we believe and ruled out, and what is next', () => {
    const text = handoffSummary(demo, '2026-11-23T04:02:00Z');
    const lines = text.split('\n');
    assert.equal(lines[0], '**INC-2026-11-23-01 · SEV-2 · mitigated** — Checkout 504s and p99 over 2 s at the APAC early-access opening');
    assert.equal(lines[1], 'Phase: fix · IC: Sam Okafor · 50 min since start (03:12Z)');
    assert.match(text, /^\*\*Mitigation:\*\* ✅ Pause the repricing job .* \(Marta Nowak\) · ✅ Set PRICING_MAX_ATTEMPTS=1 .* \(Sam Okafor\)$/m);
    assert.match(text, /^\*\*Confirmed:\*\* H1 The catalog cache entry of pricing-service expired/m);
    assert.match(text, /^- H3 \(open, 50 %\): Checkout's one retry .* — wrong if: Requests into pricing-service during the stampede/m);
    assert.match(text, /^\*\*Ruled out:\*\* H2 Card authorization is slow/m);
    assert.match(text, /^\*\*Next:\*\* Test H3: pricing attempts per checkout during the stampede \(diagnosis, Sam Okafor\)$/m);
    assert.ok(text.length < 2000 && lines.length <= 16, `fits one chat message (${text.length} characters, ${lines.length} lines)`);
  });

  it('for a fresh incident: no mitigation yet, decide the next experiment; a resolved one says how long it took', () => {
    const fresh = newIncident({ title: 'Search is down', severity: 'SEV-1', commander: 'Lena', detectedBy: 'customer', started: '2026-11-23T22:50:00Z' }, []);
    const text = handoffSummary(fresh, new Date('2026-11-24T00:05:30Z'));
    assert.match(text, /^Phase: triage · IC: Lena · 1 h 15 min since start \(2026-11-23 22:50Z\)$/m);
    assert.match(text, /^\*\*Mitigation:\*\* none in place yet$/m);
    assert.match(text, /^\*\*Next:\*\* decide the next experiment$/m);
    assert.doesNotMatch(text, /Confirmed|Ruled out|Open hypotheses/);
    const resolved: Incident = { ...demo, status: 'resolved', resolved: '2026-11-23T05:12:00Z' };
    assert.match(handoffSummary(resolved, '2026-11-23T09:00:00Z'), /· resolved after 2 h 00 min \(started 03:12Z\)$/m);
  });

  it('keeps every line one line, whatever the texts hold', () => {
    const messy: Incident = { ...demo, title: 'a\nb', hypotheses: demo.hypotheses.map((h) => ({ ...h, statement: `${h.statement}\n## injected`, prediction: 'x\ny' })) };
    const text = handoffSummary(messy, '2026-11-23T04:02:00Z');
    assert.doesNotMatch(text, /^## injected/m);
    assert.match(text, /— a b$/m);
  });
});

describe('notebook: postmortem draft', () => {
  const text = postmortem(demo, '2026-11-24T10:00:00Z');
  const section = (name: string): string => {
    const start = text.indexOf(`\n## ${name}\n`);
    assert.ok(start >= 0, `no section ${name}`);
    const end = text.indexOf('\n## ', start + 4);
    return text.slice(start, end < 0 ? undefined : end);
  };

  it('follows the SRE template, in order', () => {
    const headings = text.split('\n').filter((l) => /^#{1,3} /.test(l));
    assert.deepEqual(headings, [
      '# Postmortem: Checkout 504s and p99 over 2 s at the APAC early-access opening',
      '## Summary', '## Impact', '## Root causes',
      '### H1: The catalog cache entry of pricing-service expired for every request at once, and each miss ran the slow catalog query (a cache stampede)',
      '## Trigger', '## Resolution and mitigation', '## Detection', '## Action items', '## Lessons learned',
      '### What went well', '### What went poorly', '### Where we got lucky', '## Timeline (UTC)', '## Supporting information',
    ]);
    assert.match(text, /^\| Incident \| INC-2026-11-23-01 \|$/m);
    assert.match(text, /^\| Date \| 2026-11-23 \|$/m);
    assert.match(text, /^\| Authors \| _TBD/m);
    assert.match(text, /^\| Status \| Draft \(incident mitigated\)/m);
  });

  it('lists the confirmed hypotheses as root causes with their evidence, and the others with their verdicts', () => {
    const rc = section('Root causes');
    assert.match(rc, /Confirmed by the traces: the catalog entry written by the repricing job/);
    assert.match(rc, /^- 2026-11-23 03:25:30 — `getCatalog` has no single-flight.* \(`services\/pricing-service\/src\/priceCache\.ts:26-43`\)$/m);
    assert.match(rc, /^\| H2 \| Card authorization is slow .* \| falsified \| Payments is not on the slow path.* \|$/m);
    assert.match(rc, /^\| H3 \| .* \| open \| {2}\|$/m);
  });

  it('computes the times to detect, mitigate and resolve', () => {
    const d = section('Detection');
    assert.match(d, /Detected by an alert \(`CheckoutLatencyHigh`\)/);
    assert.match(d, /^\| Detected \(time to detect\) \| 2026-11-23 03:13:05 UTC \| 1 min \|$/m);
    assert.match(d, /^\| Mitigated \(time to mitigate\) \| 2026-11-23 03:31:40 UTC \| 19 min \|$/m);
    assert.match(d, /^\| Resolved \(time to resolve\) \| — \| — \|$/m);
  });

  it('turns fix actions and still-open items into action items, owner and due date TBD where unknown', () => {
    const rows = section('Action items').split('\n').filter((l) => l.startsWith('| AI-'));
    assert.deepEqual(rows, [
      '| AI-1 | Count catalog loads per cache expiry in the pricing traces of the last 7 days: how often did this almost happen? | investigate | Marta Nowak | TBD | doing |',
      '| AI-2 | Test H3: pricing attempts per checkout during the stampede | investigate | Sam Okafor | TBD | planned |',
      '| AI-3 | Single-flight plus stale-while-revalidate in PriceCache.getCatalog | prevent | Marta Nowak | TBD | planned |',
      '| AI-4 | Jitter the catalog TTL; re-check the cache after acquiring a DB connection | prevent | Marta Nowak | TBD | planned |',
      '| AI-5 | Index on price_rules (sku, valid_from) for the catalog query | prevent | TBD | TBD | planned |',
      '| AI-6 | Deadline.race cancels the losing work instead of leaving it running | prevent | Sam Okafor | TBD | planned |',
    ]);
  });

  it('leaves lessons learned as prompts, says it is blameless, and has the full timeline as a table', () => {
    for (const h of ['What went well', 'What went poorly', 'Where we got lucky']) assert.match(text, new RegExp(`### ${h}\\n\\n<!-- .+ -->\\n_.+_`));
    assert.match(text, /Blameless/);
    assert.doesNotMatch(text, /\bcaused by\b|\bfault\b|\bblame (?!is)/i);
    const rows = section('Timeline (UTC)').split('\n').filter((l) => /^\| \d{4}-/.test(l));
    assert.equal(rows.length, demo.timeline.length);
    assert.equal(rows[0], '| 2026-11-23 03:00:00 | deploy | Flag checkout.bf-early-access=apac opens Black Friday early access for APAC (about 3x the usual night-time checkouts) |');
  });

  it('escapes table cells: pipes, line breaks, a backslash before a pipe', () => {
    assert.equal(cell(' a | b\nc\\|d '), 'a \\| b<br>c&#92;\\|d');
    const hostile: Incident = { ...demo, timeline: [{ id: 't-1', at: '2026-11-23T03:00:00Z', kind: 'note', text: 'x | y\nz' }], actions: [{ id: 'a-1', kind: 'fix', what: 'a|b', who: 'c|d', at: '2026-11-23T03:00:00Z', status: 'planned' }] };
    const out = postmortem(hostile, '2026-11-24T10:00:00Z');
    assert.match(out, /^\| 2026-11-23 03:00:00 \| note \| x \\\| y<br>z \|$/m);
    assert.match(out, /^\| AI-1 \| a\\\|b \| prevent \| c\\\|d \| TBD \| planned \|$/m);
    for (const line of out.split('\n').filter((l) => l.startsWith('| AI-') || /^\| \d{4}-/.test(l))) {
      assert.equal(line.replace(/\\\|/g, '').split('|').length - 2, line.startsWith('| AI-') ? 6 : 3, line);
    }
  });

  it('prompts for what the notebook does not know yet', () => {
    const fresh = newIncident({ title: 'Search is down', severity: 'SEV-1', commander: 'Lena', detectedBy: 'human', started: '2026-11-23T22:50:00Z' }, []);
    const out = postmortem(fresh, '2026-11-24T10:00:00Z');
    assert.match(out, /## Summary\n\n<!-- .+ -->\n_What happened/);
    assert.match(out, /## Root causes\n\n<!-- .+ -->\n_No hypothesis is confirmed yet/);
    assert.match(out, /Detected by a person who noticed\./);
    assert.match(out, /^\| AI-1 \| _Add the follow-ups/m);
  });
});
