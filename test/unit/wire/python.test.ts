import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProjectView } from '../../../src/core/wire/language';
import { pythonSupport } from '../../../src/core/wire/languages/python';
import type { WireMap, WireRecord } from '../../../src/core/wire/model';
import { scanTree, WireIndex } from '../../../src/core/wire/scan';
import { repoRoot, writeIn } from '../helpers';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'wire', name);

/** One HTTP/gRPC record as `METHOD route | file:line | handler | handlerFile:handlerLine` (+ ` | shadowed`). */
function routeRow(r: WireRecord): string {
  const where = r.handlerFile ? `${r.handlerFile}:${r.handlerLine}` : '-';
  return `${r.method} ${r.route} | ${r.file}:${r.line} | ${r.handler ?? '-'} | ${where}${r.shadowed ? ' | shadowed' : ''}`;
}

/** Entries as `detail | file:line | name`, errors as `kind | file:line | function | text`. */
function siteRow(r: WireRecord): string {
  return r.kind === 'error' ? `${r.detail} | ${r.file}:${r.line} | ${r.function} | ${r.text}` : `${r.detail} | ${r.file}:${r.line} | ${r.handler} | ${r.framework}`;
}

const rows = (map: WireMap, kind: WireRecord['kind']): string[] =>
  map.records
    .filter((r) => r.kind === kind)
    .map(kind === 'http' || kind === 'grpc' ? routeRow : siteRow)
    .sort();

const find = (map: WireMap, method: string, route: string): WireRecord => {
  const r = map.records.find((x) => x.kind === 'http' && x.method === method && x.route === route);
  assert.ok(r, `${method} ${route} not found`);
  return r;
};

