/**
 * A lint for blameless postmortems (the Markdown postmortem.ts drafts, as people edit it): blaming language, action
 * items nobody owns or can finish, a single root cause, the trigger passed off as the root cause, and the sections
 * the SRE template asks for left empty. Reads loosely — headings at any of `#`, `##`, `###`, in any case, renamed a
 * little ("Action items:", "1. Root cause", "Things that went well") — and never throws.
 *
 * Every regular expression of the lint is linear (bounded quantifiers, no nested repetition) and runs on one line at a
 * time, so a megabyte of hostile text lints in linear time. Positions are 1-based, `endColumn` exclusive, in UTF-16
 * code units, and point at the offending words.
 *
 * This file is the public API; the document is read in postmortemDoc.ts and the rules are in postmortemRules.ts.
 */
import { readDoc } from './postmortemDoc';
import { actionItemRules, blameRules, rootCauseRules, sectionRules } from './postmortemRules';

export type PostmortemSeverity = 'error' | 'warning' | 'info';

export interface PostmortemProblem {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  readonly message: string;
  readonly severity: PostmortemSeverity;
  readonly code: PostmortemLintCode;
}

/** The stable codes of the rules, with their severities. */
export const POSTMORTEM_LINT_RULES = {
  /** A person (name, @handle, pronoun, role) as the subject of a failure verb: "Alice broke …". */
  'blame-person': 'error',
  /** "should have": hindsight. */
  'blame-hindsight': 'warning',
  /** "failed to". */
  'blame-failed-to': 'warning',
  /** "human error". */
  'blame-human-error': 'error',
  /** "careless", "negligence", "negligent". */
  'blame-careless': 'error',
  /** "fault of", "X's fault", "at fault". */
  'blame-fault': 'error',
  /** An action item without an owner (empty, TBD, ?, -). */
  'action-item-no-owner': 'warning',
  /** An open action item without a due date (empty, TBD, not a date). */
  'action-item-no-due-date': 'warning',
  /** An action item that is only a vague verb ("Investigate", "Improve monitoring"). */
  'action-item-vague': 'warning',
  /** The Action items section lists no item (or only the draft's placeholder). */
  'no-action-items': 'warning',
  /** Fewer than two root causes / contributing factors. */
  'single-root-cause': 'warning',
  /** A root cause that repeats the trigger. */
  'trigger-is-root-cause': 'warning',
  /** "What went well" missing or empty. */
  'no-what-went-well': 'warning',
  /** "Where we got lucky" missing or empty. */
  'no-where-we-got-lucky': 'warning',
  /** A required section (Summary, Impact, Root causes, Action items, Timeline) is missing. */
  'missing-section': 'warning',
  /** A required section (Summary, Impact, Timeline) is empty. */
  'empty-section': 'warning',
} as const satisfies Record<string, PostmortemSeverity>;

export type PostmortemLintCode = keyof typeof POSTMORTEM_LINT_RULES;

/** The problems of a postmortem, sorted by line and column. */
export function lintPostmortem(text: string): PostmortemProblem[] {
  const doc = readDoc(text);
  const problems: PostmortemProblem[] = [];
  const push = (code: PostmortemLintCode, line: number, column: number, endColumn: number, message: string): void => {
    problems.push({ line: line + 1, column: column + 1, endColumn: Math.max(endColumn + 1, column + 2), message, severity: POSTMORTEM_LINT_RULES[code], code });
  };
  blameRules(doc, push);
  sectionRules(doc, push);
  actionItemRules(doc, push);
  rootCauseRules(doc, push);
  return problems.sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
}
