/**
 * Loads tree-sitter (the WASM build VS Code itself ships, @vscode/tree-sitter-wasm) and the grammars, once per
 * process, lazily: a grammar is read from disk the first time a file of its language is parsed.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { Language, Parser, Query } from '@vscode/tree-sitter-wasm';
import { bindModule, CompiledQuery, rootOf, type Node, type TreeSitterModule } from './node';

/** The grammar files this extension ships (dist/tree-sitter/ in the bundle). */
export type Grammar = 'go' | 'java' | 'javascript' | 'typescript' | 'tsx' | 'python' | 'ruby' | 'rust' | 'c-sharp' | 'cpp' | 'php';

let wasmDir: string | undefined;
let init: Promise<void> | undefined;
const languages = new Map<Grammar, Promise<Language>>();
const queries = new Map<string, CompiledQuery>();

/**
 * Where the .wasm files are: dist/tree-sitter next to the bundle when bundled, else the npm package (tests, CLI
 * from out/). Overridable for tests.
 */
export function setWasmDir(dir: string): void {
  wasmDir = dir;
}

function dir(): string {
  if (wasmDir) return wasmDir;
  // Bundled: dist/tree-sitter next to dist/wireWorker.js and dist/cli.js. Compiled by tsc: out/src/core/wire → the package.
  const candidates = [path.join(__dirname, 'tree-sitter'), path.join(__dirname, '..', '..', '..', '..', 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm')];
  wasmDir = candidates.find((d) => fs.existsSync(path.join(d, 'tree-sitter.wasm'))) ?? (candidates[0] as string);
  return wasmDir;
}

function initParser(): Promise<void> {
  if (!init) {
    // The options object becomes the emscripten module (web-tree-sitter's `C`): node.ts calls its C functions.
    const emscripten = { locateFile: (file: string) => path.join(dir(), file) };
    init = Parser.init(emscripten).then(() => bindModule(emscripten as unknown as TreeSitterModule));
  }
  return init;
}

export async function language(grammar: Grammar): Promise<Language> {
  await initParser();
  let l = languages.get(grammar);
  if (!l) {
    const file = path.join(dir(), `tree-sitter-${grammar}.wasm`);
    l = fs.promises.readFile(file).then((bytes) => Language.load(new Uint8Array(bytes)));
    languages.set(grammar, l);
  }
  return l;
}

/** A parser for one grammar. Parsers are cheap; callers may keep one per grammar. */
export async function parser(grammar: Grammar): Promise<Parser> {
  const lang = await language(grammar);
  const p = new Parser();
  p.setLanguage(lang);
  return p;
}

/** A compiled query, cached by grammar and source text (compiling is the expensive part). */
export function query(lang: Language, grammar: Grammar, source: string): CompiledQuery {
  const key = grammar + '\0' + source;
  let q = queries.get(key);
  if (!q) {
    q = new CompiledQuery(new Query(lang, source));
    queries.set(key, q);
  }
  return q;
}

/** One parser per grammar for parseWith (synchronous reads of other files during an extraction). */
const syncParsers = new Map<Language, Parser>();

/**
 * Parses `text` synchronously with an already loaded language (an extractor reading another file: a Django
 * urls.py its views, a controller its base class) and hands the root to `use`; the tree is freed afterwards.
 */
export function parseWith<T>(lang: Language, text: string, use: (root: Node) => T): T | undefined {
  let p = syncParsers.get(lang);
  if (!p) {
    p = new Parser();
    p.setLanguage(lang);
    syncParsers.set(lang, p);
  }
  const tree = p.parse(text);
  if (!tree) return undefined;
  try {
    return use(rootOf(tree, text));
  } finally {
    tree.delete();
  }
}
