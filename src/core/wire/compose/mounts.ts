/**
 * The mount graph and prefix chains: the mount edges one file's mounts and router-passing calls add, a router's
 * edges from every file, and every full prefix a router can be reached by (kept per router across passes, with
 * what each chain read; cycles cut, at most MAX_CHAINS per router).
 */
import type { FileFacts } from '../facts';
import { joinRoute, normalizePath } from '../routes';
import { ComposerResolve } from './resolve';
import { type Deps, type Edge, type EdgeUnit, key, Readers, rootSegment, unknownPrefixSegment } from './structures';

/**
 * Frameworks whose routers (controller classes, route files, url modules) all register into the application's one
 * route table, mounted or not: two of them can shadow each other.
 */
const ONE_TABLE: ReadonlySet<string> = new Set(['spring', 'jax-rs', 'nestjs', 'symfony', 'laravel', 'rails', 'django', 'aspnet']);

/** How many prefix chains one route may expand to (a router mounted in many places): beyond this, the rest are dropped. */
const MAX_CHAINS = 16;
const NO_EDGES: Map<string, Edge[]> = new Map();

export abstract class ComposerMounts extends ComposerResolve {
  /** Prefix chains per router key, kept across passes, with what each read. */
  protected readonly chainCache = new Map<string, { list: string[]; deps: Deps }>();
  protected readonly chainReaders = new Readers();
  /** A pass met a mount cycle (set while composing). */
  protected sawCycle = false;

  /** The mount edges one file's mounts and calls add. */
  protected composeEdges(f: FileFacts): EdgeUnit {
    const before = this.begin(f.file);
    const edges = new Map<string, Edge[]>();
    const addEdge = (child: string, edge: Edge): void => {
      let list = edges.get(child);
      if (!list) edges.set(child, (list = []));
      if (!list.some((e) => e.parent === edge.parent && e.prefix === edge.prefix && e.replacesOwn === edge.replacesOwn)) list.push(edge);
    };
    for (const m of f.mounts) {
      const prefix = m.unknownPrefix ? unknownPrefixSegment(f.file, m.loc.line, m.loc.column) : m.prefix === '' ? '' : normalizePath(m.prefix, m.style);
      for (const c of this.resolve(f.file, m.child)) {
        const ck = this.routerKeyOf(c);
        if (!ck) continue;
        for (const p of this.resolve(f.file, m.parent)) {
          const pk = key(p.file, p.name);
          if (pk !== ck && this.routerHas(p.file, p.name)) addEdge(ck, { parent: pk, prefix, replacesOwn: m.replacesOwnPrefix });
        }
      }
    }
    // Routers passed to functions: `articles.Register(api)` mounts Register's parameter router `Register(r)` under api.
    for (const call of f.calls) {
      for (const target of this.resolve(f.file, call.callee)) {
        const fn = this.functionsOf(target.file)?.get(target.name);
        if (!fn) continue;
        const fnName = fn.container ? fn.container + '.' + fn.name : fn.name;
        call.args.forEach((arg, i) => {
          const param = fn.params[i];
          if (!arg || param === undefined) return;
          const ck = [key(target.file, `${fnName}(${param})`), key(target.file, `${fn.name}(${param})`)].find((k) => this.routers.has(k));
          if (!ck) return;
          for (const p of this.resolve(f.file, arg)) {
            const pk = key(p.file, p.name);
            if (pk !== ck && this.routerHas(p.file, p.name)) addEdge(ck, { parent: pk, prefix: '' });
          }
        });
      }
    }
    return { edges: edges.size > 0 ? edges : NO_EDGES, deps: this.end(before) };
  }

  /** A router's mount edges from every file, in facts order, without repeats. */
  private parentsOf(rk: string): readonly Edge[] {
    this.dep('e:' + rk);
    let list = this.parentsCache.get(rk);
    if (list) return list;
    list = [];
    const byFile = this.edgesByChild.get(rk);
    if (byFile) {
      const files = [...byFile.keys()].sort((a, b) => (this.seq.get(a) ?? 0) - (this.seq.get(b) ?? 0));
      for (const file of files) {
        for (const edge of byFile.get(file) ?? []) {
          if (!list.some((e) => e.parent === edge.parent && e.prefix === edge.prefix && e.replacesOwn === edge.replacesOwn)) list.push(edge);
        }
      }
    }
    this.parentsCache.set(rk, list);
    return list;
  }

  /**
   * Every full prefix a router can be reached by, from its roots down to (and including) its own prefix. Kept
   * per router across passes; the caller is recorded as reading `c:` of the router.
   */
  protected chains(rk: string, seen: Set<string>): string[] {
    const cached = this.chainCache.get(rk);
    if (cached) {
      this.dep('c:' + rk);
      return cached.list;
    }
    const before = this.begin('');
    const r = this.routers.get(rk);
    if (r) this.depFile(r.file);
    const own = r?.prefix ? normalizePath(r.prefix, r.style) : '';
    const ups = this.parentsOf(rk);
    let result: string[];
    if (ups.length === 0 || seen.has(rk)) {
      if (ups.length > 0) this.sawCycle = true;
      let g = '';
      if (r) {
        const gk = this.project.serviceRootOf(r.file) + '\0' + r.framework;
        this.dep('p:' + gk);
        g = this.globalPrefix.get(gk) ?? '';
      }
      // A router object that nothing mounts is a server, or is mounted where the scan can't see: its routes shadow
      // only each other (see rootSegment). Not so for controller classes and route files, which all feed one table.
      result = [joinRoute(r && !ONE_TABLE.has(r.framework) ? rootSegment(rk) : '', g, own)];
    } else {
      seen.add(rk);
      const set = new Set<string>();
      for (const e of ups) for (const c of this.chains(e.parent, seen)) if (set.size < MAX_CHAINS) set.add(joinRoute(c, e.prefix, e.replacesOwn ? '' : own));
      seen.delete(rk);
      result = [...set];
    }
    const deps = this.end(before);
    this.chainCache.set(rk, { list: result, deps });
    this.chainReaders.add(rk, deps);
    this.dep('c:' + rk);
    return result;
  }
}
