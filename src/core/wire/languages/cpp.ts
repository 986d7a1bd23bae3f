/**
 * C++: gRPC service implementations (`class Impl final : public pkg::ArticleService::Service` or
 * `::CallbackService`, methods defined in the class or out of class as `Status Impl::GetArticle(…)` in a .cc),
 * cpp-httplib (`svr.Get("/x", handler)`) and Crow (`CROW_ROUTE(app, "/x").methods("POST"_method)(handler)`,
 * blueprints) routes, entry points (`int main`, ServerBuilder RegisterService / AddListeningPort / Wait,
 * httplib `listen`, Crow `run`) and error exits (throw, catch, non-OK grpc::Status, 4xx/5xx responses,
 * error logging, abort/exit).
 */
import type { Node } from '../node';
import { emptyFacts, type FileFacts, type HandlerRef, type ParamStyle, type Ref } from '../facts';
import type { ExtractInput, LanguageSupport } from '../language';
import type { ErrorKind } from '../model';
import { locOf, shortText, stringValue } from '../syntax';

type CppFacts = ReturnType<typeof emptyFacts>;

const HINTS = ['grpc', 'ServerContext', '::Service', 'int main', 'httplib', 'CROW_', 'crow::'];
const COMMENTS: ReadonlySet<string> = new Set(['comment']);
const CLASSES: ReadonlySet<string> = new Set(['class_specifier', 'struct_specifier']);
const HTTPLIB_METHODS: ReadonlySet<string> = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Options']);
const PRIORITY: Readonly<Record<ErrorKind, number>> = { 'return-error': 7, throw: 6, panic: 5, 'http-error': 4, 'log-error': 3, swallow: 2, catch: 1 };
const SERVER_TYPE = /\bhttplib::(?:SSL)?Server\b|\bcrow::(?:SimpleApp|App|Crow|Blueprint)\b|\bcrow::App</;
const STOP: ReadonlySet<string> = new Set(['compound_statement', 'function_definition', 'lambda_expression', 'translation_unit', 'expression_statement', 'declaration', 'field_declaration_list', 'if_statement', 'for_statement', 'while_statement', 'case_statement']);

function kids(node: Node | null | undefined): Node[] {
  const out: Node[] = [];
  if (!node) return out;
  for (const c of node.namedChildren) if (c && !COMMENTS.has(c.type)) out.push(c);
  return out;
}

/** `a::b::c` (nested qualified identifiers, template arguments dropped) → [a, b, c]. */
function segments(node: Node | null | undefined): string[] | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'identifier':
    case 'field_identifier':
    case 'type_identifier':
    case 'namespace_identifier':
    case 'destructor_name':
    case 'operator_name':
      return [node.text];
    case 'template_type':
    case 'template_function':
      return segments(node.childForFieldName('name'));
    case 'qualified_identifier': {
      const scope = node.childForFieldName('scope');
      const name = segments(node.childForFieldName('name'));
      if (!name) return undefined;
      return scope ? [...(segments(scope) ?? [scope.text]), ...name] : name;
    }
    default:
      return undefined;
  }
}

/** A string or raw string literal's value (`R"(/x/(\d+))"` → `/x/(\d+)`). */
function literal(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'raw_string_literal') return kids(node).find((k) => k.type === 'raw_string_content')?.text ?? '';
  if (node.type === 'user_defined_literal') return literal(kids(node).find((k) => k.type === 'string_literal'));
  return node.type === 'string_literal' ? stringValue(node) : undefined;
}

/** The function declarator inside pointer/reference declarators. */
function functionDeclarator(node: Node | null | undefined): Node | undefined {
  let n = node ?? undefined;
  while (n && n.type !== 'function_declarator') {
    if (n.type !== 'pointer_declarator' && n.type !== 'reference_declarator') return undefined;
    n = n.childForFieldName('declarator') ?? kids(n)[0];
  }
  return n;
}

/** The declared name inside a parameter's declarator (`const Foo* request` → request). */
function declaredName(node: Node | null | undefined): string | undefined {
  let n = node ?? undefined;
  while (n && n.type !== 'identifier') n = n.childForFieldName('declarator') ?? kids(n).find((k) => k.type === 'identifier' || k.type.endsWith('declarator'));
  return n?.text;
}

