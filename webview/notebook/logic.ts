/**
 * The DOM-free parts of the hypothesis notebook page: the model's types as the protocol carries them, labels and
 * icons of the enumerations, UTC times, elapsed time, and parsing what people type into the forms (times,
 * probabilities). Pure functions: no DOM, no state.
 *
 * The webview may import only src/shared/protocol (lint), so the model's types are derived from the `state` message
 * and the enumerations are spelled out here as `Record`s over those types: a value added to the model and not here
 * is a type error.
 */
import type { FailureShape, IncidentListItem, NotebookHostToWebview, NotebookWebviewToHost } from '../../src/shared/protocol/notebook';

export type { FailureShape, IncidentListItem };
export type NotebookMessage = NotebookHostToWebview;
export type StateMessage = Extract<NotebookHostToWebview, { type: 'state' }>;
export type AppliedMessage = Extract<NotebookHostToWebview, { type: 'applied' }>;
export type FocusForm = Extract<NotebookHostToWebview, { type: 'focus' }>['form'];
export type Incident = NonNullable<StateMessage['incident']>;
export type Observation = Incident['observations'][number];
export type Hypothesis = Incident['hypotheses'][number];
export type Evidence = Hypothesis['evidence'][number];
export type Action = Incident['actions'][number];
export type TimelineEntry = Incident['timeline'][number];
export type EvidenceLink = NonNullable<Observation['link']>;
export type Op = Extract<NotebookWebviewToHost, { type: 'op' }>['op'];
export type PanelCommand = Extract<NotebookWebviewToHost, { type: 'command' }>['command'];
export type Phase = Incident['phase'];
export type HypothesisStatus = Hypothesis['status'];
export type ActionKind = Action['kind'];
export type ActionStatus = Action['status'];
export type Bearing = Evidence['bearing'];
export type TimelineKind = TimelineEntry['kind'];

interface Described {
  readonly label: string;
  readonly icon: string;
}

/** The phases in order (the keys' order is the stepper's). */
export const PHASE_INFO: Readonly<Record<Phase, Described & { readonly hint: string }>> = {
  detect: { label: 'Detect', icon: 'bell', hint: 'Something is wrong: an alert, a person or a customer noticed' },
  triage: { label: 'Triage', icon: 'list-filter', hint: 'How bad, who is affected, who leads' },
  mitigate: { label: 'Mitigate', icon: 'shield', hint: 'Stop the bleeding first' },
  diagnose: { label: 'Diagnose', icon: 'search', hint: 'Find out why, one falsifiable hypothesis at a time' },
  fix: { label: 'Fix', icon: 'tools', hint: 'Remove the cause' },
  postmortem: { label: 'Postmortem', icon: 'notebook', hint: 'Write down what happened and what changes' },
};
export const PHASES = Object.keys(PHASE_INFO) as Phase[];

export const HYPOTHESIS_STATUS_INFO: Readonly<Record<HypothesisStatus, Described>> = {
  open: { label: 'Open', icon: 'circle-large-outline' },
  testing: { label: 'Testing', icon: 'beaker' },
  confirmed: { label: 'Confirmed', icon: 'pass' },
  falsified: { label: 'Falsified', icon: 'circle-slash' },
  inconclusive: { label: 'Inconclusive', icon: 'question' },
};
/** The statuses that close a hypothesis: setting one asks for a verdict. */
export const VERDICT_STATUSES: readonly HypothesisStatus[] = ['confirmed', 'falsified', 'inconclusive'];

export const ACTION_KIND_INFO: Readonly<Record<ActionKind, Described & { readonly title: string; readonly hint: string }>> = {
  mitigation: { label: 'Mitigation', title: 'Mitigation', icon: 'shield', hint: 'stops the bleeding' },
  diagnosis: { label: 'Diagnosis', title: 'Diagnosis', icon: 'search', hint: 'finds out why' },
  fix: { label: 'Fix', title: 'Fix', icon: 'tools', hint: 'removes the cause' },
};
export const ACTION_KINDS = Object.keys(ACTION_KIND_INFO) as ActionKind[];

