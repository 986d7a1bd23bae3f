/**
 * The page's own state, saved with `vscode.setState` after every change (every keystroke in a form): drafts and open
 * forms per incident, collapsed sections, scroll positions, the shapes filter, the timeline's order, the next request
 * ID and the focused element. VS Code destroys a hidden webview view; this is what brings the reader back to where
 * they were.
 */
import type { Draft, NotebookViewState } from './api';
import { getState, setState } from './api';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Drafts of this many incidents are kept (the most recently edited). */
const MAX_INCIDENTS_WITH_DRAFTS = 8;

export class ViewStore {
  private s: Mutable<NotebookViewState>;
  /** The incident whose drafts the forms show ('' without one). */
  private incident = '';

  constructor() {
    this.s = { ...getState() };
  }

  get state(): NotebookViewState {
    return this.s;
  }

  /** Takes over a state kept by the host (when VS Code gave this page none). */
  adopt(state: NotebookViewState): void {
    this.s = { ...state };
    setState(this.s);
  }

  setIncident(id: string): void {
    this.incident = id;
  }

  /** The draft of form `key` of the current incident (open or closed with Escape). */
  draft(key: string): Draft | undefined {
    return this.s.drafts[this.incident]?.[key];
  }

  /** A draft with something typed in it. */
  hasText(key: string): boolean {
    const d = this.draft(key);
    return !!d && Object.values(d).some((v) => v.trim() !== '');
  }

  isOpen(key: string): boolean {
    return (this.s.open[this.incident] ?? []).includes(key);
  }

  openKeys(): readonly string[] {
    return this.s.open[this.incident] ?? [];
  }

  /** Opens form `key`, merging `seed` into its draft. */
  open(key: string, seed?: Draft): void {
    this.s.open = { ...this.s.open, [this.incident]: [...this.openKeys().filter((k) => k !== key), key] };
    this.setDraft(key, { ...(this.draft(key) ?? {}), ...(seed ?? {}) });
  }

  /** Closes form `key`; its draft stays for next time with `keepDraft`. */
  close(key: string, keepDraft: boolean): void {
    this.s.open = { ...this.s.open, [this.incident]: this.openKeys().filter((k) => k !== key) };
    if (keepDraft) return this.save();
    const mine = { ...(this.s.drafts[this.incident] ?? {}) };
    delete mine[key];
    this.s.drafts = { ...this.s.drafts, [this.incident]: mine };
    this.save();
  }

  setDraft(key: string, draft: Draft): void {
    const mine = { ...(this.s.drafts[this.incident] ?? {}), [key]: { ...draft } };
    // Re-inserted last: the most recently edited incident's drafts are kept when the oldest are dropped.
    const others = Object.entries(this.s.drafts).filter(([id, forms]) => id !== this.incident && Object.keys(forms).length > 0);
    const kept = [...others.slice(-(MAX_INCIDENTS_WITH_DRAFTS - 1)), [this.incident, mine] as const];
    this.s.drafts = Object.fromEntries(kept);
    this.s.open = Object.fromEntries(Object.entries(this.s.open).filter(([id]) => kept.some(([k]) => k === id)));
    this.save();
  }

  isCollapsed(section: string): boolean {
    return this.s.collapsed.includes(section);
  }

  setCollapsed(section: string, collapsed: boolean): void {
    this.s.collapsed = [...this.s.collapsed.filter((c) => c !== section), ...(collapsed ? [section] : [])];
    this.save();
  }

  setScroll(columns: number, tops: readonly number[]): void {
    this.s.scroll = { columns, tops: tops.map((t) => Math.round(t)) };
    this.save();
  }

  setShapeFilter(filter: string): void {
    this.s.shapeFilter = filter;
    this.save();
  }

  setTimelineOrder(order: 'newest' | 'oldest'): void {
    this.s.timelineOrder = order;
    this.save();
  }

  setFocus(fk: string | undefined): void {
    if (this.s.focus === fk) return;
    if (fk === undefined) delete this.s.focus;
    else this.s.focus = fk;
    this.save();
  }

  /** A request ID never used by this page, also across reloads. */
  nextRequestId(): number {
    const id = this.s.nextRequestId;
    this.s.nextRequestId = id + 1;
    this.save();
    return id;
  }

  private save(): void {
    // When it was saved: of VS Code's copy and the host's, the page takes the newer one after a reload.
    this.s.savedAt = Math.max(Date.now(), (this.s.savedAt ?? 0) + 1);
    setState(this.s);
  }
}
