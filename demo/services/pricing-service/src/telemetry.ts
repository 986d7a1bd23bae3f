import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';

// The SDK itself is started by otel.ts (loaded with `node --import`, see the Dockerfile).
// code.* attributes (code.file.path, code.line.number, code.column.number, code.function.name) come
// from our build step `otel-code-attrs`: it stamps every function with its declaration site and
// rewrites startSpan() calls to pass the enclosing function's site. SERVER spans use the site of the
// route handler (codeAttributesOf). That is why handlers never set them by hand.
const tracer = trace.getTracer('pricing-service', '4.18.2');

const recorded = new WeakSet<object>();

export interface StartSpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
}

const CODE_SITE = Symbol.for('otel-code-attrs.site');

/** The declaration site stamped on `fn` by the build step, as code.* attributes. */
export function codeAttributesOf(fn: Function): Attributes {
  return (fn as Function & { [CODE_SITE]?: Attributes })[CODE_SITE] ?? {};
}

export function startSpan(name: string, options: StartSpanOptions = {}): Span {
  return tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes });
}

/** Runs `work` with `span` as the active span, so spans started inside become its children. */
export function inSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  return context.with(trace.setSpan(context.active(), span), work);
}

/**
 * Marks the span as failed. The exception event is recorded only once, on the innermost span the
 * error passed through, so a stack trace is not repeated on every ancestor.
 */
export function failSpan(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  if (!recorded.has(error)) {
    recorded.add(error);
    span.recordException(error);
  }
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}
