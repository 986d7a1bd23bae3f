/**
 * Worker-thread entry (bundled to dist/traceWorker.js): reads and parses trace files off the extension host's
 * main thread, so a 50 MB file never freezes the editor and cancelling is `worker.terminate()`. It keeps the
 * analysis of the trace it opened last, to answer the request for that trace's span details that follows.
 */
import { parentPort } from 'node:worker_threads';
import type { TraceAnalysis } from './analyze';
import { toCompareModel } from './compare';
import type { LoadedTrace } from './traceFiles';
import { formatLabel } from './formats';
import { loadTraceFromFiles, indexFile, parseFetchedTrace } from './traceFiles';
import { toSpanDetails, toWaterfallModel } from './waterfallModel';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';
import { encodeModel } from '../../shared/protocol/waterfallWire';

let last: { key: string; analysis: TraceAnalysis } | undefined;
const keyOf = (traceId: string, paths: readonly string[]): string => `${traceId}\n${paths.join('\n')}`;

const port = parentPort;
if (port) {
  port.on('message', (req: WorkerRequest) => {
    void handle(req).then((res) => port.postMessage(res));
  });
}

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
  const t0 = performance.now();
  try {
    switch (req.op) {
      case 'index': {
        const entry = await indexFile(req.path, req.maxBytes);
        return { id: req.id, ok: true, op: 'index', entry, ms: performance.now() - t0 };
      }
      case 'open': {
        const loaded = await loadTraceFromFiles(req.paths, req.traceId, req.maxBytes);
        const source = loaded.foundIn.map((f) => `${req.labels[f.path] ?? f.path} (${formatLabel(f.format)})`).join(', ');
        const a = loaded.analysis;
        last = a ? { key: keyOf(req.traceId, req.paths), analysis: a } : undefined;
        const model = a ? toWaterfallModel(a, source) : undefined;
        const view = model ? { traceId: model.traceId, title: model.title, rowCount: model.rows.length, warnings: model.warnings, modelJson: JSON.stringify(encodeModel(model)) } : undefined;
        return { id: req.id, ok: true, op: 'open', result: { view, foundIn: loaded.foundIn, problems: loaded.problems }, ms: performance.now() - t0 };
      }
      case 'parse': {
        const parsed = parseFetchedTrace(req.text, req.traceId, req.idEncoding);
        const a = parsed.analysis;
        last = a ? { key: `parsed\n${req.key}\n${req.traceId}`, analysis: a } : undefined;
        const model = a ? toWaterfallModel(a, req.source) : undefined;
        const view = model ? { traceId: model.traceId, title: model.title, rowCount: model.rows.length, warnings: model.warnings, modelJson: JSON.stringify(encodeModel(model)) } : undefined;
        return { id: req.id, ok: true, op: 'parse', result: { view, format: parsed.format, spanCount: a?.spanCount ?? 0, problem: parsed.problem, partial: parsed.partial, empty: parsed.empty }, ms: performance.now() - t0 };
      }
      case 'cachedDetails': {
        const a = last?.key === `parsed\n${req.key}\n${req.traceId}` ? last.analysis : undefined;
        return { id: req.id, ok: true, op: 'cachedDetails', detailsJson: a ? JSON.stringify(toSpanDetails(a)) : undefined, ms: performance.now() - t0 };
      }
      case 'details': {
        const key = keyOf(req.traceId, req.paths);
        const a = last?.key === key ? last.analysis : (await loadTraceFromFiles(req.paths, req.traceId, req.maxBytes)).analysis;
        if (a) last = { key, analysis: a };
        return { id: req.id, ok: true, op: 'details', detailsJson: a ? JSON.stringify(toSpanDetails(a)) : undefined, ms: performance.now() - t0 };
      }
      case 'release': {
        const released = last !== undefined;
        last = undefined;
        return { id: req.id, ok: true, op: 'release', released, ms: performance.now() - t0 };
      }
      case 'compare': {
        // One after the other: reading both at once would double the worker's peak memory for two large traces.
        const a = await loadTraceFromFiles(req.a.paths, req.a.traceId, req.maxBytes);
        const b = await loadTraceFromFiles(req.b.paths, req.b.traceId, req.maxBytes);
        const problems = [...a.problems, ...b.problems];
        const unreadable = [...(a.analysis ? [] : ['a' as const]), ...(b.analysis ? [] : ['b' as const])];
        if (!a.analysis || !b.analysis) {
          return { id: req.id, ok: true, op: 'compare', result: { modelJson: undefined, rowCount: 0, unreadable, problems, warnings: [] }, ms: performance.now() - t0 };
        }
        const source = (l: LoadedTrace): string => l.foundIn.map((f) => `${req.labels[f.path] ?? f.path} (${formatLabel(f.format)})`).join(', ');
        const model = toCompareModel(a.analysis, b.analysis, source(a), source(b));
        const result = { modelJson: JSON.stringify(model), rowCount: model.rows.length, unreadable, problems, warnings: model.warnings };
        return { id: req.id, ok: true, op: 'compare', result, ms: performance.now() - t0 };
      }
    }
  } catch (e) {
    return { id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
