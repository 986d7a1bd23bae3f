/**
 * The detail pane of the selected span: summary, "Open code", attributes, resource, scope, events (with
 * exception stack traces whose source frames are links), links. Rebuilt on every selection change.
 */
import type { CodeRef, RouteRef, SpanDetails, WaterfallEvent, WaterfallModel, WaterfallRow } from '../../src/shared/protocol/waterfall';
import { button, codicon, el } from '../shared/dom';
import { addMicrosToIso, formatDuration, formatOffset, formatPercent, plural, serviceClass } from './format';

export interface DetailHandlers {
  openCode(row: number): void;
  openFrame(row: number, event: number, frame: number): void;
  select(row: number): void;
  copyJson(row: number): void;
  addToNotebook(row: number): void;
}

type Pairs = readonly (readonly [string, string])[];

/** `function — path:line` (whatever parts the reference has). */
export function describeCode(code: CodeRef): string {
  const where = code.path ? `${code.path}${code.line ? `:${code.line}` : ''}${code.line && code.column ? `:${code.column}` : ''}` : '';
  return [code.function, where].filter((s) => s).join(' — ') || '(no location)';
}

export class DetailPane {
  readonly element = el('aside', 'wf-detail');
  /** Which sections the user folded, kept across selections. */
  private readonly folded = new Set<string>();
  private shownRow = -1;
  private shownTrace = '';

  constructor(
    private readonly handlers: DetailHandlers,
    /** Shown above the details of every span (the breadcrumb of its ancestors). */
    private readonly top?: HTMLElement,
  ) {
    this.element.setAttribute('aria-label', 'Span details');
    this.element.tabIndex = -1;
  }

  /**
   * Shows `model.rows[index]`. `details` arrive from the host on request: until then the summary and timing are
   * shown with a "Loading details…" line, and the pane is rendered again when they come.
   */
  render(model: WaterfallModel | undefined, index: number, details?: SpanDetails): void {
    const row = model?.rows[index];
    if (!model || !row) {
      const empty = el('div', 'wf-detail-empty');
      empty.append(codicon('list-tree'), el('p', undefined, 'Select a span to see its details.'));
      this.element.replaceChildren(empty);
      if (this.top) this.element.prepend(this.top);
      return;
    }
    const keepScroll = this.shownRow === index && this.shownTrace === model.traceId;
    const scrollTop = this.element.scrollTop;
    this.shownRow = index;
    this.shownTrace = model.traceId;
    this.element.replaceChildren(this.summary(model, row, index));
    if (this.top) this.element.prepend(this.top);
    if (details?.code) this.element.append(this.codeButton(details.code, index));
    else if (details?.route) this.element.append(this.routeButton(details.route, index));
    this.element.append(this.facts(model, row));
    if (!details) {
      if (!row.missingParent) this.element.append(el('p', 'wf-detail-loading', 'Loading details…'));
    } else {
      const d = details;
      this.section('Attributes', d.attributes.length, () => table(d.attributes));
      this.section('Events', d.events.length, () => this.events(row, index, d));
      this.section('Resource', d.resource.length, () => table(d.resource));
      if (d.scope) this.section('Scope', 1, () => el('div', 'wf-value wf-mono wf-selectable', d.scope));
      this.section('Links', d.links.length, () => links(d));
    }
    this.element.scrollTop = keepScroll ? scrollTop : 0;
  }

  /** Replaces the "Loading details…" line with why the details are not available. */
  showProblem(message: string): void {
    const loading = this.element.querySelector('.wf-detail-loading');
    const note = el('p', 'wf-detail-loading wf-detail-problem', message);
    if (loading) loading.replaceWith(note);
    else this.element.append(note);
  }

