import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';

/** The "## Unsupported patterns" section of a docs/wire page: every line up to the next `## ` heading or the end. */
function unsupportedSection(markdown: string): string | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === '## Unsupported patterns');
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const next = rest.findIndex((l) => l.startsWith('## '));
  return (next < 0 ? rest : rest.slice(0, next)).join('\n').trim();
}

describe('README: what the wire scan knowingly misses', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const begin = readme.indexOf('<!-- wire-unsupported:begin');
  const end = readme.indexOf('<!-- wire-unsupported:end -->');
  const block = readme.slice(begin, end);
  const pages = fs.readdirSync(path.join(repoRoot, 'docs', 'wire')).filter((f) => f.endsWith('.md'));

  it('has the generated block', () => {
    assert.ok(begin >= 0 && end > begin, 'README.md has the wire-unsupported markers');
    assert.ok(pages.length >= 9, `docs/wire has a page per language (${pages.join(', ')})`);
  });

  it('lists every unsupported pattern of every docs/wire page, whole (node scripts/wire-readme.mjs copies them)', () => {
    let bullets = 0;
    for (const page of pages) {
      const section = unsupportedSection(fs.readFileSync(path.join(repoRoot, 'docs', 'wire', page), 'utf8'));
      assert.ok(section, `docs/wire/${page} has an "Unsupported patterns" section`);
      bullets += section.split('\n').filter((l) => l.startsWith('- ')).length;
      assert.ok(block.includes(`docs/wire/${page}`), `README links docs/wire/${page}`);
      assert.ok(block.includes(section), `README lists the whole "Unsupported patterns" of docs/wire/${page}; run node scripts/wire-readme.mjs`);
    }
    assert.ok(bullets >= 20, `${bullets} unsupported patterns in all`);
  });
});
