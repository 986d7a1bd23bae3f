/**
 * Hypotheses, the heart of the notebook: each is written down with the prediction that would falsify it and the
 * test that checks it, before it is tested; evidence for and against accumulates under it; closing one (confirmed,
 * falsified, inconclusive) asks for the verdict. Shown in position order (H1, H2…), as people name them.
 */
import { codicon, el } from '../shared/dom';
import type { Draft } from './api';
import type { FieldSpec, FormSpec } from './forms';
import type { Evidence, Hypothesis } from './logic';
import {
  BEARING_INFO,
  BEARINGS,
  evidenceTally,
  HYPOTHESIS_STATUS_INFO,
  hypothesisLabel,
  infoOf,
  LINK_ICON,
  linkTitle,
  parseProbability,
  parseUtcInput,
  TIME_HINT,
  VERDICT_STATUSES,
} from './logic';
import { badge, emptyNote, iconButton, inlineError, list, markDraft, reconcile, richText, srOnly, textButton, timeEl } from './parts';
import type { RenderContext, Section } from './section';

const fields: readonly FieldSpec[] = [
  { name: 'statement', label: 'Hypothesis', kind: 'textarea', required: true, rows: 2, placeholder: 'We think… (one cause, specific enough to be wrong)' },
  { name: 'prediction', label: 'Wrong if we see', kind: 'textarea', required: true, rows: 2, placeholder: 'What would we observe if this were NOT the cause?', hint: 'Write it before testing: it keeps the test honest.' },
  { name: 'test', label: 'Test', kind: 'textarea', rows: 2, placeholder: 'How we check the prediction: a query, a trace, an experiment' },
  { name: 'probability', label: 'Probability (%)', kind: 'text', size: 'short', inputMode: 'numeric', placeholder: '0–100', hint: 'Your rough guess now; optional.' },
];

/** The failure shape a hypothesis form was started from: symptom and where to look first. */
function shapeAside(ctx: RenderContext, values: Draft, detach: () => void): HTMLElement | undefined {
  const id = values['shape'];
  const shape = id ? ctx.shapes.find((s) => s.id === id) : undefined;
  if (!shape) return undefined;
  const box = el('div', 'nb-shape-aside');
  box.setAttribute('aria-label', `Failure shape: ${shape.name}`);
  box.setAttribute('role', 'note');
  const head = el('div', 'nb-shape-aside-head');
  head.append(codicon('symbol-structure'), el('span', 'nb-shape-aside-name', shape.name));
  head.lastElementChild?.setAttribute('dir', 'auto');
  const drop = iconButton('close', 'Detach the failure shape (keeps the text)', 'shape:detach');
  drop.addEventListener('click', detach);
  head.append(el('span', 'nb-spacer'), drop);
  box.append(head);
  const sym = el('p', 'nb-shape-symptom');
  sym.append(el('span', 'nb-shape-term', 'Symptom: '), richText('span', 'nb-shape-symptom-text', shape.symptom));
  box.append(sym);
  if (shape.lookFirst.length) {
    box.append(el('div', 'nb-shape-term', 'Look first:'));
    const ol = el('ol', 'nb-look-first');
    for (const l of shape.lookFirst) {
      const li = el('li');
      li.append(richText('span', 'nb-look-text', l));
      ol.append(li);
    }
    box.append(ol);
  }
  return box;
}

export function addHypothesisForm(ctx: RenderContext): FormSpec {
  return {
    key: 'hypothesis',
    title: 'Add hypothesis',
    icon: 'lightbulb',
    submitLabel: 'Add hypothesis',
    fields,
    initial: {},
    returnFocus: 'add:hypothesis',
    aside: (values, form) => shapeAside(ctx, values, () => form.unset('shape')),
    build: (v) => {
      const p = parseProbability(v['probability'] ?? '');
      if (!p.ok) return { error: p.error, field: 'probability' };
      const shape = v['shape'] && ctx.shapes.some((s) => s.id === v['shape']) ? v['shape'] : undefined;
      return {
        ops: [
          {
            op: 'addHypothesis',
            statement: (v['statement'] ?? '').trim(),
            prediction: (v['prediction'] ?? '').trim(),
            test: (v['test'] ?? '').trim(),
            ...(p.value !== undefined ? { probability: p.value } : {}),
            ...(shape ? { shape } : {}),
          },
        ],
      };
    },
  };
}

