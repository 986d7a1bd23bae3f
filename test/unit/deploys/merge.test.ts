import * as assert from 'node:assert/strict';
import type { Deploy } from '../../../src/core/deploys/model';
import { mergeSameDeploys } from '../../../src/core/deploys/merge';

const base = { service: 'pricing-service', kind: 'deploy' as const, time: '2026-11-18T09:12:00Z' };

describe('mergeSameDeploys', () => {
  it('keeps one entry for a tag and a log line of the same deploy: the one with files, completed by the other', () => {
    const tag: Deploy = { ...base, id: 'git:pricing-service-v4.18.0', source: 'git', version: 'pricing-service-v4.18.0', status: 'unknown', actor: 'deploy-bot', files: [{ path: 'services/pricing-service/src/priceCache.ts', status: 'M' }] };
    const log: Deploy = { ...base, id: 'file:deploys.jsonl:5', source: 'file', version: '4.18.0', status: 'success', environment: 'production', actor: 'marta.nowak', url: 'https://ci.example.com/1' };
    const flag: Deploy = { ...base, id: 'file:deploys.jsonl:6', source: 'file', kind: 'flag', version: 'x=1', status: 'success' };
    const out = mergeSameDeploys([log, tag, flag]);
    assert.equal(out.length, 2);
    const d = out.find((x) => x.kind === 'deploy');
    assert.equal(d?.source, 'git');
    assert.equal(d?.files?.length, 1);
    assert.equal(d?.environment, 'production');
    assert.equal(d?.status, 'success');
    assert.equal(d?.actor, 'marta.nowak', 'a person from the log rather than the bot that tagged');
    assert.equal(d?.url, 'https://ci.example.com/1');
  });

  it('keeps different versions and services apart', () => {
    const a: Deploy = { ...base, id: 'a', source: 'file', version: '4.18.0', status: 'success' };
    const b: Deploy = { ...base, id: 'b', source: 'file', version: '4.18.1', status: 'success' };
    const c: Deploy = { ...base, id: 'c', source: 'file', service: 'checkout-service', version: '4.18.0', status: 'success' };
    assert.equal(mergeSameDeploys([a, b, c]).length, 3);
  });
});
