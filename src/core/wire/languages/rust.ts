/**
 * Rust: axum, actix-web and Rocket routes, tonic gRPC implementations, entry points and error exits, read from
 * the tree-sitter tree. Router chains are read in rust/routers.ts, error exits in rust/errors.ts, module paths
 * in rust/modules.ts. A function that returns a router is a router named after the function; an attribute
 * route (`#[get("/x")] fn f`) is a router named after its function, mounted where `.service(f)` or
 * `routes![f]` names it; a `&mut web::ServiceConfig` (or `Router`) parameter is a router named `fn(param)`.
 */
import type { Node } from '../node';
import type { FileFacts } from '../facts';
import type { ExtractInput, LanguageSupport, ProjectView } from '../language';
import { locOf, shortText, stringValue } from '../syntax';
import { query } from '../treeSitter';
import { addImport, argsOf, kids, newCtx, pathSegments, typeName, unwrapExpr, type RustCtx } from './rust/context';
import { ERROR_PRIORITY, ERROR_QUERY, errorText, rustErrorAt, type ErrorCandidate } from './rust/errors';
import { readUse, resolveRustModule } from './rust/modules';
import { chainOf, RustRouters, type FnScope, type RouterVal, type RustFramework } from './rust/routers';

/** Substrings of files worth parsing: framework names, entry points and handler signatures (extractors, responses). */
const HINTS = ['axum', 'actix', 'rocket', 'tonic', 'fn main', 'Router', 'HttpServer', 'lambda_', '#[get', '#[post', '#[put', '#[delete', '#[patch', '#[route', 'IntoResponse', 'Responder', 'HttpResponse', 'Json<', 'Path<', 'Query<', 'State<', 'Request<', 'ServiceConfig', 'routes!'];

const ROUTE_ATTRS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'trace', 'connect', 'route']);
const HANDLER_TYPES = /\b(?:Json|Path|Query|State|Extension|Form|Data|HttpRequest|Request|HeaderMap|Multipart|TypedHeader|ConnectInfo)\b|\bweb::/;
const HANDLER_RETURNS = /\b(?:IntoResponse|Responder|HttpResponse|Response|Json|Status)\b/;
/** Substrings of a call that may build or extend a router (a cheap filter before reading the chain). */
const ROUTER_HINTS = ['Router', 'App::new', 'web::', 'scope(', 'resource(', 'rocket', 'Rocket', 'routes!', '.route', '.nest', '.merge', '.service', '.mount', '.configure'];
/** Callee names that can open a listener or start a serverless runtime. */
const ENTRY_CALLS = /^(?:serve|serve_with_\w+|bind|bind_\w+|listen|launch|run)$/;
const ROUTER_RETURNS = /\b(?:Router|Scope|Resource|Route|Rocket|HttpServiceFactory)\b/;

/** The attributes written just before an item (comments between them are skipped). */
function attributesOf(item: Node): Node[] {
  const out: Node[] = [];
  for (let p = item.previousNamedSibling; p && (p.type === 'attribute_item' || p.type === 'line_comment' || p.type === 'block_comment'); p = p.previousNamedSibling) {
    if (p.type === 'attribute_item') {
      const a = kids(p)[0];
      if (a) out.push(a);
    }
  }
  return out.reverse();
}

function attrName(attr: Node): string[] {
  return pathSegments(kids(attr)[0]) ?? [];
}

const isTestAttr = (a: Node): boolean => {
  const n = attrName(a);
  return n[n.length - 1] === 'test' || (n[0] === 'cfg' && /\btest\b/.test(a.text) && !a.text.includes('not('));
};

