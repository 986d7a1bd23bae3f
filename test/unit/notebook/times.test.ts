// Times typed into Start Incident and the status-bar clock; the panel's messages as the host validates them.
import * as assert from 'node:assert/strict';
import { elapsed, parseStartTime, statusText } from '../../../src/core/notebook/times';
import { MAX_VIEW_STATE_CHARS, parseNotebookWebviewMessage } from '../../../src/shared/protocol/notebook';

describe('notebook: start times and the clock', () => {
  const now = new Date('2026-11-24T03:20:30.500Z');

  it('reads a start time the way people type it at 3 a.m. (UTC)', () => {
    assert.equal(parseStartTime('', now), '2026-11-24T03:20:30Z');
    assert.equal(parseStartTime('now', now), '2026-11-24T03:20:30Z');
    assert.equal(parseStartTime('-15m', now), '2026-11-24T03:05:30Z');
    assert.equal(parseStartTime('- 2h', now), '2026-11-24T01:20:30Z');
    assert.equal(parseStartTime('03:12', now), '2026-11-24T03:12:00Z');
    assert.equal(parseStartTime('23:50', now), '2026-11-23T23:50:00Z', 'a time later than now today is yesterday');
    assert.equal(parseStartTime('2026-11-23 22:05', now), '2026-11-23T22:05:00Z');
    assert.equal(parseStartTime('2026-11-24T05:10+02:00', now), '2026-11-24T03:10:00Z', 'an offset is honoured');
  });

  it('refuses what it cannot read, and the future', () => {
    for (const bad of ['yesterday', '25:00', '03:61', '2026-11-25 03:00', '+10m', '2026-13-01 00:00']) assert.equal(parseStartTime(bad, now), undefined, bad);
  });

  it('says the elapsed time as an incident channel would', () => {
    const t = Date.parse('2026-11-24T03:20:30Z');
    assert.equal(elapsed('2026-11-24T03:20:00Z', t), '0m');
    assert.equal(elapsed('2026-11-24T02:38:00Z', t), '42m');
    assert.equal(elapsed('2026-11-24T00:15:00Z', t), '3h 05m');
    assert.equal(elapsed('2026-11-21T23:00:00Z', t), '2d 4h');
    assert.equal(elapsed('2026-11-25T00:00:00Z', t), '0m', 'a start in the future is not negative');
    assert.equal(statusText({ id: 'INC-2026-11-24-01', severity: 'SEV-2', phase: 'mitigate', started: '2026-11-24T02:38:00Z' }, t), 'INC-2026-11-24-01 · SEV-2 · mitigate · 42m');
  });
});

describe('notebook: messages from the panel (untrusted)', () => {
  it('takes well-formed messages and drops the rest', () => {
    assert.deepEqual(parseNotebookWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseNotebookWebviewMessage({ type: 'openEntry', id: 'o-k3x9' }), { type: 'openEntry', id: 'o-k3x9' });
    assert.deepEqual(parseNotebookWebviewMessage({ type: 'command', command: 'postmortem' }), { type: 'command', command: 'postmortem' });
    assert.deepEqual(parseNotebookWebviewMessage({ type: 'switch', id: 'INC-2026-11-23-01' }), { type: 'switch', id: 'INC-2026-11-23-01' });
    assert.deepEqual(parseNotebookWebviewMessage({ type: 'op', requestId: 3, op: { op: 'addObservation', text: 'p99 4 s' } }), { type: 'op', requestId: 3, op: { op: 'addObservation', text: 'p99 4 s' } });
    for (const bad of [
      null,
      'ready',
      { type: 'openEntry', id: '../../etc/passwd' },
      { type: 'command', command: 'workbench.action.terminal.new' },
      { type: 'switch', id: 'INC-1; rm -rf /' },
      { type: 'op', requestId: 1, op: { op: 'addObservation', text: 'x', link: { kind: 'url', url: 'javascript:alert(1)' } } },
      { type: 'op', requestId: 'one', op: { op: 'addObservation', text: 'x' } },
      { type: 'viewState', state: [] },
      { type: 'viewState', state: { drafts: 'x'.repeat(MAX_VIEW_STATE_CHARS) } },
      { type: 'rendered', revision: 1, incident: '<img>' },
    ]) {
      assert.equal(parseNotebookWebviewMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 120));
    }
    const state = { drafts: { 'INC-2026-11-24-01': { observation: { text: 'pool at 8/8' } } }, savedAt: 1 };
    assert.deepEqual(parseNotebookWebviewMessage({ type: 'viewState', state }), { type: 'viewState', state });
  });
});