function editHypothesisForm(h: Hypothesis, label: string): FormSpec {
  return {
    key: `edit:${h.id}`,
    title: `Edit ${label}`,
    icon: 'edit',
    submitLabel: 'Save',
    cancelLabel: 'Cancel',
    fields,
    initial: { statement: h.statement, prediction: h.prediction, test: h.test, probability: h.probability === undefined ? '' : String(h.probability) },
    returnFocus: `edit:${h.id}`,
    remove: { label: `Delete ${label}`, op: { op: 'removeHypothesis', id: h.id } },
    build: (v) => {
      const p = parseProbability(v['probability'] ?? '');
      if (!p.ok) return { error: p.error, field: 'probability' };
      const next = { statement: (v['statement'] ?? '').trim(), prediction: (v['prediction'] ?? '').trim(), test: (v['test'] ?? '').trim() };
      const edit = {
        ...(next.statement !== h.statement ? { statement: next.statement } : {}),
        ...(next.prediction !== h.prediction ? { prediction: next.prediction } : {}),
        ...(next.test !== h.test ? { test: next.test } : {}),
        // null clears a probability someone had guessed.
        ...(p.value !== h.probability ? { probability: p.value ?? null } : {}),
      };
      return { ops: Object.keys(edit).length ? [{ op: 'editHypothesis', id: h.id, ...edit }] : [] };
    },
  };
}

function evidenceForm(ctx: RenderContext, h: Hypothesis, label: string): FormSpec {
  return {
    key: `evidence:${h.id}`,
    title: `Add evidence to ${label}`,
    icon: 'references',
    submitLabel: 'Add evidence',
    fields: [
      { name: 'text', label: 'Evidence', kind: 'textarea', required: true, rows: 2, placeholder: 'What the test or a signal showed' },
      { name: 'bearing', label: 'Bearing', kind: 'choice', required: true, options: BEARINGS.map((b) => ({ value: b, label: BEARING_INFO[b].label, icon: BEARING_INFO[b].icon })) },
      { name: 'at', label: 'When (UTC)', kind: 'text', size: 'short', placeholder: 'now', hint: TIME_HINT },
    ],
    initial: {},
    returnFocus: `evidence:${h.id}`,
    build: (v) => {
      const at = parseUtcInput(v['at'] ?? '', ctx.now());
      if (!at.ok) return { error: at.error, field: 'at' };
      const bearing = BEARINGS.find((b) => b === v['bearing']);
      if (!bearing) return { error: 'Does it support or refute the hypothesis, or neither?', field: 'bearing' };
      return { ops: [{ op: 'addEvidence', hypothesis: h.id, text: (v['text'] ?? '').trim(), bearing, ...(at.value ? { at: at.value } : {}) }] };
    },
  };
}

function verdictForm(h: Hypothesis, label: string): FormSpec {
  return {
    key: `verdict:${h.id}`,
    title: `Close ${label} with a verdict`,
    icon: 'law',
    submitLabel: 'Record verdict',
    cancelLabel: 'Cancel',
    fields: [
      { name: 'status', label: 'Verdict', kind: 'choice', required: true, options: VERDICT_STATUSES.map((s) => ({ value: s, label: HYPOTHESIS_STATUS_INFO[s].label, icon: HYPOTHESIS_STATUS_INFO[s].icon })) },
      { name: 'verdict', label: 'Why', kind: 'textarea', required: true, rows: 2, placeholder: 'What the test showed, so the next person can trust (or redo) it' },
    ],
    initial: { verdict: h.verdict ?? '' },
    returnFocus: `verdict:${h.id}`,
    build: (v) => {
      const status = VERDICT_STATUSES.find((s) => s === v['status']);
      if (!status) return { error: 'Pick confirmed, falsified or inconclusive', field: 'status' };
      return { ops: [{ op: 'setHypothesisStatus', id: h.id, status, verdict: (v['verdict'] ?? '').trim() }] };
    },
  };
}

