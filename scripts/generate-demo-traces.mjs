#!/usr/bin/env node
// Regenerates demo/traces/* by running a simulation of the demo shop (demo/services/*) instrumented
// with the real OpenTelemetry JS SDK. The simulated functions mirror the TypeScript sources and run
// on a virtual clock (deterministic: same seed → same traces, same IDs). code.* attributes and stack
// frames are computed from the TS sources, so they stay right when the sources change.
//   node scripts/generate-demo-traces.mjs        (DEBUG_DEMO=1 also lists every simulated trace on stderr)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { mulberry32, SeededIdGenerator } from './gen-large-trace.mjs';
import { captureZipkin, checkFiles, pickTraces, SERVICES, SharedDatabase, source, toJaeger, updateReadmes, VirtualClock } from './lib/demo-trace-lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'demo', 'traces');
const SEED = 20261123;
const BASE_MS = Date.UTC(2026, 10, 23, 3, 6, 0); // virtual clock zero; all times below are ns after it
const MS = 1e6, S = 1e9;
const EXPIRY_TARGET = 6 * 60 * S; // we want the catalog cache to expire at 03:12:00.000
const C = 'checkout-service', P = 'pricing-service', PAY = 'payments-service';

// Behaviour constants are read from the TS sources, so the simulation follows the code.
const POOL_MAX = source.constant(P, 'dbPool.ts', 'max');
const ACQUIRE_TIMEOUT = source.constant(P, 'dbPool.ts', 'acquireTimeoutMillis') * MS;
const TTL = source.constant(P, 'priceCache.ts', 'CATALOG_TTL_MS') * MS;
const BATCH_SIZE = source.constant(P, 'repricingJob.ts', 'REPRICING_BATCH_SIZE');
const JOB_CONCURRENCY = source.constant(P, 'repricingJob.ts', 'REPRICING_CONCURRENCY');
const PRICING_TIMEOUT_MS = source.constant(C, 'pricingClient.ts', 'PRICING_TIMEOUT_MS');
const MAX_ATTEMPTS = source.constant(C, 'pricingClient.ts', 'PRICING_MAX_ATTEMPTS');
const BACKOFF = source.constant(C, 'pricingClient.ts', 'PRICING_RETRY_BACKOFF_MS') * MS;
const BUDGET_MS = source.constant(C, 'checkoutHandler.ts', 'CHECKOUT_BUDGET_MS');
// Load model (not in the sources): the catalog query needs ~1.35 s alone (±20 %); n concurrent queries
// each slow down by 1 + 0.25·(n−1); ~14 checkouts/s arrive from 03:12:00.
const CATALOG_SKUS = 41_872, CATALOG_WORK = 1_350 * MS, WORK_SPREAD = 0.2, DB_CONTENTION = 0.25, RATE = 14;
const SQL = {
  catalog: source.sql(P, 'catalogRepo.ts', 'SELECT catalog_items'),
  rules: source.sql(P, 'catalogRepo.ts', 'SELECT price_rules'),
  save: source.sql(P, 'catalogRepo.ts', 'UPDATE price_rules'),
  reserve: source.sql(C, 'inventoryRepo.ts', 'UPDATE inventory'),
  order: source.sql(C, 'orderRepo.ts', 'INSERT orders'),
};

// ---- virtual clock (see VirtualClock in the lib) ---------------------------------------------------
let clock, rand = Math.random;
const at = (t, fn) => clock.at(t, fn), sleep = (ns) => clock.sleep(ns), race = (work, ns, onExpire) => clock.race(work, ns, onExpire);
const between = (lo, hi) => Math.round(lo + (hi - lo) * rand());
const hr = (ns) => [BASE_MS / 1000 + Math.floor(ns / S), ns % S];

