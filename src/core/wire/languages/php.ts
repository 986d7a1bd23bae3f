/**
 * PHP: Laravel route files (with the prefix bootstrap/app.php or RouteServiceProvider gives them), Lumen and
 * Slim route registrations, Symfony `#[Route]` attributes on controllers (class prefix, config/routes.yaml
 * prefix), gRPC services (RoadRunner `…Interface`, grpc `…Stub`), entry points and error exits. Controller
 * classes are global: handlers are found by simple class name.
 */
import type { Node } from '../node';
import { emptyFacts, type FileFacts, type Loc } from '../facts';
import type { ExtractInput, LanguageSupport, ProjectView } from '../language';
import { descendants, locOf, shortText } from '../syntax';
import { query } from '../treeSitter';
import { isErrorStatus, phpArgs, phpList, phpString, simpleName } from './php/common';
import { laravelFilePrefix, readRouteFile } from './php/routes';

type Facts = ReturnType<typeof emptyFacts>;

/** Substrings that mark a file worth parsing: route files, controllers, gRPC services, front controllers, jobs. */
const HINTS = [
  'Route::',
  '$router->',
  '$app->',
  'Controller',
  '#[Route',
  'Grpc',
  'GRPC',
  'Stub',
  'ShouldQueue',
  'Kernel',
  'Application::configure',
  '->serve(',
  'waitRequest',
  // handler signatures of classes registered from route files elsewhere (Slim actions, invokable handlers)
  'Request $',
  'ServerRequestInterface',
  '__invoke',
];

const QUERY = `
(function_definition) @fn
(method_declaration) @fn
(class_declaration) @class
(throw_expression) @throw
(catch_clause) @catch
(exit_statement) @exit
(function_call_expression function: (_) @callname) @call
(member_call_expression name: (_) @callname) @call
(nullsafe_member_call_expression name: (_) @callname) @call
(scoped_call_expression name: (_) @callname) @call
(object_creation_expression) @new
`;

const FN_TYPES: ReadonlySet<string> = new Set(['function_definition', 'method_declaration']);
const CLOSURE_TYPES: ReadonlySet<string> = new Set(['anonymous_function', 'arrow_function']);
const CLASS_TYPES: ReadonlySet<string> = new Set(['class_declaration', 'trait_declaration', 'interface_declaration', 'enum_declaration']);
const LOG_ERROR_METHODS = new Set(['error', 'critical', 'alert', 'emergency']);
/** The call names `call()` looks at; every other call is skipped before its arguments are read. */
const ERROR_OR_ENTRY_CALLS: ReadonlySet<string> = new Set([
  ...LOG_ERROR_METHODS,
  'abort',
  'abort_if',
  'abort_unless',
  'response',
  'http_response_code',
  'error_log',
  'report',
  'die',
  'configure',
  'json',
  'make',
  'withStatus',
  'withRouting',
  'run',
  'handleRequest',
  'handle',
  'serve',
  'waitRequest',
]);

/** PHP (.php). */
export const phpSupport: LanguageSupport = {
  language: 'php',
  extensions: ['.php'],
  grammar: () => 'php',
  interesting(text: string, file: string): boolean {
    if (/(?:^|\/)routes\/[^/]+\.php$/.test(file) || file.endsWith('public/index.php')) return true;
    return HINTS.some((h) => text.includes(h));
  },
  extract(input: ExtractInput): FileFacts {
    const facts = emptyFacts(input.file, 'php');
    try {
      new PhpReader(input, facts).read();
    } catch (e) {
      facts.warnings.push({ line: 1, message: `PHP reader stopped early: ${(e as Error).message}` });
    }
    return facts;
  },
};

class PhpReader {
  /** Route closures: node id → `GET /path`, the function name of errors inside them. */
  private readonly closureNames = new Map<number, string>();

  constructor(
    private readonly input: ExtractInput,
    private readonly facts: Facts,
  ) {}

