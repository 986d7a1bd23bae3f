// `npm run test:host`: runs the extension-host mocha suite (out/test/suite) inside a real VS Code 1.139 —
// code-server with the smoke-test driver, whose workbench honours the development payload — driven by Chromium.
// Needs `npm run build` (dist/) and `tsc -p tsconfig.json` (out/) first; `npm test` does both.
//
// Env: ONCALL_TEST_TIMEOUT_MS (whole run, default 15 min), ONCALL_TEST_START_TIMEOUT_MS (until the suite first
// prints, default 3 min), ONCALL_KEEP_TMP (keep the temp run dir), ONCALL_EXTENSION_DEV_PATH /
// ONCALL_EXTENSION_TESTS_PATH (run another extension or suite, e.g. to prove the runner fails on a failing test).
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import util from 'node:util';
import {
  REPO_ROOT, copyDemoWorkspace, copyTestFixtures, ensureAptPackages, ensureTestHost, extensionInfo, launchChromium,
  makeRunDir, onShutdown, removeRunDir, startCodeServer, runGuarded, tail,
} from './host.mjs';

const log = (/** @type {string} */ msg) => console.log(`[test:host] ${msg}`);
const verbose = Boolean(process.env.ONCALL_TEST_VERBOSE);
/**
 * The smoke driver forwards the workbench's own log along with the extension host's console. These start-up lines
 * and offline failures (gallery, GitHub sign-in) are harmless here; they are printed only on failure or with
 * ONCALL_TEST_VERBOSE=1.
 */
const WORKBENCH_NOISE = new RegExp([
  '^Resolv(ing|ed) connection token', '^Creating a socket', '^\\[reconnection-grace-time\\]', '^Updating additional builtin extensions cache',
  '^\\[Service Worker\\]', '^\\[AgentHost:', '^\\[AccountPolicyGate\\]', '^Timed out waiting for authentication provider', 'ENOTFOUND',
].join('|'));

/** @returns {Promise<number>} the suite's exit code */
async function main() {
  const extPath = path.resolve(process.env.ONCALL_EXTENSION_DEV_PATH || REPO_ROOT);
  const testsPath = path.resolve(process.env.ONCALL_EXTENSION_TESTS_PATH || path.join(REPO_ROOT, 'out', 'test', 'suite'));
  if (!fs.existsSync(path.join(testsPath, 'index.js'))) {
    throw new Error(`${path.join(testsPath, 'index.js')} does not exist: compile the tests first (\`npx tsc -p tsconfig.json\`)`);
  }
  const { id, main: extMain } = extensionInfo(extPath);
  if (extMain && !fs.existsSync(path.resolve(extPath, extMain))) {
    throw new Error(`${path.resolve(extPath, extMain)} does not exist: build the extension first (\`npm run build\`)`);
  }

  await ensureAptPackages();
  const host = await ensureTestHost();
  const runDir = makeRunDir('host');
  const workspace = copyTestFixtures(await copyDemoWorkspace(path.join(runDir, 'workspace')));
  const testEnv = { ONCALL_TEST_WORKSPACE: workspace, ONCALL_REPO_ROOT: REPO_ROOT };
  const started = Date.now();
  const server = await startCodeServer({
    host, workspace, smokeDriver: true, env: testEnv,
    userDataDir: path.join(runDir, 'user-data'), extensionsDir: path.join(runDir, 'extensions'),
    settings: { 'workbench.startupEditor': 'none' },
  });
  log(`code-server ${server.url} (pid ${server.pid}); extension ${id} from ${extPath}; tests ${testsPath}`);
  onShutdown(async () => { // timeout or signal: show where it stood, then clean up
    await server.kill();
    console.error(`[test:host] code-server log (${server.logFile}), last lines:\n${tail(server.logTail(), 15)}`);
    removeRunDir(runDir);
  });

  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  /** @type {string[]} */
  const browserLog = [];
  /** @type {string[]} */
  const hiddenLog = [];
  let code = 1;
  try {
    browser = await launchChromium();
    // Clipboard granted: `vscode.env.clipboard` in a browser workbench uses the page's (headless would refuse).
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    let sawOutput = false;
    /** @type {(code: number) => void} */
    let finish = () => undefined;
    const finished = new Promise((resolve) => { finish = resolve; });
    await page.exposeFunction('codeAutomationLog', (/** @type {string} */ _type, /** @type {unknown} */ args) => {
      const text = Array.isArray(args) ? util.format(...args) : util.format(args);
      if (!verbose && WORKBENCH_NOISE.test(text)) {
        hiddenLog.push(text);
        return;
      }
      sawOutput = true;
      console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (/** @type {number} */ exitCode) => finish(Number(exitCode)));
    page.on('pageerror', (e) => browserLog.push(`[pageerror] ${e.message}`));
    page.on('crash', () => { browserLog.push('[crash] the page crashed'); finish(1); });

    const remote = (/** @type {string} */ p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extPath)],
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
      ['extensionEnvironment', JSON.stringify(testEnv)],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const startMs = Number(process.env.ONCALL_TEST_START_TIMEOUT_MS || 180_000);
    const startTimer = setTimeout(() => {
      if (sawOutput) return;
      console.error(`[test:host] the extension host printed nothing within ${startMs / 1000} s: the suite did not start`);
      finish(1);
    }, startMs);
    code = await finished;
    clearTimeout(startTimer);
    log(`suite exited with code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server.kill();
    if (code !== 0) {
      console.error(`[test:host] FAILED. code-server log (${server.logFile}), last lines:\n${tail(server.logTail(), 20)}`);
      if (hiddenLog.length) {
        const firstLines = hiddenLog.slice(-10).map((t) => t.split('\n')[0]).join('\n');
        console.error(`[test:host] workbench messages not shown above (ONCALL_TEST_VERBOSE=1 shows all), last ones:\n${firstLines}`);
      }
      if (browserLog.length) console.error(`[test:host] page errors, last lines:\n${tail(browserLog.join('\n'), 30)}`);
      console.error(`[test:host] run dir kept for inspection: ${runDir} (extension host log under user-data/logs)`);
    } else {
      removeRunDir(runDir);
    }
  }
  return code;
}

runGuarded('the extension-host tests', '[test:host]', main);
