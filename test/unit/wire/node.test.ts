import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Query, type Node as LibNode, type Tree } from '@vscode/tree-sitter-wasm';
import { supportFor } from '../../../src/core/wire/languages';
import { CompiledQuery, descendants, rootOf, type SyntaxNode } from '../../../src/core/wire/node';
import { language, parser, type Grammar } from '../../../src/core/wire/treeSitter';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'wire');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out.sort();
}

/** Every fixture file a grammar reads, with its grammar. */
function parsedFixtures(): { file: string; grammar: Grammar }[] {
  const out: { file: string; grammar: Grammar }[] = [];
  for (const file of filesUnder(FIXTURES)) {
    const grammar = supportFor(file)?.grammar(file);
    if (grammar) out.push({ file, grammar });
  }
  return out;
}

const ids = (list: readonly ({ id: number } | null)[]): (number | null)[] => list.map((n) => n?.id ?? null);

/** Holds our node to web-tree-sitter's, for every property and method the layer offers, and recurses into the children. */
function compare(ours: SyntaxNode, lib: LibNode, where: string): number {
  const at = `${where} ${lib.type}@${lib.startPosition.row + 1}:${lib.startPosition.column + 1}`;
  assert.equal(ours.id, lib.id, at);
  assert.equal(ours.type, lib.type, at);
  assert.equal(ours.startIndex, lib.startIndex, at);
  assert.equal(ours.endIndex, lib.endIndex, at);
  assert.deepEqual(ours.startPosition, lib.startPosition, at);
  assert.deepEqual(ours.endPosition, lib.endPosition, at);
  assert.equal(ours.text, lib.text, at);
  assert.equal(ours.parent?.id ?? null, lib.parent?.id ?? null, at);
  assert.equal(ours.previousNamedSibling?.id ?? null, lib.previousNamedSibling?.id ?? null, at);
  assert.equal(ours.childCount, lib.childCount, at);
  assert.equal(ours.namedChildCount, lib.namedChildCount, at);
  assert.deepEqual(ids(ours.namedChildren), ids(lib.namedChildren), at);
  assert.equal(ours.lastNamedChild?.id ?? null, lib.lastNamedChild?.id ?? null, at);
  assert.equal(ours.namedChild(0)?.id ?? null, lib.namedChild(0)?.id ?? null, at);
  assert.equal(ours.child(0)?.id ?? null, lib.child(0)?.id ?? null, at);
  // The fields this node's children are in, and one no grammar has.
  const fields = new Set<string>(['no_such_field']);
  for (let i = 0; i < lib.childCount; i++) {
    const f = lib.fieldNameForChild(i);
    if (f) fields.add(f);
  }
  for (const f of fields) {
    assert.equal(ours.childForFieldName(f)?.id ?? null, lib.childForFieldName(f)?.id ?? null, `${at} field ${f}`);
    assert.deepEqual(ids(ours.childrenForFieldName(f)), ids(lib.childrenForFieldName(f)), `${at} fields ${f}`);
  }
  const libChildren = lib.children;
  const ourChildren = ours.children;
  assert.equal(ourChildren.length, libChildren.length, at);
  let count = 1;
  for (let i = 0; i < libChildren.length; i++) count += compare(ourChildren[i] as SyntaxNode, libChildren[i] as LibNode, where);
  return count;
}

