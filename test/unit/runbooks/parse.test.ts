// parseRunbook (src/core/runbooks/parse.ts): front matter (YAML and Hugo TOML) read into the runbook fields, alerts
// and titles inferred as real runbooks write them, GitHub slugs, and every kind of bad input turned into a positioned
// Problem while the runbook stays listed — including binary files, invalid UTF-8 and a 5 MB runbook.
import * as assert from 'node:assert/strict';
import { parseRunbook, type ParseRunbookOptions } from '../../../src/core/runbooks/parse';
import type { Runbook } from '../../../src/core/runbooks/model';
import { fixture } from '../helpers';

const parse = (text: string | Uint8Array, over: Partial<ParseRunbookOptions> = {}): Runbook => parseRunbook(text, { file: 'runbooks/checkout/high-latency.md', root: 'runbooks', origin: 'workspace', ...over });
const codes = (rb: Runbook): string[] => rb.problems.map((p) => p.code);
const at = (rb: Runbook, code: string): [number, number, string] => {
  const p = rb.problems.find((x) => x.code === code);
  assert.ok(p, `no ${code} problem in ${JSON.stringify(rb.problems)}`);
  return [p.line, p.column, p.severity];
};

describe('runbooks: parseRunbook', () => {
  it('reads every documented front-matter key', () => {
    const rb = parse(
      [
        '---',
        'title: Checkout latency high',
        'service: checkout',
        'alerts: [CheckoutLatencyHigh, CheckoutP99High]',
        'severity: critical',
        'code:',
        '  - services/checkout/**',
        'owner: "@team-checkout"',
        'last_reviewed: 2025-02-28',
        'tags: [latency, slo]',
        '---',
        '',
        '# Checkout latency',
        '',
        '## Diagnosis',
      ].join('\n'),
    );
    assert.equal(rb.id, 'checkout/high-latency');
    assert.equal(rb.title, 'Checkout latency high');
    assert.deepEqual(rb.services, ['checkout']);
    assert.deepEqual(rb.alerts, ['CheckoutLatencyHigh', 'CheckoutP99High']);
    assert.equal(rb.severity, 'critical');
    assert.deepEqual(rb.code, ['services/checkout/**']);
    assert.equal(rb.owner, '@team-checkout');
    assert.equal(rb.lastReviewed, '2025-02-28');
    assert.deepEqual(rb.tags, ['latency', 'slo']);
    assert.equal(rb.bodyLine, 12);
    assert.deepEqual(rb.problems, []);
    assert.deepEqual(rb.alertsFrom, { source: 'front-matter', line: 4, column: 9 });
    assert.deepEqual(rb.keyPositions?.last_reviewed, { line: 9, column: 1 });
    assert.equal(rb.origin, 'workspace');
    assert.equal(rb.isSectionIndex, false);
  });

  it('takes `id` from front matter, `services` as a list, a single alert as a string', () => {
    const rb = parse('---\nid: checkout-latency\nservices: [checkout, cart]\nalerts: CheckoutLatencyHigh\n---\n# x\n');
    assert.equal(rb.id, 'checkout-latency');
    assert.deepEqual(rb.services, ['checkout', 'cart']);
    assert.deepEqual(rb.alerts, ['CheckoutLatencyHigh']);
  });

  it('infers alerts from the H1, then the file name; the title from front matter, H1, file name', () => {
    const h1 = parse('---\ntitle: Kube Pod Crash Looping\nweight: 20\n---\n\n# KubePodCrashLooping\n', { file: 'k8s/crash.md', root: 'k8s' });
    assert.deepEqual([h1.alerts, h1.title, h1.alertsFrom?.source, h1.alertsFrom?.line], [['KubePodCrashLooping'], 'Kube Pod Crash Looping', 'h1', 6]);
    const name = parse('# CPU Throttling High\n', { file: 'k8s/CPUThrottlingHigh.md' });
    assert.deepEqual([name.alerts, name.title, name.alertsFrom?.source], [['CPUThrottlingHigh'], 'CPU Throttling High', 'file-name']);
    const plain = parse('Some text, no heading.\n', { file: 'runbooks/instance_down.md' });
    assert.deepEqual([plain.alerts, plain.title], [['instance_down'], 'instance_down']);
    const prose = parse('# Failing over the database\n', { file: 'runbooks/db-failover.md' });
    assert.deepEqual([prose.alerts, prose.title], [[], 'Failing over the database']);
    // Section pages and repository documents describe folders, not alerts.
    for (const file of ['k8s/_index.md', 'README.md', 'docs/SOURCE.md', 'CONTRIBUTING.md']) assert.deepEqual(parse('# Overview\n', { file }).alerts, [], file);
    assert.equal(parse('---\ntitle: kubernetes\nbookCollapseSection: true\n---\n', { file: 'k8s/_index.md' }).isSectionIndex, true);
    // An explicit empty list means "no alerts": nothing is inferred.
    assert.deepEqual(parse('---\nalerts: []\n---\n# KubePodCrashLooping\n').alerts, []);
  });

  it('lists every heading with GitHub slugs (duplicates numbered, inline markup stripped), skipping code blocks', () => {
    const rb = parse(
      [
        '# KubeAPIErrorBudgetBurn',
        '## Impact',
        '```shell',
        '# not a heading',
        '```',
        '## Impact',
        '### Example Queries for *slow* requests',
        '## `kubectl` & co. (p99 > 2s) ##',
        'Setext heading',
        '--------------',
        '    # indented code, not a heading',
        '#hashtag is not a heading',
        '~~~',
        '## fenced with tildes',
        '~~~',
        '## Impact',
      ].join('\n'),
    );
    assert.deepEqual(
      rb.sections.map((s) => [s.level, s.title, s.slug, s.line]),
      [
        [1, 'KubeAPIErrorBudgetBurn', 'kubeapierrorbudgetburn', 1],
        [2, 'Impact', 'impact', 2],
        [2, 'Impact', 'impact-1', 6],
        [3, 'Example Queries for slow requests', 'example-queries-for-slow-requests', 7],
        [2, 'kubectl & co. (p99 > 2s)', 'kubectl--co-p99--2s', 8],
        [2, 'Setext heading', 'setext-heading', 9],
        [2, 'Impact', 'impact-2', 16],
      ],
    );
  });

  it('reads Hugo TOML front matter: strings, arrays over lines with comments, dates, numbers', () => {
    const rb = parse(fixture('runbooks', 'bad', 'runbooks', 'payments', 'PaymentsDown.md'), { file: 'runbooks/payments/PaymentsDown.md' });
    assert.deepEqual(rb.problems, []);
    assert.equal(rb.title, 'Payments down');
    assert.deepEqual(rb.alerts, ['PaymentsDown', 'PaymentsErrorRate']);
    assert.deepEqual(rb.services, ['payments']);
    assert.equal(rb.lastReviewed, '2024-03-01');
    assert.deepEqual(rb.tags, ['payments', 'critical']);
    assert.equal(rb.bodyLine, 12);
    const escapes = parse('+++\ntitle = "Tab\\there \\"quoted\\" \\u00e9"\nowner = \'C:\\\\raw\'\n+++\n');
    assert.deepEqual([escapes.title, escapes.owner, escapes.problems], ['Tab\there "quoted" é', 'C:\\\\raw', []]);
  });

  it('reports TOML it cannot read, with positions', () => {
    const bad = parse(fixture('runbooks', 'bad', 'runbooks', 'payments', 'bad-toml.md'));
    assert.deepEqual(at(bad, 'toml-syntax'), [3, 11, 'error']);
    assert.equal(bad.title, 'Bad TOML');
    const table = parse('+++\ntitle = "T"\n[params]\nx = 1\n+++\n');
    assert.deepEqual(at(table, 'toml-unsupported'), [3, 1, 'warning']);
    assert.equal(table.title, 'T');
    assert.deepEqual(at(parse('+++\ntitle = "T"\ntitle = "U"\n+++\n'), 'toml-syntax'), [3, 1, 'error']);
    assert.deepEqual(at(parse('+++\nalerts = ["A",\n+++\n'), 'toml-syntax'), [2, 10, 'error']);
  });

  describe('bad input: listed, with problems', () => {
    it('malformed YAML front matter: an error at its position in the file (offset by the --- line)', () => {
      const rb = parse(fixture('runbooks', 'bad', 'runbooks', 'malformed-yaml.md'));
      assert.deepEqual(at(rb, 'yaml-syntax'), [4, 1, 'error']);
      assert.match(rb.problems[0]?.message ?? '', /^YAML front matter: /);
      // Still listed, with what the body says.
      assert.deepEqual([rb.title, rb.alerts, rb.sections.length, rb.bodyLine], ['CheckoutLatencyHigh', ['CheckoutLatencyHigh'], 2, 6]);
      const tab = parse('---\ntitle: ok\nalerts: a: b\n---\n# X\n');
      assert.deepEqual(at(tab, 'yaml-syntax').slice(0, 1), [3]);
      assert.deepEqual(at(parse('---\ntitle: a\ntitle: b\n---\n'), 'yaml-syntax'), [3, 1, 'error']);
      assert.deepEqual(at(parse('---\n- a\n- b\n---\n'), 'front-matter-type'), [2, 1, 'error']);
    });

    it('an unclosed front matter block is an error, and the file is read as Markdown', () => {
      const rb = parse('---\ntitle: x\n\n# KubePodCrashLooping\n');
      assert.deepEqual(at(rb, 'front-matter-unclosed'), [1, 1, 'error']);
      assert.deepEqual(rb.alerts, ['KubePodCrashLooping']);
    });

    it('wrong types are errors at the value; unknown keys warnings at the key, with a suggestion', () => {
      const rb = parse(fixture('runbooks', 'bad', 'runbooks', 'wrong-types.md'));
      assert.deepEqual(at(rb, 'wrong-type'), [3, 9, 'error']);
      assert.match(rb.problems.find((p) => p.code === 'wrong-type')?.message ?? '', /"alerts" must be a name or a list of names, not a number \(5\)/);
      assert.deepEqual(at(rb, 'bad-date'), [4, 16, 'error']);
      assert.deepEqual(at(rb, 'unknown-key'), [6, 1, 'warning']);
      assert.match(rb.problems.find((p) => p.code === 'unknown-key')?.message ?? '', /did you mean "severity"/);
      assert.equal(rb.lastReviewed, undefined);
      assert.deepEqual([rb.services, rb.tags, rb.title], [['payments'], ['storage', 'disk'], 'Disk full']);
      // `alerts: 5` is dropped; neither the H1 ("Disk full") nor the file name is an alert name.
      assert.deepEqual(rb.alerts, []);
      assert.deepEqual(at(parse('---\nalerts: [A, 5]\n---\n'), 'wrong-type'), [2, 9, 'error']);
      assert.deepEqual(at(parse('---\ntitle: {a: 1}\n---\n'), 'wrong-type'), [2, 8, 'error']);
      // Hugo keys are not unknown.
      assert.deepEqual(codes(parse('---\ntitle: t\nweight: 20\naliases: [/x/]\nbookFlatSection: true\n---\n')), []);
    });

    it('last_reviewed must be a real YYYY-MM-DD date', () => {
      for (const bad of ['2025-02-30', '2025-13-01', '31.01.2025', '"2025-1-5"', '20250131', 'true']) {
        assert.deepEqual(codes(parse(`---\nlast_reviewed: ${bad}\n---\n`)), ['bad-date'], bad);
      }
      assert.equal(parse('---\nlast_reviewed: "2024-02-29"\n---\n').lastReviewed, '2024-02-29');
    });

    it('binary files (NUL bytes) and invalid UTF-8 are listed with an error and marked unreadable', () => {
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
      const rb = parse(png, { file: 'runbooks/KubePodCrashLooping.md', root: 'runbooks' });
      assert.deepEqual(at(rb, 'binary'), [1, 1, 'error']);
      assert.equal(rb.unreadable, 'binary');
      assert.deepEqual([rb.alerts, rb.title, rb.sections, rb.id], [['KubePodCrashLooping'], 'KubePodCrashLooping', [], 'KubePodCrashLooping']);
      const latin1 = Buffer.from('# Caf\xe9 down\n', 'latin1');
      assert.deepEqual(codes(parse(latin1)), ['binary']);
      assert.match(parse(latin1).problems[0]?.message ?? '', /not valid UTF-8/);
      assert.deepEqual(codes(parse('# x\u0000y')), ['binary']);
      // A BOM and CRLF line ends are fine.
      const bom = parse(Buffer.from('\ufeff---\r\ntitle: Windows\r\n---\r\n# WinAlert\r\n', 'utf8'));
      assert.deepEqual([bom.title, bom.alerts, bom.problems], ['Windows', ['WinAlert'], []]);
    });

    it('a 5 MB runbook is listed with an error and only its front matter and H1 are read (default limit 2 MB)', () => {
      const prose = 'Check the pods, the recent deploys and the dashboards before you restart anything. '.repeat(12);
      const section = `## Step\n\nRun \`kubectl get pods\` and see [the other runbook](./other.md). ${prose}\n\n\`\`\`sh\n# not a heading\n\`\`\`\n\n`;
      const text = `---\ntitle: Huge\nalerts: [HugeAlert]\n---\n# HugeRunbook\n\n${section.repeat(Math.ceil((5 * 1024 * 1024) / section.length))}`;
      const bytes = Buffer.from(text, 'utf8');
      assert.ok(bytes.length >= 5 * 1024 * 1024);
      for (const input of [text, bytes]) {
        const rb = parse(input);
        assert.deepEqual(at(rb, 'too-large'), [1, 1, 'error']);
        assert.match(rb.problems[0]?.message ?? '', /5 MB, over the 2 MB limit/);
        assert.equal(rb.unreadable, 'too-large');
        assert.deepEqual([rb.title, rb.alerts], ['Huge', ['HugeAlert']]);
        assert.deepEqual(rb.sections.map((s) => s.title), ['HugeRunbook']);
      }
      // Over the limit by what the loader says, though only the head was read.
      const head = parse(bytes.subarray(0, 1000), { totalBytes: bytes.length });
      assert.deepEqual([codes(head)[0], head.title], ['too-large', 'Huge']);
      assert.deepEqual(codes(parse('', { tooLargeBytes: 3e6, file: 'runbooks/Big.md' })), ['too-large']);
      assert.deepEqual(parse('# BigAlert', { tooLargeBytes: 3e6 }).alerts, ['BigAlert']);
      // With a higher limit the whole file is read, linearly: every section, no problems (links are not checked
      // without `exists`; code blocks hide their # lines).
      const all = parse(bytes, { maxBytes: 8 * 1024 * 1024 });
      assert.equal(all.problems.length, 0);
      assert.equal(all.sections.length, Math.ceil((5 * 1024 * 1024) / section.length) + 1);
      assert.equal(all.sections.at(-1)?.slug, `step-${all.sections.length - 2}`);
    });

    it('pathological input (2 MB lines of brackets, backticks, unclosed links; a million headings) parses without hanging', () => {
      const n = 2 * 1024 * 1024;
      const chunks = ['[', '](', '`', '`` ', '#', ' ', '<a ', '{{<', '](#', '*_', '---\n', '[a](<', '[a](b ', '[a]({{< ref "x" >}}', '=\n', 'a\n=\n', '<!--', '\r'];
      for (const chunk of chunks) {
        const rb = parse(`# Title\n${chunk.repeat(Math.ceil(n / chunk.length))}\n`, { maxBytes: 16 * 1024 * 1024, exists: () => false });
        assert.equal(rb.title, 'Title', JSON.stringify(chunk));
      }
      // Repeated problems are capped: 100 of a kind, then one summary.
      const links = parse(`# Title\n${'[a](missing.md) '.repeat(5000)}\n`, { exists: () => false });
      assert.equal(links.problems.length, 101);
      assert.match(links.problems[100]?.message ?? '', /… and 4900 more like the ones above\./);
      const headings = parse('# H\n'.repeat(6000));
      assert.deepEqual([headings.sections.length, at(headings, 'too-many-headings')], [5000, [5001, 1, 'warning']]);
    });

    it('an unclosed code fence is a warning at the fence', () => {
      assert.deepEqual(at(parse('# A\n\n```sh\necho\n## not a heading\n'), 'unclosed-fence'), [3, 1, 'warning']);
    });

    it('never throws, whatever the bytes', () => {
      let seed = 42;
      const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const alphabet = ['---\n', '+++\n', '# ', '[', ']', '(', ')', '{{< ref "', '" >}}', '`', '```\n', ':', '\n', 'a', '"', '=', '- ', '<a href="', '>', 'title: ', 'alerts: ', '\t', '\\', '#L4', 'javascript:', '\u00e9'];
      for (let i = 0; i < 300; i++) {
        const text = Array.from({ length: 60 }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
        const rb = parseRunbook(text, { file: 'runbooks/fuzz.md', origin: 'builtin', exists: () => false });
        assert.equal(rb.file, 'runbooks/fuzz.md');
        for (const p of rb.problems) assert.ok(p.line >= 1 && p.column >= 1, JSON.stringify([text, p]));
      }
    });
  });
});
