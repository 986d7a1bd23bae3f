/**
 * Deploys and other changes ("what changed?") as every deploy source returns them: git tags or a deploy branch,
 * GitHub Deployments/Releases, Argo CD history, any JSON feed, a JSON Lines / YAML log. Times are ISO 8601 UTC.
 */

/** A deploy, or a config or feature-flag change from the same feeds (`file`/`http` sources mark them). */
export type ChangeKind = 'deploy' | 'config' | 'flag';

export type DeployStatus = 'success' | 'failure' | 'in_progress' | 'pending' | 'rolled_back' | 'unknown';

export interface DeployCommit {
  readonly sha: string;
  readonly subject: string;
  readonly author: string;
  /** ISO 8601 UTC. */
  readonly time: string;
}

/** A file a deploy changed, within the service's `paths` (posix, relative to the repository root). */
export interface DeployFile {
  readonly path: string;
  /** Added, modified, deleted, renamed (then `oldPath`). */
  readonly status: 'A' | 'M' | 'D' | 'R';
  readonly oldPath?: string;
}

export interface Deploy {
  /** Stable within its source: `git:checkout-v1.4.2`, `github:123456`, `file:deploys.jsonl:17` … */
  readonly id: string;
  readonly service: string;
  readonly source: 'git' | 'github' | 'argocd' | 'http' | 'file';
  readonly kind: ChangeKind;
  /** What people call it: a tag, a release name, an image tag, a flag name and value. */
  readonly version: string;
  /** When it happened (not when it was read), ISO 8601 UTC. */
  readonly time: string;
  readonly environment?: string;
  readonly actor?: string;
  readonly status: DeployStatus;
  /** The commit deployed (full SHA when known). */
  readonly commit?: string;
  /** The commit of the previous deploy of the same service: the range is previousCommit..commit. */
  readonly previousCommit?: string;
  /** Commits in the range that touched the service's paths (newest first), when the source can tell. */
  readonly commits?: readonly DeployCommit[];
  /** Files in the range within the service's paths, when the source can tell. */
  readonly files?: readonly DeployFile[];
  /** A link to the deploy in its system (GitHub, Argo CD, CI). */
  readonly url?: string;
  readonly description?: string;
}

/** A problem reading a source, worded for the user: names the source (file and line, or the redacted URL) and cause. */
export interface DeployProblem {
  readonly message: string;
  readonly severity: 'error' | 'warning';
  /** The file (for `file` sources) and 1-based line of a malformed entry. */
  readonly file?: string;
  readonly line?: number;
  /** 1-based column, for a YAML syntax error. */
  readonly column?: number;
  /**
   * What went wrong, for code (offering "Set Deploy Credentials" on `unauthorized`/`forbidden`): `unauthorized`,
   * `forbidden`, `not-found`, `rate-limited`, `server`, `timeout`, `malformed`, `missing-file` … (see feedHttp.ts).
   */
  readonly code?: string;
  /** The source's credential key (`sourceKey()` in sources.ts, e.g. `github:acme/shop`). */
  readonly source?: string;
}

/** What one source gives: whatever it could read, plus problems (a bad line never loses the good ones). */
export interface DeploySourceResult {
  readonly deploys: readonly Deploy[];
  readonly problems: readonly DeployProblem[];
}
