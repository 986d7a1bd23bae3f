/**
 * Python: Flask (and Quart) apps and blueprints, FastAPI apps and APIRouters, Django urls.py with Django REST
 * framework routers and views, gRPC servicers, entry points (`__main__`, app.run, uvicorn, manage.py, AWS
 * Lambda, Celery tasks, gRPC servers) and error exits. Routers are variables, named by scope: `app` at module
 * level, `create_app.app` inside a factory, `register(app)` for a function parameter used as a router.
 *
 * This module holds the language support and the file's read (functions, classes and gRPC servicers, entry
 * points); the reader's other layers are python/routers.ts, python/handlers.ts and python/routes.ts.
 */
import type { Node } from '../node';
import { emptyFacts, type FileFacts } from '../facts';
import type { ExtractInput, LanguageSupport } from '../language';
import { locOf, shortText } from '../syntax';
import { readUrlModule, type PyContext } from './python/django';
import { readErrors } from './python/errors';
import { resolvePythonModule, submodule } from './python/imports';
import { moduleStatements } from './python/summary';
import { MODULE } from './python/routers';
import { PyRoutes } from './python/routes';
import { callArgs, calledName, calleeName, decoratorsOf, dotted, enclosingClass, enclosingFunction, kids, lastSegment, params } from './python/syntax';

/** Substrings that mark a file worth parsing: framework imports, route registrations, handler shapes, entry points. */
const HINTS = [
  'from flask import',
  'from flask.',
  'import flask',
  'from quart',
  'fastapi',
  'starlette',
  'django.urls',
  'django.conf.urls',
  'django.http',
  'django.shortcuts',
  'django.views',
  'django.contrib.syndication',
  'django.core.wsgi',
  'django.core.asgi',
  'rest_framework',
  'urlpatterns',
  'Blueprint',
  'APIRouter',
  '.route(',
  'add_url_rule',
  'include_router',
  'as_view',
  'ViewSet',
  'APIView',
  'MethodView',
  '_pb2_grpc',
  'Servicer',
  'grpc.server',
  'aio.server',
  '__main__',
  'event, context',
  'lambda_handler',
  'def handler(',
  'uvicorn',
  'Mangum',
  'shared_task',
  '.task(',
  '.task\n',
  '.task\r',
];

