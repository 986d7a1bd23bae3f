/**
 * The toolbar above the rows: filter box (with match count, previous/next match and "matches only"), the
 * critical-path toggles, the Statistics view, copy trace ID, expand/collapse all; and the keyboard legend.
 */
import { button, codicon, el } from '../shared/dom';
import { ALL_SHORTCUTS, SHORTCUTS } from './keyboard';

export interface ToolbarHandlers {
  filter(query: string): void;
  /** Escape / ArrowDown in the filter box: back to the tree (`clear` for Escape). */
  leaveFilter(clear: boolean): void;
  /** Enter / Shift+Enter in the filter box, or the arrows next to the count: the next / previous match. */
  stepMatch(dir: 1 | -1): void;
  toggleMatchesOnly(): void;
  toggleCritical(): void;
  toggleCriticalOnly(): void;
  toggleStats(): void;
  copyTraceId(): void;
  setAllCollapsed(collapse: boolean): void;
}

const FILTER_DELAY_MS = 90;

/** What the filter box's tooltip teaches: the query syntax of src/core/traces/search.ts. */
export const FILTER_HELP = [
  'Filter spans (/). All terms must match; -term negates.',
  'text — name, service, IDs, attributes, events, code',
  'service:pricing   op:fetchCatalog   ("quoted" = exact)',
  'status:error   is:error   is:critical   is:root',
  'dur>=250ms   dur<1s   self>5ms',
  'key=value   has:key',
  'Enter / Shift+Enter: next / previous match',
].join('\n');

export class Toolbar {
  readonly element = el('div', 'wf-toolbar');
  readonly legend = el('div', 'wf-shortcuts');
  readonly input = el('input', 'wf-filter-input');
  private readonly count = el('span', 'wf-filter-count');
  private readonly matchNav = el('span', 'wf-match-nav');
  private readonly ordinal = el('span', 'wf-match-ordinal');
  private readonly problems = el('span', 'wf-filter-problems');
  private readonly matchesOnly: HTMLButtonElement;
  private readonly critical: HTMLButtonElement;
  private readonly criticalOnly: HTMLButtonElement;
  private readonly stats: HTMLButtonElement;
  private readonly clear = button({ icon: 'close', title: 'Clear the filter (Esc)', className: 'wf-icon-button wf-filter-clear' });
  private timer = 0;

  constructor(private readonly handlers: ToolbarHandlers) {
    const box = el('div', 'wf-filter');
    this.input.type = 'search';
    this.input.placeholder = 'Filter: text, service:, op:, is:error, dur>=250ms…  ( / )';
    this.input.title = FILTER_HELP;
    this.input.spellcheck = false;
    this.input.setAttribute('aria-label', 'Filter spans by text, service:, op:, status:, is:error, dur>=, key=value');
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
      if (e.key === 'Escape' || e.key === 'ArrowDown') {
        e.preventDefault();
        e.stopPropagation();
        window.clearTimeout(this.timer);
        if (e.key === 'Escape') this.setQuery('');
        this.handlers.filter(this.input.value);
        this.handlers.leaveFilter(e.key === 'Escape');
      } else if (e.key === 'Enter' || e.key === 'F3') {
        e.preventDefault();
        e.stopPropagation();
        window.clearTimeout(this.timer);
        this.handlers.filter(this.input.value);
        this.handlers.stepMatch(e.shiftKey ? -1 : 1);
      }
    });

    const prev = button({ icon: 'arrow-up', title: 'Previous match (Shift+Enter, N)', className: 'wf-icon-button' });
    prev.addEventListener('click', () => this.handlers.stepMatch(-1));
    const next = button({ icon: 'arrow-down', title: 'Next match (Enter, n, F3)', className: 'wf-icon-button' });
    next.addEventListener('click', () => this.handlers.stepMatch(1));
    this.matchesOnly = button({ icon: 'list-filter', title: 'Show only the matches and their ancestors (m)', className: 'wf-icon-button wf-icon-toggle wf-matches-only' });
    this.matchesOnly.addEventListener('click', () => this.handlers.toggleMatchesOnly());
    this.matchNav.append(this.ordinal, prev, next, this.matchesOnly);
    this.matchNav.hidden = true;
    this.problems.hidden = true;
    this.problems.setAttribute('role', 'status');

    this.critical = button({ icon: 'debug-stackframe', label: 'Critical path', title: 'Highlight the critical path on the bars (p)', className: 'wf-toggle wf-critical-toggle' });
    this.critical.addEventListener('click', () => this.handlers.toggleCritical());
    this.criticalOnly = button({ icon: 'filter', label: 'Path only', title: 'Show only the spans on the critical path, with their ancestors (Shift+P)', className: 'wf-toggle wf-critical-only' });
    this.criticalOnly.addEventListener('click', () => this.handlers.toggleCriticalOnly());
    this.stats = button({ icon: 'graph', label: 'Statistics', title: 'Self and total time by service and operation (t)', className: 'wf-toggle wf-stats-toggle' });
    this.stats.addEventListener('click', () => this.handlers.toggleStats());
    const copyId = button({ icon: 'copy', title: 'Copy trace ID (Shift+Y)', className: 'wf-icon-button wf-copy-trace-id' });
    copyId.addEventListener('click', () => this.handlers.copyTraceId());
    const expand = button({ icon: 'expand-all', title: 'Expand all', className: 'wf-icon-button' });
    expand.addEventListener('click', () => this.handlers.setAllCollapsed(false));
    const collapse = button({ icon: 'collapse-all', title: 'Collapse all', className: 'wf-icon-button' });
    collapse.addEventListener('click', () => this.handlers.setAllCollapsed(true));

    const actions = el('div', 'wf-actions');
    actions.append(this.critical, this.criticalOnly, this.stats, el('span', 'wf-toolbar-sep'), copyId, expand, collapse);
    this.element.append(box, this.count, this.matchNav, this.problems, actions);

    this.legend.setAttribute('aria-label', 'Keyboard shortcuts');
    this.legend.title = ALL_SHORTCUTS;
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

  setCriticalOnly(on: boolean, available: boolean): void {
    this.criticalOnly.setAttribute('aria-pressed', String(on));
    this.criticalOnly.classList.toggle('on', on);
    this.criticalOnly.disabled = !available;
  }

  setStats(on: boolean): void {
    this.stats.setAttribute('aria-pressed', String(on));
    this.stats.classList.toggle('on', on);
  }

  /** Shows the filter result: `12 of 10,000 spans` (empty without a filter). */
  setCount(matches: number | undefined, total: number): void {
    this.count.textContent = matches === undefined ? '' : `${matches.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} spans`;
    this.count.classList.toggle('none', matches === 0);
    this.matchNav.hidden = matches === undefined;
  }

  /** `3 / 12` when the selection is the 3rd match, `– / 12` when it is not a match. */
  setMatchPosition(ordinal: number, matches: number, matchesOnly: boolean): void {
    this.ordinal.textContent = matches > 0 ? `${ordinal > 0 ? ordinal.toLocaleString('en-US') : '–'} / ${matches.toLocaleString('en-US')}` : '';
    this.matchesOnly.setAttribute('aria-pressed', String(matchesOnly));
    this.matchesOnly.classList.toggle('on', matchesOnly);
  }

  /** Terms of the query the host could not read (they were ignored). */
  setProblems(problems: readonly string[]): void {
    this.problems.hidden = problems.length === 0;
    this.problems.replaceChildren();
    if (problems.length > 0) {
      this.problems.append(codicon('warning'), el('span', undefined, problems.join('; ')));
      this.problems.title = problems.join('\n');
    }
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
