/**
 * `parseRunbook`: one Markdown file (bytes or text) → a `Runbook`, never thrown. Reads runbooks as they are written
 * in the wild: our YAML front matter, Hugo YAML/TOML front matter, or none; the alert name as the H1 or the file name;
 * any headings. Binary files, files over the size limit and broken front matter are still listed, with problems.
 */
import * as path from 'node:path';
import type { Problem } from '../util/problems';
import { readFrontMatter, type FrontMatter } from './frontMatter';
import { checkLinks, extractLinks } from './links';
import { headingPlainText, outlineMarkdown, Slugger, type MarkdownHeading } from './markdown';
import type { Runbook, RunbookSection } from './model';

const posix = path.posix;

/** Default size limit: bigger runbooks are listed with an error and only their front matter and title are read. */
export const defaultMaxRunbookBytes = 2 * 1024 * 1024;

/** Sections listed at most (a generated file of a million headings must not cost seconds). */
const maxSections = 5000;

/** How much of an oversized runbook is read for its front matter and H1. */
const headBytes = 64 * 1024;

export interface ParseRunbookOptions {
  /** Path relative to the workspace folder (posix); for built-ins, relative to the extension. */
  readonly file: string;
  /** The runbook root folder the file was found under (same base as `file`): IDs are relative to it. */
  readonly root?: string;
  readonly origin: 'workspace' | 'builtin';
  /** Size limit in bytes (default 2 MB). */
  readonly maxBytes?: number;
  /** The file's real size when `text` holds only its beginning (loaders read no more than they need). */
  readonly totalBytes?: number;
  /**
   * The file's size when the caller did not read it because it is over its own limit: the runbook is listed with a
   * `too-large` error whatever `maxBytes` says (`text` may be empty or the file's head).
   */
  readonly tooLargeBytes?: number;
  /**
   * Whether a path relative to the workspace folder (posix) exists; given, runbook and code links that resolve to
   * no file are reported. Omitted, links are not checked against the file system.
   */
  readonly exists?: (relPath: string) => boolean;
}

/**
 * Parses one runbook. Never throws: every problem (front matter syntax and types, unknown keys, binary content,
 * size, unclosed code fences, unsafe or missing links) is a `Problem` with a 1-based position in the file, and the
 * runbook is returned (listed) whatever its state.
 */
export function parseRunbook(text: string | Uint8Array, opts: ParseRunbookOptions): Runbook {
  try {
    return parse(text, opts);
  } catch (e) {
    const problem: Problem = { message: `This runbook could not be read: ${e instanceof Error ? e.message : String(e)}`, severity: 'error', line: 1, column: 1, code: 'internal' };
    return build(opts, emptyFrontMatter, [], [problem], {});
  }
}

const emptyFrontMatter: FrontMatter = { kind: 'none', bodyIndex: 0, fields: {}, keys: new Map(), problems: [] };

function parse(input: string | Uint8Array, opts: ParseRunbookOptions): Runbook {
  const maxBytes = opts.maxBytes ?? defaultMaxRunbookBytes;
  const size = opts.tooLargeBytes ?? opts.totalBytes ?? (typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength);
  const tooLarge = opts.tooLargeBytes !== undefined || size > maxBytes;
  const decoded = decode(input, tooLarge);
  if (decoded.binary) {
    const problem: Problem = { message: `This is not a text file (${decoded.binary}); it is listed but not shown.`, severity: 'error', line: 1, column: 1, code: 'binary' };
    return build(opts, emptyFrontMatter, [], [problem], { unreadable: 'binary' });
  }
  let lines = decoded.text.split(/\r\n?|\n/);
  // A cut-off head ends in a partial line.
  if (decoded.truncated && lines.length > 1) lines = lines.slice(0, -1);
  const fm = readFrontMatter(lines);
  const problems: Problem[] = [...fm.problems];
  if (tooLarge) {
    const limit = opts.tooLargeBytes !== undefined && size <= maxBytes ? 'size' : `${megabytes(maxBytes)}`;
    problems.unshift({ message: `This runbook is ${megabytes(size)}, over the ${limit} limit: only its front matter and title are read, and it is not shown.`, severity: 'error', line: 1, column: 1, code: 'too-large' });
  }
  const outline = outlineMarkdown(lines, fm.bodyIndex);
  const headings = tooLarge ? outline.headings.filter((h) => h.level === 1).slice(0, 1) : outline.headings;
  const sections = toSections(headings.length > maxSections ? headings.slice(0, maxSections) : headings);
  if (headings.length > maxSections) {
    const first = headings[maxSections] as MarkdownHeading;
    problems.push({ message: `This runbook has ${headings.length} headings; only the first ${maxSections} are listed.`, severity: 'warning', line: first.line, column: first.column, code: 'too-many-headings' });
  }
  if (!tooLarge) {
    problems.push(...outline.problems);
    const links = extractLinks(lines, outline.prose);
    const slugs = new Set(sections.map((s) => s.slug));
    problems.push(...checkLinks(links, opts.file, { slugs, ...(opts.exists ? { exists: opts.exists } : {}), ...(opts.root !== undefined ? { root: opts.root } : {}) }));
  }
  return build(opts, fm, sections, problems, tooLarge ? { unreadable: 'too-large', h1: headings[0] } : { h1: headings.find((h) => h.level === 1) });
}

