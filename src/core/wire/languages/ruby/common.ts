/**
 * Ruby helpers shared by the Rails, Sinatra and gRPC readers: literal values (strings, symbols, %w[] arrays, with
 * block variables bound by `each` over a literal list), call options, constant names and Rails inflections.
 */
import type { Node } from '../../node';

/** Block variables bound to literal values (`%w[a b].each do |page| … end` → page = 'a', then 'b'). */
export type Env = ReadonlyMap<string, string>;

export const NO_ENV: Env = new Map();

/**
 * The literal value of a string, symbol or bound variable: `'x'`, `"x#{page}"` (page bound), `:x`, `:"x-y"`,
 * `x:` (hash key). Undefined for anything computed at run time.
 */
export function rbValue(node: Node | null | undefined, env: Env = NO_ENV): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'string':
    case 'delimited_symbol':
    case 'bare_string':
    case 'bare_symbol': {
      let out = '';
      for (const c of node.namedChildren) {
        if (!c) continue;
        if (c.type === 'string_content') out += c.text;
        else if (c.type === 'escape_sequence') out += unescape(c.text);
        else if (c.type === 'interpolation') {
          const inner = c.namedChildren.filter((n) => n !== null);
          const v = inner.length === 1 && inner[0]?.type === 'identifier' ? env.get(inner[0].text) : undefined;
          if (v === undefined) return undefined;
          out += v;
        } else return undefined;
      }
      return out;
    }
    case 'simple_symbol':
      return node.text.replace(/^:/, '');
    case 'hash_key_symbol':
      return node.text;
    case 'identifier':
      return env.get(node.text);
    default:
      return undefined;
  }
}

function unescape(seq: string): string {
  switch (seq) {
    case '\\n':
      return '\n';
    case '\\t':
      return '\t';
    default:
      return seq.slice(1);
  }
}

/** A literal list: `[:a, 'b']`, `%w[a b]`, `%i[a b]`, or a single literal as a list of one. */
export function rbList(node: Node | null | undefined, env: Env = NO_ENV): string[] | undefined {
  if (!node) return undefined;
  if (node.type === 'array' || node.type === 'string_array' || node.type === 'symbol_array') {
    const out: string[] = [];
    for (const c of node.namedChildren) {
      const v = rbValue(c, env);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  const v = rbValue(node, env);
  return v === undefined ? undefined : [v];
}

/** A call's arguments split into positional nodes and `key: value` / `:key => value` options. */
export interface CallArgs {
  readonly positional: Node[];
  readonly options: Map<string, Node>;
  /** `'path' => 'controller#action'`: the first pair whose key is a string. */
  readonly arrow?: { key: Node; value: Node } | undefined;
}

export function callArgs(call: Node): CallArgs {
  const positional: Node[] = [];
  const options = new Map<string, Node>();
  let arrow: { key: Node; value: Node } | undefined;
  const list = call.childForFieldName('arguments');
  const visit = (n: Node): void => {
    if (n.type === 'pair') {
      const k = n.childForFieldName('key');
      const v = n.childForFieldName('value');
      if (!k || !v) return;
      if (k.type === 'hash_key_symbol' || k.type === 'simple_symbol') options.set(rbValue(k) ?? '', v);
      else if (!arrow) arrow = { key: k, value: v };
    } else if (n.type === 'hash') {
      for (const c of n.namedChildren) if (c) visit(c);
    } else if (n.type !== 'comment') positional.push(n);
  };
  if (list) for (const c of list.namedChildren) if (c) visit(c);
  return { positional, options, arrow };
}

/** The method name of a `call` node, or of a bare identifier used as a command (`raise`, `nil` excluded). */
export function callName(node: Node): string | undefined {
  if (node.type === 'call') return node.childForFieldName('method')?.text;
  if (node.type === 'identifier') return node.text;
  return undefined;
}

/** The block (`do … end` / `{ … }`) of a call, or undefined. */
export function blockOf(call: Node): Node | undefined {
  return call.childForFieldName('block') ?? undefined;
}

/** The statements of a block, class, module or method body (comments dropped). */
export function statements(node: Node | null | undefined): Node[] {
  if (!node) return [];
  let body: Node | null = node;
  if (node.type === 'do_block' || node.type === 'block' || node.type === 'class' || node.type === 'module' || node.type === 'singleton_class' || node.type === 'lambda') {
    body = node.childForFieldName('body');
    if (body?.type === 'block') body = body.childForFieldName('body');
  }
  if (!body) return [];
  return body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** The names bound by a block's parameters (`|page, i|`). */
export function blockParams(block: Node): string[] {
  const params = block.childForFieldName('parameters');
  if (!params) return [];
  return params.namedChildren.filter((c): c is Node => c?.type === 'identifier').map((c) => c.text);
}

/** `Foo`, `Foo::Bar`, `::Foo` as written (leading `::` dropped), or undefined for anything else. */
export function constantName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'constant') return node.text;
  if (node.type === 'scope_resolution') {
    const name = node.childForFieldName('name');
    const scope = node.childForFieldName('scope');
    if (!name || name.type !== 'constant') return undefined;
    if (!scope) return name.text;
    const s = constantName(scope);
    return s === undefined ? undefined : s + '::' + name.text;
  }
  return undefined;
}

/** `api/v1/user_profiles` → `Api::V1::UserProfiles`. */
export function camelize(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((seg) => seg.split('_').map((w) => (w === '' ? '' : w[0]?.toUpperCase() + w.slice(1))).join(''))
    .join('::');
}

/** English singular of a resource name, the common cases Rails' inflector covers (`articles` → `article`, `categories` → `category`). */
export function singularize(word: string): string {
  const irregular = IRREGULAR_SINGULAR[word];
  if (irregular) return irregular;
  if (word.endsWith('ss')) return word;
  if (/(?:[^aeiouy]|qu)ies$/.test(word)) return word.slice(0, -3) + 'y';
  if (/(?:x|ch|ss|sh|alias|status|bus)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

const IRREGULAR_SINGULAR: Readonly<Record<string, string>> = { people: 'person', children: 'child', men: 'man', women: 'woman', data: 'datum', media: 'medium' };

/** English plural, for singular `resource :profile` → ProfilesController. */
export function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies';
  if (/(?:s|x|z|ch|sh)$/.test(word)) return word + 'es';
  return word + 's';
}

