// Real git repositories for the git deploy source's tests: created under os.tmpdir() with the real `git`, commits
// and tags at fixed dates (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), so every run builds the same history.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServiceEntry } from '../../../src/core/catalog/model';
import { gitEnv, runGit, type GitRunner } from '../../../src/core/deploys/gitRun';

/** A throwaway repository in os.tmpdir(). */
export class Repo {
  constructor(readonly dir: string) {}

  /** `git init -b main` in a new temp folder, with a local identity and signing off. */
  static init(prefix = 'oncall-git-'): Repo {
    const repo = new Repo(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    repo.git('init', '-q', '-b', 'main', '--template=');
    repo.git('config', 'user.name', 'Dev One');
    repo.git('config', 'user.email', 'dev1@example.com');
    repo.git('config', 'commit.gpgsign', 'false');
    repo.git('config', 'tag.gpgsign', 'false');
    return repo;
  }

  /** Runs git in the repository; `at` dates the commit or tag (ISO). */
  git(...args: Array<string | { at?: string; name?: string }>): string {
    const opts = (typeof args[args.length - 1] === 'object' ? args.pop() : {}) as { at?: string; name?: string };
    const env = { ...gitEnv(), GIT_CONFIG_NOSYSTEM: '1', HOME: this.dir };
    if (opts.at) Object.assign(env, { GIT_AUTHOR_DATE: opts.at, GIT_COMMITTER_DATE: opts.at });
    if (opts.name) Object.assign(env, { GIT_AUTHOR_NAME: opts.name, GIT_COMMITTER_NAME: opts.name });
    return execFileSync('git', args as string[], { cwd: this.dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  write(file: string, text: string): this {
    const p = path.join(this.dir, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return this;
  }

  /** Stages everything and commits at `at`; returns the full SHA. */
  commit(message: string, at: string, name?: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message, { at, ...(name ? { name } : {}) });
    return this.head();
  }

  /** An annotated tag (by "Deploy Bot") when `message` is given, else a lightweight one; on HEAD unless `target`. */
  tag(name: string, at: string, message?: string, target = 'HEAD'): void {
    if (message !== undefined) this.git('tag', '-a', name, '-m', message, target, { at, name: 'Deploy Bot' });
    else this.git('tag', name, target, { at });
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A catalog service as loadCatalog would give it. */
export function service(name: string, paths: string[], deploys: Array<Record<string, unknown>>, line = 5): ServiceEntry {
  return { name, paths, runbooks: [], dashboards: [], deploys: deploys.map((options, i) => ({ kind: 'git' as const, options, line: line + i })) };
}

/** The real runner, counting the git commands it runs (argument lists, leading config options left out). */
export function countingRunner(): { run: GitRunner; calls: string[][] } {
  const calls: string[][] = [];
  return { calls, run: (args, options) => (calls.push([...args]), runGit(args, options)) };
}

/** Lines `function name() {` … `}` with `n` body lines each: a file whose functions sit at known lines. */
export function functions(names: string[], body = 3, tag = ''): string {
  return names.map((n) => [`function ${n}() {`, ...Array.from({ length: body }, (_, i) => `  step${i}('${n}${tag}');`), '}', ''].join('\n')).join('\n');
}
