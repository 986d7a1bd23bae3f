import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { composeWire } from '../../../src/core/wire/compose';
import { emptyFacts, type FileFacts } from '../../../src/core/wire/facts';
import type { LanguageSupport, ProjectView } from '../../../src/core/wire/language';
import { readProto } from '../../../src/core/wire/languages/proto';
import type { WireLanguage, WireRecord } from '../../../src/core/wire/model';
import { matchWire, matchWireEnd } from '../../../src/core/wire/match';
import { joinRoute, matchRoutes, normalizePath, paramConstraints, parseUrlPath, routeFromRegex } from '../../../src/core/wire/routes';
import { looksGenerated, walkReaches, walkTree } from '../../../src/core/wire/walk';
import { writeIn } from '../helpers';

describe('wire: route templates', () => {
  it('normalizes every framework parameter syntax to {name}, catch-alls to {*name}', () => {
    assert.equal(normalizePath('/articles/:slug/comments/:id(\\d+)', 'colon'), '/articles/{slug}/comments/{id}');
    assert.equal(normalizePath('/files/*path', 'colon'), '/files/{*path}');
    // Express: parameters after a literal in the same segment, several per segment
    assert.equal(normalizePath('/flights/:from-:to', 'colon'), '/flights/{from}-{to}');
    assert.equal(normalizePath('/plantae/:genus.:species', 'colon'), '/plantae/{genus}.{species}');
    assert.equal(normalizePath('/sitemap-:resource.xml', 'colon'), '/sitemap-{resource}.xml');
    assert.equal(normalizePath('/users/:id{[0-9]{1,6}}/posts/:slug?', 'colon'), '/users/{id}/posts/{slug?}');
    // A whole-segment optional parameter stays optional; one inside a segment is read as required
    assert.equal(normalizePath('/posts/:id(\\d+)?', 'colon'), '/posts/{id?}');
    assert.equal(normalizePath('/photos/:file.:ext?', 'colon'), '/photos/{file}.{ext}');
    assert.equal(normalizePath('/stripe/{event?}', 'brace'), '/stripe/{event?}');
    assert.equal(normalizePath('/api/items/{id:int?}', 'brace'), '/api/items/{id?}');
    assert.equal(normalizePath('/blog/{page<\\d+>?1}', 'brace'), '/blog/{page?}');
    assert.equal(normalizePath('/files/{a}.{b?}', 'brace'), '/files/{a}.{b}');
    assert.deepEqual(
      matchRoutes([{ route: '/users/{id}/posts/{slug?}' }, { route: '/users/{id}/posts' }], '/users/7/posts').map((m) => m.template.route),
      ['/users/{id}/posts', '/users/{id}/posts/{slug?}'],
      'with the optional parameter absent, the template without it comes first',
    );
    assert.deepEqual(matchRoutes([{ route: '/users/{id}/posts/{slug?}' }], '/users/7/posts/hello')[0]?.params, { id: '7', slug: 'hello' });
    assert.deepEqual(matchRoutes([{ route: '/{lang?}/about' }], '/about')[0]?.params, {}, 'an optional parameter before a literal');
    assert.deepEqual(matchRoutes([{ route: '/{lang?}/about' }], '/de/about')[0]?.params, { lang: 'de' });
    assert.equal(normalizePath('/photos/:id(.:format)', 'colon'), '/photos/{id}');
    assert.equal(normalizePath('/schedule/:schedule/:name*?', 'colon'), '/schedule/{schedule}/{name}');
    // Django regex: a quantifier on a group goes with it
    assert.equal(normalizePath('^templates/(?P<pk>[^/]+)?/update$', 'regex'), '/templates/{pk}/update');
    assert.equal(normalizePath('^page/(\\d+){1,3}/$', 'regex'), '/page/{param}');
    // nested groups, from the inside out; JavaScript named groups; an unnamed (.+) is a catch-all
    assert.equal(normalizePath('^(?P<year>\\d{4})/((?:draft|final)-[a-z]+)/$', 'regex'), '/{year}/{param}');
    assert.equal(normalizePath('^\\/nodes\\/((@[^\\/]+\\/)?[^\\/]+)\\/(?<set>[^\\/]+)$', 'regex'), '/nodes/{param}/{set}');
    assert.equal(normalizePath('^\\/locales\\/(.+)\\/?$', 'regex'), '/locales/{*}');
    assert.equal(routeFromRegex('^\\/nodes\\/((@[^\\/]+\\/)?[^\\/]+)$'), '/nodes/{param}');
    // classes outside a group are values too (hyperkitty's list@domain); a bare `.*` at the end is a catch-all
    assert.equal(normalizePath('^list/(?P<list_name>[^@]+)@[^/]+/(?P<year>\\d\\d\\d\\d)-(?P<month_name>\\w+)/?$', 'regex'), '/list/{list_name}@{param}/{year}-{month_name}');
    assert.equal(normalizePath('^export/(?P<filename>[^/]+)\\.mbox.gz$', 'regex'), '/export/{filename}.mbox.gz');
    assert.equal(normalizePath('^page/\\d+/$', 'regex'), '/page/{param}');
    assert.equal(normalizePath('^static/.*$', 'regex'), '/static/{*}');
    assert.equal(routeFromRegex('^\\/files\\/[^\\/]+$'), '/files/{param}');
    assert.equal(matchRoutes([{ route: '/list/{list_name}@{param}/{year}-{month_name}' }], '/list/users@example.com/2024-May').length, 1);
    assert.equal(routeFromRegex('^\\/library\\/([^\\/]+)(?:$|\\/(.*))'), undefined, 'a group inside a segment');
    assert.equal(routeFromRegex('^\\/files\\/(.*)\\/meta$'), undefined, 'a catch-all before the end');
    assert.equal(routeFromRegex('^\\/a[bc]+$'), undefined, 'a character class outside a group');
    assert.equal(matchRoutes([{ route: '/sitemap-{resource}.xml' }], '/sitemap-posts.xml').length, 1);
    assert.equal(normalizePath('/static/*', 'colon'), '/static/{*}');
    assert.equal(normalizePath('/:id/push/?*', 'colon'), '/{id}/push/{*}');
    // what parameters accept beyond one segment: shadowing is claimed only between equal ones
    assert.equal(paramConstraints('/{articleSlug:[a-z-]+}/{id}', 'brace'), '[a-z-]+\u0003');
    assert.equal(paramConstraints('/{articleID}', 'brace'), '');
    assert.equal(paramConstraints('<int:pk>/<slug>/', 'angle'), 'int\u0003');
    assert.equal(paramConstraints('<str:name>/', 'angle'), '');
    assert.equal(paramConstraints('^list/(?P<list_id>[^@/]+)/$', 'regex'), '[^@/]+');
    assert.equal(paramConstraints('/users/:id(\\d+)', 'colon'), '(\\d+)');
    assert.equal(normalizePath('/users/{id:[0-9]+}/posts/{postId}', 'brace'), '/users/{id}/posts/{postId}');
    assert.equal(normalizePath('/files/{path...}', 'brace'), '/files/{*path}');
    assert.equal(normalizePath('/{$}', 'brace'), '/');
    assert.equal(normalizePath('api/items/{id:int}/{*rest}', 'brace'), '/api/items/{id}/{*rest}');
    assert.equal(normalizePath('/user/<int:user_id>/<path:rest>', 'angle'), '/user/{user_id}/{*rest}');
    assert.equal(normalizePath('/page/<slug>/<path..>', 'angle'), '/page/{slug}/{*path}');
    assert.equal(normalizePath('^articles/(?P<slug>[-\\w]+)/(\\d+)/$', 'regex'), '/articles/{slug}/{param}');
    assert.equal(normalizePath('(shop)/products/[id]/[...rest]', 'next'), '/products/{id}/{*rest}');
    assert.equal(normalizePath('docs/[[...slug]]', 'next'), '/docs/{*slug}');
  });

  it('joins prefixes without doubled or missing slashes', () => {
    assert.equal(joinRoute('/api/', '/v1', 'articles/'), '/api/v1/articles');
    assert.equal(joinRoute('', '/'), '/');
    assert.equal(joinRoute('/', ''), '/');
  });

  it('matches a concrete path to the most specific template', () => {
    const t = [
      { route: '/api/articles/{slug}', method: 'GET', id: 1 },
      { route: '/api/articles/feed', method: 'GET', id: 2 },
      { route: '/api/articles/{slug}/comments/{id}', method: 'DELETE', id: 3 },
      { route: '/api/articles/{slug}/comments/{id}', method: 'GET', id: 4 },
      { route: '/static/{*path}', method: 'GET', id: 5 },
    ];
    assert.equal(matchRoutes(t, '/api/articles/feed')[0]?.template.id, 2);
    const m = matchRoutes(t, '/api/articles/how-to/comments/3');
    assert.equal(m.length, 2);
    assert.deepEqual(m[0]?.params, { slug: 'how-to', id: '3' });
    assert.equal(matchRoutes(t, '/api/articles/how-to/comments/3', 'DELETE')[0]?.template.id, 3);
    assert.equal(matchRoutes(t, '/static/css/site.css')[0]?.template.id, 5);
    assert.deepEqual(matchRoutes(t, '/static/css/site.css')[0]?.params, { path: 'css/site.css' });
    assert.equal(matchRoutes(t, '/api/users').length, 0);
  });

  it('when no route is the whole path, finds those that match its end, after the fewest leading segments', () => {
    const rec = (method: string, route: string): WireRecord => ({ kind: 'http', method, route, file: 'a.js', line: 1, column: 1, language: 'javascript', framework: 'express', service: '' });
    const posts = rec('GET', '/posts/{id}');
    const admin = rec('GET', '/admin/posts/{id}');
    const any = rec('GET', '/{id}');
    const pair = rec('GET', '/{kind}/{id}');
    const records = [posts, admin, any, pair, rec('POST', '/flows')];
    // A whole-path match exists: nothing to guess.
    assert.deepEqual(matchWire(records, '/admin/posts/7'), [admin]);
    assert.equal(matchWireEnd(records, '/admin/posts/7')?.records.includes(posts), true);
    // Behind a gateway's prefix: the longest end that matches wins, and the prefix is named.
    assert.deepEqual(matchWireEnd(records, 'GET https://blog.example/ghost/api/admin/posts/7?x=1'), { records: [admin], dropped: '/ghost/api' });
    assert.deepEqual(matchWireEnd(records, '/gw/v2/posts/7'), { records: [posts], dropped: '/gw/v2' });
    // Templates too loose to match the end of anything (`/{id}`, `/{kind}/{id}`) and single segments are never used.
    assert.equal(matchWireEnd(records, '/gw/v2/things/7'), undefined);
    assert.equal(matchWireEnd(records, '/gw/flows'), undefined);
    assert.equal(matchWireEnd(records, 'not a path'), undefined);
  });

  it('takes a path from a URL, a request line or a log path with a query', () => {
    assert.deepEqual(parseUrlPath('https://shop.example.com/api/articles/a%20b?x=1#f'), { path: '/api/articles/a b', method: undefined });
    assert.deepEqual(parseUrlPath('POST /api/orders HTTP/1.1'), { path: '/api/orders', method: 'POST' });
    assert.equal(parseUrlPath('not a path'), undefined);
  });
});

