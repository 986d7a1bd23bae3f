/**
 * A small summary of a Python module that the readers consult across files: its classes with their methods and
 * bases, its functions, its module-level constants, its imports — kept without the tree (values as Exprs), so a
 * summary outlives the parse it came from.
 */
import type { Node } from '../../node';
import type { ImportFact } from '../../facts';
import { callArgs, calleeName, decoratorsOf, dotted, kids, lastSegment, literalString, stringParts, unparen } from './syntax';
import { readImports } from './imports';

// ---- module summaries --------------------------------------------------------------------------------------

/** A value as written, kept without its tree: a literal, a name to look up, a concatenation (`+`, f-string), a list. */
export type Expr =
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'concat'; readonly parts: readonly Expr[] }
  | { readonly kind: 'list'; readonly items: readonly Expr[] };

/** Converts an expression to an Expr; `bind` may replace names (loop variables, local assignments) first. */
export function toExpr(node: Node | null | undefined, bind?: (name: string) => Node | undefined, depth = 0): Expr | undefined {
  const n = unparen(node);
  if (!n || depth > 8) return undefined;
  switch (n.type) {
    case 'string':
    case 'concatenated_string': {
      const parts = stringParts(n);
      if (!parts) return undefined;
      const out: Expr[] = [];
      for (const p of parts) {
        const e = 'text' in p ? ({ kind: 'str', value: p.text } as const) : toExpr(p.expr, bind, depth + 1);
        if (!e) return undefined;
        out.push(e);
      }
      return out.length === 1 ? out[0] : { kind: 'concat', parts: out };
    }
    case 'identifier': {
      const bound = bind?.(n.text);
      return bound ? toExpr(bound, bind, depth + 1) : { kind: 'ref', name: n.text };
    }
    case 'attribute': {
      const d = dotted(n);
      return d === undefined ? undefined : { kind: 'ref', name: d };
    }
    case 'binary_operator': {
      if (n.childForFieldName('operator')?.text !== '+') return undefined;
      const l = toExpr(n.childForFieldName('left'), bind, depth + 1);
      const r = toExpr(n.childForFieldName('right'), bind, depth + 1);
      return l && r ? { kind: 'concat', parts: [l, r] } : undefined;
    }
    case 'list':
    case 'tuple': {
      const items: Expr[] = [];
      for (const c of kids(n)) {
        if (c.type === 'comment') continue;
        const e = toExpr(c, bind, depth + 1);
        if (!e) return undefined;
        items.push(e);
      }
      return { kind: 'list', items };
    }
    default:
      return undefined;
  }
}

/** A DRF `@action(detail=…, methods=[…], url_path=…)` on a ViewSet method. */
export interface ActionInfo {
  readonly detail: boolean;
  readonly methods: readonly string[];
  readonly urlPath: string;
}

export interface MethodInfo {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly action?: ActionInfo | undefined;
  /** `@publish.mapping.delete`: this method answers another HTTP method of the action `publish`. */
  readonly mapping?: { readonly action: string; readonly method: string } | undefined;
}

export interface ClassInfo {
  readonly name: string;
  readonly line: number;
  readonly endLine: number;
  /** Base classes as written (`viewsets.ModelViewSet`, `MethodView`). */
  readonly bases: readonly string[];
  readonly methods: ReadonlyMap<string, MethodInfo>;
  /** Class-level assignments (`lookup_field = 'slug'`, `methods = ['GET']`). */
  readonly attrs: ReadonlyMap<string, Expr>;
}

export interface FunctionInfo {
  readonly name: string;
  readonly line: number;
  readonly endLine: number;
  /** Methods a decorator limits the view to (`@api_view(['GET', 'POST'])`, `@require_POST`); undefined = all. */
  readonly methods?: readonly string[] | undefined;
  /** A DRF function view (`@api_view`). */
  readonly drf?: boolean | undefined;
}

/** What other files need to know about a module. */
export interface ModuleSummary {
  readonly imports: readonly ImportFact[];
  readonly classes: ReadonlyMap<string, ClassInfo>;
  readonly functions: ReadonlyMap<string, FunctionInfo>;
  /** Module-level constants (`PREFIX = "/api"`, `ROUTES = [...]`). */
  readonly values: ReadonlyMap<string, Expr>;
  /** Module-level instances: `settings = Settings()` → `Settings`. */
  readonly instances: ReadonlyMap<string, string>;
}

