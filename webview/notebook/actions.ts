/**
 * Actions, in three groups: mitigation (stop the bleeding), diagnosis (find out why), fix (remove the cause). Each
 * says who does what, since when (UTC), and its status, which a picker changes in place.
 */
import { codicon, el } from '../shared/dom';
import type { FieldSpec, FormSpec } from './forms';
import type { Action, ActionKind } from './logic';
import { ACTION_KIND_INFO, ACTION_KINDS, ACTION_STATUS_INFO, ACTION_STATUSES, infoOf, LINK_ICON, linkTitle, parseUtcInput, TIME_HINT } from './logic';
import { timeFieldValue } from './observations';
import { emptyNote, iconButton, inlineError, list, markDraft, reconcile, richText, timeEl } from './parts';
import type { RenderContext, Section } from './section';

const fields = (timePlaceholder: string): readonly FieldSpec[] => [
  { name: 'kind', label: 'Kind', kind: 'choice', required: true, options: ACTION_KINDS.map((k) => ({ value: k, label: ACTION_KIND_INFO[k].label, icon: ACTION_KIND_INFO[k].icon })) },
  { name: 'what', label: 'What', kind: 'textarea', required: true, rows: 2, placeholder: 'Roll back checkout-api to v2.14.2' },
  { name: 'who', label: 'Who', kind: 'text', half: true, placeholder: 'Name or handle' },
  { name: 'status', label: 'Status', kind: 'select', half: true, options: ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_INFO[s].label })) },
  { name: 'at', label: 'When (UTC)', kind: 'text', size: 'short', placeholder: timePlaceholder, hint: TIME_HINT },
];

const kindOf = (v: string | undefined): ActionKind | undefined => ACTION_KINDS.find((k) => k === v);

export function addActionForm(ctx: RenderContext): FormSpec {
  return {
    key: 'action',
    title: 'Add action',
    icon: 'run-all',
    submitLabel: 'Add action',
    fields: fields('now'),
    initial: { kind: 'mitigation', status: 'planned' },
    returnFocus: 'add:action',
    build: (v) => {
      const kind = kindOf(v['kind']);
      if (!kind) return { error: 'Mitigation, diagnosis or fix?', field: 'kind' };
      const at = parseUtcInput(v['at'] ?? '', ctx.now());
      if (!at.ok) return { error: at.error, field: 'at' };
      const who = (v['who'] ?? '').trim();
      const status = ACTION_STATUSES.find((s) => s === v['status']);
      return { ops: [{ op: 'addAction', kind, what: (v['what'] ?? '').trim(), ...(who ? { who } : {}), ...(status ? { status } : {}), ...(at.value ? { at: at.value } : {}) }] };
    },
  };
}

function editActionForm(ctx: RenderContext, a: Action): FormSpec {
  return {
    key: `edit:${a.id}`,
    title: 'Edit action',
    icon: 'edit',
    submitLabel: 'Save',
    cancelLabel: 'Cancel',
    fields: fields(''),
    initial: { kind: a.kind, what: a.what, who: a.who ?? '', status: a.status, at: timeFieldValue(a.at) },
    returnFocus: `edit:${a.id}`,
    remove: { label: 'Delete action', op: { op: 'removeAction', id: a.id } },
    build: (v) => {
      const kind = kindOf(v['kind']);
      if (!kind) return { error: 'Mitigation, diagnosis or fix?', field: 'kind' };
      const at = (v['at'] ?? '').trim() === timeFieldValue(a.at) ? { ok: true as const, value: undefined } : parseUtcInput(v['at'] ?? '', ctx.now());
      if (!at.ok) return { error: at.error, field: 'at' };
      const what = (v['what'] ?? '').trim();
      const who = (v['who'] ?? '').trim();
      const status = ACTION_STATUSES.find((s) => s === v['status']);
      const edit = {
        ...(kind !== a.kind ? { kind } : {}),
        ...(what !== a.what ? { what } : {}),
        ...(who !== (a.who ?? '') ? { who } : {}),
        ...(status && status !== a.status ? { status } : {}),
        ...(at.value && at.value !== a.at ? { at: at.value } : {}),
      };
      return { ops: Object.keys(edit).length ? [{ op: 'editAction', id: a.id, ...edit }] : [] };
    },
  };
}

