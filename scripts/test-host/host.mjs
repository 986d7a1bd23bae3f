// The real-VS-Code test host: code-server 4.139.1 (VS Code 1.139.1) on Node 24, driven by Debian's Chromium through
// the project's own playwright-core. See shared/reference/vscode-test-host.md for why (no VS Code download here).
//
// Library for run-extension-tests.mjs, run-ui-tests.mjs, test/ui/workbench.ts and demo.mjs. Also a CLI:
//   node scripts/test-host/host.mjs install   # apt prerequisites + the cached host (idempotent)
//   node scripts/test-host/host.mjs path      # prints the host dir (installs nothing)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM_PATH, ensureAptPackages, ensureTestHost, hostDir } from './install.mjs';
import { forgetGroup, installProcessGuards, killGroup, killGroupAndWait, log, onShutdown, recordGroup, tail } from './processes.mjs';

export * from './install.mjs';
export * from './processes.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---------------------------------------------------------------------------------------------------------------
// Runs: temp dirs, workspaces, the extension installed by symlink.

/** A fresh temp dir for one run (removed by the caller unless ONCALL_KEEP_TMP is set). */
export function makeRunDir(/** @type {string} */ prefix) {
  const base = process.env.ONCALL_TEST_RUN_DIR || os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `oncall-${prefix}-`));
}

