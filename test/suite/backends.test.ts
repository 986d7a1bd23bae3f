// Traces from backends, in the real extension host: settings → Open Trace by ID asks the backends in order, says
// which answered, uses the credentials from SecretStorage, follows vscode:// links, and reports failures by name.
// The backends are the loopback contract servers (test/contract/servers.ts) serving real OpenTelemetry SDK output.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';
import type { OpenOutcome } from '../../src/traces/openTrace';
import type { ContractServer } from '../contract/servers';
import { recentFixture, startContractServer } from '../contract/servers';
import { activateApi, waitFor } from './testUtil';

/** The slow checkout of the contract fixture (12 spans, 3 services, a declined card): in no demo file. */
const slowId = '4a2e37d7a16c6f54d848a12e98fbf5ec';
/** A trace whose ID has 64 zero high bits: Jaeger and Zipkin write it with 16 hex chars. */
const shortId = '0000000000000000b072e6bb20630d5f';

type Backend = { name: string; kind: string; url: string; lookbackHours?: number; tenant?: string };

async function setBackends(api: OnCallLensApi, backends: Backend[], extra: Record<string, unknown> = {}): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('oncall');
  await cfg.update('traces.backends', backends, vscode.ConfigurationTarget.Workspace);
  for (const [k, v] of Object.entries(extra)) await cfg.update(k, v, vscode.ConfigurationTarget.Workspace);
  const names = backends.map((b) => b.name).join();
  // The extension's settings snapshot is rebuilt on the change event: wait for it.
  const config = (api.traces.opener as unknown as { config: { settings: { traces: { backends: { name: string }[] } } } }).config;
  await waitFor(() => config.settings.traces.backends.map((b) => b.name).join() === names, `the backends setting to apply (${names})`);
}

function openedFrom(o: OpenOutcome, source: string): Extract<OpenOutcome, { kind: 'opened' }> {
  assert.equal(o.kind, 'opened', `expected the trace to open, got ${o.kind}: ${'message' in o ? o.message : ''}`);
  const ok = o as Extract<OpenOutcome, { kind: 'opened' }>;
  assert.equal(ok.source, source, 'the outcome names the backend that answered');
  assert.match(ok.view.model.source, new RegExp(`^${source} \\(`), 'the waterfall header names the backend');
  return ok;
}