/** Which attribute-route framework a crate uses when the path alone can't tell: the file's imports, then Cargo.toml. */
function attributeFramework(ctx: RustCtx, file: string, project: ProjectView): RustFramework {
  const paths = [...ctx.bindings.values()];
  if (paths.some((p) => p.startsWith('rocket'))) return 'rocket';
  if (paths.some((p) => p.startsWith('actix_web'))) return 'actix-web';
  const parts = file.split('/');
  const src = parts.lastIndexOf('src', parts.length - 2);
  const manifest = src > 0 ? parts.slice(0, src).join('/') + '/Cargo.toml' : 'Cargo.toml';
  const text = project.read(manifest) ?? '';
  return /^\s*rocket\s*=/m.test(text) ? 'rocket' : 'actix-web';
}

/** A file's framework for entries (`TcpListener::bind` in an axum service is axum's). */
function fileFramework(ctx: RustCtx): string {
  const paths = [...ctx.bindings.values()];
  for (const [prefix, fw] of [['axum', 'axum'], ['actix_web', 'actix-web'], ['rocket', 'rocket'], ['tonic', 'tonic'], ['lambda_', 'lambda']] as const) if (paths.some((p) => p.startsWith(prefix))) return fw;
  return 'rust';
}

/** The nodes the extractor reads, found by one query per file (inside macros' token trees nothing matches). */
const RUST_QUERY = `
(function_item) @fn
(mod_item body: (declaration_list)) @mod
(closure_expression) @closure
(call_expression function: (identifier) @callee) @call
(call_expression function: (field_expression field: (field_identifier) @callee)) @call
(call_expression function: (scoped_identifier name: (identifier) @callee)) @call
(call_expression function: (generic_function)) @call
(call_expression function: [(call_expression) (parenthesized_expression) (closure_expression)]) @call
(macro_invocation) @macro
(return_expression) @ret
(let_declaration) @let
(assignment_expression) @assign
${ERROR_QUERY}`;

/** Which of two finds at the same place is read first (a statement before the call it holds). */
const RANK: Readonly<Record<string, number>> = { mod: 0, fn: 1, closure: 2, let: 3, assign: 3, ret: 3, call: 5, macro: 5 };

interface Found {
  readonly kind: string;
  readonly node: Node;
  readonly start: number;
  readonly end: number;
  /** For calls: the called name (last segment, or the method). */
  readonly callee?: Node | undefined;
}

/** A function being read. */
interface FnState {
  readonly node: Node;
  readonly name: string;
  readonly container: string | undefined;
  readonly params: string[];
  readonly scope: FnScope;
  readonly returnType: string;
  readonly end: number;
  readonly calls: Set<string>;
  /** Error exits by line (the most telling kind per line). */
  readonly errors: Map<number, ErrorCandidate>;
  /** Expressions whose value the function returns (its router, when they are one). */
  readonly returned: Set<number>;
  /** Expressions bound to a variable: node id → variable. */
  readonly boundTo: Map<number, string>;
  readonly tailExpr: Node | undefined;
  readonly hasBody: boolean;
}

/** Reads one Rust file. */
class RustFile {
  private readonly ctx: RustCtx;
  private readonly routers: RustRouters;
  private readonly handlerNames = new Set<string>();
  private readonly attributeRouted = new Set<string>();
  private readonly pendingUnwraps: { fn: string; err: ErrorCandidate }[] = [];
  private readonly handlerish = new Set<string>();
  private attrFw: RustFramework | undefined;
  private fw = 'rust';

  constructor(private readonly input: ExtractInput) {
    this.ctx = newCtx(input.file);
    this.routers = new RustRouters(this.ctx);
  }

