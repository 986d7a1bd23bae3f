/**
 * The state of one Go file's read and the helpers every layer of the reader uses: the file's imports, types,
 * functions and routers so far; type names and router types; parameter bindings; call arguments; and the records
 * of errors, entries and warnings (each recorded once).
 *
 * The reader is one class built in layers, each in its own module and each extending the one before:
 * base → evaluate (routers, values) → handlers → errors (returns, error exits) → grpc → routes (calls) → walk → reader.
 */
import type { Node } from '../../node';
import { emptyFacts, type Loc } from '../../facts';
import type { ProjectView } from '../../language';
import type { ErrorKind } from '../../model';
import { locOf, shortText } from '../../syntax';
import { frameworkOfModule, type GoFramework, ROUTER_TYPES, STYLE } from './frameworks';
import { goModOf, type GoMod, inModule } from './module';
import { type Fn, NONE, type RouterVal, Scope, type TypeInfo, type Val } from './scope';

type Facts = ReturnType<typeof emptyFacts>;

export abstract class GoReaderBase {
  protected readonly facts: Facts;
  /** Import binding → import path. */
  protected readonly imports = new Map<string, string>();
  protected readonly imported = new Set<GoFramework>();
  protected readonly types = new Map<string, TypeInfo>();
  /** Top-level functions of this file by name. */
  protected readonly funcs = new Map<string, Node>();
  /** Methods of this file by receiver type. */
  protected readonly methods = new Map<string, { name: string; loc: Loc }[]>();
  /** Type → gRPC services it implements (by marker in this file). */
  protected readonly grpc = new Map<string, Set<string>>();
  protected readonly routerNames = new Set<string>();
  /** Router-creating calls already read, by node id. */
  protected readonly memo = new Map<number, Val>();
  /** What other calls evaluated to (outside route tables), by node id. */
  protected readonly callCache = new Map<number, Val>();
  /** The name a router created by this call should get (the variable or field it is assigned to), by node id. */
  protected readonly hints = new Map<number, { name: string; reuse: boolean }>();
  /** Func literals whose first parameter is a known router (chi Route/Group, fiber Route callbacks), by node id. */
  protected readonly literalRouters = new Map<number, RouterVal>();
  protected readonly pkgScope = new Scope();
  /** Package-level names not yet evaluated (evaluated on first use, so order does not matter). */
  protected readonly lazy = new Map<string, Node>();
  private readonly seen = new Set<string>();
  /** Inside an expanded route table: the row's position, used as the registration site. */
  protected rowLoc: Loc | undefined;
  protected readonly isTest: boolean;
  /** The file's go.mod (module path and local replaces), read once. */
  private readonly mod: GoMod | undefined;

  constructor(
    protected readonly root: Node,
    file: string,
    project: ProjectView,
  ) {
    this.facts = emptyFacts(file, 'go');
    this.isTest = file.endsWith('_test.go');
    this.mod = goModOf(file, project);
  }

  /** Binds parameters by their types (a router-typed parameter is the router `fn(param)`); returns their names. */
  protected bindParams(list: Node | null, scope: Scope, qual: string): string[] {
    const names: string[] = [];
    for (const p of list?.namedChildren ?? []) {
      if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
      const type = p.childForFieldName('type');
      const ns = p.childrenForFieldName('name');
      if (ns.length === 0) names.push('_');
      for (const n of ns) {
        if (!n) continue;
        names.push(n.text);
        scope.set(n.text, type ? { k: 'typed', type, routerName: `${qual}(${n.text})`, at: n } : NONE);
      }
    }
    return names;
  }

  /** What a variable of a declared type holds: a router (named `routerName`), a value of a named type, or nothing known. */
  protected typedVal(type: Node, routerName: string, loc: Loc): Val {
    const t = this.typeName(type);
    const fw = this.routerTypeOf(t);
    if (fw) {
      this.ensureRouter(routerName, fw, loc);
      return { k: 'router', ref: { kind: 'local', name: routerName }, fw, sure: true };
    }
    return t ? { k: 'obj', pkg: t.pkg, type: t.name } : NONE;
  }