describe('Traces from backends (extension host)', function () {
  this.timeout(120_000);
  let api: OnCallLensApi;
  const servers: ContractServer[] = [];
  // The fixture's traces, moved to an hour ago: the lookback windows sent are real and must keep matching.
  const recent = recentFixture();
  const start = async (...[kind, options]: Parameters<typeof startContractServer>): Promise<ContractServer> => {
    const s = await startContractServer(kind, { ...recent, ...options });
    servers.push(s);
    return s;
  };

  before(async () => {
    api = await activateApi();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    const cfg = vscode.workspace.getConfiguration('oncall');
    for (const k of ['traces.backends', 'http.timeoutSeconds']) await cfg.update(k, undefined, vscode.ConfigurationTarget.Workspace);
    await Promise.all(servers.map((s) => s.close()));
  });

  it('asks the backends in order after the files, and says which one answered (Jaeger 404, then Tempo v2)', async () => {
    const empty = await start('jaeger', { otlp: { resourceSpans: [] } });
    const tempo = await start('tempo-v2', { tenant: 'team-a' });
    await setBackends(api, [
      { name: 'jaeger-empty', kind: 'jaeger', url: empty.url, lookbackHours: 48 },
      { name: 'tempo', kind: 'tempo-v2', url: tempo.url, tenant: 'team-a', lookbackHours: 48 },
    ]);
    const ok = openedFrom(await api.traces.opener.open(slowId), 'tempo');
    assert.equal(ok.view.model.traceId, slowId);
    assert.equal(ok.view.model.rows.length, 12, 'all 12 spans of the SDK trace');
    assert.deepEqual([...ok.view.model.services].sort(), ['checkout-service', 'payments-service', 'pricing-service']);
    assert.ok(ok.view.model.errorCount > 0, 'the payment error is shown');
    assert.ok(ok.view.model.criticalRows.length > 0);
    assert.deepEqual(empty.requests.map((r) => r.path), [`/api/traces/${slowId}`], 'Jaeger was asked first');
    const asked = tempo.requests.find((r) => r.path === `/api/v2/traces/${slowId}`);
    assert.ok(asked, `Tempo v2 was asked: ${tempo.requests.map((r) => r.path).join()}`);
    assert.equal(asked.headers['x-scope-orgid'], 'team-a', 'the tenant header is sent');
    assert.ok(Number(asked.query['start']) > 0 && Number(asked.query['end']) > Number(asked.query['start']), 'the lookback window is sent as unix seconds');
    // The span details come from the worker's copy of the fetched trace.
    const details = await ok.view.details();
    assert.equal(details.length, 12);
    assert.ok(details.some((d) => d.events.some((e) => e.exception)), 'the exception event is in the details');
  });

  it('reads Jaeger v1, Jaeger v3 and Zipkin answers into the same trace', async () => {
    const want = (await api.traces.opener.open(slowId, { source: 'tempo' })) as Extract<OpenOutcome, { kind: 'opened' }>;
    const shape = (o: Extract<OpenOutcome, { kind: 'opened' }>): string[] => o.view.model.rows.map((r) => `${r.depth} ${r.service} ${r.name} ${r.error}`).sort();
    for (const kind of ['jaeger', 'jaeger-v3', 'zipkin'] as const) {
      const s = await start(kind);
      await setBackends(api, [{ name: `the-${kind}`, kind, url: s.url }]);
      const got = openedFrom(await api.traces.opener.open(slowId), `the-${kind}`);
      assert.deepEqual(shape(got), shape(want), `${kind}: same spans, tree and errors as Tempo`);
    }
    // A 64-bit ID: Jaeger answers with 16 hex chars, the trace is still found under its 32-char form.
    const jaeger = await start('jaeger');
    await setBackends(api, [{ name: 'jaeger16', kind: 'jaeger', url: jaeger.url }]);
    openedFrom(await api.traces.opener.open(shortId.slice(16)), 'jaeger16');
  });

  it('uses the credentials from SecretStorage; a 401 names the backend and points to the credentials command', async () => {
    const secured = await start('jaeger', { authorization: 'Bearer s3cr3t-t0ken' });
    await setBackends(api, [{ name: 'secured', kind: 'jaeger', url: secured.url }]);
    await api.traces.credentials.delete('secured');
    const denied = await api.traces.opener.open(slowId);
    assert.equal(denied.kind, 'not-found');
    assert.match('message' in denied ? denied.message : '', /secured \(http:\/\/127\.0\.0\.1:\d+\/api\/traces\/\w+.*\) refused the request \(HTTP 401 Unauthorized.*Set Backend Credentials/s);
    await api.traces.credentials.set('secured', { kind: 'bearer', token: 's3cr3t-t0ken' });
    openedFrom(await api.traces.opener.open(slowId), 'secured');
    assert.equal(secured.requests.at(-1)?.headers.authorization, 'Bearer s3cr3t-t0ken');
    const stored = await api.traces.credentials.get('secured');
    assert.deepEqual(stored, { kind: 'bearer', token: 's3cr3t-t0ken' });
    // The settings never hold it.
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('oncall').get('traces.backends')).includes('s3cr3t'));
    await api.traces.credentials.delete('secured');
  });

  it('a dead, a slow and a login-page backend each get a clear message; the next backend still answers', async () => {
    const dead = await new Promise<number>((resolve) => {
      const s = http.createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const drip = await start('jaeger', { fault: { kind: 'drip', everyMs: 200 } });
    const login = await start('tempo', { fault: { kind: 'html-login' } });
    const zipkin = await start('zipkin');
    await setBackends(
      api,
      [
        { name: 'dead', kind: 'jaeger', url: `http://127.0.0.1:${dead}` },
        { name: 'drip', kind: 'jaeger', url: drip.url },
        { name: 'login', kind: 'tempo', url: login.url },
        { name: 'zipkin', kind: 'zipkin', url: zipkin.url },
      ],
      { 'http.timeoutSeconds': 1 },
    );
    const t0 = Date.now();
    openedFrom(await api.traces.opener.open(slowId), 'zipkin');
    assert.ok(Date.now() - t0 < 15_000, 'the dripping server was cut off at the deadline');
    assert.equal(zipkin.requests.at(-1)?.path, `/api/v2/trace/${slowId}`, 'Zipkin is asked with lower-case hex');

    // Without the good one, the message lists each failure by backend and cause.
    await setBackends(api, [
      { name: 'dead', kind: 'jaeger', url: `http://127.0.0.1:${dead}` },
      { name: 'drip', kind: 'jaeger', url: drip.url },
      { name: 'login', kind: 'tempo', url: login.url },
    ]);
    const failed = await api.traces.opener.open(slowId);
    assert.equal(failed.kind, 'not-found');
    const message = 'message' in failed ? failed.message : '';
    assert.match(message, /dead: Nothing is listening at 127\.0\.0\.1:\d+: connection refused/);
    assert.match(message, /drip: .* did not answer within 1 s/);
    assert.match(message, /login .*HTML page/);
  });

  it('opens a trace from a vscode:// link, from the backend the link names', async () => {
    const zipkin = await start('zipkin');
    const tempo = await start('tempo');
    await setBackends(api, [
      { name: 'tempo1', kind: 'tempo', url: tempo.url },
      { name: 'zipkin', kind: 'zipkin', url: zipkin.url },
    ]);
    const handler = api.traces.uriHandler;
    handler.last = undefined;
    const last = (): Promise<OpenOutcome | undefined> | undefined => handler.last;
    const link = vscode.Uri.parse(`${vscode.env.uriScheme}://oncall-lens.oncall-lens/trace/${slowId}?backend=zipkin`);
    // Through the workbench's opener, as a click on a link in the editor goes (the URL service routes the product's
    // own scheme to the extension's handler). `env.openExternal` would hand it to the browser in code-server.
    await vscode.commands.executeCommand('vscode.open', link);
    await waitFor(() => last() !== undefined, `the link ${link.toString()} to reach the extension's URI handler`, 10_000);
    openedFrom((await last()) as OpenOutcome, 'zipkin');
    assert.equal(tempo.requests.length, 0, 'only the backend the link names was asked');

    // A link naming an unknown backend, or carrying a URL instead of an ID, opens nothing.
    handler.handleUri(vscode.Uri.parse(`${vscode.env.uriScheme}://oncall-lens.oncall-lens/trace/${slowId}?backend=nope`));
    assert.equal((await last())?.kind, 'invalid');
    handler.handleUri(vscode.Uri.parse(`${vscode.env.uriScheme}://oncall-lens.oncall-lens/trace?id=${encodeURIComponent('http://evil.example/x')}`));
    assert.equal(await last(), undefined);
  });

  it('shows Tempo\'s PARTIAL status to the user and still opens what came', async () => {
    const tempo = await start('tempo-v2', { partial: 'all' });
    await setBackends(api, [{ name: 'tempo-partial', kind: 'tempo-v2', url: tempo.url }]);
    const ok = openedFrom(await api.traces.opener.open(slowId), 'tempo-partial');
    assert.ok(ok.partial && ok.partial.length > 0, 'the outcome (and the warning shown) carries Tempo\'s message');
    // Not partial: no such note.
    const whole = await start('tempo-v2');
    await setBackends(api, [{ name: 'tempo-whole', kind: 'tempo-v2', url: whole.url }]);
    assert.equal(openedFrom(await api.traces.opener.open(slowId), 'tempo-whole').partial, undefined);
  });
});
