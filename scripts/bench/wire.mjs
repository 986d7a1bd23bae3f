// The wire scan benchmark: a ≥ 200k-line mixed-language tree made of copies of the framework fixtures
// (test/fixtures/wire/*), scanned cold; next to ripgrep searching the same tree for route-registration patterns
// (the floor: reading every byte once) and to tree-sitter alone parsing the files the scan parses (the parser's
// floor: wire-floor.mjs); and the re-index of one saved file.
import { execFileSync, spawnSync } from 'node:child_process';
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

/** ripgrep: on PATH, Debian's package (installed when root), or the one code-server ships in the test host cache. */
export function findRipgrep() {
  const onPath = spawnSync('rg', ['--version']);
  if (onPath.status === 0) return 'rg';
  if (process.getuid?.() === 0) {
    spawnSync('apt-get', ['install', '-y', '-q', 'ripgrep'], { stdio: 'ignore' });
    if (spawnSync('rg', ['--version']).status === 0) return 'rg';
  }
  const cache = process.env.ONCALL_TEST_HOST_CACHE ?? path.join(os.homedir(), '.cache', 'oncall-lens', 'test-host');
  if (fs.existsSync(cache)) {
    for (const d of fs.readdirSync(cache)) {
      const p = path.join(cache, d, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `linux-${process.arch}`, 'rg');
      if (fs.existsSync(p)) return p;
    }
  }
  return undefined;
}

/** Route-registration patterns of the frameworks the scan reads, as one ripgrep search. */
const RG_PATTERN = String.raw`\.(Get|Post|Put|Delete|Patch|GET|POST|PUT|DELETE|PATCH|HandleFunc|Handle|Group|Route|Mount|get|post|put|delete|patch|route|use|include_router|register_blueprint|add_url_rule|MapGet|MapPost|MapGroup|nest|service|scope|mount)\(|@(Get|Post|Put|Delete|Patch|Request)Mapping|@(app|router|bp|blueprint)\.(get|post|put|delete|patch|route)|#\[(get|post|put|delete|patch)\(|\[Http(Get|Post|Put|Delete|Patch)|Route::|^\s*(get|post|put|patch|delete|resources?|namespace|scope)\s|\bpath\(|re_path\(|rpc\s+\w+|service\s+\w+\s*\{`;

/** `node`: the Node that runs the scan (the extension host's, or the one running this script for the CLI). */
export function benchWire({ runs = 3, node = process.execPath } = {}) {
  const tree = path.join(root, '.bench', 'wire-tree');
  const lines = makeTree(tree, 240_000); // counts every file; about 200k of them are source lines
  const results = [];
  const warm = [];
  const reindexFile = findReindexFile(tree);
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
  const rg = findRipgrep();
  let rgMs;
  if (rg) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      spawnSync(rg, ['-c', '-e', RG_PATTERN, tree], { stdio: 'ignore' });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    rgMs = times[Math.floor(times.length / 2)];
  }
  return { lines, tree, median, warm: warmMedian, floor, rgMs, rg, reindexFile };
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
