import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { rubySupport } from '../../../src/core/wire/languages/ruby';
import type { WireMap, WireRecord } from '../../../src/core/wire/model';
import { scanTree, WireIndex } from '../../../src/core/wire/scan';
import { matchRoutes, normalizePath } from '../../../src/core/wire/routes';
import { repoRoot } from '../helpers';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'wire', name);

/** One HTTP record as `METHOD route | file:line | handler | handlerFile:handlerLine` (+ ` | shadowed`). */
function httpRow(r: WireRecord): string {
  const where = r.handlerFile ? `${r.handlerFile}:${r.handlerLine}` : '-';
  return `${r.method} ${r.route} | ${r.file}:${r.line} | ${r.handler ?? '-'} | ${where}${r.shadowed ? ' | shadowed' : ''}`;
}

const rows = (map: WireMap, kind: WireRecord['kind']): string[] =>
  map.records
    .filter((r) => r.kind === kind)
    .map(kind === 'http' || kind === 'grpc' ? httpRow : (r) => `${r.detail} | ${r.file}:${r.line} | ${r.kind === 'error' ? r.function : r.handler} | ${r.text}`)
    .sort();

describe('wire: Ruby on Rails', () => {
  let map: WireMap;
  before(async () => {
    map = await scanTree(fixture('ruby-rails'));
  });

  it('lists every route of config/routes.rb and its draw files with the controller action that handles it', () => {
    const c = 'app/controllers/';
    const expected = [
      `GET / | config/routes.rb:4 | PagesController#home | ${c}pages_controller.rb:2`,
      `GET /up | config/routes.rb:5 | HealthController#show | ${c}health_controller.rb:2`,
      // loop over a literal list
      `GET /about | config/routes.rb:7 | PagesController#about | ${c}pages_controller.rb:6`,
      `GET /contact | config/routes.rb:7 | PagesController#contact | ${c}pages_controller.rb:8`,
      // concern :commentable, drawn inside resources :articles
      `GET /articles/{article_id}/comments | config/routes.rb:11 | CommentsController#index | ${c}comments_controller.rb:2`,
      `POST /articles/{article_id}/comments | config/routes.rb:11 | CommentsController#create | ${c}comments_controller.rb:6`,
      // resources :articles, except: %i[new edit]
      `GET /articles | config/routes.rb:14 | ArticlesController#index | ${c}articles_controller.rb:4`,
      `POST /articles | config/routes.rb:14 | ArticlesController#create | ${c}articles_controller.rb:13`,
      `GET /articles/{id} | config/routes.rb:14 | ArticlesController#show | ${c}articles_controller.rb:9`,
      `PATCH /articles/{id} | config/routes.rb:14 | ArticlesController#update | ${c}articles_controller.rb:22`,
      `PUT /articles/{id} | config/routes.rb:14 | ArticlesController#update | ${c}articles_controller.rb:22`,
      `DELETE /articles/{id} | config/routes.rb:14 | ArticlesController#destroy | ${c}articles_controller.rb:27`,
      `POST /articles/{id}/publish | config/routes.rb:16 | ArticlesController#publish | ${c}articles_controller.rb:32`,
      `GET /articles/search | config/routes.rb:18 | ArticlesController#search | ${c}articles_controller.rb:40`,
      `POST /articles/{article_id}/likes | config/routes.rb:19 | LikesController#create | ${c}likes_controller.rb:2`,
      // singular resource → plural controller
      `GET /profile | config/routes.rb:22 | ProfilesController#show | ${c}profiles_controller.rb:2`,
      `PATCH /profile | config/routes.rb:22 | ProfilesController#update | ${c}profiles_controller.rb:6`,
      `PUT /profile | config/routes.rb:22 | ProfilesController#update | ${c}profiles_controller.rb:6`,
      // namespace :api { namespace :v1 { … } }: module nesting in the controller files
      `GET /api/v1/articles | config/routes.rb:26 | Api::V1::ArticlesController#index | ${c}api/v1/articles_controller.rb:4`,
      `GET /api/v1/articles/{id} | config/routes.rb:26 | Api::V1::ArticlesController#show | ${c}api/v1/articles_controller.rb:8`,
      `GET /api/v1/articles/{article_id}/comments | config/routes.rb:27 | Api::V1::ArticleCommentsController#index | ${c}api/v1/article_comments_controller.rb:2`,
      `GET /api/v1/status | config/routes.rb:29 | Api::V1::StatusController#show | ${c}api/v1/status_controller.rb:4`,
      `POST /api/v1/webhooks/{provider} | config/routes.rb:30 | Api::V1::WebhooksController#receive | ${c}api/v1/webhooks_controller.rb:4`,
      `PUT /api/v1/webhooks/{provider} | config/routes.rb:30 | Api::V1::WebhooksController#receive | ${c}api/v1/webhooks_controller.rb:4`,
      // scope '/admin', module: 'admin'
      `GET /admin/users | config/routes.rb:35 | Admin::UsersController#index | ${c}admin/users_controller.rb:2`,
      `DELETE /admin/users/{id} | config/routes.rb:35 | Admin::UsersController#destroy | ${c}admin/users_controller.rb:6`,
      // draw :reports inside that scope: routes in config/routes/reports.rb get its path and module
      `GET /admin/reports | config/routes/reports.rb:2 | Admin::ReportsController#index | ${c}admin/reports_controller.rb:3`,
      `GET /admin/reports/{id} | config/routes/reports.rb:2 | Admin::ReportsController#show | ${c}admin/reports_controller.rb:7`,
      `GET /admin/reports/{id}/download | config/routes/reports.rb:3 | Admin::ReportsController#download | ${c}admin/reports_controller.rb:11`,
      // scope ':locale' with a glob and an optional format
      `GET /{locale}/docs/{*section} | config/routes.rb:40 | DocsController#show | ${c}docs_controller.rb:2`,
      // controller :sessions do … end
      `GET /login | config/routes.rb:44 | SessionsController#new | ${c}sessions_controller.rb:2`,
      `POST /login | config/routes.rb:45 | SessionsController#create | ${c}sessions_controller.rb:4`,
      `DELETE /logout | config/routes.rb:46 | SessionsController#destroy | ${c}sessions_controller.rb:14`,
      `ANY /sidekiq/{*} | config/routes.rb:49 | Sidekiq::Web | -`,
      // a Sinatra app mounted in Rails: its catch-all, and its own routes under the mount path
      `ANY /status/{*} | config/routes.rb:50 | StatusApp | -`,
      'GET /status/ping | lib/status_app.rb:5 | <anonymous> | lib/status_app.rb:5',
      `GET /articles/{id} | config/routes.rb:53 | ArticlesController#legacy_show | ${c}articles_controller.rb:46 | shadowed`,
      // actions that are aliases of others: alias_method :preview, :show and alias feed index
      `GET /articles/{id}/preview | config/routes.rb:54 | ArticlesController#preview | ${c}articles_controller.rb:9`,
      `GET /feed | config/routes.rb:55 | ArticlesController#feed | ${c}articles_controller.rb:4`,
    ];
    assert.deepEqual(rows(map, 'http'), [...expected].sort());
  });

  it('gives handlers the end line of the action, so error paths attach to it', () => {
    const show = map.records.find((r) => r.kind === 'http' && r.route === '/up');
    assert.equal(show?.handlerEndLine, 8);
    assert.equal(show?.framework, 'rails');
    assert.equal(show?.routeAsWritten, '/up');
  });

  it('finds the boot entries', () => {
    assert.deepEqual(rows(map, 'entry'), [
      'bootstrap | config.ru:5 | run Rails.application | run Rails.application',
      'bootstrap | config/application.rb:8 | Blog::Application | Blog::Application',
      'bootstrap | config/environment.rb:5 | Rails.application.initialize! | Rails.application.initialize!',
      'worker | app/jobs/cleanup_job.rb:4 | CleanupJob.perform | CleanupJob.perform',
    ]);
  });

  it('finds raise, rescue (kept and swallowed), error statuses and error logging inside functions', () => {
    const errors = rows(map, 'error');
    for (const e of [
      'throw | app/controllers/articles_controller.rb:33 | publish | raise ArgumentError, \'already published\'',
      'swallow | app/controllers/articles_controller.rb:36 | publish | PublishNotifier.call(@article) rescue nil',
      'http-error | app/controllers/articles_controller.rb:18 | create | render json: @article.errors, status: :unprocessable_entity',
      'http-error | app/controllers/articles_controller.rb:41 | search | head :bad_request',
      'http-error | app/controllers/profiles_controller.rb:7 | update | head(:unauthorized)',
      'http-error | app/controllers/api/v1/base_controller.rb:9 | not_found | render json: { error: \'not found\' }, status: 404',
      'catch | app/controllers/health_controller.rb:5 | show | rescue StandardError => e …',
      'log-error | app/controllers/health_controller.rb:6 | show | logger.error "health check failed: #{e.message}"',
      'swallow | app/controllers/application_controller.rb:11 | current_user | rescue ActiveRecord::RecordNotFound',
      'swallow | app/controllers/api/v1/webhooks_controller.rb:7 | receive | rescue JSON::ParserError …',
      // a class-level block acts as a function
      'log-error | app/controllers/application_controller.rb:3 | rescue_from | Rails.logger.error("not found: #{e.message}")',
      'log-error | app/controllers/admin/reports_controller.rb:15 | download | Rails.logger.error("report #{params[:id]} not ready: #{e.message}")',
    ]) {
      assert.ok(errors.includes(e), `missing error: ${e}\n${errors.join('\n')}`);
    }
    // 2xx/3xx responses are not errors
    assert.ok(!errors.some((e) => e.includes('head :no_content') || e.includes(':moved_permanently') || e.includes('status: :created')));
  });

  it('reports nothing it could not read', () => {
    assert.deepEqual(map.problems, []);
  });
});

