// The hypothesis notebook panel in the preview harness: bundles webview/notebook/main.ts (as esbuild.js does) and
// serves pages with the CSP of the real host page (src/platform/webviewHtml.ts) and a fake host
// (fake-vscode-notebook.js). preview.mjs runs the checks (notebook-checks.mjs) in the same Chromium; `--serve`
// prints the URLs.
//
// Models (the `state` messages the fake host sends): `empty` (no incident, three others to switch to), `demo` (a
// checkout latency incident: 3 hypotheses confirmed/falsified/open, observations, actions of all three kinds, 16
// timeline entries with and without links), `hostile` (script tags, <img onerror>, javascript: text, 10k-character
// strings, right-to-left text, 500 timeline entries, a conflict) and `fresh` (a just-started incident, empty lists).
import { join } from 'node:path';
import { buildWebview, root, serveWebview } from './site.mjs';

const siteDir = join(root, 'test-results', 'harness', 'site-notebook');

// ---------- Models ----------

export const SHAPES = [
  {
    id: 'pool-exhaustion',
    name: 'Connection-pool exhaustion',
    symptom: 'Latency climbs while CPU stays flat; p50 barely moves but p99 explodes; spans wait before the query, not in it.',
    lookFirst: ['Pool wait metrics (db_pool_wait_total, active vs max connections)', 'The slowest trace: time in pool.acquire vs db.query', 'Config changes to pool sizes in the last deploys'],
    statement: 'Requests wait for a free database connection: the pool is too small for the current load.',
    prediction: 'If wrong, pool waits stay flat and the slow spans spend their time inside the query, not before it.',
    test: 'Compare pool wait and active-connection metrics before and after the start; read the critical path of the slowest trace.',
  },
  {
    id: 'retry-storm',
    name: 'Retry storm',
    symptom: 'Request rate rises without more users; the same idempotency keys repeat; errors feed more load.',
    lookFirst: ['Requests per user or per idempotency key', 'Client retry and backoff settings', 'Upstream error rate vs downstream request rate'],
    statement: 'Clients retry failed requests without backoff and multiply the load.',
    prediction: 'If wrong, requests per user stay at the baseline and no key repeats more than the retry budget allows.',
    test: 'Count requests per idempotency key over the last hour in the access logs.',
  },
  {
    id: 'bad-deploy',
    name: 'Bad deploy or config change',
    symptom: 'The first bad minute is within minutes of a deploy, flag flip or config push; one version misbehaves.',
    lookFirst: ['Deploys and config changes just before the start', 'Errors and latency by version or pod', 'The diff of the suspect change'],
    statement: 'The change deployed just before the start causes the failure.',
    prediction: 'If wrong, the old version misbehaves as much as the new one, or the trouble started before the deploy.',
    test: 'Split errors and latency by version; roll back one canary and compare.',
  },
  {
    id: 'cache-stampede',
    name: 'Cache stampede',
    symptom: 'A hot key expires or the cache restarts; the backing store gets a burst of identical reads.',
    lookFirst: ['Cache hit ratio and evictions', 'Identical queries per second on the store', 'Cache restarts or TTL changes'],
    statement: 'Many requests miss the cache at once and hit the store for the same key.',
    prediction: 'If wrong, the hit ratio is unchanged and the store sees no burst of identical queries.',
    test: 'Plot the hit ratio and the top queries on the store around the start.',
  },
  {
    id: 'cpu-throttling',
    name: 'CPU throttling or noisy neighbour',
    symptom: 'Latency rises on some pods or nodes only; CPU throttled periods climb while requests are steady.',
    lookFirst: ['container_cpu_cfs_throttled_periods_total by pod', 'Latency by node', 'Other workloads scheduled on the same nodes'],
    statement: 'Pods are CPU-throttled (limits too low, or a neighbour takes the node).',
    prediction: 'If wrong, throttled periods stay flat and slow requests are spread evenly over nodes.',
    test: 'Compare throttling and latency per pod; move one pod to an idle node.',
  },
  {
    id: 'dependency-timeout',
    name: 'Slow dependency and missing timeouts',
    symptom: 'Threads or connections pile up waiting on one downstream call; everything behind it slows.',
    lookFirst: ['Spans of outbound calls in the slowest traces', 'Timeout settings of the client', 'The dependency\'s own dashboards'],
    statement: 'A downstream dependency got slow and our calls to it have no (or too long a) timeout.',
    prediction: 'If wrong, outbound call durations are normal and the time is spent in our own code.',
    test: 'Break down the critical path of slow traces by service.',
  },
  {
    id: 'disk-full',
    name: 'Disk or quota full',
    symptom: 'Writes fail or stall; logs stop; errors mention ENOSPC, quota or read-only file systems.',
    lookFirst: ['Free space and inodes on the nodes and volumes', 'Log volume growth', 'Quota of the managed store'],
    statement: 'A disk or quota ran out and writes fail.',
    prediction: 'If wrong, free space and inodes are well above zero on every volume the service writes to.',
    test: 'Check df -h and df -i on the affected nodes; read the write errors.',
  },
  {
    id: 'cert-expiry',
    name: 'Expired certificate',
    symptom: 'TLS handshakes fail from one moment on, for every client at once; nothing was deployed.',
    lookFirst: ['Certificate expiry dates on the endpoints', 'Handshake errors by client', 'The renewal job\'s last run'],
    statement: 'A certificate in the chain expired.',
    prediction: 'If wrong, every certificate on the path is valid now and handshakes succeed with a fresh client.',
    test: 'openssl s_client against the endpoint; read notAfter of each certificate.',
  },
];

