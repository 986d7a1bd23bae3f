/**
 * Link targets of rendered runbooks: what an `href` written in Markdown may point at, and what it is. An allowlist:
 * http(s) and mailto URLs, relative paths, `#anchors` and a few of our own commands without arguments
 * (commandLinks.ts); everything else (javascript:, data:, vbscript:, file:, other command: links, vscode:,
 * protocol-relative `//host`, absolute Windows paths) is blocked. Also the Hugo shortcodes
 * (`{{< ref "x.md" >}}`) that real runbook repositories use as link destinations. Pure: no vscode, no DOM.
 */
import type { RunbookLinkKind } from '../../shared/protocol/runbook';
import { allowedCommandLink } from './commandLinks';

/** What {@link classifyHref} makes of an href: a link kind with its target, or blocked. */
export type HrefClass =
  | { readonly blocked: true; readonly reason: string }
  | {
      readonly blocked: false;
      readonly kind: RunbookLinkKind;
      readonly target: string;
      readonly line?: number;
      readonly column?: number;
      readonly fragment?: string;
    };

/** Extensions opened as code (anything else that is not Markdown is still a `code` link: a file to open). */
const CODE_EXTENSIONS = new Set(
  (
    'go py pyi js jsx mjs cjs ts tsx mts cts java kt kts scala groovy gradle rs rb php cs fs vb cpp cc cxx c h hh hpp hxx ' +
    'swift m mm sh bash zsh fish ps1 psm1 bat cmd sql yaml yml json jsonc json5 toml ini cfg conf env properties xml ' +
    'tf tfvars hcl nomad proto graphql gql lua pl pm r ex exs erl hrl clj cljs dart vue svelte elm hs ml nim zig ' +
    'jsonnet libsonnet rego cue nix bzl star dockerfile mk makefile cmake txt log csv lock mod sum'
  ).split(' '),
);
const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'mdx']);

/** Whether a path's file name has an extension we open as code (e.g. `server.go`, `values.yaml`). */
export function isCodeFile(path: string): boolean {
  const ext = extensionOf(path);
  return ext !== undefined && CODE_EXTENSIONS.has(ext);
}

function extensionOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot < 0) return name.toLowerCase() === 'dockerfile' || name.toLowerCase() === 'makefile' ? name.toLowerCase() : undefined;
  return name.slice(dot + 1).toLowerCase();
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// Browsers drop ASCII tab/newline anywhere in a URL and C0 controls/space at its ends; we drop them everywhere
// (and other invisible characters) before looking for a scheme, so `java\tscript:` is still `javascript:`.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0020\u007f-\u00a0\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]|%0[9ad]/gi;
const FILE_LINE = /^((?:[^:?#]*\/)?[^/:?#]+\.[A-Za-z0-9]+):(\d{1,9})(?::(\d{1,9}))?$/;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const HASH_LINE = /^L(\d{1,9})(?:C(\d{1,9}))?(?:-L?\d{1,9}(?:C\d{1,9})?)?$/;

/**
 * Classifies a link destination as markdown-it normalized it (entities decoded, non-ASCII percent-encoded).
 * `hugo`: the destination came from a `ref`/`relref` shortcode, so it names a runbook whatever it looks like.
 */
export function classifyHref(href: string, hugo = false): HrefClass {
  // Browsers read `\` as `/` in http(s) URLs (`\\host` is `//host`), and Windows users write relative paths with it.
  const probe = href.replace(INVISIBLE, '').replace(/\\|%5c/gi, '/');
  if (probe === '') return { blocked: true, reason: 'empty link' };
  const fileLine = FILE_LINE.exec(probe);
  const scheme = fileLine ? undefined : SCHEME.exec(probe)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme === 'http' || scheme === 'https') return /^https?:\/\/[^/?#\s]/i.test(probe) ? { blocked: false, kind: 'external', target: href.trim() } : { blocked: true, reason: 'URL without a host' };
    if (scheme === 'mailto') return { blocked: false, kind: 'external', target: href.trim() };
    const command = scheme === 'command' ? allowedCommandLink(href) : undefined;
    if (command) return { blocked: false, kind: 'command', target: command };
    return { blocked: true, reason: scheme === 'command' ? 'only some On-Call commands may be linked, without arguments' : `${scheme} links are not allowed` };
  }
  if (/^[\\/][\\/]/.test(probe)) return { blocked: true, reason: 'protocol-relative links are not allowed' };
  if (probe.startsWith('#')) {
    const slug = decode(probe.slice(1));
    return slug ? { blocked: false, kind: 'anchor', target: slug } : { blocked: true, reason: 'empty anchor' };
  }
  // A relative (or root-relative) path, perhaps with :line[:col], ?query and #fragment.
  const hashAt = probe.indexOf('#');
  const fragment = hashAt >= 0 ? decode(probe.slice(hashAt + 1)) : '';
  const beforeHash = hashAt >= 0 ? probe.slice(0, hashAt) : probe;
  const queryAt = beforeHash.indexOf('?');
  let path = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  let line: number | undefined;
  let column: number | undefined;
  const m = FILE_LINE.exec(path);
  if (m) {
    path = m[1] ?? path;
    line = Number(m[2]);
    column = m[3] ? Number(m[3]) : undefined;
  }
  const target = decode(path);
  if (target.includes('\0')) return { blocked: true, reason: 'invalid path' };
  const ext = extensionOf(target);
  const isRunbook = hugo || (ext !== undefined && MARKDOWN_EXTENSIONS.has(ext)) || (ext === undefined && target !== '');
  if (target === '') return fragment ? { blocked: false, kind: 'anchor', target: fragment } : { blocked: true, reason: 'empty link' };
  if (isRunbook) return { blocked: false, kind: 'runbook', target, ...(line !== undefined ? { line } : {}), ...(fragment ? { fragment } : {}) };
  const hashLine = HASH_LINE.exec(fragment);
  if (line === undefined && hashLine) {
    line = Number(hashLine[1]);
    column = hashLine[2] ? Number(hashLine[2]) : undefined;
  }
  return { blocked: false, kind: 'code', target, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
}

/**
 * `target` resolved against the folder of `file` (both posix, relative to the same root): `../b/x.md` from
 * `runbooks/a/y.md` is `runbooks/b/x.md`. Undefined for root-relative targets (`/x.md`) and targets that climb
 * above the root.
 */
export function resolveRelative(file: string, target: string): string | undefined {
  if (target.startsWith('/')) return undefined;
  const parts = file.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

// {{< ref "x.md" >}}, {{% relref 'x.md' %}}, {{< ref x.md >}}, {{< ref path="x.md" >}}
const SHORTCODE = String.raw`\{\{([<%])\s*(?:rel)?ref\s+(?:path\s*=\s*)?(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'<>%}]+))\s*[>%]\}\}`;
const INLINE_REF = new RegExp(String.raw`(\]\(\s*)${SHORTCODE}`, 'g');
const DEFINITION_REF = new RegExp(String.raw`^([ \t]{0,3}\[[^\]\n]+\]:[ \t]*)${SHORTCODE}`, 'gm');

/**
 * Rewrites Hugo `ref`/`relref` shortcodes used as link destinations (`[x]({{< ref "y.md" >}})` and reference
 * definitions) into `<y.md>` destinations, without changing line numbers. Returns the text and the destinations
 * that came from shortcodes (as written).
 */
export function rewriteHugoRefs(markdown: string): { readonly text: string; readonly refs: ReadonlySet<string> } {
  if (!markdown.includes('{{')) return { text: markdown, refs: new Set() };
  const refs = new Set<string>();
  const replace = (_all: string, lead: string, _open: string, dq?: string, sq?: string, bare?: string): string => {
    const target = (dq ?? sq ?? bare ?? '').trim().replace(/[<>\n]/g, '');
    refs.add(target);
    return `${lead}<${target}>`;
  };
  const text = markdown.replace(INLINE_REF, replace).replace(DEFINITION_REF, replace);
  return { text, refs };
}