export function removeRunDir(/** @type {string} */ dir) {
  if (process.env.ONCALL_KEEP_TMP) log(`kept ${dir} (ONCALL_KEEP_TMP)`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Copies the repo's demo/ workspace to `dest` (tests never touch the repo) and makes the copy a git repository whose
 * tags are the demo's deploys (scripts/demo-git.mjs), so "What changed" reads real git history.
 */
export async function copyDemoWorkspace(/** @type {string} */ dest, repoRoot = REPO_ROOT) {
  const demo = path.join(repoRoot, 'demo');
  if (fs.existsSync(demo)) {
    fs.cpSync(demo, dest, { recursive: true });
    const { makeDemoHistory } = await import(pathToFileURL(path.join(repoRoot, 'scripts', 'demo-git.mjs')).href);
    makeDemoHistory(dest);
  } else {
    log(`warning: ${demo} does not exist; using an empty workspace`);
    fs.mkdirSync(dest, { recursive: true });
  }
  return dest;
}

/**
 * Adds the wire fixtures (one small service per framework, in nine languages: test/fixtures/wire) to a test
 * workspace as `polyglot/`, so the extension-host and UI tests of "Follow the wire" see a many-language repository,
 * and the 82 real-world runbooks of test/fixtures/runbooks under `runbooks/`.
 */
export function copyTestFixtures(/** @type {string} */ workspace, repoRoot = REPO_ROOT) {
  const from = path.join(repoRoot, 'test', 'fixtures', 'wire');
  if (fs.existsSync(from)) fs.cpSync(from, path.join(workspace, 'polyglot'), { recursive: true });
  // Real-world runbooks (prometheus-operator): their component folders (kubernetes/, node/, …) under the workspace's
  // runbooks/, next to the demo's own, as a platform team would keep them; the licence beside them.
  copyRunbookFixtures(workspace, repoRoot);
  return workspace;
}

/** Copies test/fixtures/runbooks/prometheus-operator/<component>/ to <workspace>/runbooks/<component>/. */
export function copyRunbookFixtures(/** @type {string} */ workspace, repoRoot = REPO_ROOT) {
  const from = path.join(repoRoot, 'test', 'fixtures', 'runbooks', 'prometheus-operator');
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    if (entry.isDirectory()) fs.cpSync(src, path.join(workspace, 'runbooks', entry.name), { recursive: true });
    else if (entry.name === 'LICENSE') fs.copyFileSync(src, path.join(workspace, 'runbooks', 'LICENSE.prometheus-operator'));
  }
}

/** Reads publisher/name/version of the extension at `extRoot`. */
export function extensionInfo(extRoot = REPO_ROOT) {
  const pkg = JSON.parse(fs.readFileSync(path.join(extRoot, 'package.json'), 'utf8'));
  return { id: `${pkg.publisher}.${pkg.name}`, version: String(pkg.version), main: pkg.main ? String(pkg.main) : undefined };
}

/** Installs the extension at `extRoot` into `extensionsDir` as a symlink `publisher.name-version`. */
export function linkExtension(/** @type {string} */ extensionsDir, extRoot = REPO_ROOT) {
  const { id, version, main } = extensionInfo(extRoot);
  if (main && !fs.existsSync(path.resolve(extRoot, main)) && !fs.existsSync(path.resolve(extRoot, `${main}.js`))) {
    throw new Error(`${path.resolve(extRoot, main)} does not exist: run \`npm run build\` first`);
  }
  fs.mkdirSync(extensionsDir, { recursive: true });
  const link = path.join(extensionsDir, `${id}-${version}`);
  fs.symlinkSync(path.resolve(extRoot), link, 'dir');
  return link;
}

// ---------------------------------------------------------------------------------------------------------------
// code-server

/** True when 127.0.0.1:port can be bound right now. */
export function portIsFree(/** @type {number} */ port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Settings every run gets: no trust prompt, no telemetry, no AI chat. */
export const BASE_SETTINGS = { 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'chat.disableAIFeatures': true };

/**
 * Starts code-server in its own process group and waits for its URL.
 * @param {{ host?: import('./install.mjs').TestHost, workspace: string, userDataDir: string, extensionsDir: string, smokeDriver?: boolean,
 *   env?: NodeJS.ProcessEnv, settings?: Record<string, unknown>, port?: number, logFile?: string, workspaceTrust?: boolean }} opts
 * @returns {Promise<{ url: string, port: number, pid: number, logFile: string, logTail: () => string,
 *   exited: Promise<unknown>, kill: () => Promise<void> }>} `exited` settles when the server process ends.
 */
export async function startCodeServer(opts) {
  installProcessGuards();
  const host = opts.host ?? (await ensureTestHost());
  const settingsDir = path.join(opts.userDataDir, 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  // workspaceTrust: the workspace opens in Restricted Mode, without the startup prompt (for tests of what it refuses).
  const trust = opts.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' } : {};
  fs.writeFileSync(path.join(settingsDir, 'settings.json'), `${JSON.stringify({ ...BASE_SETTINGS, ...trust, ...opts.settings }, null, 2)}\n`);
  const configFile = path.join(opts.userDataDir, 'code-server.yaml'); // keep code-server away from ~/.config
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const args = [
    host.codeServer, '--config', configFile, '--auth', 'none', '--bind-addr', `127.0.0.1:${opts.port ?? 0}`,
    '--user-data-dir', opts.userDataDir, '--extensions-dir', opts.extensionsDir,
    '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
    '--ignore-last-opened', ...(opts.smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []), opts.workspace,
  ];
  // Its own short TMPDIR (unix-socket paths are limited to ~107 bytes): VS Code's IPC and git sockets go there and
  // are removed with it instead of piling up in /tmp.
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-'));
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, TMPDIR: tmpDir, XDG_DATA_HOME: path.join(opts.userDataDir, 'xdg-data'), ...opts.env };
  delete env.NODE_OPTIONS;
  const logFile = opts.logFile ?? path.join(opts.userDataDir, 'code-server.log');
  const logStream = fs.createWriteStream(logFile);
  const child = spawn(host.node, args, { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = /** @type {number} */ (child.pid);
  recordGroup(pid);
  let out = '';
  /** @type {number | null | undefined} */
  let exitCode;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { exitCode = code ?? (signal ? -1 : null); resolve(undefined); }));
  const logTail = () => tail(out);

  const kill = async () => {
    if (exitCode === undefined) killGroup(pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    await killGroupAndWait(pid); // the extension host and pty host may outlive the server itself
    forgetGroup(pid);
    logStream.end();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server printed no URL within 60 s. Log ${logFile}:\n${logTail()}`)), 60_000);
    const onData = (/** @type {Buffer} */ b) => {
      const text = b.toString();
      out = (out + text).slice(-200_000);
      logStream.write(b);
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => { clearTimeout(timer); reject(new Error(`could not start ${host.node}: ${err.message}`)); });
    void exited.then(() => { clearTimeout(timer); reject(new Error(`code-server exited with code ${exitCode} before listening. Command: ${host.node} ${args.join(' ')}\nLast lines:\n${logTail()}`)); });
  }).catch(async (e) => {
    await kill();
    throw e;
  });
  return { url: /** @type {string} */ (url), port: Number(new URL(/** @type {string} */ (url)).port), pid, logFile, logTail, exited, kill };
}

// ---------------------------------------------------------------------------------------------------------------
// Chromium

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Launches Debian's Chromium headless with a fresh profile through the project's playwright-core.
 * The browser is closed on signals/errors; playwright itself kills it on process exit.
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchChromium({ headless = true } = {}) {
  installProcessGuards();
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} not found: install the Debian package \`chromium\` (or set ONCALL_CHROMIUM)`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH, headless, args: CHROMIUM_ARGS, chromiumSandbox: false,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, timeout: 60_000,
  });
  const close = async () => { await browser.close().catch(() => undefined); };
  const unregister = onShutdown(close);
  browser.on('disconnected', () => { unregister(); });
  return browser;
}

// ---------------------------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2];
  if (cmd === 'path') console.log(hostDir());
  else if (cmd === 'install') {
    installProcessGuards();
    try {
      await ensureAptPackages();
      const host = await ensureTestHost();
      log(`ready: ${host.dir}`);
    } catch (e) {
      console.error(`[test-host] ${/** @type {Error} */ (e).message}`);
      process.exit(1);
    }
  } else {
    console.error('usage: node scripts/test-host/host.mjs install|path');
    process.exit(2);
  }
}
