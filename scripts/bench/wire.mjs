// The wire scan benchmark of a tree: scanned cold (and warm, from the cache the cold scan wrote), next to ripgrep
// searching it for route-registration patterns (the floor; the fastest ripgrep found, over the whole tree and over
// exactly the files the scan reads) and to tree-sitter alone parsing the files the scan parses (the parser's floor:
// wire-floor.mjs); and the re-index of one saved file. Two trees: real code (wire-real.mjs) and the worst case, a
// ≥ 200k-line tree of copies of the framework fixtures (test/fixtures/wire/*), where every file is a handler file.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Copies every fixture service into `dest` as many times as needed for `minLines` lines of source. */
export function makeTree(dest, minLines = 200_000) {
  const marker = path.join(dest, '.lines');
  if (fs.existsSync(marker) && Number(fs.readFileSync(marker, 'utf8')) >= minLines) return Number(fs.readFileSync(marker, 'utf8'));
  fs.rmSync(dest, { recursive: true, force: true });
  const fixtures = path.join(root, 'test', 'fixtures', 'wire');
  const services = fs.readdirSync(fixtures).filter((d) => fs.statSync(path.join(fixtures, d)).isDirectory());
  let perCopy = 0;
  const countLines = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) countLines(p);
      else perCopy += fs.readFileSync(p, 'utf8').split('\n').length;
    }
  };
  for (const s of services) countLines(path.join(fixtures, s));
  const copies = Math.max(1, Math.ceil(minLines / perCopy));
  for (let i = 0; i < copies; i++) for (const s of services) fs.cpSync(path.join(fixtures, s), path.join(dest, `copy${i}`, s), { recursive: true });
  fs.writeFileSync(marker, String(copies * perCopy));
  return copies * perCopy;
}

/**
 * Every ripgrep found: on PATH (Debian's, installed when root and missing), and the one code-server ships in the test
 * host cache (usually newer). The floor is the fastest of them on each tree.
 */
export function findRipgreps() {
  const found = [];
  const works = (rg) => spawnSync(rg, ['--version']).status === 0;
  if (works('rg')) found.push('rg');
  else if (process.getuid?.() === 0) {
    spawnSync('apt-get', ['install', '-y', '-q', 'ripgrep'], { stdio: 'ignore' });
    if (works('rg')) found.push('rg');
  }
  const cache = process.env.ONCALL_TEST_HOST_CACHE ?? path.join(os.homedir(), '.cache', 'oncall-lens', 'test-host');
  if (fs.existsSync(cache)) {
    for (const d of fs.readdirSync(cache)) {
      const p = path.join(cache, d, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `linux-${process.arch}`, 'rg');
      if (fs.existsSync(p) && works(p)) found.push(p);
    }
  }
  return found;
}

/** Route-registration patterns of the frameworks the scan reads, as one ripgrep search. */
const RG_PATTERN = String.raw`\.(Get|Post|Put|Delete|Patch|GET|POST|PUT|DELETE|PATCH|HandleFunc|Handle|Group|Route|Mount|get|post|put|delete|patch|route|use|include_router|register_blueprint|add_url_rule|MapGet|MapPost|MapGroup|nest|service|scope|mount)\(|@(Get|Post|Put|Delete|Patch|Request)Mapping|@(app|router|bp|blueprint)\.(get|post|put|delete|patch|route)|#\[(get|post|put|delete|patch)\(|\[Http(Get|Post|Put|Delete|Patch)|Route::|^\s*(get|post|put|patch|delete|resources?|namespace|scope)\s|\bpath\(|re_path\(|rpc\s+\w+|service\s+\w+\s*\{`;

/**
 * ripgrep's floor on `tree`, median of `runs`, the fastest ripgrep found: `treeMs` searching the whole tree (the
 * issue's floor: what `rg <pattern> <tree>` takes, every file it finds included), `filesMs` searching exactly the
 * files the scan reads (passed by name: no walk, no other files; the stricter floor).
 */
