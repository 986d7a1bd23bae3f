/**
 * The runbook viewer: header, table of contents and the host-rendered body with its controls. Everything the page
 * asks of the host names an ID from the last `show` (a link, a checklist item, a command): never a URL, path or
 * command text. Links never navigate the page; anchors scroll within it.
 */
import type { RunbookHostToWebview, RunbookLink, RunbookTocEntry } from '../../src/shared/protocol/runbook';
import { codicon, el } from '../shared/dom';
import { getState, postMessage, setState } from './api';
import type { CommandView } from './body';
import { addCommandToolbars, applyChecks, applyTrust, decorateLinks, safeFragment, showRan } from './body';
import { ChecklistBar, renderHeader } from './header';
import { currentSection, RESTRICTED_BANNER } from './logic';
import { Toc } from './toc';

type Show = Extract<RunbookHostToWebview, { type: 'show' }>;

/** Below this width the TOC sits above the body (kept in sync with runbook.css). */
const NARROW_PX = 720;

export class RunbookApp {
  private readonly page = el('div', 'rb-page');
  private readonly header = el('header', 'rb-header');
  private readonly trustBanner = el('div', 'rb-trust-banner');
  private readonly checkbar = new ChecklistBar(() => postMessage({ type: 'resetChecks' }));
  private readonly toc = new Toc((slug) => this.goTo(slug));
  private readonly body = el('article', 'rb-body');
  private file = '';
  private links: readonly RunbookLink[] = [];
  private tocEntries: readonly RunbookTocEntry[] = [];
  private headings: HTMLElement[] = [];
  private headingTops: number[] = [];
  private commandViews = new Map<number, CommandView>();
  private checked = new Set<string>();
  private checkCount = 0;
  private incident = '';
  /** The heading last jumped to: it stays current while it is on screen, even if the page cannot scroll it to the top. */
  private pinned: HTMLElement | undefined;
  private frame = 0;
  private saveTimer = 0;

  constructor(private readonly root: HTMLElement) {
    this.trustBanner.setAttribute('role', 'note');
    this.trustBanner.append(codicon('workspace-untrusted'), el('span', undefined, RESTRICTED_BANNER));
    this.trustBanner.hidden = true;
    const top = el('div', 'rb-top');
    top.append(this.header, this.trustBanner, this.checkbar.element);
    const layout = el('div', 'rb-layout');
    this.body.setAttribute('aria-label', 'Runbook');
    layout.append(this.toc.element, this.body);
    this.page.append(top, layout);
    this.page.hidden = true;
    this.root.replaceChildren(this.page);

    this.body.addEventListener('click', (e) => this.onBodyClick(e));
    this.body.addEventListener('change', (e) => this.onBodyChange(e));
    this.page.addEventListener('scroll', () => this.onScroll(), { passive: true });
    new ResizeObserver(() => {
      this.measure();
      this.onScroll();
    }).observe(this.page);
  }

  /** Shows a runbook (or a new render of the same one, keeping the reader's place). */
  show(m: Show): void {
    const sameFile = m.runbook.file === this.file && !this.page.hidden;
    const keepScroll = sameFile ? this.page.scrollTop : getState()?.file === m.runbook.file ? (getState()?.scrollTop ?? 0) : 0;
    this.file = m.runbook.file;
    this.links = m.links;
    this.tocEntries = m.toc;
    this.incident = m.incident;
    this.checkCount = m.checks.length;
    this.checked = new Set(m.checks.filter((c) => c.checked).map((c) => c.id));

    renderHeader(this.header, m.runbook, Date.now());
    this.toc.render(m.toc);
    this.toc.setOpen(false);
    this.body.replaceChildren(safeFragment(m.html));
    decorateLinks(this.body, m.links);
    this.commandViews = addCommandToolbars(this.body, m.commands, {
      copy: (id) => postMessage({ type: 'copyCommand', commandId: id }),
      run: (id) => postMessage({ type: 'runCommand', commandId: id }),
    });
    this.setTrusted(m.trusted);
    this.refreshChecks();
    this.headings = m.toc.map((t) => (t.slug ? this.heading(t.slug) : undefined)).filter((h): h is HTMLElement => h !== undefined);
    this.page.hidden = false;
    this.measure();
    this.page.scrollTop = keepScroll;
    this.onScroll();
    requestAnimationFrame(() =>
      postMessage({ type: 'rendered', file: m.runbook.file, checks: this.body.querySelectorAll('input[data-check]').length, commands: this.commandViews.size, links: this.body.querySelectorAll('a[data-link]').length }),
    );
  }

