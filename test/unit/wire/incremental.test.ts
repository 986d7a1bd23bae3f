import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { composeWire, WireComposer } from '../../../src/core/wire/compose';
import { emptyFacts, type FileFacts } from '../../../src/core/wire/facts';
import type { LanguageSupport, ProjectView } from '../../../src/core/wire/language';
import type { WireLanguage, WireMap } from '../../../src/core/wire/model';
import { WireMapCopy } from '../../../src/core/wire/mapCopy';
import { scanTree, textEdit, WireIndex } from '../../../src/core/wire/scan';
import type { WireRequest, WireResponse } from '../../../src/core/wire/workerProtocol';
import { Worker } from 'node:worker_threads';
import { repoRoot } from '../helpers';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'wire');
/** The services the edits below touch, and a few more around them (so a change must not leak into them). */
const SERVICES = ['ts-express', 'ts-nestjs', 'go-grpc', 'go-chi', 'go-httprouter', 'py-django', 'py-flask', 'java-spring', 'java-jaxrs', 'rust-axum', 'cpp-crow', 'php-laravel'];
const ALERTS_MAIN = 'go-httprouter/cmd/alerts/main.go';
const STRIPE = 'php-laravel/app/Http/Controllers/StripeWebhookController.php';
const REVIEWS = 'java-jaxrs/src/main/java/com/example/library/resources/ReviewResource.java';

/** One edit of the tree: files written (a string) or deleted (null), then told to the index as the worker would. */
interface Edit {
  readonly name: string;
  readonly files: Readonly<Record<string, (text: string) => string | null>>;
}

function replaceOnce(from: string | RegExp, to: string): (text: string) => string {
  return (text) => {
    const next = text.replace(from, to);
    assert.notEqual(next, text, `the fixture no longer contains ${String(from)}`);
    return next;
  };
}

