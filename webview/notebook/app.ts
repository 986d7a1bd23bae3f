/**
 * The hypothesis notebook page. It shows the `state` the host sends (the incident file is the single source of truth
 * and lives in the host) and asks for every change as an op; it never edits the incident itself. What is its own:
 * drafts, open forms, collapsed sections, scroll, the timeline's order (all in `vscode.setState`, see store.ts).
 *
 * Layout follows the panel's width: one column (sidebar, ~300 px; the page scrolls), two, or three (a bottom panel,
 * ~1200 × 250 px; the header stays and each column scrolls on its own).
 */
import { el } from '../shared/dom';
import { parseViewState, postMessage } from './api';
import { renderActions } from './actions';
import { renderEmpty } from './empty';
import type { FormHost } from './forms';
import { Forms } from './forms';
import { detailsFormSpec, Header } from './header';
import { renderHypotheses } from './hypotheses';
import type { Draft } from './api';
import type { FailureShape, FocusForm, Incident, NotebookMessage, Op, Phase, StateMessage } from './logic';
import { dayOf, HostClock, SHORTCUTS } from './logic';
import { renderObservations } from './observations';
import { Popup } from './popup';
import { Requests } from './requests';
import type { RenderContext, SectionId } from './section';
import { Section } from './section';
import { ShapesView } from './shapes';
import { ViewStore } from './store';
import { renderTimeline } from './timeline';
import { Banners } from './banners';

/** Sections per column, for 1, 2 and 3 columns. */
const LAYOUTS: Readonly<Record<number, readonly (readonly SectionId[])[]>> = {
  1: [['observations', 'hypotheses', 'shapes', 'actions', 'timeline']],
  2: [
    ['hypotheses', 'shapes'],
    ['observations', 'actions', 'timeline'],
  ],
  3: [['hypotheses', 'shapes'], ['observations', 'actions'], ['timeline']],
};

/** Column count for a panel width (kept in step with notebook.css). */
export function columnsFor(width: number): 1 | 2 | 3 {
  return width >= 1100 ? 3 : width >= 660 ? 2 : 1;
}

const ADD_FORMS: Readonly<Record<FocusForm, SectionId>> = { observation: 'observations', hypothesis: 'hypotheses', action: 'actions', note: 'timeline' };

interface FocusMemo {
  readonly el: HTMLElement;
  readonly fk: string | undefined;
  readonly selection?: readonly [number, number];
}

export class NotebookApp {
  private readonly ui = new ViewStore();
  private readonly clock = new HostClock();
  private readonly popup = new Popup();
  private readonly requests = new Requests(
    () => this.ui.nextRequestId(),
    (requestId, op) => postMessage({ type: 'op', requestId, op }),
  );
  private readonly forms: Forms;
  private readonly page = el('div', 'nb-page');
  private readonly banners = new Banners(() => postMessage({ type: 'command', command: 'showConflict' }));
  private readonly emptyBox = el('div', 'nb-empty-wrap');
  private readonly main = el('main', 'nb-main');
  private readonly header: Header;
  private readonly body = el('div', 'nb-body');
  private readonly columns = [el('div', 'nb-col'), el('div', 'nb-col'), el('div', 'nb-col')];
  private readonly sections: Readonly<Record<SectionId, Section>>;
  private readonly shapesView: ShapesView;
  private readonly live = el('div', 'nb-sr');
  private state: StateMessage | undefined;
  private incidentId: string | undefined;
  private columnCount = 0;
  private readonly inlineErrors = new Map<string, string>();
  private firstPaint = true;
  /** An entry just added: scrolled into view and flashed once a render shows it (the state may come after `applied`). */
  private reveal: { readonly id: string; renders: number } | undefined;
  /** A `focus` that came before the first state. */
  private pendingFocus: FocusForm | undefined;
  private scrollTimer = 0;

