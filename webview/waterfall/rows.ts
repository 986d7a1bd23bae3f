/**
 * The virtualized row list: a focusable `role=tree` scroll container holding a spacer as tall as all visible
 * rows, and only the row elements intersecting the viewport (plus overscan), absolutely positioned.
 * Row elements are pooled in a ring (row position `p` uses element `p % poolSize`), so scrolling by one row
 * rewrites one element. Each element remembers what it shows and skips unchanged updates.
 */
import type { WaterfallRow } from '../../src/shared/protocol/waterfall';
import { el } from '../shared/dom';
import { barGeometry, formatDuration, serviceClass } from './format';
import { scrollToReveal, visibleWindow } from './navigation';
import type { WaterfallState } from './state';
import { highlightRanges } from './tree';

/** Fixed row height in px; must match `--wf-row-height` in waterfall.css. */
export const ROW_HEIGHT = 24;
const OVERSCAN = 8;

export interface RowHandlers {
  select(row: number): void;
  toggle(row: number): void;
  /** Shift+click on a twistie: expand the row and everything below it. */
  expandBelow(row: number): void;
  openCode(row: number): void;
}

/**
 * Sets `node`'s text to `text`, with the case-insensitive occurrences of `needles` wrapped in `<mark>` elements.
 * Built from text nodes and elements only (never HTML), so trace text stays text. Returns the number of marks.
 */
export function setHighlightedText(node: HTMLElement, text: string, needles: readonly string[] | undefined): number {
  const ranges = needles ? highlightRanges(text, needles) : [];
  if (ranges.length === 0) {
    node.textContent = text;
    return 0;
  }
  const parts: Node[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) parts.push(document.createTextNode(text.slice(at, s)));
    parts.push(el('mark', 'wf-hl', text.slice(s, e)));
    at = e;
  }
  if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
  node.replaceChildren(...parts);
  return ranges.length;
}

export function rowElementId(row: number): string {
  return `wf-row-${row}`;
}

class RowView {
  readonly root = el('div', 'wf-row');
  private readonly twistie = el('span', 'wf-twistie codicon');
  private readonly chip = el('span', 'wf-chip');
  private readonly icon = el('span', 'wf-icon codicon');
  private readonly name = el('span', 'wf-op');
  private readonly service = el('span', 'wf-svc');
  private readonly badge = el('span', 'wf-badge', 'missing parent');
  /** "+1,234" on a collapsed row: how many spans it hides. */
  private readonly hidden = el('span', 'wf-hidden-count');
  private readonly bar = el('div', 'wf-bar');
  private readonly label = el('span', 'wf-dur');
  private crit: HTMLDivElement[] = [];
  row = -1;
  private pos = -1;
  private version = -1;
  /** What the name and service show: row + highlight needles (skips rewriting unchanged text). */
  private textKey = '';

  constructor() {
    this.root.setAttribute('role', 'treeitem');
    this.twistie.setAttribute('aria-hidden', 'true');
    this.icon.setAttribute('aria-hidden', 'true');
    this.chip.setAttribute('aria-hidden', 'true');
    const nameCol = el('div', 'wf-name');
    const text = el('span', 'wf-text');
    text.append(this.name, this.service);
    nameCol.append(el('span', 'wf-indent'), this.twistie, this.chip, this.icon, text, this.badge, this.hidden);
    const track = el('div', 'wf-track');
    track.append(this.bar, this.label);
    const timeline = el('div', 'wf-timeline');
    timeline.append(track);
    this.root.append(nameCol, timeline);
  }