export const ACTION_STATUS_INFO: Readonly<Record<ActionStatus, Described>> = {
  planned: { label: 'Planned', icon: 'circle-large-outline' },
  doing: { label: 'Doing', icon: 'play-circle' },
  done: { label: 'Done', icon: 'pass-filled' },
  abandoned: { label: 'Abandoned', icon: 'circle-slash' },
};
export const ACTION_STATUSES = Object.keys(ACTION_STATUS_INFO) as ActionStatus[];

export const BEARING_INFO: Readonly<Record<Bearing, Described & { readonly sign: string }>> = {
  supports: { label: 'Supports', icon: 'thumbsup', sign: '+' },
  refutes: { label: 'Refutes', icon: 'thumbsdown', sign: '−' },
  neutral: { label: 'Neutral', icon: 'dash', sign: '·' },
};
export const BEARINGS = Object.keys(BEARING_INFO) as Bearing[];

export const TIMELINE_KIND_INFO: Readonly<Record<TimelineKind, Described>> = {
  note: { label: 'Note', icon: 'comment' },
  detect: { label: 'Detected', icon: 'bell' },
  observation: { label: 'Observation', icon: 'eye' },
  hypothesis: { label: 'Hypothesis', icon: 'lightbulb' },
  verdict: { label: 'Verdict', icon: 'law' },
  experiment: { label: 'Experiment', icon: 'beaker' },
  action: { label: 'Action', icon: 'run-all' },
  evidence: { label: 'Evidence', icon: 'references' },
  command: { label: 'Command', icon: 'terminal' },
  deploy: { label: 'Deploy', icon: 'rocket' },
  phase: { label: 'Phase', icon: 'debug-step-over' },
  status: { label: 'Status', icon: 'pulse' },
};

export const LINK_ICON: Readonly<Record<EvidenceLink['kind'], string>> = {
  trace: 'graph',
  span: 'symbol-event',
  file: 'go-to-file',
  runbook: 'book',
  deploy: 'rocket',
  exemplar: 'graph-line',
  url: 'link-external',
};

/** Known severities → CSS modifier; anything else (a hand-edited file) is shown as written, unstyled. */
export function severityClass(severity: string): string {
  return severity === 'SEV-1' ? 'sev1' : severity === 'SEV-2' ? 'sev2' : severity === 'SEV-3' ? 'sev3' : 'unknown';
}

export function incidentStatusClass(status: string): string {
  return ['active', 'mitigated', 'resolved', 'closed'].includes(status) ? status : 'unknown';
}

/** `Active`, `Mitigated`… (as written when unknown). */
export function capitalize(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** Lookups that survive a value the types do not know (the file is edited by hand too). */
export function infoOf<K extends string, V>(table: Readonly<Record<K, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key as K] : undefined;
}

/** What an evidence link points at, for a tooltip ("Open trace 4a2e37d7…"). Plain text, never used as a URL. */
export function linkTitle(link: EvidenceLink | undefined): string {
  if (!link) return 'Open';
  switch (link.kind) {
    case 'trace':
      return `Open trace ${link.traceId}${link.source ? ` (${link.source})` : ''}`;
    case 'span':
      return `Open span ${link.spanId} of trace ${link.traceId}`;
    case 'file':
      return `Open ${link.path}:${link.line}${link.endLine !== undefined ? `-${link.endLine}` : ''}${link.commit ? ` at ${link.commit.slice(0, 10)}` : ''}`;
    case 'runbook':
      return `Open runbook ${link.runbook}${link.step ? ` (step ${link.step})` : ''}`;
    case 'deploy':
      return `Show deploy ${link.version} of ${link.service}`;
    case 'exemplar':
      return `Open the exemplar's trace ${link.traceId}`;
    case 'url':
      return `Open ${link.url} (outside VS Code)`;
    default:
      return 'Open';
  }
}

