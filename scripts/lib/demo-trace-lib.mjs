// Helpers for scripts/generate-demo-traces.mjs: reading the demo TypeScript sources (code.* sites,
// stack frames, constants, SQL), the OTLP → Jaeger UI JSON mapping, checking the written files and
// writing the trace tables into the READMEs. Not part of the shop; it only produces traces/.
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { setImmediate } from 'node:timers';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo');
const S = 1e9, CLOCK_ZERO_S = Date.UTC(2026, 10, 23, 3, 6, 0) / 1000;
const SPAN_KIND_CLIENT = 2, STATUS_ERROR = 2; // @opentelemetry/api SpanKind.CLIENT, SpanStatusCode.ERROR

/** How each service is deployed: the container path its sources live under (see its Dockerfile). */
export const SERVICES = {
  'checkout-service': { version: '2.31.0', root: '/srv/checkout-service', pod: 'checkout-service-6c9f7d8b5-qz2xw' },
  'pricing-service': { version: '4.18.2', root: '/srv/pricing-service', pod: 'pricing-service-7d4b9c6f8-m5kzt' },
  'payments-service': { version: '1.9.4', root: '/opt/payments-service', pod: 'payments-service-5f8d7c9b4-w7hjn' },
};

const sourceCache = new Map();
function lines(svc, file) {
  const key = `${svc}/src/${file}`;
  if (!sourceCache.has(key)) sourceCache.set(key, readFileSync(join(DEMO, 'services', svc, 'src', file), 'utf8').split('\n'));
  return sourceCache.get(key);
}

/** Declaration of `fn` ("name" or "Class.method"): 1-based line and column of the name, last line of the body. */
function findDecl(svc, file, fn) {
  const ls = lines(svc, file);
  const dot = fn.lastIndexOf('.');
  const cls = dot > 0 ? fn.slice(0, dot) : undefined, name = fn.slice(dot + 1);
  const from = cls ? ls.findIndex((l) => new RegExp(`\\bclass ${cls}\\b`).test(l)) : 0;
  const re = cls
    ? new RegExp(`^(\\s*)(?:(?:public|private|protected|static|async|override)\\s+)*${name}\\s*[(<]`)
    : new RegExp(`^()(?:export\\s+)?(?:async\\s+)?function\\s+${name}\\s*[(<]`);
  for (let i = Math.max(0, from); from >= 0 && i < ls.length; i++) {
    const m = ls[i].match(re);
    if (!m) continue;
    let end = i + 1;
    while (end < ls.length && !ls[end].startsWith(`${m[1]}}`)) end++;
    return { line: i + 1, col: ls[i].indexOf(name, m[1].length) + 1, end: end + 1 };
  }
  throw new Error(`${fn} is not declared in demo/services/${svc}/src/${file}`);
}

export const source = {
  findDecl,
  /** A numeric constant like `max: 8,` or `CATALOG_TTL_MS = 5 * 60_000;`. */
  constant(svc, file, name) {
    const m = lines(svc, file).join('\n').match(new RegExp(`\\b${name}\\s*[:=]\\s*(\\d[\\d_ *]*)[,;]`));
    if (!m) throw new Error(`constant ${name} not found in ${svc}/src/${file}`);
    return m[1].replace(/_/g, '').split('*').reduce((a, b) => a * Number(b.trim()), 1);
  },
  /** The SQL text passed along with the span name `summary` (a string literal after it, or a const template). */
  sql(svc, file, summary) {
    const text = lines(svc, file).join('\n');
    const at = text.indexOf(`'${summary}'`);
    if (at < 0) throw new Error(`query '${summary}' not found in ${svc}/src/${file}`);
    let rest = text.slice(at + summary.length + 2).replace(/^\s*,\s*/, '');
    const constName = rest.match(/^([A-Z_]+)\s*\)/)?.[1];
    if (constName) rest = text.slice(text.indexOf(`const ${constName} = `) + `const ${constName} = `.length);
    const quote = rest[0];
    let i = 1;
    while (i < rest.length && (rest[i] !== quote || rest[i - 1] === '\\')) i++;
    return rest.slice(1, i).replace(/\\'/g, "'");
  },
  /** code.* attributes for the declaration of `fn`, with the path as deployed. */
  codeAttributes(svc, file, fn) {
    const d = findDecl(svc, file, fn);
    return { 'code.file.path': `${SERVICES[svc].root}/src/${file}`, 'code.line.number': d.line, 'code.column.number': d.col, 'code.function.name': fn };
  },
  /** A V8 stack frame for the first line inside `fn` containing `needle` (column = start of the needle). */
  frame(svc, file, fn, needle, async = true) {
    const d = findDecl(svc, file, fn), ls = lines(svc, file);
    for (let i = d.line - 1; i < d.end; i++) {
      const c = ls[i].indexOf(needle);
      if (c >= 0) return `    at ${async ? 'async ' : ''}${fn} (${SERVICES[svc].root}/src/${file}:${i + 1}:${c + 1})`;
    }
    throw new Error(`"${needle}" not found inside ${fn} in ${svc}/src/${file}`);
  },
};

