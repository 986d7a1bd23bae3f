/**
 * Ruby: Rails routes (config/routes.rb and the config/routes/*.rb files it draws) with handlers in
 * app/controllers by convention, Sinatra (classic and modular apps, sinatra-contrib namespaces, extensions
 * registered with `register`, apps mounted by `use`, config.ru `map`/`run` and Rails `mount`), gRPC services
 * (`< Pkg::Service::Service`, gruf `bind`), entry points and error exits.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { emptyFacts, type FileFacts, type Loc } from '../facts';
import type { ExtractInput, LanguageSupport } from '../language';
import { ancestor, descendants, locOf, shortText } from '../syntax';
import { parseWith, query } from '../treeSitter';
import { blockOf, blockParams, callArgs, callName, constantName, type Env, NO_ENV, rbList, rbValue, statements } from './ruby/common';
import { drawRoutes, type RailsContext, type RailsScope, ROOT_SCOPE } from './ruby/rails';

type Facts = ReturnType<typeof emptyFacts>;

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

const SINATRA_HOOKS = new Set(['before', 'after', 'error', 'not_found']);
const SINATRA_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'link', 'unlink']);

/** Rails status symbols of 4xx/5xx responses. */
const ERROR_STATUSES = new Set([
  'bad_request',
  'unauthorized',
  'payment_required',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'not_acceptable',
  'proxy_authentication_required',
  'request_timeout',
  'conflict',
  'gone',
  'length_required',
  'precondition_failed',
  'payload_too_large',
  'request_entity_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'range_not_satisfiable',
  'expectation_failed',
  'misdirected_request',
  'unprocessable_entity',
  'unprocessable_content',
  'locked',
  'failed_dependency',
  'too_early',
  'upgrade_required',
  'precondition_required',
  'too_many_requests',
  'request_header_fields_too_large',
  'unavailable_for_legal_reasons',
  'internal_server_error',
  'not_implemented',
  'bad_gateway',
  'service_unavailable',
  'gateway_timeout',
  'http_version_not_supported',
  'variant_also_negotiates',
  'insufficient_storage',
  'loop_detected',
  'not_extended',
  'network_authentication_required',
]);

const ERROR_REPORTERS = new Set(['Sentry.capture_exception', 'Raven.capture_exception', 'Bugsnag.notify', 'Honeybadger.notify', 'Rollbar.error', 'Airbrake.notify', 'NewRelic::Agent.notice_error']);

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
class RubyReader {
  /** Blocks that act as functions (Sinatra route blocks, class-level DSL blocks): node id → name for error records. */
  private readonly blockNames = new Map<number, string>();
  private readonly sinatraRouters = new Map<string, Loc>();
  private grapeWarned = false;

  constructor(
    private readonly input: ExtractInput,
    private readonly facts: Facts,
  ) {}

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

  // ---- Sinatra -----------------------------------------------------------------------------------------

  /** `get '/x' do … end` at the top (classic), in a class body (modular), in `namespace '/api' do`, or on `app` in `def self.registered(app)`. */
  private sinatraRoute(call: Node, verb: string): void {
    if (!SINATRA_VERBS.has(verb)) return;
    const block = blockOf(call);
    if (!block) return;
    const router = this.sinatraRouterOf(call);
    if (router === undefined) return;
    const pathNode = callArgs(call).positional[0];
    const prefix = this.namespacePrefix(call);
    const envs = loopEnvs(call);
    if (prefix === undefined || envs === undefined) {
      this.facts.warnings.push({ line: locOf(call).line, message: 'Sinatra route inside a namespace or loop that is not a literal: not listed.' });
      return;
    }
    const method = verb.toUpperCase();
    for (const env of envs) {
      const written = rbValue(pathNode, env);
      if (written === undefined) {
        if (pathNode) this.facts.warnings.push({ line: locOf(call).line, message: `Sinatra route \`${verb} ${shortText(pathNode, 40)}\`: a pattern or computed path is not listed.` });
        return;
      }
      const path = prefix + (written.startsWith('/') || written === '' ? written : '/' + written);
      this.blockNames.set(block.id, `${method} ${path}`);
      this.facts.routes.push({ router: { kind: 'local', name: router }, method, path, style: 'colon', handler: { kind: 'here', name: '<anonymous>', loc: locOf(block, true) }, framework: 'sinatra', loc: locOf(call) });
      this.facts.functions.push({ name: `${method} ${path}`, container: router, params: [], loc: locOf(block, true), calls: callsIn(block) });
    }
  }