  private summary(model: WaterfallModel, row: WaterfallRow, index: number): HTMLElement {
    const box = el('div', `wf-detail-head ${serviceClass(row.serviceIndex)}`);
    const title = el('h2', 'wf-detail-title wf-selectable');
    if (row.error) title.append(codicon('error', 'wf-error-icon'));
    title.append(el('span', undefined, row.name));
    const sub = el('div', 'wf-detail-sub');
    sub.append(el('span', 'wf-chip'), el('span', 'wf-detail-service', row.service), el('span', 'wf-tag', row.kind || 'unspecified'));
    if (row.missingParent) sub.append(el('span', 'wf-badge', 'missing parent'));
    if (row.critical.length > 0) sub.append(el('span', 'wf-tag wf-tag-critical', 'critical path'));
    if (index === model.slowestRow) sub.append(el('span', 'wf-tag wf-tag-slow', 'slowest'));
    box.append(title, sub);
    if (!row.missingParent) {
      const actions = el('div', 'wf-detail-actions');
      const copy = button({ icon: 'json', label: 'Copy as JSON', title: 'Copy this span as JSON (y)', className: 'wf-action wf-copy-json' });
      copy.addEventListener('click', () => this.handlers.copyJson(index));
      const notebook = button({ icon: 'notebook', label: 'Add to notebook', title: 'Add this span to the incident notebook', className: 'wf-action wf-add-notebook' });
      notebook.addEventListener('click', () => this.handlers.addToNotebook(index));
      actions.append(copy, notebook);
      box.append(actions);
    }
    if (row.error) {
      const status = el('div', 'wf-status-error');
      status.append(codicon('error'), el('span', 'wf-selectable', row.statusMessage ? `Error: ${row.statusMessage}` : 'Error'));
      box.append(status);
    }
    return box;
  }

  private codeButton(code: CodeRef, index: number): HTMLElement {
    const b = button({ icon: 'go-to-file', className: 'wf-open-code', title: 'Open the code of this span (Enter)' });
    const text = el('span', 'wf-open-code-text');
    text.append(el('span', 'wf-open-code-label', 'Open code'), el('span', 'wf-open-code-where', describeCode(code)));
    b.append(text);
    b.addEventListener('click', () => this.handlers.openCode(index));
    return b;
  }

  /** A span with no code.* but a route or RPC: its handler is looked up in the workspace's wire index. */
  private routeButton(route: RouteRef, index: number): HTMLElement {
    const b = button({ icon: 'go-to-file', className: 'wf-open-code', title: 'Find the handler of this route in the workspace (Enter)' });
    const text = el('span', 'wf-open-code-text');
    const what = route.rpc ?? [route.method, route.route ?? route.path].filter((x) => x).join(' ');
    text.append(el('span', 'wf-open-code-label', 'Go to handler'), el('span', 'wf-open-code-where', what));
    b.append(text);
    b.addEventListener('click', () => this.handlers.openCode(index));
    return b;
  }

  private facts(model: WaterfallModel, row: WaterfallRow): HTMLElement {
    const dl = el('dl', 'wf-grid-facts');
    const add = (k: string, v: string | Node): void => {
      const dd = el('dd', 'wf-selectable');
      dd.append(v);
      dl.append(el('dt', undefined, k), dd);
    };
    add('Start', `${formatOffset(row.startUs)}  ·  ${addMicrosToIso(model.startIso, row.startUs)}`);
    add('Duration', `${formatDuration(row.durationUs)}  (${formatPercent(row.durationUs, model.durationUs)} of trace)`);
    add('Self time', `${formatDuration(row.selfUs)}  (${formatPercent(row.selfUs, row.durationUs)} of span)`);
    if (row.critical.length > 0) {
      const onPath = row.critical.reduce((sum, [s, e]) => sum + Math.max(0, e - s), 0);
      add('Critical', `${formatDuration(onPath)} on the critical path`);
    }
    add('Status', row.error ? `error${row.statusMessage ? ` — ${row.statusMessage}` : ''}` : row.status === 'ok' ? 'ok' : 'unset (no status set)');
    add('Span ID', el('span', 'wf-mono', row.missingParent ? '—' : row.id));
    const parent = model.rows[row.parent];
    if (parent) {
      const link = button({ label: parent.name, className: 'wf-link', title: 'Select the parent span' });
      link.addEventListener('click', () => this.handlers.select(row.parent));
      add('Parent', link);
    }
    if (row.descendants > 0) add('Children', plural(row.descendants, 'span') + ' below');
    return dl;
  }