/** The whole expression a node sits in, as far as it stays on the node's line. */
function lineExpr(node: Node): Node {
  let n = node;
  while (n.parent && !STOP.has(n.parent.type) && n.parent.startPosition.row === node.startPosition.row) n = n.parent;
  return n;
}

interface Fn {
  readonly node: Node;
  readonly key: string;
  readonly name: string;
  readonly container: string | undefined;
  readonly params: Map<string, string>;
  /** Router variables of this function: name → router name. */
  readonly routers: Map<string, string>;
}

/** Reads one C++ file. */
class CppFile {
  private readonly facts: CppFacts;
  private readonly routerNames = new Set<string>();

  constructor(private readonly input: ExtractInput) {
    this.facts = emptyFacts(input.file, 'cpp');
  }

  read(): FileFacts {
    this.visit(this.input.root, undefined);
    return this.facts;
  }

  private visit(node: Node, container: string | undefined): void {
    for (const c of node.namedChildren) {
      if (!c || COMMENTS.has(c.type)) continue;
      if (c.type === 'function_definition') this.fn(c, container);
      else if (CLASSES.has(c.type)) {
        const name = c.childForFieldName('name')?.text;
        this.grpcClass(c, name);
        this.visit(c, name ?? container);
      } else if (c.type !== 'string_literal' && c.type !== 'raw_string_literal' && c.type !== 'preproc_include') this.visit(c, container);
    }
  }

  private fn(node: Node, enclosing: string | undefined): void {
    const decl = functionDeclarator(node.childForFieldName('declarator'));
    const body = node.childForFieldName('body');
    const segs = segments(decl?.childForFieldName('declarator'));
    if (!decl || !segs) return;
    const name = segs[segs.length - 1] as string;
    const container = segs.length >= 2 ? segs[segs.length - 2] : enclosing;
    const key = container ? `${container}.${name}` : name;
    const params = new Map<string, string>();
    for (const p of kids(decl.childForFieldName('parameters'))) {
      const pname = declaredName(p.childForFieldName('declarator'));
      if (pname) params.set(pname, p.childForFieldName('type')?.text ?? '');
    }
    const fn: Fn = { node, key, name, container, params, routers: new Map() };
    for (const [pname, type] of params) if (SERVER_TYPE.test(type)) fn.routers.set(pname, this.declareRouter(`${key}(${pname})`, type, node));
    if (!container && name === 'main') this.facts.entries.push({ detail: 'main', name: 'main', framework: 'cpp', loc: locOf(node) });
    const calls = new Set<string>();
    const errors = new Map<number, { kind: ErrorKind; node: Node; text: string }>();
    const addError = (kind: ErrorKind, at: Node, text: string): void => {
      const prev = errors.get(at.startPosition.row);
      if (!prev || PRIORITY[kind] > PRIORITY[prev.kind]) errors.set(at.startPosition.row, { kind, node: at, text });
    };
    const startsServer = body ? body.text.includes('BuildAndStart') : false;
    const walk = (n: Node): void => {
      switch (n.type) {
        case 'function_definition':
        case 'string_literal':
        case 'raw_string_literal':
          return;
        case 'declaration':
          this.declaration(n, fn);
          break;
        case 'call_expression': {
          const f = n.childForFieldName('function');
          const callee = f?.type === 'field_expression' ? f.childForFieldName('field')?.text : segments(f)?.at(-1);
          if (callee) calls.add(callee);
          this.call(n, fn, startsServer, addError);
          break;
        }
        case 'throw_statement':
          addError('throw', n, shortText(n));
          break;
        case 'catch_clause': {
          const b = n.childForFieldName('body');
          addError(kids(b).length === 0 ? 'swallow' : 'catch', n, shortText(n));
          break;
        }
        case 'qualified_identifier':
          this.statusConstant(n, addError);
          return;
        case 'assignment_expression': {
          const left = n.childForFieldName('left');
          const field = left?.type === 'field_expression' ? left.childForFieldName('field')?.text : undefined;
          const right = n.childForFieldName('right');
          if ((field === 'status' || field === 'code') && right?.type === 'number_literal' && Number(right.text) >= 400) addError('http-error', n, shortText(lineExpr(n)));
          break;
        }
        case 'identifier':
          if (n.text === 'CROW_LOG_ERROR' || n.text === 'CROW_LOG_CRITICAL') addError('log-error', n, shortText(lineExpr(n)));
          break;
      }
      for (const c of n.namedChildren) if (c) walk(c);
    };
    if (body) walk(body);
    this.facts.functions.push({ name, container, params: [...params.keys()], loc: locOf(node, true), calls: [...calls] });
    for (const e of errors.values()) this.facts.errors.push({ kind: e.kind, text: e.text, function: name, loc: locOf(e.node) });
  }

