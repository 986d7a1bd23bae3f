/**
 * Fetches one trace by ID from Jaeger (v1 UI API and v3 OTLP API), Tempo (v1 and v2) or Zipkin v2, and normalizes
 * it with the same readers the files go through. Endpoints, parameters, ID encodings and error bodies follow
 * ../shared/reference/trace-apis.md §0–3; where upstream source was re-checked, the comment says so.
 *
 * Never throws for what can go wrong on the way (network, status, body): the result says `ok: false` with a
 * BackendFailure whose message is ready for the user.
 */
import type { RequestOptions } from '../http/request';
import type { Trace, TraceFormat } from '../traces/model';
import { jsonError, readDocument } from '../traces/readTrace';
import type { BackendFailure } from './failures';
import type { BackendConfig } from './types';
import { canonicalTraceId, isEmptyTrace, tempoPartial, traceEndpoint } from './endpoints';
import { fetchTraceBody } from './traceBody';

export { canonicalTraceId, isEmptyTrace, traceEndpoint };

export interface FetchOptions extends RequestOptions {
  /** "Now" for the lookback window (tests pin it); default the clock. */
  readonly now?: Date;
}

export type FetchResult =
  | {
      readonly ok: true;
      readonly backend: string;
      /** The request URL, credentials removed. */
      readonly url: string;
      /** Normalized; the requested trace first (a backend may return more, e.g. Jaeger with `raw`). */
      readonly traces: readonly Trace[];
      readonly format: TraceFormat;
      /** Tempo v2 `status: "PARTIAL"`: the trace is incomplete, and Tempo's `message` says why. */
      readonly partial?: string | undefined;
      readonly warnings: readonly string[];
      readonly bytes: number;
      readonly ms: number;
    }
  | { readonly ok: false; readonly backend: string; readonly error: BackendFailure };

/** Fetches trace `traceId` (16/32 hex, any case) from `backend` and normalizes it (parsing on this thread). */
export async function fetchTrace(backend: BackendConfig, traceId: string, options: FetchOptions = {}): Promise<FetchResult> {
  const fail = (error: BackendFailure): FetchResult => ({ ok: false, backend: backend.name, error });
  const body = await fetchTraceBody(backend, traceId, options);
  if (!body.ok) return body;
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch (e) {
    const err = jsonError(e, body.text);
    const at = err.position ? ` at line ${err.position.line}, column ${err.position.column}` : '';
    return fail({ kind: 'not-json', message: `${backend.name} (${body.url}) answered with broken JSON${at}: ${err.message}` });
  }
  const id = body.traceId;
  if (isEmptyTrace(json)) {
    return fail({ kind: 'not-found', message: `Trace ${id} was not found in ${backend.name} (${body.url}, searched ${body.searched}): the answer held no spans.` });
  }
  const read = readDocument(json, { otlpIdEncoding: body.idEncoding });
  if (!read.ok) {
    return fail({ kind: 'unreadable', message: `${backend.name} (${body.url}) answered with JSON that is not a trace of the expected kind (${backend.kind}): ${read.error.message}` });
  }
  const wanted = read.traces.filter((t) => t.traceId === id);
  const others = read.traces.filter((t) => t.traceId !== id);
  const warnings = [...read.warnings];
  if (wanted.length === 0) warnings.push(`${backend.name} answered with trace(s) ${others.map((t) => t.traceId).slice(0, 3).join(', ')} instead of ${id}.`);
  return {
    ok: true,
    backend: backend.name,
    url: body.url,
    traces: [...wanted, ...others],
    format: read.format,
    partial: tempoPartial(backend, json),
    warnings,
    bytes: body.bytes,
    ms: body.ms,
  };
}

