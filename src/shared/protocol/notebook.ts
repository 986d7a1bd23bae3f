/**
 * The message protocol of the hypothesis notebook panel, shared by the host (`src/notebook/`) and the browser code
 * (`webview/notebook/`).
 *
 * The incident file is the single source of truth and lives in the host: the panel shows the `state` it is sent and
 * asks for changes as {@link NotebookOp}s, which the host validates ({@link parseNotebookWebviewMessage}), applies and
 * saves, then sends the new state. The panel is untrusted like every webview: it names entries by ID, never sends a
 * link, a path or a URL (links come only from the host's "Add to Notebook" commands), and "open" asks the host to
 * reopen the link the host itself keeps for that entry ID.
 */
import type { Incident } from '../../core/notebook/model';
import type { NotebookOp } from '../../core/notebook/ops';
import { parseWebviewOp } from '../../core/notebook/ops';

/** A recurring failure shape to start a hypothesis from (src/core/notebook/shapes.ts). */
export interface FailureShape {
  readonly id: string;
  /** "Connection-pool exhaustion". */
  readonly name: string;
  /** What it looks like from the outside. */
  readonly symptom: string;
  /** Where to look first, in order. */
  readonly lookFirst: readonly string[];
  /** Pre-filled hypothesis fields. */
  readonly statement: string;
  readonly prediction: string;
  readonly test: string;
}

/** Another incident of the workspace (for "Open Incident…" and the header's switcher). */
export interface IncidentListItem {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly severity: string;
  readonly started: string;
}

/** Commands the panel's buttons ask the host to run (each is also in the command palette). */
export const NOTEBOOK_PANEL_COMMANDS = ['start', 'open', 'openFile', 'handoff', 'postmortem', 'showConflict'] as const;
export type NotebookPanelCommand = (typeof NOTEBOOK_PANEL_COMMANDS)[number];

/** Host → webview. */
export type NotebookHostToWebview =
  /**
   * What to show. `incident` is absent when none is active (the panel offers Start / Open). `now` is the host's
   * clock (UTC) when sent, so the elapsed time does not depend on the page's clock alone. `revision` grows with every
   * change; `file` is the workspace-relative path of the incident file.
   */
  | {
      readonly type: 'state';
      readonly incident?: Incident;
      readonly file?: string;
      readonly revision: number;
      readonly now: string;
      readonly shapes: readonly FailureShape[];
      readonly others: readonly IncidentListItem[];
      /** Set while the file on disk and the panel's edits conflict: the panel shows a banner until it is resolved. */
      readonly conflict?: { readonly fields: readonly string[] };
      /**
       * The page's own state (drafts, open forms, …) as the host last saved it from `viewState`; sent with the first
       * state after `ready`. The page adopts it when VS Code gave it none (a window reload that lost the webview state).
       */
      readonly viewState?: unknown;
    }
  /** An op was applied (`ok`) or refused (`error`, shown next to the form it came from). */
  | { readonly type: 'applied'; readonly requestId: number; readonly ok: boolean; readonly error?: string; readonly id?: string }
  /** The last save failed: the edits are kept in memory and in a backup file, and the panel says so. */
  | { readonly type: 'saveError'; readonly message: string }
  /** A palette command ("Add Observation", "Add Hypothesis", …) asks the panel to focus that form. */
  | { readonly type: 'focus'; readonly form: 'observation' | 'hypothesis' | 'action' | 'note' };

/** Webview → host. */
export type NotebookWebviewToHost =
  | { readonly type: 'ready' }
  /** The state of `revision` is painted (tests wait on it). */
  | { readonly type: 'rendered'; readonly revision: number; readonly incident?: string }
  /** Apply `op`; the host answers with `applied` carrying the same `requestId`. */
  | { readonly type: 'op'; readonly requestId: number; readonly op: NotebookOp }
  /** Reopen what the entry with this ID links to (a trace, span, file, runbook, deploy, exemplar, web page). */
  | { readonly type: 'openEntry'; readonly id: string }
  | { readonly type: 'command'; readonly command: NotebookPanelCommand }
  /** Switch the active incident to another of the workspace (an ID from `others`). */
  | { readonly type: 'switch'; readonly id: string }
  /** The page's state (drafts typed but not saved, open forms, …), for the host to keep on disk: nothing typed is lost. */
  | { readonly type: 'viewState'; readonly state: Record<string, unknown> };

/** A `viewState` larger than this (as JSON) is not kept. */
export const MAX_VIEW_STATE_CHARS = 2_000_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isEntityId = (v: unknown): v is string => typeof v === 'string' && /^[a-z]-[a-z0-9]{1,16}$/.test(v);
const isIncidentId = (v: unknown): v is string => typeof v === 'string' && /^INC-\d{4}-\d{2}-\d{2}-\d{2,4}$/.test(v);

/** Validates a message from the (untrusted) notebook webview; undefined when it is not a known, well-formed message. */
export function parseNotebookWebviewMessage(raw: unknown): NotebookWebviewToHost | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'rendered': {
      const { revision, incident } = raw;
      if (typeof revision !== 'number' || !Number.isSafeInteger(revision)) return undefined;
      if (incident !== undefined && !isIncidentId(incident)) return undefined;
      return incident === undefined ? { type: 'rendered', revision } : { type: 'rendered', revision, incident };
    }
    case 'op': {
      const { requestId } = raw;
      const op = parseWebviewOp(raw['op']);
      return typeof requestId === 'number' && Number.isSafeInteger(requestId) && op ? { type: 'op', requestId, op } : undefined;
    }
    case 'openEntry':
      return isEntityId(raw['id']) ? { type: 'openEntry', id: raw['id'] } : undefined;
    case 'command':
      return (NOTEBOOK_PANEL_COMMANDS as readonly unknown[]).includes(raw['command']) ? { type: 'command', command: raw['command'] as NotebookPanelCommand } : undefined;
    case 'switch':
      return isIncidentId(raw['id']) ? { type: 'switch', id: raw['id'] } : undefined;
    case 'viewState': {
      const state = raw['state'];
      if (!isRecord(state) || Array.isArray(state)) return undefined;
      try {
        return JSON.stringify(state).length <= MAX_VIEW_STATE_CHARS ? { type: 'viewState', state } : undefined;
      } catch {
        return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** Checks the shape the webview relies on (the host is trusted to fill the rest correctly). */
export function isNotebookHostMessage(data: unknown): data is NotebookHostToWebview {
  if (!isRecord(data)) return false;
  switch (data['type']) {
    case 'state':
      return (
        typeof data['revision'] === 'number' &&
        typeof data['now'] === 'string' &&
        Array.isArray(data['shapes']) &&
        Array.isArray(data['others']) &&
        (data['incident'] === undefined || (isRecord(data['incident']) && typeof data['incident']['id'] === 'string' && Array.isArray(data['incident']['timeline'])))
      );
    case 'applied':
      return typeof data['requestId'] === 'number' && typeof data['ok'] === 'boolean';
    case 'saveError':
      return typeof data['message'] === 'string';
    case 'focus':
      return data['form'] === 'observation' || data['form'] === 'hypothesis' || data['form'] === 'action' || data['form'] === 'note';
    default:
      return false;
  }
}
