/**
 * PHP helpers shared by the Laravel/Lumen/Slim, Symfony and gRPC readers: literal strings and arrays, call
 * arguments (positional and named), class names, handler references, HTTP error statuses.
 */
import type { Node } from '../../node';
import type { HandlerRef } from '../../facts';
import { locOf } from '../../syntax';

/**
 * The value of a PHP string literal: 'single' (only \\ and \' are escapes, so `App\Http\X` keeps its
 * backslashes) or "double" without variables. Undefined for anything computed at run time.
 */
export function phpString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type !== 'string' && node.type !== 'encapsed_string') return undefined;
  const single = node.text.startsWith("'");
  let out = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_content' || c.type === 'string_value') out += single ? c.text.replace(/\\([\\'])/g, '$1') : c.text;
    else if (c.type === 'escape_sequence') out += c.text.length === 2 ? c.text[1] : c.text;
    else return undefined;
  }
  return out;
}

/** A call's arguments: positional values in order, named ones (`methods: ['GET']`) by name. */
export interface PhpArgs {
  readonly positional: Node[];
  readonly named: Map<string, Node>;
}

export function phpArgs(call: Node | null | undefined): PhpArgs {
  const positional: Node[] = [];
  const named = new Map<string, Node>();
  const list = call?.type === 'arguments' ? call : (call?.childForFieldName('arguments') ?? call?.childForFieldName('parameters'));
  for (const a of list?.namedChildren ?? []) {
    if (a?.type !== 'argument') continue;
    const name = a.childForFieldName('name');
    const value = a.namedChildren.filter((c): c is Node => c !== null && c !== name && c.type !== 'comment').pop();
    if (!value) continue;
    if (name) named.set(name.text, value);
    else positional.push(value);
  }
  return { positional, named };
}

/** `['a', 'b']` → ['a', 'b'] (a single string → [it]); undefined when an element is not a literal. */
export function phpList(node: Node | null | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.type !== 'array_creation_expression') {
    const v = phpString(node);
    return v === undefined ? undefined : [v];
  }
  const out: string[] = [];
  for (const e of node.namedChildren) {
    if (e?.type !== 'array_element_initializer') continue;
    const v = phpString(e.namedChildren[e.namedChildren.length - 1]);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** `['prefix' => 'x', 'uses' => …]`: the keyed entries of an array literal (string keys only), and the unkeyed values. */
export function phpArray(node: Node | null | undefined): { keyed: Map<string, Node>; values: Node[] } {
  const keyed = new Map<string, Node>();
  const values: Node[] = [];
  if (node?.type !== 'array_creation_expression') return { keyed, values };
  for (const e of node.namedChildren) {
    if (e?.type !== 'array_element_initializer') continue;
    const parts = e.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    if (parts.length === 2 && e.text.includes('=>')) {
      const k = phpString(parts[0]);
      if (k !== undefined) keyed.set(k, parts[1] as Node);
    } else if (parts.length === 1) values.push(parts[0] as Node);
  }
  return { keyed, values };
}

/** The last segment of a class name: `\App\Http\Controllers\ArticleController` → `ArticleController`. */
export function simpleName(name: string): string {
  const trimmed = name.replace(/^\\+/, '');
  return trimmed.slice(trimmed.lastIndexOf('\\') + 1);
}

/** `ArticleController::class` → `ArticleController`; undefined for anything else. */
export function classConstant(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'class_constant_access_expression') return undefined;
  const parts = node.namedChildren.filter((c): c is Node => c !== null);
  if (parts.length !== 2 || parts[1]?.text !== 'class') return undefined;
  return simpleName(parts[0]?.text ?? '');
}

/**
 * A route's handler: a closure or arrow function (here), `[ArticleController::class, 'show']`,
 * `'ArticleController@show'`, `'ArticleController:show'` (Slim), `ArticleController::class . ':show'`, an
 * invokable `ArticleController::class` (→ __invoke), or a bare method name inside `Route::controller(X)`.
 */
export function phpHandler(node: Node | null | undefined, controller: string | undefined): HandlerRef | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'anonymous_function':
    case 'arrow_function':
      return { kind: 'here', name: '<anonymous>', loc: locOf(node, true) };
    case 'class_constant_access_expression': {
      const c = classConstant(node);
      return c === undefined ? undefined : { kind: 'member', container: c, name: '__invoke' };
    }
    case 'array_creation_expression': {
      const { keyed, values } = phpArray(node);
      const uses = keyed.get('uses');
      if (uses) return phpHandler(uses, controller);
      const closure = values.find((v) => v.type === 'anonymous_function' || v.type === 'arrow_function');
      if (closure) return phpHandler(closure, controller);
      const cls = classConstant(values[0]) ?? (phpString(values[0]) !== undefined ? simpleName(phpString(values[0]) as string) : undefined);
      const method = phpString(values[1]);
      return cls !== undefined && method !== undefined ? { kind: 'member', container: cls, name: method } : undefined;
    }
    case 'binary_expression': {
      const cls = classConstant(node.childForFieldName('left'));
      const rest = phpString(node.childForFieldName('right'));
      return cls !== undefined && rest?.startsWith(':') ? { kind: 'member', container: cls, name: rest.replace(/^:+/, '') } : undefined;
    }
    default: {
      const s = phpString(node);
      if (s === undefined) return undefined;
      const m = /^(.+?)(?:@|::?)(\w+)$/.exec(s);
      if (m) return { kind: 'member', container: simpleName(m[1] as string), name: m[2] as string };
      if (controller !== undefined && /^\w+$/.test(s)) return { kind: 'member', container: controller, name: s };
      if (/^[\w\\]+$/.test(s) && /^[A-Z\\]/.test(s)) return { kind: 'member', container: simpleName(s), name: '__invoke' };
      return undefined;
    }
  }
}

/** Symfony `Response::HTTP_*` names of 4xx/5xx statuses. */
const HTTP_ERROR_CONSTANT =
  /^HTTP_(?:BAD_|UNAUTHORIZED|PAYMENT_REQUIRED|FORBIDDEN|NOT_FOUND|METHOD_NOT_ALLOWED|NOT_ACCEPTABLE|PROXY_AUTH|REQUEST_|CONFLICT|GONE|LENGTH_REQUIRED|PRECONDITION|UNSUPPORTED|EXPECTATION|I_AM_A_TEAPOT|MISDIRECTED|UNPROCESSABLE|LOCKED|FAILED_DEPENDENCY|TOO_|UPGRADE|UNAVAILABLE|INTERNAL|NOT_IMPLEMENTED|SERVICE_UNAVAILABLE|GATEWAY|VERSION|VARIANT|INSUFFICIENT|LOOP|NOT_EXTENDED|NETWORK)/;

/** Whether a status argument is a 4xx/5xx: `404`, `Response::HTTP_NOT_FOUND`. */
export function isErrorStatus(node: Node | null | undefined): boolean {
  if (!node) return false;
  if (node.type === 'integer') {
    const n = Number(node.text);
    return n >= 400 && n <= 599;
  }
  if (node.type === 'class_constant_access_expression') return HTTP_ERROR_CONSTANT.test(node.namedChildren[node.namedChildren.length - 1]?.text ?? '');
  return false;
}

/** English singular (Laravel's resource parameter names): `photos` → `photo`, `categories` → `category`. */
export function singular(word: string): string {
  if (word.endsWith('ss')) return word;
  if (/(?:[^aeiouy]|qu)ies$/.test(word)) return word.slice(0, -3) + 'y';
  if (/(?:x|ch|ss|sh|alias|status|bus)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

