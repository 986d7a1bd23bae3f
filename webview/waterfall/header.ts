/**
 * The trace header (title, IDs, totals, services legend, warnings, source) and the time axis.
 */
import type { WaterfallModel } from '../../src/shared/protocol/waterfall';
import { button, codicon, el } from '../shared/dom';
import { computeTicks, formatDuration, plural, serviceClass } from './format';
import { uniqueInOrder } from './navigation';

export interface HeaderHandlers {
  nextError(): void;
  slowest(): void;
  firstCritical(): void;
}

/** Warnings listed before the rest fold under "N more". */
const WARNINGS_SHOWN = 3;

function fact(label: string, value: string | Node, className?: string): HTMLElement {
  const item = el('span', `wf-fact${className ? ` ${className}` : ''}`);
  const v = typeof value === 'string' ? el('span', 'wf-fact-value', value) : value;
  item.append(el('span', 'wf-fact-label', label), v);
  return item;
}

function warningItem(text: string): HTMLLIElement {
  const li = el('li');
  li.append(codicon('warning'), el('span', undefined, text));
  return li;
}

export function renderHeader(container: HTMLElement, model: WaterfallModel, handlers: HeaderHandlers): void {
  const titleLine = el('div', 'wf-title-line');
  const title = el('h1', 'wf-title', model.title || '(unnamed trace)');
  title.title = model.title;
  titleLine.append(codicon('pulse', 'wf-title-icon'), title);
  if (model.errorCount > 0) {
    const b = button({ icon: 'error', label: plural(model.errorCount, 'error'), title: 'Go to the next error span (e)', className: 'wf-pill wf-pill-error' });
    b.addEventListener('click', handlers.nextError);
    titleLine.append(b);
  } else {
    const ok = el('span', 'wf-pill wf-pill-ok');
    ok.append(codicon('pass'), el('span', undefined, 'no errors'));
    titleLine.append(ok);
  }

  const facts = el('div', 'wf-facts');
  const traceId = el('span', 'wf-fact-value wf-mono wf-selectable', model.traceId);
  facts.append(
    fact('Trace', traceId),
    fact('Started', el('span', 'wf-fact-value wf-mono wf-selectable', model.startIso)),
    fact('Duration', formatDuration(model.durationUs), 'wf-fact-strong'),
    fact('Spans', model.spanCount.toLocaleString('en-US')),
    fact('Services', String(model.services.length)),
  );
  const slow = model.rows[model.slowestRow];
  if (slow) {
    // The slow span is the one with the largest share of the critical path (the host's choice); say so.
    const onCritical = slow.critical.reduce((t, [s, e]) => t + e - s, 0);
    const what = onCritical > 0 ? `${formatDuration(onCritical)} on the critical path` : `${formatDuration(slow.selfUs)} self`;
    const b = button({ icon: 'flame', title: 'Go to the slow span: the one the request waited on longest (s)', className: 'wf-link-button wf-slowest' });
    b.append(el('span', 'wf-fact-label', 'Slowest'), el('span', 'wf-slowest-name', slow.name), el('span', 'wf-slowest-time', what));
    b.addEventListener('click', handlers.slowest);
    facts.append(b);
  }
  const onPath = uniqueInOrder(model.criticalRows).length;
  if (onPath > 0) {
    const b = button({ icon: 'debug-stackframe', label: `Critical path: ${plural(onPath, 'span')}`, title: 'Go to the start of the critical path (c)', className: 'wf-link-button' });
    b.addEventListener('click', handlers.firstCritical);
    facts.append(b);
  }

  const legend = el('ul', 'wf-legend');
  legend.setAttribute('aria-label', 'Services');
  model.services.forEach((name, i) => {
    const li = el('li', serviceClass(i));
    li.append(el('span', 'wf-chip'), el('span', undefined, name));
    legend.append(li);
  });

  container.replaceChildren(titleLine, facts, legend);

  if (model.warnings.length > 0) {
    const list = el('ul', 'wf-warnings');
    list.setAttribute('aria-label', 'Warnings');
    model.warnings.slice(0, WARNINGS_SHOWN).forEach((w) => list.append(warningItem(w)));
    container.append(list);
    if (model.warnings.length > WARNINGS_SHOWN) {
      const more = el('details', 'wf-more-warnings');
      more.append(el('summary', undefined, `${plural(model.warnings.length - WARNINGS_SHOWN, 'more warning')}`));
      const rest = el('ul', 'wf-warnings');
      model.warnings.slice(WARNINGS_SHOWN).forEach((w) => rest.append(warningItem(w)));
      more.append(rest);
      container.append(more);
    }
  }

  if (model.source) {
    const src = el('div', 'wf-source');
    src.append(codicon('file'), el('span', 'wf-selectable', model.source));
    src.title = model.source;
    container.append(src);
  }
}

/**
 * Tick labels on the axis and the matching grid lines behind the rows. Both tracks span the same horizontal
 * range as the rows' bar tracks, so positions are percentages.
 */
export function renderAxis(axisTrack: HTMLElement, gridTrack: HTMLElement, totalUs: number, widthPx: number): void {
  const maxTicks = Math.max(2, Math.min(10, Math.floor(widthPx / 90)));
  const ticks = computeTicks(totalUs, maxTicks);
  const labels: HTMLElement[] = [];
  const lines: HTMLElement[] = [];
  ticks.forEach((t, i) => {
    const label = el('span', 'wf-tick', t.label);
    label.style.left = `${t.fraction * 100}%`;
    if (i === 0) label.classList.add('first');
    else if (t.fraction > 0.94) label.classList.add('last');
    labels.push(label);
    const line = el('div', 'wf-gridline');
    line.style.left = `${t.fraction * 100}%`;
    lines.push(line);
  });
  axisTrack.replaceChildren(...labels);
  gridTrack.replaceChildren(...lines);
}
