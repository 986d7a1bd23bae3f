/**
 * Handlers of Python routes: the routes a view expression gives (functions, class views and ViewSets through
 * `as_view()`, lambdas, wrapped views, variables holding one), Refs to where their definitions live, and the
 * bindings of loops over literal route tables (`for rule, view in ROUTES:`).
 */
import type { Node } from '../../node';
import type { HandlerRef, Ref } from '../../facts';
import { locOf, shortText } from '../../syntax';
import type { ViewRoute } from './django';
import type { Binding } from './modules';
import { toExpr } from './summary';
import { MODULE, PyReaderBase } from './routers';
import { callArgs, type CallArgs, dotted, type Env, HTTP_METHODS, kids, lastSegment, NO_ENV, sequenceItems, unparen } from './syntax';
import { builtinViewMethods, classViewMethods, mappedViewMethods, type ViewMethod } from './views';

export abstract class PyHandlers extends PyReaderBase {
  // ---- handlers ----------------------------------------------------------------------------------------

  /**
   * The routes a view expression gives: a function (methods from its decorators, else `fallback`), a class's
   * `as_view()` (one per method the class answers), a lambda, a wrapped view (`csrf_exempt(view)`), a variable
   * holding one of those. `explicit` methods from the registration site win.
   */
  viewRoutes(node: Node, site: Node, env: Env, fallback: readonly string[], explicit?: readonly string[], depth = 0): ViewRoute[] {
    const n = unparen(node);
    if (!n || depth > 4) return [];
    if (n.type === 'lambda') return (explicit ?? fallback).map((method) => ({ method, handler: { kind: 'here', name: '<lambda>', loc: locOf(n, true) } }));
    if (n.type === 'identifier') {
      const bound = env.get(n.text) ?? this.localValue(site, n.text) ?? (this.summary.functions.has(n.text) || this.summary.classes.has(n.text) ? undefined : this.assigned.get(MODULE)?.get(n.text));
      if (bound) return this.viewRoutes(bound, site, env, fallback, explicit, depth + 1);
    }
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      const cls = f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'as_view' ? f.childForFieldName('object') : undefined;
      if (cls) return this.classViewRoutes(cls, callArgs(n), explicit);
      const wrapped = callArgs(n).positional[0];
      if (wrapped) return this.viewRoutes(wrapped, site, env, fallback, explicit, depth + 1);
      // An instance as the view (a Django `Feed()`, whose __call__ answers): the class is the handler.
      const made = f ? dotted(f) : undefined;
      if (made === undefined) return [];
      const b = this.mods.lookup(this.file, made);
      const ref = b?.kind === 'class' ? this.definitionRef(b.file, b.cls.name) : this.refOf(made);
      return (explicit ?? fallback).map((method) => ({ method, handler: { kind: 'ref', ref, display: lastSegment(made) } }));
    }
    const name = dotted(n);
    if (name === undefined) return [];
    const b = this.mods.lookup(this.file, name);
    if (b?.kind === 'class') return this.classViewRoutes(n, { positional: [], keywords: new Map() }, explicit);
    const display = b?.kind === 'function' ? b.fn.name : lastSegment(name);
    const methods = explicit ?? (b?.kind === 'function' ? b.fn.methods : undefined) ?? fallback;
    const ref = b?.kind === 'function' ? this.definitionRef(b.file, b.fn.name) : this.refOf(name);
    const framework = b?.kind === 'function' && b.fn.drf ? 'drf' : undefined;
    return methods.map((method) => ({ method, handler: { kind: 'ref', ref, display }, framework }));
  }

  /** `ArticleView.as_view()`, `ArticleViewSet.as_view({'get': 'list'})`, `UserAPI.as_view('users')`. */
  private classViewRoutes(clsNode: Node, asView: CallArgs, explicit?: readonly string[]): ViewRoute[] {
    const name = dotted(clsNode);
    if (name === undefined) return [];
    const b = this.mods.lookup(this.file, name);
    if (b?.kind !== 'class') {
      // A framework view (TemplateView.as_view(template_name=...)) or one outside the workspace.
      const methods = explicit ?? builtinViewMethods(lastSegment(name)) ?? ['ANY'];
      const ref = this.refOf(name);
      return methods.map((method) => ({ method, handler: { kind: 'ref', ref, display: lastSegment(name) } }));
    }
    const mapping = dictOf(asView.positional[0] ?? asView.keywords.get('actions'));
    const { framework, methods } = mapping ? { framework: 'drf' as const, methods: mappedViewMethods(this.mods, b.file, b.cls, mapping) } : classViewMethods(this.mods, b.file, b.cls, explicit);
    return methods.map((vm) => ({ method: vm.method, handler: this.classHandler(b, vm), framework }));
  }

  /**
   * The handler of one method of a class view: the method in the class (or a base class in the workspace) that
   * defines it, or the class itself when a framework class implements it (`ModelViewSet.list`).
   */
  protected classHandler(b: Extract<Binding, { kind: 'class' }>, vm: ViewMethod): HandlerRef {
    if (!vm.owner) return { kind: 'ref', ref: this.definitionRef(b.file, b.cls.name), display: `${b.cls.name}.${vm.name}` };
    return { kind: 'ref', ref: memberRef(this.definitionRef(vm.owner.file, vm.owner.cls.name), vm.name), display: `${vm.owner.cls.name}.${vm.name}` };
  }

  /**
   * A Ref to a top-level name defined in `file`, found through the module summaries. Another file's name is
   * bound by a relative import straight to that file, so compose.ts reaches it even when this file names it
   * through a star import, a package re-export or a module attribute.
   */
  private definitionRef(file: string, name: string): Ref {
    if (file === this.file) return { kind: 'local', name };
    const module = relativeModule(this.file, file);
    const binding = `${module}:${name}`;
    if (!this.facts.imports.some((i) => i.local === binding)) this.facts.imports.push({ local: binding, module, name });
    return { kind: 'import', binding };
  }

  /**
   * The bindings of the loop variables around a call, one per iteration (`for rule, view in ROUTES:` over a
   * literal list, tuple or dict `.items()`), `[NO_ENV]` without a loop; undefined (after a warning) when a loop
   * whose variables the call uses goes over something computed at run time.
   */
  protected loopEnvs(call: Node): Env[] | undefined {
    let envs: Env[] = [NO_ENV];
    for (let n = call.parent; n && n.type !== 'function_definition' && n.type !== 'class_definition'; n = n.parent) {
      if (n.type !== 'block' || n.parent?.type !== 'for_statement') continue;
      const loop = n.parent;
      const items = this.loopItems(loop.childForFieldName('right'), call);
      const left = loop.childForFieldName('left');
      if (!items || !left) {
        if (!mentions(call, left)) continue;
        this.warn(call, `Loop over \`${shortText(loop.childForFieldName('right') ?? loop, 60)}\` is not a literal list: the routes it registers are not listed.`);
        return undefined;
      }
      envs = envs.flatMap((env) => items.map((item) => bindPattern(new Map(env), left, item)));
    }
    return envs;
  }

  private loopItems(node: Node | null, site: Node): Node[] | undefined {
    let n = unparen(node);
    if (!n) return undefined;
    let items = false;
    if (n.type === 'call' && n.childForFieldName('function')?.type === 'attribute' && n.childForFieldName('function')?.childForFieldName('attribute')?.text === 'items') {
      n = n.childForFieldName('function')?.childForFieldName('object') ?? undefined;
      items = true;
    }
    if (n?.type === 'identifier') n = this.localValue(site, n.text) ?? this.assigned.get(MODULE)?.get(n.text);
    if (!n) return undefined;
    if (items || n.type === 'dictionary') {
      if (n.type !== 'dictionary') return undefined;
      // pairs as (key, value) tuples: bindPattern destructures them
      return kids(n).filter((p) => p.type === 'pair');
    }
    return sequenceItems(n);
  }
}