  // ---- types --------------------------------------------------------------------------------------------------

  /** `*pkg.T`, `pkg.T`, `T`, `T[X]` → package binding and name. */
  protected typeName(type: Node | null | undefined): { pkg?: string | undefined; name: string } | undefined {
    switch (type?.type) {
      case 'pointer_type':
      case 'parenthesized_type': {
        const inner = type.namedChildren[0];
        return inner ? this.typeName(inner) : undefined;
      }
      case 'type_identifier':
        return { name: type.text };
      case 'qualified_type': {
        const pkg = type.childForFieldName('package')?.text;
        const name = type.childForFieldName('name')?.text;
        return name ? { pkg, name } : undefined;
      }
      case 'generic_type': {
        const t = type.childForFieldName('type');
        return t ? this.typeName(t) : undefined;
      }
      case 'parameter_list': {
        // a result list: its first type
        const first = type.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('type');
        return first ? this.typeName(first) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The framework whose router type this is (`chi.Router`, `*gin.RouterGroup`), or undefined. */
  protected routerType(type: Node): GoFramework | undefined {
    return this.routerTypeOf(this.typeName(type));
  }

  protected routerTypeOf(t: { pkg?: string | undefined; name: string } | undefined): GoFramework | undefined {
    if (!t?.pkg) return undefined;
    const path = this.imports.get(t.pkg);
    const fw = path ? frameworkOfModule(path) : undefined;
    return fw && ROUTER_TYPES[fw].has(t.name) ? fw : undefined;
  }

  protected structFields(type: Node | null): string[] | undefined {
    if (!type) return undefined;
    if (type.type === 'pointer_type') return this.structFields(type.namedChildren[0] ?? null);
    if (type.type === 'type_identifier') return this.types.get(type.text)?.fields.map((f) => f.name);
    if (type.type !== 'struct_type') return undefined;
    const out: string[] = [];
    for (const fd of type.descendantsOfType('field_declaration')) {
      if (!fd || fd.parent?.parent?.id !== type.id) continue;
      const names = fd.childrenForFieldName('name').filter((x): x is Node => x !== null);
      if (names.length === 0) out.push(this.typeName(fd.childForFieldName('type'))?.name ?? '_');
      for (const n of names) out.push(n.text);
    }
    return out;
  }

  // ---- routers ------------------------------------------------------------------------------------------------

  protected ensureRouter(name: string, fw: GoFramework, loc: Loc): void {
    if (this.routerNames.has(name)) return;
    this.routerNames.add(name);
    this.facts.routers.push({ name, framework: fw, style: STYLE[fw], loc });
  }

  /** The import path of a package name (`http` → net/http) unless a variable shadows it. */
  protected pkgOf(node: Node | null, scope: Scope): string | undefined {
    if (!node || node.type !== 'identifier' || scope.get(node.text)) return undefined;
    return this.imports.get(node.text);
  }

  protected isWorkspace(path: string): boolean {
    return this.mod !== undefined && inModule(this.mod, path);
  }

  private readonly argsCache = new Map<number, Node[]>();
  protected args(call: Node): Node[] {
    let a = this.argsCache.get(call.id);
    if (!a) {
      a = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((x): x is Node => x !== null && x.type !== 'comment');
      this.argsCache.set(call.id, a);
    }
    return a;
  }

  // ---- records ------------------------------------------------------------------------------------------------

  protected error(kind: ErrorKind, node: Node, fn: Fn): void {
    if (this.isTest) return;
    const loc = locOf(node);
    const key = `e${loc.line}:${loc.column}:${kind}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.facts.errors.push({ kind, text: shortText(node), function: fn.name, loc });
  }

  protected entry(detail: string, call: Node, framework: string): void {
    if (this.isTest) return;
    const loc = locOf(call);
    const key = `n${loc.line}:${loc.column}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.facts.entries.push({ detail, name: shortText(call, 80), framework, loc });
  }

  protected warn(node: Node, message: string): void {
    const line = node.startPosition.row + 1;
    const key = `w${line}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.facts.warnings.push({ line, message });
  }
}
