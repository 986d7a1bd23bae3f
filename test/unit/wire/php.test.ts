import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ProjectView } from '../../../src/core/wire/language';
import { phpSupport } from '../../../src/core/wire/languages/php';
import { laravelFilePrefix } from '../../../src/core/wire/languages/php/routes';
import type { WireMap, WireRecord } from '../../../src/core/wire/model';
import { scanTree, WireIndex } from '../../../src/core/wire/scan';
import { language } from '../../../src/core/wire/treeSitter';
import { repoRoot } from '../helpers';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'wire', name);

/** One HTTP/gRPC record as `METHOD route | file:line | handler | handlerFile:handlerLine` (+ ` | shadowed`). */
function routeRow(r: WireRecord): string {
  const where = r.handlerFile ? `${r.handlerFile}:${r.handlerLine}` : '-';
  return `${r.method} ${r.route} | ${r.file}:${r.line} | ${r.handler ?? '-'} | ${where}${r.shadowed ? ' | shadowed' : ''}`;
}

const rows = (map: WireMap, kind: WireRecord['kind']): string[] =>
  map.records
    .filter((r) => r.kind === kind)
    .map(kind === 'http' || kind === 'grpc' ? routeRow : (r) => `${r.detail} | ${r.file}:${r.line} | ${r.kind === 'error' ? r.function : r.handler} | ${r.text}`)
    .sort();

function assertIncludes(all: readonly string[], expected: readonly string[]): void {
  for (const e of expected) assert.ok(all.includes(e), `missing: ${e}\n--- got:\n${all.join('\n')}`);
}

