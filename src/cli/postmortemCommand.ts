/**
 * `oncall-lens postmortem <incident.md>`: the blameless postmortem draft of an incident file (printed, or written to
 * a file that is not overwritten without --force); `oncall-lens postmortem lint <postmortem.md>`: the problems of a
 * postmortem as people edit it — blaming language, action items without owner or due date, a single root cause —
 * as `file:line:column: severity: message [code]` for terminals and CI.
 */
import * as fs from 'node:fs';
import { parseIncident } from '../core/notebook/format';
import { toUtc } from '../core/notebook/model';
import { postmortem } from '../core/notebook/postmortem';
import { lintPostmortem } from '../core/notebook/postmortemLint';

export const postmortemUsage = `  oncall-lens postmortem <incident.md> [--now <ISO time>] [--out <file> [--force]]
  oncall-lens postmortem lint <postmortem.md> [--json]

The first form prints a blameless postmortem draft on the Google SRE template from an incident file of the hypothesis
notebook (problems reading it print as file:line:column: severity: message; an error exits 1). --out writes the draft
to a file instead, and refuses to overwrite one that exists unless --force. --now sets the "generated" time.
The second form lints a postmortem as people edit it: blaming language, action items without owner, due date or a
concrete outcome, a single root cause, the trigger given as the root cause, empty sections. Each problem prints as
file:line:column: severity: message [code] (--json: the problems as a JSON array); it exits 1 when any is an error.`;

/** Why a file given to a CLI command could not be read, naming it. */
export const readError = (file: string, e: unknown, what: string): string => {
  const code = (e as NodeJS.ErrnoException).code;
  return `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? `is a folder, not ${what}` : (e as Error).message}.`;
};

export async function postmortemMain(args: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (args[0] === 'lint') return lintMain(args.slice(1), out, err);
  const usageError = (msg: string): number => {
    err(`oncall-lens postmortem: ${msg}\n\nUsage:\n${postmortemUsage}`);
    return 2;
  };
  let file: string | undefined;
  let outFile: string | undefined;
  let force = false;
  let now = toUtc(new Date());
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--help' || a === '-h') {
      out(`Usage:\n${postmortemUsage}`);
      return 0;
    }
    if (a === '--force') force = true;
    else if (a === '--now' || a.startsWith('--now=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      const ms = v === undefined ? NaN : Date.parse(v);
      if (v === undefined || Number.isNaN(ms)) return usageError(`--now needs a time like 2026-11-23T04:00:00Z${v !== undefined ? `, not "${v}"` : ''}.`);
      now = toUtc(new Date(ms));
    } else if (a === '--out' || a.startsWith('--out=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (v === undefined || v === '') return usageError('--out needs a file name.');
      outFile = v;
    } else if (a.startsWith('-')) return usageError(`unknown option ${a}.`);
    else if (file === undefined) file = a;
    else return usageError(`one incident file at a time (got "${file}" and "${a}").`);
  }
  if (file === undefined) return usageError('which incident file?');
  if (force && outFile === undefined) return usageError('--force only goes with --out.');

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
  const draft = postmortem(parsed.incident, now);
  if (outFile === undefined) {
    out(draft.trimEnd());
    return 0;
  }
  try {
    await fs.promises.writeFile(outFile, draft, { encoding: 'utf8', flag: force ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    err(code === 'EEXIST' ? `${outFile}: already exists; not overwritten (--force overwrites it).` : `${outFile}: ${code === 'EISDIR' ? 'is a folder' : (e as Error).message}.`);
    return 1;
  }
  out(`Wrote the postmortem draft of ${parsed.incident.id} to ${outFile}. Check it with: oncall-lens postmortem lint ${outFile}`);
  return 0;
}

async function lintMain(args: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const usageError = (msg: string): number => {
    err(`oncall-lens postmortem lint: ${msg}\n\nUsage:\n${postmortemUsage}`);
    return 2;
  };
  let file: string | undefined;
  let json = false;
  for (const a of args) {
    if (a === '--help' || a === '-h') {
      out(`Usage:\n${postmortemUsage}`);
      return 0;
    }
    if (a === '--json') json = true;
    else if (a.startsWith('-')) return usageError(`unknown option ${a}.`);
    else if (file === undefined) file = a;
    else return usageError(`one file at a time (got "${file}" and "${a}").`);
  }
  if (file === undefined) return usageError('which postmortem file?');
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    err(readError(file, e, 'a postmortem'));
    return 1;
  }
  const problems = lintPostmortem(text);
  if (json) out(JSON.stringify(problems, null, 2));
  else for (const p of problems) out(`${file}:${p.line}:${p.column}: ${p.severity}: ${p.message} [${p.code}]`);
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}
