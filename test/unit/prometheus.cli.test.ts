// `oncall-lens exemplars` against a loopback server replaying Prometheus 2.42 answers (trace-apis.md §5.1/§7.2).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { main } from '../../src/cli/main';
import { exemplarsMain } from '../../src/cli/exemplarsCommand';

const now = 1795342000_000;
const answers: Record<string, { status: number; body: string }> = {
  http_server_duration_seconds_bucket: {
    status: 200,
    body: JSON.stringify({
      status: 'success',
      data: [
        {
          seriesLabels: { __name__: 'http_server_duration_seconds_bucket', instance: '127.0.0.1:19100', job: 'demo', le: '0.1', route: '/api/users/:id' },
          exemplars: [{ labels: { span_id: '00f067aa0ba902b7', trace_id: '0af7651916cd43dd8448eb211c80319c' }, value: '0.054', timestamp: 1795341910.227 }],
        },
        {
          seriesLabels: { __name__: 'http_server_duration_seconds_bucket', job: 'demo', le: '5', route: '/api/checkout\u001b[31m' },
          exemplars: [
            { labels: { traceID: '9cf35a0a068b7724b80691ede72e69f5' }, value: '3.000870726', timestamp: 1795341820 },
            { labels: { other: 'x' }, value: '4', timestamp: 1795341820 },
          ],
        },
      ],
    }),
  },
  'rate(': { status: 400, body: '{"status":"error","errorType":"bad_data","error":"1:6: parse error: unclosed left parenthesis"}' },
  nothing: { status: 200, body: '{"status":"success","data":[]}' },
};

describe('oncall-lens exemplars (CLI)', () => {
  let server: http.Server;
  let url: string;
  let flags = '{"status":"success","data":{"enable-feature":"exemplar-storage"}}';
  const seen: URLSearchParams[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/api/v1/status/flags') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(flags);
        return;
      }
      seen.push(u.searchParams);
      const a = answers[u.searchParams.get('query') ?? ''] ?? answers['nothing'];
      res.writeHead(a?.status ?? 500, { 'content-type': 'application/json' });
      res.end(a?.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
    return { code, out, err };
  }

  /** `oncall-lens exemplars …` with the clock at `now`. */
  async function runAt(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await exemplarsMain(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`), () => now);
    return { code, out, err };
  }

  it('prints value, relative time, trace ID and series, slowest first', async () => {
    const r = await runAt('--prometheus', url, '--query', 'http_server_duration_seconds_bucket', '--minutes', '30');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[0], '3.00 s  3 min ago  9cf35a0a068b7724b80691ede72e69f5  http_server_duration_seconds_bucket{job="demo", le="5", route="/api/checkout\\u001b[31m"}');
    assert.equal(lines[1], ' 54 ms  1 min ago  0af7651916cd43dd8448eb211c80319c  http_server_duration_seconds_bucket{instance="127.0.0.1:19100", job="demo", le="0.1", route="/api/users/:id"}');
    assert.match(r.err, /1 exemplar\(s\) without a trace ID under trace_id, traceID, traceId, TraceID not shown/);
    const q = seen.at(-1);
    assert.equal(q?.get('start'), String((now - 30 * 60_000) / 1000) + '.000');
    assert.equal(q?.get('end'), `${now / 1000}.000`);
  });

  it('--json prints the normalized exemplars', async () => {
    const r = await run('exemplars', `--prometheus=${url}`, '--query=http_server_duration_seconds_bucket', '--json', '--label', 'trace_id');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.prometheus, url);
    assert.equal(j.exemplars.length, 1, 'only trace_id with --label trace_id');
    assert.deepEqual(
      { ...j.exemplars[0], seriesLabels: undefined },
      { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '00f067aa0ba902b7', value: 0.054, timestampMs: 1795341910227, time: '2026-11-22T10:05:10.227Z', labels: { span_id: '00f067aa0ba902b7', trace_id: '0af7651916cd43dd8448eb211c80319c' }, seriesLabels: undefined },
    );
    assert.equal(j.withoutTraceId, 2);
    assert.equal(j.seriesCount, 2);
  });

  it('shows bad PromQL verbatim, and says when nothing was found or storage is off', async () => {
    const bad = await run('exemplars', '--prometheus', url, '--query', 'rate(');
    assert.equal(bad.code, 1);
    assert.equal(bad.err.trim(), 'Prometheus rejected the query: 1:6: parse error: unclosed left parenthesis');
    const none = await run('exemplars', '--prometheus', url, '--query', 'nothing', '--minutes', '5');
    assert.equal(none.code, 0);
    assert.equal(none.err.trim(), `No exemplars for nothing in the last 5 minutes on ${url}.`);
    flags = '{"status":"success","data":{"enable-feature":""}}';
    const off = await run('exemplars', '--prometheus', url, '--query', 'nothing');
    assert.equal(off.code, 1);
    assert.equal(off.err.trim(), `Exemplar storage is disabled on ${url}: start Prometheus with --enable-feature=exemplar-storage.`);
  });

  it('fails clearly on usage and connection errors', async () => {
    assert.equal((await run('exemplars', '--query', 'x')).code, 2);
    assert.match((await run('exemplars', '--prometheus', url)).err, /--query <promql> is required/);
    assert.match((await run('exemplars', '--prometheus', url, '--query', 'x', '--minutes', '-3')).err, /--minutes must be a positive number/);
    assert.match((await run('exemplars', '--prometheus', url, '--bogus')).err, /unknown argument "--bogus"/);
    assert.match((await run('exemplars', '--prometheus')).err, /--prometheus needs a value/);
    const help = await run('--help');
    assert.match(help.out, /oncall-lens exemplars --prometheus <url> --query <promql>/);
    const refused = await run('exemplars', '--prometheus', 'http://127.0.0.1:1', '--query', 'up');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /Nothing is listening at 127\.0\.0\.1:1/);
  });
});