function evidenceItem(ctx: RenderContext, e: Evidence): HTMLLIElement {
  const info = infoOf(BEARING_INFO, e.bearing);
  const li = el('li', `nb-evidence nb-bearing-${info ? e.bearing : 'unknown'}`);
  li.dataset['id'] = e.id;
  const mark = el('span', 'nb-bearing');
  mark.append(codicon(info?.icon ?? 'dash'));
  mark.title = info?.label ?? e.bearing;
  li.append(mark, srOnly(`${info?.label ?? e.bearing}: `));
  const body = el('div', 'nb-evidence-body');
  body.append(richText('span', 'nb-evidence-text', e.text), timeEl(e.at, ctx.refDay, 'nb-time nb-evidence-time'));
  li.append(body);
  if (e.link) {
    const open = iconButton(LINK_ICON[e.link.kind] ?? 'link-external', linkTitle(e.link), `open:${e.id}`);
    open.addEventListener('click', () => ctx.openEntry(e.id));
    li.append(open);
  }
  return li;
}

function probabilityEl(p: number): HTMLElement {
  const wrap = el('span', 'nb-prob');
  wrap.title = `Probability: ${p}% (a rough guess)`;
  const bar = el('span', 'nb-prob-bar');
  const fill = el('span', 'nb-prob-fill');
  // CSSOM, not a style attribute: the CSP allows no inline styles.
  fill.style.width = `${Math.max(0, Math.min(100, p))}%`;
  bar.append(fill);
  bar.setAttribute('aria-hidden', 'true');
  wrap.append(bar, el('span', 'nb-prob-text', `${p}%`));
  return wrap;
}

