/**
 * Java: Spring MVC / WebFlux annotated controllers and functional RouterFunctions, JAX-RS resources (with
 * sub-resource locators and @ApplicationPath), grpc-java service implementations, entry points (main,
 * SpringApplication.run, Quarkus, Micronaut, gRPC/Javalin/Vert.x servers, AWS Lambda handlers) and error exits.
 * Class names are global: a controller class is a router named after the class; constants in route annotations
 * are evaluated, reading the constants class's file when it is another one.
 */
import type { Node } from '../node';
import { emptyFacts, type Loc } from '../facts';
import type { ExtractInput, LanguageSupport } from '../language';
import { locOf, shortText } from '../syntax';
import { query } from '../treeSitter';
import { annotationsOf, requestMethods, SPRING_MAPPINGS, type Annotation } from './java/annotations';
import { ConstantEvaluator, scopeOf } from './java/constants';
import { interfaceInFiles, mappingsOf, parameterCount, type InheritedMapping } from './java/springInterfaces';
import { HTTP_VERBS, readRouterFunction, type Range } from './java/routerFunctions';
import { springPathPrefix } from './java/springConfig';

type Facts = ReturnType<typeof emptyFacts>;

/** A query capture with its byte range. */
interface Site extends Range {
  readonly name: string;
  readonly node: Node;
}

/** A method or constructor: its byte range (to find what encloses an error) and the names it calls. */
interface FunctionSite extends Range {
  readonly name: string;
  readonly node: Node;
  readonly calls: Set<string>;
}

interface JavaClass {
  readonly name: string;
  readonly node: Node;
  readonly annotations: readonly Annotation[];
  readonly methods: readonly Node[];
  /** Method node id → its annotations (read once). */
  readonly methodAnnotations: ReadonlyMap<number, readonly Annotation[]>;
  /** Field name → simple type name. */
  readonly fieldTypes: ReadonlyMap<string, string>;
}

const SITES = `
[(class_declaration) (interface_declaration) (enum_declaration) (record_declaration)] @class
[(method_declaration) (constructor_declaration)] @function
(method_invocation name: (identifier) @call)
(object_creation_expression) @new
(throw_statement) @throw
(catch_clause) @catch`;

const CLIENT_ANNOTATIONS: ReadonlySet<string> = new Set(['FeignClient', 'RegisterRestClient', 'HttpExchange']);
/** Spring HttpStatus / JAX-RS Response.Status names that are not errors; every other UPPER_CASE status name is 4xx/5xx. */
const OK_STATUS = /^(CONTINUE|SWITCHING_PROTOCOLS|PROCESSING|EARLY_HINTS|CHECKPOINT|OK|CREATED|ACCEPTED|NON_AUTHORITATIVE_INFORMATION|NO_CONTENT|RESET_CONTENT|PARTIAL_CONTENT|MULTI_STATUS|ALREADY_REPORTED|IM_USED|MULTIPLE_CHOICES|MOVED_PERMANENTLY|FOUND|MOVED_TEMPORARILY|SEE_OTHER|NOT_MODIFIED|USE_PROXY|TEMPORARY_REDIRECT|PERMANENT_REDIRECT|SC_OK|SC_CREATED|SC_ACCEPTED|SC_NO_CONTENT|SC_FOUND|SC_MOVED_PERMANENTLY|SC_NOT_MODIFIED|SC_SEE_OTHER|SC_TEMPORARY_REDIRECT)$/;
/** Builders of error responses: `ResponseEntity.notFound()`, `ServerResponse.badRequest()`, `Response.serverError()`. */
const ERROR_BUILDERS: ReadonlySet<string> = new Set(['notFound', 'badRequest', 'unprocessableEntity', 'internalServerError', 'serverError']);
const RESPONSE_TYPES: ReadonlySet<string> = new Set(['ResponseEntity', 'ServerResponse', 'Response', 'HttpResponse']);
/** Method names `call()` looks at beyond collecting them (entries and error exits). */
const INTERESTING_CALLS: ReadonlySet<string> = new Set(['run', 'start', 'listen', 'createHttpServer', 'status', ...ERROR_BUILDERS, 'sendError', 'setStatus', 'error', 'fatal', 'severe', 'log', 'printStackTrace', 'println', 'onError', 'exit']);
/** Exceptions that are themselves an HTTP error response. */
const HTTP_EXCEPTIONS =
  /^(ResponseStatusException|ErrorResponseException|HttpClientErrorException|HttpServerErrorException|WebApplicationException|ClientErrorException|ServerErrorException|NotFoundException|BadRequestException|ForbiddenException|NotAuthorizedException|NotAllowedException|NotAcceptableException|InternalServerErrorException|ServiceUnavailableException)$/;