  /** Classic Sinatra filters and error handlers (`before do`, `error do`, `not_found do`) act as functions for error records. */
  private sinatraHook(node: Node | null): void {
    const name = node?.type === 'call' && !node.childForFieldName('receiver') ? node.childForFieldName('method')?.text : undefined;
    const block = node && name && SINATRA_HOOKS.has(name) ? blockOf(node) : undefined;
    if (block && name) this.blockNames.set(block.id, name);
  }

  /** The router a Sinatra route call is registered on, or undefined when the call is not a Sinatra route. */
  private sinatraRouterOf(call: Node): string | undefined {
    const receiver = call.childForFieldName('receiver');
    if (receiver) {
      // `app.get` where app is the parameter of `def self.registered(app)` (a Sinatra extension).
      const fn = ancestor(call, FN_TYPES);
      if (!fn || receiver.type !== 'identifier' || !params(fn).includes(receiver.text)) return undefined;
      const name = `${qualifiedFn(fn)}(${receiver.text})`;
      this.noteRouter(name, fn);
      return name;
    }
    for (let n = call.parent; n; n = n.parent) {
      if (FN_TYPES.has(n.type)) return undefined;
      if (n.type === 'class') {
        if (constantName(n.childForFieldName('superclass')?.namedChildren[0])?.startsWith('Grape::')) {
          this.grapeWarning(n);
          return undefined;
        }
        const name = qualifiedName(n);
        this.noteRouter(name, n);
        return name;
      }
      if (n.type === 'do_block' || n.type === 'block') {
        const owner = n.parent;
        const ownerName = owner?.type === 'call' ? owner.childForFieldName('method')?.text : undefined;
        if (ownerName !== 'namespace' && ownerName !== 'each') return undefined;
      }
    }
    this.noteRouter('Sinatra::Application', call);
    return 'Sinatra::Application';
  }

  /** Grape APIs look like Sinatra but compose paths differently (prefix, version, resource): said once, not guessed. */
  private grapeWarning(cls: Node): void {
    if (this.grapeWarned) return;
    this.grapeWarned = true;
    this.facts.warnings.push({ line: locOf(cls).line, message: 'Grape API: its routes are not listed (Grape is not supported yet).' });
  }

  private noteRouter(name: string, at: Node): void {
    if (!this.sinatraRouters.has(name)) this.sinatraRouters.set(name, locOf(at));
  }

  /** The joined paths of the `namespace '/x' do` blocks around a call ('' when none; undefined when one is not literal). */
  private namespacePrefix(call: Node): string | undefined {
    let prefix = '';
    for (let n = call.parent; n && n.type !== 'class' && !FN_TYPES.has(n.type); n = n.parent) {
      if ((n.type === 'do_block' || n.type === 'block') && n.parent?.type === 'call' && n.parent.childForFieldName('method')?.text === 'namespace') {
        const p = rbValue(callArgs(n.parent).positional[0]);
        if (p === undefined) return undefined;
        prefix = (p.startsWith('/') ? p : '/' + p).replace(/\/$/, '') + prefix;
      }
    }
    return prefix;
  }

