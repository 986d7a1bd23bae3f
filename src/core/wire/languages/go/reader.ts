/**
 * Reads one Go file's wire facts from its tree-sitter tree: routers and their groups/mounts (net/http, gorilla/mux,
 * chi, gin, echo, fiber), routes and their handlers, routers passed to or returned from functions, loops over
 * literal route tables, gRPC implementations, entry points and error exits.
 *
 * The reader walks each function once, in order, with a scope of what every variable holds as far as the syntax
 * tells (a router, a value of a named type, a func literal, a constant expression, a row of a route table).
 *
 * The reader is one class built in layers, one module each (see base.ts): this module holds the file-level read
 * (imports, type, var and const declarations, functions and methods); walk.ts, routes.ts, grpc.ts, errors.ts,
 * handlers.ts, evaluate.ts and base.ts the rest.
 */
import type { Node } from '../../node';
import type { FileFacts } from '../../facts';
import type { ProjectView } from '../../language';
import { locOf } from '../../syntax';
import { defaultBinding, frameworkOfModule } from './frameworks';
import { GRPC_MARKER } from './grpc';
import { type Fn, Scope } from './scope';
import { GoWalker } from './walk';

export { parsePattern } from './routes';

/** Reads the facts of one Go file. Never throws on odd code: what is not understood is skipped or warned about. */
export function readGo(root: Node, file: string, project: ProjectView): FileFacts {
  return new GoReader(root, file, project).read();
}

class GoReader extends GoWalker {
  read(): FileFacts {
    let isMain = false;
    const decls: Node[] = [];
    for (const n of this.root.namedChildren) {
      if (!n) continue;
      if (n.type === 'package_clause') isMain = n.namedChildren[0]?.text === 'main';
      else if (n.type === 'import_declaration') this.readImports(n);
      else if (n.type === 'type_declaration') this.readTypes(n);
      else decls.push(n);
    }
    // Package-level names first, so functions can use them in any order.
    for (const n of decls) {
      if (n.type === 'function_declaration') {
        const name = n.childForFieldName('name')?.text;
        if (name) {
          this.funcs.set(name, n);
          this.facts.exports[name] = name;
        }
      } else if (n.type === 'var_declaration' || n.type === 'const_declaration') this.declarePackage(n);
    }
    for (const n of decls) {
      if (n.type === 'function_declaration' || n.type === 'method_declaration') this.readFunction(n, isMain);
      else if (n.type === 'var_declaration') this.walkPackageVars(n);
    }
    this.emitGrpc();
    return this.facts;
  }

  // ---- declarations -------------------------------------------------------------------------------------------

  private readImports(decl: Node): void {
    const list = decl.namedChildren.find((c) => c?.type === 'import_spec_list');
    for (const spec of list ? list.namedChildren : decl.namedChildren) {
      if (spec?.type !== 'import_spec') continue;
      const path = spec.childForFieldName('path')?.text.slice(1, -1);
      if (!path) continue;
      const alias = spec.childForFieldName('name');
      if (alias && (alias.type === 'blank_identifier' || alias.type === 'dot')) continue;
      const local = alias?.text ?? defaultBinding(path);
      this.imports.set(local, path);
      this.facts.imports.push({ local, module: path, name: '*' });
      const fw = frameworkOfModule(path);
      if (fw) this.imported.add(fw);
    }
  }

  protected readTypes(decl: Node): void {
    for (const spec of decl.namedChildren) {
      if (!spec || spec.type !== 'type_spec') continue;
      const name = spec.childForFieldName('name')?.text;
      const t = spec.childForFieldName('type');
      if (!name || !t || t.type !== 'struct_type') continue;
      const fields: { name: string; type: Node }[] = [];
      for (const fd of t.descendantsOfType('field_declaration')) {
        if (!fd || fd.parent?.parent?.id !== t.id) continue;
        const type = fd.childForFieldName('type');
        if (!type) continue;
        const names = fd.childrenForFieldName('name').filter((x): x is Node => x !== null);
        if (names.length === 0) {
          // embedded: pb.UnimplementedArticleServiceServer marks a gRPC implementation
          const marker = GRPC_MARKER.exec(this.typeName(type)?.name ?? '');
          if (marker) this.addGrpc(name, marker[1] as string);
          continue;
        }
        for (const n of names) {
          fields.push({ name: n.text, type });
          const fw = this.routerType(type);
          if (fw) this.ensureRouter(`${name}.${n.text}`, fw, locOf(n));
        }
      }
      this.types.set(name, { fields, loc: locOf(spec) });
    }
  }

