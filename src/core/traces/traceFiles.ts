/**
 * Reading trace files from disk: used by the worker thread of the extension and by the CLI. Node only
 * (fs), no `vscode`.
 */
import { readFile, stat } from 'node:fs/promises';
import { analyzeTrace } from './analyze';
import type { ReadError, Span, Trace, TraceFormat } from './model';
import { readTraceText } from './readTrace';
import type { FileIndexEntry } from './traceIndex';
import { indexText } from './traceIndex';
import type { TraceAnalysis } from './analyze';

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
