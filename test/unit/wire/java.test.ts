import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileFacts } from '../../../src/core/wire/facts';
import { javaSupport } from '../../../src/core/wire/languages/java';
import { readProperties, readYaml } from '../../../src/core/wire/languages/java/springConfig';
import type { WireMap, WireRecord } from '../../../src/core/wire/model';
import { scanTree, WireIndex } from '../../../src/core/wire/scan';
import { repoRoot, writeIn } from '../helpers';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'wire', name);

/** Every HTTP route as [method, route, registration file:line, handler, handler file:line, ('shadowed')], paths shortened by `short`. */
function routes(map: WireMap, short: (f: string) => string): string[][] {
  return map.records
    .filter((r) => r.kind === 'http')
    .map((r) => [r.method ?? '', r.route ?? '', `${short(r.file)}:${r.line}`, r.handler ?? '', `${short(r.handlerFile ?? '?')}:${r.handlerLine ?? '?'}`, ...(r.shadowed ? ['shadowed'] : [])]);
}

function find(map: WireMap, kind: WireRecord['kind'], file: string, line: number): WireRecord {
  const r = map.records.find((x) => x.kind === kind && x.file === file && x.line === line);
  assert.ok(r, `no ${kind} record at ${file}:${line}`);
  return r;
}

/** Facts of one snippet, read by a throw-away index (no other files around it). */
async function factsOf(file: string, text: string): Promise<FileFacts> {
  const index = new WireIndex(path.join(repoRoot, 'test', 'fixtures', 'wire', 'no-such-dir'));
  try {
    await index.update(file, text);
    const f = index.factsOf(file);
    assert.ok(f);
    return f;
  } finally {
    index.dispose();
  }
}

