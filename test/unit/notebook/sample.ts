// A small, ordinary incident for the notebook's unit tests (one of everything).
import type { Incident } from '../../../src/core/notebook/model';

export const small: Incident = {
  id: 'INC-2026-11-23-01',
  title: 'Checkout 504s',
  severity: 'SEV-2',
  status: 'mitigated',
  phase: 'diagnose',
  commander: 'Lena Fischer',
  detectedBy: 'alert',
  alert: 'CheckoutLatencyHigh',
  started: '2026-11-23T03:12:00Z',
  detected: '2026-11-23T03:12:41Z',
  services: ['checkout-service', 'pricing-service'],
  summary: 'The catalog cache expired at once.\n\nCheckouts timed out.',
  impact: '12 checkouts failed.',
  observations: [{ id: 'o-k3x9', at: '2026-11-23T03:12:41Z', text: 'p99 at 3.0 s', source: 'Grafana', link: { kind: 'url', url: 'https://grafana.example.com/d/checkout-red' } }],
  hypotheses: [
    {
      id: 'h-2m7q', at: '2026-11-23T03:19:30Z', statement: 'Cache stampede', prediction: 'Slow traces are cache hits.', test: 'Open three slow traces.', probability: 70, status: 'confirmed', shape: 'cache-stampede',
      evidence: [{ id: 'e-p0d3', at: '2026-11-23T03:24:00Z', text: '16 concurrent loads', bearing: 'supports', link: { kind: 'file', path: 'src/priceCache.ts', line: 26, endLine: 43 } }],
      verdict: 'Confirmed.',
    },
  ],
  actions: [
    { id: 'a-r2c8', kind: 'mitigation', what: 'Set PRICING_MAX_ATTEMPTS=1', who: 'Sam Okafor', at: '2026-11-23T03:27:00Z', status: 'done' },
    { id: 'a-f1x0', kind: 'fix', what: 'Single-flight in getCatalog', at: '2026-11-23T03:34:00Z', status: 'planned' },
  ],
  timeline: [
    { id: 't-0', at: '2026-11-23T03:12:41Z', kind: 'detect', text: 'Alert CheckoutLatencyHigh fired' },
    { id: 't-k3x9', at: '2026-11-23T03:41:02Z', kind: 'verdict', text: 'H1 confirmed: Cache stampede', ref: 'h-2m7q' },
  ],
  notes: '',
};
