/**
 * One popup at a time, anchored under a button: a menu (the incident switcher: arrow keys, Home/End, Enter) or a
 * small dialog (the keyboard shortcuts). Escape, a click outside or Tab away closes it; focus goes back to the
 * button that opened it.
 */
import { codicon, el } from '../shared/dom';

export interface MenuItem {
  readonly label: string;
  readonly detail?: string;
  readonly icon?: string;
  /** Separates this item from the ones above. */
  readonly separated?: boolean;
  readonly run: () => void;
}

export class Popup {
  readonly element = el('div', 'nb-popup');
  private anchor: HTMLElement | undefined;

  constructor() {
    this.element.hidden = true;
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('focusout', (e) => {
      const to = e.relatedTarget;
      if (to instanceof Node && (this.element.contains(to) || to === this.anchor)) return;
      // Focus left for somewhere else on the page (Tab, a click): close without stealing it back.
      if (to instanceof Node) this.close(false);
    });
    document.addEventListener('pointerdown', (e) => {
      if (this.element.hidden) return;
      const t = e.target;
      if (t instanceof Node && (this.element.contains(t) || this.anchor?.contains(t))) return;
      this.close(false);
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Opens the menu `items` under `anchor` (toggles when it is already open there). */
  menu(anchor: HTMLElement, label: string, items: readonly MenuItem[]): void {
    if (this.toggledOff(anchor)) return;
    const box = el('div', 'nb-menu');
    box.setAttribute('role', 'menu');
    box.setAttribute('aria-label', label);
    for (const item of items) {
      if (item.separated) {
        const sep = el('div', 'nb-menu-sep');
        sep.setAttribute('role', 'separator');
        box.append(sep);
      }
      const b = el('button', 'nb-menu-item');
      b.type = 'button';
      b.tabIndex = -1;
      b.setAttribute('role', 'menuitem');
      b.append(codicon(item.icon ?? 'blank'));
      const text = el('span', 'nb-menu-text');
      const l = el('span', 'nb-menu-label', item.label);
      l.dir = 'auto';
      text.append(l);
      if (item.detail) {
        const d = el('span', 'nb-menu-detail', item.detail);
        d.dir = 'auto';
        text.append(d);
      }
      b.append(text);
      b.addEventListener('click', () => {
        this.close(true);
        item.run();
      });
      box.append(b);
    }
    this.show(anchor, box);
    this.items()[0]?.focus();
  }

  /** Opens a small dialog with `content` under `anchor`. */
  dialog(anchor: HTMLElement, label: string, content: HTMLElement): void {
    if (this.toggledOff(anchor)) return;
    const box = el('div', 'nb-dialog');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', label);
    const head = el('div', 'nb-dialog-head');
    const close = el('button', 'nb-icon-button');
    close.type = 'button';
    close.title = 'Close (Esc)';
    close.setAttribute('aria-label', 'Close');
    close.append(codicon('close'));
    close.addEventListener('click', () => this.close(true));
    head.append(el('span', 'nb-dialog-title', label), close);
    box.append(head, content);
    this.show(anchor, box);
    close.focus();
  }

  close(returnFocus: boolean): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.element.replaceChildren();
    this.anchor?.setAttribute('aria-expanded', 'false');
    if (returnFocus) this.anchor?.focus();
    this.anchor = undefined;
  }

  private toggledOff(anchor: HTMLElement): boolean {
    if (this.isOpen && this.anchor === anchor) {
      this.close(true);
      return true;
    }
    this.close(false);
    return false;
  }

  private show(anchor: HTMLElement, box: HTMLElement): void {
    this.anchor = anchor;
    anchor.setAttribute('aria-expanded', 'true');
    this.element.replaceChildren(box);
    this.element.hidden = false;
    // Under the anchor, kept inside the viewport (CSSOM positions: the CSP allows no style attributes).
    const r = anchor.getBoundingClientRect();
    const w = Math.min(this.element.offsetWidth, window.innerWidth - 8);
    const left = Math.max(4, Math.min(r.right - w, window.innerWidth - w - 4));
    const below = window.innerHeight - r.bottom - 8;
    const above = r.top - 8;
    const h = this.element.offsetHeight;
    const top = h <= below || below >= above ? r.bottom + 2 : Math.max(4, r.top - 2 - Math.min(h, above));
    this.element.style.left = `${Math.round(left)}px`;
    this.element.style.top = `${Math.round(top)}px`;
    this.element.style.maxHeight = `${Math.max(80, Math.round(h <= below || below >= above ? below : above))}px`;
  }

  private items(): HTMLButtonElement[] {
    return Array.from(this.element.querySelectorAll<HTMLButtonElement>('[role="menuitem"]'));
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close(true);
      return;
    }
    const items = this.items();
    if (!items.length) return;
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    let next = -1;
    if (e.key === 'ArrowDown') next = (i + 1) % items.length;
    else if (e.key === 'ArrowUp') next = (i - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'Tab') {
      // Back on the button first, so Tab goes on from there.
      this.close(true);
      return;
    }
    if (next >= 0) {
      e.preventDefault();
      items[next]?.focus();
    }
  }
}
