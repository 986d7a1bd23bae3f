/**
 * C#: ASP.NET Core attribute-routed controllers ([Route] with [controller]/[action]/[area] tokens, [HttpGet(…)],
 * [AcceptVerbs], a [Route] inherited from a base controller), minimal APIs (see csharp/minimalApi.ts), Azure
 * Functions HTTP triggers, Grpc.AspNetCore service implementations, entry points (Main, top-level statements,
 * WebApplication/Host builders, app.Run(), Azure Functions, AWS Lambda) and error exits.
 * Class names are global: a controller is a router named after its class.
 */
import type { Node } from '../node';
import { emptyFacts, type Loc } from '../facts';
import type { ExtractInput, LanguageSupport } from '../language';
import { locOf, shortText } from '../syntax';
import { query } from '../treeSitter';
import { argumentsOf, methodName, MinimalApiReader, type Range, type Scope } from './csharp/minimalApi';
import { attributesOf, baseTypeName, CsTypes, typesOf, type CsAttribute } from './csharp/types';

type Facts = ReturnType<typeof emptyFacts>;

const SITES = `
[(class_declaration) (record_declaration) (struct_declaration)] @class
[(method_declaration) (constructor_declaration) (local_function_statement)] @function
(invocation_expression function: [(identifier) (generic_name)] @call)
(invocation_expression function: (member_access_expression name: (_) @call))
(invocation_expression function: (conditional_access_expression (member_binding_expression name: (_) @call)))
(object_creation_expression) @new
[(throw_statement) (throw_expression)] @throw
(catch_clause) @catch
(assignment_expression) @assign
(variable_declarator) @var
(global_statement) @global`;

/** `[HttpGet]` … `[HttpOptions]`: only ASP.NET Core reads them, on controller actions. */
const HTTP_VERB_ATTRIBUTE = /^Http(?:Get|Post|Put|Delete|Patch|Head|Options)$/;

/** Verb attributes of controller actions. */
const VERB_ATTRIBUTES: ReadonlyMap<string, string> = new Map([
  ['HttpGet', 'GET'],
  ['HttpPost', 'POST'],
  ['HttpPut', 'PUT'],
  ['HttpDelete', 'DELETE'],
  ['HttpPatch', 'PATCH'],
  ['HttpHead', 'HEAD'],
  ['HttpOptions', 'OPTIONS'],
]);
/** ControllerBase / Results / TypedResults helpers that answer with a 4xx/5xx. */
const ERROR_RESULTS = /^(NotFound|BadRequest|Unauthorized|Forbid|Conflict|UnprocessableEntity|Problem|ValidationProblem|InternalServerError)$/;
const ERROR_RESULT_TYPES = /^(NotFound|BadRequest|Unauthorized|Conflict|UnprocessableEntity|Forbid)(Object)?Result$/;
/** Method names `call()` looks at beyond collecting them (entries and error exits). */
const INTERESTING_CALLS = /^(Create\w*|Run(Async)?|NotFound|BadRequest|Unauthorized|Forbid|Conflict|UnprocessableEntity|Problem|ValidationProblem|InternalServerError|StatusCode|Log(Error|Critical)|Error|Fatal|Critical|Write\w*|Exit|FailFast)$/;
/** HttpStatusCode members below 400. */
const OK_STATUS_CODES = /^(Continue|SwitchingProtocols|Processing|EarlyHints|OK|Created|Accepted|NonAuthoritativeInformation|NoContent|ResetContent|PartialContent|MultiStatus|AlreadyReported|IMUsed|Ambiguous|MultipleChoices|Moved|MovedPermanently|Found|Redirect|RedirectMethod|SeeOther|NotModified|UseProxy|Unused|TemporaryRedirect|RedirectKeepVerb|PermanentRedirect)$/;

export const csharpSupport: LanguageSupport = {
  language: 'csharp',
  extensions: ['.cs'],
  grammar: () => 'c-sharp',
  interesting,
  extract,
};

