import * as assert from 'node:assert/strict';
import { readArgocd, type ArgocdSourceOptions } from '../../../src/core/deploys/argocd';
import type { FeedContext } from '../../../src/core/deploys/feedHttp';
import type { ArgocdServerOptions, LoopbackServer } from '../../contract/deployServers';
import { argoApplication, startArgocdServer } from '../../contract/deployServers';

const sha = (c: string): string => c.repeat(40);
const history = [
  { id: 11, revision: sha('a'), deployedAt: '2026-11-20T10:04:00Z', deployStartedAt: '2026-11-20T10:03:30Z', initiatedBy: { username: 'ana@acme.example' } },
  { id: 12, revision: sha('b'), deployedAt: '2026-11-21T09:02:10Z', deployStartedAt: '2026-11-21T09:02:00Z', targetRevision: 'v1.5.0', initiatedBy: { automated: true } },
  { id: 13, revision: sha('c'), deployedAt: '2026-11-22T16:00:00Z' },
];
const app = argoApplication('checkout-prod', history);

const servers: LoopbackServer[] = [];
async function start(over: Partial<ArgocdServerOptions> = {}): Promise<LoopbackServer> {
  const s = await startArgocdServer({ apps: { 'checkout-prod': app }, token: 'argo-token', ...over });
  servers.push(s);
  return s;
}
const ctx = (over: Partial<FeedContext> = {}): FeedContext => ({ service: 'checkout', http: { timeoutMs: 5000 }, credentialKey: 'argocd:127.0.0.1/checkout-prod', token: 'argo-token', ...over });
const opts = (s: LoopbackServer, app0 = 'checkout-prod'): ArgocdSourceOptions => ({ server: s.url, app: app0 });

