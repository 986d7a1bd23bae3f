/**
 * Worker-thread entry (bundled to dist/traceWorker.js): reads and parses trace files off the extension host's
 * main thread, so a 50 MB file never freezes the editor and cancelling is `worker.terminate()`.
 */
import { parentPort } from 'node:worker_threads';
import { loadTraceFromFiles, indexFile } from './traceFiles';
import { toWaterfallModel } from './waterfallModel';
import type { WireView, WorkerRequest, WorkerResponse } from './workerProtocol';
import type { WaterfallView } from './waterfallModel';
import { formatLabel } from './formats';

const port = parentPort;
if (port) {
  port.on('message', (req: WorkerRequest) => {
    void handle(req).then((res) => port.postMessage(res));
  });
}

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
  const t0 = performance.now();
  try {
    if (req.op === 'index') {
      const entry = await indexFile(req.path, req.maxBytes);
      return { id: req.id, ok: true, op: 'index', entry, ms: performance.now() - t0 };
    }
    const loaded = await loadTraceFromFiles(req.paths, req.traceId, req.maxBytes);
    const source = loaded.foundIn.map((f) => `${req.labels[f.path] ?? f.path} (${formatLabel(f.format)})`).join(', ');
    const view = loaded.analysis ? toWire(toWaterfallModel(loaded.analysis, source)) : undefined;
    return { id: req.id, ok: true, op: 'open', result: { view, foundIn: loaded.foundIn, problems: loaded.problems }, ms: performance.now() - t0 };
  } catch (e) {
    return { id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function toWire(view: WaterfallView): WireView {
  const { model } = view;
  return {
    traceId: model.traceId,
    title: model.title,
    rowCount: model.rows.length,
    warnings: model.warnings,
    modelJson: JSON.stringify(model),
    detailsJson: JSON.stringify(view.details),
  };
}
