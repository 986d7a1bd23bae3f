/**
 * Reads runbook folders from disk with Node's `fs` (the CLI and tests; the extension reads through VS Code's file
 * system and calls `parseRunbook` itself). Oversized files are read only as far as their front matter and title.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Runbook } from './model';
import { defaultMaxRunbookBytes, parseRunbook } from './parse';

export interface LoadRunbooksOptions {
  /** Size limit per runbook in bytes (default 2 MB). */
  readonly maxBytes?: number;
  readonly origin?: 'workspace' | 'builtin';
  /** Report runbook and code links that resolve to no file (default true). */
  readonly checkLinks?: boolean;
}

export interface LoadedRunbooks {
  /** Sorted by file. Each file once, even when folders overlap. */
  readonly runbooks: Runbook[];
  /** Folders (as given) that do not exist or are not folders. */
  readonly missingFolders: string[];
  /** Files that could not be read (permissions, vanished), with the reason. */
  readonly unreadable: Array<{ file: string; message: string }>;
}

/** Folders never walked besides hidden ones (`.git`, `.github`, …). */
const skippedDirs = new Set(['node_modules']);

/** How much of an oversized file is read (its front matter and H1 are at the top). */
const headBytes = 64 * 1024;

/**
 * Finds every `*.md` / `*.markdown` under `root/<folder>` for each folder (relative to `root`, posix or native; `''` or
 * `.` is `root` itself), skipping `node_modules`, `.git` and hidden folders, and parses each. Runbook files are
 * relative to `root`; IDs relative to the shortest folder holding them.
 */
export async function loadRunbooksFromDir(root: string, folders: readonly string[], opts: LoadRunbooksOptions = {}): Promise<LoadedRunbooks> {
  const maxBytes = opts.maxBytes ?? defaultMaxRunbookBytes;
  const missingFolders: string[] = [];
  const unreadable: Array<{ file: string; message: string }> = [];
  const found = new Map<string, string>();
  const clean = folders.map((f) => ({ given: f, rel: toPosix(path.normalize(f)).replace(/^\.\/?$/, '').replace(/\/+$/, '') })).sort((a, b) => a.rel.length - b.rel.length);
  for (const folder of clean) {
    const abs = path.join(root, folder.rel);
    try {
      if (!(await fs.promises.stat(abs)).isDirectory()) throw new Error('not a folder');
    } catch {
      missingFolders.push(folder.given);
      continue;
    }
    for (const file of await walk(abs)) {
      const rel = toPosix(path.relative(root, file));
      if (!found.has(rel)) found.set(rel, folder.rel);
    }
  }
  const existsCache = new Map<string, boolean>();
  const exists = (rel: string): boolean => {
    let e = existsCache.get(rel);
    if (e === undefined) {
      e = fs.existsSync(path.join(root, rel));
      existsCache.set(rel, e);
    }
    return e;
  };
  const runbooks: Runbook[] = [];
  for (const rel of [...found.keys()].sort()) {
    try {
      const { bytes, size } = await readHead(path.join(root, rel), maxBytes);
      runbooks.push(
        parseRunbook(bytes, {
          file: rel,
          root: found.get(rel) as string,
          origin: opts.origin ?? 'workspace',
          maxBytes,
          totalBytes: size,
          ...(opts.checkLinks === false ? {} : { exists }),
        }),
      );
    } catch (e) {
      unreadable.push({ file: rel, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return { runbooks, missingFolders, unreadable };
}

/** The whole file, or only its head when it is over the limit. */
async function readHead(file: string, maxBytes: number): Promise<{ bytes: Uint8Array; size: number }> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const want = size > maxBytes ? Math.min(size, headBytes) : size;
    const buffer = Buffer.alloc(want);
    let read = 0;
    while (read < want) {
      const { bytesRead } = await handle.read(buffer, read, want - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { bytes: buffer.subarray(0, read), size };
  } finally {
    await handle.close();
  }
}

/** Markdown files under `dir`, iteratively; symbolic links to folders are not followed (no cycles). */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!skippedDirs.has(e.name) && !e.name.startsWith('.')) stack.push(p);
      } else if (/\.(md|markdown)$/i.test(e.name) && (e.isFile() || (e.isSymbolicLink() && (await isFile(p))))) out.push(p);
    }
  }
  return out;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isFile();
  } catch {
    return false;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