describe('wire: PHP Laravel', () => {
  let map: WireMap;
  before(async () => {
    map = await scanTree(fixture('php-laravel'));
  });

  it('lists every route with its full path (api prefix, groups, resources, webhooks prefix from bootstrap/app.php) and controller method', () => {
    const api = 'app/Http/Controllers/Api/';
    const ctl = 'app/Http/Controllers/';
    assert.deepEqual(
      rows(map, 'http'),
      [
        // bootstrap/app.php withRouting(health: '/up')
        'GET /up | bootstrap/app.php:13 | health | bootstrap/app.php:13',
        // routes/api.php: /api by Laravel's default apiPrefix
        'GET /api/user | routes/api.php:10 | <anonymous> | routes/api.php:10',
        `GET /api/health | routes/api.php:14 | HealthCheckController.__invoke | ${api}HealthCheckController.php:9`,
        `GET /api/v1/articles | routes/api.php:17 | ArticleController.index | ${api}ArticleController.php:14`,
        `POST /api/v1/articles | routes/api.php:17 | ArticleController.store | ${api}ArticleController.php:19`,
        `GET /api/v1/articles/{article} | routes/api.php:17 | ArticleController.show | ${api}ArticleController.php:28`,
        `PUT /api/v1/articles/{article} | routes/api.php:17 | ArticleController.update | ${api}ArticleController.php:35`,
        `PATCH /api/v1/articles/{article} | routes/api.php:17 | ArticleController.update | ${api}ArticleController.php:35`,
        `DELETE /api/v1/articles/{article} | routes/api.php:17 | ArticleController.destroy | ${api}ArticleController.php:48`,
        `GET /api/v1/articles/{article}/comments | routes/api.php:18 | CommentController.index | ${api}CommentController.php:11`,
        `POST /api/v1/articles/{article}/comments | routes/api.php:18 | CommentController.store | ${api}CommentController.php:16`,
        `GET /api/v1/users/{user} | routes/api.php:21 | UserController.show | ${api}UserController.php:11`,
        `POST /api/v1/users | routes/api.php:22 | UserController.store | ${api}UserController.php:16`,
        `DELETE /api/v1/users/{user} | routes/api.php:26 | UserController.destroy | ${api}UserController.php:21`,
        `GET /api/v1/articles/{article} | routes/api.php:28 | ArticleController.legacy | ${api}ArticleController.php:55 | shadowed`,
        `GET /api/v0/search | routes/api.php:33 | ArticleController.search | ${api}ArticleController.php:60`,
        `POST /api/v0/search | routes/api.php:33 | ArticleController.search | ${api}ArticleController.php:60`,
        'ANY /api/v0/ping | routes/api.php:34 | <anonymous> | routes/api.php:34',
        // routes/web.php: no prefix
        'GET / | routes/web.php:7 | <anonymous> | routes/web.php:7',
        'GET /about | routes/web.php:11 | view:pages.about | routes/web.php:11',
        `GET /photos | routes/web.php:13 | PhotoController.index | ${ctl}PhotoController.php:10`,
        `GET /photos/create | routes/web.php:13 | PhotoController.create | ${ctl}PhotoController.php:15`,
        `POST /photos | routes/web.php:13 | PhotoController.store | ${ctl}PhotoController.php:20`,
        `GET /photos/{photo} | routes/web.php:13 | PhotoController.show | ${ctl}PhotoController.php:27`,
        `GET /photos/{photo}/edit | routes/web.php:13 | PhotoController.edit | ${ctl}PhotoController.php:32`,
        `PUT /photos/{photo} | routes/web.php:13 | PhotoController.update | ${ctl}PhotoController.php:37`,
        `PATCH /photos/{photo} | routes/web.php:13 | PhotoController.update | ${ctl}PhotoController.php:37`,
        'ANY /home | routes/web.php:15 | redirect:/ | routes/web.php:15',
        `GET /dashboard | routes/web.php:17 | DashboardController.__invoke | ${ctl}DashboardController.php:7`,
        // routes/webhooks.php: Route::prefix('webhooks')->group(base_path(…)) in bootstrap/app.php
        `POST /webhooks/stripe/{event?} | routes/webhooks.php:7 | StripeWebhookController.receive | ${ctl}StripeWebhookController.php:11`,
      ].sort(),
    );
    const show = map.records.find((r) => r.route === '/api/v1/articles/{article}' && r.method === 'GET' && !r.shadowed);
    assert.equal(show?.handlerEndLine, 33);
    assert.equal(show?.routeAsWritten, 'articles/{article}');
    assert.equal(map.records.find((r) => r.route === '/api/v1/users/{user}' && r.method === 'GET')?.routeAsWritten, '/users/{user}');
  });

  it('finds entries: bootstrap/app.php, the front controller and queued jobs', () => {
    assert.deepEqual(rows(map, 'entry'), [
      'bootstrap | bootstrap/app.php:8 | Application::configure(basePath: dirname(__DIR__)) | Application::configure(basePath: dirname(__DIR__))',
      "bootstrap | public/index.php:14 | (require_once __DIR__.'/../bootstrap/app.php') … | (require_once __DIR__.'/../bootstrap/app.php') …",
      'worker | app/Jobs/PublishArticle.php:18 | PublishArticle.handle | PublishArticle.handle',
    ]);
  });

  it('finds throw, catch, swallowed catch, abort/abort_if/abort_unless, error responses and Log::error', () => {
    assertIncludes(rows(map, 'error'), [
      "throw | app/Http/Controllers/Api/ArticleController.php:63 | search | throw new \\InvalidArgumentException('q is required')",
      'catch | app/Http/Controllers/Api/ArticleController.php:39 | update | catch (\\Illuminate\\Database\\QueryException $e) { …',
      "log-error | app/Http/Controllers/Api/ArticleController.php:40 | update | Log::error('article update failed', ['id' => $article->id, 'error' => $e->getMessage()])",
      "http-error | app/Http/Controllers/Api/ArticleController.php:42 | update | response()->json(['error' => 'could not save'], 500)",
      'http-error | app/Http/Controllers/Api/ArticleController.php:30 | show | abort_if($article->isDraft(), 404)',
      'http-error | app/Http/Controllers/Api/UserController.php:23 | destroy | abort_unless($request->user()->is($user), 403)',
      'http-error | app/Http/Controllers/StripeWebhookController.php:17 | receive | abort(400)',
      'swallow | app/Http/Controllers/Api/CommentController.php:20 | store | catch (\\Throwable $e) { …',
      // inside a route closure: named after its route
      'http-error | routes/api.php:11 | GET /user | abort(401)',
    ]);
    assert.ok(!rows(map, 'error').some((e) => e.includes('201)') || e.includes('204)')), 'success statuses are not errors');
  });

  it('reports nothing it could not read', () => {
    assert.deepEqual(map.problems, []);
  });
});

