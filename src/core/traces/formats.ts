import type { TraceFormat } from './model';

const labels: Record<TraceFormat, string> = {
  'otlp-json': 'OTLP/JSON',
  'otlp-jsonl': 'OTLP JSON Lines',
  'jaeger-ui': 'Jaeger JSON',
  'zipkin-v2': 'Zipkin v2',
};

export function formatLabel(f: TraceFormat): string {
  return labels[f];
}
