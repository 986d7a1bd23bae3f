// The incident file format (src/core/notebook/format.ts): what a small incident looks like on disk, the exact round
// trip over many random incidents full of hostile text, the escapes (only where needed), links as real Markdown links
// and one line per timeline entry.
import * as assert from 'node:assert/strict';
import { parseIncident, serializeIncident } from '../../../src/core/notebook/format';
import type { Incident } from '../../../src/core/notebook/model';
import { Rng, randomIncident } from './generate';
import { small } from './sample';

/** The first path where two values differ, for a readable failure. */
function firstDiff(a: unknown, b: unknown, path = ''): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path || '(root)'}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    const d = firstDiff(ra[k], rb[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

const SMALL_FILE = `---
id: INC-2026-11-23-01
title: Checkout 504s
severity: SEV-2
status: mitigated
phase: diagnose
commander: Lena Fischer
detected_by: alert
alert: CheckoutLatencyHigh
started: 2026-11-23T03:12:00Z
detected: 2026-11-23T03:12:41Z
services: [checkout-service, pricing-service]
---

# INC-2026-11-23-01: Checkout 504s

## Summary

The catalog cache expired at once.

Checkouts timed out.

## Impact

12 checkouts failed.

## Observations

- 2026-11-23 03:12:41Z · p99 at 3.0 s — *Grafana* [grafana.example.com/d/checkout-red](https://grafana.example.com/d/checkout-red) <!-- o-k3x9 -->

## Hypotheses

### H1 · Cache stampede <!-- h-2m7q -->

- Status: confirmed
- Raised: 2026-11-23 03:19:30Z
- Probability: 70 %
- Prediction (would falsify it): Slow traces are cache hits.
- Test: Open three slow traces.
- Shape: cache-stampede
- Evidence:
  - 2026-11-23 03:24:00Z · supports · 16 concurrent loads [src/priceCache.ts:26-43](../../src/priceCache.ts#L26-L43) <!-- e-p0d3 -->
- Verdict: Confirmed.

## Actions

### Mitigation

- [x] 2026-11-23 03:27:00Z · done · Set PRICING_MAX_ATTEMPTS=1 — *Sam Okafor* <!-- a-r2c8 -->

### Diagnosis

### Fix

- [ ] 2026-11-23 03:34:00Z · planned · Single-flight in getCatalog <!-- a-f1x0 -->

## Timeline (UTC)

- 2026-11-23 03:12:41Z · detect · Alert CheckoutLatencyHigh fired <!-- t-0 -->
- 2026-11-23 03:41:02Z · verdict · H1 confirmed: Cache stampede <!-- t-k3x9 ref=h-2m7q -->
`;

const with_ = (over: Partial<Incident>): Incident => ({ ...small, ...over });

describe('notebook: incident file format', () => {
  it('writes the documented layout: front matter, sections, entries with invisible IDs, relative file links', () => {
    assert.equal(serializeIncident(small), SMALL_FILE);
    const back = parseIncident(SMALL_FILE);
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.incident, small);
  });

  it('round-trips 400 random incidents full of hostile text exactly, with no problems, and rewrites them identically', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const x = randomIncident(new Rng(seed));
      const text = serializeIncident(x);
      const parsed = parseIncident(text);
      assert.ok(parsed.incident, `seed ${seed}: no incident; ${JSON.stringify(parsed.problems)}`);
      const diff = firstDiff(parsed.incident, x);
      assert.equal(diff, undefined, `seed ${seed}: ${diff}`);
      assert.deepEqual(parsed.incident, x, `seed ${seed}`);
      assert.deepEqual(parsed.problems, [], `seed ${seed}`);
      assert.equal(serializeIncident(parsed.incident), text, `seed ${seed}: not stable`);
      // One line per timeline entry, whatever the text.
      const timeline = text.slice(text.indexOf('\n## Timeline (UTC)\n'));
      const entries = timeline.split('\n').filter((l) => /^- \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z · /.test(l));
      assert.ok(entries.length >= x.timeline.length, `seed ${seed}: ${entries.length} timeline lines for ${x.timeline.length} entries`);
    }
  });

  it('escapes only what would read as structure, and reads it back', () => {
    const hostile = with_({
      title: 'Title with\na line break: and # and ---',
      summary: 'Before\n## Timeline (UTC)\n- 2026-11-23 03:00:00Z · note · fake entry <!-- t-fake -->\n\\## already escaped\n### a sub-heading is fine',
      impact: '## Impact\nwritten twice',
      observations: [{ id: 'o-1', at: '2026-11-23T03:12:41Z', text: 'first line <!-- o-zzzz -->\n\n## not a section\n- not an item\n    code block' }],
      timeline: [{ id: 't-1', at: '2026-11-23T03:13:00Z', kind: 'note', text: 'one\ntwo <br> three' }],
      notes: '## Summary\nnot the summary\n## Custom\nkept',
    });
    const text = serializeIncident(hostile);
    assert.match(text, /^\\## Timeline \(UTC\)$/m, 'a section heading inside the summary gains a backslash');
    assert.match(text, /^\\\\## already escaped$/m);
    assert.match(text, /^### a sub-heading is fine$/m, 'a ### heading in the summary is written as typed');
    assert.match(text, /^- 2026-11-23 03:12:41Z · first line <\\!-- o-zzzz -->$/m, 'a comment in an entry is escaped (it would hide text on GitHub)');
    assert.match(text, /^ {2}## not a section$/m);
    assert.match(text, /^- 2026-11-23 03:13:00Z · note · one<br>two <\\br> three <!-- t-1 -->$/m, 'a timeline entry stays on one line; a typed <br> gains a backslash');
    assert.match(text, /^## Notes\n\n\\## Summary\nnot the summary\n## Custom\nkept$/m, 'only known section headings are escaped in the notes');
    assert.deepEqual(parseIncident(text).incident, hostile);
  });

  it('keeps the common case unescaped: no backslashes, markers or <br> in an ordinary incident', () => {
    const text = serializeIncident(small);
    assert.doesNotMatch(text, /\\|<br>|<!-- -->/);
  });

  it('writes <!-- --> between text and tokens only when the text ends like a source or a link', () => {
    const text = serializeIncident(
      with_({
        observations: [
          { id: 'o-1', at: '2026-11-23T03:12:41Z', text: 'see the [dashboard](https://grafana.example.com/d/x)' },
          { id: 'o-2', at: '2026-11-23T03:12:42Z', text: 'quoted — *someone*', source: 'Grafana' },
          { id: 'o-3', at: '2026-11-23T03:12:43Z', text: 'plain', source: 'Grafana' },
        ],
      }),
    );
    assert.match(text, /^- 2026-11-23 03:12:41Z · see the \[dashboard\]\(https:\/\/grafana\.example\.com\/d\/x\) <!-- --> <!-- o-1 -->$/m);
    assert.match(text, /^- 2026-11-23 03:12:42Z · quoted — \*someone\* <!-- --> — \*Grafana\* <!-- o-2 -->$/m);
    assert.match(text, /^- 2026-11-23 03:12:43Z · plain — \*Grafana\* <!-- o-3 -->$/m);
    const back = parseIncident(text).incident;
    assert.equal(back?.observations[0]?.link, undefined);
    assert.equal(back?.observations[0]?.text, 'see the [dashboard](https://grafana.example.com/d/x)');
    assert.equal(back?.observations[1]?.source, 'Grafana');
  });

  it('writes every kind of link as a readable Markdown link and reads it back exactly', () => {
    const links = [
      [{ kind: 'file', path: 'services/pricing-service/src/price cache (v2).ts', line: 42 }, '[services/pricing-service/src/price cache (v2).ts:42](../../services/pricing-service/src/price%20cache%20%28v2%29.ts#L42)'],
      [{ kind: 'file', path: 'src/x.go', line: 10, endLine: 20, commit: '9a98e954a7efc61f2573d5a1f998dc895ecd56ce' }, '[src/x.go:10-20](../../src/x.go#L10-L20 "commit 9a98e954a7efc61f2573d5a1f998dc895ecd56ce")'],
      [{ kind: 'runbook', runbook: 'runbooks/checkout-service/CheckoutLatencyHigh.md', step: 'check-2', line: 38 }, '[runbook CheckoutLatencyHigh · check-2](../../runbooks/checkout-service/CheckoutLatencyHigh.md#L38 "runbook step check-2")'],
      [{ kind: 'runbook', runbook: 'builtin:high-latency' }, '[runbook high-latency](vscode://oncall-lens.oncall-lens/runbook?name=builtin%3Ahigh-latency)'],
      [{ kind: 'trace', traceId: '9cf35a0a068b7724b80691ede72e69f5', source: 'jaeger-prod' }, '[trace 9cf35a0a](vscode://oncall-lens.oncall-lens/trace/9cf35a0a068b7724b80691ede72e69f5?source=jaeger-prod)'],
      [{ kind: 'span', traceId: '9cf35a0a068b7724b80691ede72e69f5', spanId: 'c190a92b02190ee0' }, '[span c190a92b of trace 9cf35a0a](vscode://oncall-lens.oncall-lens/trace/9cf35a0a068b7724b80691ede72e69f5?span=c190a92b02190ee0)'],
      [{ kind: 'exemplar', traceId: '9cf35a0a068b7724b80691ede72e69f5', query: 'rate(x[5m])', prometheus: 'http://prom:9090' }, '[exemplar: trace 9cf35a0a](vscode://oncall-lens.oncall-lens/trace/9cf35a0a068b7724b80691ede72e69f5?via=exemplar&query=rate%28x%5B5m%5D%29&prometheus=http%3A%2F%2Fprom%3A9090)'],
      [{ kind: 'deploy', service: 'pricing-service', version: '4.18.0', commit: '9a98e95' }, '[deploy pricing-service 4.18.0](vscode://oncall-lens.oncall-lens/deploy?service=pricing-service&version=4.18.0&commit=9a98e95)'],
      [{ kind: 'url', url: 'https://en.wikipedia.org/wiki/Thundering_herd_(problem)' }, '[en.wikipedia.org/wiki/Thundering_herd_(problem)](<https://en.wikipedia.org/wiki/Thundering_herd_(problem)>)'],
    ] as const;
    const inc = with_({ observations: links.map(([link], i) => ({ id: `o-${i}`, at: '2026-11-23T03:12:41Z', text: `link ${i}`, link })) });
    const text = serializeIncident(inc);
    links.forEach(([, token], i) => assert.ok(text.includes(`· link ${i} ${token} <!-- o-${i} -->`), `${token} not in\n${text}`));
    assert.deepEqual(parseIncident(text).incident, inc);
  });

  it('puts notes that start with their own heading last, without a Notes heading', () => {
    const text = serializeIncident(with_({ notes: '## Customer communication\n\nStatus page updated at 03:20.' }));
    assert.ok(text.endsWith('<!-- t-k3x9 ref=h-2m7q -->\n\n## Customer communication\n\nStatus page updated at 03:20.\n'));
    assert.doesNotMatch(text, /## Notes/);
    assert.equal(parseIncident(text).incident?.notes, '## Customer communication\n\nStatus page updated at 03:20.');
  });

  it('writes empty optional fields as nothing, and an empty evidence list as "none"', () => {
    const bare: Incident = {
      ...small, alert: undefined, detected: undefined, services: [], summary: '', impact: '', observations: [], actions: [], timeline: [], notes: '',
      hypotheses: [{ id: 'h-1', at: '2026-11-23T03:19:30Z', statement: 'S', prediction: '', test: '', status: 'open', evidence: [] }],
    };
    delete (bare as { alert?: string }).alert;
    delete (bare as { detected?: string }).detected;
    const text = serializeIncident(bare);
    assert.doesNotMatch(text, /^alert:|^detected:/m);
    assert.match(text, /^services: \[\]$/m);
    assert.match(text, /^- Prediction \(would falsify it\):$/m);
    assert.match(text, /^- Test:$/m);
    assert.match(text, /^- Evidence: none$/m);
    assert.doesNotMatch(text, /Probability|Shape|Verdict/);
    assert.deepEqual(parseIncident(text).incident, bare);
  });

  it('stays fast on pathological text (long runs of spaces, thousands of token-like pieces)', () => {
    const sp = ' '.repeat(19_000);
    const texts = [`a${sp}b`, `x${' — *'.repeat(4000)}`, '[](('.repeat(4000), `${'<!-- '.repeat(3000)}x`, `${'<\\\\\\'.repeat(5000)}!--`, `[a](${'x'.repeat(19_000)}`, `x${'\t'.repeat(19_000)}y`, `##${sp}x`, `${'\\'.repeat(19_000)}## x`];
    const started = Date.now();
    for (const t of texts) {
      const inc: Incident = {
        ...small, title: t, summary: t, notes: t, observations: [{ id: 'o-1', at: '2026-11-23T03:12:41Z', text: t, source: t.slice(0, 190).trim() }],
        timeline: [{ id: 't-1', at: '2026-11-23T03:12:41Z', kind: 'note', text: t }], actions: [{ id: 'a-1', kind: 'fix', what: t, at: '2026-11-23T03:12:41Z', status: 'planned' }],
      };
      assert.deepEqual(parseIncident(serializeIncident(inc)).incident, inc, t.slice(0, 20));
      parseIncident(`---\nid: INC-2026-11-23-01\nstarted: ${t}\n---\n## Observations\n- ${t}\n## Hypotheses\n### ${t}\n- Status: ${t}\n- ${t}: x\n## Timeline\n- 2026-11-23 03:00:00Z · ${t}\n`);
    }
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
  });
});
