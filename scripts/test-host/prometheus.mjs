// A real Prometheus for tests (Debian's `prometheus` 2.42, see shared/reference/trace-apis.md §7.2/§7.3): finds or
// installs it, starts it on a free loopback port with a temp TSDB and config, feeds it exemplars by remote write
// (a hand-encoded prompb.WriteRequest, snappy block format) or through an OpenMetrics endpoint it scrapes, and kills
// it by PID. Zero dependencies. Used by test/unit/prometheus.real.test.ts and test/suite/exemplars.test.ts.
//
// CLI:
//   node scripts/test-host/prometheus.mjs install   # installs the Debian package when root and missing; otherwise
//                                                    # prints what to install (exit 0: the real tests then skip)
//   node scripts/test-host/prometheus.mjs demo      # starts one fed with the demo exemplars, prints its URL, waits
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const log = (/** @type {string} */ msg) => console.log(`[prometheus] ${msg}`);
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const APT_INSTALL = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus';

// ---------------------------------------------------------------------------------------------------------------
// Finding and installing

/** Path of the prometheus binary (ONCALL_PROMETHEUS, /usr/bin/prometheus, or on PATH), or undefined. */
export function findPrometheus() {
  const candidates = [process.env.ONCALL_PROMETHEUS, '/usr/bin/prometheus'];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  const r = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' });
  const onPath = r.status === 0 ? r.stdout.trim() : '';
  return onPath || undefined;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function runLogged(/** @type {string} */ cmd, /** @type {string[]} */ args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    let out = '';
    const keep = (/** @type {Buffer} */ b) => { out = (out + b.toString()).slice(-20_000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => reject(new Error(`could not start ${cmd}: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`\`${cmd} ${args.join(' ')}\` failed with exit code ${code}:\n${out.split('\n').slice(-20).join('\n')}`))));
  });
}

/**
 * The prometheus binary, installing Debian's package when it is missing and we are root.
 * @returns {Promise<{ path: string } | { path: undefined, reason: string }>} reason: why there is none, with what to run
 */
export async function ensurePrometheus({ install = true } = {}) {
  const found = findPrometheus();
  if (found) return { path: found };
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!hasApt) return { path: undefined, reason: 'prometheus is not installed and this machine has no apt-get: install Prometheus ≥ 2.26 (with exemplar storage) and put it on PATH, or set ONCALL_PROMETHEUS to its binary' };
  if (!isRoot() || !install) return { path: undefined, reason: `prometheus is not installed; install it with:\n  sudo sh -c '${APT_INSTALL}'` };
  log('installing the Debian package prometheus (first time only)');
  await runLogged('apt-get', ['update']);
  await runLogged('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus']);
  const after = findPrometheus();
  return after ? { path: after } : { path: undefined, reason: 'apt-get installed prometheus but /usr/bin/prometheus is still missing' };
}

// ---------------------------------------------------------------------------------------------------------------
// Running

/** A free TCP port on 127.0.0.1 (free now; a server started right after will normally get it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = /** @type {net.AddressInfo} */ (srv.address()).port;
      srv.close(() => resolve(port));
    });
  });
}

/** @type {Set<number>} pids of running Prometheus servers, killed when this process exits */
const running = new Set();
let exitHookInstalled = false;
function killOnExit(/** @type {number} */ pid) {
  running.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of running) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  });
}

/**
 * @typedef {{ url: string, port: number, pid: number, dir: string, exemplarStorage: boolean, logTail: () => string,
 *   stop: () => Promise<void> }} PrometheusServer
 */

/**
 * Starts Prometheus on a free 127.0.0.1 port with a temp TSDB and config (scrape interval 1 s, 10 000 exemplars) and
 * waits for /-/ready.
 * @param {{ exemplarStorage?: boolean, scrapeTargets?: string[], binary?: string }} [opts]
 *   exemplarStorage: pass --enable-feature=exemplar-storage (default true); scrapeTargets: host:port of OpenMetrics
 *   endpoints to scrape every second.
 * @returns {Promise<PrometheusServer>}
 */
