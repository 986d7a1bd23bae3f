// `npm run test:ui`: UI tests (what a person sees) against a real VS Code 1.139 workbench — code-server WITHOUT
// the smoke-test driver, the extension installed by symlink, Chromium driven by playwright-core. Runs mocha with
// test/ui/.mocharc.json (out/test/ui/**/*.test.js) in a child process; each test file opens its own workbench
// through test/ui/workbench.ts. Needs `npm run build` and `tsc -p tsconfig.json` first; `npm test` does both.
//
// Env: ONCALL_TEST_TIMEOUT_MS (whole run, default 15 min), ONCALL_KEEP_TMP, ONCALL_UI_EXTENSION_PATH (install
// another extension folder instead of the repo). Screenshots land in test-results/screenshots/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {
  REPO_ROOT, ensureAptPackages, ensureTestHost, extensionInfo, makeRunDir, onShutdown,
  reapPidFile, removeRunDir, runGuarded,
} from './host.mjs';

const log = (/** @type {string} */ msg) => console.log(`[test:ui] ${msg}`);

/** @returns {Promise<number>} mocha's exit code */
async function main() {
  const uiOut = path.join(REPO_ROOT, 'out', 'test', 'ui');
  const hasTests = fs.existsSync(uiOut) && fs.readdirSync(uiOut, { recursive: true }).some((f) => String(f).endsWith('.test.js'));
  if (!hasTests) throw new Error(`no compiled UI tests in ${uiOut}: compile them first (\`npx tsc -p tsconfig.json\`)`);
  const extPath = path.resolve(process.env.ONCALL_UI_EXTENSION_PATH || REPO_ROOT);
  const { main: extMain } = extensionInfo(extPath);
  if (extMain && !fs.existsSync(path.resolve(extPath, extMain))) {
    throw new Error(`${path.resolve(extPath, extMain)} does not exist: build the extension first (\`npm run build\`)`);
  }

  await ensureAptPackages();
  await ensureTestHost();
  const runDir = makeRunDir('ui-run');
  const pidFile = path.join(runDir, 'process-groups');
  const mochaBin = path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
  // One process (no `node-option` in the mocharc, which would make mocha re-spawn itself): signals reach it directly.
  const args = ['--enable-source-maps', mochaBin, '--config', path.join('test', 'ui', '.mocharc.json')];
  log(`node ${args.join(' ')}`);
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, ONCALL_REPO_ROOT: REPO_ROOT, ONCALL_TEST_PIDFILE: pidFile, ONCALL_TEST_RUN_DIR: runDir },
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

  // On timeout or a signal: let mocha's process close its browsers and servers, then make sure.
  const unregister = onShutdown(async () => {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
    child.kill('SIGKILL');
    await reapPidFile(pidFile);
    removeRunDir(runDir);
  });
  const code = /** @type {number} */ (await exited);
  unregister();
  await reapPidFile(pidFile); // normally nothing is left: each workbench.close() kills its own
  removeRunDir(runDir);
  if (code !== 0) console.error(`[test:ui] FAILED: mocha exited with code ${code} (screenshots in test-results/screenshots/)`);
  return code;
}

runGuarded('the UI tests', '[test:ui]', main);
