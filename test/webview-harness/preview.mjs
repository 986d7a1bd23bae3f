#!/usr/bin/env node
// Preview harness for the webviews (waterfall, runbook, notebook), outside VS Code.
//
//   node test/webview-harness/preview.mjs            build, run the checks in headless Chromium, save screenshots
//   node test/webview-harness/preview.mjs --serve    build and serve the pages for a browser (prints the URLs)
//   ... --trace <file>                              also show the traces of a trace file (OTLP/JSON, Jaeger, Zipkin)
//   ... --only runbook                              only the runbook viewer (runbook.mjs, runbook-checks.mjs)
//   ... --only notebook                             only the hypothesis notebook (notebook.mjs, notebook-checks.mjs);
//                                                   --only takes a comma-separated list: waterfall,runbook,notebook
//
// Models: `demo` (hand-made, ~40 rows, hostile strings), `big` (generated, 10,000 rows), `empty`, and `real`:
// the producer fixture test/fixtures/producers/otlp-json-from-otel-js-sdk.json (plus any --trace file) run
// through the extension's own reader and model builder (src/core/traces, bundled here with esbuild), so the
// page is also seen on exactly what the host sends.
//
// It bundles webview/waterfall/main.ts with esbuild (same options as esbuild.js) into test-results/harness/site,
// serves it from a loopback HTTP server with the CSP of the real host page (cspSource = that origin), with a
// fake acquireVsCodeApi (fake-vscode.js) that records posted messages on window.__posted and answers `ready`
// with trace/show. Screenshots go to test-results/harness/*.png. Exit code 1 when a check fails.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { bigModel, demoModel, toView } from './models.mjs';
import { themeCss, themes } from './themes.mjs';
import { runChecks } from './checks.mjs';
import { startRunbookHarness } from './runbook.mjs';
import { runRunbookChecks } from './runbook-checks.mjs';
import { startNotebookHarness } from './notebook.mjs';
import { runNotebookChecks } from './notebook-checks.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const outDir = join(root, 'test-results', 'harness');
const siteDir = join(outDir, 'site');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function build() {
  mkdirSync(siteDir, { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { waterfall: 'webview/waterfall/main.ts' },
    outdir: siteDir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const codicons = join(root, 'node_modules', '@vscode', 'codicons', 'dist');
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codicons, f), join(siteDir, f));
}

/**
 * WaterfallModels built by the extension's own pipeline (readTraceText → analyzeTrace → toWaterfallModel) for
 * the traces of `files`, the largest trace of each file; {} when src/core cannot be bundled.
 */
/** The extension's own wire encoder (src/shared/protocol/waterfallWire.ts), from the same bundle. */
let encodeModel;
/** The extension's own search and statistics (src/core/traces/search.ts, stats.ts): the fake host answers with them. */
let hostCore;