describe('deploys: the argocd source (contract server)', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('reads status.history: revision, times, initiator, source; linked oldest to newest', async () => {
    const s = await start();
    const r = await readArgocd(opts(s), ctx());
    assert.deepEqual(r.problems, []);
    assert.equal(s.requests[0]?.path, '/api/v1/applications/checkout-prod');
    assert.equal(s.requests[0]?.headers['authorization'], 'Bearer argo-token');
    const host = new URL(s.url).host;
    assert.deepEqual(r.deploys[0], {
      id: `argocd:${host}/checkout-prod:11`,
      service: 'checkout',
      source: 'argocd',
      kind: 'deploy',
      version: 'aaaaaaa',
      time: '2026-11-20T10:04:00.000Z',
      actor: 'ana@acme.example',
      status: 'success',
      commit: sha('a'),
      url: `${s.url}/applications/checkout-prod`,
      description: 'Synced github.com/acme/deploy/apps/checkout-prod at main in 30 s',
    });
    const second = r.deploys[1];
    assert.equal(second?.version, 'v1.5.0', 'a version-like target revision names the deploy');
    assert.equal(second?.actor, 'automated sync');
    assert.equal(second?.previousCommit, sha('a'));
    assert.equal(r.deploys[2]?.previousCommit, sha('b'));
    assert.equal(r.deploys[2]?.actor, undefined);
  });

  it('a running or failed sync (operationState) is listed; a succeeded one is already in the history; since filters', async () => {
    const running = argoApplication('checkout-prod', history, { phase: 'Running', startedAt: '2026-11-23T03:05:00Z', operation: { sync: { revision: sha('d') }, initiatedBy: { username: 'ben' } } });
    const failed = argoApplication('checkout-prod', history, { phase: 'Failed', message: 'one or more objects failed to apply', startedAt: '2026-11-23T03:05:00Z', finishedAt: '2026-11-23T03:06:00Z', operation: { sync: { revision: sha('d') } }, syncResult: { revision: sha('d') } });
    const done = argoApplication('checkout-prod', history, { phase: 'Succeeded', startedAt: '2026-11-22T15:59:00Z', finishedAt: '2026-11-22T16:00:00Z', operation: { sync: { revision: sha('c') } } });
    const s = await start({ apps: { run: running, fail: failed, done } });
    const run = await readArgocd(opts(s, 'run'), ctx());
    const op = run.deploys.find((d) => d.status === 'in_progress');
    assert.equal(op?.version, 'ddddddd');
    assert.equal(op?.actor, 'ben');
    assert.equal(op?.time, '2026-11-23T03:05:00.000Z');
    const f = await readArgocd(opts(s, 'fail'), ctx());
    const fop = f.deploys.find((d) => d.status === 'failure');
    assert.equal(fop?.time, '2026-11-23T03:06:00.000Z');
    assert.equal(fop?.description, 'Sync failed: one or more objects failed to apply');
    const d = await readArgocd(opts(s, 'done'), ctx());
    assert.equal(d.deploys.length, 3);
    const recent = await readArgocd(opts(s, 'run'), ctx({ since: new Date('2026-11-22T00:00:00Z') }));
    assert.deepEqual(recent.deploys.map((x) => x.status), ['success', 'in_progress']);
  });

  it('an application in another namespace is asked with appNamespace', async () => {
    const s = await start({ apps: { 'checkout-prod': app } });
    const r = await readArgocd(opts(s, 'team-a/checkout-prod'), ctx());
    assert.equal(r.deploys.length, 3);
    assert.equal(s.requests[0]?.query['appNamespace'], 'team-a');
    assert.equal(r.deploys[0]?.url, `${s.url}/applications/team-a/checkout-prod`);
  });

  describe('failures', () => {
    it('401 without or with a bad token points to Set Deploy Credentials', async () => {
      const s = await start();
      const none = await readArgocd(opts(s), ctx({ token: undefined }));
      assert.equal(none.problems[0]?.code, 'unauthorized');
      assert.match(none.problems[0]?.message ?? '', /^Argo CD checkout-prod \(http:.*\) refused the request \(HTTP 401 Unauthorized: "no session information"\)\. No token is stored for argocd:127\.0\.0\.1\/checkout-prod; run "On-Call: Set Deploy Credentials…" to set one\./);
      const bad = await readArgocd(opts(s), ctx({ token: 'expired-jwt' }));
      assert.match(bad.problems[0]?.message ?? '', /"invalid session: token signature is invalid"\)\. The stored token was sent; run "On-Call: Set Deploy Credentials…" to replace it/);
      assert.doesNotMatch(bad.problems[0]?.message ?? '', /expired-jwt/);
    });

    it('404 names the application; a 403 says Argo CD hides missing apps that way', async () => {
      const s = await start();
      const r = await readArgocd(opts(s, 'checkout-stage'), ctx());
      assert.equal(r.problems[0]?.code, 'not-found');
      assert.match(r.problems[0]?.message ?? '', /^Application checkout-stage was not found: Argo CD checkout-stage \(http:.*\/api\/v1\/applications\/checkout-stage\) answered HTTP 404: "applications\.argoproj\.io "checkout-stage" not found"\. Check "app" in oncall\.yaml/);
      const hidden = await start({ hideMissing: true });
      const h = await readArgocd(opts(hidden, 'checkout-stage'), ctx());
      assert.equal(h.problems[0]?.code, 'forbidden');
      assert.match(h.problems[0]?.message ?? '', /HTTP 403 Forbidden: "permission denied"\)\. Argo CD answers 403 also for an application that does not exist: check "app" \(checkout-stage\) as well\. The stored token was sent/);
    });

    it('5xx with a snippet; a timeout; JSON that is not an application', async () => {
      const s = await start({ fault: { kind: 'status', status: 503, contentType: 'application/json', body: '{"error":"rpc error: code = Unavailable desc = connection refused","code":14,"message":"rpc error: code = Unavailable desc = connection refused"}' } });
      const r = await readArgocd(opts(s), ctx());
      assert.equal(r.problems[0]?.code, 'server');
      assert.match(r.problems[0]?.message ?? '', /Argo CD checkout-prod \(http:.*\) failed with HTTP 503 Service Unavailable: "rpc error: code = Unavailable/);
      const hang = await start({ fault: { kind: 'hang' } });
      const t = await readArgocd(opts(hang), ctx({ http: { timeoutMs: 300 } }));
      assert.equal(t.problems[0]?.code, 'timeout');
      assert.match(t.problems[0]?.message ?? '', /^Argo CD checkout-prod: http:.* did not answer within 0\.3 s/);
      const odd = await start({ fault: { kind: 'status', status: 200, contentType: 'application/json', body: '{"items":[]}' } });
      const o = await readArgocd(opts(odd), ctx());
      assert.equal(o.problems[0]?.code, 'malformed');
      assert.match(o.problems[0]?.message ?? '', /answered JSON that is not an application/);
    });
  });
});