// ---------- Times ----------

const pad = (n: number): string => String(n).padStart(2, '0');

/** A Date as the model's UTC string (seconds precision). */
export function toUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `03:12:09` (UTC) of a model time; the text as written when it is not a time. */
export function clockOf(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `2026-11-24` (UTC) of a model time, or '' when it is not one. */
export function dayOf(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : new Date(t).toISOString().slice(0, 10);
}

/**
 * A short UTC time for lists: `03:12:09`, with the date in front when it is not `refDay` (the incident's first
 * day), so a two-day incident stays unambiguous without repeating the date on every line.
 */
export function shortTime(iso: string, refDay: string): string {
  const day = dayOf(iso);
  if (!day) return iso;
  return day === refDay ? clockOf(iso) : `${day.slice(5)} ${clockOf(iso)}`;
}

/** `2026-11-24 03:12:09 UTC` for tooltips. */
export function fullTime(iso: string): string {
  const day = dayOf(iso);
  return day ? `${day} ${clockOf(iso)} UTC` : iso;
}

/** `45s`, `12m 05s`, `1h 23m 05s`, `2d 3h 12m` (seconds are dropped past a day). Negative spans count as 0. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h ${pad(m)}m`;
  if (h > 0) return `${h}h ${pad(m)}m ${pad(sec)}s`;
  if (m > 0) return `${m}m ${pad(sec)}s`;
  return `${sec}s`;
}

/**
 * The page's view of the host clock: `sync` with the `now` of each state; `now()` is the host's time plus what
 * the page's monotonic clock counted since, so a page clock that is off (another machine, a remote host) does not
 * skew the elapsed time.
 */
export class HostClock {
  private hostAt = Number.NaN;
  private pageAt = 0;

  constructor(private readonly pageNow: () => number = () => performance.now()) {}

  sync(hostNow: string): void {
    const t = Date.parse(hostNow);
    if (Number.isNaN(t)) return;
    this.hostAt = t;
    this.pageAt = this.pageNow();
  }

  now(): number {
    return Number.isNaN(this.hostAt) ? Date.now() : this.hostAt + (this.pageNow() - this.pageAt);
  }
}

/** The header's clock: how long the incident has run (or lasted, once resolved). */
export function elapsedText(incident: Pick<Incident, 'started' | 'resolved' | 'status'>, now: number): { readonly text: string; readonly label: string; readonly ticking: boolean } {
  const start = Date.parse(incident.started);
  if (Number.isNaN(start)) return { text: '—', label: 'Started: unknown', ticking: false };
  const end = incident.resolved ? Date.parse(incident.resolved) : Number.NaN;
  if (!Number.isNaN(end) && (incident.status === 'resolved' || incident.status === 'closed')) {
    return { text: formatElapsed(end - start), label: `Lasted (started ${fullTime(incident.started)}, resolved ${fullTime(incident.resolved ?? '')})`, ticking: false };
  }
  return { text: formatElapsed(now - start), label: `Elapsed since the start, ${fullTime(incident.started)}`, ticking: true };
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const TIME_HINT = 'UTC: empty for now, 03:12, 03:12:09, 2026-11-24 03:12, or 15m ago';

/**
 * A time as people type it into a form, as a model time (UTC). Empty → undefined (the host stamps it). `HH:MM[:SS]`
 * is on the host's current UTC day (the day before when that would be more than a minute in the future);
 * `YYYY-MM-DD[ T]HH:MM[:SS][Z]`; `15m ago`, `-2h`, `90s ago`.
 */
export function parseUtcInput(text: string, now: number): Parsed<string | undefined> {
  const s = text.trim();
  if (!s || /^now$/i.test(s)) return { ok: true, value: undefined };
  const bad = { ok: false as const, error: `Not a time: use ${TIME_HINT.slice(5)}` };
  let m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (m) {
    const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    if (h > 23 || min > 59 || sec > 59) return bad;
    const today = new Date(now);
    let t = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), h, min, sec);
    if (t > now + 60_000) t -= 86_400_000;
    return { ok: true, value: toUtc(t) };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:Z|\s*UTC)?$/i.exec(s);
  if (m) {
    const [y, mo, d, h, min, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m?.[i] ?? 0)) as [number, number, number, number, number, number];
    const t = Date.UTC(y, mo - 1, d, h, min, sec);
    const back = new Date(t);
    if (h > 23 || min > 59 || sec > 59 || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return bad;
    return { ok: true, value: toUtc(t) };
  }
  m = /^-?\s*(\d+)\s*(s|sec|m|min|h|hr|d)(?:\s*ago)?$/i.exec(s);
  if (m && (s.startsWith('-') || /ago$/i.test(s))) {
    const unit = (m[2] ?? 's').toLowerCase();
    const ms = Number(m[1]) * (unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : unit.startsWith('h') ? 3_600_000 : 86_400_000);
    return { ok: true, value: toUtc(Math.floor((now - ms) / 1000) * 1000) };
  }
  return bad;
}

