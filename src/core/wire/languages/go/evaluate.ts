/**
 * Evaluation for the Go reader: what an expression holds (routers created, grouped, mounted or guessed from use,
 * values of named types and the functions that returned them, constant strings and method lists), and the
 * router-returning calls of each framework (groups, subrouters, chi Route/Group/With, fiber Route).
 */
import type { Node } from '../../node';
import type { Ref } from '../../facts';
import { locOf, shortText, stringValue } from '../../syntax';
import { GoReaderBase } from './base';
import { CONSTRUCTORS, frameworkOfModule, GORILLA_MATCHERS, GROUP_METHODS, type GoFramework, guessFramework, STYLE } from './frameworks';
import { type Fn, NONE, type RouterVal, type Scope, type Val } from './scope';

const TABLE_TYPES: ReadonlySet<string> = new Set(['slice_type', 'array_type', 'implicit_length_array_type', 'map_type']);

export abstract class GoEvaluator extends GoReaderBase {
  // ---- routers ------------------------------------------------------------------------------------------------

  /** A new router for a call (a constructor or a group): named after the variable it is assigned to, else after the call's line. */
  private newRouter(call: Node, fw: GoFramework, fn: Fn, what: string): RouterVal {
    const hint = this.hints.get(call.id);
    let name: string;
    if (hint?.reuse) name = hint.name;
    else {
      const base = hint?.name ?? `${fn.qual ? fn.qual + '.' : ''}${what}@${call.startPosition.row + 1}`;
      name = base;
      for (let i = 2; this.routerNames.has(name); i++) name = `${base}#${i}`;
    }
    this.ensureRouter(name, fw, locOf(call));
    const v: RouterVal = { k: 'router', ref: { kind: 'local', name }, fw, sure: true };
    this.memo.set(call.id, v);
    return v;
  }

  /** A child router mounted under `parent` with a prefix (groups, subrouters, chi Route/Group, fiber Route). */
  private childRouter(call: Node, parent: RouterVal, fw: GoFramework, prefixNode: Node | null | undefined, scope: Scope, fn: Fn, what: string): RouterVal {
    const child = this.newRouter(call, fw, fn, what);
    let prefix = '';
    let unknownPrefix: true | undefined;
    if (prefixNode) {
      const p = this.evalString(prefixNode, scope);
      if (p === undefined) {
        this.warn(call, `route prefix computed at run time: ${shortText(prefixNode, 60)}`);
        unknownPrefix = true;
      } else prefix = p;
    }
    this.facts.mounts.push({ parent: parent.ref, child: child.ref, prefix, style: STYLE[fw], loc: locOf(call), ...(unknownPrefix ? { unknownPrefix } : {}) });
    return child;
  }

  /** A chi/fiber callback given the child router: a func literal reads it as its first parameter; a named function gets a CallFact. */
  private routerCallback(cb: Node | undefined, child: RouterVal, scope: Scope, fn: Fn): void {
    if (!cb) return;
    if (cb.type === 'func_literal') {
      this.literalRouters.set(cb.id, child);
      return;
    }
    const callee = this.calleeRef(cb, scope, fn);
    if (callee) this.facts.calls.push({ callee, args: [child.ref], loc: locOf(cb) });
  }

  /** A router an expression holds: known ones, and guesses (values returned by functions, unknown package names, struct fields). */
  protected routerOf(node: Node, scope: Scope, fn: Fn): RouterVal | undefined {
    const known = this.routerLike(node, scope, fn);
    if (known) return known;
    if (node.type === 'identifier' && !this.imports.has(node.text) && !this.lookup(node.text, scope)) return { k: 'router', ref: { kind: 'package', name: node.text }, fw: undefined, sure: false };
    return undefined;
  }

