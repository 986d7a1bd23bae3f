import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { HttpError, bypassesProxy, joinUrl, parseJsonBody, redactUrl, request } from '../../src/core/http/request';

/** A loopback server for one test; `sockets` are destroyed on close so a hanging handler cannot keep mocha alive. */
async function serve(handler: http.RequestListener): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Awaits `p` expecting an HttpError; returns it with the elapsed milliseconds. */
async function rejects(p: Promise<unknown>): Promise<{ e: HttpError; ms: number }> {
  const t0 = performance.now();
  try {
    await p;
  } catch (e) {
    if (e instanceof HttpError) return { e, ms: performance.now() - t0 };
    throw e;
  }
  assert.fail('expected an HttpError');
}

async function closedPort(): Promise<number> {
  const s = await serve(() => undefined);
  await s.close();
  return s.port;
}

describe('HTTP request layer', () => {
  const closers: (() => Promise<void>)[] = [];
  const track = <T extends { close: () => Promise<void> }>(s: T): T => {
    closers.push(s.close);
    return s;
  };
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  it('reads a JSON answer, with status, headers, bytes and a redacted URL', async () => {
    const s = track(await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')));
    const res = await request(`${s.url}/api?x=1`);
    assert.equal(res.status, 200);
    assert.equal(res.contentType, 'application/json');
    assert.equal(res.body, '{"ok":true}');
    assert.equal(res.bytes, 11);
    assert.deepEqual(parseJsonBody(res, 'test'), { ok: true });
  });

  it('connection refused names the host and says nothing is listening', async () => {
    const port = await closedPort();
    const { e } = await rejects(request(`http://127.0.0.1:${port}/api/traces/1`));
    assert.equal(e.kind, 'refused');
    assert.match(e.message, new RegExp(`Nothing is listening at 127\\.0\\.0\\.1:${port}: connection refused`));
  });

  it('DNS failure of a .invalid host', async () => {
    const { e } = await rejects(request('http://no-such-backend.invalid/api/services', { timeoutMs: 5000 }));
    assert.equal(e.kind, 'dns');
    assert.match(e.message, /"no-such-backend\.invalid" could not be resolved/);
  });

  it('deadline: a server that never answers fails at the deadline', async () => {
    const s = track(await serve(() => undefined));
    const { e, ms } = await rejects(request(`${s.url}/slow`, { timeoutMs: 300 }));
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /did not answer within 0\.3 s/);
    // Not before the deadline; the upper bound only tells "cut off" from "hung" (loose: CI machines are busy).
    assert.ok(ms >= 280 && ms < 3000, `took ${ms} ms`);
  });

  it('deadline: a server that drips one byte every 200 ms cannot hold us past it', async () => {
    const s = track(
      await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[');
        const t = setInterval(() => res.write(' '), 200);
        res.on('close', () => clearInterval(t));
      }),
    );
    const { e, ms } = await rejects(request(`${s.url}/drip`, { timeoutMs: 700 }));
    assert.equal(e.kind, 'timeout');
    assert.ok(ms >= 680 && ms < 3500, `took ${ms} ms`);
  });

  it('cancel via AbortSignal, before and during the request', async () => {
    const s = track(await serve(() => undefined));
    const before = new AbortController();
    before.abort();
    assert.equal((await rejects(request(`${s.url}/x`, { signal: before.signal }))).e.kind, 'cancelled');
    const during = new AbortController();
    setTimeout(() => during.abort(), 100);
    const { e, ms } = await rejects(request(`${s.url}/x`, { signal: during.signal, timeoutMs: 5000 }));
    assert.equal(e.kind, 'cancelled');
    assert.match(e.message, /^Cancelled: /);
    assert.ok(ms < 3000, `took ${ms} ms (the request runs for 5 s unless cancelled)`);
  });

  it('a body over the limit with Content-Length is refused before reading', async () => {
    let written = 0;
    const s = track(
      await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = (): void => {
          while (written < 5 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
          if (written < 5 * 1024 * 1024) res.once('drain', pump);
          else res.end();
        };
        pump();
      }),
    );
    const { e } = await rejects(request(`${s.url}/big`, { maxBytes: 100_000 }));
    assert.equal(e.kind, 'too-large');
    assert.match(e.message, /answered with 5\.0 MB, over the 98 KB limit .*nothing was read/);
    assert.equal(e.status, 200);
  });

  it('a body over the limit without Content-Length stops reading at the limit', async () => {
    let written = 0;
    let closed = false;
    const s = track(
      await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const t = setInterval(() => {
          if (res.writable) {
            res.write(chunk);
            written += chunk.length;
          }
        }, 1);
        res.on('close', () => {
          closed = true;
          clearInterval(t);
        });
      }),
    );
    const { e } = await rejects(request(`${s.url}/endless`, { maxBytes: 1024 * 1024, timeoutMs: 5000 }));
    assert.equal(e.kind, 'too-large');
    assert.match(e.message, /sent more than the 1\.0 MB limit .*stopped reading/);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(closed, 'the connection was closed');
    assert.ok(written < 8 * 1024 * 1024, `the server could write only ${written} bytes before we hung up`);
  });

  it('decompresses gzip, and the limit applies to the decompressed size', async () => {
    const json = JSON.stringify({ data: 'x'.repeat(200_000) });
    const gz = zlib.gzipSync(json);
    const s = track(await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(gz.length) }).end(gz)));
    const res = await request(`${s.url}/gz`);
    assert.equal(res.body, json);
    assert.equal(res.bytes, Buffer.byteLength(json));
    const { e } = await rejects(request(`${s.url}/gz`, { maxBytes: 100_000 }));
    assert.equal(e.kind, 'too-large');
  });

  it('an HTML login page becomes a not-json error that says so', async () => {
    const s = track(await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><form action="/login">Sign in</form></body></html>')));
    const res = await request(`${s.url}/api/traces/abc`);
    assert.throws(
      () => parseJsonBody(res, 'jaeger-prod'),
      (e: unknown) => e instanceof HttpError && e.kind === 'not-json' && /jaeger-prod at .* answered with an HTML page \(HTTP 200\) instead of JSON — often a login or proxy page/.test(e.message),
    );
    const text = track(await serve((_req, res) => res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream connect error')));
    const r2 = await request(text.url);
    assert.throws(() => parseJsonBody(r2, 'tempo'), /not JSON \(HTTP 502, text\/plain\): "upstream connect error"/);
  });

  it('credentials in the URL are sent as basic auth and never appear in URLs or messages', async () => {
    let seen: string | undefined;
    let seenUrl: string | undefined;
    const s = track(
      await serve((req, res) => {
        seen = req.headers.authorization;
        seenUrl = req.url;
        res.end('{}');
      }),
    );
    const withCreds = s.url.replace('http://', 'http://alice:s3cr%40t@');
    const res = await request(`${withCreds}/api?token=tok123&service=a`);
    assert.equal(seen, `Basic ${Buffer.from('alice:s3cr@t').toString('base64')}`);
    assert.equal(seenUrl, '/api?token=tok123&service=a', 'the query itself is sent as is');
    assert.doesNotMatch(res.url, /alice|s3cr|tok123/);
    assert.match(res.url, /token=\*\*\*&service=a/);
    const port = await closedPort();
    const { e } = await rejects(request(`http://alice:s3cr3t@127.0.0.1:${port}/x?api_key=k9`));
    assert.doesNotMatch(`${e.message} ${e.url}`, /alice|s3cr3t|k9/);
    assert.equal(redactUrl('not a url http://bob:pw@host/x'), 'not a url http://host/x');
  });

  it('sends bearer, basic and custom header auth', async () => {
    const seen: (string | undefined)[] = [];
    const s = track(
      await serve((req, res) => {
        seen.push(req.headers.authorization ?? (req.headers['x-api-key'] as string | undefined));
        res.end('{}');
      }),
    );
    await request(s.url, { auth: { kind: 'bearer', token: 'T0K' } });
    await request(s.url, { auth: { kind: 'basic', username: 'u', password: 'p:w' } });
    await request(s.url, { auth: { kind: 'header', name: 'X-API-Key', value: 'k-1' } });
    assert.deepEqual(seen, ['Bearer T0K', `Basic ${Buffer.from('u:p:w').toString('base64')}`, 'k-1']);
  });

  it('POSTs a form', async () => {
    let got: { method?: string; type?: string; body: string } = { body: '' };
    const s = track(
      await serve((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          got = { method: req.method, type: req.headers['content-type'], body };
          res.end('{"status":"success"}');
        });
      }),
    );
    await request(`${s.url}/api/v1/query_exemplars`, { method: 'POST', form: { query: 'rate(x[5m])', start: '1' } });
    assert.equal(got.method, 'POST');
    assert.equal(got.type, 'application/x-www-form-urlencoded');
    assert.equal(got.body, 'query=rate%28x%5B5m%5D%29&start=1');
  });

  describe('through an HTTP proxy', () => {
    /** A tiny forward proxy: absolute-form requests are forwarded to their target and recorded. */
    async function forwardProxy(): Promise<{ url: string; close: () => Promise<void>; seen: { url: string; auth?: string | undefined }[] }> {
      const seen: { url: string; auth?: string | undefined }[] = [];
      const s = await serve((req, res) => {
        seen.push({ url: req.url ?? '', auth: req.headers['proxy-authorization'] });
        const target = new URL(req.url ?? '');
        const up = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: { ...req.headers, host: target.host } }, (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        });
        up.on('error', () => res.writeHead(502).end('proxy: upstream failed'));
        req.pipe(up);
      });
      return { ...s, seen };
    }

    it('uses an explicit proxy URL, with proxy credentials', async () => {
      const target = track(await serve((_req, res) => res.end('{"via":"target"}')));
      const proxy = track(await forwardProxy());
      const res = await request(`${target.url}/api/services`, { proxy: proxy.url.replace('http://', 'http://pu:pp@') });
      assert.equal(res.body, '{"via":"target"}');
      assert.equal(proxy.seen.length, 1);
      assert.equal(proxy.seen[0]?.url, `${target.url}/api/services`);
      assert.equal(proxy.seen[0]?.auth, `Basic ${Buffer.from('pu:pp').toString('base64')}`);
    });

    it('sends Proxy-Authorization (http.proxyAuthorization) and skips hosts in noProxy (http.noProxy)', async () => {
      const target = track(await serve((_req, res) => res.end('{}')));
      const proxy = track(await forwardProxy());
      await request(`${target.url}/a`, { proxy: proxy.url, proxyAuthorization: 'Negotiate abc' });
      assert.equal(proxy.seen[0]?.auth, 'Negotiate abc');
      await request(`${target.url}/b`, { proxy: proxy.url, noProxy: ['127.0.0.1'] });
      assert.equal(proxy.seen.length, 1, 'the no-proxy host went direct');
    });

    it('matches no-proxy entries the way VS Code and curl do', () => {
      const u = (s: string): URL => new URL(s);
      assert.ok(bypassesProxy(u('http://api.example.com/x'), ['example.com']));
      assert.ok(bypassesProxy(u('http://example.com/x'), ['.example.com']));
      assert.ok(bypassesProxy(u('http://a.b.example.com/x'), ['*.example.com']));
      assert.ok(!bypassesProxy(u('http://notexample.com/x'), ['example.com']));
      assert.ok(bypassesProxy(u('https://jaeger:16686/'), ['jaeger:16686']));
      assert.ok(!bypassesProxy(u('https://jaeger:443/'), ['jaeger:16686']));
      assert.ok(bypassesProxy(u('http://anything/'), ['*']));
      assert.ok(!bypassesProxy(u('http://anything/'), ['', '  ']));
    });

    it("'env' reads HTTP_PROXY; no proxy option means a direct connection", async () => {
      const target = track(await serve((_req, res) => res.end('{}')));
      const proxy = track(await forwardProxy());
      const saved = { HTTP_PROXY: process.env['HTTP_PROXY'], http_proxy: process.env['http_proxy'], NO_PROXY: process.env['NO_PROXY'], no_proxy: process.env['no_proxy'] };
      try {
        process.env['HTTP_PROXY'] = proxy.url;
        process.env['http_proxy'] = proxy.url;
        delete process.env['NO_PROXY'];
        delete process.env['no_proxy'];
        await request(`${target.url}/direct`);
        assert.equal(proxy.seen.length, 0, 'no proxy option: direct');
        await request(`${target.url}/via-env`, { proxy: 'env' });
        assert.equal(proxy.seen.length, 1);
        assert.equal(proxy.seen[0]?.url, `${target.url}/via-env`);
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    });
  });

  describe('TLS with a custom CA', function () {
    let dir: string | undefined;
    let why = '';
    before(function () {
      try {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-tls-'));
        // A self-signed certificate is its own CA: trusting it as `ca` is exactly the company-CA case.
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore', timeout: 10_000 });
      } catch (e) {
        why = `openssl is not available to make a test certificate (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
        dir = undefined;
      }
    });
    after(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('rejects an unknown CA with a tls error, accepts it when given as ca, or with rejectUnauthorized false', async function () {
      if (!dir) {
        console.log(`      skipped: ${why}`);
        return this.skip();
      }
      const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
      const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (_req, res) => res.end('{"tls":true}'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      closers.push(() => new Promise((r) => server.close(() => r())));
      server.closeAllConnections?.();
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
      const { e } = await rejects(request(url));
      assert.equal(e.kind, 'tls');
      assert.match(e.message, /was not accepted \(.*\)\. If it is signed by your company's CA, set oncall\.http\.caFile/);
      assert.equal((await request(url, { ca: cert })).body, '{"tls":true}');
      assert.equal((await request(url, { rejectUnauthorized: false })).body, '{"tls":true}');

      // Through a CONNECT proxy (VS Code's http.proxy): the tunnel's TLS handshake uses the same CA.
      const tunnels: string[] = [];
      const open = new Set<net.Socket>();
      const proxy = http.createServer((_q, r) => r.writeHead(405).end());
      proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
        tunnels.push(req.url ?? '');
        open.add(client);
        const [host, port] = (req.url ?? '').split(':');
        const upstream = net.connect(Number(port), host, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        open.add(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      closers.push(
        () =>
          new Promise((r) => {
            for (const sock of open) sock.destroy();
            proxy.close(() => r());
          }),
      );
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      assert.equal((await rejects(request(url, { proxy: proxyUrl }))).e.kind, 'tls', 'through the tunnel, an unknown CA is still refused');
      assert.equal((await request(url, { proxy: proxyUrl, ca: cert })).body, '{"tls":true}');
      assert.ok(tunnels.length >= 2 && tunnels.every((t) => t === new URL(url).host), tunnels.join());
      server.closeAllConnections?.();
    });
  });

  it('joinUrl keeps a base path and drops the base query', () => {
    assert.equal(joinUrl('https://h/jaeger/', '/api/traces/1', { start: 1, end: undefined }), 'https://h/jaeger/api/traces/1?start=1');
    assert.equal(joinUrl('http://h:3200?x=1', 'api/search', { q: '{ a = "b" }' }), 'http://h:3200/api/search?q=%7B+a+%3D+%22b%22+%7D');
  });

  it('bad URLs fail as bad-url without a request', async () => {
    assert.equal((await rejects(request('ftp://h/x'))).e.kind, 'bad-url');
    assert.equal((await rejects(request('not a url'))).e.kind, 'bad-url');
  });
});
