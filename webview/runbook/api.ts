/**
 * The runbook page's only line to the extension host (`acquireVsCodeApi()` may be called once per page). Host
 * messages are validated before they reach a handler; anything else posted to the window is dropped.
 */
import type { RunbookHostToWebview, RunbookWebviewToHost } from '../../src/shared/protocol/runbook';
import { isRunbookHostMessage } from '../../src/shared/protocol/runbook';
import { webviewApi } from '../shared/webviewApi';

const vscode = webviewApi;

export function postMessage(message: RunbookWebviewToHost): void {
  vscode().postMessage(message);
}

/** Calls `handler` with every valid host message. */
export function onMessage(handler: (message: RunbookHostToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isRunbookHostMessage(event.data)) handler(event.data);
  });
}

/** What survives a reload of the page (VS Code keeps it while the panel lives, and across a window reload). */
export interface RunbookViewState {
  readonly file: string;
  readonly scrollTop: number;
}

export function getState(): RunbookViewState | undefined {
  const s = vscode().getState();
  if (typeof s !== 'object' || s === null) return undefined;
  const { file, scrollTop } = s as Record<string, unknown>;
  return typeof file === 'string' && typeof scrollTop === 'number' && Number.isFinite(scrollTop) ? { file, scrollTop } : undefined;
}

export function setState(state: RunbookViewState): void {
  vscode().setState(state);
}
