import type { Problem } from '../util/problems';

/**
 * The service catalog (`oncall.yaml` at a workspace folder's root). Everything is optional in the file; this is the
 * shape after defaults are applied. Names in `traces` and `metrics.prometheus` refer to `oncall.traces.backends`
 * and `oncall.prometheus` settings entries; `deploys` is read by the deploys capability.
 */
export interface Dashboard {
  readonly title: string;
  readonly url: string;
}

export interface DeploySourceConfig {
  readonly kind: 'git' | 'github' | 'argocd' | 'http' | 'file';
  /** The rest of the entry as written (tags, branch, repo, url, path, mapping …), checked by the deploys capability. */
  readonly options: Readonly<Record<string, unknown>>;
  /** 1-based line of the entry in oncall.yaml. */
  readonly line: number;
}

export interface ServiceEntry {
  readonly name: string;
  /** One line about what the service does, shown next to its name. */
  readonly description?: string;
  /** Criticality as the organisation names it (`1`, `tier-1`, `critical`), as written. */
  readonly tier?: string;
  /** Globs relative to the workspace folder (posix), e.g. `services/checkout/**`. */
  readonly paths: readonly string[];
  readonly team?: string;
  /** Who to page or how: free text, a URL or a handle. */
  readonly escalation?: string;
  /** Runbook folders relative to the workspace folder. */
  readonly runbooks: readonly string[];
  readonly dashboards: readonly Dashboard[];
  /** A backend name from `oncall.traces.backends`. */
  readonly traces?: string;
  readonly metrics?: { readonly prometheus?: string; readonly exemplars?: string };
  readonly deploys: readonly DeploySourceConfig[];
  /** 1-based line of the service's entry in oncall.yaml; absent for default services. */
  readonly line?: number;
}

export interface Catalog {
  /** `file` when read from oncall.yaml (even a broken one), `default` when there is none. */
  readonly source: 'file' | 'default';
  readonly services: readonly ServiceEntry[];
  /** Every runbook folder to read: the services' folders plus top-level `runbooks:` (default `["runbooks"]`). */
  readonly runbookFolders: readonly string[];
  /** Problems in oncall.yaml, with positions in that file. A broken catalog still yields what could be read. */
  readonly problems: readonly Problem[];
}
