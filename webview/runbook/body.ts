/**
 * The runbook body: the host-rendered HTML put into the page, and the controls added to it (checkbox state, a
 * toolbar on every command block, link tooltips).
 *
 * The HTML comes sanitized from src/core/runbooks/render.ts (no raw HTML, no hrefs, no handlers) and the page's CSP
 * allows no inline script. As a third wall it is parsed into an inert <template> (nothing loads, nothing runs) and
 * swept against the renderer's tag and attribute lists before it enters the document.
 */
import type { RunbookCommand, RunbookLink } from '../../src/shared/protocol/runbook';
import { button, codicon, el } from '../shared/dom';
import { linkTitle, RESTRICTED_NOTE, ranBadge } from './logic';

const TAGS = new Set(['p', 'a', 'span', 'em', 'strong', 's', 'code', 'pre', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'input', 'blockquote', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
const ATTRS = new Set(['class', 'id', 'href', 'title', 'type', 'checked', 'start', 'aria-label', 'data-line', 'data-link', 'data-check', 'data-command', 'data-lang']);

/** Parses `html` inertly and drops every element and attribute the renderer never produces. */
export function safeFragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const node of Array.from(template.content.querySelectorAll('*'))) {
    if (!template.content.contains(node)) continue; // inside an element removed above
    if (!TAGS.has(node.localName) || (node.localName === 'input' && node.getAttribute('type') !== 'checkbox')) {
      node.remove();
      continue;
    }
    for (const a of Array.from(node.attributes)) {
      if (!ATTRS.has(a.name) || (a.name === 'href' && a.value !== '#')) node.removeAttribute(a.name);
    }
  }
  return template.content;
}

/** What a command block's toolbar needs from the app. */
export interface CommandActions {
  copy(id: number): void;
  run(id: number): void;
}

/** The controls of one command block. */
export interface CommandView {
  readonly run: HTMLButtonElement;
  readonly copy: HTMLButtonElement;
  readonly note: HTMLElement;
  readonly badge: HTMLElement;
}

/** Adds "Copy" and "Run in terminal" to every `[data-command]` block the host listed. */
export function addCommandToolbars(body: HTMLElement, commands: readonly RunbookCommand[], actions: CommandActions): Map<number, CommandView> {
  const views = new Map<number, CommandView>();
  for (const block of Array.from(body.querySelectorAll<HTMLElement>('.rb-code[data-command]'))) {
    const id = Number(block.dataset['command']);
    const command = commands[id];
    if (!command || views.has(id)) continue;
    const bar = el('div', 'rb-code-toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', `Command on line ${command.line}`);
    const lang = el('span', 'rb-code-lang', command.lang || 'shell');
    const badge = el('span', 'rb-ran');
    badge.hidden = true;
    badge.setAttribute('role', 'status');
    const copy = button({ icon: 'copy', label: 'Copy', className: 'rb-tool' });
    copy.setAttribute('aria-label', `Copy the command on line ${command.line}`);
    copy.addEventListener('click', () => {
      actions.copy(id);
      flash(copy, 'Copied');
    });
    const run = button({ icon: 'terminal', label: 'Run in terminal', className: 'rb-tool rb-run' });
    run.setAttribute('aria-label', `Run the command on line ${command.line} in a terminal (asks for confirmation)`);
    run.addEventListener('click', () => actions.run(id));
    const note = el('div', 'rb-run-note');
    note.append(codicon('workspace-untrusted'), el('span', undefined, RESTRICTED_NOTE));
    bar.append(lang, badge, el('span', 'rb-spacer'), copy, run);
    block.prepend(bar);
    block.append(note);
    views.set(id, { run, copy, note, badge });
  }
  return views;
}

/** Enables or disables every Run button, with the Restricted Mode note when disabled. */
export function applyTrust(views: ReadonlyMap<number, CommandView>, trusted: boolean): void {
  for (const v of views.values()) {
    v.run.disabled = !trusted;
    v.run.title = trusted ? 'Run in a terminal — you will see the exact command and confirm first' : RESTRICTED_NOTE;
    v.note.hidden = trusted;
  }
}

/** Shows the result badge of a run on its block. */
export function showRan(view: CommandView | undefined, at: number, exitCode: number | undefined): void {
  if (!view) return;
  const b = ranBadge(at, exitCode);
  view.badge.hidden = false;
  view.badge.className = `rb-ran rb-ran-${b.tone}`;
  view.badge.title = b.title;
  view.badge.replaceChildren(codicon(b.tone === 'ok' ? 'pass-filled' : b.tone === 'failed' ? 'error' : 'terminal'), el('span', undefined, b.text));
}

/** Tooltips and an external-link icon on the links the host listed; links it did not list are made inert. */
export function decorateLinks(body: HTMLElement, links: readonly RunbookLink[]): void {
  for (const a of Array.from(body.querySelectorAll<HTMLAnchorElement>('a[data-link]'))) {
    const link = links[Number(a.dataset['link'])];
    if (!link) {
      a.removeAttribute('data-link');
      a.removeAttribute('href');
      continue;
    }
    if (!a.title) a.title = linkTitle(link);
    if (link.kind === 'external') a.append(codicon(link.target.startsWith('mailto:') ? 'mail' : 'link-external', 'rb-link-icon'));
    else if (link.kind === 'command') a.append(codicon('zap', 'rb-link-icon'));
  }
}

/** Sets each checkbox from the ticked set and marks its item done. */
export function applyChecks(body: HTMLElement, checked: ReadonlySet<string>): void {
  for (const box of Array.from(body.querySelectorAll<HTMLInputElement>('input[data-check]'))) {
    box.checked = checked.has(box.dataset['check'] ?? '');
    box.closest('li')?.classList.toggle('rb-done', box.checked);
  }
}

function flash(b: HTMLButtonElement, text: string): void {
  const label = b.querySelector('.label');
  if (!label) return;
  const before = label.textContent;
  label.textContent = text;
  b.classList.add('rb-flash');
  window.setTimeout(() => {
    label.textContent = before;
    b.classList.remove('rb-flash');
  }, 1500);
}
