/**
 * Writes that never leave a half-written incident file, and a lock so two writers (two VS Code windows, the CLI)
 * take turns. Node `fs` only; never imports `vscode`.
 *
 * - {@link writeFileAtomic}: the bytes go to a temp file in the same folder, are flushed to disk (`fsync`), then
 *   renamed over the target (atomic on POSIX and on NTFS for same-volume renames), then the folder is flushed. A
 *   `kill -9` at any moment leaves either the old file or the new one, never a mix; at worst a temp file, which
 *   {@link removeStaleTemps} clears on the next load.
 * - {@link withFileLock}: an exclusive lock file next to the target (`open(…, 'wx')`), released in `finally`. A
 *   lock left by a killed process is taken over once it is older than `staleMs` or its process is gone.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const tempPrefix = (file: string): string => `.${path.basename(file)}.`;

/** Writes `data` (UTF-8) to `file` atomically; creates the folder when missing. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `${tempPrefix(file)}${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = (await fsp.stat(file)).mode & 0o777;
  } catch {
    // a new file
  }
  const handle = await fsp.open(tmp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  await syncDir(dir);
}

/** Flushes a folder's entries (the rename) to disk; not possible on Windows, where it is skipped. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes temp files of `file` left by processes of this machine that are gone (e.g. killed mid-write). */
export async function removeStaleTemps(file: string): Promise<number> {
  const dir = path.dirname(file);
  const prefix = tempPrefix(file);
  let removed = 0;
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isSafeInteger(pid) && pid !== process.pid && !processAlive(pid)) {
      await fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined);
      removed++;
    }
  }
  return removed;
}

export interface LockOptions {
  /** Give up after this long (default 5 s). */
  readonly timeoutMs?: number;
  /** A lock older than this is taken over (default 10 s: a save takes milliseconds). */
  readonly staleMs?: number;
}

/** Thrown when the lock cannot be had within the timeout: names the file and who holds it. */
export class LockTimeoutError extends Error {}

/** Runs `fn` while holding the lock file `<file>.lock`. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = `${file}.lock`;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const staleMs = options.staleMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const me = JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() });
  await fsp.mkdir(path.dirname(file), { recursive: true });
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      const handle = await fsp.open(lock, 'wx');
      try {
        await handle.writeFile(me, 'utf8');
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readLock(lock);
    if (holder && (holder.ageMs > staleMs || (holder.host === os.hostname() && holder.pid !== undefined && !processAlive(holder.pid)))) {
      // Taken over: rename it away first, so two processes taking over at once cannot both succeed.
      const aside = `${lock}.${process.pid}.${randomBytes(3).toString('hex')}.stale`;
      if (await fsp.rename(lock, aside).then(() => true, () => false)) await fsp.rm(aside, { force: true }).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder?.pid !== undefined ? `process ${holder.pid}${holder.host ? ` on ${holder.host}` : ''}` : 'another process';
      throw new LockTimeoutError(`${path.basename(file)} is being saved by ${who} (lock file ${lock}); try again, or delete the lock file if no one is saving`);
    }
    await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
  }
  try {
    return await fn();
  } finally {
    await fsp.rm(lock, { force: true }).catch(() => undefined);
  }
}

async function readLock(lock: string): Promise<{ pid?: number; host?: string; ageMs: number } | undefined> {
  try {
    const [text, stat] = await Promise.all([fsp.readFile(lock, 'utf8'), fsp.stat(lock)]);
    const ageMs = Date.now() - stat.mtimeMs;
    try {
      const v = JSON.parse(text) as { pid?: unknown; host?: unknown };
      return { pid: typeof v.pid === 'number' ? v.pid : undefined, host: typeof v.host === 'string' ? v.host : undefined, ageMs };
    } catch {
      // Written half (the writer was killed between open and write): judged by age alone.
      return { ageMs };
    }
  } catch {
    return undefined; // released meanwhile
  }
}
