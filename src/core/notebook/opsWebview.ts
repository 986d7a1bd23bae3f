/**
 * The notebook's ops (what the panel and the host's "Add to Notebook" commands ask of an incident) and
 * {@link parseWebviewOp}, which rebuilds one from an untrusted webview message. Applying an op is ops.ts's `applyOp`;
 * ops.ts re-exports what is here. Pure; never imports `vscode`.
 */
import type { ActionKind, ActionStatus, EvidenceLink, HypothesisStatus, TimelineKind } from './model';
import { ACTION_KINDS, ACTION_STATUSES, DETECTED_BY, HYPOTHESIS_STATUSES, INCIDENT_STATUSES, PHASES, SEVERITIES, TIMELINE_KINDS } from './model';
import { LIMITS } from './text';

/** Front-matter fields the panel can set (strings; `undefined` clears an optional one). */
export const META_FIELDS = ['title', 'severity', 'status', 'phase', 'commander', 'detectedBy', 'alert', 'started', 'detected', 'mitigated', 'resolved', 'summary', 'impact'] as const;
export type MetaField = (typeof META_FIELDS)[number];

export type NotebookOp =
  | { readonly op: 'setMeta'; readonly field: MetaField; readonly value: string | undefined }
  | { readonly op: 'setServices'; readonly services: readonly string[] }
  | { readonly op: 'addObservation'; readonly text: string; readonly source?: string; readonly at?: string; readonly link?: EvidenceLink }
  | { readonly op: 'editObservation'; readonly id: string; readonly text?: string; readonly source?: string; readonly at?: string }
  | { readonly op: 'removeObservation'; readonly id: string }
  | { readonly op: 'addHypothesis'; readonly statement: string; readonly prediction: string; readonly test: string; readonly probability?: number; readonly shape?: string }
  | { readonly op: 'editHypothesis'; readonly id: string; readonly statement?: string; readonly prediction?: string; readonly test?: string; readonly probability?: number | null }
  | { readonly op: 'setHypothesisStatus'; readonly id: string; readonly status: HypothesisStatus; readonly verdict?: string }
  | { readonly op: 'removeHypothesis'; readonly id: string }
  | { readonly op: 'addEvidence'; readonly hypothesis: string; readonly text: string; readonly bearing: 'supports' | 'refutes' | 'neutral'; readonly at?: string; readonly link?: EvidenceLink }
  | { readonly op: 'addAction'; readonly kind: ActionKind; readonly what: string; readonly who?: string; readonly status?: ActionStatus; readonly at?: string; readonly link?: EvidenceLink }
  | { readonly op: 'editAction'; readonly id: string; readonly kind?: ActionKind; readonly what?: string; readonly who?: string; readonly status?: ActionStatus; readonly at?: string }
  | { readonly op: 'removeAction'; readonly id: string }
  | { readonly op: 'addTimeline'; readonly text: string; readonly kind?: TimelineKind; readonly at?: string; readonly link?: EvidenceLink; readonly ref?: string }
  | { readonly op: 'editTimeline'; readonly id: string; readonly text?: string; readonly at?: string }
  | { readonly op: 'removeTimeline'; readonly id: string };

export type NotebookOpName = NotebookOp['op'];

/** The bearings a piece of evidence can have on its hypothesis. */
export const BEARINGS = ['supports', 'refutes', 'neutral'] as const;

// ---------------------------------------------------------------------------------------------------------------
// parseWebviewOp
// ---------------------------------------------------------------------------------------------------------------

const OP_NAMES = [
  'setMeta', 'setServices', 'addObservation', 'editObservation', 'removeObservation', 'addHypothesis', 'editHypothesis', 'setHypothesisStatus', 'removeHypothesis',
  'addEvidence', 'addAction', 'editAction', 'removeAction', 'addTimeline', 'editTimeline', 'removeTimeline',
] as const satisfies readonly NotebookOpName[];

const ENUM_META: Partial<Record<MetaField, readonly string[]>> = { severity: SEVERITIES, status: INCIDENT_STATUSES, phase: PHASES, detectedBy: DETECTED_BY };

/** Thrown inside {@link parseWebviewOp} for a malformed field; the message is dropped. */
class Malformed extends Error {}

/**
 * An op from the (untrusted) notebook webview, rebuilt from the fields its op name knows, or undefined when anything
 * is off: an unknown op name, a field of the wrong type, a string over {@link LIMITS.webviewString}, an enum value
 * outside its list, an ID that is not an entity ID, or any `link` or `ref` at all — links come only from the host.
 * Values are checked further (empty, too long, not UTC …) by {@link applyOp}, whose error the panel shows.
 */
