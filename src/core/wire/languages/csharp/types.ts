/**
 * C# types across files, as far as routes need them: `const string` values used in route templates
 * (`[Route(ApiRoutes.Articles)]`, `app.MapGet(Routes.Base + "/x", …)`), and the [Route]/[Area] attributes a
 * controller inherits from its base class. A type in another file is looked for as `TypeName.cs` in the file's
 * folder and each folder above it up to the service root (the usual one-type-per-file layout).
 */
import type { Language } from '@vscode/tree-sitter-wasm';
import type { Node } from '../../node';
import type { ProjectView } from '../../language';
import { dirOf } from '../../paths';
import { stringValue } from '../../syntax';
import { readOtherFile } from '../java/otherFile';

/** What a class says about routing, as nodes of its file's tree: const strings, [Route] templates, [Area], base class. */
export interface CsTypeInfo {
  readonly consts: ReadonlyMap<string, Node>;
  readonly routes: readonly Node[];
  readonly area?: Node | undefined;
  readonly base?: string | undefined;
  readonly outer?: string | undefined;
}

const TYPE_DECLS: ReadonlySet<string> = new Set(['class_declaration', 'record_declaration', 'struct_declaration', 'interface_declaration']);

/** The attributes of a declaration: name (without `Attribute`), positional and named arguments. */
export interface CsAttribute {
  readonly name: string;
  readonly node: Node;
  readonly positional: readonly Node[];
  readonly named: ReadonlyMap<string, Node>;
}

export function attributesOf(decl: Node): CsAttribute[] {
  const out: CsAttribute[] = [];
  for (const list of decl.namedChildren) {
    if (list?.type !== 'attribute_list') continue;
    for (const a of list.namedChildren) {
      if (a?.type !== 'attribute') continue;
      const full = a.childForFieldName('name')?.text ?? '';
      const positional: Node[] = [];
      const named = new Map<string, Node>();
      for (const arg of a.namedChildren.find((c) => c?.type === 'attribute_argument_list')?.namedChildren ?? []) {
        if (arg?.type !== 'attribute_argument') continue;
        const e = arg.namedChildren[arg.namedChildren.length - 1];
        if (!e) continue;
        const label = arg.namedChildren.length > 1 ? arg.namedChildren[0] : undefined; // name_equals / name_colon
        if (e.type === 'assignment_expression' && e.childForFieldName('left')?.type === 'identifier') named.set(e.childForFieldName('left')?.text ?? '', e.childForFieldName('right') ?? e);
        else if (label && (label.type === 'name_equals' || label.type === 'name_colon')) named.set(label.text.replace(/[=:\s]/g, ''), e);
        else positional.push(e);
      }
      const simple = full.slice(full.lastIndexOf('.') + 1).replace(/Attribute$/, '');
      out.push({ name: simple, node: a, positional, named });
    }
  }
  return out;
}

/** Every type declared in a tree, by simple name (the first declaration wins). */
export function typesOf(root: Node): Map<string, CsTypeInfo> {
  const out = new Map<string, CsTypeInfo>();
  const visit = (n: Node, outer: string | undefined): void => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (TYPE_DECLS.has(c.type)) {
        const name = c.childForFieldName('name')?.text;
        const body = c.childForFieldName('body');
        if (!name) continue;
        const consts = new Map<string, Node>();
        for (const m of body?.namedChildren ?? []) {
          if (m?.type !== 'field_declaration' || !m.namedChildren.some((x) => x?.type === 'modifier' && (x.text === 'const' || x.text === 'static'))) continue;
          const decl = m.namedChildren.find((x) => x?.type === 'variable_declaration');
          for (const d of decl?.namedChildren ?? []) {
            if (d?.type !== 'variable_declarator') continue;
            const id = d.childForFieldName('name')?.text;
            const value = initializer(d);
            if (id && value) consts.set(id, value);
          }
        }
        const attrs = attributesOf(c);
        const route = attrs.filter((a) => a.name === 'Route').map((a) => a.positional[0] ?? a.named.get('Template')).filter((x): x is Node => !!x);
        const area = attrs.find((a) => a.name === 'Area')?.positional[0];
        if (!out.has(name)) out.set(name, { consts, routes: route, area, base: baseTypeName(c), outer });
        if (body) visit(body, name);
      } else if (c.type === 'namespace_declaration' || c.type === 'declaration_list' || c.type === 'file_scoped_namespace_declaration') {
        visit(c.childForFieldName('body') ?? c, outer);
      }
    }
  };
  visit(root, undefined);
  return out;
}

/** The expression a variable declarator is initialized with (`= value`), in either shape the grammar uses. */
export function initializer(d: Node): Node | undefined {
  const name = d.childForFieldName('name');
  for (const c of d.namedChildren) {
    if (!c || c.id === name?.id || c.type === 'bracketed_argument_list') continue;
    return c.type === 'equals_value_clause' ? (c.namedChildren[0] ?? undefined) : c;
  }
  return undefined;
}

