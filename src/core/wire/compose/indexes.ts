/**
 * The composer's base layer: the indexes over every file's facts (routers, functions, class members, top-level
 * names, global prefixes, proto services, declared RPCs, the mount edges into each router), kept up to date file by
 * file (a file's contribution is put in and taken out again), and the recording of what the unit being composed
 * reads (other files, and the keys named at the top of compose.ts).
 *
 * The composer is one class built in layers, one module each, each extending the one before:
 * indexes → resolve (Refs) → mounts (edges, prefix chains) → records → buckets (map order, shadowing) → WireComposer
 * (compose.ts: units, invalidation, the incremental pass).
 */
import type { FileFacts, FunctionFact, RouterFact } from '../facts';
import type { LanguageSupport, ProjectView } from '../language';
import type { WireLanguage } from '../model';
import { normalizePath } from '../routes';
import { type Contribution, type Deps, type Edge, key, type Member } from './structures';

const NO_DEPS: Deps = Object.freeze({ files: undefined, keys: undefined }) as Deps;
const NO_PREFIXES: Map<string, string> = new Map();

export abstract class ComposerIndexes {
  protected facts: ReadonlyMap<string, FileFacts> = new Map();
  /** Facts order (the order of the facts map, which is the order of a full pass). */
  protected readonly seq = new Map<string, number>();
  protected nextSeq = 0;

  // Indexes over all facts, kept up to date file by file.
  protected readonly routers = new Map<string, RouterFact & { file: string }>();
  protected readonly functionsByFile = new Map<string, Map<string, FunctionFact>>();
  /** language → container → name → the files defining it, in facts order (the first wins). */
  protected readonly members = new Map<WireLanguage, Map<string, Map<string, Member[]>>>();
  /** language → top-level name → the files that may define it, in facts order. */
  protected readonly globals = new Map<WireLanguage, Map<string, string[]>>();
  /** service root + framework → file → prefix (the last file in facts order wins). */
  protected readonly prefixContrib = new Map<string, Map<string, string>>();
  protected readonly globalPrefix = new Map<string, string>();
  /** proto service name → declarations in facts order. */
  protected readonly services = new Map<string, { file: string; seq: number; idx: number; pkg: string; rpcs: FileFacts['grpcServices'][number]['rpcs'] }[]>();
  /** gRPC route → the files declaring it. */
  protected readonly declaredBy = new Map<string, Set<string>>();
  protected readonly contributions = new Map<string, Contribution>();
  /** child router key → file → that file's edges into it. */
  protected readonly edgesByChild = new Map<string, Map<string, Edge[]>>();
  protected readonly parentsCache = new Map<string, Edge[]>();

  /** What the unit being composed reads (undefined: nothing is being recorded), and its own file (not recorded). */
  protected deps: Deps | undefined;
  protected self = '';

  /** The project as the resolvers see it, recording which files and folders a unit asked about. */
  protected readonly tracked: ProjectView;

  constructor(
    protected readonly project: ProjectView,
    protected readonly supports: ReadonlyMap<WireLanguage, LanguageSupport>,
  ) {
    this.tracked = {
      has: (file) => (this.depFile(file), project.has(file)),
      filesIn: (dir) => (this.dep('d:' + dir), project.filesIn(dir)),
      read: (file) => (this.depFile(file), project.read(file)),
      // Service roots: a change of them composes everything again (see update()).
      serviceRootOf: (file) => project.serviceRootOf(file),
    };
  }

