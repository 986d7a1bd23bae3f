/**
 * The escapes of the incident file format (format.ts): each one adds a backslash to what would be mistaken for
 * structure and removes exactly one when read, so every text survives the round trip while the common case is
 * written as typed. Also the file's time notation and the invisible ID comments.
 */

// ---------------------------------------------------------------------------------------------------------------
// Escapes: "add one backslash" rules, bijective because every match gains one and reading removes one.
// ---------------------------------------------------------------------------------------------------------------

/** `<!--` would open an HTML comment, hiding the rest of the line on GitHub and confusing the ID comments. */
const escComment = (s: string): string => s.replace(/<(\\*)!--/g, '<\\$1!--');
const unescComment = (s: string): string => s.replace(/<\\(\\*)!--/g, '<$1!--');

/**
 * Text of one line (statement, action, timeline entry, source, who, shape): line breaks are written `<br>` (which
 * GitHub shows as a line break); a `<br>` typed as text gains a backslash.
 */
export function encodeInline(s: string): string {
  return escComment(s)
    .replace(/<(\\*)br>/g, '<\\$1br>')
    .replace(/\n/g, '<br>');
}

export function decodeInline(s: string): string {
  return unescComment(s.replace(/<(\\*)br>/g, (_m, b: string) => (b === '' ? '\n' : `<${b.slice(1)}br>`)));
}

/** Text of a list item (observation, evidence, prediction, test, verdict): lines as written, `<!--` escaped. */
export function encodeItemText(s: string): string[] {
  return s.split('\n').map(escComment);
}

export function decodeItemText(lines: readonly string[]): string {
  return lines.map(unescComment).join('\n');
}

/** A level-2 heading as the parser sees one: `##` and a space, a tab or the end of the line, at column 1. */
export function isH2(line: string): boolean {
  return /^##(?=[ \t]|$)/.test(line);
}

export function isH3(line: string): boolean {
  return /^###(?=[ \t]|$)/.test(line);
}

/** The sections the format knows, by the normalized title of their `##` heading. */
export type SectionName = 'summary' | 'impact' | 'observations' | 'hypotheses' | 'actions' | 'timeline' | 'notes';
const SECTION_TITLES: ReadonlyMap<string, SectionName> = new Map([
  ['summary', 'summary'], ['impact', 'impact'], ['observations', 'observations'], ['hypotheses', 'hypotheses'], ['actions', 'actions'], ['timeline', 'timeline'], ['timeline (utc)', 'timeline'], ['notes', 'notes'],
]);

/** The known section a line is the heading of (`## Timeline (UTC)`, case and spacing aside), if any. */
export function knownSection(line: string): SectionName | undefined {
  if (!isH2(line) || line.length > 80) return undefined;
  let title = line.slice(2).trim();
  // A closing sequence: `## Summary ##`.
  let end = title.length;
  while (end > 0 && title[end - 1] === '#') end--;
  if (end < title.length && (end === 0 || title[end - 1] === ' ' || title[end - 1] === '\t')) title = title.slice(0, end).trim();
  return SECTION_TITLES.get(title.replace(/\s+/g, ' ').toLowerCase());
}

/**
 * Section text (summary, impact): a line that would start a section (`## …`, also behind backslashes) gains a
 * backslash, so `\## Timeline` shows the text as typed on GitHub and reads back as `## Timeline`.
 */
export function encodeSectionText(s: string): string {
  return s.replace(/^(\\*)(?=##(?:[ \t]|$))/gm, '\\$1');
}

export function decodeSectionText(s: string): string {
  return s.replace(/^\\(\\*)(?=##(?:[ \t]|$))/gm, '$1');
}

/** Notes (unmodelled Markdown): only a line that is a *known* section heading gains a backslash; others stay headings. */
export function encodeNotes(s: string): string {
  return s
    .split('\n')
    .map((l) => (knownSection(l.replace(/^\\+/, '')) !== undefined ? `\\${l}` : l))
    .join('\n');
}

export function decodeNotes(s: string): string {
  return s
    .split('\n')
    .map((l) => (l.startsWith('\\') && knownSection(l.replace(/^\\+/, '')) !== undefined ? l.slice(1) : l))
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Times
// ---------------------------------------------------------------------------------------------------------------

/** `2026-11-24T03:12:09Z` → `2026-11-24 03:12:09Z` (how the file shows times: easier to read, still unambiguous). */
export function showTime(utc: string): string {
  return utc.replace('T', ' ');
}

/** A time as people write it at the start of an item: full (`2026-11-24 03:12:09Z`, `T` or space, seconds and `Z` optional) or `03:12[:09][Z]`. */
export const TIME_SRC = String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?Z?|\d{2}:\d{2}(?::\d{2})?Z?`;

/**
 * A written time in the model's format; a time of day takes the date of `context` (the previous item's time).
 * Undefined when it is not a real time (`2026-13-45 99:99`).
 */
export function readTime(written: string, context: string | undefined): string | undefined {
  let m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?Z?$/.exec(written);
  if (!m) {
    const t = /^(\d{2}:\d{2})(:\d{2})?Z?$/.exec(written);
    if (!t || context === undefined) return undefined;
    m = [written, context.slice(0, 10), t[1] as string, t[2] as string] as unknown as RegExpExecArray;
  }
  const utc = `${m[1]}T${m[2]}${m[3] ?? ':00'}Z`;
  const d = new Date(utc);
  return !Number.isNaN(d.getTime()) && d.toISOString().replace(/\.\d{3}Z$/, 'Z') === utc ? utc : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The invisible ID comment at the end of an entry's line
// ---------------------------------------------------------------------------------------------------------------

const ID = '[a-z]-[a-z0-9]{1,16}';
const idCommentRe = new RegExp(`<!-- (${ID})(?: ref=(${ID}))? -->[ \\t]*$`);

/** ` <!-- t-k3x9 ref=h-2m7q -->` */
export function idComment(id: string, ref?: string): string {
  return ` <!-- ${id}${ref !== undefined ? ` ref=${ref}` : ''} -->`;
}

/** The ID comment at the end of `line`, and the line without it. */
export function splitIdComment(line: string): { rest: string; id: string; ref?: string } | undefined {
  const m = idCommentRe.exec(line);
  if (!m) return undefined;
  // Trimmed here rather than matched with `[ \t]*` in front, which is quadratic on a long run of spaces.
  return { rest: line.slice(0, m.index).trimEnd(), id: m[1] as string, ...(m[2] !== undefined ? { ref: m[2] } : {}) };
}

/**
 * Written between an entry's text and its tokens (source, link) when the text itself ends like a token would: text
 * never holds a raw `<!--`, so the first `<!-- -->` is always this marker.
 */
export const TEXT_END = ' <!-- -->';
