/**
 * Python modules: how `import` statements read, how a module name maps to workspace files, and a small summary of
 * a module (its classes with their methods and bases, functions, module-level constants) that the readers consult
 * across files — a Django urls.py needs the methods of a ViewSet defined in views.py, a FastAPI router's prefix
 * may be `settings.API_V1_STR` from config.py. Other modules are parsed on demand and their summaries cached.
 */
import type { Language } from '@vscode/tree-sitter-wasm';
import type { Node } from '../../node';
import type { ImportFact } from '../../facts';
import type { ProjectView } from '../../language';
import { dirOf } from '../../paths';
import { parseWith, query } from '../../treeSitter';
import { callArgs, calleeName, decoratorsOf, dotted, kids, lastSegment, literalString, stringParts, unparen } from './syntax';

// ---- imports and module resolution -------------------------------------------------------------------------

/** The import statements of a file (also those inside functions, as app factories do), as ImportFacts. */
function readImports(statements: readonly Node[]): ImportFact[] {
  const out: ImportFact[] = [];
  for (const st of statements) {
    if (st.type === 'import_statement') {
      for (const n of kids(st)) {
        if (n.type === 'dotted_name') {
          const module = n.text;
          out.push({ local: module, module, name: '*' });
          // `import a.b.c` also binds `a`
          if (module.includes('.')) out.push({ local: module.slice(0, module.indexOf('.')), module: module.slice(0, module.indexOf('.')), name: '*' });
        } else if (n.type === 'aliased_import') {
          const module = n.childForFieldName('name')?.text;
          const alias = n.childForFieldName('alias')?.text;
          if (module && alias) out.push({ local: alias, module, name: '*' });
        }
      }
      continue;
    }
    const moduleNode = st.childForFieldName('module_name');
    if (!moduleNode) continue;
    const module = moduleNode.text.replace(/\s+/g, '');
    if (module === '__future__') continue;
    if (kids(st).some((c) => c.type === 'wildcard_import')) {
      out.push({ local: '*', module, name: '*' });
      continue;
    }
    for (const n of st.childrenForFieldName('name')) {
      if (!n) continue;
      if (n.type === 'dotted_name') out.push({ local: n.text, module, name: n.text });
      else if (n.type === 'aliased_import') {
        const name = n.childForFieldName('name')?.text;
        const alias = n.childForFieldName('alias')?.text;
        if (name && alias) out.push({ local: alias, module, name });
      }
    }
  }
  return out;
}

const IMPORT_QUERY = '(import_statement) @import (import_from_statement) @import';

/** `.routers` + `items` → `.routers.items`; `.` + `views` → `.views`; `app.api` + `deps` → `app.api.deps`. */
export function submodule(module: string, name: string): string {
  return /^\.+$/.test(module) ? module + name : `${module}.${name}`;
}

/**
 * The files a module names, best first: relative modules from the importing file's package; absolute ones from
 * the top of the importing file's package tree, the service root, its src/ folder, then the workspace root.
 * A module is `a/b.py` or `a/b/__init__.py`.
 */
export function resolvePythonModule(fromFile: string, module: string, project: ProjectView): string[] {
  const candidates = (base: string, rest: string): string[] => {
    const p = rest === '' ? base : join(base, rest.replace(/\./g, '/'));
    const files = rest === '' ? [join(p, '__init__.py')] : [p + '.py', join(p, '__init__.py')];
    return files.filter((f) => project.has(f));
  };
  if (module.startsWith('.')) {
    const dots = /^\.+/.exec(module)?.[0].length ?? 1;
    let dir = dirOf(fromFile);
    for (let i = 1; i < dots; i++) {
      if (dir === '') return [];
      dir = dirOf(dir);
    }
    return candidates(dir, module.slice(dots));
  }
  const service = project.serviceRootOf(fromFile);
  const bases = [...new Set([packageRoot(fromFile, project), service, join(service, 'src'), ''])];
  return [...new Set(bases.flatMap((b) => candidates(b, module)))];
}