  /**
   * Puts a file's facts into the indexes; the keys whose answer changes go to `changed`. A top-level name the file
   * defined before too (`previous`) changes no list of files: whoever looked it up depends on this file's facts.
   */
  protected addContribution(f: FileFacts, changed?: Set<string>, previous?: Contribution): void {
    const file = f.file;
    const seq = this.seq.get(file) as number;
    const routerKeys: string[] = [];
    for (const r of f.routers) {
      const k = key(file, r.name);
      this.routers.set(k, { ...r, file });
      routerKeys.push(k);
    }
    const fns = new Map<string, FunctionFact>();
    const members: { container: string; name: string; fn: FunctionFact; pos: number }[] = [];
    const seenMember = new Set<string>();
    for (const fn of f.functions) {
      const qualified = fn.container ? fn.container + '.' + fn.name : fn.name;
      if (!fns.has(qualified)) fns.set(qualified, fn);
      if (!fns.has(fn.name)) fns.set(fn.name, fn);
      if (fn.container && !seenMember.has(qualified)) {
        seenMember.add(qualified);
        members.push({ container: fn.container, name: fn.name, fn, pos: members.length });
      }
    }
    this.functionsByFile.set(file, fns);
    // Members: a class's methods by name, the first file in facts order wins.
    let byLang = this.members.get(f.language);
    if (!byLang) this.members.set(f.language, (byLang = new Map()));
    for (const m of members) {
      let byContainer = byLang.get(m.container);
      if (!byContainer) byLang.set(m.container, (byContainer = new Map()));
      let list = byContainer.get(m.name);
      if (!list) byContainer.set(m.name, (list = []));
      const i = this.insertAt(list, seq, (x) => x.file);
      list.splice(i, 0, { file, fn: m.fn, pos: m.pos });
      if (i === 0) changed?.add('m:' + f.language + '\0' + m.container);
    }
    // Top-level names.
    const names = new Set<string>([...f.routers.map((r) => r.name), ...Object.keys(f.exports)]);
    for (const fn of f.functions) {
      names.add(fn.name);
      if (fn.container) names.add(fn.container + '.' + fn.name);
    }
    let globals = this.globals.get(f.language);
    if (!globals) this.globals.set(f.language, (globals = new Map()));
    for (const n of names) {
      let list = globals.get(n);
      if (!list) globals.set(n, (list = []));
      list.splice(this.insertAt(list, seq, (x) => x), 0, file);
      if (!previous?.globalNames.has(n)) changed?.add('g:' + f.language + '\0' + n);
    }
    if (previous) for (const n of previous.globalNames) if (!names.has(n)) changed?.add('g:' + previous.language + '\0' + n);
    // Global prefixes: the last one of a file, the last file in facts order.
    const prefixes = f.globalPrefixes.length === 0 ? NO_PREFIXES : new Map<string, string>();
    for (const g of f.globalPrefixes) prefixes.set(this.project.serviceRootOf(file) + '\0' + g.framework, normalizePath(g.prefix, 'brace'));
    for (const [k, v] of prefixes) {
      let byFile = this.prefixContrib.get(k);
      if (!byFile) this.prefixContrib.set(k, (byFile = new Map()));
      byFile.set(file, v);
      this.refreshPrefix(k, changed);
    }
    // Proto services and the routes they declare.
    const services: string[] = [];
    const declaredRoutes: string[] = [];
    f.grpcServices.forEach((s, idx) => {
      let list = this.services.get(s.service);
      if (!list) this.services.set(s.service, (list = []));
      const decl = { file, seq, idx, pkg: s.package, rpcs: s.rpcs };
      let i = list.length;
      while (i > 0 && ((list[i - 1] as typeof decl).seq > seq || ((list[i - 1] as typeof decl).seq === seq && (list[i - 1] as typeof decl).idx > idx))) i--;
      list.splice(i, 0, decl);
      services.push(s.service);
      changed?.add('s:' + s.service);
      changed?.add('s:' + s.service + '\0' + this.project.serviceRootOf(file));
      for (const r of s.rpcs) {
        const route = `/${s.package ? s.package + '.' : ''}${s.service}/${r.name}`;
        declaredRoutes.push(route);
        let set = this.declaredBy.get(route);
        if (!set) this.declaredBy.set(route, (set = new Set()));
        set.add(file);
      }
    });
    this.contributions.set(file, { language: f.language, routerKeys, globalNames: names, members, prefixes, services, declaredRoutes });
  }

