/**
 * Request mappings a Spring controller inherits from the interfaces it implements: openapi-generator's `…Api`
 * interfaces (`@RequestMapping(method = GET, value = "/owners")` on a default method) implemented by a
 * `@RestController` that only overrides them. Spring registers the controller's methods with the interface's
 * mappings under the controller's own `@RequestMapping`; the interface alone serves nothing.
 */
import type { Language } from '@vscode/tree-sitter-wasm';
import type { Node } from '../../node';
import type { ProjectView } from '../../language';
import { annotationsOf, requestMethods, SPRING_MAPPINGS } from './annotations';
import { ConstantEvaluator, scopeOf } from './constants';
import { readOtherFile } from './otherFile';

/** One mapped method of an interface. */
export interface InheritedMapping {
  readonly name: string;
  readonly params: number;
  readonly verbs: readonly string[];
  /** Its paths (`['']` when the annotation names none); those that are not constants are left out. */
  readonly paths: readonly string[];
}

export interface InterfaceMappings {
  /** The interface's own `@RequestMapping` paths, when it has one. */
  readonly prefixes: readonly string[] | undefined;
  readonly methods: readonly InheritedMapping[];
}

/** The mappings of an interface declaration, with paths evaluated by `value` (the constants of its file). */
export function mappingsOf(iface: Node, value: (n: Node) => string | undefined): InterfaceMappings {
  const paths = (args: ReadonlyMap<string, readonly Node[]>): string[] => {
    const nodes = [...(args.get('value') ?? []), ...(args.get('path') ?? [])];
    if (nodes.length === 0) return [''];
    return nodes.map(value).filter((v): v is string => v !== undefined);
  };
  const typeMap = annotationsOf(iface).find((a) => a.name === 'RequestMapping');
  const methods: InheritedMapping[] = [];
  for (const m of iface.childForFieldName('body')?.namedChildren ?? []) {
    if (m?.type !== 'method_declaration') continue;
    const name = m.childForFieldName('name')?.text;
    if (!name) continue;
    const params = parameterCount(m);
    for (const a of annotationsOf(m)) {
      if (!SPRING_MAPPINGS.has(a.name)) continue;
      methods.push({ name, params, verbs: SPRING_MAPPINGS.get(a.name) ?? requestMethods(a), paths: paths(a.args) });
    }
  }
  return { prefixes: typeMap ? paths(typeMap.args) : undefined, methods };
}

/** The mappings of interface `name` in another file of the project (the first of `files` that declares it). */
export function interfaceInFiles(project: ProjectView, language: Language, files: readonly string[], name: string): InterfaceMappings | undefined {
  for (const file of files) {
    const found = readOtherFile(project, file, language, 'java-spring-interface:' + name, (root) => {
      const iface = root.namedChildren.find((c) => c?.type === 'interface_declaration' && c.childForFieldName('name')?.text === name);
      if (!iface) return undefined;
      const scope = scopeOf(root, file);
      const ev = new ConstantEvaluator(scope, project, language);
      return mappingsOf(iface, (n) => ev.value(n, name));
    });
    if (found) return found;
  }
  return undefined;
}

/** How many parameters a method declares (to tell overloads apart). */
export function parameterCount(m: Node): number {
  return (m.childForFieldName('parameters')?.namedChildren ?? []).filter((p) => p?.type === 'formal_parameter' || p?.type === 'spread_parameter').length;
}
