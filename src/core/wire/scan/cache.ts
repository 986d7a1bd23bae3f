/**
 * The wire index's warm start: what a scan read of each file (its facts, what its extraction read of the project,
 * its line count), kept on disk — the extension keeps it in the workspace's storage — so the next scan of the same
 * folder (a reloaded window, VS Code opened again tomorrow) parses only the files that changed since.
 *
 * An entry is used again only when nothing it came from changed:
 * - the file's size and modification time, as the walk sees them;
 * - every answer its extraction got from the project: another file's size and modification time (`r:`), whether a
 *   file is there (`h:`), a folder's files (`d:`), a file's service root (`sr:`);
 * - the key: the cache format, the scanner's own code (its files' sizes and times: a new version of the extension,
 *   a rebuild), the folder, and the scan's options (exclude globs, file size limit, `all`).
 *
 * Like git's index, it trusts modification times; and like git it does not trust a time too close to the scan:
 * a file (or a file an extraction read) modified less than two seconds before the scan started is not kept, since
 * a second change within the file system's time resolution could go unseen. The cache is written whole to a
 * temporary file and renamed over the old one, so a crash leaves the old cache or the new one. A cache that is
 * missing, unreadable, of another key or malformed is ignored: the scan reads everything, as a cold scan.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileFacts } from '../facts';

/** Bumped when what is stored changes shape. */
export const CACHE_FORMAT = 1;

/** Modification times this close to the scan's start (ms) are not trusted. */
export const RACY_MS = 2000;

export interface CachedFile {
  /** Size in bytes and modification time (ms) of the file as the scan's walk saw it. */
  readonly size: number;
  readonly mtime: number;
  readonly lines: number;
  readonly bytes: number;
  /** Whether the file was parsed (it looked interesting), even if it gave no facts. */
  readonly parsed: boolean;
  readonly facts?: FileFacts | undefined;
  /** What the extraction read of the project, each with the answer it got (see answerFor in scan.ts). */
  readonly deps?: readonly (readonly [string, string | boolean])[] | undefined;
}

export interface CacheData {
  readonly format: number;
  readonly key: string;
  readonly files: Readonly<Record<string, CachedFile>>;
}

/** The cache file of one folder in `dir`. */
export function cacheFile(dir: string, root: string): string {
  return path.join(dir, `wire-${crypto.createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16)}.json`);
}

/** The key of a scan: format, scanner code, folder, options. */
export function cacheKey(root: string, options: { exclude?: readonly string[] | undefined; maxFileBytes?: number | undefined; all?: boolean | undefined }): string {
  return JSON.stringify({ format: CACHE_FORMAT, code: codeFingerprint(), root: path.resolve(root), exclude: [...(options.exclude ?? [])].sort(), maxFileBytes: options.maxFileBytes ?? null, all: options.all ?? false });
}

/** Reads a cache; undefined when there is none or it can't be used (another key, unreadable, malformed). */
export function loadCache(file: string, key: string): { data?: CacheData; problem?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? {} : { problem: `could not read ${file}: ${(e as Error).message}` };
  }
  try {
    const data = JSON.parse(text) as Partial<CacheData> | null;
    if (!data || typeof data !== 'object' || data.format !== CACHE_FORMAT || typeof data.files !== 'object' || data.files === null) return { problem: `${file} is not a wire cache of this version` };
    if (data.key !== key) return {};
    return { data: data as CacheData };
  } catch (e) {
    return { problem: `${file} is malformed (${(e as Error).message}); reading every file` };
  }
}

/** Writes a cache atomically: a temporary file in the same folder, renamed over the old one. */
export function writeCache(file: string, data: CacheData): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** A file's size and modification time as one string ('-' when it is not there). */
export function statFingerprint(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** Whether a fingerprint's modification time is safely older than `before` (ms). Absent files are safe. */
export function settledBefore(fingerprint: string, before: number): boolean {
  if (fingerprint === '-') return true;
  return Number(fingerprint.slice(fingerprint.indexOf(':') + 1)) < before - RACY_MS;
}

let code: string | undefined;

/**
 * The scanner's code, as the sizes and modification times of the JavaScript files next to this module (the bundle
 * when bundled; the compiled modules under out/ in tests): a rebuilt or updated extension never reads facts that an
 * older extractor wrote.
 */
export function codeFingerprint(): string {
  if (code !== undefined) return code;
  const here = path.resolve(__dirname, path.basename(__dirname) === 'scan' ? '..' : '.');
  const parts: string[] = [];
  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'tree-sitter') visit(p);
      else if (e.isFile() && e.name.endsWith('.js')) parts.push(`${path.relative(here, p)}=${statFingerprint(p)}`);
    }
  };
  visit(here);
  code = crypto.createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
  return code;
}