export const javaSupport: LanguageSupport = {
  language: 'java',
  extensions: ['.java'],
  grammar: () => 'java',
  interesting,
  extract,
};

/** Route annotations, router functions, gRPC bases, handler signatures (ServerRequest), mains and framework bootstraps. */
function interesting(text: string): boolean {
  return /@\w*Mapping\b|@Path\b|@(GET|POST|PUT|DELETE|PATCH)\b|@ApplicationPath|RouterFunction|ServerRequest|ImplBase|AsyncService|@GrpcService|void main\s*\(|SpringApplication|Quarkus|Micronaut|RequestHandler|RequestStreamHandler|ServerBuilder|Javalin|HttpServer/.test(text);
}

function extract(input: ExtractInput): ReturnType<typeof emptyFacts> {
  const facts = emptyFacts(input.file, 'java');
  try {
    new JavaExtractor(input, facts).run();
  } catch (e) {
    facts.warnings.push({ line: 1, message: `Java extractor: ${(e as Error).message}` });
  }
  return facts;
}

class JavaExtractor {
  private readonly constants: ConstantEvaluator;
  private readonly classes: JavaClass[] = [];
  /** Innermost class per declaration node id (methods, constructors). */
  private readonly classOf = new Map<number, string>();
  private readonly functions: FunctionSite[] = [];
  private readonly handlerLambdas: Range[] = [];

  constructor(
    private readonly input: ExtractInput,
    private readonly facts: Facts,
  ) {
    this.constants = new ConstantEvaluator(scopeOf(input.root, input.file), input.project, input.language);
  }

  run(): void {
    const q = query(this.input.language, this.input.grammar, SITES);
    const sites: Site[] = q.captures(this.input.root).map((c) => ({ name: c.name, node: c.node, start: c.node.startIndex, end: c.node.endIndex }));
    for (const site of sites) {
      if (site.name === 'class') this.readClass(site.node);
      else if (site.name === 'function') this.readFunction(site);
    }
    for (const cls of this.classes) {
      // HTTP clients declared with server annotations (Feign, MicroProfile REST client, @HttpExchange) serve nothing
      if (cls.annotations.some((a) => CLIENT_ANNOTATIONS.has(a.name))) continue;
      this.springController(cls);
      this.jaxrsResource(cls);
      this.routerFunctions(cls);
      this.grpcImpl(cls);
      this.classEntries(cls);
    }
    for (const site of sites) {
      if (site.name === 'call') this.call(site);
      else if (site.name === 'new') this.creation(site);
      else if (site.name === 'throw') this.throwStatement(site);
      else if (site.name === 'catch') this.catchClause(site);
    }
    for (const f of this.functions) {
      const nameNode = f.node.childForFieldName('name') ?? f.node;
      const params = (f.node.childForFieldName('parameters')?.namedChildren ?? []).map((p) => p?.childForFieldName('name')?.text).filter((p): p is string => !!p);
      this.facts.functions.push({ name: f.name, container: this.classOf.get(f.node.id), params, loc: fnLoc(f.node, nameNode), calls: [...f.calls] });
    }
  }

  private readClass(node: Node): void {
    const name = node.childForFieldName('name')?.text;
    const body = node.childForFieldName('body');
    if (!name || !body) return;
    const methods: Node[] = [];
    const methodAnnotations = new Map<number, Annotation[]>();
    const fieldTypes = new Map<string, string>();
    for (const m of body.namedChildren) {
      if (!m) continue;
      if (m.type === 'method_declaration' || m.type === 'constructor_declaration') {
        methods.push(m);
        methodAnnotations.set(m.id, annotationsOf(m));
        this.classOf.set(m.id, name);
      } else if (m.type === 'field_declaration') {
        const type = simpleType(m.childForFieldName('type'));
        for (const d of m.namedChildren) if (d?.type === 'variable_declarator' && type) fieldTypes.set(d.childForFieldName('name')?.text ?? '', type);
      }
    }
    // record components are fields too (constructor-injected handlers: `record Routes(ArticleHandler h)`)
    for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
      const t = simpleType(p?.childForFieldName('type'));
      const n = p?.childForFieldName('name')?.text;
      if (t && n) fieldTypes.set(n, t);
    }
    this.classes.push({ name, node, annotations: annotationsOf(node), methods, methodAnnotations, fieldTypes });
  }

  private readFunction({ node, start, end }: Site): void {
    const name = node.childForFieldName('name')?.text;
    if (name) this.functions.push({ start, end, name, node, calls: new Set() });
  }

  // ── Spring MVC / WebFlux annotated controllers ──────────────────────────────────────────────────────────────

  private springController(cls: JavaClass): void {
    // An interface serves nothing itself: Spring maps the controllers that implement it (below).
    if (cls.node.type === 'interface_declaration') return;
    const mapped = cls.methods.map((m) => ({ m, maps: (cls.methodAnnotations.get(m.id) ?? []).filter((a) => SPRING_MAPPINGS.has(a.name)) })).filter((x) => x.maps.length > 0);
    const inherited = this.inheritedMappings(cls, new Set(mapped.map((x) => x.m.id)));
    if (mapped.length === 0 && inherited.methods.length === 0) return;
    const classMap = cls.annotations.find((a) => a.name === 'RequestMapping');
    const prefixes = classMap ? this.paths(classMap, cls.name) : (inherited.prefixes ?? ['']);
    const routers = prefixes.map((prefix, i) => {
      const name = i === 0 ? cls.name : `${cls.name}#${i + 1}`;
      this.facts.routers.push({ name, framework: 'spring', prefix, style: 'brace', loc: locOf(classMap?.node ?? cls.node) });
      return name;
    });
    for (const { m, maps } of mapped) {
      const handler = this.handlerHere(cls, m);
      for (const a of maps) {
        const verbs = SPRING_MAPPINGS.get(a.name) ?? requestMethods(a);
        for (const path of this.paths(a, cls.name)) {
          for (const router of routers) {
            for (const method of verbs) this.facts.routes.push({ router: { kind: 'local', name: router }, method, path, style: 'brace', handler, framework: 'spring', loc: locOf(a.node) });
          }
        }
      }
    }
    // Registered at the overriding method (this file), with the interface's verbs and paths.
    for (const { m, mapping } of inherited.methods) {
      const handler = this.handlerHere(cls, m);
      for (const path of mapping.paths) {
        for (const router of routers) {
          for (const method of mapping.verbs) this.facts.routes.push({ router: { kind: 'local', name: router }, method, path, style: 'brace', handler, framework: 'spring', loc: locOf(m.childForFieldName('name') ?? m) });
        }
      }
    }
  }

  /**
   * The mappings a `@Controller`/`@RestController` inherits from the interfaces it implements (this file's or
   * another's: openapi-generator's `OwnersApi`), for its methods that override a mapped one without a mapping
   * of their own (`skip`: the ids of methods that have one).
   */
  private inheritedMappings(cls: JavaClass, skip: ReadonlySet<number>): { prefixes: readonly string[] | undefined; methods: { m: Node; mapping: InheritedMapping }[] } {
    const none = { prefixes: undefined, methods: [] };
    if (!cls.annotations.some((a) => a.name === 'RestController' || a.name === 'Controller')) return none;
    const names = (cls.node.childForFieldName('interfaces')?.namedChildren[0]?.namedChildren ?? []).map((t) => simpleType(t)).filter((t): t is string => !!t);
    let prefixes: readonly string[] | undefined;
    const methods: { m: Node; mapping: InheritedMapping }[] = [];
    for (const name of names) {
      const here = this.classes.find((c) => c.name === name && c.node.type === 'interface_declaration');
      const found = here ? mappingsOf(here.node, (n) => this.constants.value(n, name)) : interfaceInFiles(this.input.project, this.input.language, this.constants.candidateFiles(name), name);
      if (!found) continue;
      prefixes ??= found.prefixes;
      for (const mapping of found.methods) {
        const m = cls.methods.find((x) => !skip.has(x.id) && x.type === 'method_declaration' && x.childForFieldName('name')?.text === mapping.name && parameterCount(x) === mapping.params);
        if (m) methods.push({ m, mapping });
      }
    }
    return { prefixes, methods };
  }

  /** The paths of a mapping annotation (`value`/`path`, a single string or an array); `['']` when it names none. */
  private paths(a: Annotation, cls: string): string[] {
    const nodes = [...(a.args.get('value') ?? []), ...(a.args.get('path') ?? [])];
    if (nodes.length === 0) return [''];
    const out: string[] = [];
    for (const n of nodes) {
      const v = this.constants.value(n, cls);
      if (v === undefined) this.warn(n, `@${a.name}(${shortText(n, 60)}): the path is not a constant this scan can read`);
      else out.push(v);
    }
    return out;
  }

  private handlerHere(cls: JavaClass, m: Node): { kind: 'here'; name: string; loc: Loc } {
    return { kind: 'here', name: `${cls.name}.${m.childForFieldName('name')?.text ?? '<init>'}`, loc: fnLoc(m, m.childForFieldName('name') ?? m) };
  }

  // ── JAX-RS ──────────────────────────────────────────────────────────────────────────────────────────────────

  private jaxrsResource(cls: JavaClass): void {
    const app = cls.annotations.find((a) => a.name === 'ApplicationPath');
    if (app) {
      const [prefix] = this.paths(app, cls.name);
      if (prefix !== undefined && prefix !== '') this.facts.globalPrefixes.push({ framework: 'jax-rs', prefix, loc: locOf(app.node) });
    }
    const classPath = cls.annotations.find((a) => a.name === 'Path');
    const methods = cls.methods.map((m) => ({ m, anns: cls.methodAnnotations.get(m.id) ?? [] })).filter(({ anns }) => anns.some((a) => a.name === 'Path' || HTTP_VERBS.has(a.name)));
    if (!classPath && !methods.some(({ anns }) => anns.some((a) => HTTP_VERBS.has(a.name)))) return;
    const [prefix] = classPath ? this.paths(classPath, cls.name) : [''];
    this.facts.routers.push({ name: cls.name, framework: 'jax-rs', prefix, style: 'brace', loc: locOf(classPath?.node ?? cls.node) });
    for (const { m, anns } of methods) {
      const pathAnn = anns.find((a) => a.name === 'Path');
      const [path] = pathAnn ? this.paths(pathAnn, cls.name) : [''];
      if (path === undefined) continue;
      const verbs = anns.filter((a) => HTTP_VERBS.has(a.name));
      if (verbs.length === 0) {
        // a sub-resource locator: the returned class's routes live under this path
        const child = simpleType(m.childForFieldName('type'));
        if (child && child !== 'void') this.facts.mounts.push({ parent: { kind: 'local', name: cls.name }, child: { kind: 'global', name: child }, prefix: path, style: 'brace', loc: locOf(pathAnn?.node ?? m) });
        continue;
      }
      for (const v of verbs) this.facts.routes.push({ router: { kind: 'local', name: cls.name }, method: v.name, path, style: 'brace', handler: this.handlerHere(cls, m), framework: 'jax-rs', loc: locOf(v.node) });
    }
  }

  // ── Functional endpoints ────────────────────────────────────────────────────────────────────────────────────

  private routerFunctions(cls: JavaClass): void {
    const routerMethods = cls.methods.filter((m) => m.type === 'method_declaration' && /\bRouterFunction\b/.test(m.childForFieldName('type')?.text ?? ''));
    if (routerMethods.length === 0) return;
    const names = new Set(routerMethods.map((m) => m.childForFieldName('name')?.text ?? ''));
    for (const m of routerMethods) {
      const types = new Map(cls.fieldTypes);
      for (const p of m.childForFieldName('parameters')?.namedChildren ?? []) {
        const t = simpleType(p?.childForFieldName('type'));
        const n = p?.childForFieldName('name')?.text;
        if (t && n) types.set(n, t);
      }
      readRouterFunction(m, {
        facts: this.facts,
        cls: cls.name,
        value: (n) => this.constants.value(n, cls.name),
        typeOf: (n) => types.get(n),
        routerMethods: names,
        handlerLambdas: this.handlerLambdas,
      });
    }
  }

  // ── gRPC ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** `extends FooGrpc.FooImplBase` (also Reactor/Mutiny stubs), `implements FooGrpc.AsyncService`, `@GrpcService … implements Foo`. */
  private grpcImpl(cls: JavaClass): void {
    const supers = [cls.node.childForFieldName('superclass'), ...(cls.node.childForFieldName('interfaces')?.namedChildren[0]?.namedChildren ?? [])];
    let service: string | undefined;
    for (const s of supers) {
      const t = s?.type === 'superclass' ? s.namedChildren[0]?.text : s?.text;
      if (!t) continue;
      const base = /(?:^|\.)(\w+)ImplBase$/.exec(t) ?? /(?:^|\.)(\w+)Grpc\.AsyncService$/.exec(t);
      if (base) service = base[1];
      else if (cls.annotations.some((a) => a.name === 'GrpcService') && s?.type !== 'superclass') service = t.slice(t.lastIndexOf('.') + 1);
      if (service) break;
    }
    if (!service) return;
    const methods = cls.methods.filter((m) => m.type === 'method_declaration').map((m) => ({ name: m.childForFieldName('name')?.text ?? '', loc: fnLoc(m, m.childForFieldName('name') ?? m) }));
    this.facts.grpcImpls.push({ service, container: cls.name, methods, framework: 'grpc', loc: locOf(cls.node.childForFieldName('name') ?? cls.node) });
  }

  // ── Entry points ────────────────────────────────────────────────────────────────────────────────────────────

  private classEntries(cls: JavaClass): void {
    if (cls.annotations.some((a) => a.name === 'SpringBootApplication')) {
      const found = springPathPrefix(this.input.project, this.input.project.serviceRootOf(this.input.file));
      if (found) this.facts.globalPrefixes.push({ framework: 'spring', prefix: found.prefix, loc: locOf(cls.node) });
    }
    const lambda = /\bRequest(Stream)?Handler\b/.test(cls.node.childForFieldName('interfaces')?.text ?? '');
    for (const m of cls.methods) {
      const name = m.childForFieldName('name')?.text;
      const mods = m.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
      const at = fnLoc(m, m.childForFieldName('name') ?? m);
      if (name === 'main' && /\bstatic\b/.test(mods) && m.childForFieldName('type')?.text === 'void') this.facts.entries.push({ detail: 'main', name: `${cls.name}.main`, framework: 'java', loc: at });
      else if (lambda && name === 'handleRequest') this.facts.entries.push({ detail: 'serverless', name: `${cls.name}.handleRequest`, framework: 'aws-lambda', loc: at });
    }
  }

  /** A method invocation, captured by its name (the invocation node is read only when the name is one that matters). */
  private call(site: Site): void {
    const name = site.node.text;
    const fn = this.enclosing(site);
    fn?.fact?.calls.add(name);
    const node = site.node.parent;
    if (!INTERESTING_CALLS.has(name) || !node) return;
    const obj = node.childForFieldName('object');
    const objText = obj?.text ?? '';
    const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a);
    // entries
    if (name === 'run' && (objText === 'SpringApplication' || /SpringApplicationBuilder/.test(objText))) this.entry('bootstrap', node, 'spring');
    else if ((name === 'run' || name === 'start') && objText === 'Quarkus') this.entry('bootstrap', node, 'quarkus');
    else if (name === 'run' && /^Micronaut\b/.test(objText)) this.entry('bootstrap', node, 'micronaut');
    else if (name === 'start' && /ServerBuilder|forPort\s*\(/.test(objText)) this.entry('listen', node, 'grpc');
    else if (name === 'start' && obj?.type === 'identifier' && this.isGrpcServer(obj.text, fn?.fact)) this.entry('listen', node, 'grpc');
    else if (name === 'start' && /Javalin\s*\.\s*create/.test(objText)) this.entry('listen', node, 'javalin');
    else if (name === 'listen' && /createHttpServer/.test(objText)) this.entry('listen', node, 'vertx');
    else if (name === 'createHttpServer' && /HttpServerFactory$/.test(objText)) this.entry('listen', node, 'jax-rs');
    if (!fn) return;
    // errors
    const status = args[0];
    if (RESPONSE_TYPES.has(objText) && ((ERROR_BUILDERS.has(name) && args.length === 0) || (name === 'status' && status && isErrorStatus(status)))) this.error('http-error', node, fn.name);
    else if ((name === 'sendError' && args.length >= 1) || (name === 'setStatus' && status && isErrorStatus(status))) this.error('http-error', node, fn.name);
    else if ((name === 'error' || name === 'fatal' || name === 'severe') && /(^|\.)_?(log|logger)$/i.test(objText)) this.error('log-error', node, fn.name);
    else if (name === 'log' && /(log|logger)$/i.test(objText) && /Level\.SEVERE/.test(args[0]?.text ?? '')) this.error('log-error', node, fn.name);
    else if (name === 'printStackTrace' || (name === 'println' && objText === 'System.err')) this.error('log-error', node, fn.name);
    else if (name === 'error' && (objText === 'Mono' || objText === 'Flux')) this.error(args[0] && this.isHttpException(args[0]) ? 'http-error' : 'return-error', node, fn.name);
    else if (name === 'onError' && args.length === 1) this.error('return-error', node, fn.name);
    else if (name === 'exit' && objText === 'System') this.error('panic', node, fn.name);
  }

  /** `server.start()` where `server` was built by a ServerBuilder or is declared as an io.grpc `Server`. */
  private isGrpcServer(name: string, fn: FunctionSite | undefined): boolean {
    if (!fn) return false;
    const cls = this.classOf.get(fn.node.id);
    if (this.classes.find((c) => c.name === cls)?.fieldTypes.get(name) === 'Server') return true;
    for (const d of fn.node.descendantsOfType('local_variable_declaration')) {
      if (!d) continue;
      const decl = d.namedChildren.find((c) => c?.type === 'variable_declarator' && c.childForFieldName('name')?.text === name);
      if (decl && (simpleType(d.childForFieldName('type')) === 'Server' || /ServerBuilder|forPort/.test(decl.childForFieldName('value')?.text ?? ''))) return true;
    }
    return false;
  }

  private creation(site: Site): void {
    const node = site.node;
    const type = simpleType(node.childForFieldName('type')) ?? '';
    if (type !== 'ResponseEntity' && !HTTP_EXCEPTIONS.test(type)) return;
    const fn = this.enclosing(site);
    if (!fn) return;
    const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a);
    // `new ResponseEntity<>(body, HttpStatus.NOT_FOUND)`
    if (type === 'ResponseEntity') {
      if (args.some(isErrorStatus)) this.error('http-error', node, fn.name);
    }
    // `orElseThrow(() -> new ResponseStatusException(…))` (a `throw` or `Mono.error(…)` of one is recorded there)
    else if (node.parent?.type !== 'throw_statement' && !/^(Mono|Flux)\.error$/.test(callee(node.parent?.parent))) this.error('http-error', node, fn.name);
  }

  private throwStatement(site: Site): void {
    const fn = this.enclosing(site);
    if (!fn) return;
    const thrown = site.node.namedChildren[0];
    this.error(thrown && this.isHttpException(thrown) ? 'http-error' : 'throw', site.node, fn.name);
  }

  private isHttpException(n: Node): boolean {
    return n.type === 'object_creation_expression' && HTTP_EXCEPTIONS.test(simpleType(n.childForFieldName('type')) ?? '');
  }

  private catchClause(site: Site): void {
    const fn = this.enclosing(site);
    if (!fn) return;
    const body = site.node.childForFieldName('body');
    const empty = !body || body.namedChildren.every((c) => !c || c.type === 'line_comment' || c.type === 'block_comment');
    this.error(empty ? 'swallow' : 'catch', site.node, fn.name);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

  /** The innermost method or constructor around a range; inside a route-handler lambda it is `<anonymous>`. */
  private enclosing({ start, end }: Range): { name: string; fact?: FunctionSite } | undefined {
    let best: FunctionSite | undefined;
    for (const f of this.functions) if (f.start <= start && end <= f.end && (!best || f.start >= best.start)) best = f;
    if (!best) return undefined;
    const inner = best;
    if (this.handlerLambdas.some((l) => l.start >= inner.start && l.start <= start && end <= l.end)) return { name: '<anonymous>' };
    return { name: best.name, fact: best };
  }

  private entry(detail: string, node: Node, framework: string): void {
    this.facts.entries.push({ detail, name: shortText(node, 80), framework, loc: locOf(node) });
  }

  private error(kind: Facts['errors'][number]['kind'], node: Node, fn: string): void {
    this.facts.errors.push({ kind, text: shortText(node), function: fn, loc: locOf(node) });
  }

  private warn(at: Node, message: string): void {
    this.facts.warnings.push({ line: at.startPosition.row + 1, message });
  }
}

