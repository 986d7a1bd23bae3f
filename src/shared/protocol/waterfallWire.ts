/**
 * How a {@link WaterfallModel} travels as JSON: its rows by column (one array per field) instead of one object per
 * row, which halves the text of a 10k-span model (no repeated keys). Pure and dependency-free: the worker encodes,
 * the host and the webview decode.
 */
import type { WaterfallModel, WaterfallRow } from './waterfall';

/** The rows of a model, column by column: `name[i]` is the name of row `i`. */
export interface WireRows {
  readonly id: readonly string[];
  readonly parent: readonly number[];
  readonly depth: readonly number[];
  readonly name: readonly string[];
  readonly service: readonly string[];
  readonly serviceIndex: readonly number[];
  readonly kind: readonly string[];
  readonly startUs: readonly number[];
  readonly durationUs: readonly number[];
  readonly selfUs: readonly number[];
  readonly descendants: readonly number[];
  /** 1 = error. */
  readonly error: readonly number[];
  readonly status: readonly WaterfallRow['status'][];
  readonly statusMessage: readonly (string | null)[];
  /** 1 = the synthetic "missing parent" group row. */
  readonly missingParent: readonly number[];
  readonly critical: readonly (readonly (readonly [number, number])[])[];
  /** 1 = the span names a code location. */
  readonly hasCode: readonly number[];
}

export type WireModel = Omit<WaterfallModel, 'rows'> & { readonly rows: WireRows };

export function encodeModel(m: WaterfallModel): WireModel {
  const r = m.rows;
  return {
    ...m,
    rows: {
      id: r.map((x) => x.id),
      parent: r.map((x) => x.parent),
      depth: r.map((x) => x.depth),
      name: r.map((x) => x.name),
      service: r.map((x) => x.service),
      serviceIndex: r.map((x) => x.serviceIndex),
      kind: r.map((x) => x.kind),
      startUs: r.map((x) => x.startUs),
      durationUs: r.map((x) => x.durationUs),
      selfUs: r.map((x) => x.selfUs),
      descendants: r.map((x) => x.descendants),
      error: r.map((x) => (x.error ? 1 : 0)),
      status: r.map((x) => x.status),
      statusMessage: r.map((x) => x.statusMessage ?? null),
      missingParent: r.map((x) => (x.missingParent ? 1 : 0)),
      critical: r.map((x) => x.critical),
      hasCode: r.map((x) => (x.hasCode ? 1 : 0)),
    },
  };
}

const columns: readonly (keyof WireRows)[] = ['id', 'parent', 'depth', 'name', 'service', 'serviceIndex', 'kind', 'startUs', 'durationUs', 'selfUs', 'descendants', 'error', 'status', 'statusMessage', 'missingParent', 'critical', 'hasCode'];

/** The model of a parsed {@link WireModel}, or undefined when `w` does not have its shape. */
export function decodeModel(w: unknown): WaterfallModel | undefined {
  if (typeof w !== 'object' || w === null) return undefined;
  const m = w as Record<string, unknown>;
  const rows = m['rows'] as Record<string, unknown> | undefined;
  if (typeof m['traceId'] !== 'string' || !Array.isArray(m['services']) || !Array.isArray(m['criticalRows']) || !Array.isArray(m['warnings'])) return undefined;
  if (typeof rows !== 'object' || rows === null) return undefined;
  const id = rows['id'];
  if (!Array.isArray(id)) return undefined;
  const n = id.length;
  if (!columns.every((c) => Array.isArray(rows[c]) && (rows[c] as unknown[]).length === n)) return undefined;
  const c = rows as unknown as WireRows;
  const out: WaterfallRow[] = new Array<WaterfallRow>(n);
  for (let i = 0; i < n; i++) {
    const message = c.statusMessage[i];
    out[i] = {
      id: c.id[i] as string,
      parent: c.parent[i] as number,
      depth: c.depth[i] as number,
      name: c.name[i] as string,
      service: c.service[i] as string,
      serviceIndex: c.serviceIndex[i] as number,
      kind: c.kind[i] as string,
      startUs: c.startUs[i] as number,
      durationUs: c.durationUs[i] as number,
      selfUs: c.selfUs[i] as number,
      descendants: c.descendants[i] as number,
      error: c.error[i] === 1,
      status: c.status[i] as WaterfallRow['status'],
      ...(typeof message === 'string' ? { statusMessage: message } : {}),
      ...(c.missingParent[i] === 1 ? { missingParent: true } : {}),
      critical: c.critical[i] as readonly (readonly [number, number])[],
      hasCode: c.hasCode[i] === 1,
    };
  }
  return { ...(m as unknown as WireModel), rows: out };
}
