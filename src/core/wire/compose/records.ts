/**
 * One file's records: its routes with every prefix chain and their handlers looked up, entry points, error exits,
 * and its gRPC implementations linked to the .proto RPCs they implement (by service name and loose method name).
 */
import type { FileFacts, FunctionFact, HandlerRef } from '../facts';
import type { WireLanguage, WireRecord } from '../model';
import { dirOf } from '../paths';
import { joinRoute, normalizePath, paramConstraints } from '../routes';
import { ComposerMounts } from './mounts';
import { type Entry, hasUnknownPrefix, key, type Member, type RecordUnit, shadowKey, withoutUnknownPrefixes } from './structures';

const NO_ROUTES: ReadonlySet<string> = new Set();

const loose = (s: string): string => s.replace(/_/g, '').toLowerCase();

export abstract class ComposerRecords extends ComposerMounts {
  private lookupHandler(file: string, lang: WireLanguage, h: HandlerRef | undefined): { file?: string; line?: number; endLine?: number; name?: string } {
    if (!h) return {};
    switch (h.kind) {
      case 'here':
        return { file, line: h.loc.line, endLine: h.loc.endLine, name: h.name };
      case 'ref': {
        for (const t of this.resolve(file, h.ref)) {
          const fn = this.functionsOf(t.file)?.get(t.name);
          if (fn) return { file: t.file, line: fn.loc.line, endLine: fn.loc.endLine, name: h.display };
        }
        return { name: h.display };
      }
      case 'member': {
        const m = this.member(lang, h.container)?.get(h.name)?.[0];
        return m ? { file: m.file, line: m.fn.loc.line, endLine: m.fn.loc.endLine, name: `${h.container}.${h.name}` } : { name: `${h.container}.${h.name}` };
      }
      case 'file': {
        const fns = this.functionsOf(h.file);
        const fn = (h.container ? fns?.get(h.container + '.' + h.name) : undefined) ?? fns?.get(h.name);
        const name = h.container ? `${h.container}#${h.name}` : h.name;
        return fn ? { file: h.file, line: fn.loc.line, endLine: fn.loc.endLine, name } : { name };
      }
    }
  }

  /**
   * An implementation's methods; where a package is a folder (Go), also the type's methods in the sibling files;
   * a type registered from another package (`pb.RegisterFooServer(s, &handlers.Foo{})`) is found by its name.
   */
  private implMethods(f: FileFacts, impl: FileFacts['grpcImpls'][number]): { m: { name: string; loc: FunctionFact['loc'] }; file: string }[] {
    const out = impl.methods.map((m) => ({ m, file: f.file }));
    if (!this.supports.get(f.language)?.packageIsFolder) return out;
    if (out.length === 0) {
      // In the order a full pass meets them: by the file that defines each first, then by place in that file.
      const firsts: { name: string; hit: Member }[] = [];
      for (const [name, hits] of this.member(f.language, impl.container) ?? []) if (hits[0]) firsts.push({ name, hit: hits[0] });
      firsts.sort((a, b) => (this.seq.get(a.hit.file) ?? 0) - (this.seq.get(b.hit.file) ?? 0) || a.hit.pos - b.hit.pos);
      for (const { name, hit } of firsts) out.push({ m: { name, loc: hit.fn.loc }, file: hit.file });
    }
    for (const sib of this.tracked.filesIn(dirOf(f.file))) {
      if (sib === f.file) continue;
      const g = this.factsOf(sib);
      if (g?.language !== f.language) continue;
      for (const fn of g.functions) if (fn.container === impl.container) out.push({ m: { name: fn.name, loc: fn.loc }, file: sib });
    }
    return out;
  }