// ---- a virtual clock, and Postgres as a shared resource ------------------------------------------------
/** Discrete-event clock in integer ns: timers fire in time order; all promise reactions run in between. */
export class VirtualClock {
  now = 0; seq = 0; queue = [];
  at(t, fn) { const ev = { t: Math.round(t), s: this.seq++, fn, cancelled: false }; this.queue.push(ev); return ev; }
  sleep(ns) { return new Promise((resolve) => this.at(this.now + ns, resolve)); }
  /** Promise.race against a timer that rejects with onExpire(); the timer is dropped when work settles. */
  race(work, ns, onExpire) {
    let timer;
    const expired = new Promise((_, reject) => { timer = this.at(this.now + ns, () => reject(onExpire())); });
    return Promise.race([work, expired]).finally(() => { timer.cancelled = true; });
  }
  async run() {
    while (this.queue.length) {
      let k = 0;
      for (let i = 1; i < this.queue.length; i++) {
        const a = this.queue[i], b = this.queue[k];
        if (a.t < b.t || (a.t === b.t && a.s < b.s)) k = i;
      }
      const [ev] = this.queue.splice(k, 1);
      if (ev.cancelled) continue;
      this.now = ev.t;
      ev.fn();
      await new Promise((r) => setImmediate(r)); // every continuation runs before time moves on
    }
  }
}

/** Postgres as processor sharing: n concurrent queries each progress at 1 / (1 + contention·(n−1)). */
export class SharedDatabase {
  active = new Set(); last = 0; timer = null;
  constructor(clock, contention) { this.clock = clock; this.contention = contention; }
  run(work) {
    return new Promise((resolve) => { this.advance(); this.active.add({ left: work, resolve }); this.schedule(); });
  }
  rate() { return 1 / (1 + this.contention * (this.active.size - 1)); }
  advance() {
    const done = (this.clock.now - this.last) * this.rate();
    for (const q of this.active) q.left -= done;
    this.last = this.clock.now;
  }
  schedule() {
    if (this.timer) this.timer.cancelled = true;
    if (!this.active.size) return;
    const next = Math.min(...[...this.active].map((q) => q.left));
    this.timer = this.clock.at(this.clock.now + Math.max(0, Math.ceil(next / this.rate())), () => {
      this.advance();
      for (const q of [...this.active]) if (q.left <= 1) { this.active.delete(q); q.resolve(); }
      this.schedule();
    });
  }
}

