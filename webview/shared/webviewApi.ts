/**
 * The page's handle on VS Code, shared by every webview: `acquireVsCodeApi()` may be called only once per page (VS
 * Code throws on a second call), so it is acquired lazily here. Outside VS Code (a page opened by hand, the preview
 * harness without a fake host) messages go nowhere and the state lives in memory only.
 */
export interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

let api: VsCodeWebviewApi | undefined;

export function webviewApi(): VsCodeWebviewApi {
  if (!api) {
    if (typeof acquireVsCodeApi === 'function') api = acquireVsCodeApi();
    else {
      let memory: unknown;
      api = { postMessage: () => undefined, getState: () => memory, setState: (s) => (memory = s) };
    }
  }
  return api;
}
