/**
 * Imports and exports of a JavaScript/TypeScript file (ESM `import`/`export`, CommonJS `require`,
 * `module.exports`, `exports.x`, TypeScript `import x = require()` / `export =`), and how a module specifier
 * maps to workspace files (relative paths with every source extension, folder index files, a TypeScript source
 * for an ESM `./x.js` specifier, tsconfig `baseUrl` / `paths`).
 */
import type { Node } from '../../node';
import type { ProjectView } from '../../language';
import { dirOf, joinPath } from '../../paths';
import { stringValue } from '../../syntax';
import type { JsFile } from './context';
import { isModuleExports, unwrap } from './syntax';

/** `require('x')`, `require('x').member`, `import('x')`: the module and member, else undefined. */
export function requireOf(node: Node): { module: string; member: string | undefined } | undefined {
  let n = unwrap(node);
  let member: string | undefined;
  if (n.type === 'member_expression') {
    member = n.childForFieldName('property')?.text;
    n = unwrap(n.childForFieldName('object') ?? n);
  }
  if (n.type !== 'call_expression') return undefined;
  const callee = n.childForFieldName('function');
  if (!callee || (callee.type !== 'import' && !(callee.type === 'identifier' && callee.text === 'require'))) return undefined;
  const module = stringValue(n.childForFieldName('arguments')?.namedChild(0));
  return module === undefined ? undefined : { module, member: member === 'default' ? undefined : member };
}

/** An inline `require('./x')` / `import('./x')` becomes an import binding named after the call. */
export function inlineImport(js: JsFile, node: Node): { binding: string; member: string | undefined } | undefined {
  const r = requireOf(node);
  if (!r) return undefined;
  const binding = `require(${r.module})`;
  js.addImport(binding, r.module, 'default', undefined);
  return { binding, member: r.member };
}

/** Reads every import of the file into ImportFacts and scope bindings. */
export function readImports(js: JsFile): void {
  for (const imp of js.of('import')) {
    const module = stringValue(imp.childForFieldName('source'));
    for (const c of imp.namedChildren) {
      if (!c) continue;
      if (c.type === 'import_require_clause') {
        const id = c.namedChildren.find((x) => x?.type === 'identifier');
        const src = stringValue(c.childForFieldName('source'));
        if (id && src !== undefined) js.addImport(id.text, src, 'default', imp);
        continue;
      }
      if (c.type !== 'import_clause' || module === undefined) continue;
      for (const part of c.namedChildren) {
        if (!part) continue;
        if (part.type === 'identifier') js.addImport(part.text, module, 'default', imp);
        else if (part.type === 'namespace_import') {
          const id = part.namedChildren.find((x) => x?.type === 'identifier');
          if (id) js.addImport(id.text, module, '*', imp);
        } else if (part.type === 'named_imports') {
          for (const spec of part.namedChildren) {
            if (spec?.type !== 'import_specifier') continue;
            const name = spec.childForFieldName('name')?.text;
            const alias = spec.childForFieldName('alias')?.text;
            if (name) js.addImport(alias ?? name, module, name, imp);
          }
        }
      }
    }
  }
  // const x = require('./x'); const { a, b: c } = require('./x'); const r = require('./x').router; await import('./x')
  for (const d of js.of('var')) {
    const value = d.childForFieldName('value');
    const r = value ? requireOf(value) : undefined;
    if (!r) continue;
    const id = d.childForFieldName('name');
    if (id?.type === 'identifier') js.addImport(id.text, r.module, r.member ?? 'default', d);
    else if (id?.type === 'object_pattern') {
      for (const p of id.namedChildren) {
        if (p?.type === 'shorthand_property_identifier_pattern') js.addImport(p.text, r.module, p.text, d);
        else if (p?.type === 'pair_pattern') {
          const key = p.childForFieldName('key')?.text;
          const val = p.childForFieldName('value');
          if (key && val?.type === 'identifier') js.addImport(val.text, r.module, key, d);
        }
      }
    }
  }
}

