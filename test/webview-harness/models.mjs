// Waterfall models for the preview harness: a realistic ~40-row checkout trace (with hostile strings) and a
// generated 10,000-row trace. They follow src/shared/protocol/waterfall.ts (WaterfallModel) and derive every
// computed field (depth, descendants, self time, critical path, slowest row) the way the host is expected to.

const ms = (v) => Math.round(v * 1000); // ms → µs

/** Deterministic 16-hex span IDs. */
function idMaker(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    let s = '';
    for (let i = 0; i < 2; i++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      s += x.toString(16).padStart(8, '0');
    }
    return s;
  };
}

/** Union length of intervals clipped to [lo, hi). */
function covered(intervals, lo, hi) {
  const xs = intervals.map(([a, b]) => [Math.max(lo, a), Math.min(hi, b)]).filter(([a, b]) => b > a).sort((p, q) => p[0] - q[0]);
  let total = 0, end = -Infinity;
  for (const [a, b] of xs) {
    if (a > end) { total += b - a; end = b; } else if (b > end) { total += b - end; end = b; }
  }
  return total;
}

/** Critical path of `node` up to `until`: segments pushed onto node.critical (and children). */
function criticalPath(node, until) {
  let cursor = Math.min(node.end, until);
  const kids = [...node.children].sort((a, b) => b.end - a.end);
  for (const child of kids) {
    if (child.start >= cursor || cursor <= node.start) continue;
    const childEnd = Math.min(child.end, cursor);
    if (childEnd < cursor) node.critical.push([childEnd, cursor]);
    criticalPath(child, childEnd);
    cursor = Math.max(node.start, child.start);
  }
  if (cursor > node.start) node.critical.push([node.start, cursor]);
  node.critical.sort((a, b) => a[0] - b[0]);
}

/**
 * Builds a WaterfallModel from nested span specs: { name, service, kind, start, end (µs), error, status,
 * attributes, events, links, code, children, missingParent }.
 */
/**
 * Splits a harness model (rows with attributes, events, code, resourceIndex) into what the host sends: lean rows
 * in `model`, and per-row `details` the fake host answers `span/details` with. A real WaterfallView passes through.
 */
export function toView(full) {
  if (full && full.model && full.details) return full;
  const details = full.rows.map((r) => ({
    attributes: r.attributes ?? [],
    resource: full.resources?.[r.resourceIndex] ?? [],
    ...(r.scope ? { scope: r.scope } : {}),
    events: r.events ?? [],
    links: r.links ?? [],
    ...(r.code ? { code: r.code } : {}),
  }));
  const rows = full.rows.map(({ attributes: _a, resourceIndex: _r, scope: _s, events: _e, links: _l, code, ...r }) => ({ ...r, hasCode: Boolean(code) }));
  const { resources: _res, ...model } = full;
  return { model: { ...model, rows }, details };
}

export function buildModel({ traceId, startIso, source, roots, warnings = [], title, seed = 7 }) {
  const nextId = idMaker(seed);
  const services = [];
  const serviceIndex = (s) => {
    let i = services.indexOf(s);
    if (i < 0) { i = services.length; services.push(s); }
    return i;
  };
  const prep = (spec) => {
    const node = { ...spec, start: spec.start, end: spec.end, critical: [], children: (spec.children ?? []).map(prep) };
    node.children.sort((a, b) => a.start - b.start);
    return node;
  };
  const tops = roots.map(prep);
  const realRoot = tops.find((t) => !t.missingParent);
  if (realRoot) criticalPath(realRoot, Infinity);
  const t0 = Math.min(...tops.map((t) => t.start));
  const tEnd = Math.max(...tops.map((t) => t.end));

  const rows = [];
  const resources = [];
  const resourceKeys = new Map();
  const resourceIndex = (pairs) => {
    const key = JSON.stringify(pairs);
    if (!resourceKeys.has(key)) resourceKeys.set(key, resources.push(pairs) - 1);
    return resourceKeys.get(key);
  };
  const walk = (node, parent, depth) => {
    const index = rows.length;
    const row = {
      id: node.missingParent ? `missing:${node.parentId}` : node.id ?? nextId(),
      parent,
      depth,
      name: node.name,
      service: node.service ?? '',
      serviceIndex: node.missingParent ? 0 : serviceIndex(node.service),
      kind: node.kind ?? 'internal',
      startUs: node.start - t0,
      durationUs: node.end - node.start,
      selfUs: node.end - node.start - covered(node.children.map((c) => [c.start, c.end]), node.start, node.end),
      descendants: 0,
      error: node.error === true,
      ...(node.status ? { statusMessage: node.status } : {}),
      ...(node.missingParent ? { missingParent: true } : {}),
      critical: node.critical.map(([a, b]) => [a - t0, b - t0]),
      attributes: node.attributes ?? [],
      resourceIndex: node.missingParent ? -1 : resourceIndex(node.resource ?? [['service.name', node.service], ['telemetry.sdk.language', 'nodejs'], ['host.name', 'ip-10-0-3-17']]),
      status: node.missingParent ? '' : node.error ? 'error' : 'unset',
      ...(node.missingParent ? {} : { scope: node.scope ?? '@opentelemetry/instrumentation-http 0.52.1' }),
      events: (node.events ?? []).map((e) => ({ ...e, offsetUs: e.at - t0 })).map(({ at: _at, ...e }) => e),
      links: node.links ?? [],
      ...(node.code ? { code: node.code } : {}),
    };
    rows.push(row);
    for (const child of node.children) walk(child, node.missingParent ? index : index, depth + 1);
    row.descendants = rows.length - index - 1;
  };
  for (const t of tops) walk(t, -1, 0);

  let slowestRow = -1;
  rows.forEach((r, i) => {
    if (!r.missingParent && (slowestRow < 0 || r.selfUs > rows[slowestRow].selfUs)) slowestRow = i;
  });
  const criticalRows = rows.map((r, i) => [r, i]).filter(([r]) => r.critical.length > 0).sort((a, b) => a[0].critical[0][0] - b[0].critical[0][0]).map(([, i]) => i);
  return {
    traceId,
    title: title ?? realRoot?.name ?? rows[0]?.name ?? '',
    startIso,
    durationUs: tEnd - t0,
    services,
    spanCount: rows.filter((r) => !r.missingParent).length,
    errorCount: rows.filter((r) => r.error).length,
    slowestRow,
    criticalRows,
    rows,
    resources,
    warnings,
    source,
  };
}