describe('wire: Python', () => {
  it('the test helpers point at the repository', () => {
    assert.ok(fs.existsSync(path.join(repoRoot, 'test', 'fixtures', 'wire', 'py-flask', 'requirements.txt')), repoRoot);
  });

  describe('Flask (py-flask)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('py-flask'));
    });

    it('resolves blueprints registered in the app factory, nested blueprints, MethodViews and a route table', () => {
      const expected = [
        // @app.route inside create_app()
        'GET /health | app/__init__.py:25 | health | app/__init__.py:26',
        // Blueprint(url_prefix="/admin") registered without a prefix: its own prefix stays
        'GET /admin/stats | app/admin/views.py:6 | stats | app/admin/views.py:7',
        // Blueprint(url_prefix="/api") registered with url_prefix=API_PREFIX + "/v1" (a constant from config.py): replaced
        'GET /api/v1/articles | app/api/articles.py:8 | articles | app/api/articles.py:9',
        'POST /api/v1/articles | app/api/articles.py:8 | articles | app/api/articles.py:9',
        'GET /api/v1/articles/{article_id} | app/api/articles.py:19 | get_article | app/api/articles.py:20',
        'DELETE /api/v1/articles/{article_id} | app/api/articles.py:27 | delete_article | app/api/articles.py:28',
        'GET /api/v1/articles/{id} | app/api/articles.py:37 | legacy_article | app/api/articles.py:38 | shadowed',
        // bp.register_blueprint(comments_bp, url_prefix="/articles/<int:article_id>/comments")
        'GET /api/v1/articles/{article_id}/comments | app/api/comments.py:6 | list_comments | app/api/comments.py:7',
        'POST /api/v1/articles/{article_id}/comments | app/api/comments.py:11 | add_comment | app/api/comments.py:12',
        // MethodView classes: one route per method; explicit methods=["GET", "PUT"] leaves out delete()
        'GET /api/v1/users | app/api/users.py:32 | UserGroupAPI.get | app/api/users.py:10',
        'POST /api/v1/users | app/api/users.py:32 | UserGroupAPI.post | app/api/users.py:13',
        'GET /api/v1/users/{user_id} | app/api/users.py:34 | UserItemAPI.get | app/api/users.py:20',
        'PUT /api/v1/users/{user_id} | app/api/users.py:34 | UserItemAPI.put | app/api/users.py:23',
        // Blueprint(url_prefix="/account") registered with url_prefix="/auth"
        'POST /auth/login | app/auth.py:6 | login | app/auth.py:7',
        'POST /auth/logout | app/auth.py:14 | logout | app/auth.py:15',
        // register_routes(app) from another module; a loop over a literal table; views in app/views.py
        'GET / | app/pages.py:11 | home | app/views.py:5',
        'GET /about | app/pages.py:13 | about | app/views.py:9',
        'GET /terms | app/pages.py:13 | terms | app/views.py:13',
        'GET /contact | app/pages.py:14 | contact | app/views.py:17',
        'POST /contact | app/pages.py:14 | contact | app/views.py:17',
      ];
      assert.deepEqual(rows(map, 'http'), [...expected].sort());
      assert.ok(map.records.filter((r) => r.kind === 'http').every((r) => r.framework === 'flask' && r.language === 'python'));
    });

    it('keeps the path as written and the handler body range', () => {
      const r = find(map, 'GET', '/api/v1/articles/{article_id}');
      assert.equal(r.routeAsWritten, '/articles/<int:article_id>');
      assert.equal(r.handlerEndLine, 24);
      assert.equal(find(map, 'PUT', '/api/v1/users/{user_id}').handlerEndLine, 25);
    });

    it('finds the app bootstrap, the __main__ guard and app.run()', () => {
      assert.deepEqual(rows(map, 'entry'), [
        'bootstrap | app/__init__.py:13 | app = Flask(__name__) | flask',
        'listen | wsgi.py:7 | app.run(host="0.0.0.0", port=5000, debug=True) | flask',
        'main | wsgi.py:6 | if __name__ == "__main__": … | python',
      ]);
    });

    it('finds abort(), error tuples, logging, re-raises and a swallowed exception', () => {
      assert.deepEqual(rows(map, 'error'), [
        'catch | app/api/articles.py:31 | delete_article | except KeyError: …',
        'http-error | app/__init__.py:32 | internal_error | return jsonify(error="internal"), 500',
        'http-error | app/api/articles.py:13 | articles | return jsonify(error="title is required"), 400',
        'http-error | app/api/articles.py:23 | get_article | abort(404)',
        'http-error | app/auth.py:10 | login | abort(401)',
        'log-error | app/__init__.py:31 | internal_error | logger.error("unhandled error: %s", error)',
        'log-error | app/api/articles.py:32 | delete_article | current_app.logger.exception("no article %s", article_id)',
        'swallow | app/views.py:21 | contact | except ConnectionError: …',
        'throw | app/api/articles.py:33 | delete_article | raise',
        'throw | app/views.py:27 | send_message | raise NotImplementedError',
      ]);
    });

    it('warns about routes registered in a loop over a computed list', () => {
      assert.deepEqual(
        map.problems.map((p) => `${p.file}:${p.line} ${p.message}`),
        ['app/pages.py:16 Loop over `app.config.get("LOCALES", [])` is not a literal list: the routes it registers are not listed.'],
      );
    });

    it('re-reads one file: a changed blueprint prefix moves its routes', async () => {
      const index = new WireIndex(fixture('py-flask'));
      try {
        await index.scan();
        const text = fs.readFileSync(path.join(fixture('py-flask'), 'app', 'admin', 'views.py'), 'utf8');
        await index.update('app/admin/views.py', text.replace('url_prefix="/admin"', 'url_prefix="/backoffice"'));
        const routes = index.map().records.filter((r) => r.kind === 'http' && r.handler === 'stats');
        assert.deepEqual(
          routes.map((r) => r.route),
          ['/backoffice/stats'],
        );
      } finally {
        index.dispose();
      }
    });
  });

  describe('FastAPI (py-fastapi)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('py-fastapi'));
    });

    it('resolves include_router chains across modules, settings prefixes, nested routers and add_api_route', () => {
      const expected = [
        'GET / | app/main.py:21 | root | app/main.py:22',
        // {file_path:path} is a catch-all
        'GET /download/{*file_path} | app/main.py:26 | download | app/main.py:27',
        // websockets are listed as the GET that opens them
        'GET /ws | app/main.py:31 | events | app/main.py:32',
        'ANY /static/{*} | app/main.py:18 | StaticFiles | -',
        'GET /healthz | app/api/routes/health.py:6 | healthz | app/api/routes/health.py:7',
        // health.register_probes(app): the router is a typed function parameter
        'GET /readyz | app/api/routes/health.py:16 | ready | app/api/routes/health.py:11',
        // app.include_router(api_router, prefix=settings.API_V1_STR) → api_router.include_router(items.router, prefix="/items")
        'GET /api/v1/items | app/api/routes/items.py:8 | read_items | app/api/routes/items.py:9',
        'POST /api/v1/items | app/api/routes/items.py:13 | create_item | app/api/routes/items.py:14',
        'GET /api/v1/items/{item_id} | app/api/routes/items.py:19 | read_item | app/api/routes/items.py:20',
        'PUT /api/v1/items/{item_id} | app/api/routes/items.py:26 | update_item | app/api/routes/items.py:27',
        'PATCH /api/v1/items/{item_id} | app/api/routes/items.py:26 | update_item | app/api/routes/items.py:27',
        'DELETE /api/v1/items/{item_id} | app/api/routes/items.py:32 | delete_item | app/api/routes/items.py:33',
        'GET /api/v1/items/{id} | app/api/routes/items.py:37 | read_item_legacy | app/api/routes/items.py:38 | shadowed',
        'POST /api/v1/login/access-token | app/api/routes/login.py:6 | login_access_token | app/api/routes/login.py:7',
        // APIRouter(prefix="/users") with a nested router and an endpoint from app/api/handlers/avatars.py
        'GET /api/v1/users/me | app/api/routes/users.py:10 | read_me | app/api/routes/users.py:11',
        'GET /api/v1/users/{user_id} | app/api/routes/users.py:15 | read_user | app/api/routes/users.py:16',
        'GET /api/v1/users/{user_id}/items | app/api/routes/users.py:22 | read_user_items | app/api/routes/users.py:23',
        'GET /api/v1/users/{user_id}/avatar | app/api/routes/users.py:28 | get_avatar | app/api/handlers/avatars.py:4',
      ];
      assert.deepEqual(rows(map, 'http'), [...expected].sort());
      assert.ok(map.records.filter((r) => r.kind === 'http').every((r) => r.framework === 'fastapi'));
      assert.equal(find(map, 'GET', '/api/v1/items').routeAsWritten, '/');
    });

    it('finds the app, uvicorn.run, the __main__ guard, Mangum and a Lambda handler', () => {
      assert.deepEqual(rows(map, 'entry'), [
        'bootstrap | app/main.py:14 | app = FastAPI(title=settings.PROJECT_NAME) | fastapi',
        'listen | app/main.py:44 | uvicorn.run("app.main:app", host="0.0.0.0", port=8000, reload=True) | uvicorn',
        'main | app/main.py:43 | if __name__ == "__main__": … | python',
        'serverless | app/main.py:41 | handler | aws-lambda',
        'serverless | app/worker.py:8 | lambda_handler | aws-lambda',
      ]);
    });

    it('finds HTTPException, error responses, logged and raised errors', () => {
      assert.deepEqual(rows(map, 'error'), [
        'catch | app/main.py:37 | events | except Exception: …',
        'catch | app/worker.py:12 | lambda_handler | except ValueError: …',
        'http-error | app/api/routes/items.py:22 | read_item | raise HTTPException(status_code=404, detail="Item not found")',
        'http-error | app/api/routes/login.py:9 | login_access_token | raise HTTPException(status_code=400, detail="Incorrect email or password")',
        'http-error | app/api/routes/users.py:18 | read_user | JSONResponse({"detail": "not found"}, status_code=404)',
        'log-error | app/main.py:38 | events | logger.exception("websocket closed")',
        'log-error | app/worker.py:13 | lambda_handler | logger.error("bad message: %s", record["messageId"])',
        'throw | app/worker.py:19 | process | raise ValueError("message without id")',
      ]);
      assert.deepEqual(map.problems, []);
    });
  });

  describe('Django and Django REST framework (py-django)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('py-django'));
    });

    it('follows include() by string, by module, inline lists and router.urls; reads views, ViewSets and actions', () => {
      const expected = [
        'GET / | mysite/urls.py:16 | home | mysite/views.py:7',
        'ANY /admin/{*} | mysite/urls.py:17 | admin.site.urls | -',
        'ANY /archive/{year} | mysite/urls.py:21 | legacy_archive | mysite/views.py:11',
        // include("blog.urls"): generic class views, a View with get/post, a @require_http_methods view, TemplateView
        'GET /blog | blog/urls.py:9 | ArticleListView.get | blog/views.py:14',
        'GET /blog/{slug} | blog/urls.py:10 | ArticleDetailView.get | blog/views.py:19',
        'GET /blog/{pk}/edit | blog/urls.py:11 | ArticleEditView.get | blog/views.py:25',
        'POST /blog/{pk}/edit | blog/urls.py:11 | ArticleEditView.post | blog/views.py:29',
        'POST /blog/{pk}/comments | blog/urls.py:12 | add_comment | blog/views.py:40',
        'GET /blog/about | blog/urls.py:13 | TemplateView | -',
        'ANY /blog/feed | blog/urls.py:17 | feed | blog/views.py:48',
        // urlpatterns += [...] in the root URLconf: included earlier by blog.urls, so it never answers
        'GET /blog/about | mysite/urls.py:25 | about_legacy | mysite/views.py:18 | shadowed',
        // include(accounts_urls): an APIView, a CreateView, an @api_view function, an inline include([...])
        'GET /accounts/profile | accounts/urls.py:7 | ProfileView.get | accounts/views.py:11',
        'PUT /accounts/profile | accounts/urls.py:7 | ProfileView.put | accounts/views.py:14',
        'GET /accounts/signup | accounts/urls.py:8 | SignupView.get | accounts/views.py:20',
        'POST /accounts/signup | accounts/urls.py:8 | SignupView.post | accounts/views.py:20',
        'GET /accounts/me | accounts/urls.py:9 | me | accounts/views.py:27',
        'PATCH /accounts/me | accounts/urls.py:9 | me | accounts/views.py:27',
        'ANY /accounts/v1/status | accounts/urls.py:11 | status | accounts/views.py:31',
        // DefaultRouter: API root, ModelViewSet with lookup_field = "slug", @action routes, @publish.mapping.delete
        'GET /api | mysite/urls.py:11 | DefaultRouter.APIRootView | -',
        'GET /api/articles | mysite/urls.py:12 | ArticleViewSet.list | blog/api.py:13',
        'POST /api/articles | mysite/urls.py:12 | ArticleViewSet.create | blog/api.py:13',
        'GET /api/articles/most-recent | mysite/urls.py:12 | ArticleViewSet.recent | blog/api.py:35',
        'GET /api/articles/{slug} | mysite/urls.py:12 | ArticleViewSet.retrieve | blog/api.py:13',
        'PUT /api/articles/{slug} | mysite/urls.py:12 | ArticleViewSet.update | blog/api.py:13',
        'PATCH /api/articles/{slug} | mysite/urls.py:12 | ArticleViewSet.partial_update | blog/api.py:13',
        'DELETE /api/articles/{slug} | mysite/urls.py:12 | ArticleViewSet.destroy | blog/api.py:13',
        'POST /api/articles/{slug}/publish | mysite/urls.py:12 | ArticleViewSet.publish | blog/api.py:19',
        'DELETE /api/articles/{slug}/publish | mysite/urls.py:12 | ArticleViewSet.unpublish | blog/api.py:28',
        // mixins: list (overridden in the class) and retrieve (the framework's: points at the class)
        'GET /api/comments | mysite/urls.py:13 | CommentViewSet.list | blog/api.py:50',
        'GET /api/comments/{pk} | mysite/urls.py:13 | CommentViewSet.retrieve | blog/api.py:46',
      ];
      assert.deepEqual(rows(map, 'http'), [...expected].sort());
    });

    it('labels DRF routes drf and plain Django routes django', () => {
      assert.equal(find(map, 'GET', '/api/articles').framework, 'drf');
      assert.equal(find(map, 'PUT', '/accounts/profile').framework, 'drf');
      assert.equal(find(map, 'PATCH', '/accounts/me').framework, 'drf');
      assert.equal(find(map, 'GET', '/blog/{slug}').framework, 'django');
      assert.equal(find(map, 'ANY', '/archive/{year}').routeAsWritten, '^archive/(?P<year>[0-9]{4})/$');
      assert.equal(find(map, 'GET', '/blog/{slug}').routeAsWritten, '<slug:slug>/');
    });

    it('finds manage.py main, the WSGI application and a Celery task', () => {
      assert.deepEqual(rows(map, 'entry'), ['bootstrap | mysite/wsgi.py:7 | application = get_wsgi_application() | django', 'main | manage.py:17 | main | django', 'worker | blog/tasks.py:7 | publish_scheduled | celery']);
    });

    it('finds Http404, DRF exceptions, error responses and an except that only comments and passes', () => {
      assert.deepEqual(rows(map, 'error'), [
        'catch | blog/views.py:32 | post | except Article.DoesNotExist: …',
        'catch | blog/views.py:51 | feed | except Exception: …',
        'catch | manage.py:12 | main | except ImportError as exc: …',
        'http-error | accounts/views.py:16 | put | raise NotAuthenticated()',
        'http-error | blog/api.py:22 | publish | Response({"detail": "already published"}, status=status.HTTP_409_CONFLICT)',
        'http-error | blog/views.py:33 | post | raise Http404("no such article")',
        'http-error | blog/views.py:43 | add_comment | JsonResponse({"error": "empty comment"}, status=400)',
        'http-error | mysite/views.py:13 | legacy_archive | HttpResponse("gone", status=410)',
        'log-error | blog/views.py:52 | feed | logger.exception("feed failed")',
        'swallow | blog/api.py:38 | recent | except Article.DoesNotExist: …',
        'throw | manage.py:13 | main | raise ImportError("Couldn\'t import Django. Is it installed?") from exc',
      ]);
      assert.deepEqual(map.problems, []);
    });
  });

  describe('gRPC (py-grpc)', () => {
    let map: WireMap;
    before(async () => {
      map = await scanTree(fixture('py-grpc'));
    });

    it('links the Servicer subclass to the .proto RPCs; an unimplemented service stays on the proto', () => {
      assert.deepEqual(rows(map, 'grpc'), [
        'GRPC /blog.v1.ArticleService/CreateArticle | server/services/articles.py:24 | ArticleService.CreateArticle | server/services/articles.py:24',
        'GRPC /blog.v1.ArticleService/GetArticle | server/services/articles.py:14 | ArticleService.GetArticle | server/services/articles.py:14',
        'GRPC /blog.v1.ArticleService/ListArticles | server/services/articles.py:20 | ArticleService.ListArticles | server/services/articles.py:20',
        'GRPC /blog.v1.HealthService/Check | protos/article.proto:12 | - | -',
      ]);
      const get = map.records.find((r) => r.kind === 'grpc' && r.routeAsWritten === 'GetArticle');
      assert.equal(get?.handlerEndLine, 18);
    });

    it('finds the servicer registration, server.start() and the __main__ guard', () => {
      assert.deepEqual(rows(map, 'entry'), [
        'bootstrap | server/main.py:12 | article_pb2_grpc.add_ArticleServiceServicer_to_server(ArticleService(store={}),… | grpc',
        'listen | server/main.py:14 | server.start() | grpc',
        'main | server/main.py:19 | if __name__ == "__main__": … | python',
      ]);
    });

    it('finds context.abort, set_code with an error status, and the re-raise in an except block', () => {
      assert.deepEqual(rows(map, 'error'), [
        'catch | server/services/articles.py:31 | CreateArticle | except KeyError: …',
        'http-error | server/services/articles.py:17 | GetArticle | context.abort(grpc.StatusCode.NOT_FOUND, f"article {request.id} not found")',
        'http-error | server/services/articles.py:26 | CreateArticle | context.set_code(grpc.StatusCode.INVALID_ARGUMENT)',
        'log-error | server/services/articles.py:32 | CreateArticle | logger.exception("could not save article")',
        'throw | server/services/articles.py:33 | CreateArticle | raise',
      ]);
    });
  });

  describe('modules', () => {
    const files = new Set([
      'svc/pyproject.toml',
      'svc/app/__init__.py',
      'svc/app/main.py',
      'svc/app/routers/__init__.py',
      'svc/app/routers/items.py',
      'svc/app/api.py',
      'svc/src/lib/util.py',
      'tools/shared.py',
      'scripts/run.py',
      'scripts/helpers.py',
    ]);
    const project: ProjectView = {
      has: (f) => files.has(f),
      filesIn: (d) => [...files].filter((f) => f.slice(0, Math.max(0, f.lastIndexOf('/'))) === d),
      serviceRootOf: (f) => (f.startsWith('svc/') ? 'svc' : ''),
      read: () => undefined,
    };
    const resolve = (from: string, module: string): readonly string[] => pythonSupport.resolveModule?.(from, module, project) ?? [];

    it('resolves relative modules from the importing package, a/b.py before a/b/__init__.py', () => {
      assert.deepEqual(resolve('svc/app/main.py', '.routers'), ['svc/app/routers/__init__.py']);
      assert.deepEqual(resolve('svc/app/main.py', '.routers.items'), ['svc/app/routers/items.py']);
      assert.deepEqual(resolve('svc/app/routers/items.py', '..api'), ['svc/app/api.py']);
      assert.deepEqual(resolve('svc/app/routers/items.py', '.'), ['svc/app/routers/__init__.py']);
      assert.deepEqual(resolve('svc/app/main.py', '....outside'), []);
    });

    it('resolves absolute modules from the package root, the service root, its src/ and the workspace root', () => {
      assert.deepEqual(resolve('svc/app/routers/items.py', 'app.api'), ['svc/app/api.py']);
      assert.deepEqual(resolve('svc/app/main.py', 'lib.util'), ['svc/src/lib/util.py']);
      assert.deepEqual(resolve('svc/app/main.py', 'tools.shared'), ['tools/shared.py']);
      assert.deepEqual(resolve('scripts/run.py', 'helpers'), ['scripts/helpers.py']);
      assert.deepEqual(resolve('svc/app/main.py', 'fastapi'), []);
    });

    it('names submodules with relative dots kept', () => {
      assert.equal(pythonSupport.submodule?.('.routers', 'items'), '.routers.items');
      assert.equal(pythonSupport.submodule?.('.', 'views'), '.views');
      assert.equal(pythonSupport.submodule?.('..', 'api'), '..api');
      assert.equal(pythonSupport.submodule?.('app.api', 'deps'), 'app.api.deps');
    });
  });

  describe('interesting()', () => {
    it('keeps route, handler, gRPC and entry files, and skips plain model and utility files', () => {
      const yes = (text: string, file = 'x.py'): boolean => pythonSupport.interesting(text, file);
      assert.ok(yes('from flask import Blueprint\nbp = Blueprint("a", __name__)'));
      assert.ok(yes('from fastapi import Depends\n\ndef read(db = Depends(get_db)):\n    ...'));
      assert.ok(yes('def article_detail(request, pk):\n    return render(request, "x.html")'));
      assert.ok(yes('class ArticleService(article_pb2_grpc.ArticleServiceServicer):\n    pass'));
      assert.ok(yes('def lambda_handler(event, context):\n    return {}'));
      assert.ok(yes('from .views import router\n', 'app/api/__init__.py'));
      assert.ok(!yes('from django.db import models\n\nclass Article(models.Model):\n    title = models.CharField(max_length=200)'));
      assert.ok(!yes('import math\n\ndef slugify(text):\n    return text.lower().replace(" ", "-")'));
    });

    it('takes a function that receives the request first, not a call that passes one', () => {
      const yes = (text: string): boolean => pythonSupport.interesting(text, 'x.py');
      assert.ok(yes('class Detail(View):\n    async def get(self, request: HttpRequest, pk: int):\n        ...'));
      assert.ok(yes('class Detail(View):\n    def post(\n        self,\n        request,\n        *args,\n    ):\n        ...'));
      assert.ok(yes('async def health(request):\n    return JSONResponse({})'));
      // HTTP client code: calls with the request first, as in any SDK (the old substring test parsed these).
      assert.ok(!yes('class Client:\n    def send(self, prepared):\n        return self.session.send(request)'));
      assert.ok(!yes('def call(api, request_id):\n    response = api.execute(request)\n    return _parse(request_id, response)'));
    });
  });

  describe('Django views named urls, and view instances (shapes from hyperkitty)', () => {
    let root = '';
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-py-django-'));
      const write = (rel: string, lines: string[]): void => writeIn(root, rel, lines);
      write('requirements.txt', ['django']);
      write('mysite/__init__.py', []);
      write('mysite/views/__init__.py', []);
      write('mysite/views/mailman.py', ['from django.http import JsonResponse', '', '', 'def urls(request):', '    return JsonResponse({})']);
      write('mysite/feeds.py', ['from django.contrib.syndication.views import Feed', '', '', 'class LatestFeed(Feed):', '    title = "Latest"']);
      write('mysite/urls.py', [
        'from django.contrib import admin',
        'from django.urls import path',
        'from django.views.decorators.cache import cache_page',
        '',
        'from mysite.feeds import LatestFeed',
        'from mysite.views import mailman',
        '',
        'urlpatterns = [',
        "    path('api/mailman/urls', mailman.urls, name='mailman_urls'),",
        "    path('feed/', cache_page(60)(LatestFeed()), name='feed'),",
        "    path('latest/', LatestFeed(), name='latest'),",
        "    path('admin/', admin.site.urls),",
        ']',
      ]);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('lists a view called urls as a view, and a Feed() instance with its class as the handler', async () => {
      const map = await scanTree(root);
      assert.deepEqual(rows(map, 'http'), [
        'ANY /admin/{*} | mysite/urls.py:12 | admin.site.urls | -',
        'ANY /api/mailman/urls | mysite/urls.py:9 | urls | mysite/views/mailman.py:4',
        'ANY /feed | mysite/urls.py:10 | LatestFeed | mysite/feeds.py:4',
        'ANY /latest | mysite/urls.py:11 | LatestFeed | mysite/feeds.py:4',
      ]);
      assert.deepEqual(map.problems, []);
    });
  });

  describe('test doubles are not routes', () => {
    let root = '';
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-py-mock-'));
      fs.mkdirSync(path.join(root, 'app'));
      fs.mkdirSync(path.join(root, 'tests'));
      fs.writeFileSync(path.join(root, 'requirements.txt'), 'flask\n');
      fs.writeFileSync(path.join(root, 'app', 'main.py'), ['from flask import Flask', '', 'app = Flask(__name__)', '', '', "@app.patch('/items/<int:item_id>')", 'def update_item(item_id):', '    return {}', ''].join('\n'));
      // A test module's base class (not named like a test, so it is read): patch decorators have a route decorator's shape.
      fs.writeFileSync(
        path.join(root, 'tests', 'base.py'),
        [
          'import unittest',
          'from unittest import mock',
          'from unittest.mock import patch',
          'import flask',
          '',
          '',
          'class UpdateTest(unittest.TestCase):',
          "    @mock.patch('time.sleep')",
          "    @patch('app.main.update_item')",
          "    @mock.patch.object(flask.Flask, 'run')",
          '    def test_update(self, run, update, sleep):',
          '        pass',
          '',
          '',
          "if __name__ == '__main__':",
          '    unittest.main()',
          '',
        ].join('\n'),
      );
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('lists the app\'s PATCH route and none of mock.patch / patch / patch.object', async () => {
      const map = await scanTree(root);
      assert.deepEqual(rows(map, 'http'), ['PATCH /items/{item_id} | app/main.py:6 | update_item | app/main.py:7']);
      // The module was read (its entry point is listed), so its decorators were seen and refused.
      assert.ok(map.records.some((r) => r.kind === 'entry' && r.file === 'tests/base.py'), JSON.stringify(map.records.map((r) => [r.kind, r.file])));
    });

    it('does not read test modules at all (test_*.py, conftest.py): their apps and mains are not the service\'s', async () => {
      fs.writeFileSync(path.join(root, 'tests', 'test_api.py'), ['from flask import Flask', 'app = Flask(__name__)', '', "@app.get('/only-in-a-test')", 'def probe():', '    return {}', '', "if __name__ == '__main__':", '    app.run()', ''].join('\n'));
      fs.writeFileSync(path.join(root, 'tests', 'conftest.py'), ['import uvicorn', '', "if __name__ == '__main__':", '    uvicorn.run(\'app.main:app\')', ''].join('\n'));
      try {
        const map = await scanTree(root);
        assert.deepEqual(rows(map, 'http'), ['PATCH /items/{item_id} | app/main.py:6 | update_item | app/main.py:7']);
        assert.deepEqual(map.records.filter((r) => r.file.startsWith('tests/test_') || r.file === 'tests/conftest.py'), []);
      } finally {
        fs.rmSync(path.join(root, 'tests', 'test_api.py'));
        fs.rmSync(path.join(root, 'tests', 'conftest.py'));
      }
    });
  });
});
