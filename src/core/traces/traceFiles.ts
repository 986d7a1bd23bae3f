/**
 * Reading trace files from disk: used by the worker thread of the extension and by the CLI. Node only
 * (fs), no `vscode`.
 */
import { readFile, stat } from 'node:fs/promises';
import { analyzeTrace } from './analyze';
import type { ReadError, Span, Trace, TraceFormat } from './model';
import { jsonError, readDocument, readTraceText } from './readTrace';
import { keepShapes } from './readers/shapes';
import type { FileIndexEntry } from './traceIndex';
import { indexText } from './traceIndex';
import type { TraceAnalysis } from './analyze';
import { isEmptyTrace } from '../backends/endpoints';

/** Files larger than this are refused with a message instead of exhausting memory (V8 strings top out near 512 MB). */
export const defaultMaxFileBytes = 256 * 1024 * 1024;

export class FileTooLargeError extends Error {}

export async function readTextFile(path: string, maxBytes = defaultMaxFileBytes): Promise<{ text: string; mtimeMs: number; size: number }> {
  const st = await stat(path);
  if (st.size > maxBytes) {
    throw new FileTooLargeError(`${mb(st.size)} is over the limit of ${mb(maxBytes)} (setting oncall.traces.maxFileSizeMB).`);
  }
  const text = await readFile(path, 'utf8');
  return { text, mtimeMs: st.mtimeMs, size: st.size };
}

export async function indexFile(path: string, maxBytes = defaultMaxFileBytes): Promise<FileIndexEntry> {
  try {
    const { text, mtimeMs, size } = await readTextFile(path, maxBytes);
    return indexText(text, { mtimeMs, size });
  } catch (e) {
    const st = await stat(path).catch(() => undefined);
    return { mtimeMs: st?.mtimeMs ?? 0, size: st?.size ?? 0, traces: [], error: { message: errorMessage(e) } };
  }
}

export interface FileProblem {
  readonly path: string;
  readonly error: ReadError;
}

export interface LoadedTrace {
  readonly analysis: TraceAnalysis | undefined;
  /** Files the trace's spans came from, and their formats. */
  readonly foundIn: readonly { path: string; format: TraceFormat }[];
  /** Files that could not be read: the trace may be incomplete without them. */
  readonly problems: readonly FileProblem[];
}

/**
 * Reads the trace `traceId` from `paths`, merging its spans when several files hold parts of it (duplicates,
 * same span ID and start, are dropped). Files that fail are reported, the others still used.
 */
export async function loadTraceFromFiles(paths: readonly string[], traceId: string, maxBytes = defaultMaxFileBytes): Promise<LoadedTrace> {
  const foundIn: { path: string; format: TraceFormat }[] = [];
  const problems: FileProblem[] = [];
  const spans: Span[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  let format: TraceFormat | undefined;
  for (const path of paths) {
    let text: string;
    try {
      text = (await readTextFile(path, maxBytes)).text;
    } catch (e) {
      problems.push({ path, error: { message: errorMessage(e) } });
      continue;
    }
    const result = readTraceText(text);
    if (!result.ok) {
      problems.push({ path, error: result.error });
      continue;
    }
    const trace = result.traces.find((t) => t.traceId === traceId);
    if (!trace) continue;
    foundIn.push({ path, format: result.format });
    format ??= result.format;
    for (const w of trace.warnings) warnings.push(`${path}: ${w}`);
    for (const s of trace.spans) {
      const key = `${s.spanId}@${s.startUs}`;
      if (seen.has(key)) continue;
      seen.add(key);
      spans.push(s);
    }
  }
  if (!format) return { analysis: undefined, foundIn, problems };
  const merged: Trace = { traceId, spans, format, warnings };
  return { analysis: analyzeTrace(merged), foundIn, problems };
}

export function errorMessage(e: unknown): string {
  if (e instanceof FileTooLargeError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'the file does not exist (it may have been deleted).';
  if (err?.code === 'EACCES') return 'permission denied.';
  if (err?.code === 'EISDIR') return 'this is a folder, not a file.';
  if (err?.code === 'ERR_STRING_TOO_LONG') return 'the file is too large to read as text.';
  return e instanceof Error ? e.message : String(e);
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

export interface ParsedFetch {
  readonly analysis: TraceAnalysis | undefined;
  readonly format: TraceFormat | undefined;
  /** Why there is no analysis: an unreadable body (with its position) or a body without this trace. */
  readonly problem: string | undefined;
  /** Tempo v2's `"status": "PARTIAL"` with its `message`: the trace was cut short by the backend. */
  readonly partial: string | undefined;
  /** A valid answer without spans (Jaeger `{"data":[]}`, Tempo `{}`, Zipkin `[]`): the backend has no such trace. */
  readonly empty: boolean;
}

/** Reads a trace body fetched from a backend (parsed in the worker, like files). */
export function parseFetchedTrace(text: string, traceId: string, idEncoding: 'hex' | 'base64' | 'auto'): ParsedFetch {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const err = jsonError(e, text);
    const at = err.position ? ` at line ${err.position.line}, column ${err.position.column}` : '';
    return { analysis: undefined, format: undefined, problem: `the answer is not valid JSON${at}: ${err.message}`, partial: undefined, empty: false };
  }
  const envelope = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  const partial = envelope?.['status'] === 'PARTIAL' ? (typeof envelope['message'] === 'string' && envelope['message'] !== '' ? envelope['message'] : 'the backend returned part of the trace') : undefined;
  if (isEmptyTrace(doc)) return { analysis: undefined, format: undefined, problem: 'the answer holds no spans', partial, empty: true };
  const result = readDocument(doc, { otlpIdEncoding: idEncoding });
  keepShapes(doc, text.length);
  if (!result.ok) return { analysis: undefined, format: undefined, problem: result.error.message, partial, empty: false };
  const trace = result.traces.find((t) => t.traceId === traceId);
  if (!trace) {
    const found = result.traces.map((t) => t.traceId).slice(0, 3);
    return { analysis: undefined, format: result.format, problem: found.length > 0 ? `the answer holds trace(s) ${found.join(', ')}, not ${traceId}` : 'the answer holds no spans', partial, empty: found.length === 0 };
  }
  return { analysis: analyzeTrace(trace), format: result.format, problem: undefined, partial, empty: false };
}
