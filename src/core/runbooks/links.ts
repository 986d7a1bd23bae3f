/**
 * Links in runbooks: found with positions (outside code), classified — another runbook, a code location, an anchor,
 * an external page, or an unsafe scheme — and resolved against the workspace. The renderer and the VS Code glue use
 * `classifyLink`/`resolveLink` to decide what a click does; `parseRunbook` uses `extractLinks`/`checkLinks` to report
 * links that go nowhere.
 */
import * as path from 'node:path';
import type { Problem } from '../util/problems';
import { allowedCommandLink } from './commandLinks';
import { maskCodeSpans } from './markdown';

const posix = path.posix;

/**
 * `runbook`: a Markdown file (`../other.md`, a Hugo `ref`/`relref` shortcode). `code`: any other workspace file,
 * optionally at a line (`src/x.go:42`, `src/x.go#L42`). `anchor`: a heading of this runbook (`#diagnosis`).
 * `external`: http, https or mailto. `command`: one of our own commands the renderer allows (`command:oncall.findTraces`,
 * see commandLinks.ts). `unsafe`: any other scheme (`javascript:`, `data:`, `vbscript:`, `file:`, other `command:`
 * links, `vscode:` …) or a protocol-relative `//host` link: never followed.
 */
export type LinkKind = 'runbook' | 'code' | 'anchor' | 'external' | 'command' | 'unsafe';

/** What a link target means, before looking at the file system. */
export interface LinkTarget {
  readonly kind: LinkKind;
  /** The target as written, with a Hugo shortcode unwrapped to its path. */
  readonly target: string;
  /** For runbook and code links: the path, percent-decoded, without anchor, query or line. */
  readonly path?: string;
  /** The fragment without `#` (runbook and anchor links). */
  readonly anchor?: string;
  /** 1-based line of a code link (`:42`, `#L42`), and its end line for `#L42-L50`. */
  readonly line?: number;
  readonly endLine?: number;
  readonly column?: number;
  /** Lower-case scheme without `:`, for external, command and unsafe links. */
  readonly scheme?: string;
  /** The command ID of an allowed `command:` link. */
  readonly command?: string;
  /** Written as a Hugo `{{< ref "…" >}}` / `relref` shortcode. */
  readonly hugo?: boolean;
}

/** A link found in a runbook, with the position of its target in the file. */
export interface RunbookLink extends LinkTarget {
  /** 1-based line and column of the target (what a problem points at); `endColumn` is exclusive. */
  readonly lineInFile: number;
  readonly columnInFile: number;
  readonly endColumnInFile: number;
  /** `![alt](src)` */
  readonly image: boolean;
}

/** A link resolved against the workspace. */
export interface ResolvedLink extends LinkTarget {
  /** For runbook and code links: the workspace-relative (posix) path of the file found. */
  readonly resolved?: string;
  /** Workspace-relative paths looked at, in order. */
  readonly tried: readonly string[];
}

