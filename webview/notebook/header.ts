/**
 * The incident's header: ID, title, severity, status, commander, the elapsed time (ticking, on the host's clock),
 * the six phases as a stepper (click one to move the incident there), and the commands: copy the hand-off summary,
 * export the postmortem, open the file, edit the details, switch incident, shortcuts.
 */
import { codicon, el } from '../shared/dom';
import type { FormSpec } from './forms';
import type { Incident, IncidentListItem, PanelCommand, Phase } from './logic';
import { capitalize, elapsedText, incidentStatusClass, PHASE_INFO, PHASES, severityClass } from './logic';
import { badge, inlineError, reconcile, srOnly, textButton } from './parts';

export interface HeaderHandlers {
  command(command: PanelCommand): void;
  phase(phase: Phase): void;
  editDetails(): void;
  switchMenu(anchor: HTMLElement): void;
  shortcuts(anchor: HTMLElement): void;
  dismissPhaseError(): void;
}

const SEVERITY_OPTIONS = ['SEV-1', 'SEV-2', 'SEV-3'];
const STATUS_OPTIONS = ['active', 'mitigated', 'resolved', 'closed'];
const META_KEYS = ['title', 'severity', 'status', 'commander'] as const;

/** The "Edit details" form: title, severity, status, commander (one setMeta per changed field). */
export function detailsFormSpec(incident: Incident): FormSpec {
  const opts = (values: readonly string[], current: string): { value: string; label: string }[] => [...(values.includes(current) ? [] : [current]), ...values].map((v) => ({ value: v, label: capitalize(v) }));
  const initial = { title: incident.title, severity: incident.severity, status: incident.status, commander: incident.commander };
  return {
    key: 'meta',
    title: 'Edit incident details',
    icon: 'edit',
    submitLabel: 'Save details',
    cancelLabel: 'Cancel',
    fields: [
      { name: 'title', label: 'Title', kind: 'text', required: true },
      { name: 'severity', label: 'Severity', kind: 'select', half: true, options: opts(SEVERITY_OPTIONS, incident.severity) },
      { name: 'status', label: 'Status', kind: 'select', half: true, options: opts(STATUS_OPTIONS, incident.status) },
      { name: 'commander', label: 'Incident commander', kind: 'text', required: true, placeholder: 'Who leads' },
    ],
    initial,
    returnFocus: 'header:details',
    build: (v) => ({
      ops: META_KEYS.filter((k) => (v[k] ?? '').trim() !== initial[k]).map((k) => ({ op: 'setMeta' as const, field: k, value: (v[k] ?? '').trim() })),
    }),
  };
}

export class Header {
  readonly element = el('header', 'nb-header');
  private readonly elapsedText = el('span', 'nb-elapsed-text');
  private readonly elapsed = el('span', 'nb-fact nb-elapsed');
  private incident: Incident | undefined;

  constructor(private readonly on: HeaderHandlers) {
    this.elapsed.setAttribute('role', 'timer');
    this.element.setAttribute('aria-label', 'Incident');
  }