  read(): FileFacts {
    const items = this.items(this.input.root);
    for (const n of items.uses) {
      const reexport = kids(n).some((k) => k.type === 'visibility_modifier');
      for (const b of readUse(n)) {
        // `pub use articles::router;` re-exports: compose.ts follows the name to its own import.
        if (reexport && b.local !== '*') this.ctx.facts.exports[b.local] = b.local;
        if (b.local === '*') {
          if (/^(crate|self|super)\b/.test(b.path)) this.ctx.globs.push(b.path);
        } else if (b.local !== '_' && b.local !== '') {
          this.ctx.bindings.set(b.local, b.path);
          addImport(this.ctx, b.local, b.path);
        }
      }
    }
    for (const m of items.mods) {
      const name = m.childForFieldName('name')?.text;
      if (name && !m.childForFieldName('body')) {
        this.ctx.bindings.set(name, 'self::' + name);
        addImport(this.ctx, name, 'self::' + name);
      }
    }
    for (const name of items.topFns) this.ctx.topFns.add(name);
    for (const c of items.externs) if (c.childForFieldName('name')?.text === 'rocket') this.ctx.bindings.set('rocket', 'rocket');
    this.fw = fileFramework(this.ctx);
    this.walk(this.input.root);
    for (const i of items.impls) this.grpcImpl(i);
    // `.unwrap()` / `.expect()` count only in handlers: attribute routes, functions registered here, extractor signatures.
    for (const { fn, err } of this.pendingUnwraps) if (this.handlerNames.has(fn) || this.attributeRouted.has(fn) || this.handlerish.has(fn)) this.addError(fn, err);
    for (const name of this.ctx.topFns) if (name) this.ctx.facts.exports[name] = name;
    return this.ctx.facts;
  }

  /** The uses, mods, impls and extern crates at item level and the file's top-level function names, outside `#[cfg(test)]` modules. */
  private items(root: Node): { uses: Node[]; mods: Node[]; topFns: string[]; impls: Node[]; externs: Node[] } {
    const out = { uses: [] as Node[], mods: [] as Node[], topFns: [] as string[], impls: [] as Node[], externs: [] as Node[] };
    const visit = (n: Node): void => {
      for (const c of n.namedChildren) {
        if (!c) continue;
        switch (c.type) {
          case 'use_declaration':
            out.uses.push(c);
            break;
          case 'mod_item':
            if (attributesOf(c).some(isTestAttr)) break;
            out.mods.push(c);
            visit(c);
            break;
          case 'function_item': {
            const name = n === root ? c.childForFieldName('name')?.text : undefined;
            if (name) out.topFns.push(name);
            break;
          }
          case 'impl_item':
            out.impls.push(c);
            visit(c);
            break;
          case 'trait_item':
          case 'declaration_list':
            visit(c);
            break;
          case 'extern_crate_declaration':
            out.externs.push(c);
            break;
        }
      }
    };
    visit(root);
    return out;
  }

  /** Starts reading a function: its fact, router parameters, attribute routes and entry attributes. */
  private openFn(node: Node): FnState | undefined {
    const name = node.childForFieldName('name')?.text;
    if (!name) return undefined;
    const body = node.childForFieldName('body');
    const owner = node.parent?.parent;
    const container = owner?.type === 'impl_item' ? typeName(owner.childForFieldName('type')) : owner?.type === 'trait_item' ? owner.childForFieldName('name')?.text : undefined;
    const key = container ? `${container}.${name}` : name;
    const params: string[] = [];
    const scope: FnScope = { key, selfType: container, vars: new Map(), consumed: new Set(), lazy: new Map(), handlerNames: this.handlerNames, handlerClosures: new Set() };
    let handlerSignature = false;
    for (const p of kids(node.childForFieldName('parameters'))) {
      if (p.type !== 'parameter') continue;
      const pat = p.childForFieldName('pattern');
      const id = pat?.type === 'identifier' ? pat : pat ? kids(pat).find((k) => k.type === 'identifier') : undefined;
      const pname = id?.text ?? pat?.text ?? '_';
      params.push(pname);
      const type = p.childForFieldName('type')?.text ?? '';
      if (HANDLER_TYPES.test(type)) handlerSignature = true;
      const fw: RustFramework | undefined = /\bServiceConfig\b|\bScope\b/.test(type) ? 'actix-web' : /\bRouter\b/.test(type) ? 'axum' : /\bRocket\b/.test(type) ? 'rocket' : undefined;
      if (fw && id) scope.vars.set(pname, { ref: this.routers.declare(`${key}(${pname})`, fw, p), fw, known: true });
    }
    const returnType = node.childForFieldName('return_type')?.text ?? '';
    const isAsync = kids(node).some((k) => k.type === 'function_modifiers' && /\basync\b/.test(k.text));
    if (isAsync && (handlerSignature || HANDLER_RETURNS.test(returnType))) this.handlerish.add(key);
    this.attributes(node, name, key, container);
    let tail = body?.lastNamedChild ?? undefined;
    while (tail && (tail.type === 'line_comment' || tail.type === 'block_comment')) tail = tail.previousNamedSibling ?? undefined;
    const tailExpr = tail && !tail.type.endsWith('_declaration') && tail.type !== 'expression_statement' && !tail.type.endsWith('_item') ? unwrapExpr(tail) : undefined;
    const returned = new Set<number>();
    if (tailExpr) returned.add(tailExpr.id);
    return { node, name, container, params, scope, returnType, end: node.endIndex, calls: new Set(), errors: new Map(), returned, boundTo: new Map(), tailExpr, hasBody: body !== null };
  }