describe('wire: Ruby Sinatra', () => {
  let map: WireMap;
  before(async () => {
    map = await scanTree(fixture('ruby-sinatra'));
  });

  it('composes routes across files: namespaces, extensions, `use`d apps and config.ru `map`', () => {
    assert.deepEqual(rows(map, 'http'), [
      'GET / | app.rb:12 | <anonymous> | app.rb:12',
      'GET / | app.rb:37 | <anonymous> | app.rb:37 | shadowed',
      'GET /api/v1/users/{id} | app.rb:17 | <anonymous> | app.rb:17',
      'DELETE /api/v1/admin/users/{id} | app.rb:24 | <anonymous> | app.rb:24',
      // `register Routes::Articles` → `def self.registered(app)` in lib/routes/articles.rb
      'GET /articles | lib/routes/articles.rb:5 | <anonymous> | lib/routes/articles.rb:5',
      'GET /articles/{id} | lib/routes/articles.rb:9 | <anonymous> | lib/routes/articles.rb:9',
      'POST /articles | lib/routes/articles.rb:16 | <anonymous> | lib/routes/articles.rb:16',
      'GET /articles/draft | lib/routes/articles.rb:24 | <anonymous> | lib/routes/articles.rb:24',
      'GET /articles/published | lib/routes/articles.rb:24 | <anonymous> | lib/routes/articles.rb:24',
      // `use StatsApp` in BlogApp
      'GET /stats | lib/stats_app.rb:5 | <anonymous> | lib/stats_app.rb:5',
      // `map '/admin' do run AdminApp end` in config.ru
      'GET /admin/dashboard | lib/admin_app.rb:9 | <anonymous> | lib/admin_app.rb:9',
      'POST /admin/reindex/{index} | lib/admin_app.rb:13 | <anonymous> | lib/admin_app.rb:13',
    ].sort());
    const r = map.records.find((x) => x.route === '/articles/{id}');
    assert.equal(r?.handlerEndLine, 14);
    assert.equal(r?.routeAsWritten, '/articles/:id');
  });

  it('finds entries and error exits, naming route blocks by their route', () => {
    assert.deepEqual(rows(map, 'entry'), ['bootstrap | config.ru:8 | run BlogApp | run BlogApp', 'listen | app.rb:41 | run! | run!']);
    const errors = rows(map, 'error');
    for (const e of [
      "http-error | app.rb:19 | GET /api/v1/users/:id | halt 404, { error: 'no such user' }.to_json",
      'http-error | app.rb:33 | error | status 503',
      "log-error | app.rb:32 | error | logger.error env['sinatra.error'].message",
      'throw | lib/routes/articles.rb:11 | GET /articles/:id | raise Sinatra::NotFound',
      'catch | lib/routes/articles.rb:19 | POST /articles | rescue JSON::ParserError …',
      'http-error | lib/routes/articles.rb:20 | POST /articles | halt 400',
      'swallow | lib/stats_app.rb:7 | GET /stats | rescue StandardError …',
      "http-error | lib/admin_app.rb:6 | before | halt 401",
    ]) {
      assert.ok(errors.includes(e), `missing error: ${e}\n${errors.join('\n')}`);
    }
  });
});