/** Reads the summary of a parsed module, given its import statements. */
export function summarize(root: Node, importStatements: readonly Node[]): ModuleSummary {
  const classes = new Map<string, ClassInfo>();
  const functions = new Map<string, FunctionInfo>();
  const values = new Map<string, Expr>();
  const instances = new Map<string, string>();
  for (const st of moduleStatements(root)) {
    const def = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (def?.type === 'class_definition') {
      const c = classInfo(def);
      if (c) classes.set(c.name, c);
    } else if (def?.type === 'function_definition') {
      const name = def.childForFieldName('name')?.text;
      if (name) functions.set(name, { name, line: def.startPosition.row + 1, endLine: def.endPosition.row + 1, ...viewMethods(def) });
    } else if (st.type === 'expression_statement') {
      const a = kids(st)[0];
      if (a?.type !== 'assignment') continue;
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      if (left?.type !== 'identifier' || !right) continue;
      const e = toExpr(right);
      if (e) values.set(left.text, e);
      else if (right.type === 'call') {
        const callee = calleeName(right);
        if (callee) instances.set(left.text, callee);
      }
    }
  }
  return { imports: readImports(importStatements), classes, functions, values, instances };
}

/**
 * The statements at module level, looking into `if`, `try` and `with` blocks (a conditional import, an
 * `if settings.DEBUG:` that extends urlpatterns) but not into functions or classes.
 */
export function moduleStatements(root: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node): void => {
    for (const c of kids(n)) {
      if (c.type === 'if_statement' || c.type === 'try_statement' || c.type === 'with_statement' || c.type === 'elif_clause' || c.type === 'else_clause' || c.type === 'except_clause' || c.type === 'finally_clause' || c.type === 'block') walk(c);
      else out.push(c);
    }
  };
  walk(root);
  return out;
}

function classInfo(def: Node): ClassInfo | undefined {
  const name = def.childForFieldName('name')?.text;
  if (!name) return undefined;
  const bases = kids(def.childForFieldName('superclasses'))
    .map((b) => dotted(b))
    .filter((b): b is string => b !== undefined);
  const methods = new Map<string, MethodInfo>();
  const attrs = new Map<string, Expr>();
  for (const st of kids(def.childForFieldName('body'))) {
    const fn = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (fn?.type === 'function_definition') {
      const m = fn.childForFieldName('name')?.text;
      if (m) methods.set(m, { name: m, line: fn.startPosition.row + 1, column: fn.startPosition.column + 1, endLine: fn.endPosition.row + 1, ...actionOf(fn) });
    } else if (st.type === 'expression_statement') {
      const a = kids(st)[0];
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
      const e = left?.type === 'identifier' ? toExpr(a?.childForFieldName('right')) : undefined;
      if (left && e) attrs.set(left.text, e);
    }
  }
  return { name, line: def.startPosition.row + 1, endLine: def.endPosition.row + 1, bases, methods, attrs };
}

/** `@action(...)` (and the old `@detail_route` / `@list_route`), `@other.mapping.delete`. */
function actionOf(fn: Node): { action?: ActionInfo; mapping?: { action: string; method: string } } {
  const name = fn.childForFieldName('name')?.text ?? '';
  for (const d of decoratorsOf(fn)) {
    if (d.type === 'attribute') {
      const m = /^(\w+)\.mapping\.(\w+)$/.exec(dotted(d) ?? '');
      if (m) return { mapping: { action: m[1] as string, method: (m[2] as string).toUpperCase() } };
      continue;
    }
    if (d.type !== 'call') continue;
    const callee = lastSegment(calleeName(d) ?? '');
    if (callee !== 'action' && callee !== 'detail_route' && callee !== 'list_route') continue;
    const args = callArgs(d);
    const detail = callee === 'detail_route' || (callee === 'action' && args.keywords.get('detail')?.text === 'True');
    const methods = literalList(args.keywords.get('methods'))?.map((m) => m.toUpperCase()) ?? ['GET'];
    const urlPath = literalString(args.keywords.get('url_path')) ?? name;
    return { action: { detail, methods, urlPath } };
  }
  return {};
}

/** The methods a function view is limited to by its decorators (none: every method), and whether it is a DRF view. */
function viewMethods(fn: Node): { methods?: string[]; drf?: boolean } {
  for (const d of decoratorsOf(fn)) {
    const name = lastSegment((d.type === 'call' ? calleeName(d) : dotted(d)) ?? '');
    switch (name) {
      case 'api_view':
      case 'require_http_methods': {
        const list = d.type === 'call' ? literalList(callArgs(d).positional[0] ?? callArgs(d).keywords.get('http_method_names')) : undefined;
        const methods = list ? list.map((m) => m.toUpperCase()) : name === 'api_view' ? ['GET'] : undefined;
        return name === 'api_view' ? { methods, drf: true } : { methods };
      }
      case 'require_GET':
      case 'require_safe':
        return { methods: ['GET'] };
      case 'require_POST':
        return { methods: ['POST'] };
    }
  }
  return {};
}

/** A list or tuple of string literals (a single string counts as a list of one). */
function literalList(node: Node | null | undefined): string[] | undefined {
  const n = unparen(node);
  if (!n) return undefined;
  const single = literalString(n);
  if (single !== undefined) return [single];
  if (n.type !== 'list' && n.type !== 'tuple' && n.type !== 'set') return undefined;
  const out: string[] = [];
  for (const c of kids(n)) {
    if (c.type === 'comment') continue;
    const v = literalString(c);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}