  read(): void {
    const { root, language, grammar, text } = this.input;
    this.readRoutes();
    const fns: { node: Node; calls: Set<string> }[] = [];
    /** The functions open at the current capture (captures come in document order): calls go to the innermost. */
    const open: { node: Node; calls: Set<string> }[] = [];
    const classes: Node[] = [];
    const rest: { node: Node; kind: string }[] = [];
    for (const c of query(language, grammar, QUERY).captures(root)) {
      const node = c.node;
      while (open.length > 0 && (open[open.length - 1] as { node: Node }).node.endIndex <= node.startIndex) open.pop();
      if (c.name === 'fn') {
        const fn = { node, calls: new Set<string>() };
        fns.push(fn);
        open.push(fn);
      } else if (c.name === 'class') classes.push(node);
      else if (c.name === 'callname') open[open.length - 1]?.calls.add(simpleName(node.text));
      else rest.push({ node, kind: c.name });
    }
    const grpcFile = text.includes('GRPC') || text.includes('Grpc');
    for (const cls of classes) this.readClass(cls, grpcFile);
    for (const fn of fns) this.readFunction(fn.node, [...fn.calls]);
    for (const { node, kind } of rest) {
      if (kind === 'throw') this.addError('throw', node);
      else if (kind === 'exit') this.addError('panic', node);
      else if (kind === 'catch') this.catchClause(node);
      else if (kind === 'new') this.objectCreation(node);
      else this.call(node);
    }
  }

  // ---- routes ------------------------------------------------------------------------------------------

  private readRoutes(): void {
    const { text, root, file, project, language } = this.input;
    const slim = text.includes('Slim\\') || text.includes('RouteCollectorProxy') || text.includes('AppFactory');
    const lumen = !slim && text.includes('$router->');
    const laravel = text.includes('Route::');
    if (!slim && !lumen && !laravel) return;
    const framework = slim ? 'slim' : laravel ? 'laravel' : 'lumen';
    const routerVars = new Set<string>(slim ? ['$app'] : lumen ? ['$router', '$app->router'] : []);
    const filePrefix = framework === 'laravel' ? laravelFilePrefix(file, project, language) : '';
    readRouteFile(root, { facts: this.facts, framework, filePrefix, routerVars, closureNames: this.closureNames });
    if (slim) this.slimBasePath();
  }

  /** Slim's `$app->setBasePath('/api')`: a prefix for every route of the app. */
  private slimBasePath(): void {
    for (const call of descendants(this.input.root, MEMBER_CALLS)) {
      if (call.childForFieldName('name')?.text !== 'setBasePath') continue;
      const p = phpString(phpArgs(call).positional[0]);
      if (p !== undefined) this.facts.globalPrefixes.push({ framework: 'slim', prefix: p, loc: locOf(call) });
    }
  }

  // ---- classes: Symfony controllers, gRPC services, queued jobs ----------------------------------------

  private readClass(cls: Node, grpcFile: boolean): void {
    const name = cls.childForFieldName('name')?.text;
    const body = cls.childForFieldName('body');
    if (!name || !body) return;
    const methods = body.namedChildren.filter((m): m is Node => m?.type === 'method_declaration');
    this.symfony(cls, name, methods);

    const interfaces: string[] = [];
    let base: string | undefined;
    for (const c of cls.namedChildren) {
      if (c?.type === 'class_interface_clause') for (const i of c.namedChildren) if (i) interfaces.push(simpleName(i.text));
      if (c?.type === 'base_clause') base = simpleName(c.namedChildren[0]?.text ?? '');
    }
    let service: string | undefined;
    if (base?.endsWith('Stub') && base.length > 4) service = base.slice(0, -4);
    else if (grpcFile) service = interfaces.find((i) => i.endsWith('Interface') && i !== 'ServiceInterface' && i !== 'ContextInterface')?.replace(/Interface$/, '');
    if (service) {
      const publicMethods = methods.filter((m) => isPublic(m) && !isStatic(m) && !m.childForFieldName('name')?.text.startsWith('__'));
      const list: { name: string; loc: Loc }[] = publicMethods.map((m) => ({ name: m.childForFieldName('name')?.text ?? '', loc: declLoc(m) }));
      this.facts.grpcImpls.push({ service, container: name, methods: list, framework: 'grpc', loc: locOf(cls) });
    }
    if (interfaces.includes('ShouldQueue')) {
      const handle = methods.find((m) => m.childForFieldName('name')?.text === 'handle');
      if (handle) this.facts.entries.push({ detail: 'worker', name: `${name}.handle`, framework: 'laravel', loc: locOf(handle) });
    }
  }