const EDITS: readonly Edit[] = [
  { name: 'add a route (a router passed to a function in another file)', files: { 'ts-express/src/routes/stock.ts': replaceOnce("  router.patch('/stock/:sku', adjustStock);", "  router.patch('/stock/:sku', adjustStock);\n  router.delete('/stock/:sku/reservations', adjustStock);") } },
  { name: 'remove a mount', files: { 'ts-express/src/routes/index.ts': replaceOnce("apiRouter.use('/items', items);\n", '') } },
  { name: 'rename an exported handler another file registers', files: { 'ts-express/src/controllers/stock.ts': replaceOnce('export async function stockLevel(', 'export async function stockLevels(') } },
  { name: 'change a global prefix (NestJS setGlobalPrefix)', files: { 'ts-nestjs/src/main.ts': replaceOnce("setGlobalPrefix('api')", "setGlobalPrefix('v2')") } },
  { name: 'change a context path in a config file the Java extractor reads', files: { 'java-spring/shop-api/src/main/resources/application.yml': replaceOnce('context-path: /shop', 'context-path: /store') } },
  { name: 'edit a proto (rename an RPC, add one)', files: { 'go-grpc/proto/catalog/v1/catalog.proto': replaceOnce('  rpc ListTags(ListTagsRequest) returns (ListTagsResponse);', '  rpc ListAllTags(ListTagsRequest) returns (ListTagsResponse);\n  rpc GetTag(ListTagsRequest) returns (ListTagsResponse);') } },
  { name: 'rename a gRPC method defined in a sibling file of the implementation', files: { 'go-grpc/internal/tags/server.go': replaceOnce('func (s *Server) ListTags(', 'func (s *Server) ListAllTags(') } },
  { name: 'edit views.py, which the Django urls.py extraction reads', files: { 'py-django/blog/views.py': replaceOnce(/\n {4}def post\(self, request, pk\):/, '\n    def put(self, request, pk):') } },
  { name: 'rename a class a sub-resource locator in another file returns (a global name goes away)', files: { [REVIEWS]: replaceOnce('public class ReviewResource ', 'public class BookReviews ') } },
  { name: 'rename it back (a file newly defines a global name others look up)', files: { [REVIEWS]: replaceOnce('public class BookReviews ', 'public class ReviewResource ') } },
  { name: 'rename a C++ function main.cpp passes its blueprint to (found by name in every file)', files: { 'cpp-crow/src/note_routes.cpp': replaceOnce('void RegisterNoteRoutes(', 'void RegisterNotes(') } },
  { name: 'rename it back (the name is defined again)', files: { 'cpp-crow/src/note_routes.cpp': replaceOnce('void RegisterNotes(', 'void RegisterNoteRoutes(') } },
  { name: 'rename a controller method a route names as [Class::class, \'method\']', files: { [STRIPE]: replaceOnce('public function receive(', 'public function handle(') } },
  { name: 'rename it back (the class has the method again)', files: { [STRIPE]: replaceOnce('public function handle(', 'public function receive(') } },
  {
    name: 'register a handler imported from a module that is not there yet',
    files: {
      'ts-express/src/routes/stock.ts': (text) =>
        replaceOnce("  router.get('/stock/:sku', stockLevel);", "  router.get('/stock/:sku', stockLevel);\n  router.post('/stock/:sku/recount', recountStock);")(
          replaceOnce("from '../controllers/stock.js';", "from '../controllers/stock.js';\nimport { recountStock } from '../controllers/recount.js';")(text),
        ),
    },
  },
  // Only the new module is told to the index: the route's file must be composed again because its import now resolves.
  { name: 'create that module (an import that resolved to nothing now does)', files: { 'ts-express/src/controllers/recount.ts': () => 'export async function recountStock(req: unknown, res: { json(v: unknown): void }): Promise<void> {\n  res.json({});\n}\n' } },
  { name: 'delete a file (a barrel module that re-exports routers)', files: { 'ts-express/src/routes/resources.ts': () => null } },
  {
    name: 'create a file and mount it',
    files: {
      'ts-express/src/routes/audit.ts': () => "import { Router } from 'express';\n\nexport const audit = Router();\naudit.get('/audit/:id', (req, res) => res.json({}));\n",
      'ts-express/src/routes/index.ts': replaceOnce("import { registerStockRoutes } from './stock.js';", "import { registerStockRoutes } from './stock.js';\nimport { audit } from './audit.js';\napiRouter.use('/log', audit);"),
    },
  },
  { name: 'make a prefix computed at run time a literal one (the routes below it move under it)', files: { [ALERTS_MAIN]: replaceOnce('router = router.WithPrefix(*routePrefix)', 'router = router.WithPrefix("/am")') } },
  { name: 'and computed again', files: { [ALERTS_MAIN]: replaceOnce('router = router.WithPrefix("/am")', 'router = router.WithPrefix(*routePrefix)') } },
  { name: 'delete a whole service root manifest (service roots change)', files: { 'rust-axum/Cargo.toml': () => null } },
];

describe('wire: incremental re-index', function () {
  this.timeout(120_000);
  let root: string;
  let index: WireIndex;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-incr-'));
    for (const s of SERVICES) fs.cpSync(path.join(FIXTURES, s), path.join(root, s), { recursive: true });
    index = new WireIndex(root);
    await index.scan({ threads: 1 });
  });

  after(() => {
    index.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const fresh = async (): Promise<WireMap> => scanTree(root, { threads: 1 });

  it('starts equal to a fresh scan', async () => {
    assert.deepEqual(index.map().records, (await fresh()).records);
  });

  for (const edit of EDITS) {
    it(`${edit.name}: update() gives the records of a fresh scan`, async () => {
      const before = index.map().records;
      for (const [file, change] of Object.entries(edit.files)) {
        const abs = path.join(root, file);
        const next = change(fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '');
        if (next === null) {
          fs.rmSync(abs);
          await index.remove(file);
        } else {
          fs.writeFileSync(abs, next);
          await index.update(file, next);
        }
      }
      const got = index.map();
      const want = await fresh();
      assert.notDeepEqual(got.records, before, 'the edit changes the map');
      assert.deepEqual(got.records, want.records);
      assert.deepEqual(got.problems, want.problems);
      if (!edit.name.includes('service roots change')) assert.equal(index.lastCompose?.full, false, 'composed incrementally');
    });
  }

  it('the incremental compose recomposes only what an edit reaches', async () => {
    const file = 'go-chi/internal/articles/handler.go';
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    await index.update(file, '// a comment\n' + text);
    index.map();
    const stats = index.lastCompose;
    assert.equal(stats?.full, false);
    assert.ok((stats?.recordUnits ?? Infinity) < 10, `recomposed ${stats?.recordUnits} files' records`);
    await index.update(file, text);
    assert.deepEqual(index.map().records, (await fresh()).records);
  });
});