function hypothesisItem(ctx: RenderContext, h: Hypothesis, index: number): HTMLLIElement {
  const label = hypothesisLabel(index);
  const status = infoOf(HYPOTHESIS_STATUS_INFO, h.status);
  const li = el('li', `nb-item nb-hyp nb-hs-${status ? h.status : 'unknown'}`);
  li.dataset['id'] = h.id;
  li.setAttribute('aria-label', `${label}, ${status?.label ?? h.status}`);

  const head = el('div', 'nb-item-head');
  const meta = el('div', 'nb-item-meta');
  meta.append(el('span', 'nb-hyp-label', label), badge(status?.icon ?? 'question', status?.label ?? h.status, `nb-status nb-hs-badge-${status ? h.status : 'unknown'}`));
  if (h.probability !== undefined) meta.append(probabilityEl(h.probability));
  const shape = h.shape ? ctx.shapes.find((s) => s.id === h.shape) : undefined;
  if (shape) {
    const tag = el('span', 'nb-shape-tag');
    tag.append(codicon('symbol-structure'), el('span', undefined, shape.name));
    tag.title = `Started from the failure shape "${shape.name}"`;
    meta.append(tag);
  }
  const tools = el('span', 'nb-item-tools');
  const edit = iconButton('edit', `Edit ${label}`, `edit:${h.id}`);
  edit.setAttribute('aria-expanded', String(ctx.isOpen(`edit:${h.id}`)));
  edit.addEventListener('click', () => ctx.openForm(`edit:${h.id}`));
  tools.append(edit);
  head.append(meta, tools);
  li.append(head);

  const editForm = ctx.form(editHypothesisForm(h, label));
  if (editForm) li.append(editForm);
  else {
    li.append(richText('p', 'nb-hyp-statement', h.statement));
    const dl = el('dl', 'nb-hyp-fields');
    const row = (term: string, icon: string, value: string, missing: string): void => {
      const dt = el('dt');
      dt.append(codicon(icon), el('span', undefined, term));
      const dd = el('dd');
      if (value.trim()) dd.append(richText('div', 'nb-hyp-value', value));
      else {
        dd.classList.add('nb-missing');
        dd.append(codicon('warning'), el('span', undefined, missing));
      }
      dl.append(dt, dd);
    };
    row('Wrong if', 'circle-slash', h.prediction, 'No falsifying prediction yet: what would you see if this were wrong?');
    row('Test', 'beaker', h.test, 'No test written down yet');
    li.append(dl);
  }

  if (h.verdict && status && h.status !== 'open' && h.status !== 'testing') {
    const v = el('div', 'nb-verdict');
    const vh = el('div', 'nb-verdict-head');
    vh.append(codicon('law'), el('span', undefined, `Verdict: ${status.label.toLowerCase()}`));
    v.append(vh, richText('div', 'nb-verdict-text', h.verdict));
    li.append(v);
  }

  const ev = el('div', 'nb-evidence-block');
  const tally = evidenceTally(h.evidence);
  const evHead = el('div', 'nb-evidence-head');
  evHead.append(el('span', 'nb-evidence-title', h.evidence.length ? `Evidence (${h.evidence.length})` : 'No evidence yet'));
  for (const b of BEARINGS) {
    if (!tally[b]) continue;
    const t = el('span', `nb-tally nb-bearing-${b}`, `${BEARING_INFO[b].sign}${tally[b]}`);
    t.title = `${tally[b]} ${BEARING_INFO[b].label.toLowerCase()}`;
    evHead.append(t);
  }
  ev.append(evHead);
  if (h.evidence.length) {
    const ul = list('nb-evidence-list', `Evidence for ${label}`);
    ul.append(...h.evidence.map((e) => evidenceItem(ctx, e)));
    ev.append(ul);
  }
  li.append(ev);

  const evForm = ctx.form(evidenceForm(ctx, h, label));
  const vForm = ctx.form(verdictForm(h, label));
  const actions = el('div', 'nb-hyp-actions');
  const addEv = textButton('add', 'Evidence', `evidence:${h.id}`, 'flat', `Add evidence for or against ${label}`);
  addEv.setAttribute('aria-expanded', String(!!evForm));
  addEv.addEventListener('click', () => ctx.openForm(`evidence:${h.id}`));
  markDraft(addEv, ctx.hasDraft(`evidence:${h.id}`));
  actions.append(addEv);
  if (h.status === 'open') {
    const testing = textButton('beaker', 'Start testing', `testing:${h.id}`, 'flat', `Mark ${label} as being tested`);
    testing.addEventListener('click', () => ctx.inlineOp(h.id, { op: 'setHypothesisStatus', id: h.id, status: 'testing' }));
    actions.append(testing);
  }
  if (h.status === 'open' || h.status === 'testing' || !status) {
    const close = textButton('law', 'Verdict…', `verdict:${h.id}`, 'flat', `Close ${label}: confirmed, falsified or inconclusive, and why`);
    close.setAttribute('aria-expanded', String(!!vForm));
    close.addEventListener('click', () => ctx.openForm(`verdict:${h.id}`));
    markDraft(close, ctx.hasDraft(`verdict:${h.id}`));
    actions.append(close);
  } else {
    const reopen = textButton('debug-restart', 'Reopen', `reopen:${h.id}`, 'flat', `Reopen ${label}`);
    reopen.addEventListener('click', () => ctx.inlineOp(h.id, { op: 'setHypothesisStatus', id: h.id, status: 'open' }));
    actions.append(reopen);
  }
  li.append(actions);
  const err = ctx.inlineError(h.id);
  if (err) li.append(inlineError(err, () => ctx.dismissError(h.id)));
  if (evForm) li.append(evForm);
  if (vForm) li.append(vForm);
  return li;
}

export function renderHypotheses(ctx: RenderContext, section: Section): void {
  const hs = ctx.incident.hypotheses;
  const open = hs.filter((h) => h.status === 'open' || h.status === 'testing').length;
  section.setCount(hs.length, `${hs.length} hypotheses, ${open} open or testing`);
  const add = iconButton('add', 'Add hypothesis (H)', 'add:hypothesis');
  add.addEventListener('click', () => ctx.openForm('hypothesis'));
  markDraft(add, ctx.hasDraft('hypothesis'));
  section.setTools(add);
  const nodes: HTMLElement[] = [];
  const form = ctx.form(addHypothesisForm(ctx));
  if (form) nodes.push(form);
  if (hs.length) {
    const ul = list('nb-list nb-hyp-list', 'Hypotheses');
    ul.append(...hs.map((h, i) => hypothesisItem(ctx, h, i)));
    nodes.push(ul);
  } else if (!form) {
    nodes.push(emptyNote('No hypothesis yet. Write one down with what would prove it wrong (H), or start from a failure shape.'));
  }
  reconcile(section.body, nodes);
}
