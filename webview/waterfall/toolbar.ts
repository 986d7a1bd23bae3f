/**
 * The toolbar above the rows: filter box, match count, critical-path toggle, expand/collapse all, and the
 * keyboard legend.
 */
import { button, codicon, el } from '../shared/dom';
import { SHORTCUTS } from './keyboard';

export interface ToolbarHandlers {
  filter(query: string): void;
  /** Escape / Enter / ArrowDown in the filter box: back to the tree (`clear` for Escape). */
  leaveFilter(clear: boolean): void;
  toggleCritical(): void;
  setAllCollapsed(collapse: boolean): void;
}

const FILTER_DELAY_MS = 90;

export class Toolbar {
  readonly element = el('div', 'wf-toolbar');
  readonly legend = el('div', 'wf-shortcuts');
  readonly input = el('input', 'wf-filter-input');
  private readonly count = el('span', 'wf-filter-count');
  private readonly critical: HTMLButtonElement;
  private readonly clear = button({ icon: 'close', title: 'Clear the filter (Esc)', className: 'wf-icon-button wf-filter-clear' });
  private timer = 0;

  constructor(private readonly handlers: ToolbarHandlers) {
    const box = el('div', 'wf-filter');
    this.input.type = 'search';
    this.input.placeholder = 'Filter spans: name, service, key=value…  ( / )';
    this.input.spellcheck = false;
    this.input.setAttribute('aria-label', 'Filter spans by name, service or attribute');
    this.clear.hidden = true;
    this.clear.addEventListener('click', () => {
      this.setQuery('');
      this.handlers.filter('');
      this.handlers.leaveFilter(true);
    });
    box.append(codicon('filter'), this.input, this.clear);
    this.count.setAttribute('aria-live', 'polite');

    this.input.addEventListener('input', () => {
      this.clear.hidden = this.input.value === '';
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.handlers.filter(this.input.value), FILTER_DELAY_MS);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' || e.key === 'Enter' || e.key === 'ArrowDown') {
        e.preventDefault();
        e.stopPropagation();
        window.clearTimeout(this.timer);
        if (e.key === 'Escape') this.setQuery('');
        this.handlers.filter(this.input.value);
        this.handlers.leaveFilter(e.key === 'Escape');
      }
    });

    this.critical = button({ icon: 'debug-stackframe', label: 'Critical path', title: 'Highlight the critical path on the bars (p)', className: 'wf-toggle' });
    this.critical.addEventListener('click', () => this.handlers.toggleCritical());
    const expand = button({ icon: 'expand-all', title: 'Expand all', className: 'wf-icon-button' });
    expand.addEventListener('click', () => this.handlers.setAllCollapsed(false));
    const collapse = button({ icon: 'collapse-all', title: 'Collapse all', className: 'wf-icon-button' });
    collapse.addEventListener('click', () => this.handlers.setAllCollapsed(true));

    const actions = el('div', 'wf-actions');
    actions.append(this.critical, expand, collapse);
    this.element.append(box, this.count, actions);

    this.legend.setAttribute('aria-label', 'Keyboard shortcuts');
    for (const [keys, label] of SHORTCUTS) {
      const item = el('span', 'wf-shortcut');
      for (const k of keys.split(' ')) item.append(el('kbd', undefined, k));
      item.append(el('span', undefined, label));
      this.legend.append(item);
    }
  }

  setCritical(on: boolean, available: boolean): void {
    this.critical.setAttribute('aria-pressed', String(on));
    this.critical.classList.toggle('on', on);
    this.critical.disabled = !available;
  }

  /** Shows the filter result: `12 of 10,000 spans` (empty without a filter). */
  setCount(matches: number | undefined, total: number): void {
    this.count.textContent = matches === undefined ? '' : `${matches.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} spans`;
    this.count.classList.toggle('none', matches === 0);
  }

  /** Sets the box without firing a filter (restoring, or clearing from the tree). */
  setQuery(query: string): void {
    window.clearTimeout(this.timer);
    this.input.value = query;
    this.clear.hidden = query === '';
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }
}