const T0 = 1_714_533_165_123_456; // 2024-05-01T03:12:45.123456Z in µs

const span = (name, service, kind, startMs, endMs, extra = {}) => ({ name, service, kind, start: T0 + ms(startMs), end: T0 + ms(endMs), ...extra });

const http = (method, route, status) => [['http.request.method', method], ['http.route', route], ['http.response.status_code', String(status)], ['network.peer.address', '10.0.4.21']];
const db = (stmt) => [['db.system', 'postgresql'], ['db.namespace', 'pricing'], ['db.query.text', stmt], ['server.address', 'pricing-db.internal'], ['server.port', '5432']];
const pool = (waiting) => [['db.client.connection.pool.name', 'pricing-pg'], ['pool.size', '10'], ['pool.in_use', '10'], ['pool.waiting', String(waiting)]];

export function demoModel() {
  const exceptionStack = [
    { text: 'PaymentTimeoutError: gateway did not answer within 120 ms' },
    { text: '    at PaymentClient.charge (/srv/checkout/src/payments/client.ts:88:13)', frame: { path: '/srv/checkout/src/payments/client.ts', line: 88, column: 13 } },
    { text: '    at async CheckoutService.chargeCard (/srv/checkout/src/checkout/service.ts:142:7)', frame: { path: '/srv/checkout/src/checkout/service.ts', line: 142, column: 7 } },
    { text: '    at async CheckoutController.post (/srv/checkout/src/http/checkout.ts:51:20)', frame: { path: '/srv/checkout/src/http/checkout.ts', line: 51, column: 20 } },
    { text: '    at async /srv/checkout/node_modules/express/lib/router/layer.js:95:5' },
  ];
  const rules = ['loyalty-tier', 'bulk-discount', 'coupon:SPRING24', 'regional-tax', 'shipping-threshold', 'bundle-match'];
  const roots = [
    span('POST /api/checkout', 'checkout-service', 'server', 0, 1842, {
      id: '1a2b3c4d5e6f7081',
      attributes: [...http('POST', '/api/checkout', 500), ['user.id', 'u_48213'], ['cart.items', '14'], ['http.user_agent', 'Mozilla/5.0 <script>alert(1)</script>']],
      code: { function: 'CheckoutController.post', path: '/srv/checkout/src/http/checkout.ts', line: 37 },
      error: true,
      status: 'payment failed: PaymentTimeoutError',
      children: [
        span('authenticate', 'checkout-service', 'internal', 1.2, 14.8, {
          code: { function: 'authMiddleware', path: '/srv/checkout/src/http/auth.ts', line: 22 },
          children: [span('jwt.verify', 'checkout-service', 'internal', 1.3, 1.9), span('GET /v1/introspect', 'auth-service', 'server', 2.1, 13.9, { attributes: http('GET', '/v1/introspect', 200), children: [span('redis GET session:*', 'auth-service', 'client', 3.0, 4.1, { attributes: [['db.system', 'redis'], ['db.operation.name', 'GET']] })] })],
        }),
        span('loadUserProfile', 'checkout-service', 'client', 15.0, 40.2, {
          children: [span('GET /users/:id', 'user-service', 'server', 16.4, 39.1, { attributes: http('GET', '/users/:id', 200) })],
        }),
        span('loadCart', 'checkout-service', 'internal', 15.2, 48.7, {
          code: { function: 'CartRepository.load', path: '/srv/checkout/src/cart/repository.ts', line: 64 },
          children: [
            span('redis GET cart:u_48213', 'checkout-service', 'client', 15.9, 17.4, { attributes: [['db.system', 'redis'], ['db.operation.name', 'GET'], ['cache.hit', 'false']] }),
            span('SELECT cart_items', 'checkout-service', 'client', 18.0, 46.9, { attributes: [['db.system', 'postgresql'], ['db.query.text', 'SELECT * FROM cart_items WHERE cart_id = $1'], ['db.response.returned_rows', '14']] }),
          ],
        }),
        span('POST /pricing/quote', 'checkout-service', 'client', 50.3, 1561.2, {
          attributes: [...http('POST', '/pricing/quote', 200), ['server.address', 'pricing-service.internal']],
          children: [
            span('POST /pricing/quote', 'pricing-service', 'server', 54.8, 1556.9, {
              attributes: http('POST', '/pricing/quote', 200),
              code: { function: 'QuoteHandler.handle', path: '/srv/pricing/src/quote/handler.ts', line: 19 },
              children: [
                span('pool.acquire', 'pricing-service', 'internal', 55.6, 381.4, { attributes: pool(37), events: [{ name: 'pool.exhausted', at: T0 + ms(55.7), attributes: [['pool.waiting', '37'], ['pool.in_use', '10']] }] }),
                span('fetchCatalog', 'pricing-service', 'internal', 382.0, 1479.6, {
                  attributes: [['catalog.region', 'eu-west-1'], ['catalog.items', '48213'], ['catalog.cache', 'miss'], ['catalog.payload_bytes', '18734112']],
                  code: { function: 'CatalogClient.fetchCatalog', path: '/srv/pricing/src/catalog/client.ts', line: 112, column: 5 },
                  events: [{ name: 'cache.miss', at: T0 + ms(382.4), attributes: [['cache.key', 'catalog:eu-west-1:v42']] }, { name: 'deserialize.start', at: T0 + ms(903.2), attributes: [['bytes', '18734112']] }],
                  children: [
                    span('pool.acquire', 'pricing-service', 'internal', 382.6, 688.9, { attributes: pool(36) }),
                    span('SELECT * FROM catalog', 'pricing-service', 'client', 689.5, 902.8, { attributes: db('SELECT * FROM catalog WHERE region = $1 AND active') }),
                  ],
                }),
                span('applyDiscounts', 'pricing-service', 'internal', 1480.1, 1551.3, {
                  code: { function: 'applyDiscounts', path: '/srv/pricing/src/quote/discounts.ts', line: 8 },
                  children: rules.map((r, i) => span(`evaluateRule ${r}`, 'pricing-service', 'internal', 1481 + i * 11.5, 1481 + i * 11.5 + 9.8, { attributes: [['rule.id', r], ['rule.matched', String(i % 2 === 0)]] })),
                }),
              ],
            }),
          ],
        }),
        span('reserveInventory', 'checkout-service', 'client', 1562.0, 1699.4, {
          children: [span('POST /inventory/reserve', 'inventory-service', 'server', 1564.7, 1697.0, {
            attributes: http('POST', '/inventory/reserve', 200),
            children: [
              span('SELECT stock FOR UPDATE', 'inventory-service', 'client', 1566.0, 1598.2, { attributes: [['db.system', 'postgresql'], ['db.query.text', 'SELECT qty FROM stock WHERE sku = ANY($1) FOR UPDATE']] }),
              span('UPDATE stock', 'inventory-service', 'client', 1599.0, 1690.5, { attributes: [['db.system', 'postgresql'], ['db.query.text', 'UPDATE stock SET qty = qty - $2 WHERE sku = $1'], ['db.response.affected_rows', '14']] }),
            ],
          })],
        }),
        span('computeShipping', 'checkout-service', 'client', 1562.4, 1641.0, {
          children: [
            span('GET /rates', 'shipping-service', 'server', 1564.0, 1633.2, { attributes: http('GET', '/rates', 200) }),
            span('cache.set rates:*', 'shipping-service', 'client', 1633.5, 1638.9, { attributes: [['db.system', 'redis']] }),
          ],
        }),
        span('chargeCard', 'checkout-service', 'client', 1700.1, 1828.6, {
          error: true,
          status: 'PaymentTimeoutError: gateway did not answer within 120 ms',
          code: { function: 'CheckoutService.chargeCard', path: '/srv/checkout/src/checkout/service.ts', line: 131 },
          attributes: [...http('POST', '/v1/charges', 504), ['payment.provider', 'acme-pay'], ['retry.count', '2']],
          events: [
            { name: 'retry', at: T0 + ms(1741.0), attributes: [['attempt', '1']] },
            { name: 'exception', at: T0 + ms(1828.1), attributes: [['exception.type', 'PaymentTimeoutError'], ['exception.message', 'gateway did not answer within 120 ms'], ['exception.stacktrace', exceptionStack.map((l) => l.text).join('\n')], ['exception.escaped', 'true']], exception: { type: 'PaymentTimeoutError', message: 'gateway did not answer within 120 ms', stack: exceptionStack } },
          ],
          children: [span('POST /v1/charges', 'payment-gateway', 'server', 1703.3, 1826.0, { attributes: http('POST', '/v1/charges', 504) })],
        }),
        span('<img src=x onerror="window.__xss=1">', 'checkout-service', 'internal', 1829.0, 1837.5, {
          attributes: [['note', '<script>window.__xss=2</script>'], ['html', '<b onmouseover="window.__xss=3">bold</b>'], ['multi.line', 'first line\nsecond line\n  indented third']],
          events: [{ name: '<svg onload="window.__xss=4">', at: T0 + ms(1830), attributes: [['x', '<iframe src="javascript:window.__xss=5">']] }],
          links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: [['link.reason', 'retry of <script>alert(1)</script>']] }],
        }),
        span('audit.write', 'checkout-service', 'producer', 1838.0, 1840.9, { attributes: [['messaging.system', 'kafka'], ['messaging.destination.name', 'audit-events']] }),
      ],
    }),
    {
      name: 'missing parent 7f3a9c1e5b2d4f60',
      missingParent: true,
      parentId: '7f3a9c1e5b2d4f60',
      start: T0 + ms(1845.0),
      end: T0 + ms(1985.0),
      children: [
        span('kafka.consume order-events', 'notification-service', 'consumer', 1845.0, 1985.0, {
          attributes: [['messaging.system', 'kafka'], ['messaging.destination.name', 'order-events'], ['messaging.kafka.offset', '883712']],
          links: [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '1a2b3c4d5e6f7081', attributes: [] }],
          children: [
            span('renderEmail', 'notification-service', 'internal', 1847.2, 1902.6),
            span('smtp.send', 'notification-service', 'client', 1903.0, 1983.8, { attributes: [['server.address', 'smtp.internal'], ['smtp.recipients', '1']] }),
          ],
        }),
      ],
    },
  ];
  return buildModel({
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    startIso: '2024-05-01T03:12:45.123456Z',
    source: 'traces/checkout-stampede.json (OTLP/JSON)',
    roots,
    warnings: [
      '3 spans have a missing parent (7f3a9c1e5b2d4f60): shown under "missing parent".',
      'Skipped 1 span with an invalid end time: <script>alert(1)</script>',
    ],
  });
}

