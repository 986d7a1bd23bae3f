/**
 * Entry points (listeners opened with `.listen()`, `NestFactory.create`, `server.bindAsync`, `serve({ fetch })`,
 * serverless `handler` exports, `require.main === module`) and the error exits inside functions: throw (HTTP
 * exceptions as http-error), catch blocks (empty ones swallow), promise `.catch()`, `next(err)` / `callback(err)`,
 * 4xx/5xx responses (`res.status(500)`, `reply.code(404)`, `ctx.throw(404)`, `ctx.assert(x, 404)`, `ctx.status = 500`,
 * `c.json(x, 404)`, `NextResponse.json(x, { status: 500 })`), error logging and `process.exit(1)`.
 */
import type { Node } from '../../node';
import type { ErrorKind } from '../../model';
import { locOf, shortText } from '../../syntax';
import type { JsFile } from './context';
import { argsOf, FN_TYPES, isModuleExports, propertyValue, unwrap, type CallSite } from './syntax';
import { fileFramework, routerRef } from './routers';

// ---- entries ----

const SERVER_NAME = /^(?:app|application|server|srv|httpServer|httpsServer|fastify|api|instance)$/i;

/** The framework of what `.listen()` is called on, or undefined when it is not a server. */
function serverOf(js: JsFile, recv: Node): string | undefined {
  const r = unwrap(recv);
  const router = routerRef(js, r, {});
  if (router) return router.framework;
  let value: Node | undefined = r;
  if (r.type === 'identifier') {
    const b = js.lookup(r.text, r);
    if (b?.kind === 'import') return fileFramework(js) ?? 'node';
    value = b?.kind === 'var' && b.value ? unwrap(b.value) : undefined;
    if (!value) return SERVER_NAME.test(r.text) ? (fileFramework(js) ?? 'node') : undefined;
  }
  if (value.type === 'call_expression' || value.type === 'new_expression') {
    const callee = (value.childForFieldName('function') ?? value.childForFieldName('constructor'))?.text ?? '';
    if (callee.startsWith('NestFactory.')) return 'nestjs';
    if (/(?:^|\.)(?:createServer|createSecureServer|Server)$/.test(callee)) return 'node:http';
  }
  if (r.type === 'identifier' && SERVER_NAME.test(r.text)) return fileFramework(js) ?? 'node';
  if (r.type === 'member_expression' && SERVER_NAME.test(r.childForFieldName('property')?.text ?? '')) return fileFramework(js) ?? 'node';
  return undefined;
}

/** Reads the entry points of the file. */
export function readEntries(js: JsFile): void {
  const add = (detail: string, name: string, framework: string, at: Node): void => {
    js.facts.entries.push({ detail, name, framework, loc: locOf(at) });
  };
  for (const { node: call, callee, prop } of js.calls()) {
    if (callee.type === 'member_expression') {
      if (prop !== 'listen' && prop !== 'bindAsync' && prop !== 'serve' && !prop?.startsWith('create')) continue;
      const obj = callee.childForFieldName('object');
      if (!obj) continue;
      if (prop === 'listen') {
        const fw = serverOf(js, obj);
        if (fw) add('listen', shortText(call), fw, call);
      } else if (prop === 'bindAsync') add('listen', shortText(call), 'grpc', call);
      else if (obj.text === 'NestFactory' && prop?.startsWith('create')) add('bootstrap', shortText(call), 'nestjs', call);
      else if (prop === 'serve' && (obj.text === 'Bun' || obj.text === 'Deno')) add('listen', shortText(call), obj.text.toLowerCase(), call);
    } else if (callee.type === 'identifier' && callee.text === 'serve') {
      const opts = call.childForFieldName('arguments')?.namedChild(0);
      if (opts && unwrap(opts).type === 'object' && propertyValue(unwrap(opts), 'fetch')) add('listen', shortText(call), 'hono', call);
    }
  }
  for (const e of js.of('export')) {
    const decl = e.children.some((c) => c?.type === 'default') ? undefined : e.childForFieldName('declaration');
    if (decl?.type === 'function_declaration' && decl.childForFieldName('name')?.text === 'handler') add('serverless', 'handler', 'serverless', e);
    if (decl?.type === 'lexical_declaration' || decl?.type === 'variable_declaration') {
      for (const d of decl.namedChildren) if (d?.type === 'variable_declarator' && d.childForFieldName('name')?.text === 'handler') add('serverless', 'handler', 'serverless', e);
    }
    const value = e.childForFieldName('value');
    if (value && unwrap(value).type === 'object' && propertyValue(unwrap(value), 'fetch')) add('serverless', 'fetch', 'workers', e);
  }
  for (const a of js.of('assign')) {
    const left = a.childForFieldName('left');
    const obj = left?.type === 'member_expression' ? left.childForFieldName('object') : undefined;
    if (obj && left?.childForFieldName('property')?.text === 'handler' && (obj.text === 'exports' || isModuleExports(obj))) add('serverless', 'handler', 'serverless', a);
  }
  for (const cmp of js.of('reqmain')) add('main', 'require.main === module', 'node', cmp);
}

