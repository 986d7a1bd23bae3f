/**
 * How exemplars are shown, in the quick pick and the CLI: a series label set in PromQL notation, an exemplar's
 * value in the metric's unit, and the time as "3 min ago". Pure.
 */

/** Escapes a label value the way PromQL and the exposition format write it. */
function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * `http_server_duration_seconds_bucket{le="0.1", route="/api"}`: the metric name, then the other labels sorted by
 * name. Labels in `omit` are left out (e.g. `instance`, `job` where they only add noise).
 */
export function formatSeries(labels: Readonly<Record<string, string>>, omit: readonly string[] = []): string {
  const name = omit.includes('__name__') ? '' : (labels['__name__'] ?? '');
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__' && !omit.includes(k))
    .sort()
    .map((k) => `${k}="${escapeLabelValue(labels[k] ?? '')}"`);
  if (rest.length === 0) return name === '' ? '{}' : name;
  return `${name}{${rest.join(', ')}}`;
}

/** The unit a metric name announces (Prometheus naming: the unit is the suffix before `_bucket`/`_total`/…). */
export function metricUnit(metricName: string | undefined): 'seconds' | 'milliseconds' | 'bytes' | undefined {
  if (!metricName) return undefined;
  const base = metricName.replace(/_(?:bucket|sum|count|total|created)$/, '');
  if (/_seconds$/.test(base)) return 'seconds';
  if (/_(?:milliseconds|ms)$/.test(base)) return 'milliseconds';
  if (/_bytes$/.test(base)) return 'bytes';
  return undefined;
}

/** A number with up to `digits` significant digits, without trailing zeros or exponent for everyday magnitudes. */
function plain(n: number, digits = 3): string {
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1e15 || abs < 1e-6) return n.toExponential(2);
  if (Number.isInteger(n)) return String(n);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return String(Number(n.toFixed(Math.min(decimals, 12))));
}

function duration(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs >= 60) return `${plain(seconds / 60, 3)} min`;
  if (abs >= 1) return `${seconds.toFixed(2)} s`;
  if (abs >= 0.001) return `${plain(seconds * 1000, 3)} ms`;
  if (abs === 0) return '0 s';
  return `${plain(seconds * 1e6, 3)} µs`;
}

/**
 * An exemplar's value in its metric's unit: `1.24 s` / `54 ms` for `…_seconds…` metrics, bytes as KB/MB, anything
 * else as a plain number.
 */
export function formatExemplarValue(value: number, metricName: string | undefined): string {
  switch (metricUnit(metricName)) {
    case 'seconds':
      return duration(value);
    case 'milliseconds':
      return duration(value / 1000);
    case 'bytes': {
      const abs = Math.abs(value);
      if (abs >= 1024 * 1024 * 1024) return `${plain(value / 1024 ** 3)} GB`;
      if (abs >= 1024 * 1024) return `${plain(value / 1024 ** 2)} MB`;
      if (abs >= 1024) return `${plain(value / 1024)} KB`;
      return `${plain(value)} B`;
    }
    default:
      return plain(value, 4);
  }
}

/** "just now", "42 s ago", "3 min ago", "2 h ago", "5 d ago"; times a little in the future (clock skew) are "just now". */
export function formatRelativeTime(timestampMs: number, nowMs: number = Date.now()): string {
  const s = Math.round((nowMs - timestampMs) / 1000);
  if (s < 5) return s < -60 ? `in ${formatRelativeTime(nowMs, timestampMs).replace(/ ago$/, '')}` : 'just now';
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** The first 8 hex characters of a trace ID followed by "…", as shown next to an exemplar. */
export function shortTraceId(traceId: string): string {
  return traceId.length > 8 ? `${traceId.slice(0, 8)}…` : traceId;
}
