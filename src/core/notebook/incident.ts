/**
 * Starting an incident: its ID (`INC-YYYY-MM-DD-NN`, the UTC date of the start and the next free number of that day)
 * and the new {@link Incident} with the first entry of its timeline. Pure; never imports `vscode`.
 */
import type { DetectedBy, Incident, Severity } from './model';
import { DETECTED_BY, SEVERITIES, isUtc } from './model';
import { LIMITS, normalizeLine } from './text';

export interface NewIncidentInit {
  readonly title: string;
  readonly severity: Severity;
  readonly commander: string;
  readonly detectedBy: DetectedBy;
  readonly alert?: string;
  /** UTC, model format; its date names the incident. */
  readonly started: string;
  readonly services?: readonly string[];
  /** When it was noticed (defaults to `started`); the first timeline entry is at this time. */
  readonly detected?: string;
}

const incidentIdRe = /^INC-(\d{4}-\d{2}-\d{2})-(\d{2,})$/;

/** `INC-2026-11-23-03`: the date (UTC) of `dateUtc` and the number after the highest of that date in `existingIds`. */
export function nextIncidentId(dateUtc: string | Date, existingIds: readonly string[]): string {
  const date = typeof dateUtc === 'string' ? dateUtc.slice(0, 10) : dateUtc.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`Not a UTC date: ${JSON.stringify(dateUtc)}.`);
  let max = 0;
  for (const id of existingIds) {
    const m = incidentIdRe.exec(id);
    if (m && m[1] === date) max = Math.max(max, Number(m[2]));
  }
  return `INC-${date}-${String(max + 1).padStart(2, '0')}`;
}

/**
 * A new active incident in triage, named by {@link nextIncidentId}, with one timeline entry (`detect`) saying how it
 * was detected. Throws on a malformed `init` (the host's form checks first). The entry's ID is `t-0`, which random
 * IDs (4–6 characters) and counted ones (from 1) never are.
 */
export function newIncident(init: NewIncidentInit, existingIds: readonly string[]): Incident;
/** The same with the ID already chosen (by {@link nextIncidentId}, when the caller creates the file exclusively). */
export function newIncident(init: NewIncidentInit, id: string): Incident;
export function newIncident(init: NewIncidentInit, existingIdsOrId: readonly string[] | string): Incident {
  if (!isUtc(init.started)) throw new Error(`The start must be a UTC time like 2026-11-24T03:12:09Z, not ${JSON.stringify(init.started)}.`);
  if (init.detected !== undefined && !isUtc(init.detected)) throw new Error(`"detected" must be a UTC time, not ${JSON.stringify(init.detected)}.`);
  if (!(SEVERITIES as readonly string[]).includes(init.severity)) throw new Error(`Unknown severity ${JSON.stringify(init.severity)}.`);
  if (!(DETECTED_BY as readonly string[]).includes(init.detectedBy)) throw new Error(`Unknown "detected by" ${JSON.stringify(init.detectedBy)}.`);
  const title = normalizeLine(init.title).slice(0, LIMITS.line);
  const commander = normalizeLine(init.commander).slice(0, LIMITS.name);
  if (title === '') throw new Error('The incident needs a title.');
  if (commander === '') throw new Error('The incident needs an incident commander.');
  const alert = init.alert === undefined ? '' : normalizeLine(init.alert).slice(0, LIMITS.line);
  const services = [...new Set((init.services ?? []).map((s) => normalizeLine(s).slice(0, LIMITS.name)).filter((s) => s !== ''))].slice(0, LIMITS.services);
  if (typeof existingIdsOrId === 'string' && !incidentIdRe.test(existingIdsOrId)) throw new Error(`Not an incident ID: ${JSON.stringify(existingIdsOrId)} (INC-YYYY-MM-DD-NN).`);
  const id = typeof existingIdsOrId === 'string' ? existingIdsOrId : nextIncidentId(init.started, existingIdsOrId);
  const detected = init.detected ?? init.started;
  const how = init.detectedBy === 'alert' ? (alert !== '' ? `Alert ${alert} fired` : 'An alert fired') : init.detectedBy === 'customer' ? 'Reported by a customer' : 'Noticed by a person';
  return {
    id,
    title,
    severity: init.severity,
    status: 'active',
    phase: 'triage',
    commander,
    detectedBy: init.detectedBy,
    ...(alert !== '' ? { alert } : {}),
    started: init.started,
    detected,
    services,
    summary: '',
    impact: '',
    observations: [],
    hypotheses: [],
    actions: [],
    timeline: [{ id: 't-0', at: detected, kind: 'detect', text: `${how}; ${commander} is incident commander.` }],
    notes: '',
  };
}