/** The folder above the outermost package (folder with __init__.py) that holds the file: where `python -m` runs. */
function packageRoot(file: string, project: ProjectView): string {
  let d = dirOf(file);
  while (d !== '' && project.has(join(d, '__init__.py'))) d = dirOf(d);
  return d;
}

function join(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a}/${b}`;
}

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

// ---- cross-file lookups ------------------------------------------------------------------------------------

/** A base class from outside the workspace: its name and the module it is imported from ('' when unknown). */
export interface ExternalBase {
  readonly name: string;
  readonly module: string;
}

/** What a dotted name refers to, followed through imports into other modules. */
export type Binding =
  | { readonly kind: 'module'; readonly files: readonly string[] }
  | { readonly kind: 'class'; readonly file: string; readonly cls: ClassInfo }
  | { readonly kind: 'function'; readonly file: string; readonly fn: FunctionInfo }
  | { readonly kind: 'value'; readonly file: string; readonly expr: Expr };

/** Summaries of files read from a project, by project then file; reused while the file's text is unchanged. */
const summaryCache = new WeakMap<ProjectView, Map<string, { readonly text: string; readonly summary: ModuleSummary }>>();

const MAX_DEPTH = 8;

/** Keeps the summary of a file just read, so files that import it later do not parse it again. */
export function rememberSummary(project: ProjectView, file: string, text: string, summary: ModuleSummary): void {
  let cache = summaryCache.get(project);
  if (!cache) summaryCache.set(project, (cache = new Map()));
  cache.set(file, { text, summary });
}

/** Looks names up across the modules of a project, starting from the file being read. */
export class PyModules {
  constructor(
    private readonly project: ProjectView,
    private readonly language: Language,
    private readonly current: { readonly file: string; readonly summary: ModuleSummary },
  ) {}

  /** The files a module names, seen from `from`. */
  resolve(from: string, module: string): string[] {
    return resolvePythonModule(from, module, this.project);
  }

  /** The summary of a module: the file being read, or another file of the project parsed on demand. */
  summaryOf(file: string): ModuleSummary | undefined {
    if (file === this.current.file) return this.current.summary;
    const text = this.project.read(file);
    if (text === undefined) return undefined;
    let cache = summaryCache.get(this.project);
    if (!cache) summaryCache.set(this.project, (cache = new Map()));
    const hit = cache.get(file);
    if (hit && hit.text === text) return hit.summary;
    const summary = parseWith(this.language, text, (root) =>
      summarize(
        root,
        query(this.language, 'python', IMPORT_QUERY)
          .captures(root)
          .map((c) => c.node),
      ),
    );
    if (summary) cache.set(file, { text, summary });
    return summary;
  }

  /** What `name` (`ArticleViewSet`, `views.ArticleViewSet`, `settings.API_V1_STR`) means in `file`. */
  lookup(file: string, name: string, depth = 0): Binding | undefined {
    const s = depth > MAX_DEPTH ? undefined : this.summaryOf(file);
    if (!s) return undefined;
    const segs = name.split('.');
    const head = segs[0] as string;
    const rest = segs.slice(1);
    const cls = s.classes.get(head);
    if (cls) return rest.length === 0 ? { kind: 'class', file, cls } : rest.length === 1 ? this.classAttr(file, cls, rest[0] as string, depth + 1) : undefined;
    const fn = s.functions.get(head);
    if (fn) return rest.length === 0 ? { kind: 'function', file, fn } : undefined;
    const value = s.values.get(head);
    if (value) return rest.length === 0 ? { kind: 'value', file, expr: value } : undefined;
    const instance = s.instances.get(head);
    if (instance !== undefined && rest.length === 1) {
      const c = this.lookup(file, instance, depth + 1);
      return c?.kind === 'class' ? this.classAttr(c.file, c.cls, rest[0] as string, depth + 1) : undefined;
    }
    for (let k = segs.length; k >= 1; k--) {
      const local = segs.slice(0, k).join('.');
      for (const imp of s.imports) {
        if (imp.local !== local) continue;
        const found = this.throughImport(file, imp, segs.slice(k), depth + 1);
        if (found) return found;
      }
    }
    for (const imp of s.imports) {
      if (imp.local !== '*') continue;
      const found = this.inModule(file, imp.module, segs, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** The string (or list of strings) an Expr evaluates to in `file`, or undefined when it is computed at run time. */
  evaluate(file: string, expr: Expr, depth = 0): string | string[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (expr.kind) {
      case 'str':
        return expr.value;
      case 'concat': {
        let out = '';
        for (const p of expr.parts) {
          const v = this.evaluate(file, p, depth + 1);
          if (typeof v !== 'string') return undefined;
          out += v;
        }
        return out;
      }
      case 'list': {
        const out: string[] = [];
        for (const i of expr.items) {
          const v = this.evaluate(file, i, depth + 1);
          if (typeof v !== 'string') return undefined;
          out.push(v);
        }
        return out;
      }
      case 'ref': {
        const b = this.lookup(file, expr.name, depth + 1);
        return b?.kind === 'value' ? this.evaluate(b.file, b.expr, depth + 1) : undefined;
      }
    }
  }

  /**
   * A class's bases that are defined in the workspace, in method resolution order (depth first), with the
   * class itself first; `external` holds the last segments of bases that are not (framework classes).
   */
  lineage(file: string, cls: ClassInfo, depth = 0): { chain: { file: string; cls: ClassInfo }[]; external: ExternalBase[] } {
    const chain: { file: string; cls: ClassInfo }[] = [];
    const external: ExternalBase[] = [];
    const visit = (f: string, c: ClassInfo, d: number): void => {
      if (d > MAX_DEPTH || chain.some((x) => x.file === f && x.cls.name === c.name)) return;
      chain.push({ file: f, cls: c });
      for (const base of c.bases) {
        const b = this.lookup(f, base, d + 1);
        if (b?.kind === 'class') visit(b.file, b.cls, d + 1);
        else external.push({ name: lastSegment(base), module: this.origin(f, base) });
      }
    };
    visit(file, cls, depth);
    return { chain, external };
  }

  /** The module an imported name comes from (`flask.views` for `MethodView`), '' when it is not imported. */
  private origin(file: string, name: string): string {
    const imports = this.summaryOf(file)?.imports ?? [];
    const segs = name.split('.');
    for (let k = segs.length; k >= 1; k--) {
      const imp = imports.find((i) => i.local === segs.slice(0, k).join('.'));
      if (imp) return imp.name === '*' ? imp.module : submodule(imp.module, imp.name);
    }
    return '';
  }

  private classAttr(file: string, cls: ClassInfo, attr: string, depth: number): Binding | undefined {
    for (const { file: f, cls: c } of this.lineage(file, cls, depth).chain) {
      const e = c.attrs.get(attr);
      if (e) return { kind: 'value', file: f, expr: e };
      if (c.methods.has(attr)) return undefined;
    }
    return undefined;
  }

  private throughImport(file: string, imp: ImportFact, rest: string[], depth: number): Binding | undefined {
    if (imp.name === '*') return this.inModule(file, imp.module, rest, depth);
    const sub = submodule(imp.module, imp.name);
    if (this.resolve(file, sub).length > 0) return this.inModule(file, sub, rest, depth);
    for (const f of this.resolve(file, imp.module)) {
      const b = this.lookup(f, [imp.name, ...rest].join('.'), depth);
      if (b) return b;
    }
    return undefined;
  }

  private inModule(from: string, module: string, rest: string[], depth: number): Binding | undefined {
    const files = this.resolve(from, module);
    if (files.length === 0 || depth > MAX_DEPTH) return undefined;
    if (rest.length === 0) return { kind: 'module', files };
    for (const f of files) {
      const b = this.lookup(f, rest.join('.'), depth);
      if (b) return b;
    }
    return this.inModule(from, submodule(module, rest[0] as string), rest.slice(1), depth + 1);
  }
}
