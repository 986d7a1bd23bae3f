import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { main } from '../../src/cli/main';
import { repoRoot } from './helpers';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}

const otlp = path.join(repoRoot, 'test', 'fixtures', 'producers', 'otlp-json-from-otel-js-sdk.json');

describe('oncall-lens trace (CLI)', () => {
  it('prints root, duration, services, errors, critical path and the span tree', async () => {
    const r = await run('trace', otlp);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Trace 377dd776713a7e99e5c5cb475fbdc196 {2}\(OTLP\/JSON\)/);
    assert.match(r.out, /root {7}GET \/api\/users\/:id \[checkout\]/);
    assert.match(r.out, /errors {5}loadUser \[checkout\]: user is undefined/);
    assert.match(r.out, /critical {3}GET \/api\/users\/:id \(1 ms\) → loadUser \(0\.881 ms\) → GET \/api\/users\/:id \(0\.165 ms\)/);
    assert.match(r.out, /✗ {3}loadUser \[checkout\]/);
  });

  it('--json prints the normalized trace', async () => {
    const r = await run('trace', otlp, '--id', '00-377dd776713a7e99e5c5cb475fbdc196-86a91c130aec97ec-01', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.traceId, '377dd776713a7e99e5c5cb475fbdc196');
    assert.equal(j.spanCount, 2);
    assert.deepEqual(j.services, ['checkout']);
    assert.equal(j.errors[0].name, 'loadUser');
    assert.equal(j.spans[1].parentSpanId, j.spans[0].spanId);
    assert.equal(j.durationMs, 2.046);
  });

  it('fails clearly: unknown ID, bad ID, broken file, usage', async () => {
    const missing = await run('trace', otlp, '--id', 'a3ce929d0e0e4736');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /trace 0000000000000000a3ce929d0e0e4736 is not in this file\. It holds 1 trace\(s\): 377dd776713a7e99e5c5cb475fbdc196/);
    const bad = await run('trace', otlp, '--id', 'xyz');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /"x" is not a hex digit/);
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-cli-')), 'broken.json');
    fs.writeFileSync(tmp, fs.readFileSync(otlp, 'utf8').slice(0, 3000));
    const broken = await run('trace', tmp);
    assert.equal(broken.code, 1);
    assert.match(broken.err, /broken\.json:\d+:\d+: .*truncated/);
    const nofile = await run('trace', path.join(os.tmpdir(), 'does-not-exist.json'));
    assert.match(nofile.err, /does not exist/);
    assert.equal((await run('frobnicate')).code, 2);
  });

  it('escapes control characters from span names in text output', async () => {
    const doc = JSON.parse(fs.readFileSync(otlp, 'utf8'));
    doc.resourceSpans[0].scopeSpans[0].spans[0].name = 'evil\u001b[31mred\u0007';
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-cli-')), 'evil.json');
    fs.writeFileSync(tmp, JSON.stringify(doc));
    const r = await run('trace', tmp);
    assert.ok(!r.out.includes('\u001b'));
    assert.match(r.out, /evil\\u001b\[31mred\\u0007/);
  });
});