  /** config.ru: `run App`, `map '/api' do run Api end`, `use Other`. */
  private readRackup(): void {
    const visit = (nodes: readonly Node[], prefix: string): void => {
      for (const n of nodes) {
        if (n.type !== 'call' || n.childForFieldName('receiver')) continue;
        const name = n.childForFieldName('method')?.text;
        const args = callArgs(n);
        if (name === 'map') {
          const p = rbValue(args.positional[0]);
          const block = blockOf(n);
          if (p !== undefined && block) visit(statements(block), prefix + p);
        } else if (name === 'run' || name === 'use') {
          const app = constantName(args.positional[0]);
          if (app === undefined) continue;
          if (!this.sinatraRouters.has('rackup')) this.sinatraRouters.set('rackup', locOf(n));
          this.facts.mounts.push({ parent: { kind: 'local', name: 'rackup' }, child: { kind: 'global', name: app }, prefix, style: 'colon', loc: locOf(n) });
        }
      }
    };
    visit(this.input.root.namedChildren.filter((n): n is Node => n !== null), '');
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
      } else if (s.type === 'identifier' && (s.text === 'private' || s.text === 'protected')) {
        isPrivate = true;
      } else if (s.type === 'identifier' && s.text === 'public') {
        isPrivate = false;
      } else if (s.type === 'method' && !isPrivate) {
        const m = s.childForFieldName('name')?.text;
        if (m && m !== 'initialize') methods.push({ name: m, loc: locOf(s, true) });
        if (m === 'perform' && job) this.facts.entries.push({ detail: 'worker', name: `${name}.perform`, framework: superclass.includes('Job') ? 'activejob' : 'sidekiq', loc: locOf(s) });
      }
      // Class-level DSL blocks (`rescue_from X do`, `before do`, `error do`) act as functions for error records.
      const block = call ? blockOf(call) : undefined;
      if (block && verb && !this.blockNames.has(block.id)) this.blockNames.set(block.id, verb);
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

  // ---- entries -----------------------------------------------------------------------------------------

  private entryCall(call: Node, name: string): void {
    if (!ENTRY_CALLS.has(name)) return;
    const receiver = call.childForFieldName('receiver');
    const recv = receiver ? (constantName(receiver) ?? receiver.text) : '';
    const add = (detail: string, framework: string): void => {
      this.facts.entries.push({ detail, name: shortText(call, 80), framework, loc: locOf(call) });
    };
    if (name === 'initialize!' && recv.endsWith('application')) add('bootstrap', 'rails');
    else if (name === 'run!') add('listen', 'sinatra');
    else if (name === 'new' && recv === 'GRPC::RpcServer') add('bootstrap', 'grpc');
    else if (name === 'run_till_terminated' || name === 'run_till_terminated_or_interrupted') add('listen', 'grpc');
    else if (name === 'run' && /^(?:Rack|Rackup)::Handler::/.test(recv)) add('listen', 'rack');
    else if (name === 'start' && (recv === 'Rack::Server' || recv === 'Rackup::Server' || recv === 'Gruf::Server')) add('listen', 'rack');
    else if (name === 'run' && !receiver && this.input.file.endsWith('.ru') && !ancestor(call, BLOCK_TYPES)) add('bootstrap', 'rack');
    else if (name === 'require' && !receiver && rbValue(callArgs(call).positional[0]) === 'sinatra') add('bootstrap', 'sinatra');
  }

  /** `if __FILE__ == $0` / `$PROGRAM_NAME`: the script's main. */
  private mainGuard(node: Node): void {
    const cond = node.childForFieldName('condition');
    if (cond?.type !== 'binary') return;
    const sides = [cond.childForFieldName('left')?.text, cond.childForFieldName('right')?.text];
    if (sides.includes('__FILE__') && (sides.includes('$0') || sides.includes('$PROGRAM_NAME'))) {
      this.facts.entries.push({ detail: 'main', name: shortText(node, 80), framework: 'ruby', loc: locOf(node) });
    }
  }

  // ---- errors ------------------------------------------------------------------------------------------

