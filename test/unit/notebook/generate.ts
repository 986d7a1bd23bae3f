// Random valid incidents for the property tests of the notebook (format round trip, merge): a seeded generator, so a
// failure names the seed that reproduces it, with hostile text in every field — headings and section names inside
// text, comment markers, pipes, backticks, fences, list markers, backslashes, `<br>`, link-like and token-like
// endings, unicode (RTL, combining, emoji, ZWJ), tabs, very long strings, line breaks in one-line fields.
import type { Action, Evidence, EvidenceLink, Hypothesis, Incident, Observation, TimelineEntry } from '../../../src/core/notebook/model';
import { ACTION_KINDS, ACTION_STATUSES, DETECTED_BY, HYPOTHESIS_STATUSES, INCIDENT_STATUSES, PHASES, SEVERITIES, TIMELINE_KINDS, toUtc } from '../../../src/core/notebook/model';
import { checkLink } from '../../../src/core/notebook/links';
import type { NotebookOp } from '../../../src/core/notebook/ops';
import { applyOp, groupActions, sortTimeline } from '../../../src/core/notebook/ops';
import { entityIds, newEntityId, seededRandom } from '../../../src/core/notebook/ids';
import { normalizeText } from '../../../src/core/notebook/text';

/** mulberry32: a small, good, seeded generator. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Pieces that have broken (or could break) a Markdown format. */
export const HOSTILE = [
  '## Timeline (UTC)', '## Summary', '## Notes', '## Impact', '## Custom section', '##', '# H1 title', '### H2 · x', '### Mitigation', '#hashtag', '\\## escaped', '\\\\## two',
  '<!--', '-->', '<!-- o-abcd -->', '<!-- -->', '<!-- t-1 ref=h-2 -->', '<\\!--', '|', '| a | b |', '`', '```', '```js', '~~~', '---', '...', '***',
  '- ', '* ', '+ ', '1. ', '2) ', '- [ ] ', '[x] ', '> quote', '\\', '\\n', '<br>', '<\\br>', '<br/>', '<BR>', '[a](b)', '[label](https://example.com/x)',
  '[trace 1](vscode://oncall-lens.oncall-lens/trace/0123456789abcdef)', '[f](../../x.ts#L1 "commit abc1")', ' — *x*', ' — *', '*', '**', '_', '·', ' · ', 'supports · ',
  'done · ', 'note · ', '2026-11-23 03:12:00Z · ', '03:12Z ', 'Status: open', '- Evidence:', 'none', 'H1 · ', 'H12: ', '"', "'", ': ', '{', '}', '[', ']', '(', ')',
  '<', '>', '&amp;', '%', '%28', 'null', 'true', '~', '=', 'é', 'e\u0301', '日本語', '😀', '👩‍💻', '🇺🇦', '\u202e', 'שלום', 'مرحبا', '\u200b', '\u00a0', '\t', '  ', '\n',
  '\n\n', '\n  ', '\n    code', '\n- item', '\n## Timeline', '\n---\n', 'word', 'p99 latency', 'checkout-service', 'a', 'Z',
] as const;

export function hostileText(r: Rng, maxPieces = 8): string {
  if (r.chance(0.03)) return normalizeText('long '.repeat(1000 + r.int(2000)) + r.pick(HOSTILE));
  let s = '';
  const n = r.int(maxPieces + 1);
  for (let i = 0; i < n; i++) s += r.chance(0.5) ? r.pick(HOSTILE) : r.pick(['alpha', 'beta', ' ', 'gamma delta', 'x', '42', 'ok.']);
  return normalizeText(s);
}

const nonEmpty = (r: Rng, max?: number): string => {
  for (;;) {
    const s = hostileText(r, max);
    if (s !== '') return s;
  }
};
const optional = (r: Rng): string | undefined => {
  if (r.chance(0.4)) return undefined;
  const s = hostileText(r, 4);
  return s === '' ? undefined : s;
};

const BASE = Date.UTC(2026, 10, 23, 3, 0, 0);
export const time = (r: Rng): string => toUtc(new Date(BASE + r.int(6 * 3600) * 1000));

const HEX = '0123456789abcdef';
const hex = (r: Rng, n: number): string => Array.from({ length: n }, () => r.pick([...HEX])).join('');
const SEGMENTS = ['src', 'services', 'pricing-service', 'a b', 'x(1)', 'é', '日本', 'f#g', 'p%20q', 'q?r', '[brackets]', 'file.ts', 'main.go', 'README.md', "it's", 'a"b', '😀'];
const path = (r: Rng): string => Array.from({ length: 1 + r.int(4) }, () => r.pick(SEGMENTS)).join('/');
const name = (r: Rng): string => normalizeText(hostileText(r, 3).replace(/\n/g, ' ')) || 'x';

