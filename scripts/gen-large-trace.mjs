#!/usr/bin/env node
// One big trace, produced by the real OpenTelemetry JS SDK (TracerProvider + SimpleSpanProcessor +
// InMemorySpanExporter, serialized with @opentelemetry/otlp-transformer's JsonTraceSerializer).
//
//   node scripts/gen-large-trace.mjs --spans 100000 [--format otlp|jsonl] [--out FILE] [--seed S]
//   node scripts/gen-large-trace.mjs --target-mb 50 --out big.json     (pads attributes up to ~50 MB)
//
// To keep memory flat, finished spans are serialized every BATCH_SPANS spans and the exporter is
// reset; the batches' resourceSpans are concatenated (otlp) or written one TracesData per line (jsonl),
// which is what a collector's batching would also produce. Importable: see generateLargeTrace().
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';

/** mulberry32: small, fast, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An SDK IdGenerator whose IDs are a pure function of the seed and the call order. */
export class SeededIdGenerator {
  constructor(seed) {
    // Separate streams: a trace's ID depends only on how many traces came before it, not on spans.
    this.traceRandom = mulberry32(seed ^ 0x9e3779b9);
    this.spanRandom = mulberry32(seed ^ 0x85ebca6b);
    this.traceCount = 0;
    /** Every trace ID handed out, in order (so callers can find a trace's ordinal). */
    this.issuedTraceIds = [];
    /** Ordinals (0-based, in trace creation order) whose trace ID gets 64 zero high bits. */
    this.shortTraceOrdinals = new Set();
  }
  hex(chars, random) {
    let s = '';
    while (s.length < chars) s += Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0');
    return s.slice(0, chars);
  }
  generateTraceId() {
    const hex = this.hex(32, this.traceRandom);
    const id = this.shortTraceOrdinals.has(this.traceCount++) ? '0'.repeat(16) + hex.slice(16) : hex;
    this.issuedTraceIds.push(id);
    return id;
  }
  generateSpanId() {
    return this.hex(16, this.spanRandom);
  }
}

/** Epoch nanoseconds (BigInt) → SDK HrTime [seconds, nanos]. */
export const hrTime = (ns) => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

const BATCH_SPANS = 4000;
const PAD_UNIT = '{"account":"ACC-004217","amount_cents":129900,"currency":"EUR","memo":"quarterly settlement"},';
const MAX_DEPTH = 12;
const START_NS = BigInt(Date.UTC(2026, 10, 23, 3, 20, 0)) * 1_000_000n;

const SERVICES = [
  { name: 'report-api', version: '3.4.0', dir: '/srv/report-api/src', routes: ['GET /api/reports/:id', 'POST /api/reports'] },
  { name: 'ledger-service', version: '7.2.1', dir: '/srv/ledger-service/src', routes: ['GET /api/ledger/entries', 'GET /api/ledger/balances'] },
  { name: 'fx-service', version: '1.12.0', dir: '/srv/fx-service/src', routes: ['GET /api/rates'] },
  { name: 'customer-service', version: '5.0.3', dir: '/srv/customer-service/src', routes: ['GET /api/customers/:id'] },
  { name: 'export-worker', version: '2.8.9', dir: '/srv/export-worker/src', routes: ['POST /internal/render'] },
];
const FUNCTIONS = ['loadEntries', 'aggregateByAccount', 'convertCurrency', 'resolveCustomer', 'renderSection', 'applyRounding', 'fetchBalances', 'mergePages'];
const TABLES = ['ledger_entries', 'accounts', 'fx_rates', 'customers', 'report_sections'];

/** Builds the tree shape: parent index per node (node 0 = root), depth ≤ MAX_DEPTH, with wide fan-outs. */
function buildTree(n, rnd) {
  const parent = new Int32Array(n).fill(-1);
  const depth = new Uint8Array(n);
  const hubs = [0]; // nodes that act like loops over many items
  for (let i = 1; i < n; i++) {
    const r = rnd();
    let p;
    if (r < 0.45) p = i - 1; // go deeper
    else if (r < 0.8) p = hubs[Math.floor(rnd() * hubs.length)]; // fan out from a "loop" span
    else p = Math.max(0, i - 1 - Math.floor(rnd() * 40)); // sibling-ish of something recent
    while (depth[p] >= MAX_DEPTH) p = parent[p];
    parent[i] = p;
    depth[i] = depth[p] + 1;
    if (depth[i] <= 6 && rnd() < 0.02) hubs.push(i);
    if (hubs.length > 64) hubs.splice(1, 1);
  }
  const children = Array.from({ length: n }, () => []);
  for (let i = 1; i < n; i++) children[parent[i]].push(i);
  const size = new Int32Array(n).fill(1);
  for (let i = n - 1; i > 0; i--) size[parent[i]] += size[i];
  return { parent, depth, children, size };
}

