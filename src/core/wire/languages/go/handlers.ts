/**
 * Handlers of Go routes: what a handler argument names (a func literal, a function or method, `Type.ServeHTTP`,
 * through http.HandlerFunc, StripPrefix, middleware wrappers and factories, table cells), and whether an argument
 * looks like a handler at all.
 */
import type { Node } from '../../node';
import type { HandlerRef, Ref } from '../../facts';
import { locOf, shortText } from '../../syntax';
import { GoEvaluator } from './evaluate';
import type { Fn, Scope, Val } from './scope';

export abstract class GoHandlers extends GoEvaluator {
  // ---- handlers -----------------------------------------------------------------------------------------------

  protected handlerOf(node: Node | undefined, scope: Scope, fn: Fn, depth = 0): HandlerRef | undefined {
    if (!node || depth > 8) return undefined;
    switch (node.type) {
      case 'func_literal':
        return { kind: 'here', name: '<anonymous>', loc: locOf(node, true) };
      case 'parenthesized_expression':
      case 'literal_element':
        return this.handlerOf(node.namedChildren[0] ?? undefined, scope, fn, depth + 1);
      case 'unary_expression':
        return this.handlerOf(node.childForFieldName('operand') ?? undefined, scope, fn, depth + 1);
      case 'identifier': {
        const v = this.lookup(node.text, scope);
        if (!v) return { kind: 'ref', ref: { kind: 'package', name: node.text }, display: node.text };
        if (v.k === 'func') return { kind: 'here', name: node.text, loc: locOf(v.node, true) };
        if (v.k === 'expr') return this.handlerOf(v.node, v.scope, fn, depth + 1);
        if (v.k === 'obj' && v.type) return this.serveHTTP(v.pkg, v.type);
        return undefined;
      }
      case 'composite_literal': {
        const t = node.childForFieldName('type');
        const tn = t ? this.typeName(t) : undefined;
        return tn ? this.serveHTTP(tn.pkg, tn.name) : undefined;
      }
      case 'selector_expression': {
        const x = node.childForFieldName('operand');
        const m = node.childForFieldName('field')?.text;
        if (!x || !m) return undefined;
        if (this.pkgOf(x, scope) !== undefined) return { kind: 'ref', ref: { kind: 'import', binding: x.text, member: m }, display: `${x.text}.${m}` };
        const v = this.evalVal(x, scope, fn);
        if (v?.k === 'row') {
          const cell = v.fields.get(m);
          return cell ? this.handlerOf(cell, v.scope, fn, depth + 1) : undefined;
        }
        if (v?.k === 'obj' && v.type) return { kind: 'ref', ref: this.methodRef(v, m) as Ref, display: `${v.type}.${m}` };
        const ref = this.methodRef(v, m) ?? { kind: 'package', name: m };
        return { kind: 'ref', ref, display: shortText(node, 80) };
      }
      case 'call_expression':
        return this.handlerOfCall(node, scope, fn, depth);
      default:
        return undefined;
    }
  }

  /** `http.HandlerFunc(f)`, `http.StripPrefix(p, h)`, middleware `auth(h.Get)`, factories `s.handleIndex()`. */
  private handlerOfCall(call: Node, scope: Scope, fn: Fn, depth: number): HandlerRef | undefined {
    const f = call.childForFieldName('function');
    if (!f) return undefined;
    const args = this.args(call);
    if (f.type === 'selector_expression') {
      const x = f.childForFieldName('operand');
      const m = f.childForFieldName('field')?.text ?? '';
      const pkg = this.pkgOf(x, scope);
      if (pkg === 'net/http') {
        if (m === 'HandlerFunc' || m === 'TimeoutHandler' || m === 'MaxBytesHandler') return this.handlerOf(args[0], scope, fn, depth + 1);
        if (m === 'StripPrefix' || m === 'AllowQuerySemicolons') return this.handlerOf(args[m === 'StripPrefix' ? 1 : 0], scope, fn, depth + 1);
      }
      // a method on a value is a handler factory (`s.handleIndex(tmpl)`)
      if (pkg === undefined && x && this.evalVal(x, scope, fn)?.k === 'obj') return this.handlerOf(f, scope, fn, depth + 1);
    }
    if (args.length > 0) {
      const lit = args.find((a) => a.type === 'func_literal');
      if (lit) return this.handlerOf(lit, scope, fn, depth + 1);
      const inner = args.find((a) => this.isHandlerValue(a, scope, fn));
      if (inner) return this.handlerOf(inner, scope, fn, depth + 1);
    }
    return this.handlerOf(f, scope, fn, depth + 1);
  }

  private serveHTTP(pkg: string | undefined, type: string): HandlerRef {
    const name = `${type}.ServeHTTP`;
    return { kind: 'ref', ref: pkg ? { kind: 'import', binding: pkg, member: name } : { kind: 'package', name }, display: name };
  }

  /** An argument that is itself a handler (wrapped by middleware): a func literal or variable, a function of this file, a method value. */
  private isHandlerValue(node: Node, scope: Scope, fn: Fn): boolean {
    if (node.type === 'func_literal') return true;
    if (node.type === 'identifier') {
      const v = this.lookup(node.text, scope);
      return v ? v.k === 'func' : this.funcs.has(node.text);
    }
    if (node.type === 'selector_expression') {
      const v = this.evalVal(node.childForFieldName('operand'), scope, fn);
      return v?.k === 'obj' && v.type !== undefined && !this.isField(v, node.childForFieldName('field')?.text ?? '');
    }
    return false;
  }

  private isField(v: Val, name: string): boolean {
    return v.k === 'obj' && !v.pkg && v.type !== undefined && (this.types.get(v.type)?.fields.some((f) => f.name === name) ?? false);
  }

  /** Whether a registration on a guessed router looks like a real one: its handler argument is handler-shaped. */
  protected looksLikeHandler(node: Node | undefined, scope: Scope, fn: Fn): boolean {
    if (!node) return false;
    switch (node.type) {
      case 'func_literal':
      case 'call_expression':
      case 'composite_literal':
      case 'unary_expression':
        return true;
      case 'identifier': {
        const v = this.lookup(node.text, scope);
        return !v || v.k === 'func' || v.k === 'expr';
      }
      case 'selector_expression': {
        const x = node.childForFieldName('operand');
        if (this.pkgOf(x, scope) !== undefined) return true;
        const v = this.evalVal(x, scope, fn);
        return v?.k === 'obj' || v?.k === 'row';
      }
      default:
        return false;
    }
  }
}
