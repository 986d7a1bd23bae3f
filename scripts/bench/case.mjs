// One benchmark case in a fresh process, so peak memory is this case's own:
//   node scripts/bench/case.mjs <json-parse|read-analyze|read-analyze-model> <file> [runs]
// Prints one JSON line: { case, medianMs, minMs, peakMB }.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const out = path.resolve(import.meta.dirname, '..', '..', 'out', 'src', 'core', 'traces');
const { readTraceText } = require(path.join(out, 'readTrace.js'));
const { analyzeTrace } = require(path.join(out, 'analyze.js'));
const { toWaterfallModel } = require(path.join(out, 'waterfallModel.js'));

const [which, file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const text = readFileSync(file, 'utf8');

const cases = {
  'json-parse': () => JSON.parse(text),
  'read-analyze': () => {
    const r = readTraceText(text);
    if (!r.ok) throw new Error(r.error.message);
    return r.traces.map((t) => analyzeTrace(t));
  },
  'read-analyze-model': () => {
    const r = readTraceText(text);
    if (!r.ok) throw new Error(r.error.message);
    // What the worker thread does per open: the waterfall model as JSON (the span details follow in a second request).
    return r.traces.map((t) => JSON.stringify(toWaterfallModel(analyzeTrace(t), file)));
  },
};
const fn = cases[which];
if (!fn) throw new Error(`unknown case ${which}`);

globalThis.gc?.();
const baseRss = process.memoryUsage().rss;
let peak = baseRss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const times = [];
let keep;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  keep = fn();
  times.push(performance.now() - t0);
  peak = Math.max(peak, process.memoryUsage().rss);
  // Let the sampler see the result alive, then drop it.
  await new Promise((r) => setTimeout(r, 10));
  keep = undefined;
  globalThis.gc?.();
}
clearInterval(sampler);
void keep;
// maxRSS is the OS's own high-water mark, which sees peaks the 5 ms sampler can miss.
const maxRss = process.resourceUsage().maxRSS * 1024;
times.sort((a, b) => a - b);
console.log(JSON.stringify({ case: which, medianMs: times[Math.floor(times.length / 2)], minMs: times[0], peakMB: (Math.max(peak, maxRss) - baseRss) / 1024 / 1024 }));
