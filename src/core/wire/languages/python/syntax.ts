/**
 * Python syntax helpers shared by the Python readers: string literals (raw, f-strings, implicit concatenation),
 * dotted names, call arguments, literal lists, parameters, decorators and the calls a function makes.
 */
import type { Node } from '../../node';

/** Loop variables bound to the literal elements of the lists they iterate over. */
export type Env = ReadonlyMap<string, Node>;
export const NO_ENV: Env = new Map();

/** Upper-case HTTP methods a route can name. */
export const HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE']);

/** The non-null named children of a node. */
export function kids(node: Node | null | undefined): Node[] {
  return node ? node.namedChildren.filter((c): c is Node => c !== null) : [];
}

/** One piece of a string literal: literal text, or an f-string interpolation's expression. */
export type StringPart = { readonly text: string } | { readonly expr: Node };

/**
 * The pieces of a string literal (`'a'`, `r'^a\d$'`, `f'{P}/x'`, `'a' 'b'`), escapes decoded except in raw
 * strings; undefined when the node is not a string literal.
 */
export function stringParts(node: Node | null | undefined): StringPart[] | undefined {
  node = unparen(node);
  if (!node) return undefined;
  if (node.type === 'concatenated_string') {
    const out: StringPart[] = [];
    for (const c of kids(node)) {
      const p = stringParts(c);
      if (!p) return undefined;
      out.push(...p);
    }
    return out;
  }
  if (node.type !== 'string') return undefined;
  const start = node.child(0);
  const prefix = (start?.type === 'string_start' ? start.text : '').replace(/["']+$/, '').toLowerCase();
  const raw = prefix.includes('r');
  const out: StringPart[] = [];
  for (const c of kids(node)) {
    if (c.type === 'string_content') out.push({ text: raw ? c.text : decode(c) });
    else if (c.type === 'interpolation') {
      const e = c.childForFieldName('expression');
      if (!e) return undefined;
      out.push({ expr: e });
    }
  }
  return out;
}

/** The text of a string_content node with escapes (`\n`, `\'`, `{{` in f-strings) decoded. */
function decode(content: Node): string {
  let out = '';
  let at = content.startIndex;
  const text = content.text;
  const base = content.startIndex;
  for (const c of kids(content)) {
    out += text.slice(at - base, c.startIndex - base);
    if (c.type === 'escape_interpolation') out += c.text.slice(1);
    else if (c.type === 'escape_sequence') out += unescape(c.text);
    else out += c.text;
    at = c.endIndex;
  }
  return out + text.slice(at - base);
}

function unescape(seq: string): string {
  switch (seq[1]) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case '\n':
      return '';
    case 'x':
    case 'u':
    case 'U':
      return String.fromCodePoint(parseInt(seq.slice(2), 16) || 0xfffd);
    default:
      return seq.length === 2 ? (seq[1] as string) : seq;
  }
}

/** A string literal without interpolation, or undefined. */
export function literalString(node: Node | null | undefined): string | undefined {
  const parts = stringParts(node);
  if (!parts) return undefined;
  let out = '';
  for (const p of parts) {
    if (!('text' in p)) return undefined;
    out += p.text;
  }
  return out;
}

/** `a`, `a.b.c` for identifiers and attribute chains; undefined for anything else (calls, subscripts). */
export function dotted(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const obj = dotted(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute')?.text;
    return obj !== undefined && attr ? `${obj}.${attr}` : undefined;
  }
  return undefined;
}

/** The last segment of a dotted name. */
export function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** A call's callee as a dotted name (`app.route`, `path`), or undefined (a call on a call's result, a subscript). */
export function calleeName(call: Node): string | undefined {
  return dotted(call.childForFieldName('function'));
}

/** A call's arguments: positional nodes (splats left out) and keyword arguments by name. */
export interface CallArgs {
  readonly positional: Node[];
  readonly keywords: Map<string, Node>;
}

export function callArgs(call: Node): CallArgs {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  const list = call.childForFieldName('arguments');
  for (const a of kids(list)) {
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else if (a.type !== 'comment' && a.type !== 'list_splat' && a.type !== 'dictionary_splat') positional.push(a);
  }
  return { positional, keywords };
}

/** An argument by keyword, else by position. */
export function argument(args: CallArgs, keyword: string, position: number): Node | undefined {
  return args.keywords.get(keyword) ?? (position >= 0 ? args.positional[position] : undefined);
}