/** Route attributes, minimal-API calls, gRPC bases, handler signatures (IResult, [FromRoute]…, HttpContext), mains, hosts and serverless functions. */
function interesting(text: string): boolean {
  return /\[(Http(Get|Post|Put|Delete|Patch|Head|Options)|Route|ApiController|AcceptVerbs|Function|FunctionName|LambdaFunction)\b|Controller\b|\.Map\w*\s*[<(]|IEndpointRouteBuilder|RouteGroupBuilder|ServiceBase\b|\bMain\s*\(|WebApplication|Host\.Create|HostBuilder|ILambdaContext|IResult\b|\bResults[.<]|TypedResults\.|\[(FromRoute|FromQuery|FromBody|FromServices|AsParameters)\b|\bHttpContext\b/.test(text);
}

function extract(input: ExtractInput): Facts {
  const facts = emptyFacts(input.file, 'csharp');
  try {
    new CSharpExtractor(input, facts).run();
  } catch (e) {
    facts.warnings.push({ line: 1, message: `C# extractor: ${(e as Error).message}` });
  }
  return facts;
}

/** A query capture with its byte range (read once: every Node getter is a call into WebAssembly). */
interface Site extends Range {
  readonly name: string;
  readonly node: Node;
}

interface FunctionSite extends Range {
  readonly name: string;
  /** Class the function is declared in (also for local functions inside methods). */
  readonly container?: string | undefined;
  readonly node: Node;
  readonly calls: Set<string>;
  /** `Container.Method` (or the local function's name): the prefix of its router names. */
  readonly scope: Scope;
}

interface CsClass extends Range {
  readonly name: string;
  readonly node: Node;
  readonly attributes: readonly CsAttribute[];
  readonly methods: readonly Node[];
}

class CSharpExtractor {
  private readonly types: CsTypes;
  private readonly classes: CsClass[] = [];
  private readonly functions: FunctionSite[] = [];
  private readonly handlerLambdas: Range[] = [];
  private readonly globalStatements: Range[] = [];
  private readonly declarations = new Map<string, Node[]>();
  private readonly topLevel: Scope = { name: '', node: undefined, params: new Map() };

  constructor(
    private readonly input: ExtractInput,
    private readonly facts: Facts,
  ) {
    this.types = new CsTypes(input.file, typesOf(input.root), input.project, input.language);
  }

  run(): void {
    const q = query(this.input.language, this.input.grammar, SITES);
    const sites: Site[] = q.captures(this.input.root).map((c) => ({ name: c.name, node: c.node, start: c.node.startIndex, end: c.node.endIndex }));
    // Only files that call a Map* method or take a route builder can register minimal-API routes.
    const routing = /\.Map\w*\s*[<(]|IEndpointRouteBuilder|RouteGroupBuilder|UseEndpoints/.test(this.input.text);
    for (const site of sites) {
      const { name, node } = site;
      if (name === 'class') this.readClass(site);
      else if (name === 'function') this.readFunction(site);
      else if (name === 'var' && routing) {
        const id = node.childForFieldName('name')?.text;
        if (!id) continue;
        const list = this.declarations.get(id);
        if (list) list.push(node);
        else this.declarations.set(id, [node]);
      } else if (name === 'global') {
        this.globalStatements.push(site);
        if (this.globalStatements.length === 1 && node.namedChildren[0]?.type !== 'local_function_statement') this.facts.entries.push({ detail: 'main', name: '<top-level statements>', framework: 'dotnet', loc: locOf(node) });
      }
    }
    for (const cls of this.classes) {
      this.controller(cls);
      this.grpcImpl(cls);
      this.serverless(cls);
    }
    const minimal = new MinimalApiReader({
      facts: this.facts,
      scopeOf: (n) => this.enclosingSite(rangeOf(n))?.scope ?? this.topLevel,
      classOf: (n) => this.classAt(rangeOf(n))?.name,
      definesFunction: (name) => this.functions.some((f) => f.name === name),
      value: (n, at) => this.types.value(n, this.classAt(rangeOf(at))?.name),
      handlerLambdas: this.handlerLambdas,
      usesUseEndpoints: this.input.text.includes('UseEndpoints'),
      declarations: this.declarations,
    });
    for (const site of sites) {
      if (site.name === 'call') {
        const invocation = routing ? invocationOf(site.node) : undefined;
        if (invocation) minimal.invocation(invocation);
        this.call(site);
      } else if (site.name === 'new') this.creation(site);
      else if (site.name === 'throw') this.error('throw', site);
      else if (site.name === 'catch') this.catchClause(site);
      else if (site.name === 'assign') this.assignment(site);
    }
    for (const f of this.functions) {
      const params = paramsOf(f.node).map((p) => p.name);
      this.facts.functions.push({ name: f.name, container: f.container, params, loc: fnLoc(f.node), calls: [...f.calls] });
    }
  }

  private readClass({ node, start, end }: Site): void {
    const name = node.childForFieldName('name')?.text;
    const body = node.childForFieldName('body');
    if (!name || !body) return;
    const methods = body.namedChildren.filter((m): m is Node => m?.type === 'method_declaration');
    this.classes.push({ name, node, start, end, attributes: attributesOf(node), methods });
  }

  private readFunction(site: Site): void {
    const node = site.node;
    const container = this.classAt(site)?.name;
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const local = node.type === 'local_function_statement';
    const scopeName = local || !container ? name : `${container}.${name}`;
    const params = new Map(paramsOf(node).map((p) => [p.name, p.type]));
    this.functions.push({ start: site.start, end: site.end, name, container, node, calls: new Set(), scope: { name: scopeName, node, params } });
  }

  // ── Controllers ─────────────────────────────────────────────────────────────────────────────────────────────

  private controller(cls: CsClass): void {
    const mods = modifiers(cls.node);
    if (mods.has('abstract') || mods.has('static') || cls.attributes.some((a) => a.name === 'NonController')) return;
    const base = baseTypeName(cls.node);
    const isController =
      cls.attributes.some((a) => a.name === 'ApiController' || a.name === 'Controller') ||
      base === 'Controller' ||
      base === 'ControllerBase' ||
      (cls.name.endsWith('Controller') && base !== undefined) ||
      // A base from a package that is a controller itself (Ardalis.ApiEndpoints' `GetById : BaseAsyncEndpoint<…>`),
      // told by its actions' verb attributes.
      (base !== undefined && !this.types.resolve(base) && cls.methods.some((m) => attributesOf(m).some((a) => HTTP_VERB_ATTRIBUTE.test(a.name))));
    if (!isController) return;
    const controllerName = cls.name.replace(/Controller$/, '');
    // [Route] and [Area] of the class, else inherited from the base classes
    let templates = cls.attributes.filter((a) => a.name === 'Route').map((a) => ({ value: this.types.value(a.positional[0] ?? a.named.get('Template'), cls.name), node: a.node as Node | undefined }));
    let area = this.types.value(cls.attributes.find((a) => a.name === 'Area')?.positional[0], cls.name);
    for (let b = base, depth = 0; b && depth < 4 && (templates.length === 0 || area === undefined); depth++) {
      if (b === 'Controller' || b === 'ControllerBase') break;
      const t = this.types.resolve(b);
      if (!t) break;
      if (templates.length === 0 && t.routes.length > 0) templates = t.routes.map((value) => ({ value, node: undefined }));
      area ??= t.area;
      b = t.base;
    }
    for (const t of templates) if (t.value === undefined) this.warn(t.node ?? cls.node, `[Route] of ${cls.name}: the template is not a constant this scan can read`);
    const prefixes = templates.length > 0 ? templates.map((t) => t.value).filter((v): v is string => v !== undefined) : [''];
    const routers = prefixes.map((raw, i) => {
      const name = i === 0 ? cls.name : `${cls.name}#${i + 1}`;
      const hasAction = raw.includes('[action]');
      const prefix = hasAction ? '' : replaceTokens(raw, controllerName, undefined, area);
      this.facts.routers.push({ name, framework: 'aspnet', prefix, style: 'brace', loc: locOf(templates[i]?.node ?? cls.node.childForFieldName('name') ?? cls.node) });
      return { name, raw: hasAction ? raw : '' };
    });
    for (const m of cls.methods) {
      const mm = modifiers(m);
      if (!mm.has('public') || mm.has('static')) continue;
      const attrs = attributesOf(m);
      if (attrs.some((a) => a.name === 'NonAction')) continue;
      const method = m.childForFieldName('name')?.text ?? '';
      const action = this.types.value(attrs.find((a) => a.name === 'ActionName')?.positional[0], cls.name) ?? method.replace(/Async$/, '');
      const handler = { kind: 'here' as const, name: `${cls.name}.${method}`, loc: fnLoc(m) };
      for (const r of this.actionRoutes(attrs, cls.name)) {
        const path = replaceTokens(r.template, controllerName, action, area);
        if (/^~?\//.test(r.template)) {
          // an absolute template ignores the controller's [Route]
          this.facts.routes.push({ method: r.verb, path: path.replace(/^~/, ''), style: 'brace', handler, framework: 'aspnet', loc: locOf(r.at) });
          continue;
        }
        for (const router of routers) {
          const full = router.raw ? replaceTokens(router.raw, controllerName, action, area) + '/' + path : path;
          this.facts.routes.push({ router: { kind: 'local', name: router.name }, method: r.verb, path: full, style: 'brace', handler, framework: 'aspnet', loc: locOf(r.at) });
        }
      }
    }
  }

  /** (verb, template) pairs of an action: [HttpGet("x")], [HttpGet] + [Route("x")], [Route("x")] alone (every verb), [AcceptVerbs]. */
  private actionRoutes(attrs: readonly CsAttribute[], cls: string): { verb: string; template: string; at: Node }[] {
    const out: { verb: string; template: string; at: Node }[] = [];
    const bare: { verb: string; at: Node }[] = [];
    /** The attribute's template: null when it names none, undefined (and a warning) when it is not a readable constant. */
    const template = (a: CsAttribute): string | null | undefined => {
      const n = a.positional[0] ?? a.named.get('Template');
      if (!n) return null;
      const v = this.types.value(n, cls);
      if (v === undefined) this.warn(n, `[${a.name}(${shortText(n, 60)})]: the template is not a constant this scan can read`);
      return v;
    };
    for (const a of attrs) {
      const verb = VERB_ATTRIBUTES.get(a.name);
      if (verb) {
        const t = template(a);
        if (t === null) bare.push({ verb, at: a.node });
        else if (t !== undefined) out.push({ verb, template: t, at: a.node });
      } else if (a.name === 'AcceptVerbs') {
        const verbs = a.positional.map((p) => this.types.value(p, cls)?.toUpperCase()).filter((v): v is string => !!v);
        const route = a.named.get('Route');
        const t = route ? this.types.value(route, cls) : undefined;
        for (const v of verbs) {
          if (t === undefined) bare.push({ verb: v, at: a.node });
          else out.push({ verb: v, template: t, at: a.node });
        }
      }
    }
    const routes = attrs.filter((a) => a.name === 'Route');
    const hasVerbs = attrs.some((a) => VERB_ATTRIBUTES.has(a.name) || a.name === 'AcceptVerbs');
    for (const r of routes) {
      const t = template(r);
      if (t === null || t === undefined) continue;
      if (!hasVerbs) out.push({ verb: 'ANY', template: t, at: r.node });
      for (const b of bare) out.push({ verb: b.verb, template: t, at: b.at });
    }
    if (routes.length === 0) for (const b of bare) out.push({ verb: b.verb, template: '', at: b.at });
    return out;
  }

  // ── gRPC ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** `class X : Greeter.GreeterBase` → service Greeter. */
  private grpcImpl(cls: CsClass): void {
    const first = cls.node.namedChildren.find((c) => c?.type === 'base_list')?.namedChildren[0];
    const m = first?.type === 'qualified_name' ? /(?:^|\.)(\w+)\.(\w+)Base$/.exec(first.text) : null;
    if (!m || m[1] !== m[2]) return;
    const methods = cls.methods.filter((x) => modifiers(x).has('override')).map((x) => ({ name: x.childForFieldName('name')?.text ?? '', loc: fnLoc(x) }));
    this.facts.grpcImpls.push({ service: m[1] as string, container: cls.name, methods, framework: 'grpc', loc: locOf(cls.node.childForFieldName('name') ?? cls.node) });
  }

  // ── Entry points ────────────────────────────────────────────────────────────────────────────────────────────

  /** Main, Azure Functions ([Function]/[FunctionName], HTTP triggers become routes under host.json's prefix), AWS Lambda handlers. */
  private serverless(cls: CsClass): void {
    for (const m of cls.methods) {
      const name = m.childForFieldName('name')?.text ?? '';
      const attrs = attributesOf(m);
      const loc = fnLoc(m);
      if (name === 'Main' && modifiers(m).has('static')) this.facts.entries.push({ detail: 'main', name: `${cls.name}.Main`, framework: 'dotnet', loc });
      const fn = attrs.find((a) => a.name === 'Function' || a.name === 'FunctionName');
      if (fn) {
        const fnName = this.types.value(fn.positional[0], cls.name) ?? name;
        this.facts.entries.push({ detail: 'serverless', name: fnName, framework: 'azure-functions', loc });
        this.httpTrigger(cls, m, fnName);
      } else if (attrs.some((a) => a.name === 'LambdaFunction') || name === 'FunctionHandler' || paramsOf(m).some((p) => p.type === 'ILambdaContext')) {
        this.facts.entries.push({ detail: 'serverless', name: `${cls.name}.${name}`, framework: 'aws-lambda', loc });
      }
    }
  }

  /** `[HttpTrigger(AuthorizationLevel.X, "get", "post", Route = "orders/{id}")]`: routes under `api/` (or host.json's routePrefix). */
  private httpTrigger(cls: CsClass, m: Node, fnName: string): void {
    for (const p of m.childForFieldName('parameters')?.namedChildren ?? []) {
      const trigger = p ? attributesOf(p).find((a) => a.name === 'HttpTrigger') : undefined;
      if (!trigger) continue;
      const verbs = trigger.positional.map((a) => this.types.value(a, cls.name)?.toUpperCase()).filter((v): v is string => !!v);
      const route = trigger.named.get('Route');
      const path = route ? this.types.value(route, cls.name) : fnName;
      if (path === undefined) return this.warn(route ?? trigger.node, `HttpTrigger of ${fnName}: the route is not a constant this scan can read`);
      if (!this.facts.routers.some((r) => r.name === cls.name)) {
        this.facts.routers.push({ name: cls.name, framework: 'azure-functions', style: 'brace', loc: locOf(cls.node.childForFieldName('name') ?? cls.node) });
        this.facts.globalPrefixes.push({ framework: 'azure-functions', prefix: this.functionsRoutePrefix(), loc: locOf(trigger.node) });
      }
      for (const verb of verbs.length > 0 ? verbs : ['ANY']) {
        this.facts.routes.push({ router: { kind: 'local', name: cls.name }, method: verb, path, style: 'brace', handler: { kind: 'here', name: `${cls.name}.${m.childForFieldName('name')?.text ?? ''}`, loc: fnLoc(m) }, framework: 'azure-functions', loc: locOf(trigger.node) });
      }
    }
  }

  /** host.json `extensions.http.routePrefix` of the function app, `api` by default. */
  private functionsRoutePrefix(): string {
    const root = this.input.project.serviceRootOf(this.input.file);
    const text = this.input.project.read((root === '' ? '' : root + '/') + 'host.json');
    try {
      const prefix = text ? (JSON.parse(text) as { extensions?: { http?: { routePrefix?: unknown } } }).extensions?.http?.routePrefix : undefined;
      return typeof prefix === 'string' ? prefix : 'api';
    } catch {
      return 'api';
    }
  }

  // ── Calls: entries and errors ───────────────────────────────────────────────────────────────────────────────

  /** An invocation, captured by the called name (the invocation node is read only when the name is one that matters). */
  private call(site: Site): void {
    const name = methodName(site.node);
    this.enclosingSite(site)?.calls.add(name);
    if (!INTERESTING_CALLS.test(name)) return;
    const node = invocationOf(site.node);
    if (!node) return;
    const at: Site = { ...site, node };
    const fn = node.childForFieldName('function');
    const member = fn?.type === 'member_access_expression';
    const receiver = member ? (fn.childForFieldName('expression')?.text ?? '') : '';
    if (receiver === 'WebApplication' && /^Create(Builder|SlimBuilder|EmptyBuilder)?$/.test(name)) this.entry('bootstrap', node, 'aspnet');
    else if (receiver === 'Host' && /^Create(Default|Application|Empty)Builder$/.test(name)) this.entry('bootstrap', node, 'generic-host');
    else if (/^Run(Async)?$/.test(name) && member && (/(^|\.)(app|host|application|webApp)$/i.test(receiver) || /\.Build\(\)$/.test(receiver))) this.entry('listen', node, /host/i.test(receiver) ? 'generic-host' : 'aspnet');
    const fnName = this.functionName(site);
    if (fnName === undefined) return;
    const args = argumentsOf(node);
    const bare = !member || /^(this|base|Results|TypedResults)$/.test(receiver);
    if (bare && (ERROR_RESULTS.test(name) || (name === 'StatusCode' && args[0] !== undefined && isErrorStatus(args[0])))) this.error('http-error', at, fnName);
    else if (/^Create(Error)?Response$/.test(name) && isErrorStatus(args[0])) this.error('http-error', at, fnName);
    else if (/^Log(Error|Critical)$/.test(name) || (member && /^(Error|Fatal|Critical)$/.test(name) && /(^|\.)_?(log|logger)$/i.test(receiver))) this.error('log-error', at, fnName);
    else if (receiver === 'Console.Error' && /^Write/.test(name)) this.error('log-error', at, fnName);
    else if (receiver === 'Environment' && (name === 'Exit' || name === 'FailFast')) this.error('panic', at, fnName);
  }

  private creation(site: Site): void {
    const node = site.node;
    const type = node.childForFieldName('type')?.text ?? '';
    if (type === 'HostBuilder' || type === 'WebHostBuilder') this.entry('bootstrap', node, 'generic-host');
    if (!ERROR_RESULT_TYPES.test(type) && type !== 'StatusCodeResult' && type !== 'ObjectResult') return;
    const fnName = this.functionName(site);
    if (fnName === undefined) return;
    const args = argumentsOf(node);
    if (ERROR_RESULT_TYPES.test(type) || (type === 'StatusCodeResult' && args[0] && isErrorStatus(args[0]))) this.error('http-error', site, fnName);
    else if (type === 'ObjectResult') {
      // new ObjectResult(body) { StatusCode = 500 }
      for (const init of node.childForFieldName('initializer')?.namedChildren ?? []) {
        if (init?.type === 'assignment_expression' && init.childForFieldName('left')?.text === 'StatusCode' && isErrorStatus(init.childForFieldName('right'))) this.error('http-error', site, fnName);
      }
    }
  }

  /** `context.Response.StatusCode = StatusCodes.Status500InternalServerError;` */
  private assignment(site: Site): void {
    const node = site.node;
    const left = node.childForFieldName('left')?.text ?? '';
    if (!/(^|\.)StatusCode$/.test(left) || !isErrorStatus(node.childForFieldName('right'))) return;
    if (node.parent?.type === 'initializer_expression') return; // `new ObjectResult { StatusCode = … }` is recorded with the creation
    const fnName = this.functionName(site);
    if (fnName !== undefined) this.error('http-error', site, fnName);
  }

  private catchClause(site: Site): void {
    const body = site.node.childForFieldName('body');
    const empty = !body || body.namedChildren.every((c) => !c || c.type === 'comment');
    this.error(empty ? 'swallow' : 'catch', site);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

  private classAt({ start, end }: Range): CsClass | undefined {
    let best: CsClass | undefined;
    for (const c of this.classes) if (c.start <= start && end <= c.end && (!best || c.start >= best.start)) best = c;
    return best;
  }

  /** The innermost method, constructor or local function strictly around a range. */
  private enclosingSite({ start, end }: Range): FunctionSite | undefined {
    let best: FunctionSite | undefined;
    for (const f of this.functions) if (f.start <= start && end <= f.end && (f.start !== start || f.end !== end) && (!best || f.start >= best.start)) best = f;
    return best;
  }

  /** The function an error is in: the innermost method/local function, `<anonymous>` in a route-handler lambda, `<top-level>` in Program.cs statements; undefined elsewhere (field initializers). */
  private functionName(r: Range): string | undefined {
    const site = this.enclosingSite(r);
    if (this.handlerLambdas.some((l) => l.start <= r.start && r.end <= l.end && (!site || l.start >= site.start))) return '<anonymous>';
    if (site) return site.name;
    return this.globalStatements.some((g) => g.start <= r.start && r.end <= g.end) ? '<top-level>' : undefined;
  }

  private entry(detail: string, node: Node, framework: string): void {
    this.facts.entries.push({ detail, name: shortText(node, 80), framework, loc: locOf(node) });
  }

  private error(kind: Facts['errors'][number]['kind'], site: Site, fnName?: string): void {
    const fn = fnName ?? this.functionName(site);
    if (fn !== undefined) this.facts.errors.push({ kind, text: shortText(site.node), function: fn, loc: locOf(site.node) });
  }

  private warn(at: Node, message: string): void {
    this.facts.warnings.push({ line: at.startPosition.row + 1, message });
  }
}

/** `[controller]`, `[action]`, `[area]` (any case) replaced; `[[`/`]]` escapes kept as single brackets. */
function replaceTokens(template: string, controller: string, action: string | undefined, area: string | undefined): string {
  return template.replace(/\[(controller|action|area)\]/gi, (m, t: string) => {
    const v = t.toLowerCase() === 'controller' ? controller : t.toLowerCase() === 'action' ? action : area;
    return v ?? m;
  });
}

function modifiers(decl: Node): Set<string> {
  return new Set(decl.namedChildren.filter((c) => c?.type === 'modifier').map((c) => c?.text ?? ''));
}

/** Parameter names and simple type names, in order (`this RouteGroupBuilder g` included). */
function paramsOf(fn: Node): { name: string; type: string }[] {
  const out: { name: string; type: string }[] = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p?.type !== 'parameter') continue;
    const name = p.childForFieldName('name')?.text;
    const t = p.childForFieldName('type');
    const type = t?.type === 'generic_name' ? (t.namedChildren[0]?.text ?? '') : (t?.text ?? '');
    if (name) out.push({ name, type: type.slice(type.lastIndexOf('.') + 1).replace(/\?$/, '') });
  }
  return out;
}

/** `500`, `StatusCodes.Status404NotFound`, `HttpStatusCode.BadGateway`, `(int)HttpStatusCode.NotFound`. */
function isErrorStatus(n: Node | null | undefined): boolean {
  if (!n) return false;
  if (n.type === 'integer_literal') return Number(n.text) >= 400;
  if (n.type === 'cast_expression') return isErrorStatus(n.childForFieldName('value'));
  if (n.type === 'parenthesized_expression') return isErrorStatus(n.namedChildren[0]);
  if (n.type === 'member_access_expression') {
    const name = n.childForFieldName('name')?.text ?? '';
    const status = /^Status(\d{3})/.exec(name);
    if (status) return Number(status[1]) >= 400;
    return /HttpStatusCode$/.test(n.childForFieldName('expression')?.text ?? '') && !OK_STATUS_CODES.test(name);
  }
  return false;
}

/** The invocation a called name belongs to (`MapGet` in `app.MapGet(…)`, `B` in `a?.B()`). */
function invocationOf(name: Node): Node | undefined {
  let n = name.parent;
  for (let i = 0; n && i < 3 && n.type !== 'invocation_expression'; i++) n = n.parent;
  return n?.type === 'invocation_expression' ? n : undefined;
}

function rangeOf(n: Node): Range {
  return { start: n.startIndex, end: n.endIndex };
}

/** A definition's position: the name's line and column, ending with the body. */
function fnLoc(decl: Node): Loc {
  const name = decl.childForFieldName('name') ?? decl;
  return { line: name.startPosition.row + 1, column: name.startPosition.column + 1, endLine: decl.endPosition.row + 1 };
}
