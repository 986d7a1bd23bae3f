/**
 * The normalized trace model every reader (OTLP/JSON, Jaeger UI JSON, Zipkin v2) produces.
 * Times are microseconds since the Unix epoch as floats: exact integers up to 2^53 µs (year 2255),
 * with sub-microsecond fractions kept where the source had nanoseconds.
 */

/** A decoded attribute value. int64 values beyond 2^53 stay strings so no digit is lost. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

/** One key/value pair, in source order (duplicates are kept: the source may have them). */
export interface Attribute {
  readonly key: string;
  readonly value: AttrValue;
}

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusCode = 'unset' | 'ok' | 'error';

export interface SpanEvent {
  readonly name: string;
  readonly timeUs: number;
  readonly attributes: readonly Attribute[];
}

export interface SpanLink {
  /** 32 lower-case hex chars. */
  readonly traceId: string;
  /** 16 lower-case hex chars. */
  readonly spanId: string;
  readonly attributes: readonly Attribute[];
}

export interface Span {
  /** 32 lower-case hex chars. */
  readonly traceId: string;
  /** 16 lower-case hex chars. */
  readonly spanId: string;
  /** 16 lower-case hex chars, absent for a root. */
  readonly parentSpanId?: string | undefined;
  readonly name: string;
  /** `service.name` of the resource (OTLP), `process.serviceName` (Jaeger), `localEndpoint.serviceName` (Zipkin). */
  readonly service: string;
  readonly kind: SpanKind;
  readonly startUs: number;
  readonly durationUs: number;
  readonly status: { readonly code: StatusCode; readonly message?: string | undefined };
  readonly attributes: readonly Attribute[];
  readonly resource: readonly Attribute[];
  readonly scope?: { readonly name: string; readonly version?: string | undefined } | undefined;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
}

export type TraceFormat = 'otlp-json' | 'otlp-jsonl' | 'jaeger-ui' | 'zipkin-v2';

/** All spans of one trace ID found in one source (a file, later a backend). */
export interface Trace {
  readonly traceId: string;
  readonly spans: readonly Span[];
  readonly format: TraceFormat;
  /** Non-fatal problems met while reading (e.g. a span with an unreadable ID that was skipped). */
  readonly warnings: readonly string[];
}

/** A position in a source text, 1-based like an editor shows it. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** Why a source could not be read: always names where, never throws. */
export interface ReadError {
  readonly message: string;
  readonly position?: SourcePosition | undefined;
}

export type ReadResult =
  | { readonly ok: true; readonly format: TraceFormat; readonly traces: readonly Trace[]; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: ReadError };

/** Look up an attribute by key (first match), or undefined. */
export function attr(attributes: readonly Attribute[], key: string): AttrValue | undefined {
  for (const a of attributes) if (a.key === key) return a.value;
  return undefined;
}