const hugoShortcode = /^\{\{([<%])\s*(?:rel)?ref\s+(?:path\s*=\s*)?(?:"([^"]*)"|'([^']*)'|`([^`]*)`|(\S+?))(?:\s+[^}]*)?\s*[>%]\}\}$/;

/** `{{< ref "./X.md" >}}` / `{{% relref "X" %}}` → `./X.md` / `X`; undefined when `s` is not such a shortcode. */
export function unwrapHugoRef(s: string): string | undefined {
  if (s.length > 2000 || !s.trimStart().startsWith('{{')) return undefined;
  const m = hugoShortcode.exec(s.trim());
  return m ? (m[2] ?? m[3] ?? m[4] ?? m[5] ?? '') : undefined;
}

/** Classifies a link target as written in Markdown (a Hugo shortcode is unwrapped first). */
export function classifyLink(written: string): LinkTarget {
  const unwrapped = unwrapHugoRef(written);
  const hugo = unwrapped !== undefined;
  const target = (unwrapped ?? written).trim();
  // Browsers drop tabs, newlines and control characters inside a scheme: `java\tscript:` is `javascript:`.
  const squeezed = target.replace(/[\p{Cc}\s]/gu, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]+):/.exec(squeezed)?.[1];
  if (scheme !== undefined && !/^[^/?#]*\.[a-z0-9]+:\d+(?::\d+)?$/.test(squeezed)) {
    if (scheme === 'http' || scheme === 'https' || scheme === 'mailto') return { kind: 'external', target, scheme };
    const command = scheme === 'command' ? allowedCommandLink(target) : undefined;
    if (command !== undefined) return { kind: 'command', target, scheme, command };
    return { kind: 'unsafe', target, scheme };
  }
  if (squeezed.startsWith('//')) return { kind: 'unsafe', target };
  if (target.startsWith('#')) return { kind: 'anchor', target, anchor: decode(target.slice(1)) };
  const hash = target.indexOf('#');
  let pathPart = hash >= 0 ? target.slice(0, hash) : target;
  const fragment = hash >= 0 ? target.slice(hash + 1) : undefined;
  const query = pathPart.indexOf('?');
  if (query >= 0) pathPart = pathPart.slice(0, query);
  let line: number | undefined;
  let endLine: number | undefined;
  let column: number | undefined;
  const colon = /:(\d+)(?::(\d+))?$/.exec(pathPart);
  if (colon) {
    pathPart = pathPart.slice(0, colon.index);
    line = Number(colon[1]);
    column = colon[2] === undefined ? undefined : Number(colon[2]);
  }
  const lines = fragment === undefined ? null : /^L(\d+)(?:C\d+)?(?:-L?(\d+)(?:C\d+)?)?$/.exec(fragment);
  if (lines) {
    line = Number(lines[1]);
    endLine = lines[2] === undefined ? undefined : Number(lines[2]);
  }
  const path = decode(pathPart);
  const isMarkdown = /\.(md|markdown)$/i.test(path);
  if ((hugo || isMarkdown) && line === undefined) return { kind: 'runbook', target, path, ...(fragment ? { anchor: decode(fragment) } : {}), ...(hugo ? { hugo } : {}) };
  if (path === '') return { kind: 'anchor', target, anchor: '' };
  return { kind: 'code', target, path, ...(line !== undefined ? { line } : {}), ...(endLine !== undefined ? { endLine } : {}), ...(column !== undefined ? { column } : {}) };
}

/**
 * Resolves a link of `fromFile` (workspace-relative, posix) to a workspace file: runbook and code links relative to
 * the runbook's folder, then to `root` (the runbook root; Hugo refs are written relative to it), then to the
 * workspace root; `/path` from `root` for Hugo refs and from the workspace root otherwise. A Hugo ref without an
 * extension also tries `X.md` and `X/_index.md`. Paths that leave the workspace are never tried. `exists` gets
 * workspace-relative paths.
 */
export function resolveLink(fromFile: string, target: string | LinkTarget, exists: (relPath: string) => boolean, opts: { root?: string } = {}): ResolvedLink {
  const link = typeof target === 'string' ? classifyLink(target) : target;
  if ((link.kind !== 'runbook' && link.kind !== 'code') || link.path === undefined) return { ...link, tried: [] };
  const p = link.path.replace(/\\/g, '/');
  const dir = posix.dirname(fromFile);
  const root = opts.root ?? '';
  const bases = p.startsWith('/') ? (link.hugo ? [root, ''] : ['']) : link.hugo ? [dir, root, ''] : [dir, ''];
  const names = link.hugo && posix.extname(p) === '' ? [p, `${p}.md`, `${p}/_index.md`, `${p}/index.md`] : [p];
  const tried: string[] = [];
  for (const base of bases) {
    for (const name of names) {
      const candidate = posix.normalize(posix.join(base, name.replace(/^\/+/, ''))).replace(/\/+$/, '');
      if (candidate === '..' || candidate.startsWith('../') || /^[A-Za-z]:/.test(candidate) || tried.includes(candidate)) continue;
      tried.push(candidate);
      if (exists(candidate === '' ? '.' : candidate)) return { ...link, resolved: candidate === '' ? '.' : candidate, tried };
    }
  }
  return { ...link, tried };
}

/**
 * Finds the links in `lines[i]` for each prose line index `i` (so code is skipped): inline links and images, Hugo
 * shortcode targets, reference definitions, `<scheme:…>` autolinks and `href`/`src` of HTML `a` and `img` tags.
 * Stops after `maxLinks` (no runbook has ten thousand links; a generated file must not cost seconds).
 */
export function extractLinks(lines: readonly string[], prose: readonly number[], maxLinks = 10000): RunbookLink[] {
  const links: RunbookLink[] = [];
  for (const i of prose) {
    if (links.length >= maxLinks) break;
    const line = maskCodeSpans(lines[i] as string);
    if (!line.includes('](') && !line.includes(']:') && !line.includes('<')) continue;
    const add = (start: number, end: number, image: boolean): boolean => {
      if (links.length >= maxLinks) return false;
      const written = line.slice(start, end);
      if (written.trim() !== '') links.push({ ...classifyLink(written), lineInFile: i + 1, columnInFile: start + 1, endColumnInFile: end + 1, image });
      return true;
    };
    const def = /^ {0,3}\[[^\]]{1,999}\]:[ \t]*(<[^>]*>|\S+)/.exec(line);
    if (def) {
      const t = def[1] as string;
      const start = def[0].length - t.length;
      if (t.startsWith('<')) add(start + 1, start + t.length - 1, false);
      else add(start, start + t.length, false);
    }
    inlineLinks(line, add);
    htmlLinks(line, add);
  }
  return links;
}

