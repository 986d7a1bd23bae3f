import type { WebviewToHost } from '../shared/protocol/waterfall';

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Validates a message from the (untrusted) waterfall webview; undefined when it is not a known, well-formed message. */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'row/selected':
      return isIndex(m['row']) ? { type: 'row/selected', row: m['row'] } : undefined;
    case 'span/details':
      return isIndex(m['row']) ? { type: 'span/details', row: m['row'] } : undefined;
    case 'filter':
      return typeof m['query'] === 'string' && m['query'].length <= 1000 ? { type: 'filter', query: m['query'] } : undefined;
    case 'stats':
      return { type: 'stats' };
    case 'trace/copyId':
      return { type: 'trace/copyId' };
    case 'span/copyJson':
      return isIndex(m['row']) ? { type: 'span/copyJson', row: m['row'] } : undefined;
    case 'span/addToNotebook':
      return isIndex(m['row']) ? { type: 'span/addToNotebook', row: m['row'] } : undefined;
    case 'span/openCode':
      return isIndex(m['row']) ? { type: 'span/openCode', row: m['row'] } : undefined;
    case 'frame/open':
      return isIndex(m['row']) && isIndex(m['event']) && isIndex(m['frame']) ? { type: 'frame/open', row: m['row'], event: m['event'], frame: m['frame'] } : undefined;
    case 'rendered':
      return typeof m['traceId'] === 'string' && isIndex(m['rowCount']) && isIndex(m['domRows'])
        ? { type: 'rendered', traceId: m['traceId'], rowCount: m['rowCount'], domRows: m['domRows'], ...(isIndex(m['renderMs']) ? { renderMs: m['renderMs'] } : {}) }
        : undefined;
    default:
      return undefined;
  }
}
