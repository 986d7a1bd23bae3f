// VS Code's proxy settings (`http.proxy`, `http.noProxy`) and `oncall.http.caFile` apply to backend requests: a
// loopback forward proxy sees the trace request, a no-proxy host goes direct, a self-signed HTTPS backend is trusted.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
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

/** An HTTPS front for `target` with a fresh self-signed certificate (as a company CA would sign it); undefined without openssl. */
async function startTlsFront(target: string, dir: string): Promise<{ url: string; certFile: string; close(): Promise<void> } | undefined> {
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'ca.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    return undefined;
  }
  const upstream = new URL(target);
  const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'ca.pem')) }, (req, res) => {
    const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://localhost:${(server.address() as AddressInfo).port}`,
    certFile: path.join(dir, 'ca.pem'),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('VS Code proxy settings and oncall.http.caFile (extension host)', function () {
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

  it('trusts the certificate authority of oncall.http.caFile, and says so when the file is not one', async function () {
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-ca-'));
    const front = await startTlsFront(backend.url, dir);
    if (!front) {
      console.log('      skipped: openssl is not available to make a test certificate');
      return this.skip();
    }
    try {
      const cfg = vscode.workspace.getConfiguration('oncall');
      const config = (api.traces.opener as unknown as { config: { settings: { traces: { backends: { name: string }[] }; http: { caFile?: string } } } }).config;
      await cfg.update('traces.backends', [{ name: 'zipkin-tls', kind: 'zipkin', url: front.url }], vscode.ConfigurationTarget.Workspace);
      await waitFor(() => config.settings.traces.backends.some((b) => b.name === 'zipkin-tls'), 'the backend setting to apply');
      const slowId = '4a2e37d7a16c6f54d848a12e98fbf5ec';
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const untrusted = await api.traces.opener.open(slowId);
      assert.equal(untrusted.kind, 'not-found');
      assert.match('message' in untrusted ? untrusted.message : '', /zipkin-tls: The TLS certificate of localhost:\d+ was not accepted .*oncall\.http\.caFile/);

      await cfg.update('http.caFile', front.certFile, vscode.ConfigurationTarget.Global);
      await waitFor(() => config.settings.http.caFile === front.certFile, 'the CA setting to apply');
      const trusted = await api.traces.opener.open(slowId);
      assert.equal(trusted.kind, 'opened', 'message' in trusted ? trusted.message : '');

      const notPem = path.join(dir, 'key-not-ca.txt');
      fs.writeFileSync(notPem, 'hello');
      await cfg.update('http.caFile', notPem, vscode.ConfigurationTarget.Global);
      await waitFor(() => config.settings.http.caFile === notPem, 'the CA setting to apply');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const bad = await api.traces.opener.open(slowId);
      assert.notEqual(bad.kind, 'opened');
      assert.match('message' in bad ? bad.message : '', /oncall\.http\.caFile .*key-not-ca\.txt.*holds no PEM certificate/);
      // Deploys read without HTTP (the demo's deploy log and git tags) do not depend on the CA file.
      await vscode.commands.executeCommand('oncall.deploysWindow', 24 * 30);
      const deploysView = api.deploys.view;
      assert.ok(deploysView.nodes.some((n) => n.label === 'pricing-service'), `the deploys are listed: ${deploysView.nodes.map((n) => n.label).join(', ')}`);
      assert.doesNotMatch(deploysView.view.message ?? '', /caFile|could not be read/);
      await vscode.commands.executeCommand('oncall.deploysWindow', 24 * 7);
    } finally {
      await vscode.workspace.getConfiguration('oncall').update('http.caFile', undefined, vscode.ConfigurationTarget.Global);
      await front.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
