/**
 * Python error exits inside functions: raise (HTTP exceptions as http-error), abort(4xx/5xx), gRPC
 * context.abort / set_code, error responses (Response(status=500), JsonResponse(status=400), `return x, 404`,
 * `resp.status_code = 500`), error logging, sys.exit(1), and except clauses — 'swallow' when the body only
 * passes (`pass`, `...`, `continue`, comments).
 */
import type { Node } from '../../node';
import type { emptyFacts } from '../../facts';
import type { ErrorKind } from '../../model';
import { locOf, shortText } from '../../syntax';
import { argument, callArgs, calledName, calleeName, dotted, isErrorStatus, kids, lastSegment, sequenceItems, statusCode, unparen } from './syntax';

type Facts = ReturnType<typeof emptyFacts>;

/** The nodes error exits can be: captured by the file reader's query. */
export interface ErrorCandidates {
  readonly raises: readonly Node[];
  readonly excepts: readonly Node[];
  readonly calls: readonly Node[];
  readonly returns: readonly Node[];
  readonly assignments: readonly Node[];
}

/** Exceptions that frameworks turn into 4xx/5xx responses. */
const HTTP_EXCEPTIONS: ReadonlySet<string> = new Set([
  'HTTPException',
  'Http404',
  'NotFound',
  'BadRequest',
  'Unauthorized',
  'Forbidden',
  'MethodNotAllowed',
  'NotAcceptable',
  'Conflict',
  'Gone',
  'UnprocessableEntity',
  'TooManyRequests',
  'InternalServerError',
  'ServiceUnavailable',
  'PermissionDenied',
  'NotAuthenticated',
  'AuthenticationFailed',
  'APIException',
  'ParseError',
  'Throttled',
  'UnsupportedMediaType',
  'SuspiciousOperation',
  'RequestValidationError',
]);

/** Django responses that are errors by their class. */
const ERROR_RESPONSES: ReadonlySet<string> = new Set(['HttpResponseBadRequest', 'HttpResponseNotFound', 'HttpResponseForbidden', 'HttpResponseNotAllowed', 'HttpResponseGone', 'HttpResponseServerError']);

const REPORTERS: ReadonlySet<string> = new Set(['sentry_sdk.capture_exception', 'capture_exception', 'traceback.print_exc', 'rollbar.report_exc_info', 'bugsnag.notify']);

/** Reads the error exits of a file into `facts.errors`; `functionOf` gives the function a node is in. */
export function readErrors(nodes: ErrorCandidates, facts: Facts, functionOf: (node: Node) => Node | undefined): void {
  const add = (kind: ErrorKind, node: Node): void => {
    const fn = functionOf(node);
    if (fn) facts.errors.push({ kind, text: shortText(node), function: fn.childForFieldName('name')?.text, loc: locOf(node) });
  };
  for (const n of nodes.raises) {
    const e = unparen(kids(n)[0]);
    const name = e ? dotted(e.type === 'call' ? e.childForFieldName('function') : e) : undefined;
    add(name !== undefined && isHttpException(name) ? 'http-error' : 'throw', n);
  }
  for (const n of nodes.excepts) add(swallows(n) ? 'swallow' : 'catch', n);
  for (const n of nodes.calls) {
    const kind = callKind(n);
    if (kind) add(kind, n);
  }
  for (const n of nodes.returns) {
    // Flask: `return jsonify(error=...), 404`
    const items = sequenceItems(kids(n)[0]);
    if (items && items.length >= 2 && isErrorStatus(statusCode(items[1]))) add('http-error', n);
  }
  for (const n of nodes.assignments) {
    const left = n.childForFieldName('left');
    const attr = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
    if ((attr === 'status_code' || attr === 'status') && isErrorStatus(statusCode(n.childForFieldName('right')))) add('http-error', n);
  }
  facts.errors.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column);
}

function isHttpException(name: string): boolean {
  const last = lastSegment(name);
  return HTTP_EXCEPTIONS.has(last) || (last === 'ValidationError' && /(?:^|\.)(?:serializers|exceptions)\.ValidationError$/.test(name));
}

/** An except clause whose body does nothing with the error. */
function swallows(clause: Node): boolean {
  const body = kids(clause).filter((c) => c.type === 'block').pop();
  const stmts = kids(body).filter((s) => s.type !== 'comment');
  return stmts.every((s) => s.type === 'pass_statement' || s.type === 'continue_statement' || (s.type === 'expression_statement' && kids(s).every((e) => e.type === 'ellipsis' || e.type === 'string')));
}

/** Last segments of callees that can be error exits (responses are recognized by their `Response` suffix). */
const ERROR_CALLS: ReadonlySet<string> = new Set(['abort', 'set_code', 'error', 'exception', 'critical', 'fatal', 'exit', '_exit', 'make_response', 'capture_exception', 'print_exc', 'report_exc_info', 'notify']);

function callKind(call: Node): ErrorKind | undefined {
  const last = calledName(call);
  if (last === undefined || (!ERROR_CALLS.has(last) && !last.endsWith('Response') && !ERROR_RESPONSES.has(last))) return undefined;
  const callee = calleeName(call) ?? '';
  const args = callArgs(call);
  const recv = callee.includes('.') ? callee.slice(0, callee.lastIndexOf('.')) : '';
  switch (last) {
    case 'abort': {
      // flask.abort(404), werkzeug abort; gRPC `context.abort(grpc.StatusCode.NOT_FOUND, ...)`
      const code = argument(args, 'code', 0);
      if (/(?:^|\.)context$/.test(recv) || /StatusCode\./.test(code?.text ?? '')) return 'http-error';
      const status = statusCode(code);
      return status === undefined || isErrorStatus(status) ? 'http-error' : undefined;
    }
    case 'set_code': {
      const code = args.positional[0]?.text ?? '';
      return /StatusCode\./.test(code) && !/StatusCode\.OK$/.test(code) ? 'http-error' : undefined;
    }
    case 'error':
    case 'exception':
    case 'critical':
    case 'fatal':
      return isLogger(call, recv) ? 'log-error' : undefined;
    case 'exit':
    case '_exit': {
      if (callee !== 'sys.exit' && callee !== 'os._exit' && callee !== 'exit') return undefined;
      const a = args.positional[0];
      return !a || a.text === '0' || a.type === 'none' ? undefined : 'panic';
    }
  }
  if (REPORTERS.has(callee)) return 'log-error';
  if (ERROR_RESPONSES.has(last)) return 'http-error';
  if (last.endsWith('Response') || last === 'make_response') {
    const status = args.keywords.get('status') ?? args.keywords.get('status_code') ?? args.positional[1];
    if (isErrorStatus(statusCode(status))) return 'http-error';
  }
  return undefined;
}

/** `logger.error`, `log.exception`, `logging.critical`, `current_app.logger.error`, `logging.getLogger(x).error`. */
function isLogger(call: Node, recv: string): boolean {
  if (recv !== '') return /(?:^|\.)_*(?:log|logger|logging|LOG|LOGGER)$/i.test(recv) || /logger$/i.test(recv);
  const obj = call.childForFieldName('function')?.childForFieldName('object');
  return obj?.type === 'call' && /getLogger$/.test(calleeName(obj) ?? '');
}
