// `npm test`: every check, in order, stopping at the first failure:
//   build → check-types → lint → prometheus (apt, when root) → unit → install-host (apt + code-server, cached) → webview (harness in Chromium) → ext-host (extension-host tests) → ui
// Prints a header per step, its duration, a summary table, and last a line `N passed, N failed` (mocha tests when
// their counts could be read, otherwise steps). `node scripts/test.mjs lint unit` runs only the named steps.
import { spawn } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** @typedef {{ name: string, cmd: string, args: string[], tests?: boolean }} Step */
/** @type {Step[]} */
const STEPS = [
  { name: 'build', cmd: npm, args: ['run', 'build'] },
  { name: 'check-types', cmd: npm, args: ['run', 'check-types'] },
  { name: 'lint', cmd: npm, args: ['run', 'lint'] },
  // Debian's prometheus for the real-Prometheus tests: installed when root, else they skip saying what to install.
  { name: 'prometheus', cmd: process.execPath, args: ['scripts/test-host/prometheus.mjs', 'install'] },
  { name: 'unit', cmd: npm, args: ['run', 'test:unit'], tests: true },
  { name: 'install-host', cmd: process.execPath, args: ['scripts/test-host/host.mjs', 'install'] },
  { name: 'webview', cmd: npm, args: ['run', 'test:webview'], tests: true },
  { name: 'ext-host', cmd: npm, args: ['run', 'test:host'], tests: true },
  { name: 'ui', cmd: npm, args: ['run', 'test:ui'], tests: true },
];

/** @typedef {{ step: Step, status: 'ok' | 'FAILED' | 'skipped', ms: number, passing?: number, failing?: number, pending?: number, code?: number | string }} Result */

/** Runs a step, streaming its output and keeping it for parsing. */
function runStep(/** @type {Step} */ step) {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    const keep = (/** @type {Buffer} */ b) => {
      out += b.toString();
      if (out.length > 4_000_000) out = out.slice(-2_000_000);
    };
    child.stdout.on('data', (b) => { keep(b); process.stdout.write(b); });
    child.stderr.on('data', (b) => { keep(b); process.stderr.write(b); });
    child.on('error', (err) => resolve({ code: `could not start: ${err.message}`, out }));
    child.on('close', (code, signal) => resolve({ code: code ?? signal ?? 'unknown', out }));
  });
}

/** The last `N passing` / `N failing` / `N pending` counts in mocha spec-reporter output. */
function mochaCounts(/** @type {string} */ text) {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  const last = (/** @type {string} */ word) => {
    const all = [...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return all.length ? Number(all[all.length - 1]?.[1]) : undefined;
  };
  return { passing: last('passing'), failing: last('failing'), pending: last('pending') };
}

const fmt = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;

/** Mocha's list of failures when there is one (the end of the output is often cleanup logs), else the last lines. */
function failureExcerpt(/** @type {string} */ out) {
  const lines = out.trimEnd().split('\n');
  let at = -1;
  lines.forEach((line, i) => { if (/^\s*\d+ failing\b/.test(line)) at = i; });
  if (at >= 0) return `Failures:\n${lines.slice(at, at + 60).join('\n')}`;
  return `Last lines:\n${lines.slice(-30).join('\n')}`;
}

async function main() {
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !STEPS.some((s) => s.name === n));
  if (unknown.length) {
    console.error(`unknown step(s): ${unknown.join(', ')}; steps are: ${STEPS.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const steps = only.length ? STEPS.filter((s) => only.includes(s.name)) : STEPS;
  /** @type {Result[]} */
  const results = [];
  let failed = false;
  for (const [i, step] of steps.entries()) {
    if (failed) {
      results.push({ step, status: 'skipped', ms: 0 });
      continue;
    }
    const command = [path.basename(step.cmd), ...step.args].join(' ');
    console.log(`\n━━━━ [${i + 1}/${steps.length}] ${step.name}: ${command}`);
    const started = Date.now();
    const { code, out } = /** @type {{ code: number | string, out: string }} */ (await runStep(step));
    const ms = Date.now() - started;
    /** @type {Result} */
    const result = { step, status: code === 0 ? 'ok' : 'FAILED', ms, code, ...(step.tests ? mochaCounts(out) : {}) };
    results.push(result);
    if (result.status === 'ok') {
      console.log(`━━━━ ${step.name} ok in ${fmt(ms)}`);
    } else {
      failed = true;
      console.error(`━━━━ ${step.name} FAILED in ${fmt(ms)}: \`${command}\` exited with code ${code}. ${failureExcerpt(out)}`);
    }
  }

  console.log('\n━━━━ summary');
  console.log(`${'step'.padEnd(14)} ${'result'.padEnd(8)} ${'time'.padStart(8)}  tests`);
  for (const r of results) {
    const tests = r.passing === undefined && r.failing === undefined ? '' : `${r.passing ?? 0} passing, ${r.failing ?? 0} failing${r.pending ? `, ${r.pending} pending` : ''}`;
    console.log(`${r.step.name.padEnd(14)} ${r.status.padEnd(8)} ${(r.status === 'skipped' ? '-' : fmt(r.ms)).padStart(8)}  ${tests}`);
  }
  const total = results.reduce((n, r) => n + r.ms, 0);
  console.log(`total ${fmt(total)}`);

  // Tests when mocha's counts were read; a failed step with no failing test of its own counts as one failure.
  const counted = results.filter((r) => r.passing !== undefined || r.failing !== undefined);
  let passed = counted.reduce((n, r) => n + (r.passing ?? 0), 0);
  let failures = counted.reduce((n, r) => n + (r.failing ?? 0), 0)
    + results.filter((r) => r.status === 'FAILED' && !(r.failing && r.failing > 0)).length;
  if (counted.length === 0 || passed + failures === 0) {
    passed = results.filter((r) => r.status === 'ok').length;
    failures = results.filter((r) => r.status === 'FAILED').length;
  }
  console.log(`${passed} passed, ${failures} failed`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
