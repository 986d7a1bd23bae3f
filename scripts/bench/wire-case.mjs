// One wire benchmark in a fresh process:  node scripts/bench/wire-case.mjs <tree> <file-to-reindex> [runs]
// Prints one JSON line: cold scan ms, lines, files, peak RSS MB, re-index times of one file.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { WireIndex } = require(path.resolve(import.meta.dirname, '..', '..', 'out', 'src', 'core', 'wire', 'scan.js'));
const [tree, reindexFile, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 30);

const base = process.memoryUsage().rss;
let peak = base;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const index = new WireIndex(tree);
const t0 = performance.now();
const map = await index.scan();
const coldMs = performance.now() - t0;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

const text = fs.readFileSync(path.join(tree, reindexFile), 'utf8');
const times = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await index.update(reindexFile, text + `\n// edit ${i}\n`);
  index.map();
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const count = (k) => map.records.filter((r) => r.kind === k).length;
console.log(JSON.stringify({
  coldMs, lines: map.stats.lines, bytes: map.stats.bytes, files: map.stats.files, parsed: map.stats.parsedFiles, peakMB: (peak - base) / 1024 / 1024,
  http: count('http'), grpc: count('grpc'), entry: count('entry'), error: count('error'),
  reindexP50: times[Math.floor(times.length / 2)], reindexP99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))],
}));
