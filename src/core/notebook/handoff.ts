/**
 * The handoff summary: a short Markdown message for the incident channel, or for the next on-call taking over — where
 * we are, what stops the bleeding, what we believe, what we ruled out and what comes next. It fits one chat message:
 * every list is capped and every text cut to one line.
 */
import type { Hypothesis, Incident } from './model';
import { between, formatDuration, shortTime } from './durations';
import { firstLine, oneLine } from './text';

const MAX_ITEMS = 5;

/** One line of plain text for chat (no line breaks, cut with an ellipsis). */
const one = (s: string, max = 140): string => firstLine(oneLine(s), max);

/** The handoff message at `now` (UTC). */
export function handoffSummary(incident: Incident, now: string | Date): string {
  const i = incident;
  const nowUtc = typeof now === 'string' ? now : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const n = (h: Hypothesis): string => `H${i.hypotheses.indexOf(h) + 1}`;
  const lines: string[] = [];

  lines.push(`**${i.id} · ${i.severity} · ${i.status}** — ${one(i.title, 160)}`);
  const end = i.resolved ?? (i.status === 'resolved' || i.status === 'closed' ? undefined : nowUtc);
  const elapsed = between(i.started, end);
  const time =
    i.resolved !== undefined && elapsed !== undefined
      ? `resolved after ${formatDuration(elapsed)} (started ${shortTime(i.started, nowUtc)})`
      : elapsed !== undefined
        ? `${formatDuration(elapsed)} since start (${shortTime(i.started, nowUtc)})`
        : `started ${shortTime(i.started, nowUtc)}`;
  lines.push(`Phase: ${i.phase} · IC: ${one(i.commander, 60) || 'nobody named'} · ${time}`);
  if (i.services.length > 0) lines.push(`Services: ${i.services.map((s) => one(s, 60)).join(', ')}`);
  if (i.summary !== '') lines.push(`> ${one(i.summary, 240)}`);

  const mitigation = i.actions.filter((a) => a.kind === 'mitigation' && (a.status === 'doing' || a.status === 'done'));
  lines.push('');
  lines.push(
    mitigation.length > 0
      ? `**Mitigation:** ${mitigation
          .slice(0, MAX_ITEMS)
          .map((a) => `${a.status === 'done' ? '✅' : '⏳'} ${one(a.what, 100)}${a.who !== undefined ? ` (${one(a.who, 40)})` : ''}`)
          .join(' · ')}${more(mitigation.length)}`
      : '**Mitigation:** none in place yet',
  );

  const confirmed = i.hypotheses.filter((h) => h.status === 'confirmed');
  if (confirmed.length > 0) lines.push(`**Confirmed:** ${confirmed.slice(0, MAX_ITEMS).map((h) => `${n(h)} ${one(h.statement, 120)}`).join(' · ')}${more(confirmed.length)}`);

  const live = i.hypotheses.filter((h) => h.status === 'testing' || h.status === 'open');
  // Testing first (that is where the work is), then open ones by probability.
  live.sort((a, b) => (a.status === b.status ? (b.probability ?? -1) - (a.probability ?? -1) : a.status === 'testing' ? -1 : 1));
  if (live.length > 0) {
    lines.push('**Open hypotheses:**');
    for (const h of live.slice(0, MAX_ITEMS)) {
      const meta = [h.status, ...(h.probability !== undefined ? [`${h.probability} %`] : [])].join(', ');
      lines.push(`- ${n(h)} (${meta}): ${one(h.statement, 120)}${h.prediction !== '' ? ` — wrong if: ${one(h.prediction, 120)}` : ''}`);
    }
    if (live.length > MAX_ITEMS) lines.push(`- …and ${live.length - MAX_ITEMS} more`);
  }

  const ruledOut = i.hypotheses.filter((h) => h.status === 'falsified');
  if (ruledOut.length > 0) lines.push(`**Ruled out:** ${ruledOut.slice(0, MAX_ITEMS).map((h) => `${n(h)} ${one(h.statement, 100)}`).join(' · ')}${more(ruledOut.length)}`);
  const inconclusive = i.hypotheses.filter((h) => h.status === 'inconclusive');
  if (inconclusive.length > 0) lines.push(`**Inconclusive:** ${inconclusive.slice(0, MAX_ITEMS).map((h) => `${n(h)} ${one(h.statement, 100)}`).join(' · ')}${more(inconclusive.length)}`);

  const next = i.actions.find((a) => a.status === 'planned');
  lines.push(next !== undefined ? `**Next:** ${one(next.what, 160)} (${next.kind}${next.who !== undefined ? `, ${one(next.who, 40)}` : ''})` : '**Next:** decide the next experiment');
  return lines.join('\n');
}

const more = (count: number): string => (count > MAX_ITEMS ? ` · …and ${count - MAX_ITEMS} more` : '');