/** `[text](target "title")`, with brackets matched by a stack and the target read by hand (no backtracking). */
function inlineLinks(line: string, add: (start: number, end: number, image: boolean) => boolean): void {
  const opens: number[] = [];
  // Where a search for a closing `>`, `>}}` or `%}}` found none: later searches from further on cannot either
  // (keeps a line of ten thousand unclosed `[a](<` linear).
  const none = new Map<string, number>();
  const find = (needle: string, from: number): number => {
    if (from >= (none.get(needle) ?? Infinity)) return -1;
    const at = line.indexOf(needle, from);
    if (at < 0) none.set(needle, Math.min(from, none.get(needle) ?? Infinity));
    return at;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') opens.push(i);
    else if (c === ']' && opens.length > 0) {
      const open = opens.pop() as number;
      if (line[i + 1] !== '(') continue;
      const image = open > 0 && line[open - 1] === '!';
      let j = i + 2;
      while (line[j] === ' ' || line[j] === '\t') j++;
      const start = j;
      let end: number;
      if (line.startsWith('{{<', j) || line.startsWith('{{%', j)) {
        const close = find(line[j + 2] === '<' ? '>}}' : '%}}', j);
        if (close < 0) continue;
        end = close + 3;
      } else if (line[j] === '<') {
        const close = find('>', j);
        if (close < 0) continue;
        if (!add(j + 1, close, image)) return;
        i = close;
        if (!image) opens.length = 0;
        continue;
      } else {
        let depth = 0;
        while (j < line.length && line[j] !== ' ' && line[j] !== '\t') {
          if (line[j] === '\\') j++;
          else if (line[j] === '(') depth++;
          else if (line[j] === ')') {
            if (depth === 0) break;
            depth--;
          }
          j++;
        }
        end = Math.min(j, line.length);
      }
      if (!add(start, end, image)) return;
      i = end - 1;
      // Links cannot contain links: brackets opened before this one are plain text now (images may sit in links).
      if (!image) opens.length = 0;
    }
  }
}

