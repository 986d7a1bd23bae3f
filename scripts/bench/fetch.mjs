// Fetch benchmark: one trace of 1k/10k/100k spans from a loopback Jaeger v3 contract server (test/contract/servers.ts)
// through the real client (fetchTrace: HTTP + JSON.parse + normalize). Needs `tsc -p tsconfig.json` first (reads out/).
//
//   node scripts/bench/fetch.mjs [--sizes 1000,10000,100000] [--runs 5]
//
// For scripts/bench.mjs: `import { benchFetch } from './bench/fetch.mjs'; const rows = await benchFetch({ sizes })`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const out = path.resolve(import.meta.dirname, '..', '..', 'out');

/**
 * The contract server in a child process (so serving 100 MB does not share this event loop with the client being
 * measured), holding one generated trace. Resolves with its URL, the trace ID and a stop function.
 */
function serveInChild(spans) {
  const code = `
    const { startContractServer } = require(${JSON.stringify(path.join(out, 'test', 'contract', 'servers.js'))});
    import(${JSON.stringify(pathToFileURL(path.resolve(import.meta.dirname, '..', 'gen-large-trace.mjs')).href)}).then(async ({ generateLargeTrace }) => {
      const otlp = JSON.parse(await generateLargeTrace({ spans: ${spans}, seed: 42 }));
      const s = await startContractServer('jaeger-v3', { otlp });
      process.stdout.write(JSON.stringify({ url: s.url, traceId: otlp.resourceSpans[0].scopeSpans[0].spans[0].traceId }) + '\\n');
    });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve({ ...JSON.parse(buf), stop: () => child.kill() });
    });
    child.on('exit', (c) => reject(new Error(`contract server exited (${c})`)));
  });
}

/**
 * Per size: { spans, mb (body), medianMs, minMs, httpMs (the server's answer, transfer only), parseMs (the rest) }.
 * Each size is generated once by the OpenTelemetry SDK (seed 42), served from memory by a child process, fetched
 * `runs` times after one warm-up.
 */
export async function benchFetch({ sizes = [1000, 10_000, 100_000], runs = 5, log = () => {} } = {}) {
  const { fetchTrace } = require(path.join(out, 'src', 'core', 'backends', 'fetchTrace.js'));
  const rows = [];
  for (const spans of sizes) {
    log(`Generating a ${spans}-span trace with the OpenTelemetry SDK (in the server process)…`);
    const server = await serveInChild(spans);
    const traceId = server.traceId;
    const backend = { name: 'bench', kind: 'jaeger-v3', url: server.url };
    const times = [];
    const http = [];
    let bytes = 0;
    try {
      for (let i = 0; i < runs + 1; i++) {
        const t0 = performance.now();
        const r = await fetchTrace(backend, traceId, { timeoutMs: 120_000, maxBytes: 1024 * 1024 * 1024 });
        const ms = performance.now() - t0;
        if (!r.ok) throw new Error(r.error.message);
        if (r.traces[0].spans.length !== spans) throw new Error(`expected ${spans} spans, got ${r.traces[0].spans.length}`);
        if (i === 0) continue; // warm-up (the server converts and caches nothing, but the JIT warms)
        times.push(ms);
        http.push(r.ms);
        bytes = r.bytes;
      }
    } finally {
      server.stop();
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    rows.push({ spans, mb: bytes / 1024 / 1024, medianMs: median(times), minMs: Math.min(...times), httpMs: median(http), parseMs: median(times) - median(http) });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const sizes = (args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : '1000,10000,100000').split(',').map(Number);
  const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
  const rows = await benchFetch({ sizes, runs, log: (s) => console.error(s) });
  const pad = (s, w) => String(s).padStart(w);
  console.log(`\nFetch from a loopback Jaeger v3 server (HTTP + JSON.parse + normalize), median of ${runs}\n`);
  console.log(`${pad('spans', 8)} ${pad('MB', 7)} │ ${pad('total ms', 9)} ${pad('min ms', 8)} │ ${pad('HTTP ms', 8)} ${pad('parse+read ms', 14)}`);
  for (const r of rows) console.log(`${pad(r.spans.toLocaleString('en-US'), 8)} ${pad(r.mb.toFixed(1), 7)} │ ${pad(r.medianMs.toFixed(0), 9)} ${pad(r.minMs.toFixed(0), 8)} │ ${pad(r.httpMs.toFixed(0), 8)} ${pad(r.parseMs.toFixed(0), 14)}`);
}
