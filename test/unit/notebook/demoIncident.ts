// The demo's incident (demo/.oncall/incidents/INC-2026-11-23-01.md), built the way the notebook builds it: newIncident,
// then the ops the team would have sent during the night, each at its own time, with reproducible random IDs. The
// story is the demo's (demo/README.md): the catalog cache of pricing-service expires at 03:12:00 under three times the
// usual night traffic, every miss runs the slow catalog query, the pricing DB pool saturates, checkout retries and
// hits its 3 s deadline.
import { newIncident } from '../../../src/core/notebook/incident';
import type { Incident } from '../../../src/core/notebook/model';
import type { NotebookOp } from '../../../src/core/notebook/ops';
import { applyOp } from '../../../src/core/notebook/ops';
import { entityIds, newEntityId, seededRandom } from '../../../src/core/notebook/ids';

export const DEMO_INCIDENT_FILE = 'demo/.oncall/incidents/INC-2026-11-23-01.md';

export function demoIncident(): Incident {
  let inc = newIncident(
    { title: 'Checkout 504s and p99 over 2 s at the APAC early-access opening', severity: 'SEV-2', commander: 'Sam Okafor', detectedBy: 'alert', alert: 'CheckoutLatencyHigh', started: '2026-11-23T03:12:00Z', detected: '2026-11-23T03:13:05Z', services: ['checkout-service'] },
    [],
  );
  const random = seededRandom(20261123);
  const ids: Record<string, string> = {};
  /** Applies `op` at `now` (HH:MM:SS on the night of the incident); `name` remembers the new item's ID. */
  const at = (now: string, op: NotebookOp, name?: string): void => {
    const used = entityIds(inc);
    const r = applyOp(inc, op, { now: `2026-11-23T${now}Z`, newId: (p) => newEntityId(p, (x) => used.has(x), random) });
    if (!r.ok) throw new Error(`demo incident: ${op.op} at ${now}: ${r.error}`);
    inc = r.incident;
    if (name !== undefined && r.id !== undefined) ids[name] = r.id;
  };
  const id = (name: string): string => ids[name] ?? '';

  at('03:13:40', { op: 'setServices', services: ['checkout-service', 'pricing-service'] });
  at('03:14:10', { op: 'addTimeline', kind: 'deploy', at: '2026-11-23T03:00:00Z', text: 'Flag checkout.bf-early-access=apac opens Black Friday early access for APAC (about 3x the usual night-time checkouts)', link: { kind: 'deploy', service: 'checkout-service', version: 'checkout.bf-early-access=apac' } });
  at('03:14:30', {
    op: 'addObservation', at: '2026-11-23T03:12:00Z', source: 'trace of the first 504',
    text: 'First failed checkout: 504 after the 3 s deadline. Under it, `GET /api/prices` missed the catalog cache (`cache.hit=false`) and `fetchCatalog` ran 3,139 ms; the retry missed again and waited on the DB pool.',
    link: { kind: 'trace', traceId: '9cf35a0a068b7724b80691ede72e69f5', source: 'traces/checkout-stampede.json' },
  }, 'first504');
  at('03:15:20', {
    op: 'addObservation', at: '2026-11-23T03:13:30Z', source: 'Grafana',
    text: 'p99 of `POST /api/checkout` peaked at 3.0 s. Between 03:11:41 and 03:12:21, 12 of 184 checkouts answered 504; from 03:12:22 checkouts are fast again (170 ms).',
    link: { kind: 'url', url: 'https://grafana.example.com/d/checkout-red/checkout-service' },
  });
  at('03:16:00', { op: 'setMeta', field: 'phase', value: 'mitigate' });
  at('03:16:30', {
    op: 'addHypothesis',
    statement: 'The catalog cache entry of pricing-service expired for every request at once, and each miss ran the slow catalog query (a cache stampede)',
    prediction: 'The slow pricing calls in the first seconds after 03:12:00 are cache hits, or their misses do not start together when the entry expired.',
    test: 'Open the first slow checkouts after 03:12:00: `cache.hit` on `PriceCache.getCatalog`, how many `fetchCatalog` spans run at the same time, and when the entry was written (the repricing job?).',
    probability: 60, shape: 'cache-stampede',
  }, 'h1');
  at('03:17:10', {
    op: 'addHypothesis',
    statement: 'Card authorization is slow since the 3-D Secure 2 rollout (psp.3ds2-frictionless at 25 %) and pushes checkouts past the 3 s deadline',
    prediction: 'The failed checkouts spend little time in `POST /api/charges`; their time goes elsewhere.',
    test: 'In three 504 traces, compare the duration of the payments call with the pricing call.',
    probability: 20,
  }, 'h2');
  at('03:18:00', { op: 'setHypothesisStatus', id: id('h2'), status: 'testing' });
  at('03:19:45', { op: 'addEvidence', hypothesis: id('h2'), bearing: 'refutes', text: 'The 504 at 03:12:00 never reached payments: the deadline expired while waiting for pricing.', link: { kind: 'trace', traceId: '9cf35a0a068b7724b80691ede72e69f5', source: 'traces/checkout-stampede.json' } });
  at('03:20:30', { op: 'addEvidence', hypothesis: id('h2'), bearing: 'refutes', text: 'Checkouts that succeeded spent under 300 ms in `POST /api/charges`; 2 s of their 2.5 s went to the first `GET /api/prices`, which timed out.', link: { kind: 'trace', traceId: 'a77f7d7c93378ee801c4985086c872a4', source: 'traces/checkout-stampede.json' } });
  at('03:21:00', { op: 'setHypothesisStatus', id: id('h2'), status: 'falsified', verdict: 'Payments is not on the slow path: every slow checkout waits for pricing, and charges stay under 300 ms.' });
  at('03:21:30', { op: 'setHypothesisStatus', id: id('h1'), status: 'testing' });
  at('03:22:10', {
    op: 'addObservation', at: '2026-11-23T03:12:01Z', source: 'pricing traces',
    text: 'pricing-db pool (max 8): 41 `db.pool.acquire` calls timed out and up to 48 requests waited for a connection; requests that finally got one ran the catalog query again although the cache had been refilled.',
    link: { kind: 'trace', traceId: 'a77f7d7c93378ee801c4985086c872a4', source: 'traces/checkout-stampede.json' },
  });
  at('03:23:00', { op: 'addEvidence', hypothesis: id('h1'), bearing: 'supports', text: '16 checkouts ran the catalog query in the 40 s after 03:12:00 (once would have been enough); every one started with `cache.hit=false`.', link: { kind: 'trace', traceId: '9cf35a0a068b7724b80691ede72e69f5', source: 'traces/checkout-stampede.json' } });
  at('03:24:20', {
    op: 'addObservation', at: '2026-11-23T03:06:53Z', source: 'repricing-job trace',
    text: 'The repricing job ran at 03:06:53 and ended with `PriceCache.warm`, which gives the whole catalog one expiry: now + 5 min = `03:12:00.000` (`cache.expires_at`).',
    link: { kind: 'span', traceId: 'a03fa695bd56241530d3bae756e912ea', spanId: 'c190a92b02190ee0', source: 'traces/checkout-stampede.json' },
  }, 'warm');
  at('03:24:40', { op: 'addEvidence', hypothesis: id('h1'), bearing: 'supports', text: 'The entry expired at exactly 03:12:00.000, the moment of the first miss: one TTL after `PriceCache.warm`.', link: { kind: 'trace', traceId: 'a03fa695bd56241530d3bae756e912ea', source: 'traces/checkout-stampede.json' } });
  at('03:25:30', { op: 'addEvidence', hypothesis: id('h1'), bearing: 'supports', text: '`getCatalog` has no single-flight, no stale-while-revalidate and no TTL jitter: every concurrent miss calls `fetchCatalog` itself.', link: { kind: 'file', path: 'services/pricing-service/src/priceCache.ts', line: 26, endLine: 43 } });
  at('03:26:00', {
    op: 'setHypothesisStatus', id: id('h1'), status: 'confirmed',
    verdict: 'Confirmed by the traces: the catalog entry written by the repricing job at 03:06:53 expired at 03:12:00.000 while about 14 checkouts per second arrived; 16 concurrent misses each ran the 1.4 s catalog query, the pool of 8 connections filled up, and checkouts ran out of their 3 s budget.\n\nThe promotion import of 2026-11-22 (8,412 more rows in the join) made the query slower, and the APAC early access tripled the traffic: both made the stampede bigger, neither started it.',
  });
  at('03:26:30', {
    op: 'addHypothesis',
    statement: "Checkout's one retry on a pricing timeout doubled the load on the saturated pricing DB and made the stampede last longer",
    prediction: 'Requests into pricing-service during the stampede are about one per checkout, and the retries found the cache already refilled.',
    test: 'Count `GET /api/prices` attempts per checkout between 03:12:00 and 03:12:21 (`http.request.resend_count`), and how many retries reached `fetchCatalog`.',
    probability: 50, shape: 'retry-storm',
  }, 'h3');
  at('03:27:10', { op: 'addEvidence', hypothesis: id('h3'), bearing: 'supports', text: '45 of 184 checkouts needed a pricing retry. Here attempt 1 timed out after 2 s and the retry (`http.request.resend_count=1`) went into the saturated pricing-service, while attempt 1 kept its DB connection busy.', link: { kind: 'trace', traceId: '9853d7ac0ed03947704a9af87340355f', source: 'traces/zipkin-retry.trace.json' } });
  at('03:27:40', { op: 'addEvidence', hypothesis: id('h3'), bearing: 'neutral', text: 'Some retries hit the refilled cache and succeeded in 40 ms: the retry helped those checkouts.', link: { kind: 'trace', traceId: '91c47c899e66c3b1a0072b85b9270fb0', source: 'traces/checkout-stampede.json' } });
  at('03:28:00', { op: 'addAction', kind: 'mitigation', what: 'Pause the repricing job (its warm-up sets one expiry for the whole catalog) until the cache is fixed', who: 'Marta Nowak', status: 'doing' }, 'pause');
  at('03:29:30', { op: 'addAction', kind: 'mitigation', what: 'Set PRICING_MAX_ATTEMPTS=1 on checkout-service: no retries into a saturated pricing DB', who: 'Sam Okafor', status: 'doing', link: { kind: 'file', path: 'services/checkout-service/src/pricingClient.ts', line: 13, endLine: 14 } }, 'attempts');
  at('03:31:00', { op: 'editAction', id: id('pause'), status: 'done' });
  at('03:31:40', { op: 'editAction', id: id('attempts'), status: 'done' });
  at('03:31:40', { op: 'setMeta', field: 'status', value: 'mitigated' });
  at('03:32:00', { op: 'addAction', kind: 'diagnosis', what: 'Count catalog loads per cache expiry in the pricing traces of the last 7 days: how often did this almost happen?', who: 'Marta Nowak', status: 'doing' });
  at('03:32:30', { op: 'addAction', kind: 'diagnosis', what: 'Test H3: pricing attempts per checkout during the stampede', who: 'Sam Okafor' });
  at('03:33:00', { op: 'setMeta', field: 'phase', value: 'fix' });
  at('03:34:00', { op: 'addAction', kind: 'fix', what: 'Single-flight plus stale-while-revalidate in PriceCache.getCatalog', who: 'Marta Nowak', link: { kind: 'file', path: 'services/pricing-service/src/priceCache.ts', line: 26 } });
  at('03:34:20', { op: 'addAction', kind: 'fix', what: 'Jitter the catalog TTL; re-check the cache after acquiring a DB connection', who: 'Marta Nowak' });
  at('03:34:40', { op: 'addAction', kind: 'fix', what: 'Index on price_rules (sku, valid_from) for the catalog query', link: { kind: 'file', path: 'services/pricing-service/src/catalogRepo.ts', line: 17, endLine: 21 } });
  at('03:35:00', { op: 'addAction', kind: 'fix', what: 'Deadline.race cancels the losing work instead of leaving it running', who: 'Sam Okafor', link: { kind: 'file', path: 'services/checkout-service/src/deadline.ts', line: 24, endLine: 26 } });
  at('03:35:30', { op: 'addTimeline', kind: 'note', text: 'Paged Marta Nowak (pricing) for the fix work; storefront keeps the incident', at: '2026-11-23T03:19:00Z' });
  at('03:36:00', {
    op: 'setMeta', field: 'summary',
    value: 'At 03:12:00 UTC the catalog cache entry of pricing-service expired for all requests at once, one TTL after the repricing job had warmed it. Every checkout that missed ran the slow catalog query itself, the pricing DB pool saturated, and checkout — retrying once — ran out of its 3 s budget: 12 checkouts failed with 504 and p99 reached 3.0 s.\n\nThe stampede ended by itself after about 20 s when the first query refilled the cache. Pausing the repricing job and turning off the pricing retry keep it from recurring until `PriceCache` has single-flight.',
  });
  at('03:36:30', {
    op: 'setMeta', field: 'impact',
    value: '- 12 of 184 checkouts between 03:11:41 and 03:12:21 UTC failed with 504 ("checkout took too long, please try again"); customers in APAC early access, most of whom retried.\n- p99 of `POST /api/checkout` at 3.0 s for about one minute (SLO: p99 < 2 s).\n- No order was charged without being created: payments was never reached by the failed requests.',
  });
  return inc;
}