  update(state: WaterfallState, row: number, pos: number): void {
    if (pos !== this.pos) {
      this.pos = pos;
      this.root.style.transform = `translateY(${pos * ROW_HEIGHT}px)`;
      this.root.dataset.pos = String(pos);
    }
    if (row === this.row && state.version === this.version) return;
    const r = state.rows[row];
    if (!r) return;
    const total = state.model?.durationUs ?? 0;
    if (row !== this.row) {
      this.fill(r, row, total);
      this.root.setAttribute('aria-posinset', String(state.siblings.posInSet[row] ?? 1));
      this.root.setAttribute('aria-setsize', String(state.siblings.setSize[row] ?? 1));
    }
    this.version = state.version;
    const expanded = state.isExpanded(row);
    const hasChildren = state.hasChildren(row);
    const selected = row === state.selected;
    const cls = this.root.classList;
    const match = state.isMatch(row);
    const hl = match ? state.highlight : null;
    const key = `${row}\u0000${hl ? `${hl.name.join('\u0001')}\u0000${hl.service.join('\u0001')}` : ''}`;
    if (key !== this.textKey) {
      this.textKey = key;
      setHighlightedText(this.name, r.name, hl?.name);
      setHighlightedText(this.service, r.missingParent ? '' : r.service, hl?.service);
    }
    cls.toggle('selected', selected);
    cls.toggle('match', match);
    cls.toggle('ancestor-only', state.filter !== null && state.matchesOnly && !match);
    cls.toggle('collapsed', hasChildren && !expanded);
    this.root.setAttribute('aria-selected', String(selected));
    if (hasChildren) this.root.setAttribute('aria-expanded', String(expanded));
    else this.root.removeAttribute('aria-expanded');
    this.twistie.className = `wf-twistie codicon${hasChildren ? (expanded ? ' codicon-chevron-down' : ' codicon-chevron-right') : ''}`;
    const hides = hasChildren && !expanded;
    this.hidden.hidden = !hides;
    if (hides) this.hidden.textContent = `+${r.descendants.toLocaleString('en-US')}`;
    this.twistie.title = !hasChildren ? '' : expanded ? 'Collapse (←); Shift+click: expand all below (*)' : `Expand ${r.descendants.toLocaleString('en-US')} spans below (→); Shift+click: all levels (*)`;
    this.setCritical(state.showCritical ? r.critical : [], r);
  }

  /** Everything that depends only on the row itself. */
  private fill(r: WaterfallRow, row: number, total: number): void {
    this.row = row;
    this.root.id = rowElementId(row);
    this.root.dataset.row = String(row);
    this.root.setAttribute('aria-level', String(r.depth + 1));
    this.root.className = `wf-row ${serviceClass(r.serviceIndex)}`;
    this.root.classList.toggle('error', r.error);
    this.root.classList.toggle('missing', r.missingParent === true);
    this.root.style.setProperty('--depth', String(r.depth));
    this.root.title = r.missingParent ? r.name : `${r.name} — ${r.service} — ${formatDuration(r.durationUs)}`;
    this.root.setAttribute('aria-label', `${r.name}, ${r.service}, ${formatDuration(r.durationUs)}${r.error ? ', error' : ''}`);
    this.icon.className = `wf-icon codicon${r.error ? ' codicon-error' : r.missingParent ? ' codicon-question' : ''}`;
    this.badge.hidden = r.missingParent !== true;

    const { left, width } = barGeometry(r.startUs, r.durationUs, total);
    this.bar.style.left = `${left}%`;
    this.bar.style.width = `${width}%`;
    this.label.textContent = formatDuration(r.durationUs);
    const end = left + width;
    this.label.className = 'wf-dur';
    this.label.style.left = '';
    this.label.style.right = '';
    if (end <= 78) {
      this.label.style.left = `calc(${end}% + 6px)`;
    } else if (left >= 14) {
      this.label.style.right = `calc(${100 - left}% + 6px)`;
    } else {
      this.label.classList.add('inside');
      this.label.style.right = `calc(${100 - end}% + 4px)`;
    }
  }

  private setCritical(segments: WaterfallRow['critical'], r: WaterfallRow): void {
    while (this.crit.length > segments.length) this.crit.pop()?.remove();
    while (this.crit.length < segments.length) {
      const c = el('div', 'wf-crit');
      this.bar.append(c);
      this.crit.push(c);
    }
    const dur = r.durationUs;
    segments.forEach(([s, e], i) => {
      const c = this.crit[i];
      if (!c) return;
      const left = dur > 0 ? Math.max(0, Math.min(100, ((s - r.startUs) / dur) * 100)) : 0;
      const width = dur > 0 ? Math.max(0, Math.min(100 - left, ((e - s) / dur) * 100)) : 100;
      c.style.left = `${left}%`;
      c.style.width = `${width}%`;
    });
    this.root.classList.toggle('critical', segments.length > 0);
  }

  detach(): void {
    this.root.remove();
    this.row = -1;
    this.pos = -1;
    this.textKey = '';
  }
}

