/**
 * Small JavaScript/TypeScript syntax helpers the extractor's parts share: function and class node kinds, wrappers that
 * do not change what an expression denotes, call arguments, object properties, parameter names.
 */
import type { Node } from '../../node';
import { stringValue } from '../../syntax';

export const FN_TYPES: ReadonlySet<string> = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'generator_function', 'arrow_function', 'method_definition']);
export const CLASS_TYPES: ReadonlySet<string> = new Set(['class_declaration', 'class', 'abstract_class_declaration']);
/** Wrappers that do not change what an expression denotes (`await x`, `(x)`, `x as T`, `x!`). */
export const TRANSPARENT: ReadonlySet<string> = new Set(['parenthesized_expression', 'await_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion']);

/** A call with its callee and, for member calls (`a.b(…)`), the property name. */
export interface CallSite {
  readonly node: Node;
  readonly callee: Node;
  readonly prop: string | undefined;
}

/** The non-comment arguments of a call. */
export function argsOf(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
}

/** Names bound to table values while a loop over a literal table is expanded. */
export type Env = ReadonlyMap<string, Node>;

/** Strips `await`, parentheses and TypeScript casts. */
export function unwrap(node: Node): Node {
  let n = node;
  while (TRANSPARENT.has(n.type)) {
    const inner = n.type === 'await_expression' ? (n.namedChild(0) ?? null) : n.namedChild(0);
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** `module.exports` */
export function isModuleExports(n: Node): boolean {
  return n.type === 'member_expression' && n.childForFieldName('object')?.text === 'module' && n.childForFieldName('property')?.text === 'exports';
}

/** The name of a property key (`a`, `'a'`, `"a"`), undefined for computed keys. */
export function propertyName(key: Node): string | undefined {
  if (key.type === 'property_identifier' || key.type === 'identifier' || key.type === 'private_property_identifier') return key.text;
  return stringValue(key);
}

/** The value node of `prop` in an object literal (`prop: v`, shorthand `prop`, method `prop() {}`). */
export function propertyValue(obj: Node, prop: string): Node | undefined {
  for (const c of obj.namedChildren) {
    if (!c) continue;
    if (c.type === 'pair') {
      const k = c.childForFieldName('key');
      if (k && propertyName(k) === prop) return c.childForFieldName('value') ?? undefined;
    } else if (c.type === 'shorthand_property_identifier' && c.text === prop) return c;
    else if (c.type === 'method_definition' && c.childForFieldName('name')?.text === prop) return c;
  }
  return undefined;
}

/** The name of a formal parameter (`req`, `req: Request`, `x = 1`, `...rest`), or `{…}` for a destructured one. */
export function paramName(p: Node): string {
  let n: Node | null = p;
  if (n.type === 'required_parameter' || n.type === 'optional_parameter') n = n.childForFieldName('pattern');
  if (n?.type === 'assignment_pattern') n = n.childForFieldName('left');
  if (n?.type === 'rest_pattern') n = n.namedChild(0);
  if (!n) return '';
  if (n.type === 'identifier' || n.type === 'this') return n.text;
  return '{…}';
}
