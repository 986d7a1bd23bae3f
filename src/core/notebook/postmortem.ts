/**
 * A first draft of the blameless postmortem, on the Google SRE book's template: summary, impact, root causes (the
 * confirmed hypotheses with their evidence), trigger, resolution, detection with the times to detect / mitigate /
 * resolve, action items, lessons learned, and the full UTC timeline. What the notebook cannot know is left as a
 * prompt (an HTML comment and an italic hint) for the authors to fill in. It speaks of what happened and what the
 * system allowed — never of who caused it.
 */
import type { Action, EvidenceLink, Hypothesis, Incident } from './model';
import { between, formatDuration } from './durations';
import { oneLine } from './text';

/** A table cell: one line, pipes escaped (a backslash right before a pipe written as an entity so it escapes nothing). */
export function cell(s: string): string {
  return s
    .trim()
    .replace(/\r\n?|\n/g, '<br>')
    .replace(/\\(?=\|)/g, '&#92;')
    .replace(/\|/g, '\\|');
}

/** `2026-11-23 03:12:41` */
const when = (utc: string): string => utc.replace('T', ' ').replace('Z', '');

const hint = (comment: string, italic: string): string => `<!-- ${comment.replace(/--/g, '—')} -->\n_${italic}_`;

function linkText(l: EvidenceLink): string {
  switch (l.kind) {
    case 'trace':
      return `trace \`${l.traceId}\``;
    case 'span':
      return `span \`${l.spanId}\` of trace \`${l.traceId}\``;
    case 'exemplar':
      return `exemplar → trace \`${l.traceId}\``;
    case 'file':
      return `\`${l.path}:${l.line}${l.endLine !== undefined ? `-${l.endLine}` : ''}\`${l.commit !== undefined ? ` at ${l.commit.slice(0, 10)}` : ''}`;
    case 'runbook':
      return `runbook \`${l.runbook}\`${l.step !== undefined ? ` (${l.step})` : ''}`;
    case 'deploy':
      return `deploy of ${l.service} ${l.version}`;
    case 'url':
      return `<${l.url}>`;
  }
}

const ACTION_TYPE: Readonly<Record<Action['kind'], string>> = { mitigation: 'mitigate', diagnosis: 'investigate', fix: 'prevent' };

