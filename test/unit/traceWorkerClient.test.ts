import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Logger } from '../../src/platform/logger';
import { TraceWorkerClient } from '../../src/traces/traceWorkerClient';

const repo = path.resolve(__dirname, '..', '..', '..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('TraceWorkerClient when idle (the real worker, dist/traceWorker.js)', () => {
  it('drops the kept trace after the first delay, keeps the thread until the second, then stops it', async () => {
    const lines: string[] = [];
    const log: Logger = { info: (m) => lines.push(m), warn: () => undefined, error: () => undefined, debug: () => undefined, timed: (_w, work) => work(), show: () => undefined };
    const client = new TraceWorkerClient(path.join(repo, 'dist', 'traceWorker.js'), log, 150, 700);
    const file = path.join(repo, 'test', 'fixtures', 'producers', 'otlp-json-from-otel-js-sdk.json');
    const traceId = '377dd776713a7e99e5c5cb475fbdc196';
    try {
      const opened = await client.open([file], traceId, 1 << 20, {});
      assert.equal(opened.view?.rowCount, 2);
      await sleep(400);
      assert.ok(lines.some((l) => /drops the trace it kept/.test(l)), 'the worker was told to drop its trace');
      assert.ok(client.running, 'the thread stays, its code compiled');
      // The details of the dropped trace are read again from the file.
      const details = await client.details([file], traceId, 1 << 20);
      assert.ok(details && (JSON.parse(details) as unknown[]).length === 2, 'details after the drop');
      await sleep(1_000);
      assert.ok(lines.some((l) => /stopped/.test(l)), 'stopped when idle long enough');
      assert.equal(client.running, false);
      // A request after the stop starts a fresh worker.
      assert.equal((await client.open([file], traceId, 1 << 20, {})).view?.rowCount, 2);
    } finally {
      client.dispose();
    }
  });
});
