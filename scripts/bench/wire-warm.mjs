// The warm start of the wire scan in a fresh process:  node scripts/bench/wire-warm.mjs <tree> <cache dir>
// (wire-case.mjs with ONCALL_BENCH_CACHE_DIR wrote the cache). Prints one JSON line: the scan's ms, the files that came
// from the cache, the size of the cache file, and where the time went.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const outDir = path.resolve(import.meta.dirname, '..', '..', process.env.ONCALL_BENCH_OUT ?? 'out');
const { WireIndex } = require(path.join(outDir, 'src', 'core', 'wire', 'scan.js'));
const { cacheFile } = require(path.join(outDir, 'src', 'core', 'wire', 'scan', 'cache.js'));
const [tree, cacheDir] = process.argv.slice(2);

const index = new WireIndex(tree);
const t0 = performance.now();
const map = await index.scan({ cacheDir });
const warmMs = performance.now() - t0;
const t = index.lastScanTiming;
console.log(JSON.stringify({ warmMs, cached: t.cached, files: map.stats.files, records: map.records.length, cacheMB: fs.statSync(cacheFile(cacheDir, tree)).size / 1024 / 1024, walkMs: t.walkMs, cacheMs: t.cacheMs, composeMs: t.composeMs }));
