// What the three webview harnesses (waterfall: preview.mjs, runbook.mjs, notebook.mjs) share: bundling a webview as
// esbuild.js does, its page with the CSP of the real host page (src/platform/webviewHtml.ts) and a fake host, a
// loopback server for the page, its model and its files, and the check runner their checks use.
/* global document */ // used inside a page.evaluate callback (run in the page)
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { themeCss, themes } from './themes.mjs';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');

/** Bundles webview/<view>/main.ts into `siteDir` as <view>.js and <view>.css (as esbuild.js does), with the codicons. */
export async function buildWebview(siteDir, view) {
  mkdirSync(siteDir, { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { [view]: `webview/${view}/main.ts` },
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
 * The page of one webview: the real page's CSP (with the harness origin as cspSource), the theme's variables, the
 * shared fake bridge, the view's fake host, its model script (`modelPath?model=…`) and its bundle.
 */
function page({ origin, theme, model, view, title, fakeHost, modelPath }) {
  const nonce = randomBytes(16).toString('base64');
  const t = themes[theme] ?? themes.dark;
  const csp = `default-src 'none'; img-src ${origin} data:; style-src ${origin}; font-src ${origin}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${origin}/theme.css?theme=${encodeURIComponent(theme)}">
<link rel="stylesheet" href="${origin}/codicon.css">
<link rel="stylesheet" href="${origin}/${view}.css">
<title>${title} (harness)</title>
</head>
<body class="${t.bodyClass}" data-vscode-theme-kind="${t.bodyClass}">
<div id="app" data-view="${view}"></div>
<script nonce="${nonce}" src="${origin}/fake-vscode-bridge.js"></script>
<script nonce="${nonce}" src="${origin}/${fakeHost}"></script>
<script nonce="${nonce}" src="${origin}${modelPath}?model=${encodeURIComponent(model)}"></script>
<script nonce="${nonce}" src="${origin}/${view}.js"></script>
</body>
</html>`;
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

/**
 * Serves one webview's harness on a loopback port: `/?theme=…&model=…` the page, `/theme.css`, the fake bridge and
 * host (files next to this module), `modelPath` (the script `modelScript(name)` returns for `?model=name`), and the
 * bundle's files from `siteDir`. Resolves to `{ server, origin }`.
 */
export async function serveWebview({ siteDir, view, title, fakeHost, modelPath, modelScript }) {
  const files = new Set([`${view}.js`, `${view}.js.map`, `${view}.css`, `${view}.css.map`, 'codicon.css', 'codicon.ttf']);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${req.headers.host}`;
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      const name = url.pathname.slice(1);
      if (url.pathname === '/') return send(200, 'text/html; charset=utf-8', page({ origin, theme: url.searchParams.get('theme') ?? 'dark', model: url.searchParams.get('model') ?? 'demo', view, title, fakeHost, modelPath }));
      if (url.pathname === '/favicon.ico') return send(204, 'text/plain', '');
      if (url.pathname === '/theme.css') return send(200, 'text/css', themeCss(url.searchParams.get('theme') ?? 'dark'));
      if (url.pathname === modelPath) return send(200, 'text/javascript', modelScript(url.searchParams.get('model') ?? ''));
      if (name === 'fake-vscode-bridge.js' || name === fakeHost) return send(200, 'text/javascript', readFileSync(join(here, name)));
      if (files.has(name)) return send(200, TYPES[name.slice(name.lastIndexOf('.'))], readFileSync(join(siteDir, name)));
      send(404, 'text/plain', 'not found');
    } catch (e) {
      send(500, 'text/plain', String(e));
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/**
 * The check runner of one harness: `check(name, fn)` records a result (a failing check is reported, the rest run),
 * `shot(page, name)` saves `<prefix>name.png`, `open(theme, model, viewport?)` opens a page and waits for `ready`,
 * recording page errors and console errors in `errors`.
 */
export function checkRunner({ context, origin, outDir, prefix, viewport, ready }) {
  const results = [];
  const label = prefix ? `${prefix.replace(/-$/, '')}: ` : '';
  const check = async (name, fn) => {
    try {
      const info = await fn();
      results.push({ name: `${label}${name}`, ok: true, info: typeof info === 'string' ? info : '' });
    } catch (e) {
      results.push({ name: `${label}${name}`, ok: false, info: String(e?.message ?? e).split('\n').slice(0, 6).join(' | ') });
    }
  };
  const shot = (page, name) => page.screenshot({ path: join(outDir, `${prefix}${name}.png`) });
  const errors = [];
  const open = async (theme, model, size = viewport) => {
    const page = await context.newPage();
    await page.setViewportSize(size);
    page.on('pageerror', (e) => errors.push(`${theme}/${model}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${theme}/${model}: console: ${m.text()}`);
    });
    await page.goto(`${origin}/?theme=${theme}&model=${model}`);
    await ready(page, model);
    await page.evaluate(() => document.fonts.ready);
    return page;
  };
  return { results, check, shot, errors, open };
}
