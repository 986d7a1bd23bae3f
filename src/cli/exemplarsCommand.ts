/**
 * `oncall-lens exemplars --prometheus <url> --query <promql> [--minutes N] [--label NAME]… [--json]`: the exemplars of
 * a PromQL expression with their trace IDs, slowest first — what "Open Trace from Exemplar" shows, for a terminal.
 */
import { defaultTraceIdLabels } from '../core/traces/ids';
import { exemplarStorageEnabled, queryExemplars } from '../core/prometheus/exemplars';
import { formatExemplarValue, formatRelativeTime, formatSeries } from '../core/prometheus/format';
import { redactUrl } from '../core/http/request';

export const exemplarsUsage = `  oncall-lens exemplars --prometheus <url> --query <promql> [--minutes N] [--label NAME]... [--json]

Queries Prometheus' /api/v1/query_exemplars for the last N minutes (default 60) and prints each exemplar that
carries a trace ID (labels trace_id, traceID, traceId, TraceID, or those given with --label), highest value first:
value, time, trace ID and series. Proxies come from HTTPS_PROXY/HTTP_PROXY/NO_PROXY.`;

/** Control characters (ANSI escapes, bells) from label values are shown escaped, never sent to the terminal. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function exemplarsMain(argv: readonly string[], out: (s: string) => void, err: (s: string) => void, now: () => number = Date.now): Promise<number> {
  let url: string | undefined;
  let query: string | undefined;
  let minutes = 60;
  let json = false;
  const labels: string[] = [];
  const value = (i: number, name: string): string | undefined => {
    const v = argv[i + 1];
    if (v === undefined) err(`oncall-lens exemplars: ${name} needs a value.\n\nUsage:\n${exemplarsUsage}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const take = (): string | undefined => (inline !== undefined ? inline : value(i++, flag));
    if (flag === '--json') json = true;
    else if (flag === '--prometheus' || flag === '--url') {
      url = take();
      if (url === undefined) return 2;
    } else if (flag === '--query' || flag === '-q') {
      query = take();
      if (query === undefined) return 2;
    } else if (flag === '--minutes') {
      const v = take();
      if (v === undefined) return 2;
      minutes = Number(v);
      if (!Number.isFinite(minutes) || minutes <= 0) {
        err(`oncall-lens exemplars: --minutes must be a positive number (got ${JSON.stringify(v)}).`);
        return 2;
      }
    } else if (flag === '--label') {
      const v = take();
      if (v === undefined) return 2;
      labels.push(v);
    } else if (flag === '--help' || flag === '-h') {
      out(`Usage:\n${exemplarsUsage}`);
      return 0;
    } else {
      err(`oncall-lens exemplars: unknown argument ${JSON.stringify(a)}.\n\nUsage:\n${exemplarsUsage}`);
      return 2;
    }
  }
  if (url === undefined || query === undefined || query.trim() === '') {
    err(`oncall-lens exemplars: ${url === undefined ? '--prometheus <url>' : '--query <promql>'} is required.\n\nUsage:\n${exemplarsUsage}`);
    return 2;
  }
  const end = new Date(now());
  const start = new Date(end.getTime() - minutes * 60_000);
  const traceIdLabels = labels.length ? labels : defaultTraceIdLabels;
  const shownUrl = redactUrl(url).replace(/(\/\/[^/]+)\/$/, '$1');
  const r = await queryExemplars(url, query, { start, end }, { traceIdLabels, proxy: 'env' });
  if (!r.ok) {
    err(r.error.kind === 'bad-query' ? `Prometheus rejected the query: ${r.error.message}` : r.error.message);
    return 1;
  }
  const storage = r.exemplars.length === 0 ? await exemplarStorageEnabled(url, { proxy: 'env' }) : undefined;
  if (json) {
    out(
      JSON.stringify(
        {
          prometheus: shownUrl,
          query,
          start: start.toISOString(),
          end: end.toISOString(),
          seriesCount: r.seriesCount,
          withoutTraceId: r.withoutTraceId,
          ...(storage !== undefined ? { exemplarStorage: storage } : {}),
          exemplars: r.exemplars.map((e) => ({ ...e, time: new Date(e.timestampMs).toISOString() })),
        },
        null,
        2,
      ),
    );
  } else if (r.exemplars.length > 0) {
    const rows = r.exemplars.map((e) => [
      formatExemplarValue(e.value, e.seriesLabels['__name__']),
      formatRelativeTime(e.timestampMs, end.getTime()),
      e.traceId,
      printable(formatSeries(e.seriesLabels)),
    ]);
    const widths = [0, 1].map((c) => Math.max(...rows.map((row) => (row[c] as string).length)));
    const line = (row: string[]): string => `${(row[0] as string).padStart(widths[0] as number)}  ${(row[1] as string).padEnd(widths[1] as number)}  ${row[2]}  ${row[3]}`;
    out(rows.map(line).join('\n'));
    if (r.withoutTraceId > 0) err(`(${r.withoutTraceId} exemplar(s) without a trace ID under ${traceIdLabels.join(', ')} not shown)`);
  }
  if (r.exemplars.length === 0) {
    if (storage === false) {
      err(`Exemplar storage is disabled on ${shownUrl}: start Prometheus with --enable-feature=exemplar-storage.`);
      return 1;
    }
    err(
      r.withoutTraceId > 0
        ? `${r.withoutTraceId} exemplar(s) for ${printable(query)} in the last ${minutes} minutes, but none has a trace ID under ${traceIdLabels.join(', ')} (use --label).`
        : `No exemplars for ${printable(query)} in the last ${minutes} minutes on ${shownUrl}.`,
    );
  }
  return 0;
}