/** A probability in percent: empty → undefined; `70`, `70%`, `0.7` is not accepted (ambiguous). */
export function parseProbability(text: string): Parsed<number | undefined> {
  const s = text.trim().replace(/\s*%$/, '');
  if (!s) return { ok: true, value: undefined };
  if (!/^\d{1,3}$/.test(s) || Number(s) > 100) return { ok: false, error: 'A whole percentage from 0 to 100' };
  return { ok: true, value: Number(s) };
}

// ---------- Lists ----------

/** `H1`, `H2`…: what people call hypotheses is their position, not their ID. */
export function hypothesisLabel(index: number): string {
  return `H${index + 1}`;
}

/** Evidence counts by bearing. */
export function evidenceTally(evidence: readonly Evidence[]): Record<Bearing, number> {
  const t: Record<Bearing, number> = { supports: 0, refutes: 0, neutral: 0 };
  for (const e of evidence) if (Object.prototype.hasOwnProperty.call(t, e.bearing)) t[e.bearing]++;
  return t;
}

/** Shapes whose name, symptom or first places to look hold every word of `query` (case-insensitive). */
export function filterShapes(shapes: readonly FailureShape[], query: string): FailureShape[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...shapes];
  return shapes.filter((s) => {
    const hay = `${s.name}\n${s.symptom}\n${s.lookFirst.join('\n')}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** Splits text at backticks: odd parts are inline code (`kubectl top`). Unbalanced backticks stay text. */
export function codeSpans(text: string): { readonly text: string; readonly code: boolean }[] {
  const parts = text.split('`');
  if (parts.length < 3) return [{ text, code: false }];
  const out: { text: string; code: boolean }[] = [];
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] ?? '';
    if (i >= closed) out.push({ text: `\`${p}`, code: false });
    else if (p) out.push({ text: p, code: i % 2 === 1 });
  }
  return out;
}

/** The fields of `after` that differ from `before` (for edit ops: only what changed travels). */
export function changed<T extends Record<string, unknown>>(before: T, after: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T)[]) if (after[k] !== before[k]) out[k] = after[k];
  return out;
}

/** Keyboard shortcuts, for the help popover and the README. */
export const SHORTCUTS: readonly { readonly keys: string; readonly what: string }[] = [
  { keys: 'O', what: 'Add an observation' },
  { keys: 'H', what: 'Add a hypothesis' },
  { keys: 'A', what: 'Add an action' },
  { keys: 'N', what: 'Add a note to the timeline' },
  { keys: '/', what: 'Filter the failure shapes' },
  { keys: 'Ctrl+Enter', what: 'Save the form (⌘+Enter on macOS)' },
  { keys: 'Esc', what: 'Close the form (the draft is kept)' },
  { keys: '?', what: 'Show these shortcuts' },
];
