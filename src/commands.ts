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
  /** Store a backend's bearer token, basic auth or custom header in SecretStorage. */
  setBackendCredentials: 'oncall.setBackendCredentials',
  /** Search a backend by service, operation and time range; pick a trace to open. */
  findTraces: 'oncall.findTraces',
  /** Compare two traces (pick or paste A and B; or pass both IDs). */
  compareTraces: 'oncall.compareTraces',
  /** Query Prometheus exemplars of a PromQL expression; pick one (slowest first) to open its trace. */
  openTraceFromExemplar: 'oncall.openTraceFromExemplar',
  /** Show the "On-Call Lens" log. */
  showLog: 'oncall.showLog',
} as const;

export const ViewIds = {
  traces: 'oncall.traces',
} as const;

export const PanelTypes = {
  waterfall: 'oncall.waterfall',
  compare: 'oncall.compare',
} as const;