export class RowList {
  /** The scroll container (`role=tree`, focusable). */
  readonly element = el('div', 'wf-tree');
  private readonly spacer = el('div', 'wf-spacer');
  private pool: RowView[] = [];
  private viewport = 0;
  private frame = 0;
  private height = -1;

  constructor(
    private readonly state: WaterfallState,
    private readonly handlers: RowHandlers,
    private readonly onScroll: () => void,
  ) {
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'tree');
    this.element.setAttribute('aria-label', 'Trace spans');
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => {
      this.schedule();
      this.onScroll();
    }, { passive: true });
    new ResizeObserver(() => {
      this.viewport = this.element.clientHeight;
      this.render();
    }).observe(this.element);
    this.element.addEventListener('mousedown', (e) => this.onPointer(e, false));
    this.element.addEventListener('dblclick', (e) => this.onPointer(e, true));
  }

  private onPointer(e: MouseEvent, double: boolean): void {
    const target = e.target instanceof Element ? e.target : null;
    const rowEl = target?.closest<HTMLElement>('.wf-row');
    if (!rowEl || e.button !== 0) return;
    const row = Number(rowEl.dataset.row);
    if (!Number.isInteger(row)) return;
    if (double) {
      this.handlers.openCode(row);
    } else if (target?.closest('.wf-twistie')) {
      e.preventDefault();
      this.element.focus({ preventScroll: true });
      if (e.shiftKey) this.handlers.expandBelow(row);
      else this.handlers.toggle(row);
    } else {
      this.handlers.select(row);
    }
  }

  /** How many row elements are in the DOM now. */
  get domRows(): number {
    return this.pool.reduce((n, v) => n + (v.root.isConnected ? 1 : 0), 0);
  }

  get scrollTop(): number {
    return this.element.scrollTop;
  }

  set scrollTop(v: number) {
    this.element.scrollTop = v;
  }

  /** Rows per viewport page (for PageUp/PageDown). */
  get pageSize(): number {
    return Math.max(1, Math.floor((this.viewport || this.element.clientHeight) / ROW_HEIGHT) - 1);
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  /** Scrolls the row at position `pos` into view (no-op when it is visible). */
  reveal(pos: number): void {
    if (pos < 0) return;
    this.syncHeight();
    const top = this.element.scrollTop;
    const next = scrollToReveal(pos, ROW_HEIGHT, top, this.viewport || this.element.clientHeight);
    if (next !== top) this.element.scrollTop = next;
  }

  private syncHeight(): void {
    const h = this.state.visible.length * ROW_HEIGHT;
    if (h !== this.height) {
      this.height = h;
      this.spacer.style.height = `${h}px`;
    }
  }

  /** Renders the rows in view now (call after any state change). */
  render(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.syncHeight();
    const visible = this.state.visible;
    const top = this.element.scrollTop;
    if (!this.viewport) this.viewport = this.element.clientHeight;
    const win = visibleWindow(visible.length, ROW_HEIGHT, top, this.viewport, OVERSCAN);
    const needed = Math.ceil(this.viewport / ROW_HEIGHT) + 2 * OVERSCAN + 1;
    if (this.pool.length !== needed) {
      for (const v of this.pool) v.detach();
      this.pool = Array.from({ length: needed }, () => new RowView());
    }
    const used = new Set<RowView>();
    for (let pos = win.first; pos < win.last; pos++) {
      const view = this.pool[pos % this.pool.length];
      const row = visible[pos];
      if (!view || row === undefined) continue;
      used.add(view);
      view.update(this.state, row, pos);
      if (!view.root.isConnected) this.spacer.append(view.root);
    }
    for (const v of this.pool) if (!used.has(v) && v.root.isConnected) v.detach();
    const sel = this.state.selected;
    if (this.state.positionOf(sel) >= win.first && this.state.positionOf(sel) < win.last) {
      this.element.setAttribute('aria-activedescendant', rowElementId(sel));
    } else {
      this.element.removeAttribute('aria-activedescendant');
    }
  }

  /** Forgets all rendered rows (a new model): the next render rebuilds them. */
  reset(scrollTop: number): void {
    for (const v of this.pool) v.detach();
    this.pool = [];
    this.height = -1;
    this.syncHeight();
    this.viewport = this.element.clientHeight;
    this.element.scrollTop = scrollTop;
    this.render();
  }
}
