// The runbook renderer (src/core/runbooks/render.ts): hostile Markdown renders to inert HTML, links become IDs
// into a side table (classified, never emitted as hrefs), checklists get stable IDs, shell blocks become commands,
// and all the prometheus-operator runbooks render with every heading in the TOC and every Hugo ref as a link.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSlugger, githubSlug, renderRunbook } from '../../../src/core/runbooks/render';
import { classifyHref, resolveRelative, rewriteHugoRefs } from '../../../src/core/runbooks/renderLinks';
import { headingPlainText, outlineMarkdown, Slugger } from '../../../src/core/runbooks/markdown';
import { isRunbookHostMessage, parseRunbookWebviewMessage } from '../../../src/shared/protocol/runbook';
import { repoRoot } from '../helpers';

const render = (md: string, file = 'runbooks/api/high-latency.md') => renderRunbook(md, { file });

const TAGS = new Set(['p', 'a', 'span', 'em', 'strong', 's', 'code', 'pre', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'input', 'blockquote', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
const ATTRS = new Set(['class', 'id', 'href', 'title', 'type', 'checked', 'start', 'aria-label', 'data-line', 'data-link', 'data-check', 'data-command', 'data-lang']);

/**
 * Asserts the HTML is inert wherever it is inserted: only known tags and attributes, `href` only `#`, no `<` or
 * `>` outside tags (so nothing can open a tag the list above does not know), no script, no event handlers.
 */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<iframe|<img|<svg|<style|<object|<embed|<form|<meta|<link|<base/i);
  const text = html.replace(/<\/?([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:="[^"<>]*")?)*)\s*\/?>/g, (_all, tag: string, attrs: string) => {
    assert.ok(TAGS.has(tag.toLowerCase()), `unexpected tag <${tag}>`);
    for (const m of attrs.matchAll(/\s+([\w-]+)(?:="([^"]*)")?/g)) {
      const [, name = '', value = ''] = m;
      assert.ok(ATTRS.has(name), `unexpected attribute ${name}= on <${tag}>`);
      assert.doesNotMatch(name, /^on/i);
      if (name === 'href') assert.equal(value, '#');
      assert.doesNotMatch(value, /javascript:|vbscript:|data:/i, `${name}="${value}"`);
    }
    return '';
  });
  assert.doesNotMatch(text, /[<>]/, 'a < or > outside a known tag');
  assert.doesNotMatch(html.replace(/"[^"]*"/g, '""'), /<[^>]*\son\w+\s*=/i, 'an on…= attribute');
}

describe('runbook renderer', () => {
  describe('hostile Markdown', () => {
    const raw: [string, string][] = [
      ['script tag', '<script>window.__xss = 1</script>'],
      ['script block', 'text\n\n<script>\nwindow.__xss = 1\n</script>\n'],
      ['img onerror', '<img src=x onerror="window.__xss=1">'],
      ['iframe', '<iframe src="https://evil.example/"></iframe>'],
      ['svg onload', '<svg onload="window.__xss=1"></svg>'],
      ['raw anchor', '<a href="javascript:alert(1)">click</a>'],
      ['style', '<style>body { display: none }</style>'],
      ['div onclick', '<div onclick="alert(1)">x</div>'],
      ['comment', '<!-- <script>alert(1)</script> -->'],
      ['heading injection', '# x"><script>alert(1)</script>\n\n## <img src=x onerror=alert(1)>'],
      ['fence language injection', '```"><img src=x onerror=alert(1)>\necho hi\n```'],
      ['code breaking out', '```sh\n</code></pre><script>alert(1)</script>\n```'],
      ['task item injection', '- [ ] "><script>alert(1)</script>\n- [x] <img src=x onerror=alert(1)>'],
      ['table cell', '| a |\n|---|\n| <script>alert(1)</script> |'],
    ];
    for (const [name, md] of raw) {
      it(`${name}: escaped, nothing executable`, () => {
        const r = render(md);
        assertInert(r.html);
      });
    }

    const links: [string, string][] = [
      ['javascript:', '[a](javascript:alert(1))'],
      ['mixed case', '[a](JaVaScRiPt:alert(1))'],
      ['entity-encoded', '[a](&#106;avascript:alert(1))'],
      ['hex entities', '[a](&#x6A;&#x61;vascript&#x3A;alert(1))'],
      ['tab inside', '[a](java&#x09;script:alert(1))'],
      ['leading spaces in angle brackets', '[a](<  javascript:alert(1)>)'],
      ['autolink', '<javascript:alert(1)>'],
      ['reference definition', '[a]\n\n[a]: javascript:alert(1)\n'],
      ['vbscript', '[a](vbscript:msgbox(1))'],
      ['data: html', '[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
      ['data: image', '![a](data:image/png;base64,iVBORw0KGgo=)'],
      ['file:', '[a](file:///etc/passwd)'],
      ['command:', '[a](command:workbench.action.terminal.sendSequence)'],
      ['vscode:', '[a](vscode://oncall-lens.oncall-lens/trace/1)'],
      ['protocol-relative', '[a](//evil.example/x)'],
      ['backslashes', '[a](\\\\\\\\evil.example\\share)'],
      ['percent-encoded backslashes', '[a](%5C%5Cevil.example)'],
      ['windows path', '[a](C:\\Windows\\system32)'],
    ];
    for (const [name, md] of links) {
      it(`${name} link: shown as blocked, no URL anywhere`, () => {
        const r = render(`See ${md}\n\nnow.`);
        assertInert(r.html);
        assert.doesNotMatch(r.html, /javascript:|vbscript:|data:|file:|command:|vscode:|evil/i);
        assert.equal(r.links.length, 0, JSON.stringify(r.links));
        assert.equal(r.blockedLinks, 1);
        assert.match(r.html, /<span class="rb-link-blocked(?: rb-image)?" title="Blocked link: [^"]*">[^<]*<\/span><span class="rb-blocked-marker">blocked link<\/span>/);
      });
    }

    it('link titles cannot inject attributes', () => {
      const r = render('[t](https://example.com "x\\" onmouseover=\\"alert(1)") [u](https://example.com \'y" autofocus onfocus="alert(1)\')');
      assertInert(r.html);
      assert.match(r.html, /title="x&quot; onmouseover=&quot;alert\(1\)"/);
      assert.equal(r.links.length, 2);
    });

    it('links carry no URL, only an ID into the side table', () => {
      const r = render('[site](https://example.com/a?b=1) <https://example.org> https://example.net/x');
      assertInert(r.html);
      assert.doesNotMatch(r.html, /example\.com|href="[^#]/);
      assert.deepEqual(r.links.map((l) => [l.kind, l.target]), [['external', 'https://example.com/a?b=1'], ['external', 'https://example.org'], ['external', 'https://example.net/x']]);
      assert.equal((r.html.match(/<a href="#" class="rb-link rb-link-external" data-link="\d">/g) ?? []).length, 3);
    });

    it('images load nothing: [image: alt], linked when the target is allowed', () => {
      const r = render('![arch diagram](docs/arch.png) ![remote](https://evil.example/pixel.gif "t") ![](data:image/png;base64,AAAA)');
      assertInert(r.html);
      assert.doesNotMatch(r.html, /evil|pixel|data:/);
      assert.match(r.html, /\[image: arch diagram\]/);
      assert.match(r.html, /\[image: remote\]/);
      assert.match(r.html, /<span class="rb-link-blocked rb-image" title="Blocked link: data links are not allowed">\[image: image\]<\/span><span class="rb-blocked-marker">blocked link<\/span>/);
      assert.deepEqual(r.links.map((l) => l.kind), ['code', 'external']);
    });
  });

  describe('links', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['src/x.go:42', { kind: 'code', target: 'src/x.go', line: 42 }],
      ['main.go:12:5', { kind: 'code', target: 'main.go', line: 12, column: 5 }],
      ['src/x.go#L42', { kind: 'code', target: 'src/x.go', line: 42 }],
      ['src/x.go#L42-L50', { kind: 'code', target: 'src/x.go', line: 42 }],
      ['./deploy/values.yaml', { kind: 'code', target: './deploy/values.yaml' }],
      ['../services/checkout/Dockerfile', { kind: 'code', target: '../services/checkout/Dockerfile' }],
      ['docs/arch.png', { kind: 'code', target: 'docs/arch.png' }],
      ['other.md#mitigation', { kind: 'runbook', target: 'other.md', fragment: 'mitigation' }],
      ['../kubernetes/KubePodCrashLooping', { kind: 'runbook', target: '../kubernetes/KubePodCrashLooping' }],
      ['my%20runbook.md', { kind: 'runbook', target: 'my runbook.md' }],
      ['#diagnosis', { kind: 'anchor', target: 'diagnosis' }],
      ['https://grafana.example/d/abc?from=now-1h', { kind: 'external', target: 'https://grafana.example/d/abc?from=now-1h' }],
      ['mailto:oncall@example.com', { kind: 'external', target: 'mailto:oncall@example.com' }],
    ];
    for (const [href, want] of cases) {
      it(`${href} → ${String(want['kind'])}`, () => {
        const c = classifyHref(href);
        assert.equal(c.blocked, false);
        assert.deepEqual({ ...c, blocked: undefined }, { blocked: undefined, ...want });
      });
    }

    it('resolves relative targets against the runbook folder, never above the root', () => {
      assert.equal(resolveRelative('runbooks/node/x.md', './y.md'), 'runbooks/node/y.md');
      assert.equal(resolveRelative('runbooks/node/x.md', '../kubernetes/a.md'), 'runbooks/kubernetes/a.md');
      assert.equal(resolveRelative('runbooks/node/x.md', '../../src/x.go'), 'src/x.go');
      assert.equal(resolveRelative('runbooks/node/x.md', '../../../etc/passwd'), undefined);
      assert.equal(resolveRelative('runbooks/node/x.md', '/runbooks/a.md'), undefined);
      const r = render('[code](../../src/server.go:42)', 'runbooks/api/x.md');
      assert.deepEqual(r.links[0], { id: 0, kind: 'code', target: '../../src/server.go', resolved: 'src/server.go', line: 42 });
    });

    it('Hugo ref and relref shortcodes become runbook links', () => {
      const md = [
        'See [Node RAID Degraded]({{< ref "./NodeRAIDDegraded.md" >}})',
        'and [skew]({{% relref \'NodeClockSkewDetected\' %}}), [sec]({{< ref "/runbooks/node/x.md#mitigation" >}}),',
        '[with space]({{< ref "a b.md" >}}) and [defined][d].',
        '',
        '[d]: {{< ref "Defined.md" >}}',
      ].join('\n');
      assert.equal(rewriteHugoRefs(md).text.split('\n').length, md.split('\n').length, 'line numbers kept');
      const r = render(md, 'runbooks/node/NodeRAIDDiskFailure.md');
      assertInert(r.html);
      assert.doesNotMatch(r.html, /\{\{|ref /);
      assert.deepEqual(
        r.links.map((l) => [l.kind, l.target, l.fragment, l.hugo, l.resolved]),
        [
          ['runbook', './NodeRAIDDegraded.md', undefined, true, 'runbooks/node/NodeRAIDDegraded.md'],
          ['runbook', 'NodeClockSkewDetected', undefined, true, 'runbooks/node/NodeClockSkewDetected'],
          ['runbook', '/runbooks/node/x.md', 'mitigation', true, undefined],
          ['runbook', 'a b.md', undefined, true, 'runbooks/node/a b.md'],
          ['runbook', 'Defined.md', undefined, true, 'runbooks/node/Defined.md'],
        ],
      );
    });

    it('bare file names and domains are not linkified; http(s) URLs and e-mail addresses are', () => {
      const r = render('Run setup.py against example.com, see https://status.example.com or mail oncall@example.com.');
      assert.deepEqual(r.links.map((l) => l.target), ['https://status.example.com', 'mailto:oncall@example.com']);
    });
  });

  describe('headings', () => {
    it('GitHub slugs: lower-case, punctuation removed, spaces to -, repeats numbered', () => {
      assert.equal(githubSlug('Meaning'), 'meaning');
      assert.equal(githubSlug("What's up? (p99 > 2s)"), 'whats-up-p99--2s');
      assert.equal(githubSlug('Überlast – Ärger'), 'überlast--ärger');
      assert.equal(githubSlug('snake_case and-dash'), 'snake_case-and-dash');
      const s = createSlugger();
      assert.deepEqual(['Foo', 'Foo', 'Foo-1', 'Foo'].map(s), ['foo', 'foo-1', 'foo-1-1', 'foo-2']);
    });

    it('every heading gets its slug as id and a TOC entry with its file line', () => {
      const r = renderRunbook('# High latency\n\n## Check `kubectl` [pods](#x)\n\nSetext\n------\n\n## High latency\n', { file: 'x.md', bodyLine: 5 });
      assert.deepEqual(r.toc, [
        { level: 1, title: 'High latency', slug: 'high-latency', line: 5 },
        { level: 2, title: 'Check kubectl pods', slug: 'check-kubectl-pods', line: 7 },
        { level: 2, title: 'Setext', slug: 'setext', line: 9 },
        { level: 2, title: 'High latency', slug: 'high-latency-1', line: 12 },
      ]);
      for (const t of r.toc) assert.ok(r.html.includes(`id="${t.slug}" `) || r.html.includes(`id="${t.slug}">`), t.slug);
      assert.match(r.html, /<h2 data-line="7" id="check-kubectl-pods">/);
    });

    it('front matter is skipped and lines stay those of the file', () => {
      const r = render('---\ntitle: X\nalerts: [A]\n---\n\n# A\n\ntext\n');
      assert.deepEqual(r.toc, [{ level: 1, title: 'A', slug: 'a', line: 6 }]);
      assert.match(r.html, /<p data-line="8">text<\/p>/);
      const toml = render('+++\ntitle = "X"\n+++\n# B\n');
      assert.deepEqual(toml.toc[0], { level: 1, title: 'B', slug: 'b', line: 4 });
    });
  });

  describe('checklists', () => {
    const md = '## Steps\n\n- [ ] Page the DB owner\n- [x] Scale `checkout` to 6\n- plain item\n- [ ] Page the DB owner\n* [X] Post in #incident\n';

    it('task items become checkboxes with IDs and entries', () => {
      const r = render(md);
      assertInert(r.html);
      assert.deepEqual(r.checks.map((c) => [c.text, c.line, c.initiallyChecked]), [
        ['Page the DB owner', 3, false],
        ['Scale `checkout` to 6', 4, true],
        ['Page the DB owner', 6, false],
        ['Post in #incident', 7, true],
      ]);
      const ids = r.checks.map((c) => c.id);
      assert.equal(new Set(ids).size, 4);
      assert.equal(ids[2], `${ids[0]}-1`, 'a repeat gets its occurrence number');
      for (const id of ids) assert.match(id, /^[a-z0-9-]{1,40}$/);
      for (const c of r.checks) assert.match(r.html, new RegExp(`<input type="checkbox" class="rb-check" data-check="${c.id}" aria-label="[^"]*"${c.initiallyChecked ? ' checked' : ''}> `));
      assert.doesNotMatch(r.html, /\[ \]|\[x\]/i);
      assert.match(r.html, /<li data-line="5">plain item<\/li>/);
    });

    it('IDs are stable when another item is inserted, removed or edited', () => {
      const before = render(md).checks;
      const after = render(md.replace('- [ ] Page the DB owner\n', '- [ ] Open the dashboard\n- [ ] Page the DB owner\n').replace('Post in #incident', 'Post in #incident-room')).checks;
      const id = (cs: typeof before, text: string) => cs.find((c) => c.text === text)?.id;
      assert.equal(id(after, 'Page the DB owner'), id(before, 'Page the DB owner'));
      assert.equal(id(after, 'Scale `checkout` to 6'), id(before, 'Scale `checkout` to 6'));
      assert.equal(after.length, 5);
      assert.notEqual(id(after, 'Post in #incident-room'), id(before, 'Post in #incident'));
    });

    it('loose and nested task lists, but not `[ ]` elsewhere', () => {
      const r = render('- [ ] outer\n\n  - [x] inner\n\n- [ ] loose\n\n[ ] not a list\n\n1. [ ] ordered\n');
      assert.deepEqual(r.checks.map((c) => c.text), ['outer', 'inner', 'loose', 'ordered']);
      assert.match(r.html, /\[ \] not a list/);
    });
  });

  describe('code blocks and commands', () => {
    it('shell blocks are commands; prompts stripped, output left out; other code is not', () => {
      const md = [
        '```bash', 'kubectl -n prod get pods', '```', // 1
        '```console', '$ kubectl get nodes \\', '    -o wide', 'NAME   STATUS', 'node1  Ready', '$ echo done', '```', // 4
        '```', '$ curl -s localhost:9090/-/ready', '```', // 11
        '```', 'plain text, no prompt', '```', // 14
        '```promql', 'rate(http_requests_total[5m])', '```', // 17
        '```sh title="x"', '', '```', // 20: empty
        '```ZSH', 'ls', '```', // 23
        '    $ indented', // 26
        '',
        'Check via `kubectl get pods`.',
      ].join('\n');
      const r = renderRunbook(md, { file: 'x.md', bodyLine: 3 });
      assertInert(r.html);
      assert.deepEqual(r.commands, [
        { id: 0, code: 'kubectl -n prod get pods', lang: 'bash', line: 3 },
        { id: 1, code: 'kubectl get nodes \\\n    -o wide\necho done', lang: 'console', line: 6 },
        { id: 2, code: 'curl -s localhost:9090/-/ready', lang: '', line: 13 },
        { id: 3, code: 'ls', lang: 'zsh', line: 25 },
        { id: 4, code: 'indented', lang: '', line: 28 },
      ]);
      assert.equal((r.html.match(/<div class="rb-code"/g) ?? []).length, 8);
      assert.equal((r.html.match(/data-command=/g) ?? []).length, 5);
      assert.match(r.html, /<div class="rb-code" data-line="19" data-lang="promql"><pre><code class="language-promql">rate/);
      assert.match(r.html, /<div class="rb-code" data-line="6" data-command="1" data-lang="console"><pre><code class="language-console">\$ kubectl get nodes/);
      assert.match(r.html, /<code>kubectl get pods<\/code>/);
    });
  });

  describe('real runbooks (prometheus-operator)', () => {
    const local = path.join(repoRoot, 'test', 'fixtures', 'runbooks', 'prometheus-operator');
    const root = fs.existsSync(local) ? local : '/work/shared/fixtures/runbooks/prometheus-operator';
    const files = fs.existsSync(root) ? (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.md') && f !== 'SOURCE.md').sort() : [];

    it('finds the fixtures', () => {
      assert.ok(files.length >= 80, `${files.length} runbooks under ${root}`);
    });

    it('all render inert, every heading in the TOC, every Hugo ref a runbook link', () => {
      let refs = 0;
      let commands = 0;
      for (const f of files) {
        const text = fs.readFileSync(path.join(root, f), 'utf8');
        const r = renderRunbook(text, { file: `runbooks/${f.split(path.sep).join('/')}` });
        assertInert(r.html);
        const headings = r.html.match(/<h[1-6][ >]/g) ?? [];
        assert.equal(r.toc.length, headings.length, f);
        for (const t of r.toc) assert.ok(t.title !== '' && r.html.includes(`id="${t.slug}"`), `${f}: ${t.title}`);
        const hugo = (text.match(/\{\{[<%]\s*(?:rel)?ref\s/g) ?? []).length;
        assert.equal(r.links.filter((l) => l.hugo && l.kind === 'runbook' && /\.md$/.test(l.target)).length, hugo, f);
        for (const m of r.html.matchAll(/<a [^>]*>([^<]*)<\/a>/g)) assert.doesNotMatch(m[1] ?? '', /\{\{|&lt;|ref "/, f);
        assert.doesNotMatch(r.html, /\{\{(&lt;|<|%)/, f);
        assert.equal(r.blockedLinks, 0, f);
        refs += hugo;
        commands += r.commands.length;
      }
      assert.ok(refs >= 5, `${refs} Hugo refs`);
      assert.ok(commands >= 25, `${commands} commands`);
    });

    it('the TOC agrees with the parser outline (same slugs and lines)', () => {
      for (const f of files) {
        const text = fs.readFileSync(path.join(root, f), 'utf8');
        const lines = text.split(/\r?\n/);
        const fm = /^---\r?\n[\s\S]*?\r?\n---[ \t]*\r?\n/.exec(text);
        const from = fm ? fm[0].split('\n').length - 1 : 0;
        const slugger = new Slugger();
        const outline = outlineMarkdown(lines, from).headings.map((h) => ({ slug: slugger.slug(headingPlainText(h.text)), line: h.line }));
        const r = renderRunbook(text, { file: f });
        assert.deepEqual(r.toc.map((t) => ({ slug: t.slug, line: t.line })), outline, f);
      }
    });

    it('KubeProxyDown: console blocks are commands with file lines', () => {
      const f = path.join(root, 'kubernetes', 'KubeProxyDown.md');
      const r = renderRunbook(fs.readFileSync(f, 'utf8'), { file: 'runbooks/kubernetes/KubeProxyDown.md' });
      assert.deepEqual(r.commands[0], { id: 0, code: 'kubectl get pods -l k8s-app=kube-proxy -n kube-system', lang: 'console', line: 30 });
      assert.deepEqual(r.toc.slice(0, 2).map((t) => t.slug), ['kubeproxydown', 'meaning']);
    });
  });

  it('renders a 5 MB runbook', function () {
    // Dense Markdown (a million markdown-it tokens) takes seconds on a slow machine; no timing is asserted.
    this.timeout(120_000);
    const section = '## Step\n\n- [ ] tick [link](other.md) `code` **bold**\n\n```sh\necho hi\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n';
    const md = `# Big\n\n${section.repeat(Math.ceil(5_000_000 / section.length))}`;
    const r = render(md);
    assert.ok(r.html.length > md.length);
    assert.equal(r.checks.length, r.commands.length);
    assert.equal(r.toc.at(-1)?.slug, `step-${r.toc.length - 2}`);
  });

  it('a 1 MB single line and deep nesting do not break it', () => {
    assertInert(render('x'.repeat(1_000_000)).html);
    assertInert(render(`${'> '.repeat(5000)}deep\n\n${'- '.repeat(2000)}deep`).html);
    assertInert(render(`${'['.repeat(10000)}a${']'.repeat(10000)}(x)`).html);
  });
});

describe('runbook webview protocol', () => {
  it('accepts only well-formed view messages with IDs, never code or URLs', () => {
    assert.deepEqual(parseRunbookWebviewMessage({ type: 'runCommand', commandId: 2 }), { type: 'runCommand', commandId: 2 });
    assert.deepEqual(parseRunbookWebviewMessage({ type: 'runCommand', commandId: 2, code: 'rm -rf /' }), { type: 'runCommand', commandId: 2 });
    assert.equal(parseRunbookWebviewMessage({ type: 'runCommand', commandId: '2' }), undefined);
    assert.equal(parseRunbookWebviewMessage({ type: 'runCommand', commandId: -1 }), undefined);
    assert.equal(parseRunbookWebviewMessage({ type: 'openLink', linkId: 1.5 }), undefined);
    assert.deepEqual(parseRunbookWebviewMessage({ type: 'openLink', linkId: 0, url: 'file:///etc' }), { type: 'openLink', linkId: 0 });
    assert.deepEqual(parseRunbookWebviewMessage({ type: 'toggleCheck', checkId: 'c0a1b2-1', checked: true }), { type: 'toggleCheck', checkId: 'c0a1b2-1', checked: true });
    assert.equal(parseRunbookWebviewMessage({ type: 'toggleCheck', checkId: '../x', checked: true }), undefined);
    assert.equal(parseRunbookWebviewMessage({ type: 'toggleCheck', checkId: 'c1', checked: 'yes' }), undefined);
    assert.deepEqual(parseRunbookWebviewMessage({ type: 'resetChecks' }), { type: 'resetChecks' });
    assert.equal(parseRunbookWebviewMessage({ type: 'runText', text: 'ls' }), undefined);
    assert.equal(parseRunbookWebviewMessage(null), undefined);
  });

  it('checks host messages before the view acts on them', () => {
    assert.equal(isRunbookHostMessage({ type: 'trust', trusted: false }), true);
    assert.equal(isRunbookHostMessage({ type: 'trust' }), false);
    assert.equal(isRunbookHostMessage({ type: 'ran', commandId: 1, at: 1 }), true);
    assert.equal(isRunbookHostMessage({ type: 'checks', checked: [1], incident: 'x' }), false);
    assert.equal(isRunbookHostMessage({ type: 'show', html: '' }), false);
  });
});
