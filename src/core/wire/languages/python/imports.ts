/**
 * Python imports: how `import` statements read, and how a module name maps to workspace files (relative imports,
 * packages with and without `__init__.py`, the package root a top-level name is looked up from).
 */
import type { Node } from '../../node';
import type { ImportFact } from '../../facts';
import type { ProjectView } from '../../language';
import { dirOf } from '../../paths';
import { kids } from './syntax';

// ---- imports and module resolution -------------------------------------------------------------------------

/** The import statements of a file (also those inside functions, as app factories do), as ImportFacts. */
export function readImports(statements: readonly Node[]): ImportFact[] {
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

export const IMPORT_QUERY = '(import_statement) @import (import_from_statement) @import';

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
