// The postmortem lint (src/core/notebook/postmortemLint.ts): each rule on a positive and a negative case, positions of
// the blaming words, loose headings, the demo's generated draft, and hostile input that must stay linear.
import * as assert from 'node:assert/strict';
import { lintPostmortem, POSTMORTEM_LINT_RULES, type PostmortemProblem } from '../../../src/core/notebook/postmortemLint';
import { postmortem } from '../../../src/core/notebook/postmortem';
import { demoIncident } from './demoIncident';

/** A postmortem with nothing to say about it. */
const GOOD = `# Postmortem: Checkout 504s

| | |
|---|---|
| Incident commander | Sam Okafor |

## Summary

The catalog cache expired for every request at once and the pricing DB pool saturated; checkouts timed out.

## Impact

12 of 184 checkouts failed with 504 for about one minute.

## Root causes

- The catalog cache gives every entry the same expiry, so all requests miss at once.
- \`getCatalog\` has no single-flight: each miss runs the slow catalog query.

## Trigger

The repricing job warmed the cache at 03:06:53, five minutes before the expiry.

## Action items

| ID | Action item | Type | Owner | Due date | Status |
|---|---|---|---|---|---|
| AI-1 | Add a p99 latency alert on /api/checkout at 2 s | detect | Marta Nowak | 2026-12-01 | planned |
| AI-2 | Single-flight plus stale-while-revalidate in PriceCache.getCatalog | prevent | Sam Okafor | 2026-12-15 | doing |
| AI-3 | Pause the repricing job | mitigate | Sam Okafor | | done |

## Lessons learned

### What went well

The alert fired within a minute and the trace pointed at the cache.

### What went poorly

The runbook did not mention the repricing job.

### Where we got lucky

It happened at night, with a tenth of the daytime traffic.

## Timeline (UTC)

| Time (UTC) | Kind | Event |
|---|---|---|
| 2026-11-23 03:12:00 | detect | First 504 |
`;

const codes = (ps: readonly PostmortemProblem[]): string[] => ps.map((p) => p.code);
const only = (ps: readonly PostmortemProblem[], code: string): PostmortemProblem[] => ps.filter((p) => p.code === code);
/** GOOD with `text` added to the summary. */
const withSummary = (text: string): string => GOOD.replace('checkouts timed out.\n', `checkouts timed out.\n\n${text}\n`);
const lineOf = (doc: string, needle: string): number => doc.split('\n').findIndex((l) => l.includes(needle)) + 1;
/** The 1-based column of `word` on the line that holds it. */
const colOf = (doc: string, word: string): number => (doc.split('\n')[lineOf(doc, word) - 1] as string).indexOf(word) + 1;