export function link(r: Rng): EvidenceLink | undefined {
  const raw = ((): Record<string, unknown> => {
    switch (r.int(7)) {
      case 0:
        return { kind: 'trace', traceId: hex(r, r.chance(0.5) ? 32 : 16), source: r.chance(0.5) ? r.pick([path(r), 'jaeger-prod', name(r)]) : undefined };
      case 1:
        return { kind: 'span', traceId: hex(r, 32), spanId: hex(r, 16), source: r.chance(0.5) ? name(r) : undefined };
      case 2: {
        const line = 1 + r.int(500);
        return { kind: 'file', path: path(r), line, endLine: r.chance(0.4) ? line + r.int(30) : undefined, commit: r.chance(0.4) ? hex(r, r.chance(0.5) ? 40 : 7) : undefined };
      }
      case 3:
        return { kind: 'runbook', runbook: r.chance(0.3) ? `builtin:${name(r)}` : `${path(r)}.md`, step: r.chance(0.5) ? name(r) : undefined, line: r.chance(0.4) ? 1 + r.int(99) : undefined };
      case 4:
        return { kind: 'deploy', service: name(r), version: name(r), commit: r.chance(0.5) ? hex(r, 40) : undefined };
      case 5:
        return { kind: 'exemplar', traceId: hex(r, 32), query: r.chance(0.6) ? `histogram_quantile(0.99, rate(x{job="${name(r)}"}[5m]))` : undefined, prometheus: r.chance(0.5) ? 'http://prom:9090' : undefined };
      default:
        return { kind: 'url', url: `https://grafana.example.com/${Array.from({ length: r.int(4) }, () => r.pick(['d', '(x)', '?a=b&c=d', '#frag', '%20', '"', "'", '[1]', '*', '_', 'é', ')'])).join('')}` };
    }
  })();
  const checked = checkLink(raw);
  return checked.ok ? checked.link : undefined;
}

