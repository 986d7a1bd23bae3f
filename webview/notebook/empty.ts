/**
 * The panel without an active incident: what the notebook is for, Start / Open, and the workspace's other incidents
 * to switch to.
 */
import { codicon, el } from '../shared/dom';
import type { IncidentListItem, PanelCommand } from './logic';
import { capitalize, fullTime, incidentStatusClass, severityClass } from './logic';
import { badge, list, textButton } from './parts';

export function renderEmpty(root: HTMLElement, others: readonly IncidentListItem[], on: { command(c: PanelCommand): void; switchTo(id: string): void }): void {
  const box = el('div', 'nb-empty');
  const icon = el('div', 'nb-empty-icon');
  icon.append(codicon('notebook'));
  icon.setAttribute('aria-hidden', 'true');
  const h = el('h1', 'nb-empty-title', 'No active incident');
  const p = el(
    'p',
    'nb-empty-text',
    'The hypothesis notebook keeps an investigation honest: what you saw, what you think is wrong and what would prove you wrong, what you did, on one UTC timeline. It is a Markdown file in the repository (.oncall/incidents/), so the whole team can read and review it.',
  );
  const buttons = el('div', 'nb-empty-buttons');
  const start = textButton('add', 'Start Incident…', 'empty:start', 'primary', 'Start a new incident in this workspace');
  start.addEventListener('click', () => on.command('start'));
  const open = textButton('folder-opened', 'Open Incident…', 'empty:open', 'secondary', 'Open an incident file');
  open.addEventListener('click', () => on.command('open'));
  buttons.append(start, open);
  box.append(icon, h, p, buttons);

  if (others.length) {
    const h2 = el('h2', 'nb-empty-subtitle', 'Incidents in this workspace');
    const ul = list('nb-others', 'Incidents in this workspace');
    for (const o of others) {
      const li = el('li');
      const b = el('button', 'nb-other');
      b.type = 'button';
      b.dataset['fk'] = `switch:${o.id}`;
      b.dataset['incident'] = o.id;
      b.title = `Make ${o.id} the active incident`;
      const top = el('span', 'nb-other-top');
      top.append(el('span', 'nb-id', o.id), badge(undefined, o.severity, `nb-sev nb-sev-${severityClass(o.severity)}`));
      const st = el('span', `nb-istatus nb-istatus-${incidentStatusClass(o.status)}`);
      st.append(el('span', 'nb-dot'), el('span', undefined, capitalize(o.status)));
      top.append(st);
      const title = el('span', 'nb-other-title', o.title || 'Untitled incident');
      title.dir = 'auto';
      const when = el('span', 'nb-other-when', `Started ${fullTime(o.started)}`);
      b.append(top, title, when);
      b.addEventListener('click', () => on.switchTo(o.id));
      li.append(b);
      ul.append(li);
    }
    box.append(h2, ul);
  }
  const keys = el('p', 'nb-empty-keys');
  keys.append(codicon('info'), el('span', undefined, 'Once an incident is open: O observation, H hypothesis, A action, N note, / failure shapes, ? all shortcuts.'));
  box.append(keys);
  root.replaceChildren(box);
}