  private closeFn(f: FnState): void {
    if (f.tailExpr?.type === 'identifier') this.finishReturn(f.scope.vars.get(f.tailExpr.text), f);
    this.ctx.facts.functions.push({ name: f.name, container: f.container, params: f.params, loc: locOf(f.node, true), calls: f.hasBody ? [...f.calls] : undefined });
    for (const e of f.errors.values()) this.addError(f.scope.key, e);
  }

  /**
   * One query over the file (tree-sitter finds the nodes, so only those become JS objects), read in document
   * order: functions, closures, calls (router chains, entry points, the names a function calls), and the
   * statements that can be error exits. Test modules and test functions are skipped.
   */
  private walk(root: Node): void {
    const q = query(this.input.language, 'rust', RUST_QUERY);
    const found: Found[] = [];
    for (const m of q.matches(root)) {
      const main = m.captures.find((c) => c.name === 'callee' ? false : !/^(?:e|m|t)$/.test(c.name));
      if (main) found.push({ kind: main.name, node: main.node, start: main.node.startIndex, end: main.node.endIndex, callee: m.captures.find((c) => c.name === 'callee')?.node });
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end || (RANK[a.kind] ?? 9) - (RANK[b.kind] ?? 9));
    const fns: FnState[] = [];
    const closures: { end: number; id: number; fn: FnState }[] = [];
    let skipUntil = -1;
    for (const it of found) {
      if (it.start < skipUntil) continue;
      while (fns.length > 0 && (fns[fns.length - 1] as FnState).end <= it.start) this.closeFn(fns.pop() as FnState);
      while (closures.length > 0 && (closures[closures.length - 1] as { end: number }).end <= it.start) closures.pop();
      if (it.kind === 'mod' || it.kind === 'fn') {
        if (attributesOf(it.node).some(isTestAttr)) skipUntil = it.end;
        else if (it.kind === 'fn') {
          const f = this.openFn(it.node);
          if (f) fns.push(f);
        }
        continue;
      }
      const f = fns[fns.length - 1];
      if (!f) continue;
      if (it.kind === 'closure') closures.push({ end: it.end, id: it.node.id, fn: f });
      else this.visit(it, f, closures.filter((c) => c.fn === f));
    }
    while (fns.length > 0) this.closeFn(fns.pop() as FnState);
  }

