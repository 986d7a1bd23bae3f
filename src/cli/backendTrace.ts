/**
 * `oncall-lens trace <id> --backend <url> --kind jaeger|jaeger-v3|tempo|tempo-v2|zipkin [--json] [--token T]
 * [--tenant ORG] [--lookback-hours N] [--timeout S]`: fetches one trace from a backend and prints the same report as
 * for a file. The token may come from ONCALL_TOKEN (so it stays out of shell history); the proxy from
 * HTTPS_PROXY/HTTP_PROXY/NO_PROXY.
 */
import { fetchTrace } from '../core/backends/fetchTrace';
import type { BackendConfig, BackendKind } from '../core/backends/types';
import { backendKinds } from '../core/backends/types';
import { analyzeTrace } from '../core/traces/analyze';
import { formatLabel } from '../core/traces/formats';
import { parseTraceIdInput } from '../core/traces/ids';
import { renderReport, traceReport } from './traceReport';

export const backendUsage = `  oncall-lens trace <trace-id> --backend <url> --kind <${backendKinds.join('|')}> [--json]
        [--token <token>] [--tenant <org>] [--lookback-hours <n>] [--timeout <seconds>]

Fetches one trace from Jaeger, Tempo or Zipkin and prints the same report. The token is sent as
"Authorization: Bearer"; it is also read from ONCALL_TOKEN. --tenant sets Tempo's X-Scope-OrgID. A proxy is taken
from HTTPS_PROXY / HTTP_PROXY (NO_PROXY is honoured).`;

/** True when the `trace` arguments ask for a backend rather than a file. */
export function wantsBackend(args: readonly string[]): boolean {
  return args.some((a) => a === '--backend' || a.startsWith('--backend='));
}

interface Parsed {
  id?: string;
  url?: string;
  kind?: string;
  json: boolean;
  token?: string;
  tenant?: string;
  lookbackHours?: number;
  timeoutS?: number;
}

function parse(args: readonly string[]): Parsed | string {
  const p: Parsed = { json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    switch (flag) {
      case '--json':
        p.json = true;
        break;
      case '--backend':
        p.url = value();
        break;
      case '--kind':
        p.kind = value();
        break;
      case '--token':
        p.token = value();
        break;
      case '--tenant':
        p.tenant = value();
        break;
      case '--lookback-hours':
        p.lookbackHours = Number(value());
        if (!(p.lookbackHours > 0)) return '--lookback-hours must be a positive number.';
        break;
      case '--timeout':
        p.timeoutS = Number(value());
        if (!(p.timeoutS > 0)) return '--timeout must be a positive number of seconds.';
        break;
      case '--id':
        p.id = value();
        break;
      default:
        if (a.startsWith('-')) return `unknown option ${a}.`;
        if (p.id !== undefined) return `one trace ID at a time (got "${p.id}" and "${a}").`;
        p.id = a;
    }
  }
  return p;
}

export async function runBackendTrace(args: readonly string[], out: (s: string) => void, err: (s: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const p = parse(args);
  const usageError = (msg: string): number => {
    err(`oncall-lens trace: ${msg}\n\nUsage:\n${backendUsage}`);
    return 2;
  };
  if (typeof p === 'string') return usageError(p);
  if (p.id === undefined) return usageError('which trace ID?');
  if (!p.url) return usageError('--backend needs the base URL of the backend, e.g. http://jaeger:16686.');
  if (!p.kind || !(backendKinds as readonly string[]).includes(p.kind)) return usageError(`--kind must be one of ${backendKinds.join(', ')}${p.kind ? ` (got "${p.kind}")` : ''}.`);
  const parsed = parseTraceIdInput(p.id);
  if (!parsed.ok) {
    err(`oncall-lens trace: ${JSON.stringify(p.id)}: ${parsed.message}`);
    return 2;
  }
  const backend: BackendConfig = { name: hostOf(p.url), kind: p.kind as BackendKind, url: p.url, lookbackHours: p.lookbackHours, tenant: p.tenant };
  const token = p.token ?? env['ONCALL_TOKEN'];
  const result = await fetchTrace(backend, parsed.traceId, {
    proxy: 'env',
    ...(token ? { auth: { kind: 'bearer', token } } : {}),
    ...(p.timeoutS ? { timeoutMs: p.timeoutS * 1000 } : {}),
  });
  if (!result.ok) {
    const hint = result.error.kind === 'unauthorized' || result.error.kind === 'forbidden' ? ' (CLI: pass --token or set ONCALL_TOKEN.)' : '';
    err(`${result.error.message}${hint}`);
    return 1;
  }
  const trace = result.traces[0];
  if (!trace) {
    err(`${backend.name}: the answer held no spans.`);
    return 1;
  }
  for (const w of result.warnings) err(`${backend.name}: ${w}`);
  if (result.partial) err(`${backend.name}: partial trace: ${result.partial}`);
  const report = traceReport(analyzeTrace(trace), `${formatLabel(result.format)} from ${backend.name}`);
  out(p.json ? JSON.stringify({ ...report, backend: { name: backend.name, kind: backend.kind, url: result.url, bytes: result.bytes, ms: result.ms, partial: result.partial ?? null } }, null, 2) : renderReport(report));
  return 0;
}

/** "jaeger.example.com:16686" — the backend's name in messages. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