describe('notebook: postmortem lint', () => {
  it('has nothing to say about a complete, blameless postmortem', () => {
    assert.deepEqual(lintPostmortem(GOOD), []);
  });

  it('every problem has a known code with its severity, a message and a non-empty range', () => {
    for (const p of lintPostmortem('# Postmortem\n\nAlice broke it; human error.\n\n## Action items\n\n- Investigate\n')) {
      assert.ok(p.code in POSTMORTEM_LINT_RULES, p.code);
      assert.equal(p.severity, POSTMORTEM_LINT_RULES[p.code]);
      assert.ok(p.line >= 1 && p.column >= 1 && p.endColumn > p.column, JSON.stringify(p));
      assert.ok(p.message.length > 20);
    }
  });

  describe('blaming language', () => {
    it('flags a person as the subject of a failure, pointing at the name and the verb', () => {
      const cases: readonly (readonly [string, string])[] = [
        ['Alice broke the checkout deploy.', 'Alice broke'],
        ['Then Bob forgot to renew the certificate.', 'Bob forgot'],
        ['Sam Okafor caused the outage.', 'Sam Okafor caused'],
        ['At 03:00 @alice deployed the bad config.', '@alice deployed the bad'],
        ['Unfortunately Priya accidentally dropped the table.', 'Priya accidentally'],
        ['The page came in but the on-call engineer missed it.', 'the on-call engineer missed'],
        ['Nobody noticed because he ignored the alert.', 'he ignored'],
        ['Carol didn’t check the dashboard.', 'Carol didn’t'],
      ];
      for (const [sentence, words] of cases) {
        const doc = withSummary(sentence);
        const ps = only(lintPostmortem(doc), 'blame-person');
        assert.equal(ps.length, 1, `${sentence}: ${JSON.stringify(lintPostmortem(doc))}`);
        const p = ps[0] as PostmortemProblem;
        assert.equal(p.severity, 'error');
        assert.deepEqual([p.line, p.column, p.endColumn], [lineOf(doc, sentence), colOf(doc, words), colOf(doc, words) + words.length], sentence);
        assert.match(p.message, new RegExp(`^"${words}" makes a person the subject of the failure\\. Describe what the system allowed`));
      }
    });

    it('does not flag systems, common words, code, comments or neutral verbs', () => {
      for (const sentence of [
        'The cache failed over to the replica.',
        'Checkout broke under load; checkout recovered by itself.', // "checkout" in lower case too: a thing, not a person
        'Kubernetes missed the readiness probe.',
        'Alice rolled back the deploy at 03:31 and Bob paged pricing.',
        'The alert did not fire because its threshold was 5 s.',
        'We missed the early signs in the dashboard.',
        'Run `Alice broke` in the shell.',
        '<!-- Alice broke it -->',
        '```\nAlice broke the build\nhuman error\n```',
        'Brokers were healthy; the Forgotten Realms dataset was unaffected.',
      ]) {
        assert.deepEqual(lintPostmortem(withSummary(sentence)), [], sentence);
      }
    });

    it('flags hindsight, "failed to", "human error", carelessness and fault, with their positions', () => {
      const cases: readonly (readonly [string, string, string, string])[] = [
        ['Someone should have checked the TTL.', 'should have', 'blame-hindsight', 'warning'],
        ["It should've been caught in review.", "should've", 'blame-hindsight', 'warning'],
        ['The runbook failed to mention the job.', 'failed to', 'blame-failed-to', 'warning'],
        ['The root cause was human error.', 'human error', 'blame-human-error', 'error'],
        ['A careless change to the config.', 'careless', 'blame-careless', 'error'],
        ['This was negligence in the review.', 'negligence', 'blame-careless', 'error'],
        ['It was the fault of the release team.', 'fault of', 'blame-fault', 'error'],
        ["It was Dave's fault.", "Dave's fault", 'blame-fault', 'error'],
      ];
      for (const [sentence, words, code, severity] of cases) {
        const doc = withSummary(sentence);
        const ps = lintPostmortem(doc);
        assert.deepEqual(codes(ps), [code], `${sentence}: ${JSON.stringify(ps)}`);
        const p = ps[0] as PostmortemProblem;
        assert.equal(p.severity, severity);
        assert.deepEqual([p.line, p.column, p.endColumn], [lineOf(doc, sentence), colOf(doc, words), colOf(doc, words) + words.length], sentence);
        assert.ok(p.message.startsWith(`"${words}"`), p.message);
      }
      for (const sentence of ['The shoulder season had less traffic.', 'The job failed with exit code 1.', 'A human reviewed the error budget.', 'The default TTL is 5 min.']) {
        assert.deepEqual(lintPostmortem(withSummary(sentence)), [], sentence);
      }
    });
  });

  describe('action items', () => {
    const table = (...rows: string[]): string =>
      GOOD.replace(/\| ID \| Action item[^]*?\n\n/, `| ID | Action item | Type | Owner | Due date | Status |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n\n`);

    it('flags items without an owner (empty, TBD, ?, -), pointing at the cell', () => {
      for (const owner of ['', 'TBD', '?', '-', '_TBD_']) {
        const doc = table(`| AI-1 | Add a p99 latency alert on /api/checkout at 2 s | detect | ${owner} | 2026-12-01 | planned |`);
        const ps = lintPostmortem(doc);
        assert.deepEqual(codes(ps), ['action-item-no-owner'], owner);
        const p = ps[0] as PostmortemProblem;
        const line = doc.split('\n')[p.line - 1] as string;
        assert.match(line, /^\| AI-1 /);
        if (owner !== '') assert.equal(line.slice(p.column - 1, p.endColumn - 1), owner);
        assert.match(p.message, /^Action item AI-1 \("Add a p99 latency alert on \/api\/checkout at 2 s"\) has no owner.*: name one person or team/);
      }
    });

    it('flags open items without a due date (empty, TBD, not a date), not done ones', () => {
      for (const due of ['', 'TBD', 'soon', 'next sprint', '2026-13-45']) {
        const ps = lintPostmortem(table(`| AI-1 | Add a p99 latency alert on /api/checkout at 2 s | detect | Marta | ${due} | planned |`));
        assert.deepEqual(codes(ps), ['action-item-no-due-date'], due);
        assert.match((ps[0] as PostmortemProblem).message, due === 'soon' ? /has "soon" as due date, which is not a date: write a date \(YYYY-MM-DD\)/ : /has .*due date/);
      }
      for (const due of ['2026-12-01', 'Dec 1, 2026', '1 December 2026', '2026-W49', 'Q1 2027']) {
        assert.deepEqual(lintPostmortem(table(`| AI-1 | Add a p99 latency alert on /api/checkout at 2 s | detect | Marta | ${due} | planned |`)), [], due);
      }
      assert.deepEqual(lintPostmortem(table('| AI-1 | Pause the repricing job | mitigate | Sam | | done |')), []);
    });

    it('flags vague items, not concrete ones', () => {
      for (const what of ['Investigate', 'Improve monitoring', 'Be more careful', 'Look into the issue', 'Review the deploy process', 'Monitor things better.', 'Investigate the root cause']) {
        const doc = table(`| AI-1 | ${what} | prevent | Marta | 2026-12-01 | planned |`);
        const ps = lintPostmortem(doc);
        assert.deepEqual(codes(ps), ['action-item-vague'], what);
        const p = ps[0] as PostmortemProblem;
        assert.equal((doc.split('\n')[p.line - 1] as string).slice(p.column - 1, p.endColumn - 1), what);
        assert.match(p.message, /too vague to finish or verify: say what will exist when it is done/);
      }
      for (const what of [
        'Add a p99 latency alert on /api/checkout at 2 s',
        'Investigate why the catalog query takes 1.4 s under load',
        'Improve `PriceCache` hit rate with TTL jitter',
        'Review every cron job that warms a cache and add jitter to its expiry',
        'Index on price_rules (sku, valid_from) for the catalog query',
      ]) {
        assert.deepEqual(lintPostmortem(table(`| AI-1 | ${what} | prevent | Marta | 2026-12-01 | planned |`)), [], what);
      }
    });

    it('reads a bullet list under the heading too', () => {
      const list = (items: string): string => GOOD.replace(/\| ID \| Action item[^]*?\n\n/, `${items}\n\n`);
      assert.deepEqual(lintPostmortem(list('- [ ] Add a p99 latency alert on /api/checkout at 2 s — owner: @alice, due: 2026-12-01\n- [x] Pause the repricing job — *Sam Okafor*')), []);
      const doc = list('- Investigate\n- Add a p99 latency alert on /api/checkout at 2 s — owner: TBD, due: soon');
      const ps = lintPostmortem(doc);
      assert.deepEqual(codes(ps), ['action-item-no-due-date', 'action-item-no-owner', 'action-item-vague', 'action-item-no-owner', 'action-item-no-due-date']);
      const [, , vague, owner, due] = ps as [PostmortemProblem, PostmortemProblem, PostmortemProblem, PostmortemProblem, PostmortemProblem];
      assert.deepEqual([vague.line, vague.column, vague.endColumn], [lineOf(doc, '- Investigate'), 3, 14]);
      const second = doc.split('\n')[owner.line - 1] as string;
      assert.equal(second.slice(owner.column - 1, owner.endColumn - 1), 'TBD');
      assert.equal(second.slice(due.column - 1, due.endColumn - 1), 'soon');
    });

    it('says when there are no items, or only the draft placeholder, and when a column is missing', () => {
      assert.deepEqual(codes(lintPostmortem(table('| AI-1 | _Add the follow-ups: prevent, detect, mitigate faster._ | | TBD | TBD | |'))), ['no-action-items']);
      assert.deepEqual(codes(lintPostmortem(GOOD.replace(/\| ID \| Action item[^]*?\n\n/, 'Nothing yet.\n\n'))), ['no-action-items']);
      const noOwner = GOOD.replace('| ID | Action item | Type | Owner | Due date | Status |\n|---|---|---|---|---|---|', '| ID | Action item | Type | Due date | Status |\n|---|---|---|---|---|')
        .replace(/\| Marta Nowak \| 2026-12-01/, '| 2026-12-01').replace(/\| Sam Okafor \| 2026-12-15/, '| 2026-12-15').replace('| Sam Okafor | | done', '| | done');
      assert.deepEqual(codes(lintPostmortem(noOwner)), ['action-item-no-owner']);
    });
  });

  describe('root causes and the trigger', () => {
    const causes = (body: string): string => GOOD.replace(/## Root causes\n\n[^]*?\n\n## Trigger/, `## Root causes\n\n${body}\n\n## Trigger`);

    it('warns about a single root cause, not about two or a cause with contributing factors', () => {
      const one = lintPostmortem(causes('The catalog cache expired for every request at once.'));
      assert.deepEqual(codes(one), ['single-root-cause']);
      assert.match((one[0] as PostmortemProblem).message, /incidents rarely have one cause: name the contributing factors too/i);
      assert.deepEqual([(one[0] as PostmortemProblem).column, (one[0] as PostmortemProblem).endColumn], [4, 15]);
      assert.deepEqual(codes(lintPostmortem(causes('### H1: A cache stampede\n\nEvidence:\n\n- 16 concurrent misses\n- one expiry for the whole catalog'))), ['single-root-cause']);
      assert.match((lintPostmortem(causes('<!-- hint -->\n_Why?_'))[0] as PostmortemProblem).message, /names no cause yet/);
      assert.deepEqual(lintPostmortem(causes('### H1: A cache stampede\n\nText.\n\n### Contributing factors\n\n- Three times the night traffic\n- A slower catalog query')), []);
      assert.deepEqual(lintPostmortem(causes('The cache expired for every request at once.\n\nThe pool of 8 connections could not absorb the misses.')), []);
    });

    it('warns when a root cause repeats the trigger', () => {
      const doc = causes('- Deploy of checkout v2.3 at 03:00\n- No canary stage for checkout config').replace('The repricing job warmed the cache at 03:06:53, five minutes before the expiry.', 'Deploy of checkout v2.3 at 03:00.');
      const ps = lintPostmortem(doc);
      assert.deepEqual(codes(ps), ['trigger-is-root-cause']);
      const p = ps[0] as PostmortemProblem;
      assert.deepEqual([p.line, p.column], [lineOf(doc, '- Deploy of checkout'), 3]);
      assert.match(p.message, /repeats the trigger \("Deploy of checkout v2\.3 at 03:00\."\)\. The trigger set it off; a root cause is why the system let it hurt/);
    });
  });

  describe('sections', () => {
    it('warns when "What went well" or "Where we got lucky" is missing or empty', () => {
      const empty = lintPostmortem(GOOD.replace('The alert fired within a minute and the trace pointed at the cache.', '<!-- Tools, alerts, runbooks and people that helped. -->\n_What helped?_'));
      assert.deepEqual(codes(empty), ['no-what-went-well']);
      assert.match((empty[0] as PostmortemProblem).message, /^"What went well" is empty: write what helped/);
      const missing = lintPostmortem(GOOD.replace(/### Where we got lucky\n\n.*\n\n/, ''));
      assert.deepEqual(codes(missing), ['no-where-we-got-lucky']);
      assert.match((missing[0] as PostmortemProblem).message, /^There is no "Where we got lucky" section under "Lessons learned": add "### Where we got lucky"/);
    });

    it('warns about an empty or missing Summary, Impact or Timeline', () => {
      const empty = lintPostmortem(GOOD.replace('12 of 184 checkouts failed with 504 for about one minute.', '<!-- Who was affected -->\n_Who was affected?_'));
      assert.deepEqual(codes(empty), ['empty-section']);
      assert.match((empty[0] as PostmortemProblem).message, /^"Impact" is empty: write who was affected/);
      assert.deepEqual(codes(lintPostmortem(GOOD.replace('| 2026-11-23 03:12:00 | detect | First 504 |', "| | | _The notebook's timeline is empty._ |"))), ['empty-section']);
      assert.deepEqual(codes(lintPostmortem(GOOD.replace(/## Summary\n\n.*\n\n/, ''))), ['missing-section']);
    });

    it('accepts renamed headings: any case, #/##/###, numbering, colons, variants and small typos', () => {
      const renamed = GOOD.replace('## Summary', '# SUMMARY')
        .replace('## Impact', '### 2. Customer impact:')
        .replace('## Root causes', '## Root Cause(s)')
        .replace('## Action items', '## Acton Items')
        .replace('### What went well', '### Things that went well')
        .replace('### Where we got lucky', '## Where We Got Lucky')
        .replace('## Timeline (UTC)', '## Incident timeline (all times UTC)');
      assert.deepEqual(lintPostmortem(renamed), []);
    });
  });

  it("on the demo's generated draft: only what is true of it (owners and due dates to fill in, one cause, empty lessons)", () => {
    const draft = postmortem(demoIncident(), '2026-11-24T10:00:00Z');
    const ps = lintPostmortem(draft);
    assert.deepEqual(codes(ps), [
      'single-root-cause',
      'action-item-no-due-date', 'action-item-no-due-date', 'action-item-no-due-date', 'action-item-no-due-date',
      'action-item-no-owner', 'action-item-no-due-date', 'action-item-no-due-date',
      'no-what-went-well', 'no-where-we-got-lucky',
    ]);
    assert.ok(ps.every((p) => p.severity === 'warning'));
    const lines = draft.split('\n');
    const owner = only(ps, 'action-item-no-owner')[0] as PostmortemProblem;
    assert.match(lines[owner.line - 1] as string, /^\| AI-5 \| Index on price_rules/);
    assert.equal((lines[owner.line - 1] as string).slice(owner.column - 1, owner.endColumn - 1), 'TBD');
    assert.match(owner.message, /^Action item AI-5 \("Index on price_rules \(sku, valid_from\)/);

    // Filled in by the authors, the same draft is clean.
    const filled = draft
      .replace(/\| TBD \| (doing|planned) \|$/gm, '| 2026-12-15 | $1 |')
      .replace('| prevent | TBD |', '| prevent | Marta Nowak |')
      .replace('<!-- Tools, alerts, runbooks and people that helped. -->\n_What helped?_', 'The trace of the first 504 showed the cache miss within minutes.')
      .replace('<!-- What could have made it much worse, and did not, by chance. -->\n_What could have made it worse?_', 'Early access opened at night.')
      .replace(/(Other hypotheses considered:)/, '### Contributing factors\n\n- The APAC early access tripled the traffic.\n- The promotion import made the catalog query slower.\n\n$1');
    assert.deepEqual(lintPostmortem(filled), []);
  });

  it('stays linear on huge and hostile input', () => {
    const mb = 1 << 20;
    const inputs = [
      'Alice '.repeat(mb / 6),
      'A'.repeat(mb),
      'Aa'.repeat(mb / 2),
      '`'.repeat(mb),
      '` `` ``` '.repeat(mb / 9),
      '<!--'.repeat(mb / 4),
      '<!-- `x` '.repeat(mb / 9),
      '|'.repeat(mb),
      '| a '.repeat(mb / 4),
      `## Action items\n\n${'| x | y |\n|---|---|\n'.repeat(mb / 20)}`,
      `## Action items\n\n${'- Investigate — owner: '.repeat(mb / 23)}`,
      `## Root causes\n\n${'### x\n'.repeat(mb / 6)}`,
      `## Trigger\n\n${'- deploy of the thing\n'.repeat(5000)}\n## Root causes\n\n${'- deploy of the thing happened\n'.repeat(5000)}`,
      `# ${' '.repeat(mb)}x`,
      `# ${'.'.repeat(mb)}x`,
      `${'#'.repeat(mb)}`,
      `# Impact ${'('.repeat(mb / 2)}`,
      'should have failed to '.repeat(mb / 22),
      "x's ".repeat(mb / 4),
      `${'```\n'.repeat(mb / 8)}`,
      `${'- '.repeat(mb / 2)}`,
      `${' \t'.repeat(mb / 2)}`,
      `${'\n'.repeat(mb)}`,
    ];
    for (const text of inputs) assert.ok(Array.isArray(lintPostmortem(text)));
  });

  it('never throws on odd input', () => {
    for (const text of ['', '\n', '\uFEFF# Summary\n', '|', '|---|', '# ', '## Action items\n| ID |\n|---|\n|', '## Root causes\n### \n###', '\r\n\r\n## Impact\r\n\r\nx\r\n']) {
      assert.ok(Array.isArray(lintPostmortem(text)), JSON.stringify(text));
    }
  });
});
