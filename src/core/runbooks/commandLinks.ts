/**
 * Runbooks may link to a few of the extension's own commands — `[Open Trace by ID](command:oncall.openTraceById)` —
 * so a diagnosis step is one click. Only these IDs, and never with arguments: each opens an input or a view, none
 * runs anything or changes a file by itself. Every other `command:` link (VS Code's, other extensions', or ours with
 * arguments) is blocked like `javascript:`.
 */
export const RUNBOOK_COMMAND_LINKS: ReadonlySet<string> = new Set([
  'oncall.openTraceById',
  'oncall.openTraceFile',
  'oncall.findTraces',
  'oncall.openTraceFromExemplar',
  'oncall.compareTraces',
  'oncall.goToHandler',
  'oncall.followWire',
  'oncall.findRunbookForAlert',
  'oncall.runbooksForFile',
  'oncall.showLog',
]);

/** The command ID of an allowed `command:` link (no arguments, no query), else undefined. */
export function allowedCommandLink(href: string): string | undefined {
  const m = /^command:(oncall\.[A-Za-z]+)$/.exec(href.trim());
  return m && RUNBOOK_COMMAND_LINKS.has(m[1] as string) ? m[1] : undefined;
}
