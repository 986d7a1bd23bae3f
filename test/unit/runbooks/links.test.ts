// Runbook links (src/core/runbooks/links.ts): found with their positions outside code, classified (runbook, code,
// anchor, external, unsafe), resolved relative to the runbook or the workspace root, and reported when they lead
// nowhere or use a scheme the renderer blocks.
import * as assert from 'node:assert/strict';
import { classifyLink, extractLinks, resolveLink, unwrapHugoRef } from '../../../src/core/runbooks/links';
import { outlineMarkdown } from '../../../src/core/runbooks/markdown';
import { parseRunbook } from '../../../src/core/runbooks/parse';
import { fixture } from '../helpers';

const files = new Set(['runbooks/payments/PaymentsDown.md', 'runbooks/links.md', 'src/checkout/server.go', 'docs', 'runbooks/node/_index.md', 'runbooks/node/NodeRAIDDegraded.md']);
const exists = (p: string): boolean => files.has(p);

const linksOf = (text: string): ReturnType<typeof extractLinks> => {
  const lines = text.split('\n');
  return extractLinks(lines, outlineMarkdown(lines, 0).prose);
};

describe('runbooks: links', () => {
  it('classifies targets', () => {
    const rows = [
      '../other.md',
      'payments/PaymentsDown.md#impact',
      '{{< ref "./NodeRAIDDegraded.md" >}}',
      '{{% relref "NodeRAIDDegraded" %}}',
      'src/x.go:42',
      'src/x.go:42:7',
      'src/x.go#L10-L20',
      'deploy/values.yaml',
      '#diagnosis',
      'https://example.com/a?b#c',
      'mailto:oncall@example.com',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html;base64,xx',
      'vbscript:msgbox',
      'file:///etc/passwd',
      'command:workbench.action.terminal.new',
      'command:oncall.findTraces',
      'command:oncall.findTraces?%5B%22x%22%5D',
      'vscode://oncall-lens.oncall-lens/trace/abc',
      '//evil.example.com/x',
      'my%20notes.md',
    ].map((t) => {
      const c = classifyLink(t);
      return [t, c.kind, c.path ?? c.anchor ?? c.scheme, c.line, c.endLine, c.hugo];
    });
    assert.deepEqual(rows, [
      ['../other.md', 'runbook', '../other.md', undefined, undefined, undefined],
      ['payments/PaymentsDown.md#impact', 'runbook', 'payments/PaymentsDown.md', undefined, undefined, undefined],
      ['{{< ref "./NodeRAIDDegraded.md" >}}', 'runbook', './NodeRAIDDegraded.md', undefined, undefined, true],
      ['{{% relref "NodeRAIDDegraded" %}}', 'runbook', 'NodeRAIDDegraded', undefined, undefined, true],
      ['src/x.go:42', 'code', 'src/x.go', 42, undefined, undefined],
      ['src/x.go:42:7', 'code', 'src/x.go', 42, undefined, undefined],
      ['src/x.go#L10-L20', 'code', 'src/x.go', 10, 20, undefined],
      ['deploy/values.yaml', 'code', 'deploy/values.yaml', undefined, undefined, undefined],
      ['#diagnosis', 'anchor', 'diagnosis', undefined, undefined, undefined],
      ['https://example.com/a?b#c', 'external', 'https', undefined, undefined, undefined],
      ['mailto:oncall@example.com', 'external', 'mailto', undefined, undefined, undefined],
      ['javascript:alert(1)', 'unsafe', 'javascript', undefined, undefined, undefined],
      ['JaVaScRiPt:alert(1)', 'unsafe', 'javascript', undefined, undefined, undefined],
      ['java\tscript:alert(1)', 'unsafe', 'javascript', undefined, undefined, undefined],
      ['data:text/html;base64,xx', 'unsafe', 'data', undefined, undefined, undefined],
      ['vbscript:msgbox', 'unsafe', 'vbscript', undefined, undefined, undefined],
      ['file:///etc/passwd', 'unsafe', 'file', undefined, undefined, undefined],
      ['command:workbench.action.terminal.new', 'unsafe', 'command', undefined, undefined, undefined],
      ['command:oncall.findTraces', 'command', 'command', undefined, undefined, undefined],
      ['command:oncall.findTraces?%5B%22x%22%5D', 'unsafe', 'command', undefined, undefined, undefined],
      ['vscode://oncall-lens.oncall-lens/trace/abc', 'unsafe', 'vscode', undefined, undefined, undefined],
      ['//evil.example.com/x', 'unsafe', undefined, undefined, undefined, undefined],
      ['my%20notes.md', 'runbook', 'my notes.md', undefined, undefined, undefined],
    ]);
    assert.equal(classifyLink('src/x.go:42:7').column, 7);
    assert.equal(classifyLink('command:oncall.findTraces').command, 'oncall.findTraces');
    assert.equal(classifyLink('payments/PaymentsDown.md#impact').anchor, 'impact');
    assert.equal(unwrapHugoRef('{{< ref path="a/b.md" lang="en" >}}'), 'a/b.md');
    assert.equal(unwrapHugoRef('./a.md'), undefined);
  });

  it('resolves relative to the runbook file, then the runbook root (Hugo), then the workspace root', () => {
    const r = (from: string, target: string, root?: string): [string | undefined, readonly string[]] => {
      const x = resolveLink(from, target, exists, root === undefined ? {} : { root });
      return [x.resolved, x.tried];
    };
    assert.deepEqual(r('runbooks/links.md', 'payments/PaymentsDown.md#impact'), ['runbooks/payments/PaymentsDown.md', ['runbooks/payments/PaymentsDown.md']]);
    assert.deepEqual(r('runbooks/links.md', 'src/checkout/server.go:42'), ['src/checkout/server.go', ['runbooks/src/checkout/server.go', 'src/checkout/server.go']]);
    assert.deepEqual(r('runbooks/links.md', '../src/checkout/server.go#L3'), ['src/checkout/server.go', ['src/checkout/server.go']]);
    assert.deepEqual(r('runbooks/links.md', '/src/checkout/server.go'), ['src/checkout/server.go', ['src/checkout/server.go']]);
    assert.deepEqual(r('runbooks/node/X.md', '{{< ref "./NodeRAIDDegraded.md" >}}'), ['runbooks/node/NodeRAIDDegraded.md', ['runbooks/node/NodeRAIDDegraded.md']]);
    // Hugo: no extension, from the content root, a section page.
    assert.equal(r('runbooks/general/X.md', '{{< ref "node/NodeRAIDDegraded" >}}', 'runbooks')[0], 'runbooks/node/NodeRAIDDegraded.md');
    assert.equal(r('runbooks/general/X.md', '{{< ref "/node" >}}', 'runbooks')[0], 'runbooks/node/_index.md');
    // Never outside the workspace.
    assert.deepEqual(r('runbooks/links.md', '../../../etc/passwd'), [undefined, []]);
    assert.deepEqual(r('runbooks/links.md', '../other.md'), [undefined, ['other.md']]);
    assert.deepEqual(r('README.md', '../docs/'), [undefined, []]);
    assert.equal(r('runbooks/links.md', '../docs/')[0], 'docs');
    // Not file links: nothing to resolve.
    assert.deepEqual(resolveLink('runbooks/links.md', 'https://example.com', exists).tried, []);
  });

  it('finds links with the position of their target, outside code spans and fences', () => {
    const text = [
      'See [a](../a.md) and ![img](img/x.png "title") and [b]({{< ref "./b.md" >}}).',
      '`[code](not-a-link.md)` but [c](c.md)',
      '```',
      '[fenced](fenced.md)',
      '```',
      '[ref]: <docs/ref target.md>',
      '<https://example.com/auto> <a href="javascript:alert(1)">x</a> <img src=\'logo.png\'>',
      '[![badge](badge.svg)](https://ci.example.com) [nested [brackets]](n.md) [paren](wiki/Foo_(bar).md)',
    ].join('\n');
    const rows = linksOf(text).map((l) => [l.target, l.kind, l.lineInFile, l.columnInFile, l.endColumnInFile, l.image]);
    assert.deepEqual(rows, [
      ['../a.md', 'runbook', 1, 9, 16, false],
      ['img/x.png', 'code', 1, 29, 38, true],
      ['./b.md', 'runbook', 1, 56, 76, false],
      ['c.md', 'runbook', 2, 33, 37, false],
      ['docs/ref target.md', 'runbook', 6, 9, 27, false],
      ['https://example.com/auto', 'external', 7, 2, 26, false],
      ['javascript:alert(1)', 'unsafe', 7, 37, 56, false],
      ['logo.png', 'code', 7, 74, 82, true],
      ['badge.svg', 'code', 8, 11, 20, true],
      ['https://ci.example.com', 'external', 8, 23, 45, false],
      ['n.md', 'runbook', 8, 67, 71, false],
      ['wiki/Foo_(bar).md', 'runbook', 8, 81, 98, false],
    ]);
    // The positions cover the target as written (the whole shortcode for Hugo refs).
    const lines = text.split('\n');
    for (const l of linksOf(text)) {
      const written = (lines[l.lineInFile - 1] as string).slice(l.columnInFile - 1, l.endColumnInFile - 1);
      assert.equal(l.hugo ? unwrapHugoRef(written) : written, l.target);
    }
  });

  it('parseRunbook reports missing files, missing anchors and unsafe schemes as warnings at the link', () => {
    const text = fixture('runbooks', 'bad', 'runbooks', 'links.md');
    const rb = parseRunbook(text, { file: 'runbooks/links.md', root: 'runbooks', origin: 'workspace', exists });
    const rows = rb.problems.map((p) => [p.code, p.severity, p.line, p.column, p.endColumn]);
    assert.deepEqual(rows, [
      ['missing-link', 'warning', 9, 25, 36],
      ['missing-link', 'warning', 10, 17, 44],
      ['missing-link', 'warning', 11, 95, 117],
      ['missing-anchor', 'warning', 12, 48, 64],
      ['unsafe-link', 'warning', 13, 17, 36],
      ['unsafe-link', 'warning', 13, 49, 83],
    ]);
    const lines = text.split('\n');
    for (const p of rb.problems) {
      const written = (lines[p.line - 1] as string).slice(p.column - 1, (p.endColumn as number) - 1);
      assert.ok(/other\.md|NotThere|gone\.go|no-such-heading|javascript:|data:/.test(written), written);
    }
    assert.match(rb.problems[1]?.message ?? '', /"\.\/NotThere\.md" not found \(looked for runbooks\/NotThere\.md, NotThere\.md\)/);
    // Without `exists`, only what needs no file system is reported.
    const offline = parseRunbook(text, { file: 'runbooks/links.md', origin: 'workspace' });
    assert.deepEqual(offline.problems.map((p) => p.code), ['missing-anchor', 'unsafe-link', 'unsafe-link']);
  });
});
