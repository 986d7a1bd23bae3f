import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileFacts } from '../../../src/core/wire/facts';
import type { ProjectView } from '../../../src/core/wire/language';
import { javascriptSupport, typescriptSupport } from '../../../src/core/wire/languages/javascript';
import type { WireMap, WireRecord } from '../../../src/core/wire/model';
import { matchWire } from '../../../src/core/wire/match';
import { scanTree, WireIndex } from '../../../src/core/wire/scan';
import { repoRoot, writeIn } from '../helpers';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'wire', name);

/** One HTTP/gRPC record as `METHOD route | file:line | handler | handlerFile:handlerLine` (+ ` | shadowed`). */
function httpRow(r: WireRecord): string {
  const where = r.handlerFile ? `${r.handlerFile}:${r.handlerLine}` : '-';
  return `${r.method} ${r.route} | ${r.file}:${r.line} | ${r.handler ?? '-'} | ${where}${r.shadowed ? ' | shadowed' : ''}`;
}

/** Entries and errors as `detail | file:line | function-or-name | text`. */
const rows = (map: WireMap, kind: WireRecord['kind']): string[] =>
  map.records
    .filter((r) => r.kind === kind)
    .map(kind === 'http' || kind === 'grpc' ? httpRow : (r) => `${r.detail} | ${r.file}:${r.line} | ${r.kind === 'error' ? r.function : r.handler} | ${r.text}`)
    .sort();

const sorted = (xs: string[]): string[] => [...xs].sort();