// ---- errors ----

/** Reads every error exit inside a function. */
export function readErrors(js: JsFile): void {
  const add = (kind: ErrorKind, node: Node): void => {
    const fn = functionName(js, node);
    if (fn !== undefined) js.facts.errors.push({ kind, text: shortText(node), function: fn, loc: locOf(node) });
  };
  for (const t of js.of('throw')) add(isHttpError(t.namedChild(0)) ? 'http-error' : 'throw', t);
  for (const c of js.of('catch')) add(isEmptyBlock(c.childForFieldName('body')) ? 'swallow' : 'catch', c);
  for (const site of js.calls()) {
    const kind = callErrorKind(js, site);
    if (!kind) continue;
    // `store\n  .create(x)\n  .catch(…)`: the exit is where `.catch` is, not where the chain starts
    const call = site.node;
    const prop = site.prop === undefined ? undefined : site.callee.childForFieldName('property');
    if (!prop || prop.startPosition.row === call.startPosition.row) add(kind, call);
    else {
      const fn = functionName(js, call);
      const text = '.' + js.input.text.slice(prop.startIndex, call.endIndex);
      const first = text.split('\n')[0] as string;
      if (fn !== undefined) js.facts.errors.push({ kind, text: first.length > 120 ? first.slice(0, 119) + '…' : first === text ? first : first + ' …', function: fn, loc: locOf(prop) });
    }
  }
  for (const n of js.of('new')) {
    if (n.parent?.type === 'throw_statement') continue;
    const ctor = n.childForFieldName('constructor')?.text ?? '';
    const init = n.childForFieldName('arguments')?.namedChild(1);
    if (/(?:^|\.)(?:Response|NextResponse|HttpResponse)$/.test(ctor) && init && unwrap(init).type === 'object' && isErrorStatus(propertyValue(unwrap(init), 'status'))) add('http-error', n);
  }
  for (const a of js.of('assign')) {
    const left = a.childForFieldName('left');
    const prop = left?.type === 'member_expression' ? left.childForFieldName('property')?.text : undefined;
    if ((prop === 'status' || prop === 'statusCode') && isErrorStatus(a.childForFieldName('right'))) add('http-error', a);
  }
}

/** The name of the function an error is in: the nearest named one (anonymous callbacks are looked through, route handlers are `<anonymous>`). */
function functionName(js: JsFile, node: Node): string | undefined {
  let inside = false;
  for (const info of js.fnsAround(node, true)) {
    inside = true;
    if (info.name !== undefined || info.recorded) return js.display(info);
  }
  return inside ? '<anonymous>' : undefined;
}

const LOGGER = /^(?:console|_?log|_?logger|\w*Logger|\w*logger|winston|pino|bunyan)$/;
const SWALLOW_VALUES: ReadonlySet<string> = new Set(['null', 'undefined', 'true', 'false', 'number', 'string', 'array', 'object']);

const ERROR_CALLS: ReadonlySet<string> = new Set(['catch', 'status', 'sendStatus', 'code', 'throw', 'assert', 'json', 'text', 'html', 'send', 'body', 'error', 'fatal', 'captureException', 'exit', 'reject']);

