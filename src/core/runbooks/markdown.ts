/**
 * A light, linear line scanner for runbook Markdown: headings (ATX and setext), the lines that are prose (outside
 * fenced code blocks and HTML comments) and inline code spans. It is not a Markdown renderer — the renderer uses
 * markdown-it — but it agrees with markdown-it on what a heading is and which text is code, which is what the
 * outline, the section anchors and the link checks need. Every step is linear in the input, so a 5 MB runbook (or a
 * 5 MB single line) cannot hang the extension host.
 */
import type { Problem } from '../util/problems';

/** A heading as written: `text` is the raw inline Markdown (emphasis, code, links not yet stripped). */
export interface MarkdownHeading {
  readonly level: number;
  readonly text: string;
  /** 1-based line in the file (the text line for setext headings). */
  readonly line: number;
  /** 1-based column of the first `#` (or of the text for setext headings). */
  readonly column: number;
}

export interface MarkdownOutline {
  readonly headings: readonly MarkdownHeading[];
  /** 0-based indexes into the lines of lines outside fenced code blocks and HTML comments. */
  readonly prose: readonly number[];
  /** Markdown problems: an unclosed code fence. */
  readonly problems: readonly Problem[];
}

const fenceOpen = /^[ \t]*(`{3,}|~{3,})/;
const setextUnderline = /^ {0,3}(=+|-+)[ \t]*$/;
const listItem = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const thematicBreak = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;

/**
 * Reads the outline of the Markdown in `lines[from..]` (`lines` is the whole file, so line numbers are positions in
 * the file). Fences may be indented (list items), are closed by a run of the same character at least as long, and
 * run to the end of the document when unclosed (as in markdown-it), with a warning.
 */
export function outlineMarkdown(lines: readonly string[], from: number): MarkdownOutline {
  const headings: MarkdownHeading[] = [];
  const prose: number[] = [];
  const problems: Problem[] = [];
  let fence: { char: string; length: number; line: number } | undefined;
  let inComment = false;
  /** Index of the first line of the open paragraph, or -1: setext underlines turn it into a heading. */
  let paragraph = -1;
  let inList = false;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] as string;
    if (fence) {
      const close = fenceOpen.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length && line.slice(close[0].length).trim() === '') fence = undefined;
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    const open = fenceOpen.exec(line);
    if (open && !(open[1]![0] === '`' && line.slice(open[0].length).includes('`'))) {
      fence = { char: open[1]![0] as string, length: open[1]!.length, line: i + 1 };
      paragraph = -1;
      continue;
    }
    if (/^ {0,3}<!--/.test(line)) {
      if (!line.includes('-->', line.indexOf('<!--') + 4)) inComment = true;
      paragraph = -1;
      continue;
    }
    prose.push(i);
    if (line.trim() === '') {
      paragraph = -1;
      inList = false;
      continue;
    }
    const atx = atxHeading(line);
    if (atx) {
      headings.push({ ...atx, line: i + 1 });
      paragraph = -1;
      inList = false;
      continue;
    }
    const underline = setextUnderline.exec(line);
    if (underline && paragraph >= 0) {
      const text = lines.slice(paragraph, i).map((l) => l.trim()).join(' ');
      const first = lines[paragraph] as string;
      headings.push({ level: underline[1]![0] === '=' ? 1 : 2, text, line: paragraph + 1, column: first.length - first.trimStart().length + 1 });
      paragraph = -1;
      continue;
    }
    if (thematicBreak.test(line) || /^ {0,3}[><]/.test(line)) {
      paragraph = -1;
      continue;
    }
    if (listItem.test(line)) {
      inList = true;
      paragraph = -1;
      continue;
    }
    if (paragraph < 0 && !inList && !/^(?: {4}|\t)/.test(line)) paragraph = i;
  }
  if (fence) {
    problems.push({ message: `This code block (opened with ${fence.char.repeat(fence.length)}) is never closed: the rest of the runbook reads as code.`, severity: 'warning', line: fence.line, column: 1, code: 'unclosed-fence' });
  }
  return { headings, prose, problems };
}

/** An ATX heading (`## Diagnosis ##`), read without backtracking regexes (lines may be megabytes long). */
function atxHeading(line: string): { level: number; text: string; column: number } | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  const hashes = i;
  while (line[i] === '#' && i - hashes < 7) i++;
  const level = i - hashes;
  if (level < 1 || level > 6) return undefined;
  if (i < line.length && line[i] !== ' ' && line[i] !== '\t') return undefined;
  let text = line.slice(i).trim();
  // A closing sequence of #s counts only when preceded by a space (or when it is all there is).
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end === 0) text = '';
  else if (end < text.length && (text[end - 1] === ' ' || text[end - 1] === '\t')) text = text.slice(0, end).trimEnd();
  return { level, text, column: hashes + 1 };
}

/**
 * Marks inline code spans: returns the line with the content of every code span (and its backticks) replaced by
 * spaces, so link scanners skip code without losing columns. Linear: each backtick run is matched to the next run of
 * the same length through a table built right to left.
 */
export function maskCodeSpans(line: string): string {
  if (!line.includes('`')) return line;
  const runs: Array<{ start: number; length: number }> = [];
  for (let i = 0; i < line.length; ) {
    if (line[i] === '`') {
      const start = i;
      while (line[i] === '`') i++;
      runs.push({ start, length: i - start });
    } else i++;
  }
  const next = new Array<number>(runs.length).fill(-1);
  const lastOfLength = new Map<number, number>();
  for (let r = runs.length - 1; r >= 0; r--) {
    const run = runs[r]!;
    next[r] = lastOfLength.get(run.length) ?? -1;
    lastOfLength.set(run.length, r);
  }
  const chars = line.split('');
  for (let r = 0; r < runs.length; ) {
    const close = next[r]!;
    if (close < 0) {
      r++;
      continue;
    }
    const from = runs[r]!.start;
    const to = runs[close]!.start + runs[close]!.length;
    for (let c = from; c < to; c++) chars[c] = ' ';
    r = close + 1;
  }
  return chars.join('');
}

/**
 * The text a heading renders to (what markdown-it's text content would be): emphasis markers, code backticks, link
 * and image syntax and HTML tags removed, common entities decoded.
 */
export function headingPlainText(text: string): string {
  // Headings longer than this are not headings anyone links to; the cap keeps the regexes below cheap.
  return (text.length > 1000 ? text.slice(0, 1000) : text)
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>\n]*>/g, '')
    .replace(/`+/g, '')
    .replace(/(\*{1,3}|_{1,3})(\S(?:.*?\S)?)\1/g, '$2')
    .replace(/~~(\S(?:.*?\S)?)~~/g, '$1')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, '\u00a0')
    .trim();
}

/**
 * GitHub's anchor slugs (the github-slugger algorithm): lower-case, every character that is not a letter, mark,
 * number, connector punctuation, space or hyphen removed, each space turned into `-`; a repeated slug gets `-1`,
 * `-2`, … in order of appearance.
 */
export class Slugger {
  private readonly seen = new Map<string, number>();

  slug(text: string): string {
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    let slug = base;
    while (this.seen.has(slug)) {
      const n = (this.seen.get(base) ?? 0) + 1;
      this.seen.set(base, n);
      slug = `${base}-${n}`;
    }
    this.seen.set(slug, 0);
    return slug;
  }
}