  private visit(it: Found, f: FnState, closures: readonly { id: number }[]): void {
    const { kind, node: n } = it;
    const scope = f.scope;
    if (kind === 'ret' && closures.length === 0) {
      const v = kids(n)[0];
      const inner = v ? unwrapExpr(v) : undefined;
      if (inner?.type === 'identifier') this.finishReturn(scope.vars.get(inner.text), f);
      else if (inner) f.returned.add(inner.id);
    } else if (kind === 'let' || kind === 'assign') {
      const target = n.childForFieldName(kind === 'let' ? 'pattern' : 'left');
      const v = n.childForFieldName(kind === 'let' ? 'value' : 'right');
      const inner = v ? unwrapExpr(v) : undefined;
      if (target?.type === 'identifier' && inner) {
        const alias = inner.type === 'identifier' ? scope.vars.get(inner.text) : undefined;
        if (alias) scope.vars.set(target.text, alias);
        else f.boundTo.set(inner.id, target.text);
      }
    } else if ((kind === 'call' || kind === 'macro') && !scope.consumed.has(n.id)) {
      const variable = f.boundTo.get(n.id);
      const isReturned = f.returned.has(n.id);
      if (this.mayBeRouter(n.text, scope) || (isReturned && ROUTER_RETURNS.test(f.returnType))) {
        const r = this.routers.eval(n, isReturned ? scope.key : variable !== undefined ? `${scope.key}:${variable}` : undefined, scope);
        if (r && variable !== undefined) scope.vars.set(variable, r);
        if (isReturned) this.finishReturn(r, f);
      } else if (variable !== undefined && kind === 'call') scope.lazy.set(variable, n);
    }
    const last = it.callee?.text;
    if (kind === 'call' && last) {
      f.calls.add(last);
      if (ENTRY_CALLS.test(last)) this.entry(n);
    }
    if (!kind.startsWith('err_') && kind !== 'macro') return;
    const err = rustErrorAt(kind === 'macro' ? 'err_macro' : kind, n);
    if (err?.onlyInHandlers && !closures.some((c) => scope.handlerClosures.has(c.id))) this.pendingUnwraps.push({ fn: scope.key, err });
    else if (err) {
      const prev = f.errors.get(err.node.startPosition.row);
      if (!prev || ERROR_PRIORITY[err.kind] > ERROR_PRIORITY[prev.kind]) f.errors.set(err.node.startPosition.row, err);
    }
  }

  private addError(fn: string, err: ErrorCandidate): void {
    const errs = this.ctx.facts.errors;
    const line = err.node.startPosition.row + 1;
    const name = fn.includes('.') ? fn.slice(fn.lastIndexOf('.') + 1) : fn;
    const dupe = errs.findIndex((e) => e.loc.line === line && e.function === name);
    if (dupe >= 0 && ERROR_PRIORITY[(errs[dupe] as (typeof errs)[number]).kind] >= ERROR_PRIORITY[err.kind]) return;
    const fact = { kind: err.kind, text: errorText(err), function: name, loc: locOf(err.node) };
    if (dupe >= 0) errs[dupe] = fact;
    else errs.push(fact);
  }

  /** A function returning a router is the router named after the function. */
  private finishReturn(r: RouterVal | undefined, f: FnState): void {
    const key = f.scope.key;
    if (!r || (r.ref.kind === 'local' && r.ref.name === key)) return;
    if (!r.known && !ROUTER_RETURNS.test(f.returnType)) return;
    const fw: RustFramework = r.fw ?? (/\bRouter\b/.test(f.returnType) ? 'axum' : /\b(?:Route|Rocket)\b/.test(f.returnType) ? 'rocket' : 'actix-web');
    const parent = this.routers.declare(key, fw, f.node);
    this.ctx.facts.mounts.push({ parent, child: r.ref, prefix: '', style: 'axum', loc: locOf(f.node) });
  }

