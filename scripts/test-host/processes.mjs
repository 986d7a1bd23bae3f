// Child-process bookkeeping for the test host: every process group started through here is killed on exit, on
// SIGINT/SIGTERM/SIGHUP and on uncaught errors; a watchdog fails runs that hang. Also `run()` for commands whose
// failure should say what failed, with which exit code, and the last lines of its output.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import process from 'node:process';

export const log = (/** @type {string} */ msg) => console.log(`[test-host] ${msg}`);

/** @type {Set<number>} process-group ids of running code-servers */
const groups = new Set();
/** @type {Set<() => Promise<void>>} async closers (browsers) run on signals and errors */
const closers = new Set();
let guardsInstalled = false;
let shuttingDown = false;

export function killGroup(/** @type {number} */ pgid, /** @type {NodeJS.Signals} */ signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/** Registers an async cleanup run on signals, errors and the watchdog; returns a function that unregisters it. */
export function onShutdown(/** @type {() => Promise<void>} */ fn) {
  closers.add(fn);
  return () => closers.delete(fn);
}

/** Pids of the group's members that are still running (zombies excluded; Linux /proc). */
export function liveGroupMembers(/** @type {number} */ pgid) {
  /** @type {number[]} */
  const pids = [];
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** SIGKILLs a process group and waits (up to 3 s) until none of its members is running. */
export async function killGroupAndWait(/** @type {number} */ pgid) {
  killGroup(pgid, 'SIGKILL');
  for (let i = 0; i < 30 && liveGroupMembers(pgid).length; i++) await new Promise((r) => setTimeout(r, 100));
}

/** Ends everything this process started, then exits with `code`. */
export async function shutdown(/** @type {number} */ code) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const pgid of groups) killGroup(pgid, 'SIGKILL'); // first, so cleanups don't race running children
  await Promise.race([
    Promise.allSettled([...closers].map((close) => close())),
    new Promise((resolve) => setTimeout(resolve, 12_000)),
  ]);
  for (const pgid of groups) killGroup(pgid, 'SIGKILL');
  process.exit(code);
}

/**
 * Kills our children on exit and signals. With `errors` (the default) an uncaught error also ends the run; test
 * processes where mocha owns uncaught errors pass `{ errors: false }` before anything else calls this.
 */
export function installProcessGuards({ errors = true } = {}) {
  if (guardsInstalled) return;
  guardsInstalled = true;
  // Synchronous last resort: runs on every exit path, including process.exit() from mocha's --exit.
  process.on('exit', () => {
    for (const pgid of groups) killGroup(pgid, 'SIGKILL');
  });
  for (const [signal, code] of /** @type {const} */ ([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]])) {
    process.on(signal, () => {
      if (!shuttingDown) console.error(`\n[test-host] ${signal} received: stopping child processes`);
      void shutdown(code);
    });
  }
  if (!errors) return;
  process.on('uncaughtException', (err) => {
    console.error('[test-host] uncaught error:', err);
    void shutdown(1);
  });
  process.on('unhandledRejection', (err) => {
    console.error('[test-host] unhandled rejection:', err);
    void shutdown(1);
  });
}

/** Fails the whole run after ONCALL_TEST_TIMEOUT_MS (default 15 min). Returns a function that cancels it. */
export function startWatchdog(/** @type {string} */ what) {
  installProcessGuards();
  const ms = Number(process.env.ONCALL_TEST_TIMEOUT_MS || 15 * 60_000);
  const timer = setTimeout(() => {
    console.error(`\n[test-host] TIMEOUT: ${what} did not finish within ${Math.round(ms / 1000)} s (ONCALL_TEST_TIMEOUT_MS).`);
    void shutdown(1);
  }, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

/** Records a process group in ONCALL_TEST_PIDFILE so a parent runner can reap it if this process is SIGKILLed. */
export function recordGroup(/** @type {number} */ pgid) {
  groups.add(pgid);
  if (process.env.ONCALL_TEST_PIDFILE) fs.appendFileSync(process.env.ONCALL_TEST_PIDFILE, `${pgid}\n`);
}

/** Forgets a group that has been killed. */
export function forgetGroup(/** @type {number} */ pgid) {
  groups.delete(pgid);
}

/** Kills every group listed in a pid file (see recordGroup) that still has running members. */
export async function reapPidFile(/** @type {string} */ file) {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const pgid = Number(line);
    const live = pgid > 1 ? liveGroupMembers(pgid) : [];
    if (live.length === 0) continue;
    log(`killing leftover process group ${pgid} (pids ${live.join(', ')})`);
    await killGroupAndWait(pgid);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running commands with useful failure messages.

/** Last `n` lines of a text. */
export function tail(/** @type {string} */ text, n = 40) {
  return text.split('\n').slice(-n).join('\n');
}

/**
 * Runs a command to completion, capturing output to `logFile` (and echoing it when `echo`).
 * Throws an error naming the command, exit code and the log's last lines.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, logFile?: string, echo?: boolean }} [opts]
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    // Its own process group, killed with ours on exit, signals and errors (npm leaves grandchildren otherwise).
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) groups.add(child.pid);
    let out = '';
    const logStream = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
    const onData = (/** @type {Buffer} */ b) => {
      out += b.toString();
      if (out.length > 2_000_000) out = out.slice(-1_000_000);
      logStream?.write(b);
      if (opts.echo) process.stdout.write(b);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => reject(new Error(`could not start \`${cmd}\`: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (child.pid) groups.delete(child.pid);
      logStream?.end();
      if (code === 0) return resolve(out);
      const where = opts.logFile ? ` (full log: ${opts.logFile})` : '';
      reject(new Error(`\`${[cmd, ...args].join(' ')}\` failed with exit code ${code ?? signal}${where}. Last lines:\n${tail(out)}`));
    });
  });
}

/**
 * Runs a test runner's `main` under the process guards and the watchdog, and exits with 0 only when it returned 0.
 * @param {string} what  named in the watchdog's timeout message, e.g. "the UI tests"
 * @param {string} tag   prefix of the error line, e.g. "[test:ui]"
 * @param {() => Promise<number>} main
 */
export function runGuarded(what, tag, main) {
  installProcessGuards();
  const stopWatchdog = startWatchdog(what);
  main().then(
    (code) => {
      stopWatchdog();
      process.exit(code === 0 ? 0 : 1);
    },
    (err) => {
      stopWatchdog();
      console.error(`${tag} ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
