/**
 * Reading a postmortem for the lint (postmortemLint.ts): its lines with code and comments masked out, its headings and
 * the canonical sections they name, the people it names, empty sections and placeholders, table cells, list items and
 * paragraphs. Pure and linear, like the rules that use it (postmortemRules.ts).
 */

// ---------------------------------------------------------------------------------------------------------------
// Reading the document: lines, code and comments masked out, headings, sections
// ---------------------------------------------------------------------------------------------------------------

export type SectionKey = 'summary' | 'impact' | 'rootCauses' | 'contributing' | 'trigger' | 'actionItems' | 'lessons' | 'wentWell' | 'gotLucky' | 'timeline';

export interface Heading {
  readonly line: number;
  readonly level: number;
  readonly title: string;
  /** Where the title starts on the line (0-based). */
  readonly col: number;
  readonly key?: SectionKey;
}

export interface Section {
  readonly heading: Heading;
  /** The first line after the heading. */
  readonly start: number;
  /** The first line after the section (the next heading of the same or a higher level). */
  readonly end: number;
}

export interface Doc {
  readonly lines: readonly string[];
  /** The lines with code (fenced blocks, inline code spans) and HTML comments replaced by spaces: same columns. */
  readonly masked: readonly string[];
  readonly fenced: readonly boolean[];
  /** Lines that are only an HTML comment, or the italic hint right after one (the draft's prompts). */
  readonly hint: readonly boolean[];
  readonly headings: readonly Heading[];
  readonly sections: ReadonlyMap<SectionKey, Section>;
  /** Words the document writes in lower case (so "Checkout" at a sentence start is not a name). */
  readonly lowerWords: ReadonlySet<string>;
  /** Names the document gives to people: the incident commander, authors, owners. */
  readonly people: ReadonlySet<string>;
}