function ids(r: Rng, used: Set<string>, prefix: string): string {
  for (;;) {
    const id = `${prefix}-${Array.from({ length: 1 + r.int(8) }, () => r.pick([...'0123456789abcdefghijklmnopqrstuvwxyz'])).join('')}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

const withOpt = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A random valid incident (see format.ts for what "valid" means). */
export function randomIncident(r: Rng): Incident {
  const used = new Set<string>();
  const observations: Observation[] = Array.from({ length: r.int(5) }, () =>
    withOpt({ id: ids(r, used, 'o'), at: time(r), text: nonEmpty(r), source: optional(r), link: r.chance(0.4) ? link(r) : undefined }),
  );
  const hypotheses: Hypothesis[] = Array.from({ length: r.int(4) }, () =>
    withOpt({
      id: ids(r, used, 'h'),
      at: time(r),
      statement: nonEmpty(r, 5),
      prediction: hostileText(r),
      test: hostileText(r),
      probability: r.chance(0.6) ? r.int(101) : undefined,
      status: r.pick(HYPOTHESIS_STATUSES),
      shape: optional(r),
      evidence: Array.from({ length: r.int(4) }, (): Evidence => withOpt({ id: ids(r, used, 'e'), at: time(r), text: nonEmpty(r), bearing: r.pick(['supports', 'refutes', 'neutral'] as const), link: r.chance(0.4) ? link(r) : undefined })),
      verdict: optional(r),
    }),
  );
  const actions: Action[] = groupActions(
    Array.from({ length: r.int(6) }, () => withOpt({ id: ids(r, used, 'a'), kind: r.pick(ACTION_KINDS), what: nonEmpty(r, 4), who: optional(r), at: time(r), status: r.pick(ACTION_STATUSES), link: r.chance(0.3) ? link(r) : undefined })),
  );
  const refs = [...used];
  const timeline: TimelineEntry[] = sortTimeline(
    Array.from({ length: r.int(8) }, () => withOpt({ id: ids(r, used, 't'), at: time(r), kind: r.pick(TIMELINE_KINDS), text: nonEmpty(r, 4), link: r.chance(0.2) ? link(r) : undefined, ref: refs.length > 0 && r.chance(0.5) ? r.pick(refs) : undefined })),
  );
  const started = time(r);
  return withOpt({
    id: `INC-2026-11-${String(1 + r.int(28)).padStart(2, '0')}-${String(1 + r.int(120)).padStart(2, '0')}`,
    title: nonEmpty(r, 5),
    severity: r.pick(SEVERITIES),
    status: r.pick(INCIDENT_STATUSES),
    phase: r.pick(PHASES),
    commander: nonEmpty(r, 3),
    detectedBy: r.pick(DETECTED_BY),
    alert: optional(r),
    started,
    detected: r.chance(0.7) ? time(r) : undefined,
    mitigated: r.chance(0.5) ? time(r) : undefined,
    resolved: r.chance(0.4) ? time(r) : undefined,
    services: [...new Set(Array.from({ length: r.int(4) }, () => (r.chance(0.2) ? nonEmpty(r, 3) : name(r))))],
    summary: hostileText(r, 12),
    impact: hostileText(r, 12),
    observations,
    hypotheses,
    actions,
    timeline,
    notes: r.chance(0.5) ? hostileText(r, 12) : '',
  });
}

/** A random op that makes sense for `inc` (existing IDs where it needs one). */
export function randomOp(r: Rng, inc: Incident): NotebookOp {
  const obs = inc.observations.map((o) => o.id);
  const hyp = inc.hypotheses.map((h) => h.id);
  const act = inc.actions.map((a) => a.id);
  const tl = inc.timeline.map((t) => t.id);
  const choices: Array<() => NotebookOp> = [
    () => ({ op: 'addObservation', text: nonEmpty(r), ...(r.chance(0.5) ? { source: name(r) } : {}), ...(r.chance(0.5) ? { at: time(r) } : {}) }),
    () => ({ op: 'addHypothesis', statement: nonEmpty(r, 4), prediction: hostileText(r), test: hostileText(r), ...(r.chance(0.5) ? { probability: r.int(101) } : {}) }),
    () => ({ op: 'addAction', kind: r.pick(ACTION_KINDS), what: nonEmpty(r, 3), status: r.pick(ACTION_STATUSES) }),
    () => ({ op: 'addTimeline', text: nonEmpty(r, 3), at: time(r) }),
    () => ({ op: 'setMeta', field: 'title', value: nonEmpty(r, 3) }),
    () => ({ op: 'setMeta', field: 'status', value: r.pick(INCIDENT_STATUSES) }),
    () => ({ op: 'setMeta', field: 'phase', value: r.pick(PHASES) }),
    () => ({ op: 'setMeta', field: 'summary', value: hostileText(r) }),
  ];
  if (obs.length > 0) choices.push(() => ({ op: 'editObservation', id: r.pick(obs), text: nonEmpty(r) }), () => ({ op: 'removeObservation', id: r.pick(obs) }));
  if (hyp.length > 0) {
    choices.push(
      () => ({ op: 'setHypothesisStatus', id: r.pick(hyp), status: r.pick(HYPOTHESIS_STATUSES), ...(r.chance(0.5) ? { verdict: nonEmpty(r) } : {}) }),
      () => ({ op: 'addEvidence', hypothesis: r.pick(hyp), text: nonEmpty(r), bearing: r.pick(['supports', 'refutes', 'neutral'] as const) }),
      () => ({ op: 'editHypothesis', id: r.pick(hyp), statement: nonEmpty(r, 3) }),
      () => ({ op: 'removeHypothesis', id: r.pick(hyp) }),
    );
  }
  if (act.length > 0) choices.push(() => ({ op: 'editAction', id: r.pick(act), status: r.pick(ACTION_STATUSES) }), () => ({ op: 'editAction', id: r.pick(act), kind: r.pick(ACTION_KINDS) }), () => ({ op: 'removeAction', id: r.pick(act) }));
  if (tl.length > 0) choices.push(() => ({ op: 'editTimeline', id: r.pick(tl), text: nonEmpty(r, 3) }), () => ({ op: 'removeTimeline', id: r.pick(tl) }));
  return r.pick(choices)();
}

/** `inc` after `n` random ops, with random IDs from `seed` (so two sides never pick the same ones). */
export function randomEdits(r: Rng, inc: Incident, n: number, seed: number): Incident {
  const random = seededRandom(seed);
  for (let i = 0; i < n; i++) {
    const used = entityIds(inc);
    const res = applyOp(inc, randomOp(r, inc), { now: time(r), newId: (p) => newEntityId(p, (x) => used.has(x), random) });
    if (res.ok) inc = res.incident;
  }
  return inc;
}
