/**
 * Rust module paths: `use` declarations and `mod x;` read into bindings, and `crate::a::b`, `self::x`,
 * `super::x`, `x::y` resolved to the files that hold those modules (`a/b.rs` or `a/b/mod.rs`, from the crate's
 * `src/` folder or the current file's own module folder).
 */
import type { Node } from '../../node';
import type { ProjectView } from '../../language';
import { dirOf } from '../../paths';

/** A name bound by a `use` or `mod` declaration, with the full path it stands for (`articles` → `crate::routes::articles`). */
export interface UseBinding {
  readonly local: string;
  readonly path: string;
}

/** What one `use` declaration binds; globs (`use super::*`) come back with local `*`. */
export function readUse(decl: Node): UseBinding[] {
  const out: UseBinding[] = [];
  const arg = decl.childForFieldName('argument');
  if (arg) collectUse(arg, '', out);
  return out;
}

function collectUse(node: Node, prefix: string, out: UseBinding[]): void {
  const join = (a: string, b: string): string => (a === '' ? b : b === '' ? a : a + '::' + b);
  switch (node.type) {
    case 'identifier':
    case 'crate':
    case 'super':
    case 'self':
    case 'scoped_identifier': {
      const path = join(prefix, node.text.replace(/\s+/g, ''));
      if (node.type === 'self') out.push({ local: lastSegment(prefix), path: prefix });
      else out.push({ local: lastSegment(path), path });
      return;
    }
    case 'use_as_clause': {
      const p = node.childForFieldName('path');
      const alias = node.childForFieldName('alias');
      if (p && alias && alias.text !== '_') out.push({ local: alias.text, path: join(prefix, p.text.replace(/\s+/g, '')) });
      return;
    }
    case 'use_wildcard': {
      const p = node.namedChildren.find((c) => c !== null && c.type !== 'line_comment' && c.type !== 'block_comment');
      out.push({ local: '*', path: join(prefix, p ? p.text.replace(/\s+/g, '') : '') });
      return;
    }
    case 'scoped_use_list': {
      const p = node.childForFieldName('path');
      const list = node.childForFieldName('list');
      if (list) collectUse(list, join(prefix, p ? p.text.replace(/\s+/g, '') : ''), out);
      return;
    }
    case 'use_list':
      for (const c of node.namedChildren) if (c) collectUse(c, prefix, out);
      return;
    default:
      return;
  }
}

/** `crate::routes::articles` → `articles`. */
export function lastSegment(path: string): string {
  const i = path.lastIndexOf('::');
  return i < 0 ? path : path.slice(i + 2);
}

/** Files that are crate roots or whose child modules live next to them (`main.rs`, `lib.rs`, `mod.rs`, `src/bin/*.rs`). */
function ownsFolder(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (base === 'main.rs' || base === 'lib.rs' || base === 'mod.rs') return true;
  const dir = dirOf(file);
  return /(^|\/)(src\/bin|examples|tests|benches)$/.test(dir);
}

/** The folder that holds a file's child modules: `src/routes/articles.rs` → `src/routes/articles`; `src/routes/mod.rs` → `src/routes`. */
function moduleFolder(file: string): string {
  if (ownsFolder(file)) return dirOf(file);
  return file.slice(0, -'.rs'.length);
}

interface ModuleLoc {
  readonly files: readonly string[];
  readonly folder: string;
}

/** A file's package: its `src/` folder, from the last `src` segment of the path. */
function packageSrc(file: string): string | undefined {
  const parts = file.split('/');
  const i = parts.lastIndexOf('src', parts.length - 2);
  return i < 0 ? undefined : parts.slice(0, i + 1).join('/');
}

/** The library (or main) crate of a package: `src/lib.rs`, `src/main.rs`. */
function libraryOf(src: string, project: ProjectView): ModuleLoc {
  return { files: [src + '/lib.rs', src + '/main.rs'].filter((f) => project.has(f)), folder: src };
}

/** The crate a file belongs to (a binary in `src/bin/` is its own crate root). */
function crateOf(file: string, project: ProjectView): ModuleLoc | undefined {
  const dir = dirOf(file);
  if (/(^|\/)src\/bin$/.test(dir)) return { files: [file], folder: dir };
  const src = packageSrc(file);
  return src === undefined ? undefined : libraryOf(src, project);
}

/** The module files of a folder: `a.rs` or `a/mod.rs` (the crate root files when the folder is the crate's `src`). */
function filesOfFolder(folder: string, crate: ModuleLoc | undefined, project: ProjectView): string[] {
  if (crate && folder === crate.folder) return [...crate.files];
  return [folder + '.rs', folder + '/mod.rs'].filter((f) => project.has(f));
}

function child(loc: ModuleLoc, name: string, project: ProjectView): ModuleLoc {
  const folder = loc.folder === '' ? name : loc.folder + '/' + name;
  return { files: [folder + '.rs', folder + '/mod.rs'].filter((f) => project.has(f)), folder };
}

/** The package name as `use` spells it (`my-api` → `my_api`), from the Cargo.toml next to `src/`. */
function packageName(src: string, project: ProjectView): string | undefined {
  const text = project.read(src.includes('/') ? dirOf(src) + '/Cargo.toml' : 'Cargo.toml');
  if (!text) return undefined;
  const pkg = /\[package\][^[]*?\bname\s*=\s*"([^"]+)"/.exec(text);
  return pkg ? (pkg[1] as string).replace(/-/g, '_') : undefined;
}

/**
 * The files a module path names, best first: `crate::routes::articles` → `src/routes/articles.rs` or
 * `src/routes/articles/mod.rs`. A path whose first segment is not `crate`/`self`/`super` is tried as a child
 * of the current module, then of the crate root, then as the crate's own package name; other crates give [].
 */
export function resolveRustModule(fromFile: string, module: string, project: ProjectView): readonly string[] {
  const segs = module.split('::').filter((s) => s !== '');
  if (segs.length === 0) return [];
  const crate = crateOf(fromFile, project);
  const self: ModuleLoc = { files: [fromFile], folder: moduleFolder(fromFile) };
  const parent = (loc: ModuleLoc): ModuleLoc => {
    const folder = dirOf(loc.folder);
    return { files: filesOfFolder(folder, crate, project), folder };
  };
  const walk = (start: ModuleLoc, rest: readonly string[]): readonly string[] => {
    let loc = start;
    for (const s of rest) {
      if (s === 'self') continue;
      loc = s === 'super' ? parent(loc) : child(loc, s, project);
      if (loc.files.length === 0) return [];
    }
    return loc.files;
  };
  const [first, ...rest] = segs as [string, ...string[]];
  if (first === 'crate') return crate ? walk(crate, rest) : [];
  if (first === 'self') return walk(self, rest);
  if (first === 'super') return walk(parent(self), rest);
  const viaSelf = walk(self, segs);
  if (viaSelf.length > 0) return viaSelf;
  if (!crate) return [];
  const viaCrate = walk(crate, segs);
  if (viaCrate.length > 0) return viaCrate;
  // `my_api::routes` from a binary of the package my-api: its library crate.
  const src = packageSrc(fromFile);
  return src !== undefined && packageName(src, project) === first ? walk(libraryOf(src, project), rest) : [];
}
