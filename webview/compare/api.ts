/**
 * The comparison page's only line to the extension host (`acquireVsCodeApi()` may be called once per page). Host
 * messages are validated before they reach a handler; anything else posted to the window is dropped.
 */
import type { CompareHostToWebview, CompareModel, CompareWebviewToHost } from '../../src/shared/protocol/compare';

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

let api: VsCodeWebviewApi | undefined;

export function postMessage(message: CompareWebviewToHost): void {
  api ??= typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => undefined };
  api.postMessage(message);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function isCompareHostMessage(data: unknown): data is CompareHostToWebview {
  if (!isRecord(data)) return false;
  switch (data.type) {
    case 'compare/show':
      return typeof data.modelJson === 'string';
    case 'compare/loading':
    case 'compare/error':
      return typeof data.message === 'string';
    default:
      return false;
  }
}

/** The model of a `compare/show`, or undefined when the text is not JSON of the shape the page relies on. */
export function parseCompareModel(json: string): CompareModel | undefined {
  try {
    const m: unknown = JSON.parse(json);
    if (!isRecord(m) || !Array.isArray(m.rows) || !isRecord(m.a) || !isRecord(m.b) || !isRecord(m.summary) || !Array.isArray(m.warnings)) return undefined;
    const ok = m.rows.every((r: unknown) => isRecord(r) && typeof r.name === 'string' && typeof r.service === 'string' && typeof r.parent === 'number' && typeof r.depth === 'number' && typeof r.descendants === 'number' && typeof r.status === 'string');
    return ok ? (m as unknown as CompareModel) : undefined;
  } catch {
    return undefined;
  }
}

export function onMessage(handler: (message: CompareHostToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isCompareHostMessage(event.data)) handler(event.data);
  });
}
