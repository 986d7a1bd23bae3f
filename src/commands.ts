/** Every command id, in one table (package.json `contributes.commands` must list the same ids). */
export const Commands = {
  /** {@link registerOpenTrace} — ask for an ID, link or traceparent and open its waterfall. */
  openTraceById: 'oncall.openTraceById',
  /** Open a trace by ID without asking (used by the Traces view and tests). */
  openTrace: 'oncall.openTrace',
  /** Open any trace file (dialog, or the file right-clicked in the Explorer). */
  openTraceFile: 'oncall.openTraceFile',
  /** Re-read every trace file of the workspace. */
  reindexTraces: 'oncall.reindexTraces',
  /** Show the "On-Call Lens" log. */
  showLog: 'oncall.showLog',
} as const;

export const ViewIds = {
  traces: 'oncall.traces',
} as const;

export const PanelTypes = {
  waterfall: 'oncall.waterfall',
} as const;
