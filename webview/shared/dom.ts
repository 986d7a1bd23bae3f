/**
 * Tiny DOM helpers. Every string from a trace goes through `textContent` (never `innerHTML`), so a span named
 * `<img src=x onerror=...>` shows literally.
 */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A decorative codicon (`codicon-<name>`), hidden from screen readers. */
export function codicon(name: string, extraClass?: string): HTMLSpanElement {
  const span = el('span', `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

/** A `<button>` with an optional codicon and label; `title` doubles as the accessible name for icon buttons. */
export function button(opts: { readonly icon?: string; readonly label?: string; readonly title?: string; readonly className?: string }): HTMLButtonElement {
  const b = el('button', opts.className);
  b.type = 'button';
  if (opts.icon) b.append(codicon(opts.icon));
  if (opts.label) b.append(el('span', 'label', opts.label));
  if (opts.title) {
    b.title = opts.title;
    if (!opts.label) b.setAttribute('aria-label', opts.title);
  }
  return b;
}

/**
 * Makes `handle` a drag handle: `onMove` gets the pointer's client X/Y while dragging. Keyboard users get
 * Left/Right (or Up/Down) steps of 16 px through `onStep`.
 */
export function draggable(handle: HTMLElement, onMove: (x: number, y: number) => void, onStep: (delta: number) => void): void {
  handle.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    handle.classList.add('dragging');
    const move = (ev: PointerEvent): void => onMove(ev.clientX, ev.clientY);
    const up = (): void => {
      handle.classList.remove('dragging');
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  });
  handle.addEventListener('keydown', (e) => {
    const delta = e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -16 : e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 16 : 0;
    if (delta) {
      e.preventDefault();
      e.stopPropagation();
      onStep(delta);
    }
  });
}