  private declareRouter(name: string, type: string, at: Node, prefix?: string): string {
    if (!this.routerNames.has(name)) {
      this.routerNames.add(name);
      const crow = type.includes('crow');
      this.facts.routers.push({ name, framework: crow ? 'crow' : 'cpp-httplib', prefix, style: crow ? 'angle' : 'colon', loc: locOf(at) });
    }
    return name;
  }

  /** `httplib::Server svr;`, `crow::SimpleApp app;`, `crow::Blueprint bp("api");` */
  private declaration(n: Node, fn: Fn): void {
    const type = n.childForFieldName('type')?.text ?? '';
    if (!SERVER_TYPE.test(type)) return;
    for (const d of kids(n)) {
      if (d.type !== 'identifier' && d.type !== 'init_declarator') continue;
      const name = d.type === 'identifier' ? d.text : d.childForFieldName('declarator')?.text;
      if (!name) continue;
      const init = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      const prefix = type.includes('Blueprint') && init ? literal(kids(init)[0]) : undefined;
      fn.routers.set(name, this.declareRouter(`${fn.key}:${name}`, type, n, prefix));
    }
  }

  /** The router a receiver names: a known server variable or parameter, or a member (`server_`). */
  private routerOf(recv: Node | null | undefined, fn: Fn, type: string): Ref | undefined {
    if (!recv) return undefined;
    if (recv.type === 'identifier') {
      const known = fn.routers.get(recv.text);
      if (known) return { kind: 'local', name: known };
      const name = fn.params.has(recv.text) ? `${fn.key}(${recv.text})` : `${fn.key}:${recv.text}`;
      fn.routers.set(recv.text, this.declareRouter(name, type, recv));
      return { kind: 'local', name };
    }
    if (recv.type === 'field_expression' || recv.type === 'pointer_expression') {
      const field = recv.type === 'field_expression' ? recv.childForFieldName('field')?.text : kids(recv)[0]?.text;
      if (!field) return undefined;
      return { kind: 'local', name: this.declareRouter(`${fn.container ?? fn.key}:${field}`, type, recv) };
    }
    return undefined;
  }

  private handler(node: Node | undefined): HandlerRef | undefined {
    if (!node) return undefined;
    if (node.type === 'lambda_expression') return { kind: 'here', name: '<anonymous>', loc: locOf(node, true) };
    const target = node.type === 'pointer_expression' ? kids(node)[0] : node;
    const segs = segments(target);
    if (!segs) return undefined;
    const name = segs[segs.length - 1] as string;
    if (segs.length >= 2) return { kind: 'member', container: segs[segs.length - 2] as string, name };
    return { kind: 'ref', ref: { kind: 'global', name }, display: name };
  }

