/**
 * Ruby: Rails routes (config/routes.rb and the config/routes/*.rb files it draws) with handlers in
 * app/controllers by convention, Sinatra (classic and modular apps, sinatra-contrib namespaces, extensions
 * registered with `register`, apps mounted by `use`, config.ru `map`/`run` and Rails `mount`), gRPC services
 * (`< Pkg::Service::Service`, gruf `bind`), entry points and error exits.
 *
 * This module holds the language support and the file's read (Rails routes, classes, functions); the reader's other
 * layers are ruby/errors.ts, ruby/entries.ts and ruby/sinatra.ts.
 */
import type { Node } from '../node';
import { emptyFacts, type FileFacts, type Loc } from '../facts';
import type { ExtractInput, LanguageSupport } from '../language';
import { locOf } from '../syntax';
import { parseWith, query } from '../treeSitter';
import { blockOf, callArgs, constantName, statements } from './ruby/common';
import { containerOf, params, qualifiedName } from './ruby/names';
import { drawRoutes, type RailsContext, type RailsScope, ROOT_SCOPE } from './ruby/rails';
import { RubySinatra } from './ruby/sinatra';

/** Substrings that mark a file worth parsing: routes, controllers, Rack/Sinatra apps, gRPC servers, entry points. */
const HINTS = [
  'Controller',
  'Sinatra',
  'routes.draw',
  '::Service',
  'GRPC::',
  'Gruf',
  'Rails.application',
  'Rails::Application',
  'run!',
  '__FILE__',
  'event:',
  'Sidekiq',
  'def perform',
  'registered',
  "get '",
  'get "',
  "post '",
  'post "',
  "put '",
  "patch '",
  "delete '",
];

const QUERY = `
(method) @fn
(singleton_method) @fn
(class) @class
(call) @call
((identifier) @bare (#match? @bare "^(raise|fail|abort)$"))
(rescue) @rescue
(rescue_modifier) @rescue_mod
(if condition: (_)) @if
(if_modifier condition: (_)) @if
`;

/** Ruby (.rb, and .ru for Rack's config.ru). */
export const rubySupport: LanguageSupport = {
  language: 'ruby',
  extensions: ['.rb', '.ru'],
  grammar: () => 'ruby',
  interesting(text: string, file: string): boolean {
    if (file.endsWith('.ru') || file.includes('app/controllers/') || /(?:^|\/)config\/routes(?:\.rb$|\/)/.test(file)) return true;
    return HINTS.some((h) => text.includes(h));
  },
  extract(input: ExtractInput): FileFacts {
    const facts = emptyFacts(input.file, 'ruby');
    try {
      new RubyReader(input, facts).read();
    } catch (e) {
      facts.warnings.push({ line: 1, message: `Ruby reader stopped early: ${(e as Error).message}` });
    }
    return facts;
  },
};

/** One file's walk. */
class RubyReader extends RubySinatra {
  read(): void {
    const { root, language, grammar } = this.input;
    const railsRoutes = this.readRails();
    const classes: Node[] = [];
    const calls: { node: Node; name: string }[] = [];
    const fns: { node: Node; calls: Set<string> }[] = [];
    /** The functions open at the current capture (captures come in document order): calls go to the innermost. */
    const open: { node: Node; calls: Set<string> }[] = [];
    const errorish: { node: Node; kind: string }[] = [];
    for (const c of query(language, grammar, QUERY).captures(root)) {
      const node = c.node;
      while (open.length > 0 && (open[open.length - 1] as { node: Node }).node.endIndex <= node.startIndex) open.pop();
      switch (c.name) {
        case 'fn': {
          const fn = { node, calls: new Set<string>() };
          fns.push(fn);
          open.push(fn);
          break;
        }
        case 'class':
          classes.push(node);
          break;
        case 'call': {
          const name = node.childForFieldName('method')?.text ?? '';
          calls.push({ node, name });
          open[open.length - 1]?.calls.add(name);
          break;
        }
        case 'if':
          this.mainGuard(node);
          break;
        case 'bare':
        case 'rescue':
        case 'rescue_mod':
          errorish.push({ node, kind: c.name });
          break;
      }
    }
    if (!railsRoutes) for (const call of calls) this.sinatraRoute(call.node, call.name);
    for (const s of root.namedChildren) this.sinatraHook(s);
    for (const cls of classes) this.readClass(cls);
    for (const fn of fns) this.readFunction(fn.node, [...fn.calls]);
    for (const call of calls) {
      this.entryCall(call.node, call.name);
      this.errorCall(call.node, call.name);
    }
    for (const e of errorish) this.errorNode(e.node, e.kind);
    if (this.input.file.endsWith('.ru')) this.readRackup();
    for (const [name, loc] of this.sinatraRouters) this.facts.routers.push({ name, framework: 'sinatra', style: 'colon', loc });
  }

