import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileFacts } from '../../../src/core/wire/facts';
import { csharpSupport } from '../../../src/core/wire/languages/csharp';
import type { WireMap, WireRecord } from '../../../src/core/wire/model';
import { scanTree, WireIndex } from '../../../src/core/wire/scan';
import { repoRoot } from '../helpers';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'wire', name);

/** Every HTTP route as [method, route, registration file:line, handler, handler file:line, ('shadowed')]. */
function routes(map: WireMap): string[][] {
  return map.records
    .filter((r) => r.kind === 'http')
    .map((r) => [r.method ?? '', r.route ?? '', `${r.file}:${r.line}`, r.handler ?? '', `${r.handlerFile ?? '?'}:${r.handlerLine ?? '?'}`, ...(r.shadowed ? ['shadowed'] : [])]);
}

/** Entries and errors as [kind, detail, file:line, function (errors) or framework (entries)]. */
function exits(map: WireMap): string[][] {
  return map.records.filter((r) => r.kind === 'entry' || r.kind === 'error').map((r) => [r.kind, r.detail ?? '', `${r.file}:${r.line}`, (r.kind === 'error' ? r.function : r.framework) ?? '']);
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

describe('wire: C#', function () {
  this.timeout(20000);

  describe('ASP.NET Core controllers', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('cs-aspnet-controllers'));
    });

    it('resolves [Route] tokens, a base controller route and constants from other files, areas, absolute templates', () => {
      assert.deepEqual(routes(map), [
        ['GET', '/Admin/Dashboard/Index', 'Areas/Admin/Controllers/DashboardController.cs:9', 'DashboardController.Index', 'Areas/Admin/Controllers/DashboardController.cs:10'],
        ['GET', '/Admin/Dashboard/Details/{id}', 'Areas/Admin/Controllers/DashboardController.cs:12', 'DashboardController.Details', 'Areas/Admin/Controllers/DashboardController.cs:13'],
        ['GET', '/api/Articles', 'Controllers/ArticlesController.cs:17', 'ArticlesController.List', 'Controllers/ArticlesController.cs:18'],
        ['GET', '/api/Articles/{id}', 'Controllers/ArticlesController.cs:20', 'ArticlesController.GetAsync', 'Controllers/ArticlesController.cs:21'],
        ['POST', '/api/Articles', 'Controllers/ArticlesController.cs:31', 'ArticlesController.Create', 'Controllers/ArticlesController.cs:32'],
        ['PUT', '/api/Articles/{id}', 'Controllers/ArticlesController.cs:50', 'ArticlesController.Update', 'Controllers/ArticlesController.cs:52'],
        ['PATCH', '/api/Articles/{id}', 'Controllers/ArticlesController.cs:51', 'ArticlesController.Update', 'Controllers/ArticlesController.cs:52'],
        ['DELETE', '/api/Articles/{id}', 'Controllers/ArticlesController.cs:59', 'ArticlesController.Delete', 'Controllers/ArticlesController.cs:60'],
        ['GET', '/feed.xml', 'Controllers/ArticlesController.cs:74', 'ArticlesController.Feed', 'Controllers/ArticlesController.cs:75'],
        ['GET', '/api/Articles/{articleId}', 'Controllers/LegacyArticlesController.cs:10', 'LegacyArticlesController.Get', 'Controllers/LegacyArticlesController.cs:11', 'shadowed'],
        ['GET', '/api/v2/users/{username}', 'Controllers/UsersController.cs:13', 'UsersController.ByName', 'Controllers/UsersController.cs:14'],
        ['POST', '/api/v2/users/Login', 'Controllers/UsersController.cs:20', 'UsersController.Login', 'Controllers/UsersController.cs:22'],
        ['GET', '/api/v2/users/{username}/avatar', 'Controllers/UsersController.cs:31', 'UsersController.Avatar', 'Controllers/UsersController.cs:32'],
        ['HEAD', '/api/v2/users/{username}/avatar', 'Controllers/UsersController.cs:31', 'UsersController.Avatar', 'Controllers/UsersController.cs:32'],
      ]);
      const r = find(map, 'http', 'Controllers/ArticlesController.cs', 20);
      assert.equal(r.routeAsWritten, '{id:int}');
      assert.equal(r.framework, 'aspnet');
      assert.equal(r.handlerEndLine, 29);
    });

    it('finds the top-level Program.cs entries and the error exits of the actions', () => {
      assert.deepEqual(exits(map), [
        ['error', 'http-error', 'Areas/Admin/Controllers/DashboardController.cs:18', 'Details'],
        ['error', 'http-error', 'Controllers/ArticlesController.cs:26', 'GetAsync'],
        ['error', 'http-error', 'Controllers/ArticlesController.cs:36', 'Create'],
        ['error', 'catch', 'Controllers/ArticlesController.cs:42', 'Create'],
        ['error', 'log-error', 'Controllers/ArticlesController.cs:44', 'Create'],
        ['error', 'http-error', 'Controllers/ArticlesController.cs:45', 'Create'],
        ['error', 'http-error', 'Controllers/ArticlesController.cs:54', 'Update'],
        ['error', 'swallow', 'Controllers/ArticlesController.cs:66', 'Delete'],
        ['error', 'throw', 'Controllers/LegacyArticlesController.cs:13', 'Get'],
        ['error', 'http-error', 'Controllers/UsersController.cs:17', 'ByName'],
        ['error', 'http-error', 'Controllers/UsersController.cs:26', 'Login'],
        ['entry', 'main', 'Program.cs:3', 'dotnet'],
        ['entry', 'bootstrap', 'Program.cs:3', 'aspnet'],
        ['entry', 'listen', 'Program.cs:14', 'aspnet'],
      ]);
      assert.equal(find(map, 'error', 'Controllers/ArticlesController.cs', 45).text, 'StatusCode(StatusCodes.Status500InternalServerError)');
    });

    it('does not parse model files in the cold scan', () => {
      const text = fs.readFileSync(path.join(fixture('cs-aspnet-controllers'), 'Models/Article.cs'), 'utf8');
      assert.equal(csharpSupport.interesting(text, 'Models/Article.cs'), false);
    });
  });

  describe('minimal APIs', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('cs-minimal-api'));
    });

    it('resolves groups, extension methods in other files, static registration calls and method groups', () => {
      assert.deepEqual(routes(map), [
        ['GET', '/api/articles', 'Endpoints/ArticleEndpoints.cs:12', 'ArticleHandlers.List', 'Handlers/ArticleHandlers.cs:8'],
        ['GET', '/api/articles/{id}', 'Endpoints/ArticleEndpoints.cs:13', 'ArticleHandlers.Get', 'Handlers/ArticleHandlers.cs:11'],
        ['POST', '/api/articles', 'Endpoints/ArticleEndpoints.cs:14', '<anonymous>', 'Endpoints/ArticleEndpoints.cs:14'],
        ['DELETE', '/api/articles/{id}', 'Endpoints/ArticleEndpoints.cs:25', 'ArticleHandlers.Delete', 'Handlers/ArticleHandlers.cs:23'],
        ['GET', '/api/articles/{articleId}/comments', 'Endpoints/CommentEndpoints.cs:9', '<anonymous>', 'Endpoints/CommentEndpoints.cs:9'],
        ['POST', '/api/articles/{articleId}/comments', 'Endpoints/CommentEndpoints.cs:12', 'AddComment', 'Endpoints/CommentEndpoints.cs:16'],
        ['GET', '/api/users/{id}', 'Endpoints/UserEndpoints.cs:8', '<anonymous>', 'Endpoints/UserEndpoints.cs:8'],
        ['PUT', '/api/users/{id}/avatar', 'Endpoints/UserEndpoints.cs:9', 'UploadAvatar', 'Endpoints/UserEndpoints.cs:12'],
        ['POST', '/api/users/{id}/avatar', 'Endpoints/UserEndpoints.cs:9', 'UploadAvatar', 'Endpoints/UserEndpoints.cs:12'],
        ['GET', '/healthz', 'Program.cs:11', '', '?:?'],
        ['GET', '/api/v2/articles/{slug}', 'Program.cs:20', 'ArticleHandlers.GetBySlug', 'Handlers/ArticleHandlers.cs:17'],
        ['GET', '/ping', 'Program.cs:24', '<anonymous>', 'Program.cs:24'],
        ['HEAD', '/ping', 'Program.cs:24', '<anonymous>', 'Program.cs:24'],
        ['GET', '/version', 'Program.cs:25', 'GetVersion', 'Program.cs:36'],
        ['GET', '/api/articles/{articleId}', 'Program.cs:28', '<anonymous>', 'Program.cs:28', 'shadowed'],
      ]);
      assert.equal(find(map, 'http', 'Endpoints/ArticleEndpoints.cs', 14).handlerEndLine, 24);
    });

    it('attributes errors in handler lambdas to <anonymous> and finds the entries', () => {
      assert.deepEqual(exits(map), [
        ['error', 'http-error', 'Endpoints/ArticleEndpoints.cs:18', '<anonymous>'],
        ['error', 'catch', 'Endpoints/CommentEndpoints.cs:24', 'AddComment'],
        ['error', 'log-error', 'Endpoints/CommentEndpoints.cs:26', 'AddComment'],
        ['error', 'http-error', 'Endpoints/CommentEndpoints.cs:27', 'AddComment'],
        ['error', 'http-error', 'Endpoints/UserEndpoints.cs:8', '<anonymous>'],
        ['error', 'http-error', 'Endpoints/UserEndpoints.cs:14', 'UploadAvatar'],
        ['error', 'http-error', 'Handlers/ArticleHandlers.cs:14', 'Get'],
        ['error', 'http-error', 'Handlers/ArticleHandlers.cs:20', 'GetBySlug'],
        ['error', 'swallow', 'Handlers/ArticleHandlers.cs:30', 'Delete'],
        ['entry', 'main', 'Program.cs:5', 'dotnet'],
        ['entry', 'bootstrap', 'Program.cs:5', 'aspnet'],
        ['error', 'http-error', 'Program.cs:31', '<anonymous>'],
        ['entry', 'listen', 'Program.cs:34', 'aspnet'],
      ]);
    });

    it('names a `this` router parameter Container.Method(param) and passes the receiver first', async () => {
      const text = fs.readFileSync(path.join(fixture('cs-minimal-api'), 'Endpoints/ArticleEndpoints.cs'), 'utf8');
      const f = await factsOf('Endpoints/ArticleEndpoints.cs', text);
      assert.deepEqual(
        f.routers.map((r) => r.name),
        ['ArticleEndpoints.MapArticles(group)', 'ArticleEndpoints.MapArticles#articles'],
      );
      assert.deepEqual(f.calls.map((c) => [c.callee, c.args]), [[{ kind: 'global', name: 'MapComments' }, [{ kind: 'local', name: 'ArticleEndpoints.MapArticles#articles' }]]]);
      assert.deepEqual(f.functions[0]?.params, ['group']);
    });
  });

  describe('gRPC (Grpc.AspNetCore) with a Startup class', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('cs-grpc'));
    });

    it('links the ServiceBase subclass to the .proto and reads UseEndpoints routes', () => {
      const grpc = map.records.filter((r) => r.kind === 'grpc').map((r) => [r.method, r.route, `${r.file}:${r.line}`, r.handler ?? '', r.handlerEndLine ?? 0]);
      assert.deepEqual(grpc, [
        ['GRPC', '/shop.articles.v1.ArticleService/ArchiveArticle', 'Protos/articles.proto:11', '', 0],
        ['GRPC', '/shop.articles.v1.ArticleService/GetArticle', 'Services/ArticleGrpcService.cs:16', 'ArticleGrpcService.GetArticle', 20],
        ['GRPC', '/shop.articles.v1.ArticleService/ListArticles', 'Services/ArticleGrpcService.cs:22', 'ArticleGrpcService.ListArticles', 40],
      ]);
      assert.deepEqual(routes(map), [['GET', '/', 'Startup.cs:19', '<anonymous>', 'Startup.cs:19']]);
    });

    it('finds Main, the host builder and Run(), and the service errors', () => {
      assert.deepEqual(exits(map), [
        ['entry', 'main', 'Program.cs:5', 'dotnet'],
        ['entry', 'listen', 'Program.cs:7', 'generic-host'],
        ['entry', 'bootstrap', 'Program.cs:11', 'generic-host'],
        ['error', 'throw', 'Services/ArticleGrpcService.cs:19', 'GetArticle'],
        ['error', 'swallow', 'Services/ArticleGrpcService.cs:31', 'ListArticles'],
        ['error', 'catch', 'Services/ArticleGrpcService.cs:35', 'ListArticles'],
        ['error', 'log-error', 'Services/ArticleGrpcService.cs:37', 'ListArticles'],
        ['error', 'throw', 'Services/ArticleGrpcService.cs:38', 'ListArticles'],
      ]);
    });
  });

  describe('serverless (Azure Functions, AWS Lambda)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('cs-serverless'));
    });

    it('reads HTTP triggers under host.json routePrefix, and every function as an entry', () => {
      assert.deepEqual(routes(map), [
        ['GET', '/orders-api/orders/{id}', 'OrdersFunctions/OrderApi.cs:13', 'OrderApi.GetOrder', 'OrdersFunctions/OrderApi.cs:13'],
        ['POST', '/orders-api/PlaceOrder', 'OrdersFunctions/OrderApi.cs:26', 'OrderApi.PlaceOrder', 'OrdersFunctions/OrderApi.cs:26'],
        ['PUT', '/orders-api/PlaceOrder', 'OrdersFunctions/OrderApi.cs:26', 'OrderApi.PlaceOrder', 'OrdersFunctions/OrderApi.cs:26'],
      ]);
      assert.deepEqual(exits(map), [
        ['entry', 'serverless', 'OrdersFunctions/OrderApi.cs:13', 'azure-functions'],
        ['error', 'http-error', 'OrdersFunctions/OrderApi.cs:18', 'GetOrder'],
        ['entry', 'serverless', 'OrdersFunctions/OrderApi.cs:26', 'azure-functions'],
        ['error', 'catch', 'OrdersFunctions/OrderApi.cs:33', 'PlaceOrder'],
        ['error', 'log-error', 'OrdersFunctions/OrderApi.cs:35', 'PlaceOrder'],
        ['error', 'http-error', 'OrdersFunctions/OrderApi.cs:36', 'PlaceOrder'],
        ['entry', 'serverless', 'OrdersFunctions/OrderApi.cs:41', 'azure-functions'],
        ['entry', 'main', 'OrdersFunctions/Program.cs:3', 'dotnet'],
        ['entry', 'bootstrap', 'OrdersFunctions/Program.cs:3', 'generic-host'],
        ['entry', 'listen', 'OrdersFunctions/Program.cs:7', 'generic-host'],
        ['entry', 'serverless', 'ThumbnailLambda/src/Function.cs:10', 'aws-lambda'],
        ['error', 'catch', 'ThumbnailLambda/src/Function.cs:18', 'FunctionHandler'],
        ['error', 'log-error', 'ThumbnailLambda/src/Function.cs:20', 'FunctionHandler'],
        ['error', 'throw', 'ThumbnailLambda/src/Function.cs:21', 'FunctionHandler'],
      ]);
      assert.equal(find(map, 'entry', 'OrdersFunctions/OrderApi.cs', 26).text, 'PlaceOrder');
    });
  });

  describe('snippets', () => {
    it('reads an endpoint class whose base comes from a package (Ardalis.ApiEndpoints, eShopOnWeb), and no plain class', async () => {
      const f = await factsOf(
        'CatalogItemEndpoints/GetById.cs',
        [
          'public class GetById : BaseAsyncEndpoint<GetByIdCatalogItemRequest, GetByIdCatalogItemResponse>',
          '{',
          '    [HttpGet("api/catalog-items/{CatalogItemId}")]',
          '    public override async Task<ActionResult<GetByIdCatalogItemResponse>> HandleAsync([FromRoute] GetByIdCatalogItemRequest request, CancellationToken ct)',
          '    {',
          '        return NotFound();',
          '    }',
          '}',
          'public class Repository : EfRepository<Item>',
          '{',
          '    public Task<Item> GetAsync(int id) => Find(id);',
          '}',
        ].join('\n'),
      );
      assert.deepEqual(
        f.routes.map((r) => [r.method, r.path, r.loc.line, r.handler?.kind === 'here' ? r.handler.name : '']),
        [['GET', 'api/catalog-items/{CatalogItemId}', 3, 'GetById.HandleAsync']],
      );
    });

    it('reads Carter-style modules: an IEndpointRouteBuilder parameter is a top-level router', async () => {
      const f = await factsOf(
        'Modules/ArticlesModule.cs',
        ['public class ArticlesModule : ICarterModule', '{', '    public void AddRoutes(IEndpointRouteBuilder app)', '    {', '        app.MapGet("/articles/{id}", (int id) => Results.Ok(id));', '    }', '}'].join('\n'),
      );
      assert.deepEqual(f.routers.map((r) => r.name), ['ArticlesModule.AddRoutes(app)']);
      assert.deepEqual(
        f.routes.map((r) => [r.method, r.path, r.router, r.loc.line]),
        [['GET', '/articles/{id}', { kind: 'local', name: 'ArticlesModule.AddRoutes(app)' }, 5]],
      );
    });

    it('warns about patterns computed at run time and reads status-code assignments, ObjectResult and Environment.Exit', async () => {
      const f = await factsOf(
        'Program.cs',
        [
          'var app = WebApplication.Create(args);',
          'app.MapGet($"/{prefix}/items", () => 1);',
          'app.Use(async (ctx, next) => { ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable; });',
          'class C : ControllerBase {',
          '  [HttpGet("x")] public IActionResult X() => new ObjectResult("no") { StatusCode = 500 };',
          '  void Stop() { Environment.Exit(2); }',
          '}',
        ].join('\n'),
      );
      assert.deepEqual(f.warnings.map((w) => w.line), [2]);
      assert.deepEqual(
        f.errors.map((e) => [e.kind, e.loc.line, e.function]),
        [
          ['http-error', 3, '<top-level>'],
          ['http-error', 5, 'X'],
          ['panic', 6, 'Stop'],
        ],
      );
      assert.deepEqual(
        f.entries.map((e) => [e.detail, e.loc.line]),
        [
          ['main', 1],
          ['bootstrap', 1],
        ],
      );
    });
  });
});