describe('wire: Ruby gRPC', () => {
  let map: WireMap;
  before(async () => {
    map = await scanTree(fixture('ruby-grpc'));
  });

  it('links service classes (grpc and gruf) to the .proto RPCs; unimplemented RPCs stay on the proto', () => {
    assert.deepEqual(rows(map, 'grpc'), [
      'GRPC /articles.v1.ArticleService/GetArticle | app/services/article_server.rb:5 | ArticleServer.get_article | app/services/article_server.rb:5',
      'GRPC /articles.v1.ArticleService/ListArticles | app/services/article_server.rb:12 | ArticleServer.list_articles | app/services/article_server.rb:12',
      'GRPC /articles.v1.CommentService/ListComments | app/rpc/comments_controller.rb:5 | CommentsController.list_comments | app/rpc/comments_controller.rb:5',
      'GRPC /articles.v1.ArticleService/DeleteArticle | proto/articles.proto:8 | - | -',
    ].sort());
    const get = map.records.find((r) => r.route === '/articles.v1.ArticleService/GetArticle');
    assert.equal(get?.handlerEndLine, 10);
    // the generated *_services_pb.rb stub is not an implementation
    assert.ok(!map.records.some((r) => r.file.endsWith('_services_pb.rb')));
  });

  it('finds the server bootstrap, the script main and the Lambda handler', () => {
    assert.deepEqual(rows(map, 'entry'), [
      'bootstrap | bin/grpc_server.rb:6 | GRPC::RpcServer.new | GRPC::RpcServer.new',
      "listen | bin/grpc_server.rb:9 | server.run_till_terminated_or_interrupted([1, 'int', 'SIGTERM']) | server.run_till_terminated_or_interrupted([1, 'int', 'SIGTERM'])",
      'main | bin/grpc_server.rb:12 | main if __FILE__ == $PROGRAM_NAME | main if __FILE__ == $PROGRAM_NAME',
      'serverless | lambda/export_handler.rb:4 | handler | handler',
    ]);
    const errors = rows(map, 'error');
    assert.ok(errors.includes('throw | app/services/article_server.rb:7 | get_article | raise GRPC::NotFound, "article #{req.id} not found"'), errors.join('\n'));
    assert.ok(errors.includes("throw | app/rpc/comments_controller.rb:9 | list_comments | fail!(:internal, :comments_unavailable, 'comments are unavailable')"), errors.join('\n'));
    assert.ok(errors.includes('log-error | app/services/article_server.rb:16 | list_articles | GRPC.logger.error("list_articles timed out: #{e.message}")'), errors.join('\n'));
  });
});

