// The tree-sitter floor of the wire scan, in a fresh process:  node scripts/bench/wire-floor.mjs <tree>
// Does what a cold scan does before it extracts anything: walks the tree, reads every file, runs the same pre-checks
// (generated? interesting?) and parses with tree-sitter the files the scan parses, on two threads split by language
// the way the scan splits them. No extraction, no composing. Prints one JSON line: wall ms, CPU ms, files parsed.
// What a scan costs above this is ours (extractors, composing); this part is the parser's.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const outDir = path.resolve(import.meta.dirname, '..', '..', process.env.ONCALL_BENCH_OUT ?? 'out');
const wire = (p) => require(path.join(outDir, 'src', 'core', 'wire', p));
const { parser } = wire('treeSitter.js');
const { LANGUAGES, supportFor } = wire('languages/index.js');
const { looksGenerated, walkTree } = wire('walk.js');
const { groupByLanguage } = wire('scan.js');

/** Reads, pre-checks and parses `files` (relative to `root`) as the scan would; returns how many were parsed. */
async function parseFiles(root, files) {
  const parsers = new Map();
  let parsed = 0;
  for (const file of files) {
    const sup = supportFor(file);
    const grammar = sup?.grammar(file);
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    if (!grammar || looksGenerated(text) || !sup.interesting(text, file)) continue;
    let p = parsers.get(grammar);
    if (!p) parsers.set(grammar, (p = await parser(grammar)));
    p.parse(text).delete();
    parsed++;
  }
  return parsed;
}

if (!isMainThread) {
  parentPort.on('message', async (files) => parentPort.postMessage(await parseFiles(workerData.root, files)));
} else {
  const tree = path.resolve(process.argv[2]);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const walked = walkTree(tree, { extensions: new Set(LANGUAGES.flatMap((l) => [...l.extensions])) });
  const walkMs = performance.now() - t0;
  const queue = groupByLanguage(walked.files, walked.sizes);
  const helper = new Worker(new URL(import.meta.url), { workerData: { root: tree } });
  const ask = (files) => new Promise((resolve, reject) => {
    helper.once('message', resolve);
    helper.once('error', reject);
    helper.postMessage(files);
  });
  let parsed = 0;
  // Both threads take the next language group (biggest first) when done, as WireIndex.scan does.
  await Promise.all([
    (async () => {
      for (let g = queue.shift(); g; g = queue.shift()) {
        const n = await parseFiles(tree, g.files);
        parsed += n;
      }
    })(),
    (async () => {
      for (let g = queue.shift(); g; g = queue.shift()) {
        const n = await ask(g.files);
        parsed += n;
      }
    })(),
  ]);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await helper.terminate();
  console.log(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, walkMs, files: walked.files.length, parsed }));
}
