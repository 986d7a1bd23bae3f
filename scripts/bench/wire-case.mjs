// One wire benchmark in a fresh process:  node scripts/bench/wire-case.mjs <tree> <file-to-reindex> [runs]
// Prints one JSON line: cold scan ms, lines, files, peak RSS MB, re-index times of one file (three kinds of edit,
// each split into update() — parse and extract — and map() — compose).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
// The compiled core: out/ (what `npm run bench` builds), or another tsc outDir given by ONCALL_BENCH_OUT (`--out-dir`).
const outDir = path.resolve(import.meta.dirname, '..', '..', process.env.ONCALL_BENCH_OUT ?? 'out');
const { WireIndex } = require(path.join(outDir, 'src', 'core', 'wire', 'scan.js'));
const [tree, reindexFile, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 30);

// rss() alone: memoryUsage() walks the heap spaces, which costs the scan time at one call every 5 ms.
const base = process.memoryUsage.rss();
let peak = base;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
const index = new WireIndex(tree);
// ONCALL_BENCH_CACHE_DIR: also write the warm-start cache (after the timed scan; `fresh`: nothing is read from it).
const cacheDir = process.env.ONCALL_BENCH_CACHE_DIR;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const map = await index.scan(cacheDir ? { cacheDir, fresh: true } : {});
const coldMs = performance.now() - t0;
// CPU time of the whole process (both threads): the scan's work, less sensitive than wall time to a busy machine.
const cpu = process.cpuUsage(cpu0);
const coldCpuMs = (cpu.user + cpu.system) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
const ts = performance.now();
const cacheKept = cacheDir ? index.saveCache() : 0;
const cacheSaveMs = performance.now() - ts;

// A save comes a while after the map is shown. Right after a cold scan V8 still finishes the collection of the
// scan's garbage (a mark-compact of a ~250 MB heap, 10–35 ms of pause, started by a task): let it run first, as it
// would before any save, instead of charging it to the first re-indexes (--trace-gc shows it at the scan's end).
await new Promise((resolve) => setTimeout(resolve, 1000));
const text = fs.readFileSync(path.join(tree, reindexFile), 'utf8');
const quantile = (list, q) => list[Math.min(list.length - 1, Math.floor(list.length * q))];
/** `runs` re-indexes of the file with `edit(i)` as its text: total, update() (parse + extract) and map() (compose) ms. */
async function reindex(edit) {
  const total = [];
  const update = [];
  const compose = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await index.update(reindexFile, edit(i));
    const t1 = performance.now();
    index.map();
    const t2 = performance.now();
    total.push(t2 - t0);
    update.push(t1 - t0);
    compose.push(t2 - t1);
  }
  for (const l of [total, update, compose]) l.sort((a, b) => a - b);
  return { p50: quantile(total, 0.5), p99: quantile(total, 0.99), updateP50: quantile(update, 0.5), composeP50: quantile(compose, 0.5), composeP99: quantile(compose, 0.99) };
}
// The headline: a comment appended (what every earlier run of this bench measured).
const appended = await reindex((i) => text + `\n// edit ${i}\n`);
// A line added at the top: every location in the file moves, so each of its records changes.
const shifted = await reindex((i) => `// edit ${i}\n` + text);
// A handler function added and removed in turn: the names the file defines change.
const added = (i) =>
  reindexFile.endsWith('.go') ? `\nfunc (h *Handler) Bench${i}(c *gin.Context) {\n\tc.Status(http.StatusNoContent)\n}\n` : reindexFile.endsWith('.py') ? `\ndef bench_${i}(request):\n    return None\n` : `\nexport function bench${i}(req, res) {\n  res.end();\n}\n`;
const routed = await reindex((i) => (i % 2 === 0 ? text + added(i) : text));
await index.update(reindexFile, text);
index.map();
const times = [appended.p50, appended.p99];
const count = (k) => map.records.filter((r) => r.kind === k).length;
console.log(JSON.stringify({
  coldMs, coldCpuMs, lines: map.stats.lines, bytes: map.stats.bytes, files: map.stats.files, parsed: map.stats.parsedFiles, peakMB: (peak - base) / 1024 / 1024,
  http: count('http'), grpc: count('grpc'), entry: count('entry'), error: count('error'),
  reindexP50: times[0], reindexP99: times[1], cacheKept, cacheSaveMs,
  reindex: { appended, shifted, routed },
  timing: index.lastScanTiming,
}));
