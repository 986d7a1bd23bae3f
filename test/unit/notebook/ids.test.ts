// Entity IDs (src/core/notebook/ids.ts) and new incidents (src/core/notebook/incident.ts).
import * as assert from 'node:assert/strict';
import { countingIds, derivedEntityId, entityIds, newEntityId, opContext, seededRandom } from '../../../src/core/notebook/ids';
import { newIncident, nextIncidentId } from '../../../src/core/notebook/incident';
import { applyOp } from '../../../src/core/notebook/ops';
import { small } from './sample';

describe('notebook: entity IDs', () => {
  it('makes random IDs like o-k3x9 that are not taken', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newEntityId('o', (x) => seen.has(x));
      assert.match(id, /^o-[a-z0-9]{4,6}$/);
      assert.ok(!seen.has(id));
      seen.add(id);
    }
  });

  it('grows to 5 and 6 characters when short IDs keep colliding, and never loops for ever', () => {
    const taken = (id: string): boolean => id.length < 8; // every 4- and 5-character ID
    assert.match(newEntityId('h', taken, seededRandom(1)), /^h-[a-z0-9]{6}$/);
    assert.match(newEntityId('h', () => false, () => new Uint8Array([255, 253, 7, 40, 1, 2, 3, 4])), /^h-7[a-z0-9]{3}$/, 'bytes of 252 and above are skipped (no bias)');
    // A broken random source (always zeros): after 60 collisions it counts instead of looping.
    assert.equal(newEntityId('a', (x) => x.startsWith('a-0'), () => new Uint8Array(8)), 'a-z0');
    assert.throws(() => newEntityId('ab', () => false), /one letter/);
  });

  it('counts in tests, per prefix, around taken IDs', () => {
    const next = countingIds((x) => x === 'o-2');
    assert.deepEqual([next('o'), next('o'), next('h'), next('o')], ['o-1', 'o-3', 'h-1', 'o-4']);
  });

  it('derives a stable ID from content, off taken ones', () => {
    const a = derivedEntityId('o', '- 03:14Z · p99 doubled', () => false);
    assert.equal(a, derivedEntityId('o', '- 03:14Z · p99 doubled', () => false));
    assert.match(a, /^o-[a-z0-9]{6}$/);
    assert.notEqual(derivedEntityId('o', 'other', () => false), a);
    const b = derivedEntityId('o', '- 03:14Z · p99 doubled', (x) => x === a);
    assert.notEqual(b, a);
    assert.match(b, /^o-[a-z0-9]{6}$/);
  });

  it('opContext gives IDs unused in the incident and in this context', () => {
    const c = opContext(small, '2026-11-23T04:00:00Z', seededRandom(7));
    const ids = new Set([...entityIds(small)]);
    for (let i = 0; i < 200; i++) {
      const id = c.newId('t');
      assert.ok(!ids.has(id));
      ids.add(id);
    }
    const r = applyOp(small, { op: 'addObservation', text: 'x' }, opContext(small, '2026-11-23T04:00:00Z'));
    assert.ok(r.ok && /^o-[a-z0-9]{4,6}$/.test(r.id ?? ''));
  });
});

describe('notebook: new incidents', () => {
  it('numbers incidents per UTC day from 01, growing past 99', () => {
    assert.equal(nextIncidentId('2026-11-23T03:12:00Z', []), 'INC-2026-11-23-01');
    assert.equal(nextIncidentId('2026-11-23T23:59:59Z', ['INC-2026-11-23-01', 'INC-2026-11-23-07', 'INC-2026-11-22-09', 'notes']), 'INC-2026-11-23-08');
    assert.equal(nextIncidentId(new Date('2026-11-24T00:00:01Z'), ['INC-2026-11-23-08']), 'INC-2026-11-24-01');
    assert.equal(nextIncidentId('2026-11-23T03:12:00Z', ['INC-2026-11-23-99']), 'INC-2026-11-23-100');
    assert.equal(nextIncidentId('2026-11-23T03:12:00Z', ['INC-2026-11-23-100']), 'INC-2026-11-23-101');
    assert.throws(() => nextIncidentId('yesterday', []), /UTC date/);
  });

  it('starts an active incident in triage with a detect entry', () => {
    const inc = newIncident({ title: ' Checkout 504s\n', severity: 'SEV-2', commander: 'Sam Okafor', detectedBy: 'alert', alert: 'CheckoutLatencyHigh', started: '2026-11-23T03:12:00Z', detected: '2026-11-23T03:13:05Z', services: ['checkout-service', ' checkout-service ', ''] }, ['INC-2026-11-23-01']);
    assert.deepEqual(inc, {
      id: 'INC-2026-11-23-02', title: 'Checkout 504s', severity: 'SEV-2', status: 'active', phase: 'triage', commander: 'Sam Okafor', detectedBy: 'alert', alert: 'CheckoutLatencyHigh',
      started: '2026-11-23T03:12:00Z', detected: '2026-11-23T03:13:05Z', services: ['checkout-service'], summary: '', impact: '', observations: [], hypotheses: [], actions: [],
      timeline: [{ id: 't-0', at: '2026-11-23T03:13:05Z', kind: 'detect', text: 'Alert CheckoutLatencyHigh fired; Sam Okafor is incident commander.' }], notes: '',
    });
    const byCustomer = newIncident({ title: 'x', severity: 'SEV-3', commander: 'Lena', detectedBy: 'customer', started: '2026-11-23T03:12:00Z' }, 'INC-2026-11-23-05');
    assert.equal(byCustomer.id, 'INC-2026-11-23-05');
    assert.equal(byCustomer.timeline[0]?.text, 'Reported by a customer; Lena is incident commander.');
    assert.ok(!('alert' in byCustomer));
    assert.throws(() => newIncident({ title: 'x', severity: 'SEV-3', commander: 'L', detectedBy: 'human', started: '2026-11-23 03:12' }, []), /UTC time/);
    assert.throws(() => newIncident({ title: ' ', severity: 'SEV-3', commander: 'L', detectedBy: 'human', started: '2026-11-23T03:12:00Z' }, []), /title/);
    assert.throws(() => newIncident({ title: 'x', severity: 'SEV-3', commander: 'L', detectedBy: 'human', started: '2026-11-23T03:12:00Z' }, 'INC-1'), /Not an incident ID/);
  });
});
