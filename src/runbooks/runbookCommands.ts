/** Command ids of the runbooks capability (also listed in package.json; the internal ones are hidden from the palette). */
export const RunbookCommands = {
  /** Type or paste an alert name or a whole alert notification; opens the best-matching runbook. */
  findRunbookForAlert: 'oncall.findRunbookForAlert',
  /** Internal: open a runbook in the viewer (arg: runbook id, or a Runbook). */
  openRunbook: 'oncall.openRunbook',
  /** Open the Markdown file of a runbook (tree item, or the active viewer). */
  openRunbookSource: 'oncall.openRunbookSource',
  /** The runbooks of the active editor's file (its service, or `code` globs). */
  runbooksForFile: 'oncall.runbooksForFile',
  filterRunbooks: 'oncall.filterRunbooks',
  clearRunbookFilter: 'oncall.clearRunbookFilter',
  refreshRunbooks: 'oncall.refreshRunbooks',
  /** Open oncall.yaml (or offer to create one from the defaults). */
  openCatalog: 'oncall.openCatalog',
} as const;

export const RunbookViews = {
  tree: 'oncall.runbooks',
} as const;

export const RUNBOOK_PANEL = 'oncall.runbook';

/** Context keys for `when` clauses. */
export const RunbookContext = {
  filtered: 'oncall.runbooksFiltered',
  fileHasRunbooks: 'oncall.fileHasRunbooks',
} as const;
