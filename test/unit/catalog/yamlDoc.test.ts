import * as assert from 'node:assert/strict';
import { closest, editDistance, parentPath } from '../../../src/core/catalog/report';
import { LineIndex, joinPath, parseYaml } from '../../../src/core/catalog/yamlDoc';

/** `path → [key line:col, value line:col–line:col]` for the paths asked. */
function positions(text: string, paths: string[]): Record<string, string> {
  const parsed = parseYaml(text);
  assert.ok(parsed.ok);
  const lines = new LineIndex(text);
  const fmt = (o: number): string => {
    const p = lines.position(o);
    return `${p.line}:${p.column}`;
  };
  const out: Record<string, string> = {};
  for (const p of paths) {
    const loc = parsed.locations.get(p);
    out[p] = loc ? `${loc.key ? fmt(loc.key.start) : '-'} ${loc.value ? `${fmt(loc.value.start)}-${fmt(loc.value.end)}` : '-'}` : 'none';
  }
  return out;
}

describe('parseYaml: positions of keys and values by key path', () => {
  it('block style, quoted and block scalars, empty values', () => {
    const text = ['services:', '  - name: "checkout"', '    team:', '    description: |', '      two', '      lines', "    deploys:", "      - kind: 'git'", '        tags: v*'].join('\n');
    assert.deepEqual(positions(text, ['', 'services', 'services[0]', 'services[0].name', 'services[0].team', 'services[0].description', 'services[0].deploys[0].kind', 'services[0].deploys[0].tags', 'services[1]']), {
      '': '- 1:1-1:10',
      services: '1:1 2:3-2:21',
      'services[0]': '- 2:5-2:21',
      'services[0].name': '2:5 2:11-2:21',
      'services[0].team': '3:5 -',
      'services[0].description': '4:5 5:7-6:12',
      'services[0].deploys[0].kind': '8:9 8:15-8:20',
      'services[0].deploys[0].tags': '9:9 9:15-9:17',
      'services[1]': 'none',
    });
  });

  it('flow style, aliases, odd keys', () => {
    const text = ['x: &d [{ title: X, url: "https://g" }]', 'services: [{ name: a, dashboards: *d, "odd key": 1, paths: [] }]'].join('\n');
    assert.deepEqual(positions(text, ['x', 'x[0]', 'x[0].url', 'services[0]', 'services[0].dashboards', 'services[0]["odd key"]', 'services[0].paths']), {
      x: '1:1 1:7-1:39',
      'x[0]': '- 1:8-1:38',
      'x[0].url': '1:20 1:25-1:36',
      'services[0]': '- 2:12-2:64',
      'services[0].dashboards': '2:23 2:35-2:37',
      'services[0]["odd key"]': '2:39 2:50-2:51',
      'services[0].paths': '2:53 2:60-2:62',
    });
  });

  it('reports syntax errors with their offset, and notices a second document', () => {
    const bad = parseYaml('a: [1, 2\n');
    assert.equal(bad.ok, false);
    const two = parseYaml('a: 1\n---\nb: 2\n');
    assert.ok(two.ok && two.extraDocumentAt === 9);
  });

  it('LineIndex counts \\n, \\r\\n and \\r, 1-based', () => {
    const lines = new LineIndex('ab\r\ncd\ref\ngh');
    assert.deepEqual([0, 1, 2, 4, 5, 7, 10, 12, 99].map((o) => lines.position(o)), [
      { line: 1, column: 1 },
      { line: 1, column: 2 },
      { line: 1, column: 3 },
      { line: 2, column: 1 },
      { line: 2, column: 2 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
      { line: 4, column: 3 },
      { line: 4, column: 3 },
    ]);
  });
});

describe('key paths and suggestions', () => {
  it('joinPath and parentPath are inverse', () => {
    const p = joinPath(joinPath(joinPath(joinPath('', 'services'), 1), 'odd key'), 'x');
    assert.equal(p, 'services[1]["odd key"].x');
    assert.deepEqual([parentPath(p), parentPath('services[1]["odd key"]'), parentPath('services[1]'), parentPath('services'), parentPath('')], ['services[1]["odd key"]', 'services[1]', 'services', '', undefined]);
  });

  it('suggests the closest key, counting a transposition as one edit', () => {
    assert.equal(editDistance('tema', 'team'), 1);
    assert.equal(editDistance('dashbaords', 'dashboards'), 1);
    assert.equal(closest('Paths', ['name', 'paths']), 'paths');
    assert.equal(closest('tema', ['name', 'team']), 'team');
    assert.equal(closest('colour', ['name', 'team']), undefined);
    assert.equal(closest('x', []), undefined);
  });
});
