/**
 * The comparison page: a summary header (A and B, the totals, the counts, the biggest regressions as links to their
 * rows) over the merged tree as a virtualized, keyboard-navigable list. Every string from a trace is set with
 * `textContent` (or as an attribute value), never parsed as HTML.
 */
import type { CompareModel, CompareRank, CompareTraceInfo } from '../../src/shared/protocol/compare';
import { button, codicon, el } from '../shared/dom';
import { postMessage } from './api';
import { OVERSCAN, ROW_HEIGHT, RowView, STATUS_TEXT } from './rowView';
import type { CompareCommand } from './logic';
import { ancestorsOf, commandForKey, differenceSet, formatDiff, formatDuration, formatRatio, nextDifference, visibleRows } from './logic';

export class CompareApp {
  private model: CompareModel | undefined;
  private readonly status = el('div', 'cmp-status');
  private readonly view = el('div', 'cmp-view');
  private readonly header = el('header', 'cmp-header');
  private readonly toolbar = el('div', 'cmp-toolbar');
  private readonly onlyToggle = button({ icon: 'filter', label: 'Only differences', title: 'Show only rows that differ, with their parents (d)', className: 'cmp-toggle' });
  private readonly countLabel = el('span', 'cmp-count');
  private readonly tree = el('div', 'cmp-tree');
  private readonly spacer = el('div', 'cmp-spacer');
  private pool: RowView[] = [];
  private collapsed = new Set<number>();
  private only: Uint8Array | undefined;
  private visible: number[] = [];
  private posOf = new Int32Array(0);
  private selected = -1;
  private flashRow = -1;
  private flashTimer = 0;
  private frame = 0;
  private scale = 0;

  constructor(private readonly root: HTMLElement) {
    this.layout();
    document.addEventListener('keydown', (e) => this.onKey(e));
  }

  private layout(): void {
    this.onlyToggle.setAttribute('aria-pressed', 'false');
    this.onlyToggle.addEventListener('click', () => this.command('toggleOnlyDiffs'));
    const expand = button({ icon: 'expand-all', title: 'Expand all', className: 'cmp-icon-button' });
    expand.addEventListener('click', () => this.setAllCollapsed(false));
    const collapse = button({ icon: 'collapse-all', title: 'Collapse all', className: 'cmp-icon-button' });
    collapse.addEventListener('click', () => this.setAllCollapsed(true));
    const legend = el('div', 'cmp-legend');
    legend.append(legendItem('a', 'A'), legendItem('b', 'B'));
    const actions = el('div', 'cmp-actions');
    actions.append(expand, collapse);
    this.toolbar.append(this.onlyToggle, this.countLabel, legend, actions);

    const colhead = el('div', 'cmp-colhead');
    colhead.setAttribute('aria-hidden', 'true');
    const nameHead = el('div', 'cmp-colhead-name');
    nameHead.append(el('span', undefined, 'Span'), el('span', 'cmp-colhead-sub', 'service'));
    colhead.append(nameHead, el('div', 'cmp-num', 'A'), el('div', 'cmp-num', 'B'), el('div', 'cmp-num', 'Δ B − A'), el('div', 'cmp-colhead-bars', 'Timeline (A over B)'));
    this.tree.tabIndex = 0;
    this.tree.setAttribute('role', 'tree');
    this.tree.setAttribute('aria-label', 'Merged span tree of trace A and trace B');
    this.tree.append(this.spacer);
    this.tree.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.tree.addEventListener('mousedown', (e) => this.onPointer(e));
    new ResizeObserver(() => this.render()).observe(this.tree);
    const list = el('section', 'cmp-list');
    list.append(colhead, this.tree);

    const keys = el('footer', 'cmp-shortcuts');
    for (const [k, what] of [['↑↓', 'move'], ['←→', 'collapse / expand'], ['n N', 'next / previous difference'], ['r', 'biggest regression'], ['d', 'only differences']] as const) {
      const s = el('span', 'cmp-shortcut');
      for (const part of k.split(' ')) s.append(el('kbd', undefined, part));
      s.append(el('span', undefined, what));
      keys.append(s);
    }
    this.view.append(this.header, this.toolbar, list, keys);
    this.view.hidden = true;
    this.status.hidden = true;
    this.root.replaceChildren(this.status, this.view);
  }

  show(model: CompareModel): void {
    this.model = model;
    this.collapsed = new Set();
    this.only = undefined;
    this.selected = model.rows.length > 0 ? 0 : -1;
    this.scale = Math.max(model.summary.totalA, model.summary.totalB);
    this.status.hidden = true;
    this.view.hidden = false;
    this.renderHeader(model);
    this.syncToggle();
    for (const v of this.pool) v.detach();
    this.pool = [];
    this.tree.scrollTop = 0;
    this.recompute();
    this.render();
    this.tree.focus({ preventScroll: true });
    let sent = false;
    const send = (): void => {
      if (sent) return;
      sent = true;
      postMessage({ type: 'rendered', traceA: model.a.traceId, traceB: model.b.traceId, rowCount: model.rows.length, domRows: this.pool.filter((v) => v.root.isConnected).length });
    };
    requestAnimationFrame(() => window.setTimeout(send, 0));
    window.setTimeout(send, 1000);
  }