export function readDoc(text: string): Doc {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const { masked, fenced } = maskCode(lines);
  const hint: boolean[] = lines.map((l, i) => l.trim() !== '' && (masked[i] ?? '').trim() === '' && !(fenced[i] ?? false));
  let prev = -1;
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (t === '') continue;
    if (prev >= 0 && hint[prev] === true && !hint[i] && t.length >= 3 && ((t.startsWith('_') && t.endsWith('_')) || (t.startsWith('*') && t.endsWith('*') && !t.startsWith('* ')))) hint[i] = true;
    prev = i;
  }
  const headings: Heading[] = [];
  for (let i = 0; i < masked.length; i++) {
    const h = readHeading(masked[i] ?? '');
    if (h === undefined) continue;
    const title = (lines[i] ?? '').slice(h.col, h.end).trim();
    headings.push({ line: i, level: h.level, title, col: h.col, key: h.level <= 4 ? sectionKey(title) : undefined });
  }
  const sections = new Map<SectionKey, Section>();
  headings.forEach((h, k) => {
    if (h.key === undefined || sections.has(h.key)) return;
    let end = lines.length;
    for (let j = k + 1; j < headings.length; j++) {
      const n = headings[j] as Heading;
      if (n.level <= h.level) {
        end = n.line;
        break;
      }
    }
    sections.set(h.key, { heading: h, start: h.line + 1, end });
  });
  const lowerWords = new Set<string>();
  for (const m of text.matchAll(/(?<![@/\w.-])[a-z][a-z'’]{0,30}(?![\w@])/g)) lowerWords.add(m[0]);
  return { lines, masked, fenced, hint, headings, sections, lowerWords, people: peopleOf(lines) };
}

/** Fenced code blocks, inline code spans and HTML comments as spaces (linear: each backtick run is matched once). */
function maskCode(lines: readonly string[]): { masked: string[]; fenced: boolean[] } {
  const masked: string[] = [];
  const fenced: boolean[] = [];
  let fence: { ch: string; len: number } | undefined;
  let inComment = false;
  for (const line of lines) {
    if (fence !== undefined) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close !== null && (close[1] as string)[0] === fence.ch && (close[1] as string).length >= fence.len) fence = undefined;
      masked.push(' '.repeat(line.length));
      fenced.push(true);
      continue;
    }
    if (!inComment) {
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (open !== null && !((open[1] as string)[0] === '`' && line.slice(open[0].length).includes('`'))) {
        fence = { ch: (open[1] as string)[0] as string, len: (open[1] as string).length };
        masked.push(' '.repeat(line.length));
        fenced.push(true);
        continue;
      }
    }
    if (!inComment && !line.includes('`') && !line.includes('<!--')) {
      masked.push(line);
      fenced.push(false);
      continue;
    }
    // Backtick runs of the line, grouped by length, to find each run's closing run in amortized constant time.
    const runs: { pos: number; len: number }[] = [];
    for (let j = 0; j < line.length; j++) {
      if (line[j] !== '`') continue;
      let k = j;
      while (line[k] === '`') k++;
      runs.push({ pos: j, len: k - j });
      j = k - 1;
    }
    const byLen = new Map<number, number[]>();
    runs.forEach((r, idx) => {
      const list = byLen.get(r.len);
      if (list === undefined) byLen.set(r.len, [idx]);
      else list.push(idx);
    });
    const ptr = new Map<number, number>();
    const out = line.split('');
    const blank = (from: number, to: number): void => {
      for (let x = from; x < to; x++) out[x] = ' ';
    };
    let ri = 0;
    let j = 0;
    let nextComment = -1;
    let searchedFrom = -1; // where nextComment was searched from (-1: not yet): one search per comment, not per step
    while (j < line.length) {
      if (inComment) {
        const close = line.indexOf('-->', j);
        if (close < 0) {
          blank(j, line.length);
          break;
        }
        blank(j, close + 3);
        inComment = false;
        j = close + 3;
        searchedFrom = -1;
        continue;
      }
      if (searchedFrom < 0 || (nextComment >= 0 && nextComment < j)) {
        nextComment = line.indexOf('<!--', j);
        searchedFrom = j;
      }
      while (ri < runs.length && (runs[ri] as { pos: number }).pos < j) ri++;
      const run = runs[ri];
      if (run === undefined && nextComment < 0) break;
      if (run === undefined || (nextComment >= 0 && nextComment < run.pos)) {
        blank(nextComment, nextComment + 4);
        inComment = true;
        j = nextComment + 4;
        continue;
      }
      const list = byLen.get(run.len) as number[];
      let p = ptr.get(run.len) ?? 0;
      while (p < list.length && (list[p] as number) <= ri) p++;
      ptr.set(run.len, p);
      const closeIdx = list[p];
      if (closeIdx === undefined) {
        j = run.pos + run.len;
        continue;
      }
      const close = runs[closeIdx] as { pos: number; len: number };
      blank(run.pos, close.pos + close.len);
      j = close.pos + close.len;
    }
    masked.push(out.join(''));
    fenced.push(false);
  }
  return { masked, fenced };
}