describe('wire: Ruby reader details', () => {
  const read = async (file: string, text: string) => {
    const index = new WireIndex(repoRoot);
    try {
      return await index.factsFor(file, text);
    } finally {
      index.dispose();
    }
  };

  it('keeps a trailing optional glob as a catch-all, trailing optional parameters as optional, and leaves out other optional groups (Redmine\'s routes)', async () => {
    const facts = await read(
      'config/routes.rb',
      [
        'Rails.application.routes.draw do',
        '  %w(browse raw).each do |action|',
        '    get "projects/:id/repository/#{action}(/*path)", controller: "repositories", action: action, format: "html"',
        '  end',
        "  get 'projects/:id/repository/diff(/*path)(.:format)', to: 'repositories#diff'",
        "  get 'photos(/:page)(.:format)', to: 'photos#index'",
        "  get 'archive(/:year(/:month))', to: 'archive#index'",
        "  get 'books(/:lang)/list', to: 'books#index'",
        '  resources :projects do',
        '    member do',
        "      get 'settings(/:tab)', action: 'settings'",
        '    end',
        '  end',
        'end',
      ].join('\n'),
    );
    assert.deepEqual(
      facts?.routes.filter((r) => r.path.includes('(') || !/projects\/:id$|projects(\/new|\/:id\/edit)?$/.test(r.path)).map((r) => `${r.method} ${normalizePath(r.path, r.style)}`),
      [
        'GET /projects/{id}/repository/browse/{*path}',
        'GET /projects/{id}/repository/raw/{*path}',
        'GET /projects/{id}/repository/diff/{*path}',
        'GET /photos/{page?}',
        'GET /archive/{year?}/{month?}',
        'GET /books/list',
        'GET /projects/{id}/settings/{tab?}',
      ],
    );
    // A URL from a log finds the route with or without its optional parameters (Redmine's project settings tabs).
    const settings = [{ route: '/projects/{id}/settings/{tab?}' }];
    assert.deepEqual(matchRoutes(settings, '/projects/redmine/settings/members')[0]?.params, { id: 'redmine', tab: 'members' });
    assert.deepEqual(matchRoutes(settings, '/projects/redmine/settings')[0]?.params, { id: 'redmine' });
    assert.equal(matchRoutes(settings, '/projects/redmine/settings/members/2').length, 0);
    assert.equal(matchRoutes([{ route: '/archive/{year?}/{month?}' }], '/archive/2024/05')[0]?.score, 2 + 1 + 1);
    assert.equal(matchRoutes([{ route: '/projects/{id}/repository/browse/{*path}' }], '/projects/redmine/repository/browse').length, 1);
    assert.equal(matchRoutes([{ route: '/projects/{id}/repository/browse/{*path}' }], '/projects/redmine/repository/browse/app/models/user.rb').length, 1);
  });

  it('warns about routes it cannot list instead of guessing', async () => {
    const facts = await read(
      'config/routes.rb',
      ['Rails.application.routes.draw do', '  get "#{PREFIX}/x", to: "a#b"', '  SECTIONS.each { |s| resources s }', "  resources :articles, only: [:index]", 'end'].join('\n'),
    );
    assert.deepEqual(
      facts?.warnings.map((w) => w.line),
      [2, 3],
    );
    assert.equal(facts?.routes.length, 1);
  });

  it('draws shallow nesting, classic Sinatra apps and bare raise; warns about Devise and Grape', async () => {
    const routes = await read(
      'config/routes.rb',
      ['Rails.application.routes.draw do', '  devise_for :users', '  resources :articles do', '    resources :comments, only: %i[index show], shallow: true', '  end', 'end'].join('\n'),
    );
    assert.deepEqual(
      routes?.routes.filter((r) => r.path.includes('comments')).map((r) => `${r.method} ${r.path}`),
      ['GET /articles/:article_id/comments', 'GET /comments/:id'],
    );
    assert.deepEqual(routes?.warnings.map((w) => w.line), [2]);

    const classic = await read('app.rb', ["require 'sinatra'", '', "get '/hi' do", '  raise', 'end'].join('\n'));
    assert.deepEqual(classic?.routes.map((r) => `${r.method} ${r.path} ${r.router?.kind === 'local' ? r.router.name : ''}`), ['GET /hi Sinatra::Application']);
    assert.deepEqual(classic?.entries.map((e) => e.detail), ['bootstrap']);
    assert.deepEqual(classic?.errors.map((e) => `${e.kind} ${e.function} ${e.loc.line}`), ['throw GET /hi 4']);

    const grape = await read('api.rb', ['class API < Grape::API', "  get '/x' do", '  end', 'end'].join('\n'));
    assert.equal(grape?.routes.length, 0);
    assert.equal(grape?.warnings.length, 1);
  });

  it('parses only files that can hold routes, handlers, services or entries', () => {
    assert.equal(rubySupport.interesting('class Article < ApplicationRecord\n  has_many :comments\nend\n', 'app/models/article.rb'), false);
    assert.equal(rubySupport.interesting('class X\nend\n', 'app/controllers/x_controller.rb'), true);
    assert.equal(rubySupport.interesting('run App\n', 'config.ru'), true);
    assert.equal(rubySupport.interesting("class Srv < Pkg::Foo::Service\nend\n", 'lib/srv.rb'), true);
  });
});
