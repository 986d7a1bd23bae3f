/**
 * Route templates: every framework's parameter syntax normalized to `{name}`, prefixes joined, and a concrete
 * URL path (from a log line or a span's url.path) matched to the best template.
 */
import type { ParamStyle } from './facts';

/**
 * Normalizes one path as written to `/a/{b}/c` form; catch-alls become `{*name}` (`{*}` when unnamed).
 * Never throws; unknown syntax stays literal.
 */
export function normalizePath(raw: string, style: ParamStyle): string {
  let p = raw.trim();
  if (style === 'regex') p = fromRegex(p);
  const parts = p.split('/');
  const out: string[] = [];
  for (const seg of parts) {
    if (seg === '') continue;
    out.push(normalizeSegment(seg, style));
  }
  const joined = '/' + out.filter((s) => s !== '').join('/');
  return joined;
}

function normalizeSegment(seg: string, style: ParamStyle): string {
  switch (style) {
    case 'colon':
      // `/push/?*` (Express 4, Node-RED): an optional slash, then anything
      if (seg === '*' || seg === '?*') return '{*}';
      if (seg.startsWith('*')) return seg.length > 1 ? '{*' + cleanName(seg.slice(1)) + '}' : '{*}';
      if (seg.startsWith('{')) return braceSegment(seg);
      // A whole-segment `:id?` (Express, Koa, Fastify, Hono) is optional: `{id?}` matches the path with or without it.
      if (OPTIONAL_COLON.test(seg)) return '{' + (OPTIONAL_COLON.exec(seg)?.[1] ?? '') + '?}';
      // Every :name of a segment, with its constraint or `?`: :id, :id?, :id(\\d+), :id{[0-9]+} (Hono), and the
      // ones after a literal — Express's /flights/:from-:to, /:file.:ext, Ghost's /sitemap-:resource.xml.
      return seg.replace(COLON_PARAM, (_m, name: string) => '{' + name + '}');
    case 'axum':
      if (seg === '*') return '{*}';
      // axum before 0.8: `:id` and `*rest` are whole segments.
      if (seg.startsWith(':')) return '{' + cleanName(seg.slice(1).replace(/\{.*\}$/, '').replace(/\(.*\)$/, '').replace(/\?$/, '')) + '}';
      if (seg.startsWith('*')) return seg.length > 1 ? '{*' + cleanName(seg.slice(1)) + '}' : '{*}';
      if (seg.startsWith('{')) return braceSegment(seg);
      return seg;
    case 'brace':
      return braceSegment(seg);
    case 'angle':
      return seg.replace(/<([^>]*)>/g, (_m, inner: string) => {
        const conv = inner.includes(':') ? inner.slice(0, inner.indexOf(':')) : '';
        const name = inner.includes(':') ? inner.slice(inner.lastIndexOf(':') + 1) : inner;
        const rest = conv === 'path' || name.endsWith('..');
        return '{' + (rest ? '*' : '') + cleanName(name.replace(/\.\.$/, '')) + '}';
      });
    case 'next': {
      if (/^\(.*\)$/.test(seg)) return ''; // route groups don't appear in the URL
      const m = /^\[\[?(\.\.\.)?([^\]]+)\]?\]$/.exec(seg);
      return m ? '{' + (m[1] ? '*' : '') + cleanName(m[2] as string) + '}' : seg;
    }
    case 'regex':
      return seg;
  }
}

/**
 * `{id}`, `{id:int}`, `{id:[0-9]+}`, `{id...}`, `{*rest}`, `{id<\d+>}` (Symfony), `{$}` (Go 1.22 exact match); a
 * whole-segment optional parameter (`{id?}` in Laravel and ASP.NET, `{id:int?}`, Symfony's `{page?1}`) stays
 * optional: `{id?}`.
 */
function braceSegment(seg: string): string {
  if (seg === '{$}') return '';
  if (seg === '*') return '{*}'; // chi's catch-all `/files/*`
  const whole = /^\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}$/.test(seg);
  return seg.replace(/\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g, (_m, inner: string) => {
    // Symfony inline requirements and defaults: {id<\d+>}, {page<\d+>?1}, {page?1}
    let name = inner.replace(/<.*>/, '');
    const optional = whole && name.includes('?');
    const colon = name.indexOf(':');
    if (colon >= 0) name = name.slice(0, colon);
    const rest = name.startsWith('*') || name.endsWith('...');
    name = name.replace(/^\*+/, '').replace(/\.\.\.$/, '').replace(/\?.*$/, '').replace(/=.*$/, '');
    return '{' + (rest ? '*' : '') + cleanName(name) + (optional && !rest ? '?' : '') + '}';
  });
}

/** A segment that is one optional `:name` parameter, with or without a constraint: `:id?`, `:id(\\d+)?`. */
const OPTIONAL_COLON = /^:([A-Za-z_$][\w$]*)(?:\{(?:[^{}]|\{[^{}]*\})*\}|\((?:[^()]|\([^()]*\))*\))?\?$/;

