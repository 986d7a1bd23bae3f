import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProjectView } from '../../../src/core/wire/language';
import { goSupport } from '../../../src/core/wire/languages/go';
import { parsePattern } from '../../../src/core/wire/languages/go/reader';
import type { WireMap } from '../../../src/core/wire/model';
import { scanTree, WireIndex } from '../../../src/core/wire/scan';
import { repoRoot, writeIn } from '../helpers';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'wire');

/** The cold scan (only files that look interesting are parsed), as the extension runs it. */
function scan(name: string): Promise<WireMap> {
  return scanTree(path.join(fixtures, name));
}

type HttpRow = [method: string, route: string, file: string, line: number, handler: string | undefined, handlerFile: string | undefined, handlerLine: number | undefined, shadowed?: true];

function http(m: WireMap): HttpRow[] {
  return m.records
    .filter((r) => r.kind === 'http')
    .map((r) => {
      const row: HttpRow = [r.method ?? '', r.route ?? '', r.file, r.line, r.handler, r.handlerFile, r.handlerLine];
      if (r.shadowed) row.push(true);
      return row;
    });
}

function entries(m: WireMap): [string | undefined, string, number, string | undefined, string][] {
  return m.records.filter((r) => r.kind === 'entry').map((r) => [r.detail, r.file, r.line, r.text, r.framework]);
}

function errors(m: WireMap): [string | undefined, string, number, string | undefined][] {
  return m.records.filter((r) => r.kind === 'error').map((r) => [r.detail, r.file, r.line, r.function]);
}

function errorText(m: WireMap, file: string, line: number): string | undefined {
  return m.records.find((r) => r.kind === 'error' && r.file === file && r.line === line)?.text;
}