  /** `#[Route('/api/articles')]` on the class (a prefix) and `#[Route('/{id}', methods: ['GET'])]` on its methods. */
  private symfony(cls: Node, name: string, methods: readonly Node[]): void {
    const classRoutes = routeAttributes(cls);
    let prefix: string | undefined;
    if (classRoutes[0]) prefix = attributePath(classRoutes[0]);
    let any = false;
    for (const m of methods) {
      const method = m.childForFieldName('name')?.text ?? '';
      for (const attr of routeAttributes(m)) {
        const path = attributePath(attr);
        if (path === undefined) {
          this.facts.warnings.push({ line: locOf(attr).line, message: 'Symfony #[Route] with a path that is not a literal: not listed.' });
          continue;
        }
        const args = phpArgs(attr);
        const verbs = phpList(args.named.get('methods')) ?? ['ANY'];
        any = true;
        for (const v of verbs) {
          this.facts.routes.push({ router: { kind: 'local', name }, method: v.toUpperCase(), path, style: 'brace', handler: { kind: 'here', name: `${name}.${method}`, loc: declLoc(m) }, framework: 'symfony', loc: locOf(attr) });
        }
      }
    }
    if (!any) return;
    this.facts.routers.push({ name, framework: 'symfony', prefix, style: 'brace', loc: locOf(cls) });
    const global = symfonyPrefix(this.input.project, this.input.file);
    if (global) this.facts.globalPrefixes.push({ framework: 'symfony', prefix: global, loc: { line: 1, column: 1 } });
  }

  // ---- functions ---------------------------------------------------------------------------------------

  private readFunction(fn: Node, calls: string[]): void {
    const name = fn.childForFieldName('name')?.text;
    if (!name) return;
    let container: string | undefined;
    for (let n = fn.parent; n; n = n.parent) {
      if (CLASS_TYPES.has(n.type)) {
        container = n.childForFieldName('name')?.text;
        break;
      }
    }
    const params = (fn.childForFieldName('parameters')?.namedChildren ?? []).map((p) => p?.childForFieldName('name')?.text.replace(/^\$/, '')).filter((p): p is string => p !== undefined);
    this.facts.functions.push({ name, container, params, loc: declLoc(fn), calls });
  }

  // ---- errors and entries ------------------------------------------------------------------------------

  private addError(kind: FileFacts['errors'][number]['kind'], node: Node): void {
    const fn = this.functionOf(node);
    if (fn === undefined) return;
    this.facts.errors.push({ kind, text: shortText(node), function: fn, loc: locOf(node) });
  }

  private functionOf(node: Node): string | undefined {
    for (let n = node.parent; n; n = n.parent) {
      if (FN_TYPES.has(n.type)) return n.childForFieldName('name')?.text;
      if (CLOSURE_TYPES.has(n.type)) {
        const label = this.closureNames.get(n.id);
        if (label !== undefined) return label;
      }
    }
    return undefined;
  }

  /** A catch block that does nothing (empty or only comments) swallows the error. */
  private catchClause(node: Node): void {
    const body = node.childForFieldName('body');
    const stmts = body?.namedChildren.filter((c) => c !== null && c.type !== 'comment') ?? [];
    this.addError(stmts.length === 0 ? 'swallow' : 'catch', node);
  }

  /** `new JsonResponse($data, 404)`, `new Response('', Response::HTTP_NOT_FOUND)`; `new Kernel(…)` in a front controller. */
  private objectCreation(node: Node): void {
    const cls = simpleName(node.namedChildren.find((c) => c?.type === 'name' || c?.type === 'qualified_name')?.text ?? '');
    const args = phpArgs(node.namedChildren.find((c) => c?.type === 'arguments') ?? null);
    if (/Response$/.test(cls) && isErrorStatus(args.positional[1] ?? args.named.get('status'))) this.addError('http-error', node);
    else if (cls === 'Kernel' && this.input.file.endsWith('public/index.php')) this.entry('bootstrap', 'symfony', node);
  }

  private entry(detail: string, framework: string, node: Node): void {
    this.facts.entries.push({ detail, name: shortText(node, 80), framework, loc: locOf(node) });
  }

  /** Laravel 11 `->withRouting(health: '/up')`: the framework's own health route. */
  private healthRoute(value: Node | undefined): void {
    const path = phpString(value);
    if (path === undefined || !value) return;
    this.facts.routes.push({ method: 'GET', path, style: 'brace', handler: { kind: 'here', name: 'health', loc: locOf(value, true) }, framework: 'laravel', loc: locOf(value) });
  }