/** An ATX heading: its level and where its title is (without a closing run of `#`). */
function readHeading(line: string): { level: number; col: number; end: number } | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  let level = 0;
  while (line[i + level] === '#') level++;
  if (level < 1 || level > 6) return undefined;
  const after = i + level;
  if (after < line.length && line[after] !== ' ' && line[after] !== '\t') return undefined;
  let col = after;
  while (line[col] === ' ' || line[col] === '\t') col++;
  let end = line.length;
  while (end > col && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  let h = end;
  while (h > col && line[h - 1] === '#') h--;
  if (h < end && (h === col || line[h - 1] === ' ' || line[h - 1] === '\t')) {
    end = h;
    while (end > col && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  }
  return { level, col, end };
}

const SECTION_PATTERNS: readonly (readonly [SectionKey, RegExp, readonly string[]])[] = [
  ['summary', /^(?:executive |incident )?summary$|^overview$|^tl;? ?dr$/, ['summary']],
  ['impact', /^(?:customer |user |business )?impact$|^impact (?:on|to) .{1,60}$/, ['impact']],
  ['rootCauses', /^root[ -]?causes?(?: analysis)?$|^root[ -]?causes? and contributing (?:factors|causes)$|^causes?$/, ['root causes', 'root cause']],
  ['contributing', /^contributing (?:factors|causes)$/, ['contributing factors']],
  ['trigger', /^triggers?$|^trigger(?:ing)? event$|^what (?:triggered|set off) (?:it|the incident)$/, ['trigger']],
  ['actionItems', /^action items?$|^actions?$|^follow[ -]?ups?(?: actions| items)?$|^corrective actions$|^remediation(?: items| actions)?$|^next steps$/, ['action items']],
  ['lessons', /^lessons(?: learned| learnt)?$/, ['lessons learned']],
  ['wentWell', /^(?:what|things that) went (?:well|right)$|^went well$|^what worked(?: well)?$/, ['what went well']],
  ['gotLucky', /^(?:where|what|how|when) we (?:got|were) lucky(?: with)?$|^got lucky$|^luck(?:y)?$/, ['where we got lucky']],
  ['timeline', /^(?:incident |detailed )?timeline$/, ['timeline']],
];

/** The canonical section a heading names, if any: case-insensitive, numbering, emphasis, "(UTC)" and a typo or two ignored. */
function sectionKey(title: string): SectionKey | undefined {
  let t = title
    .slice(0, 120)
    .toLowerCase()
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/&/g, 'and')
    .trim()
    .replace(/^\d{1,3}(?:\.\d{1,3}){0,3}[.)]? /, '');
  // No regular expressions at the end of the title: a long run of dots or spaces would make them quadratic.
  const trimEnd = (): void => {
    let e = t.length;
    while (e > 0 && (t[e - 1] === ':' || t[e - 1] === '.' || t[e - 1] === ' ')) e--;
    t = t.slice(0, e);
  };
  trimEnd();
  if (t.endsWith(')') && t.lastIndexOf('(') > 0) t = t.slice(0, t.lastIndexOf('('));
  trimEnd();
  for (const [key, re] of SECTION_PATTERNS) if (re.test(t)) return key;
  if (t.length > 40) return undefined;
  for (const [key, , names] of SECTION_PATTERNS) {
    for (const n of names) if (n.length >= 7 && Math.abs(n.length - t.length) <= 2 && editDistance(n, t) <= 2) return key;
  }
  return undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

/** People the postmortem names in its metadata table (commander, authors) and as owners. */
function peopleOf(lines: readonly string[]): Set<string> {
  const people = new Set<string>();
  for (const line of lines) {
    const m = /^\s*\|\s*(?:incident commander|commander|authors?|owners?|responders?|on-?call)\s*\|([^|]{1,300})\|/i.exec(line);
    if (m === null) continue;
    for (const name of (m[1] as string).split(/,|\band\b/)) {
      const n = name.replace(/[*_]/g, '').trim();
      if (/^[A-Z][\w'’-]{1,30}(?: [A-Z][\w'’-]{1,30}){0,2}$/.test(n)) for (const w of n.split(' ')) people.add(w);
    }
  }
  return people;
}

// ---------------------------------------------------------------------------------------------------------------
// Sections: empty, placeholders
// ---------------------------------------------------------------------------------------------------------------

export const headingCols = (h: Heading): [number, number] => [h.col, h.col + Math.max(h.title.length, 1)];

