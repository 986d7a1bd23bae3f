/**
 * Observations: what was seen, when (UTC) and where. Newest last, as they were written down; each can be edited in
 * place, and reopened when it links somewhere (a trace, a dashboard).
 */
import { codicon, el } from '../shared/dom';
import type { FormSpec } from './forms';
import type { Observation } from './logic';
import { dayOf, fullTime, LINK_ICON, linkTitle, parseUtcInput, TIME_HINT } from './logic';
import { emptyNote, iconButton, list, markDraft, reconcile, richText, timeEl } from './parts';
import type { RenderContext, Section } from './section';

const textField = { name: 'text', label: 'What did you see?', kind: 'textarea', required: true, rows: 3, placeholder: 'p99 of POST /checkout is 2.4 s, p50 unchanged' } as const;
const sourceField = { name: 'source', label: 'Source', kind: 'text', half: true, placeholder: 'Grafana, a customer ticket, trace 4a2e37d7' } as const;
const atField = { name: 'at', label: 'When (UTC)', kind: 'text', half: true, size: 'short', placeholder: 'now', hint: TIME_HINT } as const;

/** `2026-11-24 03:12:09`: how a model time is shown in a time field. */
export function timeFieldValue(iso: string): string {
  return dayOf(iso) ? fullTime(iso).replace(/ UTC$/, '') : iso;
}

export function addObservationForm(ctx: RenderContext): FormSpec {
  return {
    key: 'observation',
    title: 'Add observation',
    icon: 'eye',
    submitLabel: 'Add observation',
    fields: [textField, sourceField, atField],
    initial: {},
    returnFocus: 'add:observation',
    build: (v) => {
      const at = parseUtcInput(v['at'] ?? '', ctx.now());
      if (!at.ok) return { error: at.error, field: 'at' };
      const source = (v['source'] ?? '').trim();
      return { ops: [{ op: 'addObservation', text: (v['text'] ?? '').trim(), ...(source ? { source } : {}), ...(at.value ? { at: at.value } : {}) }] };
    },
  };
}

function editObservationForm(ctx: RenderContext, o: Observation): FormSpec {
  return {
    key: `edit:${o.id}`,
    title: 'Edit observation',
    icon: 'edit',
    submitLabel: 'Save',
    cancelLabel: 'Cancel',
    fields: [textField, sourceField, { ...atField, placeholder: '' }],
    initial: { text: o.text, source: o.source ?? '', at: timeFieldValue(o.at) },
    returnFocus: `edit:${o.id}`,
    remove: { label: 'Delete observation', op: { op: 'removeObservation', id: o.id } },
    build: (v) => {
      const at = (v['at'] ?? '').trim() === timeFieldValue(o.at) ? { ok: true as const, value: undefined } : parseUtcInput(v['at'] ?? '', ctx.now());
      if (!at.ok) return { error: at.error, field: 'at' };
      const text = (v['text'] ?? '').trim();
      const source = (v['source'] ?? '').trim();
      const edit = {
        ...(text !== o.text ? { text } : {}),
        ...(source !== (o.source ?? '') ? { source } : {}),
        ...(at.value && at.value !== o.at ? { at: at.value } : {}),
      };
      return { ops: Object.keys(edit).length ? [{ op: 'editObservation', id: o.id, ...edit }] : [] };
    },
  };
}

function observationItem(ctx: RenderContext, o: Observation, n: number): HTMLLIElement {
  const li = el('li', 'nb-item nb-obs');
  li.dataset['id'] = o.id;
  const head = el('div', 'nb-item-head');
  const meta = el('div', 'nb-item-meta');
  meta.append(el('span', 'nb-ordinal', `O${n}`), timeEl(o.at, ctx.refDay));
  if (o.source) {
    const src = el('span', 'nb-source');
    src.append(codicon('location'));
    const text = el('span', 'nb-source-text', o.source);
    text.dir = 'auto';
    text.title = o.source.length > 200 ? `${o.source.slice(0, 200)}…` : o.source;
    src.append(text);
    meta.append(src);
  }
  const tools = el('span', 'nb-item-tools');
  if (o.link) {
    const open = iconButton(LINK_ICON[o.link.kind] ?? 'link-external', linkTitle(o.link), `open:${o.id}`);
    open.addEventListener('click', () => ctx.openEntry(o.id));
    tools.append(open);
  }
  const edit = iconButton('edit', `Edit observation O${n}`, `edit:${o.id}`);
  edit.setAttribute('aria-expanded', String(ctx.isOpen(`edit:${o.id}`)));
  edit.addEventListener('click', () => ctx.openForm(`edit:${o.id}`));
  tools.append(edit);
  head.append(meta, tools);
  li.append(head);
  const form = ctx.form(editObservationForm(ctx, o));
  li.append(form ?? richText('div', 'nb-item-text', o.text));
  return li;
}

export function renderObservations(ctx: RenderContext, section: Section): void {
  const obs = ctx.incident.observations;
  section.setCount(obs.length, `${obs.length} observations`);
  const add = iconButton('add', 'Add observation (O)', 'add:observation');
  add.addEventListener('click', () => ctx.openForm('observation'));
  markDraft(add, ctx.hasDraft('observation'));
  section.setTools(add);
  const nodes: HTMLElement[] = [];
  const form = ctx.form(addObservationForm(ctx));
  if (form) nodes.push(form);
  if (obs.length) {
    const ul = list('nb-list', 'Observations');
    ul.append(...obs.map((o, i) => observationItem(ctx, o, i + 1)));
    nodes.push(ul);
  } else if (!form) nodes.push(emptyNote('Nothing observed yet. Write down what you see before what you think: press O.'));
  reconcile(section.body, nodes);
}