// ---- picking the traces each file shows (from the SDK's ReadableSpans) ----------------------------------
/** Groups spans by trace and picks one trace per story; `expiry` is ns after 03:06:00 (the clock zero). */
export function pickTraces(spans, expiry) {
  const traces = new Map();
  for (const s of spans) {
    const id = s.spanContext().traceId;
    if (!traces.has(id)) traces.set(id, { id, spans: [] });
    traces.get(id).spans.push(s);
  }
  const ns = (t) => (t[0] - CLOCK_ZERO_S) * S + t[1];
  const info = [...traces.values()].map((t) => {
    const root = t.spans.find((s) => !s.parentSpanContext);
    const named = (n) => t.spans.filter((s) => s.name === n);
    const okAcquires = named('db.pool.acquire').filter((s) => s.status.code !== STATUS_ERROR);
    return {
      ...t, root, start: ns(root.startTime), duration: ns(root.endTime) - ns(root.startTime),
      status: root.attributes['http.response.status_code'],
      attempts: t.spans.filter((s) => s.attributes['server.address'] === 'pricing-service' && s.kind === SPAN_KIND_CLIENT).length,
      misses: named('PriceCache.getCatalog').filter((s) => s.attributes['cache.hit'] === false).length,
      poolTimeout: named('db.pool.acquire').some((s) => s.status.code === STATUS_ERROR),
      maxWait: Math.max(0, ...okAcquires.map((s) => ns(s.endTime) - ns(s.startTime))),
      pricingServer: Math.max(0, ...named('GET /api/prices').map((s) => ns(s.endTime) - ns(s.startTime))),
    };
  }).sort((a, b) => a.start - b.start);
  if (process.env.DEBUG_DEMO) for (const t of info) console.error(t.id, t.root.name, (t.start / S).toFixed(3), (t.duration / 1e6).toFixed(1), t.status, t.attempts, t.misses, t.poolTimeout, (t.maxWait / 1e6).toFixed(0), (t.pricingServer / 1e6).toFixed(0), t.spans.length);
  const used = new Set();
  const take = (label, candidates, by = () => 0) => {
    const pick = candidates.filter((t) => !used.has(t.id)).sort((a, b) => by(b) - by(a))[0];
    if (!pick) throw new Error(`no trace found for "${label}" — the simulation no longer produces it`);
    used.add(pick.id);
    return pick;
  };
  const checkouts = info.filter((t) => t.root.name === 'POST /api/checkout');
  const before = checkouts.filter((t) => t.start < expiry);
  const retried = checkouts.filter((t) => t.status === 201 && t.attempts === 2).sort((a, b) => a.duration - b.duration);
  return {
    job: take('repricing job', info.filter((t) => t.root.name === 'repricing-job')),
    healthy: take('healthy checkout', before.slice(1, 2)),
    healthyLate: take('last healthy checkout', before.slice(-1)),
    firstMiss: take('first cache miss', checkouts.filter((t) => t.misses > 0).slice(0, 1)),
    poolWait: take('long pool wait', checkouts.filter((t) => t.status === 201 && t.maxWait > S), (t) => -t.maxWait),
    poolTimeout: take('pool timeout', checkouts.filter((t) => t.poolTimeout && t.status === 201)),
    pricingSlow: take('slow pricing', checkouts.filter((t) => t.status === 201), (t) => t.pricingServer),
    retry: take('retry', retried.slice(Math.floor(retried.length / 2))),
    recovery: take('recovery', checkouts.slice(-1)),
    stats: {
      checkouts: checkouts.length,
      timedOut: checkouts.filter((t) => t.status === 504).length,
      retried: checkouts.filter((t) => t.attempts > 1).length,
      poolTimeouts: spans.filter((s) => s.name === 'db.pool.acquire' && s.status.code === STATUS_ERROR).length,
      catalogQueries: checkouts.flatMap((t) => t.spans).filter((s) => s.name === 'SELECT catalog_items').length,
      window: [checkouts[0].start, checkouts.at(-1).start],
      maxWaiting: Math.max(...spans.map((s) => s.attributes['db.client.connection.pool.waiting'] ?? 0)),
    },
  };
}


/** Exports `spans` with the real Zipkin exporter to a loopback server and returns the POSTed body. */
export async function captureZipkin(spans) {
  const posts = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; }).on('end', () => { posts.push({ url: req.url, type: req.headers['content-type'], body }); res.writeHead(202).end(); });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const zipkin = new ZipkinExporter({ url: `http://127.0.0.1:${server.address().port}/api/v2/spans` });
  const result = await new Promise((r) => zipkin.export(spans, r));
  await zipkin.shutdown();
  server.close();
  if (result.code !== 0 || posts.length !== 1) throw new Error(`zipkin export failed: ${result.error ?? `${posts.length} POSTs`}`);
  return posts[0].body;
}

// ---- OTLP/JSON → Jaeger UI JSON (collector-contrib translator + Jaeger's UI model) ---------------------
const anyValue = (v) => v.stringValue ?? v.boolValue ?? v.intValue ?? v.doubleValue ?? v.bytesValue
  ?? v.arrayValue?.values?.map(anyValue) ?? Object.fromEntries((v.kvlistValue?.values ?? []).map((kv) => [kv.key, anyValue(kv.value)]));
function tag(key, v) {
  if ('stringValue' in v) return { key, type: 'string', value: v.stringValue };
  if ('boolValue' in v) return { key, type: 'bool', value: v.boolValue };
  if ('intValue' in v) return { key, type: 'int64', value: Number.isSafeInteger(Number(v.intValue)) ? Number(v.intValue) : String(v.intValue) };
  if ('doubleValue' in v) return { key, type: 'float64', value: v.doubleValue };
  if ('bytesValue' in v) return { key, type: 'binary', value: v.bytesValue };
  return { key, type: 'string', value: JSON.stringify(anyValue(v)) };
}
const jaegerId = (id) => (id.startsWith('0000000000000000') ? id.slice(16) : id);
const micros = (ns) => Number(BigInt(ns) / 1000n);