  /** The router a handler argument really is, looking through middleware wrappers and http.StripPrefix (whose prefix is returned). */
  protected mountTarget(node: Node, scope: Scope, fn: Fn, depth = 0): { router: RouterVal; strip?: string | undefined } | undefined {
    if (depth > 4) return undefined;
    if (node.type === 'call_expression') {
      const f = node.childForFieldName('function');
      const args = this.args(node);
      if (f?.type === 'selector_expression' && this.pkgOf(f.childForFieldName('operand'), scope) === 'net/http' && f.childForFieldName('field')?.text === 'StripPrefix') {
        const target = args[1] ? (this.mountTarget(args[1], scope, fn, depth + 1)?.router ?? this.routerLike(args[1], scope, fn)) : undefined;
        return target ? { router: target, strip: args[0] ? this.evalString(args[0], scope) : undefined } : undefined;
      }
    }
    const v = this.evalVal(node, scope, fn);
    if (v?.k === 'router' && v.sure) return { router: v };
    if (node.type === 'call_expression') {
      for (const a of this.args(node)) {
        const inner = this.mountTarget(a, scope, fn, depth + 1);
        if (inner) return inner;
      }
    }
    return undefined;
  }

  /** A value that may be a router (a function's result) when the framework says it is mounted. */
  protected routerLike(node: Node, scope: Scope, fn: Fn): RouterVal | undefined {
    const v = this.evalVal(node, scope, fn);
    if (v?.k === 'router') return v;
    if (v?.k === 'obj' && v.origin) return { k: 'router', ref: v.origin, fw: undefined, sure: false };
    return undefined;
  }

  // ---- evaluation ---------------------------------------------------------------------------------------------

  protected lookup(name: string, scope: Scope): Val | undefined {
    const v = scope.get(name);
    if (v?.k === 'typed') {
      const typed = this.typedVal(v.type, v.routerName, locOf(v.at));
      scope.assign(name, typed);
      return typed;
    }
    if (v) return v;
    const node = this.lazy.get(name);
    if (!node) return undefined;
    this.lazy.delete(name);
    this.pkgScope.set(name, NONE);
    const fn: Fn = { qual: '', name, inside: false, literal: false, returnsRouter: undefined, calls: new Set() };
    const val = this.evalVal(node, this.pkgScope, fn) ?? { k: 'expr', node, scope: this.pkgScope };
    this.pkgScope.set(name, val);
    return val;
  }

  protected evalVal(node: Node | null | undefined, scope: Scope, fn: Fn, depth = 0): Val | undefined {
    if (!node || depth > 16) return undefined;
    switch (node.type) {
      case 'parenthesized_expression':
      case 'literal_element':
        return this.evalVal(node.namedChildren[0], scope, fn, depth + 1);
      case 'identifier': {
        const v = this.lookup(node.text, scope);
        if (v?.k === 'expr') return this.evalVal(v.node, v.scope, fn, depth + 1) ?? v;
        return v;
      }
      case 'func_literal':
        return { k: 'func', node };
      case 'unary_expression':
        return node.childForFieldName('operator')?.text === '&' ? this.evalVal(node.childForFieldName('operand'), scope, fn, depth + 1) : undefined;
      case 'composite_literal': {
        const t = node.childForFieldName('type');
        if (!t) return undefined;
        if (TABLE_TYPES.has(t.type)) return { k: 'expr', node, scope };
        const tn = this.typeName(t);
        if (!tn) return undefined;
        if (tn.pkg && this.imports.get(tn.pkg) === 'net/http' && tn.name === 'ServeMux') return this.memo.get(node.id) ?? this.newRouter(node, 'net/http', fn, 'mux');
        return { k: 'obj', pkg: tn.pkg, type: tn.name };
      }
      case 'call_expression':
        return this.evalCall(node, scope, fn, depth);
      case 'selector_expression':
        return this.evalSelector(node, scope, fn, depth);
      case 'interpreted_string_literal':
      case 'raw_string_literal':
      case 'binary_expression':
        return { k: 'expr', node, scope };
      default:
        return undefined;
    }
  }