function callErrorKind(js: JsFile, { node: call, callee, prop: property }: CallSite): ErrorKind | undefined {
  if (callee.type === 'identifier') {
    const name = callee.text;
    if (name !== 'next' && name !== 'callback' && name !== 'cb' && name !== 'done') return undefined;
    const first = argsOf(call)[0];
    if (!first) return undefined;
    const b = js.lookup(name, callee);
    if (b?.kind !== 'param') return undefined;
    if (name === 'next' && first.type !== 'string') return 'return-error';
    if ((name === 'callback' || name === 'cb' || name === 'done') && first.text !== 'null' && first.text !== 'undefined') return 'return-error';
    return undefined;
  }
  if (property === undefined || !ERROR_CALLS.has(property)) return undefined;
  const prop = property;
  const args = argsOf(call);
  const obj = unwrap(callee.childForFieldName('object') ?? callee);
  const objName = obj.type === 'member_expression' ? (obj.childForFieldName('property')?.text ?? '') : obj.type === 'new_expression' ? (obj.childForFieldName('constructor')?.text ?? '') : obj.text;
  switch (prop) {
    case 'catch': {
      const h = args[0] ? unwrap(args[0]) : undefined;
      if (!h || args.length !== 1) return undefined;
      if (h.type === 'identifier') return /^(?:noop|_\.noop)$/.test(h.text) ? 'swallow' : 'catch';
      if (!FN_TYPES.has(h.type)) return undefined;
      const body = h.childForFieldName('body');
      if (!body) return undefined;
      if (body.type === 'statement_block') return isEmptyBlock(body) ? 'swallow' : 'catch';
      return SWALLOW_VALUES.has(unwrap(body).type) && unwrap(body).namedChildCount === 0 ? 'swallow' : 'catch';
    }
    case 'status':
    case 'sendStatus':
    case 'code':
      return args.length === 1 && isErrorStatus(args[0]) ? 'http-error' : undefined;
    case 'throw':
      return objName === 'ctx' || objName === 'context' ? 'http-error' : undefined;
    case 'assert':
      return (objName === 'ctx' || objName === 'context') && isErrorStatus(args[1]) ? 'http-error' : undefined;
    case 'json':
    case 'text':
    case 'html':
    case 'send':
    case 'body': {
      const second = args[1] ? unwrap(args[1]) : undefined;
      if (!second) return prop === 'send' && args.length === 1 && isErrorStatus(args[0]) ? 'http-error' : undefined; // Express 3: res.send(404)
      if (second.type === 'object') return isErrorStatus(propertyValue(second, 'status')) ? 'http-error' : undefined;
      return isErrorStatus(second) ? 'http-error' : undefined;
    }
    case 'error':
    case 'fatal':
      return LOGGER.test(objName) ? 'log-error' : undefined;
    case 'captureException':
      return 'log-error';
    case 'exit':
      return obj.text === 'process' && args[0] && args[0].text !== '0' ? 'panic' : undefined;
    case 'reject':
      return obj.text === 'Promise' ? 'return-error' : undefined;
    default:
      return undefined;
  }
}

/** Whether a block has nothing but comments. */
function isEmptyBlock(block: Node | null): boolean {
  return !!block && block.namedChildren.every((c) => !c || c.type === 'comment');
}

const OK_STATUS = /^(?:OK|CREATED|ACCEPTED|NO_CONTENT|NON_AUTHORITATIVE_INFORMATION|RESET_CONTENT|PARTIAL_CONTENT|MULTI_STATUS|MULTIPLE_CHOICES|MOVED_PERMANENTLY|MOVED_TEMPORARILY|FOUND|SEE_OTHER|NOT_MODIFIED|USE_PROXY|TEMPORARY_REDIRECT|PERMANENT_REDIRECT|CONTINUE|SWITCHING_PROTOCOLS|PROCESSING|EARLYHINTS|EARLY_HINTS)$/;

/** A 4xx/5xx status: a number ≥ 400, `HttpStatus.NOT_FOUND`, `err.status || 500`. */
function isErrorStatus(node: Node | null | undefined): boolean {
  if (!node) return false;
  const n = unwrap(node);
  if (n.type === 'number') return Number(n.text) >= 400 && Number(n.text) < 600;
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    return (op === '||' || op === '??') && (isErrorStatus(n.childForFieldName('left')) || isErrorStatus(n.childForFieldName('right')));
  }
  if (n.type === 'member_expression') {
    const obj = n.childForFieldName('object')?.text ?? '';
    const prop = n.childForFieldName('property')?.text ?? '';
    return /status/i.test(obj) && /^[A-Z][A-Z0-9_]+$/.test(prop) && !OK_STATUS.test(prop);
  }
  return false;
}

const HTTP_ERROR_CTOR = /(?:Exception|^HttpError|^HTTPError|^HttpsError)$/;

/** `throw new NotFoundException()`, `throw new HttpException(…)`, `throw createError(404)`, `throw Boom.notFound()`. */
function isHttpError(node: Node | null): boolean {
  if (!node) return false;
  const n = unwrap(node);
  if (n.type === 'new_expression') {
    const ctor = n.childForFieldName('constructor');
    const name = ctor?.type === 'member_expression' ? ctor.childForFieldName('property')?.text : ctor?.text;
    return !!name && HTTP_ERROR_CTOR.test(name);
  }
  if (n.type === 'call_expression') {
    const callee = n.childForFieldName('function');
    const text = callee?.type === 'member_expression' ? (callee.childForFieldName('object')?.text ?? '') : (callee?.text ?? '');
    return /^(?:createError|createHttpError|httpErrors|Boom|boom)$/.test(text);
  }
  return false;
}
