/**
 * `oncall-lens` — the command-line face of src/core. `oncall-lens trace <file> [--id ID] [--json]` prints the
 * normalized trace: spans, services, root, duration, errors and critical path; `oncall-lens scan <dir>` prints the
 * wire map (routes, gRPC methods, entry points, error paths).
 */
import { readTextFile, errorMessage } from '../core/traces/traceFiles';
import { readTraceText } from '../core/traces/readTrace';
import { analyzeTrace } from '../core/traces/analyze';
import { parseTraceIdInput } from '../core/traces/ids';
import { formatLabel } from '../core/traces/formats';
import { traceReport, renderReport, renderStats, statsReport } from './traceReport';
import { statsOfAnalysis } from '../core/traces/stats';
import { backendUsage, runBackendTrace, wantsBackend } from './backendTrace';
import { exemplarsMain, exemplarsUsage } from './exemplarsCommand';
import { scanMain, scanUsage } from './scanCommand';
import { runbooksMain, runbooksUsage } from './runbooksCommand';
import { deploysMain, deploysUsage } from './deploysCommand';
import { incidentMain, incidentUsage } from './incidentCommand';
import { postmortemMain, postmortemUsage } from './postmortemCommand';

const usage = `Usage:
  oncall-lens trace <file> [--id <trace-id|traceparent|link>] [--json] [--stats]

Reads OTLP/JSON (object or JSON Lines), Jaeger UI JSON or Zipkin v2 JSON and prints each trace (or only --id):
its root, duration, services, errors, critical path and span tree. --json prints the same as JSON.
--stats prints self and total time by service and by operation instead (with --json, as JSON).

${backendUsage}

${exemplarsUsage}

${scanUsage}

${runbooksUsage}

${deploysUsage}

${incidentUsage}

${postmortemUsage}`;

export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out(usage);
    return command === undefined ? 2 : 0;
  }
  if (command === 'exemplars') return exemplarsMain(rest, out, err);
  if (command === 'scan') return scanMain(rest, out, err);
  if (command === 'runbooks') return runbooksMain(rest, out, err);
  if (command === 'deploys') return deploysMain(rest, out, err);
  if (command === 'incident') return incidentMain(rest, out, err);
  if (command === 'postmortem') return postmortemMain(rest, out, err);
  if (command !== 'trace') {
    err(`oncall-lens: unknown command "${command}".\n\n${usage}`);
    return 2;
  }
  if (wantsBackend(rest)) return runBackendTrace(rest, out, err);
  let file: string | undefined;
  let id: string | undefined;
  let json = false;
  let stats = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--json') json = true;
    else if (a === '--stats') stats = true;
    else if (a === '--id') id = rest[++i];
    else if (a.startsWith('--id=')) id = a.slice(5);
    else if (a.startsWith('-')) {
      err(`oncall-lens trace: unknown option ${a}.\n\n${usage}`);
      return 2;
    } else if (file === undefined) file = a;
    else {
      err(`oncall-lens trace: one file at a time (got "${file}" and "${a}").`);
      return 2;
    }
  }
  if (file === undefined) {
    err(`oncall-lens trace: which file?\n\n${usage}`);
    return 2;
  }
  let wanted: string | undefined;
  if (id !== undefined) {
    const parsed = parseTraceIdInput(id);
    if (!parsed.ok) {
      err(`oncall-lens trace: --id ${JSON.stringify(id)}: ${parsed.message}`);
      return 2;
    }
    wanted = parsed.traceId;
  }

  let text: string;
  try {
    text = (await readTextFile(file)).text;
  } catch (e) {
    err(`${file}: ${errorMessage(e)}`);
    return 1;
  }
  const result = readTraceText(text);
  if (!result.ok) {
    const pos = result.error.position ? `:${result.error.position.line}:${result.error.position.column}` : '';
    err(`${file}${pos}: ${result.error.message}`);
    return 1;
  }
  const traces = wanted === undefined ? result.traces : result.traces.filter((t) => t.traceId === wanted);
  if (traces.length === 0) {
    const ids = result.traces.map((t) => t.traceId);
    for (const w of result.warnings) err(`${file}: ${w}`);
    err(wanted === undefined ? `${file}: no spans found.` : `${file}: trace ${wanted} is not in this file. It holds ${ids.length} trace(s)${ids.length ? `: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''}` : ''}.`);
    return 1;
  }
  if (stats) {
    const all = traces.map((t) => statsReport(t.traceId, statsOfAnalysis(analyzeTrace(t))));
    if (json) out(JSON.stringify(wanted === undefined ? all : all[0], null, 2));
    else out(all.map(renderStats).join('\n\n'));
    return 0;
  }
  const reports = traces.map((t) => traceReport(analyzeTrace(t), formatLabel(result.format)));
  if (json) out(JSON.stringify(wanted === undefined ? reports : reports[0], null, 2));
  else out(reports.map(renderReport).join('\n\n'));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`oncall-lens: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