/** The hints as one alternation of escaped literals: the same substring test, several times faster than a loop of includes(). */
const HINT_RE = new RegExp(HINTS.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
/**
 * A function that takes the request first (`def view(request`, `def get(self, request`, async too): a Django or DRF
 * view, a Starlette endpoint, a gRPC servicer method. A definition, not any call with `request` first: HTTP client
 * code (`session.send(request)`) is full of those and holds no handler.
 */
const REQUEST_HANDLER_RE = /\bdef\s+\w+\s*\(\s*(?:self\s*,\s*)?request\b/;

/** Python (.py). */
export const pythonSupport: LanguageSupport = {
  language: 'python',
  extensions: ['.py'],
  grammar: () => 'python',
  interesting(text: string, file: string): boolean {
    if (file.endsWith('__init__.py') && text.includes('import')) return true;
    return HINT_RE.test(text) || REQUEST_HANDLER_RE.test(text);
  },
  extract(input: ExtractInput): FileFacts {
    const facts = emptyFacts(input.file, 'python');
    try {
      new PythonReader(input, facts).read();
    } catch (e) {
      facts.warnings.push({ line: 1, message: `Python reader stopped early: ${(e as Error).message}` });
    }
    return facts;
  },
  resolveModule: (fromFile, module, project) => resolvePythonModule(fromFile, module, project),
  submodule,
};

/** One file's walk. */
class PythonReader extends PyRoutes implements PyContext {
  read(): void {
    const fns = this.captured('fn');
    const calls = this.captured('call');
    this.facts.imports.push(...this.summary.imports);
    const top = moduleStatements(this.input.root);
    this.readExports(top);
    for (const a of this.captured('assign')) this.readAssignment(a);
    for (const call of calls) {
      const fn = this.functionOf(call);
      const name = calledName(call);
      if (!fn || !name) continue;
      let set = this.callsByFunction.get(fn.id);
      if (!set) this.callsByFunction.set(fn.id, (set = new Set()));
      set.add(name);
    }
    for (const fn of fns) this.readFunction(fn);
    for (const cls of this.captured('class')) this.readClass(cls);
    for (const call of calls) if (call.parent?.type === 'decorator') this.readDecorator(call.parent, call);
    for (const fn of fns) for (const d of decoratorsOf(fn)) if (d.type !== 'call') this.taskDecorator(d, fn);
    readUrlModule(this, top);
    for (const call of calls) this.readRouterCall(call);
    // after every router is known: routers passed to functions, app.run()
    for (const call of calls) if (call.parent?.type !== 'decorator') this.readCall(call);
    this.readMainGuard();
    readErrors({ raises: this.captured('raise'), excepts: this.captured('except'), calls, returns: this.captured('return'), assignments: this.captured('assign') }, this.facts, (n) => this.functionOf(n));
  }

  // ---- functions and classes ---------------------------------------------------------------------------

  private readFunction(fn: Node): void {
    const name = fn.childForFieldName('name')?.text;
    if (!name) return;
    const cls = enclosingClass(fn);
    const container = cls?.childForFieldName('name')?.text;
    let ps = params(fn);
    // Call sites do not pass `self` / `cls`: drop it so CallFact arguments line up with the parameters.
    if (container && (ps[0] === 'self' || ps[0] === 'cls')) ps = ps.slice(1);
    this.facts.functions.push({ name, container, params: ps, loc: locOf(fn, true), calls: [...(this.callsByFunction.get(fn.id) ?? [])] });
    const topLevel = !container && !enclosingFunction(fn);
    const all = params(fn);
    if (topLevel && ((all.length === 2 && all[0] === 'event' && all[1] === 'context') || (name === 'lambda_handler' && all.length === 2))) {
      this.facts.entries.push({ detail: 'serverless', name, framework: 'aws-lambda', loc: locOf(fn) });
    }
  }

  /** Classes are recorded as functions too: a handler inherited from a framework class points at the class. */
  private readClass(cls: Node): void {
    const name = cls.childForFieldName('name')?.text;
    if (!name) return;
    const outer = enclosingClass(cls)?.childForFieldName('name')?.text;
    this.facts.functions.push({ name, container: outer, params: [], loc: locOf(cls, true) });
    const servicer = kids(cls.childForFieldName('superclasses'))
      .map((b) => dotted(b))
      .find((b) => b !== undefined && /Servicer$/.test(b) && b !== 'Servicer');
    if (!servicer) return;
    const methods = kids(cls.childForFieldName('body'))
      .map((s) => (s.type === 'decorated_definition' ? s.childForFieldName('definition') : s))
      .filter((s): s is Node => s?.type === 'function_definition')
      .filter((m) => !(m.childForFieldName('name')?.text ?? '_').startsWith('_'))
      .map((m) => ({ name: m.childForFieldName('name')?.text ?? '', loc: locOf(m, true) }));
    this.facts.grpcImpls.push({ service: lastSegment(servicer).replace(/Servicer$/, ''), container: name, methods, framework: 'grpc', loc: locOf(cls) });
  }

  // ---- calls: CallFacts and entries ----------------------------------------------------------------------

  private readCall(call: Node): void {
    const callee = calleeName(call);
    if (callee === undefined) return;
    const last = lastSegment(callee);
    const f = call.childForFieldName('function');
    const recv = f?.type === 'attribute' ? f.childForFieldName('object') : undefined;
    this.entryCall(call, callee, last, recv ?? undefined);
    if ((ROUTER_CALLS.has(last) && recv) || this.routerByName.size === 0) return;
    // Routers passed to a function: `register_routes(app)`, `views.init_app(app)`.
    const args = callArgs(call);
    const refs = args.positional.map((a) => (a.type === 'identifier' ? this.routerRef(a, call) : undefined));
    if (!refs.some((r) => r?.kind === 'local')) return;
    this.facts.calls.push({ callee: this.refOf(callee), args: refs, loc: locOf(call) });
  }

  private entryCall(call: Node, callee: string, last: string, recv: Node | undefined): void {
    const add = (detail: string, framework: string): void => {
      this.facts.entries.push({ detail, name: shortText(call, 80), framework, loc: locOf(call) });
    };
    if (callee === 'uvicorn.run' || callee === 'hypercorn.run') return add('listen', 'uvicorn');
    if (callee === 'waitress.serve' || (callee === 'serve' && this.summary.imports.some((i) => i.module === 'waitress'))) return add('listen', 'waitress');
    if (callee === 'web.run_app' || callee === 'aiohttp.web.run_app') return add('listen', 'aiohttp');
    if (last === 'run_simple') return add('listen', 'werkzeug');
    if (/^add_\w+Servicer_to_server$/.test(last)) return add('bootstrap', 'grpc');
    if (!recv) return;
    const r = dotted(recv);
    if (last === 'run' && r !== undefined) {
      const ref = !r.includes('.') ? this.routerRef(recv, call) : undefined;
      const fw = ref ? this.frameworkOf(ref) : undefined;
      // FastAPI apps have no run(): an `app.run()` is Flask's (or Quart's) development server.
      if (fw || /app|application/i.test(lastSegment(r)) || r === 'socketio') add('listen', fw ?? this.fileFramework ?? 'flask');
    } else if ((last === 'start' || last === 'wait_for_termination') && r !== undefined && !r.includes('.')) {
      const scopes = [this.scopeOf(call), MODULE];
      if (last === 'start' && scopes.some((s) => this.grpcServers.get(s)?.has(r))) add('listen', 'grpc');
    }
  }

  /** `if __name__ == "__main__":` at module level. */
  private readMainGuard(): void {
    for (const st of kids(this.input.root)) {
      if (st.type !== 'if_statement') continue;
      const cond = st.childForFieldName('condition');
      if (cond?.type !== 'comparison_operator') continue;
      const sides = kids(cond).map((c) => c.text.replace(/['"]/g, ''));
      if (!sides.includes('__name__') || !sides.includes('__main__')) continue;
      const body = kids(st.childForFieldName('consequence'));
      const only = body.length === 1 && body[0]?.type === 'expression_statement' ? kids(body[0])[0] : undefined;
      const called = only?.type === 'call' && only.childForFieldName('function')?.type === 'identifier' ? calleeName(only) : undefined;
      const manage = this.file === 'manage.py' || this.file.endsWith('/manage.py');
      this.facts.entries.push({ detail: 'main', name: called ?? shortText(st, 80), framework: manage ? 'django' : 'python', loc: locOf(st) });
    }
  }
}

/** Router methods whose arguments are routers being mounted, not routers passed to a function. */
const ROUTER_CALLS: ReadonlySet<string> = new Set(['register_blueprint', 'include_router', 'mount', 'add_url_rule', 'add_api_route', 'register', 'route']);
