// One benchmark case in a fresh process, so peak memory is this case's own:
//   node --expose-gc scripts/bench/case.mjs <json-parse|read-analyze|read-analyze-model> <file> [runs]
// Prints one JSON line: { case, firstMs, medianMs, minMs, peakMB }.
//
// Every case (the JSON.parse floor too) runs in a worker thread with the heap limits of the extension's trace worker,
// where traces are read for real: the numbers are the ones a user gets, and the floor is measured on the same heap.
// The first run is reported on its own: it pays for compiling our code, which JSON.parse (native) never does. The
// median is of the runs after it, as in the trace worker, which lives for the session.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const out = path.resolve(import.meta.dirname, '..', '..', 'out', 'src', 'core', 'traces');

if (isMainThread) {
  const { traceWorkerResourceLimits } = require(path.join(out, 'workerProtocol.js'));
  const worker = new Worker(new URL(import.meta.url), { workerData: process.argv.slice(2), resourceLimits: traceWorkerResourceLimits });
  worker.on('message', (line) => console.log(line));
  worker.on('error', (e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  parentPort.postMessage(JSON.stringify(await measure(...workerData)));
}

async function measure(which, file, runsArg) {
  const { readTraceText } = require(path.join(out, 'readTrace.js'));
  const { analyzeTrace } = require(path.join(out, 'analyze.js'));
  const { toWaterfallModel } = require(path.join(out, 'waterfallModel.js'));
  const runs = Math.max(2, Number(runsArg ?? 5));
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
  const warm = times.slice(1).sort((a, b) => a - b);
  return { case: which, firstMs: times[0], medianMs: warm[Math.floor(warm.length / 2)], minMs: warm[0], peakMB: (Math.max(peak, maxRss) - baseRss) / 1024 / 1024 };
}
