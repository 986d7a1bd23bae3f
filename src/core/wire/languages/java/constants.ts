/**
 * Java string constants in route annotations: `@RequestMapping(BASE + "/articles")`, `@GetMapping(Paths.API)`,
 * a static import `API`. Same-class (and outer-class) constants are read from the file itself; another class's
 * constants from its file, found through the imports, the package folder or a wildcard import.
 */
import type { Language } from '@vscode/tree-sitter-wasm';
import type { Node } from '../../node';
import type { ProjectView } from '../../language';
import { dirOf } from '../../paths';
import { stringValue } from '../../syntax';
import { readOtherFile } from './otherFile';

/** The classes, imports and package of one Java file, as far as constants need them. */
export interface JavaScope {
  readonly file: string;
  readonly pkg: string;
  /** simple name → fully qualified name (`import a.b.Paths;`). */
  readonly imports: ReadonlyMap<string, string>;
  /** member → fully qualified class (`import static a.b.Paths.API;`). */
  readonly staticImports: ReadonlyMap<string, string>;
  /** Packages imported with `.*`. */
  readonly wildcards: readonly string[];
  /** Top-level and nested classes by simple name: their constant initializers and enclosing class. */
  readonly classes: ReadonlyMap<string, { readonly fields: ReadonlyMap<string, Node>; readonly outer?: string | undefined }>;
}

const CLASS_TYPES: ReadonlySet<string> = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration']);

/** Reads the package, imports and constant fields of a Java file. */
export function scopeOf(root: Node, file: string): JavaScope {
  let pkg = '';
  const imports = new Map<string, string>();
  const staticImports = new Map<string, string>();
  const wildcards: string[] = [];
  const classes = new Map<string, { fields: Map<string, Node>; outer?: string | undefined }>();
  const visit = (n: Node, outer: string | undefined): void => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'package_declaration') pkg = c.namedChildren.find((x) => x?.type === 'scoped_identifier' || x?.type === 'identifier')?.text ?? '';
      else if (c.type === 'import_declaration') {
        const name = c.namedChildren.find((x) => x?.type === 'scoped_identifier' || x?.type === 'identifier')?.text;
        if (!name) continue;
        const isStatic = c.children.some((x) => x?.type === 'static');
        const star = c.namedChildren.some((x) => x?.type === 'asterisk');
        if (star) {
          if (!isStatic) wildcards.push(name);
        } else if (isStatic) staticImports.set(name.slice(name.lastIndexOf('.') + 1), name.slice(0, name.lastIndexOf('.')));
        else imports.set(name.slice(name.lastIndexOf('.') + 1), name);
      } else if (CLASS_TYPES.has(c.type)) {
        const name = c.childForFieldName('name')?.text;
        const body = c.childForFieldName('body');
        if (!name || !body) continue;
        const fields = new Map<string, Node>();
        for (const m of body.namedChildren) {
          if (!m || (m.type !== 'field_declaration' && m.type !== 'constant_declaration')) continue;
          for (const d of m.namedChildren) {
            const value = d?.type === 'variable_declarator' ? d.childForFieldName('value') : null;
            const id = d?.childForFieldName('name')?.text;
            if (value && id) fields.set(id, value);
          }
        }
        if (!classes.has(name)) classes.set(name, { fields, outer });
        visit(body, name);
      }
    }
  };
  visit(root, undefined);
  return { file, pkg, imports, staticImports, wildcards, classes };
}

/** Evaluates string expressions (literals, `+`, constants) of one file, reading other files when a constant lives there. */
export class ConstantEvaluator {
  constructor(
    private readonly scope: JavaScope,
    private readonly project: ProjectView,
    private readonly language: Language,
  ) {}

