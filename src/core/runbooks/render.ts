/**
 * Renders a runbook's Markdown to the HTML the runbook viewer shows, plus the side tables the viewer and its host
 * work from: table of contents, checklist items, shell commands and links. Pure (no vscode, no DOM): runs in the
 * extension host and in Node tests.
 *
 * The HTML is safe to insert with `innerHTML`: markdown-it runs with `html: false` (raw HTML is escaped text), and
 * every tag the output can hold is produced by this module's rules or markdown-it's own block rules. Links carry no
 * URL at all — `<a href="#" data-link="N">` — and the host opens `links[N]` (VS Code's link handling for external
 * links). Images load nothing: they become `[image: alt]` links. The page's CSP (no inline script or style) is the
 * second wall.
 */
import MarkdownIt from 'markdown-it';
import type { RunbookCheck, RunbookCommand, RunbookLink, RunbookTocEntry } from '../../shared/protocol/runbook';
import { classifyHref, resolveRelative, rewriteHugoRefs } from './renderLinks';
import type { HrefClass } from './renderLinks';

type Token = MarkdownIt.Token;

/** The result of {@link renderRunbook}. IDs in the HTML (`data-link`, `data-check`, `data-command`) index these. */
export interface RenderedRunbook {
  readonly html: string;
  readonly toc: readonly RunbookTocEntry[];
  readonly checks: readonly RunbookCheck[];
  readonly commands: readonly RunbookCommand[];
  readonly links: readonly RunbookLink[];
  /** Links shown as "blocked link" (javascript:, data:, file:, protocol-relative, …). */
  readonly blockedLinks: number;
}

/** Where the Markdown comes from. */
export interface RenderOptions {
  /** The runbook's path (posix, relative to the workspace folder or runbook root): relative links resolve against it. */
  readonly file: string;
  /**
   * 1-based line of the file where `markdown` starts, when `markdown` is the body after the front matter
   * ({@link Runbook.bodyLine}). When absent (or 1), front matter at the start of `markdown` is skipped here.
   */
  readonly bodyLine?: number;
}

/** Fence languages whose blocks are shell commands ("Copy" / "Run in terminal"). */
const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'zsh', 'ksh', 'console', 'shellsession', 'shell-session', 'terminal']);
const PROMPT = /^\s*\$(?: |$)/;
/** Block tokens that get no `data-line` (the table itself has one). */
const NO_LINE = new Set(['thead_open', 'tbody_open', 'tr_open', 'th_open', 'td_open']);

/**
 * GitHub's heading slug (github-slugger): lower-case, everything but letters, marks, numbers, `_`, `-` and spaces
 * removed, spaces to `-`. The parser's section slugs use the same rule, so `#anchors` agree.
 */
export function githubSlug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** A slugger for one document: repeats get `-1`, `-2`, … (skipping slugs already taken), as on GitHub. */
export function createSlugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = githubSlug(text);
    let slug = base;
    while (seen.has(slug)) {
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      slug = `${base}-${n}`;
    }
    seen.set(slug, 0);
    return slug;
  };
}

