/**
 * The notebook page's only line to the extension host (`acquireVsCodeApi()` may be called once per page). Host
 * messages are validated before they reach a handler; anything else posted to the window is dropped. Also the
 * page's persisted state (`vscode.setState`): the panel is a webview view that VS Code destroys when it is hidden,
 * so drafts and the reader's place live there, written on every input.
 */
import type { NotebookHostToWebview, NotebookWebviewToHost } from '../../src/shared/protocol/notebook';
import { isNotebookHostMessage } from '../../src/shared/protocol/notebook';
import { webviewApi } from '../shared/webviewApi';

const vscode = webviewApi;

export function postMessage(message: NotebookWebviewToHost): void {
  vscode().postMessage(message);
}

/** Calls `handler` with every valid host message. */
export function onMessage(handler: (message: NotebookHostToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isNotebookHostMessage(event.data)) handler(event.data);
  });
}

/** Form field name → text typed. */
export type Draft = Record<string, string>;

/** What survives hiding the panel or reloading the page. */
export interface NotebookViewState {
  /** Per incident ID ('' when none): form key → draft (also of a form closed with Escape). */
  readonly drafts: Record<string, Record<string, Draft>>;
  /** Per incident ID: the keys of the open forms. */
  readonly open: Record<string, readonly string[]>;
  /** Section IDs the reader collapsed. */
  readonly collapsed: readonly string[];
  /** Scroll positions of the page and its columns, for the column count they were taken in. */
  readonly scroll: { readonly columns: number; readonly tops: readonly number[] };
  readonly shapeFilter: string;
  readonly timelineOrder: 'newest' | 'oldest';
  /** Request IDs keep growing across reloads, so a late `applied` never matches a new request. */
  readonly nextRequestId: number;
  /** The focus key (`data-fk`) of the element that had focus. */
  readonly focus?: string;
  /** When it was saved (page clock, ms): the newer of VS Code's copy and the host's wins after a reload. */
  readonly savedAt?: number;
}

export const EMPTY_VIEW_STATE: NotebookViewState = { drafts: {}, open: {}, collapsed: [], scroll: { columns: 0, tops: [] }, shapeFilter: '', timelineOrder: 'newest', nextRequestId: 1 };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringRecord = (v: unknown): v is Record<string, string> => isRecord(v) && Object.values(v).every((x) => typeof x === 'string');

/** The saved state, each part checked (a part that does not fit falls back to its default). */
export function getState(): NotebookViewState {
  return parseViewState(vscode().getState());
}

/** A state from VS Code or from the host's copy, each part checked. */
export function parseViewState(s: unknown): NotebookViewState {
  if (!isRecord(s)) return EMPTY_VIEW_STATE;
  const drafts: Record<string, Record<string, Draft>> = {};
  if (isRecord(s['drafts'])) {
    for (const [incident, forms] of Object.entries(s['drafts'])) {
      if (!isRecord(forms)) continue;
      const ok: Record<string, Draft> = {};
      for (const [key, d] of Object.entries(forms)) if (isStringRecord(d)) ok[key] = d;
      drafts[incident] = ok;
    }
  }
  const open: Record<string, string[]> = {};
  if (isRecord(s['open'])) {
    for (const [incident, keys] of Object.entries(s['open'])) if (Array.isArray(keys)) open[incident] = keys.filter((k): k is string => typeof k === 'string');
  }
  const scroll = isRecord(s['scroll']) && typeof s['scroll']['columns'] === 'number' && Array.isArray(s['scroll']['tops']) && s['scroll']['tops'].every((t) => typeof t === 'number' && Number.isFinite(t)) ? { columns: s['scroll']['columns'], tops: s['scroll']['tops'] as number[] } : EMPTY_VIEW_STATE.scroll;
  const next = s['nextRequestId'];
  return {
    drafts,
    open,
    collapsed: Array.isArray(s['collapsed']) ? s['collapsed'].filter((c): c is string => typeof c === 'string') : [],
    scroll,
    shapeFilter: typeof s['shapeFilter'] === 'string' ? s['shapeFilter'] : '',
    timelineOrder: s['timelineOrder'] === 'oldest' ? 'oldest' : 'newest',
    nextRequestId: typeof next === 'number' && Number.isSafeInteger(next) && next > 0 ? next : 1,
    ...(typeof s['focus'] === 'string' ? { focus: s['focus'] } : {}),
    ...(typeof s['savedAt'] === 'number' && Number.isFinite(s['savedAt']) ? { savedAt: s['savedAt'] } : {}),
  };
}

let mirrorTimer: ReturnType<typeof setTimeout> | undefined;
let mirrored: NotebookViewState | undefined;

/** Saves the state in VS Code's webview state, and (a moment later) sends the host a copy it keeps on disk. */
export function setState(state: NotebookViewState): void {
  vscode().setState(state);
  mirrored = state;
  if (mirrorTimer === undefined) mirrorTimer = setTimeout(flushMirror, 250);
}

function flushMirror(): void {
  mirrorTimer = undefined;
  if (mirrored) postMessage({ type: 'viewState', state: mirrored as unknown as Record<string, unknown> });
  mirrored = undefined;
}

// The page is going away (the panel hidden or the window reloading): send what is pending now.
window.addEventListener('pagehide', flushMirror);