  private evalSelector(node: Node, scope: Scope, fn: Fn, depth: number): Val | undefined {
    const x = node.childForFieldName('operand');
    const field = node.childForFieldName('field')?.text;
    if (!x || !field) return undefined;
    const pkg = this.pkgOf(x, scope);
    if (pkg !== undefined) {
      if (pkg === 'net/http' && field === 'DefaultServeMux') return this.defaultMux();
      return this.isWorkspace(pkg) ? { k: 'router', ref: { kind: 'import', binding: x.text, member: field }, fw: undefined, sure: false } : undefined;
    }
    const v = this.evalVal(x, scope, fn, depth + 1);
    if (v?.k === 'row') {
      const cell = v.fields.get(field);
      return cell ? (this.evalVal(cell, v.scope, fn, depth + 1) ?? { k: 'expr', node: cell, scope: v.scope }) : undefined;
    }
    if (v?.k !== 'obj' || !v.type) return undefined;
    const name = `${v.type}.${field}`;
    const ref: Ref = v.pkg ? { kind: 'import', binding: v.pkg, member: name } : { kind: 'package', name };
    const info = v.pkg ? undefined : this.types.get(v.type);
    const f = info?.fields.find((x2) => x2.name === field);
    if (f) {
      const fw = this.routerType(f.type);
      if (fw) return { k: 'router', ref, fw, sure: true };
      const t = this.typeName(f.type);
      return t ? { k: 'obj', pkg: t.pkg, type: t.name } : NONE;
    }
    return { k: 'router', ref, fw: undefined, sure: false };
  }

  private evalCall(call: Node, scope: Scope, fn: Fn, depth: number): Val | undefined {
    const memo = this.memo.get(call.id);
    if (memo) return memo;
    if (this.rowLoc) return this.evalCallOnce(call, scope, fn, depth);
    // Outside route tables a call means the same wherever it is asked about: read it once.
    const cached = this.callCache.get(call.id);
    if (cached) return cached === NONE ? undefined : cached;
    const v = this.evalCallOnce(call, scope, fn, depth);
    this.callCache.set(call.id, this.memo.get(call.id) ?? v ?? NONE);
    return v;
  }

  private evalCallOnce(call: Node, scope: Scope, fn: Fn, depth: number): Val | undefined {
    const f = call.childForFieldName('function');
    if (!f) return undefined;
    const args = this.args(call);
    if (f.type === 'identifier') {
      if (f.text === 'new' && args[0]) {
        const t = this.typeName(args[0]);
        return t ? { k: 'obj', pkg: t.pkg, type: t.name } : undefined;
      }
      if (this.lookup(f.text, scope)) return undefined;
      const decl = this.funcs.get(f.text);
      const result = decl?.childForFieldName('result');
      const origin: Ref = { kind: 'package', name: f.text };
      if (result) {
        const fw = this.routerType(result);
        if (fw) return { k: 'router', ref: origin, fw, sure: true };
        const t = this.typeName(result);
        return { k: 'obj', pkg: t?.pkg, type: t?.name, origin };
      }
      return { k: 'obj', type: constructed(f.text), origin };
    }
    if (f.type !== 'selector_expression') return undefined;
    const x = f.childForFieldName('operand');
    const m = f.childForFieldName('field')?.text;
    if (!x || !m) return undefined;
    const pkg = this.pkgOf(x, scope);
    if (pkg !== undefined) {
      const fw = frameworkOfModule(pkg);
      if (fw && CONSTRUCTORS[fw].has(m)) return this.newRouter(call, fw, fn, 'router');
      if (this.isWorkspace(pkg)) return { k: 'obj', pkg: x.text, type: constructed(m), origin: { kind: 'import', binding: x.text, member: m } };
      return undefined;
    }
    if (m === 'Subrouter') return this.gorillaSubrouter(call, x, scope, fn);
    const recv = this.evalVal(x, scope, fn, depth + 1);
    const router = recv?.k === 'router' ? recv : recv?.k === 'obj' && recv.origin && !recv.type ? ({ k: 'router', ref: recv.origin, fw: undefined, sure: false } as RouterVal) : undefined;
    if (router) {
      const made = this.routerMethod(call, router, m, args, scope, fn);
      if (made) return made;
    }
    if (recv?.k === 'obj') {
      const origin = this.methodRef(recv, m);
      return origin ? { k: 'obj', origin } : undefined;
    }
    return undefined;
  }