  private addError(kind: FileFacts['errors'][number]['kind'], node: Node): void {
    const fn = this.functionOf(node);
    if (fn === undefined) return;
    this.facts.errors.push({ kind, text: shortText(node), function: fn, loc: locOf(node) });
  }

  /** raise/fail/abort as bare commands, rescue clauses, `x rescue nil`. */
  private errorNode(node: Node, kind: string): void {
    if (kind === 'bare') {
      const p = node.parent?.type;
      if (p === 'call' || p === 'method' || p === 'singleton_method' || p === 'argument_list' || p === 'pair') return;
      this.addError(node.text === 'abort' ? 'panic' : 'throw', node);
    } else if (kind === 'rescue') {
      const body = node.childForFieldName('body');
      const stmts = body ? body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') : [];
      this.addError(stmts.length === 0 || (stmts.length === 1 && stmts[0]?.type === 'nil') ? 'swallow' : 'catch', node);
    } else {
      const handler = node.childForFieldName('handler');
      this.addError(!handler || LITERALS.has(handler.type) ? 'swallow' : 'catch', node);
    }
  }

  private errorCall(call: Node, name: string): void {
    if (!ERROR_CALLS.has(name) && !RECEIVER_ERROR_CALLS.has(name)) return;
    const receiver = call.childForFieldName('receiver');
    if (!receiver) {
      switch (name) {
        case 'raise':
        case 'fail':
        case 'fail!': // gruf
          return this.addError('throw', call);
        case 'abort':
        case 'exit!':
          return this.addError('panic', call);
        case 'exit': {
          const a = callArgs(call).positional[0];
          if (a && (a.type === 'false' || (a.type === 'integer' && a.text !== '0'))) this.addError('panic', call);
          return;
        }
        case 'head':
        case 'halt':
        case 'status':
          if (isErrorStatus(callArgs(call).positional[0])) this.addError('http-error', call);
          return;
        case 'error!':
          if (isErrorStatus(callArgs(call).positional[1] ?? callArgs(call).options.get('status'))) this.addError('http-error', call);
          return;
        case 'render':
          if (isErrorStatus(callArgs(call).options.get('status'))) this.addError('http-error', call);
          return;
      }
      return;
    }
    if (!RECEIVER_ERROR_CALLS.has(name)) return;
    const recv = constantName(receiver) ?? receiver.text;
    if ((name === 'error' || name === 'fatal') && /(?:^|[.:@])(?:logger|log|LOGGER|LOG|Logger)$|logger$|Rollbar$/i.test(recv)) this.addError('log-error', call);
    else if (ERROR_REPORTERS.has(`${recv}.${name}`)) this.addError('log-error', call);
    else if (name === 'status' && call.parent?.type === 'assignment') {
      const value = call.parent?.childForFieldName('right');
      if (isErrorStatus(value)) this.addError('http-error', call.parent as Node);
    }
  }

  /** The enclosing function's name: a method, or a block that acts as one (a Sinatra route, `rescue_from … do`). */
  private functionOf(node: Node): string | undefined {
    for (let n = node.parent; n; n = n.parent) {
      if (FN_TYPES.has(n.type)) return n.childForFieldName('name')?.text;
      if (n.type === 'do_block' || n.type === 'block') {
        const name = this.blockNames.get(n.id);
        if (name !== undefined) return name;
      }
    }
    return undefined;
  }
}

const FN_TYPES: ReadonlySet<string> = new Set(['method', 'singleton_method']);
const ENTRY_CALLS: ReadonlySet<string> = new Set(['initialize!', 'run!', 'new', 'run_till_terminated', 'run_till_terminated_or_interrupted', 'run', 'start', 'require']);
/** Method names (without a receiver) that can be an error exit. */
const ERROR_CALLS: ReadonlySet<string> = new Set(['raise', 'fail', 'fail!', 'abort', 'exit!', 'exit', 'head', 'halt', 'status', 'error!', 'render']);
/** Method names (with a receiver) that can be an error exit: logger calls, error reporters, `response.status =`. */
const RECEIVER_ERROR_CALLS: ReadonlySet<string> = new Set(['error', 'fatal', 'status', ...[...ERROR_REPORTERS].map((r) => r.slice(r.lastIndexOf('.') + 1))]);
const BLOCK_TYPES: ReadonlySet<string> = new Set(['do_block', 'block']);
const LITERALS: ReadonlySet<string> = new Set(['nil', 'string', 'integer', 'float', 'true', 'false', 'array', 'hash', 'simple_symbol']);