describe('wire: the syntax node layer', () => {
  it('gives what web-tree-sitter gives, node by node, for every fixture file of every grammar', async function () {
    this.timeout(120_000);
    let nodes = 0;
    const grammars = new Set<string>();
    for (const { file, grammar } of parsedFixtures()) {
      const text = fs.readFileSync(file, 'utf8');
      const tree = (await parser(grammar)).parse(text) as Tree;
      try {
        nodes += compare(rootOf(tree, text), tree.rootNode, path.relative(FIXTURES, file));
        grammars.add(grammar);
      } finally {
        tree.delete();
      }
    }
    // Broken text: ERROR and MISSING nodes.
    const broken: [Grammar, string][] = [
      ['go', 'package x\nfunc ( {{ "unterminated\nvar = \n'],
      ['python', 'def (:\n  return [1,\nclass\n'],
      ['typescript', 'const = ;; function f( { <div> ` ${'],
      ['java', 'class A { void m( { int = ; } '],
    ];
    for (const [grammar, text] of broken) {
      const tree = (await parser(grammar)).parse(text) as Tree;
      try {
        assert.ok(tree.rootNode.hasError, grammar);
        nodes += compare(rootOf(tree, text), tree.rootNode, `broken ${grammar}`);
      } finally {
        tree.delete();
      }
    }
    assert.ok(grammars.size >= 10, `grammars: ${[...grammars].join(', ')}`);
    assert.ok(nodes > 50_000, `${nodes} nodes compared`);
  });

  it('finds descendants of given types as web-tree-sitter does (descendantsOfType, and the cursor walk)', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'ts-express', 'src', 'index.ts'), 'utf8');
    const tree = (await parser('typescript')).parse(text) as Tree;
    try {
      const ours = rootOf(tree, text);
      for (const types of [['call_expression'], ['call_expression', 'identifier'], ['ERROR'], ['no_such_type']]) {
        assert.deepEqual(ids(ours.descendantsOfType(types)), ids(tree.rootNode.descendantsOfType(types)), types.join());
        const walked: number[] = [];
        const cursor = tree.rootNode.walk();
        outer: for (;;) {
          if (types.includes(cursor.nodeType)) walked.push(cursor.currentNode.id);
          if (cursor.gotoFirstChild()) continue;
          for (;;) {
            if (cursor.gotoNextSibling()) continue outer;
            if (!cursor.gotoParent()) break outer;
          }
        }
        cursor.delete();
        assert.deepEqual(ids(descendants(ours, new Set(types))), walked, types.join());
      }
      assert.ok(ours.descendantsOfType('call_expression').length > 0);
    } finally {
      tree.delete();
    }
  });

  it('runs queries as web-tree-sitter does, text predicates included', async () => {
    const text = [
      "const express = require('express');",
      'const router = express.Router();',
      "router.get('/a', (req, res) => res.send('a'));",
      "app.use('/api', router);",
      "other.get('/b', handler);",
    ].join('\n');
    const tree = (await parser('javascript')).parse(text) as Tree;
    const lang = await language('javascript');
    try {
      const source = `
        ((call_expression function: (member_expression object: (identifier) @obj property: (property_identifier) @verb) arguments: (arguments (string) @path)) (#eq? @obj "router"))
        ((identifier) @name (#match? @name "^ex"))
        (string) @str`;
      const lib = new Query(lang, source);
      const ours = new CompiledQuery(lib);
      const shape = (cs: readonly { name: string; node: { id: number; text: string } }[]): string[] => cs.map((c) => `${c.name}:${c.node.id}:${c.node.text}`);
      const caps = ours.captures(rootOf(tree, text));
      assert.deepEqual(shape(caps), shape(lib.captures(tree.rootNode)));
      assert.ok(caps.some((c) => c.name === 'obj' && c.node.text === 'router'));
      assert.ok(!caps.some((c) => c.name === 'obj' && c.node.text === 'other'), '#eq? filters');
      assert.ok(caps.some((c) => c.name === 'name' && c.node.text === 'express'), '#match? keeps');
      const matches = ours.matches(rootOf(tree, text));
      const libMatches = lib.matches(tree.rootNode);
      assert.deepEqual(
        matches.map((m) => [m.patternIndex, shape(m.captures)]),
        libMatches.map((m) => [m.patternIndex, shape(m.captures)]),
      );
      lib.delete();
    } finally {
      tree.delete();
    }
  });

  it('keeps reading a tree after the wasm memory grew (a big file parsed in between)', async () => {
    const small = 'package main\n\nfunc main() {\n\thttp.HandleFunc("/a", a)\n}\n';
    const p = await parser('go');
    const tree = p.parse(small) as Tree;
    try {
      const root = rootOf(tree, small);
      const fn = root.namedChildren[1] as SyntaxNode;
      // A generated Go file of about 8 MB: its tree needs far more wasm memory than the small one's.
      const big = 'package big\n' + Array.from({ length: 60_000 }, (_, i) => `func f${i}(a int) int { return a + ${i} }\n`).join('');
      const bigTree = p.parse(big) as Tree;
      const bigRoot = rootOf(bigTree, big);
      assert.equal(bigRoot.namedChildCount, 60_001);
      bigTree.delete();
      assert.equal(fn.type, 'function_declaration');
      assert.equal(fn.childForFieldName('name')?.text, 'main');
      assert.equal(fn.childForFieldName('body')?.namedChildren[0]?.text.trim(), 'http.HandleFunc("/a", a)');
      assert.equal(fn.parent?.type, 'source_file');
    } finally {
      tree.delete();
    }
  });
});
