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
  | 'escape';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
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
  '/': 'focusFilter',
  Escape: 'escape',
};

/** The command of a key press in the tree, or undefined (modified keys are left to VS Code). */
export function commandForKey(e: KeyLike): Command | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  return Object.prototype.hasOwnProperty.call(KEYS, e.key) ? KEYS[e.key] : undefined;
}

/** The shortcut legend shown under the toolbar: [keys, what they do]. */
export const SHORTCUTS: readonly (readonly [keys: string, label: string])[] = [
  ['↑↓ j k', 'move'],
  ['←→', 'collapse / expand'],
  ['Enter', 'open code'],
  ['s', 'slowest span'],
  ['e E', 'next / prev error'],
  ['c C', 'critical path'],
  ['p', 'toggle critical path'],
  ['/', 'filter'],
  ['Esc', 'clear'],
];