/** Whether the lines hold nothing but blank lines, prompts, subheadings, table headers and placeholder cells. */
export function isEmpty(doc: Doc, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (doc.hint[i] === true) continue;
    const raw = doc.lines[i] as string;
    if (doc.fenced[i] === true) {
      if (!/^ {0,3}(?:`{3,}|~{3,})/.test(raw) && raw.trim() !== '') return false;
      continue;
    }
    const line = doc.masked[i] as string;
    if (line.trim() === '' || readHeading(line) !== undefined || isTableSeparator(line)) continue;
    if (line.includes('|')) {
      if (isTableSeparator(doc.masked[i + 1] ?? '')) continue; // a header row
      if (splitRow(raw).some((c) => !isPlaceholder(c.text))) return false;
      continue;
    }
    if (!isPlaceholder(raw)) return false;
  }
  return true;
}

/** Blank, italic-only (a prompt), or a stand-in: TBD, TODO, ?, -, n/a. */
export function isPlaceholder(s: string): boolean {
  const t = s.trim();
  if (t.length >= 3 && ((t.startsWith('_') && t.endsWith('_')) || (t.startsWith('*') && t.endsWith('*') && !t.startsWith('* ')))) return true;
  const bare = t.replace(/^(?:[-*+]|\d{1,9}[.)])\s+/, '').replace(/[*_`>#|:\s]/g, '');
  return bare === '' || /^(?:tbd|tbc|todo|fixme|xxx|n\/?a|none|\?+|-+|—|–|\.\.\.|…)$/i.test(bare);
}

// ---------------------------------------------------------------------------------------------------------------
// Tables and lists
// ---------------------------------------------------------------------------------------------------------------

export interface Cell {
  /** Trimmed. */
  readonly text: string;
  /** Where the trimmed text starts and ends (or, when empty, the cell between its pipes). */
  readonly start: number;
  readonly end: number;
}

/** The cells of a table row; `\|` does not split. */
export function splitRow(line: string): Cell[] {
  const cells: Cell[] = [];
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  if (line[i] === '|') i++;
  let from = i;
  const close = (to: number): void => {
    let s = from;
    let e = to;
    while (s < e && /\s/.test(line[s] as string)) s++;
    while (e > s && /\s/.test(line[e - 1] as string)) e--;
    cells.push(s === e ? { text: '', start: from, end: Math.max(to, from + 1) } : { text: line.slice(s, e), start: s, end: e });
  };
  for (; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') {
      close(i);
      from = i + 1;
    }
  }
  if (line.slice(from).trim() !== '') close(line.length);
  return cells;
}

export function isTableSeparator(line: string): boolean {
  if (!line.includes('-') || !line.includes('|')) return false;
  const cells = splitRow(line);
  return cells.length > 0 && cells.every((c) => /^:?-{1,}:?$/.test(c.text));
}

interface ListItem {
  readonly line: number;
  /** Where the item's text starts (after the marker and a task box). */
  readonly col: number;
  /** The item's text, its continuation lines joined with a space. */
  readonly text: string;
  readonly checked: boolean;
}

interface Block {
  readonly kind: 'paragraph' | 'item';
  readonly line: number;
  readonly col: number;
  readonly text: string;
}

/**
 * The paragraphs and top-level list items of lines [start, end), stopping at nothing: prompts, tables and code are
 * skipped, nested items and continuation lines belong to their item.
 */
export function blocksOf(doc: Doc, start: number, end: number): { blocks: Block[]; items: ListItem[] } {
  const blocks: Block[] = [];
  const items: ListItem[] = [];
  let cur: { kind: 'paragraph' | 'item'; line: number; col: number; parts: string[]; checked: boolean } | undefined;
  const flush = (): void => {
    if (cur === undefined) return;
    const text = cur.parts.join(' ').trim();
    blocks.push({ kind: cur.kind, line: cur.line, col: cur.col, text });
    if (cur.kind === 'item') items.push({ line: cur.line, col: cur.col, text, checked: cur.checked });
    cur = undefined;
  };
  let blankBefore = false;
  for (let i = start; i < end; i++) {
    const raw = doc.lines[i] as string;
    const line = doc.masked[i] as string;
    if (doc.hint[i] === true) continue;
    if (doc.fenced[i] === true || line.trim() === '' || readHeading(line) !== undefined) {
      if (doc.fenced[i] !== true) blankBefore = true;
      if (readHeading(line) !== undefined) flush();
      continue;
    }
    if (line.trimStart().startsWith('|') || isTableSeparator(line)) {
      flush();
      continue;
    }
    const li = /^( ?)([-*+]|\d{1,9}[.)])([ \t]{1,4})(\[[ xX]\][ \t]{1,4})?/.exec(raw);
    if (li !== null) {
      flush();
      cur = { kind: 'item', line: i, col: li[0].length, parts: [raw.slice(li[0].length)], checked: /\[[xX]\]/.test(li[4] ?? '') };
    } else if (cur !== undefined && (!blankBefore || (cur.kind === 'item' && /^[ \t]{2}/.test(raw)))) {
      cur.parts.push(raw.trim()); // a continuation line, or a nested item: part of its item
    } else {
      flush();
      const col = raw.length - raw.trimStart().length;
      cur = { kind: 'paragraph', line: i, col, parts: [raw.trim()], checked: false };
    }
    blankBefore = false;
  }
  flush();
  return { blocks, items };
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing text
// ---------------------------------------------------------------------------------------------------------------

/** Lower case, no Markdown, no leading time stamps, one space between words. */
export function normalize(s: string): string {
  return s
    .slice(0, 10000)
    .toLowerCase()
    .replace(/\d{4}-\d{2}-\d{2}(?:[ t]\d{2}:\d{2}(?::\d{2})?z?(?: utc)?)?/g, ' ')
    .replace(/^\s*h\d{1,3}:/, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
