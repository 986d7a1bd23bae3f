/**
 * The table of contents: sticky on the left of wide pages, a collapsible block above the body on narrow ones. The
 * entry of the section in view is highlighted (`aria-current`).
 */
import type { RunbookTocEntry } from '../../src/shared/protocol/runbook';
import { codicon, el } from '../shared/dom';

export class Toc {
  readonly element = el('nav', 'rb-toc');
  private readonly toggle = el('button', 'rb-toc-toggle');
  private readonly list = el('ol', 'rb-toc-list');
  private links: HTMLAnchorElement[] = [];
  private current = -1;

  constructor(private readonly onGo: (slug: string) => void) {
    this.element.setAttribute('aria-label', 'Contents');
    this.toggle.type = 'button';
    this.toggle.setAttribute('aria-expanded', 'false');
    this.toggle.append(codicon('list-tree'), el('span', 'label', 'Contents'), codicon('chevron-down', 'rb-toc-chevron'));
    this.toggle.addEventListener('click', () => this.setOpen(!this.element.classList.contains('rb-toc-open')));
    const title = el('div', 'rb-toc-title', 'Contents');
    title.setAttribute('aria-hidden', 'true');
    this.element.append(this.toggle, title, this.list);
    this.list.addEventListener('click', (e) => {
      const a = (e.target as Element | null)?.closest<HTMLAnchorElement>('a[data-slug]');
      if (!a) return;
      e.preventDefault();
      this.onGo(a.dataset['slug'] ?? '');
    });
  }

  /** Shows `entries`, indented relative to the shallowest level. */
  render(entries: readonly RunbookTocEntry[]): void {
    const base = Math.min(...entries.map((e) => e.level), 6);
    this.links = entries.map((e) => {
      const a = el('a', `rb-toc-link rb-toc-depth-${Math.min(e.level - base, 4)}`, e.title || '(untitled)');
      a.href = '#';
      a.dataset['slug'] = e.slug;
      a.title = e.title;
      return a;
    });
    this.list.replaceChildren(
      ...this.links.map((a) => {
        const li = el('li');
        li.append(a);
        return li;
      }),
    );
    this.element.hidden = entries.length < 2;
    this.current = -1;
  }

  /** Marks entry `i` as the section in view (and keeps it visible in a scrolling TOC). */
  setCurrent(i: number): void {
    if (i === this.current) return;
    this.links[this.current]?.removeAttribute('aria-current');
    this.current = i;
    const a = this.links[i];
    if (!a) return;
    a.setAttribute('aria-current', 'location');
    const box = this.list.getBoundingClientRect();
    const r = a.getBoundingClientRect();
    if (r.top < box.top || r.bottom > box.bottom) a.scrollIntoView({ block: 'nearest' });
  }

  /** Narrow layout: the list opens and closes under the toggle. */
  setOpen(open: boolean): void {
    this.element.classList.toggle('rb-toc-open', open);
    this.toggle.setAttribute('aria-expanded', String(open));
  }
}
