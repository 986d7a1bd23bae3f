/**
 * What the Rust extractor's passes share while reading one file: the facts being filled, the names `use` and
 * `mod` bind, and how a name or path in the source becomes a Ref or a HandlerRef (paths through other modules
 * become synthetic imports, so compose.ts resolves them with resolveRustModule).
 */
import type { Node } from '../../node';
import { emptyFacts, type HandlerRef, type Ref } from '../../facts';
import { locOf } from '../../syntax';
import { lastSegment } from './modules';

/** The facts of one Rust file while they are filled. */
type RustFacts = ReturnType<typeof emptyFacts>;

/** The state the Rust extractor's passes share for one file. */
export interface RustCtx {
  readonly facts: RustFacts;
  /** Local name → full path (`articles` → `crate::routes::articles`, `routes` → `self::routes` for `mod routes;`). */
  readonly bindings: Map<string, string>;
  /** Modules glob-imported from this crate (`use super::*`). */
  readonly globs: string[];
  /** Names of the file's top-level functions. */
  readonly topFns: Set<string>;
  /** Locals of the ImportFacts already added (synthetic ones included). */
  readonly importLocals: Set<string>;
}

/** A fresh context for one file. */
export function newCtx(file: string): RustCtx {
  return { facts: emptyFacts(file, 'rust'), bindings: new Map(), globs: [], topFns: new Set(), importLocals: new Set() };
}

const COMMENTS: ReadonlySet<string> = new Set(['line_comment', 'block_comment']);

/** Named children without comments. */
export function kids(node: Node | null | undefined): Node[] {
  const out: Node[] = [];
  if (!node) return out;
  for (const c of node.namedChildren) if (c && !COMMENTS.has(c.type)) out.push(c);
  return out;
}

/** The argument expressions of a call. */
export function argsOf(call: Node): Node[] {
  return kids(call.childForFieldName('arguments'));
}

/** `x.await`, `x?`, `(x)`, `&mut x` → x. */
export function unwrapExpr(node: Node): Node {
  let n = node;
  for (;;) {
    if (n.type === 'await_expression' || n.type === 'try_expression' || n.type === 'parenthesized_expression' || n.type === 'reference_expression') {
      const inner = n.childForFieldName('value') ?? kids(n)[0];
      if (!inner) return n;
      n = inner;
    } else return n;
  }
}

/** The segments of a name or path expression (`crate::routes::list` → [crate, routes, list]); generics are dropped. */
export function pathSegments(node: Node | null | undefined): string[] | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'identifier':
    case 'type_identifier':
    case 'field_identifier':
    case 'crate':
    case 'self':
    case 'super':
      return [node.text];
    case 'generic_function':
      return pathSegments(node.childForFieldName('function'));
    case 'generic_type':
      return pathSegments(node.childForFieldName('type'));
    case 'scoped_identifier':
    case 'scoped_type_identifier': {
      const name = node.childForFieldName('name');
      if (!name) return undefined;
      const p = node.childForFieldName('path');
      if (!p) return [name.text];
      const head = pathSegments(p);
      return head ? [...head, name.text] : undefined;
    }
    default:
      return undefined;
  }
}

/** Adds an ImportFact once per local name. */
export function addImport(ctx: RustCtx, local: string, path: string): void {
  const key = local + '\0' + path;
  if (ctx.importLocals.has(key)) return;
  ctx.importLocals.add(key);
  const i = path.lastIndexOf('::');
  ctx.facts.imports.push(i < 0 ? { local, module: path, name: '*' } : { local, module: path.slice(0, i), name: path.slice(i + 2) });
}

const isTypeName = (s: string): boolean => s === 'Self' || /^[A-Z]/.test(s);

/**
 * A Ref to the function (or router-returning function) a name or path means. `Type::f` is a global
 * `Type.f`; a module path becomes a synthetic import named after the path as written.
 */
export function valueRef(ctx: RustCtx, segs: readonly string[], selfType: string | undefined): Ref {
  if (segs.length === 1) {
    const name = segs[0] as string;
    if (ctx.bindings.has(name)) return { kind: 'import', binding: name };
    if (ctx.topFns.has(name) || ctx.globs.length === 0) return { kind: 'package', name };
    for (const g of ctx.globs) addImport(ctx, name, g + '::' + name);
    return { kind: 'import', binding: name };
  }
  const type = segs[segs.length - 2] as string;
  const last = segs[segs.length - 1] as string;
  if (isTypeName(type)) return { kind: 'global', name: (type === 'Self' ? (selfType ?? type) : type) + '.' + last };
  const first = segs[0] as string;
  const bound = ctx.bindings.get(first);
  const full = (bound !== undefined ? [bound, ...segs.slice(1)] : segs).join('::');
  const local = segs.join('::');
  addImport(ctx, local, full);
  return { kind: 'import', binding: local };
}

/** Methods that wrap a handler and leave it the handler: `kv_get.layer(CompressionLayer::new())`, `h.with_state(s)`. */
const HANDLER_WRAPPERS: ReadonlySet<string> = new Set(['layer', 'route_layer', 'with_state', 'into_service', 'into_make_service', 'boxed_clone']);

/** The handler a registration names: a closure here, `Type::method`, or a function by name or path. */
export function handlerRef(ctx: RustCtx, node: Node | undefined, selfType: string | undefined): HandlerRef | undefined {
  if (!node) return undefined;
  const n = unwrapExpr(node);
  if (n.type === 'closure_expression') return { kind: 'here', name: '<anonymous>', loc: locOf(n, true) };
  // axum's key-value-store example: `get(kv_get.layer(…))`, `post_service(kv_set.layer(…).with_state(…))`.
  const f = n.type === 'call_expression' ? n.childForFieldName('function') : undefined;
  if (f?.type === 'field_expression' && HANDLER_WRAPPERS.has(f.childForFieldName('field')?.text ?? '')) return handlerRef(ctx, f.childForFieldName('value') ?? undefined, selfType);
  const target = n.type === 'call_expression' ? n.childForFieldName('function') : n;
  const segs = pathSegments(target);
  if (!segs) return undefined;
  if (segs.length >= 2 && isTypeName(segs[segs.length - 2] as string)) {
    const type = segs[segs.length - 2] as string;
    return { kind: 'member', container: type === 'Self' ? (selfType ?? type) : type, name: segs[segs.length - 1] as string };
  }
  return { kind: 'ref', ref: valueRef(ctx, segs, selfType), display: segs.join('::') };
}

/** The simple name of a type node (`Foo<S>` → Foo, `crate::x::Foo` → Foo). */
export function typeName(node: Node | null | undefined): string | undefined {
  const segs = pathSegments(node);
  return segs ? lastSegment(segs.join('::')) : undefined;
}