  /** The value of a string expression written in `cls`, or undefined when it is not a compile-time constant we can see. */
  value(node: Node | null | undefined, cls: string | undefined, depth = 0): string | undefined {
    if (!node || depth > 8) return undefined;
    switch (node.type) {
      case 'string_literal':
        return stringValue(node);
      case 'parenthesized_expression':
        return this.value(node.namedChildren[0], cls, depth + 1);
      case 'binary_expression': {
        if (node.childForFieldName('operator')?.text !== '+') return undefined;
        const l = this.value(node.childForFieldName('left'), cls, depth + 1);
        const r = l === undefined ? undefined : this.value(node.childForFieldName('right'), cls, depth + 1);
        return l === undefined || r === undefined ? undefined : l + r;
      }
      case 'identifier':
        return this.named(node.text, cls, depth);
      case 'field_access': {
        const obj = node.childForFieldName('object')?.text;
        const field = node.childForFieldName('field')?.text;
        if (!obj || !field) return undefined;
        return this.member(obj, field, depth);
      }
      default:
        return undefined;
    }
  }

  /** A bare name: a field of the class or an outer class, then a static import. */
  private named(name: string, cls: string | undefined, depth: number): string | undefined {
    for (let c = cls; c !== undefined; c = this.scope.classes.get(c)?.outer) {
      const init = this.scope.classes.get(c)?.fields.get(name);
      if (init) return this.value(init, c, depth + 1);
    }
    const owner = this.scope.staticImports.get(name);
    return owner ? this.member(owner, name, depth) : undefined;
  }

  /** `Type.FIELD` or `a.b.Type.FIELD`: this file first, then the file declaring the type. */
  private member(type: string, field: string, depth: number): string | undefined {
    const simple = type.slice(type.lastIndexOf('.') + 1);
    const here = this.scope.classes.get(simple)?.fields.get(field);
    if (here) return this.value(here, simple, depth + 1);
    for (const file of this.candidateFiles(type)) {
      const consts = readOtherFile(this.project, file, this.language, 'java-constants', (root) => allConstants(root, file, this.project, this.language));
      const v = consts?.get(simple + '.' + field);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Where a type may be declared: its import, its package folder, wildcard-imported packages; nested types in their outer file. */
  candidateFiles(type: string): string[] {
    const { pkg, file } = this.scope;
    const dir = dirOf(file);
    const pkgPath = pkg.replace(/\./g, '/');
    const srcRoot = pkg === '' ? dir : dir === pkgPath ? '' : dir.endsWith('/' + pkgPath) ? dir.slice(0, dir.length - pkgPath.length - 1) : undefined;
    const first = type.split('.')[0] as string;
    const fqns: string[] = [];
    if (type.includes('.') && /^[a-z]/.test(first)) fqns.push(type);
    else {
      const imported = this.scope.imports.get(first);
      if (imported) fqns.push(imported + type.slice(first.length));
      fqns.push((pkg ? pkg + '.' : '') + type);
      for (const w of this.scope.wildcards) fqns.push(w + '.' + type);
    }
    const out: string[] = [];
    for (const fqn of fqns) {
      const parts = fqn.split('.');
      // a.b.Outer.Inner may be in a/b/Outer/Inner.java (no) or a/b/Outer.java: try each class segment as the file.
      for (let n = parts.length; n > 0; n--) {
        if (!/^[A-Z]/.test(parts[n - 1] as string)) break;
        const rel = parts.slice(0, n).join('/') + '.java';
        if (srcRoot !== undefined) out.push(srcRoot === '' ? rel : srcRoot + '/' + rel);
        if (n === parts.length && parts.slice(0, n - 1).join('.') === pkg) out.push((dir === '' ? '' : dir + '/') + parts[n - 1] + '.java');
      }
    }
    return [...new Set(out)].filter((f) => f !== file);
  }
}

/** Every string constant of a file as `Class.FIELD` → value (evaluated while the file's tree is alive). */
function allConstants(root: Node, file: string, project: ProjectView, language: Language): Map<string, string> {
  const scope = scopeOf(root, file);
  const ev = new ConstantEvaluator(scope, project, language);
  const out = new Map<string, string>();
  for (const [cls, { fields }] of scope.classes) {
    for (const [name, init] of fields) {
      const v = ev.value(init, cls);
      if (v !== undefined) out.set(cls + '.' + name, v);
    }
  }
  return out;
}
