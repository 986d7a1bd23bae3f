// Bundles the extension host code (node, cjs, `vscode` external), the trace and wire workers, the CLI, and each webview
// (browser, iife) separately. Type-checking is a separate step (`npm run check-types`).
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Every webview: its browser entry point under webview/<name>/main.ts. */
const webviews = ['waterfall', 'compare', 'runbook', 'notebook'];

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

/** Reports build errors in the `file:line:col: error: message` form the esbuild problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** tree-sitter's runtime and the grammars the wire scan reads, next to the bundles that load them (dist/tree-sitter). */
function copyTreeSitter() {
  const from = path.join(__dirname, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
  const to = path.join(__dirname, 'dist', 'tree-sitter');
  fs.mkdirSync(to, { recursive: true });
  const grammars = ['go', 'java', 'javascript', 'typescript', 'tsx', 'python', 'ruby', 'rust', 'c-sharp', 'cpp', 'php'];
  for (const f of ['tree-sitter.wasm', ...grammars.map((g) => `tree-sitter-${g}.wasm`)]) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

function copyCodicons() {
  const from = path.join(__dirname, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join(__dirname, 'dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

async function main() {
  const contexts = await Promise.all([
    esbuild.context({
      ...common,
      entryPoints: {
        extension: 'src/extension.ts',
        traceWorker: 'src/core/traces/traceWorker.ts',
        wireWorker: 'src/core/wire/wireWorker.ts',
        cli: 'src/cli/main.ts',
      },
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      plugins: watch ? [problemMatcher] : [],
    }),
    esbuild.context({
      ...common,
      entryPoints: Object.fromEntries(webviews.map((w) => [w, `webview/${w}/main.ts`])),
      outdir: 'dist/webview',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      plugins: watch ? [problemMatcher] : [],
    }),
  ]);
  copyCodicons();
  copyTreeSitter();
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