/** Strips parentheses around an expression. */
export function unparen(node: Node | null | undefined): Node | undefined {
  let n = node ?? undefined;
  while (n?.type === 'parenthesized_expression') n = kids(n)[0];
  return n;
}

/** The elements of a list, tuple or set literal; undefined for anything else. */
export function sequenceItems(node: Node | null | undefined): Node[] | undefined {
  const n = unparen(node);
  if (!n) return undefined;
  if (n.type === 'list' || n.type === 'tuple' || n.type === 'set' || n.type === 'expression_list' || n.type === 'pattern_list' || n.type === 'tuple_pattern' || n.type === 'list_pattern') {
    return kids(n).filter((c) => c.type !== 'comment');
  }
  return undefined;
}

/** The parameter names of a function definition (including `self`, `*args`, `**kwargs` without stars). */
export function params(fn: Node): string[] {
  const out: string[] = [];
  for (const p of kids(fn.childForFieldName('parameters'))) {
    if (p.type === 'identifier') out.push(p.text);
    else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
      const id = kids(p)[0];
      if (id?.type === 'identifier') out.push(id.text);
    } else {
      const n = paramName(p);
      if (n !== undefined) out.push(n);
    }
  }
  return out;
}

/** The name of one parameter node (`x`, `x=1`, `x: int`, `x: int = 1`, `*args: str`). */
export function paramName(p: Node): string | undefined {
  if (p.type === 'identifier') return p.text;
  const n = p.childForFieldName('name') ?? kids(p)[0];
  if (n?.type === 'identifier') return n.text;
  if (n?.type === 'list_splat_pattern' || n?.type === 'dictionary_splat_pattern') return kids(n)[0]?.text;
  return undefined;
}

/** The decorator expressions of a function or class definition (outermost first). */
export function decoratorsOf(def: Node): Node[] {
  const p = def.parent;
  if (p?.type !== 'decorated_definition') return [];
  return kids(p)
    .filter((c) => c.type === 'decorator')
    .map((d) => kids(d)[0])
    .filter((e): e is Node => e !== undefined);
}

/** The name a call calls: the callee's last segment (`save` for `self.store.save(x)`), or undefined. */
export function calledName(call: Node): string | undefined {
  const f = call.childForFieldName('function');
  return f?.type === 'identifier' ? f.text : f?.type === 'attribute' ? f.childForFieldName('attribute')?.text : undefined;
}

/** The innermost function definition around a node. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') return n;
  return undefined;
}

/** The class a definition sits directly in (a method's class), or undefined. */
export function enclosingClass(def: Node): Node | undefined {
  let n = def.parent;
  if (n?.type === 'decorated_definition') n = n.parent;
  if (n?.type === 'block') n = n.parent;
  return n?.type === 'class_definition' ? n : undefined;
}

/** `Container.name` for a method, `name` for a function (the naming compose.ts uses for parameter routers). */
export function qualifiedName(fn: Node): string {
  const name = fn.childForFieldName('name')?.text ?? '';
  const cls = enclosingClass(fn)?.childForFieldName('name')?.text;
  return cls ? `${cls}.${name}` : name;
}

/** The HTTP status a node names: `404`, `HTTPStatus.NOT_FOUND`, `status.HTTP_404_NOT_FOUND`; undefined when unknown. */
export function statusCode(node: Node | null | undefined): number | undefined {
  if (!node) return undefined;
  if (node.type === 'integer') return Number(node.text);
  const name = dotted(node);
  if (name === undefined) return undefined;
  const last = lastSegment(name);
  const m = /^HTTP_(\d{3})(?:_|$)/.exec(last);
  if (m) return Number(m[1]);
  return STATUS_NAMES[last];
}

/** http.HTTPStatus member names of error statuses. */
const STATUS_NAMES: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  GONE: 410,
  PRECONDITION_FAILED: 412,
  REQUEST_ENTITY_TOO_LARGE: 413,
  CONTENT_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_ENTITY: 422,
  UNPROCESSABLE_CONTENT: 422,
  LOCKED: 423,
  FAILED_DEPENDENCY: 424,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
  OK: 200,
  CREATED: 201,
  ACCEPTED: 202,
  NO_CONTENT: 204,
};

/** Whether a status is a 4xx/5xx. */
export function isErrorStatus(code: number | undefined): boolean {
  return code !== undefined && code >= 400 && code <= 599;
}
