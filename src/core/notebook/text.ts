/**
 * How text is kept in an incident: what {@link applyOp} stores, what the file format reads back, what the round trip
 * is exact for. Pure ES (no Node, no DOM): the webview protocol imports ops.ts, which imports this.
 *
 * A stored text is *normalized*: line ends are `\n`, lone UTF-16 surrogates (which no file or JSON encoder keeps) are
 * U+FFFD, and there is no leading or trailing white space. An optional text is absent rather than empty.
 */

/** Length caps, in UTF-16 code units, per field. */
export const LIMITS = {
  /** Multi-line Markdown: summary, impact, observation and evidence text, prediction, test, verdict. */
  text: 20_000,
  /** One line: title, hypothesis statement, action, timeline entry, alert. */
  line: 2_000,
  /** A name: commander, who, source, service, shape ID. */
  name: 200,
  /** Services per incident. */
  services: 50,
  /** Any string the webview sends, before normalization (the message is dropped beyond it). */
  webviewString: 50_000,
} as const;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `\r\n` and `\r` → `\n`, lone surrogates → U+FFFD, trimmed. */
export function normalizeText(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(loneSurrogate, '\uFFFD').trim();
}

/** {@link normalizeText}, and line breaks (with the white space around them) become one space. */
export function normalizeLine(s: string): string {
  return oneLine(normalizeText(s));
}

/**
 * Lines joined by one space, each trimmed, blank ones dropped. (Written without a `\s*\n\s*` regex, which takes
 * quadratic time on a long run of spaces.)
 */
export function oneLine(s: string): string {
  if (!s.includes('\n')) return s;
  return s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}

/** True when {@link normalizeText} would not change `s`. */
export function isNormalized(s: string): boolean {
  return normalizeText(s) === s;
}

/** The first line of `s`, cut to `max` characters with an ellipsis (for timeline entries and summaries). */
export function firstLine(s: string, max = 160): string {
  const line = (s.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  if (line.length <= max) return line;
  let cut = max - 1;
  const code = line.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--; // never split a surrogate pair
  return `${line.slice(0, cut).trimEnd()}…`;
}
