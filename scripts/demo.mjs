// `npm run demo`: builds the extension, then opens the demo workspace with it —
//   * in desktop VS Code when a `code` executable is on PATH (`code --extensionDevelopmentPath=<repo> <repo>/demo`);
//   * otherwise in VS Code in the browser: code-server on 127.0.0.1 (port ONCALL_DEMO_PORT, default 8080, or a free
//     one when that is taken) with the extension installed by symlink. Ctrl-C stops it.
// The workspace is a fresh copy of demo/ in .demo-workspace/ (gitignored) made a git repository whose tags are the
// demo's deploys (scripts/demo-git.mjs), so "What changed" has real history; demo/ itself sits inside this repo.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {
  APT_PACKAGES, REPO_ROOT, copyDemoWorkspace, ensureAptPackages, ensureTestHost, installProcessGuards, isTestHostInstalled, linkExtension,
  makeRunDir, onShutdown, portIsFree, removeRunDir, startCodeServer,
} from './test-host/host.mjs';

const log = (/** @type {string} */ msg) => console.log(`[demo] ${msg}`);

/** The first executable named `name` on PATH. */
function onPath(/** @type {string} */ name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function main() {
  if (!fs.existsSync(path.join(REPO_ROOT, 'demo'))) throw new Error(`${path.join(REPO_ROOT, 'demo')} does not exist`);
  const demo = path.join(REPO_ROOT, '.demo-workspace');
  fs.rmSync(demo, { recursive: true, force: true });
  await copyDemoWorkspace(demo);
  log(`workspace: ${demo} (a copy of demo/ with its deploy history in git)`);
  log('npm run build');
  const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`\`npm run build\` failed with exit code ${build.status ?? build.signal}`);

  const code = onPath('code');
  if (code) {
    log(`${code} --extensionDevelopmentPath=${REPO_ROOT} ${demo}`);
    const child = spawn(code, [`--extensionDevelopmentPath=${REPO_ROOT}`, demo], { stdio: 'inherit' });
    return await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  }

  log('no desktop `code` on PATH: serving VS Code in the browser with code-server');
  installProcessGuards();
  if (!isTestHostInstalled()) await ensureAptPackages(APT_PACKAGES.filter((p) => p !== 'chromium'));
  const host = await ensureTestHost();
  const runDir = makeRunDir('demo');
  const extensionsDir = path.join(runDir, 'extensions');
  linkExtension(extensionsDir, REPO_ROOT);
  let port = Number(process.env.ONCALL_DEMO_PORT || 8080);
  if (!(await portIsFree(port))) {
    log(`port ${port} is taken; using a free one`);
    port = 0;
  }
  const server = await startCodeServer({
    host, workspace: demo, extensionsDir, userDataDir: path.join(runDir, 'user-data'), port,
    env: { ONCALL_REPO_ROOT: REPO_ROOT },
    settings: {
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'git.openRepositoryInParentFolders': 'never',
    },
  });
  let stopping = false;
  onShutdown(async () => {
    stopping = true;
    console.log('[demo] stopping code-server');
    await server.kill();
    removeRunDir(runDir);
  });
  const url = `${server.url}/?folder=${encodeURIComponent(demo)}`;
  const line = '═'.repeat(Math.max(60, url.length + 4));
  console.log(`\n${line}\n  On-Call Lens demo is running. Open in your browser:\n\n  ${url}\n\n  Workspace: ${demo}\n  After \`npm run build\`, reload the window to pick up changes. Ctrl-C stops.\n${line}\n`);
  await server.exited;
  if (stopping) return new Promise(() => undefined); // Ctrl-C: the shutdown handler exits
  console.error(`[demo] code-server stopped by itself. Last lines of ${server.logFile}:\n${server.logTail()}`);
  await server.kill();
  removeRunDir(runDir);
  return 1;
}

main().then((c) => process.exit(Number(c)), (err) => {
  console.error(`[demo] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