export function toJaeger(otlp) {
  const traces = new Map();
  for (const rs of otlp.resourceSpans) {
    const attrs = rs.resource?.attributes ?? [];
    const process = {
      serviceName: attrs.find((a) => a.key === 'service.name')?.value.stringValue ?? 'OTLPResourceNoServiceName',
      tags: attrs.filter((a) => a.key !== 'service.name').map((a) => tag(a.key, a.value)),
    };
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        const traceID = jaegerId(s.traceId);
        if (!traces.has(traceID)) traces.set(traceID, { traceID, spans: [], processes: {}, warnings: null, keys: new Map() });
        const t = traces.get(traceID);
        const pkey = JSON.stringify(process);
        if (!t.keys.has(pkey)) { t.keys.set(pkey, `p${t.keys.size + 1}`); t.processes[t.keys.get(pkey)] = process; }
        const tags = [];
        if (ss.scope?.name) tags.push({ key: 'otel.scope.name', type: 'string', value: ss.scope.name });
        if (ss.scope?.version) tags.push({ key: 'otel.scope.version', type: 'string', value: ss.scope.version });
        tags.push(...s.attributes.map((a) => tag(a.key, a.value)));
        const kind = [undefined, 'internal', 'server', 'client', 'producer', 'consumer'][s.kind];
        if (kind) tags.push({ key: 'span.kind', type: 'string', value: kind });
        if (s.status?.code === 2) tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' }, { key: 'error', type: 'bool', value: true });
        if (s.status?.code === 1) tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
        if (s.status?.message) tags.push({ key: 'otel.status_description', type: 'string', value: s.status.message });
        if (s.traceState) tags.push({ key: 'w3c.tracestate', type: 'string', value: s.traceState });
        t.spans.push({
          traceID, spanID: s.spanId, operationName: s.name,
          references: [
            ...(s.parentSpanId ? [{ refType: 'CHILD_OF', traceID, spanID: s.parentSpanId }] : []),
            ...(s.links ?? []).map((l) => ({ refType: 'FOLLOWS_FROM', traceID: jaegerId(l.traceId), spanID: l.spanId })),
          ],
          startTime: micros(s.startTimeUnixNano),
          duration: Number((BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1000n),
          tags,
          logs: s.events.map((e) => ({ timestamp: micros(e.timeUnixNano), fields: [{ key: 'event', type: 'string', value: e.name }, ...e.attributes.map((a) => tag(a.key, a.value))] })),
          processID: t.keys.get(pkey), warnings: null,
        });
      }
    }
  }
  return { data: [...traces.values()].map(({ keys: _keys, ...t }) => t), total: 0, limit: 0, offset: 0, errors: null };
}

// ---- reading the written files back (all four formats) and checking them -------------------------------
function readSpans(name, text) {
  const out = [];
  const otlp = (doc) => {
    for (const rs of doc.resourceSpans) {
      const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
      for (const ss of rs.scopeSpans) for (const s of ss.spans) {
        out.push({ traceId: s.traceId, spanId: s.spanId, parentId: s.parentSpanId, name: s.name, service, error: s.status?.code === 2,
          start: BigInt(s.startTimeUnixNano), end: BigInt(s.endTimeUnixNano),
          attrs: Object.fromEntries(s.attributes.map((a) => [a.key, anyValue(a.value)])),
          events: s.events.map((e) => ({ name: e.name, attrs: Object.fromEntries(e.attributes.map((a) => [a.key, anyValue(a.value)])) })) });
      }
    }
  };
  if (name.endsWith('.jsonl')) text.trim().split('\n').forEach((line) => otlp(JSON.parse(line)));
  else {
    const doc = JSON.parse(text);
    if (doc.resourceSpans) otlp(doc);
    else if (Array.isArray(doc)) {
      // @opentelemetry/exporter-zipkin writes `timestamp` with a fraction of a µs (duration is rounded).
      const ns = (us) => BigInt(Math.floor(us)) * 1000n + BigInt(Math.round((us % 1) * 1000));
      for (const s of doc) out.push({ traceId: s.traceId, spanId: s.id, parentId: s.parentId, name: s.name, service: s.localEndpoint?.serviceName,
        error: s.tags?.['otel.status_code'] === 'ERROR', start: ns(s.timestamp), end: ns(s.timestamp) + BigInt(s.duration) * 1000n,
        attrs: s.tags ?? {}, events: (s.annotations ?? []).map((a) => ({ name: a.value, attrs: {} })) });
    } else {
      for (const t of doc.data) for (const s of t.spans) {
        const kv = (list) => Object.fromEntries(list.map((f) => [f.key, f.value]));
        out.push({ traceId: s.traceID, spanId: s.spanID, parentId: s.references.find((r) => r.refType === 'CHILD_OF')?.spanID,
          name: s.operationName, service: t.processes[s.processID].serviceName, error: kv(s.tags).error === true,
          start: BigInt(s.startTime) * 1000n, end: BigInt(s.startTime + s.duration) * 1000n, attrs: kv(s.tags),
          events: s.logs.map((l) => { const { event, ...attrs } = kv(l.fields); return { name: event, attrs }; }) });
      }
    }
  }
  return out;
}

