/**
 * The edits the notebook makes to an incident: the panel sends them (validated by {@link parseWebviewOp}: a webview
 * never sends links), the host's "Add to Notebook" commands apply them with links, and {@link applyOp} turns an
 * incident and an op into the next incident. Pure; never imports `vscode`. The ops themselves and
 * {@link parseWebviewOp} are in opsWebview.ts and re-exported here.
 */
import type { Action, ActionKind, ActionStatus, Evidence, EvidenceLink, Hypothesis, Incident, Observation, TimelineEntry, TimelineKind } from './model';
import { ACTION_KINDS, ACTION_STATUSES, DETECTED_BY, HYPOTHESIS_STATUSES, INCIDENT_STATUSES, PHASES, SEVERITIES, TIMELINE_KINDS, isUtc } from './model';
import { checkLink } from './links';
import type { MetaField, NotebookOp } from './opsWebview';
import { BEARINGS } from './opsWebview';
import { LIMITS, firstLine, normalizeLine, normalizeText } from './text';

export { countingIds, newEntityId, opContext } from './ids';
export { META_FIELDS, parseWebviewOp } from './opsWebview';
export type { MetaField, NotebookOp, NotebookOpName } from './opsWebview';

/** What {@link applyOp} needs from outside: the clock and a source of fresh IDs (random in production, counted in tests). */
export interface OpContext {
  /** Now, UTC (model format). */
  readonly now: string;
  /** A fresh ID with the prefix (`o`, `h`, `e`, `a`, `t`), not used in the incident yet. */
  newId(prefix: string): string;
}

export type OpResult = { readonly ok: true; readonly incident: Incident; readonly id?: string } | { readonly ok: false; readonly error: string };

// ---------------------------------------------------------------------------------------------------------------
// applyOp
// ---------------------------------------------------------------------------------------------------------------

/** A refused op; caught in {@link applyOp} and returned as its error. */
class OpError extends Error {}

const fail = (message: string): never => {
  throw new OpError(message);
};

/**
 * The incident after `op`, or why the op is refused (an unknown ID, an empty statement, a time that is not UTC …).
 * Pure: `incident` is not changed. Besides the edit itself, what a person expects happens on the timeline: adding an
 * observation, hypothesis, action or evidence adds an entry about it (`ref` = its ID, `at` = its time); a hypothesis
 * going to `testing` adds an `experiment` entry and to a verdict a `verdict` entry; a change of phase or status adds
 * a `phase` / `status` entry, and the status `mitigated` / `resolved` / `closed` sets the missing `mitigated` and
 * `resolved` times to now; removing an item removes the entries about it. The timeline stays sorted by time (stable),
 * actions stay grouped by kind (mitigation, diagnosis, fix). Add ops return the new item's ID.
 */
export function applyOp(incident: Incident, op: NotebookOp, ctx: OpContext): OpResult {
  try {
    if (!isUtc(ctx.now)) fail(`The clock's time ${JSON.stringify(ctx.now)} is not a UTC time like 2026-11-24T03:12:09Z.`);
    return apply(incident, op, ctx);
  } catch (e) {
    if (e instanceof OpError) return { ok: false, error: e.message };
    throw e;
  }
}

