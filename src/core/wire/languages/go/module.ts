/**
 * Go modules: the nearest go.mod above a file (its module path and local `replace` directives), and the
 * workspace folder an import path names.
 */
import type { ProjectView } from '../../language';
import { dirOf, joinPath } from '../../paths';

export interface GoMod {
  /** Folder of the go.mod ('' = the root). */
  readonly dir: string;
  readonly module: string;
  /** `replace example.com/lib => ../lib`: module path → workspace folder. */
  readonly replaces: readonly (readonly [string, string])[];
}

const parsed = new Map<string, Omit<GoMod, 'dir'>>();

/** Reads the `module` line and local `replace` directives of a go.mod text (cached by text). */
function parseGoMod(text: string): Omit<GoMod, 'dir'> {
  let hit = parsed.get(text);
  if (hit) return hit;
  let module = '';
  const replaces: [string, string][] = [];
  let inReplaceBlock = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (inReplaceBlock) {
      if (line === ')') inReplaceBlock = false;
      else addReplace(line, replaces);
      continue;
    }
    if (line.startsWith('module ')) module = line.slice(7).trim().replace(/^"|"$/g, '');
    else if (line === 'replace (') inReplaceBlock = true;
    else if (line.startsWith('replace ')) addReplace(line.slice(8), replaces);
  }
  hit = { module, replaces };
  if (parsed.size > 256) parsed.clear();
  parsed.set(text, hit);
  return hit;
}

function addReplace(spec: string, out: [string, string][]): void {
  const [from, to] = spec.split('=>').map((s) => s.trim().split(/\s+/)[0] ?? '');
  if (from && to && (to.startsWith('./') || to.startsWith('../'))) out.push([from, to]);
}

/** The nearest go.mod at or above a file's folder, or undefined. Only folders that hold a manifest are looked at. */
export function goModOf(file: string, project: ProjectView): GoMod | undefined {
  let dir = project.serviceRootOf(file);
  for (;;) {
    const text = project.read(dir === '' ? 'go.mod' : dir + '/go.mod');
    if (text !== undefined) return { dir, ...parseGoMod(text) };
    if (dir === '') return undefined;
    const parent = dirOf(dir);
    const next = project.serviceRootOf(parent === '' ? '_' : parent + '/_');
    dir = next.length < dir.length ? next : '';
  }
}

/** Whether an import path names a package of the module (or of a module it replaces with a local folder). */
export function inModule(mod: GoMod, importPath: string): boolean {
  const under = (prefix: string): boolean => prefix !== '' && (importPath === prefix || importPath.startsWith(prefix + '/'));
  return under(mod.module) || mod.replaces.some(([from]) => under(from));
}

/** The workspace folder an import path names from `fromFile`, or undefined when it is outside the workspace (standard library, dependencies). */
export function packageFolder(fromFile: string, importPath: string, project: ProjectView): string | undefined {
  const mod = goModOf(fromFile, project);
  if (!mod) return undefined;
  const under = (prefix: string, base: string): string | undefined => {
    if (importPath !== prefix && !importPath.startsWith(prefix + '/')) return undefined;
    const folder = joinPath(base, importPath.slice(prefix.length + 1));
    return folder.startsWith('\0') ? undefined : folder;
  };
  if (mod.module !== '') {
    const own = under(mod.module, mod.dir);
    if (own !== undefined) return own;
  }
  for (const [from, to] of mod.replaces) {
    const base = joinPath(mod.dir, to);
    if (base.startsWith('\0')) continue;
    const hit = under(from, base);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** The .go files (tests aside) of the package an import path names, or none when it is outside the workspace. */
export function packageFiles(fromFile: string, importPath: string, project: ProjectView): string[] {
  const folder = packageFolder(fromFile, importPath, project);
  if (folder === undefined) return [];
  return project
    .filesIn(folder)
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .sort();
}