  private declarePackage(decl: Node): void {
    for (const spec of decl.descendantsOfType(['var_spec', 'const_spec'])) {
      if (!spec || !this.isTopLevel(spec)) continue;
      const names = spec.childrenForFieldName('name').filter((x): x is Node => x !== null);
      const values = spec.childForFieldName('value')?.namedChildren.filter((x): x is Node => x !== null) ?? [];
      const type = spec.childForFieldName('type');
      names.forEach((n, i) => {
        this.facts.exports[n.text] = n.text;
        const v = values.length === names.length ? values[i] : undefined;
        if (v) {
          this.lazy.set(n.text, v);
          this.hints.set(v.id, { name: n.text, reuse: true });
        } else if (type) this.pkgScope.set(n.text, this.typedVal(type, n.text, locOf(n)));
      });
    }
  }

  private isTopLevel(spec: Node): boolean {
    let p = spec.parent;
    while (p && (p.type === 'var_spec_list' || p.type === 'var_declaration' || p.type === 'const_declaration')) p = p.parent;
    return p?.type === 'source_file';
  }

  /** Package-level values are walked too: func literals assigned to vars are handlers, `var r = chi.NewRouter()` a router. */
  private walkPackageVars(decl: Node): void {
    for (const spec of decl.descendantsOfType('var_spec')) {
      if (!spec || !this.isTopLevel(spec)) continue;
      const names = spec.childrenForFieldName('name').filter((x): x is Node => x !== null);
      const values = spec.childForFieldName('value')?.namedChildren.filter((x): x is Node => x !== null) ?? [];
      values.forEach((v, i) => {
        const name = names[i]?.text ?? '_';
        if (v.type === 'func_literal') this.facts.functions.push({ name, params: this.bindParams(v.childForFieldName('parameters'), new Scope(), name), loc: locOf(v, true), calls: [] });
        this.lookup(name, this.pkgScope);
        this.walk(v, this.pkgScope, { qual: '', name, inside: false, literal: false, returnsRouter: undefined, calls: new Set() });
      });
    }
  }

  private readFunction(node: Node, isMain: boolean): void {
    const name = node.childForFieldName('name')?.text;
    const body = node.childForFieldName('body');
    if (!name) return;
    let container: string | undefined;
    const scope = new Scope(this.pkgScope);
    const receiver = node.childForFieldName('receiver');
    if (receiver) {
      const p = receiver.namedChildren.find((c) => c?.type === 'parameter_declaration');
      const t = p?.childForFieldName('type');
      container = t ? this.typeName(t)?.name : undefined;
      const rname = p?.childForFieldName('name')?.text;
      if (rname && container) scope.set(rname, { k: 'obj', type: container });
    }
    const qual = container ? `${container}.${name}` : name;
    const params = node.childForFieldName('parameters');
    const paramNames = this.bindParams(params, scope, qual);
    if (container) {
      let list = this.methods.get(container);
      if (!list) this.methods.set(container, (list = []));
      list.push({ name, loc: locOf(node, true) });
      this.streamMarkers(container, params);
    }
    const result = node.childForFieldName('result');
    const resultType = result ? this.typeName(result) : undefined;
    const returnsHandler = resultType?.name === 'Handler' && resultType.pkg !== undefined && this.imports.get(resultType.pkg) === 'net/http';
    const fn: Fn = { qual, name, inside: true, literal: false, returnsRouter: this.routerTypeOf(resultType), returnsHandler, calls: new Set() };
    if (body) this.walk(body, scope, fn);
    this.facts.functions.push({ name, container, params: paramNames, loc: locOf(node, true), calls: [...fn.calls] });
    if (isMain && !container && name === 'main' && !this.isTest) this.facts.entries.push({ detail: 'main', name: 'main', framework: 'go', loc: locOf(node) });
  }
}