  // ---- Rails -------------------------------------------------------------------------------------------

  /** Draws the Rails routes of config/routes.rb or a config/routes/*.rb draw file. Returns whether the file is one. */
  private readRails(): boolean {
    const { root, file } = this.input;
    const draws = root.namedChildren.filter((n): n is Node => n !== null && isRoutesDraw(n));
    const drawFile = /^(.*?)config\/routes\/(.+)\.rb$/.exec(file);
    if (draws.length === 0 && !drawFile) return false;
    const at = file.lastIndexOf('config/routes');
    const appRoot = at >= 0 ? file.slice(0, at) : this.serviceDir();
    const ctx: RailsContext = { appRoot, routes: this.facts.routes, mounts: this.facts.mounts, warnings: this.facts.warnings, router: 'rails', concerns: new Map() };
    if (draws.length > 0) {
      for (const d of draws) {
        const block = blockOf(d);
        if (block) drawRoutes(ctx, statements(block), ROOT_SCOPE);
      }
    } else if (drawFile) {
      const top = root.namedChildren.filter((n): n is Node => n !== null);
      drawRoutes(ctx, top, this.drawScope(appRoot, drawFile[2] as string));
    }
    if (ctx.mounts.length > 0) this.facts.routers.push({ name: 'rails', framework: 'rails', style: 'colon', loc: ctx.mounts[0]?.loc ?? { line: 1, column: 1 } });
    return true;
  }

  /** The scope `draw :name` is called in, from config/routes.rb (root scope when it cannot be found). */
  private drawScope(appRoot: string, name: string): RailsScope {
    const text = this.input.project.read(appRoot + 'config/routes.rb');
    if (text === undefined) return ROOT_SCOPE;
    let found: RailsScope | undefined;
    parseWith(this.input.language, text, (root) => {
      const ctx: RailsContext = { appRoot, routes: [], mounts: [], warnings: [], router: 'rails', concerns: new Map(), onDraw: (n, s) => (found ??= n === name ? s : undefined) };
      for (const d of root.namedChildren) {
        const block = d && isRoutesDraw(d) ? blockOf(d) : undefined;
        if (block) drawRoutes(ctx, statements(block), ROOT_SCOPE);
      }
    });
    return found ?? ROOT_SCOPE;
  }

  private serviceDir(): string {
    const d = this.input.project.serviceRootOf(this.input.file);
    return d === '' ? '' : d + '/';
  }


  // ---- classes: Sinatra apps, gRPC services, Rails application, jobs -----------------------------------

