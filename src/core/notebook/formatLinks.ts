/**
 * An {@link EvidenceLink} as the incident file writes it: one Markdown link at the end of the entry's line, whose label
 * is for people (made from the link, ignored when read) and whose target holds the link exactly.
 *
 * - file: a relative link from `.oncall/incidents/`, so GitHub and VS Code's preview open the lines:
 *   `[src/x.go:42-50](../../src/x.go#L42-L50 "commit 9a98e95…")` (the title only when there is a commit);
 * - runbook in the workspace: the same, titled `"runbook"` or `"runbook step <step>"`:
 *   `[runbook CheckoutLatencyHigh](../../runbooks/checkout/CheckoutLatencyHigh.md#L12 "runbook step check-3")`;
 * - url: `[grafana.example.com/d/checkout-red](https://grafana.example.com/d/checkout-red)`, `<…>` around it when it
 *   holds parentheses;
 * - trace, span, exemplar, deploy and built-in runbooks: the extension's own link, which opens the trace in VS Code
 *   (`[trace 4a2e37d7](vscode://oncall-lens.oncall-lens/trace/4a2e37d7…?source=jaeger-prod)`,
 *   `…/trace/<id>?span=<span ID>`, `…/trace/<id>?via=exemplar&query=…&prometheus=…`,
 *   `…/deploy?service=…&version=…&commit=…`, `…/runbook?name=builtin%3A…&step=…&line=…`).
 */
import type { EvidenceLink } from './model';
import { checkLink, isCleanPath } from './links';

const APP = 'vscode://oncall-lens.oncall-lens/';
/** Where incident files live, relative to the workspace folder: file links are relative to it. */
export const INCIDENTS_DIR = '.oncall/incidents';
const UP = '../../';

