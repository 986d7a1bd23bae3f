/**
 * Names of Ruby definitions for the file reader: the node types of methods and blocks, qualified class and module
 * names, the container a method belongs to, and a method's parameter names.
 */
import type { Node } from '../../node';
import { ancestor } from '../../syntax';
import { constantName } from './common';

export const FN_TYPES: ReadonlySet<string> = new Set(['method', 'singleton_method']);
export const BLOCK_TYPES: ReadonlySet<string> = new Set(['do_block', 'block']);

/** `Api::V1::ArticlesController` for a class nested in modules (or named `Api::V1::ArticlesController`). */
export function qualifiedName(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.type === 'class' || n.type === 'module') {
      const name = constantName(n.childForFieldName('name'));
      if (name !== undefined) parts.unshift(name);
    }
  }
  return parts.join('::');
}

/** The class or module a method belongs to (`class << self` counts as its outer class). */
export function containerOf(fn: Node): string | undefined {
  const owner = ancestor(fn, CONTAINER_TYPES);
  return owner ? qualifiedName(owner) : undefined;
}

const CONTAINER_TYPES: ReadonlySet<string> = new Set(['class', 'module']);

export function params(fn: Node): string[] {
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  const out: string[] = [];
  for (const p of list.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') out.push(p.text);
    else {
      const n = p.childForFieldName('name');
      if (n) out.push(n.text);
    }
  }
  return out;
}
