/**
 * Worker-thread entry (bundled to dist/wireWorker.js): holds the wire index of each workspace folder, so the cold
 * scan and every re-index run off the extension host's main thread. Started with `workerData.role === 'read'` it
 * is instead a cold scan's helper thread, reading its share of the files (scan.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { outgoingCalls } from './calls';
import { WireIndex } from './scan';
import type { CallWithTarget, WireRequest, WireResponse } from './workerProtocol';

const indexes = new Map<string, WireIndex>();
const indexFor = (root: string): WireIndex => {
  let i = indexes.get(root);
  if (!i) indexes.set(root, (i = new WireIndex(root)));
  return i;
};

const port = parentPort;
if (port && (workerData as { role?: string } | undefined)?.role === 'read') {
  // A helper of a cold scan: reads the files it is given (its share of the languages) and sends the facts back.
  port.once('message', (req: { root: string; files: string[]; serviceRoots: string[]; read: string[]; all: boolean }) => {
    const index = new WireIndex(req.root);
    index.prime({ files: req.files, serviceRoots: req.serviceRoots });
    let done = 0;
    let last = 0;
    void index
      .readFiles(req.read, req.all, undefined, () => {
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
    queue = queue.then(() => handle(req).then((res) => port.postMessage(res)));
  });
}

async function handle(req: WireRequest): Promise<WireResponse> {
  const t0 = performance.now();
  try {
    const index = indexFor(req.root);
    switch (req.op) {
      case 'scan': {
        let last = 0;
        const map = await index.scan({
          exclude: req.exclude,
          all: req.all,
          onProgress: (done, total) => {
            const now = performance.now();
            if (now - last > 100 || done === total) {
              last = now;
              port?.postMessage({ id: req.id, progress: { done, total } } satisfies WireResponse);
            }
          },
        });
        return { id: req.id, ok: true, op: 'map', map, ms: performance.now() - t0 };
      }
      case 'update':
        await index.update(req.file, req.text);
        return { id: req.id, ok: true, op: 'map', map: index.map(), ms: performance.now() - t0 };
      case 'remove':
        index.remove(req.file);
        return { id: req.id, ok: true, op: 'map', map: index.map(), ms: performance.now() - t0 };
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