/** The local router or function name an exported expression denotes (identifiers, functions, wrapped functions). */
function localName(js: JsFile, value: Node, fallback: string): string | undefined {
  const v = unwrap(value);
  if (v.type === 'identifier') {
    const b = js.lookup(v.text, v);
    if (b?.kind === 'var') return js.routerAt.get(b.decl.id) ?? v.text;
    if (b?.kind === 'function') return js.fns.get(b.fn.id)?.name ?? v.text;
    return v.text;
  }
  const fn = js.fns.get(v.id);
  if (fn) return fn.name ?? fallback;
  const created = js.routerAt.get(v.id);
  if (created) return created;
  if (v.type === 'class') return js.classNameOf(v);
  // fp(plugin), withAuth(async (req) => …), serverless(app): the wrapped thing
  if (v.type === 'call_expression' && v.childForFieldName('function')?.type === 'identifier') {
    const args = v.childForFieldName('arguments')?.namedChildren ?? [];
    const first = args[0];
    if (first) return localName(js, first, fallback);
  }
  return undefined;
}

/** Reads `export …`, `module.exports = …`, `exports.x = …` and `export = x` into the exports map. */
export function readExports(js: JsFile): void {
  const ex = js.facts.exports;
  const set = (name: string, local: string | undefined): void => {
    if (local !== undefined && ex[name] === undefined) ex[name] = local;
  };
  for (const e of js.of('export')) {
    const source = stringValue(e.childForFieldName('source'));
    const isDefault = e.children.some((c) => c?.type === 'default');
    const decl = e.childForFieldName('declaration');
    if (decl) {
      if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
        for (const d of decl.namedChildren) {
          const id = d?.type === 'variable_declarator' ? d.childForFieldName('name') : undefined;
          if (d && id?.type === 'identifier') set(id.text, js.routerAt.get(d.id) ?? id.text);
        }
      } else {
        const name = js.fns.get(decl.id)?.name ?? decl.childForFieldName('name')?.text;
        if (name) {
          set(name, name);
          if (isDefault) set('default', name);
        }
      }
      continue;
    }
    const value = e.childForFieldName('value') ?? (e.namedChildren.find((c) => c?.type === 'identifier') || undefined);
    if (value) {
      set('default', localName(js, value, 'default'));
      continue;
    }
    const clause = e.namedChildren.find((c) => c?.type === 'export_clause');
    for (const spec of clause?.namedChildren ?? []) {
      if (spec?.type !== 'export_specifier') continue;
      const name = spec.childForFieldName('name')?.text;
      const alias = spec.childForFieldName('alias')?.text ?? name;
      if (!name || !alias) continue;
      if (source !== undefined) {
        // export { default as articles } from './articles': an import that is exported again
        js.addImport(alias, source, name, undefined);
        set(alias, alias);
      } else {
        const local = js.lookup(name, e);
        set(alias, local?.kind === 'var' ? (js.routerAt.get(local.decl.id) ?? name) : name);
      }
    }
  }
  for (const a of js.of('assign')) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || !right) continue;
    if (isModuleExports(left)) {
      const r = unwrap(right);
      if (r.type === 'object') {
        for (const p of r.namedChildren) {
          if (p?.type === 'shorthand_property_identifier') set(p.text, localName(js, p, p.text) ?? p.text);
          else if (p?.type === 'pair') {
            const key = p.childForFieldName('key')?.text;
            const val = p.childForFieldName('value');
            if (key && val) set(key, localName(js, val, key));
          } else if (p?.type === 'method_definition') {
            const key = p.childForFieldName('name')?.text;
            if (key) set(key, key);
          }
        }
      } else if (requireOf(r)) {
        // `module.exports = require('./app')` (Ghost's web/members/index.js): the other module's export, again
        const inline = inlineImport(js, r);
        if (inline && inline.member === undefined) set('default', inline.binding);
      } else set('default', localName(js, right, 'default'));
      continue;
    }
    if (left.type === 'member_expression') {
      const obj = left.childForFieldName('object');
      const prop = left.childForFieldName('property')?.text;
      if (obj && prop && (obj.text === 'exports' || isModuleExports(obj))) set(prop, localName(js, right, prop));
    }
  }
}

// ---- module resolution ----