  private call(n: Node, fn: Fn, startsServer: boolean, addError: (k: ErrorKind, at: Node, text: string) => void): void {
    const f = n.childForFieldName('function');
    const args = kids(n.childForFieldName('arguments'));
    if (f?.type === 'field_expression') {
      const method = f.childForFieldName('field')?.text ?? '';
      const recv = f.childForFieldName('argument');
      const at = f.childForFieldName('field') ?? n;
      if (method === 'RegisterService') this.facts.entries.push({ detail: 'bootstrap', name: shortText(n), framework: 'grpc', loc: locOf(at) });
      else if (method === 'AddListeningPort') this.facts.entries.push({ detail: 'listen', name: shortText(n), framework: 'grpc', loc: locOf(at) });
      else if (method === 'Wait' && startsServer && args.length === 0) this.facts.entries.push({ detail: 'listen', name: shortText(n), framework: 'grpc', loc: locOf(at) });
      else if (method === 'listen' && recv?.type === 'identifier' && fn.routers.has(recv.text)) this.facts.entries.push({ detail: 'listen', name: shortText(n), framework: 'cpp-httplib', loc: locOf(at) });
      else if ((method === 'run' || method === 'run_async') && f.text.includes('.port(')) this.facts.entries.push({ detail: 'listen', name: shortText(n), framework: 'crow', loc: locOf(at) });
      else if (method === 'register_blueprint') {
        const parent = this.routerOf(recv, fn, 'crow');
        const child = args[0]?.type === 'identifier' ? fn.routers.get(args[0].text) : undefined;
        if (parent && child) this.facts.mounts.push({ parent, child: { kind: 'local', name: child }, prefix: '', style: 'angle', loc: locOf(at) });
      } else if (HTTPLIB_METHODS.has(method) && args.length >= 2) {
        const path = literal(args[0]);
        if (path === undefined || !path.startsWith('/')) return;
        const router = this.routerOf(recv, fn, 'httplib');
        const style: ParamStyle = /[()[\]\\^$]/.test(path) ? 'regex' : 'colon';
        this.facts.routes.push({ router, method: method.toUpperCase(), path, style, handler: this.handler(args[args.length - 1]), framework: 'cpp-httplib', loc: locOf(at) });
      } else if ((method === 'error' || method === 'critical') && /log/i.test(recv?.text ?? '')) addError('log-error', n, shortText(lineExpr(n)));
      return;
    }
    const segs = segments(f);
    const last = segs?.[segs.length - 1];
    if (!segs || !last) {
      if (f?.type === 'call_expression') this.crowRoute(f, n, fn);
      return;
    }
    // `RegisterRoutes(svr)`: the function's server parameter is this router.
    const routerArgs = args.map((a): Ref | undefined => {
      const known = a.type === 'identifier' ? fn.routers.get(a.text) : undefined;
      return known ? { kind: 'local', name: known } : undefined;
    });
    if (routerArgs.some((a) => a) && !last.startsWith('CROW_')) this.facts.calls.push({ callee: { kind: 'global', name: last }, args: routerArgs, loc: locOf(n) });
    const first = args[0];
    if ((last === 'LOG' || last === 'ABSL_LOG' || last === 'PLOG' || last === 'LOG_IF') && first) {
      if (first.text === 'FATAL' || first.text === 'DFATAL') addError('panic', n, shortText(lineExpr(n)));
      else if (first.text === 'ERROR') addError('log-error', n, shortText(lineExpr(n)));
    } else if ((segs[0] === 'spdlog' && (last === 'error' || last === 'critical')) || (last === 'gpr_log' && first?.text === 'GPR_ERROR') || (last === 'fprintf' && first?.text === 'stderr')) addError('log-error', n, shortText(lineExpr(n)));
    else if (last === 'abort' || last === 'terminate' || ((last === 'exit' || last === '_Exit' || last === 'quick_exit') && first && first.text !== '0' && first.text !== 'EXIT_SUCCESS')) addError('panic', n, shortText(lineExpr(n)));
    else if (last === 'response' && first?.type === 'number_literal' && Number(first.text) >= 400) addError('http-error', n, shortText(lineExpr(n)));
  }

