#!/usr/bin/env node
// The payloads the contract servers (test/contract/servers.ts) serve, produced by the real OpenTelemetry JS SDK:
//
//   node scripts/gen-backend-payloads.mjs [--out test/fixtures/backends]
//
// Three traces of three services (checkout, pricing, payments): a slow checkout with a payment error and an
// exception event, a fast one with a wide fan-out, and a small one whose trace ID has 64 zero high bits (Jaeger then
// writes 16 hex chars). Seeded IDs and fixed times, so every run writes the same bytes.
//
// Written:
//   otlp.json       — the SDK's JsonTraceSerializer (OTLP/JSON: hex IDs, integer enums) — what Jaeger v3 serves
//   zipkin.json     — the body @opentelemetry/exporter-zipkin POSTs, captured on a loopback server — what Zipkin serves
//   jaeger-v1.json  — otlp.json mapped by the collector-contrib OTLP → Jaeger rules (span.kind / otel.status_code /
//                     error tags, events → logs with an `event` field, a process per service, 16-char IDs when the
//                     high half is zero): scripts/lib/demo-trace-lib.mjs toJaeger, the one the demo traces use
//   tempo.json      — otlp.json as Tempo's gogo jsonpb writes it: base64 IDs, enum names, int64 as strings, `batches`
// The contract servers derive the same shapes from OTLP at run time for generated traces (test/contract/convert.ts);
// a unit test checks that both derivations agree on these files.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { SeededIdGenerator, hrTime } from './gen-large-trace.mjs';
import { captureZipkin, toJaeger } from './lib/demo-trace-lib.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const out = args.includes('--out') ? path.resolve(args[args.indexOf('--out') + 1]) : path.join(root, 'test', 'fixtures', 'backends');

/** 2026-11-23 03:06:00 UTC, the demo incident's clock. */
const T0 = BigInt(Date.UTC(2026, 10, 23, 3, 6, 0)) * 1_000_000n;
const ms = (n) => BigInt(Math.round(n * 1e6));

const SERVICES = {
  checkout: { name: 'checkout-service', version: '2.31.0', root: '/srv/checkout-service/src' },
  pricing: { name: 'pricing-service', version: '4.18.2', root: '/srv/pricing-service/src' },
  payments: { name: 'payments-service', version: '1.9.4', root: '/opt/payments-service/src' },
};

const idGenerator = new SeededIdGenerator(7);
idGenerator.shortTraceOrdinals.add(0); // the first trace started (the cart) gets a 64-bit ID
const exporter = new InMemorySpanExporter();
// One provider per service (a resource each), sharing the seeded ID generator and one exporter.
const providers = Object.fromEntries(Object.entries(SERVICES).map(([key, svc]) => [key, new TracerProvider({
  resource: defaultResource().merge(resourceFromAttributes({ 'service.name': svc.name, 'service.version': svc.version, 'deployment.environment.name': 'production' })),
  idGenerator,
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
})]));
const tracers = Object.fromEntries(Object.entries(providers).map(([key, p]) => [key, p.getTracer(`${SERVICES[key].name}-instrumentation`, '1.0.0')]));

const code = (svc, file, fn, line) => ({ 'code.file.path': `${SERVICES[svc].root}/${file}`, 'code.line.number': line, 'code.column.number': 3, 'code.function.name': fn });

/**
 * A span and its children from a nested spec: { svc, name, kind, at, dur (ms offsets from the trace start), attrs,
 * error: {type, message, stack}, children, link }. Children start after their parent (the spec says when).
 */
function emit(spec, start, parentSpan, links) {
  const ctx = parentSpan ? trace.setSpan(ROOT_CONTEXT, parentSpan) : ROOT_CONTEXT;
  const span = tracers[spec.svc].startSpan(spec.name, { kind: spec.kind ?? SpanKind.INTERNAL, attributes: spec.attrs ?? {}, startTime: hrTime(start + ms(spec.at)), links: spec.link ? links : [] }, ctx);
  for (const child of spec.children ?? []) emit(child, start, span, links);
  const end = start + ms(spec.at + spec.dur);
  if (spec.error) {
    const err = new Error(spec.error.message);
    err.name = spec.error.type;
    err.stack = `${spec.error.type}: ${spec.error.message}\n${spec.error.stack}`;
    span.recordException(err, hrTime(end - 20_000n));
    span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error.message });
  }
  span.end(hrTime(end));
  return span;
}