describe('wire: proto reader', () => {
  it('reads the package, services and RPCs, skipping comments, strings and option blocks', () => {
    const src = [
      'syntax = "proto3";',
      '// service Commented { rpc Nope(A) returns (B); }',
      'package shop.articles.v1;',
      'option go_package = "service Fake {";',
      '/* service Block {',
      '   rpc Nope(A) returns (B); } */',
      'service ArticleService {',
      '  option (custom) = { a: 1 };',
      '  rpc GetArticle(GetArticleRequest) returns (Article) {',
      '    option (google.api.http) = { get: "/v1/articles/{slug}" };',
      '  }',
      '  rpc ListArticles(stream ListRequest) returns (stream Article);',
      '}',
      'message Article { string slug = 1; }',
    ].join('\n');
    const f = readProto(src, 'protos/articles.proto');
    assert.equal(f.grpcServices.length, 1);
    const s = f.grpcServices[0];
    assert.equal(s?.package, 'shop.articles.v1');
    assert.equal(s?.service, 'ArticleService');
    assert.deepEqual(
      s?.rpcs.map((r) => [r.name, r.loc.line, r.loc.endLine]),
      [
        ['GetArticle', 9, 11],
        ['ListArticles', 12, 12],
      ],
    );
  });

  it('survives an unterminated comment or string', () => {
    assert.equal(readProto('service A { rpc X(Y) returns (Z); } /* never closed', 'a.proto').grpcServices.length, 1);
    assert.equal(readProto('package "oops', 'b.proto').grpcServices.length, 0);
  });
});

