import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProjectView } from '../../../src/core/wire/language';
import { rustSupport } from '../../../src/core/wire/languages/rust';
import type { WireMap, WireRecord } from '../../../src/core/wire/model';
import { scanTree } from '../../../src/core/wire/scan';
import { repoRoot } from '../helpers';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'wire', name);

type HttpRow = [method: string, route: string, file: string, line: number, handler: string, handlerFile: string | undefined, handlerLine: number | undefined];

const of = (map: WireMap, kind: WireRecord['kind']): WireRecord[] => map.records.filter((r) => r.kind === kind);
const httpRows = (map: WireMap): HttpRow[] => of(map, 'http').map((r) => [r.method ?? '', r.route ?? '', r.file, r.line, r.handler ?? '', r.handlerFile, r.handlerLine]);
const entryRows = (map: WireMap): [string, string, string, number][] => of(map, 'entry').map((r) => [r.detail ?? '', r.framework, r.file, r.line]);
const errorRows = (map: WireMap): [string, string, number, string][] => of(map, 'error').map((r) => [r.detail ?? '', r.file, r.line, r.function ?? '']);

describe('wire: Rust', function () {
  this.timeout(20000);

  it('the test helpers point at the repository', () => {
    assert.ok(fs.existsSync(path.join(fixture('rust-axum'), 'Cargo.toml')));
  });

  describe('axum 0.7 (rust-axum)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('rust-axum'));
    });

    it('resolves every route across nest/merge, router-returning functions and module paths', () => {
      assert.deepEqual(httpRows(map), [
        ['GET', '/health', 'src/main.rs', 20, 'health', 'src/main.rs', 31],
        ['GET', '/version', 'src/main.rs', 21, '<anonymous>', 'src/main.rs', 21],
        ['GET', '/api/articles', 'src/routes/articles.rs', 15, 'list_articles', 'src/routes/articles.rs', 21],
        ['POST', '/api/articles', 'src/routes/articles.rs', 15, 'create_article', 'src/routes/articles.rs', 33],
        ['GET', '/api/articles/{slug}', 'src/routes/articles.rs', 16, 'get_article', 'src/routes/articles.rs', 25],
        ['PUT', '/api/articles/{slug}', 'src/routes/articles.rs', 16, 'update_article', 'src/routes/articles.rs', 45],
        ['DELETE', '/api/articles/{slug}', 'src/routes/articles.rs', 16, 'delete_article', 'src/routes/articles.rs', 50],
        ['POST', '/api/articles/{slug}/favorite', 'src/routes/articles.rs', 17, 'favorite', 'src/routes/articles.rs', 58],
        // `mod comments;` inside articles.rs lives in src/routes/articles/comments.rs
        ['GET', '/api/articles/{slug}/comments', 'src/routes/articles/comments.rs', 11, 'list_comments', 'src/routes/articles/comments.rs', 15],
        ['POST', '/api/articles/{slug}/comments', 'src/routes/articles/comments.rs', 11, 'add_comment', 'src/routes/articles/comments.rs', 19],
        ['DELETE', '/api/articles/{slug}/comments/{id}', 'src/routes/articles/comments.rs', 12, 'delete_comment', 'src/routes/articles/comments.rs', 23],
        // handlers in another module, through `use … as h` and a full crate:: path
        ['GET', '/api/profiles/{username}', 'src/routes/profiles.rs', 11, 'h::get_profile', 'src/handlers/profiles.rs', 9],
        ['POST', '/api/profiles/{username}/follow', 'src/routes/profiles.rs', 12, 'h::follow', 'src/handlers/profiles.rs', 13],
        ['DELETE', '/api/profiles/{username}/follow', 'src/routes/profiles.rs', 12, 'crate::handlers::profiles::unfollow', 'src/handlers/profiles.rs', 21],
        ['GET', '/api/files/{*path}', 'src/routes/profiles.rs', 13, 'h::download', 'src/handlers/profiles.rs', 26],
      ]);
      assert.ok(of(map, 'http').every((r) => r.framework === 'axum' && r.shadowed !== true));
      assert.equal(of(map, 'http').find((r) => r.route === '/api/articles/{slug}/favorite')?.routeAsWritten, '/:slug/favorite');
    });

    it('finds main and where the listener is bound and served', () => {
      assert.deepEqual(entryRows(map), [
        ['main', 'tokio', 'src/main.rs', 15],
        ['listen', 'axum', 'src/main.rs', 26],
        ['listen', 'axum', 'src/main.rs', 28],
      ]);
    });

    it('finds error exits of every kind, unwrap/expect only in handlers, and not the ? operator', () => {
      assert.deepEqual(errorRows(map), [
        ['http-error', 'src/error.rs', 19, 'into_response'],
        ['http-error', 'src/error.rs', 20, 'into_response'],
        ['http-error', 'src/error.rs', 21, 'into_response'],
        ['http-error', 'src/handlers/profiles.rs', 10, 'get_profile'],
        ['log-error', 'src/handlers/profiles.rs', 15, 'follow'],
        ['http-error', 'src/handlers/profiles.rs', 16, 'follow'],
        ['panic', 'src/handlers/profiles.rs', 28, 'download'],
        ['return-error', 'src/routes/articles.rs', 29, 'get_article'],
        ['return-error', 'src/routes/articles.rs', 35, 'create_article'],
        ['log-error', 'src/routes/articles.rs', 38, 'create_article'],
        ['swallow', 'src/routes/articles.rs', 41, 'create_article'],
        ['swallow', 'src/routes/articles.rs', 46, 'update_article'],
        ['http-error', 'src/routes/articles.rs', 53, 'delete_article'],
        ['http-error', 'src/routes/articles.rs', 54, 'delete_article'],
        ['panic', 'src/routes/articles.rs', 59, 'favorite'],
        ['panic', 'src/routes/articles/comments.rs', 20, 'add_comment'],
        ['swallow', 'src/routes/articles/comments.rs', 24, 'delete_comment'],
      ]);
      const text = (file: string, line: number): string | undefined => of(map, 'error').find((r) => r.file === file && r.line === line)?.text;
      assert.equal(text('src/routes/articles.rs', 41), 'let _ = state.search.index(&article).await;');
      assert.equal(text('src/routes/articles.rs', 35), 'return Err(ApiError::Validation("title must not be empty".into()))');
    });

    it('reports nothing it did not understand', () => {
      assert.deepEqual(map.problems, []);
    });
  });

  describe('axum 0.8 (rust-axum-0.8)', () => {
    it('reads {param} / {*rest} paths, merged routers, route_service, a router passed to a function, and warns on computed paths', async () => {
      const map = await scanTree(fixture('rust-axum-0.8'));
      assert.deepEqual(httpRows(map), [
        ['DELETE', '/admin/links/{code}', 'src/admin.rs', 8, 'remove_link', 'src/admin.rs', 12],
        ['GET', '/{code}', 'src/main.rs', 15, 'follow', 'src/main.rs', 24],
        ['POST', '/links', 'src/main.rs', 16, 'shorten', 'src/main.rs', 28],
        ['ANY', '/assets/{*path}', 'src/main.rs', 19, 'ServeDir::new("assets")', undefined, undefined],
      ]);
      assert.deepEqual(errorRows(map), [['http-error', 'src/main.rs', 25, 'follow']]);
      // `.route(STATS_PATH, …)`: a path that is not a literal is reported, not guessed
      assert.deepEqual(map.problems, [{ file: 'src/admin.rs', line: 9, message: 'axum route: the path is computed at run time' }]);
    });
  });

  describe('actix-web (rust-actix)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('rust-actix'));
    });

    it('joins attribute routes, scopes, resources and configure(fn) across files', () => {
      assert.deepEqual(httpRows(map), [
        ['DELETE', '/api/v1/items/{id}', 'src/api/items.rs', 15, 'delete_item', 'src/api/items.rs', 48],
        ['GET', '/api/v1/items-count', 'src/api/items.rs', 17, 'count_items', 'src/api/items.rs', 53],
        ['GET', '/api/v1/items', 'src/api/items.rs', 20, 'list_items', 'src/api/items.rs', 21],
        ['GET', '/api/v1/items/{id}', 'src/api/items.rs', 25, 'get_item', 'src/api/items.rs', 26],
        ['POST', '/api/v1/items', 'src/api/items.rs', 34, 'create_item', 'src/api/items.rs', 35],
        ['GET', '/api/v1/items/{id}', 'src/api/items.rs', 43, 'get_item_legacy', 'src/api/items.rs', 44],
        ['GET', '/healthz', 'src/api/mod.rs', 6, 'health', 'src/api/mod.rs', 7],
        // handlers glob-imported from crate::handlers::orders
        ['GET', '/api/v1/orders', 'src/api/orders.rs', 8, 'list_orders', 'src/handlers/orders.rs', 5],
        ['POST', '/api/v1/orders', 'src/api/orders.rs', 9, 'create_order', 'src/handlers/orders.rs', 9],
        ['GET', '/api/v1/orders/{order_id}', 'src/api/orders.rs', 11, 'get_order', 'src/handlers/orders.rs', 17],
        ['POST', '/api/v1/orders/{order_id}/cancel', 'src/api/orders.rs', 11, 'cancel_order', 'src/handlers/orders.rs', 21],
        ['GET', '/api/v1/orders/{order_id}/status', 'src/api/orders.rs', 15, 'order_status', 'src/api/orders.rs', 16],
        ['HEAD', '/api/v1/orders/{order_id}/status', 'src/api/orders.rs', 15, 'order_status', 'src/api/orders.rs', 16],
      ]);
      assert.ok(of(map, 'http').every((r) => r.framework === 'actix-web'));
    });

    it('marks the later registration of GET /api/v1/items/{id} as shadowed', () => {
      const shadowed = of(map, 'http').filter((r) => r.shadowed);
      assert.deepEqual(shadowed.map((r) => [r.handler, r.route]), [['get_item_legacy', '/api/v1/items/{id}']]);
    });

    it('finds #[actix_web::main] and HttpServer…bind', () => {
      assert.deepEqual(entryRows(map), [
        ['main', 'actix-web', 'src/main.rs', 9],
        ['listen', 'actix-web', 'src/main.rs', 25],
      ]);
    });

    it('finds HttpResponse errors, ResponseError mappings and swallowed results', () => {
      assert.deepEqual(errorRows(map), [
        ['return-error', 'src/api/items.rs', 30, 'get_item'],
        ['http-error', 'src/api/items.rs', 37, 'create_item'],
        ['panic', 'src/api/items.rs', 39, 'create_item'],
        ['http-error', 'src/api/mod.rs', 12, 'not_found'],
        ['http-error', 'src/errors.rs', 18, 'error_response'],
        ['log-error', 'src/errors.rs', 20, 'error_response'],
        ['http-error', 'src/errors.rs', 21, 'error_response'],
        ['swallow', 'src/handlers/orders.rs', 12, 'create_order'],
        ['http-error', 'src/handlers/orders.rs', 14, 'create_order'],
        ['swallow', 'src/handlers/orders.rs', 22, 'cancel_order'],
      ]);
    });
  });

  describe('Rocket (rust-rocket)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('rust-rocket'));
    });

    it('mounts routes![…] lists, including one returned by a function in another module', () => {
      assert.deepEqual(httpRows(map), [
        ['GET', '/', 'src/main.rs', 8, 'index', 'src/main.rs', 9],
        ['GET', '/api/posts', 'src/routes/posts.rs', 14, 'list', 'src/routes/posts.rs', 15],
        ['GET', '/api/posts/{id}', 'src/routes/posts.rs', 19, 'get_post', 'src/routes/posts.rs', 20],
        ['POST', '/api/posts', 'src/routes/posts.rs', 24, 'create', 'src/routes/posts.rs', 25],
        ['DELETE', '/api/posts/{id}', 'src/routes/posts.rs', 33, 'delete', 'src/routes/posts.rs', 34],
        ['GET', '/api/posts/search', 'src/routes/posts.rs', 41, 'search', 'src/routes/posts.rs', 42],
        ['GET', '/api/posts/{id}/attachments/{*path}', 'src/routes/posts.rs', 46, 'attachment', 'src/routes/posts.rs', 47],
        ['GET', '/api/users/{username}', 'src/routes/users.rs', 3, 'get_user', 'src/routes/users.rs', 4],
        ['POST', '/api/users', 'src/routes/users.rs', 8, 'create_user', 'src/routes/users.rs', 9],
      ]);
      assert.ok(of(map, 'http').every((r) => r.framework === 'rocket'));
    });

    it('finds #[launch] and Rocket errors', () => {
      assert.deepEqual(entryRows(map), [['main', 'rocket', 'src/main.rs', 14]]);
      assert.deepEqual(errorRows(map), [
        ['http-error', 'src/routes/posts.rs', 21, 'get_post'],
        ['log-error', 'src/routes/posts.rs', 27, 'create'],
        ['http-error', 'src/routes/posts.rs', 28, 'create'],
        ['panic', 'src/routes/posts.rs', 37, 'delete'],
        ['return-error', 'src/routes/users.rs', 11, 'create_user'],
      ]);
    });
  });

  describe('tonic (rust-tonic)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('rust-tonic'));
    });

    it('links the impl of ArticleService to the .proto RPCs (snake_case methods)', () => {
      const rows = of(map, 'grpc').map((r) => [r.method, r.route, r.file, r.line, r.handler, r.handlerFile, r.handlerLine, r.handlerEndLine]);
      assert.deepEqual(rows, [
        ['GRPC', '/conduit.articles.v1.ArticleService/ArchiveArticle', 'proto/articles.proto', 11, undefined, undefined, undefined, undefined],
        ['GRPC', '/conduit.articles.v1.ArticleService/GetArticle', 'src/service.rs', 17, 'MyArticles.get_article', 'src/service.rs', 17, 23],
        ['GRPC', '/conduit.articles.v1.ArticleService/ListArticles', 'src/service.rs', 27, 'MyArticles.list_articles', 'src/service.rs', 27, 30],
        ['GRPC', '/conduit.articles.v1.ArticleService/CreateArticle', 'src/service.rs', 32, 'MyArticles.create_article', 'src/service.rs', 32, 42],
        ['GRPC', '/conduit.articles.v1.ArticleService/DeleteArticle', 'src/service.rs', 44, 'MyArticles.delete_article', 'src/service.rs', 44, 47],
      ]);
    });

    it('finds main and Server::builder()…serve, not build.rs', () => {
      assert.deepEqual(entryRows(map), [
        ['main', 'tokio', 'src/main.rs', 14],
        ['listen', 'tonic', 'src/main.rs', 20],
      ]);
    });

    it('finds Err(Status) exits and unwrap in an RPC method', () => {
      assert.deepEqual(errorRows(map), [
        ['return-error', 'src/service.rs', 21, 'get_article'],
        ['return-error', 'src/service.rs', 35, 'create_article'],
        ['log-error', 'src/service.rs', 38, 'create_article'],
        ['http-error', 'src/service.rs', 39, 'create_article'],
        ['panic', 'src/service.rs', 45, 'delete_article'],
      ]);
    });
  });

  describe('handlers wrapped in layers (axum\'s key-value-store example)', () => {
    let root = '';
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-rust-layer-'));
      fs.mkdirSync(path.join(root, 'src'));
      fs.writeFileSync(path.join(root, 'Cargo.toml'), '[package]\nname = "kv"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.6"\n');
      fs.writeFileSync(
        path.join(root, 'src', 'main.rs'),
        [
          'use axum::{routing::get, Router};',
          '',
          'fn app(shared_state: SharedState) -> Router {',
          '    Router::new().route(',
          '        "/:key",',
          '        get(kv_get.layer(CompressionLayer::new()))',
          '            .post_service(kv_set.layer((DefaultBodyLimit::disable(), RequestBodyLimitLayer::new(1024))).with_state(Arc::clone(&shared_state))),',
          '    )',
          '}',
          '',
          'async fn kv_get() -> &\'static str {',
          '    "x"',
          '}',
          '',
          'async fn kv_set() {}',
          '',
        ].join('\n'),
      );
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('names the handler inside .layer(…) and .with_state(…)', async () => {
      const map = await scanTree(root);
      assert.deepEqual(httpRows(map), [
        ['GET', '/{key}', 'src/main.rs', 4, 'kv_get', 'src/main.rs', 11],
        ['POST', '/{key}', 'src/main.rs', 4, 'kv_set', 'src/main.rs', 15],
      ]);
    });
  });

  describe('module paths', () => {
    const files = new Set([
      'svc/src/main.rs',
      'svc/src/routes/mod.rs',
      'svc/src/routes/articles.rs',
      'svc/src/routes/articles/comments.rs',
      'svc/src/handlers.rs',
      'svc/src/handlers/profiles.rs',
      'svc/src/bin/worker.rs',
      'svc/src/bin/jobs.rs',
    ]);
    const project: ProjectView = {
      has: (f) => files.has(f),
      filesIn: () => [],
      serviceRootOf: () => 'svc',
      read: (f) => (f === 'svc/Cargo.toml' ? '[package]\nname = "my-svc"\nversion = "0.1.0"\n' : undefined),
    };
    const resolve = (from: string, module: string): readonly string[] => rustSupport.resolveModule?.(from, module, project) ?? [];

    it('resolves crate::, self::, super:: and plain paths to a.rs or a/mod.rs', () => {
      assert.deepEqual(resolve('svc/src/main.rs', 'crate::routes::articles'), ['svc/src/routes/articles.rs']);
      assert.deepEqual(resolve('svc/src/main.rs', 'self::routes'), ['svc/src/routes/mod.rs']);
      assert.deepEqual(resolve('svc/src/main.rs', 'routes'), ['svc/src/routes/mod.rs']);
      assert.deepEqual(resolve('svc/src/routes/articles.rs', 'self::comments'), ['svc/src/routes/articles/comments.rs']);
      assert.deepEqual(resolve('svc/src/routes/articles/comments.rs', 'super'), ['svc/src/routes/articles.rs']);
      assert.deepEqual(resolve('svc/src/routes/articles.rs', 'super'), ['svc/src/routes/mod.rs']);
      assert.deepEqual(resolve('svc/src/routes/mod.rs', 'super::handlers::profiles'), ['svc/src/handlers/profiles.rs']);
      assert.deepEqual(resolve('svc/src/handlers/profiles.rs', 'crate'), ['svc/src/main.rs']);
    });

    it('treats the package name as the library crate, src/bin files as their own crate roots, and other crates as outside', () => {
      assert.deepEqual(resolve('svc/src/bin/worker.rs', 'my_svc::routes::articles'), ['svc/src/routes/articles.rs']);
      assert.deepEqual(resolve('svc/src/routes/mod.rs', 'my_svc::handlers'), ['svc/src/handlers.rs']);
      assert.deepEqual(resolve('svc/src/bin/worker.rs', 'jobs'), ['svc/src/bin/jobs.rs']);
      assert.deepEqual(resolve('svc/src/main.rs', 'axum::routing'), []);
      assert.equal(rustSupport.submodule?.('crate::routes', 'articles'), 'crate::routes::articles');
    });
  });

  describe('interesting()', () => {
    it('keeps handler files registered elsewhere and skips plain model files', () => {
      assert.ok(rustSupport.interesting('pub async fn follow(State(state): State<AppState>) -> StatusCode {}', 'src/handlers/profiles.rs'));
      assert.ok(rustSupport.interesting('#[get("/")]\nfn index() -> &\'static str { "x" }', 'src/main.rs'));
      assert.ok(rustSupport.interesting('impl Greeter for MyGreeter { async fn say_hello(&self, request: Request<HelloRequest>) {} }', 'src/svc.rs'));
      assert.ok(!rustSupport.interesting(fs.readFileSync(path.join(fixture('rust-axum'), 'src', 'state.rs'), 'utf8'), 'src/state.rs'));
    });
  });
});
