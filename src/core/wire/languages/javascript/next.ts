/**
 * Next.js file-based API routes. App router: `app/**\/route.ts` exporting `GET`, `POST`, … (`[slug]`,
 * `[...slug]`, `[[...slug]]`, `(group)` segments); pages router: `pages/api/**` whose default export handles
 * every method. The app/ or pages/ folder sits at the service root or under src/.
 */
import type { Node } from '../../node';
import type { HandlerRef } from '../../facts';
import { locOf, stringValue } from '../../syntax';
import type { JsFile } from './context';
import { handlerOf } from './handlers';

const HTTP_EXPORTS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const APP_ROUTE = /^(?:src\/)?app\/((?:[^/]+\/)*)route\.(?:[cm]?[jt]sx?)$/;
const PAGES_API = /^(?:src\/)?pages\/(api(?:\/[^/]+)*?)(?:\/index)?\.(?:[cm]?[jt]sx?)$/;

/** The route a file stands for by its place under app/ or pages/api/, relative to the service root. */
export function nextRouteOf(file: string, serviceRoot: string): { kind: 'app' | 'pages'; path: string } | undefined {
  const rel = serviceRoot === '' ? file : file.startsWith(serviceRoot + '/') ? file.slice(serviceRoot.length + 1) : undefined;
  if (rel === undefined) return undefined;
  const app = APP_ROUTE.exec(rel);
  if (app) return { kind: 'app', path: '/' + (app[1] ?? '').replace(/\/$/, '') };
  const pages = PAGES_API.exec(rel);
  if (pages) return { kind: 'pages', path: '/' + (pages[1] ?? '') };
  return undefined;
}

function usesNext(js: JsFile, root: string): boolean {
  const pkg = js.input.project.read(root === '' ? 'package.json' : `${root}/package.json`);
  return pkg === undefined || pkg.includes('"next"');
}

/** Reads the exported route handlers of a Next.js route file. */
export function readNext(js: JsFile): void {
  const root = js.input.project.serviceRootOf(js.file);
  const route = nextRouteOf(js.file, root);
  if (!route || !usesNext(js, root)) return;
  const add = (method: string, handler: HandlerRef | undefined, at: Node): void => {
    js.facts.routes.push({ method, path: route.path, style: 'next', handler, framework: 'nextjs', loc: locOf(at) });
  };
  for (const e of js.of('export')) {
    if (e.parent?.id !== js.root.id) continue;
    const isDefault = e.children.some((c) => c?.type === 'default');
    const decl = e.childForFieldName('declaration');
    const value = e.childForFieldName('value');
    if (route.kind === 'pages') {
      if (!isDefault) continue;
      const target = decl ?? value;
      if (target) add('ANY', handlerOf(js, target), target);
      continue;
    }
    if (decl?.type === 'function_declaration') {
      const name = decl.childForFieldName('name')?.text;
      if (name && HTTP_EXPORTS.has(name)) add(name, handlerOf(js, decl), decl);
    } else if (decl?.type === 'lexical_declaration' || decl?.type === 'variable_declaration') {
      for (const d of decl.namedChildren) {
        const name = d?.type === 'variable_declarator' ? d.childForFieldName('name')?.text : undefined;
        const v = d?.childForFieldName('value');
        if (d && name && v && HTTP_EXPORTS.has(name)) add(name, handlerOf(js, v), d);
      }
    } else {
      const source = stringValue(e.childForFieldName('source'));
      const clause = e.namedChildren.find((c) => c?.type === 'export_clause');
      for (const spec of clause?.namedChildren ?? []) {
        const name = spec?.childForFieldName('name');
        const alias = spec?.childForFieldName('alias')?.text ?? name?.text;
        if (!spec || !name || !alias || !HTTP_EXPORTS.has(alias)) continue;
        const handler: HandlerRef | undefined = source === undefined ? handlerOf(js, name) : { kind: 'ref', ref: { kind: 'import', binding: alias }, display: alias };
        add(alias, handler, spec);
      }
    }
  }
}
