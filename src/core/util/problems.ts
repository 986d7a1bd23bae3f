/**
 * A problem found in a user's file (oncall.yaml, a runbook): shown as a Diagnostic in VS Code and printed by the CLI
 * as `file:line:column: severity: message`. Lines and columns are 1-based, as people and `file:line:col` links count.
 */
export interface Problem {
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** 1-based, inclusive of the last line; absent when the problem is a point. */
  readonly endLine?: number;
  /** 1-based, exclusive. */
  readonly endColumn?: number;
  /** A short stable code for tests and quick fixes, e.g. `yaml-syntax`, `duplicate-alert`, `unknown-key`. */
  readonly code: string;
}

/** `file:line:col: severity: message` — the form terminals, CI logs and VS Code's problem matchers link. */
export function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}
