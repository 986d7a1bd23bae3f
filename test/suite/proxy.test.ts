// VS Code's proxy setting applies to backend requests: with `http.proxy` pointing at a loopback forward proxy, the
// trace request goes through it (the extension installs no agent of its own, so VS Code's proxy support is in effect).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';
import type { ContractServer } from '../contract/servers';
import { recentFixture, startContractServer } from '../contract/servers';
import { activateApi, waitFor } from './testUtil';

/** A plain HTTP forward proxy (absolute-URI requests), recording what it forwarded. */
async function startProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const upstream = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

describe('VS Code proxy settings (extension host)', function () {
  this.timeout(60_000);
  let api: OnCallLensApi;
  let backend: ContractServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  before(async () => {
    api = await activateApi();
    backend = await startContractServer('zipkin', recentFixture());
    proxy = await startProxy();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('oncall').update('traces.backends', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await backend?.close();
    await proxy?.close();
  });

  it('sends backend requests through http.proxy', async () => {
    // The backend's host name is not 127.0.0.1 but "localhost": a proxy must see the request for a name, too.
    const url = backend.url.replace('127.0.0.1', 'localhost');
    await vscode.workspace.getConfiguration('http').update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('oncall').update('traces.backends', [{ name: 'zipkin-via-proxy', kind: 'zipkin', url }], vscode.ConfigurationTarget.Workspace);
    const config = (api.traces.opener as unknown as { config: { settings: { traces: { backends: { name: string }[] } } } }).config;
    await waitFor(() => config.settings.traces.backends.some((b) => b.name === 'zipkin-via-proxy'), 'the backend setting to apply');
    const slowId = '4a2e37d7a16c6f54d848a12e98fbf5ec';
    const r = await api.traces.opener.open(slowId);
    assert.equal(r.kind, 'opened', 'message' in r ? r.message : '');
    assert.ok(
      proxy.seen.some((u) => u.includes(`/api/v2/trace/${slowId}`)),
      `the proxy forwarded the trace request (it saw: ${proxy.seen.join(', ') || 'nothing'})`,
    );

    // http.noProxy: the same request goes direct.
    await vscode.workspace.getConfiguration('http').update('noProxy', ['localhost'], vscode.ConfigurationTarget.Global);
    const seen = proxy.seen.length;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const direct = await api.traces.opener.open(slowId);
    assert.equal(direct.kind, 'opened', 'message' in direct ? direct.message : '');
    assert.equal(proxy.seen.length, seen, 'a host in http.noProxy bypasses the proxy');
    await vscode.workspace.getConfiguration('http').update('noProxy', undefined, vscode.ConfigurationTarget.Global);
  });
});