  showLoading(message: string): void {
    this.showStatus('loading', message, false);
  }

  showError(message: string): void {
    this.showStatus('error', message, true);
  }

  private showStatus(icon: string, message: string, error: boolean): void {
    this.view.hidden = true;
    const box = el('div', error ? 'cmp-status-box error' : 'cmp-status-box');
    box.setAttribute('role', error ? 'alert' : 'status');
    box.append(codicon(icon, error ? undefined : 'codicon-modifier-spin'), el('div', 'cmp-status-text', message));
    this.status.replaceChildren(box);
    this.status.hidden = false;
  }

  private renderHeader(m: CompareModel): void {
    const s = m.summary;
    const title = el('div', 'cmp-title-line');
    const h = el('h1', 'cmp-title', 'Trace comparison');
    const ratio = formatRatio(s.totalA, s.totalB);
    const verdict = el('span', `cmp-verdict ${s.diffUs > 0 ? 'up' : s.diffUs < 0 ? 'down' : 'flat'}`);
    verdict.append(codicon(s.diffUs > 0 ? 'arrow-up' : s.diffUs < 0 ? 'arrow-down' : 'dash'), el('span', undefined, `B ${formatDiff(s.diffUs)}${ratio !== '—' && ratio !== 'same' ? ` · ${ratio}` : ''}`));
    title.append(codicon('diff', 'cmp-title-icon'), h, verdict);

    const sides = el('div', 'cmp-sides');
    sides.append(sideCard('a', m.a, s.totalA, s.totalB), sideCard('b', m.b, s.totalB, s.totalA));

    const counts = el('div', 'cmp-counts');
    counts.append(
      countPill('added', s.added, 'only in B', 'diff-added'),
      countPill('missing', s.missing, 'only in A', 'diff-removed'),
      countPill('changed', s.changed, 'changed', 'diff-modified'),
      countPill('same', s.same, 'same', 'check'),
    );

    const tops = el('div', 'cmp-tops');
    const regressions = s.regressions.slice(0, 5);
    if (regressions.length > 0) tops.append(this.rankLine('Slower in B', 'Spans that took longest more in B (click to go to the row)', regressions));
    const self = s.selfRegressions.slice(0, 3);
    if (self.length > 0) tops.append(this.rankLine('Self time added', 'Where B spent the extra time itself, not waiting on a child', self));
    if (regressions.length === 0) tops.append(el('div', 'cmp-none', 'No span is slower in B than in A.'));

    const parts: HTMLElement[] = [title, sides, counts, tops];
    if (m.warnings.length > 0) {
      const list = el('ul', 'cmp-warnings');
      for (const w of m.warnings.slice(0, 3)) {
        const li = el('li');
        li.append(codicon('warning'), el('span', undefined, w));
        list.append(li);
      }
      if (m.warnings.length > 3) list.append(el('li', 'cmp-more', `… and ${m.warnings.length - 3} more`));
      parts.push(list);
    }
    this.header.replaceChildren(...parts);
  }

  private rankLine(label: string, hint: string, ranks: readonly CompareRank[]): HTMLElement {
    const line = el('div', 'cmp-rank-line');
    const l = el('span', 'cmp-rank-label', label);
    l.title = hint;
    line.append(l);
    const list = el('div', 'cmp-rank-list');
    for (const r of ranks) {
      const row = this.model?.rows[r.row];
      if (!row) continue;
      const b = el('button', 'cmp-chip');
      b.type = 'button';
      b.title = `${row.name}${row.service ? ` — ${row.service}` : ''}: ${formatDiff(r.diffUs)} (${STATUS_TEXT[row.status]}). Go to the row.`;
      b.append(el('span', 'cmp-chip-name', row.name), el('span', 'cmp-chip-svc', row.service), el('span', 'cmp-chip-diff', formatDiff(r.diffUs)));
      b.addEventListener('click', () => this.reveal(r.row, true));
      list.append(b);
    }
    line.append(list);
    return line;
  }