/** Decoded text, or why the bytes are not text: NUL bytes or invalid UTF-8. A UTF-8 BOM is dropped. */
function decode(input: string | Uint8Array, headOnly: boolean): { text: string; binary?: string; truncated?: boolean } {
  if (typeof input === 'string') {
    const truncated = headOnly && input.length > headBytes;
    const text = truncated ? input.slice(0, headBytes) : input;
    if (text.includes('\u0000')) return { text: '', binary: 'it contains NUL bytes' };
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, truncated };
  }
  let bytes = input;
  const truncated = headOnly && bytes.byteLength > headBytes;
  if (truncated) {
    let end = headBytes;
    // Do not cut a UTF-8 sequence in half: back up over continuation bytes.
    while (end > headBytes - 4 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
    bytes = bytes.subarray(0, end);
  }
  if (bytes.includes(0)) return { text: '', binary: 'it contains NUL bytes' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), truncated };
  } catch {
    return { text: '', binary: 'it is not valid UTF-8' };
  }
}

function toSections(headings: readonly MarkdownHeading[]): RunbookSection[] {
  const slugger = new Slugger();
  return headings.map((h) => {
    const title = headingPlainText(h.text);
    return { title, level: h.level, line: h.line, slug: slugger.slug(title) };
  });
}

/** Alert names as people write them: identifiers like `KubePodCrashLooping`, `instance_down`, `HighCPU`. */
export function looksLikeAlertName(s: string): boolean {
  // An upper-case letter or an underscore somewhere, but not a shouted word (README, SOURCE, TODO).
  return /^[A-Za-z][A-Za-z0-9_:]{1,199}$/.test(s) && /[A-Z_]/.test(s) && !/^[A-Z]+$/.test(s);
}

/** Files that describe a folder or a repository (`_index`, `README`, `SOURCE`, `CODE_OF_CONDUCT`), never one alert. */
function isFolderPage(base: string): boolean {
  return /^(_index|index|readme|contributing|changelog|license|code_of_conduct|security|template|_template)$/i.test(base) || /^[A-Z]+$/.test(base);
}

function build(opts: ParseRunbookOptions, fm: FrontMatter, sections: readonly RunbookSection[], problems: Problem[], extra: { unreadable?: 'binary' | 'too-large'; h1?: MarkdownHeading | undefined }): Runbook {
  const file = opts.file.replace(/\\/g, '/');
  const base = posix.basename(file).replace(/\.(md|markdown)$/i, '');
  const f = fm.fields;
  const h1 = extra.h1;
  const h1Text = h1 ? headingPlainText(h1.text) : undefined;
  const folderPage = isFolderPage(base);
  let alerts: readonly string[] = [];
  let alertsFrom: Runbook['alertsFrom'];
  const alertsKey = fm.keys.get('alerts');
  if (f.alerts !== undefined) {
    alerts = [...new Set(f.alerts)];
    alertsFrom = { source: 'front-matter', line: alertsKey?.valueLine ?? 1, column: alertsKey?.valueColumn ?? 1 };
  } else if (!folderPage && h1Text !== undefined && looksLikeAlertName(h1Text)) {
    alerts = [h1Text];
    alertsFrom = { source: 'h1', line: h1!.line, column: h1!.column };
  } else if (!folderPage && looksLikeAlertName(base)) {
    alerts = [base];
    alertsFrom = { source: 'file-name', line: 1, column: 1 };
  }
  const keyPositions: Record<string, { line: number; column: number }> = {};
  for (const [k, p] of fm.keys) keyPositions[k] = { line: p.line, column: p.column };
  if (h1) keyPositions.h1 = { line: h1.line, column: h1.column };
  const bodyLine = fm.bodyIndex + 1;
  return {
    id: f.id ?? idFromPath(file, opts.root),
    file,
    title: f.title ?? (h1Text || base),
    services: f.services ?? [],
    alerts,
    ...(f.severity !== undefined ? { severity: f.severity } : {}),
    code: f.code ?? [],
    ...(f.owner !== undefined ? { owner: f.owner } : {}),
    ...(f.lastReviewed !== undefined ? { lastReviewed: f.lastReviewed } : {}),
    tags: f.tags ?? [],
    sections,
    problems,
    origin: opts.origin,
    isSectionIndex: base === '_index',
    bodyLine,
    ...(alertsFrom ? { alertsFrom } : {}),
    keyPositions,
    ...(extra.unreadable ? { unreadable: extra.unreadable } : {}),
  };
}

/** The path relative to the runbook root, without `.md` (posix). */
export function idFromPath(file: string, root: string | undefined): string {
  let rel = file;
  const r = (root ?? '').replace(/\\/g, '/').replace(/^\.\/?/, '').replace(/\/+$/, '');
  if (r !== '' && file.startsWith(`${r}/`)) rel = file.slice(r.length + 1);
  return rel.replace(/\.(md|markdown)$/i, '');
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? `${Math.round(mb)} MB` : `${Math.round(mb * 10) / 10} MB`;
}
