/**
 * The waterfall page's layout: the column header with its resizable name column, the rows over the time grid, the
 * statistics view, the resizable detail pane — built once. Sizes go to CSS variables through the CSSOM (no inline
 * style attributes: CSP).
 */
import { draggable, el } from '../shared/dom';

/** The parts the layout places; they are built by their own classes. */
export interface LayoutParts {
  readonly header: HTMLElement;
  readonly toolbar: HTMLElement;
  readonly legend: HTMLElement;
  readonly rows: HTMLElement;
  readonly stats: HTMLElement;
  readonly detail: HTMLElement;
}

/** The elements the page updates later. */
export interface Layout {
  readonly status: HTMLElement;
  readonly view: HTMLElement;
  readonly listPane: HTMLElement;
  readonly axisTrack: HTMLElement;
  readonly gridTrack: HTMLElement;
  readonly main: HTMLElement;
  readonly empty: HTMLElement;
}

/** Builds the page into `root`; `renderAxis` runs whenever the time axis changed width. */
export function buildLayout(root: HTMLElement, parts: LayoutParts, renderAxis: () => void): Layout {
  const status = el('div', 'wf-status');
  const view = el('div', 'wf-view');
  const listPane = el('section', 'wf-list-pane');
  const axisTrack = el('div', 'wf-track');
  const gridTrack = el('div', 'wf-track');
  const main = el('div', 'wf-main');
  const empty = el('div', 'wf-list-empty');

  const colHead = el('div', 'wf-colhead');
  const nameHead = el('div', 'wf-colhead-name');
  nameHead.append(el('span', undefined, 'Span'), el('span', 'wf-colhead-sub', 'service'));
  const colSash = el('div', 'wf-colsash');
  colSash.tabIndex = 0;
  colSash.setAttribute('role', 'separator');
  colSash.setAttribute('aria-label', 'Resize the span name column');
  nameHead.append(colSash);
  const axis = el('div', 'wf-axis');
  axis.append(axisTrack);
  colHead.append(nameHead, axis);
  const grid = el('div', 'wf-grid');
  grid.append(gridTrack);
  const body = el('div', 'wf-body');
  body.append(grid, parts.rows, empty);
  listPane.append(colHead, body);

  const sash = el('div', 'wf-sash');
  sash.tabIndex = 0;
  sash.setAttribute('role', 'separator');
  sash.setAttribute('aria-orientation', 'vertical');
  sash.setAttribute('aria-label', 'Resize the details pane');
  parts.stats.hidden = true;
  main.append(listPane, parts.stats, sash, parts.detail);
  view.append(parts.header, parts.toolbar, main, parts.legend);
  view.hidden = true;
  status.hidden = true;
  root.replaceChildren(status, view);

  let nameSized = false;
  const setNameCol = (px: number, byUser = true): void => {
    nameSized ||= byUser;
    const max = listPane.clientWidth - 160;
    listPane.style.setProperty('--wf-name-col', `${Math.round(Math.max(140, Math.min(max, px)))}px`);
    renderAxis();
  };
  const nameWidth = (): number => nameHead.getBoundingClientRect().width;
  draggable(colSash, (x) => setNameCol(x - listPane.getBoundingClientRect().left), (d) => setNameCol(nameWidth() + d));
  const setDetail = (px: number): void => {
    const max = main.clientWidth - 320;
    main.style.setProperty('--wf-detail-width', `${Math.round(Math.max(220, Math.min(max, px)))}px`);
  };
  draggable(sash, (x) => setDetail(main.getBoundingClientRect().right - x), (d) => setDetail(parts.detail.getBoundingClientRect().width - d));

  const ro = new ResizeObserver(() => {
    const tree = parts.rows;
    listPane.style.setProperty('--wf-scrollbar', `${tree.offsetWidth - tree.clientWidth}px`);
    const width = listPane.clientWidth;
    if (!nameSized && width > 0) setNameCol(Math.max(220, Math.min(460, width * 0.38)), false);
    else renderAxis();
  });
  ro.observe(listPane);
  ro.observe(parts.rows);
  return { status, view, listPane, axisTrack, gridTrack, main, empty };
}
