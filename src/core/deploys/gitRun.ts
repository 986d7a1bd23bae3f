/**
 * Running the real `git`, bounded: never through a shell, with a deadline, a cap on collected output (or stdout
 * streamed to a parser), an environment that cannot prompt, page, colour or translate, and a promise that settles
 * only once the process has exited — so no git is left running behind a result, a timeout or an error.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

/** Options of one git run. */
export interface GitRunOptions {
  /** The folder git runs in (it finds the repository from there). */
  readonly cwd: string;
  /** Killed after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Collected stdout beyond this many bytes kills the process (default 32 MB); unused when `onStdout` streams. */
  readonly maxBytes?: number;
  /** Written to git's stdin, which is then closed (for `--stdin`). */
  readonly input?: string;
  /** Streams stdout (decoded UTF-8, split anywhere) instead of collecting it; a throw kills the process. */
  readonly onStdout?: (chunk: string) => void;
}

/** How a git run ended. `ok` is exit code 0 with no `failure`. */
export interface GitRunResult {
  readonly ok: boolean;
  /** The exit code; null when git was killed or never started. */
  readonly code: number | null;
  /** Collected stdout ('' when streamed). */
  readonly stdout: string;
  /** The first 64 KB of stderr. */
  readonly stderr: string;
  /** Why git did not run to its own end: not installed, could not start, killed at the deadline or output cap. */
  readonly failure?: 'not-found' | 'spawn' | 'timeout' | 'too-large' | 'consumer';
  /** Details of a `spawn` or `consumer` failure. */
  readonly message?: string;
}

/** Runs `git <args>` (the leading config options are the runner's business); injectable for tests. */
export type GitRunner = (args: readonly string[], options: GitRunOptions) => Promise<GitRunResult>;

/** Options every run gets: unquoted UTF-8 paths, no pager, colour, signature check or fsmonitor daemon. */
export const gitBaseArgs: readonly string[] = [
  '-c', 'core.quotepath=off',
  '-c', 'color.ui=false',
  '-c', 'log.showSignature=false',
  '-c', 'core.fsmonitor=false',
  '--no-pager',
];

const scrubbed = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX'];

/** The environment of a git run: the caller's, minus variables that would point git elsewhere, plus no prompts. */
export function gitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of scrubbed) delete env[k];
  return { ...env, LC_ALL: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_FLUSH: '0', GIT_PAGER: 'cat', PAGER: 'cat', GCM_INTERACTIVE: 'never' };
}

let running = 0;

/** How many git processes started by {@link runGit} have not exited yet (the bench checks it is 0). */
export function runningGitProcesses(): number {
  return running;
}

const stderrCap = 64 * 1024;

/** The default {@link GitRunner}: spawns `git` from PATH. */
export const runGit: GitRunner = (args, options) =>
  new Promise<GitRunResult>((resolve) => {
    const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    let stdout = '';
    let stdoutBytes = 0;
    let stderr = '';
    let failure: GitRunResult['failure'];
    let message: string | undefined;
    let settled = false;
    let exited = false;
    const decoder = new StringDecoder('utf8');
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('git', [...gitBaseArgs, ...args], { cwd: options.cwd, env: gitEnv(), stdio: [options.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true, shell: false });
    } catch (e) {
      resolve({ ok: false, code: null, stdout: '', stderr: '', failure: 'spawn', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    running++;
    const kill = (why: NonNullable<GitRunResult['failure']>, detail?: string): void => {
      if (failure === undefined) {
        failure = why;
        message = detail;
      }
      if (!exited) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), options.timeoutMs ?? 30_000);
    let lingering: ReturnType<typeof setTimeout> | undefined;
    const finish = (code: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (lingering) clearTimeout(lingering);
      running--;
      if (options.onStdout && failure === undefined) {
        const rest = decoder.end();
        try {
          if (rest) options.onStdout(rest);
        } catch (e) {
          failure = 'consumer';
          message = e instanceof Error ? e.message : String(e);
        }
      } else if (failure === undefined) stdout += decoder.end();
      resolve({ ok: code === 0 && failure === undefined, code: failure === undefined ? code : null, stdout, stderr, ...(failure !== undefined ? { failure } : {}), ...(message !== undefined ? { message } : {}) });
    };
    child.stdout?.on('data', (buf: Buffer) => {
      if (failure !== undefined) return;
      const text = decoder.write(buf);
      if (options.onStdout) {
        try {
          options.onStdout(text);
        } catch (e) {
          kill('consumer', e instanceof Error ? e.message : String(e));
        }
        return;
      }
      stdoutBytes += buf.length;
      if (stdoutBytes > maxBytes) {
        stdout = '';
        kill('too-large');
        return;
      }
      stdout += text;
    });
    child.stderr?.on('data', (buf: Buffer) => {
      if (stderr.length < stderrCap) stderr += buf.toString('utf8').slice(0, stderrCap - stderr.length);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (failure === undefined) {
        failure = e.code === 'ENOENT' ? 'not-found' : 'spawn';
        message = e.message;
      }
      // A process that never started emits no 'close' of its own in every Node version: settle here.
      if (child.pid === undefined) finish(null);
    });
    child.on('exit', (code: number | null) => {
      exited = true;
      // git has exited; should something it started still hold its output open, stop waiting for 'close' soon.
      lingering = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code);
      }, 2_000);
    });
    child.on('close', (code: number | null) => finish(code));
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // git may exit before reading everything (EPIPE)
      child.stdin.end(options.input);
    }
  });

/** One line saying why a run failed, for problems: the cause in git's words when it gave any. */
export function gitFailureText(r: GitRunResult, what: string, timeoutMs: number): string {
  switch (r.failure) {
    case 'not-found':
      return 'git was not found on PATH (install git, or add it to PATH)';
    case 'timeout':
      return `${what} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`;
    case 'too-large':
      return `${what} printed more than the output limit and was stopped`;
    case 'spawn':
    case 'consumer':
      return `${what} failed: ${r.message ?? 'unknown error'}`;
    default: {
      const line = r.stderr.split('\n').map((l) => l.trim()).find((l) => /^(fatal|error):/.test(l)) ?? r.stderr.trim().split('\n')[0] ?? '';
      return `${what} failed (exit ${r.code ?? '?'})${line ? `: ${line.replace(/^(fatal|error):\s*/, '')}` : ''}`;
    }
  }
}
