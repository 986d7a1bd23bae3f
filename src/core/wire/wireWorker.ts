/**
 * Worker-thread entry (bundled to dist/wireWorker.js): holds the wire index of each workspace folder, so the cold
 * scan and every re-index run off the extension host's main thread. Started with `workerData.role === 'read'` it
 * is instead a cold scan's helper thread, reading its share of the files (scan.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { outgoingCalls } from './calls';
import type { WireMap } from './model';
import { WireIndex, type ScanOptions } from './scan';
import type { CallWithTarget, WireRequest, WireResponse } from './workerProtocol';

const indexes = new Map<string, WireIndex>();
const indexFor = (root: string): WireIndex => {
  let i = indexes.get(root);
  if (!i) indexes.set(root, (i = new WireIndex(root)));
  return i;
};

const port = parentPort;
if (port && (workerData as { role?: string } | undefined)?.role === 'read') {
  // A helper of a cold scan: learns the tree, then reads the language groups it is handed, one at a time, and
  // sends each group's facts back.
  let index: WireIndex | undefined;
  let all = false;
  port.on('message', (m: { init?: { root: string; files: string[]; serviceRoots: string[]; all: boolean }; read?: string[] }) => {
    if (m.init) {
      index = new WireIndex(m.init.root);
      index.prime({ files: m.init.files, serviceRoots: m.init.serviceRoots });
      all = m.init.all;
      return;
    }
    if (!index || !m.read) return;
    let done = 0;
    let last = 0;
    void index
      .readFiles(m.read, all, undefined, () => {
        done++;
        const now = performance.now();
        if (now - last > 100) {
          last = now;
          port.postMessage({ progress: done });
        }
      })
      .then(
        (batch) => port.postMessage({ batch }),
        (e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e) }),
      );
  });
} else if (port) {
  // One request at a time, in order: an update that arrives during the scan waits for it.
  let queue = Promise.resolve();
  port.on('message', (req: WireRequest) => {
    queue = queue.then(() =>
      handle(req).then((res) => {
        port.postMessage(res);
        if (req.op === 'scan' && 'ok' in res && res.ok && req.cacheDir) port.postMessage(saveCache(req.id, req.root));
      }),
    );
  });
}

/** Writes the warm-start cache of a scan that was just answered (the next request waits for it). */
function saveCache(id: number, root: string): WireResponse {
  const t0 = performance.now();
  try {
    const kept = indexFor(root).saveCache();
    return { id, log: `Wire index cache of ${root}: ${kept} files kept for the next start (${(performance.now() - t0).toFixed(0)} ms).`, level: 'info' };
  } catch (e) {
    return { id, log: `Wire index cache of ${root} could not be written: ${e instanceof Error ? e.message : String(e)}. The next start reads every file.`, level: 'warn' };
  }
}

/** The answer to an update or removal: the records of the files that changed, or the whole map after a full compose. */
function change(index: WireIndex, id: number, t0: number): WireResponse {
  const map = index.map();
  const changed = index.takeChanges();
  if (changed === 'all') return { id, ok: true, op: 'map', map, ms: performance.now() - t0 };
  const files = changed.map((f) => [f, index.recordsAt(f)] as const);
  return { id, ok: true, op: 'delta', delta: { files, problems: map.problems, stats: map.stats }, ms: performance.now() - t0 };
}

async function handle(req: WireRequest): Promise<WireResponse> {
  const t0 = performance.now();
  try {
    const index = indexFor(req.root);
    switch (req.op) {
      case 'scan': {
        let last = 0;
        const options: ScanOptions = {
          exclude: req.exclude,
          all: req.all,
          cacheDir: req.cacheDir,
          fresh: req.fresh,
          onProgress: (done, total) => {
            const now = performance.now();
            if (now - last > 100 || done === total) {
              last = now;
              port?.postMessage({ id: req.id, progress: { done, total } } satisfies WireResponse);
            }
          },
        };
        let map: WireMap;
        let problem: string | undefined;
        try {
          map = await index.scan(options);
        } catch (e) {
          // Facts from the cache that the composer can't take (a cache damaged on disk): read every file instead.
          if (!req.cacheDir || req.fresh) throw e;
          problem = `the cache could not be used (${e instanceof Error ? e.message : String(e)}); every file was read`;
          map = await index.scan({ ...options, fresh: true });
        }
        index.takeChanges(); // the host has all of it now
        const cached = req.cacheDir ? { files: index.lastScanTiming?.cached ?? 0, problem: problem ?? index.lastCacheProblem } : undefined;
        return { id: req.id, ok: true, op: 'map', map, ms: performance.now() - t0, cached };
      }
      case 'update':
        await index.update(req.file, req.text);
        return change(index, req.id, t0);
      case 'remove':
        await index.remove(req.file);
        return change(index, req.id, t0);
      case 'fileFacts': {
        const f = await index.factsFor(req.file, req.text);
        return { id: req.id, ok: true, op: 'fileFacts', errors: f?.errors ?? [], functions: f?.functions ?? [], ms: performance.now() - t0 };
      }
      case 'calls': {
        const found = await index.withTree(req.file, req.text, (root) => outgoingCalls(root, req.line));
        const calls: CallWithTarget[] = (found?.calls ?? []).map((c) => ({ ...c, target: index.findFunction(c.name, req.file) }));
        return { id: req.id, ok: true, op: 'calls', function: found?.function, line: found?.line, calls, ms: performance.now() - t0 };
      }
    }
  } catch (e) {
    return { id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
