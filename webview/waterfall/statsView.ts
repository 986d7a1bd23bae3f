/**
 * The Statistics view: self and total time by service and by operation, as sortable tables (self time, largest
 * first, by default). The host computes them (`stats` → `stats/result`, src/core/traces/stats.ts); clicking a
 * service or an operation filters the waterfall to its spans.
 */
import type { StatsEntry, TraceStats } from '../../src/shared/protocol/waterfall';
import { codicon, el } from '../shared/dom';
import { formatDuration, formatPercent, serviceClass } from './format';
import type { StatsKey } from './statsModel';
import { MAX_OPERATION_ROWS, sortStats, statsQuery } from './statsModel';

interface Column {
  readonly key: StatsKey;
  readonly label: string;
  readonly title: string;
}

const COLUMNS: readonly Column[] = [
  { key: 'name', label: '', title: '' },
  { key: 'count', label: 'Spans', title: 'Number of spans' },
  { key: 'selfUs', label: 'Self', title: 'Sum of self times: time not covered by a child span (where the time was spent)' },
  { key: 'totalUs', label: 'Total', title: 'Sum of durations (inclusive of children; nested spans count again)' },
  { key: 'criticalUs', label: 'Critical', title: 'Time on the critical path' },
  { key: 'errors', label: 'Errors', title: 'Spans with status error' },
  { key: 'maxUs', label: 'Max', title: 'The longest span' },
];

export interface StatsHandlers {
  /** Filter the waterfall to `query` and show it. */
  filterTo(query: string): void;
}

export class StatsView {
  readonly element = el('section', 'wf-stats');
  private stats: TraceServiceStats | undefined;
  private sort: Record<'services' | 'operations', { key: StatsKey; dir: 1 | -1 }> = { services: { key: 'selfUs', dir: 1 }, operations: { key: 'selfUs', dir: 1 } };

  constructor(
    private readonly handlers: StatsHandlers,
    private readonly serviceIndex: (service: string) => number,
  ) {
    this.element.setAttribute('aria-label', 'Trace statistics');
    this.element.tabIndex = -1;
  }

  /** Waiting for the host. */
  showLoading(): void {
    this.stats = undefined;
    const p = el('p', 'wf-stats-loading');
    p.append(codicon('loading', 'codicon-modifier-spin'), el('span', undefined, 'Computing statistics…'));
    this.element.replaceChildren(p);
  }

  show(stats: TraceStats): void {
    this.stats = { stats };
    this.render();
  }

  get loaded(): boolean {
    return this.stats !== undefined;
  }

  private render(): void {
    const s = this.stats?.stats;
    if (!s) return;
    const scroll = this.element.scrollTop;
    // Shares are of all self time, which exceeds the trace's duration when spans ran in parallel: never over 100 %.
    const totalSelf = s.services.reduce((t, e) => t + e.selfUs, 0);
    const parallel = totalSelf > s.durationUs * 1.001 ? ` (${formatDuration(totalSelf)} in all: spans ran in parallel)` : '';
    const intro = el('p', 'wf-stats-intro');
    intro.textContent = `${s.spanCount.toLocaleString('en-US')} spans in ${s.services.length.toLocaleString('en-US')} services and ${s.operations.length.toLocaleString('en-US')} operations. Self time is the time a span spent outside its children: where the ${formatDuration(s.durationUs)} went${parallel}; shares are of all self time. Click a row to filter the waterfall to its spans.`;
    this.element.replaceChildren(intro, this.table('services', 'By service', s.services, totalSelf), this.table('operations', 'By operation', s.operations, totalSelf));
    this.element.scrollTop = scroll;
  }

  private table(which: 'services' | 'operations', caption: string, entries: readonly StatsEntry[], totalSelfUs: number): HTMLElement {
    const { key, dir } = this.sort[which];
    const sorted = sortStats(entries, key, dir);
    const shown = which === 'operations' ? sorted.slice(0, MAX_OPERATION_ROWS) : sorted;
    const maxSelf = entries.reduce((m, e) => Math.max(m, e.selfUs), 1);
    const table = el('table', `wf-stats-table wf-stats-${which}`);
    table.append(el('caption', undefined, caption));
    const head = el('tr');
    for (const c of COLUMNS) {
      const th = el('th');
      th.scope = 'col';
      const label = c.key === 'name' ? (which === 'services' ? 'Service' : 'Operation · service') : c.label;
      const b = el('button', 'wf-stats-sort', label);
      b.type = 'button';
      b.title = c.title ? `${c.title}. Click to sort.` : 'Click to sort by name';
      if (c.key === key) {
        th.setAttribute('aria-sort', (c.key === 'name') === (dir === 1) ? 'ascending' : 'descending');
        b.append(codicon(dir === 1 ? 'arrow-small-down' : 'arrow-small-up'));
        th.classList.add('sorted');
      }
      b.addEventListener('click', () => {
        const cur = this.sort[which];
        this.sort[which] = { key: c.key, dir: cur.key === c.key ? (cur.dir === 1 ? -1 : 1) : 1 };
        this.render();
      });
      th.append(b);
      if (c.key !== 'name') th.classList.add('num');
      head.append(th);
    }
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    for (const e of shown) {
      const tr = el('tr', serviceClass(this.serviceIndex(e.service)));
      const nameCell = el('th', 'wf-stats-name');
      nameCell.scope = 'row';
      const link = el('button', 'wf-stats-link');
      link.type = 'button';
      link.title = `Filter the waterfall: ${statsQuery(e)}`;
      link.append(el('span', 'wf-chip'));
      if (e.operation !== undefined) link.append(el('span', 'wf-stats-op', e.operation), el('span', 'wf-stats-svc', e.service));
      else link.append(el('span', 'wf-stats-op', e.service));
      link.addEventListener('click', () => this.handlers.filterTo(statsQuery(e)));
      nameCell.append(link);
      const selfCell = el('td', 'num wf-stats-self');
      const track = el('span', 'wf-stats-track');
      const bar = el('span', 'wf-stats-bar');
      bar.style.width = `${Math.max(2, Math.round((e.selfUs / maxSelf) * 100))}%`;
      track.append(bar);
      track.setAttribute('aria-hidden', 'true');
      selfCell.append(el('span', 'wf-stats-value', formatDuration(e.selfUs)), el('span', 'wf-stats-share', formatPercent(e.selfUs, totalSelfUs)), track);
      const td = (text: string, extra = ''): HTMLElement => el('td', `num${extra}`, text);
      tr.append(
        nameCell,
        td(e.count.toLocaleString('en-US')),
        selfCell,
        td(formatDuration(e.totalUs)),
        td(e.criticalUs > 0 ? formatDuration(e.criticalUs) : '—', e.criticalUs > 0 ? '' : ' wf-dim'),
        td(e.errors > 0 ? e.errors.toLocaleString('en-US') : '—', e.errors > 0 ? ' wf-stats-errors' : ' wf-dim'),
        td(formatDuration(e.maxUs)),
      );
      body.append(tr);
    }
    table.append(thead, body);
    const wrap = el('div', 'wf-stats-block');
    wrap.append(table);
    if (shown.length < sorted.length) wrap.append(el('p', 'wf-stats-more', `… and ${(sorted.length - shown.length).toLocaleString('en-US')} more operations (sorted by ${key === 'name' ? 'name' : 'the chosen column'}; filter the waterfall to narrow down).`));
    return wrap;
  }
}

interface TraceServiceStats {
  readonly stats: TraceStats;
}