  private readClass(cls: Node): void {
    const name = qualifiedName(cls);
    const superclass = constantName(cls.childForFieldName('superclass')?.namedChildren[0]) ?? '';
    const body = statements(cls);
    if (superclass.includes('Sinatra::')) this.noteRouter(name, cls);
    if (superclass === 'Rails::Application') this.facts.entries.push({ detail: 'bootstrap', name, framework: 'rails', loc: locOf(cls) });

    let grpcService: string | undefined;
    let framework = 'grpc';
    if (superclass.endsWith('::Service')) grpcService = superclass.split('::').slice(-2)[0];
    let job = /(?:^|::)(?:ApplicationJob|Job|ActiveJob::Base)$/.test(superclass);
    let isPrivate = false;
    const methods: { name: string; loc: Loc }[] = [];
    const defined = new Map<string, Node>();
    const aliases: [string, string][] = [];
    for (const s of body) {
      const call = s.type === 'call' && !s.childForFieldName('receiver') ? s : undefined;
      const verb = call?.childForFieldName('method')?.text;
      if (call && verb === 'bind') {
        const svc = constantName(callArgs(call).positional[0]);
        if (svc?.endsWith('::Service')) {
          grpcService = svc.split('::').slice(-2)[0];
          framework = 'gruf';
        }
      } else if (call && verb === 'include') {
        const mod = constantName(callArgs(call).positional[0]) ?? '';
        if (mod === 'Sidekiq::Worker' || mod === 'Sidekiq::Job') job = true;
      } else if (call && verb === 'use') {
        const app = constantName(callArgs(call).positional[0]);
        if (app !== undefined) {
          this.noteRouter(name, cls);
          this.facts.mounts.push({ parent: { kind: 'local', name }, child: { kind: 'global', name: app }, prefix: '', style: 'colon', loc: locOf(call) });
        }
      } else if (call && verb === 'register') {
        for (const p of callArgs(call).positional) {
          const ext = constantName(p);
          if (ext === undefined || ext.startsWith('Sinatra::')) continue;
          this.noteRouter(name, cls);
          this.facts.calls.push({ callee: { kind: 'global', name: ext + '.registered' }, args: [{ kind: 'local', name }], loc: locOf(call) });
        }
      } else if (call && verb === 'alias_method') {
        const [to, from] = callArgs(call).positional.map(methodNameOf);
        if (to && from) aliases.push([to, from]);
      } else if (s.type === 'alias') {
        const to = methodNameOf(s.childForFieldName('name'));
        const from = methodNameOf(s.childForFieldName('alias'));
        if (to && from) aliases.push([to, from]);
      } else if (s.type === 'identifier' && (s.text === 'private' || s.text === 'protected')) {
        isPrivate = true;
      } else if (s.type === 'identifier' && s.text === 'public') {
        isPrivate = false;
      }
      if (s.type === 'method') {
        const m = s.childForFieldName('name')?.text;
        if (m) defined.set(m, s);
      }
      if (s.type === 'method' && !isPrivate) {
        const m = s.childForFieldName('name')?.text;
        if (m && m !== 'initialize') methods.push({ name: m, loc: locOf(s, true) });
        if (m === 'perform' && job) this.facts.entries.push({ detail: 'worker', name: `${name}.perform`, framework: superclass.includes('Job') ? 'activejob' : 'sidekiq', loc: locOf(s) });
      }
      // Class-level DSL blocks (`rescue_from X do`, `before do`, `error do`) act as functions for error records.
      const block = call ? blockOf(call) : undefined;
      if (block && verb && !this.blockNames.has(block.id)) this.blockNames.set(block.id, verb);
    }
    // `alias_method :browse, :show` (Redmine's RepositoriesController): the action `browse` is `show`'s code.
    for (const [to, from] of aliases) {
      const fn = defined.get(from);
      if (fn && !defined.has(to)) this.facts.functions.push({ name: to, container: name, params: params(fn), loc: locOf(fn, true), calls: [] });
    }
    if (grpcService) this.facts.grpcImpls.push({ service: grpcService, container: name, methods, framework, loc: locOf(cls) });
  }

  // ---- functions ---------------------------------------------------------------------------------------

  private readFunction(fn: Node, calls: string[]): void {
    const name = fn.childForFieldName('name')?.text;
    if (!name) return;
    const container = containerOf(fn);
    const ps = params(fn);
    this.facts.functions.push({ name, container, params: ps, loc: locOf(fn, true), calls });
    const keywords = keywordParams(fn);
    if (keywords.includes('event') && keywords.includes('context')) {
      this.facts.entries.push({ detail: 'serverless', name: container ? `${container}.${name}` : name, framework: 'aws-lambda', loc: locOf(fn) });
    }
  }
}

/** The method a symbol, string or bare name stands for: `:show`, `'show'`, `show`. */
function methodNameOf(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'simple_symbol') return n.text.slice(1);
  if (n.type === 'identifier' || n.type === 'constant') return n.text;
  if (n.type === 'string' && n.namedChildren.length === 1 && n.namedChildren[0]?.type === 'string_content') return n.namedChildren[0].text;
  return undefined;
}

/** `Rails.application.routes.draw do`, `MyApp::Application.routes.draw do`, `Engine.routes.draw do`. */
function isRoutesDraw(n: Node): boolean {
  if (n.type !== 'call' || n.childForFieldName('method')?.text !== 'draw') return false;
  const r = n.childForFieldName('receiver');
  return r?.type === 'call' && r.childForFieldName('method')?.text === 'routes' && blockOf(n) !== undefined;
}

function keywordParams(fn: Node): string[] {
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren.filter((p): p is Node => p?.type === 'keyword_parameter').map((p) => p.childForFieldName('name')?.text ?? '');
}