  /** Attribute routes (`#[get("/x")]`, `#[route("/x", method = "GET")]`, Rocket `#[post("/", data = "<f>")]`) and `#[launch]` / `#[tokio::main]`. */
  private attributes(node: Node, name: string, key: string, container: string | undefined): void {
    const attrs = attributesOf(node);
    const top = !container && (!node.parent || node.parent.type === 'source_file');
    if (top && name === 'main' && !this.input.file.endsWith('build.rs')) {
      const a = attrs.map(attrName).find((n) => n[n.length - 1] === 'main');
      const fw = a ? ({ tokio: 'tokio', actix_web: 'actix-web', actix_rt: 'actix-web', rocket: 'rocket', async_std: 'async-std', shuttle_runtime: 'shuttle' } as Record<string, string>)[a[0] as string] ?? this.fw : this.fw;
      this.ctx.facts.entries.push({ detail: 'main', name: 'main', framework: fw, loc: locOf(node) });
    }
    for (const a of attrs) {
      const n = attrName(a);
      const last = n[n.length - 1] as string;
      if (last === 'launch' && (n.length === 1 || n[0] === 'rocket')) this.ctx.facts.entries.push({ detail: 'main', name, framework: 'rocket', loc: locOf(node) });
      if (!ROUTE_ATTRS.has(last) || (n.length > 1 && n[0] !== 'actix_web' && n[0] !== 'rocket')) continue;
      const tree = a.childForFieldName('arguments');
      if (!tree) continue;
      const parts = this.tokens(tree);
      const firstString = parts.find((t) => t.type === 'string_literal');
      const raw = firstString ? stringValue(firstString) : undefined;
      if (raw === undefined || (raw !== '' && !raw.startsWith('/'))) continue;
      this.attrFw ??= attributeFramework(this.ctx, this.input.file, this.input.project);
      const fw: RustFramework = raw.includes('<') ? 'rocket' : raw.includes('{') ? 'actix-web' : this.attrFw;
      const path = fw === 'rocket' ? raw.replace(/\?.*$/, '') : raw;
      let methods = last === 'route' ? this.routeAttrMethods(parts) : [last.toUpperCase()];
      if (methods.length === 0) methods = ['ANY'];
      const router = this.routers.declare(key, fw, a);
      this.attributeRouted.add(key);
      const parentItem = a.parent ?? a;
      for (const m of methods) {
        this.ctx.facts.routes.push({ router, method: m, path, style: fw === 'rocket' ? 'angle' : 'brace', handler: { kind: 'here', name: key, loc: locOf(node, true) }, framework: fw, loc: locOf(parentItem) });
      }
    }
  }

  /** Every token of an attribute's token tree (strings, identifiers), in order. */
  private tokens(tree: Node): Node[] {
    const out: Node[] = [];
    for (let i = 0; i < tree.childCount; i++) {
      const c = tree.child(i);
      if (c) out.push(c);
    }
    return out;
  }

