import * as assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { runBackendTrace } from '../../src/cli/backendTrace';
import type { ContractServer } from '../contract/servers';
import { loadFixture, startContractServer } from '../contract/servers';
import { flatten } from '../contract/convert';

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = args[0] === 'trace' && env['ONCALL_TOKEN'] !== undefined
    ? await runBackendTrace(args.slice(1), (s) => (out += `${s}\n`), (s) => (err += `${s}\n`), env)
    : await main(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}

const spans = flatten(loadFixture().otlp);
const slowId = spans.find((f) => f.span.status?.code === 2)?.span.traceId as string;

describe('oncall-lens trace <id> --backend (CLI against contract servers)', () => {
  const servers: ContractServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('prints the report of a trace fetched from each kind', async () => {
    for (const kind of ['jaeger', 'jaeger-v3', 'tempo', 'tempo-v2', 'zipkin']) {
      const s = await startContractServer(kind as 'jaeger');
      servers.push(s);
      const r = await run(['trace', slowId, '--backend', s.url, `--kind=${kind}`]);
      assert.equal(r.code, 0, `${kind}: ${r.err}`);
      assert.match(r.out, new RegExp(`Trace ${slowId} {2}\\(.* from 127\\.0\\.0\\.1:\\d+\\)`));
      assert.match(r.out, /root {7}POST \/api\/checkout \[checkout-service\]/);
      assert.match(r.out, /errors {5}.*POST \/api\/charge \[payments-service\]: card declined/);
      assert.match(r.out, /slowest {4}SELECT catalog_items \[pricing-service\]/);
    }
  });

  it('--json, --token (and ONCALL_TOKEN), --tenant', async () => {
    const s = await startContractServer('tempo-v2', { tenant: 'team-a', authorization: 'Bearer t0k' });
    servers.push(s);
    const denied = await run(['trace', slowId, '--backend', s.url, '--kind', 'tempo-v2', '--tenant', 'team-a']);
    assert.equal(denied.code, 1);
    assert.match(denied.err, /HTTP 401 Unauthorized.*pass --token or set ONCALL_TOKEN/);
    const r = await run(['trace', slowId, '--backend', s.url, '--kind', 'tempo-v2', '--tenant', 'team-a', '--token', 't0k', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.traceId, slowId);
    assert.equal(j.spanCount, 12);
    assert.equal(j.backend.kind, 'tempo-v2');
    const viaEnv = await run(['trace', slowId, '--backend', s.url, '--kind', 'tempo-v2', '--tenant', 'team-a'], { ONCALL_TOKEN: 't0k' });
    assert.equal(viaEnv.code, 0, viaEnv.err);
    assert.equal(s.requests.at(-1)?.headers['x-scope-orgid'], 'team-a');
  });

  it('fails clearly: not found, bad kind, bad ID, missing URL', async () => {
    const s = await startContractServer('zipkin');
    servers.push(s);
    const missing = await run(['trace', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', '--backend', s.url, '--kind', 'zipkin']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Trace a1b2c3d4e5f60718293a4b5c6d7e8f90 was not found in 127\.0\.0\.1:\d+ \(http:/);
    assert.equal((await run(['trace', slowId, '--backend', s.url, '--kind', 'elastic'])).code, 2);
    assert.match((await run(['trace', 'xyz', '--backend', s.url, '--kind', 'zipkin'])).err, /not a hex digit/);
    assert.match((await run(['trace', slowId, '--backend', '', '--kind', 'zipkin'])).err, /--backend needs the base URL/);
  });
});