const declined = {
  type: 'PaymentDeclinedError',
  message: 'card declined: insufficient funds (issuer 51)',
  stack: [
    '    at ChargeService.charge (/opt/payments-service/src/chargeService.ts:57:13)',
    '    at async PaymentsController.charge (/opt/payments-service/src/paymentsController.ts:31:20)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ].join('\n'),
};

/** Trace 1: a slow checkout (the catalog query under a cache miss) whose payment is declined. 12 spans. */
const slowCheckout = {
  svc: 'checkout', name: 'POST /api/checkout', kind: SpanKind.SERVER, at: 0, dur: 482.5,
  attrs: { 'http.request.method': 'POST', 'http.route': '/api/checkout', 'url.path': '/api/checkout', 'http.response.status_code': 502, ...code('checkout', 'routes/checkout.ts', 'checkoutRoute', 14) },
  error: undefined,
  children: [{
    svc: 'checkout', name: 'CheckoutHandler.handle', at: 0.4, dur: 481.2, attrs: code('checkout', 'checkoutHandler.ts', 'CheckoutHandler.handle', 42),
    children: [
      { svc: 'checkout', name: 'db.pool.acquire', at: 0.6, dur: 2.25, attrs: { 'db.client.connection.pool.name': 'checkout', 'db.client.connection.pool.waiting': 3, ...code('checkout', 'dbPool.ts', 'DbPool.acquire', 88) } },
      {
        svc: 'checkout', name: 'GET', kind: SpanKind.CLIENT, at: 3.1, dur: 401.7, attrs: { 'http.request.method': 'GET', 'server.address': 'pricing-service', 'url.full': 'http://pricing-service/api/prices?items=3', 'http.response.status_code': 200 },
        children: [{
          svc: 'pricing', name: 'GET /api/prices', kind: SpanKind.SERVER, at: 4.0, dur: 399.9, attrs: { 'http.request.method': 'GET', 'http.route': '/api/prices', 'http.response.status_code': 200 },
          children: [{
            svc: 'pricing', name: 'PriceCache.getCatalog', at: 4.5, dur: 398.6, attrs: { 'cache.hit': false, ...code('pricing', 'priceCache.ts', 'PriceCache.getCatalog', 61) },
            children: [{ svc: 'pricing', name: 'SELECT catalog_items', kind: SpanKind.CLIENT, at: 5.0, dur: 397.3, attrs: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT id, sku, price_cents FROM catalog_items WHERE active', 'db.response.returned_rows': 48211, ...code('pricing', 'catalogRepo.ts', 'CatalogRepo.loadAll', 23) } }],
          }],
        }],
      },
      {
        svc: 'checkout', name: 'POST', kind: SpanKind.CLIENT, at: 405.2, dur: 76.1, link: true, attrs: { 'http.request.method': 'POST', 'server.address': 'payments-service', 'http.response.status_code': 402 },
        error: { ...declined, stack: '    at PaymentsClient.charge (/srv/checkout-service/src/paymentsClient.ts:19:11)' },
        children: [{
          svc: 'payments', name: 'POST /api/charge', kind: SpanKind.SERVER, at: 406.0, dur: 74.2, attrs: { 'http.request.method': 'POST', 'http.route': '/api/charge', 'http.response.status_code': 402 },
          error: declined,
          children: [
            { svc: 'payments', name: 'ChargeService.charge', at: 406.5, dur: 73.0, attrs: code('payments', 'chargeService.ts', 'ChargeService.charge', 57), error: declined,
              children: [{ svc: 'payments', name: 'issuer.authorize', kind: SpanKind.CLIENT, at: 407.0, dur: 70.8, attrs: { 'rpc.system.name': 'grpc', 'rpc.method': 'issuer.v1.Issuer/Authorize', 'rpc.status_code': 'FAILED_PRECONDITION' } }] },
          ],
        }],
      },
      { svc: 'checkout', name: 'render.receipt', kind: SpanKind.INTERNAL, at: 481.4, dur: 0.15, attrs: code('checkout', 'receipt.ts', 'renderReceipt', 9) },
    ],
  }],
};

/** Trace 2: a healthy checkout fanning out to 12 price look-ups (cache hits). 40 spans. */
const fastCheckout = {
  svc: 'checkout', name: 'POST /api/checkout', kind: SpanKind.SERVER, at: 0, dur: 96.3,
  attrs: { 'http.request.method': 'POST', 'http.route': '/api/checkout', 'http.response.status_code': 201, ...code('checkout', 'routes/checkout.ts', 'checkoutRoute', 14) },
  children: Array.from({ length: 13 }, (_, i) => ({
    svc: 'checkout', name: 'GET', kind: SpanKind.CLIENT, at: 1 + i * 7, dur: 6.5, attrs: { 'http.request.method': 'GET', 'server.address': 'pricing-service', 'app.item.index': i },
    children: [{
      svc: 'pricing', name: 'GET /api/prices', kind: SpanKind.SERVER, at: 1.2 + i * 7, dur: 6.0, attrs: { 'http.route': '/api/prices' },
      children: [{ svc: 'pricing', name: 'PriceCache.getCatalog', at: 1.4 + i * 7, dur: 0.8, attrs: { 'cache.hit': true, ...code('pricing', 'priceCache.ts', 'PriceCache.getCatalog', 61) } }],
    }],
  })),
};

/** Trace 3: a cart read, 64-bit trace ID. 5 spans. */
const cart = {
  svc: 'checkout', name: 'GET /api/cart', kind: SpanKind.SERVER, at: 0, dur: 12.75, attrs: { 'http.request.method': 'GET', 'http.route': '/api/cart', 'http.response.status_code': 200 },
  children: [
    { svc: 'checkout', name: 'CartRepo.load', at: 0.5, dur: 4.25, attrs: code('checkout', 'cartRepo.ts', 'CartRepo.load', 30), children: [{ svc: 'checkout', name: 'SELECT carts', kind: SpanKind.CLIENT, at: 0.7, dur: 3.5, attrs: { 'db.system.name': 'postgresql' } }] },
    { svc: 'checkout', name: 'GET', kind: SpanKind.CLIENT, at: 5.0, dur: 7.0, attrs: { 'server.address': 'pricing-service' }, children: [{ svc: 'pricing', name: 'GET /api/prices', kind: SpanKind.SERVER, at: 5.3, dur: 6.4, attrs: { 'http.route': '/api/prices' } }] },
  ],
};

// Trace 1 links (FOLLOWS_FROM in Jaeger) to trace 3's root: emitted after trace 3 so the link has a real target.
const cartRoot = emit(cart, T0 + ms(90_000), undefined, []);
void cartRoot;
emit(fastCheckout, T0 + ms(30_000), undefined, []);
emit(slowCheckout, T0 + ms(60_000), undefined, [{ context: cartRoot.spanContext(), attributes: { 'link.reason': 'same cart' } }]);
await Promise.all(Object.values(providers).map((p) => p.forceFlush()));
const spans = exporter.getFinishedSpans();

const otlp = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)));
const zipkin = JSON.parse(await captureZipkin(spans));
const jaeger = toJaeger(otlp);
const tempo = toTempo(otlp);
await Promise.all(Object.values(providers).map((p) => p.shutdown()));