/** Scans a temporary tree of `files` (path → lines), then removes it. */
async function scanFiles(prefix: string, files: Record<string, string[]>): Promise<WireMap> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    for (const [file, lines] of Object.entries(files)) writeIn(root, file, lines);
    return await scanTree(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** An http row without its handler columns: `METHOD route | file:line` (+ ` | shadowed`). */
const routeAt = (row: string): string => row.split(' | ').filter((_, i) => i !== 2 && i !== 3).join(' | ');

/** The error records of the map that start with the given `detail | file:line` prefixes. */
function errorsAt(map: WireMap, ...prefixes: string[]): string[] {
  const all = rows(map, 'error');
  return prefixes.map((p) => all.find((r) => r.startsWith(p + ' |')) ?? `missing: ${p}`);
}

describe('wire: JavaScript and TypeScript', () => {
  const FIXTURES = ['js-express', 'ts-express', 'ts-fastify', 'js-koa', 'ts-hono', 'ts-nestjs', 'ts-nextjs', 'js-grpc'];
  const maps = new Map<string, WireMap>();
  const scanned = (name: string): WireMap => maps.get(name) as WireMap;

  before(async () => {
    for (const f of FIXTURES) maps.set(f, await scanTree(fixture(f)));
  });

  describe('wire: Express (JavaScript, CommonJS)', () => {
    it('resolves every route across files: require()d routers, app.route() chains, nested routers, router functions, a route table', () => {
      assert.deepEqual(
        rows(scanned('js-express'), 'http'),
        sorted([
          'GET /health | app.js:10 | <anonymous> | app.js:10',
          // registered again after the first: never answers
          'GET /health | app.js:17 | <anonymous> | app.js:17 | shadowed',
          // app.use('/api', require('./routes')) → router.use('/articles', articles); middleware before the handler
          'GET /api/articles | routes/articles.js:8 | ctrl.list | controllers/articles.js:4',
          'GET /api/articles/feed | routes/articles.js:9 | ctrl.feed | controllers/articles.js:13',
          'POST /api/articles | routes/articles.js:10 | ctrl.create | controllers/articles.js:17',
          // router.route('/:slug').get().put().delete(), one line each
          'GET /api/articles/{slug} | routes/articles.js:14 | ctrl.show | controllers/articles.js:24',
          'PUT /api/articles/{slug} | routes/articles.js:15 | ctrl.update | controllers/articles.js:32',
          'DELETE /api/articles/{slug} | routes/articles.js:16 | ctrl.remove | controllers/articles.js:36',
          // nested: router.use('/:slug/comments', require('./comments'))
          'GET /api/articles/{slug}/comments | routes/comments.js:8 | <anonymous> | routes/comments.js:8',
          'DELETE /api/articles/{slug}/comments/{id} | routes/comments.js:17 | deleteComment | routes/comments.js:17',
          // require('./profiles')(router): module.exports = function (router) { … }
          'GET /api/profiles/{username} | routes/profiles.js:20 | getProfile | routes/profiles.js:5',
          'POST /api/profiles/{username}/follow | routes/profiles.js:21 | follow | routes/profiles.js:11',
          // for (const r of routes) router[r.method](r.path, …, r.handler), exported as exports.router
          'POST /api/users/login | routes/users.js:10 | users.login | controllers/users.js:4',
          'POST /api/users | routes/users.js:11 | users.register | controllers/users.js:10',
          'GET /api/user | routes/users.js:12 | users.current | controllers/users.js:14',
          'PUT /api/user | routes/users.js:13 | users.update | controllers/users.js:18',
        ]),
      );
    });

    it('finds the listener and require.main', () => {
      assert.deepEqual(rows(scanned('js-express'), 'entry'), [
        'listen | server.js:10 | server.listen(PORT, () => logger.info(`listening on ${PORT}`)) | server.listen(PORT, () => logger.info(`listening on ${PORT}`))',
        'main | server.js:17 | require.main === module | require.main === module',
      ]);
    });

    it('finds error exits of every kind, with the function they are in', () => {
      assert.deepEqual(errorsAt(scanned('js-express'), 'catch | controllers/articles.js:8', 'return-error | controllers/articles.js:9', 'http-error | controllers/articles.js:19', 'throw | controllers/articles.js:27', 'log-error | middleware/errors.js:10', 'http-error | middleware/errors.js:11', 'panic | server.js:13', 'swallow | routes/profiles.js:14', 'swallow | routes/profiles.js:6', 'swallow | middleware/auth.js:22', 'return-error | routes/comments.js:13'), [
        'catch | controllers/articles.js:8 | list | catch (err) { …',
        'return-error | controllers/articles.js:9 | list | next(err)',
        'http-error | controllers/articles.js:19 | create | res.status(422)',
        'throw | controllers/articles.js:27 | show | throw new Error(`article ${req.params.slug} not found`);',
        'log-error | middleware/errors.js:10 | errorHandler | logger.error(err)',
        'http-error | middleware/errors.js:11 | errorHandler | res.status(err.status || 500)',
        'panic | server.js:13 | start | process.exit(1)',
        // catch block with only a comment; promise .catch(() => null); empty catch {}
        'swallow | routes/profiles.js:14 | follow | catch (e) { …',
        'swallow | routes/profiles.js:6 | getProfile | Profile.byUsername(req.params.username).catch(() => null)',
        'swallow | middleware/auth.js:22 | optional | catch {}',
        // inside an anonymous route handler
        'return-error | routes/comments.js:13 | <anonymous> | next(err)',
      ]);
    });

    it('records the functions of a file with what they call', async () => {
      const index = new WireIndex(fixture('js-express'));
      await index.scan();
      const facts = index.factsOf('controllers/articles.js') as FileFacts;
      const list = facts.functions.find((f) => f.name === 'list');
      assert.deepEqual(list && { params: list.params, loc: list.loc, calls: [...(list.calls ?? [])].sort() }, { params: ['req', 'res', 'next'], loc: { line: 4, column: 16, endLine: 11 }, calls: ['json', 'list', 'next'] });
      assert.deepEqual(facts.exports, { list: 'list', feed: 'feed', create: 'create', show: 'show', update: 'update', remove: 'remove' });
      index.dispose();
    });
  });

  describe('wire: Express (TypeScript, ESM)', () => {
    it('follows .js specifiers to .ts sources, barrel re-exports, routers returned by functions and routers passed to functions', () => {
      assert.deepEqual(
        rows(scanned('ts-express'), 'http'),
        sorted([
          // createApp(): const app = express() … return app
          'GET /healthz | src/app.ts:9 | <anonymous> | src/app.ts:9',
          // apiRouter.use('/items', items) where items is `export { default as items } from './items.js'`
          'GET /api/v1/items | src/routes/items.ts:11 | listItems | src/controllers/items.controller.ts:4',
          // class field arrow through asyncHandler(); method through .bind(); instance of an imported class
          'GET /api/v1/items/{sku} | src/routes/items.ts:12 | ItemsController.show | src/controllers/items.controller.ts:11',
          'POST /api/v1/items | src/routes/items.ts:13 | ItemsController.create | src/controllers/items.controller.ts:20',
          'DELETE /api/v1/items/{sku} | src/routes/items.ts:14 | ItemsController.remove | src/controllers/items.controller.ts:24',
          // export const warehouses = buildRouter(); import * as warehouseHandlers
          'GET /api/v1/warehouses | src/routes/warehouses.ts:6 | warehouseHandlers.list | src/controllers/warehouses.ts:4',
          'GET /api/v1/warehouses/{id}/items | src/routes/warehouses.ts:7 | <anonymous> | src/routes/warehouses.ts:7',
          // registerStockRoutes(apiRouter): the parameter router registerStockRoutes(router)
          'GET /api/v1/stock/{sku} | src/routes/stock.ts:5 | stockLevel | src/controllers/stock.ts:4',
          'PATCH /api/v1/stock/{sku} | src/routes/stock.ts:6 | adjustStock | src/controllers/stock.ts:8',
        ]),
      );
    });

    it('finds the listener and the serverless handler', () => {
      assert.deepEqual(rows(scanned('ts-express'), 'entry'), ['listen | src/index.ts:7 | app.listen(port, () => { … | app.listen(port, () => { …', 'serverless | src/lambda.ts:4 | handler | handler']);
    });

    it('finds errors in class members and swallowed promise rejections', () => {
      assert.deepEqual(errorsAt(scanned('ts-express'), 'http-error | src/controllers/items.controller.ts:14', 'throw | src/controllers/items.controller.ts:29', 'return-error | src/controllers/stock.ts:11', 'swallow | src/controllers/warehouses.ts:9'), [
        'http-error | src/controllers/items.controller.ts:14 | ItemsController.show | res.status(404)',
        'throw | src/controllers/items.controller.ts:29 | ItemsController.remove | throw new Error(`could not remove ${req.params.sku}`, { cause: err });',
        "return-error | src/controllers/stock.ts:11 | adjustStock | next(new Error('delta must be a number'))",
        'swallow | src/controllers/warehouses.ts:9 | itemsIn | db.items.findMany({ where: { warehouseId: id } }).catch(() => undefined)',
      ]);
    });
  });

  describe('wire: Fastify', () => {
    it('resolves plugin prefixes across files, route({ method, url, handler }), handlers in options objects', () => {
      assert.deepEqual(
        rows(scanned('ts-fastify'), 'http'),
        sorted([
          'GET /health | src/server.ts:18 | <anonymous> | src/server.ts:18',
          // app.register(async (admin) => …, { prefix: '/admin' })
          'GET /admin/stats | src/server.ts:13 | <anonymous> | src/server.ts:13',
          // app.register(invoiceRoutes, { prefix: '/api/invoices' }): export default async function invoiceRoutes(fastify)
          'GET /api/invoices | src/routes/invoices.ts:6 | listInvoices | src/handlers/invoices.ts:3',
          'GET /api/invoices/{id} | src/routes/invoices.ts:8 | <anonymous> | src/routes/invoices.ts:8',
          'POST /api/invoices | src/routes/invoices.ts:16 | createInvoice | src/handlers/invoices.ts:7',
          'PUT /api/invoices/{id} | src/routes/invoices.ts:23 | handler | src/routes/invoices.ts:26',
          'PATCH /api/invoices/{id} | src/routes/invoices.ts:23 | handler | src/routes/invoices.ts:26',
          // nested plugin: fastify.register(lineRoutes, { prefix: '/:id/lines' }), const lineRoutes: FastifyPluginAsync = async (fastify) => …
          'GET /api/invoices/{id}/lines | src/routes/lines.ts:5 | <anonymous> | src/routes/lines.ts:5',
          'DELETE /api/invoices/{id}/lines/{lineId} | src/routes/lines.ts:6 | deleteLine | src/handlers/invoices.ts:14',
          // export async function customerRoutes(app) registered with { prefix: '/api' }
          'GET /api/customers/{id} | src/routes/customers.ts:5 | customers.getCustomer | src/handlers/customers.ts:3',
          'POST /api/customers | src/routes/customers.ts:6 | customers.createCustomer | src/handlers/customers.ts:13',
          'GET /api/customers/{id} | src/routes/customers.ts:7 | customers.getCustomerV2 | src/handlers/customers.ts:9 | shadowed',
        ]),
      );
    });

    it('shadows a route only within one server: two apps of a service, a router mounted nowhere the scan sees', async () => {
      const map = await scanFiles('wire-js-servers-', {
        'package.json': ['{ "name": "shop", "dependencies": { "express": "^4.21.0" } }'],
        'server.js': [
          "const express = require('express');",
          "const api = require('./api');",
          'const app = express();',
          "app.get('/health', (req, res) => res.send('ok'));",
          "app.get('/health', (req, res) => res.send('never'));",
          "app.use('/api', api);",
          'app.listen(3000);',
          'const admin = express();',
          "admin.get('/health', (req, res) => res.send('admin'));",
          'admin.listen(9000);',
        ],
        'api.js': ["const router = require('express').Router();", "router.get('/health', (req, res) => res.send('api'));", 'module.exports = router;'],
        'plugins/keys.js': ["const router = require('express').Router();", "router.get('/health', (req, res) => res.send('keys'));", 'module.exports = router;'],
      });
      assert.deepEqual(
        rows(map, 'http').map(routeAt),
        ['GET /api/health | api.js:2', 'GET /health | plugins/keys.js:2', 'GET /health | server.js:4', 'GET /health | server.js:5 | shadowed', 'GET /health | server.js:9'],
      );
    });

    it('apps made by a workspace factory are apps of their own, and a router a module function returns is mounted (Node-RED)', async () => {
      const map = await scanFiles('wire-js-factory-', {
        'package.json': ['{ "name": "editor", "dependencies": { "express": "^4.21.0" } }'],
        'util.js': ["const express = require('express');", 'module.exports = {', '  createExpressApp: function () {', '    const app = express();', "    app.get('/ping', (req, res) => res.send('pong'));", '    return app;', '  },', '};'],
        'projects.js': [
          "const apiUtils = require('./util');",
          'module.exports = {',
          '  app: function () {',
          '    const app = apiUtils.createExpressApp();',
          "    app.get('/', (req, res) => res.json([]));",
          "    app.get('/:id', (req, res) => res.json({}));",
          '    return app;',
          '  },',
          '};',
        ],
        'index.js': [
          "const apiUtil = require('./util');",
          "const projects = require('./projects');",
          'const editorApp = apiUtil.createExpressApp();',
          "editorApp.get('/', (req, res) => res.send('editor'));",
          "editorApp.use('/projects', projects.app());",
          'editorApp.listen(1880);',
        ],
      });
      assert.deepEqual(
        rows(map, 'http').map(routeAt),
        // the factory's own route is in every app it makes: under each app's mount
        ['GET / | index.js:4', 'GET /ping | util.js:5', 'GET /projects | projects.js:5', 'GET /projects/ping | util.js:5', 'GET /projects/{id} | projects.js:6'],
      );
    });

    it('opens a handler chosen by a condition (@fastify/swagger-ui): the first branch that is a function', async () => {
      const map = await scanFiles('wire-js-ternary-', {
        'package.json': ['{ "name": "docs", "dependencies": { "fastify": "^4.0.0" } }'],
        'lib/routes.js': [
          'module.exports = function fastifySwagger (fastify, opts, done) {',
          "  const transform = typeof opts.transformSpecification === 'function'",
          '  fastify.route({',
          "    url: '/json',",
          "    method: 'GET',",
          '    handler: transform',
          '      ? function (req, reply) { reply.send(opts.transformSpecification(fastify.swagger(), req, reply)) }',
          '      : function (_req, reply) { reply.send(fastify.swagger()) }',
          '  })',
          "  fastify.get('/yaml', opts.yamlHandler || function yaml (_req, reply) { reply.send('') })",
          "  fastify.get('/plain', opts.ready ? serve : serve)",
          '  function serve (_req, reply) { reply.send(1) }',
          '  done()',
          '}',
        ],
        'index.js': ["const fastify = require('fastify')()", "fastify.register(require('./lib/routes'), { prefix: '/documentation' })"],
      });
      assert.deepEqual(rows(map, 'http'), [
        'GET /documentation/json | lib/routes.js:3 | <anonymous> | lib/routes.js:7',
        'GET /documentation/plain | lib/routes.js:11 | serve | lib/routes.js:12',
        'GET /documentation/yaml | lib/routes.js:10 | yaml | lib/routes.js:10',
      ]);
    });

    it('finds the listener and reply.code() errors', () => {
      assert.deepEqual(rows(scanned('ts-fastify'), 'entry'), ["listen | src/server.ts:20 | app.listen({ port: 3000, host: '0.0.0.0' }) | app.listen({ port: 3000, host: '0.0.0.0' })"]);
      assert.deepEqual(errorsAt(scanned('ts-fastify'), 'http-error | src/routes/invoices.ts:11', 'http-error | src/routes/invoices.ts:31', 'log-error | src/routes/invoices.ts:30', 'catch | src/plugins/auth.ts:8', 'panic | src/server.ts:22'), [
        'http-error | src/routes/invoices.ts:11 | <anonymous> | reply.code(404)',
        'http-error | src/routes/invoices.ts:31 | handler | reply.code(500)',
        'log-error | src/routes/invoices.ts:30 | handler | request.log.error(err)',
        'catch | src/plugins/auth.ts:8 | auth | catch (err) { …',
        'panic | src/server.ts:22 | <anonymous> | process.exit(1)',
      ]);
    });
  });

  describe('wire: Koa', () => {
    it('resolves new Router({ prefix }), router.use(prefix, sub.routes()) and chained registrations', () => {
      assert.deepEqual(
        rows(scanned('js-koa'), 'http'),
        sorted([
          'GET /api/health | src/routes/index.js:7 | <anonymous> | src/routes/index.js:7',
          'GET /api/orders | src/routes/orders.js:8 | orders.list | src/controllers/orders.js:3',
          'GET /api/orders/{id} | src/routes/orders.js:9 | orders.show | src/controllers/orders.js:7',
          'POST /api/orders | src/routes/orders.js:10 | orders.create | src/controllers/orders.js:13',
          'DELETE /api/orders/{id} | src/routes/orders.js:11 | orders.cancel | src/controllers/orders.js:23',
          'ANY /api/orders/{id}/legacy | src/routes/orders.js:13 | <anonymous> | src/routes/orders.js:13',
          // const { shipments } = require('./shipments'): new Router({ prefix: '/shipments' }) mounted without a prefix
          'GET /api/shipments/{trackingId} | src/routes/shipments.js:5 | track | src/routes/shipments.js:5',
        ]),
      );
    });

    it('finds app.listen and ctx.throw / ctx.status / ctx.assert errors', () => {
      assert.deepEqual(rows(scanned('js-koa'), 'entry'), ['listen | src/index.js:12 | app.listen(process.env.PORT || 4000) | app.listen(process.env.PORT || 4000)']);
      assert.deepEqual(errorsAt(scanned('js-koa'), 'http-error | src/controllers/orders.js:9', 'http-error | src/middleware/errors.js:5', 'http-error | src/routes/shipments.js:7', 'swallow | src/controllers/orders.js:24', 'log-error | src/middleware/errors.js:7'), [
        "http-error | src/controllers/orders.js:9 | show | ctx.throw(404, 'order not found')",
        'http-error | src/middleware/errors.js:5 | errors | ctx.status = err.status || 500',
        "http-error | src/routes/shipments.js:7 | track | ctx.assert(s, 404, 'unknown shipment')",
        'swallow | src/controllers/orders.js:24 | cancel | Order.cancel(ctx.params.id).catch(() => {})',
        "log-error | src/middleware/errors.js:7 | errors | console.error('request failed', err)",
      ]);
    });
  });

  describe('wire: Hono', () => {
    it('resolves basePath(), app.route(prefix, sub) across files, chained and app.on() routes, regex parameters', () => {
      assert.deepEqual(
        rows(scanned('ts-hono'), 'http'),
        sorted([
          'GET /api/health | src/index.ts:9 | <anonymous> | src/index.ts:9',
          'GET /api/links | src/routes/links.ts:8 | listLinks | src/handlers/links.ts:3',
          'POST /api/links | src/routes/links.ts:8 | createLink | src/handlers/links.ts:5',
          // '/:code{[a-z0-9]{6}}'
          'GET /api/links/{code} | src/routes/links.ts:10 | <anonymous> | src/routes/links.ts:10',
          'DELETE /api/links/{code} | src/routes/links.ts:16 | <anonymous> | src/routes/links.ts:16',
          'GET /api/links/{code}/clicks | src/routes/clicks.ts:5 | <anonymous> | src/routes/clicks.ts:5',
          'GET /api/links/{code}/clicks/count | src/routes/clicks.ts:6 | <anonymous> | src/routes/clicks.ts:6',
          'HEAD /api/links/{code}/clicks/count | src/routes/clicks.ts:6 | <anonymous> | src/routes/clicks.ts:6',
          'GET /api/me | src/routes/users.ts:12 | me | src/routes/users.ts:6',
          'POST /api/users/login | src/routes/users.ts:13 | <anonymous> | src/routes/users.ts:13',
        ]),
      );
    });

    it('finds serve({ fetch }) and c.json(…, 4xx) / HTTPException errors', () => {
      assert.deepEqual(rows(scanned('ts-hono'), 'entry'), ['listen | src/index.ts:19 | serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8787) }) | serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8787) })']);
      assert.deepEqual(errorsAt(scanned('ts-hono'), 'http-error | src/routes/links.ts:12', 'http-error | src/routes/users.ts:8', 'swallow | src/handlers/links.ts:6'), [
        "http-error | src/routes/links.ts:12 | <anonymous> | throw new HTTPException(404, { message: 'no such link' });",
        "http-error | src/routes/users.ts:8 | me | c.json({ error: 'unauthorized' }, 401)",
        'swallow | src/handlers/links.ts:6 | createLink | c.req.json().catch(() => null)',
      ]);
    });
  });

  describe('wire: NestJS', () => {
    it('makes controllers top-level routers under the global prefix of main.ts', () => {
      const c = 'src/articles/articles.controller.ts';
      const cc = 'src/articles/comments.controller.ts';
      const p = 'src/profiles/profiles.controller.ts';
      assert.deepEqual(
        rows(scanned('ts-nestjs'), 'http'),
        sorted([
          `GET /api/articles | ${c}:9 | ArticlesController.findAll | ${c}:10`,
          // @Get('feed') then @UseGuards(): registration at the route decorator, handler at the method
          `GET /api/articles/feed | ${c}:14 | ArticlesController.feed | ${c}:16`,
          `GET /api/articles/{slug} | ${c}:20 | ArticlesController.findOne | ${c}:21`,
          `POST /api/articles | ${c}:30 | ArticlesController.create | ${c}:31`,
          `PUT /api/articles/{slug} | ${c}:35 | ArticlesController.update | ${c}:36`,
          `DELETE /api/articles/{slug} | ${c}:40 | ArticlesController.remove | ${c}:42`,
          // @Controller({ path: 'articles/:slug/comments' })
          `GET /api/articles/{slug}/comments | ${cc}:8 | CommentsController.list | ${cc}:9`,
          `POST /api/articles/{slug}/comments | ${cc}:13 | CommentsController.add | ${cc}:14`,
          `DELETE /api/articles/{slug}/comments/{id} | ${cc}:21 | CommentsController.remove | ${cc}:22`,
          `GET /api/profiles/{username} | ${p}:5 | ProfilesController.get | ${p}:6`,
          `POST /api/profiles/{username}/follow | ${p}:10 | ProfilesController.follow | ${p}:12`,
          `DELETE /api/profiles/{username}/follow | ${p}:16 | ProfilesController.unfollow | ${p}:17`,
          // @Controller() with @Get(['health', 'healthz'])
          'GET /api/health | src/health/health.controller.ts:5 | HealthController.check | src/health/health.controller.ts:6',
          'GET /api/healthz | src/health/health.controller.ts:5 | HealthController.check | src/health/health.controller.ts:6',
        ]),
      );
    });

    it('links @GrpcMethod methods to the .proto service', () => {
      const g = 'src/articles/articles.grpc.ts';
      assert.deepEqual(rows(scanned('ts-nestjs'), 'grpc'), [`GRPC /realworld.articles.ArticleService/FindArticle | ${g}:10 | ArticlesGrpcController.findArticle | ${g}:10`, `GRPC /realworld.articles.ArticleService/ListArticles | ${g}:15 | ArticlesGrpcController.listArticles | ${g}:15`]);
    });

    it('finds the bootstrap, the listener and HTTP exceptions', () => {
      assert.deepEqual(rows(scanned('ts-nestjs'), 'entry'), ['bootstrap | src/main.ts:6 | NestFactory.create(AppModule) | NestFactory.create(AppModule)', 'listen | src/main.ts:9 | app.listen(process.env.PORT ?? 3000) | app.listen(process.env.PORT ?? 3000)']);
      assert.deepEqual(errorsAt(scanned('ts-nestjs'), 'http-error | src/articles/articles.controller.ts:24', 'http-error | src/articles/comments.controller.ts:16', 'log-error | src/main.ts:13'), [
        'http-error | src/articles/articles.controller.ts:24 | ArticlesController.findOne | throw new NotFoundException(`Article ${slug} not found`);',
        "http-error | src/articles/comments.controller.ts:16 | CommentsController.add | throw new HttpException('comment body is required', HttpStatus.UNPROCESSABLE_ENTITY);",
        "log-error | src/main.ts:13 | <anonymous> | new Logger('bootstrap').error(err)",
      ]);
    });
  });

  describe('wire: Next.js route files', () => {
    it('turns app/**/route.ts exports and pages/api default exports into routes', () => {
      const a = 'src/app/api';
      assert.deepEqual(
        rows(scanned('ts-nextjs'), 'http'),
        sorted([
          `GET /api/articles | ${a}/articles/route.ts:4 | GET | ${a}/articles/route.ts:4`,
          `POST /api/articles | ${a}/articles/route.ts:8 | POST | ${a}/articles/route.ts:8`,
          `GET /api/articles/{slug} | ${a}/articles/[slug]/route.ts:7 | GET | ${a}/articles/[slug]/route.ts:7`,
          // export const DELETE = withAuth(async (req) => …)
          `DELETE /api/articles/{slug} | ${a}/articles/[slug]/route.ts:15 | DELETE | ${a}/articles/[slug]/route.ts:15`,
          // (internal) group segment, export { handler as GET, handler as HEAD }
          `GET /api/stats | ${a}/(internal)/stats/route.ts:5 | handler | ${a}/(internal)/stats/route.ts:1`,
          `HEAD /api/stats | ${a}/(internal)/stats/route.ts:5 | handler | ${a}/(internal)/stats/route.ts:1`,
          `GET /api/docs/{*path} | ${a}/docs/[[...path]]/route.ts:1 | GET | ${a}/docs/[[...path]]/route.ts:1`,
          `GET /api/files/{*key} | ${a}/files/[...key]/route.ts:1 | GET | ${a}/files/[...key]/route.ts:1`,
          'ANY /api/health | src/pages/api/health.ts:3 | handler | src/pages/api/health.ts:3',
          'ANY /api/users/{id} | src/pages/api/users/[id].ts:3 | default | src/pages/api/users/[id].ts:3',
          'ANY /api/legacy | src/pages/api/legacy/index.ts:7 | legacy | src/pages/api/legacy/index.ts:3',
        ]),
      );
    });

    it('finds Response / NextResponse error statuses and no entry in a pages default export', () => {
      assert.deepEqual(rows(scanned('ts-nextjs'), 'entry'), []);
      assert.deepEqual(errorsAt(scanned('ts-nextjs'), 'http-error | src/app/api/articles/[slug]/route.ts:10', 'http-error | src/app/api/articles/route.ts:14', 'throw | src/app/api/files/[...key]/route.ts:4'), [
        "http-error | src/app/api/articles/[slug]/route.ts:10 | GET | new Response('not found', { status: 404 })",
        "http-error | src/app/api/articles/route.ts:14 | POST | NextResponse.json({ error: 'invalid JSON' }, { status: 400 })",
        'throw | src/app/api/files/[...key]/route.ts:4 | GET | throw new Error(`bucket answered ${res.status} for ${key}`);',
      ]);
    });
  });

  describe('wire: gRPC (@grpc/grpc-js)', () => {
    it('links addService() implementation objects to the .proto services', () => {
      const s = 'src/server.js';
      assert.deepEqual(
        rows(scanned('js-grpc'), 'grpc'),
        sorted([
          // shorthand keys of local functions: the function's definition
          `GRPC /catalog.v1.ProductService/CreateProduct | ${s}:12 | ProductService.createProduct | ${s}:12`,
          // imported handlers: the key in the implementation object
          `GRPC /catalog.v1.ProductService/GetProduct | ${s}:31 | ProductService.getProduct | ${s}:31`,
          `GRPC /catalog.v1.ProductService/ListProducts | ${s}:32 | ProductService.listProducts | ${s}:32`,
          `GRPC /catalog.v1.ProductService/DeleteProduct | ${s}:34 | ProductService.deleteProduct | ${s}:34`,
          // an implementation object in a variable is named after it
          `GRPC /grpc.health.v1.Health/Check | ${s}:23 | healthImpl.check | ${s}:23`,
          // declared in the proto, implemented nowhere
          'GRPC /grpc.health.v1.Health/Watch | proto/health.proto:7 | - | -',
        ]),
      );
    });

    it('finds bindAsync and callback(err) errors', () => {
      assert.deepEqual(rows(scanned('js-grpc'), 'entry'), ["listen | src/server.js:45 | server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), (err) => { … | server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), (err) => { …"]);
      assert.deepEqual(errorsAt(scanned('js-grpc'), 'return-error | src/handlers/products.js:7', 'catch | src/server.js:19', 'log-error | src/server.js:47', 'panic | src/server.js:48'), [
        'return-error | src/handlers/products.js:7 | getProduct | callback({ code: grpc.status.NOT_FOUND, details: `no product ${call.request.id}` })',
        'catch | src/server.js:19 | createProduct | .catch((err) => callback(err))',
        'log-error | src/server.js:47 | main | console.error(err)',
        'panic | src/server.js:48 | main | process.exit(1)',
      ]);
    });
  });

  describe('wire: JavaScript/TypeScript scan filter and module resolution', () => {
    it('the cold scan (interesting files only) finds the same routes, gRPC methods and entries as a full scan', async () => {
      for (const f of FIXTURES) {
        const all = await scanTree(fixture(f), { all: true });
        for (const kind of ['http', 'grpc', 'entry'] as const) assert.deepEqual(rows(scanned(f), kind), rows(all, kind), `${f} ${kind}`);
      }
    });

    it('says no to plain model and utility files, yes to handler files registered elsewhere', () => {
      const yes = (text: string, file = 'src/x.ts'): boolean => typescriptSupport.interesting(text, file);
      assert.equal(yes('export class User { constructor(readonly id: string) {} }\nexport const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);'), false);
      assert.equal(yes("const cache = new Map(); export const get = (k: string) => cache.get('k' + k);"), false);
      assert.equal(yes('export const list = async (req: Request, res: Response) => { res.json([]); };'), true);
      assert.equal(yes('exports.show = async (ctx) => { ctx.body = 1; };'), true);
      assert.equal(yes('export async function getUser(request: FastifyRequest, reply: FastifyReply) {}'), true);
      assert.equal(yes('exports.getProduct = (call, callback) => callback(null, {});'), true);
      assert.equal(yes("export { default as items } from './items.js';"), true);
      assert.equal(yes('export const x = 1;', 'src/app/api/things/route.ts'), true);
      assert.equal(javascriptSupport.interesting("router.get('/x', h);", 'routes/x.js'), true);
    });

    it('resolves relative specifiers, ESM .js specifiers of TypeScript sources, folder indexes and tsconfig paths', () => {
      const files = new Set(['svc/src/routes/articles.ts', 'svc/src/routes/index.ts', 'svc/src/lib/db.ts', 'svc/src/legacy.js', 'svc/src/util/index.js', 'svc/tsconfig.json']);
      const project: ProjectView = {
        has: (f) => files.has(f),
        filesIn: () => [],
        serviceRootOf: () => 'svc',
        read: (f) => (f === 'svc/tsconfig.json' ? '{ // comment\n "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"], }, } }' : undefined),
      };
      const resolve = (m: string): readonly string[] => typescriptSupport.resolveModule?.('svc/src/app.ts', m, project) ?? [];
      assert.deepEqual(resolve('./routes/articles.js'), ['svc/src/routes/articles.ts']);
      assert.deepEqual(resolve('./routes/articles'), ['svc/src/routes/articles.ts']);
      assert.deepEqual(resolve('./routes'), ['svc/src/routes/index.ts']);
      assert.deepEqual(resolve('./legacy.js'), ['svc/src/legacy.js']);
      assert.deepEqual(resolve('./util'), ['svc/src/util/index.js']);
      assert.deepEqual(resolve('@/lib/db'), ['svc/src/lib/db.ts']);
      assert.deepEqual(resolve('express'), []);
      assert.deepEqual(resolve('../../outside'), []);
    });
  });

  describe("wire: a router from the service's own wrapper module (Ghost's shared/express)", () => {
    let root = '';
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-js-wrapper-'));
      const write = (rel: string, lines: string[]): void => writeIn(root, rel, lines);
      write('package.json', ['{ "name": "blog", "dependencies": { "express": "^4.21.0" } }']);
      write('shared/express.js', [
        "const express = require('express');",
        'module.exports = (name) => {',
        '  const app = express();',
        "  app.set('name', name);",
        '  return app;',
        '};',
        'module.exports.Router = (name, options) => express.Router(options);',
      ]);
      write('api/routes.js', [
        "const express = require('../shared/express');",
        "const api = require('./endpoints');",
        'module.exports = function apiRoutes() {',
        "  const router = express.Router('admin api');",
        "  router.get('/posts/:id', api.read);",
        "  router.get('/sitemap-:resource.xml', (req, res) => res.send(''));",
        '  return router;',
        '};',
      ]);
      write('api/endpoints.js', ['exports.read = (req, res) => res.json({});']);
      write('members/app.js', [
        "const express = require('../shared/express');",
        "const middleware = require('./middleware');",
        'module.exports = function setupMembersApp() {',
        "  const membersApp = express('members');",
        "  membersApp.get('/api/member', middleware.getMemberData);",
        "  membersApp.get('*', require('./controller'));",
        '  return membersApp;',
        '};',
      ]);
      write('members/middleware.js', ['const getMemberData = (req, res) => res.json({});', 'module.exports = { getMemberData };']);
      write('members/index.js', ["module.exports = require('./app');"]);
      write('members/controller.js', ['module.exports = function membersController(req, res) {', "  res.status(404).end();", '};']);
      write('shared/urls.js', ["const BASE_API_PATH = '/ghost/api';", 'module.exports = { BASE_API_PATH };']);
      write('content/routes.js', [
        "const express = require('../shared/express');",
        'module.exports = function contentRoutes() {',
        "  const router = express.Router('content api');",
        "  router.get('/health', (req, res) => res.send(''));",
        '  return router;',
        '};',
      ]);
      write('server.js', [
        "const express = require('express');",
        "const { BASE_API_PATH } = require('./shared/urls');",
        'const app = express();',
        "app.use('/ghost/api/admin', require('./api/routes')());",
        "app.lazyUse('/members', require('./members'));",
        "app.get('/health', (req, res) => res.send('ok'));",
        'app.use(BASE_API_PATH, require(\'./content/routes\')());',
        'app.listen(2368);',
      ]);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('reads its routes and apps, mounted where the app mounts the function that returns them; a handler required inline', async () => {
      const map = await scanTree(root);
      assert.deepEqual(rows(map, 'http'), [
        'GET /ghost/api/admin/posts/{id} | api/routes.js:5 | api.read | api/endpoints.js:1',
        'GET /ghost/api/admin/sitemap-{resource}.xml | api/routes.js:6 | <anonymous> | api/routes.js:6',
        'GET /health | content/routes.js:4 | <anonymous> | content/routes.js:4',
        'GET /health | server.js:6 | <anonymous> | server.js:6',
        'GET /members/api/member | members/app.js:5 | middleware.getMemberData | members/middleware.js:1',
        "GET /members/{*} | members/app.js:6 | require('./controller') | members/controller.js:1",
      ]);
      // A prefix from another module is left out, said so, and the routes below it shadow nothing.
      assert.equal(map.records.filter((r) => r.shadowed).length, 0);
      assert.deepEqual(
        map.problems.map((p) => `${p.file}:${p.line} ${p.message}`),
        ['server.js:7 Mount prefix from another module or computed at run time: BASE_API_PATH'],
      );
    });
  });

  describe('wire: an app a workspace function makes (Node-RED\'s apiUtil.createExpressApp)', () => {
    let root = '';
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-js-factory-'));
      const write = (rel: string, lines: string[]): void => writeIn(root, rel, lines);
      write('package.json', ['{ "name": "red", "dependencies": { "express": "^4.21.0" } }']);
      write('lib/util.js', [
        "const express = require('express');",
        'module.exports = {',
        '  createExpressApp: function (settings) {',
        '    const app = express();',
        "    app.set('x-powered-by', false);",
        '    return app;',
        '  },',
        '  createClient: function (base) {',
        '    return { get(path, cb) { cb(null, {}); } };',
        '  },',
        '  errorHandler: function (err, req, res, next) { res.status(500).end(); },',
        '};',
      ]);
      write('lib/admin/flows.js', ['exports.get = (req, res) => res.json([]);', 'exports.post = (req, res) => res.json({});']);
      write('lib/admin/index.js', [
        "const apiUtil = require('../util');",
        "const flows = require('./flows');",
        'module.exports = {',
        '  init: function (settings) {',
        '    const adminApp = apiUtil.createExpressApp(settings);',
        "    adminApp.get('/flows', needsPermission('flows.read'), flows.get, apiUtil.errorHandler);",
        "    adminApp.post('/flow/:id', flows.post);",
        '    adminApp.get(/^\\/nodes\\/(.+)$/, flows.get);',
        '    adminApp.get(/^\\/nodes\\/((@[^\\/]+\\/)?[^\\/]+)\\/([^\\/]+)$/, flows.post);',
        '    adminApp.get(/^\\/library\\/([^\\/]+)(?:$|\\/(.*))/, flows.get);',
        "    const client = apiUtil.createClient('http://upstream');",
        "    client.get('/remote/things', (err, res) => {});",
        '    return adminApp;',
        '  },',
        '};',
        'function needsPermission(p) { return (req, res, next) => next(); }',
      ]);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('reads its routes with the handler before the error middleware; an HTTP client from a workspace function is no app', async () => {
      const map = await scanTree(root);
      assert.deepEqual(rows(map, 'http'), [
        'GET /flows | lib/admin/index.js:6 | flows.get | lib/admin/flows.js:1',
        'GET /nodes/{*} | lib/admin/index.js:8 | flows.get | lib/admin/flows.js:1',
        'GET /nodes/{param}/{param} | lib/admin/index.js:9 | flows.post | lib/admin/flows.js:2',
        'POST /flow/{id} | lib/admin/index.js:7 | flows.post | lib/admin/flows.js:2',
      ]);
      // the regular expression as written; a concrete path goes to the route it reads as
      assert.equal(map.records.find((r) => r.line === 9)?.routeAsWritten, '^\\/nodes\\/((@[^\\/]+\\/)?[^\\/]+)\\/([^\\/]+)$');
      assert.deepEqual(
        matchWire(map.records, '/nodes/node-red-dashboard/ui_base').map((r) => `${r.method} ${r.route} :${r.line}`),
        ['GET /nodes/{param}/{param} :9', 'GET /nodes/{*} :8'],
      );
      // one that does not read as a route template is reported, not guessed at
      assert.deepEqual(
        map.problems.map((p) => `${p.file}:${p.line} ${p.message}`),
        ['lib/admin/index.js:10 Route path is a regular expression that does not read as a route, not listed: /^\\/library\\/([^\\/]+)(?:$|\\/(.*))/'],
      );
    });
  });

  describe('wire: JavaScript/TypeScript patterns in one file', () => {
    const index = new WireIndex(fixture('js-express'));
    after(() => index.dispose());
    const facts = async (file: string, text: string): Promise<FileFacts> => (await index.factsFor(file, text)) as FileFacts;

    it('warns about route paths computed at run time instead of guessing', async () => {
      const f = await facts('routes/dyn.js', "const router = require('express').Router();\nrouter.get(`/items/${process.env.KIND}`, (req, res) => res.json([]));\nrouter.get('/ok', (req, res) => res.json([]));\n");
      assert.deepEqual(
        f.routes.map((r) => `${r.method} ${r.path}`),
        ['GET /ok'],
      );
      assert.deepEqual(f.warnings, [{ line: 2, message: 'Route path computed at run time: `/items/${process.env.KIND}`' }]);
    });

    it('keeps a route on a router from a package outside the workspace, with a warning', async () => {
      const f = await facts('src/health.ts', "import { router } from '@acme/platform-http';\nrouter.get('/health', (req, res) => res.send('ok'));\n");
      assert.deepEqual(
        f.routes.map((r) => ({ method: r.method, path: r.path, router: r.router })),
        [{ method: 'GET', path: '/health', router: undefined }],
      );
      assert.deepEqual(f.warnings, [{ line: 2, message: "Router router comes from the package '@acme/platform-http' outside the workspace: its prefix is unknown" }]);
    });

    it('takes no mock handler for a route: Mock Service Worker, fetch-mock and Mirage answer in tests and browsers', async () => {
      const text = [
        "import { http, HttpResponse, graphql } from 'msw';",
        "import { rest } from 'msw';",
        "import { setupServer } from 'msw/node';",
        "import fetchMock from 'fetch-mock';",
        'export const handlers = [',
        "  http.get('/api/user', () => HttpResponse.json({ name: 'x' })),",
        "  http.post('/api/login', async ({ request }) => HttpResponse.json({ ok: true })),",
        "  rest.get('/api/items', (req, res, ctx) => res(ctx.json([]))),",
        '];',
        "fetchMock.get('/api/orders', () => ({ status: 200 }));",
        'export const server = setupServer(...handlers);',
      ].join('\n');
      const f = await facts('src/mocks/handlers.ts', text);
      assert.deepEqual(f.routes, []);
      assert.deepEqual(f.warnings, []);
    });

    it('reads class-based routers with this.router and paths from constants and class fields', async () => {
      const text = [
        "import { Router, type Request, type Response } from 'express';",
        "const BASE = '/v2';",
        'export class ItemsRoutes {',
        "  public path = '/items';",
        '  public router = Router();',
        '  constructor() {',
        '    this.router.get(`${BASE}${this.path}/:id`, this.getById);',
        '  }',
        '  getById = async (req: Request, res: Response) => {',
        '    res.json({ id: req.params.id });',
        '  };',
        '}',
      ].join('\n');
      const f = await facts('src/items.routes.ts', text);
      assert.deepEqual(
        f.routes.map((r) => ({ method: r.method, path: r.path, router: r.router, handler: r.handler })),
        [{ method: 'GET', path: '/v2/items/:id', router: { kind: 'local', name: 'ItemsRoutes#router' }, handler: { kind: 'here', name: 'ItemsRoutes.getById', loc: { line: 9, column: 13, endLine: 11 } } }],
      );
    });

    it('expands forEach over a literal route table, with paths from a constant object', async () => {
      const text = [
        "const app = require('express')();",
        "const { list, show } = require('./controllers/things');",
        "const PATHS = { BASE: '/things' };",
        '[',
        "  { method: 'get', path: PATHS.BASE, handler: list },",
        '  { method: "delete", path: `${PATHS.BASE}/:id`, handler: show },',
        '].forEach(({ method, path, handler }) => app[method](path, handler));',
      ].join('\n');
      const f = await facts('table.js', text);
      assert.deepEqual(
        f.routes.map((r) => `${r.method} ${r.path} @${r.loc.line} -> ${r.handler?.kind === 'ref' ? r.handler.display : '?'}`),
        ['GET /things @5 -> list', 'DELETE /things/:id @6 -> show'],
      );
    });

    it('reads a gRPC class instance and a Workers fetch export', async () => {
      const text = [
        "const grpc = require('@grpc/grpc-js');",
        'class Greeter {',
        '  sayHello(call, callback) {',
        '    callback(null, { message: call.request.name });',
        '  }',
        '}',
        'const server = new grpc.Server();',
        'server.addService(proto.helloworld.Greeter.service, new Greeter());',
        'export default { fetch: (req) => new Response("ok") };',
      ].join('\n');
      const f = await facts('greeter.js', text);
      assert.deepEqual(
        f.grpcImpls.map((g) => ({ service: g.service, container: g.container, methods: g.methods })),
        [{ service: 'Greeter', container: 'Greeter', methods: [{ name: 'sayHello', loc: { line: 3, column: 3, endLine: 5 } }] }],
      );
      assert.deepEqual(
        f.entries.map((e) => `${e.detail} ${e.name} @${e.loc.line}`),
        ['serverless fetch @9'],
      );
    });

    it('never throws on broken code', async () => {
      const f = await facts('routes/broken.js', 'router.get(/x, (req, res => { ) }}} \u0000 class { @ export default fn(');
      assert.deepEqual(f.routes, []);
    });
  });
});