describe('wire: the worker sends an update as the records of the files it changed', function () {
  this.timeout(60_000);
  let root: string;
  let worker: Worker;
  let nextId = 1;
  const ask = (body: Record<string, unknown>): Promise<Exclude<WireResponse, { progress: unknown } | { log: string }>> =>
    new Promise((resolve) => {
      const id = nextId++;
      const on = (res: WireResponse): void => {
        if (res.id !== id || 'progress' in res || 'log' in res) return;
        worker.off('message', on);
        resolve(res);
      };
      worker.on('message', on);
      worker.postMessage({ ...body, id, root } as WireRequest);
    });

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-delta-'));
    for (const s of ['ts-express', 'go-chi', 'go-grpc']) fs.cpSync(path.join(FIXTURES, s), path.join(root, s), { recursive: true });
    // The compiled worker next to this compiled test (out*/test/unit/wire → out*/src/core/wire).
    worker = new Worker(path.join(__dirname, '..', '..', '..', 'src', 'core', 'wire', 'wireWorker.js'));
  });

  after(async () => {
    await worker.terminate();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps the host copy equal to a fresh scan through updates and removals', async () => {
    const copy = new WireMapCopy();
    const scanned = await ask({ op: 'scan', exclude: [] });
    assert.ok(scanned.ok && scanned.op === 'map');
    copy.set(scanned.map);
    const steps: [string, ((t: string) => string) | null][] = [
      ['ts-express/src/routes/stock.ts', (t) => t.replace("router.get('/stock/:sku', stockLevel);", "router.get('/stock/:sku', stockLevel);\n  router.get('/stock/:sku/history', stockLevel);")],
      ['ts-express/src/controllers/stock.ts', (t) => '// moved down a line\n' + t],
      ['go-grpc/proto/catalog/v1/catalog.proto', (t) => t.replace('rpc ListTags(', 'rpc ListEveryTag(')],
      ['ts-express/src/routes/resources.ts', null],
    ];
    for (const [file, edit] of steps) {
      const abs = path.join(root, file);
      let res;
      if (edit) {
        const text = edit(fs.readFileSync(abs, 'utf8'));
        fs.writeFileSync(abs, text);
        res = await ask({ op: 'update', file, text });
      } else {
        fs.rmSync(abs);
        res = await ask({ op: 'remove', file });
      }
      assert.ok(res.ok && res.op === 'delta', `${file}: a delta, not the whole map`);
      assert.ok(res.delta.files.length < 10, `${file}: ${res.delta.files.length} files in the delta`);
      copy.apply(res.delta);
      const want = new WireMapCopy();
      want.set(await scanTree(root, { threads: 1 }));
      assert.deepEqual(copy.map?.records, want.map?.records, file);
      assert.deepEqual(copy.map?.problems, want.map?.problems, file);
      assert.deepEqual(copy.byFile, want.byFile, file);
      assert.deepEqual(copy.byHandlerFile, want.byHandlerFile, file);
    }
  });
});

