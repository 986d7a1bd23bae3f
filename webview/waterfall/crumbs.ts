/**
 * The breadcrumb of the selected span: its ancestors (service · name), each a button that selects it, then the
 * span itself. Deep chains show the root, an ellipsis button and the nearest ancestors.
 */
import type { WaterfallRow } from '../../src/shared/protocol/waterfall';
import { button, codicon, el } from '../shared/dom';
import { serviceClass } from './format';
import { ancestors, crumbItems } from './tree';

/** Ancestors shown next to the span before the rest fold into "…". */
const NEAREST = 5;

export class Breadcrumb {
  readonly element = el('nav', 'wf-crumbs');
  private readonly list = el('ol', 'wf-crumb-list');
  private expanded = false;
  private shown = -2;

  constructor(private readonly select: (row: number) => void) {
    this.element.setAttribute('aria-label', 'Ancestors of the selected span');
    this.element.append(this.list);
  }

  render(rows: readonly WaterfallRow[], selected: number, force = false): void {
    if (selected === this.shown && !force) return;
    if (selected !== this.shown) this.expanded = false;
    this.shown = selected;
    const row = rows[selected];
    if (!row) {
      this.list.replaceChildren();
      this.element.hidden = true;
      return;
    }
    const up = ancestors(rows, selected);
    // A top-level span has no ancestors: its title below says it all.
    this.element.hidden = up.length === 0;
    const chain = [...up.reverse(), selected];
    const items: HTMLElement[] = [];
    const li = (child: Node): HTMLLIElement => {
      const item = el('li', 'wf-crumb');
      item.append(child);
      return item;
    };
    for (const k of crumbItems(chain.length, this.expanded, NEAREST)) {
      if (k < 0) {
        const hidden = chain.length - 1 - NEAREST - 1;
        const more = button({ label: '…', title: `Show ${hidden.toLocaleString('en-US')} more ancestors`, className: 'wf-crumb-button wf-crumb-more' });
        more.addEventListener('click', () => {
          this.expanded = true;
          this.render(rows, selected, true);
        });
        items.push(li(more));
        continue;
      }
      const i = chain[k] as number;
      const r = rows[i];
      if (!r) continue;
      const last = i === selected;
      const content = el(last ? 'span' : 'button', `wf-crumb-button ${serviceClass(r.serviceIndex)}${last ? ' current' : ''}`);
      if (content instanceof HTMLButtonElement) {
        content.type = 'button';
        content.title = `Select ${r.name} (${r.service})`;
        content.addEventListener('click', () => this.select(i));
      } else {
        content.setAttribute('aria-current', 'location');
      }
      if (r.error) content.append(codicon('error', 'wf-crumb-error'));
      else if (!r.missingParent) content.append(el('span', 'wf-chip'));
      if (!r.missingParent && r.service) content.append(el('span', 'wf-crumb-service', r.service), el('span', 'wf-crumb-dot', '·'));
      content.append(el('span', 'wf-crumb-name', r.name));
      items.push(li(content));
    }
    const sep = (): HTMLElement => codicon('chevron-right', 'wf-crumb-sep');
    const withSeps: Node[] = [];
    items.forEach((item, n) => {
      if (n > 0) item.prepend(sep());
      withSeps.push(item);
    });
    this.list.replaceChildren(...withSeps);
  }
}
