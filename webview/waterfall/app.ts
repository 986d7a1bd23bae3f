/**
 * The waterfall page: builds the layout once, shows models / loading / errors, and turns clicks and keys into
 * state changes, renders and host messages.
 */
import type { FilterHighlight, SpanDetails, TraceStats, WaterfallModel } from '../../src/shared/protocol/waterfall';
import { codicon, el } from '../shared/dom';
import { getState, postMessage, setState } from '../shared/vscodeApi';
import { Breadcrumb } from './crumbs';
import { DetailPane } from './detail';
import { renderAxis, renderHeader } from './header';
import type { Command } from './keyboard';
import { buildLayout } from './layout';
import { commandForKey } from './keyboard';
import { movePosition, nextCriticalRow, nextErrorRow } from './navigation';
import { RowList } from './rows';
import { WaterfallState } from './state';
import { StatsView } from './statsView';
import { Toolbar } from './toolbar';

const SAVE_DELAY_MS = 200;

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isHighlight(v: unknown): v is FilterHighlight {
  return typeof v === 'object' && v !== null && isStrings((v as FilterHighlight).name) && isStrings((v as FilterHighlight).service);
}
/** Commands that act on the tree only when it (not a button or link) has focus. */
const TREE_ONLY: ReadonlySet<Command> = new Set(['up', 'down', 'left', 'right', 'home', 'end', 'pageUp', 'pageDown', 'openCode']);

export class WaterfallApp {
  readonly state = new WaterfallState();
  private readonly header = el('header', 'wf-header');
  private readonly status: HTMLElement;
  private readonly view: HTMLElement;
  private readonly listPane: HTMLElement;
  private readonly axisTrack: HTMLElement;
  private readonly gridTrack: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly rows: RowList;
  private readonly detail: DetailPane;
  private readonly toolbar: Toolbar;
  private readonly crumbs: Breadcrumb;
  private readonly stats: StatsView;
  /** The Statistics view is shown instead of the rows. */
  private statsOn = false;
  /** Enter in the filter box before the host answered: step to a match when it does. */
  private pendingStep: 1 | -1 | 0 = 0;
  private saveTimer = 0;

  constructor(root: HTMLElement) {
    this.rows = new RowList(this.state, {
      select: (row) => this.select(row, { focus: true }),
      toggle: (row) => this.toggle(row),
      expandBelow: (row) => this.expandBelow(row),
      openCode: (row) => this.openCode(row),
    }, () => this.scheduleSave());
    this.crumbs = new Breadcrumb((row) => this.select(row, { focus: true }));
    this.detail = new DetailPane({
      openCode: (row) => this.openCode(row),
      openFrame: (row, event, frame) => postMessage({ type: 'frame/open', row, event, frame }),
      select: (row) => this.select(row, { focus: true }),
      copyJson: (row) => this.copyJson(row),
      addToNotebook: (row) => postMessage({ type: 'span/addToNotebook', row }),
    }, this.crumbs.element);
    this.toolbar = new Toolbar({
      filter: (q) => this.filter(q),
      leaveFilter: () => this.rows.element.focus(),
      stepMatch: (dir) => this.stepMatch(dir, false),
      toggleMatchesOnly: () => this.toggleMatchesOnly(),
      toggleCritical: () => this.toggleCritical(),
      toggleCriticalOnly: () => this.toggleCriticalOnly(),
      toggleStats: () => this.setStats(!this.statsOn),
      copyTraceId: () => postMessage({ type: 'trace/copyId' }),
      setAllCollapsed: (c) => this.setAllCollapsed(c),
    });
    this.stats = new StatsView({ filterTo: (q) => this.filterTo(q) }, (service) => this.state.model?.services.indexOf(service) ?? -1);
    const layout = buildLayout(
      root,
      { header: this.header, toolbar: this.toolbar.element, legend: this.toolbar.legend, rows: this.rows.element, stats: this.stats.element, detail: this.detail.element },
      () => this.renderAxis(),
    );
    ({ status: this.status, view: this.view, listPane: this.listPane, axisTrack: this.axisTrack, gridTrack: this.gridTrack, empty: this.empty } = layout);
    document.addEventListener('keydown', (e) => this.onKey(e));
  }

  private renderAxis(): void {
    const axis = this.axisTrack.parentElement;
    if (this.state.model && axis) renderAxis(this.axisTrack, this.gridTrack, this.state.model.durationUs, axis.clientWidth);
  }

  /** Details the host sent for rows of the current trace, and the rows asked for. */
  private details = new Map<number, SpanDetails>();
  private requested = new Set<number>();
  /** The filter query sent to the host whose result is awaited. */
  private pendingQuery = '';