export function parseWebviewOp(raw: unknown): NotebookOp | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  // A webview never names a link or a timeline reference: the host makes those.
  if (Object.prototype.hasOwnProperty.call(r, 'link') || Object.prototype.hasOwnProperty.call(r, 'ref')) return undefined;
  const name = r['op'];
  if (typeof name !== 'string' || !(OP_NAMES as readonly string[]).includes(name)) return undefined;
  const bad = (): never => {
    throw new Malformed();
  };
  const s = (key: string): string => {
    const v = r[key];
    return typeof v === 'string' && v.length <= LIMITS.webviewString ? v : bad();
  };
  const os = (key: string): string | undefined => (r[key] === undefined ? undefined : s(key));
  const id = (key: string): string => {
    const v = r[key];
    return typeof v === 'string' && /^[a-z]-[a-z0-9]{1,16}$/.test(v) ? v : bad();
  };
  const e = <T extends string>(key: string, values: readonly T[]): T => {
    const v = r[key];
    return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : bad();
  };
  const oe = <T extends string>(key: string, values: readonly T[]): T | undefined => (r[key] === undefined ? undefined : e(key, values));
  const num = (key: string): number | undefined => {
    const v = r[key];
    return v === undefined ? undefined : typeof v === 'number' && Number.isFinite(v) ? v : bad();
  };
  const opt = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : ({ [key]: v } as { [P in K]?: V }));
  try {
    switch (name as NotebookOpName) {
      case 'setMeta': {
        const field = e('field', META_FIELDS);
        const v = r['value'];
        if (v !== undefined && v !== null && typeof v !== 'string') return undefined;
        const value = typeof v === 'string' ? s('value') : undefined;
        const allowed = ENUM_META[field];
        if (allowed && (value === undefined || !allowed.includes(value))) return undefined;
        return { op: 'setMeta', field, value };
      }
      case 'setServices': {
        const list = r['services'];
        if (!Array.isArray(list) || list.length > 4 * LIMITS.services || !list.every((x) => typeof x === 'string' && x.length <= LIMITS.webviewString)) return undefined;
        return { op: 'setServices', services: [...(list as string[])] };
      }
      case 'addObservation':
        return { op: 'addObservation', text: s('text'), ...opt('source', os('source')), ...opt('at', os('at')) };
      case 'editObservation':
        return { op: 'editObservation', id: id('id'), ...opt('text', os('text')), ...opt('source', os('source')), ...opt('at', os('at')) };
      case 'removeObservation':
        return { op: 'removeObservation', id: id('id') };
      case 'addHypothesis':
        return { op: 'addHypothesis', statement: s('statement'), prediction: r['prediction'] === undefined ? '' : s('prediction'), test: r['test'] === undefined ? '' : s('test'), ...opt('probability', num('probability')), ...opt('shape', os('shape')) };
      case 'editHypothesis': {
        const p = r['probability'] === null ? null : num('probability');
        return { op: 'editHypothesis', id: id('id'), ...opt('statement', os('statement')), ...opt('prediction', os('prediction')), ...opt('test', os('test')), ...(p !== undefined ? { probability: p } : {}) };
      }
      case 'setHypothesisStatus':
        return { op: 'setHypothesisStatus', id: id('id'), status: e('status', HYPOTHESIS_STATUSES), ...opt('verdict', os('verdict')) };
      case 'removeHypothesis':
        return { op: 'removeHypothesis', id: id('id') };
      case 'addEvidence':
        return { op: 'addEvidence', hypothesis: id('hypothesis'), text: s('text'), bearing: e('bearing', BEARINGS), ...opt('at', os('at')) };
      case 'addAction':
        return { op: 'addAction', kind: e('kind', ACTION_KINDS), what: s('what'), ...opt('who', os('who')), ...opt('status', oe('status', ACTION_STATUSES)), ...opt('at', os('at')) };
      case 'editAction':
        return { op: 'editAction', id: id('id'), ...opt('kind', oe('kind', ACTION_KINDS)), ...opt('what', os('what')), ...opt('who', os('who')), ...opt('status', oe('status', ACTION_STATUSES)), ...opt('at', os('at')) };
      case 'removeAction':
        return { op: 'removeAction', id: id('id') };
      case 'addTimeline':
        return { op: 'addTimeline', text: s('text'), ...opt('kind', oe('kind', TIMELINE_KINDS)), ...opt('at', os('at')) };
      case 'editTimeline':
        return { op: 'editTimeline', id: id('id'), ...opt('text', os('text')), ...opt('at', os('at')) };
      case 'removeTimeline':
        return { op: 'removeTimeline', id: id('id') };
      default:
        return undefined;
    }
  } catch (err) {
    if (err instanceof Malformed) return undefined;
    throw err;
  }
}
