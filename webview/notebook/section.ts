/**
 * A collapsible section of the panel with VS Code's pane-header look: chevron, title, count, and action buttons on
 * the right. The element is created once and moved between the layout's columns; its body is re-filled on render.
 */
import { codicon, el } from '../shared/dom';
import type { Draft } from './api';
import type { FormSpec } from './forms';
import type { FailureShape, Incident, Op } from './logic';

export type SectionId = 'observations' | 'hypotheses' | 'shapes' | 'actions' | 'timeline';

export class Section {
  readonly element = el('section', 'nb-section');
  readonly body = el('div', 'nb-section-body');
  private readonly toggle = el('button', 'nb-section-toggle');
  private readonly count = el('span', 'nb-count');
  private readonly tools = el('div', 'nb-section-tools');

  constructor(
    readonly id: SectionId,
    title: string,
    icon: string,
    private readonly onToggle: (collapsed: boolean) => void,
  ) {
    this.element.dataset['section'] = id;
    const headingId = `nb-h-${id}`;
    const bodyId = `nb-b-${id}`;
    this.element.setAttribute('aria-labelledby', headingId);
    const h = el('h2', 'nb-section-header');
    this.toggle.type = 'button';
    this.toggle.id = headingId;
    this.toggle.dataset['fk'] = `section:${id}`;
    this.toggle.setAttribute('aria-controls', bodyId);
    this.toggle.append(codicon('chevron-down', 'nb-chevron'), codicon(icon, 'nb-section-icon'), el('span', 'nb-section-title', title), this.count);
    this.toggle.addEventListener('click', () => this.onToggle(!this.collapsed));
    h.append(this.toggle, this.tools);
    this.body.id = bodyId;
    this.element.append(h, this.body);
  }

  get collapsed(): boolean {
    return this.element.classList.contains('nb-collapsed');
  }

  setCollapsed(collapsed: boolean): void {
    this.element.classList.toggle('nb-collapsed', collapsed);
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    this.body.hidden = collapsed;
  }

  setCount(n: number | undefined, label?: string): void {
    this.count.textContent = n === undefined ? '' : String(n);
    this.count.hidden = n === undefined;
    if (label) this.count.title = label;
  }

  setTools(...nodes: HTMLElement[]): void {
    this.tools.replaceChildren(...nodes);
  }
}

/** What the section renderers need from the app. */
export interface RenderContext {
  readonly incident: Incident;
  readonly shapes: readonly FailureShape[];
  /** The incident's first day (UTC), so list times show a date only on other days. */
  readonly refDay: string;
  /** The host's clock, now. */
  now(): number;
  /** The element of an open form (kept across renders), undefined when closed. */
  form(spec: FormSpec): HTMLFormElement | undefined;
  isOpen(key: string): boolean;
  /** Form `key` is closed but keeps text typed into it (its button shows a dot). */
  hasDraft(key: string): boolean;
  /** Opens (or focuses) form `key`, merging `seed` into its draft. */
  openForm(key: string, seed?: Draft): void;
  /** Asks the host to reopen the link of entry `id`. */
  openEntry(id: string): void;
  /** An op from a control outside a form (a status picker): its refusal is shown next to `owner`. */
  inlineOp(owner: string, op: Op): void;
  inlineError(owner: string): string | undefined;
  dismissError(owner: string): void;
  timelineOrder(): 'newest' | 'oldest';
  setTimelineOrder(order: 'newest' | 'oldest'): void;
}