describe('wire: incremental parse', function () {
  this.timeout(60_000);

  it('textEdit describes the one changed range in UTF-16 code units, never inside a surrogate pair', () => {
    assert.equal(textEdit('abc', 'abc'), undefined);
    assert.deepEqual(textEdit('a\nbc\nd', 'a\nbXc\nd'), { startIndex: 3, oldEndIndex: 3, newEndIndex: 4, startPosition: { row: 1, column: 1 }, oldEndPosition: { row: 1, column: 1 }, newEndPosition: { row: 1, column: 2 } });
    const e = textEdit('x😀y', 'x😃y');
    assert.equal(e?.startIndex, 1);
    assert.equal(e?.oldEndIndex, 3);
    assert.equal(e?.newEndIndex, 3);
  });

  it('reads the same facts from an edited tree as from a fresh parse, over a run of edits', async () => {
    const file = 'internal/articles/handler.go';
    const root = path.join(FIXTURES, 'go-chi');
    const original = fs.readFileSync(path.join(root, file), 'utf8');
    const index = new WireIndex(root);
    try {
      await index.scan({ threads: 1 });
      const edits = [(t: string) => '// é😀\n' + t, (t: string) => t.replace('😀', '😃'), (t: string) => t.replace(/\nfunc /, '\n// moved\nfunc '), (t: string) => t.slice(0, t.length >> 1) + '\n}\n' + t.slice(t.length >> 1), (t: string) => t.replace('\n}\n', '\n'), () => original];
      let text = original;
      for (const edit of edits) {
        text = edit(text);
        await index.update(file, text);
        assert.deepEqual(index.factsOf(file), await index.factsFor(file, text));
      }
    } finally {
      index.dispose();
    }
  });
});

describe('wire: WireComposer.update on facts', () => {
  it('falls back to a full compose where a mount cycle makes the chains depend on their order, and stays equal', () => {
    const a = emptyFacts('a.js', 'javascript');
    a.routers.push({ name: 'x', framework: 'express', style: 'colon', loc: { line: 1, column: 1 } }, { name: 'y', framework: 'express', style: 'colon', loc: { line: 1, column: 1 } });
    a.routes.push({ router: { kind: 'local', name: 'y' }, method: 'GET', path: '/z', style: 'colon', framework: 'express', loc: { line: 4, column: 1 } });
    const b = emptyFacts('b.js', 'javascript');
    b.mounts.push({ parent: { kind: 'import', binding: 'a', member: 'x' }, child: { kind: 'import', binding: 'a', member: 'y' }, prefix: '/y', style: 'colon', loc: { line: 2, column: 1 } });
    b.imports.push({ local: 'a', module: './a', name: '*' });
    const facts = new Map<string, FileFacts>([
      ['a.js', a],
      ['b.js', b],
    ]);
    const composer = new WireComposer(view(['a.js', 'b.js']), supports());
    composer.composeAll(facts);
    // b.js now closes the cycle.
    const b2 = { ...b, mounts: [...b.mounts, { parent: { kind: 'import' as const, binding: 'a', member: 'y' }, child: { kind: 'import' as const, binding: 'a', member: 'x' }, prefix: '/x', style: 'colon' as const, loc: { line: 3, column: 1 } }] };
    facts.set('b.js', b2);
    const got = composer.update([{ file: 'b.js', before: b, after: b2 }], [], []);
    assert.equal(composer.lastStats?.full, true);
    assert.deepEqual([...got], composeWire(facts, view(['a.js', 'b.js']), supports()));
  });
});

function view(files: string[]): ProjectView {
  return {
    has: (f) => files.includes(f),
    filesIn: (d) => files.filter((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '') === d),
    serviceRootOf: () => '',
    read: () => undefined,
  };
}

function supports(): ReadonlyMap<WireLanguage, LanguageSupport> {
  const js: LanguageSupport = {
    language: 'javascript',
    extensions: ['.js'],
    grammar: () => undefined,
    interesting: () => true,
    extract: () => emptyFacts('', 'javascript'),
    resolveModule: (_from, m) => [m.replace('./', '') + '.js'],
  };
  return new Map([['javascript', js]]);
}
