/**
 * Python modules across files: what a dotted name in one module refers to, followed through imports into the
 * summaries (summary.ts) of other modules — a Django urls.py needs the methods of a ViewSet defined in views.py, a
 * FastAPI router's prefix may be `settings.API_V1_STR` from config.py. Other modules are parsed on demand and their
 * summaries cached.
 */
import type { Language } from '@vscode/tree-sitter-wasm';
import type { ImportFact } from '../../facts';
import type { ProjectView } from '../../language';
import { parseWith, query } from '../../treeSitter';
import { lastSegment } from './syntax';
import { IMPORT_QUERY, resolvePythonModule, submodule } from './imports';
import { summarize, type ClassInfo, type Expr, type FunctionInfo, type ModuleSummary } from './summary';

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
