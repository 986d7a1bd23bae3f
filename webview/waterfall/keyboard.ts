/**
 * The keyboard map: key → command. Pure (takes a key-event-like object), unit-tested from node.
 */

export type Command =
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'pageUp'
  | 'pageDown'
  | 'openCode'
  | 'slowest'
  | 'nextError'
  | 'prevError'
  | 'nextCritical'
  | 'prevCritical'
  | 'toggleCritical'
  | 'focusFilter'
  | 'escape'
  | 'expandBelow'
  | 'toggleCriticalOnly'
  | 'nextMatch'
  | 'prevMatch'
  | 'toggleMatchesOnly'
  | 'toggleStats'
  | 'copySpanJson'
  | 'copyTraceId';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey?: boolean;
}

const KEYS: Readonly<Record<string, Command>> = {
  ArrowUp: 'up',
  k: 'up',
  ArrowDown: 'down',
  j: 'down',
  ArrowLeft: 'left',
  h: 'left',
  ArrowRight: 'right',
  l: 'right',
  Home: 'home',
  End: 'end',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Enter: 'openCode',
  s: 'slowest',
  e: 'nextError',
  E: 'prevError',
  c: 'nextCritical',
  C: 'prevCritical',
  p: 'toggleCritical',
  P: 'toggleCriticalOnly',
  '*': 'expandBelow',
  n: 'nextMatch',
  N: 'prevMatch',
  m: 'toggleMatchesOnly',
  t: 'toggleStats',
  y: 'copySpanJson',
  Y: 'copyTraceId',
  '/': 'focusFilter',
  Escape: 'escape',
};

/** The command of a key press in the tree, or undefined (modified keys are left to VS Code). */
export function commandForKey(e: KeyLike): Command | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  if (e.key === 'F3') return e.shiftKey ? 'prevMatch' : 'nextMatch';
  return Object.prototype.hasOwnProperty.call(KEYS, e.key) ? KEYS[e.key] : undefined;
}

/** The shortcut legend shown under the toolbar: [keys, what they do]. */
export const SHORTCUTS: readonly (readonly [keys: string, label: string])[] = [
  ['↑↓ j k', 'move'],
  ['←→ *', 'collapse / expand'],
  ['Enter', 'open code'],
  ['s', 'slowest'],
  ['e E', 'errors'],
  ['c C', 'critical path'],
  ['P', 'path only'],
  ['/', 'filter'],
  ['n N', 'matches'],
  ['t', 'statistics'],
  ['y', 'copy JSON'],
  ['Esc', 'clear'],
];

/** Every shortcut, for the legend's tooltip (the legend itself shows the common ones). */
export const ALL_SHORTCUTS = [
  '↑ ↓ / j k: move   ← →: collapse or go to parent / expand or go to first child   *: expand all below (also Shift+click on a twistie)',
  'Home End PgUp PgDn: jump   Enter: open code   s: slowest span   e / E: next / previous error   c / C: along the critical path',
  'p: highlight the critical path   P: critical path only   /: filter   n / N or F3 / Shift+F3: next / previous match   m: matches only',
  't: statistics   y: copy span as JSON   Y: copy trace ID   Esc: clear the filter / close statistics',
].join('\n');
