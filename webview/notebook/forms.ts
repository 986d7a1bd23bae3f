/**
 * The notebook's forms: add an observation, hypothesis, action, note or evidence, close a hypothesis with a
 * verdict, edit an entry or the incident's details. A form is described by a {@link FormSpec}; a
 * {@link FormController} builds it once and keeps its element across renders (so typing, focus and IME composition
 * survive a `state` from the host), saves every keystroke as a draft, and on submit sends the spec's ops with fresh
 * request IDs and shows the host's refusal next to the form.
 *
 * Keys: Ctrl/Cmd+Enter submits from any field; Escape closes the form and keeps the draft ("Discard" drops it).
 */
import { codicon, el } from '../shared/dom';
import type { Draft } from './api';
import type { Op } from './logic';
import type { OpResult } from './requests';
import { srOnly, textButton } from './parts';

export interface FieldOption {
  readonly value: string;
  readonly label: string;
  readonly icon?: string;
}

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  /** `choice`: a row of radio buttons (a segmented control). */
  readonly kind: 'text' | 'textarea' | 'select' | 'choice';
  readonly required?: boolean;
  readonly placeholder?: string;
  readonly hint?: string;
  readonly options?: readonly FieldOption[];
  readonly rows?: number;
  /** Shares a row with the next half field when the form is wide. */
  readonly half?: boolean;
  readonly inputMode?: 'numeric' | 'text';
  /** Short fields (a time, a percentage) stay narrow. */
  readonly size?: 'short';
}

export type BuildResult = { readonly ops: readonly Op[] } | { readonly error: string; readonly field?: string };

export interface FormSpec {
  readonly key: string;
  /** The form's accessible name and visible title ("Add observation"). */
  readonly title: string;
  readonly icon: string;
  readonly submitLabel: string;
  readonly fields: readonly FieldSpec[];
  /** Values without a draft (an edit form: the entry's current values). */
  readonly initial: Draft;
  /** The ops to send for these values (none: nothing changed, the form just closes), or what is wrong. */
  readonly build: (values: Draft) => BuildResult;
  /** Edit forms: the op that removes the entry (asks for a second click). */
  readonly remove?: { readonly label: string; readonly op: Op };
  /** Shown above the fields, rebuilt when the draft changes through {@link FormController.seed}. */
  readonly aside?: (values: Draft, form: FormController) => HTMLElement | undefined;
  /** The focus key of the element to focus once the form has closed. */
  readonly returnFocus?: string;
  /** The secondary button: `Discard` (add forms) or `Cancel` (edit forms). */
  readonly cancelLabel?: string;
}

export interface FormHost {
  saveDraft(key: string, values: Draft): void;
  /**
   * The form is done (saved or discarded): drop its draft and controller, re-render, focus `returnFocus`. `saved`:
   * what to announce; `added`: the ID of the entry the op added (shown once it arrives).
   */
  closed(key: string, opts: { readonly keepDraft: boolean; readonly returnFocus?: string; readonly saved?: string; readonly added?: string }): void;
  send(op: Op): Promise<OpResult>;
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

let uid = 0;

export class FormController {
  readonly element = el('form', 'nb-form');
  private readonly controls = new Map<string, Control | HTMLInputElement[]>();
  private readonly fieldErrors = new Map<string, HTMLElement>();
  private readonly errorBox = el('div', 'nb-form-error');
  private readonly errorText = el('span', 'nb-form-error-text');
  private readonly asideBox = el('div', 'nb-form-aside');
  private readonly submitButton: HTMLButtonElement;
  private readonly removeButton: HTMLButtonElement | undefined;
  private values: Draft;
  private busy = false;
  private armedRemove = 0;