/** A `:name` parameter with an optional constraint (`(regex)` or Hono's `{regex}`, one level of nesting) and `?`, `*`, `+`. */
const COLON_PARAM = /:([A-Za-z_$][\w$]*)(?:\{(?:[^{}]|\{[^{}]*\})*\}|\((?:[^()]|\([^()]*\))*\))?[?*+]*/g;

function cleanName(n: string): string {
  return n.trim();
}

/**
 * Django's `^articles/(?P<slug>[-\w]+)/$` → `articles/{slug}/`; JavaScript's `^\/nodes\/((@[^\/]+\/)?[^\/]+)$` →
 * `/nodes/{param}`. Named groups (`(?P<name>…)`, `(?<name>…)`) become `{name}`, other groups `{param}` (nested ones
 * from the inside out), an unnamed `(.*)` or `(.+)` the catch-all `{*}`.
 */
function fromRegex(p: string): string {
  let s = p.replace(/^\^/, '').replace(/\$$/, '');
  s = s.replace(/\((?:\.[*+])\)/g, '{*}');
  for (let i = 0; i < 8; i++) {
    const before = s;
    s = s.replace(/\(\?P?<([A-Za-z_]\w*)>(?:[^()\\]|\\.)*\)/g, '{$1}');
    s = s.replace(/\((?:[^()\\]|\\.)*\)/g, '{param}');
    if (s === before) break;
  }
  // A group's quantifier goes with it (postorius's `(?P<pk>[^/]+)?/update` → `{pk}/update`).
  s = s.replace(/\}(?:[?*+]|\{\d+(?:,\d*)?\})\??/g, '}');
  // Classes outside a group match a value too: hyperkitty's `(?P<list_name>[^@]+)@[^/]+` → `{list_name}@{param}`,
  // `\d\d\d\d` → `{param}`. A bare `.` is one only before a quantifier (`\.mbox.gz` keeps its dots).
  s = s.replace(/(^|\/)\.[*+]$/, '$1{*}').replace(CLASS_RUN, '{param}');
  s = s.replace(/\\(.)/g, '$1').replace(/\?$/, '');
  return s;
}

/** A run of character classes (`[^/]+`, `\d`, `\w{2,}`, `.*`), each with its quantifier. */
const CLASS_RUN = /(?:(?:\[(?:[^\]\\]|\\.)*\]|\\[dwsDWS]|(?<!\\)\.(?=[*+]))(?:[*+?]|\{\d+(?:,\d*)?\})?\??)+/g;

/**
 * The route template of a regular-expression path (Express's `app.get(/^\/nodes\/([^\/]+)$/, …)`), or undefined
 * when it does not read as one: every segment must come out literal or one whole parameter (a catch-all only at the
 * end), with nothing of the expression left over.
 */
export function routeFromRegex(pattern: string): string | undefined {
  const route = normalizePath(pattern, 'regex');
  const segs = route.split('/').filter((x) => x !== '');
  const clean = segs.every((seg, i) => /^[\w.~@-]+$/.test(seg) || /^\{\w+\}$/.test(seg) || ((seg === '{*}' || /^\{\*\w+\}$/.test(seg)) && i === segs.length - 1));
  return clean ? route : undefined;
}

/**
 * What a path's own parameters accept beyond "one segment", in order: `{id:[0-9]+}` → `[0-9]+`, `<int:id>` → `int`,
 * `:id(\\d+)` → `\\d+`, a regex group → its expression; empty when every parameter takes any segment. Two routes
 * whose parameters accept different things may both answer (chi prefers a regexp parameter; Django tries `[^@/]+`
 * and `[^/@]+@[^/@]+` in turn), so shadowing is only claimed between routes with the same constraints.
 */
export function paramConstraints(raw: string, style: ParamStyle): string {
  const out: string[] = [];
  switch (style) {
    case 'colon':
    case 'axum':
      for (const m of raw.matchAll(/:[A-Za-z_$][\w$]*(\{(?:[^{}]|\{[^{}]*\})*\}|\((?:[^()]|\([^()]*\))*\))?/g)) out.push(m[1] ?? '');
      break;
    case 'brace':
      for (const m of raw.matchAll(/\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g)) {
        const inner = (m[1] ?? '').replace(/\?.*$/, '').replace(/=.*$/, '');
        const req = /<(.*)>/.exec(inner)?.[1];
        const colon = inner.indexOf(':');
        out.push(req ?? (colon >= 0 ? inner.slice(colon + 1) : ''));
      }
      break;
    case 'angle':
      for (const m of raw.matchAll(/<([^>]*)>/g)) {
        const inner = m[1] ?? '';
        const conv = inner.includes(':') ? inner.slice(0, inner.indexOf(':')) : '';
        out.push(conv === 'str' || conv === 'string' ? '' : conv);
      }
      break;
    case 'regex':
      for (const m of raw.matchAll(/\((?:\?P?<[A-Za-z_]\w*>)?((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*)\)/g)) out.push(m[1] ?? '');
      // classes outside a group are parameters too (see fromRegex)
      for (const m of raw.replace(/\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)/g, '').matchAll(CLASS_RUN)) out.push(m[0]);
      break;
    case 'next':
      break;
  }
  return out.some((c) => c !== '') ? out.join('\u0003') : '';
}