function stackFor(svc, fn, line, rnd) {
  const frames = [`    at ${fn} (${svc.dir}/${fn}.ts:${line}:${5 + Math.floor(rnd() * 30)})`];
  for (let k = 0; k < 3; k++) {
    const f = FUNCTIONS[Math.floor(rnd() * FUNCTIONS.length)];
    frames.push(`    at async ${f} (${svc.dir}/${f}.ts:${10 + Math.floor(rnd() * 200)}:${3 + Math.floor(rnd() * 20)})`);
  }
  frames.push('    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)');
  return frames.join('\n');
}

/**
 * Generates one trace of `spans` spans and returns it as OTLP/JSON text ({"resourceSpans":[...]}),
 * or as JSON Lines (one TracesData per batch) when format is 'jsonl'.
 * targetMb > 0 pads an attribute so the text ends up close to that size.
 */
export async function generateLargeTrace({ spans = 10_000, seed = 1, format = 'otlp', targetMb = 0 } = {}) {
  if (!Number.isInteger(spans) || spans < 1) throw new Error(`spans must be a positive integer, got ${spans}`);
  const rnd = mulberry32(seed);
  const exporter = new InMemorySpanExporter();
  const idGenerator = new SeededIdGenerator(seed);
  const providers = SERVICES.map((svc) => new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({
      'service.name': svc.name, 'service.version': svc.version, 'deployment.environment.name': 'production',
    })),
    idGenerator,
    spanLimits: { attributeValueLengthLimit: Infinity },
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  }));
  const tracers = SERVICES.map((svc, i) => providers[i].getTracer(svc.name, svc.version));

  const { parent, children, size } = buildTree(spans, rnd);
  const service = new Uint8Array(spans);
  for (let i = 1; i < spans; i++) service[i] = rnd() < 0.12 ? Math.floor(rnd() * SERVICES.length) : service[parent[i]];
  const targetBytes = targetMb * 1024 * 1024;
  const batchSpans = targetBytes > 0 ? Math.max(100, Math.min(BATCH_SPANS, Math.ceil(spans / 20))) : BATCH_SPANS;
  const parts = [];
  let bytes = 0, finished = 0, padBytes = 0, pad = '';

  const flush = async () => {
    await Promise.all(providers.map((p) => p.forceFlush()));
    const done = exporter.getFinishedSpans();
    if (done.length === 0) return;
    const text = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(done));
    exporter.reset();
    parts.push(format === 'jsonl' ? text : text.slice('{"resourceSpans":['.length, -2));
    bytes += text.length;
    finished += done.length;
    padBytes += pad.length * done.length;
    if (targetBytes > 0) {
      const unpaddedPerSpan = (bytes - padBytes) / finished;
      const perSpan = (targetBytes - bytes) / Math.max(1, spans - finished) - unpaddedPerSpan;
      const len = Math.max(0, Math.floor(perSpan));
      pad = PAD_UNIT.repeat(Math.ceil(len / PAD_UNIT.length)).slice(0, len);
    }
  };

  // Depth-first walk: a span starts when visited and ends after its subtree, so at most MAX_DEPTH+1
  // spans are open at once; finished spans go to the exporter and are flushed in batches.
  const rootEnd = START_NS + BigInt(spans) * 2_000_000n + 5_000_000n;
  const open = [{ node: 0, start: START_NS, end: rootEnd, next: 0, span: null, http: true, cursor: 0n, prev: 0n }];
  let ended = 0;
  while (open.length) {
    const top = open[open.length - 1];
    const i = top.node;
    const svc = SERVICES[service[i]];
    const fn = FUNCTIONS[i % FUNCTIONS.length];
    if (!top.span) {
      let kind = SpanKind.INTERNAL, name = fn;
      const attributes = {};
      if (i === 0 || service[i] !== service[parent[i]]) {
        const [method, route] = svc.routes[i % svc.routes.length].split(' ');
        kind = SpanKind.SERVER; name = `${method} ${route}`; top.http = true;
        Object.assign(attributes, { 'http.request.method': method, 'http.route': route, 'url.path': route.replace(':id', String(1000 + i)) });
      } else if (children[i].length === 0 && rnd() < 0.5) {
        const table = TABLES[i % TABLES.length];
        kind = SpanKind.CLIENT; name = `SELECT ${table}`;
        Object.assign(attributes, { 'db.system.name': 'postgresql', 'db.namespace': svc.name.split('-')[0], 'db.query.text': `SELECT * FROM ${table} WHERE account_id = $1 ORDER BY booked_at LIMIT 500`, 'server.address': `${svc.name}-db.internal` });
      }
      if (kind !== SpanKind.CLIENT || rnd() < 0.3) {
        Object.assign(attributes, { 'code.function.name': fn, 'code.file.path': `${svc.dir}/${fn}.ts`, 'code.line.number': 10 + (i % 300), 'code.column.number': 3 });
      }
      if (pad) attributes['app.payload'] = pad;
      const ctx = i === 0 ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, open[open.length - 2].span);
      top.span = tracers[service[i]].startSpan(name, { kind, attributes, startTime: hrTime(top.start) }, ctx);
      const margin = (top.end - top.start) / 50n;
      top.cursor = top.prev = top.start + margin;
      top.inner = top.end - top.start - 2n * margin;
      top.childSum = BigInt(children[i].reduce((sum, k) => sum + size[k], 0));
    }
    const kids = children[i];
    if (top.next < kids.length) {
      const k = kids[top.next++];
      const len = (top.inner * BigInt(size[k])) / top.childSum;
      // About a third of the siblings run concurrently with the previous one (Promise.all style).
      const start = top.next > 1 && rnd() < 0.3 ? top.prev : top.cursor;
      open.push({ node: k, start, end: start + (len > 1000n ? len : 1000n), next: 0, span: null, http: false, cursor: 0n, prev: 0n });
      top.prev = start;
      top.cursor = start + len > top.cursor ? start + len : top.cursor;
      continue;
    }
    const span = top.span;
    if (i !== 0 && rnd() < 0.005) {
      const err = new Error(`${fn} failed: ledger-service returned 503 Service Unavailable`);
      err.name = 'UpstreamError';
      err.stack = `${err.name}: ${err.message}\n${stackFor(svc, fn, 10 + (i % 300), rnd)}`;
      span.recordException(err, hrTime(top.end - 5_000n));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    }
    if (top.http) span.setAttribute('http.response.status_code', span.status?.code === SpanStatusCode.ERROR ? 503 : 200);
    span.end(hrTime(top.end));
    open.pop();
    if (++ended % batchSpans === 0) await flush();
  }
  await flush();
  await Promise.all(providers.map((p) => p.shutdown()));
  return format === 'jsonl' ? parts.join('\n') + '\n' : `{"resourceSpans":[${parts.join(',')}]}`;
}

