/** Messages between the extension host and the wire worker (dist/wireWorker.js). One index per workspace folder (`root`). */
import type { OutgoingCall } from './calls';
import type { ErrorFact, FunctionFact } from './facts';
import type { WireMap, WireProblem, WireRecord } from './model';

export type WireRequest =
  /**
   * Scan a folder. `cacheDir`: the warm-start cache's folder (files unchanged since are not read again; the cache is
   * written after the answer); `fresh`: read every file all the same (the cache is written anew).
   */
  | { readonly id: number; readonly op: 'scan'; readonly root: string; readonly exclude: readonly string[]; readonly all?: boolean | undefined; readonly cacheDir?: string | undefined; readonly fresh?: boolean | undefined }
  /** Re-read one file (workspace-relative) from `text`, or from disk. */
  | { readonly id: number; readonly op: 'update'; readonly root: string; readonly file: string; readonly text?: string | undefined }
  | { readonly id: number; readonly op: 'remove'; readonly root: string; readonly file: string }
  /** Error exits and functions of an editor's text, without changing the index. */
  | { readonly id: number; readonly op: 'fileFacts'; readonly root: string; readonly file: string; readonly text: string }
  /** The outgoing calls of the function around `line`, with where each callee is defined when the index knows. */
  | { readonly id: number; readonly op: 'calls'; readonly root: string; readonly file: string; readonly text: string; readonly line: number };

export interface CallWithTarget extends OutgoingCall {
  readonly target?: { readonly file: string; readonly line: number } | undefined;
}

/**
 * What an update or removal changed, when the index composed only part of the map: the records of every file
 * whose records changed (an empty list: the file has none now), the problems and stats. The host patches its copy
 * of the map: one saved file costs a few records on the wire, not the whole map.
 */
export interface WireDelta {
  readonly files: readonly (readonly [string, readonly WireRecord[]])[];
  readonly problems: readonly WireProblem[];
  readonly stats: WireMap['stats'];
}

export type WireResponse =
  /** `cached`: after a scan, how many files came from the warm-start cache, and why it could not be used if it could not. */
  | { readonly id: number; readonly ok: true; readonly op: 'map'; readonly map: WireMap; readonly ms: number; readonly cached?: { readonly files: number; readonly problem?: string | undefined } | undefined }
  /** After update/remove: the change (when the index composed everything again, a full 'map' comes instead). */
  | { readonly id: number; readonly ok: true; readonly op: 'delta'; readonly delta: WireDelta; readonly ms: number }
  | { readonly id: number; readonly ok: true; readonly op: 'fileFacts'; readonly errors: readonly ErrorFact[]; readonly functions: readonly FunctionFact[]; readonly ms: number }
  | { readonly id: number; readonly ok: true; readonly op: 'calls'; readonly function?: string | undefined; readonly line?: number | undefined; readonly calls: readonly CallWithTarget[]; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly message: string }
  | { readonly id: number; readonly progress: { readonly done: number; readonly total: number } }
  /** A line for the log after the answer (the warm-start cache written, or why it could not be). */
  | { readonly id: number; readonly log: string; readonly level: 'info' | 'warn' };
