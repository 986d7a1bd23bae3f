// The prometheus-operator runbooks (test/fixtures/runbooks/prometheus-operator, real files from
// github.com/prometheus-operator/runbooks): every file loads with no problem, every runbook is listed under its
// alert (the file name), the folders become services named by their _index.md, Hugo refs resolve, and the outline
// agrees with what markdown-it sees.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { RunbookSet } from '../../../src/core/runbooks/index';
import { extractLinks, resolveLink } from '../../../src/core/runbooks/links';
import { loadRunbooksFromDir, type LoadedRunbooks } from '../../../src/core/runbooks/load';
import { outlineMarkdown } from '../../../src/core/runbooks/markdown';
import { repoRoot } from '../helpers';

const root = path.join(repoRoot, 'test', 'fixtures', 'runbooks', 'prometheus-operator');

function markdownFiles(dir: string, base = ''): string[] {
  return fs
    .readdirSync(path.join(dir, base), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? markdownFiles(dir, path.posix.join(base, e.name)) : e.name.endsWith('.md') ? [path.posix.join(base, e.name)] : []))
    .sort();
}

describe('runbooks: the prometheus-operator runbooks', () => {
  const files = markdownFiles(root);
  let loaded: LoadedRunbooks;
  let set: RunbookSet;
  before(async () => {
    loaded = await loadRunbooksFromDir(root, ['']);
    set = new RunbookSet(loaded.runbooks, undefined, { roots: [''] });
  });

  it('all 82 files are there (80 runbooks and section pages, SOURCE.md, LICENSE)', () => {
    const all = fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.equal(all.length, 82);
    assert.equal(files.length, 81);
    assert.equal(files.filter((f) => f.endsWith('/_index.md')).length, 5);
  });

  it('every Markdown file loads, with no problem at all (no false missing links or anchors)', () => {
    assert.deepEqual(loaded.runbooks.map((rb) => rb.file), files);
    assert.deepEqual([loaded.missingFolders, loaded.unreadable], [[], []]);
    const problems = set.runbooks.flatMap((rb) => rb.problems.map((p) => `${rb.file}:${p.line}:${p.column}: ${p.message}`));
    assert.deepEqual(problems, []);
  });

  it('every runbook is listed under its alert, the file name, with the front-matter title', () => {
    const runbooks = files.filter((f) => !f.endsWith('_index.md') && f !== 'SOURCE.md');
    assert.equal(runbooks.length, 75);
    for (const f of runbooks) {
      const alert = path.posix.basename(f, '.md');
      const found = set.byAlert(alert);
      assert.deepEqual(found.map((rb) => rb.file), [f], alert);
      assert.deepEqual(found[0]?.alerts, [alert], f);
      assert.ok(found[0]?.sections.length, f);
    }
    const crash = set.byAlert('KubePodCrashLooping')[0];
    assert.equal(crash?.title, 'Kube Pod Crash Looping');
    assert.deepEqual(crash?.sections.map((s) => s.slug), ['kubepodcrashlooping', 'meaning', 'impact', 'diagnosis', 'mitigation']);
    // TargetDown has no front matter: the H1 is both title and alert.
    assert.deepEqual([set.byAlert('TargetDown')[0]?.title, set.byAlert('TargetDown')[0]?.bodyLine], ['TargetDown', 1]);
    // CPUThrottlingHigh's H1 is words; the file name is the alert.
    assert.equal(set.byAlert('CPUThrottlingHigh')[0]?.alertsFrom?.source, 'file-name');
    assert.equal(set.byAlert('kubepodcrashlooping')[0]?.file, 'kubernetes/KubePodCrashLooping.md');
  });

  it('folders are the services, named by their _index.md; section pages and SOURCE.md list no alert', () => {
    const groups = set.services().map((g) => [g.name, g.label, g.source, g.runbooks.length]);
    assert.deepEqual(groups, [
      ['alertmanager', 'alertmanager', 'folder', 8],
      ['general', 'general', 'folder', 5],
      ['kube-state-metrics', 'kube-state-metrics', 'folder', 5],
      ['kubernetes', 'kubernetes', 'folder', 48],
      ['node', 'node', 'folder', 14],
      ['(unassigned)', '(unassigned)', 'unassigned', 1],
    ]);
    for (const rb of set.runbooks.filter((r) => r.isSectionIndex || r.file === 'SOURCE.md')) assert.deepEqual(rb.alerts, [], rb.file);
    assert.equal(set.runbooks.filter((r) => r.isSectionIndex).length, 5);
  });

  it('Hugo ref shortcodes resolve to the runbooks they name', () => {
    let refs = 0;
    for (const f of files) {
      const lines = fs.readFileSync(path.join(root, f), 'utf8').split(/\r?\n/);
      for (const link of extractLinks(lines, outlineMarkdown(lines, 0).prose).filter((l) => l.hugo)) {
        const r = resolveLink(f, link, (p) => fs.existsSync(path.join(root, p)), { root: '' });
        assert.equal(r.kind, 'runbook');
        assert.equal(r.resolved, path.posix.join(path.posix.dirname(f), link.path ?? ''), `${f}: ${link.target}`);
        refs++;
      }
    }
    assert.equal(refs, 5);
  });

  it('headings, levels and lines agree with markdown-it on every file', () => {
    const md = new MarkdownIt();
    for (const rb of set.runbooks) {
      const lines = fs.readFileSync(path.join(root, rb.file), 'utf8').split(/\r?\n/);
      // markdown-it does not know front matter: blank it out, keeping line numbers.
      const body = lines.map((l, i) => (i < rb.bodyLine - 1 ? '' : l)).join('\n');
      const tokens = md.parse(body, {});
      const headings = tokens.flatMap((t, i) => {
        if (t.type !== 'heading_open') return [];
        const inline = tokens[i + 1];
        const text = (inline?.children ?? []).filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('');
        return [[Number(t.tag.slice(1)), text, (t.map?.[0] ?? -1) + 1]];
      });
      assert.deepEqual(rb.sections.map((s) => [s.level, s.title, s.line]), headings, rb.file);
    }
  });
});