/** A Ref to a member of what `ref` names (`views.ArticleView` → `views.ArticleView.get`). */
function memberRef(ref: Ref, member: string): Ref {
  switch (ref.kind) {
    case 'local':
    case 'package':
    case 'global':
      return { ...ref, name: `${ref.name}.${member}` };
    case 'import':
      return { kind: 'import', binding: ref.binding, member: ref.member ? `${ref.member}.${member}` : member };
  }
}

/** The relative module that names `to` from `from` (`blog/urls.py` → `blog/api/views.py`: `.api.views`). */
function relativeModule(from: string, to: string): string {
  const fromDir = from.split('/').slice(0, -1);
  const target = to.replace(/\.py$/, '').replace(/(?:^|\/)__init__$/, '').split('/').filter((s) => s !== '');
  let common = 0;
  while (common < fromDir.length && common < target.length && fromDir[common] === target[common]) common++;
  return '.'.repeat(fromDir.length - common + 1) + target.slice(common).join('.');
}

/** `{'get': 'list', 'post': 'create'}` → GET → list, POST → create; undefined for anything else. */
function dictOf(node: Node | undefined): Map<string, string> | undefined {
  const n = unparen(node);
  if (n?.type !== 'dictionary') return undefined;
  const out = new Map<string, string>();
  for (const p of kids(n)) {
    if (p.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    const v = p.childForFieldName('value');
    const key = k ? stringOf(k) : undefined;
    const value = v ? stringOf(v) : undefined;
    if (key !== undefined && value !== undefined && HTTP_METHODS.has(key.toUpperCase())) out.set(key, value);
  }
  return out.size > 0 ? out : undefined;
}

function stringOf(n: Node): string | undefined {
  const e = toExpr(n);
  return e?.kind === 'str' ? e.value : undefined;
}

/** Binds a loop's target (`rule`, `(rule, view)`) to one literal element. */
function bindPattern(env: Map<string, Node>, left: Node, item: Node): Env {
  if (left.type === 'identifier') {
    env.set(left.text, item);
    return env;
  }
  const names = sequenceItems(left);
  const values = item.type === 'pair' ? [item.childForFieldName('key'), item.childForFieldName('value')] : sequenceItems(item);
  if (!names || !values) return env;
  names.forEach((n, i) => {
    const v = values[i];
    if (n.type === 'identifier' && v) env.set(n.text, v);
  });
  return env;
}

/** Whether a call uses any of the names a loop target binds. */
function mentions(call: Node, left: Node | null): boolean {
  if (!left) return false;
  const names = new Set(left.type === 'identifier' ? [left.text] : (sequenceItems(left) ?? []).map((n) => n.text));
  const stack: Node[] = [call];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'identifier' && names.has(n.text)) return true;
    stack.push(...kids(n));
  }
  return false;
}
