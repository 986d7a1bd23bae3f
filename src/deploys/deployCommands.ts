/** Command and view ids of "What changed" (also listed in package.json). */
export const DeployCommands = {
  /** A timeline of deploys, config changes and flag flips across services in the last N hours. */
  whatChanged: 'oncall.whatChanged',
  refreshDeploys: 'oncall.refreshDeploys',
  /** How far back the Deploys view looks. */
  deploysWindow: 'oncall.deploysWindow',
  /** Store a token for a GitHub / Argo CD / HTTP deploy source in SecretStorage. */
  setDeployCredentials: 'oncall.setDeployCredentials',
  /** Internal: VS Code's diff editor for a file between the previous deploy and a deploy. */
  openDeployDiff: 'oncall.deploys.openDiff',
} as const;

export const DeployViews = {
  deploys: 'oncall.deploys',
  timeline: 'oncall.whatChangedTimeline',
} as const;

/** The scheme of a file's content at a commit (`git show <sha>:<path>`), for the diff editor. */
export const GIT_SHOW_SCHEME = 'oncall-git';