describe('wire: Java', function () {
  this.timeout(20000);

  describe('Spring (MVC module with a context path, WebFlux module with functional routes)', () => {
    let map: WireMap;
    const SHOP = 'shop-api/src/main/java/com/example/shop/';
    const FEED = 'feed-service/src/main/java/com/example/feed/';
    const short = (f: string): string => f.replace(SHOP, 'shop:').replace(FEED, 'feed:');
    before(async () => {
      map = await scanTree(fixture('java-spring'));
    });

    it('resolves every route: class prefixes from constants in other files, arrays, context-path and base-path', () => {
      assert.deepEqual(routes(map, short), [
        ['GET', '/feed/v2/items', 'feed:FeedRoutes.java:24', 'FeedHandler.list', 'feed:FeedHandler.java:22'],
        ['GET', '/feed/v2/items/{id}', 'feed:FeedRoutes.java:25', 'FeedHandler.get', 'feed:FeedHandler.java:26'],
        ['POST', '/feed/v2/admin/items', 'feed:FeedRoutes.java:27', 'FeedHandler.create', 'feed:FeedHandler.java:32'],
        ['DELETE', '/feed/v2/admin/items/{id}', 'feed:FeedRoutes.java:28', 'FeedHandler.delete', 'feed:FeedHandler.java:39'],
        ['GET', '/feed/ping', 'feed:FeedRoutes.java:29', '<anonymous>', 'feed:FeedRoutes.java:29'],
        ['GET', '/feed/legacy/rss', 'feed:FeedRoutes.java:36', 'FeedHandler.rss', 'feed:FeedHandler.java:47'],
        ['POST', '/feed/legacy/items', 'feed:FeedRoutes.java:37', '<anonymous>', 'feed:FeedRoutes.java:37'],
        ['GET', '/shop/api/v1/articles', 'shop:web/ArticleController.java:25', 'ArticleController.list', 'shop:web/ArticleController.java:26'],
        ['GET', '/shop/api/v1/articles/{slug}', 'shop:web/ArticleController.java:30', 'ArticleController.get', 'shop:web/ArticleController.java:31'],
        ['POST', '/shop/api/v1/articles', 'shop:web/ArticleController.java:36', 'ArticleController.create', 'shop:web/ArticleController.java:37'],
        ['PUT', '/shop/api/v1/articles/{slug}', 'shop:web/ArticleController.java:49', 'ArticleController.update', 'shop:web/ArticleController.java:50'],
        ['DELETE', '/shop/api/v1/articles/{slug}', 'shop:web/ArticleController.java:58', 'ArticleController.delete', 'shop:web/ArticleController.java:59'],
        ['GET', '/shop/api/v1/articles/{slug}/comments', 'shop:web/ArticleController.java:67', 'ArticleController.comments', 'shop:web/ArticleController.java:68'],
        ['HEAD', '/shop/api/v1/articles/{slug}/comments', 'shop:web/ArticleController.java:67', 'ArticleController.comments', 'shop:web/ArticleController.java:68'],
        ['DELETE', '/shop/api/v1/articles/{id}', 'shop:web/LegacyArticleController.java:18', 'LegacyArticleController.remove', 'shop:web/LegacyArticleController.java:19', 'shadowed'],
        ['GET', '/shop/api/users/{username}', 'shop:web/UserController.java:22', 'UserController.byName', 'shop:web/UserController.java:23'],
        ['GET', '/shop/api/profiles/{username}', 'shop:web/UserController.java:22', 'UserController.byName', 'shop:web/UserController.java:23'],
        ['GET', '/shop/api/users/{username}/card', 'shop:web/UserController.java:22', 'UserController.byName', 'shop:web/UserController.java:23'],
        ['GET', '/shop/api/profiles/{username}/card', 'shop:web/UserController.java:22', 'UserController.byName', 'shop:web/UserController.java:23'],
        ['ANY', '/shop/api/users/{username}/avatar', 'shop:web/UserController.java:29', 'UserController.avatar', 'shop:web/UserController.java:30'],
        ['ANY', '/shop/api/profiles/{username}/avatar', 'shop:web/UserController.java:29', 'UserController.avatar', 'shop:web/UserController.java:30'],
        ['POST', '/shop/api/v1/admin/articles/{slug}/publish', 'shop:web/admin/AdminArticleController.java:20', 'AdminArticleController.publish', 'shop:web/admin/AdminArticleController.java:22'],
      ]);
    });

    it('keeps the path as written, the framework, the service (maven module) and the handler body range', () => {
      const r = find(map, 'http', SHOP + 'web/ArticleController.java', 30);
      assert.equal(r.routeAsWritten, '/{slug}');
      assert.equal(r.framework, 'spring');
      assert.equal(r.service, 'shop-api');
      assert.equal(r.handlerEndLine, 34);
      assert.equal(find(map, 'http', FEED + 'FeedRoutes.java', 24).service, 'feed-service');
    });

    it('finds the mains and SpringApplication.run', () => {
      const entries = map.records.filter((r) => r.kind === 'entry').map((r) => [r.detail, `${short(r.file)}:${r.line}`, r.framework]);
      assert.deepEqual(entries, [
        ['main', 'feed:FeedApplication.java:8', 'java'],
        ['bootstrap', 'feed:FeedApplication.java:9', 'spring'],
        ['main', 'shop:ShopApplication.java:9', 'java'],
        ['bootstrap', 'shop:ShopApplication.java:10', 'spring'],
      ]);
    });

    it('finds error exits of every kind, inside their method (or the handler lambda)', () => {
      const errors = map.records.filter((r) => r.kind === 'error').map((r) => [r.detail, `${short(r.file)}:${r.line}`, r.function]);
      assert.deepEqual(errors, [
        ['http-error', 'feed:FeedHandler.java:29', 'get'],
        ['log-error', 'feed:FeedHandler.java:36', 'create'],
        ['http-error', 'feed:FeedHandler.java:42', 'delete'],
        ['http-error', 'feed:FeedRoutes.java:37', '<anonymous>'],
        ['http-error', 'shop:web/ArticleController.java:33', 'get'],
        ['http-error', 'shop:web/ArticleController.java:39', 'create'],
        ['catch', 'shop:web/ArticleController.java:43', 'create'],
        ['log-error', 'shop:web/ArticleController.java:44', 'create'],
        ['http-error', 'shop:web/ArticleController.java:45', 'create'],
        ['catch', 'shop:web/ArticleController.java:53', 'update'],
        ['http-error', 'shop:web/ArticleController.java:54', 'update'],
        ['swallow', 'shop:web/ArticleController.java:62', 'delete'],
        ['http-error', 'shop:web/UserController.java:26', 'byName'],
        ['http-error', 'shop:web/admin/AdminArticleController.java:24', 'publish'],
      ]);
      assert.equal(find(map, 'error', SHOP + 'web/ArticleController.java', 45).text, 'ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)');
    });

    it('skips files with nothing on the wire in the cold scan, but not handler-only files', () => {
      const read = (f: string): string => fs.readFileSync(path.join(fixture('java-spring'), f), 'utf8');
      assert.equal(javaSupport.interesting(read(SHOP + 'service/ArticleService.java'), 'ArticleService.java'), false);
      assert.equal(javaSupport.interesting(read(SHOP + 'web/ApiPaths.java'), 'ApiPaths.java'), false);
      assert.equal(javaSupport.interesting(read(FEED + 'FeedHandler.java'), 'FeedHandler.java'), true);
      assert.equal(map.stats.parsedFiles, 8);
    });
  });

  describe('JAX-RS (Jersey)', () => {
    let map: WireMap;
    const short = (f: string): string => f.replace('src/main/java/com/example/library/', '');
    before(async () => {
      map = await scanTree(fixture('java-jaxrs'));
    });

    it('resolves @Path prefixes, @ApplicationPath and sub-resource locators', () => {
      assert.deepEqual(routes(map, short), [
        ['GET', '/api/authors/{id}', 'resources/AuthorResource.java:13', 'AuthorResource.get', 'resources/AuthorResource.java:15'],
        ['PUT', '/api/authors/{id}/photo', 'resources/AuthorResource.java:22', 'AuthorResource.photo', 'resources/AuthorResource.java:24'],
        ['GET', '/api/books', 'resources/BookResource.java:17', 'BookResource.list', 'resources/BookResource.java:18'],
        ['GET', '/api/books/{isbn}', 'resources/BookResource.java:22', 'BookResource.get', 'resources/BookResource.java:24'],
        ['POST', '/api/books', 'resources/BookResource.java:28', 'BookResource.create', 'resources/BookResource.java:30'],
        ['DELETE', '/api/books/{isbn}', 'resources/BookResource.java:38', 'BookResource.delete', 'resources/BookResource.java:40'],
        ['GET', '/api/books/{isbn}/reviews', 'resources/ReviewResource.java:26', 'ReviewResource.list', 'resources/ReviewResource.java:27'],
        ['GET', '/api/books/{isbn}/reviews/{reviewId}', 'resources/ReviewResource.java:31', 'ReviewResource.get', 'resources/ReviewResource.java:33'],
        ['POST', '/api/books/{isbn}/reviews', 'resources/ReviewResource.java:37', 'ReviewResource.add', 'resources/ReviewResource.java:38'],
      ]);
      assert.equal(find(map, 'http', 'src/main/java/com/example/library/resources/BookResource.java', 38).routeAsWritten, '{isbn: [0-9-]+}');
    });

    it('finds the main, the HTTP server and the error exits', () => {
      const rest = map.records.filter((r) => r.kind !== 'http').map((r) => [r.kind, r.detail, `${short(r.file)}:${r.line}`, r.function ?? r.framework]);
      assert.deepEqual(rest, [
        ['entry', 'main', 'Main.java:12', 'java'],
        ['entry', 'listen', 'Main.java:13', 'jax-rs'],
        ['error', 'throw', 'resources/AuthorResource.java:17', 'get'],
        ['error', 'swallow', 'resources/AuthorResource.java:27', 'photo'],
        ['error', 'http-error', 'resources/BookResource.java:25', 'get'],
        ['error', 'http-error', 'resources/BookResource.java:32', 'create'],
        ['error', 'http-error', 'resources/BookResource.java:42', 'delete'],
        ['error', 'catch', 'resources/ReviewResource.java:42', 'add'],
        ['error', 'log-error', 'resources/ReviewResource.java:43', 'add'],
        ['error', 'http-error', 'resources/ReviewResource.java:44', 'add'],
      ]);
    });
  });

  describe('grpc-java', () => {
    let map: WireMap;
    const IMPL = 'src/main/java/com/example/articles/ArticleServiceImpl.java';
    before(async () => {
      map = await scanTree(fixture('java-grpc'));
    });

    it('links the ImplBase subclass to the .proto service; unimplemented RPCs stay at the .proto', () => {
      const grpc = map.records.filter((r) => r.kind === 'grpc').map((r) => [r.route, `${r.file}:${r.line}`, r.handler ?? '', r.handlerEndLine ?? 0]);
      assert.deepEqual(grpc, [
        ['/shop.articles.v1.ArticleService/GetArticle', `${IMPL}:22`, 'ArticleServiceImpl.getArticle', 30],
        ['/shop.articles.v1.ArticleService/ListArticles', `${IMPL}:33`, 'ArticleServiceImpl.listArticles', 41],
        ['/shop.articles.v1.ArticleService/DeleteArticle', 'src/main/proto/articles.proto:11', '', 0],
      ]);
      assert.ok(map.records.filter((r) => r.kind === 'grpc').every((r) => r.method === 'GRPC'));
    });

    it('finds server.start() on an io.grpc.Server field, the main, and onError exits', () => {
      assert.equal(find(map, 'entry', 'src/main/java/com/example/articles/ArticleServer.java', 18).detail, 'listen');
      assert.equal(find(map, 'entry', 'src/main/java/com/example/articles/ArticleServer.java', 22).detail, 'main');
      assert.equal(find(map, 'error', IMPL, 25).detail, 'return-error');
      assert.equal(find(map, 'error', IMPL, 37).detail, 'catch');
      assert.equal(find(map, 'error', IMPL, 38).detail, 'log-error');
    });
  });

  describe('mappings inherited from an API interface (openapi-generator, spring-petclinic-rest)', () => {
    let root = '';
    const pkg = 'src/main/java/org/example/rest';
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-java-iface-'));
      const write = (rel: string, lines: string[]): void => writeIn(root, rel, lines);
      write('pom.xml', ['<project><artifactId>rest</artifactId></project>']);
      write(`${pkg}/api/OwnersApi.java`, [
        'package org.example.rest.api;',
        '',
        'public interface OwnersApi {',
        '    @RequestMapping(method = RequestMethod.GET, value = "/owners", produces = { "application/json" })',
        '    default ResponseEntity<List<OwnerDto>> listOwners(@RequestParam(value = "lastName", required = false) String lastName) {',
        '        return new ResponseEntity<>(HttpStatus.NOT_IMPLEMENTED);',
        '    }',
        '    @RequestMapping(method = RequestMethod.DELETE, value = "/owners/{ownerId}")',
        '    default ResponseEntity<OwnerDto> deleteOwner(@PathVariable("ownerId") Integer ownerId) {',
        '        return new ResponseEntity<>(HttpStatus.NOT_IMPLEMENTED);',
        '    }',
        '}',
      ]);
      write(`${pkg}/controller/OwnerRestController.java`, [
        'package org.example.rest.controller;',
        '',
        'import org.example.rest.api.OwnersApi;',
        '',
        '@RestController',
        '@RequestMapping("/api")',
        'public class OwnerRestController implements OwnersApi {',
        '    @Override',
        '    public ResponseEntity<List<OwnerDto>> listOwners(String lastName) {',
        '        return ResponseEntity.ok(List.of());',
        '    }',
        '',
        '    @Override',
        '    public ResponseEntity<OwnerDto> deleteOwner(Integer ownerId) {',
        '        return new ResponseEntity<>(HttpStatus.NOT_FOUND);',
        '    }',
        '}',
      ]);
      // An interface in the same file as its controller, and one nobody implements (a contract, or a client).
      write(`${pkg}/controller/PingController.java`, [
        'package org.example.rest.controller;',
        '',
        'interface PingApi {',
        '    @GetMapping("/ping")',
        '    String ping();',
        '}',
        '',
        'interface UnusedApi {',
        '    @GetMapping("/unused")',
        '    String unused();',
        '}',
        '',
        '@RestController',
        'class PingController implements PingApi {',
        '    public String ping() { return "pong"; }',
        '}',
      ]);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('lists each route at the overriding method, under the controller\'s prefix; an interface alone serves nothing', async () => {
      const map = await scanTree(root);
      const c = `${pkg}/controller/`;
      assert.deepEqual(routes(map, (f) => f.replace(c, '')).sort(), [
        ['DELETE', '/api/owners/{ownerId}', 'OwnerRestController.java:14', 'OwnerRestController.deleteOwner', 'OwnerRestController.java:14'],
        ['GET', '/api/owners', 'OwnerRestController.java:9', 'OwnerRestController.listOwners', 'OwnerRestController.java:9'],
        ['GET', '/ping', 'PingController.java:15', 'PingController.ping', 'PingController.java:15'],
      ]);
    });
  });

  describe('snippets', () => {
    it('reads Quarkus and Micronaut mains, Lambda handlers and gRPC servers built inline', async () => {
      const f = await factsOf(
        'src/main/java/App.java',
        [
          'public class App implements RequestHandler<Map<String, Object>, String> {',
          '  public static void main(String... args) { Quarkus.run(args); Micronaut.run(App.class, args); }',
          '  public String handleRequest(Map<String, Object> in, Context ctx) { return "ok"; }',
          '  void serve() throws Exception { ServerBuilder.forPort(9090).addService(new Impl()).build().start(); }',
          '}',
        ].join('\n'),
      );
      assert.deepEqual(
        f.entries.map((e) => [e.detail, e.framework, e.loc.line]),
        [
          ['main', 'java', 2],
          ['serverless', 'aws-lambda', 3],
          ['bootstrap', 'quarkus', 2],
          ['bootstrap', 'micronaut', 2],
          ['listen', 'grpc', 4],
        ],
      );
    });

    it('does not take HTTP clients declared with mapping annotations (Feign) for routes', async () => {
      const f = await factsOf('src/main/java/Client.java', ['@FeignClient(name = "users")', 'interface UsersClient {', '  @GetMapping("/users/{id}") User get(@PathVariable long id);', '}'].join('\n'));
      assert.equal(f.routes.length, 0);
    });

    it('warns about a path that is not a constant instead of guessing', async () => {
      const f = await factsOf('src/main/java/A.java', ['@RestController', 'class A {', '  @GetMapping(Config.path())', '  String a() { return ""; }', '}'].join('\n'));
      assert.equal(f.routes.length, 0);
      assert.equal(f.warnings.length, 1);
      assert.equal(f.warnings[0]?.line, 3);
    });

    it('reads application.properties and nested YAML the way Spring Boot does', () => {
      assert.equal(readProperties('# c\nserver.servlet.context-path = /api\nx: y\n').get('server.servlet.context-path'), '/api');
      const y = readYaml('server:\n  port: 1\n  servlet:\n    context-path: "/shop" # comment\nspring.webflux:\n  base-path: ${BASE:/flux}\n---\nserver:\n  servlet:\n    context-path: /other\n');
      assert.equal(y.get('server.servlet.context-path'), '/shop');
      assert.equal(y.get('spring.webflux.base-path'), '/flux');
      assert.equal(y.get('server.port'), '1');
    });
  });
});
