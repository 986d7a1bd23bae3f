/**
 * Which trace IDs each trace file holds, so "Open Trace by ID" reads only the files that have the ID.
 * Small files are summarised from a full parse (root span, duration, errors: what the Traces view shows);
 * large ones are only scanned for IDs, which is several times cheaper than parsing.
 */
import { analyzeTrace } from './analyze';
import { decodeId } from './ids';
import type { ReadError, TraceFormat } from './model';
import { readTraceText } from './readTrace';

export interface TraceSummary {
  readonly traceId: string;
  /** Root span name and service, when the file was small enough to parse while indexing. */
  readonly rootName?: string;
  readonly rootService?: string;
  readonly startUs?: number;
  readonly durationUs?: number;
  readonly spanCount?: number;
  readonly errorCount?: number;
}

export interface FileIndexEntry {
  /** Identity of the indexed content: re-index when either changes. */
  readonly mtimeMs: number;
  readonly size: number;
  readonly format?: TraceFormat;
  readonly traces: readonly TraceSummary[];
  /** Set when the file could not be read as a trace (it is still listed, with this error). */
  readonly error?: ReadError;
}

/** Files larger than this are scanned for IDs instead of parsed while indexing. */
export const summarizeLimitBytes = 8 * 1024 * 1024;

const idRe = /"trace(?:Id|ID|_id)"\s*:\s*"([^"\\]{1,64})"/g;

/** Every trace ID mentioned in the text, without parsing it (works on truncated files too). */
export function scanTraceIds(text: string): string[] {
  const ids = new Set<string>();
  for (const m of text.matchAll(idRe)) {
    const id = decodeId(m[1], 32, 'auto');
    if (id && !/^0+$/.test(id)) ids.add(id);
  }
  return [...ids];
}

/** Index entry for one file's text. */
export function indexText(text: string, stat: { mtimeMs: number; size: number }): FileIndexEntry {
  if (stat.size > summarizeLimitBytes) {
    return { mtimeMs: stat.mtimeMs, size: stat.size, traces: scanTraceIds(text).map((traceId) => ({ traceId })) };
  }
  const result = readTraceText(text);
  if (!result.ok) {
    // Still index the IDs a broken file mentions, so a lookup can name this file and its error.
    return { mtimeMs: stat.mtimeMs, size: stat.size, traces: scanTraceIds(text).map((traceId) => ({ traceId })), error: result.error };
  }
  const traces = result.traces.map((t): TraceSummary => {
    const a = analyzeTrace(t);
    const root = a.rootRow >= 0 ? a.rows[a.rootRow]?.span : undefined;
    return {
      traceId: t.traceId,
      ...(root ? { rootName: root.name, rootService: root.service } : {}),
      startUs: a.startUs,
      durationUs: a.endUs - a.startUs,
      spanCount: a.spanCount,
      errorCount: a.errorRows.length,
    };
  });
  return { mtimeMs: stat.mtimeMs, size: stat.size, format: result.format, traces };
}

/** The in-memory index: file path → entry, and trace ID → files. */
export class TraceIndex {
  private readonly files = new Map<string, FileIndexEntry>();
  private readonly byTrace = new Map<string, Set<string>>();

  set(path: string, entry: FileIndexEntry): void {
    this.remove(path);
    this.files.set(path, entry);
    for (const t of entry.traces) {
      let set = this.byTrace.get(t.traceId);
      if (!set) this.byTrace.set(t.traceId, (set = new Set()));
      set.add(path);
    }
  }

  remove(path: string): void {
    const old = this.files.get(path);
    if (!old) return;
    this.files.delete(path);
    for (const t of old.traces) {
      const set = this.byTrace.get(t.traceId);
      set?.delete(path);
      if (set?.size === 0) this.byTrace.delete(t.traceId);
    }
  }

  get(path: string): FileIndexEntry | undefined {
    return this.files.get(path);
  }

  /** Files that hold the trace, in path order. */
  lookup(traceId: string): string[] {
    return [...(this.byTrace.get(traceId) ?? [])].sort();
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  entries(): [string, FileIndexEntry][] {
    return [...this.files].sort((a, b) => a[0].localeCompare(b[0]));
  }

  get traceCount(): number {
    return this.byTrace.size;
  }
}
