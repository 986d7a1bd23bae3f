import * as assert from 'node:assert/strict';
import type { FeedContext } from '../../../src/core/deploys/feedHttp';
import { deploysFromFeed, findItems, httpSourceOptions, readHttpFeed, type HttpSourceOptions } from '../../../src/core/deploys/http';
import type { FeedServerOptions, LoopbackServer } from '../../contract/deployServers';
import { startFeedServer } from '../../contract/deployServers';

const feed = {
  meta: { count: 5 },
  data: {
    deploys: [
      { deployment: { tag: 'v3.2.1', sha: 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe', env: 'prod' }, at: '2026-11-22T14:00:00Z', meta: { who: 'ana' }, state: 'ok', type: 'deploy', svc: 'checkout', link: 'https://cd.example.com/d/1', uid: 'd-1' },
      { deployment: { tag: 'cache.ttl=300', env: 'prod' }, at: 1795350000, meta: { who: 'ben' }, type: 'configuration', svc: 'checkout', uid: 'd-2' },
      { deployment: { tag: 'v9.9.9', env: 'prod' }, at: '2026-11-22T15:00:00Z', svc: 'payments', uid: 'd-3' },
      { deployment: { env: 'prod' }, at: '2026-11-22T16:00:00Z', svc: 'checkout', uid: 'd-4' },
      { deployment: { tag: 'v3.2.0' }, at: 'soon', svc: 'checkout', uid: 'd-5' },
      { deployment: { tag: 'v3.1.0' }, at: '2026-11-20T10:00:00Z', svc: 'checkout', uid: 'd-6', state: 'weird' },
    ],
  },
};
const options: HttpSourceOptions = {
  url: 'http://placeholder/',
  items: 'data.deploys',
  mapping: { version: 'deployment.tag', time: 'at', commit: 'deployment.sha', environment: 'deployment.env', actor: 'meta.who', status: 'state', kind: 'type', service: 'svc', url: 'link', id: 'uid' },
};

const servers: LoopbackServer[] = [];
async function start(over: Partial<FeedServerOptions> = {}): Promise<LoopbackServer> {
  const s = await startFeedServer({ routes: { '/api/deploys': feed, '/flags': [{ flag: 'new-checkout', value: 'on', at: '2026-11-22T18:00:00Z' }] }, ...over });
  servers.push(s);
  return s;
}
const ctx = (over: Partial<FeedContext> = {}): FeedContext => ({ service: 'checkout', http: { timeoutMs: 5000 }, credentialKey: 'http:http://127.0.0.1', ...over });

describe('deploys: the http source (any JSON feed with a field mapping)', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('maps dotted paths, keeps only the service\'s items, reads kinds and statuses, reports bad items by index', async () => {
    const s = await start();
    const r = await readHttpFeed({ ...options, url: `${s.url}/api/deploys?service=checkout` }, ctx());
    const host = new URL(s.url).host;
    assert.deepEqual(r.deploys[0], {
      id: `http:${host}/api/deploys#d-1`,
      service: 'checkout',
      source: 'http',
      kind: 'deploy',
      version: 'v3.2.1',
      time: '2026-11-22T14:00:00.000Z',
      environment: 'prod',
      actor: 'ana',
      status: 'success',
      commit: 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe',
      url: 'https://cd.example.com/d/1',
    });
    const config = r.deploys[1];
    assert.equal(config?.kind, 'config');
    assert.equal(config?.time, '2026-11-22T12:20:00.000Z', 'epoch seconds');
    assert.equal(config?.status, 'unknown', 'a feed with a status field that this item lacks does not say it succeeded');
    assert.equal(r.deploys[2]?.status, 'unknown', 'an unknown status word');
    assert.equal(r.deploys.length, 3, 'the payments item is left out, two bad items skipped');
    assert.deepEqual(r.problems.map((p) => p.message.replace(s.url, 'URL')), [
      'Item 4 of the deploy feed URL/api/deploys?service=checkout (data.deploys): skipped: no "deployment.tag".',
      'Item 5 of the deploy feed URL/api/deploys?service=checkout (data.deploys): skipped: "at" is not a time: "soon" (expected ISO 8601, e.g. 2026-11-22T18:05:00Z, or epoch seconds).',
    ]);
    assert.ok(r.problems.every((p) => p.severity === 'warning' && p.source === 'http:http://127.0.0.1'));
  });

  it('finds the list by itself (the body, or its first list) and takes a constant changeKind', async () => {
    const s = await start();
    const flags = await readHttpFeed({ url: `${s.url}/flags`, mapping: { version: 'flag', time: 'at' }, changeKind: 'flag' }, ctx());
    assert.deepEqual(flags.problems, []);
    assert.equal(flags.deploys[0]?.kind, 'flag');
    assert.equal(flags.deploys[0]?.status, 'success', 'without a status mapping an item is a done change');
    assert.match(flags.deploys[0]?.id ?? '', /^http:127\.0\.0\.1:\d+\/flags#flag::new-checkout@2026-11-22T18:00:00\.000Z$/);
    assert.deepEqual(findItems({ meta: {}, results: [1], more: [2] }, undefined), { items: [1], path: 'results' });
    assert.match(String(findItems({ meta: {} }, undefined)), /an object without a list \(its keys: meta\): set "items"/);
    assert.match(String(findItems({ data: { x: 1 } }, 'data.deploys')), /"items: data\.deploys" is not in the answer \(its keys: data\)/);
    assert.match(String(findItems({ data: 5 }, 'data')), /is a number \(5\), not a list/);
    const r = deploysFromFeed({ oops: true }, { ...options, items: undefined }, 'checkout', 'https://x/feed');
    assert.equal(r.problems[0]?.severity, 'error');
    assert.match(r.problems[0]?.message ?? '', /^Deploy feed https:\/\/x\/feed: the answer is an object without a list/);
  });

  it('sends the token as a bearer token; since filters', async () => {
    const s = await start({ token: 'feed-token' });
    const r = await readHttpFeed({ ...options, url: `${s.url}/api/deploys` }, ctx({ token: 'feed-token', since: new Date('2026-11-22T13:00:00Z') }));
    assert.equal(s.requests[0]?.headers['authorization'], 'Bearer feed-token');
    assert.deepEqual(r.deploys.map((d) => d.version), ['v3.2.1'], 'the config change at 12:20 and v3.1.0 are older');
  });

  describe('failures', () => {
    it('401 points to Set Deploy Credentials; 404 names the feed; 5xx has a snippet; timeout; HTML', async () => {
      const s = await start({ token: 'feed-token' });
      const u = await readHttpFeed({ ...options, url: `${s.url}/api/deploys` }, ctx());
      assert.equal(u.problems[0]?.code, 'unauthorized');
      assert.match(u.problems[0]?.message ?? '', /^Deploy feed \(http:.*\) refused the request \(HTTP 401 Unauthorized: "unauthorized"\)\. No token is stored for http:http:\/\/127\.0\.0\.1; run "On-Call: Set Deploy Credentials…" to set one\./);
      const n = await readHttpFeed({ ...options, url: `${s.url}/api/nope` }, ctx({ token: 'feed-token' }));
      assert.equal(n.problems[0]?.code, 'not-found');
      assert.match(n.problems[0]?.message ?? '', /^The deploy feed of checkout was not found: Deploy feed \(http:.*\/api\/nope\) answered HTTP 404/);
      const down = await start({ fault: { kind: 'status', status: 500, body: 'java.lang.NullPointerException at DeployController.list' } });
      const e = await readHttpFeed({ ...options, url: `${down.url}/api/deploys` }, ctx());
      assert.match(e.problems[0]?.message ?? '', /failed with HTTP 500 Internal Server Error: "java\.lang\.NullPointerException at DeployController\.list"/);
      const hang = await start({ fault: { kind: 'hang' } });
      const t = await readHttpFeed({ ...options, url: `${hang.url}/api/deploys` }, ctx({ http: { timeoutMs: 300 } }));
      assert.equal(t.problems[0]?.code, 'timeout');
      const html = await start({ fault: { kind: 'html-login' } });
      const h = await readHttpFeed({ ...options, url: `${html.url}/api/deploys` }, ctx());
      assert.equal(h.problems[0]?.code, 'not-json');
    });

    it('a refused connection and a token in the URL: the URL is shown redacted', async () => {
      const s = await start();
      await s.close();
      servers.splice(servers.indexOf(s), 1);
      const r = await readHttpFeed({ ...options, url: `${s.url}/api/deploys?token=s3cret` }, ctx());
      assert.equal(r.problems[0]?.code, 'refused');
      assert.doesNotMatch(r.problems[0]?.message ?? '', /s3cret/);
      assert.match(r.problems[0]?.message ?? '', /^Deploy feed: Nothing is listening at 127\.0\.0\.1:\d+/);
    });
  });

  it('reads the catalog entry\'s options', () => {
    assert.deepEqual(httpSourceOptions({ url: 'https://x', mapping: { version: 'v', time: 't' }, items: 'data', changeKind: 'config' }), { url: 'https://x', mapping: { version: 'v', time: 't' }, items: 'data', changeKind: 'config' });
    assert.equal(typeof httpSourceOptions({ url: 'https://x', mapping: { version: 'v' } }), 'string');
  });
});
