/**
 * The incident of the hypothesis notebook: what one `.oncall/incidents/INC-YYYY-MM-DD-NN.md` file holds. Pure data
 * (JSON-safe: strings, numbers, arrays, plain objects), shared by the Markdown format (format.ts), the edits the
 * panel makes (ops.ts), the three-way merge of concurrent edits (merge.ts), the outputs (handoff.ts, postmortem.ts)
 * and the webview protocol (src/shared/protocol/notebook.ts). Never imports `vscode`.
 *
 * Times are ISO 8601 UTC strings with seconds, e.g. `2026-11-24T03:12:09Z` ({@link isUtc}). Entity IDs are short,
 * random and stable (`o-k3x9`, `h-2m7q`): two windows adding an entry at the same moment never pick the same ID, so
 * a merge keeps both. What humans see as "H1", "H2" is the position, not the ID.
 */

/** The phases of an incident, in order; the current one is marked in the panel's header. */
export const PHASES = ['detect', 'triage', 'mitigate', 'diagnose', 'fix', 'postmortem'] as const;
export type Phase = (typeof PHASES)[number];

export const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV-3'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DETECTED_BY = ['alert', 'human', 'customer'] as const;
export type DetectedBy = (typeof DETECTED_BY)[number];

/** `active` until mitigated; `resolved` when fixed; `closed` once the postmortem is done. */
export const INCIDENT_STATUSES = ['active', 'mitigated', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const HYPOTHESIS_STATUSES = ['open', 'testing', 'confirmed', 'falsified', 'inconclusive'] as const;
export type HypothesisStatus = (typeof HYPOTHESIS_STATUSES)[number];

/** Mitigation stops the bleeding, diagnosis finds out why, fix removes the cause. */
export const ACTION_KINDS = ['mitigation', 'diagnosis', 'fix'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ACTION_STATUSES = ['planned', 'doing', 'done', 'abandoned'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/**
 * Where a piece of evidence came from, so the panel can reopen it. Paths are workspace-relative, posix. Plain
 * data only: the host resolves a link itself (the webview names entries by ID, never by link).
 */
export type EvidenceLink =
  /** A whole trace; `source`: the workspace trace file (path) or the backend name it came from. */
  | { readonly kind: 'trace'; readonly traceId: string; readonly source?: string }
  /** One span of a trace. */
  | { readonly kind: 'span'; readonly traceId: string; readonly spanId: string; readonly source?: string }
  /** Lines of a file (1-based, inclusive), at a commit when the file was committed then. */
  | { readonly kind: 'file'; readonly path: string; readonly line: number; readonly endLine?: number; readonly commit?: string }
  /** A runbook (path, or `builtin:<name>`), optionally one checklist step (its check ID) or command block (its line). */
  | { readonly kind: 'runbook'; readonly runbook: string; readonly step?: string; readonly line?: number }
  /** A deploy of a service (as the deploy sources name it). */
  | { readonly kind: 'deploy'; readonly service: string; readonly version: string; readonly commit?: string }
  /** A Prometheus exemplar: the trace it points at, and the query and server that found it. */
  | { readonly kind: 'exemplar'; readonly traceId: string; readonly query?: string; readonly prometheus?: string }
  /** A web page (http/https only), e.g. a dashboard. */
  | { readonly kind: 'url'; readonly url: string };

export type EvidenceKind = EvidenceLink['kind'];

/** What was seen, when, and where. */
export interface Observation {
  readonly id: string;
  /** When it was seen (or happened, when the source says), UTC. */
  readonly at: string;
  /** Markdown, one paragraph or more. */
  readonly text: string;
  /** Free text: "Grafana", "customer ticket", "trace 4a2e37d7". */
  readonly source?: string;
  readonly link?: EvidenceLink;
}

/** A piece of evidence for or against a hypothesis. */
export interface Evidence {
  readonly id: string;
  readonly at: string;
  readonly text: string;
  readonly bearing: 'supports' | 'refutes' | 'neutral';
  readonly link?: EvidenceLink;
}

/** A hypothesis, written down with the prediction that would falsify it before it is tested. */
export interface Hypothesis {
  readonly id: string;
  /** When it was written down, UTC. */
  readonly at: string;
  readonly statement: string;
  /** What we would see if the hypothesis were wrong. */
  readonly prediction: string;
  /** The experiment that checks the prediction. */
  readonly test: string;
  /** A rough probability, 0–100 (percent); absent when nobody guessed. */
  readonly probability?: number;
  readonly status: HypothesisStatus;
  /** The failure shape it started from (an ID of shapes.ts), if any. */
  readonly shape?: string;
  readonly evidence: readonly Evidence[];
  /** Why it was confirmed / falsified / inconclusive (Markdown). */
  readonly verdict?: string;
}

/** Something someone does: mitigation, diagnosis or fix. */
export interface Action {
  readonly id: string;
  readonly kind: ActionKind;
  readonly what: string;
  readonly who?: string;
  /** When it was planned or done, UTC. */
  readonly at: string;
  readonly status: ActionStatus;
  readonly link?: EvidenceLink;
}

/** What a timeline entry is about. */
export const TIMELINE_KINDS = ['note', 'detect', 'observation', 'hypothesis', 'verdict', 'experiment', 'action', 'evidence', 'command', 'deploy', 'phase', 'status'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One line of the UTC timeline. Sorted by `at` (stable for equal times). */
export interface TimelineEntry {
  readonly id: string;
  /** When it happened (the source's time where it says), UTC. */
  readonly at: string;
  readonly kind: TimelineKind;
  /** One line of Markdown. */
  readonly text: string;
  readonly link?: EvidenceLink;
  /** The observation / hypothesis / action / evidence this entry is about. */
  readonly ref?: string;
}

/** One incident: the front matter (id … services) and the sections of the file. */
export interface Incident {
  /** `INC-YYYY-MM-DD-NN` (the date of the start, UTC; NN from 01). */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly phase: Phase;
  /** The incident commander. */
  readonly commander: string;
  readonly detectedBy: DetectedBy;
  /** The alert that paged, when `detectedBy` is `alert`. */
  readonly alert?: string;
  /** When the incident started (the first bad minute as best known), UTC. */
  readonly started: string;
  readonly detected?: string;
  readonly mitigated?: string;
  readonly resolved?: string;
  /** Services involved (names from oncall.yaml where there is one). */
  readonly services: readonly string[];
  /** Markdown. */
  readonly summary: string;
  /** Who and what was affected, how badly (Markdown). */
  readonly impact: string;
  readonly observations: readonly Observation[];
  readonly hypotheses: readonly Hypothesis[];
  readonly actions: readonly Action[];
  readonly timeline: readonly TimelineEntry[];
  /** Markdown the format does not model (a section someone added by hand), kept as written. */
  readonly notes: string;
}

/** `2026-11-24T03:12:09Z`: what every time in the model looks like (UTC, seconds, no fraction). */
export function isUtc(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(s) && !Number.isNaN(Date.parse(s));
}

/** A Date as the model's UTC string (seconds precision). */
export function toUtc(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