/** A project view over a fixed file list. */
function view(files: string[], roots: string[] = ['']): ProjectView {
  return {
    has: (f) => files.includes(f),
    filesIn: (d) => files.filter((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '') === d),
    serviceRootOf: (f) => roots.filter((r) => r === '' || f.startsWith(r + '/')).sort((a, b) => b.length - a.length)[0] ?? '',
    read: () => undefined,
  };
}

function supportsFor(resolve: LanguageSupport['resolveModule'], packageIsFolder = false): Map<WireLanguage, LanguageSupport> {
  const s: LanguageSupport = { language: 'javascript', extensions: ['.js'], grammar: () => 'javascript', interesting: () => true, extract: (i) => emptyFacts(i.file, 'javascript'), resolveModule: resolve, packageIsFolder };
  return new Map([['javascript', s]]);
}

describe('wire: composing facts across files', () => {
  it('resolves routers mounted from other files, nested mounts, router prefixes and handlers defined elsewhere', () => {
    const app = emptyFacts('app.js', 'javascript');
    app.routers.push({ name: 'app', framework: 'express', style: 'colon', loc: { line: 1, column: 1 } });
    app.imports.push({ local: 'api', module: './api', name: 'default' });
    app.mounts.push({ parent: { kind: 'local', name: 'app' }, child: { kind: 'import', binding: 'api' }, prefix: '/api', style: 'colon', loc: { line: 5, column: 1 } });
    app.routes.push({ router: { kind: 'local', name: 'app' }, method: 'GET', path: '/health', style: 'colon', framework: 'express', loc: { line: 6, column: 1 }, handler: { kind: 'here', name: '<anonymous>', loc: { line: 6, column: 20, endLine: 6 } } });

    const api = emptyFacts('api.js', 'javascript');
    api.routers.push({ name: 'router', framework: 'express', style: 'colon', loc: { line: 1, column: 1 } });
    api.routers.push({ name: 'v1', framework: 'express', prefix: '/v1', style: 'colon', loc: { line: 2, column: 1 } });
    api.exports['default'] = 'router';
    api.imports.push({ local: 'handlers', module: './handlers', name: '*' });
    api.mounts.push({ parent: { kind: 'local', name: 'router' }, child: { kind: 'local', name: 'v1' }, prefix: '', style: 'colon', loc: { line: 3, column: 1 } });
    api.routes.push({ router: { kind: 'local', name: 'v1' }, method: 'GET', path: '/articles/:slug', style: 'colon', framework: 'express', loc: { line: 4, column: 1 }, handler: { kind: 'ref', ref: { kind: 'import', binding: 'handlers', member: 'getArticle' }, display: 'handlers.getArticle' } });
    api.routes.push({ router: { kind: 'local', name: 'v1' }, method: 'GET', path: '/articles/:id', style: 'colon', framework: 'express', loc: { line: 5, column: 1 } });

    const handlers = emptyFacts('handlers.js', 'javascript');
    handlers.functions.push({ name: 'getArticle', params: ['req', 'res'], loc: { line: 10, column: 1, endLine: 20 } });
    handlers.exports['getArticle'] = 'getArticle';

    const facts = new Map<string, FileFacts>([
      ['app.js', app],
      ['api.js', api],
      ['handlers.js', handlers],
    ]);
    const resolve = (_from: string, m: string): string[] => [m.replace('./', '') + '.js'];
    const records = composeWire(facts, view(['app.js', 'api.js', 'handlers.js']), supportsFor(resolve));
    const http = records.filter((r) => r.kind === 'http').map((r) => [r.method, r.route, r.file, r.line, r.handler, r.handlerFile, r.handlerLine, r.shadowed ?? false]);
    assert.deepEqual(http, [
      ['GET', '/api/v1/articles/{slug}', 'api.js', 4, 'handlers.getArticle', 'handlers.js', 10, false],
      ['GET', '/api/v1/articles/{id}', 'api.js', 5, undefined, undefined, undefined, true],
      ['GET', '/health', 'app.js', 6, '<anonymous>', 'app.js', 6, false],
    ]);
  });

  it('mounts a parameter router through a call in another package folder, and applies a global prefix', () => {
    const main = emptyFacts('cmd/main.go', 'javascript');
    main.routers.push({ name: 'r', framework: 'gin', style: 'colon', loc: { line: 1, column: 1 } });
    main.routers.push({ name: 'api', framework: 'gin', style: 'colon', loc: { line: 2, column: 1 } });
    main.mounts.push({ parent: { kind: 'local', name: 'r' }, child: { kind: 'local', name: 'api' }, prefix: '/api', style: 'colon', loc: { line: 2, column: 1 } });
    main.imports.push({ local: 'articles', module: 'internal/articles', name: '*' });
    main.calls.push({ callee: { kind: 'import', binding: 'articles', member: 'Register' }, args: [{ kind: 'local', name: 'api' }], loc: { line: 3, column: 1 } });
    main.globalPrefixes.push({ framework: 'gin', prefix: '/svc', loc: { line: 4, column: 1 } });

    const reg = emptyFacts('internal/articles/routes.go', 'javascript');
    reg.functions.push({ name: 'Register', params: ['g'], loc: { line: 5, column: 1, endLine: 9 } });
    reg.routers.push({ name: 'Register(g)', framework: 'gin', style: 'colon', loc: { line: 5, column: 1 } });
    reg.routes.push({ router: { kind: 'local', name: 'Register(g)' }, method: 'POST', path: '/articles', style: 'colon', framework: 'gin', loc: { line: 6, column: 2 }, handler: { kind: 'ref', ref: { kind: 'package', name: 'create' }, display: 'create' } });
    const handlers = emptyFacts('internal/articles/handlers.go', 'javascript');
    handlers.functions.push({ name: 'create', params: ['c'], loc: { line: 3, column: 1, endLine: 12 } });

    const facts = new Map<string, FileFacts>([
      [main.file, main],
      [reg.file, reg],
      [handlers.file, handlers],
    ]);
    const files = [...facts.keys()];
    const resolve = (_from: string, m: string): string[] => files.filter((f) => f.startsWith(m + '/'));
    const records = composeWire(facts, view(files), supportsFor(resolve, true));
    const r = records.find((x) => x.kind === 'http');
    assert.equal(r?.route, '/svc/api/articles');
    assert.equal(r?.handlerFile, 'internal/articles/handlers.go');
    assert.equal(r?.handlerLine, 3);
  });

  it('links proto services to implementations by loose method name, and lists unimplemented RPCs at the proto', () => {
    const proto = readProto('package shop.v1;\nservice ArticleService {\n rpc GetArticle(A) returns (B);\n rpc DeleteArticle(A) returns (B);\n}\n', 'protos/a.proto');
    const impl = emptyFacts('src/server.js', 'javascript');
    impl.grpcImpls.push({ service: 'ArticleService', container: 'ArticleServer', framework: 'grpc-js', loc: { line: 1, column: 1 }, methods: [{ name: 'get_article', loc: { line: 4, column: 3, endLine: 9 } }] });
    const records = composeWire(new Map([[proto.file, proto], [impl.file, impl]]), view([proto.file, impl.file]), supportsFor(undefined));
    assert.deepEqual(
      records.filter((r) => r.kind === 'grpc').map((r) => [r.route, r.file, r.line, r.handler ?? null]),
      [
        ['/shop.v1.ArticleService/DeleteArticle', 'protos/a.proto', 4, null],
        ['/shop.v1.ArticleService/GetArticle', 'src/server.js', 4, 'ArticleServer.get_article'],
      ],
    );
  });

  it('survives a mount cycle', () => {
    const a = emptyFacts('a.js', 'javascript');
    a.routers.push({ name: 'x', framework: 'express', style: 'colon', loc: { line: 1, column: 1 } }, { name: 'y', framework: 'express', style: 'colon', loc: { line: 1, column: 1 } });
    a.mounts.push({ parent: { kind: 'local', name: 'x' }, child: { kind: 'local', name: 'y' }, prefix: '/y', style: 'colon', loc: { line: 2, column: 1 } });
    a.mounts.push({ parent: { kind: 'local', name: 'y' }, child: { kind: 'local', name: 'x' }, prefix: '/x', style: 'colon', loc: { line: 3, column: 1 } });
    a.routes.push({ router: { kind: 'local', name: 'y' }, method: 'GET', path: '/z', style: 'colon', framework: 'express', loc: { line: 4, column: 1 } });
    const records = composeWire(new Map([['a.js', a]]), view(['a.js']), supportsFor(undefined));
    assert.equal(records.filter((r) => r.kind === 'http').length >= 1, true);
    assert.ok(records.every((r) => r.kind !== 'http' || r.route?.endsWith('/z')));
  });
});