describe('wire: PHP Laravel route-file prefixes', () => {
  const project = (files: Record<string, string>): ProjectView => ({
    has: (f) => f in files,
    filesIn: () => [],
    serviceRootOf: () => '',
    read: (f) => files[f],
  });

  it('routes/api.php gets /api when nothing says otherwise; others get nothing', async () => {
    const php = await language('php');
    assert.equal(laravelFilePrefix('routes/api.php', project({}), php), 'api');
    assert.equal(laravelFilePrefix('routes/web.php', project({}), php), '');
  });

  it('reads RouteServiceProvider groups and bootstrap/app.php apiPrefix', async () => {
    const php = await language('php');
    const provider = [
      '<?php',
      'class RouteServiceProvider extends ServiceProvider {',
      '  public function boot(): void {',
      '    $this->routes(function () {',
      "      Route::middleware('api')->prefix('backend/api')->group(base_path('routes/api.php'));",
      "      Route::middleware('web')->group(base_path('routes/web.php'));",
      "      Route::group(['prefix' => 'admin'], base_path('routes/admin.php'));",
      '    });',
      '  }',
      '}',
    ].join('\n');
    const p = project({ 'svc/app/Providers/RouteServiceProvider.php': provider });
    assert.equal(laravelFilePrefix('svc/routes/api.php', p, php), 'backend/api');
    assert.equal(laravelFilePrefix('svc/routes/web.php', p, php), '');
    assert.equal(laravelFilePrefix('svc/routes/admin.php', p, php), 'admin');
    const boot = "<?php\nreturn Application::configure(basePath: dirname(__DIR__))->withRouting(api: __DIR__.'/../routes/api.php', apiPrefix: 'api/v2')->create();";
    assert.equal(laravelFilePrefix('routes/api.php', project({ 'bootstrap/app.php': boot }), php), 'api/v2');
  });
});