function apply(inc: Incident, op: NotebookOp, ctx: OpContext): OpResult {
  const ids = allIds(inc);
  const newId = (prefix: string): string => {
    for (let i = 0; i < 10; i++) {
      const id = ctx.newId(prefix);
      if (/^[a-z]-[a-z0-9]{1,16}$/.test(id) && !ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
    return fail(`The ID source keeps returning IDs that are taken or malformed (prefix "${prefix}").`);
  };
  const entry = (kind: TimelineKind, text: string, at: string, ref?: string): TimelineEntry => ({ id: newId('t'), at, kind, text: firstLine(text, 200), ...(ref !== undefined ? { ref } : {}) });
  const done = (next: Incident, id?: string): OpResult => ({ ok: true, incident: next, ...(id !== undefined ? { id } : {}) });

  switch (op.op) {
    case 'setMeta':
      return done(setMeta(inc, op.field, op.value, ctx.now, entry));
    case 'setServices': {
      if (!Array.isArray(op.services)) fail('Services must be a list of names.');
      const services: string[] = [];
      for (const s of op.services) {
        const name = line(s, 'A service name', LIMITS.name, true);
        if (!services.includes(name)) services.push(name);
      }
      if (services.length > LIMITS.services) fail(`At most ${LIMITS.services} services.`);
      return done({ ...inc, services });
    }
    case 'addObservation': {
      const text = block(op.text, 'The observation', true);
      const source = optLine(op.source, 'The source', LIMITS.name);
      const at = time(op.at, 'The time', ctx.now);
      const link = optLink(op.link);
      const id = newId('o');
      const obs: Observation = { id, at, text, ...(source !== undefined ? { source } : {}), ...(link !== undefined ? { link } : {}) };
      return done({ ...inc, observations: [...inc.observations, obs], timeline: insertTimeline(inc.timeline, entry('observation', text, at, id)) }, id);
    }
    case 'editObservation': {
      const old = find(inc.observations, op.id, 'observation', inc);
      const text = op.text === undefined ? old.text : block(op.text, 'The observation', true);
      const source = op.source === undefined ? old.source : optLine(op.source, 'The source', LIMITS.name);
      const at = op.at === undefined ? old.at : time(op.at, 'The time', ctx.now);
      const next: Observation = { id: old.id, at, text, ...(source !== undefined ? { source } : {}), ...(old.link !== undefined ? { link: old.link } : {}) };
      // The timeline entry that mirrors the observation follows it.
      let timeline = inc.timeline;
      if (at !== old.at || text !== old.text) {
        const mirror = (t: TimelineEntry): boolean => t.ref === old.id && t.kind === 'observation';
        const moved = timeline.filter(mirror).map((t) => ({ ...t, at, text: firstLine(text, 200) }));
        timeline = moved.reduce((tl, t) => insertTimeline(tl, t), timeline.filter((t) => !mirror(t)));
      }
      return done({ ...inc, observations: inc.observations.map((o) => (o.id === old.id ? next : o)), timeline });
    }
    case 'removeObservation': {
      const old = find(inc.observations, op.id, 'observation', inc);
      return done({ ...inc, observations: inc.observations.filter((o) => o.id !== old.id), timeline: inc.timeline.filter((t) => t.ref !== old.id) });
    }
    case 'addHypothesis': {
      const statement = line(op.statement, 'The statement', LIMITS.line, true);
      const prediction = block(op.prediction ?? '', 'The prediction', false);
      const test = block(op.test ?? '', 'The test', false);
      const probability = op.probability === undefined ? undefined : percent(op.probability);
      const shape = optShape(op.shape);
      const id = newId('h');
      const h: Hypothesis = { id, at: ctx.now, statement, prediction, test, ...(probability !== undefined ? { probability } : {}), status: 'open', ...(shape !== undefined ? { shape } : {}), evidence: [] };
      const n = inc.hypotheses.length + 1;
      return done({ ...inc, hypotheses: [...inc.hypotheses, h], timeline: insertTimeline(inc.timeline, entry('hypothesis', `H${n} raised: ${statement}`, ctx.now, id)) }, id);
    }
    case 'editHypothesis': {
      const old = find(inc.hypotheses, op.id, 'hypothesis', inc);
      const statement = op.statement === undefined ? old.statement : line(op.statement, 'The statement', LIMITS.line, true);
      const prediction = op.prediction === undefined ? old.prediction : block(op.prediction, 'The prediction', false);
      const test = op.test === undefined ? old.test : block(op.test, 'The test', false);
      const probability = op.probability === undefined ? old.probability : op.probability === null ? undefined : percent(op.probability);
      const next: Hypothesis = {
        id: old.id, at: old.at, statement, prediction, test, ...(probability !== undefined ? { probability } : {}), status: old.status,
        ...(old.shape !== undefined ? { shape: old.shape } : {}), evidence: old.evidence, ...(old.verdict !== undefined ? { verdict: old.verdict } : {}),
      };
      return done({ ...inc, hypotheses: inc.hypotheses.map((h) => (h.id === old.id ? next : h)) });
    }
    case 'setHypothesisStatus': {
      const old = find(inc.hypotheses, op.id, 'hypothesis', inc);
      const status = oneOf(op.status, HYPOTHESIS_STATUSES, 'hypothesis status');
      const verdict = op.verdict === undefined ? old.verdict : optBlock(op.verdict, 'The verdict');
      const { verdict: _drop, ...rest } = old;
      const next: Hypothesis = { ...rest, status, ...(verdict !== undefined ? { verdict } : {}) };
      let timeline = inc.timeline;
      if (status !== old.status) {
        const n = `H${inc.hypotheses.indexOf(old) + 1}`;
        const e =
          status === 'testing'
            ? entry('experiment', `Testing ${n}: ${firstLine(old.test) || old.statement}`, ctx.now, old.id)
            : status === 'open'
              ? entry('hypothesis', `${n} reopened: ${old.statement}`, ctx.now, old.id)
              : entry('verdict', `${n} ${status}: ${old.statement}${verdict !== undefined ? ` — ${firstLine(verdict, 120)}` : ''}`, ctx.now, old.id);
        timeline = insertTimeline(timeline, e);
      }
      return done({ ...inc, hypotheses: inc.hypotheses.map((h) => (h.id === old.id ? next : h)), timeline });
    }
    case 'removeHypothesis': {
      const old = find(inc.hypotheses, op.id, 'hypothesis', inc);
      const gone = new Set([old.id, ...old.evidence.map((e) => e.id)]);
      return done({ ...inc, hypotheses: inc.hypotheses.filter((h) => h.id !== old.id), timeline: inc.timeline.filter((t) => t.ref === undefined || !gone.has(t.ref)) });
    }
    case 'addEvidence': {
      const h = find(inc.hypotheses, op.hypothesis, 'hypothesis', inc);
      const text = block(op.text, 'The evidence', true);
      const bearing = oneOf(op.bearing, BEARINGS, 'bearing');
      const at = time(op.at, 'The time', ctx.now);
      const link = optLink(op.link);
      const id = newId('e');
      const ev: Evidence = { id, at, text, bearing, ...(link !== undefined ? { link } : {}) };
      const n = `H${inc.hypotheses.indexOf(h) + 1}`;
      const label = bearing === 'supports' ? `Evidence for ${n}` : bearing === 'refutes' ? `Evidence against ${n}` : `Evidence on ${n}`;
      return done(
        { ...inc, hypotheses: inc.hypotheses.map((x) => (x.id === h.id ? { ...x, evidence: [...x.evidence, ev] } : x)), timeline: insertTimeline(inc.timeline, entry('evidence', `${label}: ${firstLine(text)}`, at, id)) },
        id,
      );
    }
    case 'addAction': {
      const kind = oneOf(op.kind, ACTION_KINDS, 'action kind');
      const what = line(op.what, 'The action', LIMITS.line, true);
      const who = optLine(op.who, 'Who', LIMITS.name);
      const status = op.status === undefined ? 'planned' : oneOf(op.status, ACTION_STATUSES, 'action status');
      const at = time(op.at, 'The time', ctx.now);
      const link = optLink(op.link);
      const id = newId('a');
      const a: Action = { id, kind, what, ...(who !== undefined ? { who } : {}), at, status, ...(link !== undefined ? { link } : {}) };
      return done({ ...inc, actions: groupActions([...inc.actions, a]), timeline: insertTimeline(inc.timeline, entry('action', `${actionLabel(kind, status)}: ${what}`, at, id)) }, id);
    }
    case 'editAction': {
      const old = find(inc.actions, op.id, 'action', inc);
      const kind = op.kind === undefined ? old.kind : oneOf(op.kind, ACTION_KINDS, 'action kind');
      const what = op.what === undefined ? old.what : line(op.what, 'The action', LIMITS.line, true);
      const who = op.who === undefined ? old.who : optLine(op.who, 'Who', LIMITS.name);
      const status = op.status === undefined ? old.status : oneOf(op.status, ACTION_STATUSES, 'action status');
      const at = op.at === undefined ? old.at : time(op.at, 'The time', ctx.now);
      const next: Action = { id: old.id, kind, what, ...(who !== undefined ? { who } : {}), at, status, ...(old.link !== undefined ? { link: old.link } : {}) };
      // A kind change moves the action to the end of its new group.
      const actions = kind === old.kind ? inc.actions.map((a) => (a.id === old.id ? next : a)) : groupActions([...inc.actions.filter((a) => a.id !== old.id), next]);
      const timeline = status !== old.status ? insertTimeline(inc.timeline, entry('action', `${actionLabel(kind, status)}: ${what}`, ctx.now, old.id)) : inc.timeline;
      return done({ ...inc, actions, timeline });
    }
    case 'removeAction': {
      const old = find(inc.actions, op.id, 'action', inc);
      return done({ ...inc, actions: inc.actions.filter((a) => a.id !== old.id), timeline: inc.timeline.filter((t) => t.ref !== old.id) });
    }
    case 'addTimeline': {
      const text = line(op.text, 'The timeline entry', LIMITS.line, true);
      const kind = op.kind === undefined ? 'note' : oneOf(op.kind, TIMELINE_KINDS, 'timeline kind');
      const at = time(op.at, 'The time', ctx.now);
      const link = optLink(op.link);
      if (op.ref !== undefined && (typeof op.ref !== 'string' || !refTargets(inc).has(op.ref))) fail(`There is no observation, hypothesis, evidence or action with ID ${String(op.ref)} in ${inc.id}.`);
      const id = newId('t');
      const t: TimelineEntry = { id, at, kind, text, ...(link !== undefined ? { link } : {}), ...(op.ref !== undefined ? { ref: op.ref } : {}) };
      return done({ ...inc, timeline: insertTimeline(inc.timeline, t) }, id);
    }
    case 'editTimeline': {
      const old = find(inc.timeline, op.id, 'timeline entry', inc);
      const text = op.text === undefined ? old.text : line(op.text, 'The timeline entry', LIMITS.line, true);
      const at = op.at === undefined ? old.at : time(op.at, 'The time', ctx.now);
      const next: TimelineEntry = { ...old, text, at };
      const timeline = at === old.at ? inc.timeline.map((t) => (t.id === old.id ? next : t)) : insertTimeline(inc.timeline.filter((t) => t.id !== old.id), next);
      return done({ ...inc, timeline });
    }
    case 'removeTimeline': {
      const old = find(inc.timeline, op.id, 'timeline entry', inc);
      return done({ ...inc, timeline: inc.timeline.filter((t) => t.id !== old.id) });
    }
    default: {
      const unknown: { op?: unknown } = op;
      return fail(`Unknown notebook op ${JSON.stringify(unknown.op)}.`);
    }
  }
}

type MakeEntry = (kind: TimelineKind, text: string, at: string, ref?: string) => TimelineEntry;

function setMeta(inc: Incident, field: MetaField, value: string | undefined, now: string, entry: MakeEntry): Incident {
  if (value !== undefined && typeof value !== 'string') fail(`The value of "${String(field)}" must be text.`);
  switch (field) {
    case 'title':
      return { ...inc, title: line(value ?? '', 'The title', LIMITS.line, true) };
    case 'commander':
      return { ...inc, commander: line(value ?? '', 'The incident commander', LIMITS.name, true) };
    case 'alert':
      return without(inc, 'alert', optLine(value, 'The alert', LIMITS.line));
    case 'severity':
      return { ...inc, severity: oneOf(value, SEVERITIES, 'severity') };
    case 'detectedBy':
      return { ...inc, detectedBy: oneOf(value, DETECTED_BY, '"detected by"') };
    case 'started':
      return { ...inc, started: time(value ?? '', 'The start', now, false) };
    case 'detected':
    case 'mitigated':
    case 'resolved':
      return without(inc, field, value === undefined || value.trim() === '' ? undefined : time(value, `The "${field}" time`, now, false));
    case 'summary':
      return { ...inc, summary: block(value ?? '', 'The summary', false) };
    case 'impact':
      return { ...inc, impact: block(value ?? '', 'The impact', false) };
    case 'phase': {
      const phase = oneOf(value, PHASES, 'phase');
      if (phase === inc.phase) return inc;
      return { ...inc, phase, timeline: insertTimeline(inc.timeline, entry('phase', `Phase: ${phase}`, now)) };
    }
    case 'status': {
      const status = oneOf(value, INCIDENT_STATUSES, 'status');
      if (status === inc.status) return inc;
      let next: Incident = { ...inc, status, timeline: insertTimeline(inc.timeline, entry('status', `Status: ${status}`, now)) };
      // Resolving implies the bleeding stopped; closing implies both.
      if (status !== 'active' && next.mitigated === undefined) next = { ...next, mitigated: now };
      if ((status === 'resolved' || status === 'closed') && next.resolved === undefined) next = { ...next, resolved: now };
      return next;
    }
    default:
      return fail(`Unknown incident field ${JSON.stringify(field)}.`);
  }
}

/** `inc` with the optional key set to `value`, or left out when `value` is undefined. */
function without<K extends 'alert' | 'detected' | 'mitigated' | 'resolved'>(inc: Incident, key: K, value: string | undefined): Incident {
  const copy: Record<string, unknown> = { ...inc };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy as unknown as Incident;
}

function actionLabel(kind: ActionKind, status: ActionStatus): string {
  return `${kind === 'mitigation' ? 'Mitigation' : kind === 'diagnosis' ? 'Diagnosis' : 'Fix'} ${status}`;
}

/** Actions grouped by kind in {@link ACTION_KINDS} order, the order within a kind kept (the order the file shows). */
export function groupActions(actions: readonly Action[]): Action[] {
  return ACTION_KINDS.flatMap((k) => actions.filter((a) => a.kind === k));
}

/** `entry` inserted after every entry at the same time or earlier (the timeline stays sorted, stable). */
export function insertTimeline(timeline: readonly TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  let i = timeline.length;
  while (i > 0 && (timeline[i - 1] as TimelineEntry).at > entry.at) i--;
  return [...timeline.slice(0, i), entry, ...timeline.slice(i)];
}

/** The timeline sorted by time, stable for equal times. */
export function sortTimeline(timeline: readonly TimelineEntry[]): TimelineEntry[] {
  return timeline
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (a.t.at < b.t.at ? -1 : a.t.at > b.t.at ? 1 : a.i - b.i))
    .map((x) => x.t);
}

function allIds(inc: Incident): Set<string> {
  const ids = refTargets(inc);
  for (const t of inc.timeline) ids.add(t.id);
  return ids;
}

/** IDs a timeline entry may be about. */
function refTargets(inc: Incident): Set<string> {
  const ids = new Set<string>();
  for (const o of inc.observations) ids.add(o.id);
  for (const h of inc.hypotheses) {
    ids.add(h.id);
    for (const e of h.evidence) ids.add(e.id);
  }
  for (const a of inc.actions) ids.add(a.id);
  return ids;
}

function find<T extends { readonly id: string }>(list: readonly T[], id: unknown, what: string, inc: Incident): T {
  const found = typeof id === 'string' ? list.find((x) => x.id === id) : undefined;
  return found ?? fail(`There is no ${what} with ID ${typeof id === 'string' ? id : JSON.stringify(id)} in ${inc.id} (it may have been removed in another window).`);
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') fail(`${what} must be text.`);
  return v as string;
}

/** One line of text (line breaks become spaces), trimmed, within `max`; `required`: not empty. */
function line(v: unknown, what: string, max: number, required: boolean): string {
  const s = normalizeLine(str(v, what));
  if (required && s === '') fail(`${what} is empty.`);
  if (s.length > max) fail(`${what} is longer than ${max} characters (${s.length}).`);
  return s;
}

function optLine(v: unknown, what: string, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = line(v, what, max, false);
  return s === '' ? undefined : s;
}

/** Markdown text (several lines), trimmed, within the text limit. */
function block(v: unknown, what: string, required: boolean): string {
  const s = normalizeText(str(v, what));
  if (required && s === '') fail(`${what} is empty.`);
  if (s.length > LIMITS.text) fail(`${what} is longer than ${LIMITS.text} characters (${s.length}).`);
  return s;
}

function optBlock(v: unknown, what: string): string | undefined {
  const s = block(v, what, false);
  return s === '' ? undefined : s;
}

/** A UTC time in the model's format; absent → `now` (when `fallback`). */
function time(v: unknown, what: string, now: string, fallback = true): string {
  if (v === undefined && fallback) return now;
  const s = typeof v === 'string' ? v.trim() : '';
  if (!isUtc(s)) fail(`${what} must be a UTC time like 2026-11-24T03:12:09Z, not ${JSON.stringify(v)}.`);
  return s;
}

function percent(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) fail(`The probability must be a whole number from 0 to 100, not ${JSON.stringify(v)}.`);
  return v as number;
}

function optShape(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = str(v, 'The failure shape').trim();
  if (s === '') return undefined;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(s)) fail(`Unknown failure shape ${JSON.stringify(s.slice(0, 80))}.`);
  return s;
}

function oneOf<T extends string>(v: unknown, values: readonly T[], what: string): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) fail(`Unknown ${what} ${JSON.stringify(v)}; expected one of ${values.join(', ')}.`);
  return v as T;
}

function optLink(v: unknown): EvidenceLink | undefined {
  if (v === undefined) return undefined;
  const r = checkLink(v);
  return r.ok ? r.link : fail(r.error);
}