async function pipelineModels(files) {
  const out = join(siteDir, 'core-pipeline.mjs');
  try {
    await esbuild.build({
      stdin: {
        contents: [
          "export { readTraceText } from './src/core/traces/readTrace';",
          "export { analyzeTrace } from './src/core/traces/analyze';",
          "export { toSpanDetails, toWaterfallModel } from './src/core/traces/waterfallModel';",
          "export { formatLabel } from './src/core/traces/formats';",
          "export { encodeModel } from './src/shared/protocol/waterfallWire';",
          "export { SearchIndex } from './src/core/traces/search';",
          "export { traceStats } from './src/core/traces/stats';",
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      logLevel: 'silent',
    });
  } catch (e) {
    console.warn(`(harness) src/core could not be bundled, no "real" models: ${String(e?.message ?? e).split('\n')[0]}`);
    return {};
  }
  const core = await import(pathToFileURL(out).href);
  encodeModel = core.encodeModel;
  hostCore = core;
  const models = {};
  for (const [name, file] of files) {
    const read = core.readTraceText(typeof file === 'function' ? await file() : readFileSync(file, 'utf8'));
    if (!read.ok) {
      console.warn(`(harness) ${file}: ${read.error.message}`);
      continue;
    }
    const trace = [...read.traces].sort((a, b) => b.spans.length - a.spans.length)[0];
    if (trace) {
      const a = core.analyzeTrace(trace);
      const where = typeof file === 'function' ? 'generated by scripts/gen-large-trace.mjs' : relative(root, file);
      models[name] = { model: core.toWaterfallModel(a, `${where} (${core.formatLabel(read.format)})`), details: core.toSpanDetails(a) };
    }
  }
  return models;
}

const traceArg = process.argv.indexOf('--trace');
const realFiles = [['real', join(root, 'test', 'fixtures', 'producers', 'otlp-json-from-otel-js-sdk.json')]];
if (traceArg > 0 && process.argv[traceArg + 1]) realFiles.push(['file', resolve(process.argv[traceArg + 1])]);
// 100,000 spans from the real OpenTelemetry SDK (scripts/gen-large-trace.mjs), through the extension's pipeline.
// --no-huge skips it (it takes ~6 s to generate and analyse).
const HUGE_SPANS = 100_000;
if (!process.argv.includes('--no-huge')) {
  realFiles.push(['huge', async () => (await import(pathToFileURL(join(root, 'scripts', 'gen-large-trace.mjs')).href)).generateLargeTrace({ spans: HUGE_SPANS })]);
}

const empty = { traceId: '00000000000000000000000000000001', title: '', startIso: '2024-05-01T00:00:00Z', durationUs: 0, services: [], spanCount: 0, errorCount: 0, slowestRow: -1, criticalRows: [], rows: [], warnings: ['No spans left after skipping 3 malformed spans.'], source: 'traces/empty.json (OTLP/JSON)' };
const models = { demo: demoModel(), big: bigModel(10_000), empty };

function page(origin, theme, model) {
  const nonce = randomBytes(16).toString('base64');
  const t = themes[theme] ?? themes.dark;
  const csp = `default-src 'none'; img-src ${origin} data:; style-src ${origin}; font-src ${origin}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/theme.css?theme=${encodeURIComponent(theme)}">
<link rel="stylesheet" href="${origin}/codicon.css">
<link rel="stylesheet" href="${origin}/waterfall.css">
<title>Trace waterfall (harness)</title>
</head>
<body class="${t.bodyClass}" data-vscode-theme-kind="${t.bodyClass}">
<div id="app" data-view="waterfall"></div>
<script nonce="${nonce}" src="${origin}/fake-vscode.js"></script>
<script nonce="${nonce}" src="${origin}/model.js?model=${encodeURIComponent(model)}"></script>
<script nonce="${nonce}" src="${origin}/waterfall.js"></script>
</body>
</html>`;
}

const types = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

const wireCache = new Map();
function wireJson(view) {
  if (!wireCache.has(view)) wireCache.set(view, JSON.stringify(encodeModel(view.model)));
  return wireCache.get(view);
}

/**
 * The host's side of `filter`, `stats` and `span/details` for the page of model `name`, run in Node with the
 * extension's own src/core modules (as src/traces/waterfallPanel.ts does). Exposed to pages as window.__harnessHost.
 */
const searchIndexes = new Map();
function harnessHost(name, msg) {
  const m = models[name];
  if (!m || !hostCore) return undefined;
  const view = toView(m);
  if (msg.type === 'filter') {
    if (!searchIndexes.has(name)) searchIndexes.set(name, new hostCore.SearchIndex(view.model.rows, view.details));
    const r = searchIndexes.get(name).search(msg.query);
    return { type: 'filter/result', traceId: view.model.traceId, query: msg.query, matches: r.matches, highlight: r.highlight, ...(r.problems.length ? { problems: r.problems } : {}) };
  }
  if (msg.type === 'stats') return { type: 'stats/result', traceId: view.model.traceId, stats: hostCore.traceStats(view.model.rows, view.model.durationUs) };
  if (msg.type === 'span/details' && view.details[msg.row]) return { type: 'span/details', traceId: view.model.traceId, row: msg.row, details: view.details[msg.row] };
  return undefined;
}

function startServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${req.headers.host}`;
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/') return send(200, 'text/html; charset=utf-8', page(origin, url.searchParams.get('theme') ?? 'dark', url.searchParams.get('model') ?? 'demo'));
      if (url.pathname === '/favicon.ico') return send(204, 'text/plain', '');
      if (url.pathname === '/theme.css') return send(200, 'text/css', themeCss(url.searchParams.get('theme') ?? 'dark'));
      if (url.pathname === '/model.js') {
        const m = models[url.searchParams.get('model') ?? ''];
        const view = m ? toView(m) : undefined;
        if (view && !encodeModel) throw new Error('src/shared/protocol/waterfallWire.ts could not be bundled');
        // The fake host sends modelJson exactly as the worker does; it searches `model` and answers with `details`.
        // Big views ship only the wire model: the fake host answers details, filter and stats from Node (harnessHost).
        const served = !view ? undefined : view.model.rows.length > 20_000 ? { model: { traceId: view.model.traceId, rows: [] }, details: [], modelJson: wireJson(view) } : { ...view, modelJson: wireJson(view) };
        return send(200, 'text/javascript', `window.__harnessView = ${served ? JSON.stringify(served) : 'undefined'};\n`);
      }
      if (url.pathname === '/fake-vscode.js') return send(200, 'text/javascript', readFileSync(join(here, 'fake-vscode.js')));
      const file = { '/waterfall.js': 1, '/waterfall.js.map': 1, '/waterfall.css': 1, '/waterfall.css.map': 1, '/codicon.css': 1, '/codicon.ttf': 1 }[url.pathname];
      if (file) return send(200, types[url.pathname.slice(url.pathname.lastIndexOf('.'))], readFileSync(join(siteDir, url.pathname.slice(1))));
      send(404, 'text/plain', 'not found');
    } catch (e) {
      send(500, 'text/plain', String(e));
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;
/** Whether the `--only` list (default: everything) includes the webview `name`. */
const wanted = (name) => !only || only.split(',').includes(name);

async function main() {
  const waterfall = wanted('waterfall');
  if (waterfall) {
    await build();
    Object.assign(models, await pipelineModels(realFiles));
  }
  const { server, origin } = await startServer();
  const runbook = wanted('runbook') ? await startRunbookHarness() : undefined;
  const notebook = wanted('notebook') ? await startNotebookHarness() : undefined;
  if (process.argv.includes('--serve')) {
    console.log('Serving the webview harness (Ctrl+C to stop):');
    if (waterfall) for (const theme of Object.keys(themes)) for (const model of Object.keys(models)) console.log(`  ${origin}/?theme=${theme}&model=${model}`);
    if (runbook) for (const theme of Object.keys(themes)) for (const model of Object.keys(runbook.models)) console.log(`  ${runbook.origin}/?theme=${theme}&model=${model}`);
    if (notebook) for (const theme of Object.keys(themes)) for (const model of Object.keys(notebook.models)) console.log(`  ${notebook.origin}/?theme=${theme}&model=${model}`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'wf-harness-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.exposeFunction('__harnessHost', (name, msg) => harnessHost(name, msg));
  let failed = 0;
  try {
    const results = waterfall ? await runChecks({ context, origin, outDir, models }) : [];
    if (runbook) results.push(...(await runRunbookChecks({ context, origin: runbook.origin, outDir, models: runbook.models })));
    if (notebook) results.push(...(await runNotebookChecks({ context, origin: notebook.origin, outDir, models: notebook.models })));
    for (const r of results) {
      console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}${r.info ? `  — ${r.info}` : ''}`);
      if (!r.ok) failed++;
    }
    console.log(`\n${results.length - failed}/${results.length} checks passed; screenshots in ${outDir}`);
    // Mocha-style counts, which scripts/test.mjs adds to the totals of `npm test`.
    console.log(`  ${results.length - failed} passing`);
    if (failed) console.log(`  ${failed} failing`);
  } finally {
    await context.close();
    server.close();
    runbook?.server.close();
    notebook?.server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