/** Percent-encoding of each path segment, parentheses included (they would end a Markdown link). */
function encodePath(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/\(/g, '%28').replace(/\)/g, '%29'))
    .join('/');
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Readable label text: no brackets, angle brackets, backslashes, backticks, asterisks or line breaks; at most 60 characters. */
function label(s: string): string {
  const clean = s.replace(/[[\]<>\\`*]/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean || 'link';
}

const short = (hex: string): string => hex.slice(0, 8);

/** The Markdown link token of `link`. */
export function linkToken(link: EvidenceLink): string {
  const params = (entries: Array<[string, string | number | undefined]>): string => {
    const q = new URLSearchParams();
    for (const [k, v] of entries) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    return s === '' ? '' : `?${s}`;
  };
  switch (link.kind) {
    case 'file': {
      const lines = link.endLine !== undefined ? `${link.line}-${link.endLine}` : `${link.line}`;
      const fragment = link.endLine !== undefined ? `#L${link.line}-L${link.endLine}` : `#L${link.line}`;
      const title = link.commit !== undefined ? ` "commit ${encodeURIComponent(link.commit)}"` : '';
      return `[${label(`${link.path}:${lines}`)}](${UP}${encodePath(link.path)}${fragment}${title})`;
    }
    case 'runbook': {
      const name = link.runbook.replace(/^builtin:/, '').replace(/^.*\//, '').replace(/\.md$/i, '');
      const text = label(`runbook ${name}${link.step !== undefined ? ` · ${link.step}` : ''}`);
      if (!link.runbook.startsWith('builtin:') && isCleanPath(link.runbook)) {
        const fragment = link.line !== undefined ? `#L${link.line}` : '';
        const title = link.step !== undefined ? `runbook step ${encodeURIComponent(link.step)}` : 'runbook';
        return `[${text}](${UP}${encodePath(link.runbook)}${fragment} "${title}")`;
      }
      return `[${text}](${APP}runbook${params([['name', link.runbook], ['step', link.step], ['line', link.line]])})`;
    }
    case 'url': {
      const shown = link.url.replace(/^https?:\/\//, '').replace(/[?#].*$/, '').replace(/\/$/, '');
      const target = /[()\s]/.test(link.url) ? `<${link.url}>` : link.url;
      return `[${label(shown)}](${target})`;
    }
    case 'trace':
      return `[trace ${short(link.traceId)}](${APP}trace/${link.traceId}${params([['source', link.source]])})`;
    case 'span':
      return `[span ${short(link.spanId)} of trace ${short(link.traceId)}](${APP}trace/${link.traceId}${params([['span', link.spanId], ['source', link.source]])})`;
    case 'exemplar':
      return `[exemplar: trace ${short(link.traceId)}](${APP}trace/${link.traceId}${params([['via', 'exemplar'], ['query', link.query], ['prometheus', link.prometheus]])})`;
    case 'deploy':
      return `[${label(`deploy ${link.service} ${link.version}`)}](${APP}deploy${params([['service', link.service], ['version', link.version], ['commit', link.commit]])})`;
  }
}

/** A link token at the very end of a line: `[label](target)` or `[label](target "title")`, target maybe in `<…>`. */
const tokenRe = /\[([^[\]\n]*)\]\((<[^<>\n]*>|[^\s()<>]+)(?: "([^"\n]*)")?\)$/;

/** The link token at the end of `line`, read back, and the line without it; undefined when there is none. */
export function splitLinkToken(line: string): { rest: string; link: EvidenceLink } | { rest: string; error: string } | undefined {
  const m = tokenRe.exec(line);
  if (!m) return undefined;
  // (White space before the token is trimmed here, not matched by the regex: `[ \t]*` in front is quadratic.)
  const rest = line.slice(0, m.index).trimEnd();
  const target = (m[2] as string).startsWith('<') ? (m[2] as string).slice(1, -1) : (m[2] as string);
  const read = readTarget(target, m[3]);
  if (read === undefined) return undefined;
  if (typeof read === 'string') return { rest, error: read };
  const checked = checkLink(read);
  return checked.ok ? { rest, link: checked.link } : { rest, error: checked.error };
}

/** The link a token's target (and title) stands for; a string says why it is broken; undefined: not a link of ours. */
function readTarget(target: string, title: string | undefined): Record<string, unknown> | string | undefined {
  if (/^https?:\/\//.test(target)) return title === undefined ? { kind: 'url', url: target } : undefined;
  if (target.startsWith(APP)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return `The link ${target.slice(0, 80)} is malformed.`;
    }
    const q = url.searchParams;
    const get = (k: string): string | undefined => q.get(k) ?? undefined;
    const num = (k: string): number | undefined => (q.get(k) === null ? undefined : Number(q.get(k)));
    const path = url.pathname.replace(/^\/+/, '');
    const trace = /^trace\/([0-9a-fA-F]+)$/.exec(path);
    if (trace) {
      const traceId = (trace[1] as string).toLowerCase();
      if (get('via') === 'exemplar') return { kind: 'exemplar', traceId, query: get('query'), prometheus: get('prometheus') };
      if (get('span') !== undefined) return { kind: 'span', traceId, spanId: get('span'), source: get('source') };
      return { kind: 'trace', traceId, source: get('source') };
    }
    if (path === 'deploy') return { kind: 'deploy', service: get('service'), version: get('version'), commit: get('commit') };
    if (path === 'runbook') return { kind: 'runbook', runbook: get('name'), step: get('step'), line: num('line') };
    return `On-Call Lens does not know the link ${target.slice(0, 80)}.`;
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) || target.startsWith('/') || target.startsWith('#')) return undefined;
  // A relative link: a file (with #L lines) or, titled "runbook …", a runbook.
  const hash = target.indexOf('#');
  const pathPart = hash < 0 ? target : target.slice(0, hash);
  const fragment = hash < 0 ? '' : target.slice(hash + 1);
  const decoded = decode(pathPart);
  if (decoded === undefined) return `The link ${target.slice(0, 80)} is not properly encoded.`;
  const path = resolveFromIncidents(decoded);
  if (path === undefined) return `The link ${target.slice(0, 80)} points outside the workspace folder.`;
  const lines = /^L(\d+)(?:-L?(\d+))?$/.exec(fragment);
  if (fragment !== '' && !lines) return title?.startsWith('runbook') || title?.startsWith('commit') ? `The link ${target.slice(0, 80)} names lines as "#${fragment}"; write #L12 or #L12-L20.` : undefined;
  const line = lines ? Number(lines[1]) : undefined;
  const endLine = lines?.[2] !== undefined ? Number(lines[2]) : undefined;
  if (title !== undefined && /^runbook(?: |$)/.test(title)) {
    const step = /^runbook step (.+)$/.exec(title);
    const stepText = step ? decode(step[1] as string) : undefined;
    return { kind: 'runbook', runbook: path, step: stepText, line };
  }
  if (line === undefined) return undefined;
  const commit = title !== undefined ? /^commit (.+)$/.exec(title) : null;
  if (title !== undefined && !commit) return undefined;
  return { kind: 'file', path, line, endLine, commit: commit ? decode(commit[1] as string) : undefined };
}

/** `../../src/x.go` (relative to `.oncall/incidents/`) → `src/x.go`; undefined when it leaves the workspace folder. */
function resolveFromIncidents(rel: string): string | undefined {
  const parts = INCIDENTS_DIR.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}