  /** Router methods that return a router: groups, chi Route/Group/With, fiber Route, gin Use, prometheus WithPrefix/WithInstrumentation. */
  private routerMethod(call: Node, recv: RouterVal, m: string, args: Node[], scope: Scope, fn: Fn): Val | undefined {
    const fw = recv.fw ?? guessFramework(m, this.imported);
    if (!fw) return undefined;
    if (GROUP_METHODS[fw].has(m)) {
      if (!recv.sure && !this.isPathLiteral(args[0], scope)) return undefined;
      return this.childRouter(call, recv, fw, args[0], scope, fn, 'group');
    }
    if (fw === 'chi' && m === 'With') return recv;
    if (fw === 'gin' && m === 'Use') return recv;
    if (fw === 'prometheus/route' && m === 'WithInstrumentation') return recv;
    if ((fw === 'chi' || fw === 'fiber') && m === 'Route') {
      if (!recv.sure && !this.isPathLiteral(args[0], scope)) return undefined;
      const child = this.childRouter(call, recv, fw, args[0], scope, fn, 'route');
      this.routerCallback(args[1], child, scope, fn);
      return child;
    }
    if (fw === 'chi' && m === 'Group') {
      const child = this.childRouter(call, recv, fw, undefined, scope, fn, 'group');
      this.routerCallback(args[0], child, scope, fn);
      return child;
    }
    return undefined;
  }

  /** `r.PathPrefix("/api").Subrouter()`, `r.Host(h).Subrouter()`, `r.NewRoute().Subrouter()`. */
  private gorillaSubrouter(call: Node, chain: Node, scope: Scope, fn: Fn): Val | undefined {
    const c = this.gorillaChain(chain);
    const base = this.routerOf(c.base, scope, fn);
    if (!base || (base.fw ?? guessFramework('HandleFunc', this.imported)) !== 'gorilla/mux') return undefined;
    return this.childRouter(call, base, 'gorilla/mux', c.path, scope, fn, 'subrouter');
  }

  /** Reads a gorilla/mux matcher chain down to the router it starts from. */
  protected gorillaChain(node: Node): { base: Node; path?: Node | undefined; prefix: boolean; methods: Node[] } {
    let cur = node;
    let path: Node | undefined;
    let prefix = false;
    const methods: Node[] = [];
    while (cur.type === 'call_expression') {
      const f = cur.childForFieldName('function');
      const k = f?.type === 'selector_expression' ? f.childForFieldName('field')?.text : undefined;
      const x = f?.childForFieldName('operand');
      if (!k || !x || !GORILLA_MATCHERS.has(k)) break;
      const a = this.args(cur);
      if (k === 'Path' || k === 'PathPrefix') {
        path ??= a[0];
        prefix ||= k === 'PathPrefix';
      } else if (k === 'Methods') methods.push(...a);
      cur = x;
    }
    return { base: cur, path, prefix, methods };
  }

  protected defaultMux(): RouterVal {
    this.ensureRouter('http.DefaultServeMux', 'net/http', { line: 1, column: 1 });
    return { k: 'router', ref: { kind: 'local', name: 'http.DefaultServeMux' }, fw: 'net/http', sure: true };
  }

  /** The function a method call on a value names: `Handler.Routes` in the value's package. */
  protected methodRef(recv: Val | undefined, m: string): Ref | undefined {
    if (recv?.k !== 'obj') return undefined;
    if (recv.type) return recv.pkg ? { kind: 'import', binding: recv.pkg, member: `${recv.type}.${m}` } : { kind: 'package', name: `${recv.type}.${m}` };
    if (recv.origin?.kind === 'import') return { kind: 'import', binding: recv.origin.binding, member: m };
    return undefined;
  }