// ---- SDK plumbing ------------------------------------------------------------------------------------
let tracers, providers, exporter, recorded, idGenerator;
function setupSdk(shortTraceOrdinals) {
  exporter = new InMemorySpanExporter();
  idGenerator = new SeededIdGenerator(SEED);
  idGenerator.shortTraceOrdinals = shortTraceOrdinals;
  providers = {}; tracers = {};
  for (const [name, svc] of Object.entries(SERVICES)) {
    const resource = defaultResource().merge(resourceFromAttributes({
      'service.name': name, 'service.namespace': 'shop', 'service.version': svc.version,
      'service.instance.id': svc.pod, 'deployment.environment.name': 'production',
      'k8s.namespace.name': 'shop', 'k8s.pod.name': svc.pod, 'host.name': svc.pod,
    }));
    providers[name] = new TracerProvider({ resource, idGenerator, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    tracers[name] = providers[name].getTracer(name, svc.version);
  }
  recorded = new WeakSet();
}
function open(svc, name, { kind = SpanKind.INTERNAL, parent, remote = false, attrs = {}, code }) {
  let ctx = ROOT_CONTEXT;
  if (parent) ctx = trace.setSpanContext(ROOT_CONTEXT, { ...parent.spanContext(), isRemote: remote });
  const attributes = { ...attrs, ...(code ? source.codeAttributes(svc, ...code) : {}) };
  return tracers[svc].startSpan(name, { kind, attributes, startTime: hr(clock.now) }, ctx);
}
/** Same as failSpan() in the services' telemetry.ts: the exception is recorded once, status on all. */
function failSpan(span, err) {
  if (!recorded.has(err)) { recorded.add(err); span.recordException(err, hr(clock.now)); }
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}
function error(name, message, frames, extra = {}) {
  const err = Object.assign(new Error(message), extra);
  err.name = name;
  err.stack = `${name}: ${message}\n${frames.join('\n')}`;
  return err;
}
const frame = (svc, file, fn, needle, async = true) => source.frame(svc, file, fn, needle, async);
/** The try { … } catch { failSpan(); throw } finally { span.end() } shape of the instrumented functions. */
async function traced(span, work) {
  try {
    return await work();
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end(hr(clock.now));
  }
}

// ---- the services (mirrors of demo/services/*/src) ------------------------------------------------
let cache, pool, pricingDb;
async function serve(svc, method, route, clientSpan, handlerSite, handler) {
  await sleep(between(0.3 * MS, 1.2 * MS));
  const span = open(svc, `${method} ${route}`, {
    kind: SpanKind.SERVER, parent: clientSpan, remote: true, code: handlerSite,
    attrs: { 'http.request.method': method, 'http.route': route, 'url.path': route, 'url.scheme': 'http', 'server.address': svc, 'server.port': 8080 },
  });
  let result = { status: 500 };
  try {
    await sleep(between(0.03 * MS, 0.12 * MS)); // routing, body parsing
    result = await handler(span, [frame(svc, 'server.ts', 'dispatch', 'await context.with(')]);
    await sleep(between(0.02 * MS, 0.08 * MS)); // serializing the response
    span.setAttribute('http.response.status_code', result.status);
    if (result.status >= 500) {
      span.setAttribute('error.type', String(result.status));
      span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
    }
  } catch (err) {
    span.recordException(err, hr(clock.now));
    span.setAttributes({ 'http.response.status_code': 500, 'error.type': err.name });
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  } finally {
    span.end(hr(clock.now));
  }
  await sleep(between(0.3 * MS, 1.2 * MS));
  return result;
}

const TIMEOUT = Symbol('timeout');
async function requestJson(parent, method, url, { timeoutMs, resendCount = 0 }, frames, call) {
  const { hostname, pathname, port } = new URL(url);
  const span = open(C, method, {
    kind: SpanKind.CLIENT, parent, code: ['httpClient.ts', 'requestJson'],
    attrs: { 'http.request.method': method, 'url.full': url, 'server.address': hostname, 'server.port': Number(port || 80), ...(resendCount ? { 'http.request.resend_count': resendCount } : {}) },
  });
  try {
    await sleep(between(0.04 * MS, 0.2 * MS)); // headers, propagation.inject
    const res = await race(call(span), timeoutMs * MS, () => TIMEOUT);
    span.setAttribute('http.response.status_code', res.status);
    if (res.status >= 400) {
      span.setAttribute('error.type', String(res.status));
      throw error('UpstreamHttpError', `${method} ${pathname} returned ${res.status}`, [frame(C, 'httpClient.ts', 'requestJson', 'new UpstreamHttpError', false), ...frames], { status: res.status });
    }
    return res;
  } catch (err) {
    if (err === TIMEOUT) {
      const timeout = error('UpstreamTimeoutError', `${method} ${url} timed out after ${timeoutMs}ms`, [frame(C, 'httpClient.ts', 'requestJson', 'new UpstreamTimeoutError', false), ...frames]);
      span.setAttribute('error.type', timeout.name);
      failSpan(span, timeout);
      throw timeout;
    }
    failSpan(span, err);
    throw err;
  } finally {
    span.end(hr(clock.now));
  }
}

async function query(svc, parent, summary, text, rows, run) {
  const db = svc === P ? { ns: 'pricing', host: 'pricing-db.internal', code: ['dbPool.ts', 'DbPool.query'] } : { ns: 'checkout', host: 'checkout-db.internal', code: ['db.ts', 'query'] };
  const span = open(svc, summary, {
    kind: SpanKind.CLIENT, parent, code: db.code,
    attrs: { 'db.system.name': 'postgresql', 'db.namespace': db.ns, 'db.query.summary': summary, 'db.query.text': text, 'server.address': db.host, 'server.port': 5432 },
  });
  await sleep(between(0.15 * MS, 0.5 * MS));
  await run();
  await sleep(between(0.15 * MS, 0.5 * MS));
  span.setAttribute('db.response.returned_rows', rows);
  span.end(hr(clock.now));
}

// pricing-service
async function acquire(parent, frames) {
  const span = open(P, 'db.pool.acquire', { parent, code: ['dbPool.ts', 'DbPool.acquire'], attrs: { 'db.client.connection.pool.name': 'pricing-db', 'db.client.connection.pool.max': POOL_MAX, 'db.client.connection.pool.waiting': pool.waiters.length } });
  return traced(span, async () => {
    if (pool.idle > 0) { pool.idle--; await sleep(between(0.01 * MS, 0.06 * MS)); return; }
    if (pool.open < POOL_MAX) { pool.open++; await sleep(between(2.5 * MS, 6 * MS)); return; }
    const got = await new Promise((resolve) => {
      const waiter = { resolve, timer: at(clock.now + ACQUIRE_TIMEOUT, () => { pool.waiters.splice(pool.waiters.indexOf(waiter), 1); resolve(false); }) };
      pool.waiters.push(waiter);
    });
    if (!got) {
      throw error('PoolTimeoutError', `timed out after ${ACQUIRE_TIMEOUT / MS}ms waiting for a connection from pool "pricing-db" (max ${POOL_MAX}, ${pool.waiters.length} waiting)`,
        [frame(P, 'dbPool.ts', 'DbPool.acquire', 'new PoolTimeoutError', false), ...frames]);
    }
  });
}
function release() {
  const next = pool.waiters.shift();
  if (next) { next.timer.cancelled = true; next.resolve(true); } else pool.idle++;
}
async function fetchCatalog(parent, frames) {
  const span = open(P, 'fetchCatalog', { parent, code: ['catalogRepo.ts', 'fetchCatalog'], attrs: { 'pricing.catalog.source': 'postgres' } });
  return traced(span, async () => {
    await acquire(span, [frame(P, 'catalogRepo.ts', 'fetchCatalog', 'await inSpan(span, () => db.acquire())'), ...frames]);
    try {
      await query(P, span, 'SELECT catalog_items', SQL.catalog, CATALOG_SKUS, () => pricingDb.run(Math.round((1 - WORK_SPREAD + 2 * WORK_SPREAD * rand()) * CATALOG_WORK)));
      span.setAttribute('pricing.catalog.items', CATALOG_SKUS);
    } finally {
      release();
    }
  });
}
function store() { cache = { loadedAt: clock.now, expiresAt: clock.now + TTL }; }
async function getCatalog(parent, frames) {
  const span = open(P, 'PriceCache.getCatalog', { parent, code: ['priceCache.ts', 'PriceCache.getCatalog'] });
  return traced(span, async () => {
    await sleep(between(0.005 * MS, 0.03 * MS));
    if (cache && cache.expiresAt > clock.now) {
      span.setAttributes({ 'cache.hit': true, 'cache.age_ms': Math.floor((clock.now - cache.loadedAt) / MS) });
      return;
    }
    span.setAttribute('cache.hit', false);
    await fetchCatalog(span, [frame(P, 'priceCache.ts', 'PriceCache.getCatalog', 'await inSpan(span, () => fetchCatalog())'), ...frames]);
    store();
  });
}
async function internal(svc, parent, name, code, attrs, ns) {
  const span = open(svc, name, { parent, code, attrs });
  await sleep(ns);
  span.end(hr(clock.now));
}
async function handleGetPrices(server, frames, skus) {
  try {
    await sleep(between(0.01 * MS, 0.05 * MS));
    await getCatalog(server, [frame(P, 'pricesHandler.ts', 'handleGetPrices', 'await priceCache.getCatalog()'), ...frames]);
    await internal(P, server, 'applyPromotions', ['promotions.ts', 'applyPromotions'], { 'pricing.sku_count': skus.length }, between(0.05 * MS, 0.3 * MS));
    return { status: 200 };
  } catch (err) {
    if (err.name === 'PoolTimeoutError') return { status: 503, error: err.message };
    throw err;
  }
}
async function runRepricingJob() {
  const span = open(P, 'repricing-job', { code: ['repricingJob.ts', 'runRepricingJob'], attrs: { 'pricing.sku_count': CATALOG_SKUS } });
  const batches = Math.ceil(CATALOG_SKUS / BATCH_SIZE);
  span.setAttribute('pricing.batch_count', batches);
  let next = 0;
  await Promise.all(Array.from({ length: JOB_CONCURRENCY }, async () => { while (next < batches) await repriceBatch(span, next++); }));
  const warm = open(P, 'PriceCache.warm', { parent: span, code: ['priceCache.ts', 'PriceCache.warm'], attrs: { 'cache.ttl_ms': TTL / MS } });
  await fetchCatalog(warm, []);
  store();
  warm.setAttribute('cache.expires_at', new Date(BASE_MS + cache.expiresAt / MS).toISOString());
  warm.end(hr(clock.now));
  span.end(hr(clock.now));
}
async function repriceBatch(parent, index) {
  const size = Math.min(BATCH_SIZE, CATALOG_SKUS - index * BATCH_SIZE);
  const span = open(P, 'repriceBatch', { parent, code: ['repricingJob.ts', 'repriceBatch'], attrs: { 'pricing.batch_size': size, 'pricing.first_sku': `SKU-${100000 + index * BATCH_SIZE}` } });
  await acquire(span, [frame(P, 'repricingJob.ts', 'repriceBatch', 'await inSpan(span, () => pool.acquire())')]);
  await query(P, span, 'SELECT price_rules', SQL.rules, size, () => pricingDb.run(between(30 * MS, 55 * MS)));
  await internal(P, span, 'computePrices', ['repricingJob.ts', 'computePrices'], { 'pricing.rule_count': size }, between(2 * MS, 7 * MS));
  await query(P, span, 'UPDATE price_rules', SQL.save, size, () => pricingDb.run(between(60 * MS, 120 * MS)));
  const send = open(P, 'send price-changes', { kind: SpanKind.PRODUCER, parent: span, code: ['priceEvents.ts', 'publishPriceChanges'], attrs: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': 'price-changes', 'messaging.batch.message_count': size, 'server.address': 'kafka-0.internal' } });
  await sleep(between(4 * MS, 14 * MS));
  send.end(hr(clock.now));
  release();
  span.end(hr(clock.now));
}

// payments-service
async function handleCreateCharge(server, _frames, amountCents) {
  server.setAttributes({ 'payments.amount_cents': amountCents, 'payments.currency': 'EUR' });
  await sleep(between(0.05 * MS, 0.2 * MS));
  const psp = open(PAY, 'POST', { kind: SpanKind.CLIENT, parent: server, code: ['pspClient.ts', 'authorizeWithPsp'], attrs: { 'http.request.method': 'POST', 'url.full': 'https://api.psp.example.net/v3/authorizations', 'server.address': 'api.psp.example.net', 'server.port': 443 } });
  await sleep(between(140 * MS, 380 * MS));
  psp.setAttribute('http.response.status_code', 200);
  psp.end(hr(clock.now));
  await sleep(between(0.02 * MS, 0.1 * MS));
  return { status: 201 };
}

// checkout-service
async function handleCheckout(server, frames, cart) {
  const t0 = clock.now;
  server.setAttributes({ 'checkout.order_ref': cart.orderRef, 'checkout.line_count': cart.skus.length });
  const step = (needle) => [frame(C, 'deadline.ts', 'Deadline.race', 'await Promise.race'), frame(C, 'checkoutHandler.ts', 'handleCheckout', needle), ...frames];
  const deadline = (work, name, needle) => race(work, t0 + BUDGET_MS * MS + between(0.3 * MS, 1.9 * MS) - clock.now, () =>
    error('DeadlineExceededError', `checkout deadline of ${BUDGET_MS}ms exceeded while waiting for ${name} (elapsed ${Math.floor((clock.now - t0) / MS)}ms)`,
      [frame(C, 'deadline.ts', 'Deadline.expire', 'new DeadlineExceededError', false), ...step(needle)]));
  try {
    await sleep(between(0.08 * MS, 0.3 * MS)); // parseBody, randomUUID
    const pricingNeedle = 'await deadline.race(pricing.getPrices';
    await deadline(getPrices(server, [frame(C, 'pricingClient.ts', 'PricingClient.getPrices', 'await requestJson'), ...step(pricingNeedle)], cart.skus), 'pricing', pricingNeedle);
    await sleep(between(0.02 * MS, 0.1 * MS)); // totalOf
    await deadline(query(C, server, 'UPDATE inventory', SQL.reserve, cart.skus.length, () => sleep(between(2 * MS, 7 * MS))), 'inventory', 'await deadline.race(reserveItems');
    await deadline(requestJson(server, 'POST', 'http://payments-service:8080/api/charges', { timeoutMs: 5000 }, [], (cs) =>
      serve(PAY, 'POST', '/api/charges', cs, ['chargeHandler.ts', 'handleCreateCharge'], (s, f) => handleCreateCharge(s, f, cart.totalCents))), 'payments', 'await deadline.race(chargeCard');
    await deadline(query(C, server, 'INSERT orders', SQL.order, 1, () => sleep(between(1.5 * MS, 5 * MS))), 'orders', 'await deadline.race(createOrder');
    server.setAttribute('checkout.total_cents', cart.totalCents);
    return { status: 201 };
  } catch (err) {
    if (err.name !== 'DeadlineExceededError') throw err;
    server.recordException(err, hr(clock.now));
    return { status: 504, error: err.message };
  }
}
async function getPrices(parent, frames, skus) {
  const url = `http://pricing-service:8080/api/prices?skus=${skus.join('%2C')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestJson(parent, 'GET', url, { timeoutMs: PRICING_TIMEOUT_MS, resendCount: attempt }, frames, (cs) =>
        serve(P, 'GET', '/api/prices', cs, ['pricesHandler.ts', 'handleGetPrices'], (s, f) => handleGetPrices(s, f, skus)));
    } catch (err) {
      const retryable = err.name === 'UpstreamTimeoutError' || (err.name === 'UpstreamHttpError' && err.status === 503);
      if (!retryable || attempt + 1 >= MAX_ATTEMPTS) throw err;
      await sleep(BACKOFF);
    }
  }
}
function checkout(n) {
  const lines = 1 + Math.floor(rand() * 3);
  const skus = Array.from({ length: lines }, () => `SKU-${100000 + Math.floor(rand() * CATALOG_SKUS)}`);
  const cart = { skus, totalCents: 990 + Math.floor(rand() * 40_000), orderRef: `ord_${(0x5f3a9c + n * 7919).toString(36)}` };
  return serve(C, 'POST', '/api/checkout', undefined, ['checkoutHandler.ts', 'handleCheckout'], (s, f) => handleCheckout(s, f, cart));
}

// ---- one run of the whole timeline ------------------------------------------------------------------
function arrivals() {
  const r = mulberry32(SEED + 1), list = [];
  for (const s of [341.2, 347.9, 353.4, 358.1]) list.push(Math.round(s * S + r() * 80 * MS)); // 03:11:41 … 03:11:58
  for (let t = EXPIRY_TARGET; t < EXPIRY_TARGET + 12 * S;) { t += Math.round(-Math.log(1 - r()) / RATE * S); list.push(t); }
  list.push(EXPIRY_TARGET + 17.4 * S, EXPIRY_TARGET + 21.9 * S);
  return list;
}
async function simulate({ jobStart, traffic, shortTraceOrdinals = new Set() }) {
  clock = new VirtualClock(); rand = mulberry32(SEED + 2);
  cache = undefined; pool = { open: 0, idle: 0, waiters: [] }; pricingDb = new SharedDatabase(clock, DB_CONTENTION);
  setupSdk(shortTraceOrdinals);
  const runs = [];
  at(jobStart, () => runs.push(runRepricingJob()));
  if (traffic) arrivals().forEach((t, n) => at(t, () => runs.push(checkout(n))));
  await clock.run();
  await Promise.all(runs);
  await Promise.all(Object.values(providers).map((p) => p.forceFlush()));
  return { spans: exporter.getFinishedSpans(), expiresAt: cache.expiresAt, traceIds: idGenerator.issuedTraceIds };
}

// ---- outputs -------------------------------------------------------------------------------------------
const serialize = (spans) => new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans));
mkdirSync(OUT, { recursive: true });
const jobOnly = await simulate({ jobStart: 54 * S, traffic: false });
const jobStart = 54 * S + (EXPIRY_TARGET - jobOnly.expiresAt); // shift the job so the cache expires at 03:12:00
const pass1 = await simulate({ jobStart, traffic: true });
// The Jaeger sample gets a trace ID whose high 64 bits are zero (as 64-bit B3 tracers issue them), so
// that file shows Jaeger's 16-hex-char rendering. IDs don't influence the simulation, so a second run
// with that one ID changed produces the same traces.
const slowOrdinal = pass1.traceIds.indexOf(pickTraces(pass1.spans, EXPIRY_TARGET).pricingSlow.id);
const picked = pickTraces((await simulate({ jobStart, traffic: true, shortTraceOrdinals: new Set([slowOrdinal]) })).spans, EXPIRY_TARGET);
if (!picked.pricingSlow.id.startsWith('0'.repeat(16))) throw new Error('the second run picked different traces');

const ms = (ns) => `${(ns / MS).toFixed(0)} ms`, hhmmss = (ns) => new Date(BASE_MS + ns / MS).toISOString().slice(11, 23);
const longest = (t, name) => Math.max(0, ...t.spans.filter((s) => s.name === name).map((s) => (s.endTime[0] - s.startTime[0]) * S + s.endTime[1] - s.startTime[1]));
const split = (t) => [t.spans.filter((s) => s.resource === t.root.resource), t.spans.filter((s) => s.resource !== t.root.resource)];
const outputs = [
  { file: 'checkout-stampede.json', format: 'OTLP/JSON (JsonTraceSerializer)', traces: [
    [picked.healthy, `healthy checkout at ${hhmmss(picked.healthy.start)}: catalog cache hit, ${ms(picked.healthy.duration)} end to end`],
    [picked.firstMiss, `first request after the cache expired (${hhmmss(picked.firstMiss.start)}): cache miss → fetchCatalog ${ms(longest(picked.firstMiss, 'fetchCatalog'))} (slow SELECT), pricing call times out, the retry misses again and waits on the DB pool, checkout deadline exceeded → 504 (exception on the root span)`],
    [picked.poolWait, `${hhmmss(picked.poolWait.start)}: checkout that succeeded (201) although its first pricing attempt waited ${ms(picked.poolWait.maxWait)} in db.pool.acquire, then ran the slow catalog query anyway`],
    [picked.poolTimeout, `${hhmmss(picked.poolTimeout.start)}: pricing attempt 1 gave up in db.pool.acquire (PoolTimeoutError → 503, after the client had already timed out); the retry hit the refilled cache → 201`],
    [picked.job, `the repricing job at ${hhmmss(picked.job.start)} (${picked.job.spans.length} spans): PriceCache.warm sets one expiry for the whole catalog → 03:12:00`],
  ] },
  { file: 'incident-0312.jsonl', format: 'OTLP JSON Lines (one TracesData per line; the second trace is split over lines 2–3 by service)', traces: [
    [picked.healthyLate, `last healthy checkout before the expiry (${hhmmss(picked.healthyLate.start)})`],
    [picked.recovery, `after the stampede (${hhmmss(picked.recovery.start)}): cache hit again, ${ms(picked.recovery.duration)}`],
  ] },
  { file: 'pricing-slow.jaeger.json', format: 'Jaeger UI JSON (OTLP → Jaeger mapping); 64-bit trace ID', traces: [
    [picked.pricingSlow, `pricing attempt 1 waited ${ms(picked.pricingSlow.maxWait)} for a DB connection, then ran the catalog query anyway: GET /api/prices took ${ms(picked.pricingSlow.pricingServer)}, long after the client's 2 s timeout; the retry hit the refreshed cache → 201`],
  ] },
  { file: 'zipkin-retry.trace.json', format: 'Zipkin v2 JSON, captured from @opentelemetry/exporter-zipkin', traces: [
    [picked.retry, 'pricing attempt 1 timed out after 2 s (UpstreamTimeoutError), the retry (http.request.resend_count=1) succeeded → 201'],
  ] },
];
const files = {
  'checkout-stampede.json': serialize(outputs[0].traces.flatMap(([t]) => t.spans)),
  'incident-0312.jsonl': [picked.healthyLate.spans, ...split(picked.recovery)].map(serialize).join('\n') + '\n',
  'pricing-slow.jaeger.json': JSON.stringify(toJaeger(JSON.parse(serialize(picked.pricingSlow.spans))), null, 2) + '\n',
  'zipkin-retry.trace.json': await captureZipkin(picked.retry.spans),
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(OUT, name), text);
const summary = checkFiles(OUT, Object.keys(files), { jobSpans: picked.job.spans.length });
updateReadmes(OUT, outputs, summary, picked.stats);
console.log(summary.text);
