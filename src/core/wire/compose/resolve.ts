/**
 * Where a Ref points: names defined in a file, imports through each language's module resolution (followed through
 * re-exports), a package's sibling files, top-level names of any file, class members; every read recorded.
 */
import type { FileFacts, Ref } from '../facts';
import type { WireLanguage } from '../model';
import { dirOf } from '../paths';
import { ComposerIndexes } from './indexes';
import { key, type Deps, type Member, type Target } from './structures';

export abstract class ComposerResolve extends ComposerIndexes {
  private definesName(file: string, name: string): string | undefined {
    const f = this.factsOf(file);
    if (!f) return undefined;
    if (this.routers.has(key(file, name)) || this.functionsByFile.get(file)?.has(name)) return name;
    const exported = f.exports[name];
    if (exported !== undefined) return exported;
    return undefined;
  }

  /**
   * Module resolutions of the compose pass running, with what each read (a routes file of 240 routes asks for the
   * same `require('./handlers')` 240 times, each probing a dozen candidate files). The project does not change
   * during a pass; beginPass() empties it.
   */
  private readonly modules = new Map<string, { targets: readonly string[]; files: readonly string[]; keys: readonly string[]; givenTo: Deps | undefined }>();

  /** Starts a compose pass (full or incremental): what the project answered before may have changed. */
  protected beginPass(): void {
    this.modules.clear();
  }

  private resolveModule(from: FileFacts, module: string): readonly string[] {
    const s = this.supports.get(from.language);
    if (!s?.resolveModule) return [];
    const k = from.file + '\0' + module;
    let hit = this.modules.get(k);
    if (!hit) {
      // Record everything it reads (its own file too: whichever unit asks next filters that), then keep it.
      const outer = { deps: this.deps, self: this.self };
      this.deps = { files: undefined, keys: undefined };
      this.self = '';
      let targets: readonly string[];
      try {
        targets = s.resolveModule(from.file, module, this.tracked);
      } finally {
        const read = this.deps;
        this.deps = outer.deps;
        this.self = outer.self;
        hit = { targets: [], files: [...(read.files ?? [])], keys: [...(read.keys ?? [])], givenTo: undefined };
      }
      hit.targets = targets;
      this.modules.set(k, hit);
    }
    // What it read is read by the unit asking (once per unit).
    if (this.deps && hit.givenTo !== this.deps) {
      hit.givenTo = this.deps;
      for (const f of hit.files) this.depFile(f);
      for (const key of hit.keys) this.dep(key);
    }
    return hit.targets;
  }

  private globalFiles(language: WireLanguage, name: string): readonly string[] {
    this.dep('g:' + language + '\0' + name);
    return this.globals.get(language)?.get(name) ?? [];
  }

  protected member(language: WireLanguage, container: string): ReadonlyMap<string, readonly Member[]> | undefined {
    this.dep('m:' + language + '\0' + container);
    return this.members.get(language)?.get(container);
  }

  /** Where a Ref points: router or function names in some files. */
  protected resolve(file: string, ref: Ref, depth = 0): Target[] {
    const f = this.factsOf(file);
    if (!f) return [];
    switch (ref.kind) {
      case 'local':
        return [{ file, name: ref.name }];
      case 'package': {
        const here = this.definesName(file, ref.name);
        if (here !== undefined) return [{ file, name: here }];
        if (!this.supports.get(f.language)?.packageIsFolder) return [];
        const out: Target[] = [];
        for (const sib of this.tracked.filesIn(dirOf(file))) {
          if (sib === file) continue;
          const n = this.definesName(sib, ref.name);
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
          const sup = this.supports.get(f.language);
          if (imp.name !== '*' && sup?.submodule) {
            const sub = sup.submodule(imp.module, imp.name);
            if (this.resolveModule(f, sub).length > 0) {
              module = sub;
              symbol = '*';
            }
          }
          if (symbol === '*') symbol = ref.member;
          else if (ref.member !== undefined) symbol = symbol + '.' + ref.member;
          if (symbol === undefined) continue;
          for (const target of this.resolveModule(f, module)) {
            const n = this.definesName(target, symbol) ?? (symbol.includes('.') ? this.definesName(target, symbol.slice(symbol.lastIndexOf('.') + 1)) : undefined);
            if (n === undefined) continue;
            // A name the target itself imports and exports again (`export { default as x } from './x'`, `module.exports = { router }`): follow it.
            const reexported = depth < 4 && !this.routers.has(key(target, n)) && !this.functionsByFile.get(target)?.has(n) && this.facts.get(target)?.imports.some((i) => i.local === n);
            if (reexported) out.push(...this.resolve(target, { kind: 'import', binding: n }, depth + 1));
            else out.push({ file: target, name: n });
          }
        }
        return out;
      }
      case 'global': {
        const out: Target[] = [];
        for (const g of this.globalFiles(f.language, ref.name)) {
          const n = this.definesName(g, ref.name);
          if (n !== undefined) out.push({ file: g, name: n });
        }
        return out;
      }
    }
  }

  /** A router target, or a function mounted as a plugin whose first parameter is a router (`fastify.register(plugin)` → `plugin(fastify)`). */
  protected routerKeyOf(t: Target): string | undefined {
    if (this.routerHas(t.file, t.name)) return key(t.file, t.name);
    const fn = this.functionsOf(t.file)?.get(t.name);
    const param = fn?.params[0];
    if (!fn || param === undefined) return undefined;
    const pname = `${fn.container ? fn.container + '.' + fn.name : fn.name}(${param})`;
    return this.routers.has(key(t.file, pname)) ? key(t.file, pname) : undefined;
  }
}
