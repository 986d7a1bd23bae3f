/**
 * Joins the facts of every file into the wire map: routers mounted in other files, prefixes from groups,
 * controllers and global prefixes, routers passed to registration functions, handlers defined elsewhere, gRPC
 * services linked to their implementations. Pure and synchronous; a re-index of one file re-runs this over the
 * cached facts of all files.
 */
import type { FileFacts, FunctionFact, HandlerRef, Ref, RouterFact } from './facts';
import type { LanguageSupport, ProjectView } from './language';
import type { WireLanguage, WireRecord } from './model';
import { dirOf } from './paths';
import { joinRoute, normalizePath } from './routes';

interface Target {
  readonly file: string;
  readonly name: string;
}

interface Edge {
  readonly parent: string; // router key file#name
  readonly prefix: string; // normalized
  readonly replacesOwn?: boolean | undefined; // the edge's prefix stands in for the child's own prefix
}

const key = (file: string, name: string): string => file + '#' + name;

/** How many prefix chains one route may expand to (a router mounted in many places): beyond this, the rest are dropped. */
const MAX_CHAINS = 16;

export function composeWire(facts: ReadonlyMap<string, FileFacts>, project: ProjectView, supports: ReadonlyMap<WireLanguage, LanguageSupport>): WireRecord[] {
  const routers = new Map<string, RouterFact & { file: string }>();
  const functionsByFile = new Map<string, Map<string, FunctionFact>>();
  /** language → container → name → [file, fn] */
  const members = new Map<WireLanguage, Map<string, Map<string, { file: string; fn: FunctionFact }>>>();
  for (const f of facts.values()) {
    for (const r of f.routers) routers.set(key(f.file, r.name), { ...r, file: f.file });
    const fns = new Map<string, FunctionFact>();
    for (const fn of f.functions) {
      const qualified = fn.container ? fn.container + '.' + fn.name : fn.name;
      if (!fns.has(qualified)) fns.set(qualified, fn);
      if (!fns.has(fn.name)) fns.set(fn.name, fn);
      if (fn.container) {
        let byLang = members.get(f.language);
        if (!byLang) members.set(f.language, (byLang = new Map()));
        let byContainer = byLang.get(fn.container);
        if (!byContainer) byLang.set(fn.container, (byContainer = new Map()));
        if (!byContainer.has(fn.name)) byContainer.set(fn.name, { file: f.file, fn });
      }
    }
    functionsByFile.set(f.file, fns);
  }

  const definesName = (file: string, name: string): string | undefined => {
    const f = facts.get(file);
    if (!f) return undefined;
    if (routers.has(key(file, name)) || functionsByFile.get(file)?.has(name)) return name;
    const exported = f.exports[name];
    if (exported !== undefined) return exported;
    return undefined;
  };

  const resolveModule = (from: FileFacts, module: string): readonly string[] => {
    const s = supports.get(from.language);
    return s?.resolveModule ? s.resolveModule(from.file, module, project) : [];
  };

  /**
   * language → top-level name → the files that may define it (routers, functions with and without their container,
   * exports), built on the first `global` ref: one lookup instead of a pass over every file per ref.
   */
  let globals: Map<WireLanguage, Map<string, string[]>> | undefined;
  const globalFiles = (language: WireLanguage, name: string): readonly string[] => {
    if (!globals) {
      globals = new Map();
      for (const g of facts.values()) {
        let byName = globals.get(g.language);
        if (!byName) globals.set(g.language, (byName = new Map()));
        const names = new Set<string>([...g.routers.map((r) => r.name), ...Object.keys(g.exports)]);
        for (const fn of g.functions) {
          names.add(fn.name);
          if (fn.container) names.add(fn.container + '.' + fn.name);
        }
        for (const n of names) {
          let list = byName.get(n);
          if (!list) byName.set(n, (list = []));
          list.push(g.file);
        }
      }
    }
    return globals.get(language)?.get(name) ?? [];
  };

  /** Where a Ref points: router or function names in some files. */
  const resolve = (file: string, ref: Ref, depth = 0): Target[] => {
    const f = facts.get(file);
    if (!f) return [];
    switch (ref.kind) {
      case 'local':
        return [{ file, name: ref.name }];
      case 'package': {
        const here = definesName(file, ref.name);
        if (here !== undefined) return [{ file, name: here }];
        if (!supports.get(f.language)?.packageIsFolder) return [];
        const out: Target[] = [];
        for (const sib of project.filesIn(dirOf(file))) {
          if (sib === file) continue;
          const n = definesName(sib, ref.name);
          if (n !== undefined) out.push({ file: sib, name: n });
        }
        return out;
      }
      case 'import': {
        const out: Target[] = [];
        for (const imp of f.imports) {
          if (imp.local !== ref.binding) continue;
          let module = imp.module;
          let symbol: string | undefined = imp.name;
          const sup = supports.get(f.language);
          if (imp.name !== '*' && sup?.submodule) {
            const sub = sup.submodule(imp.module, imp.name);
            if (resolveModule(f, sub).length > 0) {
              module = sub;
              symbol = '*';
            }
          }
          if (symbol === '*') symbol = ref.member;
          else if (ref.member !== undefined) symbol = symbol + '.' + ref.member;
          if (symbol === undefined) continue;
          for (const target of resolveModule(f, module)) {
            const n = definesName(target, symbol) ?? (symbol.includes('.') ? definesName(target, symbol.slice(symbol.lastIndexOf('.') + 1)) : undefined);
            if (n === undefined) continue;
            // A name the target itself imports and exports again (`export { default as x } from './x'`, `module.exports = { router }`): follow it.
            const reexported = depth < 4 && !routers.has(key(target, n)) && !functionsByFile.get(target)?.has(n) && facts.get(target)?.imports.some((i) => i.local === n);
            if (reexported) out.push(...resolve(target, { kind: 'import', binding: n }, depth + 1));
            else out.push({ file: target, name: n });
          }
        }
        return out;
      }
      case 'global': {
        const out: Target[] = [];
        for (const file of globalFiles(f.language, ref.name)) {
          const n = definesName(file, ref.name);
          if (n !== undefined) out.push({ file, name: n });
        }
        return out;
      }
    }
  };

  /** A router target, or a function mounted as a plugin whose first parameter is a router (`fastify.register(plugin)` → `plugin(fastify)`). */
  const routerKeyOf = (t: Target): string | undefined => {
    const k = key(t.file, t.name);
    if (routers.has(k)) return k;
    const fn = functionsByFile.get(t.file)?.get(t.name);
    const param = fn?.params[0];
    if (!fn || param === undefined) return undefined;
    const pk = key(t.file, `${fn.container ? fn.container + '.' + fn.name : fn.name}(${param})`);
    return routers.has(pk) ? pk : undefined;
  };

  // Mount edges: child router key → parents.
  const parents = new Map<string, Edge[]>();
  const addEdge = (child: string, edge: Edge): void => {
    let list = parents.get(child);
    if (!list) parents.set(child, (list = []));
    if (!list.some((e) => e.parent === edge.parent && e.prefix === edge.prefix && e.replacesOwn === edge.replacesOwn)) list.push(edge);
  };
  for (const f of facts.values()) {
    for (const m of f.mounts) {
      const prefix = m.prefix === '' ? '' : normalizePath(m.prefix, m.style);
      for (const c of resolve(f.file, m.child)) {
        const ck = routerKeyOf(c);
        if (!ck) continue;
        for (const p of resolve(f.file, m.parent)) {
          const pk = key(p.file, p.name);
          if (pk !== ck && routers.has(pk)) addEdge(ck, { parent: pk, prefix, replacesOwn: m.replacesOwnPrefix });
        }
      }
    }
    // Routers passed to functions: `articles.Register(api)` mounts Register's parameter router `Register(r)` under api.
    for (const call of f.calls) {
      for (const target of resolve(f.file, call.callee)) {
        const fn = functionsByFile.get(target.file)?.get(target.name);
        if (!fn) continue;
        const fnName = fn.container ? fn.container + '.' + fn.name : fn.name;
        call.args.forEach((arg, i) => {
          const param = fn.params[i];
          if (!arg || param === undefined) return;
          const ck = [key(target.file, `${fnName}(${param})`), key(target.file, `${fn.name}(${param})`)].find((k) => routers.has(k));
          if (!ck) return;
          for (const p of resolve(f.file, arg)) {
            const pk = key(p.file, p.name);
            if (pk !== ck && routers.has(pk)) addEdge(ck, { parent: pk, prefix: '' });
          }
        });
      }
    }
  }

  // Global prefixes per service and framework.
  const globalPrefix = new Map<string, string>();
  for (const f of facts.values()) {
    for (const g of f.globalPrefixes) globalPrefix.set(project.serviceRootOf(f.file) + '\0' + g.framework, normalizePath(g.prefix, 'brace'));
  }

  /** Every full prefix a router can be reached by, from its roots down to (and including) its own prefix. */
  const chainCache = new Map<string, string[]>();
  const chains = (rk: string, seen: Set<string>): string[] => {
    const cached = chainCache.get(rk);
    if (cached) return cached;
    const r = routers.get(rk);
    const own = r?.prefix ? normalizePath(r.prefix, r.style) : '';
    const ups = parents.get(rk) ?? [];
    let result: string[];
    if (ups.length === 0 || seen.has(rk)) {
      const g = r ? (globalPrefix.get(project.serviceRootOf(r.file) + '\0' + r.framework) ?? '') : '';
      result = [joinRoute(g, own)];
    } else {
      seen.add(rk);
      const set = new Set<string>();
      for (const e of ups) for (const c of chains(e.parent, seen)) if (set.size < MAX_CHAINS) set.add(joinRoute(c, e.prefix, e.replacesOwn ? '' : own));
      seen.delete(rk);
      result = [...set];
    }
    chainCache.set(rk, result);
    return result;
  };

  const records: WireRecord[] = [];
  const lookupHandler = (file: string, lang: WireLanguage, h: HandlerRef | undefined): { file?: string; line?: number; endLine?: number; name?: string } => {
    if (!h) return {};
    switch (h.kind) {
      case 'here':
        return { file, line: h.loc.line, endLine: h.loc.endLine, name: h.name };
      case 'ref': {
        for (const t of resolve(file, h.ref)) {
          const fn = functionsByFile.get(t.file)?.get(t.name);
          if (fn) return { file: t.file, line: fn.loc.line, endLine: fn.loc.endLine, name: h.display };
        }
        return { name: h.display };
      }
      case 'member': {
        const m = members.get(lang)?.get(h.container)?.get(h.name);
        return m ? { file: m.file, line: m.fn.loc.line, endLine: m.fn.loc.endLine, name: `${h.container}.${h.name}` } : { name: `${h.container}.${h.name}` };
      }
      case 'file': {
        const fns = functionsByFile.get(h.file);
        const fn = (h.container ? fns?.get(h.container + '.' + h.name) : undefined) ?? fns?.get(h.name);
        const name = h.container ? `${h.container}#${h.name}` : h.name;
        return fn ? { file: h.file, line: fn.loc.line, endLine: fn.loc.endLine, name } : { name };
      }
    }
  };

  for (const f of facts.values()) {
    const service = project.serviceRootOf(f.file);
    for (const r of f.routes) {
      const path = normalizePath(r.path, r.style);
      const handler = lookupHandler(f.file, f.language, r.handler);
      let prefixes: string[] = [''];
      if (r.router) {
        const found = resolve(f.file, r.router).map((t) => key(t.file, t.name)).filter((k) => routers.has(k));
        if (found.length > 0) prefixes = [...new Set(found.flatMap((k) => chains(k, new Set())))];
      }
      for (const prefix of prefixes) {
        records.push({
          kind: 'http',
          method: r.method,
          route: joinRoute(prefix, path),
          routeAsWritten: r.path,
          file: f.file,
          line: r.loc.line,
          column: r.loc.column,
          handlerFile: handler.file,
          handlerLine: handler.line,
          handlerEndLine: handler.endLine,
          handler: handler.name,
          language: f.language,
          framework: r.framework,
          service,
        });
      }
    }
    for (const e of f.entries) {
      records.push({ kind: 'entry', file: f.file, line: e.loc.line, column: e.loc.column, handler: e.name, detail: e.detail, text: e.name, language: f.language, framework: e.framework, service });
    }
    for (const e of f.errors) {
      records.push({ kind: 'error', file: f.file, line: e.loc.line, column: e.loc.column, detail: e.kind, text: e.text, function: e.function, language: f.language, framework: '', service });
    }
  }

  // gRPC: services from .proto files, linked to implementations by service name; method names compared loosely
  // (GetArticle, getArticle, get_article are the same RPC).
  const loose = (s: string): string => s.replace(/_/g, '').toLowerCase();
  const services = new Map<string, { file: string; pkg: string; rpcs: FileFacts['grpcServices'][number]['rpcs'] }[]>();
  for (const f of facts.values()) {
    for (const s of f.grpcServices) {
      let list = services.get(s.service);
      if (!list) services.set(s.service, (list = []));
      list.push({ file: f.file, pkg: s.package, rpcs: s.rpcs });
    }
  }
  const implemented = new Set<string>();
  const emitted = new Set<string>();
  /**
   * An implementation's methods; where a package is a folder (Go), also the type's methods in the sibling files;
   * a type registered from another package (`pb.RegisterFooServer(s, &handlers.Foo{})`) is found by its name.
   */
  const implMethods = (f: FileFacts, impl: FileFacts['grpcImpls'][number]): { m: { name: string; loc: FunctionFact['loc'] }; file: string }[] => {
    const out = impl.methods.map((m) => ({ m, file: f.file }));
    if (!supports.get(f.language)?.packageIsFolder) return out;
    if (out.length === 0) for (const [name, hit] of members.get(f.language)?.get(impl.container) ?? []) out.push({ m: { name, loc: hit.fn.loc }, file: hit.file });
    for (const sib of project.filesIn(dirOf(f.file))) {
      const g = facts.get(sib);
      if (sib === f.file || g?.language !== f.language) continue;
      for (const fn of g.functions) if (fn.container === impl.container) out.push({ m: { name: fn.name, loc: fn.loc }, file: sib });
    }
    return out;
  };
  for (const f of facts.values()) {
    for (const impl of f.grpcImpls) {
      // The service's declarations in this implementation's own service folder when it has them (a monorepo may
      // hold many copies of one proto), else every declaration of that name.
      const named = services.get(impl.service) ?? [];
      const root = project.serviceRootOf(f.file);
      const near = named.filter((d) => project.serviceRootOf(d.file) === root);
      const decls = near.length > 0 ? near : named;
      for (const { m, file } of implMethods(f, impl)) {
        const matches = decls.flatMap((d) => d.rpcs.filter((r) => loose(r.name) === loose(m.name)).map((r) => ({ d, r })));
        const fn = functionsByFile.get(file)?.get(impl.container + '.' + m.name);
        // A method only declared in the class (no body: a C++ header) points at its definition, here or in another file.
        const def = m.loc.endLine !== undefined ? undefined : fn ? { file, fn } : members.get(f.language)?.get(impl.container)?.get(m.name);
        for (const { d, r } of matches) {
          const route = `/${d.pkg ? d.pkg + '.' : ''}${impl.service}/${r.name}`;
          implemented.add(route);
          if (emitted.has(route + '\0' + file + '\0' + m.loc.line)) continue;
          emitted.add(route + '\0' + file + '\0' + m.loc.line);
          records.push({
            kind: 'grpc',
            method: 'GRPC',
            route,
            routeAsWritten: r.name,
            file,
            line: m.loc.line,
            column: m.loc.column,
            handlerFile: def?.file ?? file,
            handlerLine: def?.fn.loc.line ?? m.loc.line,
            handlerEndLine: def?.fn.loc.endLine ?? m.loc.endLine ?? fn?.loc.endLine,
            handler: `${impl.container}.${m.name}`,
            language: f.language,
            framework: impl.framework,
            service: project.serviceRootOf(file),
          });
        }
      }
    }
  }
  for (const [name, decls] of services) {
    for (const d of decls) {
      for (const r of d.rpcs) {
        const route = `/${d.pkg ? d.pkg + '.' : ''}${name}/${r.name}`;
        if (implemented.has(route)) continue;
        records.push({ kind: 'grpc', method: 'GRPC', route, routeAsWritten: r.name, file: d.file, line: r.loc.line, column: r.loc.column, language: 'proto', framework: 'grpc', service: project.serviceRootOf(d.file) });
      }
    }
  }

  records.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  // Shadowed routes: the same method and route (parameter names aside) registered again in the same service never
  // answers (the first wins).
  const seen = new Set<string>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as WireRecord;
    if (r.kind !== 'http') continue;
    const k = r.service + '\0' + r.method + '\0' + (r.route ?? '').replace(/\{(\*?)[^}]*\}/g, '{$1}');
    if (seen.has(k)) records[i] = { ...r, shadowed: true };
    else seen.add(k);
  }
  return records;
}