  /** `#[route("/x", method = "GET", method = "POST")]` (actix) or `#[route(GET, uri = "/x")]` (Rocket). */
  private routeAttrMethods(parts: readonly Node[]): string[] {
    const out: string[] = [];
    parts.forEach((t, i) => {
      if (t.type === 'identifier' && t.text === 'method' && parts[i + 1]?.type === '=') {
        const v = parts[i + 2];
        const s = v ? stringValue(v) : undefined;
        if (s) out.push(s.toUpperCase());
      } else if (t.type === 'identifier' && /^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)$/.test(t.text)) out.push(t.text);
    });
    return out;
  }

  /** Whether a call can touch a router: it names a router type, constructor or method, or a variable holding one. */
  private mayBeRouter(text: string, scope: FnScope): boolean {
    if (ROUTER_HINTS.some((h) => text.includes(h))) return true;
    for (const v of scope.vars.keys()) if (text.includes(v)) return true;
    return false;
  }

  /** Where the service starts listening: axum::serve, TcpListener::bind, HttpServer…bind, tonic Server::builder()…serve, rocket…launch, lambda run. */
  private entry(call: Node): void {
    const callee = call.childForFieldName('function');
    const push = (detail: string, framework: string, at: Node, name: string): void => {
      this.ctx.facts.entries.push({ detail, name, framework, loc: locOf(at) });
    };
    if (callee?.type === 'field_expression') {
      const method = callee.childForFieldName('field')?.text ?? '';
      if (!/^(bind|bind_\w+|listen|serve|serve_with_\w+|launch)$/.test(method)) return;
      const { base } = chainOf(call);
      if (base.type !== 'call_expression') return;
      const segs = pathSegments(base.childForFieldName('function')) ?? [];
      const owner = segs[segs.length - 2];
      const last = segs[segs.length - 1];
      const at = callee.childForFieldName('field') ?? call;
      const name = `${segs.join('::')}(…).${method}(${argsOf(call).map((a) => shortText(a, 40)).join(', ')})`;
      if (owner === 'HttpServer' && last === 'new' && method !== 'serve' && method !== 'launch') push('listen', 'actix-web', at, name);
      else if (owner === 'Server' && last === 'builder' && method.startsWith('serve')) push('listen', 'tonic', at, name);
      else if ((owner === 'rocket' || owner === 'Rocket') && method === 'launch') push('listen', 'rocket', at, name);
      else if (owner === 'Server' && last === 'bind' && method.startsWith('serve')) push('listen', this.fw, at, name);
      return;
    }
    const segs = pathSegments(callee);
    if (!segs) return;
    const last = segs[segs.length - 1] as string;
    const full = (this.ctx.bindings.get(segs[0] as string) ?? segs[0]) + (segs.length > 1 ? '::' + segs.slice(1).join('::') : '');
    if (full === 'axum::serve') push('listen', 'axum', call, shortText(call));
    else if (last === 'bind' && segs[segs.length - 2] === 'TcpListener') push('listen', this.fw, call, shortText(call));
    else if (last === 'run' && /^lambda_(runtime|http)\b/.test(full)) push('serverless', 'lambda', call, shortText(call));
  }

  /** `impl ArticleService for MyArticles` whose methods take `Request<…>` and return `Result<…, Status>` (tonic). */
  private grpcImpl(impl: Node): void {
    const trait = impl.childForFieldName('trait');
    const type = typeName(impl.childForFieldName('type'));
    const body = impl.childForFieldName('body');
    if (!trait || !type || !body) return;
    const traitSegs = pathSegments(trait) ?? [];
    const service = traitSegs[traitSegs.length - 1];
    if (!service) return;
    const fns = kids(body).filter((k) => k.type === 'function_item');
    const looksTonic = fns.some((f) => {
      const params = f.childForFieldName('parameters')?.text ?? '';
      const ret = f.childForFieldName('return_type')?.text ?? '';
      return /\bRequest\s*</.test(params) && /\bStatus\b/.test(ret);
    });
    const viaServer = traitSegs.some((s) => s.endsWith('_server')) || attributesOf(impl).some((a) => attrName(a).includes('async_trait'));
    if (!looksTonic && !(viaServer && fns.length > 0 && traitSegs.some((s) => s.endsWith('_server')))) return;
    const methods = fns.map((f) => ({ name: f.childForFieldName('name')?.text ?? '', loc: locOf(f, true) })).filter((m) => m.name !== '');
    for (const m of methods) this.handlerish.add(`${type}.${m.name}`);
    this.ctx.facts.grpcImpls.push({ service, container: type, methods, framework: 'tonic', loc: locOf(impl) });
  }
}

function interesting(text: string): boolean {
  return HINTS.some((h) => text.includes(h));
}

export const rustSupport: LanguageSupport = {
  language: 'rust',
  extensions: ['.rs'],
  grammar: () => 'rust',
  interesting,
  extract: (input) => new RustFile(input).read(),
  resolveModule: resolveRustModule,
  submodule: (module, name) => (module === '' ? name : module + '::' + name),
  packageIsFolder: false,
};