  private call(node: Node): void {
    const nameNode = node.type === 'function_call_expression' ? node.childForFieldName('function') : node.childForFieldName('name');
    if (!nameNode || !ERROR_OR_ENTRY_CALLS.has(simpleName(nameNode.text))) return;
    const args = phpArgs(node);
    if (node.type === 'function_call_expression') {
      const fn = simpleName(nameNode.text);
      if (fn === 'abort' && isErrorStatus(args.positional[0])) this.addError('http-error', node);
      else if ((fn === 'abort_if' || fn === 'abort_unless') && isErrorStatus(args.positional[1])) this.addError('http-error', node);
      else if (fn === 'response' && isErrorStatus(args.positional[1])) this.addError('http-error', node);
      else if (fn === 'http_response_code' && isErrorStatus(args.positional[0])) this.addError('http-error', node);
      else if (fn === 'error_log' || fn === 'report') this.addError('log-error', node);
      else if (fn === 'die') this.addError('panic', node);
      return;
    }
    const name = nameNode.text;
    if (node.type === 'scoped_call_expression') {
      const scope = simpleName(node.childForFieldName('scope')?.text ?? '');
      if (scope === 'Log' && LOG_ERROR_METHODS.has(name)) this.addError('log-error', node);
      else if (scope === 'Application' && name === 'configure') this.entry('bootstrap', 'laravel', node);
      return;
    }
    const object = node.childForFieldName('object')?.text ?? '';
    if (LOG_ERROR_METHODS.has(name) && /log/i.test(object)) this.addError('log-error', node);
    else if ((name === 'json' || name === 'make') && isErrorStatus(args.positional[1] ?? args.named.get('status'))) this.addError('http-error', node);
    else if (name === 'withStatus' && isErrorStatus(args.positional[0])) this.addError('http-error', node);
    else if (name === 'withRouting') this.healthRoute(args.named.get('health'));
    else if (name === 'run' && (object === '$app' || object === '$application')) this.entry('listen', this.input.text.includes('Slim\\') ? 'slim' : 'php', node);
    // Laravel's front controller (`(require_once 'bootstrap/app.php')->handleRequest(Request::capture())`), not a
    // Symfony form's `$form->handleRequest($request)`.
    else if ((name === 'handleRequest' && (/Request::capture\(\)/.test(node.text) || /\$app\b|bootstrap\/app\.php/.test(object))) || (name === 'handle' && /kernel$/i.test(object))) this.entry('bootstrap', 'laravel', node);
    else if (name === 'serve' && /server$/i.test(object)) this.entry('listen', 'roadrunner', node);
    else if (name === 'waitRequest') this.entry('listen', 'roadrunner', node);
  }
}

const MEMBER_CALLS: ReadonlySet<string> = new Set(['member_call_expression']);

/** The `#[Route(…)]` attributes on a class or method. */
function routeAttributes(node: Node): Node[] {
  const out: Node[] = [];
  const list = node.childForFieldName('attributes') ?? node.namedChildren.find((c) => c?.type === 'attribute_list');
  if (!list) return out;
  for (const attr of descendants(list, ATTRIBUTE)) {
    const n = attr.namedChildren.find((c) => c?.type === 'name' || c?.type === 'qualified_name');
    if (n && simpleName(n.text) === 'Route') out.push(attr);
  }
  return out;
}

const ATTRIBUTE: ReadonlySet<string> = new Set(['attribute']);

function attributePath(attr: Node): string | undefined {
  const args = phpArgs(attr);
  return phpString(args.named.get('path') ?? args.positional[0]);
}

/** A function's position: from its first token after any attributes (`public function show`) to the end of its body. */
function declLoc(fn: Node): Loc {
  const start = fn.children.find((c) => c !== null && c.type !== 'attribute_list' && c.type !== 'comment') ?? fn;
  return { line: start.startPosition.row + 1, column: start.startPosition.column + 1, endLine: fn.endPosition.row + 1 };
}

function isPublic(m: Node): boolean {
  const v = m.namedChildren.find((c) => c?.type === 'visibility_modifier');
  return !v || v.text === 'public';
}

function isStatic(m: Node): boolean {
  return m.namedChildren.some((c) => c?.type === 'static_modifier');
}

/**
 * The prefix config/routes.yaml (or config/routes/attributes.yaml, annotations.yaml) puts on the attribute routes
 * of src/Controller: the `prefix:` of the block whose `resource` names the controllers folder.
 */
function symfonyPrefix(project: ProjectView, file: string): string | undefined {
  const root = project.serviceRootOf(file);
  const dir = root === '' ? '' : root + '/';
  for (const f of ['config/routes.yaml', 'config/routes/attributes.yaml', 'config/routes/annotations.yaml']) {
    const text = project.read(dir + f);
    if (text === undefined) continue;
    let controllers = false;
    let prefix: string | undefined;
    for (const line of (text + '\nend:').split('\n')) {
      if (/^\S/.test(line) && !line.startsWith('#')) {
        if (controllers && prefix !== undefined) return prefix;
        controllers = false;
        prefix = undefined;
        continue;
      }
      if (line.includes('src/Controller')) controllers = true;
      const m = /^\s+prefix:\s*['"]?([^'"#\s]+)/.exec(line);
      if (m) prefix = m[1];
    }
  }
  return undefined;
}