const SOURCE_EXTS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
/** ESM TypeScript imports name the emitted file: `./x.js` is `./x.ts` in the source tree. */
const EMITTED: Readonly<Record<string, readonly string[]>> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/** The files a module specifier names, best first; empty for a package outside the workspace. */
export function resolveJsModule(fromFile: string, module: string, project: ProjectView): readonly string[] {
  if (module.startsWith('./') || module.startsWith('../') || module === '.' || module === '..') return candidates(joinPath(dirOf(fromFile), module), project);
  if (module.startsWith('/') || /^[a-z]+:/.test(module)) return [];
  for (const base of aliasBases(fromFile, module, project)) {
    const found = candidates(base, project);
    if (found.length > 0) return found;
  }
  return [];
}

function candidates(base: string, project: ProjectView): string[] {
  if (base.startsWith('\0')) return [];
  const out: string[] = [];
  const add = (f: string): void => {
    if (!out.includes(f) && project.has(f)) out.push(f);
  };
  const dot = base.lastIndexOf('.');
  const ext = dot > base.lastIndexOf('/') ? base.slice(dot) : '';
  const emitted = EMITTED[ext];
  if (emitted) for (const e of emitted) add(base.slice(0, -ext.length) + e);
  if (ext && SOURCE_EXTS.includes(ext)) add(base);
  if (out.length > 0) return out;
  for (const e of SOURCE_EXTS) add(base + e);
  if (out.length > 0) return out;
  for (const e of SOURCE_EXTS) add((base === '' ? '' : base + '/') + 'index' + e);
  return out;
}

interface TsPaths {
  readonly baseUrl: string | undefined;
  readonly paths: readonly { readonly prefix: string; readonly suffix: string; readonly wildcard: boolean; readonly targets: readonly string[] }[];
}
const tsconfigCache = new Map<string, { text: string | undefined; paths: TsPaths | undefined }>();

/** Where a non-relative specifier may live by the nearest tsconfig/jsconfig `baseUrl` and `paths` of its service. */
function aliasBases(fromFile: string, module: string, project: ProjectView): string[] {
  const root = project.serviceRootOf(fromFile);
  const out: string[] = [];
  for (const name of ['tsconfig.json', 'jsconfig.json']) {
    const file = root === '' ? name : `${root}/${name}`;
    const text = project.read(file);
    let cached = tsconfigCache.get(file);
    if (!cached || cached.text !== text) tsconfigCache.set(file, (cached = { text, paths: text === undefined ? undefined : parseTsPaths(text) }));
    const cfg = cached.paths;
    if (!cfg) continue;
    const base = joinPath(root, cfg.baseUrl ?? '.');
    for (const p of cfg.paths) {
      if (p.wildcard ? !(module.startsWith(p.prefix) && module.endsWith(p.suffix) && module.length >= p.prefix.length + p.suffix.length) : module !== p.prefix) continue;
      const star = p.wildcard ? module.slice(p.prefix.length, module.length - p.suffix.length) : '';
      for (const t of p.targets) out.push(joinPath(base, t.replace('*', star)));
    }
    if (cfg.baseUrl !== undefined) out.push(joinPath(base, module));
  }
  return out;
}

/** `compilerOptions.baseUrl` and `paths` of a tsconfig (JSON with comments and trailing commas). */
export function parseTsPaths(text: string): TsPaths | undefined {
  let json: unknown;
  try {
    json = JSON.parse(stripJsonComments(text));
  } catch {
    return undefined;
  }
  const opts = (json as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | null)?.compilerOptions;
  if (!opts) return undefined;
  const baseUrl = typeof opts.baseUrl === 'string' ? opts.baseUrl : undefined;
  const paths: TsPaths['paths'][number][] = [];
  if (opts.paths && typeof opts.paths === 'object') {
    for (const [pattern, targets] of Object.entries(opts.paths as Record<string, unknown>)) {
      if (!Array.isArray(targets)) continue;
      const star = pattern.indexOf('*');
      paths.push({ prefix: star < 0 ? pattern : pattern.slice(0, star), suffix: star < 0 ? '' : pattern.slice(star + 1), wildcard: star >= 0, targets: targets.filter((t): t is string => typeof t === 'string') });
    }
  }
  return { baseUrl: baseUrl ?? (paths.length > 0 ? '.' : undefined), paths };
}

/** Drops // and /* comments outside strings, and trailing commas. */
function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
