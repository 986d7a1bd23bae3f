/**
 * The one place the webview talks to the extension host. `acquireVsCodeApi()` may be called only once per page
 * (VS Code throws on a second call), so it is acquired lazily here and every component goes through this module.
 *
 * Messages from the host are validated at runtime before they reach a handler: anything that is not a
 * well-formed {@link HostToWebview} is dropped (other extensions' iframes, devtools, stray `postMessage`s).
 */
import type { HostToWebview, WaterfallModel, WaterfallViewState, WebviewToHost } from '../../src/shared/protocol/waterfall';
import { decodeModel } from '../../src/shared/protocol/waterfallWire';
import { webviewApi } from './webviewApi';

const vscode = webviewApi;

export function postMessage(message: WebviewToHost): void {
  vscode().postMessage(message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Checks the shape the webview relies on; the host is trusted to fill the rest of the model correctly. */
export function isHostToWebview(data: unknown): data is HostToWebview {
  if (!isRecord(data) || typeof data.type !== 'string') return false;
  switch (data.type) {
    case 'trace/show':
      return typeof data.modelJson === 'string' && (data.selectRow === undefined || typeof data.selectRow === 'number');
    case 'trace/loading':
    case 'trace/error':
      return typeof data.message === 'string';
    case 'span/details': {
      const d = data.details;
      return typeof data.traceId === 'string' && typeof data.row === 'number' && isRecord(d) && Array.isArray(d.attributes) && Array.isArray(d.resource) && Array.isArray(d.events) && Array.isArray(d.links);
    }
    case 'span/detailsFailed':
      return typeof data.traceId === 'string' && typeof data.message === 'string';
    case 'filter/result':
      return typeof data.traceId === 'string' && typeof data.query === 'string' && Array.isArray(data.matches) && data.matches.every((m) => typeof m === 'number');
    case 'stats/result':
      return typeof data.traceId === 'string' && isRecord(data.stats) && Array.isArray(data.stats.services) && Array.isArray(data.stats.operations);
    default:
      return false;
  }
}

/** The model of a `trace/show`, or undefined when the text is not JSON of the shape the webview relies on. */
export function parseModel(json: string): WaterfallModel | undefined {
  try {
    return decodeModel(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/** Calls `handler` with every valid host message; returns a function that unsubscribes. */
export function onMessage(handler: (message: HostToWebview) => void): () => void {
  const listener = (event: MessageEvent<unknown>): void => {
    if (isHostToWebview(event.data)) handler(event.data);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

function isViewState(v: unknown): v is WaterfallViewState {
  return (
    isRecord(v) &&
    typeof v.traceId === 'string' &&
    typeof v.selectedRow === 'number' &&
    typeof v.scrollTop === 'number' &&
    Array.isArray(v.collapsed) &&
    v.collapsed.every((c) => typeof c === 'string')
  );
}

/** The state saved by {@link setState}, or undefined when there is none (or it is not a view state). */
export function getState(): WaterfallViewState | undefined {
  const s = vscode().getState();
  return isViewState(s) ? s : undefined;
}

export function setState(state: WaterfallViewState): void {
  vscode().setState(state);
}
