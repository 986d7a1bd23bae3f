/**
 * Small view pieces the notebook's sections share. Every string of the incident is untrusted (the file is edited by
 * anyone through git): it only ever becomes a text node, a `title` or an `aria-label`, never markup.
 */
import { button, codicon, el } from '../shared/dom';
import { codeSpans, dayOf, fullTime, shortTime } from './logic';

/** Text longer than this is cut with a "Show all" toggle (a pasted log must not fill the panel). */
export const LONG_TEXT = 600;

/**
 * `text` in a `tag` (`dir=auto`, so right-to-left text reads right), with `code` spans for backticks. Long text
 * shows its start and a toggle.
 */
export function richText(tag: 'p' | 'div' | 'span', className: string, text: string): HTMLElement {
  const node = el(tag, className);
  node.dir = 'auto';
  const fill = (t: string): void => {
    node.replaceChildren(...codeSpans(t).map((p) => (p.code ? el('code', 'nb-code', p.text) : document.createTextNode(p.text))));
  };
  if (text.length <= LONG_TEXT) {
    fill(text);
    return node;
  }
  const wrap = el(tag === 'span' ? 'span' : 'div', `${className} nb-long`);
  const more = button({ label: `Show all (${text.length.toLocaleString('en-US')} characters)`, className: 'nb-link-button nb-more' });
  let open = false;
  more.addEventListener('click', () => {
    open = !open;
    fill(open ? text : `${text.slice(0, LONG_TEXT)}…`);
    more.replaceChildren(el('span', 'label', open ? 'Show less' : `Show all (${text.length.toLocaleString('en-US')} characters)`));
    more.setAttribute('aria-expanded', String(open));
  });
  more.setAttribute('aria-expanded', 'false');
  fill(`${text.slice(0, LONG_TEXT)}…`);
  node.className = 'nb-long-text';
  wrap.append(node, more);
  return wrap;
}

/** A `<time>` in UTC (short, the date only when it is not the incident's first day), full time as tooltip. */
export function timeEl(iso: string, refDay: string, className = 'nb-time'): HTMLTimeElement {
  const t = el('time', className, shortTime(iso, refDay));
  if (!dayOf(iso)) {
    // A hand-edited file may hold anything here: show it as written, wrapped, and say it is not a time.
    t.classList.add('nb-time-invalid');
    t.dir = 'auto';
    t.title = 'Not a UTC time';
    return t;
  }
  t.dateTime = iso;
  t.title = fullTime(iso);
  return t;
}

/** An icon-only button (VS Code's toolbar look) with an accessible name and a focus key. */
export function iconButton(icon: string, title: string, fk: string, className = ''): HTMLButtonElement {
  const b = button({ icon, title, className: `nb-icon-button${className ? ` ${className}` : ''}` });
  b.dataset['fk'] = fk;
  return b;
}

/** A button with an icon and a label. `kind`: primary (filled), secondary, or a flat toolbar button. */
export function textButton(icon: string | undefined, label: string, fk: string, kind: 'primary' | 'secondary' | 'flat' = 'secondary', title?: string): HTMLButtonElement {
  const b = button({ ...(icon ? { icon } : {}), label, className: `nb-btn nb-btn-${kind}` });
  if (title) b.title = title;
  b.dataset['fk'] = fk;
  return b;
}

/** Visually hidden text for screen readers. */
export function srOnly(text: string): HTMLSpanElement {
  return el('span', 'nb-sr', text);
}

/** A badge: icon + label in the tone's colour (outlined, so it holds up in high contrast). */
export function badge(icon: string | undefined, label: string, className: string, title?: string): HTMLSpanElement {
  const b = el('span', `nb-badge ${className}`);
  if (icon) b.append(codicon(icon));
  b.append(el('span', undefined, label));
  if (title) b.title = title;
  return b;
}

/** A muted one-line note for an empty list. */
export function emptyNote(text: string): HTMLParagraphElement {
  return el('p', 'nb-empty-note', text);
}

/** An `<ul>` with role list (Safari/VoiceOver drop the role when list-style is none). */
export function list(className: string, label: string): HTMLUListElement {
  const ul = el('ul', className);
  ul.setAttribute('role', 'list');
  ul.setAttribute('aria-label', label);
  return ul;
}

/**
 * Makes `nodes` the children of `parent`, leaving in place those already there: an open form that is kept across
 * renders is never taken out of the page, so typing, the caret and an IME composition survive a `state` from the host.
 */
export function reconcile(parent: Element, nodes: readonly Node[]): void {
  const keep = new Set(nodes);
  for (const c of Array.from(parent.childNodes)) if (!keep.has(c)) c.remove();
  nodes.forEach((n, i) => {
    const at = parent.childNodes[i];
    if (at !== n) parent.insertBefore(n, at ?? null);
  });
}

/** The host's refusal of an op sent from outside a form, with a button to dismiss it. */
export function inlineError(message: string, dismiss: () => void, fk = 'error:dismiss'): HTMLElement {
  const e = el('div', 'nb-inline-error');
  e.setAttribute('role', 'alert');
  const close = iconButton('close', 'Dismiss', fk, 'nb-small');
  close.addEventListener('click', dismiss);
  e.append(codicon('error'), el('span', 'nb-inline-error-text', message), close);
  return e;
}

/** Marks a button whose form is closed but keeps a draft (a dot, and the tooltip says so). */
export function markDraft(b: HTMLButtonElement, has: boolean): HTMLButtonElement {
  if (!has) return b;
  b.classList.add('nb-has-draft');
  b.title = `${b.title} — draft kept`;
  if (b.hasAttribute('aria-label')) b.setAttribute('aria-label', b.title);
  return b;
}