  /** Rows to list after a change of collapse state or filter. */
  private recompute(): void {
    const rows = this.model?.rows ?? [];
    this.visible = visibleRows(rows, this.collapsed, this.only);
    this.posOf = new Int32Array(rows.length).fill(-1);
    this.visible.forEach((r, p) => (this.posOf[r] = p));
    this.spacer.style.height = `${this.visible.length * ROW_HEIGHT}px`;
    const shown = this.visible.length;
    this.countLabel.textContent = this.only ? `${shown.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows` : `${rows.length.toLocaleString('en-US')} rows`;
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    const model = this.model;
    if (!model) return;
    const viewport = this.tree.clientHeight;
    const top = this.tree.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.visible.length, Math.ceil((top + viewport) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN + 1;
    if (this.pool.length !== needed) {
      for (const v of this.pool) v.detach();
      this.pool = Array.from({ length: needed }, () => new RowView());
    }
    const used = new Set<RowView>();
    for (let pos = first; pos < last; pos++) {
      const view = this.pool[pos % this.pool.length];
      const row = this.visible[pos];
      const r = row === undefined ? undefined : model.rows[row];
      if (!view || row === undefined || !r) continue;
      used.add(view);
      if (view.row !== row) view.fill(r, row, this.scale);
      view.place(pos);
      const expandable = r.descendants > 0;
      view.sync(row === this.selected, expandable, expandable && !this.collapsed.has(row), row === this.flashRow);
      if (!view.root.isConnected) this.spacer.append(view.root);
    }
    for (const v of this.pool) if (!used.has(v) && v.root.isConnected) v.detach();
    const selPos = this.posOf[this.selected] ?? -1;
    if (selPos >= first && selPos < last) this.tree.setAttribute('aria-activedescendant', `cmp-row-${this.selected}`);
    else this.tree.removeAttribute('aria-activedescendant');
  }

  private onPointer(e: MouseEvent): void {
    const target = e.target instanceof Element ? e.target : null;
    const rowEl = target?.closest<HTMLElement>('.cmp-row');
    if (!rowEl || e.button !== 0) return;
    const row = Number(rowEl.dataset.row);
    if (!Number.isInteger(row)) return;
    if (target?.closest('.cmp-twistie')) {
      e.preventDefault();
      this.tree.focus({ preventScroll: true });
      this.toggle(row);
      return;
    }
    this.select(row);
  }

  private select(row: number): void {
    if (row < 0) return;
    if (row !== this.selected) {
      this.selected = row;
      postMessage({ type: 'row/selected', row });
    }
    this.scrollTo(this.posOf[row] ?? -1, false);
    this.render();
    this.tree.focus({ preventScroll: true });
  }

  private scrollTo(pos: number, center: boolean): void {
    if (pos < 0) return;
    const h = this.tree.clientHeight;
    const top = pos * ROW_HEIGHT;
    if (center) {
      if (top < this.tree.scrollTop || top + ROW_HEIGHT > this.tree.scrollTop + h) this.tree.scrollTop = Math.max(0, top - h / 2 + ROW_HEIGHT / 2);
      return;
    }
    if (top < this.tree.scrollTop) this.tree.scrollTop = top;
    else if (top + ROW_HEIGHT > this.tree.scrollTop + h) this.tree.scrollTop = top + ROW_HEIGHT - h;
  }

  /** Makes `row` visible (expanding its ancestors, leaving "only differences" if it hides the row), selects and shows it. */
  reveal(row: number, flash = false): void {
    const rows = this.model?.rows;
    if (!rows || !rows[row]) return;
    for (const a of ancestorsOf(rows, row)) this.collapsed.delete(a);
    if (this.only && !this.only[row]) {
      this.only = undefined;
      this.syncToggle();
    }
    this.recompute();
    this.selected = row;
    postMessage({ type: 'row/selected', row });
    this.scrollTo(this.posOf[row] ?? -1, true);
    if (flash) {
      this.flashRow = row;
      window.clearTimeout(this.flashTimer);
      this.flashTimer = window.setTimeout(() => {
        this.flashRow = -1;
        this.render();
      }, 1200);
    }
    this.render();
    this.tree.focus({ preventScroll: true });
  }

  private toggle(row: number): void {
    const r = this.model?.rows[row];
    if (!r || r.descendants === 0) return;
    if (this.collapsed.has(row)) this.collapsed.delete(row);
    else this.collapsed.add(row);
    this.recompute();
    this.render();
  }

  private setAllCollapsed(collapse: boolean): void {
    const rows = this.model?.rows ?? [];
    this.collapsed = new Set();
    if (collapse) rows.forEach((r, i) => r.descendants > 0 && r.depth > 0 && this.collapsed.add(i));
    // The selection moves up to the nearest visible ancestor.
    let sel = this.selected;
    while (collapse && sel >= 0 && (rows[sel]?.depth ?? 0) > 1) sel = rows[sel]?.parent ?? -1;
    this.recompute();
    if (sel >= 0 && sel !== this.selected) this.selected = sel;
    this.scrollTo(this.posOf[this.selected] ?? -1, false);
    this.render();
  }

  private syncToggle(): void {
    const on = this.only !== undefined;
    this.onlyToggle.classList.toggle('on', on);
    this.onlyToggle.setAttribute('aria-pressed', String(on));
  }

  private onKey(e: KeyboardEvent): void {
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || !this.model) return;
    const cmd = commandForKey(e);
    if (!cmd) return;
    const inTree = t === this.tree || t === document.body || t === document.documentElement;
    if (!inTree && cmd !== 'nextDiff' && cmd !== 'prevDiff' && cmd !== 'toggleOnlyDiffs' && cmd !== 'firstRegression') return;
    e.preventDefault();
    this.command(cmd);
  }

