import * as assert from 'node:assert/strict';
import { loadCatalog } from '../../../src/core/catalog/load';
import type { Problem } from '../../../src/core/util/problems';

/** code, severity, line, column, endLine, endColumn: what a Diagnostic needs. */
function where(problems: readonly Problem[]): Array<[string, string, number, number, number | undefined, number | undefined]> {
  return problems.map((p) => [p.code, p.severity, p.line, p.column, p.endLine, p.endColumn]);
}

describe('loadCatalog: problems at the right line and column', () => {
  it('block style: each kind of problem, at the value or the key', () => {
    const text = [
      'version: 2', // 1
      'services:', // 2
      '  - name: checkout', // 3
      '    paths: 5', // 4
      '    tema: payments', // 5
      '    dashboards:', // 6
      '      - title: Grafana', // 7
      '        url: ftp://grafana.example/d/1', // 8
      '    traces: jaegr', // 9
      '    deploys:', // 10
      '      - kind: gti', // 11
      '      - kind: github', // 12
      '        repo: acme', // 13
      '      - kind: argocd', // 14
      '        server: https://argo.example.com', // 15
      '  - name: Checkout', // 16
      '  - name: ""', // 17
      '    paths: ["src/[a-z.ts", /etc/**]', // 18
      '  - 42', // 19
    ].join('\n');
    const catalog = loadCatalog(text, '/ws/oncall.yaml', { knownBackends: ['jaeger'] });
    assert.deepEqual(where(catalog.problems), [
      ['invalid-value', 'error', 1, 10, 1, 11],
      ['wrong-type', 'error', 4, 12, 4, 13],
      ['unknown-key', 'warning', 5, 5, 5, 9],
      ['invalid-url', 'error', 8, 14, 8, 39],
      ['unknown-backend', 'warning', 9, 13, 9, 18],
      ['invalid-value', 'error', 11, 15, 11, 18],
      ['invalid-value', 'error', 13, 15, 13, 19],
      ['missing-key', 'error', 14, 9, 14, 21],
      ['duplicate-service', 'error', 16, 11, 16, 19],
      ['wrong-type', 'error', 17, 11, 17, 13],
      ['invalid-glob', 'error', 18, 13, 18, 26],
      ['not-relative', 'error', 18, 28, 18, 35],
      ['wrong-type', 'error', 19, 5, 19, 7],
    ]);
    const messages = catalog.problems.map((p) => p.message);
    assert.deepEqual(messages.slice(0, 3), [
      'version: expected 1 (the only version so far), got a number',
      'services[0].paths: expected a list of globs, e.g. ["services/checkout/**"], got a number',
      'services[0].tema: unknown key, ignored; did you mean "team"? (keys here: name, description, tier, paths, team, escalation, runbooks, dashboards, traces, metrics, deploys)',
    ]);
    assert.match(messages[3] ?? '', /^services\[0\]\.dashboards\[0\]\.url: expected an http:\/\/ or https:\/\/ URL, got "ftp:/);
    assert.equal(messages[4], 'services[0].traces: no trace backend named "jaegr" in oncall.traces.backends (configured: jaeger); did you mean "jaeger"?');
    assert.match(messages[5] ?? '', /^services\[0\]\.deploys\[0\]\.kind: expected one of git, github, argocd, http, file, got "gti"; did you mean "git"\?$/);
    assert.match(messages[6] ?? '', /^services\[0\]\.deploys\[1\]\.repo: expected a GitHub repository as "owner\/name"/);
    assert.match(messages[7] ?? '', /^services\[0\]\.deploys\[2\]: kind argocd needs "app"/);
    assert.match(messages[8] ?? '', /^services\[1\]\.name: "Checkout" is already the name of services\[0\] \(line 3\); this entry is ignored$/);
    assert.match(messages[10] ?? '', /^services\[2\]\.paths\[0\]: "src\/\[a-z\.ts" is not a valid glob: Missing closing: "\]"/);
    assert.match(messages[11] ?? '', /^services\[2\]\.paths\[1\]: "\/etc\/\*\*" is absolute/);
    assert.match(messages[12] ?? '', /^services\[3\]: expected a service/);
    // What could be read is kept: the first service, without its broken fields and deploys.
    assert.deepEqual(catalog.services.map((s) => [s.name, s.paths, s.dashboards.length, s.traces, s.deploys.length]), [['checkout', [], 0, 'jaegr', 0]]);
  });

  it('flow style: positions inside { … } and [ … ] on one line', () => {
    const text = [
      'services:',
      '  - { name: a, paths: 5, tema: x }',
      '  - { name: b, dashboards: [{ title: X, url: "nope" }], deploys: [{ kind: file }] }',
      '  - { name: c, metrics: { prometheus: prom, exemplar: up } }',
    ].join('\n');
    const catalog = loadCatalog(text, 'oncall.yaml', { knownPrometheus: [] });
    assert.deepEqual(where(catalog.problems), [
      ['wrong-type', 'error', 2, 23, 2, 24],
      ['unknown-key', 'warning', 2, 26, 2, 30],
      ['invalid-url', 'error', 3, 46, 3, 52],
      ['missing-key', 'error', 3, 67, 3, 81],
      ['unknown-prometheus', 'warning', 4, 39, 4, 43],
      ['unknown-key', 'warning', 4, 45, 4, 53],
    ]);
    const byCode = new Map(catalog.problems.map((p) => [p.code, p.message]));
    assert.equal(byCode.get('unknown-prometheus'), 'services[2].metrics.prometheus: no Prometheus named "prom" in the Prometheus settings (none is configured)');
    assert.match(byCode.get('unknown-key') ?? '', /did you mean "exemplars"/);
  });

  it('reports keys that belong elsewhere with where they belong, and keys of another deploy kind', () => {
    const text = ['services:', '  - name: a', '    prometheus: p', '    deploys:', '      - { kind: git, tags: "v*", repo: acme/shop }'].join('\n');
    const p = loadCatalog(text, 'oncall.yaml').problems;
    assert.deepEqual(where(p), [
      ['unknown-key', 'warning', 3, 5, 3, 15],
      ['unknown-key', 'warning', 5, 34, 5, 38],
    ]);
    assert.match(p[0]?.message ?? '', /did you mean "metrics\.prometheus"\?/);
    assert.equal(p[1]?.message, 'services[0].deploys[0].repo: not used by kind git, ignored (kind git takes tags, branch)');
    assert.deepEqual(loadCatalog(text, 'oncall.yaml').services[0]?.deploys.map((d) => d.options), [{ tags: 'v*' }]);
  });

  it('a service without a name, and a key without a value', () => {
    const text = ['services:', '  - paths: ["a/**"]', '    team:', '  - name: b', '    dashboards:', '      - title: x'].join('\n');
    const c = loadCatalog(text, 'oncall.yaml');
    assert.deepEqual(where(c.problems), [
      ['missing-key', 'error', 2, 5, 2, 20],
      ['wrong-type', 'error', 3, 5, 3, 9],
      ['missing-key', 'error', 6, 9, 6, 17],
    ]);
    assert.match(c.problems[0]?.message ?? '', /^services\[0\]: "name" is required/);
    assert.equal(c.problems[1]?.message, 'services[0].team: expected a team name, e.g. "payments", got nothing');
    assert.deepEqual(c.services.map((s) => s.name), ['b']);
  });

  it('http deploys: mapping checked key by key', () => {
    const text = ['services:', '  - name: a', '    deploys:', '      - kind: http', '        url: https://d.example.com', '        mapping: { version: tag, when: ts }'].join('\n');
    const c = loadCatalog(text, 'oncall.yaml');
    assert.deepEqual(where(c.problems), [
      ['missing-key', 'error', 6, 18, 6, 44],
      ['unknown-key', 'warning', 6, 34, 6, 38],
    ]);
    assert.match(c.problems[0]?.message ?? '', /^services\[0\]\.deploys\[0\]\.mapping: "time" is required/);
    assert.deepEqual(c.services[0]?.deploys, []);
  });
});

describe('loadCatalog: files that are not a catalog', () => {
  it('a tab in the indentation is a YAML error at that spot', () => {
    const c = loadCatalog('services:\n\t- name: a\n', 'oncall.yaml', { folderName: 'shop' });
    assert.deepEqual(where(c.problems), [['yaml-syntax', 'error', 2, 1, 2, 2]]);
    assert.equal(c.problems[0]?.message, 'oncall.yaml: tab characters must not be used in indentation');
    assert.deepEqual(c.services.map((s) => s.name), ['shop']);
  });

  it('an unclosed flow list, a duplicated key, a bad indentation (CRLF line ends)', () => {
    assert.deepEqual(where(loadCatalog('services: [{ name: a }\n', 'oncall.yaml').problems), [['yaml-syntax', 'error', 2, 1, 2, 1]]);
    const dup = loadCatalog('services:\r\n  - name: a\r\n    name: b\r\n', 'oncall.yaml').problems;
    assert.deepEqual(where(dup), [['duplicate-key', 'error', 3, 5, 3, 6]]);
    assert.equal(dup[0]?.message, 'oncall.yaml: duplicated mapping key');
    assert.deepEqual(where(loadCatalog('services:\n  - name: a\n   team: b\n', 'oncall.yaml').problems).map((p) => p.slice(0, 3)), [['yaml-syntax', 'error', 3]]);
  });

  it('an empty file, or one with only comments, is a catalog without services or problems', () => {
    for (const text of ['', '\n\n', '# nothing here yet\n', '---\n']) {
      const c = loadCatalog(text, 'oncall.yaml');
      assert.deepEqual([c.source, c.services, c.problems, c.runbookFolders], ['file', [], [], ['runbooks']], JSON.stringify(text));
    }
  });

  it('a list, a string or a number at the top is reported at line 1', () => {
    const list = loadCatalog('- name: checkout\n- name: pricing\n', 'oncall.yaml');
    assert.deepEqual(where(list.problems), [['not-a-mapping', 'error', 1, 1, 1, 17]]);
    assert.equal(list.problems[0]?.message, 'oncall.yaml: expected a mapping with "services:" at the top, got a list');
    assert.equal(loadCatalog('hello', 'x/oncall.yml').problems[0]?.message, 'oncall.yml: expected a mapping with "services:" at the top, got a string');
    assert.deepEqual(where(loadCatalog('42\n', 'oncall.yaml').problems), [['not-a-mapping', 'error', 1, 1, 1, 3]]);
  });

  it('reads only the first of several documents, and says so', () => {
    const c = loadCatalog('services: [{ name: a }]\n---\nservices: [{ name: b }]\n', 'oncall.yaml');
    assert.deepEqual(c.services.map((s) => s.name), ['a']);
    assert.deepEqual(where(c.problems), [['multiple-documents', 'warning', 3, 1, undefined, undefined]]);
  });

  it('services that is not a list', () => {
    const c = loadCatalog('services:\n  name: checkout\n', 'oncall.yaml');
    assert.deepEqual(where(c.problems), [['wrong-type', 'error', 2, 3, 2, 17]]);
    assert.match(c.problems[0]?.message ?? '', /^services: expected a list of services, e.g. - name: checkout, got a mapping$/);
  });
});

describe('loadCatalog: size and hostile input', () => {
  it('reads a 1 MB catalog and places problems at its end', () => {
    const lines = ['services:'];
    let i = 0;
    let size = 0;
    while (size < 1024 * 1024) {
      size += lines.slice(-4).join('\n').length;
      lines.push(`  - name: svc-${i}`, `    paths: ["services/svc-${i}/**"]`, `    team: team-${i % 50}`, `    dashboards: [{ title: D${i}, url: "https://grafana.example/d/${i}" }]`);
      i++;
    }
    lines.push('  - name: svc-0', '    paths: 7');
    const c = loadCatalog(lines.join('\n'), 'oncall.yaml');
    assert.equal(c.services.length, i);
    assert.deepEqual(where(c.problems), [
      ['duplicate-service', 'error', lines.length - 1, 11, lines.length - 1, 16],
      ['wrong-type', 'error', lines.length, 12, lines.length, 13],
    ]);
    assert.equal(c.services[i - 1]?.line, lines.length - 5);
  });

  it('takes markup, prototype keys, control characters and astral characters as plain data', () => {
    const before = Object.keys(Object.prototype).length;
    const text = [
      '__proto__: { polluted: true }',
      'constructor: x',
      'services:',
      '  - name: "<script>alert(1)</script>"',
      '    team: "<img src=x onerror=alert(1)>"',
      '    __proto__: { paths: ["**"] }',
      '    escalation: "$(loading~spin) \\u0007 \\u202e"',
      '  - { name: "🔥🔥 fire", tema: x }',
    ].join('\n');
    const c = loadCatalog(text, 'oncall.yaml');
    assert.equal(Object.keys(Object.prototype).length, before);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.deepEqual(c.services.map((s) => s.name), ['<script>alert(1)</script>', '🔥🔥 fire']);
    assert.equal(c.services[0]?.team, '<img src=x onerror=alert(1)>');
    assert.deepEqual(c.services[0]?.paths, []);
    assert.deepEqual(where(c.problems), [
      ['unknown-key', 'warning', 1, 1, 1, 10],
      ['unknown-key', 'warning', 2, 1, 2, 12],
      ['unknown-key', 'warning', 6, 5, 6, 14],
      ['unknown-key', 'warning', 8, 26, 8, 30], // columns count UTF-16 code units, as VS Code does: 🔥 is two
    ]);
    // A long hostile key is quoted and cut in the message, never echoed in full.
    const long = loadCatalog(`services: [{ name: a, paths: ["${'['.repeat(5000)}"] }]`, 'oncall.yaml').problems;
    assert.equal(long.length, 1);
    assert.ok((long[0]?.message.length ?? 0) < 400);
  });

  it('does not expand a billion laughs', () => {
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let k = 1; k < 9; k++) laughs.push(`${String.fromCharCode(97 + k)}: &${String.fromCharCode(97 + k)} [${Array(9).fill(`*${String.fromCharCode(96 + k)}`).join(',')}]`);
    laughs.push('services: [{ name: x, paths: *i }]');
    const c = loadCatalog(laughs.join('\n'), 'oncall.yaml');
    assert.ok(c.problems.length < 50, `${c.problems.length} problems`);
    assert.ok(c.problems.some((p) => p.code === 'wrong-type' || p.code === 'yaml-syntax'));
  });
});