  /** One file's records: its routes with every prefix chain, entry points, error exits, gRPC implementations. */
  protected composeRecords(f: FileFacts): RecordUnit {
    const before = this.begin(f.file);
    const seq = this.seq.get(f.file) as number;
    const out = new Map<string, Entry[]>();
    let idx = 0;
    const push = (phase: 1 | 2, r: WireRecord, dedup?: string, shadowKey?: string): void => {
      let list = out.get(r.file);
      if (!list) out.set(r.file, (list = []));
      list.push({ r, phase, seq, idx: idx++, dedup, shadowKey });
    };
    const service = this.project.serviceRootOf(f.file);
    for (const r of f.routes) {
      const path = normalizePath(r.path, r.style);
      const handler = this.lookupHandler(f.file, f.language, r.handler);
      let prefixes: string[] = [''];
      if (r.router) {
        const found = this.resolve(f.file, r.router)
          .filter((t) => this.routerHas(t.file, t.name))
          .map((t) => key(t.file, t.name));
        if (found.length > 0) prefixes = [...new Set(found.flatMap((k) => this.chains(k, new Set())))];
      }
      // A prefix computed at run time is left out of the route shown. A route reached both with and without one
      // (a router reassigned to `r.WithPrefix(*flag)` in a branch) is listed once, and is never called shadowed by
      // the routes of a parent: which of them it sits beside is decided at run time.
      const routes = new Map<string, string>();
      for (const prefix of prefixes) {
        const composed = joinRoute(prefix, path);
        const route = withoutUnknownPrefixes(composed);
        if (!routes.has(route) || hasUnknownPrefix(composed)) routes.set(route, composed);
      }
      for (const [route, composed] of routes) {
        const record: WireRecord = {
          kind: 'http',
          method: r.method,
          route,
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
        };
        const constraints = paramConstraints(r.path, r.style);
        push(1, record, undefined, route === composed && constraints === '' ? undefined : shadowKey(record, composed) + (constraints === '' ? '' : '\0' + constraints));
      }
    }
    for (const e of f.entries) {
      push(1, { kind: 'entry', file: f.file, line: e.loc.line, column: e.loc.column, handler: e.name, detail: e.detail, text: e.name, language: f.language, framework: e.framework, service });
    }
    for (const e of f.errors) {
      push(1, { kind: 'error', file: f.file, line: e.loc.line, column: e.loc.column, detail: e.kind, text: e.text, function: e.function, language: f.language, framework: '', service });
    }

    // gRPC: services from .proto files, linked to implementations by service name; method names compared loosely
    // (GetArticle, getArticle, get_article are the same RPC).
    const implemented = new Set<string>();
    for (const impl of f.grpcImpls) {
      // The service's declarations in this implementation's own service folder when it has them (a monorepo may
      // hold many copies of one proto), else every declaration of that name.
      const named = this.services.get(impl.service) ?? [];
      const near = named.filter((d) => this.project.serviceRootOf(d.file) === service);
      const decls = near.length > 0 ? near : named;
      // Only the declarations used count: the service's own folder's, or (none there) all of them.
      this.dep(near.length > 0 ? 's:' + impl.service + '\0' + service : 's:' + impl.service);
      for (const { m, file } of this.implMethods(f, impl)) {
        const matches = decls.flatMap((d) => d.rpcs.filter((r) => loose(r.name) === loose(m.name)).map((r) => ({ d, r })));
        const fn = this.functionsOf(file)?.get(impl.container + '.' + m.name);
        // A method only declared in the class (no body: a C++ header) points at its definition, here or in another file.
        const def = m.loc.endLine !== undefined ? undefined : fn ? { file, fn } : this.member(f.language, impl.container)?.get(m.name)?.[0];
        for (const { d, r } of matches) {
          const route = `/${d.pkg ? d.pkg + '.' : ''}${impl.service}/${r.name}`;
          implemented.add(route);
          push(
            2,
            {
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
              service: this.project.serviceRootOf(file),
            },
            route + '\0' + file + '\0' + m.loc.line,
          );
        }
      }
    }
    return { out, implemented: implemented.size > 0 ? implemented : NO_ROUTES, deps: this.end(before) };
  }
}