  /** Renders the detail pane of the selected row, asking the host for its details the first time. */
  private renderDetail(): void {
    const row = this.state.selected;
    const d = this.details.get(row);
    this.detail.render(this.state.model, row, d);
    if (!d && row >= 0 && this.state.model && !this.state.rows[row]?.missingParent && !this.requested.has(row)) {
      this.requested.add(row);
      postMessage({ type: 'span/details', row });
    }
  }

  /** The host's answer to `span/details`. */
  onDetails(traceId: string, row: number, details: SpanDetails): void {
    if (traceId !== this.state.model?.traceId) return;
    this.details.set(row, details);
    if (row === this.state.selected) this.renderDetail();
  }

  /** The host could not provide details: say so in the pane, and ask again on the next selection. */
  onDetailsFailed(traceId: string, message: string): void {
    if (traceId !== this.state.model?.traceId) return;
    this.requested.clear();
    this.detail.showProblem(message);
  }

  /** The host's answer to `filter`: applied only if it answers the latest query. */
  onFilterResult(traceId: string, query: string, matches: readonly number[], highlight?: unknown, problems?: unknown): void {
    if (traceId !== this.state.model?.traceId || query !== this.pendingQuery) return;
    this.toolbar.setProblems(isStrings(problems) ? problems : []);
    if (!this.state.applyFilter(query, matches, isHighlight(highlight) ? highlight : undefined)) return;
    this.afterFilter();
    if (this.pendingStep !== 0) {
      const dir = this.pendingStep;
      this.pendingStep = 0;
      this.stepMatch(dir, false);
    }
  }

  /** The host's answer to `stats`. */
  onStats(traceId: string, stats: TraceStats): void {
    if (traceId !== this.state.model?.traceId) return;
    this.stats.show(stats);
  }

  show(model: WaterfallModel, selectRow?: number): void {
    const received = performance.now();
    this.details = new Map();
    this.requested = new Set();
    this.pendingQuery = '';
    this.pendingStep = 0;
    this.statsRequested = false;
    this.setStats(false);
    const saved = getState();
    const same = saved?.traceId === model.traceId;
    this.state.setModel(model, saved, selectRow);
    this.status.hidden = true;
    this.view.hidden = false;
    renderHeader(this.header, model, {
      nextError: () => this.command('nextError'),
      slowest: () => this.command('slowest'),
      firstCritical: () => this.jump(model.criticalRows[0] ?? -1),
    });
    this.toolbar.setQuery('');
    this.toolbar.setCount(undefined, model.rows.length);
    this.toolbar.setProblems([]);
    this.syncCritical();
    this.renderAxis();
    this.rows.reset(same && selectRow === undefined && saved ? saved.scrollTop : 0);
    if (!same || selectRow !== undefined) this.rows.reveal(this.state.positionOf(this.state.selected));
    this.rows.render();
    this.syncEmpty();
    this.renderDetail();
    this.crumbs.render(model.rows, this.state.selected, true);
    this.rows.element.focus({ preventScroll: true });
    this.save();
    this.reportRendered(model, received);
  }