  /** The function a callee expression names (`Register`, `articles.Register`, `h.Register`). */
  protected calleeRef(f: Node, scope: Scope, fn: Fn): Ref | undefined {
    if (f.type === 'identifier') return this.lookup(f.text, scope) ? undefined : { kind: 'package', name: f.text };
    if (f.type !== 'selector_expression') return undefined;
    const x = f.childForFieldName('operand');
    const m = f.childForFieldName('field')?.text;
    if (!x || !m) return undefined;
    const pkg = this.pkgOf(x, scope);
    if (pkg !== undefined) return this.isWorkspace(pkg) ? { kind: 'import', binding: x.text, member: m } : undefined;
    return this.methodRef(this.evalVal(x, scope, fn), m);
  }

  /** The constant string an expression holds: literals, constants, `+`, `http.MethodGet`, table cells. */
  protected evalString(node: Node | null | undefined, scope: Scope, depth = 0): string | undefined {
    if (!node || depth > 16) return undefined;
    switch (node.type) {
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return stringValue(node);
      case 'parenthesized_expression':
      case 'literal_element':
        return this.evalString(node.namedChildren[0], scope, depth + 1);
      case 'identifier': {
        const v = this.lookup(node.text, scope);
        return v?.k === 'expr' ? this.evalString(v.node, v.scope, depth + 1) : undefined;
      }
      case 'binary_expression': {
        if (node.childForFieldName('operator')?.text !== '+') return undefined;
        const a = this.evalString(node.childForFieldName('left'), scope, depth + 1);
        const b = a === undefined ? undefined : this.evalString(node.childForFieldName('right'), scope, depth + 1);
        return a === undefined || b === undefined ? undefined : a + b;
      }
      case 'selector_expression': {
        const x = node.childForFieldName('operand');
        const field = node.childForFieldName('field')?.text ?? '';
        if (!x) return undefined;
        if (this.pkgOf(x, scope) !== undefined) {
          const m = /^Method([A-Z][a-z]+)$/.exec(field);
          return m ? (m[1] as string).toUpperCase() : undefined;
        }
        if (x.type !== 'identifier') return undefined;
        const v = this.lookup(x.text, scope);
        const cell = v?.k === 'row' ? v.fields.get(field) : undefined;
        return cell && v?.k === 'row' ? this.evalString(cell, v.scope, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Methods given as one string or a `[]string{…}` literal. */
  protected evalMethods(node: Node | undefined, scope: Scope): string[] | undefined {
    if (!node) return undefined;
    const one = this.evalString(node, scope);
    if (one !== undefined) return [one.toUpperCase()];
    const v = node.type === 'identifier' ? this.lookup(node.text, scope) : undefined;
    const lit = node.type === 'composite_literal' ? node : v?.k === 'expr' && v.node.type === 'composite_literal' ? v.node : undefined;
    const s = v?.k === 'expr' ? v.scope : scope;
    const body = lit?.childForFieldName('body');
    if (!body) return undefined;
    const out: string[] = [];
    for (const e of body.namedChildren) {
      if (!e || e.type === 'comment') continue;
      const m = this.evalString(e, s);
      if (m === undefined) return undefined;
      out.push(m.toUpperCase());
    }
    return out;
  }

  protected isPathLiteral(node: Node | undefined, scope: Scope): boolean {
    const s = node ? this.evalString(node, scope) : undefined;
    return s !== undefined && (s === '' || s.startsWith('/') || /^[A-Z]+ \//.test(s));
  }
}

/** The type a constructor's name promises: `NewHandler` → `Handler`. */
function constructed(fn: string): string | undefined {
  return /^New[A-Z]/.test(fn) ? fn.slice(3) : undefined;
}
