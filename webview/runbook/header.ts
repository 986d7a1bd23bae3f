/**
 * The runbook page's header: title, the alerts it answers as badges, severity, services, owner, last review (with a
 * stale warning), problems, file, and the checklist bar (whose incident, progress, reset). Every string is set as
 * text.
 */
import type { RunbookMeta } from '../../src/shared/protocol/runbook';
import { button, codicon, el } from '../shared/dom';
import { problemsText, progressText, reviewedText } from './logic';

/** A header fact: an icon, a label for screen readers, and content. */
function fact(icon: string, label: string, ...content: (Node | string)[]): HTMLElement {
  const f = el('span', 'rb-fact');
  f.append(codicon(icon));
  const sr = el('span', 'rb-sr', `${label}: `);
  f.append(sr, ...content);
  return f;
}

/** Builds the header of `meta` into `root` (replacing what was there). */
export function renderHeader(root: HTMLElement, meta: RunbookMeta, now: number): void {
  const titleRow = el('div', 'rb-title-row');
  titleRow.append(codicon('book', 'rb-title-icon'), el('h1', 'rb-title', meta.title));
  if (meta.origin === 'builtin') {
    const b = el('span', 'rb-badge rb-badge-builtin', 'Built-in');
    b.title = 'Ships with On-Call Lens';
    titleRow.append(b);
  }

  const facts = el('div', 'rb-facts');
  if (meta.alerts.length) {
    const list = el('span', 'rb-badges');
    for (const a of meta.alerts) list.append(el('span', 'rb-badge rb-badge-alert', a));
    facts.append(fact('bell', meta.alerts.length === 1 ? 'Alert' : 'Alerts', list));
  }
  if (meta.severity) {
    const sev = el('span', `rb-badge rb-sev rb-sev-${meta.severity.toLowerCase().replace(/[^a-z0-9]/g, '')}`, meta.severity);
    facts.append(fact('flame', 'Severity', sev));
  }
  if (meta.services.length) facts.append(fact('server-process', meta.services.length === 1 ? 'Service' : 'Services', meta.services.join(', ')));
  if (meta.owner) facts.append(fact('person', 'Owner', meta.owner));
  const reviewed = fact(meta.stale ? 'warning' : 'history', 'Last reviewed', reviewedText(meta.lastReviewed, now));
  if (meta.stale) {
    reviewed.classList.add('rb-stale');
    reviewed.append(el('span', 'rb-badge rb-badge-warn', 'Stale'));
    reviewed.title = 'This runbook has not been reviewed for a long time: check that its steps still apply';
  }
  facts.append(reviewed);
  if (meta.problems > 0) {
    const p = fact('error', 'Problems', problemsText(meta.problems));
    p.classList.add('rb-problems');
    p.title = 'Problems in this runbook are listed in the Problems panel';
    facts.append(p);
  }
  const file = fact('file', 'File', el('span', 'rb-mono', meta.file));
  file.classList.add('rb-file');
  facts.append(file);

  root.replaceChildren(titleRow, facts);
}

/** The checklist bar: incident label, progress, "Reset checklist". */
export class ChecklistBar {
  readonly element = el('div', 'rb-checkbar');
  private readonly incident = el('span', 'rb-incident');
  private readonly progress = el('span', 'rb-progress');
  private readonly reset = button({ icon: 'discard', label: 'Reset checklist', className: 'rb-button rb-reset' });

  constructor(onReset: () => void) {
    this.progress.setAttribute('role', 'status');
    this.reset.title = 'Untick every item of this runbook for the current incident';
    this.reset.addEventListener('click', onReset);
    const label = el('span', 'rb-checkbar-label');
    label.append(codicon('checklist'), el('span', undefined, 'Checklist for'), this.incident);
    this.element.append(label, this.progress, el('span', 'rb-spacer'), this.reset);
  }

  update(incident: string, done: number, total: number): void {
    this.element.hidden = total === 0;
    this.incident.textContent = incident;
    this.progress.textContent = progressText(done, total);
    this.progress.classList.toggle('rb-all-done', total > 0 && done >= total);
    this.reset.disabled = done === 0;
  }
}
