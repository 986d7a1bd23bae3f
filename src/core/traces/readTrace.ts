/**
 * Reads a trace document of any supported format from text. Never throws: a malformed document yields an
 * error naming the line and column; a bad line in JSON Lines is skipped with a warning naming it.
 */
import type { ReadResult, SourcePosition, Span, TraceFormat } from './model';
import { Warnings, groupTraces } from './readers/common';
import { jaegerTraces, readJaegerSpans } from './readers/jaeger';
import { otlpResourceSpans, readOtlpSpans } from './readers/otlp';
import type { IdEncoding } from './readers/otlp';
import { keepShapes } from './readers/shapes';
import { isZipkinArray, readZipkinSpans } from './readers/zipkin';

export interface ReadOptions {
  /** How IDs in OTLP bodies are encoded: `base64` for Tempo, `hex` for spec OTLP/JSON, `auto` for files. */
  readonly otlpIdEncoding?: IdEncoding;
}

/** Reads text that holds OTLP/JSON (object or JSON Lines), Jaeger UI JSON or a Zipkin v2 array. */
export function readTraceText(text: string, options: ReadOptions = {}): ReadResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, error: { message: 'The file is empty.' } };
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    const lines = tryJsonLines(body, options);
    if (lines) return lines;
    return { ok: false, error: jsonError(e, body) };
  }
  const result = readDocument(doc, options);
  // The document is ours and read: what is left of it keeps the next one's object shapes (see readers/shapes.ts).
  keepShapes(doc, body.length);
  return result;
}

/** Reads an already-parsed document (e.g. an HTTP response body). */
export function readDocument(doc: unknown, options: ReadOptions = {}): ReadResult {
  const warnings = new Warnings();
  const found = detect(doc, warnings, options);
  if (!found) {
    return { ok: false, error: { message: describeUnknown(doc) } };
  }
  const list = warnings.list();
  return { ok: true, format: found.format, traces: groupTraces(found.spans, found.format, list), warnings: list };
}

function detect(doc: unknown, warnings: Warnings, options: ReadOptions): { format: TraceFormat; spans: Span[] } | undefined {
  const rs = otlpResourceSpans(doc);
  if (rs) return { format: 'otlp-json', spans: readOtlpSpans(rs, warnings, options.otlpIdEncoding ?? 'auto') };
  const jt = jaegerTraces(doc);
  if (jt) return { format: 'jaeger-ui', spans: readJaegerSpans(jt, warnings) };
  if (isZipkinArray(doc)) return { format: 'zipkin-v2', spans: readZipkinSpans(doc, warnings) };
  return undefined;
}

function describeUnknown(doc: unknown): string {
  if (Array.isArray(doc)) return 'This JSON array is not a Zipkin v2 span list (its items have no "traceId" and "id").';
  if (typeof doc === 'object' && doc !== null) {
    const keys = Object.keys(doc).slice(0, 5).map((k) => JSON.stringify(k)).join(', ');
    return `Not a trace: expected OTLP/JSON ("resourceSpans"), Jaeger UI JSON ("data": [{"spans": …}]) or a Zipkin v2 array; found keys ${keys || '(none)'}.`;
  }
  return `Not a trace: the file holds a JSON ${typeof doc}, not an object or array.`;
}

/** JSON Lines: every non-empty line is one OTLP TracesData object. Returns undefined if the first line is not JSON. */
function tryJsonLines(text: string, options: ReadOptions): ReadResult | undefined {
  const lines = text.split('\n');
  const firstIdx = lines.findIndex((l) => l.trim() !== '');
  if (firstIdx < 0 || lines.length < 2) return undefined;
  try {
    if (!otlpResourceSpans(JSON.parse(lines[firstIdx] ?? ''))) return undefined;
  } catch {
    return undefined;
  }
  const warnings = new Warnings();
  const spans: Span[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      const err = jsonError(e, line);
      const col = err.position?.column ?? 1;
      warnings.add(`bad-line-${i}`, `Line ${i + 1}, column ${col}: skipped, not valid JSON (${err.message}).`);
      continue;
    }
    const rs = otlpResourceSpans(doc);
    if (!rs) {
      warnings.add(`not-otlp-${i}`, `Line ${i + 1}: skipped, not an OTLP TracesData object.`);
      continue;
    }
    spans.push(...readOtlpSpans(rs, warnings, options.otlpIdEncoding ?? 'auto'));
  }
  const list = warnings.list();
  return { ok: true, format: 'otlp-jsonl', traces: groupTraces(spans, 'otlp-jsonl', list), warnings: list };
}

/** Turns a JSON.parse error into a message with a 1-based line and column. */
export function jsonError(e: unknown, text: string): { message: string; position?: SourcePosition } {
  const raw = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(raw);
  const offset = m?.[1] !== undefined ? Number(m[1]) : /Unexpected end of JSON input/.test(raw) ? text.length : undefined;
  const message = raw.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
  if (offset === undefined) return { message };
  const position = positionAt(text, offset);
  const truncated = offset >= text.trimEnd().length ? ' — the file looks truncated' : '';
  return { message: `${message}${truncated}`, position };
}

export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1, offset };
}