describe('wire: PHP Symfony', () => {
  let map: WireMap;
  before(async () => {
    map = await scanTree(fixture('php-symfony'));
  });

  it('lists attribute routes with the class prefix and the config/routes.yaml prefix', () => {
    const a = 'src/Controller/ArticleController.php';
    assert.deepEqual(
      rows(map, 'http'),
      [
        `GET /api/articles | ${a}:22 | ArticleController.index | ${a}:23`,
        `GET /api/articles/{id} | ${a}:28 | ArticleController.show | ${a}:29`,
        `POST /api/articles | ${a}:39 | ArticleController.create | ${a}:40`,
        `PUT /api/articles/{id} | ${a}:51 | ArticleController.update | ${a}:52`,
        `PATCH /api/articles/{id} | ${a}:51 | ArticleController.update | ${a}:52`,
        `DELETE /api/articles/{id} | ${a}:65 | ArticleController.delete | ${a}:66`,
        `GET /api/articles/{id} | ${a}:74 | ArticleController.showV0 | ${a}:75 | shadowed`,
        'ANY /api/health | src/Controller/HealthController.php:10 | HealthController.__invoke | src/Controller/HealthController.php:11',
        'POST /api/admin/users/{id}/roles/{role} | src/Controller/Admin/UserController.php:12 | UserController.grant | src/Controller/Admin/UserController.php:13',
      ].sort(),
    );
    assert.equal(map.records.find((r) => r.handler === 'ArticleController.show')?.routeAsWritten, '/{id<\\d+>}');
  });

  it('finds the runtime entry and error exits', () => {
    assert.deepEqual(rows(map, 'entry'), ["bootstrap | public/index.php:8 | new Kernel($context['APP_ENV'], (bool) $context['APP_DEBUG']) | new Kernel($context['APP_ENV'], (bool) $context['APP_DEBUG'])"]);
    assertIncludes(rows(map, 'error'), [
      'throw | src/Controller/ArticleController.php:33 | show | throw $this->createNotFoundException("article $id")',
      "http-error | src/Controller/ArticleController.php:45 | create | $this->json(['error' => 'invalid JSON'], Response::HTTP_BAD_REQUEST)",
      "log-error | src/Controller/ArticleController.php:57 | update | $this->logger->error('update failed', ['exception' => $e])",
      "http-error | src/Controller/ArticleController.php:59 | update | new JsonResponse(['error' => 'update failed'], 500)",
      "http-error | src/Controller/Admin/UserController.php:16 | grant | $this->json(['error' => 'forbidden'], 403)",
      'swallow | src/Controller/Admin/UserController.php:21 | grant | catch (\\Throwable) { …',
    ]);
    assert.ok(!rows(map, 'error').some((e) => e.includes('HTTP_NO_CONTENT') || e.includes('HTTP_CREATED')));
  });
});

describe('wire: PHP gRPC and Slim', () => {
  it('links RoadRunner (…Interface) and grpc (…Stub) services to the .proto', async () => {
    const map = await scanTree(fixture('php-grpc'));
    assert.deepEqual(rows(map, 'grpc'), [
      'GRPC /articles.v1.ArticleService/GetArticle | src/Service/ArticleService.php:19 | ArticleService.GetArticle | src/Service/ArticleService.php:19',
      'GRPC /articles.v1.ArticleService/ListArticles | src/Service/ArticleService.php:29 | ArticleService.ListArticles | src/Service/ArticleService.php:29',
      'GRPC /articles.v1.AuditService/Record | src/Service/AuditService.php:13 | AuditService.Record | src/Service/AuditService.php:13',
    ]);
    assert.equal(map.records.find((r) => r.handler === 'ArticleService.GetArticle')?.handlerEndLine, 27);
    assert.deepEqual(rows(map, 'entry'), ['listen | worker.php:13 | $server->serve(Worker::create()) | $server->serve(Worker::create())']);
    assertIncludes(rows(map, 'error'), [
      'throw | src/Service/ArticleService.php:23 | GetArticle | throw new NotFoundException("article {$in->getId()} not found")',
      "log-error | src/Service/AuditService.php:18 | Record | error_log('audit write failed: ' . $e->getMessage())",
    ]);
  });

  it('composes Slim groups, handler classes in other files and setBasePath', async () => {
    const map = await scanTree(fixture('php-slim'));
    assert.deepEqual(
      rows(map, 'http'),
      [
        'GET /notes-api | app/routes.php:13 | <anonymous> | app/routes.php:13',
        'GET /notes-api/notes | app/routes.php:19 | ListNotesAction.__invoke | src/Action/ListNotesAction.php:10',
        'GET /notes-api/notes/{id} | app/routes.php:20 | NoteAction.show | src/Action/NoteAction.php:10',
        'PUT /notes-api/notes/{id} | app/routes.php:21 | NoteAction.update | src/Action/NoteAction.php:20',
        'PATCH /notes-api/notes/{id} | app/routes.php:21 | NoteAction.update | src/Action/NoteAction.php:20',
      ].sort(),
    );
    assert.deepEqual(rows(map, 'entry'), ['listen | public/index.php:13 | $app->run() | $app->run()']);
    assertIncludes(rows(map, 'error'), ['http-error | src/Action/NoteAction.php:14 | show | $response->withStatus(404)']);
  });
});