  /**
   * Tells the host the model is on screen, once per `trace/show`: after the next frame is painted, or after a
   * second if frames are not running (a hidden panel).
   */
  private reportRendered(model: WaterfallModel, received: number): void {
    let sent = false;
    const send = (): void => {
      if (sent) return;
      sent = true;
      postMessage({ type: 'rendered', traceId: model.traceId, rowCount: model.rows.length, domRows: this.rows.domRows, renderMs: Math.round(performance.now() - received) });
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
    const box = el('div', error ? 'wf-status-box wf-status-error-box' : 'wf-status-box');
    box.setAttribute('role', error ? 'alert' : 'status');
    box.append(codicon(icon, error ? undefined : 'codicon-modifier-spin'), el('div', 'wf-status-text', message));
    this.status.replaceChildren(box);
    this.status.hidden = false;
  }

  /** Selects `row` (revealing and scrolling to it), updates the details, tells the host. */
  select(row: number, opts: { focus?: boolean } = {}): void {
    const before = this.state.selected;
    const hadFilter = this.state.filter !== null;
    if (this.statsOn && row >= 0 && row < this.state.rows.length) this.setStats(false);
    if (!this.state.select(row) && before === row) {
      if (opts.focus) this.rows.element.focus({ preventScroll: true });
      return;
    }
    if (hadFilter && this.state.filter === null) {
      this.toolbar.setQuery('');
      this.toolbar.setCount(undefined, this.state.rows.length);
      this.toolbar.setProblems([]);
    }
    this.syncCritical();
    this.syncMatches();
    this.rows.reveal(this.state.positionOf(row));
    this.rows.render();
    this.syncEmpty();
    if (before !== row) {
      this.renderDetail();
      this.crumbs.render(this.state.rows, row);
      postMessage({ type: 'row/selected', row });
    }
    if (opts.focus) this.rows.element.focus({ preventScroll: true });
    this.scheduleSave();
  }

  private jump(row: number): void {
    if (row >= 0) this.select(row, { focus: true });
  }

  private toggle(row: number): void {
    const before = this.state.selected;
    if (this.state.toggle(row)) this.afterTreeChange(before);
  }

  private expandBelow(row: number): void {
    if (this.state.expandAllBelow(row)) this.afterTreeChange(this.state.selected);
  }

  private setAllCollapsed(collapse: boolean): void {
    const before = this.state.selected;
    this.state.setAllCollapsed(collapse);
    this.syncCritical();
    this.afterTreeChange(before);
  }

  /** After the visible rows changed: keep the selection in view, repaint, and tell the host if the selection moved. */
  private afterTreeChange(selectedBefore = this.state.selected): void {
    this.rows.reveal(this.state.positionOf(this.state.selected));
    this.rows.render();
    this.syncEmpty();
    this.syncMatches();
    if (this.state.selected !== selectedBefore) {
      this.renderDetail();
      this.crumbs.render(this.state.rows, this.state.selected);
      postMessage({ type: 'row/selected', row: this.state.selected });
    }
    this.scheduleSave();
  }

  /** "No spans" / "No span matches" over an empty list. */
  private syncEmpty(): void {
    const s = this.state;
    this.empty.hidden = s.visible.length > 0;
    this.empty.textContent =
      s.filter && s.matchesOnly
        ? `No span${s.criticalOnly ? ' on the critical path' : ''} matches “${s.filterQuery.trim()}”. Press Esc to clear the filter.`
        : s.rows.length > 0
          ? 'No spans to show.'
          : 'This trace has no spans.';
  }

  private filter(query: string): void {
    if (query.trim() === '') {
      this.pendingQuery = '';
      this.pendingStep = 0;
      this.toolbar.setProblems([]);
      if (this.state.clearFilter()) this.afterFilter();
      return;
    }
    if (query === this.pendingQuery && query === this.state.filterQuery) return;
    this.pendingQuery = query;
    postMessage({ type: 'filter', query });
  }

  /** Filters to `query` from elsewhere (the Statistics view): fills the box, shows the rows. */
  private filterTo(query: string): void {
    this.setStats(false);
    this.toolbar.setQuery(query);
    this.pendingStep = 1;
    this.filter(query);
    this.rows.element.focus({ preventScroll: true });
  }

  private afterFilter(): void {
    const f = this.state.filter;
    this.toolbar.setCount(f ? f.matches.size : undefined, this.state.rows.length);
    this.syncEmpty();
    if (f && this.state.matchesOnly && !f.shown.has(this.state.selected)) {
      const first = f.matchList[0];
      if (first !== undefined) return this.select(first);
    }
    this.afterTreeChange();
  }

  /** Selects the next / previous match (revealing it); the focus stays where it is (the filter box, typically). */
  private stepMatch(dir: 1 | -1, focusTree: boolean): void {
    if (this.pendingQuery !== '' && this.pendingQuery !== this.state.filterQuery) {
      this.pendingStep = dir;
      return;
    }
    const row = this.state.nextMatch(dir);
    if (row >= 0) this.select(row, { focus: focusTree });
  }

  private toggleMatchesOnly(): void {
    if (!this.state.filter) return;
    this.state.setMatchesOnly(!this.state.matchesOnly);
    this.afterTreeChange();
  }

  /** Match position and "matches only" in the toolbar. */
  private syncMatches(): void {
    const f = this.state.filter;
    this.toolbar.setMatchPosition(this.state.matchOrdinal(), f?.matches.size ?? 0, this.state.matchesOnly);
  }

  private toggleCritical(): void {
    this.state.toggleCritical();
    this.syncCritical();
    this.rows.render();
  }

  private toggleCriticalOnly(): void {
    if (!this.state.setCriticalOnly(!this.state.criticalOnly)) return;
    this.syncCritical();
    const before = this.state.selected;
    if (this.state.criticalOnly && this.state.positionOf(before) < 0) {
      // The selection is off the path: select the nearest visible row above it (or the first).
      const k = this.state.visible.findIndex((r) => r > before);
      const row = this.state.visible[k > 0 ? k - 1 : 0];
      if (row !== undefined) this.state.selected = row;
    }
    this.afterTreeChange(before);
  }

  private syncCritical(): void {
    const available = (this.state.model?.criticalRows.length ?? 0) > 0;
    this.toolbar.setCritical(this.state.showCritical, available);
    this.toolbar.setCriticalOnly(this.state.criticalOnly, available);
    this.listPane.classList.toggle('wf-critical-on', this.state.showCritical && available);
  }

  private statsRequested = false;

  /** Shows the Statistics view instead of the rows (asking the host for the statistics the first time), or back. */
  private setStats(on: boolean): void {
    if (on && !this.state.model) return;
    this.statsOn = on;
    this.toolbar.setStats(on);
    this.listPane.hidden = on;
    this.stats.element.hidden = !on;
    if (on) {
      if (!this.statsRequested) {
        this.statsRequested = true;
        this.stats.showLoading();
        postMessage({ type: 'stats' });
      }
      this.stats.element.focus({ preventScroll: true });
    } else if (this.state.model) {
      this.rows.render();
    }
  }

  private copyJson(row: number): void {
    const r = this.state.rows[row];
    if (r && !r.missingParent) postMessage({ type: 'span/copyJson', row });
  }

  private openCode(row: number): void {
    if (this.state.rows[row]?.hasCode) postMessage({ type: 'span/openCode', row });
  }

  private onKey(e: KeyboardEvent): void {
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || !this.state.model) return;
    const cmd = commandForKey(e);
    if (!cmd) return;
    const inTree = t === this.rows.element || t === document.body || t === document.documentElement;
    if (TREE_ONLY.has(cmd) && !inTree) return;
    e.preventDefault();
    this.command(cmd);
  }

