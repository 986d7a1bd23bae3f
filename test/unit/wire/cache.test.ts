import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WireMap } from '../../../src/core/wire/model';
import { cacheFile } from '../../../src/core/wire/scan/cache';
import { scanTree, WireIndex } from '../../../src/core/wire/scan';
import type { WireRequest, WireResponse } from '../../../src/core/wire/workerProtocol';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'wire');
/** Services whose extractors read other files (Django views, Spring constants, C# base classes, Go packages). */
const SERVICES = ['py-django', 'py-fastapi', 'java-spring', 'cs-aspnet-controllers', 'go-chi', 'ts-express', 'php-laravel', 'rust-axum'];
const HOUR_AGO = Date.now() / 1000 - 3600;

/** Sets every file's times to an hour ago (a checkout the user has not touched since). */
function settle(dir: string, seconds = HOUR_AGO): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) settle(p, seconds);
    else fs.utimesSync(p, seconds, seconds);
  }
}

/** What a scan gives, without its stats' timing-free parts that differ by design (none: the whole map). */
const shape = (m: WireMap): unknown => ({ records: m.records, problems: m.problems, stats: m.stats });

/** Writes a file as an edit made a while ago (distinct time, safely before the next scan). */
function edit(root: string, file: string, change: (text: string) => string, secondsAgo = 1800): void {
  const abs = path.join(root, file);
  fs.writeFileSync(abs, change(fs.readFileSync(abs, 'utf8')));
  const t = Date.now() / 1000 - secondsAgo;
  fs.utimesSync(abs, t, t);
}

type Internals = { extractDeps: Map<string, readonly string[]> };

