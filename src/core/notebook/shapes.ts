/**
 * Recurring failure shapes: what a senior SRE checks first when a symptom looks familiar. Each one pre-fills a
 * hypothesis — a statement, the prediction that would falsify it, and the test — so that the person at 3 a.m. writes
 * down what would prove them wrong before they go looking for what proves them right.
 */
import type { FailureShape } from '../../shared/protocol/notebook';

export const FAILURE_SHAPES: readonly FailureShape[] = [
  {
    id: 'gc-pause',
    name: 'GC pause',
    symptom:
      'p99/p999 latency spikes while p50 stays flat; the spikes hit every endpoint of one instance at the same moments and do not follow traffic. Slow traces have gaps: a span with no child and no event running for hundreds of milliseconds, the same length across concurrent requests on the same host.',
    lookFirst: [
      'Traces: a gap inside a slow span (no child span, no event); several unrelated requests on the same host.name / pod with gaps at the same wall-clock moment.',
      'GC metrics: jvm_gc_pause_seconds (max and count), go_gc_duration_seconds, nodejs_gc_duration_seconds, .NET "% time in GC"; heap used against heap max just before each spike.',
      'GC logs (-Xlog:gc*, GODEBUG=gctrace=1, node --trace-gc): pause lengths, full GCs, "to-space exhausted", the allocation rate.',
      'CPU throttling of the container (container_cpu_cfs_throttled_periods_total): a throttled collector pauses longer.',
    ],
    statement: 'Stop-the-world garbage-collection pauses stall in-flight requests on the affected instances and cause the latency spikes.',
    prediction: 'The spikes do not line up with GC pauses: the longest pause per instance stays well below the spike, and the gaps in slow traces fall on different hosts at different moments.',
    test: 'Overlay max GC pause per instance on p99 per instance for the incident window; for three slow traces, check that each gap falls inside a logged pause on the same pod. On one canary, give the heap more headroom (or move traffic off it) and compare.',
  },
  {
    id: 'fd-leak',
    name: 'File-descriptor leak',
    symptom:
      'Errors start after an instance has been up for hours or days and stop when it restarts: "too many open files" (EMFILE), failed accepts, outbound connects or file opens. The open-descriptor count climbs steadily, whatever the traffic; the oldest instances fail first.',
    lookFirst: [
      'Logs: "too many open files", EMFILE / ENFILE, "accept: too many open files", "socket: too many open files".',
      'process_open_fds against process_max_fds per instance: a ramp that only a restart resets.',
      'On the instance: ls /proc/<pid>/fd | wc -l, lsof -p <pid> counted by type and state (many sockets in CLOSE_WAIT = responses never closed); ulimit -n inside the container.',
      'Uptime of each instance against its error rate.',
    ],
    statement: 'The service leaks file descriptors (sockets or files it never closes) until it reaches its limit, and then new connections and file opens fail.',
    prediction: 'On the failing instances the open descriptors are far below the limit and flat over time, and a freshly restarted instance fails just as soon as an old one.',
    test: 'Compare process_open_fds / process_max_fds on failing and healthy instances; lsof one failing instance and count by type and state. Restart one instance and check whether its count climbs again at the same rate.',
  },
  {
    id: 'retry-storm',
    name: 'Retry storm',
    symptom:
      'When a dependency slows, the load on it multiplies: its request rate rises while user traffic is flat, and the slower it gets the more it is asked. Traces show repeated identical client spans (attempt 1, 2, 3) under one parent — and retries at several layers multiply (3 × 3 × 3).',
    lookFirst: [
      'Traces: sibling client spans to the same operation, with http.request.resend_count or retry attributes; attempts per user request.',
      'Requests arriving at the dependency against requests from users: a ratio above 1 that grows during the incident.',
      'Client settings: retry count, per-attempt timeout against the dependency\'s p99, backoff and jitter, a retry budget or circuit breaker.',
      'Saturation of the dependency: queue depth, pool waits, CPU.',
    ],
    statement: 'Client retries amplify the load on the slowed dependency and keep it saturated: a retry storm.',
    prediction: 'The dependency receives about one request per user request (no amplification), and turning retries off does not change its load or latency.',
    test: 'Count attempts per user request (traces or client metrics) before and during the incident; cap retries at one, or turn on a retry budget, on part of the fleet and compare the dependency\'s load and error rate.',
  },
  {
    id: 'cache-stampede',
    name: 'Cache stampede',
    symptom:
      'A sharp latency and error spike at the moment a hot cache entry expires or is evicted — often one TTL after a warm-up, deploy or flush: many requests miss at once and all recompute the same value, saturating the database behind it, until one recompute refills the cache.',
    lookFirst: [
      'Traces: many concurrent requests with cache.hit=false for the same key, each running the same expensive load (the same DB statement) at the same time.',
      'Cache metrics: the hit ratio falling to about zero for seconds, misses per key, evictions; when the key was written and with which TTL (one TTL for everything written at once expires at once).',
      'The database: the same query running N times concurrently, connection-pool waits and timeouts.',
      'What ran one TTL before the spike: a warm-up or repricing job, a deploy, a cache flush.',
    ],
    statement: 'A hot cache entry expired and the concurrent misses all recomputed it at once (no single-flight, no stale-while-revalidate, no TTL jitter), overloading the store behind the cache.',
    prediction: 'The slow requests in the first seconds are cache hits, or their misses are spread over many different keys, and the spike does not start when the entry expired.',
    test: 'Open three to five slow traces from the first seconds: check cache.hit and the key, count concurrent loads of that key, and compare the spike\'s start with the entry\'s write time plus TTL.',
  },
  {
    id: 'thundering-herd',
    name: 'Thundering herd',
    symptom:
      'Many clients act at the same instant — after a restart or failover, a network blip, a cron job on the hour, a lock being released, or retries without jitter — and the synchronized burst overwhelms a service that copes with the average load. The load comes in spikes at regular or triggered moments.',
    lookFirst: [
      'Request rate at one-second resolution: spikes aligned to :00, to a restart, to reconnects after a blip.',
      'Clients: reconnect and retry backoff without jitter, every instance\'s scheduler firing at once, waiters woken together on one lock or condition.',
      'Connection counts and listen-queue overflows on the receiving side right after a failover.',
      'Traces: many root spans from many clients starting within the same few milliseconds.',
    ],
    statement: 'The clients act in lockstep (the same schedule, or reconnecting without jitter), and their synchronized burst overloads the service.',
    prediction: 'Arrivals during the incident are spread out (no burst above the average rate at the moments of failure), and failures happen between bursts as often as during them.',
    test: 'Histogram request start times at 100 ms to 1 s resolution around the failures and name the trigger (a schedule, a restart, reconnects). Add jitter or stagger the schedule for part of the fleet and compare.',
  },
  {
    id: 'clock-skew',
    name: 'Clock skew',
    symptom:
      'Errors that look impossible, on some hosts only: tokens or certificates "not yet valid" or "expired", negative durations, child spans that start before their parent, leases and TTLs expiring early or never, signatures failing.',
    lookFirst: [
      'Traces: child spans starting before their parent or ending after it across services, negative durations.',
      'Logs: "token used before issued", JWT nbf/iat errors, "certificate is not yet valid", Kerberos "clock skew too great".',
      'node_timex_offset_seconds and node_timex_sync_status, chronyc tracking, timedatectl: offset and sync state per host.',
      'Which hosts fail: one node, one zone, or everywhere.',
    ],
    statement: 'The clocks of the failing hosts are skewed, so time-based checks (token validity, leases, TTLs) fail there.',
    prediction: 'The clock offset of the failing hosts is within a few hundred milliseconds like the healthy ones, time sync is working, and the failures are not confined to particular hosts.',
    test: 'Compare node_timex_offset_seconds (or chronyc tracking) on failing and healthy hosts and correlate errors per host with the offset; drain the skewed host, or force a time sync, and see whether the errors stop.',
  },
  {
    id: 'dns-failure',
    name: 'DNS failure',
    symptom:
      'Outbound calls fail before a byte is sent — "no such host", "Temporary failure in name resolution", EAI_AGAIN, SERVFAIL — or take seconds longer to connect (a resolver timeout of 5 s, times the retries), often only for some names or some nodes.',
    lookFirst: [
      'Traces: client spans failing fast with resolution errors, or slow before the connection starts (a DNS span or connect phase of 5 s or 10 s).',
      'Logs: "no such host", getaddrinfo ENOTFOUND / EAI_AGAIN, "i/o timeout" against port 53.',
      'CoreDNS: coredns_dns_responses_total by rcode (SERVFAIL, NXDOMAIN), forward latency, restarts; a full conntrack table on the nodes; ndots:5 search-path amplification.',
      'Recent changes to DNS records, resolver settings, the upstream resolver or network policies.',
    ],
    statement: 'Name resolution of the dependency fails or is slow, so the calls to it fail before they connect.',
    prediction: 'From the affected pods, resolution succeeds quickly (dig or nslookup answers correctly in well under 50 ms) while calls are failing, and the failed calls show connection or server errors instead.',
    test: 'From an affected pod, time repeated dig +short lookups of the name and compare a call by IP; read the resolver\'s rcode metrics. Pin the address on one instance and check whether its calls recover.',
  },
  {
    id: 'pool-exhaustion',
    name: 'Connection-pool exhaustion',
    symptom:
      'Latency rises to the pool\'s acquire timeout and errors say "timed out waiting for a connection" or "pool exhausted", while the database behind it is not overloaded: connections in use equal the maximum, and requests queue for one.',
    lookFirst: [
      'Traces: time in a pool-acquire span (db.pool.acquire, db.client.connection.pool.* attributes) before the query, while the query itself is fast.',
      'Pool metrics: in use against max, pending requests, acquire time (hikaricp_connections_pending, db.client.connection.count, pgbouncer cl_waiting).',
      'What holds connections: long transactions, slow queries, connections held across remote calls, connections not returned on error paths.',
      'The database side: sessions per application, "idle in transaction".',
    ],
    statement: 'The connection pool is exhausted: requests wait for a free connection, not for the database.',
    prediction: 'Pool usage stays below its maximum with no waiting requests during the incident, and slow traces spend their time in the query itself rather than acquiring a connection.',
    test: 'Plot in-use / max and waiting requests per instance; in three slow traces compare acquire time with query time. Look for connections held across remote calls or leaked on errors.',
  },
  {
    id: 'n-plus-one',
    name: 'N+1 queries',
    symptom:
      'A request\'s latency grows with the size of its data (a bigger cart, a customer with more orders): one query for the list, then one per item. The database sees many tiny, fast, identical queries.',
    lookFirst: [
      'Traces: many sequential, nearly identical DB spans (the same db.query.text with different parameters) under one parent — each fast, together slow.',
      'Which inputs are slow: latency against the item count; a new feature or a data change (more rows per entity).',
      'The database: top statements by calls (pg_stat_statements), calls per request.',
      'The code: lazy-loaded relations read in a loop.',
    ],
    statement: 'The slow endpoint issues one query per item (N+1), so its latency grows with the number of items.',
    prediction: 'Slow traces have a handful of queries, not a number that grows with the items, and their time goes elsewhere (one slow query, a remote call).',
    test: 'Count DB spans per request in slow and fast traces and plot them against the item count; reproduce with a large input outside production.',
  },
  {
    id: 'slow-log-replay',
    name: 'Slow log replay on restart',
    symptom:
      'After a restart, deploy, failover or crash, instances take far longer than usual to become ready or to catch up because they replay a write-ahead log, commit log, Kafka changelog or event stream from an old checkpoint: readiness fails, lag grows, reads are stale meanwhile.',
    lookFirst: [
      'Startup logs: "replaying WAL", "recovering from checkpoint", "restoring state store", replay progress and offsets.',
      'Time to ready per instance, readiness failures, and restarts by a liveness probe that kills it mid-replay (a crash loop that never finishes).',
      'Consumer or replication lag, and how much log lies since the last checkpoint or snapshot (checkpoint interval, failed snapshots, retention).',
      'Disk and network throughput during the replay.',
    ],
    statement: 'On restart the service replays a long log since its last checkpoint and is unavailable or behind until the replay completes.',
    prediction: 'The startup logs show the replay finishing quickly (or none at all), and the lag does not shrink at the replay\'s speed.',
    test: 'Read the start and end of the replay and the bytes or offsets replayed in the startup logs; compare with the last successful checkpoint. Check whether a liveness probe kills the instance before it finishes: backlog ÷ replay throughput against the probe\'s deadline.',
  },
  {
    id: 'oom-kill',
    name: 'OOM kill',
    symptom:
      'Instances restart with no application error: exit code 137 (SIGKILL), Kubernetes reason OOMKilled, the kernel\'s "Out of memory: Killed process". In-flight requests fail with connection resets or 502s at that moment, and memory climbs to the limit before each restart.',
    lookFirst: [
      'kubectl describe pod <pod>: Last State Terminated, Reason OOMKilled, Exit Code 137; the restart count.',
      'Kernel log of the node: dmesg or journalctl -k, "Out of memory: Killed process", "oom-kill:constraint=CONSTRAINT_MEMCG".',
      'container_memory_working_set_bytes against the container\'s memory limit: growth with traffic, with one kind of request, or steady (a leak).',
      'Heap settings against the limit (-Xmx, --max-old-space-size, GOMEMLIMIT): the part outside the heap often pushes it over.',
    ],
    statement: 'The kernel\'s OOM killer kills the containers when their memory reaches the container limit.',
    prediction: 'The restarted containers do not show OOMKilled / exit code 137 and memory stays below the limit before the restarts: the process exits for another reason (a crash, a liveness probe, an eviction).',
    test: 'kubectl describe the restarted pods and read the last termination reason; plot working-set memory against the limit before each restart.',
  },
  {
    id: 'missing-backpressure',
    name: 'Missing backpressure',
    symptom:
      'When a downstream slows, the service keeps accepting work: queues, buffers and in-flight requests grow without bound, memory rises, latency climbs into seconds, then timeouts or OOM — instead of rejecting early (429/503) and pushing back.',
    lookFirst: [
      'In-flight requests, queue lengths and buffer sizes over time (executor queues, channels, consumer lag, server concurrency): do they grow without a cap?',
      'Traces: long waits before the work starts (queue time), and work still running after the caller gave up (spans ending after the client\'s timeout).',
      'Whether deadlines propagate and cancellations are honoured; concurrency limits, bounded queues, admission control.',
      'Memory growth against queue length.',
    ],
    statement: 'The service has no backpressure: it accepts work faster than its downstream completes it, so queues and latency grow until it fails.',
    prediction: 'Queues and in-flight counts stay bounded during the incident, and excess requests are rejected early (429/503) rather than queued for long.',
    test: 'Plot in-flight requests and queue length against downstream throughput; check whether requests are still processed after their caller timed out (trace end times against the client timeout).',
  },
];

/** The shape with this ID, if it is in the catalog. */
export function failureShape(id: string): FailureShape | undefined {
  return FAILURE_SHAPES.find((s) => s.id === id);
}
