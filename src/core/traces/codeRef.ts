/**
 * Span → code: `code.*` attributes (current and pre-1.30 names, trace-apis.md §6) and source locations in
 * exception stack traces of the common runtimes.
 */
import type { CodeRef, RouteRef, StackLine } from '../../shared/protocol/waterfall';
import type { Attribute } from './model';
import { attr } from './model';

/** The code location a span names, or undefined when it names none. */
export function codeRefOf(attributes: readonly Attribute[]): CodeRef | undefined {
  const path = firstString(attributes, 'code.file.path', 'code.filepath');
  const line = firstInt(attributes, 'code.line.number', 'code.lineno');
  const column = firstInt(attributes, 'code.column.number', 'code.column');
  let fn = firstString(attributes, 'code.function.name');
  if (fn === undefined) {
    const short = firstString(attributes, 'code.function');
    const ns = firstString(attributes, 'code.namespace');
    fn = short !== undefined && ns !== undefined ? `${ns}.${short}` : short;
  }
  if (path === undefined && fn === undefined) return undefined;
  return {
    ...(path !== undefined ? { path } : {}),
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
    ...(fn !== undefined ? { function: fn } : {}),
  };
}

/** URL of `url.full` / `http.url` with a scheme and authority: the path after it is the span's path. */
const fullUrlRe = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(\/[^?#]*)?/i;

/** The route or RPC a span names (semantic conventions, current and older names), or undefined. */
export function routeRefOf(attributes: readonly Attribute[]): RouteRef | undefined {
  const rpcMethod = firstString(attributes, 'rpc.method');
  const rpcService = firstString(attributes, 'rpc.service');
  if (rpcMethod !== undefined && rpcService !== undefined) return { rpc: `${rpcService}/${rpcMethod}` };
  const route = firstString(attributes, 'http.route');
  let path = firstString(attributes, 'url.path', 'http.target');
  if (path === undefined) {
    const full = firstString(attributes, 'url.full', 'http.url');
    const m = full !== undefined ? fullUrlRe.exec(full) : null;
    if (m) path = m[1] ?? '/';
  }
  if (route === undefined && path === undefined) return undefined;
  const method = firstString(attributes, 'http.request.method', 'http.method');
  return { ...(method !== undefined ? { method: method.toUpperCase() } : {}), ...(route !== undefined ? { route } : {}), ...(path !== undefined ? { path: path.replace(/[?#].*$/, '') } : {}) };
}

/** The keys {@link hasCodeOrRoute} looks at, each with its bit. */
const refKeys: ReadonlyMap<string, number> = new Map([
  ['code.file.path', 1],
  ['code.filepath', 2],
  ['code.function.name', 4],
  ['code.function', 8],
  ['rpc.method', 16],
  ['rpc.service', 32],
  ['http.route', 64],
  ['url.path', 128],
  ['http.target', 256],
  ['url.full', 512],
  ['http.url', 1024],
]);

/**
 * Whether {@link codeRefOf} or {@link routeRefOf} would find something, in one pass over the attributes and without
 * building either: the waterfall's list needs only this flag for every row (the details are built for one row when
 * it is opened). Like them, only the first attribute of a key counts.
 */
export function hasCodeOrRoute(attributes: readonly Attribute[]): boolean {
  let seen = 0;
  let usable = 0;
  let urlFull: string | undefined;
  let httpUrl: string | undefined;
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i] as Attribute;
    const bit = refKeys.get(a.key);
    if (bit === undefined || seen & bit) continue;
    seen |= bit;
    const v = a.value;
    if (typeof v !== 'string' || v.trim() === '') continue;
    usable |= bit;
    if (bit === 512) urlFull = v;
    else if (bit === 1024) httpUrl = v;
  }
  // code.file.path / code.filepath, or a function name; rpc.method with rpc.service; http.route; url.path / http.target.
  if (usable & (1 | 2 | 4 | 8 | 64 | 128 | 256)) return true;
  if ((usable & (16 | 32)) === (16 | 32)) return true;
  // url.full, else http.url, when it is a URL with a path part.
  const full = urlFull ?? httpUrl;
  return full !== undefined && fullUrlRe.test(full);
}

function firstString(attributes: readonly Attribute[], ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = attr(attributes, k);
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return undefined;
}

function firstInt(attributes: readonly Attribute[], ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = attr(attributes, k);
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
    if (n !== undefined && Number.isSafeInteger(n) && n > 0) return n;
  }
  return undefined;
}

/** Frame patterns, most specific first. Each yields path, line and maybe column. */
const framePatterns: readonly RegExp[] = [
  // .NET: "   at Ns.Type.Method() in /src/File.cs:line 42"
  /\bin (?<path>.+?):line (?<line>\d+)\s*$/,
  // Python: '  File "/app/x.py", line 12, in handler'
  /^\s*File "(?<path>[^"]+)", line (?<line>\d+)/,
  // JavaScript (V8): "    at fn (/srv/app/x.ts:42:7)" or "    at /srv/app/x.ts:42:7"
  /^\s*at (?:.*? \()?(?<path>(?:[A-Za-z]:)?[^():\s][^():]*?):(?<line>\d+):(?<column>\d+)\)?\s*$/,
  // Java: "\tat com.x.Y.m(Y.java:42)"
  /^\s*at [\w$.<>/]+\((?<path>[\w$.-]+\.(?:java|kt|scala|groovy)):(?<line>\d+)\)/,
  // Go: "\t/home/app/main.go:123 +0x1d"
  /^\s+(?<path>\/[^\s:]+\.go):(?<line>\d+)(?: \+0x[0-9a-f]+)?\s*$/,
  // PHP: "#0 /var/www/x.php(12): fn()"
  /^#\d+ (?<path>[^()]+\.php)\((?<line>\d+)\)/,
  // Rust (backtrace): "      at ./src/main.rs:10:5"; Ruby: "/app/x.rb:12:in `m'"
  /^\s*(?:at )?(?<path>[^\s:()]+\.(?:rs|rb|ex|exs|c|cc|cpp|h|swift)):(?<line>\d+)(?::(?<column>\d+))?/,
];

/** Splits a stack trace into lines, attaching a frame to each line that names a source location. */
export function parseStackTrace(text: string, maxLines = 200): StackLine[] {
  const lines = text.split(/\r?\n/);
  const out: StackLine[] = [];
  for (const raw of lines.slice(0, maxLines)) {
    const text = raw.replace(/\s+$/, '');
    if (text === '') continue;
    const frame = parseFrame(text);
    out.push(frame ? { text, frame } : { text });
  }
  if (lines.length > maxLines) out.push({ text: `… ${lines.length - maxLines} more lines` });
  return out;
}

function parseFrame(line: string): StackLine['frame'] {
  for (const re of framePatterns) {
    const m = re.exec(line);
    const g = m?.groups;
    if (!g?.['path'] || !g['line']) continue;
    const path = g['path'].trim();
    // Runtime internals are not files anyone can open.
    if (/^(node|internal|native|bun|deno):/.test(path) || path === '<anonymous>') return undefined;
    const lineNo = Number(g['line']);
    const column = g['column'] !== undefined ? Number(g['column']) : undefined;
    return column !== undefined ? { path, line: lineNo, column } : { path, line: lineNo };
  }
  return undefined;
}
