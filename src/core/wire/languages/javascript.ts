/**
 * JavaScript and TypeScript: one extractor for both (javascript/*.ts). Express, Koa, Fastify, Hono, NestJS,
 * Next.js route files, Node gRPC (@grpc/grpc-js), serverless handlers; ESM and CommonJS modules.
 */
import type { FileFacts } from '../facts';
import type { ExtractInput, LanguageSupport } from '../language';
import { JsFile } from './javascript/context';
import { readEntries, readErrors } from './javascript/errors';
import { readRouterCalls } from './javascript/frameworks';
import { readGrpc } from './javascript/grpc';
import { readExports, readImports, resolveJsModule } from './javascript/modules';
import { readGlobalPrefixes, readNest } from './javascript/nest';
import { readNext } from './javascript/next';
import { readRouters } from './javascript/routers';

/** Substrings of files that can register routes, mount routers, implement gRPC or open a listener. */
const HINTS = ['.use(', '.route(', '.register(', '.listen(', 'addService', 'bindAsync', 'NestFactory', '@Controller', '@Grpc', 'setGlobalPrefix', "'express'", '"express"', 'fastify', 'Router(', 'new Hono', 'serve({'];
/**
 * Route registrations (`x.get('/…'`, `x.post(\`/…`, `router[method](`), serverless handler exports and handler
 * signatures (`(req, res`, `(request, reply`, `(ctx)`, `(ctx, next`, `(c) =>`, `(c: Context`, `(call, callback`).
 */
const ROUTE_OR_HANDLER =
  /\.(?:get|post|put|patch|delete|del|all|options|head|on)\s*(?:<[^>]*>)?\(\s*(?:['"`][/*:$]|\[\s*['"`]\/)|(?:router|app|server|api)\[[\w.]+\]\(|exports\.handler\b|export\s+(?:const|let|async\s+function|function)\s+handler\b|\(\s*(?:req|request)\b[^)]*\b(?:res|response|reply)\b|\(\s*ctx\s*[,)]|\(\s*c\s*(?::\s*Context\b[^)]*)?\)\s*=>|\(\s*call\b[^)]*\b(?:callback|cb)\b/;
/**
 * Barrel files that export routers again: `export { default as items } from './items'`, `module.exports = { a:
 * require('./a') }`, `module.exports = require('./app')` (Ghost's web/members/index.js).
 */
const REEXPORT = /export\s*(?:\*|\{[^}]*\})\s*from\s|module\.exports\s*=\s*(?:\{[^}]*)?require\(|exports\.\w+\s*=\s*require\(/;
/** Next.js route files, by their place. */
const NEXT_FILE = /(?:^|\/)(?:app\/(?:[^/]+\/)*route|pages\/api\/.*)\.[cm]?[jt]sx?$/;

function interesting(text: string, file: string): boolean {
  if (NEXT_FILE.test(file)) return true;
  for (const h of HINTS) if (text.includes(h)) return true;
  return ROUTE_OR_HANDLER.test(text) || REEXPORT.test(text);
}

function extract(input: ExtractInput, language: 'javascript' | 'typescript'): FileFacts {
  const js = new JsFile(input, language);
  try {
    readImports(js);
    readRouters(js);
    readNest(js);
    readGlobalPrefixes(js);
    readRouterCalls(js);
    readNext(js);
    readGrpc(js);
    readExports(js);
    readEntries(js);
    readErrors(js);
  } catch (e) {
    js.warn(input.root, `Could not read all of the file: ${(e as Error).message}`);
  }
  js.facts.functions.push(...js.functionFacts());
  return js.facts;
}

/** JavaScript: .js .mjs .cjs .jsx (CommonJS and ESM). */
export const javascriptSupport: LanguageSupport = {
  language: 'javascript',
  extensions: ['.js', '.mjs', '.cjs', '.jsx'],
  grammar: () => 'javascript',
  interesting,
  extract: (input) => extract(input, 'javascript'),
  resolveModule: resolveJsModule,
};

/** TypeScript: .ts .mts .cts with the typescript grammar, .tsx with tsx. */
export const typescriptSupport: LanguageSupport = {
  language: 'typescript',
  extensions: ['.ts', '.tsx', '.mts', '.cts'],
  grammar: (f) => (f.toLowerCase().endsWith('.tsx') ? 'tsx' : 'typescript'),
  interesting,
  extract: (input) => extract(input, 'typescript'),
  resolveModule: resolveJsModule,
};