  render(incident: Incident, file: string | undefined, others: readonly IncidentListItem[], detailsForm: HTMLFormElement | undefined, phaseError: string | undefined, now: number): void {
    this.incident = incident;
    const top = el('div', 'nb-head-row');
    const titleBlock = el('div', 'nb-title-block');
    const idLine = el('div', 'nb-id-line');
    const id = el('span', 'nb-id', incident.id);
    id.title = file ? `${incident.id} — ${file}` : incident.id;
    const sev = badge(undefined, incident.severity, `nb-sev nb-sev-${severityClass(incident.severity)}`, `Severity ${incident.severity}`);
    const status = el('span', `nb-istatus nb-istatus-${incidentStatusClass(incident.status)}`);
    status.append(el('span', 'nb-dot'), el('span', undefined, capitalize(incident.status)));
    status.title = `Status: ${incident.status}`;
    idLine.append(id, sev, status);
    const title = el('h1', 'nb-title', incident.title || 'Untitled incident');
    title.dir = 'auto';
    title.title = incident.title.length > 500 ? `${incident.title.slice(0, 500)}…` : incident.title;
    titleBlock.append(idLine, title);

    const tools = el('div', 'nb-toolbar');
    tools.setAttribute('role', 'group');
    tools.setAttribute('aria-label', 'Incident commands');
    const cmd = (icon: string, label: string, command: PanelCommand, title: string): HTMLButtonElement => {
      const b = textButton(icon, label, `header:${command}`, 'flat', title);
      b.classList.add('nb-tool');
      // The label is hidden in narrow panels: keep a short name either way (the title describes it).
      b.setAttribute('aria-label', label);
      b.addEventListener('click', () => this.on.command(command));
      return b;
    };
    const details = textButton('edit', 'Details', 'header:details', 'flat', 'Edit title, severity, status and commander');
    details.setAttribute('aria-label', 'Details');
    details.classList.add('nb-tool');
    details.setAttribute('aria-expanded', String(!!detailsForm));
    details.addEventListener('click', () => this.on.editDetails());
    const more = textButton('arrow-swap', 'Switch', 'header:switch', 'flat', 'Switch to another incident, start or open one');
    more.setAttribute('aria-label', 'Switch incident');
    more.classList.add('nb-tool');
    more.setAttribute('aria-haspopup', 'menu');
    more.setAttribute('aria-expanded', 'false');
    more.addEventListener('click', () => this.on.switchMenu(more));
    const keys = textButton('keyboard', 'Shortcuts', 'header:shortcuts', 'flat', 'Keyboard shortcuts (?)');
    keys.setAttribute('aria-label', 'Shortcuts');
    keys.classList.add('nb-tool', 'nb-tool-icon-only');
    keys.setAttribute('aria-haspopup', 'dialog');
    keys.setAttribute('aria-expanded', 'false');
    keys.addEventListener('click', () => this.on.shortcuts(keys));
    tools.append(
      cmd('copy', 'Hand-off', 'handoff', 'Copy the hand-off summary (state, open hypotheses, next actions) to the clipboard'),
      cmd('export', 'Postmortem', 'postmortem', 'Export a postmortem draft from this incident'),
      cmd('go-to-file', 'Open file', 'openFile', file ? `Open ${file}` : 'Open the incident file'),
      details,
      more,
      keys,
    );
    top.append(titleBlock, tools);

    const facts = el('div', 'nb-facts');
    const commander = el('span', 'nb-fact nb-commander');
    commander.append(codicon('person'), srOnly('Incident commander: '), el('span', 'nb-fact-label', 'IC'));
    const name = el('span', 'nb-fact-value', incident.commander || 'nobody yet');
    name.dir = 'auto';
    commander.append(name);
    commander.title = `Incident commander: ${incident.commander.slice(0, 200)}`;
    this.elapsed.replaceChildren(codicon('clock'), this.elapsedText);
    facts.append(commander, this.elapsed);
    if (incident.services.length) {
      const svc = el('span', 'nb-fact nb-services');
      svc.append(codicon('server-process'), srOnly('Services: '));
      const names = el('span', 'nb-fact-value', incident.services.join(', '));
      names.dir = 'auto';
      svc.append(names);
      svc.title = `Services: ${incident.services.join(', ').slice(0, 300)}`;
      facts.append(svc);
    }
    if (incident.alert) {
      const alert = el('span', 'nb-fact nb-alert');
      alert.append(codicon('bell'), srOnly('Alert: '));
      const a = el('span', 'nb-fact-value nb-mono', incident.alert);
      alert.append(a);
      alert.title = `Paged by the alert ${incident.alert.slice(0, 200)}`;
      facts.append(alert);
    }
    this.tick(now);

    const row2 = el('div', 'nb-head-row2');
    row2.append(facts, this.stepper(incident.phase));
    const nodes: HTMLElement[] = [top, row2];
    if (phaseError) nodes.push(inlineError(phaseError, () => this.on.dismissPhaseError(), 'header:error:dismiss'));
    if (detailsForm) nodes.push(detailsForm);
    reconcile(this.element, nodes);
    // The switcher only makes sense with somewhere to go, but Start/Open are always there.
    more.title = others.length ? `Switch to one of ${others.length} other incidents, start or open one` : 'Start or open another incident';
  }

  /** Updates the elapsed time (every second, on the host's clock). */
  tick(now: number): void {
    if (!this.incident) return;
    const e = elapsedText(this.incident, now);
    this.elapsedText.textContent = e.text;
    this.elapsed.title = e.label;
    this.elapsed.setAttribute('aria-label', `${e.ticking ? 'Elapsed' : 'Lasted'} ${e.text}`);
  }

  private stepper(current: string): HTMLElement {
    const nav = el('nav', 'nb-phases-nav');
    nav.setAttribute('aria-label', 'Phase');
    const ol = el('ol', 'nb-phases');
    const at = PHASES.indexOf(current as Phase);
    PHASES.forEach((p, i) => {
      const info = PHASE_INFO[p];
      const li = el('li', `nb-phase${i < at ? ' nb-phase-done' : ''}${i === at ? ' nb-phase-current' : ''}`);
      const b = el('button', 'nb-phase-button');
      b.type = 'button';
      b.dataset['fk'] = `phase:${p}`;
      b.dataset['phase'] = p;
      const mark = el('span', 'nb-phase-mark');
      if (i < at) mark.append(codicon('check'));
      else mark.append(el('span', 'nb-phase-num', String(i + 1)));
      mark.setAttribute('aria-hidden', 'true');
      b.append(mark, el('span', 'nb-phase-label', info.label));
      if (i === at) {
        b.setAttribute('aria-current', 'step');
        b.title = `Current phase: ${info.label} — ${info.hint}`;
      } else {
        b.title = `Move to ${info.label}: ${info.hint}`;
        b.addEventListener('click', () => this.on.phase(p));
      }
      b.setAttribute('aria-label', `${info.label}, phase ${i + 1} of ${PHASES.length}${i === at ? ', current' : i < at ? ', done' : ''}`);
      li.append(b);
      ol.append(li);
    });
    nav.append(ol);
    if (at < 0) {
      nav.append(el('span', 'nb-phase-unknown', `The file says phase "${current.slice(0, 40)}", which is not one of the six`));
    }
    return nav;
  }
}