  /** `CROW_ROUTE(app, "/x")(handler)` and `CROW_ROUTE(app, "/x").methods("GET"_method, …)(handler)` (n is the call applying the handler). */
  private crowRoute(inner: Node, n: Node, fn: Fn): void {
    let macro = inner;
    let methods: string[] = [];
    const f = inner.childForFieldName('function');
    if (f?.type === 'field_expression' && f.childForFieldName('field')?.text === 'methods') {
      const recv = f.childForFieldName('argument');
      if (recv?.type !== 'call_expression') return;
      macro = recv;
      methods = kids(inner.childForFieldName('arguments')).map((a) => (literal(a) ?? segments(a)?.at(-1) ?? '').toUpperCase()).filter((m) => m !== '');
    }
    const name = segments(macro.childForFieldName('function'))?.[0];
    if (name !== 'CROW_ROUTE' && name !== 'CROW_BP_ROUTE') return;
    const args = kids(macro.childForFieldName('arguments'));
    const path = literal(args[1]);
    if (path === undefined) {
      this.facts.warnings.push({ line: macro.startPosition.row + 1, message: 'Crow route: the path is computed at run time' });
      return;
    }
    const router = this.routerOf(args[0], fn, 'crow');
    const handler = this.handler(kids(n.childForFieldName('arguments'))[0]);
    for (const m of methods.length > 0 ? methods : ['GET']) this.facts.routes.push({ router, method: m, path, style: 'angle', handler, framework: 'crow', loc: locOf(macro) });
  }

  /** `StatusCode::NOT_FOUND` (grpc), `Status::CANCELLED`, `httplib::StatusCode::NotFound_404` outside comparisons and case labels; `std::cerr`. */
  private statusConstant(n: Node, addError: (k: ErrorKind, at: Node, text: string) => void): void {
    const segs = segments(n);
    if (!segs || segs.length < 2) return;
    const owner = segs[segs.length - 2] as string;
    const last = segs[segs.length - 1] as string;
    if (segs[0] === 'std' && (last === 'cerr' || last === 'clog')) {
      addError('log-error', n, shortText(lineExpr(n)));
      return;
    }
    const p = n.parent;
    if (p?.type === 'case_statement' || (p?.type === 'binary_expression' && /^(==|!=)$/.test(p.childForFieldName('operator')?.text ?? ''))) return;
    const http = /_(\d{3})$/.exec(last);
    if (owner === 'StatusCode' && http) {
      if (Number(http[1]) >= 400) addError('http-error', n, shortText(lineExpr(n)));
    } else if ((owner === 'StatusCode' || owner === 'Status') && /^[A-Z_]+$/.test(last) && last !== 'OK') addError('return-error', n, shortText(lineExpr(n)));
  }

  /** A class deriving from `X::Service` / `X::CallbackService` implements the gRPC service X. */
  private grpcClass(node: Node, name: string | undefined): void {
    const bases = kids(node).find((k) => k.type === 'base_class_clause');
    const body = node.childForFieldName('body');
    if (!bases || !body || !name) return;
    let service: string | undefined;
    for (const b of kids(bases)) {
      const segs = segments(b);
      const last = segs?.[segs.length - 1];
      if (segs && segs.length >= 2 && (last === 'Service' || last === 'CallbackService')) service = segs[segs.length - 2];
      else if (segs && segs.length >= 2 && (last === 'AsyncService' || last?.startsWith('WithAsyncMethod_'))) {
        this.facts.warnings.push({ line: node.startPosition.row + 1, message: `${name}: asynchronous gRPC service (completion queue); its handlers are not linked` });
      }
    }
    if (!service) return;
    const methods: { name: string; loc: ReturnType<typeof locOf> }[] = [];
    for (const m of kids(body)) {
      if (m.type !== 'function_definition' && m.type !== 'field_declaration' && m.type !== 'declaration') continue;
      const decl = functionDeclarator(m.childForFieldName('declarator'));
      const mname = segments(decl?.childForFieldName('declarator'))?.at(-1);
      if (!decl || !mname || !/ServerContext\b/.test(decl.childForFieldName('parameters')?.text ?? '')) continue;
      methods.push({ name: mname, loc: m.type === 'function_definition' ? locOf(m, true) : locOf(m) });
    }
    this.facts.grpcImpls.push({ service, container: name, methods, framework: 'grpc', loc: locOf(node) });
  }
}

export const cppSupport: LanguageSupport = {
  language: 'cpp',
  extensions: ['.cc', '.cpp', '.cxx', '.hpp', '.hh', '.h'],
  grammar: () => 'cpp',
  interesting: (text) => HINTS.some((h) => text.includes(h)),
  extract: (input) => new CppFile(input).read(),
};