/** `<https://…>` autolinks and `href="…"` / `src="…"` in `<a>` and `<img>` tags. */
function htmlLinks(line: string, add: (start: number, end: number, image: boolean) => boolean): void {
  // As an HTML tokenizer does, a tag runs to the first `>`; the next tag starts after it (linear on any line).
  for (let lt = line.indexOf('<'), gt = 0; lt >= 0; lt = line.indexOf('<', gt + 1)) {
    gt = line.indexOf('>', lt);
    if (gt < 0) return;
    const inner = line.slice(lt + 1, gt);
    if (/^[A-Za-z][A-Za-z0-9+.-]+:[^\s<]*$/.test(inner)) {
      if (!add(lt + 1, gt, false)) return;
      continue;
    }
    const tag = /^(a|img)\s/i.exec(inner);
    if (!tag) continue;
    const attr = /\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/i.exec(inner);
    if (attr) {
      const value = attr[2] ?? attr[3] ?? (attr[4] as string);
      const start = lt + 1 + attr.index + attr[0].length - value.length - (attr[4] === undefined ? 1 : 0);
      if (!add(start, start + value.length, tag[1]!.toLowerCase() === 'img')) return;
    }
  }
}

/**
 * Problems for `links` of the runbook `file`: unsafe schemes (always), anchors that match no heading (when `slugs` is
 * given) and runbook/code links that resolve to no file (when `exists` is given). All warnings: the runbook still works.
 */
export function checkLinks(links: readonly RunbookLink[], file: string, opts: { exists?: (relPath: string) => boolean; root?: string; slugs?: ReadonlySet<string> }): Problem[] {
  const problems: Problem[] = [];
  const counts = new Map<string, number>();
  const at = (l: RunbookLink, message: string, code: string): void => {
    const n = (counts.get(code) ?? 0) + 1;
    counts.set(code, n);
    if (n <= maxProblemsPerCode) problems.push({ message, severity: 'warning', line: l.lineInFile, column: l.columnInFile, endLine: l.lineInFile, endColumn: l.endColumnInFile, code });
  };
  const resolved = new Map<string, ResolvedLink>();
  for (const l of links) {
    if (l.kind === 'unsafe') {
      const why =
        l.scheme === 'command'
          ? `This command link is not followed: only some On-Call commands may be linked, without arguments.`
          : l.scheme
            ? `Links with the "${l.scheme}:" scheme are not followed (only http, https and mailto open).`
            : `Protocol-relative links ("${l.target.slice(0, 60)}") are not followed; write https://.`;
      at(l, why, 'unsafe-link');
    } else if (l.kind === 'anchor' && opts.slugs && l.anchor && !opts.slugs.has(l.anchor) && !opts.slugs.has(l.anchor.toLowerCase())) {
      at(l, `No heading of this runbook has the anchor "#${l.anchor}".`, 'missing-anchor');
    } else if ((l.kind === 'runbook' || l.kind === 'code') && opts.exists) {
      let r = resolved.get(l.target);
      if (!r) {
        r = resolveLink(file, l, opts.exists, opts.root === undefined ? {} : { root: opts.root });
        resolved.set(l.target, r);
      }
      if (r.resolved !== undefined) continue;
      const where = r.tried.length === 0 ? 'it points outside the workspace' : `looked for ${r.tried.join(', ')}`;
      at(l, `Link target "${l.target}" not found (${where}).`, 'missing-link');
    }
  }
  for (const [code, n] of counts) {
    if (n <= maxProblemsPerCode) continue;
    const last = [...problems].reverse().find((p) => p.code === code) as Problem;
    problems.push({ ...last, message: `… and ${n - maxProblemsPerCode} more like the ones above.` });
  }
  return problems;
}

/** Beyond this many problems of one kind in one runbook, the rest are summarised in one. */
const maxProblemsPerCode = 100;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