function ripgrepFloor(tree, files, runs) {
  // Infinity when ripgrep did not search (a spawn error such as E2BIG for a very long file list, or exit code 2).
  const time = (rg, args) => {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = spawnSync(rg, args, { cwd: tree, stdio: 'ignore' });
      if (r.error || r.status === null || r.status > 1) return Infinity;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  };
  let best;
  for (const rg of findRipgreps()) {
    const treeMs = time(rg, ['-c', '-e', RG_PATTERN, '.']);
    const filesMs = time(rg, ['-c', '-e', RG_PATTERN, '--', ...files]);
    const version = spawnSync(rg, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    best = {
      treeMs: Math.min(treeMs, best?.treeMs ?? Infinity),
      treeRg: treeMs <= (best?.treeMs ?? Infinity) ? version : best.treeRg,
      filesMs: Math.min(filesMs, best?.filesMs ?? Infinity),
      filesRg: filesMs <= (best?.filesMs ?? Infinity) ? version : best.filesRg,
    };
  }
  if (!best || best.treeMs === Infinity) return undefined;
  return best;
}

/**
 * The wire benchmark of one tree: cold scans (each in a fresh process, `node`: the Node that runs the scan — the
 * extension host's, or this one for the CLI), warm starts, the tree-sitter floor, ripgrep's floors and the re-index
 * of `reindexFile`. Without `tree`: the fixture-copies tree (.bench/wire-tree).
 */
export function benchWire({ runs = 3, node = process.execPath, tree, reindexFile } = {}) {
  tree ??= path.join(root, '.bench', 'wire-tree');
  if (tree === path.join(root, '.bench', 'wire-tree')) makeTree(tree, 240_000); // counts every file; about 200k of them are source lines
  reindexFile ??= findReindexFile(tree);
  const results = [];
  const warm = [];
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-wire-cache-'));
  try {
    for (let i = 0; i < runs; i++) {
      // A cold scan that writes the warm-start cache, then a fresh process that starts from it.
      const out = execFileSync(node, [path.join(root, 'scripts', 'bench', 'wire-case.mjs'), tree, reindexFile], { cwd: root, encoding: 'utf8', env: { ...process.env, ONCALL_BENCH_CACHE_DIR: cacheDir } });
      results.push(JSON.parse(out.trim().split('\n').pop()));
      const w = execFileSync(node, [path.join(root, 'scripts', 'bench', 'wire-warm.mjs'), tree, cacheDir], { cwd: root, encoding: 'utf8' });
      warm.push(JSON.parse(w.trim().split('\n').pop()));
    }
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  // The parser's floor: what walking, reading and parsing alone take (wire-floor.mjs), in the same Node.
  const floors = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(node, [path.join(root, 'scripts', 'bench', 'wire-floor.mjs'), tree], { cwd: root, encoding: 'utf8' });
    floors.push(JSON.parse(out.trim().split('\n').pop()));
  }
  floors.sort((a, b) => a.wallMs - b.wallMs);
  const floor = floors[Math.floor(floors.length / 2)];
  results.sort((a, b) => a.coldMs - b.coldMs);
  warm.sort((a, b) => a.warmMs - b.warmMs);
  const median = results[Math.floor(results.length / 2)];
  const warmMedian = warm[Math.floor(warm.length / 2)];
  const rg = ripgrepFloor(tree, scannedFiles(tree), Math.max(runs, 5));
  return { tree, median, warm: warmMedian, floor, rg, reindexFile };
}

/** The files the scan reads (its own walk, from the compiled core). */
function scannedFiles(tree) {
  const outDir = path.resolve(root, process.env.ONCALL_BENCH_OUT ?? 'out');
  const require = createRequire(import.meta.url);
  const { walkTree } = require(path.join(outDir, 'src', 'core', 'wire', 'walk.js'));
  const { WIRE_EXTENSIONS } = require(path.join(outDir, 'src', 'core', 'wire', 'extensions.js'));
  return walkTree(tree, { extensions: new Set(WIRE_EXTENSIONS) }).files;
}

/** A handler file of the tree to re-index (a Go file with routes when there is one). */
function findReindexFile(tree) {
  const prefer = ['copy0/go-gin', 'copy0/go-chi', 'copy0/ts-express', 'copy0/py-fastapi'];
  for (const p of prefer) {
    const dir = path.join(tree, p);
    if (!fs.existsSync(dir)) continue;
    const stack = [dir];
    while (stack.length) {
      const d = stack.pop();
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) stack.push(full);
        else if (/\.(go|ts|py)$/.test(e.name) && /route|handler|main|app/i.test(e.name)) return path.relative(tree, full).split(path.sep).join('/');
      }
    }
  }
  throw new Error('no file to re-index in the bench tree');
}