describe('wire: Go', function () {
  this.timeout(20000);

  describe('net/http', () => {
    let m: WireMap;
    before(async () => {
      m = await scan('go-nethttp');
    });

    it('reads Go 1.22 method patterns, a ServeMux mounted with http.StripPrefix, the default mux and a loop over a map literal', () => {
      assert.deepEqual(http(m), [
        ['ANY', '/debug/ping', 'cmd/articles/main.go', 27, 'ping', 'cmd/articles/main.go', 55],
        ['GET', '/api/v1/articles', 'internal/articles/routes.go', 7, 'Handler.List', 'internal/articles/handler.go', 25],
        ['POST', '/api/v1/articles', 'internal/articles/routes.go', 8, 'Handler.Create', 'internal/articles/handler.go', 35],
        ['GET', '/api/v1/articles/{slug}', 'internal/articles/routes.go', 9, 'Handler.Get', 'internal/articles/handler.go', 48],
        ['PUT', '/api/v1/articles/{slug}', 'internal/articles/routes.go', 10, 'Handler.Update', 'internal/articles/handler.go', 57],
        ['DELETE', '/api/v1/articles/{slug}', 'internal/articles/routes.go', 11, 'Handler.Delete', 'internal/articles/handler.go', 66],
        ['GET', '/api/v1/articles/{slug}/comments/{id}', 'internal/articles/routes.go', 12, 'Handler.GetComment', 'internal/articles/handler.go', 72],
        ['GET', '/api/v1/files/{*path}', 'internal/articles/routes.go', 13, 'Handler.File', 'internal/articles/handler.go', 81],
        ['ANY', '/api/v1/feeds', 'internal/articles/routes.go', 14, 'FeedHandler.ServeHTTP', 'internal/articles/feed.go', 8],
        ['GET', '/healthz', 'internal/server/server.go', 21, '<anonymous>', 'internal/server/server.go', 21],
        ['GET', '/', 'internal/server/server.go', 24, 'index', 'internal/server/server.go', 34],
        ['GET', '/robots.txt', 'internal/server/server.go', 26, 'robots', 'internal/server/server.go', 38],
        ['GET', '/favicon.ico', 'internal/server/server.go', 27, 'favicon', 'internal/server/server.go', 42],
      ]);
      const closure = m.records.find((r) => r.kind === 'http' && r.route === '/healthz');
      assert.equal(closure?.handlerEndLine, 23);
      assert.equal(m.records.find((r) => r.route === '/api/v1/files/{*path}')?.routeAsWritten, '/files/{path...}');
    });

    it('finds main, the listeners (default mux and http.Server) and every kind of error exit', () => {
      assert.deepEqual(entries(m), [
        ['main', 'cmd/articles/main.go', 19, 'main', 'go'],
        ['listen', 'cmd/articles/main.go', 29, 'http.ListenAndServe("localhost:6060", nil)', 'net/http'],
        ['listen', 'cmd/articles/main.go', 39, 'srv.ListenAndServe()', 'net/http'],
      ]);
      assert.deepEqual(errors(m), [
        ['panic', 'cmd/articles/main.go', 22, 'main'],
        ['log-error', 'cmd/articles/main.go', 40, 'main'],
        ['panic', 'cmd/articles/main.go', 41, 'main'],
        ['swallow', 'cmd/articles/main.go', 50, 'main'],
        ['log-error', 'internal/articles/handler.go', 28, 'List'],
        ['http-error', 'internal/articles/handler.go', 29, 'List'],
        ['http-error', 'internal/articles/handler.go', 38, 'Create'],
        ['http-error', 'internal/articles/handler.go', 42, 'Create'],
        ['http-error', 'internal/articles/handler.go', 51, 'Get'],
        ['http-error', 'internal/articles/handler.go', 60, 'Update'],
        ['http-error', 'internal/articles/handler.go', 68, 'Delete'],
        ['http-error', 'internal/articles/handler.go', 75, 'GetComment'],
        ['return-error', 'internal/articles/handler.go', 88, 'find'],
        ['http-error', 'internal/server/middleware.go', 16, 'withRequestID'],
      ]);
      assert.equal(errorText(m, 'cmd/articles/main.go', 50), 'if err := srv.Shutdown(ctx); err != nil { …');
      assert.equal(errorText(m, 'internal/articles/handler.go', 88), 'return nil, fmt.Errorf("find %q: %w", r.PathValue("slug"), err)');
    });

    it('leaves plain model files unparsed in the cold scan', () => {
      assert.equal(m.stats.files, 7);
      assert.equal(m.stats.parsedFiles, 6); // internal/store/store.go has nothing on the wire
    });
  });

  describe('gorilla/mux', () => {
    let m: WireMap;
    before(async () => {
      m = await scan('go-gorilla');
    });

    it('expands a loop over a route table, follows PathPrefix().Subrouter() across packages, reads Methods() chains and marks a shadowed route', () => {
      assert.deepEqual(http(m), [
        ['GET', '/api/v1/items', 'internal/items/routes.go', 18, 'Handler.List', 'internal/items/handler.go', 19],
        ['POST', '/api/v1/items', 'internal/items/routes.go', 19, 'Handler.Create', 'internal/items/handler.go', 29],
        ['GET', '/api/v1/items/{id}', 'internal/items/routes.go', 20, 'Handler.Get', 'internal/items/handler.go', 38],
        ['PUT', '/api/v1/items/{id}', 'internal/items/routes.go', 21, 'Handler.Update', 'internal/items/handler.go', 48],
        ['DELETE', '/api/v1/items/{id}', 'internal/items/routes.go', 22, 'Handler.Delete', 'internal/items/handler.go', 52],
        ['GET', '/api/v1/items/export', 'internal/items/routes.go', 26, 'Handler.Export', 'internal/items/handler.go', 60],
        ['GET', '/api/v1/reports/stock', 'internal/reports/reports.go', 12, 'stock', 'internal/reports/reports.go', 17],
        ['GET', '/api/v1/items/export', 'internal/reports/reports.go', 14, 'exportItems', 'internal/reports/reports.go', 21, true],
        ['GET', '/health', 'internal/router/router.go', 18, 'platform.Health', 'internal/platform/platform.go', 12],
        ['HEAD', '/health', 'internal/router/router.go', 18, 'platform.Health', 'internal/platform/platform.go', 12],
        ['ANY', '/static/{*}', 'internal/router/router.go', 19, 'http.FileServer', undefined, undefined],
        ['GET', '/api/v1/version', 'internal/router/router.go', 24, 'platform.Version', 'internal/platform/platform.go', 14],
      ]);
    });

    it('finds the entry points and errors', () => {
      assert.deepEqual(entries(m), [
        ['main', 'cmd/inventory/main.go', 12, 'main', 'go'],
        ['listen', 'cmd/inventory/main.go', 22, 'srv.ListenAndServe()', 'net/http'],
      ]);
      assert.deepEqual(errors(m), [
        ['panic', 'cmd/inventory/main.go', 22, 'main'],
        ['log-error', 'internal/items/handler.go', 22, 'List'],
        ['http-error', 'internal/items/handler.go', 23, 'List'],
        ['http-error', 'internal/items/handler.go', 32, 'Create'],
        ['http-error', 'internal/items/handler.go', 42, 'Get'],
        ['http-error', 'internal/items/handler.go', 49, 'Update'],
        ['panic', 'internal/items/handler.go', 55, 'Delete'],
        ['http-error', 'internal/reports/reports.go', 22, 'exportItems'],
      ]);
    });
  });

  describe('chi', () => {
    let m: WireMap;
    before(async () => {
      m = await scan('go-chi');
    });

    it('joins Mount, Route and Group across packages: routers returned by functions, named Route callbacks, struct-field routers', () => {
      assert.deepEqual(http(m), [
        ['GET', '/healthz', 'cmd/blog/main.go', 17, '<anonymous>', 'cmd/blog/main.go', 17],
        ['GET', '/admin/stats', 'internal/admin/routes.go', 9, 'Admin.handleStats', 'internal/admin/routes.go', 13],
        ['POST', '/admin/cache/flush', 'internal/admin/routes.go', 10, 'Admin.handleFlush', 'internal/admin/routes.go', 19],
        ['GET', '/api/v1/me', 'internal/api/router.go', 21, 'me', 'internal/api/me.go', 8],
        ['GET', '/api/v1/articles', 'internal/articles/routes.go', 12, 'Handler.List', 'internal/articles/handler.go', 30],
        ['POST', '/api/v1/articles', 'internal/articles/routes.go', 13, 'Handler.Create', 'internal/articles/handler.go', 40],
        ['GET', '/api/v1/articles/{slug}', 'internal/articles/routes.go', 16, 'Handler.Get', 'internal/articles/handler.go', 55],
        ['PUT', '/api/v1/articles/{slug}', 'internal/articles/routes.go', 17, 'Handler.Update', 'internal/articles/handler.go', 59],
        ['DELETE', '/api/v1/articles/{slug}', 'internal/articles/routes.go', 18, 'Handler.Delete', 'internal/articles/handler.go', 61],
        ['GET', '/api/v1/articles/{slug}/comments/{id}', 'internal/articles/routes.go', 19, 'Handler.Comment', 'internal/articles/handler.go', 63],
        ['GET', '/api/v1/articles/feed/{*}', 'internal/articles/routes.go', 21, 'Handler.Feed', 'internal/articles/handler.go', 65],
        ['GET', '/api/v1/users', 'internal/users/routes.go', 8, 'List', 'internal/users/handlers.go', 5],
        ['GET', '/api/v1/users/{userID}', 'internal/users/routes.go', 9, 'Get', 'internal/users/handlers.go', 7],
        ['POST', '/api/v1/users/{userID}/follow', 'internal/users/routes.go', 10, 'Follow', 'internal/users/handlers.go', 11],
      ]);
    });

    it('warns about a router mounted from outside the workspace, and finds entries and errors', () => {
      assert.deepEqual(
        m.problems.map((p) => [p.file, p.line, p.message]),
        [['cmd/blog/main.go', 22, 'router from a package outside the workspace: middleware.Profiler()']],
      );
      assert.deepEqual(entries(m), [
        ['main', 'cmd/blog/main.go', 14, 'main', 'go'],
        ['listen', 'cmd/blog/main.go', 24, 'http.ListenAndServe(":3000", r)', 'net/http'],
      ]);
      assert.deepEqual(errors(m), [
        ['panic', 'cmd/blog/main.go', 25, 'main'],
        ['swallow', 'internal/api/me.go', 9, 'me'],
        ['http-error', 'internal/api/router.go', 30, 'requireAuth'],
        ['http-error', 'internal/articles/handler.go', 23, 'ArticleCtx'],
        ['log-error', 'internal/articles/handler.go', 33, 'List'],
        ['http-error', 'internal/articles/handler.go', 34, 'List'],
        ['http-error', 'internal/articles/handler.go', 43, 'Create'],
        ['http-error', 'internal/articles/handler.go', 48, 'Create'],
        ['panic', 'internal/articles/handler.go', 51, 'Create'],
        ['http-error', 'internal/articles/middleware.go', 8, 'adminOnly'],
        ['http-error', 'internal/users/handlers.go', 8, 'Get'],
      ]);
    });
  });

  describe('gin', () => {
    let m: WireMap;
    before(async () => {
      m = await scan('go-gin');
    });

    it('resolves nested groups passed to Register functions and methods in other packages', () => {
      assert.deepEqual(http(m), [
        ['GET', '/ping', 'internal/http/router.go', 18, '<anonymous>', 'internal/http/router.go', 18],
        ['POST', '/api/v1/admin/reindex', 'internal/http/router.go', 28, 'reindex', 'internal/http/router.go', 34],
        ['GET', '/api/v1/orders/{id}', 'internal/orders/handler.go', 23, 'Handler.get', 'internal/orders/handler.go', 28],
        ['POST', '/api/v1/orders', 'internal/orders/handler.go', 24, 'Handler.create', 'internal/orders/handler.go', 32],
        ['ANY', '/api/v1/orders/webhook/{provider}', 'internal/orders/handler.go', 25, 'Handler.webhook', 'internal/orders/handler.go', 48],
        ['GET', '/api/v1/products', 'internal/products/routes.go', 11, 'Handler.List', 'internal/products/handler.go', 21],
        ['GET', '/api/v1/products/{id}', 'internal/products/routes.go', 12, 'Handler.Get', 'internal/products/handler.go', 25],
        ['POST', '/api/v1/products', 'internal/products/routes.go', 13, 'Handler.Create', 'internal/products/handler.go', 34],
        ['GET', '/api/v1/products/{id}/images/{*path}', 'internal/products/routes.go', 15, 'Handler.Image', 'internal/products/handler.go', 44],
        ['PATCH', '/api/v1/products/{id}', 'internal/products/routes.go', 16, 'Handler.Patch', 'internal/products/handler.go', 48],
      ]);
    });

    it('finds r.Run on a router built in another package, and gin error responses', () => {
      assert.deepEqual(entries(m), [
        ['main', 'cmd/shop/main.go', 9, 'main', 'go'],
        ['listen', 'cmd/shop/main.go', 11, 'r.Run(":8080")', 'gin'],
      ]);
      assert.deepEqual(errors(m), [
        ['panic', 'cmd/shop/main.go', 12, 'main'],
        ['http-error', 'internal/auth/auth.go', 13, 'Required'],
        ['http-error', 'internal/http/router.go', 30, 'NewRouter'],
        ['http-error', 'internal/orders/handler.go', 29, 'get'],
        ['log-error', 'internal/orders/handler.go', 34, 'create'],
        ['http-error', 'internal/orders/handler.go', 35, 'create'],
        ['return-error', 'internal/orders/handler.go', 43, 'charge'],
        ['http-error', 'internal/products/handler.go', 28, 'Get'],
        ['http-error', 'internal/products/handler.go', 37, 'Create'],
      ]);
    });
  });

  describe('echo', () => {
    let m: WireMap;
    before(async () => {
      m = await scan('go-echo');
    });

    it('reads groups with a constant-built prefix, Match with several methods, and handlers after middleware', () => {
      assert.deepEqual(http(m), [
        ['GET', '/api/v2/notes', 'internal/notes/routes.go', 12, 'Handler.List', 'internal/notes/handler.go', 18],
        ['POST', '/api/v2/notes', 'internal/notes/routes.go', 13, 'Handler.Create', 'internal/notes/handler.go', 22],
        ['GET', '/api/v2/notes/{id}', 'internal/notes/routes.go', 14, 'Handler.Get', 'internal/notes/handler.go', 33],
        ['PUT', '/api/v2/notes/{id}', 'internal/notes/routes.go', 15, 'Handler.Update', 'internal/notes/handler.go', 44],
        ['DELETE', '/api/v2/notes/{id}', 'internal/notes/routes.go', 16, 'Handler.Delete', 'internal/notes/handler.go', 48],
        ['GET', '/api/v2/notes/{id}/raw', 'internal/notes/routes.go', 17, 'Handler.Raw', 'internal/notes/handler.go', 53],
        ['HEAD', '/api/v2/notes/{id}/raw', 'internal/notes/routes.go', 17, 'Handler.Raw', 'internal/notes/handler.go', 53],
        ['GET', '/api/v2/notes/files/{*}', 'internal/notes/routes.go', 18, 'Handler.File', 'internal/notes/handler.go', 62],
        ['GET', '/health', 'internal/server/routes.go', 17, '<anonymous>', 'internal/server/routes.go', 17],
        ['GET', '/api/v2/search', 'internal/server/routes.go', 22, 'Handler.Search', 'internal/notes/handler.go', 66],
      ]);
    });

    it('counts echo.NewHTTPError as an HTTP error, not also as a returned error', () => {
      assert.deepEqual(entries(m), [
        ['main', 'cmd/notes/main.go', 11, 'main', 'go'],
        ['listen', 'cmd/notes/main.go', 15, 'e.Start(":1323")', 'echo'],
      ]);
      assert.deepEqual(errors(m), [
        ['panic', 'cmd/notes/main.go', 15, 'main'],
        ['http-error', 'internal/notes/handler.go', 25, 'Create'],
        ['return-error', 'internal/notes/handler.go', 28, 'Create'],
        ['http-error', 'internal/notes/handler.go', 36, 'Get'],
        ['return-error', 'internal/notes/handler.go', 39, 'Get'],
        ['return-error', 'internal/notes/handler.go', 45, 'Update'],
        ['log-error', 'internal/notes/handler.go', 56, 'Raw'],
        ['http-error', 'internal/notes/handler.go', 57, 'Raw'],
      ]);
    });
  });

  describe('fiber', () => {
    let m: WireMap;
    before(async () => {
      m = await scan('go-fiber');
    });

    it('reads Group, Route callbacks and a mounted sub-app, and marks the route a Route block shadows', () => {
      assert.deepEqual(http(m), [
        ['GET', '/admin/stats', 'internal/admin/admin.go', 9, 'stats', 'internal/admin/admin.go', 16],
        ['POST', '/admin/purge', 'internal/admin/admin.go', 10, '<anonymous>', 'internal/admin/admin.go', 10],
        ['GET', '/api/v1/links', 'internal/routes/routes.go', 15, 'Handler.List', 'internal/links/handler.go', 16],
        ['POST', '/api/v1/links', 'internal/routes/routes.go', 16, 'Handler.Create', 'internal/links/handler.go', 18],
        ['GET', '/api/v1/links/{code}', 'internal/routes/routes.go', 18, 'Handler.Get', 'internal/links/handler.go', 26],
        ['DELETE', '/api/v1/links/{code}', 'internal/routes/routes.go', 19, 'Handler.Delete', 'internal/links/handler.go', 36],
        ['GET', '/api/v1/links/{code}', 'internal/routes/routes.go', 22, 'Handler.GetLegacy', 'internal/links/handler.go', 34, true],
        ['GET', '/{code}', 'internal/routes/routes.go', 24, 'Handler.Redirect', 'internal/links/handler.go', 41],
      ]);
    });

    it('finds app.Listen and fiber error responses', () => {
      assert.deepEqual(entries(m), [
        ['main', 'cmd/links/main.go', 12, 'main', 'go'],
        ['listen', 'cmd/links/main.go', 15, 'app.Listen(":3000")', 'fiber'],
      ]);
      assert.deepEqual(errors(m), [
        ['panic', 'cmd/links/main.go', 15, 'main'],
        ['http-error', 'internal/links/handler.go', 21, 'Create'],
        ['http-error', 'internal/links/handler.go', 29, 'Get'],
        ['http-error', 'internal/links/handler.go', 45, 'Redirect'],
      ]);
      assert.equal(errorText(m, 'internal/links/handler.go', 29), 'c.Status(fiber.StatusNotFound)');
    });
  });

  describe('httprouter and Prometheus route (the layout of Alertmanager and Prometheus)', () => {
    let m: WireMap;
    before(async () => {
      m = await scan('go-httprouter');
    });

    it('follows a route.Router through WithInstrumentation and WithPrefix into other packages (a struct field, wrapped handlers), and an httprouter router behind StripPrefix', () => {
      assert.deepEqual(http(m), [
        ['OPTIONS', '/api/v1/{*path}', 'api/v1/api.go', 34, 'API.options', 'api/v1/api.go', 41],
        ['GET', '/api/v1/status', 'api/v1/api.go', 35, 'API.status', 'api/v1/api.go', 45],
        ['POST', '/api/v1/alerts', 'api/v1/api.go', 36, 'API.addAlerts', 'api/v1/api.go', 49],
        ['GET', '/api/v1/silence/{sid}', 'api/v1/api.go', 37, 'API.getSilence', 'api/v1/api.go', 57],
        ['DELETE', '/api/v1/silence/{sid}', 'api/v1/api.go', 38, 'API.delSilence', 'api/v1/api.go', 66],
        ['GET', '/', 'cmd/alerts/main.go', 24, '<anonymous>', 'cmd/alerts/main.go', 24],
        ['GET', '/webhook/hooks/{name}', 'internal/webhook/server.go', 22, 'Handler.Get', 'internal/webhook/server.go', 30],
        ['POST', '/webhook/hooks/{name}', 'internal/webhook/server.go', 23, 'Handler.Receive', 'internal/webhook/server.go', 39],
        ['DELETE', '/webhook/hooks/{name}', 'internal/webhook/server.go', 24, 'Handler.Delete', 'internal/webhook/server.go', 49],
        ['GET', '/webhook/healthz', 'internal/webhook/server.go', 25, 'healthz', 'internal/webhook/server.go', 54],
        ['GET', '/webhook/debug/{*path}', 'internal/webhook/server.go', 26, 'http.DefaultServeMux', undefined, undefined],
        ['GET', '/metrics', 'ui/web.go', 12, 'promhttp.Handler().ServeHTTP', undefined, undefined],
        ['GET', '/', 'ui/web.go', 14, '<anonymous>', 'ui/web.go', 14],
        ['GET', '/lib/{*path}', 'ui/web.go', 18, '<anonymous>', 'ui/web.go', 18],
        ['POST', '/-/reload', 'ui/web.go', 22, 'reload', 'ui/web.go', 26],
        ['GET', '/-/healthy', 'ui/web.go', 23, 'healthy', 'ui/web.go', 30],
      ]);
      const frameworks = new Set(m.records.filter((r) => r.kind === 'http').map((r) => `${r.file.split('/')[0]} ${r.framework}`));
      assert.deepEqual([...frameworks], ['api prometheus/route', 'cmd prometheus/route', 'internal httprouter', 'ui prometheus/route']);
      // the router itself is mounted at "/", not listed as a route of the mux
      assert.equal(m.records.filter((r) => r.kind === 'http' && r.file === 'cmd/alerts/main.go' && r.framework === 'net/http').length, 0);
    });

    it('lists routes below a prefix computed at run time once, without it, and never as shadowed by the parent router', () => {
      // `if *routePrefix != "/" { router.Get("/", redirect); router = router.WithPrefix(*routePrefix) }`, then
      // ui.Register(router): the UI's GET / is beside the redirect only in a branch that moves it under the prefix.
      assert.deepEqual(
        m.records.filter((r) => r.kind === 'http' && r.route === '/').map((r) => `${r.file}:${r.line}${r.shadowed ? ' shadowed' : ''}`),
        ['cmd/alerts/main.go:24', 'ui/web.go:14'],
      );
      assert.equal(m.records.filter((r) => r.kind === 'http' && r.route === '/-/healthy').length, 1);
      assert.deepEqual(
        m.problems.filter((p) => p.file === 'cmd/alerts/main.go').map((p) => `${p.line} ${p.message}`),
        ['27 route prefix computed at run time: *routePrefix'],
      );
    });

    it('finds the listener and the error exits, http.NotFound included', () => {
      assert.deepEqual(entries(m), [
        ['main', 'cmd/alerts/main.go', 18, 'main', 'go'],
        ['listen', 'cmd/alerts/main.go', 37, 'http.ListenAndServe(":9093", mux)', 'net/http'],
      ]);
      assert.deepEqual(errors(m), [
        ['http-error', 'api/v1/api.go', 27, 'Register'],
        ['return-error', 'api/v1/api.go', 52, 'addAlerts'],
        ['return-error', 'api/v1/api.go', 61, 'getSilence'],
        ['panic', 'cmd/alerts/main.go', 38, 'main'],
        ['http-error', 'internal/webhook/server.go', 33, 'Get'],
        ['log-error', 'internal/webhook/server.go', 42, 'Receive'],
        ['http-error', 'internal/webhook/server.go', 43, 'Receive'],
        ['http-error', 'ui/web.go', 27, 'reload'],
      ]);
    });
  });

  describe('a chi Mount whose prefix is computed at run time', () => {
    let root = '';
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-go-mount-'));
      writeIn(root, 'go.mod', ['module example.com/shop', '', 'go 1.22']);
      writeIn(root, 'main.go', [
        'package main',
        '',
        'import (',
        '\t"net/http"',
        '\t"os"',
        '',
        '\t"github.com/go-chi/chi/v5"',
        '',
        '\t"example.com/shop/admin"',
        ')',
        '',
        'func main() {',
        '\tr := chi.NewRouter()',
        '\tr.Get("/health", health)',
        '\tr.Mount(os.Getenv("ADMIN_PREFIX"), admin.Routes())',
        '\t_ = http.ListenAndServe(":8080", r)',
        '}',
        '',
        'func health(w http.ResponseWriter, r *http.Request) {}',
      ]);
      writeIn(root, 'admin/routes.go', [
        'package admin',
        '',
        'import (',
        '\t"net/http"',
        '',
        '\t"github.com/go-chi/chi/v5"',
        ')',
        '',
        'func Routes() chi.Router {',
        '\tr := chi.NewRouter()',
        '\tr.Get("/health", adminHealth)',
        '\tr.Post("/purge", purge)',
        '\treturn r',
        '}',
        '',
        'func adminHealth(w http.ResponseWriter, r *http.Request) {}',
        'func purge(w http.ResponseWriter, r *http.Request) {}',
      ]);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('mounts the sub-router all the same, leaves the prefix out with a warning, and shadows nothing', async () => {
      const m = await scanTree(root);
      assert.deepEqual(http(m), [
        ['GET', '/health', 'admin/routes.go', 11, 'adminHealth', 'admin/routes.go', 16],
        ['POST', '/purge', 'admin/routes.go', 12, 'purge', 'admin/routes.go', 17],
        ['GET', '/health', 'main.go', 14, 'health', 'main.go', 19],
      ]);
      assert.deepEqual(
        m.problems.map((p) => `${p.file}:${p.line} ${p.message}`),
        ['main.go:15 mount prefix computed at run time: r.Mount(os.Getenv("ADMIN_PREFIX"), admin.Routes())'],
      );
    });
  });

  describe('several binaries in one module (cmd/api, cmd/admin)', () => {
    let root = '';
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-go-cmds-'));
      writeIn(root, 'go.mod', ['module example.com/shop', '', 'go 1.22']);
      const main = (mux: string, extra: string[]): string[] => [
        'package main',
        '',
        'import (',
        '\t"net/http"',
        '',
        '\t"github.com/go-chi/chi/v5"',
        '',
        '\t"example.com/shop/internal/health"',
        ')',
        '',
        'func main() {',
        `\t${mux} := chi.NewRouter()`,
        `\t${mux}.Get("/healthz", health.Check)`,
        ...extra,
        `\t_ = http.ListenAndServe(":8080", ${mux})`,
        '}',
      ];
      writeIn(root, 'cmd/api/main.go', main('r', ['\tr.Get("/orders", health.Check)', '\tr.Get("/orders", health.Check)']));
      writeIn(root, 'cmd/admin/main.go', main('r', []));
      writeIn(root, 'internal/health/health.go', ['package health', '', 'import "net/http"', '', 'func Check(w http.ResponseWriter, r *http.Request) {}']);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('claims shadowing only between parameters that accept the same: chi tries a regexp parameter apart', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-go-regexp-'));
      try {
        writeIn(dir, 'go.mod', ['module example.com/blog', '', 'go 1.22']);
        writeIn(dir, 'main.go', [
          'package main',
          '',
          'import (',
          '\t"net/http"',
          '',
          '\t"github.com/go-chi/chi/v5"',
          ')',
          '',
          'func main() {',
          '\tr := chi.NewRouter()',
          '\tr.Get("/articles/{articleID}", get)',
          '\tr.Get("/articles/{articleSlug:[a-z-]+}", get)',
          '\tr.Get("/articles/{id}", get)',
          '\t_ = http.ListenAndServe(":8080", r)',
          '}',
          '',
          'func get(w http.ResponseWriter, r *http.Request) {}',
        ]);
        assert.deepEqual(
          http(await scanTree(dir)).map((r) => `${r[1]} ${r[2]}:${r[3]}${r[7] ? ' shadowed' : ''}`),
          ['/articles/{articleID} main.go:11', '/articles/{articleSlug} main.go:12', '/articles/{id} main.go:13 shadowed'],
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('shadows a route only by a route of the same server, not by one of another binary', async () => {
      const m = await scanTree(root);
      assert.deepEqual(
        http(m).map((r) => `${r[0]} ${r[1]} ${r[2]}:${r[3]}${r[7] ? ' shadowed' : ''}`),
        ['GET /healthz cmd/admin/main.go:13', 'GET /healthz cmd/api/main.go:13', 'GET /orders cmd/api/main.go:14', 'GET /orders cmd/api/main.go:15 shadowed'],
      );
    });
  });

  describe('gRPC', () => {
    let m: WireMap;
    before(async () => {
      m = await scan('go-grpc');
    });

    it('links servers to the proto by the Unimplemented embedding (methods in sibling files too) and by Register calls (local type, type of another package)', () => {
      assert.deepEqual(
        m.records.filter((r) => r.kind === 'grpc').map((r) => [r.route, r.file, r.line, r.handler, r.handlerEndLine]),
        [
          ['/acme.catalog.v1.AdminService/Reindex', 'cmd/catalog/main.go', 21, 'adminServer.Reindex', 27],
          ['/acme.catalog.v1.ArticleService/CreateArticle', 'internal/articles/create.go', 12, 'Server.CreateArticle', 20],
          ['/acme.catalog.v1.ArticleService/GetArticle', 'internal/articles/server.go', 22, 'Server.GetArticle', 31],
          ['/acme.catalog.v1.ArticleService/ListArticles', 'internal/articles/server.go', 33, 'Server.ListArticles', 40],
          ['/acme.catalog.v1.TagService/ListTags', 'internal/tags/server.go', 12, 'Server.ListTags', 14],
          ['/acme.catalog.v1.ArticleService/DeleteArticle', 'proto/catalog/v1/catalog.proto', 11, undefined, undefined],
        ],
      );
      assert.ok(m.records.filter((r) => r.kind === 'grpc').every((r) => r.method === 'GRPC'));
    });

    it('finds net.Listen as the gRPC listener and status errors as returned errors', () => {
      assert.deepEqual(entries(m), [
        ['main', 'cmd/catalog/main.go', 29, 'main', 'go'],
        ['listen', 'cmd/catalog/main.go', 30, 'net.Listen("tcp", ":50051")', 'grpc'],
      ]);
      assert.deepEqual(errors(m), [
        ['return-error', 'cmd/catalog/main.go', 24, 'Reindex'],
        ['panic', 'cmd/catalog/main.go', 32, 'main'],
        ['panic', 'cmd/catalog/main.go', 41, 'main'],
        ['return-error', 'internal/articles/create.go', 14, 'CreateArticle'],
        ['return-error', 'internal/articles/create.go', 17, 'CreateArticle'],
        ['return-error', 'internal/articles/server.go', 25, 'GetArticle'],
        ['return-error', 'internal/articles/server.go', 28, 'GetArticle'],
        ['return-error', 'internal/articles/server.go', 36, 'ListArticles'],
      ]);
    });
  });

  describe('single files', () => {
    const index = new WireIndex(path.join(fixtures, 'go-chi'));
    after(() => index.dispose());

    async function facts(text: string, file = 'internal/x/x.go'): Promise<NonNullable<Awaited<ReturnType<WireIndex['factsFor']>>>> {
      const f = await index.factsFor(file, text);
      assert.ok(f);
      return f;
    }

    it('warns about a route whose path is computed at run time instead of guessing', async () => {
      const f = await facts(
        ['package x', 'import ("fmt"; "github.com/go-chi/chi/v5")', 'func R(r chi.Router, v int) {', '\tr.Get(fmt.Sprintf("/v%d/x", v), h)', '\tr.Get("/ok", h)', '}'].join('\n'),
      );
      assert.deepEqual(
        f.routes.map((r) => [r.method, r.path]),
        [['GET', '/ok']],
      );
      assert.deepEqual(f.warnings, [{ line: 4, message: 'route path computed at run time: fmt.Sprintf("/v%d/x", v)' }]);
    });

    it('reads `_ = err`, recover(), zerolog and error structs; a plain os.Exit(0) is no error', async () => {
      const f = await facts(
        [
          'package x',
          'import ("os"; "github.com/rs/zerolog/log")',
          'func F() error {',
          '\terr := g()',
          '\t_ = err',
          '\tdefer func() {',
          '\t\tif r := recover(); r != nil {',
          '\t\t\tlog.Error().Err(err).Msg("recovered")',
          '\t\t}',
          '\t}()',
          '\tos.Exit(0)',
          '\treturn &ValidationError{Field: "x"}',
          '}',
        ].join('\n'),
      );
      assert.deepEqual(
        f.errors.map((e) => [e.kind, e.loc.line, e.function]),
        [
          ['swallow', 5, 'F'],
          ['catch', 7, 'F'],
          ['log-error', 8, 'F'],
          ['return-error', 12, 'F'],
        ],
      );
    });

    it('names routers by function and variable, and parameters as fn(param)', async () => {
      const f = await facts(
        ['package x', 'import "github.com/gin-gonic/gin"', 'func (s *Server) Register(rg *gin.RouterGroup) {', '\tv1 := rg.Group("/v1")', '\tv1.GET("/a", s.a)', '}'].join('\n'),
      );
      assert.deepEqual(
        f.routers.map((r) => r.name),
        ['Server.Register(rg)', 'Server.Register.v1'],
      );
      assert.deepEqual(f.mounts.map((m) => [m.parent, m.child, m.prefix]), [[{ kind: 'local', name: 'Server.Register(rg)' }, { kind: 'local', name: 'Server.Register.v1' }, '/v1']]);
      assert.deepEqual(f.routes[0]?.handler, { kind: 'ref', ref: { kind: 'package', name: 'Server.a' }, display: 'Server.a' });
      assert.deepEqual(f.functions[0], { name: 'Register', container: 'Server', params: ['rg'], loc: { line: 3, column: 1, endLine: 6 }, calls: ['Group', 'GET'] });
    });

    it('expands loops over string slices and package-level tables, and reads chi Group(nil)', async () => {
      const f = await facts(
        [
          'package x',
          'import ("net/http"; "github.com/go-chi/chi/v5")',
          'var pages = []page{{"/about", about}, {"/terms", terms}}',
          'type page struct { path string; h http.HandlerFunc }',
          'func R(r chi.Router) {',
          '\tfor _, p := range []string{"/a", "/b"} {',
          '\t\tr.Get(p, static)',
          '\t}',
          '\tfor _, pg := range pages {',
          '\t\tr.Get(pg.path, pg.h)',
          '\t}',
          '\tg := r.Group(nil)',
          '\tg.Post("/c", c)',
          '}',
        ].join('\n'),
      );
      assert.deepEqual(
        f.routes.map((r) => [r.method, r.path, r.loc.line, r.handler?.kind === 'ref' ? r.handler.display : undefined, r.router]),
        [
          ['GET', '/a', 6, 'static', { kind: 'local', name: 'R(r)' }],
          ['GET', '/b', 6, 'static', { kind: 'local', name: 'R(r)' }],
          ['GET', '/about', 3, 'about', { kind: 'local', name: 'R(r)' }],
          ['GET', '/terms', 3, 'terms', { kind: 'local', name: 'R(r)' }],
          ['POST', '/c', 13, 'c', { kind: 'local', name: 'R.g' }],
        ],
      );
      assert.deepEqual(f.mounts.map((m) => [m.parent, m.child, m.prefix]), [[{ kind: 'local', name: 'R(r)' }, { kind: 'local', name: 'R.g' }, '']]);
    });

    it('parses ServeMux patterns with a method and a host', () => {
      assert.deepEqual(parsePattern('GET /articles/{slug}'), { method: 'GET', path: '/articles/{slug}' });
      assert.deepEqual(parsePattern('POST api.example.com/v1/items'), { method: 'POST', path: '/v1/items' });
      assert.deepEqual(parsePattern('/static/'), { method: undefined, path: '/static/' });
    });
  });

  describe('language support', () => {
    it('parses handler files even when routes are registered elsewhere, and skips models and tests', () => {
      const handlerOnly = 'package a\nimport "net/http"\nfunc (h *Handler) Get(w http.ResponseWriter, r *http.Request) {}\n';
      assert.equal(goSupport.interesting(handlerOnly, 'internal/a/get.go'), true);
      assert.equal(goSupport.interesting('package a\nfunc (s *Server) GetArticle(ctx context.Context, req *pb.GetArticleRequest) (*pb.Article, error) {}', 'a/get.go'), true);
      assert.equal(goSupport.interesting('package a\ntype Article struct{ Slug string }\n', 'internal/a/model.go'), false);
      assert.equal(goSupport.interesting(handlerOnly, 'internal/a/get_test.go'), false);
    });

    it('resolves import paths to package folders through the nearest go.mod, with local replace directives', () => {
      const files = ['svc/go.mod', 'svc/internal/api/a.go', 'svc/internal/api/a_test.go', 'svc/internal/api/b.go', 'libs/auth/auth.go'];
      const mods: Record<string, string> = { 'svc/go.mod': 'module example.com/svc\n\ngo 1.22\n\nreplace (\n\texample.com/auth => ../libs/auth\n)\n' };
      const view: ProjectView = {
        has: (f) => files.includes(f),
        filesIn: (d) => files.filter((f) => f.slice(0, f.lastIndexOf('/')) === d),
        serviceRootOf: () => 'svc',
        read: (f) => mods[f],
      };
      const resolve = goSupport.resolveModule;
      assert.ok(resolve);
      assert.deepEqual(resolve('svc/cmd/main.go', 'example.com/svc/internal/api', view), ['svc/internal/api/a.go', 'svc/internal/api/b.go']);
      assert.deepEqual(resolve('svc/cmd/main.go', 'example.com/auth', view), ['libs/auth/auth.go']);
      assert.deepEqual(resolve('svc/cmd/main.go', 'github.com/go-chi/chi/v5', view), []);
    });
  });
});
