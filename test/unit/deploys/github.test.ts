import * as assert from 'node:assert/strict';
import { setDeployCredentialsCommand, parseLinkHeader, type FeedContext } from '../../../src/core/deploys/feedHttp';
import { readGithub, type GithubSourceOptions } from '../../../src/core/deploys/github';
import type { GhDeploymentFixture, GithubServerOptions, LoopbackServer } from '../../contract/deployServers';
import { startGithubServer } from '../../contract/deployServers';

const sha = (n: number): string => n.toString(16).padStart(40, 'a');
const deployments: GhDeploymentFixture[] = [
  { id: 101, sha: sha(1), ref: 'v1.4.0', environment: 'production', created_at: '2026-11-20T10:00:00Z', creator: 'ana', description: 'Deploy v1.4.0', statuses: [
    { state: 'in_progress', created_at: '2026-11-20T10:00:05Z' },
    { state: 'success', created_at: '2026-11-20T10:04:00Z', log_url: 'https://github.com/acme/shop/actions/runs/1' },
    { state: 'inactive', created_at: '2026-11-21T09:00:00Z' },
  ] },
  { id: 102, sha: sha(2), ref: 'main', environment: 'production', created_at: '2026-11-21T09:00:00Z', creator: 'ben', statuses: [
    { state: 'queued', created_at: '2026-11-21T09:00:01Z' },
    { state: 'failure', created_at: '2026-11-21T09:03:00Z', description: 'health check failed', log_url: 'https://github.com/acme/shop/actions/runs/2' },
  ] },
  { id: 103, sha: sha(3), ref: sha(3), environment: 'production', created_at: '2026-11-22T08:00:00Z', creator: 'ana', statuses: [{ state: 'in_progress', created_at: '2026-11-22T08:00:02Z' }] },
  { id: 104, sha: sha(4), ref: 'v1.5.0-rc.1', environment: 'staging', created_at: '2026-11-22T09:00:00Z', creator: 'ci-bot' },
];
const releases = [
  { id: 7, tag_name: 'v1.4.0', target_commitish: 'main', name: 'Spring cleaning', created_at: '2026-11-20T09:50:00Z', published_at: '2026-11-20T09:55:00Z', author: 'ana' },
  { id: 8, tag_name: 'v1.5.0-rc.1', target_commitish: sha(4), prerelease: true, created_at: '2026-11-22T08:55:00Z', published_at: '2026-11-22T08:56:00Z', author: 'ci-bot' },
  { id: 9, tag_name: 'v1.5.0', target_commitish: 'main', draft: true, created_at: '2026-11-22T12:00:00Z', published_at: null, author: 'ana' },
];

const servers: LoopbackServer[] = [];
async function start(over: Partial<GithubServerOptions> = {}): Promise<LoopbackServer> {
  const s = await startGithubServer({ repos: { 'acme/shop': { id: 1296269, deployments, releases } }, token: 'ghp_right', ...over });
  servers.push(s);
  return s;
}
const ctx = (over: Partial<FeedContext> = {}): FeedContext => ({ service: 'shop', http: { timeoutMs: 5000 }, credentialKey: 'github:acme/shop', ...over });
const opts = (s: LoopbackServer, over: Partial<GithubSourceOptions> = {}): GithubSourceOptions => ({ repo: 'acme/shop', api: s.url, ...over });