  /** The ticked set changed on the host (another panel, a reset, another incident). */
  setChecked(checked: readonly string[], incident: string): void {
    this.checked = new Set(checked);
    this.incident = incident;
    this.refreshChecks();
  }

  setTrusted(trusted: boolean): void {
    this.trustBanner.hidden = trusted || this.commandViews.size === 0;
    applyTrust(this.commandViews, trusted);
  }

  showRan(commandId: number, at: number, exitCode: number | undefined): void {
    showRan(this.commandViews.get(commandId), at, exitCode);
  }

  private refreshChecks(): void {
    applyChecks(this.body, this.checked);
    const done = Array.from(this.body.querySelectorAll<HTMLInputElement>('input[data-check]')).filter((b) => b.checked).length;
    this.checkbar.update(this.incident, done, this.checkCount);
  }

  private onBodyChange(e: Event): void {
    const box = e.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset['check']) return;
    const id = box.dataset['check'];
    if (box.checked) this.checked.add(id);
    else this.checked.delete(id);
    this.refreshChecks();
    postMessage({ type: 'toggleCheck', checkId: id, checked: box.checked });
  }

  private onBodyClick(e: MouseEvent): void {
    const target = e.target as Element | null;
    const a = target?.closest('a');
    if (!a) return;
    // No link in the body may navigate the page, whatever it is.
    e.preventDefault();
    const link = this.links[Number(a.getAttribute('data-link'))];
    if (!link || a.getAttribute('data-link') === null) return;
    if (link.kind === 'anchor') this.goTo(link.target);
    else postMessage({ type: 'openLink', linkId: link.id });
  }

  private heading(slug: string): HTMLElement | undefined {
    return Array.from(this.body.querySelectorAll<HTMLElement>('h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]')).find((h) => h.id === slug);
  }

  /** Scrolls to the heading `slug` of this runbook and moves focus there (without a second scroll). */
  private goTo(slug: string): void {
    const h = this.heading(slug) ?? this.heading(slug.toLowerCase());
    if (!h) return;
    h.tabIndex = -1;
    this.pinned = h;
    h.scrollIntoView({ block: 'start' });
    h.focus({ preventScroll: true });
    if (this.page.clientWidth < NARROW_PX) this.toc.setOpen(false);
  }

  private measure(): void {
    const origin = this.page.getBoundingClientRect().top - this.page.scrollTop;
    this.headingTops = this.headings.map((h) => h.getBoundingClientRect().top - origin);
  }

  private onScroll(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const view = this.page.getBoundingClientRect();
      const pin = this.pinned?.getBoundingClientRect();
      if (!pin || pin.bottom < view.top || pin.top > view.bottom) this.pinned = undefined;
      const slug = this.pinned ? this.pinned.id : this.headings[currentSection(this.headingTops, this.page.scrollTop + 48)]?.id;
      this.toc.setCurrent(slug === undefined ? -1 : this.tocEntries.findIndex((t) => t.slug === slug));
      window.clearTimeout(this.saveTimer);
      this.saveTimer = window.setTimeout(() => setState({ file: this.file, scrollTop: Math.round(this.page.scrollTop) }), 150);
    });
  }
}
