/** Java annotations as the extractors read them, and Spring's request-mapping annotations. */
import type { Node } from '../../node';
import { HTTP_VERBS } from './routerFunctions';

/** An annotation with its arguments: positional ones under `value`. */
export interface Annotation {
  readonly name: string;
  readonly node: Node;
  readonly args: ReadonlyMap<string, readonly Node[]>;
}

/** Mapping annotation → its HTTP method; `@RequestMapping` names them in `method =` (all when absent). */
export const SPRING_MAPPINGS: ReadonlyMap<string, readonly string[] | undefined> = new Map([
  ['GetMapping', ['GET']],
  ['PostMapping', ['POST']],
  ['PutMapping', ['PUT']],
  ['DeleteMapping', ['DELETE']],
  ['PatchMapping', ['PATCH']],
  ['RequestMapping', undefined],
]);

/** Annotations in a declaration's modifiers. */
export function annotationsOf(decl: Node): Annotation[] {
  const mods = decl.namedChildren.find((c) => c?.type === 'modifiers');
  const out: Annotation[] = [];
  for (const a of mods?.namedChildren ?? []) {
    if (!a || (a.type !== 'annotation' && a.type !== 'marker_annotation')) continue;
    const full = a.childForFieldName('name')?.text ?? '';
    const args = new Map<string, Node[]>();
    for (const arg of a.childForFieldName('arguments')?.namedChildren ?? []) {
      if (!arg || arg.type === 'line_comment' || arg.type === 'block_comment') continue;
      const pair = arg.type === 'element_value_pair';
      const key = pair ? (arg.childForFieldName('key')?.text ?? 'value') : 'value';
      const value = pair ? arg.childForFieldName('value') : arg;
      if (!value) continue;
      const list = args.get(key) ?? [];
      list.push(...(value.type === 'element_value_array_initializer' ? value.namedChildren.filter((v): v is Node => !!v && v.type !== 'line_comment' && v.type !== 'block_comment') : [value]));
      args.set(key, list);
    }
    out.push({ name: full.slice(full.lastIndexOf('.') + 1), node: a, args });
  }
  return out;
}

/** `@RequestMapping(method = {RequestMethod.GET, POST})` → ['GET','POST']; no `method` → ['ANY']. */
export function requestMethods(a: Annotation): string[] {
  const methods = (a.args.get('method') ?? []).map((n) => n.text.slice(n.text.lastIndexOf('.') + 1)).filter((m) => HTTP_VERBS.has(m));
  return methods.length > 0 ? methods : ['ANY'];
}