  /** Takes a file's facts out of the indexes (`gone`: the file has no facts now, so its top-level names are gone). */
  protected removeContribution(file: string, c: Contribution, changed: Set<string>, gone: boolean): void {
    for (const k of c.routerKeys) {
      if (this.routers.get(k)?.file === file) this.routers.delete(k);
      if (!this.edgesByChild.has(k)) this.parentsCache.delete(k);
    }
    this.functionsByFile.delete(file);
    const byLang = this.members.get(c.language);
    for (const m of c.members) {
      const byContainer = byLang?.get(m.container);
      const list = byContainer?.get(m.name);
      if (!byContainer || !list) continue;
      const i = list.findIndex((x) => x.file === file);
      if (i < 0) continue;
      list.splice(i, 1);
      if (i === 0) changed.add('m:' + c.language + '\0' + m.container);
      if (list.length === 0) byContainer.delete(m.name);
      if (byContainer.size === 0) byLang?.delete(m.container);
    }
    const globals = this.globals.get(c.language);
    for (const n of c.globalNames) {
      const list = globals?.get(n);
      if (!list) continue;
      const i = list.indexOf(file);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) globals?.delete(n);
      if (gone) changed.add('g:' + c.language + '\0' + n);
    }
    for (const k of c.prefixes.keys()) {
      const byFile = this.prefixContrib.get(k);
      byFile?.delete(file);
      if (byFile?.size === 0) this.prefixContrib.delete(k);
      this.refreshPrefix(k, changed);
    }
    for (const s of new Set(c.services)) {
      const list = this.services.get(s);
      if (!list) continue;
      const kept = list.filter((d) => d.file !== file);
      if (kept.length > 0) this.services.set(s, kept);
      else this.services.delete(s);
      changed.add('s:' + s);
      changed.add('s:' + s + '\0' + this.project.serviceRootOf(file));
    }
    for (const route of c.declaredRoutes) {
      const set = this.declaredBy.get(route);
      set?.delete(file);
      if (set?.size === 0) this.declaredBy.delete(route);
    }
    this.contributions.delete(file);
  }

  /** Where in a list ordered by facts order an item of sequence `seq` goes. */
  private insertAt<T>(list: readonly T[], seq: number, fileOf: (x: T) => string): number {
    const last = list[list.length - 1];
    if (last === undefined || (this.seq.get(fileOf(last)) ?? -1) < seq) return list.length;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.seq.get(fileOf(list[mid] as T)) ?? -1) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private refreshPrefix(k: string, changed: Set<string> | undefined): void {
    let best: string | undefined;
    let bestSeq = -1;
    for (const [file, v] of this.prefixContrib.get(k) ?? []) {
      const s = this.seq.get(file) ?? -1;
      if (s > bestSeq) {
        bestSeq = s;
        best = v;
      }
    }
    if (this.globalPrefix.get(k) === best) return;
    if (best === undefined) this.globalPrefix.delete(k);
    else this.globalPrefix.set(k, best);
    changed?.add('p:' + k);
  }

  protected declaredFiles(): Set<string> {
    const out = new Set<string>();
    for (const files of this.declaredBy.values()) for (const f of files) out.add(f);
    return out;
  }

  // ---- recording what a unit reads ------------------------------------------------------------------------

  protected dep(k: string): void {
    if (this.deps) (this.deps.keys ??= new Set()).add(k);
  }

  protected depFile(file: string): void {
    if (this.deps && file !== this.self) (this.deps.files ??= new Set()).add(file);
  }

  protected factsOf(file: string): FileFacts | undefined {
    this.depFile(file);
    return this.facts.get(file);
  }

  protected routerHas(file: string, name: string): boolean {
    this.depFile(file);
    return this.routers.has(key(file, name));
  }

  protected functionsOf(file: string): Map<string, FunctionFact> | undefined {
    this.depFile(file);
    return this.functionsByFile.get(file);
  }

  /** Starts recording what `file`'s unit reads; returns what was recorded before (to restore). */
  protected begin(file: string): { deps: Deps | undefined; self: string } {
    const before = { deps: this.deps, self: this.self };
    this.deps = { files: undefined, keys: undefined };
    this.self = file;
    return before;
  }

  protected end(before: { deps: Deps | undefined; self: string }): Deps {
    const deps = this.deps as Deps;
    this.deps = before.deps;
    this.self = before.self;
    return deps.files || deps.keys ? deps : NO_DEPS;
  }
}