  constructor(
    public spec: FormSpec,
    draft: Draft | undefined,
    private readonly host: FormHost,
  ) {
    this.values = { ...spec.initial, ...(draft ?? {}) };
    const f = this.element;
    f.noValidate = true;
    f.dataset['form'] = spec.key;
    f.setAttribute('aria-label', spec.title);
    const title = el('div', 'nb-form-title');
    title.append(codicon(spec.icon), el('span', undefined, spec.title));
    title.setAttribute('aria-hidden', 'true');

    const grid = el('div', 'nb-form-grid');
    for (const field of spec.fields) grid.append(this.field(field));

    this.errorBox.setAttribute('role', 'alert');
    this.errorBox.append(codicon('error'), this.errorText);
    this.errorBox.hidden = true;

    const actions = el('div', 'nb-form-actions');
    this.submitButton = textButton(undefined, spec.submitLabel, `form:${spec.key}:submit`, 'primary');
    this.submitButton.type = 'submit';
    const cancel = textButton(undefined, spec.cancelLabel ?? 'Discard', `form:${spec.key}:cancel`, 'secondary', spec.cancelLabel === 'Cancel' ? 'Close without saving' : 'Close the form and drop what was typed');
    cancel.addEventListener('click', () => this.host.closed(spec.key, { keepDraft: false, ...(spec.returnFocus ? { returnFocus: spec.returnFocus } : {}) }));
    actions.append(this.submitButton, cancel);
    if (spec.remove) {
      const remove = spec.remove;
      this.removeButton = textButton('trash', remove.label, `form:${spec.key}:remove`, 'flat');
      this.removeButton.classList.add('nb-btn-danger');
      this.removeButton.addEventListener('click', () => void this.onRemove(remove));
      actions.append(this.removeButton);
    }
    const keys = el('span', 'nb-form-keys');
    keys.append(el('kbd', undefined, 'Ctrl+Enter'), document.createTextNode(' save · '), el('kbd', undefined, 'Esc'), document.createTextNode(' close'));
    keys.setAttribute('aria-hidden', 'true');
    actions.append(el('span', 'nb-spacer'), keys);

    f.append(title, this.asideBox, grid, this.errorBox, actions);
    this.refreshAside();

    f.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    f.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        e.stopPropagation();
        void this.submit();
      } else if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        e.stopPropagation();
        this.host.closed(spec.key, { keepDraft: true, ...(spec.returnFocus ? { returnFocus: spec.returnFocus } : {}) });
      }
    });
    f.addEventListener('input', (e) => this.onInput(e));
    f.addEventListener('change', (e) => this.onInput(e));
  }

  get key(): string {
    return this.spec.key;
  }

  /** The current values (draft), including values without a field (the shape a hypothesis started from). */
  get draft(): Draft {
    return { ...this.values };
  }

  /** Replaces some values (a failure shape picked while the form is open) and saves the draft. */
  seed(values: Draft): void {
    this.values = { ...this.values, ...values };
    for (const [name, v] of Object.entries(values)) this.setControl(name, v);
    this.refreshAside();
    this.host.saveDraft(this.spec.key, this.values);
  }

  /** Drops one value without a field (e.g. detaching the shape). */
  unset(name: string): void {
    const next = { ...this.values };
    delete next[name];
    this.values = next;
    this.refreshAside();
    this.host.saveDraft(this.spec.key, this.values);
  }

  /** Focuses the first field (or the first empty required one). */
  focusFirst(): void {
    const first = this.spec.fields.find((f) => f.required && !(this.values[f.name] ?? '').trim()) ?? this.spec.fields[0];
    const c = first ? this.controls.get(first.name) : undefined;
    const target = Array.isArray(c) ? (c.find((r) => r.checked) ?? c[0]) : c;
    target?.focus();
  }

  showError(message: string): void {
    this.errorText.textContent = message;
    this.errorBox.hidden = false;
  }

  private clearErrors(): void {
    this.errorBox.hidden = true;
    this.errorText.textContent = '';
    for (const [name, box] of this.fieldErrors) {
      box.textContent = '';
      box.hidden = true;
      const c = this.controls.get(name);
      for (const x of Array.isArray(c) ? c : c ? [c] : []) x.removeAttribute('aria-invalid');
    }
  }

  private fieldError(name: string, message: string): void {
    const box = this.fieldErrors.get(name);
    const c = this.controls.get(name);
    if (!box || !c) return this.showError(message);
    box.textContent = message;
    box.hidden = false;
    const all = Array.isArray(c) ? c : [c];
    for (const x of all) x.setAttribute('aria-invalid', 'true');
    all[0]?.focus();
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    this.clearErrors();
    for (const f of this.spec.fields) {
      if (f.required && !(this.values[f.name] ?? '').trim()) return this.fieldError(f.name, `${f.label.replace(/\s*\(.*\)$/, '')} is needed`);
    }
    const built = this.spec.build({ ...this.values });
    if ('error' in built) return built.field ? this.fieldError(built.field, built.error) : this.showError(built.error);
    if (built.ops.length === 0) return this.host.closed(this.spec.key, { keepDraft: false, ...(this.spec.returnFocus ? { returnFocus: this.spec.returnFocus } : {}) });
    const result = await this.sendAll(built.ops);
    if (result.ok) {
      this.host.closed(this.spec.key, {
        keepDraft: false,
        saved: `${this.spec.title}: saved`,
        ...(this.spec.returnFocus ? { returnFocus: this.spec.returnFocus } : {}),
        ...(result.id ? { added: result.id } : {}),
      });
    } else this.showError(result.error ?? 'The change was refused.');
  }

  /** Sends the ops one after the other (a details form sets several fields), stopping at the first refusal. */
  private async sendAll(ops: readonly Op[]): Promise<OpResult> {
    this.setBusy(true);
    try {
      let last: OpResult = { ok: true };
      for (const op of ops) {
        last = await this.host.send(op);
        if (!last.ok) return last;
      }
      return last;
    } finally {
      this.setBusy(false);
    }
  }

  private async onRemove(remove: { readonly label: string; readonly op: Op }): Promise<void> {
    const b = this.removeButton;
    if (!b || this.busy) return;
    if (!this.armedRemove) {
      // A second click within a few seconds confirms: webviews cannot show a modal dialog.
      b.classList.add('nb-armed');
      b.replaceChildren(codicon('trash'), el('span', 'label', 'Click again to delete'));
      this.armedRemove = window.setTimeout(() => this.disarm(remove.label), 4000);
      return;
    }
    this.disarm(remove.label);
    this.clearErrors();
    const r = await this.sendAll([remove.op]);
    if (r.ok) this.host.closed(this.spec.key, { keepDraft: false, saved: `${remove.label}: done` });
    else this.showError(r.error ?? 'The change was refused.');
  }

  private disarm(label: string): void {
    window.clearTimeout(this.armedRemove);
    this.armedRemove = 0;
    if (!this.removeButton) return;
    this.removeButton.classList.remove('nb-armed');
    this.removeButton.replaceChildren(codicon('trash'), el('span', 'label', label));
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.element.setAttribute('aria-busy', String(busy));
    this.element.classList.toggle('nb-busy', busy);
    this.submitButton.disabled = busy;
    const label = this.submitButton.querySelector('.label');
    if (label) label.textContent = busy ? 'Saving…' : this.spec.submitLabel;
  }

  private onInput(e: Event): void {
    const t = e.target;
    if (!(t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) || !t.name) return;
    if (t instanceof HTMLInputElement && t.type === 'radio' && !t.checked) return;
    if (this.values[t.name] === t.value) return;
    this.values = { ...this.values, [t.name]: t.value };
    const box = this.fieldErrors.get(t.name);
    if (box && !box.hidden) {
      box.hidden = true;
      t.removeAttribute('aria-invalid');
    }
    this.host.saveDraft(this.spec.key, this.values);
    if (t instanceof HTMLInputElement && t.type === 'radio') this.refreshAside();
  }

  private refreshAside(): void {
    const a = this.spec.aside?.(this.values, this);
    this.asideBox.replaceChildren(...(a ? [a] : []));
    this.asideBox.hidden = !a;
  }

  private setControl(name: string, value: string): void {
    const c = this.controls.get(name);
    if (!c) return;
    if (Array.isArray(c)) for (const r of c) r.checked = r.value === value;
    else c.value = value;
  }

  private field(f: FieldSpec): HTMLElement {
    const id = `nbf-${++uid}`;
    const value = this.values[f.name] ?? '';
    const error = el('span', 'nb-field-error');
    error.id = `${id}-error`;
    error.hidden = true;
    this.fieldErrors.set(f.name, error);
    const hint = f.hint ? el('span', 'nb-hint', f.hint) : undefined;
    if (hint) hint.id = `${id}-hint`;
    const describedBy = [hint ? hint.id : '', error.id].filter(Boolean).join(' ');
    const cls = `nb-field nb-field-${f.kind}${f.half ? ' nb-half' : ''}${f.size === 'short' ? ' nb-short' : ''}`;
    const fk = `form:${this.spec.key}:${f.name}`;
    const labelText = (): HTMLElement => {
      const l = el('span', 'nb-label', f.label);
      if (f.required) {
        const star = el('span', 'nb-required', ' *');
        star.setAttribute('aria-hidden', 'true');
        l.append(star, srOnly(' (required)'));
      }
      return l;
    };

    if (f.kind === 'choice') {
      const set = el('fieldset', cls);
      const legend = el('legend', 'nb-label-legend');
      legend.append(labelText());
      set.append(legend);
      const row = el('div', 'nb-choice');
      row.setAttribute('role', 'radiogroup');
      row.setAttribute('aria-label', f.label);
      if (f.required) row.setAttribute('aria-required', 'true');
      const radios: HTMLInputElement[] = [];
      for (const o of f.options ?? []) {
        const lab = el('label', `nb-choice-option nb-choice-${o.value}`);
        const r = el('input');
        r.type = 'radio';
        r.name = f.name;
        r.value = o.value;
        r.checked = o.value === value;
        r.dataset['fk'] = `${fk}:${o.value}`;
        r.setAttribute('aria-describedby', describedBy);
        radios.push(r);
        lab.append(r);
        if (o.icon) lab.append(codicon(o.icon));
        lab.append(el('span', undefined, o.label));
        row.append(lab);
      }
      this.controls.set(f.name, radios);
      set.append(row);
      if (hint) set.append(hint);
      set.append(error);
      return set;
    }

    const wrap = el('div', cls);
    const label = el('label');
    label.htmlFor = id;
    label.append(labelText());
    let control: Control;
    if (f.kind === 'textarea') {
      const t = el('textarea');
      t.rows = f.rows ?? 2;
      control = t;
    } else if (f.kind === 'select') {
      const s = el('select');
      for (const o of f.options ?? []) {
        const opt = el('option', undefined, o.label);
        opt.value = o.value;
        s.append(opt);
      }
      control = s;
    } else {
      const i = el('input');
      i.type = 'text';
      i.autocomplete = 'off';
      if (f.inputMode) i.inputMode = f.inputMode;
      control = i;
    }
    control.id = id;
    control.name = f.name;
    control.value = value;
    control.dataset['fk'] = fk;
    control.setAttribute('aria-describedby', describedBy);
    if (f.required) control.setAttribute('aria-required', 'true');
    if (f.placeholder && !(control instanceof HTMLSelectElement)) control.placeholder = f.placeholder;
    if (!(control instanceof HTMLSelectElement)) control.spellcheck = f.kind === 'textarea';
    this.controls.set(f.name, control);
    wrap.append(label, control);
    if (hint) wrap.append(hint);
    wrap.append(error);
    return wrap;
  }
}