  constructor(private readonly root: HTMLElement) {
    const host: FormHost = {
      saveDraft: (key, values) => this.ui.setDraft(key, values),
      closed: (key, opts) => {
        if (opts.saved) this.announce(opts.saved);
        if (opts.added) this.reveal = { id: opts.added, renders: 0 };
        this.closeForm(key, opts.keepDraft, opts.returnFocus);
      },
      send: (op) => this.requests.send(op),
    };
    this.forms = new Forms(this.ui, host);
    this.header = new Header({
      command: (command) => postMessage({ type: 'command', command }),
      phase: (phase: Phase) => this.inlineOp('phase', { op: 'setMeta', field: 'phase', value: phase }),
      editDetails: () => (this.forms.isOpen('meta') ? this.closeForm('meta', true, 'header:details') : this.openForm('meta')),
      switchMenu: (anchor) => this.switchMenu(anchor),
      shortcuts: (anchor) => this.shortcuts(anchor),
      dismissPhaseError: () => this.dismissError('phase'),
    });
    const section = (id: SectionId, title: string, icon: string): Section =>
      new Section(id, title, icon, (collapsed) => {
        this.ui.setCollapsed(id, collapsed);
        this.sections[id].setCollapsed(collapsed);
      });
    this.sections = {
      observations: section('observations', 'Observations', 'eye'),
      hypotheses: section('hypotheses', 'Hypotheses', 'lightbulb'),
      shapes: section('shapes', 'Failure shapes', 'symbol-structure'),
      actions: section('actions', 'Actions', 'run-all'),
      timeline: section('timeline', 'Timeline (UTC)', 'history'),
    };
    this.shapesView = new ShapesView(
      (q) => this.ui.setShapeFilter(q),
      (shape) => this.pickShape(shape),
    );
    this.live.setAttribute('role', 'status');
    this.live.setAttribute('aria-live', 'polite');
    this.main.hidden = true;
    this.emptyBox.hidden = true;
    this.main.append(this.header.element, this.body);
    this.page.append(this.banners.element, this.emptyBox, this.main, this.popup.element, this.live);
    this.root.replaceChildren(this.page);

    document.addEventListener('keydown', (e) => this.onKey(e));
    document.addEventListener('focusin', (e) => {
      const t = e.target;
      if (t instanceof HTMLElement && t.dataset['fk']) this.ui.setFocus(t.dataset['fk']);
    });
    this.page.addEventListener('scroll', () => this.onScroll(), { capture: true, passive: true });
    new ResizeObserver(() => this.layout()).observe(this.page);
    window.setInterval(() => {
      if (this.state?.incident) this.header.tick(this.clock.now());
    }, 1000);
  }

  handle(m: NotebookMessage): void {
    switch (m.type) {
      case 'state':
        this.showState(m);
        break;
      case 'applied':
        this.requests.applied(m);
        break;
      case 'saveError':
        this.banners.saveError(m.message, this.state?.revision ?? -1);
        break;
      case 'focus':
        if (this.state) this.openForm(m.form);
        else this.pendingFocus = m.form;
        break;
    }
  }

  private showState(m: StateMessage): void {
    this.clock.sync(m.now);
    // After a window reload VS Code may give the page no state, or an older one than the host kept: the newer wins.
    if (this.firstPaint && m.viewState !== undefined) {
      const kept = parseViewState(m.viewState);
      if ((kept.savedAt ?? 0) > (this.ui.state.savedAt ?? 0)) {
        this.ui.adopt(kept);
        this.incidentId = undefined;
      }
    }
    const id = m.incident?.id ?? '';
    if (id !== this.incidentId) {
      this.incidentId = id;
      this.ui.setIncident(id);
      this.forms.reset();
      this.inlineErrors.clear();
    }
    this.state = m;
    this.banners.conflict(m.conflict?.fields);
    this.banners.stateArrived(m.revision);
    this.render();
    if (this.firstPaint) {
      this.firstPaint = false;
      this.restoreScroll();
      this.restoreSavedFocus();
    }
    if (this.pendingFocus) {
      const form = this.pendingFocus;
      this.pendingFocus = undefined;
      this.openForm(form);
    }
    requestAnimationFrame(() => postMessage({ type: 'rendered', revision: m.revision, ...(m.incident ? { incident: m.incident.id } : {}) }));
  }

  private render(): void {
    const s = this.state;
    if (!s) return;
    const focus = this.captureFocus();
    this.forms.beginRender();
    if (!s.incident) {
      this.main.hidden = true;
      this.emptyBox.hidden = false;
      this.page.classList.remove('nb-multi');
      renderEmpty(this.emptyBox, s.others, { command: (command) => postMessage({ type: 'command', command }), switchTo: (id) => postMessage({ type: 'switch', id }) });
    } else {
      this.emptyBox.hidden = true;
      this.emptyBox.replaceChildren();
      this.main.hidden = false;
      const ctx = this.context(s.incident, s.shapes);
      this.header.render(s.incident, s.file, s.others, this.forms.element(detailsFormSpec(s.incident)), this.inlineErrors.get('phase'), this.clock.now());
      renderObservations(ctx, this.sections.observations);
      renderHypotheses(ctx, this.sections.hypotheses);
      this.shapesView.render(this.sections.shapes, s.shapes, this.ui.state.shapeFilter);
      renderActions(ctx, this.sections.actions);
      renderTimeline(ctx, this.sections.timeline);
      for (const sec of Object.values(this.sections)) sec.setCollapsed(this.ui.isCollapsed(sec.id));
      this.layout();
    }
    this.forms.endRender();
    this.restoreFocus(focus);
    this.revealAdded();
  }