const OTHERS = [
  { id: 'INC-2026-11-20-01', title: 'Search results empty for EU users', status: 'closed', severity: 'SEV-2', started: '2026-11-20T14:02:00Z' },
  { id: 'INC-2026-11-17-02', title: 'Webhook deliveries delayed by 20 minutes', status: 'resolved', severity: 'SEV-3', started: '2026-11-17T09:40:00Z' },
  { id: 'INC-2026-11-03-01', title: 'Login errors after the identity provider rotated keys', status: 'closed', severity: 'SEV-1', started: '2026-11-03T22:15:00Z' },
];

/** A checkout latency incident, as the host would send it after reading the file. */
export function demoIncident() {
  return {
    id: 'INC-2026-11-24-01',
    title: 'Checkout p99 latency above 2 s',
    severity: 'SEV-2',
    status: 'mitigated',
    phase: 'diagnose',
    commander: 'Dana Okafor',
    detectedBy: 'alert',
    alert: 'CheckoutHighLatency',
    started: '2026-11-24T02:51:00Z',
    detected: '2026-11-24T02:58:12Z',
    mitigated: '2026-11-24T03:41:30Z',
    services: ['checkout-api', 'payments-db'],
    summary: 'Checkout requests waited for database connections after v2.15.0 lowered the pool size.',
    impact: 'About 18% of checkouts took over 2 s for 50 minutes; 214 failed and were retried by customers.',
    observations: [
      { id: 'o-k3x9', at: '2026-11-24T02:58:12Z', text: 'p99 of `POST /checkout` at 2.4 s (SLO 800 ms); p50 unchanged at 120 ms.', source: 'Grafana: Checkout overview', link: { kind: 'url', url: 'https://grafana.example.com/d/checkout' } },
      { id: 'o-7fq2', at: '2026-11-24T03:03:40Z', text: 'CPU of checkout-api pods flat at 35%; no restarts, no OOM kills.', source: 'kubectl top pods' },
      { id: 'o-p0c4', at: '2026-11-24T03:05:02Z', text: 'Slow requests are spread evenly over all 6 pods and both zones.', source: 'trace search, service:checkout-api dur>=2s' },
      { id: 'o-m5v1', at: '2026-11-24T03:10:27Z', text: '`db_pool_wait_total` jumped from ~0 to 340/s at 02:47, two minutes after the deploy of v2.15.0.', source: 'Prometheus', link: { kind: 'exemplar', traceId: '4a2e37d70e5c4b1f9a3d2c1b0a998877', query: 'rate(db_pool_wait_total[1m])' } },
    ],
    hypotheses: [
      {
        id: 'h-2m7q',
        at: '2026-11-24T03:06:02Z',
        statement: 'The connection pool to payments-db is exhausted since the 02:45 deploy lowered maxOpenConns from 50 to 10.',
        prediction: 'If wrong, db_pool_wait_total stays flat and the slow spans are not waiting in pool.acquire.',
        test: 'Compare pool wait metrics before and after 02:45; read the critical path of the slowest trace.',
        probability: 70,
        status: 'confirmed',
        shape: 'pool-exhaustion',
        evidence: [
          { id: 'e-a1b2', at: '2026-11-24T03:10:27Z', text: 'Pool waits from ~0 to 340/s at 02:47.', bearing: 'supports', link: { kind: 'exemplar', traceId: '4a2e37d70e5c4b1f9a3d2c1b0a998877' } },
          { id: 'e-c3d4', at: '2026-11-24T03:12:09Z', text: 'Trace 4a2e37d7 spends 1.9 s of 2.1 s in pool.acquire.', bearing: 'supports', link: { kind: 'span', traceId: '4a2e37d70e5c4b1f9a3d2c1b0a998877', spanId: '00f067aa0ba902b7' } },
          { id: 'e-e5f6', at: '2026-11-24T03:47:00Z', text: 'After the rollback, p99 back to 310 ms within 3 minutes.', bearing: 'supports' },
        ],
        verdict: 'Pool waits start two minutes after the deploy and vanish with the rollback; the slowest trace waits 1.9 s for a connection.',
      },
      {
        id: 'h-8c1d',
        at: '2026-11-24T03:09:44Z',
        statement: 'A slow query plan on orders (an index dropped by the migration) makes each checkout query slow.',
        prediction: 'If wrong, db.query spans stay under 20 ms and EXPLAIN shows orders_customer_idx in use.',
        test: 'EXPLAIN ANALYZE the checkout query on a replica; compare db.query span durations.',
        probability: 20,
        status: 'falsified',
        evidence: [
          { id: 'e-g7h8', at: '2026-11-24T03:15:20Z', text: 'EXPLAIN ANALYZE on the replica: 11 ms, index scan on orders_customer_idx.', bearing: 'refutes' },
          { id: 'e-j9k0', at: '2026-11-24T03:16:45Z', text: 'db.query spans take 8–15 ms in the slow traces.', bearing: 'refutes' },
        ],
        verdict: 'Queries are fast; the time is spent before the query, waiting for a connection.',
      },
      {
        id: 'h-5r0t',
        at: '2026-11-24T03:58:30Z',
        statement: 'Retries from the mobile client (every 500 ms, no backoff) amplified the load while checkout was slow.',
        prediction: 'If wrong, requests per user stay at the baseline and no idempotency key repeats more than 3 times.',
        test: 'Count requests per idempotency key between 02:45 and 03:45 in the access logs.',
        probability: 35,
        status: 'open',
        shape: 'retry-storm',
        evidence: [{ id: 'e-m1n2', at: '2026-11-24T04:05:10Z', text: 'Mobile app 7.3 retries on timeout; backoff setting not found in its config yet.', bearing: 'neutral' }],
      },
    ],
    actions: [
      { id: 'a-r1bk', kind: 'mitigation', what: 'Roll back checkout-api to v2.14.2', who: 'Dana Okafor', at: '2026-11-24T03:24:30Z', status: 'done', link: { kind: 'deploy', service: 'checkout-api', version: 'v2.14.2' } },
      { id: 'a-s2cl', kind: 'mitigation', what: 'Scale checkout-api from 6 to 12 replicas', who: 'Sam Lee', at: '2026-11-24T03:20:00Z', status: 'abandoned' },
      { id: 'a-t3tr', kind: 'diagnosis', what: 'Pull the 20 slowest traces from Tempo and read their critical paths', who: 'Sam Lee', at: '2026-11-24T03:08:00Z', status: 'done' },
      { id: 'a-u4lg', kind: 'diagnosis', what: 'Count requests per idempotency key in the access logs', who: 'Priya Raman', at: '2026-11-24T04:01:00Z', status: 'doing' },
      { id: 'a-v5fx', kind: 'fix', what: 'Set maxOpenConns back to 50 and add a config test that fails below 30', who: 'Priya Raman', at: '2026-11-24T04:06:00Z', status: 'doing', link: { kind: 'file', path: 'deploy/checkout/values.yaml', line: 17 } },
      { id: 'a-w6al', kind: 'fix', what: 'Alert on db_pool_wait_total > 50/s for 2 minutes', at: '2026-11-24T04:08:00Z', status: 'planned' },
    ],
    timeline: [
      { id: 't-0dep', at: '2026-11-24T02:45:10Z', kind: 'deploy', text: 'checkout-api v2.15.0 deployed (maxOpenConns 50 → 10)', link: { kind: 'deploy', service: 'checkout-api', version: 'v2.15.0', commit: '9f3c2a1' } },
      { id: 't-1alr', at: '2026-11-24T02:58:12Z', kind: 'detect', text: 'Alert CheckoutHighLatency fired: p99 2.4 s' },
      { id: 't-2ack', at: '2026-11-24T03:00:30Z', kind: 'note', text: 'Dana acknowledged the page and took IC' },
      { id: 't-3pha', at: '2026-11-24T03:01:40Z', kind: 'phase', text: 'Phase: triage' },
      { id: 't-4obs', at: '2026-11-24T03:03:40Z', kind: 'observation', text: 'CPU flat at 35%, no restarts', ref: 'o-7fq2' },
      { id: 't-5hyp', at: '2026-11-24T03:06:02Z', kind: 'hypothesis', text: 'H1: pool exhaustion since the 02:45 deploy', ref: 'h-2m7q' },
      { id: 't-6cmd', at: '2026-11-24T03:07:30Z', kind: 'command', text: '`kubectl -n checkout top pods` (exit 0)', link: { kind: 'runbook', runbook: 'runbooks/checkout/high-latency.md', line: 24 } },
      { id: 't-7hyp', at: '2026-11-24T03:09:44Z', kind: 'hypothesis', text: 'H2: slow query plan on orders', ref: 'h-8c1d' },
      { id: 't-8evi', at: '2026-11-24T03:12:09Z', kind: 'evidence', text: 'Trace 4a2e37d7: 1.9 s of 2.1 s in pool.acquire', ref: 'e-c3d4', link: { kind: 'span', traceId: '4a2e37d70e5c4b1f9a3d2c1b0a998877', spanId: '00f067aa0ba902b7' } },
      { id: 't-9exp', at: '2026-11-24T03:15:20Z', kind: 'experiment', text: 'EXPLAIN ANALYZE on the replica: 11 ms, index used' },
      { id: 't-avrd', at: '2026-11-24T03:18:51Z', kind: 'verdict', text: 'H2 falsified: the queries are fast, the wait is before them', ref: 'h-8c1d' },
      { id: 't-bpha', at: '2026-11-24T03:22:05Z', kind: 'phase', text: 'Phase: mitigate' },
      { id: 't-cact', at: '2026-11-24T03:24:30Z', kind: 'action', text: 'Rollback of checkout-api to v2.14.2 started', ref: 'a-r1bk', link: { kind: 'deploy', service: 'checkout-api', version: 'v2.14.2' } },
      { id: 't-dsta', at: '2026-11-24T03:41:30Z', kind: 'status', text: 'Status: mitigated — p99 back to 310 ms', link: { kind: 'url', url: 'https://grafana.example.com/d/checkout?from=1764039600000' } },
      { id: 't-evrd', at: '2026-11-24T03:52:00Z', kind: 'verdict', text: 'H1 confirmed: waits vanish with the rollback', ref: 'h-2m7q' },
      { id: 't-fnot', at: '2026-11-24T03:55:12Z', kind: 'note', text: 'Support: 214 failed checkouts to refund; status page updated', link: { kind: 'file', path: 'docs/incidents/refunds-2026-11-24.csv', line: 1 } },
    ],
    notes: '',
  };
}

