/**
 * `oncall-lens incident <file.md>`: an incident file of the hypothesis notebook (.oncall/incidents/INC-….md) for
 * terminals and CI — its problems as `file:line:column: severity: message`, then the handoff summary, the incident as
 * JSON, or a postmortem draft.
 */
import * as fs from 'node:fs';
import { parseIncident } from '../core/notebook/format';
import { handoffSummary } from '../core/notebook/handoff';
import { toUtc } from '../core/notebook/model';
import { postmortem } from '../core/notebook/postmortem';
import { readError } from './postmortemCommand';

export const incidentUsage = `  oncall-lens incident <file.md> [--json | --handoff | --postmortem] [--now <ISO time>]

Reads an incident file of the hypothesis notebook (.oncall/incidents/INC-YYYY-MM-DD-NN.md) and prints its problems as
file:line:column: severity: message. An error exits 1 without further output. Otherwise it prints the handoff summary
for the incident channel (the default, or --handoff), the incident as JSON (--json) or a blameless postmortem draft on
the Google SRE template (--postmortem). --now sets the time elapsed durations count to (default: the clock).`;

type Output = 'handoff' | 'json' | 'postmortem';

export async function incidentMain(args: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const usageError = (msg: string): number => {
    err(`oncall-lens incident: ${msg}\n\nUsage:\n${incidentUsage}`);
    return 2;
  };
  let file: string | undefined;
  let output: Output | undefined;
  let now = toUtc(new Date());
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--help' || a === '-h') {
      out(`Usage:\n${incidentUsage}`);
      return 0;
    }
    const mode: Output | undefined = a === '--json' ? 'json' : a === '--handoff' ? 'handoff' : a === '--postmortem' ? 'postmortem' : undefined;
    if (mode !== undefined) {
      if (output !== undefined && output !== mode) return usageError(`--${output} and --${mode} cannot be combined.`);
      output = mode;
    } else if (a === '--now' || a.startsWith('--now=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      const ms = v === undefined ? NaN : Date.parse(v);
      if (v === undefined || Number.isNaN(ms)) return usageError(`--now needs a time like 2026-11-23T04:00:00Z${v !== undefined ? `, not "${v}"` : ''}.`);
      now = toUtc(new Date(ms));
    } else if (a.startsWith('-')) return usageError(`unknown option ${a}.`);
    else if (file === undefined) file = a;
    else return usageError(`one file at a time (got "${file}" and "${a}").`);
  }
  if (file === undefined) return usageError('which incident file?');

  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    err(readError(file, e, 'an incident file'));
    return 1;
  }
  const parsed = parseIncident(text);
  for (const p of parsed.problems) err(`${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`);
  const errors = parsed.problems.filter((p) => p.severity === 'error').length;
  if (parsed.incident === undefined || errors > 0) {
    err(`${file}: ${errors} error${errors === 1 ? '' : 's'}${parsed.incident === undefined ? '; not readable as an incident' : ''}.`);
    return 1;
  }
  switch (output ?? 'handoff') {
    case 'json':
      out(JSON.stringify(parsed.incident, null, 2));
      break;
    case 'postmortem':
      out(postmortem(parsed.incident, now).trimEnd());
      break;
    case 'handoff':
      out(handoffSummary(parsed.incident, now));
      break;
  }
  return 0;
}