/** `HttpStatus.NOT_FOUND`, `Response.Status.BAD_REQUEST`, `HttpServletResponse.SC_NOT_FOUND`, `500`, `HttpStatus.valueOf(503)`. */
function isErrorStatus(n: Node): boolean {
  if (n.type === 'decimal_integer_literal') return Number(n.text) >= 400;
  if (n.type === 'field_access' || n.type === 'identifier') {
    const name = n.text.slice(n.text.lastIndexOf('.') + 1);
    return /^[A-Z][A-Z_]+$/.test(name) && /(Status|SC_|^[A-Z_]+$)/.test(n.text) && !OK_STATUS.test(name) && name !== 'SC_CONTINUE';
  }
  if (n.type === 'method_invocation' && /^(valueOf|resolve)$/.test(n.childForFieldName('name')?.text ?? '')) {
    const a = n.childForFieldName('arguments')?.namedChildren[0];
    return !!a && isErrorStatus(a);
  }
  return false;
}

/** `Mono.error` for a method invocation node, '' for anything else. */
function callee(n: Node | null | undefined): string {
  if (n?.type !== 'method_invocation') return '';
  const obj = n.childForFieldName('object');
  return (obj ? obj.text + '.' : '') + (n.childForFieldName('name')?.text ?? '');
}

/** `ResponseEntity<Article>` → ResponseEntity, `a.b.Server` → Server, `int` → int. */
function simpleType(t: Node | null | undefined): string | undefined {
  if (!t) return undefined;
  if (t.type === 'generic_type') return simpleType(t.namedChildren[0]);
  const text = t.text;
  return text.slice(text.lastIndexOf('.') + 1);
}

/** A definition's position: the name's line and column, ending with the body. */
function fnLoc(decl: Node, name: Node): Loc {
  return { line: name.startPosition.row + 1, column: name.startPosition.column + 1, endLine: decl.endPosition.row + 1 };
}