const DEPLOYED = new RegExp(`^(?:${Object.values(SERVICES).map((s) => s.root).join('|')})/src/(.+)$`);
const serviceOf = (path) => Object.entries(SERVICES).find(([, s]) => path.startsWith(`${s.root}/`))?.[0];

/** Parses every file, checks code.* and stack frames against the sources, returns the summary. */
export function checkFiles(dir, names, { jobSpans }) {
  const problems = [], traces = new Map();
  let bytes = 0, codeChecked = 0, framesChecked = 0;
  const note = (cond, msg) => { if (!cond) problems.push(msg); };
  for (const name of names) {
    const text = readFileSync(join(dir, name), 'utf8');
    bytes += Buffer.byteLength(text);
    const spans = readSpans(name, text);
    for (const s of spans) {
      const path = s.attrs['code.file.path'];
      if (path) {
        const d = findDecl(serviceOf(path), path.match(DEPLOYED)[1], s.attrs['code.function.name']);
        note(Number(s.attrs['code.line.number']) === d.line, `${name}: ${s.name} code.line.number ${s.attrs['code.line.number']} ≠ ${d.line}`);
        note(s.attrs['code.column.number'] === undefined || Number(s.attrs['code.column.number']) === d.col, `${name}: ${s.name} column`);
        codeChecked++;
      }
      for (const e of s.events) {
        for (const m of String(e.attrs['exception.stacktrace'] ?? '').matchAll(/^ {4}at (?:async )?(?:(\S+) \()?([^\s()]+):(\d+):(\d+)\)?$/gm)) {
          const [, fn, file, line, col] = m, svc = serviceOf(file);
          if (!svc) continue;
          const rel = file.match(DEPLOYED)[1], text = lines(svc, rel)[Number(line) - 1] ?? '';
          note(/^(await|new) /.test(text.slice(Number(col) - 1)), `${name}: frame ${m[0].trim()} does not point at an await/new`);
          if (fn) { const d = findDecl(svc, rel, fn); note(d.line <= line && line <= d.end, `${name}: frame ${m[0].trim()} is outside ${fn}`); }
          framesChecked++;
        }
      }
    }
    const byTrace = new Map();
    for (const s of spans) (byTrace.get(s.traceId) ?? byTrace.set(s.traceId, []).get(s.traceId)).push(s);
    for (const [id, list] of byTrace) {
      const ids = new Set(list.map((s) => s.spanId));
      const roots = list.filter((s) => !s.parentId || !ids.has(s.parentId));
      note(roots.length === 1, `${name}: trace ${id} has ${roots.length} roots`);
      const start = list.reduce((m, s) => (s.start < m ? s.start : m), list[0].start), end = list.reduce((m, s) => (s.end > m ? s.end : m), 0n);
      traces.set(id.padStart(32, '0'), { id, file: name, root: roots[0], spans: list.length, ms: Number(roots[0].end - roots[0].start) / 1e6, extentMs: Number(end - start) / 1e6 });
    }
  }
  const all = [...traces.values()];
  note(all.some((t) => t.file === 'checkout-stampede.json' && t.root.error && t.root.events.some((e) => e.name === 'exception')), 'no failed checkout with an exception in checkout-stampede.json');
  note(jobSpans >= 300 && jobSpans <= 800, `repricing job has ${jobSpans} spans`);
  note(all.some((t) => t.file.endsWith('.jaeger.json') && t.id.length === 16), 'Jaeger file should show a 16-char trace ID');
  note(bytes < 2 * 1024 * 1024, `demo traces total ${bytes} bytes`);
  note(codeChecked > 0 && framesChecked > 0, 'nothing was checked');
  if (problems.length) throw new Error(`demo traces failed the checks:\n  ${problems.join('\n  ')}`);
  const fmt = (t) => `  ${t.id.padEnd(32)}  ${`${t.root.name} [${t.root.service}]`.padEnd(42)} ${String(t.spans).padStart(4)} spans ${t.ms.toFixed(1).padStart(9)} ms  ${t.root.attrs['http.response.status_code'] ?? (t.root.error ? 'ERROR' : 'ok')}${t.extentMs > t.ms + 1 ? `  (last span ends at +${t.extentMs.toFixed(0)} ms)` : ''}`;
  const text = names.map((n) => `${n}\n${all.filter((t) => t.file === n).map(fmt).join('\n')}`).join('\n')
    + `\n${(bytes / 1024).toFixed(0)} KB in total; checked ${codeChecked} code.* locations and ${framesChecked} stack frames against demo/services.`;
  return { text, traces };
}

