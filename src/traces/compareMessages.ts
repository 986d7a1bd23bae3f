import type { CompareWebviewToHost } from '../shared/protocol/compare';

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isTraceId = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{32}$/.test(v);

/** Validates a message from the (untrusted) comparison webview; undefined when it is not a known, well-formed message. */
export function parseCompareMessage(raw: unknown): CompareWebviewToHost | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'row/selected':
      return isIndex(m['row']) ? { type: 'row/selected', row: m['row'] } : undefined;
    case 'rendered':
      return isTraceId(m['traceA']) && isTraceId(m['traceB']) && isIndex(m['rowCount']) && isIndex(m['domRows'])
        ? { type: 'rendered', traceA: m['traceA'], traceB: m['traceB'], rowCount: m['rowCount'], domRows: m['domRows'] }
        : undefined;
    default:
      return undefined;
  }
}