describe('deploys: the github source (contract server)', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('reads deployments with their outcome from the statuses, and published releases', async () => {
    const s = await start();
    const r = await readGithub(opts(s), ctx({ token: 'ghp_right' }));
    assert.deepEqual(r.problems, []);
    const byId = new Map(r.deploys.map((d) => [d.id, d]));
    assert.deepEqual(byId.get('github:acme/shop:deployment:101'), {
      id: 'github:acme/shop:deployment:101',
      service: 'shop',
      source: 'github',
      kind: 'deploy',
      version: 'v1.4.0',
      time: '2026-11-20T10:04:00.000Z',
      environment: 'production',
      actor: 'ana',
      status: 'success',
      commit: sha(1),
      url: 'https://github.com/acme/shop/actions/runs/1',
      description: 'Deploy v1.4.0',
    });
    const failed = byId.get('github:acme/shop:deployment:102');
    assert.equal(failed?.status, 'failure');
    assert.equal(failed?.version, `main@${sha(2).slice(0, 7)}`, 'a branch ref is shown with the commit');
    assert.equal(failed?.description, 'health check failed');
    assert.equal(byId.get('github:acme/shop:deployment:103')?.status, 'in_progress');
    assert.equal(byId.get('github:acme/shop:deployment:103')?.version, sha(3).slice(0, 7));
    assert.equal(byId.get('github:acme/shop:deployment:104')?.status, 'pending', 'no status yet');
    const rel = byId.get('github:acme/shop:release:8');
    assert.equal(rel?.version, 'v1.5.0-rc.1');
    assert.equal(rel?.commit, sha(4));
    assert.equal(rel?.description, 'Release pre-release');
    assert.equal(rel?.url, 'https://github.com/acme/shop/releases/tag/v1.5.0-rc.1');
    assert.equal(byId.get('github:acme/shop:release:7')?.commit, undefined, 'a branch is not a commit');
    assert.ok(!byId.has('github:acme/shop:release:9'), 'drafts are left out even when the token sees them');
    const first = s.requests[0];
    assert.equal(first?.path, '/repos/acme/shop/deployments');
    assert.equal(first?.query['per_page'], '100');
    assert.equal(first?.headers['authorization'], 'Bearer ghp_right');
    assert.equal(first?.headers['accept'], 'application/vnd.github+json');
    assert.equal(first?.headers['x-github-api-version'], '2022-11-28');
    assert.equal(s.requests.filter((q) => q.path.endsWith('/statuses')).length, 4);
  });

  it('environment is sent as a filter; deployments: false and releases: false skip those requests; no token, no header', async () => {
    const s = await start();
    const prod = await readGithub(opts(s, { environment: 'production', releases: false }), ctx());
    assert.deepEqual(prod.deploys.map((d) => d.environment), ['production', 'production', 'production']);
    assert.equal(s.requests[0]?.query['environment'], 'production');
    assert.ok(s.requests.every((q) => q.headers['authorization'] === undefined));
    assert.ok(!s.requests.some((q) => q.path.endsWith('/releases')));
    s.requests.length = 0;
    const rel = await readGithub(opts(s, { deployments: false }), ctx());
    assert.deepEqual(s.requests.map((q) => q.path), ['/repos/acme/shop/releases']);
    assert.deepEqual(rel.deploys.map((d) => d.version).sort(), ['v1.4.0', 'v1.5.0-rc.1']);
  });

  it('follows Link rel="next" (GitHub links by repository ID), caps the pages, and stops once past since', async () => {
    const many: GhDeploymentFixture[] = Array.from({ length: 250 }, (_, i) => ({ id: 1000 + i, sha: sha(i), ref: `v2.${i}.0`, environment: 'production', created_at: new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString(), creator: 'ci', statuses: [{ state: 'success', created_at: new Date(Date.UTC(2026, 10, 1) + i * 3_600_000 + 60_000).toISOString() }] }));
    const s = await start({ repos: { 'acme/shop': { id: 1296269, deployments: many } } });
    const all = await readGithub(opts(s, { releases: false }), ctx(), { maxStatusLookups: 0 });
    assert.equal(all.deploys.length, 250);
    assert.deepEqual(s.requests.filter((q) => !q.path.endsWith('/statuses')).map((q) => `${q.path}?page=${q.query['page'] ?? 1}`), [
      '/repos/acme/shop/deployments?page=1',
      '/repositories/1296269/deployments?page=2',
      '/repositories/1296269/deployments?page=3',
    ]);
    assert.ok(all.deploys.every((d) => d.status === 'unknown'), 'beyond maxStatusLookups statuses are not asked');

    s.requests.length = 0;
    const capped = await readGithub(opts(s, { releases: false }), ctx(), { maxPages: 2, maxStatusLookups: 0 });
    assert.equal(capped.deploys.length, 200);
    assert.equal(s.requests.length, 2);
    assert.match(capped.problems[0]?.message ?? '', /read the newest 200 deployments \(2 pages\); older ones are not shown/);

    s.requests.length = 0;
    // Newest first: page 1 is i = 249…150, page 2 is i = 149…50 and ends before since, so page 3 is not asked.
    const since = new Date(Date.UTC(2026, 10, 1) + 120 * 3_600_000);
    const recent = await readGithub(opts(s, { releases: false }), ctx({ since }), { maxStatusLookups: 200 });
    assert.equal(s.requests.filter((q) => !q.path.endsWith('/statuses')).length, 2, 'page 3 is older than since: not asked');
    assert.equal(recent.deploys.length, 130);
    assert.ok(recent.deploys.every((d) => Date.parse(d.time) >= since.getTime()));
  });

  it('a next link to another host is not followed', async () => {
    const s = await start({
      fault: (q) => (q.path === '/repos/acme/shop/releases' ? { kind: 'status', status: 200, contentType: 'application/json', body: '[]', headers: { link: '<https://evil.example.com/steal?page=2>; rel="next"' } } : undefined),
    });
    const r = await readGithub(opts(s, { deployments: false }), ctx({ token: 'ghp_right' }));
    assert.match(r.problems[0]?.message ?? '', /next page of releases is on another host \(evil\.example\.com\), not followed/);
    assert.equal(s.requests.length, 1);
  });

  describe('failures: one clear message, no retry loop', () => {
    it('rate limit used up: the reset time in UTC, nothing more asked, a hint to store a token', async () => {
      const s = await start({ rateLimit: { limit: 60, remaining: 0, reset: 1_795_406_400 } });
      const r = await readGithub(opts(s), ctx());
      assert.equal(r.deploys.length, 0);
      assert.equal(s.requests.length, 1, 'never spin');
      assert.equal(r.problems.length, 1);
      assert.equal(r.problems[0]?.code, 'rate-limited');
      assert.match(r.problems[0]?.message ?? '', /^GitHub acme\/shop: GitHub's rate limit \(60 requests an hour for core\) is used up \(HTTP 403 at http:.*\); it resets at 2026-11-23 04:00:00 UTC\. Nothing more was asked\./);
      assert.ok(r.problems[0]?.message.includes(`run "${setDeployCredentialsCommand}" to store a token for github:acme/shop`));
    });

    it('the limit running out between pages stops paging with what was read; a secondary limit uses retry-after', async () => {
      const many: GhDeploymentFixture[] = Array.from({ length: 150 }, (_, i) => ({ id: 1 + i, sha: sha(i), ref: 'main', environment: 'production', created_at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(), creator: 'ci' }));
      const s = await start({ repos: { 'acme/shop': { id: 1, deployments: many } }, rateLimit: { limit: 60, remaining: 1, reset: 1_795_406_400 } });
      const r = await readGithub(opts(s), ctx(), { maxStatusLookups: 0 });
      assert.equal(r.deploys.length, 100);
      assert.equal(s.requests.length, 1);
      assert.equal(r.problems[0]?.severity, 'warning');
      assert.match(r.problems[0]?.message ?? '', /resets at 2026-11-23 04:00:00 UTC/);

      const sec = await start({ secondary: () => 60 });
      const r2 = await readGithub(opts(sec), ctx({ token: 'ghp_right', now: new Date('2026-11-23T03:12:00Z') }));
      assert.equal(sec.requests.length, 1);
      assert.match(r2.problems[0]?.message ?? '', /GitHub's secondary rate limit is used up \(HTTP 403 .*\); it resets at 2026-11-23 03:13:00 UTC/);
      assert.doesNotMatch(r2.problems[0]?.message ?? '', /store a token/, 'a token was sent');
      const s429 = await start({ fault: { kind: 'status', status: 429, contentType: 'application/json', body: '{"message":"slow down"}', headers: { 'retry-after': '30' } } });
      const r3 = await readGithub(opts(s429), ctx({ now: new Date('2026-11-23T03:12:00Z') }));
      assert.equal(r3.problems[0]?.code, 'rate-limited');
      assert.match(r3.problems[0]?.message ?? '', /HTTP 429 .* resets at 2026-11-23 03:12:30 UTC/);
    });

    it('401: points to Set Deploy Credentials, never shows the token, asks nothing more', async () => {
      const s = await start();
      const r = await readGithub(opts(s), ctx({ token: 'ghp_wrong_secret' }));
      assert.equal(s.requests.length, 1);
      assert.equal(r.problems[0]?.code, 'unauthorized');
      assert.match(r.problems[0]?.message ?? '', /^GitHub acme\/shop \(http:.*\) refused the request \(HTTP 401 Unauthorized: "Bad credentials"\)\. The stored token was sent; run "On-Call: Set Deploy Credentials…" to replace it\./);
      assert.doesNotMatch(r.problems[0]?.message ?? '', /ghp_wrong_secret/);
      assert.equal(r.problems[0]?.source, 'github:acme/shop');
    });

    it('404 names the repository; a private one without a token says a token may be missing', async () => {
      const s = await start({ repos: { 'acme/private': { id: 5, private: true, deployments } } });
      const none = await readGithub(opts(s), ctx());
      assert.equal(none.problems[0]?.code, 'not-found');
      assert.match(none.problems[0]?.message ?? '', /^Repository acme\/shop was not found: GitHub acme\/shop \(http:.*\) answered HTTP 404: "Not Found"\./);
      const priv = await readGithub(opts(s, { repo: 'acme/private' }), ctx({ credentialKey: 'github:acme/private' }));
      assert.match(priv.problems[0]?.message ?? '', /A private repository answers 404 to a request without a token: run "On-Call: Set Deploy Credentials…" to store one for github:acme\/private/);
      const ok = await readGithub(opts(s, { repo: 'acme/private', releases: false }), ctx({ token: 'ghp_right' }));
      assert.equal(ok.deploys.length, 4);
    });

    it('5xx with a snippet of the body; a timeout; an HTML login page', async () => {
      const s = await start({ fault: { kind: 'status', status: 502, body: 'upstream connect error or disconnect/reset before headers' } });
      const r = await readGithub(opts(s), ctx());
      assert.equal(r.problems.length, 1);
      assert.equal(r.problems[0]?.code, 'server');
      assert.match(r.problems[0]?.message ?? '', /GitHub acme\/shop \(http:.*\) failed with HTTP 502 Bad Gateway: "upstream connect error/);

      const hang = await start({ fault: { kind: 'hang' } });
      const t = await readGithub(opts(hang), ctx({ http: { timeoutMs: 300 } }));
      assert.equal(t.problems.length, 1, 'a timeout stops the session: releases are not asked');
      assert.equal(t.problems[0]?.code, 'timeout');
      assert.match(t.problems[0]?.message ?? '', /^GitHub acme\/shop: http:.* did not answer within 0\.3 s/);

      const html = await start({ fault: { kind: 'html-login' } });
      const h = await readGithub(opts(html, { releases: false }), ctx());
      assert.equal(h.problems[0]?.code, 'not-json');
      assert.match(h.problems[0]?.message ?? '', /answered with an HTML page \(HTTP 200\) instead of JSON/);
    });

    it('statuses that fail keep the deployments (status unknown) with one warning', async () => {
      const s = await start({ fault: (q) => (q.path.endsWith('/statuses') ? { kind: 'status', status: 500, contentType: 'application/json', body: '{"message":"Server Error"}' } : undefined) });
      const r = await readGithub(opts(s, { releases: false }), ctx());
      assert.equal(r.deploys.length, 4);
      assert.ok(r.deploys.every((d) => d.status === 'unknown'));
      assert.equal(r.problems.length, 1);
      assert.equal(r.problems[0]?.severity, 'warning');
      assert.match(r.problems[0]?.message ?? '', /HTTP 500 Internal Server Error: "Server Error".*listed with status unknown/);
    });
  });

  it('GitHub Enterprise Server: the api base path is kept', async () => {
    const s = await start({ basePath: '/api/v3' });
    const r = await readGithub(opts(s, { releases: false }), ctx({ token: 'ghp_right' }));
    assert.equal(r.deploys.length, 4);
    assert.equal(s.requests[0]?.url.split('?')[0], '/api/v3/repos/acme/shop/deployments');
  });

  it('parses Link headers', () => {
    assert.deepEqual(parseLinkHeader('<https://api.github.com/repositories/1/deployments?page=2>; rel="next", <https://api.github.com/repositories/1/deployments?page=5>; rel="last"'), {
      next: 'https://api.github.com/repositories/1/deployments?page=2',
      last: 'https://api.github.com/repositories/1/deployments?page=5',
    });
    assert.deepEqual(parseLinkHeader('<a>; rel=next'), { next: 'a' });
    assert.deepEqual(parseLinkHeader(undefined), {});
    assert.deepEqual(parseLinkHeader('garbage'), {});
  });
});