/** Joins prefixes and a path into one normalized route. Each part must already be normalized. */
export function joinRoute(...parts: readonly string[]): string {
  const segs: string[] = [];
  for (const p of parts) for (const s of p.split('/')) if (s !== '') segs.push(s);
  return '/' + segs.join('/');
}

export interface RouteTemplate {
  readonly route: string;
  readonly method?: string | undefined;
}

export interface RouteMatch<T extends RouteTemplate> {
  readonly template: T;
  /** Parameter values by name, as they appeared in the path. */
  readonly params: Readonly<Record<string, string>>;
  /** Higher is better: literal segments count most, then parameters; catch-alls least. */
  readonly score: number;
}

/**
 * Extracts a path from what a user pastes: a full URL, `GET /api/x?y=1`, a path with a query or fragment.
 * Returns the path (starting with '/') and the method if one was given.
 */
export function parseUrlPath(input: string): { path: string; method?: string | undefined } | undefined {
  let s = input.trim();
  let method: string | undefined;
  const m = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)/i.exec(s);
  if (m) {
    method = (m[1] as string).toUpperCase();
    s = m[2] as string;
  }
  const url = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/[^\s]*)?$/i.exec(s);
  if (url) s = url[1] ?? '/';
  if (!s.startsWith('/')) return undefined;
  s = s.replace(/[?#].*$/, '');
  try {
    s = s
      .split('/')
      .map((seg) => {
        try {
          return decodeURIComponent(seg);
        } catch {
          return seg;
        }
      })
      .join('/');
  } catch {
    /* keep as is */
  }
  return { path: s, method };
}

/**
 * The templates that match a concrete path, best first. A parameter segment matches one path segment; an optional
 * one (`{id?}`) one or none; a catch-all (`*rest`, `{*rest}`, `{rest...}`, `<path:p>`, `[...slug]`, all normalized
 * to `{*name}`) takes the rest of the path, with the lowest score.
 */
export function matchRoutes<T extends RouteTemplate>(templates: readonly T[], path: string, method?: string): RouteMatch<T>[] {
  const want = path.split('/').filter((s) => s !== '');
  const out: RouteMatch<T>[] = [];
  for (const t of templates) {
    const segs = t.route.split('/').filter((s) => s !== '');
    const r = matchSegments(segs, want);
    if (!r) continue;
    let score = r.score;
    if (method && t.method) {
      if (t.method === method) score += 0.5;
      else if (t.method !== 'ANY' && t.method !== 'GRPC') score -= 100;
    }
    out.push({ template: t, params: r.params, score });
  }
  return out.filter((m) => m.score > -50).sort((a, b) => b.score - a.score);
}

function matchSegments(segs: readonly string[], want: readonly string[], from = 0, at = 0): { score: number; params: Record<string, string> } | undefined {
  const params: Record<string, string> = {};
  let score = 0;
  for (let i = from, j = at; i < segs.length; i++, j++) {
    const s = segs[i] as string;
    const isLast = i === segs.length - 1;
    const w = want[j];
    if (isLast && s.startsWith('{*') && s.endsWith('}')) {
      params[s.slice(2, -1) || '*'] = want.slice(j).join('/');
      return { score: score + 0.1, params };
    }
    if (OPTIONAL_PARAM.test(s)) {
      // With the segment (a parameter's score), else without it (a little less, so an exact template wins a tie).
      const name = s.slice(1, -2);
      const taken = w === undefined ? undefined : matchSegments(segs, want, i + 1, j + 1);
      if (taken) return { score: score + 1 + taken.score, params: { ...params, [name]: w as string, ...taken.params } };
      const skipped = matchSegments(segs, want, i + 1, j);
      return skipped ? { score: score - 0.05 + skipped.score, params: { ...params, ...skipped.params } } : undefined;
    }
    if (w === undefined) return undefined;
    if (s.startsWith('{') && s.endsWith('}') && !s.slice(1, -1).includes('{')) {
      params[s.slice(1, -1)] = w;
      score += 1;
    } else if (s.includes('{')) {
      // mixed segment like `{file}.{ext}` or `v{version}`
      const re = new RegExp('^' + s.split(/\{[^}]*\}/).map(escapeRe).join('(.+?)') + '$');
      const m = re.exec(w);
      if (!m) return undefined;
      score += 1.5;
    } else if (s === w) score += 2;
    else if (s.toLowerCase() === w.toLowerCase()) score += 1.8;
    else return undefined;
  }
  if (want.length - at !== segs.length - from) return undefined;
  return { score, params };
}

/** An optional parameter segment, `{id?}`. */
const OPTIONAL_PARAM = /^\{[\w$]+\?\}$/;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
