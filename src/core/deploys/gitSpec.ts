/**
 * What a `{kind: git}` deploy entry of oncall.yaml asks for — tags matching a pattern, or the commits of a deploy
 * branch — checked before anything is passed to git: a pattern that could never name a tag, or would be read as an
 * option, is a problem that names the entry, never a git error.
 */
import type { DeploySourceConfig, ServiceEntry } from '../catalog/model';

/** Tags matching `pattern` (for-each-ref's glob: `*` stops at `/`), or each first-parent commit of `branch`. */
export type GitSpec = { readonly kind: 'tags'; readonly pattern: string } | { readonly kind: 'branch'; readonly branch: string };

/** One git deploy entry of one service, checked. */
export interface GitSource {
  readonly service: ServiceEntry;
  readonly spec: GitSpec;
  /** 1-based line of the entry in oncall.yaml (0 when not from a file). */
  readonly line: number;
  /** The credential/source key sources.ts gives the entry: `git:<tags or branch as written>`. */
  readonly key: string;
  /** A warning about the entry that did not stop it (e.g. both `tags` and `branch`). */
  readonly warning?: string;
}

/** A `git` entry that cannot be used, and why. */
export interface GitSourceError {
  readonly service: ServiceEntry;
  readonly line: number;
  readonly key: string;
  readonly message: string;
}

/** The git deploy entries of the services: the usable ones and the rejected ones (other kinds are skipped). */
export function gitSourcesOf(services: readonly ServiceEntry[]): { sources: GitSource[]; errors: GitSourceError[] } {
  const sources: GitSource[] = [];
  const errors: GitSourceError[] = [];
  for (const service of services) {
    for (const config of service.deploys) {
      if (config.kind !== 'git') continue;
      const r = gitSpecOf(config);
      const key = gitSourceKey(config);
      if ('message' in r) errors.push({ service, line: config.line, key, message: `${service.name}: ${r.message} (oncall.yaml line ${config.line})` });
      else sources.push({ service, spec: r.spec, line: config.line, key, ...(r.warning ? { warning: `${service.name}: ${r.warning} (oncall.yaml line ${config.line})` } : {}) });
    }
  }
  return { sources, errors };
}

/** Reads one entry's options: `tags` (wins when both are given, with a warning) or `branch`. */
export function gitSpecOf(config: Pick<DeploySourceConfig, 'options'>): { spec: GitSpec; warning?: string } | { message: string } {
  const tags = config.options['tags'];
  const branch = config.options['branch'];
  if (typeof tags === 'string') {
    const pattern = tags.trim().replace(/^refs\/tags\//, '');
    const bad = refPatternProblem(pattern, true);
    if (bad) return { message: `tag pattern ${JSON.stringify(tags)} is not valid: ${bad}` };
    const warning = typeof branch === 'string' ? `both "tags" and "branch" are given; deploys are read from the tags ${JSON.stringify(pattern)}` : undefined;
    return { spec: { kind: 'tags', pattern }, ...(warning ? { warning } : {}) };
  }
  if (typeof branch === 'string') {
    const name = branch.trim().replace(/^refs\/heads\//, '');
    const bad = refPatternProblem(name, false);
    if (bad) return { message: `branch ${JSON.stringify(branch)} is not valid: ${bad}` };
    return { spec: { kind: 'branch', branch: name } };
  }
  return { message: 'a git deploy source needs "tags" (a pattern, e.g. "checkout-v*") or "branch" (e.g. "deploy/prod")' };
}

/**
 * Why `name` cannot be a tag pattern (`glob`) or a branch name under git's ref-name rules (git check-ref-format),
 * or undefined when it can. Glob characters are allowed only in patterns, and brackets must close.
 */
export function refPatternProblem(name: string, glob: boolean): string | undefined {
  if (name === '') return 'it is empty';
  if (/\s/.test(name)) return 'ref names cannot contain spaces';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return 'ref names cannot contain control characters';
  const banned = /[~^:\\]/.exec(name);
  if (banned) return `ref names cannot contain "${banned[0]}"`;
  if (name.includes('..')) return 'ref names cannot contain ".."';
  if (name.includes('@{')) return 'ref names cannot contain "@{"';
  if (name.startsWith('-')) return 'a ref name cannot start with "-"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'a ref name cannot start or end with "/" or contain "//"';
  if (name.endsWith('.') || name.endsWith('.lock')) return 'a ref name cannot end with "." or ".lock"';
  if (name.split('/').some((part) => part.startsWith('.'))) return 'no part of a ref name can start with "."';
  if (!glob) {
    if (/[*?[]/.test(name)) return 'a branch is one name, not a pattern (for several refs, use tags)';
    return undefined;
  }
  let open = false;
  for (const ch of name) {
    if (ch === '[') {
      if (open) return 'a "[" is not closed before the next "["';
      open = true;
    } else if (ch === ']' && open) open = false;
  }
  if (open) return 'a "[" is not closed by "]"';
  return undefined;
}

/** `git:<tags or branch as written>`: the key sources.ts (`sourceKey`) gives a git entry, kept in problems' `source`. */
export function gitSourceKey(config: Pick<DeploySourceConfig, 'options'>): string {
  const o = config.options;
  return `git:${(typeof o['tags'] === 'string' && o['tags']) || (typeof o['branch'] === 'string' && o['branch']) || ''}`;
}

/** A stable key of a spec: which deploys a service's entry names. */
export function specKey(spec: GitSpec): string {
  return spec.kind === 'tags' ? `tags:${spec.pattern}` : `branch:${spec.branch}`;
}

/** How a spec reads in messages: `tags "checkout-v*"`, `branch "deploy/prod"`. */
export function specLabel(spec: GitSpec): string {
  return spec.kind === 'tags' ? `tags ${JSON.stringify(spec.pattern)}` : `branch ${JSON.stringify(spec.branch)}`;
}