function actionItem(ctx: RenderContext, a: Action): HTMLLIElement {
  const st = infoOf(ACTION_STATUS_INFO, a.status);
  const li = el('li', `nb-item nb-action nb-as-${st ? a.status : 'unknown'}`);
  li.dataset['id'] = a.id;
  const head = el('div', 'nb-action-row');
  const icon = el('span', 'nb-action-status-icon');
  icon.append(codicon(st?.icon ?? 'question'));
  icon.title = st?.label ?? a.status;
  head.append(icon);
  const form = ctx.form(editActionForm(ctx, a));
  const main = el('div', 'nb-action-main');
  main.append(richText('div', 'nb-action-what', a.what));
  const meta = el('div', 'nb-action-meta');
  if (a.who) {
    const who = el('span', 'nb-who');
    who.append(codicon('person'));
    const name = el('span', undefined, a.who);
    name.dir = 'auto';
    who.append(name);
    who.title = `Who: ${a.who.slice(0, 200)}`;
    meta.append(who);
  }
  meta.append(timeEl(a.at, ctx.refDay));
  main.append(meta);
  head.append(main);

  const tools = el('span', 'nb-item-tools');
  const select = el('select', 'nb-status-select');
  select.dataset['fk'] = `status:${a.id}`;
  select.setAttribute('aria-label', `Status of action: ${a.what.slice(0, 80)}`);
  for (const s of ACTION_STATUSES) {
    const o = el('option', undefined, ACTION_STATUS_INFO[s].label);
    o.value = s;
    select.append(o);
  }
  if (!st) {
    const o = el('option', undefined, a.status);
    o.value = a.status;
    select.append(o);
  }
  select.value = a.status;
  select.addEventListener('change', () => {
    const status = ACTION_STATUSES.find((s) => s === select.value);
    if (status) ctx.inlineOp(a.id, { op: 'editAction', id: a.id, status });
  });
  tools.append(select);
  if (a.link) {
    const open = iconButton(LINK_ICON[a.link.kind] ?? 'link-external', linkTitle(a.link), `open:${a.id}`);
    open.addEventListener('click', () => ctx.openEntry(a.id));
    tools.append(open);
  }
  const edit = iconButton('edit', 'Edit action', `edit:${a.id}`);
  edit.setAttribute('aria-expanded', String(!!form));
  edit.addEventListener('click', () => ctx.openForm(`edit:${a.id}`));
  tools.append(edit);
  head.append(tools);
  li.append(head);
  const err = ctx.inlineError(a.id);
  if (err) li.append(inlineError(err, () => ctx.dismissError(a.id)));
  if (form) li.append(form);
  return li;
}

export function renderActions(ctx: RenderContext, section: Section): void {
  const all = ctx.incident.actions;
  section.setCount(all.length, `${all.length} actions`);
  const add = iconButton('add', 'Add action (A)', 'add:action');
  add.addEventListener('click', () => ctx.openForm('action'));
  markDraft(add, ctx.hasDraft('action'));
  section.setTools(add);
  const nodes: HTMLElement[] = [];
  const form = ctx.form(addActionForm(ctx));
  if (form) nodes.push(form);
  for (const kind of ACTION_KINDS) {
    const info = ACTION_KIND_INFO[kind];
    const mine = all.filter((a) => a.kind === kind);
    const group = el('div', `nb-group nb-group-${kind}`);
    const h = el('h3', 'nb-group-header');
    const title = el('span', 'nb-group-title');
    title.append(codicon(info.icon), el('span', undefined, info.title), el('span', 'nb-count', String(mine.length)));
    const addHere = iconButton('add', `Add ${info.label.toLowerCase()} action`, `add:action:${kind}`, 'nb-small');
    addHere.addEventListener('click', () => ctx.openForm('action', { kind }));
    h.append(title, el('span', 'nb-group-hint', info.hint), addHere);
    group.append(h);
    if (mine.length) {
      const ul = list('nb-list nb-action-list', `${info.title} actions`);
      ul.append(...mine.map((a) => actionItem(ctx, a)));
      group.append(ul);
    } else group.append(emptyNote(`No ${info.label.toLowerCase()} yet.`));
    nodes.push(group);
  }
  // A hand-edited file may hold an action kind the panel does not know: show it rather than lose it.
  const other = all.filter((a) => !infoOf(ACTION_KIND_INFO, a.kind));
  if (other.length) {
    const ul = list('nb-list nb-action-list', 'Other actions');
    ul.append(...other.map((a) => actionItem(ctx, a)));
    nodes.push(ul);
  }
  reconcile(section.body, nodes);
}