/**
 * The open forms. Which forms are open, and their drafts, live in the view state (so an open form survives a
 * reload); a form's controller is created on the first render that shows it and kept until it closes.
 */
export class Forms {
  private readonly controllers = new Map<string, FormController>();
  private used = new Set<string>();

  constructor(
    private readonly store: { draft(key: string): Draft | undefined; isOpen(key: string): boolean },
    private readonly host: FormHost,
  ) {}

  isOpen(key: string): boolean {
    return this.store.isOpen(key);
  }

  /** The form element of `spec` when it is open (the same element across renders), else undefined. */
  element(spec: FormSpec): HTMLFormElement | undefined {
    if (!this.isOpen(spec.key)) {
      this.controllers.delete(spec.key);
      return undefined;
    }
    this.used.add(spec.key);
    let c = this.controllers.get(spec.key);
    if (c) c.spec = spec;
    else {
      c = new FormController(spec, this.store.draft(spec.key), this.host);
      this.controllers.set(spec.key, c);
    }
    return c.element;
  }

  controller(key: string): FormController | undefined {
    return this.controllers.get(key);
  }

  /** Call before a render; {@link endRender} then drops the controllers the render did not show. */
  beginRender(): void {
    this.used = new Set();
  }

  endRender(): void {
    for (const key of [...this.controllers.keys()]) if (!this.used.has(key)) this.controllers.delete(key);
  }

  /** Forgets every controller (another incident: its forms are other forms). */
  reset(): void {
    this.controllers.clear();
  }
}
