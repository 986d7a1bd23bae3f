/**
 * Handlers of routes in the call-based Node frameworks: the last argument of a registration, through arrays,
 * wrappers, `.bind()` and options objects, resolved to local functions, imports or class members.
 */
import type { Node } from '../../node';
import type { HandlerRef } from '../../facts';
import type { JsFile } from './context';
import { inlineImport } from './modules';
import { FN_TYPES, propertyValue, unwrap, type Env } from './syntax';

/** What the last argument of a route registration can be when it is the handler (options objects need a `handler` key). */
const HANDLERISH: ReadonlySet<string> = new Set([...FN_TYPES, 'identifier', 'member_expression', 'call_expression', 'array', 'shorthand_property_identifier', 'ternary_expression']);

/** `opts.handler || defaultHandler`, `a ?? b`: a handler with a fallback. */
const FALLBACK_OPS: ReadonlySet<string> = new Set(['||', '??']);

export function isHandlerish(node: Node | undefined): boolean {
  if (!node) return false;
  const n = unwrap(node);
  if (n.type === 'binary_expression') return FALLBACK_OPS.has(n.childForFieldName('operator')?.text ?? '');
  return HANDLERISH.has(n.type) || (n.type === 'object' && propertyValue(n, 'handler') !== undefined);
}

/** A function node as a 'here' handler (recorded as a FunctionFact). */
function hereFn(js: JsFile, fn: Node): HandlerRef {
  const info = js.record(fn);
  return { kind: 'here', name: info ? js.display(info) : '<anonymous>', loc: js.fnLoc(fn) };
}

/** Where the handler of a route is: the last argument, through arrays, wrappers, `.bind()`, options objects. */
export function handlerOf(js: JsFile, node: Node, env?: Env, depth = 0): HandlerRef | undefined {
  if (depth > 6) return undefined;
  const n = unwrap(node);
  if (FN_TYPES.has(n.type)) return hereFn(js, n);
  switch (n.type) {
    case 'array': {
      const last = n.namedChildren.filter((c) => c && c.type !== 'comment').pop();
      return last ? handlerOf(js, last, env, depth + 1) : undefined;
    }
    case 'object': {
      const h = propertyValue(n, 'handler');
      return h ? handlerOf(js, h, env, depth + 1) : undefined;
    }
    case 'shorthand_property_identifier':
    case 'identifier': {
      const e = env?.get(n.text);
      if (e) return handlerOf(js, e, undefined, depth + 1);
      const b = js.lookup(n.text, n);
      if (b?.kind === 'function') return hereFn(js, b.fn);
      if (b?.kind === 'var' && b.value) {
        const v = unwrap(b.value);
        if (FN_TYPES.has(v.type) || v.type === 'call_expression') {
          const inner = handlerOf(js, v, undefined, depth + 1);
          if (inner?.kind === 'here') return inner;
        }
      }
      if (b?.kind === 'import') return { kind: 'ref', ref: { kind: 'import', binding: b.local }, display: n.text };
      return { kind: 'ref', ref: { kind: 'local', name: n.text }, display: n.text };
    }
    case 'member_expression':
      return memberHandler(js, n, env, depth);
    case 'ternary_expression':
    case 'binary_expression': {
      // `handler: cond ? function (req, reply) {…} : function (req, reply) {…}` (@fastify/swagger-ui), `opts.handler
      // || defaultHandler`: the first branch that resolves.
      const branches =
        n.type === 'ternary_expression'
          ? [n.childForFieldName('consequence'), n.childForFieldName('alternative')]
          : FALLBACK_OPS.has(n.childForFieldName('operator')?.text ?? '')
            ? [n.childForFieldName('left'), n.childForFieldName('right')]
            : [];
      for (const b of branches) {
        const h = b ? handlerOf(js, b, env, depth + 1) : undefined;
        if (h?.kind === 'here') return h;
      }
      return undefined;
    }
    case 'call_expression': {
      // `require('./controller')`: the module's export (Ghost's `adminApp.get('*', require('./controller'))`)
      const inline = inlineImport(js, n);
      if (inline) return { kind: 'ref', ref: { kind: 'import', binding: inline.binding, member: inline.member }, display: n.text };
      const callee = unwrap(n.childForFieldName('function') ?? n);
      if (callee.type === 'member_expression' && callee.childForFieldName('property')?.text === 'bind') return handlerOf(js, callee.childForFieldName('object') ?? callee, env, depth + 1);
      const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && isHandlerish(a) && unwrap(a).type !== 'object');
      const last = args[args.length - 1];
      if (last) return handlerOf(js, last, env, depth + 1);
      return callee.type === 'identifier' || callee.type === 'member_expression' ? handlerOf(js, callee, env, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** `ctrl.list`, `this.list`, `ArticlesController.list`, `articles.handlers.list`. */
function memberHandler(js: JsFile, n: Node, env: Env | undefined, depth: number): HandlerRef | undefined {
  const obj = unwrap(n.childForFieldName('object') ?? n);
  const prop = n.childForFieldName('property')?.text;
  if (!prop) return undefined;
  const display = `${obj.text}.${prop}`;
  const member = (container: string): HandlerRef => {
    const local = js.members.get(`${container}.${prop}`);
    if (local) {
      const fn = local.type === 'method_definition' ? local : local.childForFieldName('value');
      if (fn && FN_TYPES.has(unwrap(fn).type)) return hereFn(js, unwrap(fn));
    }
    return { kind: 'member', container, name: prop };
  };
  if (obj.type === 'this') {
    const cls = js.enclosingClass(n);
    return cls ? member(cls) : undefined;
  }
  const table = js.objectValue(obj, env);
  if (table) {
    const v = propertyValue(table, prop);
    if (v) return handlerOf(js, v, undefined, depth + 1);
  }
  if (obj.type === 'identifier') {
    const b = js.lookup(obj.text, obj);
    if (b?.kind === 'import') return { kind: 'ref', ref: { kind: 'import', binding: b.local, member: prop }, display };
    if (b?.kind === 'class') return member(b.name);
    if (b?.kind === 'var' && b.value) {
      const v = unwrap(b.value);
      if (v.type === 'new_expression') {
        const ctor = v.childForFieldName('constructor');
        if (ctor?.type === 'identifier') {
          const cb = js.lookup(ctor.text, ctor);
          return member(cb?.kind === 'import' && cb.name !== 'default' && cb.name !== '*' ? cb.name : ctor.text);
        }
      }
    }
    return { kind: 'ref', ref: { kind: 'local', name: display }, display };
  }
  // a.b.c where a is an import: the member path below it
  let root = obj;
  const path: string[] = [prop];
  while (root.type === 'member_expression') {
    path.unshift(root.childForFieldName('property')?.text ?? '');
    root = unwrap(root.childForFieldName('object') ?? root);
  }
  const b = root.type === 'identifier' ? js.lookup(root.text, root) : undefined;
  if (b?.kind === 'import') return { kind: 'ref', ref: { kind: 'import', binding: b.local, member: path.join('.') }, display };
  return { kind: 'ref', ref: { kind: 'local', name: display }, display };
}
