/**
 * One row of the comparison list as a pooled DOM element (the list is virtualized: a scroll by one row rewrites one
 * element). Every string from a trace is set with `textContent`, never parsed as HTML.
 */
import type { CompareRow } from '../../src/shared/protocol/compare';
import { codicon, el } from '../shared/dom';
import { barGeometry, diffClass, formatDiff, formatDuration, repeatLabel } from './logic';

/** Fixed row height in px; must match `--cmp-row-height` in compare.css. */
export const ROW_HEIGHT = 24;
export const OVERSCAN = 8;

const STATUS_ICON: Record<CompareRow['status'], string> = { added: 'diff-added', missing: 'diff-removed', changed: 'diff-modified', same: '' };
export const STATUS_TEXT: Record<CompareRow['status'], string> = { added: 'only in B', missing: 'only in A', changed: 'changed', same: 'same' };

/** One pooled row element; remembers what it shows so a scroll by one row rewrites one element. */
export class RowView {
  readonly root = el('div', 'cmp-row');
  private readonly twistie = el('span', 'cmp-twistie codicon');
  private readonly icon = el('span', 'cmp-status-icon codicon');
  private readonly name = el('span', 'cmp-op');
  private readonly service = el('span', 'cmp-svc');
  private readonly repeat = el('span', 'cmp-repeat');
  private readonly badge = el('span', 'cmp-badge');
  private readonly durA = el('div', 'cmp-num cmp-a');
  private readonly durB = el('div', 'cmp-num cmp-b');
  private readonly diff = el('div', 'cmp-num cmp-diff');
  private readonly barA = el('div', 'cmp-bar cmp-bar-a');
  private readonly barB = el('div', 'cmp-bar cmp-bar-b');
  row = -1;
  private pos = -1;

  constructor() {
    this.root.setAttribute('role', 'treeitem');
    this.twistie.setAttribute('aria-hidden', 'true');
    this.icon.setAttribute('aria-hidden', 'true');
    const name = el('div', 'cmp-name');
    const text = el('span', 'cmp-text');
    text.append(this.name, this.service);
    name.append(el('span', 'cmp-indent'), this.twistie, this.icon, text, this.repeat, this.badge);
    const bars = el('div', 'cmp-bars');
    bars.setAttribute('aria-hidden', 'true');
    bars.append(this.barA, this.barB);
    this.root.append(name, this.durA, this.durB, this.diff, bars);
  }

  place(pos: number): void {
    if (pos === this.pos) return;
    this.pos = pos;
    this.root.style.transform = `translateY(${pos * ROW_HEIGHT}px)`;
  }

  fill(r: CompareRow, row: number, scaleUs: number): void {
    this.row = row;
    this.root.id = `cmp-row-${row}`;
    this.root.dataset.row = String(row);
    this.root.className = `cmp-row status-${r.status}${r.missingParent ? ' synthetic' : ''}`;
    this.root.setAttribute('aria-level', String(r.depth + 1));
    this.root.style.setProperty('--depth', String(r.depth));
    this.name.textContent = r.name;
    this.service.textContent = r.service;
    this.icon.className = `cmp-status-icon codicon${STATUS_ICON[r.status] ? ` codicon-${STATUS_ICON[r.status]}` : ''}`;
    const rep = repeatLabel(r);
    this.repeat.textContent = rep;
    this.repeat.hidden = rep === '';
    this.repeat.title = r.countA !== r.countB ? `${r.countA} in A, ${r.countB} in B under this parent${r.groupA !== undefined ? ` (together ${formatDuration(r.groupA)} → ${formatDuration(r.groupB ?? 0)})` : ''}` : `${r.ordinal + 1} of ${r.countA}`;
    this.badge.textContent = r.status === 'same' ? '' : STATUS_TEXT[r.status];
    this.badge.hidden = r.status === 'same';
    setDuration(this.durA, r.durA, r.errorA);
    setDuration(this.durB, r.durB, r.errorB);
    this.diff.textContent = formatDiff(r.diffUs);
    this.diff.className = `cmp-num cmp-diff ${diffClass(r)}`;
    setBar(this.barA, r.startA, r.durA, scaleUs);
    setBar(this.barB, r.startB, r.durB, scaleUs);
    const parts = [
      `${r.name}${r.service ? ` — ${r.service}` : ''}`,
      `A ${r.durA === null ? '—' : formatDuration(r.durA)}${r.errorA ? ' (error)' : ''}  ·  B ${r.durB === null ? '—' : formatDuration(r.durB)}${r.errorB ? ' (error)' : ''}  ·  Δ ${formatDiff(r.diffUs)}`,
      ...(r.selfA !== null || r.selfB !== null ? [`self time A ${r.selfA === null ? '—' : formatDuration(r.selfA)}  ·  B ${r.selfB === null ? '—' : formatDuration(r.selfB)}`] : []),
      STATUS_TEXT[r.status],
    ];
    this.root.title = parts.join('\n');
    this.root.setAttribute('aria-label', `${r.name}, ${r.service || 'no service'}, ${STATUS_TEXT[r.status]}, A ${r.durA === null ? 'absent' : formatDuration(r.durA)}, B ${r.durB === null ? 'absent' : formatDuration(r.durB)}, difference ${formatDiff(r.diffUs)}`);
  }

  sync(selected: boolean, expandable: boolean, expanded: boolean, flash: boolean): void {
    this.root.classList.toggle('selected', selected);
    this.root.classList.toggle('flash', flash);
    this.root.setAttribute('aria-selected', String(selected));
    if (expandable) this.root.setAttribute('aria-expanded', String(expanded));
    else this.root.removeAttribute('aria-expanded');
    this.twistie.className = `cmp-twistie codicon${expandable ? (expanded ? ' codicon-chevron-down' : ' codicon-chevron-right') : ''}`;
  }

  detach(): void {
    this.root.remove();
    this.row = -1;
    this.pos = -1;
  }
}

function setDuration(cell: HTMLElement, us: number | null, error: boolean): void {
  cell.replaceChildren();
  if (us === null) {
    cell.append(el('span', 'cmp-absent', '—'));
    return;
  }
  if (error) {
    const icon = codicon('error', 'cmp-err');
    cell.append(icon);
  }
  cell.append(document.createTextNode(formatDuration(us)));
}

function setBar(bar: HTMLElement, start: number | null, dur: number | null, scale: number): void {
  bar.hidden = start === null || dur === null;
  if (start === null || dur === null) return;
  const g = barGeometry(start, dur, scale);
  bar.style.left = `${g.left}%`;
  bar.style.width = `${g.width}%`;
}