/** OTLP/JSON as Tempo writes it (gogo jsonpb on tempopb types): base64 IDs, enum names, 64-bit ints as strings. */
function toTempo(doc) {
  const b64 = (hex) => Buffer.from(hex, 'hex').toString('base64');
  const kinds = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
  const codes = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
  const value = (v) => ('intValue' in v ? { intValue: String(v.intValue) } : v.arrayValue ? { arrayValue: { values: v.arrayValue.values.map(value) } } : v);
  const attrs = (list) => (list ?? []).map((a) => ({ key: a.key, value: value(a.value) }));
  return {
    batches: doc.resourceSpans.map((rs) => ({
      resource: { attributes: attrs(rs.resource?.attributes) },
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: ss.scope ?? {},
        spans: ss.spans.map((s) => ({
          traceId: b64(s.traceId), spanId: b64(s.spanId), ...(s.parentSpanId ? { parentSpanId: b64(s.parentSpanId) } : {}),
          name: s.name, kind: kinds[s.kind] ?? 'SPAN_KIND_UNSPECIFIED',
          startTimeUnixNano: String(s.startTimeUnixNano), endTimeUnixNano: String(s.endTimeUnixNano),
          attributes: attrs(s.attributes),
          ...(s.events?.length ? { events: s.events.map((e) => ({ timeUnixNano: String(e.timeUnixNano), name: e.name, attributes: attrs(e.attributes) })) } : {}),
          ...(s.links?.length ? { links: s.links.map((l) => ({ traceId: b64(l.traceId), spanId: b64(l.spanId), attributes: attrs(l.attributes) })) } : {}),
          status: s.status?.code ? { ...(s.status.message ? { message: s.status.message } : {}), code: codes[s.status.code] } : {},
        })),
      })),
    })),
  };
}

mkdirSync(out, { recursive: true });
const write = (name, doc) => writeFileSync(path.join(out, name), `${JSON.stringify(doc)}\n`);
write('otlp.json', otlp);
write('zipkin.json', zipkin);
write('jaeger-v1.json', jaeger);
write('tempo.json', tempo);
const ids = [...new Set(spans.map((s) => s.spanContext().traceId))];
console.log(`${spans.length} spans in ${ids.length} traces (${ids.join(', ')}) → ${path.relative(root, out)}/{otlp,zipkin,jaeger-v1,tempo}.json`);
