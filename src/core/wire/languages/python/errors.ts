/**
 * Python error exits inside functions: raise (HTTP exceptions as http-error), abort(4xx/5xx), gRPC
 * context.abort / set_code, error responses (Response(status=500), JsonResponse(status=400), `return x, 404`,
 * `resp.status_code = 500`), error logging, sys.exit(1), and except clauses — 'swallow' when the body only
 * passes (`pass`, `...`, `continue`, comments).
 */
import type { Language, Node } from '@vscode/tree-sitter-wasm';
import type { emptyFacts } from '../../facts';
import type { ErrorKind } from '../../model';
import { locOf, shortText } from '../../syntax';
import { query } from '../../treeSitter';
import { argument, callArgs, calleeName, dotted, enclosingFunction, isErrorStatus, kids, lastSegment, sequenceItems, statusCode, unparen } from './syntax';

type Facts = ReturnType<typeof emptyFacts>;

const QUERY = `
(raise_statement) @raise
(except_clause) @except
(call) @call
(return_statement) @return
(assignment left: (attribute)) @assign
`;

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

/** Reads the error exits of a file into `facts.errors`. */
export function readErrors(root: Node, language: Language, facts: Facts): void {
  const seen = new Set<number>();
  const add = (kind: ErrorKind, node: Node): void => {
    const fn = enclosingFunction(node);
    if (!fn || seen.has(node.id)) return;
    seen.add(node.id);
    facts.errors.push({ kind, text: shortText(node), function: fn.childForFieldName('name')?.text, loc: locOf(node) });
  };
  for (const c of query(language, 'python', QUERY).captures(root)) {
    const n = c.node;
    switch (c.name) {
      case 'raise': {
        const e = unparen(kids(n)[0]);
        const name = e ? dotted(e.type === 'call' ? e.childForFieldName('function') : e) : undefined;
        add(name !== undefined && isHttpException(name) ? 'http-error' : 'throw', n);
        break;
      }
      case 'except':
        add(swallows(n) ? 'swallow' : 'catch', n);
        break;
      case 'call': {
        const kind = callKind(n);
        if (kind) add(kind, n);
        break;
      }
      case 'return': {
        // Flask: `return jsonify(error=...), 404`
        const items = sequenceItems(kids(n)[0]);
        if (items && items.length >= 2 && isErrorStatus(statusCode(items[1]))) add('http-error', n);
        break;
      }
      case 'assign': {
        const attr = n.childForFieldName('left')?.childForFieldName('attribute')?.text;
        if ((attr === 'status_code' || attr === 'status') && isErrorStatus(statusCode(n.childForFieldName('right')))) add('http-error', n);
        break;
      }
    }
  }
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

function callKind(call: Node): ErrorKind | undefined {
  const f = call.childForFieldName('function');
  const last = f?.type === 'attribute' ? (f.childForFieldName('attribute')?.text ?? '') : f?.type === 'identifier' ? f.text : '';
  if (last === '') return undefined;
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