describe('wire: the warm-start cache', function () {
  this.timeout(120_000);
  let root: string;
  let cacheDir: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wire-cache-'));
    cacheDir = path.join(root, '.cache-dir');
    for (const s of SERVICES) fs.cpSync(path.join(FIXTURES, s), path.join(root, s), { recursive: true });
    settle(root);
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function coldThenSave(): Promise<{ map: WireMap; index: WireIndex; kept: number }> {
    const index = new WireIndex(root);
    const map = await index.scan({ cacheDir, threads: 1 });
    const kept = index.saveCache();
    return { map, index, kept };
  }

  it('gives an unchanged folder back from the cache, equal to a cold scan, and keeps it up to date from there', async () => {
    const cold = await coldThenSave();
    assert.ok(fs.existsSync(cacheFile(cacheDir, root)));
    assert.equal(cold.kept, cold.map.stats.files, 'every file of a settled folder is kept');
    assert.ok(cold.map.records.length > 100);

    const warm = new WireIndex(root);
    const map = await warm.scan({ cacheDir });
    assert.deepEqual(shape(map), shape(cold.map));
    assert.equal(warm.lastScanTiming?.cached, cold.map.stats.files, 'no file read again');
    assert.equal(warm.lastScanTiming?.local.parseMs, 0);
    // What each extraction read came back too: an update of a file another file's extraction read re-reads that one.
    const deps = (warm as unknown as Internals).extractDeps;
    const [reader, keys] = [...deps].find(([f, ks]) => f.endsWith('.py') && ks.some((k) => k.startsWith('r:') && k.endsWith('.py'))) ?? assert.fail('a Python file that reads another');
    const read = (keys.find((k) => k.startsWith('r:') && k.endsWith('.py')) as string).slice(2);
    const text = fs.readFileSync(path.join(root, read), 'utf8') + '\n\n# edited\n';
    fs.writeFileSync(path.join(root, read), text);
    await warm.update(read, text);
    assert.deepEqual(warm.map().records, (await scanTree(root, { threads: 1 })).records, `after an edit of ${read} (read by ${reader})`);
    warm.dispose();
    cold.index.dispose();
  });

  it('reads again a changed file and every file whose extraction read it; the result equals a cold scan', async () => {
    const cold = await coldThenSave();
    const deps = (cold.index as unknown as Internals).extractDeps;
    // A Django views module read by the urls.py that routes to it.
    const [, keys] = [...deps].find(([f, ks]) => f.startsWith('py-django/') && ks.some((k) => k.startsWith('r:py-django/') && k.includes('views'))) ?? assert.fail('a Django urls.py that reads views');
    const views = (keys.find((k) => k.startsWith('r:py-django/') && k.includes('views')) as string).slice(2);
    const readers = [...deps].filter(([, ks]) => ks.includes('r:' + views)).map(([f]) => f);
    assert.ok(readers.length > 0);
    edit(root, views, (t) => t.replace(/class (\w+)\(/, 'class $1Renamed('));

    const warm = new WireIndex(root);
    const map = await warm.scan({ cacheDir });
    const fresh = await scanTree(root, { threads: 1 });
    assert.deepEqual(shape(map), shape(fresh));
    assert.notDeepEqual(fresh.records, cold.map.records, 'the edit changed the map');
    const reread = new Set([views, ...readers]);
    assert.equal(warm.lastScanTiming?.cached, cold.map.stats.files - reread.size, `read again: ${[...reread].join(', ')}`);
    warm.dispose();
    cold.index.dispose();
  });

  it('sees files added and removed (what an extraction asked about existence), equal to a cold scan', async () => {
    const cold = await coldThenSave();
    const deps = (cold.index as unknown as Internals).extractDeps;
    // A module an Express file resolved by trying extensions: `./routes/articles` asked for articles.ts first.
    const [, keys] = [...deps].find(([f, ks]) => f.startsWith('ts-express/') && ks.some((k) => k.startsWith('h:') && k.endsWith('.tsx') && !fs.existsSync(path.join(root, k.slice(2))))) ?? assert.fail('a file that asked whether a .tsx file is there');
    const added = (keys.find((k) => k.startsWith('h:') && k.endsWith('.tsx') && !fs.existsSync(path.join(root, k.slice(2)))) as string).slice(2);
    const askers = [...deps].filter(([, ks]) => ks.includes('h:' + added)).map(([f]) => f);
    fs.writeFileSync(path.join(root, added), 'export const nothing = 1;\n');
    const t = HOUR_AGO + 60;
    fs.utimesSync(path.join(root, added), t, t);
    // And a FastAPI router removed.
    const removed = cold.map.records.find((r) => r.file.startsWith('py-fastapi/') && r.kind === 'http' && !/main\.py$/.test(r.file))?.file ?? assert.fail('a FastAPI router file');
    const removedAskers = [...deps].filter(([, ks]) => ks.includes('h:' + removed) || ks.includes('r:' + removed)).map(([f]) => f);
    fs.rmSync(path.join(root, removed));

    const warm = new WireIndex(root);
    assert.deepEqual(shape(await warm.scan({ cacheDir })), shape(await scanTree(root, { threads: 1 })));
    const reread = new Set([...askers, ...removedAskers].filter((f) => f !== removed));
    assert.ok(reread.size > 0);
    // Every file but those read again is from the cache (the added file is new: it was never cached).
    assert.equal(warm.lastScanTiming?.cached, cold.map.stats.files - 1 - reread.size, `read again: ${[...reread].join(', ')}`);
    warm.dispose();
    cold.index.dispose();
  });

  it('does not keep a file changed just before the scan (a second change could keep its time)', async () => {
    const racy = 'ts-express/src/index.ts';
    edit(root, racy, (t) => t + '\n// just now\n', 0);
    const cold = await coldThenSave();
    assert.equal(cold.kept, cold.map.stats.files - 1);
    const data = JSON.parse(fs.readFileSync(cacheFile(cacheDir, root), 'utf8')) as { files: Record<string, unknown> };
    assert.equal(data.files[racy], undefined);
    assert.ok(data.files['ts-express/src/routes/stock.ts']);
    cold.index.dispose();
  });

  it('ignores a cache of other options, a broken cache, and any cache when asked for a fresh scan', async () => {
    const cold = await coldThenSave();
    cold.index.dispose();
    const check = async (options: Parameters<WireIndex['scan']>[0], want: number, problem?: RegExp): Promise<void> => {
      const index = new WireIndex(root);
      const map = await index.scan({ cacheDir, threads: 1, ...options });
      assert.equal(index.lastScanTiming?.cached, want, JSON.stringify(options));
      if (problem) assert.match(index.lastCacheProblem ?? '', problem);
      else assert.equal(index.lastCacheProblem, undefined);
      assert.deepEqual(map.records, (await scanTree(root, { threads: 1, exclude: options?.exclude })).records);
      index.dispose();
    };
    await check({ exclude: ['**/php-laravel/**'] }, 0);
    await check({ fresh: true }, 0);
    await check({}, cold.map.stats.files);
    const file = cacheFile(cacheDir, root);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 5000));
    await check({}, 0, /wire-[0-9a-f]+\.json is malformed/);
    fs.writeFileSync(file, '{"format":1,"key":"x","files":null}');
    await check({}, 0, /not a wire cache of this version/);
  });

  it('is written by the worker after it answered the scan, and used by the next worker', async () => {
    const workerPath = path.join(__dirname, '..', '..', '..', 'src', 'core', 'wire', 'wireWorker.js');
    const run = async (dir = cacheDir): Promise<{ reply: WireResponse; log: WireResponse }> => {
      const worker = new Worker(workerPath);
      try {
        return await new Promise((resolve, reject) => {
          let reply: WireResponse | undefined;
          worker.on('error', reject);
          worker.on('message', (m: WireResponse) => {
            if ('progress' in m) return;
            if ('log' in m) return reply ? resolve({ reply, log: m }) : reject(new Error('a log before the answer'));
            reply = m;
          });
          worker.postMessage({ id: 1, op: 'scan', root, exclude: [], cacheDir: dir } satisfies WireRequest);
        });
      } finally {
        await worker.terminate();
      }
    };
    const first = await run();
    assert.ok('ok' in first.reply && first.reply.ok && first.reply.op === 'map');
    assert.equal(first.reply.cached?.files, 0);
    assert.ok('log' in first.log && /files kept for the next start/.test(first.log.log), JSON.stringify(first.log));
    const second = await run();
    assert.ok('ok' in second.reply && second.reply.ok && second.reply.op === 'map');
    assert.equal(second.reply.cached?.files, first.reply.map.stats.files);
    assert.deepEqual(second.reply.map.records, first.reply.map.records);
    // A cache damaged on disk in a way JSON can't tell (facts the composer can't take): every file is read instead.
    const file = cacheFile(cacheDir, root);
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { files: Record<string, { facts?: { routes: unknown } }> };
    const damaged = Object.values(data.files).find((f) => f.facts && Array.isArray(f.facts.routes) && f.facts.routes.length > 0);
    assert.ok(damaged?.facts);
    damaged.facts.routes = null;
    fs.writeFileSync(file, JSON.stringify(data));
    const third = await run();
    assert.ok('ok' in third.reply && third.reply.ok && third.reply.op === 'map', JSON.stringify(third.reply).slice(0, 300));
    assert.equal(third.reply.cached?.files, 0);
    assert.match(third.reply.cached?.problem ?? '', /the cache could not be used/);
    assert.deepEqual(third.reply.map.records, first.reply.map.records);
    // A cache folder that can't be written (here: a file stands where it should be): the scan is answered all the
    // same, and the log says why the next start reads every file.
    const blocked = path.join(root, 'not-a-folder');
    fs.writeFileSync(blocked, 'x');
    const fourth = await run(blocked);
    assert.ok('ok' in fourth.reply && fourth.reply.ok && fourth.reply.op === 'map');
    assert.deepEqual(fourth.reply.map.records, first.reply.map.records);
    assert.ok('log' in fourth.log && fourth.log.level === 'warn' && /could not be written: .*The next start reads every file/.test(fourth.log.log), JSON.stringify(fourth.log));
  });
});