describe('wire: walking a tree', () => {
  it('honours nested .gitignore files and excludes, skips vendored folders and generated files, finds service roots', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-walk-'));
    const write = (rel: string, text = 'x'): void => writeIn(root, rel, text);
    write('.gitignore', 'secret/\n*.tmp.go\n');
    write('svc/go.mod', 'module example.com/svc');
    write('svc/main.go');
    write('svc/a.tmp.go');
    write('svc/secret/x.go');
    write('svc/vendor/lib/y.go');
    write('svc/api/articles.pb.go');
    write('web/package.json', '{}');
    write('web/.gitignore', 'gen/\n');
    write('web/src/app.ts');
    write('web/gen/client.ts');
    write('web/node_modules/x/index.js');
    write('web/src/skip/me.ts');
    const w = walkTree(root, { extensions: new Set(['.go', '.ts', '.js']), exclude: ['**/skip/**'] });
    assert.deepEqual(w.files, ['svc/main.go', 'web/src/app.ts']);
    assert.deepEqual(w.serviceRoots, ['svc', 'web']);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('takes a minified bundle for generated code, and not a file with one long line among ordinary ones', () => {
    const bundle = '!function(e,t){"object"==typeof exports?module.exports=t():e.UI=t()}(this,()=>{' + 'const r=e.get("/schema",function(n){return n.json()});'.repeat(200) + '});\n';
    assert.equal(looksGenerated(bundle), true);
    const code = Array.from({ length: 200 }, (_, i) => `router.get('/items/${i}', (req, res) => res.json([]));`);
    code.splice(100, 0, `const logo = 'data:image/png;base64,${'A'.repeat(20_000)}';`);
    assert.equal(looksGenerated(code.join('\n')), false);
    assert.equal(looksGenerated('x'.repeat(1500)), false); // too short to tell
  });

  it('says of any single file what the walk does (walkReaches: the test for files that appear after a scan)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-reach-'));
    const write = (rel: string, text = 'x'): void => writeIn(root, rel, text);
    write('.gitignore', 'build/\n*.tmp.go\n/out\n');
    write('svc/.gitignore', 'gen/\n!keep.go\n');
    const files = [
      'svc/main.go', 'svc/a.tmp.go', 'svc/gen/x.go', 'svc/sub/gen/y.go', 'svc/keep.go', 'svc/api/articles.pb.go',
      'svc/vendor/lib/y.go', 'build/app.js', 'web/build/app.js', 'out/app.js', 'web/out/app.js', 'dist/app.js',
      'web/dist/app.js', 'web/node_modules/x/index.js', '.hidden/app.js', 'web/.next/server.js', 'web/src/app.ts',
      'web/src/skip/me.ts', 'web/src/app.min.js', 'web/src/types.d.ts', 'gen/z.go', 'web/src/app.test.ts',
      'web/src/__tests__/routes.js', 'svc/main_test.go', 'web/test/app.e2e-spec.ts',
    ];
    for (const f of files) write(f);
    const exclude = ['**/skip/**'];
    const walked = new Set(walkTree(root, { extensions: new Set(['.go', '.ts', '.js']), exclude }).files);
    assert.deepEqual([...walked].sort(), ['gen/z.go', 'svc/keep.go', 'svc/main.go', 'web/out/app.js', 'web/src/app.ts']);
    for (const f of files) assert.equal(walkReaches(root, f, exclude), walked.has(f), f);
    // A manifest counts where the walk reaches its folder, whatever its own name matches.
    assert.equal(walkReaches(root, 'web/dist/package.json', exclude, true), false);
    assert.equal(walkReaches(root, 'svc/gen/go.mod', exclude, true), false);
    assert.equal(walkReaches(root, 'svc/tools/go.mod', exclude, true), true);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps build output, vendored and ignored files out of the index when they are saved or written later', async () => {
    const { WireIndex } = await import('../../../src/core/wire/scan');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-update-'));
    const app = "const express = require('express');\nconst app = express();\napp.get('/api/items', (req, res) => res.json([]));\napp.listen(3000);\n";
    const write = (rel: string, text = app): void => writeIn(root, rel, text);
    write('package.json', '{ "dependencies": { "express": "^4.0.0" } }');
    write('.gitignore', 'build/\n');
    write('src/app.js');
    const index = new WireIndex(root);
    try {
      const routes = (): string[] => index.map().records.filter((r) => r.kind === 'http').map((r) => `${r.method} ${r.route} ${r.file}`);
      await index.scan({ exclude: ['**/legacy/**'] });
      assert.deepEqual(routes(), ['GET /api/items src/app.js']);
      // What a build writes (tsc's dist/, a git-ignored build/), vendored code, an excluded folder, a new manifest in
      // a skipped folder: the file watcher reports them all.
      for (const f of ['dist/app.js', 'build/app.js', 'vendor/lib/app.js', 'src/legacy/app.js', 'src/app.min.js']) {
        write(f);
        await index.update(f);
      }
      write('dist/package.json', '{}');
      await index.update('dist/package.json');
      assert.deepEqual(routes(), ['GET /api/items src/app.js']);
      assert.ok(!index.map().records.some((r) => r.file.startsWith('dist/') || r.file.startsWith('build/')));
      // A file the scan would read is still taken.
      write('src/more.js', "const express = require('express');\nconst app = express();\napp.post('/api/orders', (req, res) => res.json({}));\napp.listen(3001);\n");
      await index.update('src/more.js');
      assert.deepEqual(routes(), ['GET /api/items src/app.js', 'POST /api/orders src/more.js']);
    } finally {
      index.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('wire: languages', () => {
  it('the extension list the extension host watches is exactly what the registered languages read', async () => {
    const { LANGUAGES } = await import('../../../src/core/wire/languages');
    const { WIRE_EXTENSIONS } = await import('../../../src/core/wire/extensions');
    assert.deepEqual([...new Set(LANGUAGES.flatMap((l) => [...l.extensions]))].sort(), [...WIRE_EXTENSIONS].sort());
  });
});

describe('wire: the cold scan on two threads', function () {
  this.timeout(60_000);
  it('hands the threads whole languages, biggest first, so no language is read on both', async () => {
    const { groupByLanguage } = await import('../../../src/core/wire/scan');
    const files = ['a.go', 'b.go', 'c.py', 'd.ts', 'e.ts', 'f.rb', 'g.java'];
    const groups = groupByLanguage(files, [100, 100, 50, 80, 80, 10, 30]);
    assert.deepEqual(
      groups.map((g) => [g.language, g.files, g.bytes]),
      [
        ['go', ['a.go', 'b.go'], 200],
        ['typescript', ['d.ts', 'e.ts'], 160],
        ['python', ['c.py'], 50],
        ['java', ['g.java'], 30],
        ['ruby', ['f.rb'], 10],
      ],
    );
  });

  it('gives exactly the records of a one-thread scan', async () => {
    const { WireIndex } = await import('../../../src/core/wire/scan');
    const { repoRoot } = await import('../helpers');
    const root = path.join(repoRoot, 'test', 'fixtures', 'wire');
    const one = new WireIndex(root);
    const two = new WireIndex(root);
    try {
      const a = await one.scan({ threads: 1 });
      const b = await two.scan({ threads: 2 });
      assert.ok(a.records.length > 500);
      assert.deepEqual(b.records, a.records);
      assert.deepEqual(b.stats, a.stats);
      assert.equal(two.lastScanThreads, 2, 'the helper thread answered');
      assert.equal(one.lastScanThreads, 1);
    } finally {
      one.dispose();
      two.dispose();
    }
  });
});

describe('wire: what a scan says about bad files', () => {
  it('skips a huge file and names it, reads past a broken file, and keeps the routes of the others', async () => {
    const { scanTree } = await import('../../../src/core/wire/scan');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-bad-'));
    fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/bad\n');
    fs.writeFileSync(path.join(root, 'main.go'), 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.HandleFunc("GET /ok", ok)\n}\n\nfunc ok(w http.ResponseWriter, r *http.Request) {}\n');
    fs.writeFileSync(path.join(root, 'broken.go'), 'package main\n\nimport "net/http"\n\nfunc broken( {\n\thttp.HandleFunc("GET /half", \n');
    fs.writeFileSync(path.join(root, 'huge.go'), 'package main\n// net/http\n' + '// x\n'.repeat(300_000));
    try {
      const map = await scanTree(root, { maxFileBytes: 512 * 1024 });
      assert.ok(map.records.some((r) => r.kind === 'http' && r.route === '/ok' && r.file === 'main.go'));
      const huge = map.problems.find((p) => p.file === 'huge.go');
      assert.match(huge?.message ?? '', /Skipped: larger than 512 KB/);
      assert.ok(!map.records.some((r) => r.file === 'huge.go'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