/** The postmortem draft as Markdown, written at `now` (UTC). */
export function postmortem(incident: Incident, now: string | Date): string {
  const i = incident;
  const nowUtc = typeof now === 'string' ? now : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const n = (h: Hypothesis): string => `H${i.hypotheses.indexOf(h) + 1}`;
  const out: string[] = [];
  const title = oneLine(i.title);

  out.push(`# Postmortem: ${title}`, '');
  out.push(`| | |`, `|---|---|`);
  out.push(`| Incident | ${cell(i.id)} |`);
  out.push(`| Date | ${i.started.slice(0, 10)} |`);
  out.push(`| Authors | _TBD: the people writing this postmortem_ |`);
  out.push(`| Status | Draft (incident ${i.status}); generated ${when(nowUtc)} UTC |`);
  out.push(`| Severity | ${i.severity} |`);
  out.push(`| Incident commander | ${cell(i.commander)} |`);
  if (i.services.length > 0) out.push(`| Services | ${cell(i.services.join(', '))} |`);
  out.push('');
  out.push('> Blameless: this describes what happened and what the system and our processes allowed, not who is to blame. Everyone acted on the information they had at the time.');

  out.push('', '## Summary', '');
  out.push(i.summary !== '' ? i.summary : hint('What happened, in two or three sentences: the symptom, its cause, how it was fixed.', 'What happened, in two or three sentences.'));

  out.push('', '## Impact', '');
  out.push(i.impact !== '' ? i.impact : hint('Who was affected and how badly: users, requests, revenue, SLO budget spent, support tickets.', 'Who was affected, how many, for how long.'));

  out.push('', '## Root causes', '');
  const confirmed = i.hypotheses.filter((h) => h.status === 'confirmed');
  if (confirmed.length === 0) out.push(hint('No hypothesis was confirmed in the notebook. What made this possible? Usually more than one thing.', 'No hypothesis is confirmed yet: what made this possible?'));
  for (const h of confirmed) {
    out.push(`### ${n(h)}: ${oneLine(h.statement)}`, '');
    if (h.verdict !== undefined) out.push(h.verdict, '');
    const ev = h.evidence.filter((e) => e.bearing !== 'refutes');
    if (ev.length > 0) {
      out.push('Evidence:', '');
      for (const e of ev) out.push(`- ${when(e.at)} — ${indentMore(e.text)}${e.link !== undefined ? ` (${linkText(e.link)})` : ''}`);
      out.push('');
    }
    const against = h.evidence.filter((e) => e.bearing === 'refutes');
    if (against.length > 0) {
      out.push('Evidence against it, and why it still holds:', '');
      for (const e of against) out.push(`- ${when(e.at)} — ${indentMore(e.text)}`);
      out.push('');
    }
  }
  const others = i.hypotheses.filter((h) => h.status !== 'confirmed');
  if (others.length > 0) {
    while (out[out.length - 1] === '') out.pop();
    out.push('', 'Other hypotheses considered:', '', '| # | Hypothesis | Status | Verdict |', '|---|---|---|---|');
    for (const h of others) out.push(`| ${n(h)} | ${cell(h.statement)} | ${h.status} | ${cell(h.verdict ?? '')} |`);
  }
  while (out[out.length - 1] === '') out.pop();

  out.push('', '## Trigger', '');
  const changes = i.timeline.filter((t) => t.kind === 'deploy' && t.at <= (i.detected ?? i.started));
  if (changes.length > 0) {
    out.push('Changes before the incident was detected (from the timeline):', '');
    for (const t of changes) out.push(`- ${when(t.at)} — ${t.text}`);
    out.push('');
  }
  out.push(hint('What set it off: a deploy, a config or flag change, a traffic pattern, a scheduled job, an external event.', 'What set it off?'));

  out.push('', '## Resolution and mitigation', '');
  const mitigation = i.actions.filter((a) => a.kind === 'mitigation' || (a.kind === 'fix' && a.status === 'done'));
  if (mitigation.length === 0) out.push(hint('What stopped the bleeding, and what fixed the cause.', 'What stopped the bleeding, what fixed it?'));
  for (const a of mitigation) out.push(`- ${when(a.at)} — ${a.what}${a.who !== undefined ? ` (${a.who})` : ''} — ${a.kind}, ${a.status}`);

  out.push('', '## Detection', '');
  const how = i.detectedBy === 'alert' ? `an alert${i.alert !== undefined ? ` (\`${i.alert.replace(/`/g, "'")}\`)` : ''}` : i.detectedBy === 'customer' ? 'a customer report' : 'a person who noticed';
  out.push(`- Detected by ${how}.`);
  const row = (label: string, t: string | undefined): string => `| ${label} | ${t !== undefined ? `${when(t)} UTC` : '—'} | ${t !== undefined ? (span(i.started, t) ?? '—') : '—'} |`;
  out.push('', '| | Time | Since start |', '|---|---|---|');
  out.push(`| Started | ${when(i.started)} UTC | — |`);
  out.push(row('Detected (time to detect)', i.detected));
  out.push(row('Mitigated (time to mitigate)', i.mitigated));
  out.push(row('Resolved (time to resolve)', i.resolved));
  out.push('', hint('Could we have detected it sooner? Did the alert point at the right service and runbook?', 'How could we detect this sooner?'));

  out.push('', '## Action items', '');
  const items = i.actions.filter((a) => a.kind === 'fix' || a.status === 'planned' || a.status === 'doing');
  out.push('| ID | Action item | Type | Owner | Due date | Status |', '|---|---|---|---|---|---|');
  items.forEach((a, k) => out.push(`| AI-${k + 1} | ${cell(a.what)} | ${ACTION_TYPE[a.kind]} | ${cell(a.who ?? 'TBD')} | TBD | ${a.status} |`));
  if (items.length === 0) out.push('| AI-1 | _Add the follow-ups: prevent, detect, mitigate faster._ | | TBD | TBD | |');

  out.push('', '## Lessons learned', '');
  out.push('### What went well', '', hint('Tools, alerts, runbooks and people that helped.', 'What helped?'), '');
  out.push('### What went poorly', '', hint('Where we lost time or were misled. Describe the system and the process, not the people.', 'Where did we lose time?'), '');
  out.push('### Where we got lucky', '', hint('What could have made it much worse, and did not, by chance.', 'What could have made it worse?'));

  out.push('', '## Timeline (UTC)', '');
  out.push('| Time (UTC) | Kind | Event |', '|---|---|---|');
  for (const t of i.timeline) out.push(`| ${when(t.at)} | ${t.kind} | ${cell(t.text)} |`);
  if (i.timeline.length === 0) out.push('| | | _The notebook\'s timeline is empty._ |');

  if (i.observations.length > 0) {
    out.push('', '## Supporting information', '', 'Observations from the notebook:', '');
    for (const o of i.observations) out.push(`- ${when(o.at)} — ${indentMore(o.text)}${o.source !== undefined ? ` (${o.source})` : ''}${o.link !== undefined ? ` — ${linkText(o.link)}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** Text in a list item: its further lines indented to stay in the item. */
const indentMore = (s: string): string => s.replace(/\n/g, '\n  ');

function span(from: string, to: string): string | undefined {
  const ms = between(from, to);
  return ms === undefined ? undefined : formatDuration(ms);
}