  command(cmd: CompareCommand): void {
    const model = this.model;
    if (!model) return;
    const rows = model.rows;
    const pos = this.posOf[this.selected] ?? -1;
    const at = (p: number): number => this.visible[Math.max(0, Math.min(this.visible.length - 1, p))] ?? -1;
    const page = Math.max(1, Math.floor(this.tree.clientHeight / ROW_HEIGHT) - 1);
    switch (cmd) {
      case 'up':
        return this.select(at(pos < 0 ? 0 : pos - 1));
      case 'down':
        return this.select(at(pos + 1));
      case 'pageUp':
        return this.select(at(pos - page));
      case 'pageDown':
        return this.select(at(pos + page));
      case 'home':
        return this.select(at(0));
      case 'end':
        return this.select(at(this.visible.length - 1));
      case 'left': {
        const r = rows[this.selected];
        if (!r) return;
        if (r.descendants > 0 && !this.collapsed.has(this.selected)) return this.toggle(this.selected);
        if (r.parent >= 0) return this.select(r.parent);
        return;
      }
      case 'right': {
        const r = rows[this.selected];
        if (!r || r.descendants === 0) return;
        if (this.collapsed.has(this.selected)) return this.toggle(this.selected);
        return this.select(at(pos + 1));
      }
      case 'nextDiff':
      case 'prevDiff': {
        const next = nextDifference(rows, this.selected, cmd === 'nextDiff' ? 1 : -1);
        if (next >= 0) this.reveal(next);
        return;
      }
      case 'firstRegression': {
        const list = model.summary.regressions;
        if (list.length === 0) return;
        const i = list.findIndex((r) => r.row === this.selected);
        const next = list[(i + 1) % list.length];
        if (next) this.reveal(next.row, true);
        return;
      }
      case 'toggleOnlyDiffs': {
        this.only = this.only ? undefined : differenceSet(rows);
        this.syncToggle();
        this.recompute();
        if (this.only && !this.only[this.selected]) this.selected = this.visible[0] ?? -1;
        this.scrollTo(this.posOf[this.selected] ?? -1, true);
        this.render();
        return;
      }
    }
  }
}

function legendItem(side: 'a' | 'b', label: string): HTMLElement {
  const li = el('span', `cmp-legend-item ${side}`);
  li.append(el('span', `cmp-swatch ${side}`), el('span', undefined, label));
  return li;
}

function countPill(status: string, n: number, label: string, icon: string): HTMLElement {
  const p = el('span', `cmp-count-pill ${status}${n === 0 ? ' zero' : ''}`);
  p.append(codicon(icon), el('strong', undefined, n.toLocaleString('en-US')), el('span', undefined, label));
  return p;
}

function sideCard(side: 'a' | 'b', t: CompareTraceInfo, total: number, other: number): HTMLElement {
  const card = el('section', `cmp-side ${side}`);
  card.setAttribute('aria-label', `Trace ${side.toUpperCase()}`);
  const head = el('div', 'cmp-side-head');
  head.append(el('span', `cmp-side-badge ${side}`, side.toUpperCase()), el('span', 'cmp-side-title', t.title));
  if (t.rootService) head.append(el('span', 'cmp-side-svc', t.rootService));
  const facts = el('div', 'cmp-side-facts');
  const dur = el('span', `cmp-side-dur${total > other ? ' slower' : ''}`, formatDuration(t.durationUs));
  facts.append(dur, fact(`${t.spanCount.toLocaleString('en-US')} spans`));
  if (t.errorCount > 0) {
    const e = el('span', 'cmp-side-errors');
    e.append(codicon('error'), el('span', undefined, `${t.errorCount} error${t.errorCount > 1 ? 's' : ''}`));
    facts.append(e);
  } else facts.append(fact('no errors'));
  facts.append(fact(`${t.startIso.slice(11, 23)}Z`));
  const id = el('div', 'cmp-side-id');
  id.append(el('span', 'cmp-mono', t.traceId), el('span', 'cmp-side-source', t.source));
  card.append(head, facts, id);
  return card;
}

function fact(text: string): HTMLElement {
  return el('span', 'cmp-fact', text);
}