/** The first type in a class's base list (`: ControllerBase`, `: ApiController<T>`, `: Greeter.GreeterBase`), simple name. */
export function baseTypeName(cls: Node): string | undefined {
  const first = cls.namedChildren.find((c) => c?.type === 'base_list')?.namedChildren[0];
  if (!first) return undefined;
  const t = first.type === 'generic_name' ? (first.namedChildren[0]?.text ?? '') : first.text;
  return t.slice(t.lastIndexOf('.') + 1);
}

/** A type with its constants and templates evaluated to strings (what survives the tree of another file). */
export interface ResolvedType {
  readonly consts: ReadonlyMap<string, string>;
  /** [Route] templates; undefined entries could not be read. */
  readonly routes: readonly (string | undefined)[];
  readonly area?: string | undefined;
  readonly base?: string | undefined;
}

/** Evaluates C# string constants of one file, reading other files for `Type.Const`. */
export class CsTypes {
  private readonly resolvedHere = new Map<string, ResolvedType>();

  constructor(
    private readonly file: string,
    private readonly local: ReadonlyMap<string, CsTypeInfo>,
    private readonly project: ProjectView,
    private readonly language: Language,
  ) {}

  /** A type by simple name, evaluated: this file first, then `Name.cs` in this folder and each one above it up to the service root. */
  resolve(name: string): ResolvedType | undefined {
    if (this.local.has(name)) return this.resolveLocal(name);
    const root = this.project.serviceRootOf(this.file);
    for (let dir = dirOf(this.file); ; dir = dirOf(dir)) {
      const file = (dir === '' ? '' : dir + '/') + name + '.cs';
      if (file !== this.file) {
        const types = readOtherFile(this.project, file, this.language, 'csharp-types', (r) => {
          const other = new CsTypes(file, typesOf(r), this.project, this.language);
          return new Map([...other.local.keys()].map((n) => [n, other.resolveLocal(n) as ResolvedType]));
        });
        const found = types?.get(name);
        if (found) return found;
      }
      if (dir === root || dir === '') return undefined;
    }
  }

  private resolveLocal(name: string): ResolvedType | undefined {
    const cached = this.resolvedHere.get(name);
    if (cached) return cached;
    const info = this.local.get(name);
    if (!info) return undefined;
    const consts = new Map<string, string>();
    const resolved: ResolvedType = { consts, routes: [], base: info.base };
    this.resolvedHere.set(name, resolved); // placed first: a constant referring to its own class stops here
    for (const [k, init] of info.consts) {
      const v = this.value(init, name);
      if (v !== undefined) consts.set(k, v);
    }
    const full: ResolvedType = { consts, routes: info.routes.map((r) => this.value(r, name)), area: info.area ? this.value(info.area, name) : undefined, base: info.base };
    this.resolvedHere.set(name, full);
    return full;
  }

  /** The value of a string expression written inside class `cls`, or undefined when it is not a constant we can see. */
  value(node: Node | null | undefined, cls: string | undefined, depth = 0): string | undefined {
    if (!node || depth > 8) return undefined;
    switch (node.type) {
      case 'string_literal':
      case 'verbatim_string_literal':
      case 'raw_string_literal':
        return stringValue(node);
      case 'parenthesized_expression':
        return this.value(node.namedChildren[0], cls, depth + 1);
      case 'binary_expression': {
        if (node.childForFieldName('operator')?.text !== '+') return undefined;
        const l = this.value(node.childForFieldName('left'), cls, depth + 1);
        const r = l === undefined ? undefined : this.value(node.childForFieldName('right'), cls, depth + 1);
        return l === undefined || r === undefined ? undefined : l + r;
      }
      case 'invocation_expression': {
        // nameof(X) / nameof(A.B) → the last name
        if (node.childForFieldName('function')?.text !== 'nameof') return undefined;
        const arg = node.childForFieldName('arguments')?.namedChildren[0]?.text;
        return arg ? arg.slice(arg.lastIndexOf('.') + 1) : undefined;
      }
      case 'identifier':
        for (let c = cls; c !== undefined; c = this.local.get(c)?.outer) {
          const init = this.local.get(c)?.consts.get(node.text);
          if (init) return this.value(init, c, depth + 1);
        }
        return undefined;
      case 'member_access_expression': {
        const type = node.childForFieldName('expression')?.text ?? '';
        const simple = type.slice(type.lastIndexOf('.') + 1);
        return this.resolve(simple)?.consts.get(node.childForFieldName('name')?.text ?? '');
      }
      default:
        return undefined;
    }
  }
}