/** A generated trace of `count` rows: a wide, fairly deep tree over 14 services with ~1% errors. */
export function bigModel(count = 10_000) {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const services = Array.from({ length: 14 }, (_, i) => `svc-${String.fromCharCode(97 + i)}${i % 3 === 0 ? '-api' : i % 3 === 1 ? '-worker' : '-db'}`);
  const ops = ['GET /items/:id', 'SELECT items', 'cache.get', 'publish event', 'render', 'validate', 'resolve', 'grpc Lookup', 'fetch', 'compute'];
  let made = 1;
  const root = span('GET /api/bulk-report', services[0], 'server', 0, 60_000, { children: [] });
  const queue = [[root, 0]];
  while (made < count && queue.length) {
    const [parent, depth] = queue.shift();
    const dur = parent.end - parent.start;
    const n = Math.min(count - made, depth === 0 ? 40 : 2 + Math.floor(rand() * 6));
    for (let i = 0; i < n; i++) {
      const s = parent.start + dur * (i / n) + rand() * dur * 0.05;
      const e = Math.min(parent.end, s + dur * (0.3 + rand() * 0.7) / n);
      const svc = services[Math.floor(rand() * services.length)];
      const child = { name: `${ops[Math.floor(rand() * ops.length)]} #${made}`, service: svc, kind: rand() < 0.5 ? 'client' : 'internal', start: Math.round(s), end: Math.round(e), error: rand() < 0.01, children: [], attributes: [['item.id', String(made)]] };
      parent.children.push(child);
      made++;
      if (depth < 14) queue.push([child, depth + 1]);
    }
  }
  return buildModel({ traceId: 'f00dfeedbeefcafe0123456789abcdef', startIso: '2024-05-01T03:30:00Z', source: 'generated: 10,000 spans (harness)', roots: [root], warnings: [] });
}