const state = (over) => ({ type: 'state', revision: 1, now: '2026-11-24T04:14:05Z', shapes: SHAPES, others: OTHERS, ...over });

const XSS = [
  `<script>window.__xss='script'</script>`,
  `<img src=x onerror="window.__xss='img'">`,
  `javascript:window.__xss='js'`,
  `"><svg onload="window.__xss='svg'"></svg>`,
  `<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  `<a href="javascript:window.__xss='a'">click</a>`,
  `<style>body{display:none}</style>`,
  `\${window.__xss='template'} {{constructor.constructor('window.__xss=1')()}}`,
];
const RTL = 'خطأ في خدمة الدفع checkout-api: المهلة انتهت — שגיאה בשירות התשלומים ‮txt.exe‬';
const LONG_WORD = 'A'.repeat(10_000);
const LONG_TEXT = Array.from({ length: 1000 }, (_, i) => `word${i}`).join(' ').slice(0, 10_000);

/** Everything a file edited by anyone can put into the panel. */
export function hostileIncident() {
  const x = (i) => XSS[i % XSS.length];
  const timeline = Array.from({ length: 500 }, (_, i) => {
    const at = new Date(Date.UTC(2026, 10, 23, 22, 0, 0) + i * 47_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const kinds = ['note', 'detect', 'observation', 'hypothesis', 'verdict', 'experiment', 'action', 'evidence', 'command', 'deploy', 'phase', 'status'];
    return {
      id: `t-${i.toString(36)}x`,
      at,
      kind: i === 3 ? '<b>bogus</b>' : kinds[i % kinds.length],
      text: i === 0 ? LONG_WORD : i === 1 ? RTL : i === 2 ? LONG_TEXT : `${i}: ${x(i)}`,
      ...(i % 7 === 0 ? { link: { kind: 'url', url: `javascript:window.__xss='link${i}'` } } : {}),
    };
  });
  return {
    id: 'INC-2026-11-24-07',
    title: `Checkout ${XSS[0]} ${XSS[1]} ${RTL}`,
    severity: 'SEV-<b>1</b>',
    status: '<i>active</i>',
    phase: 'triage',
    commander: `${XSS[1]} ${RTL}`,
    detectedBy: 'customer',
    alert: XSS[3],
    started: '2026-11-23T22:00:00Z',
    services: [XSS[0], LONG_WORD.slice(0, 300), RTL],
    summary: XSS.join(' '),
    impact: LONG_TEXT,
    observations: [
      { id: 'o-x1', at: '2026-11-23T22:01:00Z', text: LONG_WORD, source: XSS[1] },
      { id: 'o-x2', at: '2026-11-23T22:02:00Z', text: RTL, source: RTL, link: { kind: 'url', url: "javascript:window.__xss='obs'" } },
      { id: 'o-x3', at: 'not a time <img src=x onerror="window.__xss=\'time\'">', text: XSS.join('\n'), source: XSS[2] },
      { id: 'o-x4', at: '2026-11-24T01:00:00Z', text: LONG_TEXT },
    ],
    hypotheses: [
      { id: 'h-x1', at: '2026-11-23T22:05:00Z', statement: LONG_WORD, prediction: XSS[1], test: XSS[0], probability: 999, status: 'testing', shape: XSS[0], evidence: [{ id: 'e-x1', at: '2026-11-23T22:06:00Z', text: XSS[3], bearing: '<b>x</b>' }], verdict: XSS[5] },
      { id: 'h-x2', at: '2026-11-23T22:07:00Z', statement: RTL, prediction: '', test: '', status: '<script>', evidence: [], verdict: XSS[1] },
      { id: 'h-x3', at: '2026-11-23T22:08:00Z', statement: XSS.join(' '), prediction: LONG_TEXT, test: RTL, status: 'falsified', evidence: [{ id: 'e-x2', at: '2026-11-23T22:09:00Z', text: LONG_WORD, bearing: 'refutes', link: { kind: 'url', url: XSS[2] } }], verdict: LONG_TEXT },
    ],
    actions: [
      { id: 'a-x1', kind: 'mitigation', what: LONG_WORD, who: XSS[1], at: '2026-11-23T22:10:00Z', status: 'doing' },
      { id: 'a-x2', kind: 'diagnosis', what: RTL, who: RTL, at: '2026-11-23T22:11:00Z', status: '<img src=x onerror="window.__xss=\'status\'">' },
      { id: 'a-x3', kind: '<script>', what: XSS[0], at: '2026-11-23T22:12:00Z', status: 'done' },
      { id: 'a-x4', kind: 'fix', what: XSS[4], at: '2026-11-23T22:13:00Z', status: 'planned', link: { kind: 'file', path: '../../etc/passwd', line: 1 } },
    ],
    timeline,
    notes: XSS.join('\n'),
  };
}

function buildModels() {
  const hostileShapes = [...SHAPES.slice(0, 2), { id: 'x-shape', name: XSS[1], symptom: LONG_WORD, lookFirst: [XSS[0], RTL], statement: XSS[0], prediction: XSS[3], test: RTL }];
  const hostileOthers = [{ id: 'INC-2026-11-22-01', title: XSS[1], status: XSS[0], severity: 'SEV-<i>2</i>', started: '2026-11-22T10:00:00Z' }, ...OTHERS];
  const fresh = {
    ...demoIncident(),
    id: 'INC-2026-11-24-02',
    title: 'Webhook queue backing up',
    severity: 'SEV-3',
    status: 'active',
    phase: 'detect',
    commander: 'Dana Okafor',
    started: '2026-11-24T04:10:00Z',
    services: [],
    alert: undefined,
    observations: [],
    hypotheses: [],
    actions: [],
    timeline: [],
  };
  return {
    empty: state({ revision: 3 }),
    demo: state({ incident: demoIncident(), file: '.oncall/incidents/INC-2026-11-24-01.md', revision: 7 }),
    fresh: state({ incident: fresh, file: '.oncall/incidents/INC-2026-11-24-02.md', revision: 2 }),
    hostile: state({ incident: hostileIncident(), file: `.oncall/incidents/${XSS[1]}.md`, revision: 11, shapes: hostileShapes, others: hostileOthers, conflict: { fields: [XSS[1], 'title'] } }),
  };
}

/** Builds the page, and serves it and the models on a loopback port: `{ server, origin, models }`. */
export async function startNotebookHarness() {
  await buildWebview(siteDir, 'notebook');
  const models = buildModels();
  const { server, origin } = await serveWebview({
    siteDir,
    view: 'notebook',
    title: 'Hypothesis notebook',
    fakeHost: 'fake-vscode-notebook.js',
    modelPath: '/notebook-model.js',
    // JSON in a script: `<` escaped so no model text can close a script element.
    modelScript: (name) => `window.__notebookState = ${JSON.stringify(models[name] ?? null).replace(/</g, '\\u003c')};\n`,
  });
  return { server, origin, models };
}
