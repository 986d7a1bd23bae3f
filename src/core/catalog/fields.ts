import picomatch from 'picomatch';
import { describe, quote, type Reporter } from './report';

/**
 * Readers for the value types oncall.yaml uses (text, folders, globs). Each reports what is wrong at the value's
 * position and returns what can still be used, or undefined.
 */

/** A non-blank string, trimmed. Anything else is an error. */
export function readText(r: Reporter, path: string, value: unknown, example: string): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  r.atValue(path, 'error', 'wrong-type', `expected ${example}, got ${describe(value)}`);
  return undefined;
}

/**
 * A workspace-relative path, posix: `./` and trailing `/` removed, `\` read as `/`. Absolute paths and `..` are errors:
 * a catalog in a cloned repository must not make the editor read files outside the workspace.
 */
export function readRelativePath(r: Reporter, path: string, value: unknown, what: string): string | undefined {
  const text = readText(r, path, value, what);
  if (text === undefined) return undefined;
  const p = normalizeRelative(text.replace(/\\/g, '/'));
  const problem = outsideProblem(p);
  if (problem) {
    r.atValue(path, 'error', 'not-relative', `${quote(text)} ${problem}`);
    return undefined;
  }
  return p === '' ? '.' : p;
}

/** A list of folders (see {@link readRelativePath}); a single string is an error but is read as a one-item list. */
export function readFolderList(r: Reporter, path: string, value: unknown): string[] {
  const items = listOf(r, path, value, 'a list of folders, e.g. ["runbooks/checkout"]');
  const out: string[] = [];
  items.forEach(([item, itemPath]) => {
    const folder = readRelativePath(r, itemPath, item, 'a folder relative to the workspace folder, e.g. "runbooks/checkout"');
    if (folder !== undefined && !out.includes(folder)) out.push(folder);
  });
  return out;
}

/** A list of globs (a leading `!` excludes); invalid ones are reported and left out. */
export function readGlobList(r: Reporter, path: string, value: unknown): string[] {
  const items = listOf(r, path, value, 'a list of globs, e.g. ["services/checkout/**"]');
  const out: string[] = [];
  items.forEach(([item, itemPath]) => {
    const text = readText(r, itemPath, item, 'a glob relative to the workspace folder, e.g. "services/checkout/**"');
    if (text === undefined) return;
    const negated = text.startsWith('!');
    const body = normalizeRelative(negated ? text.slice(1) : text);
    const problem = globProblem(body);
    if (problem) {
      r.atValue(itemPath, 'error', problem.code, `${quote(text)} ${problem.message}`);
      return;
    }
    if (/\\[A-Za-z0-9_]/.test(body)) r.atValue(itemPath, 'warning', 'invalid-glob', `${quote(text)} uses "\\" (an escape in globs); separate folders with "/"`);
    const glob = negated ? `!${body}` : body;
    if (!out.includes(glob)) out.push(glob);
  });
  return out;
}

/** What is wrong with a glob (without its leading `!`), or undefined. */
export function globProblem(glob: string): { code: string; message: string } | undefined {
  if (glob === '') return { code: 'invalid-glob', message: 'is empty' };
  const outside = outsideProblem(glob);
  if (outside) return { code: 'not-relative', message: outside };
  try {
    picomatch.makeRe(glob, { strictBrackets: true });
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { code: 'invalid-glob', message: `is not a valid glob: ${reason}` };
  }
}

/** The items of a list with their paths. Not a list: an error; a lone string or mapping is read as a one-item list. */
export function listOf(r: Reporter, path: string, value: unknown, expected: string): Array<[unknown, string]> {
  if (Array.isArray(value)) return value.map((item, i) => [item, `${path}[${i}]`]);
  r.atValue(path, 'error', 'wrong-type', `expected ${expected}, got ${describe(value)}`);
  if (typeof value === 'string' || (typeof value === 'object' && value !== null)) return [[value, path]];
  return [];
}

function normalizeRelative(p: string): string {
  let s = p;
  while (s.startsWith('./')) s = s.slice(2);
  while (s.length > 1 && s.endsWith('/') && !s.endsWith('**/')) s = s.slice(0, -1);
  return s === '.' ? '' : s;
}

function outsideProblem(p: string): string | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is absolute; write it relative to the workspace folder';
  if (p.split('/').includes('..')) return 'leaves the workspace folder ("..")';
  return undefined;
}