  private section(name: string, count: number, body: () => Node): void {
    if (count === 0 && name !== 'Attributes') return;
    const details = el('details', 'wf-section');
    details.open = !this.folded.has(name);
    const summary = el('summary');
    summary.append(el('span', 'wf-section-title', name), el('span', 'wf-count', String(count)));
    details.append(summary, count === 0 ? el('div', 'wf-empty-note', 'none') : body());
    details.addEventListener('toggle', () => {
      if (details.open) this.folded.delete(name);
      else this.folded.add(name);
    });
    this.element.append(details);
  }

  private events(row: WaterfallRow, index: number, d: SpanDetails): HTMLElement {
    const list = el('ol', 'wf-events');
    d.events.forEach((event, ei) => list.append(this.event(row, index, event, ei)));
    return list;
  }

  private event(row: WaterfallRow, index: number, event: WaterfallEvent, ei: number): HTMLElement {
    const li = el('li', `wf-event${event.exception ? ' wf-exception' : ''}`);
    const head = el('div', 'wf-event-head');
    head.append(
      codicon(event.exception ? 'error' : 'symbol-event'),
      el('span', 'wf-event-name wf-selectable', event.name),
      el('span', 'wf-event-time', `${formatOffset(event.offsetUs)} · ${formatOffset(event.offsetUs - row.startUs)} into span`),
    );
    li.append(head);
    const ex = event.exception;
    if (ex) {
      const msg = el('div', 'wf-exception-message wf-selectable');
      if (ex.type) msg.append(el('strong', undefined, ex.type));
      if (ex.type && ex.message) msg.append(': ');
      if (ex.message) msg.append(ex.message);
      li.append(msg);
      if (ex.stack.length > 0) {
        const stack = el('div', 'wf-stack wf-mono');
        stack.setAttribute('role', 'list');
        ex.stack.forEach((line, fi) => {
          if (line.frame) {
            const link = button({ className: 'wf-frame wf-link', title: `Open ${line.frame.path}:${line.frame.line}` });
            link.setAttribute('role', 'listitem');
            link.textContent = line.text;
            link.addEventListener('click', () => this.handlers.openFrame(index, ei, fi));
            stack.append(link);
          } else {
            const div = el('div', 'wf-frame-text', line.text);
            div.setAttribute('role', 'listitem');
            stack.append(div);
          }
        });
        li.append(stack);
      }
    }
    const attrs = ex ? event.attributes.filter(([k]) => k !== 'exception.stacktrace' && k !== 'exception.message' && k !== 'exception.type') : event.attributes;
    if (attrs.length > 0) li.append(table(attrs));
    return li;
  }
}

function table(pairs: Pairs): HTMLElement {
  const t = el('table', 'wf-kv');
  const body = el('tbody');
  for (const [k, v] of pairs) {
    const tr = el('tr');
    tr.append(el('th', 'wf-selectable', k), el('td', 'wf-selectable', v));
    body.append(tr);
  }
  t.append(body);
  return t;
}

function links(row: SpanDetails): HTMLElement {
  const list = el('ul', 'wf-links');
  for (const link of row.links) {
    const li = el('li');
    const ids = el('div', 'wf-mono wf-selectable');
    ids.append(codicon('link'), el('span', undefined, ` trace ${link.traceId} · span ${link.spanId}`));
    li.append(ids);
    if (link.attributes.length > 0) li.append(table(link.attributes));
    list.append(li);
  }
  return list;
}