  private revealAdded(): void {
    if (!this.reveal) return;
    const item = this.page.querySelector<HTMLElement>(`[data-id="${CSS.escape(this.reveal.id)}"]`);
    if (!item) {
      if (++this.reveal.renders > 3) this.reveal = undefined;
      return;
    }
    this.reveal = undefined;
    item.scrollIntoView({ block: 'nearest' });
    item.classList.add('nb-flash');
    window.setTimeout(() => item.classList.remove('nb-flash'), 1600);
  }

  private context(incident: Incident, shapes: readonly FailureShape[]): RenderContext {
    return {
      incident,
      shapes,
      refDay: dayOf(incident.started) || dayOf(incident.timeline[0]?.at ?? ''),
      now: () => this.clock.now(),
      form: (spec) => this.forms.element(spec),
      isOpen: (key) => this.forms.isOpen(key),
      hasDraft: (key) => !this.forms.isOpen(key) && this.ui.hasText(key),
      openForm: (key, seed) => this.openForm(key, seed),
      openEntry: (id) => postMessage({ type: 'openEntry', id }),
      inlineOp: (owner, op) => this.inlineOp(owner, op),
      inlineError: (owner) => this.inlineErrors.get(owner),
      dismissError: (owner) => this.dismissError(owner),
      timelineOrder: () => this.ui.state.timelineOrder,
      setTimelineOrder: (order) => {
        this.ui.setTimelineOrder(order);
        this.render();
      },
    };
  }

  // ---------- Forms ----------

  /** Opens form `key` (merging `seed` into its draft), shows its section, scrolls to it and focuses it. */
  openForm(key: string, seed?: Draft): void {
    const incident = this.state?.incident;
    if (!incident) return;
    this.popup.close(false);
    const open = this.forms.controller(key);
    if (open && seed) open.seed(seed);
    this.ui.open(key, seed);
    const section = this.sectionOf(key, incident);
    if (section && this.ui.isCollapsed(section)) this.ui.setCollapsed(section, false);
    this.render();
    const c = this.forms.controller(key);
    if (!c) return;
    c.element.scrollIntoView({ block: 'nearest' });
    c.focusFirst();
  }

  private closeForm(key: string, keepDraft: boolean, returnFocus: string | undefined): void {
    const form = this.forms.controller(key)?.element;
    const hadFocus = !!form && (form.contains(document.activeElement) || document.activeElement === document.body);
    this.ui.close(key, keepDraft);
    this.render();
    if (returnFocus && (hadFocus || document.activeElement === document.body)) this.focusKey(returnFocus);
  }

  /** Which section holds form `key` (an edit/evidence/verdict form: the section of its entry). */
  private sectionOf(key: string, incident: Incident): SectionId | undefined {
    if (key in ADD_FORMS) return ADD_FORMS[key as FocusForm];
    const id = key.slice(key.indexOf(':') + 1);
    if (incident.observations.some((o) => o.id === id)) return 'observations';
    if (incident.hypotheses.some((h) => h.id === id)) return 'hypotheses';
    if (incident.actions.some((a) => a.id === id)) return 'actions';
    if (incident.timeline.some((t) => t.id === id)) return 'timeline';
    return undefined;
  }

  private pickShape(shape: FailureShape): void {
    this.openForm('hypothesis', { statement: shape.statement, prediction: shape.prediction, test: shape.test, shape: shape.id });
    this.announce(`Hypothesis form filled from the failure shape ${shape.name}`);
  }

  private inlineOp(owner: string, op: Op): void {
    const had = this.inlineErrors.delete(owner);
    if (had) this.render();
    void this.requests.send(op).then((r) => {
      if (r.ok) return;
      this.inlineErrors.set(owner, r.error ?? 'The change was refused.');
      this.render();
    });
  }

  private dismissError(owner: string): void {
    this.inlineErrors.delete(owner);
    this.render();
  }

  // ---------- Menus, keys ----------

  private switchMenu(anchor: HTMLElement): void {
    const others = this.state?.others ?? [];
    this.popup.menu(anchor, 'Switch incident', [
      ...others.map((o) => ({ label: o.id, detail: `${o.title} · ${o.severity} · ${o.status}`, icon: 'notebook', run: () => postMessage({ type: 'switch', id: o.id }) })),
      { label: 'Start Incident…', icon: 'add', separated: others.length > 0, run: () => postMessage({ type: 'command', command: 'start' }) },
      { label: 'Open Incident…', icon: 'folder-opened', run: () => postMessage({ type: 'command', command: 'open' }) },
    ]);
  }

