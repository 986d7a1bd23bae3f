/**
 * The UTC timeline. Newest first by default: during an incident the question is "what just happened?", and the
 * note form sits at the top, next to the latest entries, in a panel that may be 250 px high. The order toggles
 * (oldest first reads as the story, as the file and the postmortem keep it) and the choice is remembered. A day
 * line separates entries of different UTC days. Entries that link somewhere have an Open button: the page sends the
 * entry's ID and the host reopens the link it keeps.
 */
import { codicon, el } from '../shared/dom';
import type { FormSpec } from './forms';
import type { TimelineEntry } from './logic';
import { clockOf, dayOf, fullTime, infoOf, LINK_ICON, linkTitle, parseUtcInput, TIME_HINT, TIMELINE_KIND_INFO } from './logic';
import { timeFieldValue } from './observations';
import { emptyNote, iconButton, list, markDraft, reconcile, richText, srOnly } from './parts';
import type { RenderContext, Section } from './section';

export function addNoteForm(ctx: RenderContext): FormSpec {
  return {
    key: 'note',
    title: 'Add note',
    icon: 'comment',
    submitLabel: 'Add note',
    fields: [
      { name: 'text', label: 'Note', kind: 'textarea', required: true, rows: 2, placeholder: 'Paged the payments on-call; status page updated' },
      { name: 'at', label: 'When (UTC)', kind: 'text', size: 'short', placeholder: 'now', hint: TIME_HINT },
    ],
    initial: {},
    returnFocus: 'add:note',
    build: (v) => {
      const at = parseUtcInput(v['at'] ?? '', ctx.now());
      if (!at.ok) return { error: at.error, field: 'at' };
      return { ops: [{ op: 'addTimeline', kind: 'note', text: (v['text'] ?? '').trim(), ...(at.value ? { at: at.value } : {}) }] };
    },
  };
}

function editEntryForm(ctx: RenderContext, t: TimelineEntry): FormSpec {
  return {
    key: `edit:${t.id}`,
    title: 'Edit timeline entry',
    icon: 'edit',
    submitLabel: 'Save',
    cancelLabel: 'Cancel',
    fields: [
      { name: 'text', label: 'Text', kind: 'textarea', required: true, rows: 2 },
      { name: 'at', label: 'When (UTC)', kind: 'text', size: 'short', hint: TIME_HINT },
    ],
    initial: { text: t.text, at: timeFieldValue(t.at) },
    returnFocus: `edit:${t.id}`,
    remove: { label: 'Delete entry', op: { op: 'removeTimeline', id: t.id } },
    build: (v) => {
      const at = (v['at'] ?? '').trim() === timeFieldValue(t.at) ? { ok: true as const, value: undefined } : parseUtcInput(v['at'] ?? '', ctx.now());
      if (!at.ok) return { error: at.error, field: 'at' };
      const text = (v['text'] ?? '').trim();
      const edit = { ...(text !== t.text ? { text } : {}), ...(at.value && at.value !== t.at ? { at: at.value } : {}) };
      return { ops: Object.keys(edit).length ? [{ op: 'editTimeline', id: t.id, ...edit }] : [] };
    },
  };
}

function entryItem(ctx: RenderContext, t: TimelineEntry): HTMLLIElement {
  const kind = infoOf(TIMELINE_KIND_INFO, t.kind);
  const li = el('li', `nb-tl nb-tl-${kind ? t.kind : 'unknown'}`);
  li.dataset['id'] = t.id;
  const time = el('time', 'nb-tl-time', clockOf(t.at));
  if (dayOf(t.at)) {
    time.dateTime = t.at;
    time.title = fullTime(t.at);
  } else {
    time.classList.add('nb-time-invalid');
    time.title = 'Not a UTC time';
  }
  const k = el('span', 'nb-tl-kind');
  k.append(codicon(kind?.icon ?? 'circle-small'));
  k.title = kind?.label ?? t.kind;
  const form = ctx.form(editEntryForm(ctx, t));
  const body = el('div', 'nb-tl-body');
  body.append(srOnly(`${kind?.label ?? t.kind}: `));
  if (form) body.append(form);
  else body.append(richText('span', 'nb-tl-text', t.text));
  const tools = el('span', 'nb-item-tools');
  if (t.link) {
    const open = iconButton(LINK_ICON[t.link.kind] ?? 'link-external', linkTitle(t.link), `open:${t.id}`, 'nb-open');
    open.addEventListener('click', () => ctx.openEntry(t.id));
    tools.append(open);
  }
  const edit = iconButton('edit', 'Edit entry', `edit:${t.id}`);
  edit.setAttribute('aria-expanded', String(!!form));
  edit.addEventListener('click', () => ctx.openForm(`edit:${t.id}`));
  tools.append(edit);
  li.append(time, k, body, tools);
  return li;
}

export function renderTimeline(ctx: RenderContext, section: Section): void {
  const entries = ctx.incident.timeline;
  section.setCount(entries.length, `${entries.length} timeline entries`);
  const order = ctx.timelineOrder();
  const sort = iconButton(order === 'newest' ? 'arrow-up' : 'arrow-down', order === 'newest' ? 'Newest first: show oldest first' : 'Oldest first: show newest first', 'timeline:order');
  sort.addEventListener('click', () => ctx.setTimelineOrder(order === 'newest' ? 'oldest' : 'newest'));
  const add = iconButton('add', 'Add note (N)', 'add:note');
  add.addEventListener('click', () => ctx.openForm('note'));
  markDraft(add, ctx.hasDraft('note'));
  section.setTools(sort, add);

  const nodes: HTMLElement[] = [];
  const form = ctx.form(addNoteForm(ctx));
  if (form) nodes.push(form);
  if (entries.length) {
    const ul = list('nb-timeline', `Timeline, UTC, ${order} first`);
    const ordered = order === 'newest' ? [...entries].reverse() : entries;
    let day = '';
    for (const t of ordered) {
      const d = dayOf(t.at);
      if (d !== day) {
        day = d;
        const sep = el('li', 'nb-tl-day');
        sep.append(codicon('calendar'), el('span', undefined, d ? `${d} UTC` : 'Unknown date'));
        ul.append(sep);
      }
      ul.append(entryItem(ctx, t));
    }
    nodes.push(ul);
  } else if (!form) nodes.push(emptyNote('Nothing on the timeline yet. Add a note with N.'));
  reconcile(section.body, nodes);
}
