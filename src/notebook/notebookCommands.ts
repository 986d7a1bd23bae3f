/** Command IDs of the hypothesis notebook (package.json `contributes.commands` lists the same). */
export const NotebookCommands = {
  /** Ask title, severity, commander, detection and start time; create the incident file; make it active. */
  start: 'oncall.notebook.start',
  /** Pick an incident of the workspace and make it active. */
  open: 'oncall.notebook.open',
  /** Open the active incident's Markdown file in an editor. */
  openFile: 'oncall.notebook.openFile',
  /** Show the notebook panel. */
  show: 'oncall.notebook.show',
  /** Copy a short Markdown hand-off summary for the incident channel. */
  handoff: 'oncall.notebook.copyHandoff',
  /** Write a blameless postmortem (SRE template) prefilled from the notebook, and open it. */
  postmortem: 'oncall.notebook.exportPostmortem',
  /** Show our edits and the file on disk side by side while they conflict; then keep one. */
  showConflict: 'oncall.notebook.showConflict',
  /** Add an observation (typed in the panel's form). */
  addObservation: 'oncall.notebook.addObservation',
  /** Add a hypothesis (the panel's form). */
  addHypothesis: 'oncall.notebook.addHypothesis',
  /** Add the editor selection (file:line, snippet, commit) as an observation. */
  addSelection: 'oncall.notebook.addSelection',
  /** Add a span of a trace (argument: a NotebookSpan from the waterfall). */
  addSpan: 'oncall.notebook.addSpan',
  /** Add a whole trace (argument: a NotebookTrace from the waterfall). */
  addTrace: 'oncall.notebook.addTrace',
  /** Add a deploy (argument: a node of the Deploys / What Changed views). */
  addDeploy: 'oncall.notebook.addDeploy',
  /** Add an exemplar (argument: { traceId, query, prometheus, value, time }). */
  addExemplar: 'oncall.notebook.addExemplar',
  /** No incident active any more (its file stays). */
  close: 'oncall.notebook.close',
} as const;