export async function startPrometheus(opts = {}) {
  const binary = opts.binary ?? findPrometheus();
  if (!binary) throw new Error(`prometheus is not installed; install it with: sudo sh -c '${APT_INSTALL}'`);
  const exemplarStorage = opts.exemplarStorage ?? true;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-prom-'));
  const targets = opts.scrapeTargets ?? [];
  const config = [
    'global: { scrape_interval: 1s, evaluation_interval: 15s }',
    'storage: { exemplars: { max_exemplars: 10000 } }',
    ...(targets.length ? ['scrape_configs:', '  - job_name: openmetrics', `    static_configs: [ { targets: [${targets.map((t) => `'${t}'`).join(', ')}] } ]`] : []),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = /** @type {number} */ (await freePort());
    const args = [
      `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver',
      ...(exemplarStorage ? ['--enable-feature=exemplar-storage'] : []),
      '--log.level=warn',
    ];
    const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = /** @type {number} */ (child.pid);
    killOnExit(pid);
    let out = '';
    const keep = (/** @type {Buffer} */ b) => { out = (out + b.toString()).slice(-50_000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let exited = false;
    const exitedP = new Promise((resolve) => child.on('exit', () => { exited = true; running.delete(pid); resolve(undefined); }));
    const logTail = () => out.split('\n').slice(-20).join('\n');
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (!exited) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const killer = setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
        await exitedP;
        clearTimeout(killer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    };
    const deadline = Date.now() + 60_000;
    while (!exited && Date.now() < deadline) {
      const ready = await httpGet(`${url}/-/ready`).then((r) => r.status === 200, () => false);
      if (ready) return { url, port, pid, dir, exemplarStorage, logTail, stop };
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!exited) {
      await stop();
      throw new Error(`prometheus (pid ${pid}) was not ready within 60 s on ${url}. Log:\n${logTail()}`);
    }
    lastError = new Error(`prometheus exited before it was ready (port ${port}). Log:\n${logTail()}`);
    if (!/address already in use/.test(out)) break;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

/** @returns {Promise<{ status: number, body: string }>} */
function httpGet(/** @type {string} */ url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Remote write: prompb.WriteRequest, hand-encoded, in a snappy block.

/** @param {number} n a non-negative integer (up to 2^53) */
function varint(n) {
  const bytes = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    bytes.push(b);
  } while (v > 0n);
  return Buffer.from(bytes);
}

/** A length-delimited field (wire type 2). */
function lenField(/** @type {number} */ field, /** @type {Buffer} */ payload) {
  return Buffer.concat([varint((field << 3) | 2), varint(payload.length), payload]);
}

/** A double field (wire type 1). */
function doubleField(/** @type {number} */ field, /** @type {number} */ value) {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return Buffer.concat([varint((field << 3) | 1), b]);
}

/** An int64 varint field (wire type 0); timestamps are positive. */
function int64Field(/** @type {number} */ field, /** @type {number} */ value) {
  return Buffer.concat([varint(field << 3), varint(value)]);
}

/** Labels sorted by name, as remote write expects. */
function labelsMsg(/** @type {Record<string, string>} */ labels) {
  return Object.keys(labels).sort().map((name) => lenField(1, Buffer.concat([lenField(1, Buffer.from(name)), lenField(2, Buffer.from(labels[name] ?? ''))])));
}

/**
 * @typedef {{ labels: Record<string, string>, samples?: { value: number, timestampMs: number }[],
 *   exemplars?: { labels: Record<string, string>, value: number, timestampMs: number }[] }} Series
 */

/** prompb.WriteRequest{timeseries=1}, TimeSeries{labels=1, samples=2, exemplars=3}. */
export function encodeWriteRequest(/** @type {Series[]} */ series) {
  return Buffer.concat(series.map((s) => {
    const parts = [
      ...labelsMsg(s.labels),
      ...(s.samples ?? []).map((x) => lenField(2, Buffer.concat([doubleField(1, x.value), int64Field(2, x.timestampMs)]))),
      ...(s.exemplars ?? []).map((e) => lenField(3, Buffer.concat([...labelsMsg(e.labels), doubleField(2, e.value), int64Field(3, e.timestampMs)]))),
    ];
    return lenField(1, Buffer.concat(parts));
  }));
}

/** Snappy block format with the whole input as one literal: varint(length), literal tag, the bytes. */
export function snappyBlock(/** @type {Buffer} */ data) {
  const n = data.length;
  if (n === 0) return Buffer.from([0]);
  const m = n - 1;
  let tag;
  if (m < 60) tag = Buffer.from([m << 2]);
  else if (m < 0x100) tag = Buffer.from([60 << 2, m]);
  else if (m < 0x10000) tag = Buffer.from([61 << 2, m & 0xff, m >> 8]);
  else if (m < 0x1000000) tag = Buffer.from([62 << 2, m & 0xff, (m >> 8) & 0xff, m >> 16]);
  else {
    tag = Buffer.alloc(5);
    tag[0] = 63 << 2;
    tag.writeUInt32LE(m, 1);
  }
  return Buffer.concat([varint(n), tag, data]);
}

/** POSTs series to /api/v1/write; resolves on 2xx, rejects with Prometheus' answer otherwise. */
export function remoteWrite(/** @type {string} */ baseUrl, /** @type {Series[]} */ series) {
  const body = snappyBlock(encodeWriteRequest(series));
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/v1/write`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0', 'Content-Length': body.length },
      timeout: 10_000,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300 ? resolve(res.statusCode) : reject(new Error(`remote write answered ${res.statusCode}: ${text}`))));
    });
    req.on('timeout', () => req.destroy(new Error('remote write timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// An OpenMetrics endpoint for Prometheus to scrape (exemplars are parsed only from OpenMetrics).

/**
 * Serves `body()` (OpenMetrics text ending in `# EOF`) at /metrics on a free 127.0.0.1 port.
 * @returns {Promise<{ target: string, scrapes: () => number, stop: () => Promise<void> }>}
 */
export function startOpenMetricsServer(/** @type {() => string} */ body) {
  let scrapes = 0;
  const server = http.createServer((req, res) => {
    scrapes++;
    res.writeHead(200, { 'Content-Type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
    res.end(body());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = /** @type {net.AddressInfo} */ (server.address()).port;
      resolve({
        target: `127.0.0.1:${port}`,
        scrapes: () => scrapes,
        stop: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r(undefined)); }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The demo's exemplars

/**
 * The root spans of demo/traces/checkout-stampede.json: trace ID, root span ID, name, service, duration (s), error.
 * @returns {{ traceId: string, spanId: string, name: string, service: string, seconds: number, error: boolean }[]}
 */
export function demoRoots(repoRoot = REPO_ROOT) {
  const doc = JSON.parse(fs.readFileSync(path.join(repoRoot, 'demo', 'traces', 'checkout-stampede.json'), 'utf8'));
  const roots = [];
  for (const rs of doc.resourceSpans ?? []) {
    const service = (rs.resource?.attributes ?? []).find((/** @type {{key: string}} */ a) => a.key === 'service.name')?.value?.stringValue ?? '';
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        if (s.parentSpanId) continue;
        const seconds = Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e9;
        roots.push({ traceId: String(s.traceId).toLowerCase(), spanId: String(s.spanId).toLowerCase(), name: s.name, service, seconds, error: s.status?.code === 2 });
      }
    }
  }
  return roots;
}

const BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10];

/**
 * Remote-write series for the demo: an `http_server_duration_seconds` histogram of the checkout requests (one
 * exemplar per request in its `le` bucket, root span duration as value; the 2.54 s request labelled `traceID`
 * instead of `trace_id`) and a `checkout_errors_total` counter with an exemplar per failed request. Exemplar times are
 * spread over the last minutes before `nowMs`, increasing within each series (Prometheus drops out-of-order ones).
 * @returns {{ series: Series[], roots: ReturnType<typeof demoRoots>, slowest: string }}
 */
export function demoSeries(nowMs = Date.now(), repoRoot = REPO_ROOT) {
  const roots = demoRoots(repoRoot).filter((r) => r.name === 'POST /api/checkout');
  const sorted = [...roots].sort((a, b) => b.seconds - a.seconds);
  const slowest = sorted[0]?.traceId ?? '';
  const base = { __name__: 'http_server_duration_seconds_bucket', job: 'checkout', route: '/api/checkout', service: 'checkout-service' };
  /** @type {Map<string, Series>} */
  const buckets = new Map();
  roots.forEach((r, i) => {
    const le = BUCKETS.find((b) => r.seconds <= b) ?? Infinity;
    const leText = le === Infinity ? '+Inf' : String(le);
    const s = buckets.get(leText) ?? { labels: { ...base, le: leText }, samples: [{ value: 0, timestampMs: nowMs }], exemplars: [] };
    buckets.set(leText, s);
    const label = r.traceId === 'a77f7d7c93378ee801c4985086c872a4' ? 'traceID' : 'trace_id';
    s.exemplars?.push({ labels: { [label]: r.traceId, span_id: r.spanId }, value: r.seconds, timestampMs: nowMs - (roots.length - i) * 30_000 });
  });
  for (const s of buckets.values()) {
    s.exemplars?.sort((a, b) => a.timestampMs - b.timestampMs);
    if (s.samples?.[0]) s.samples[0].value = s.exemplars?.length ?? 0;
  }
  const errors = roots.filter((r) => r.error);
  /** @type {Series} */
  const counter = {
    labels: { __name__: 'checkout_errors_total', job: 'checkout', service: 'checkout-service' },
    samples: [{ value: errors.length, timestampMs: nowMs }],
    exemplars: errors.map((r, i) => ({ labels: { trace_id: r.traceId }, value: 1, timestampMs: nowMs - (errors.length - i) * 10_000 })),
  };
  return { series: [...buckets.values(), counter], roots, slowest };
}

// ---------------------------------------------------------------------------------------------------------------
// CLI

async function cli() {
  const [cmd] = process.argv.slice(2);
  if (cmd === 'install') {
    const r = await ensurePrometheus();
    if (r.path) log(`prometheus: ${r.path} (${spawnSync(r.path, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? ''})`);
    else log(`${r.reason}\n[prometheus] the real-Prometheus tests will be skipped`);
    return 0;
  }
  if (cmd === 'demo') {
    const prom = await startPrometheus();
    const { series, slowest } = demoSeries();
    await remoteWrite(prom.url, series);
    log(`${prom.url} (pid ${prom.pid}) has the demo exemplars; slowest trace ${slowest}. Ctrl+C stops it.`);
    const stop = () => void prom.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    await new Promise(() => undefined);
  }
  console.error('usage: node scripts/test-host/prometheus.mjs install|demo');
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().then((code) => process.exit(code), (e) => {
    console.error(`[prometheus] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