  command(cmd: Command): void {
    const s = this.state;
    const model = s.model;
    if (!model) return;
    const pos = s.positionOf(s.selected);
    const at = (p: number): number => s.visible[p] ?? -1;
    switch (cmd) {
      case 'up':
      case 'down':
      case 'pageUp':
      case 'pageDown': {
        const step = cmd === 'up' || cmd === 'down' ? 1 : this.rows.pageSize;
        return this.jump(at(movePosition(s.visible.length, pos, cmd === 'up' || cmd === 'pageUp' ? -step : step)));
      }
      case 'home':
        return this.jump(at(0));
      case 'end':
        return this.jump(at(s.visible.length - 1));
      case 'left':
        if (s.isExpanded(s.selected) && s.canCollapse) return this.toggle(s.selected);
        return this.jump(s.rows[s.selected]?.parent ?? -1);
      case 'right':
        if (s.hasChildren(s.selected) && !s.isExpanded(s.selected)) return this.toggle(s.selected);
        if (s.rows[at(pos + 1)]?.parent === s.selected) return this.jump(at(pos + 1));
        return;
      case 'openCode':
        return this.openCode(s.selected);
      case 'slowest':
        return this.jump(model.slowestRow);
      case 'nextError':
      case 'prevError':
        return this.jump(nextErrorRow(model.rows, s.selected, cmd === 'nextError' ? 1 : -1));
      case 'nextCritical':
      case 'prevCritical':
        return this.jump(nextCriticalRow(model.criticalRows, s.selected, cmd === 'nextCritical' ? 1 : -1));
      case 'toggleCritical':
        return this.toggleCritical();
      case 'toggleCriticalOnly':
        return this.toggleCriticalOnly();
      case 'expandBelow':
        return this.expandBelow(s.selected);
      case 'nextMatch':
      case 'prevMatch':
        return this.stepMatch(cmd === 'nextMatch' ? 1 : -1, true);
      case 'toggleMatchesOnly':
        return this.toggleMatchesOnly();
      case 'toggleStats':
        return this.setStats(!this.statsOn);
      case 'copySpanJson':
        return this.copyJson(s.selected);
      case 'copyTraceId':
        return postMessage({ type: 'trace/copyId' });
      case 'focusFilter':
        return this.toolbar.focus();
      case 'escape':
        if (this.statsOn) {
          this.setStats(false);
        } else if (s.filter) {
          this.toolbar.setQuery('');
          this.filter('');
        }
        this.rows.element.focus({ preventScroll: true });
        return;
    }
  }

  private scheduleSave(): void {
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  private save(): void {
    window.clearTimeout(this.saveTimer);
    const v = this.state.viewState(this.rows.scrollTop);
    if (v) setState(v);
  }
}