/** A 53-bit string hash (cyrb53) as 14 hex digits: stable, fast, not cryptographic. */
function hash53(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return ((h2 >>> 0) & 0x1fffff).toString(16).padStart(6, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** Front matter (`---` YAML or `+++` TOML) at the start: the number of lines it takes, 0 when there is none. */
function frontMatterLines(text: string): number {
  const first = /^(---|\+\+\+)[ \t]*\r?\n/.exec(text);
  if (!first) return 0;
  const close = first[1] === '---' ? /^(?:---|\.\.\.)[ \t]*$/ : /^\+\+\+[ \t]*$/;
  const lines = text.split('\n', 2000);
  for (let i = 1; i < lines.length; i++) if (close.test((lines[i] ?? '').replace(/\r$/, ''))) return i + 1;
  return 0;
}

/** The command text of a shell block: prompted lines without `$ ` (and their `\` continuations), else the whole block. */
function commandText(content: string, lang: string): string | undefined {
  const lines = content.replace(/\n$/, '').split('\n');
  const shell = SHELL_LANGS.has(lang);
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  if (!shell && !(lang === '' && PROMPT.test(firstLine))) return undefined;
  let code: string;
  if (lines.some((l) => PROMPT.test(l))) {
    const kept: string[] = [];
    let continuing = false;
    for (const l of lines) {
      if (PROMPT.test(l)) kept.push(l.replace(PROMPT, ''));
      else if (continuing) kept.push(l);
      else continue;
      continuing = /\\\s*$/.test(l);
    }
    code = kept.join('\n');
  } else code = lines.join('\n');
  return code.trim() === '' ? undefined : code;
}

/** The language of a fence's info string: first word, lower-case, `{.bash}` → `bash`, only safe characters. */
function fenceLang(info: string): string {
  const word = info.trim().split(/\s+/)[0] ?? '';
  return word.replace(/^\{?\.?/, '').replace(/\}$/, '').toLowerCase().replace(/[^a-z0-9_+#.-]/g, '').slice(0, 32);
}

/** Plain text of inline tokens (text, code, link text; images contribute nothing), as a heading's textContent. */
function inlineText(tokens: readonly Token[] | null): string {
  let s = '';
  for (const t of tokens ?? []) {
    if (t.type === 'text' || t.type === 'code_inline' || t.type === 'text_special') s += t.content;
    else if (t.type === 'softbreak' || t.type === 'hardbreak') s += ' ';
  }
  return s;
}

const BLOCKED_MARKER = '<span class="rb-blocked-marker">blocked link</span>';

let instance: MarkdownIt | undefined;

function markdownIt(): MarkdownIt {
  if (instance) return instance;
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  // Every destination is accepted *here* so that a blocked link still parses as a link and can be shown as one
  // ("blocked link" marker) instead of leaking its `javascript:` text into the page. The allowlist itself is
  // classifyHref, applied to every link, autolink, linkified URL and image in transform(); no href is ever emitted.
  md.validateLink = () => true;
  // Only http(s)://, mailto: and e-mail addresses are linkified: no ftp:, no protocol-relative, no bare domains
  // (`setup.py` is not a link to Paraguay).
  md.linkify.add('ftp:', null).add('//', null).set({ fuzzyLink: false });
  const esc = md.utils.escapeHtml;
  const r = md.renderer.rules;
  r.html_block = (tokens, idx) => `<p>${esc(tokens[idx]?.content ?? '')}</p>`;
  r.html_inline = (tokens, idx) => esc(tokens[idx]?.content ?? '');
  r.link_open = (tokens, idx) => {
    const t = tokens[idx];
    const meta = t?.meta as LinkMeta | undefined;
    if (!meta || meta.id === undefined) return `<span class="rb-link-blocked" title="${esc(`Blocked link: ${meta?.reason ?? 'not allowed'}`)}">`;
    const title = t?.attrGet('title');
    return `<a href="#" class="rb-link rb-link-${meta.kind}" data-link="${meta.id}"${title ? ` title="${esc(title)}"` : ''}>`;
  };
  r.link_close = (tokens, idx) => {
    const meta = tokens[idx]?.meta as LinkMeta | undefined;
    return meta?.id === undefined ? `</span>${BLOCKED_MARKER}` : '</a>';
  };
  r.image = (tokens, idx, options, env, self) => {
    const t = tokens[idx];
    const meta = t?.meta as LinkMeta | undefined;
    const alt = esc(self.renderInlineAsText(t?.children ?? [], options, env).trim() || 'image');
    if (!meta || meta.id === undefined) return `<span class="rb-link-blocked rb-image" title="${esc(`Blocked link: ${meta?.reason ?? 'not allowed'}`)}">[image: ${alt}]</span>${BLOCKED_MARKER}`;
    return `<a href="#" class="rb-link rb-image rb-link-${meta.kind}" data-link="${meta.id}">[image: ${alt}]</a>`;
  };
  const code = (tokens: Token[], idx: number): string => {
    const t = tokens[idx];
    const meta = t?.meta as CodeMeta | undefined;
    const lang = meta?.lang ?? '';
    const attrs = `${meta?.line ? ` data-line="${meta.line}"` : ''}${meta?.command !== undefined ? ` data-command="${meta.command}"` : ''}`;
    const cls = lang ? ` class="language-${esc(lang)}"` : '';
    const label = lang ? ` data-lang="${esc(lang)}"` : '';
    return `<div class="rb-code"${attrs}${label}><pre><code${cls}>${esc(t?.content ?? '')}</code></pre></div>\n`;
  };
  r.fence = code;
  r.code_block = code;
  r['rb_check'] = (tokens, idx) => {
    const meta = tokens[idx]?.meta as CheckMeta | undefined;
    if (!meta) return '';
    return `<input type="checkbox" class="rb-check" data-check="${esc(meta.id)}" aria-label="${esc(meta.label)}"${meta.checked ? ' checked' : ''}> `;
  };
  instance = md;
  return md;
}

interface LinkMeta {
  readonly id?: number;
  readonly kind?: string;
  readonly reason?: string;
}
interface CodeMeta {
  readonly lang: string;
  readonly line?: number;
  readonly command?: number;
}
interface CheckMeta {
  readonly id: string;
  readonly label: string;
  readonly checked: boolean;
}

/**
 * Renders a runbook. Never throws on any Markdown input; the result's IDs are stable for the same input, and
 * checklist IDs stay stable when other items are added, removed or edited.
 */
export function renderRunbook(markdown: string, opts: RenderOptions): RenderedRunbook {
  let text = markdown.replace(/^\ufeff/, '');
  let bodyLine = opts.bodyLine ?? 1;
  if (bodyLine <= 1) {
    const skip = frontMatterLines(text);
    if (skip > 0) {
      // Cut the front matter; `bodyLine` keeps the reported lines those of the file.
      text = text.split('\n').slice(skip).join('\n');
      bodyLine = skip + 1;
    }
  }
  const { text: source, refs } = rewriteHugoRefs(text);
  const md = markdownIt();
  const tokens = md.parse(source, {});
  const out = transform(md, tokens, refs, opts.file, bodyLine);
  return { ...out, html: md.renderer.render(tokens, md.options, {}) };
}

function transform(md: MarkdownIt, tokens: Token[], hugoRefs: ReadonlySet<string>, file: string, bodyLine: number): Omit<RenderedRunbook, 'html'> {
  const toc: RunbookTocEntry[] = [];
  const checks: RunbookCheck[] = [];
  const commands: RunbookCommand[] = [];
  const links: RunbookLink[] = [];
  let blockedLinks = 0;
  const slug = createSlugger();
  const checkCounts = new Map<string, number>();
  const lists: Token[] = [];
  const TokenClass = new md.core.State('', md, {}).Token;
  const newToken = (type: string, tag: string): Token => new TokenClass(type, tag, 0);
  const lineOf = (t: Token | undefined): number | undefined => (t?.map ? t.map[0] + bodyLine : undefined);

  const blank = new Set<Token>();
  const link = (t: Token, href: string): void => {
    const decoded = safeDecode(href);
    const c: HrefClass = classifyHref(href, hugoRefs.has(href) || hugoRefs.has(decoded));
    if (c.blocked) {
      blockedLinks++;
      t.meta = { reason: c.reason } satisfies LinkMeta;
      // An autolink's text is its URL: show only the marker.
      if (t.markup === 'autolink' || t.markup === 'linkify') blank.add(t);
      return;
    }
    const id = links.length;
    const resolved = c.kind === 'runbook' || c.kind === 'code' ? resolveRelative(file, c.target) : undefined;
    const hugo = hugoRefs.has(href) || hugoRefs.has(decoded);
    links.push({ id, kind: c.kind, target: c.target, ...(resolved !== undefined ? { resolved } : {}), ...(c.line !== undefined ? { line: c.line } : {}), ...(c.column !== undefined ? { column: c.column } : {}), ...(c.fragment ? { fragment: c.fragment } : {}), ...(hugo ? { hugo } : {}) });
    t.meta = { id, kind: c.kind } satisfies LinkMeta;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    const style = t.attrGet('style');
    if (style !== null) {
      t.attrs = (t.attrs ?? []).filter(([name]) => name !== 'style');
      const align = /text-align:\s*(left|center|right)/.exec(style);
      if (align) t.attrJoin('class', `rb-align-${align[1]}`);
    }
    const line = lineOf(t);
    if (t.nesting === 1 && line !== undefined && !t.hidden && !NO_LINE.has(t.type)) t.attrSet('data-line', String(line));
    switch (t.type) {
      case 'hr':
        if (line !== undefined) t.attrSet('data-line', String(line));
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push(t);
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'heading_open': {
        const title = inlineText(tokens[i + 1]?.children ?? null).trim();
        // Tags are text here (html: false) but not on GitHub or in the parser's sections: leave them out of the slug.
        const s = slug(title.replace(/<[^>\n]*>/g, ''));
        if (s) t.attrSet('id', s);
        toc.push({ level: Number(t.tag.slice(1)), title, slug: s, line: line ?? bodyLine });
        break;
      }
      case 'list_item_open':
        taskItem(newToken, t, tokens[i + 1], tokens[i + 2], lists.at(-1), checks, checkCounts, line ?? bodyLine);
        break;
      case 'fence':
      case 'code_block': {
        const lang = t.type === 'fence' ? fenceLang(t.info) : '';
        const code = commandText(t.content, lang);
        const command = code === undefined ? undefined : commands.length;
        if (code !== undefined) commands.push({ id: commands.length, code, lang, line: line ?? bodyLine });
        t.meta = { lang, ...(line !== undefined ? { line } : {}), ...(command !== undefined ? { command } : {}) } satisfies CodeMeta;
        break;
      }
      case 'inline':
        for (const c of t.children ?? []) {
          if (c.type === 'link_open') link(c, c.attrGet('href') ?? '');
          else if (c.type === 'image') link(c, c.attrGet('src') ?? '');
        }
        closeLinks(t.children, blank);
        break;
    }
  }
  return { toc, checks, commands, links, blockedLinks };
}

/**
 * Gives each `link_close` the meta of its `link_open`, so the close tag matches (`</a>` or `</span>` + marker), and
 * empties the text of blocked autolinks.
 */
function closeLinks(children: Token[] | null, blank: ReadonlySet<Token>): void {
  const open: Token[] = [];
  for (const c of children ?? []) {
    if (c.type === 'link_open') open.push(c);
    else if (c.type === 'link_close') c.meta = open.pop()?.meta ?? null;
    else if (c.type === 'text' && open.some((o) => blank.has(o))) c.content = '';
  }
}

/** `- [ ] text` / `- [x] text`: a checkbox token at the start of the item's first paragraph, and a check entry. */
function taskItem(newToken: (type: string, tag: string) => Token, item: Token, para: Token | undefined, inline: Token | undefined, list: Token | undefined, checks: RunbookCheck[], counts: Map<string, number>, line: number): void {
  if (para?.type !== 'paragraph_open' || inline?.type !== 'inline') return;
  const m = /^\[([ xX])\](?:[ \t]+|$)/.exec(inline.content);
  const first = inline.children?.[0];
  if (!m || first?.type !== 'text' || !first.content.startsWith(m[0].trimEnd())) return;
  first.content = first.content.slice(m[0].trimEnd().length).replace(/^[ \t]+/, '');
  const text = inline.content.slice(m[0].length).replace(/\s+/g, ' ').trim();
  const base = `c${hash53(text)}`;
  const n = counts.get(base) ?? 0;
  counts.set(base, n + 1);
  const id = n === 0 ? base : `${base}-${n}`;
  const checked = m[1] !== ' ';
  checks.push({ id, text, line, initiallyChecked: checked });
  const box = newToken('rb_check', 'input');
  box.meta = { id, label: text.slice(0, 200) || 'Checklist item', checked } satisfies CheckMeta;
  inline.children?.unshift(box);
  item.attrJoin('class', 'rb-task');
  if (list && !list.attrGet('class')?.includes('rb-tasks')) list.attrJoin('class', 'rb-tasks');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