function parseArgs(argv) {
  const opts = { spans: undefined, format: 'otlp', out: undefined, seed: 1, targetMb: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === '--spans') { opts.spans = Number(v); i++; }
    else if (a === '--format') { opts.format = v; i++; }
    else if (a === '--out') { opts.out = v; i++; }
    else if (a === '--seed') { opts.seed = Number(v); i++; }
    else if (a === '--target-mb') { opts.targetMb = Number(v); i++; }
    else if (a === '--help' || a === '-h') { opts.help = true; }
    else throw new Error(`unknown argument ${a}`);
  }
  if (!['otlp', 'jsonl'].includes(opts.format)) throw new Error('--format must be otlp or jsonl');
  opts.spans ??= opts.targetMb > 0 ? 20_000 : 10_000;
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err.message}\nusage: node scripts/gen-large-trace.mjs --spans N [--format otlp|jsonl] [--out FILE] [--seed S] [--target-mb M]`);
    process.exit(2);
  }
  if (opts.help) {
    console.log('usage: node scripts/gen-large-trace.mjs --spans N [--format otlp|jsonl] [--out FILE] [--seed S] [--target-mb M]');
  } else {
    const t0 = performance.now();
    const text = await generateLargeTrace(opts);
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
    const mb = (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
    console.error(`${opts.spans} spans, ${mb} MB, ${((performance.now() - t0) / 1000).toFixed(1)} s${opts.out ? ` → ${opts.out}` : ''}`);
  }
}