describe('wire: PHP reader details', () => {
  it('warns about routes it cannot list instead of guessing', async () => {
    const index = new WireIndex(repoRoot);
    try {
      const facts = await index.factsFor(
        'routes/web.php',
        ["<?php", "Route::get($path, fn () => 1);", "foreach (['a', 'b'] as $p) { Route::get($p, fn () => 1); }", "Route::get('/ok', fn () => 1);"].join('\n'),
      );
      assert.deepEqual(
        facts?.warnings.map((w) => w.line),
        [2, 3],
      );
      assert.equal(facts?.routes.length, 1);
    } finally {
      index.dispose();
    }
  });

  it('takes a resource name with slashes as a prefix and a resource (monica), and no Symfony form for a front controller', async () => {
    const index = new WireIndex(repoRoot);
    try {
      const routes = await index.factsFor(
        'routes/web.php',
        ['<?php', "Route::resource('people/{contact}/notes', 'Contacts\\NotesController')->only(['index', 'update']);", "Route::apiResource('settings/personalization/genders', GendersController::class)->only(['show']);"].join('\n'),
      );
      assert.deepEqual(
        routes?.routes.map((r) => `${r.method} ${r.path}`),
        ['GET people/{contact}/notes', 'PUT people/{contact}/notes/{note}', 'PATCH people/{contact}/notes/{note}', 'GET settings/personalization/genders/{gender}'],
      );
      const form = await index.factsFor(
        'src/Controller/BlogController.php',
        ['<?php', 'class BlogController extends AbstractController {', '    public function edit(Request $request): Response {', '        $form = $this->createForm(PostType::class);', '        $form->handleRequest($request);', '        return $this->render("x");', '    }', '}'].join('\n'),
      );
      assert.deepEqual(form?.entries, []);
      const front = await index.factsFor('public/index.php', ['<?php', "(require_once __DIR__.'/../bootstrap/app.php')", '    ->handleRequest(Request::capture());'].join('\n'));
      assert.deepEqual(front?.entries.map((e) => [e.detail, e.framework, e.loc.line]), [['bootstrap', 'laravel', 2]]);
    } finally {
      index.dispose();
    }
  });

  it('reads Lumen `$router` groups', async () => {
    const index = new WireIndex(repoRoot);
    try {
      const facts = await index.factsFor(
        'routes/web.php',
        ['<?php', "$router->group(['prefix' => 'api/v1'], function () use ($router) {", "    $router->get('/articles/{id}', 'ArticleController@show');", '});'].join('\n'),
      );
      assert.deepEqual(
        facts?.routes.map((r) => [r.method, r.path, r.router?.kind === 'local' ? r.router.name : '', r.handler?.kind === 'member' ? `${r.handler.container}.${r.handler.name}` : '', r.framework]),
        [['GET', '/articles/{id}', 'group@2:1', 'ArticleController.show', 'lumen']],
      );
      assert.deepEqual(
        facts?.routers.map((r) => [r.name, r.prefix]),
        [
          ['routes', undefined],
          ['group@2:1', 'api/v1'],
        ],
      );
      assert.deepEqual(
        facts?.mounts.map((m) => [m.parent, m.child]),
        [[{ kind: 'local', name: 'routes' }, { kind: 'local', name: 'group@2:1' }]],
      );
    } finally {
      index.dispose();
    }
  });

  it('parses only files that can hold routes, handlers, services or entries', () => {
    assert.equal(phpSupport.interesting('<?php\nclass Article extends Model { protected $fillable = []; }\n', 'app/Models/Article.php'), false);
    assert.equal(phpSupport.interesting('<?php\nclass ArticleController extends Controller {}\n', 'app/Http/Controllers/ArticleController.php'), true);
    assert.equal(phpSupport.interesting('<?php\n', 'routes/channels.php'), true);
  });
});