// ---- READMEs ---------------------------------------------------------------------------------------------
export function updateReadmes(dir, outputs, summary, stats) {
  const row = (o, [t, what]) => {
    const s = summary.traces.get(t.id);
    return `| \`${s.id}\` | ${o.file} | ${s.root.name} | ${s.spans} | ${s.ms >= 1000 ? `${(s.ms / 1000).toFixed(2)} s` : `${s.ms.toFixed(0)} ms`} | ${what} |`;
  };
  const table = ['| Trace ID | File | Root span | Spans | Duration | What it shows |', '|---|---|---|---|---|---|',
    ...outputs.flatMap((o) => o.traces.map((t) => row(o, t)))].join('\n');
  writeFileSync(join(dir, 'README.md'), `# Demo traces

Generated by \`node scripts/generate-demo-traces.mjs\`; do not edit by hand. The script runs a simulation
of the services in \`../services\` on a virtual clock, instrumented with the real OpenTelemetry JS SDK
(\`@opentelemetry/sdk-trace\`), and writes what the SDK and its exporters produce. A seeded ID generator
keeps trace IDs stable across regenerations. \`code.*\` attributes and exception stack frames point at
the functions in \`../services/*/src\` as deployed (\`/srv/<service>/src/…\`, payments under
\`/opt/payments-service/src/…\`); the script checks every one of them against the sources.

| File | Format |
|---|---|
${outputs.map((o) => `| \`${o.file}\` | ${o.format} |`).join('\n')}

${table}

Notes
- \`pricing-slow.jaeger.json\`'s trace ID has zero high 64 bits, so Jaeger writes it with 16 hex chars;
  the same trace in OTLP would be \`0000000000000000\` followed by those 16 chars.
- Zipkin keeps only the event name of span events (the JS exporter drops event attributes), so the
  Zipkin file has \`exception\` annotations but no stack traces; all its tag values are strings.
- Servers keep working after their caller gave up, so some server spans end after their client span
  (and, after a checkout deadline, after the root span).
`);
  const readme = join(dir, '..', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const [begin, end] = ['<!-- trace-table:begin (generated) -->', '<!-- trace-table:end -->'];
  if (!text.includes(begin) || !text.includes(end)) throw new Error(`${readme} lacks the ${begin} … ${end} markers`);
  const hhmmss = (ns) => new Date((CLOCK_ZERO_S * S + ns) / 1e6).toISOString().slice(11, 19);
  const numbers = `Between ${stats.window.map(hhmmss).join(' and ')}, ${stats.checkouts} checkouts arrived: ${stats.timedOut} answered 504 (deadline), `
    + `${stats.retried} needed a pricing retry, ${stats.poolTimeouts} db.pool.acquire calls timed out, checkouts ran the catalog `
    + `query ${stats.catalogQueries} times (once would have been enough) and up to ${stats.maxWaiting} requests waited for a connection.`;
  writeFileSync(readme, `${text.slice(0, text.indexOf(begin) + begin.length)}\n${numbers}\n\n${table}\n${text.slice(text.indexOf(end))}`);
}