/** `Rails.application.routes.draw do`, `MyApp::Application.routes.draw do`, `Engine.routes.draw do`. */
function isRoutesDraw(n: Node): boolean {
  if (n.type !== 'call' || n.childForFieldName('method')?.text !== 'draw') return false;
  const r = n.childForFieldName('receiver');
  return r?.type === 'call' && r.childForFieldName('method')?.text === 'routes' && blockOf(n) !== undefined;
}

/**
 * The block-variable bindings a call runs under: one per element of every `%w[a b].each do |x|` around it (their
 * product when nested), `[NO_ENV]` when there is no loop, undefined when a loop's list is computed at run time.
 */
function loopEnvs(call: Node): Env[] | undefined {
  let envs: Env[] = [NO_ENV];
  for (let n = call.parent; n && n.type !== 'class' && !FN_TYPES.has(n.type); n = n.parent) {
    if (!BLOCK_TYPES.has(n.type) || n.parent?.type !== 'call' || n.parent.childForFieldName('method')?.text !== 'each') continue;
    const items = rbList(n.parent.childForFieldName('receiver'));
    const param = blockParams(n)[0];
    if (!items || param === undefined) return undefined;
    envs = envs.flatMap((env) => items.map((item) => new Map([...env, [param, item]])));
  }
  return envs;
}

function isErrorStatus(node: Node | null | undefined): boolean {
  if (!node) return false;
  if (node.type === 'integer') {
    const n = Number(node.text);
    return n >= 400 && n <= 599;
  }
  if (node.type === 'simple_symbol') return ERROR_STATUSES.has(node.text.slice(1));
  if (node.type === 'array') return isErrorStatus(node.namedChildren[0]);
  return false;
}

/** `Api::V1::ArticlesController` for a class nested in modules (or named `Api::V1::ArticlesController`). */
function qualifiedName(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.type === 'class' || n.type === 'module') {
      const name = constantName(n.childForFieldName('name'));
      if (name !== undefined) parts.unshift(name);
    }
  }
  return parts.join('::');
}

/** The class or module a method belongs to (`class << self` counts as its outer class). */
function containerOf(fn: Node): string | undefined {
  const owner = ancestor(fn, CONTAINER_TYPES);
  return owner ? qualifiedName(owner) : undefined;
}

const CONTAINER_TYPES: ReadonlySet<string> = new Set(['class', 'module']);

/** `Routes::Articles.registered` for `def self.registered` in `module Routes::Articles`. */
function qualifiedFn(fn: Node): string {
  const name = fn.childForFieldName('name')?.text ?? '';
  const c = containerOf(fn);
  return c ? `${c}.${name}` : name;
}

function params(fn: Node): string[] {
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  const out: string[] = [];
  for (const p of list.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') out.push(p.text);
    else {
      const n = p.childForFieldName('name');
      if (n) out.push(n.text);
    }
  }
  return out;
}

function keywordParams(fn: Node): string[] {
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren.filter((p): p is Node => p?.type === 'keyword_parameter').map((p) => p.childForFieldName('name')?.text ?? '');
}

/** The names of the methods called inside a node (receivers dropped), in order, without repeats. */
function callsIn(node: Node): string[] {
  const out = new Set<string>();
  for (const c of descendants(node, CALL_TYPES)) {
    const name = callName(c);
    if (name) out.add(name);
  }
  return [...out];
}

const CALL_TYPES: ReadonlySet<string> = new Set(['call']);