  private shortcuts(anchor: HTMLElement): void {
    const dl = el('dl', 'nb-shortcuts');
    for (const s of SHORTCUTS) {
      const dt = el('dt');
      for (const [i, k] of s.keys.split('+').entries()) {
        if (i) dt.append(document.createTextNode('+'));
        dt.append(el('kbd', undefined, k));
      }
      dl.append(dt, el('dd', undefined, s.what));
    }
    this.popup.dialog(anchor, 'Keyboard shortcuts', dl);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || (t instanceof HTMLElement && t.isContentEditable)) return;
    if (e.key === 'Escape' && this.popup.isOpen) {
      e.preventDefault();
      this.popup.close(true);
      return;
    }
    if (!this.state?.incident) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const forms: Record<string, FocusForm> = { o: 'observation', h: 'hypothesis', a: 'action', n: 'note' };
    const form = forms[key];
    if (form) {
      e.preventDefault();
      this.openForm(form);
    } else if (key === '/') {
      e.preventDefault();
      if (this.ui.isCollapsed('shapes')) {
        this.ui.setCollapsed('shapes', false);
        this.sections.shapes.setCollapsed(false);
      }
      this.shapesView.filter.scrollIntoView({ block: 'nearest' });
      this.shapesView.focusFilter();
    } else if (key === '?') {
      e.preventDefault();
      const b = this.page.querySelector<HTMLElement>('[data-fk="header:shortcuts"]');
      if (b) this.shortcuts(b);
    }
  }

  private announce(text: string): void {
    this.live.textContent = '';
    window.setTimeout(() => (this.live.textContent = text), 50);
  }

  // ---------- Focus ----------

  private captureFocus(): FocusMemo | undefined {
    const a = document.activeElement;
    if (!(a instanceof HTMLElement) || a === document.body || !this.page.contains(a)) return undefined;
    let selection: [number, number] | undefined;
    if ((a instanceof HTMLInputElement && a.type !== 'radio') || a instanceof HTMLTextAreaElement) {
      selection = [a.selectionStart ?? 0, a.selectionEnd ?? 0];
    }
    return { el: a, fk: a.dataset['fk'], ...(selection ? { selection } : {}) };
  }

  private restoreFocus(m: FocusMemo | undefined): void {
    if (!m || document.activeElement === m.el) return;
    const target = m.el.isConnected ? m.el : m.fk ? this.byKey(m.fk) : undefined;
    if (!target) return;
    target.focus({ preventScroll: true });
    if (m.selection && (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) {
      try {
        target.setSelectionRange(m.selection[0], m.selection[1]);
      } catch {
        // Not a text control after all.
      }
    }
  }

  /** After a reload: focus what had focus (a form field gets the caret at its end). */
  private restoreSavedFocus(): void {
    const fk = this.ui.state.focus;
    const target = fk ? this.byKey(fk) : undefined;
    if (!target) return;
    target.focus({ preventScroll: true });
    if (target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type === 'text')) {
      const end = target.value.length;
      target.setSelectionRange(end, end);
    }
  }

  private focusKey(fk: string): void {
    this.byKey(fk)?.focus();
  }

  private byKey(fk: string): HTMLElement | undefined {
    return this.page.querySelector<HTMLElement>(`[data-fk="${CSS.escape(fk)}"]`) ?? undefined;
  }

  // ---------- Layout, scroll ----------

  private layout(): void {
    if (!this.state?.incident) return;
    const n = columnsFor(this.page.clientWidth || window.innerWidth);
    this.page.classList.toggle('nb-multi', n > 1);
    if (n === this.columnCount && this.body.childElementCount === n) return;
    const focus = this.captureFocus();
    this.columnCount = n;
    this.body.className = `nb-body nb-cols-${n}`;
    const plan = LAYOUTS[n] ?? LAYOUTS[1] ?? [];
    plan.forEach((ids, i) => this.columns[i]?.replaceChildren(...ids.map((id) => this.sections[id].element)));
    this.body.replaceChildren(...this.columns.slice(0, n));
    this.restoreFocus(focus);
  }

  /** The scroll containers: the page (one column) and the columns (several). */
  private scrollers(): HTMLElement[] {
    return [this.page, ...this.columns.slice(0, this.columnCount)];
  }

  private onScroll(): void {
    window.clearTimeout(this.scrollTimer);
    this.scrollTimer = window.setTimeout(() => {
      if (this.state?.incident) this.ui.setScroll(this.columnCount, this.scrollers().map((s) => s.scrollTop));
    }, 150);
  }

  private restoreScroll(): void {
    const saved = this.ui.state.scroll;
    if (!this.state?.incident || saved.columns !== this.columnCount) return;
    this.scrollers().forEach((s, i) => (s.scrollTop = saved.tops[i] ?? 0));
  }
}
