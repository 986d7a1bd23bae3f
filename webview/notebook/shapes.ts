/**
 * The failure-shape catalog: recurring ways systems fail (pool exhaustion, retry storm, a bad deploy…). Picking one
 * opens the hypothesis form pre-filled with its statement, falsifying prediction and test, and shows its symptom and
 * where to look first next to the form. The filter (`/`) matches names, symptoms and places to look.
 */
import { codicon, el } from '../shared/dom';
import type { FailureShape } from './logic';
import { filterShapes } from './logic';
import { emptyNote, list } from './parts';
import type { Section } from './section';

export class ShapesView {
  readonly filter = el('input', 'nb-shape-filter');
  private readonly listEl = list('nb-shapes', 'Failure shapes');
  private readonly status = el('div', 'nb-sr');
  private readonly intro = el('p', 'nb-section-intro', 'Start a hypothesis from a known way systems fail: it comes with a prediction that would prove it wrong and a test.');
  private readonly search = el('div', 'nb-filter-box');
  private shapes: readonly FailureShape[] = [];

  constructor(
    private readonly onFilter: (query: string) => void,
    private readonly onPick: (shape: FailureShape) => void,
  ) {
    this.search.append(codicon('filter'), this.filter);
    this.filter.type = 'search';
    this.filter.placeholder = 'Filter shapes (/)';
    this.filter.setAttribute('aria-label', 'Filter failure shapes');
    this.filter.dataset['fk'] = 'shapes:filter';
    this.filter.autocomplete = 'off';
    this.filter.spellcheck = false;
    this.listEl.id = 'nb-shape-list';
    this.filter.setAttribute('aria-controls', this.listEl.id);
    this.status.setAttribute('role', 'status');
    this.filter.addEventListener('input', () => {
      this.onFilter(this.filter.value);
      this.fill();
    });
    this.filter.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        this.buttons()[0]?.focus();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        const first = filterShapes(this.shapes, this.filter.value)[0];
        if (first) this.onPick(first);
      } else if (e.key === 'Escape' && this.filter.value) {
        e.preventDefault();
        e.stopPropagation();
        this.filter.value = '';
        this.onFilter('');
        this.fill();
      }
    });
    this.listEl.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
      const bs = this.buttons();
      const i = bs.indexOf(document.activeElement as HTMLButtonElement);
      if (i < 0) return;
      e.preventDefault();
      const next = e.key === 'Home' ? 0 : e.key === 'End' ? bs.length - 1 : i + (e.key === 'ArrowDown' ? 1 : -1);
      if (next < 0) this.filter.focus();
      else bs[Math.min(next, bs.length - 1)]?.focus();
    });
  }

  focusFilter(): void {
    this.filter.focus();
    this.filter.select();
  }

  render(section: Section, shapes: readonly FailureShape[], query: string): void {
    this.shapes = shapes;
    if (this.filter.value !== query && document.activeElement !== this.filter) this.filter.value = query;
    section.setCount(shapes.length, `${shapes.length} failure shapes`);
    section.setTools();
    // Built once: re-rendering must not take the filter out of the page while someone types in it.
    if (section.body.firstElementChild !== this.intro) section.body.replaceChildren(this.intro, this.search, this.status, this.listEl);
    this.fill();
  }

  private buttons(): HTMLButtonElement[] {
    return Array.from(this.listEl.querySelectorAll<HTMLButtonElement>('button.nb-shape'));
  }

  private fill(): void {
    const shown = filterShapes(this.shapes, this.filter.value);
    this.status.textContent = this.filter.value ? `${shown.length} of ${this.shapes.length} shapes` : '';
    if (!shown.length) {
      const li = el('li');
      li.append(emptyNote(this.shapes.length ? 'No shape matches the filter.' : 'No failure shapes available.'));
      this.listEl.replaceChildren(li);
      return;
    }
    this.listEl.replaceChildren(
      ...shown.map((s) => {
        const li = el('li');
        const b = el('button', 'nb-shape');
        b.type = 'button';
        b.dataset['fk'] = `shape:${s.id}`;
        b.dataset['shape'] = s.id;
        b.title = `Start a hypothesis from "${s.name}"`;
        const name = el('span', 'nb-shape-name', s.name);
        name.dir = 'auto';
        const sym = el('span', 'nb-shape-sym', s.symptom.length > 300 ? `${s.symptom.slice(0, 300)}…` : s.symptom);
        sym.dir = 'auto';
        b.append(codicon('symbol-structure', 'nb-shape-icon'), name, sym, codicon('arrow-right', 'nb-shape-go'));
        b.addEventListener('click', () => this.onPick(s));
        li.append(b);
        return li;
      }),
    );
  }
}
