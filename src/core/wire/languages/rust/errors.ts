/**
 * Rust error exits, node by node: `return Err(..)` and `Err(..)` as a value (block tail, match arm), panic!,
 * unreachable!, todo!, unimplemented!, bail!/ensure! (anyhow), `.unwrap()`/`.expect()` (reported only inside
 * handlers), 4xx/5xx responses (`StatusCode::NOT_FOUND`, `HttpResponse::InternalServerError()`,
 * `error::ErrorBadRequest(..)`, Rocket `Status::NotFound`, tonic `Status::not_found(..)`), error logging
 * (tracing/log `error!`, `eprintln!`), and dropped errors (`if let Err(_) = x {}`, `Err(_) => {}`,
 * `let _ = fallible()`, `.ok();`). The `?` operator is not an exit of its own: it is everywhere.
 */
import type { Node } from '../../node';
import type { ErrorKind } from '../../model';
import { shortText } from '../../syntax';
import { kids, pathSegments } from './context';

/** An error exit found in a function body, before it is kept (one per line) or dropped. */
export interface ErrorCandidate {
  readonly kind: ErrorKind;
  /** Where the exit is (its line is the record's line). */
  readonly node: Node;
  /** Whether the record's text is the whole expression around `node` on its line (computed only when kept). */
  readonly wholeLine?: boolean | undefined;
  /** `.unwrap()` / `.expect()`: an error exit only on a request path. */
  readonly onlyInHandlers?: boolean | undefined;
}

/** The text an error record shows. */
export function errorText(e: ErrorCandidate): string {
  return shortText(e.wholeLine ? lineExpr(e.node) : e.node);
}

/** Which of two errors on one line is kept. */
export const ERROR_PRIORITY: Readonly<Record<ErrorKind, number>> = { 'return-error': 7, throw: 6, panic: 5, 'http-error': 4, 'log-error': 3, swallow: 2, catch: 1 };

/** 4xx/5xx status names and non-OK gRPC codes, lower-case without underscores (NOT_FOUND, NotFound, not_found → notfound). */
const ERROR_STATUSES: ReadonlySet<string> = new Set([
  'badrequest', 'unauthorized', 'paymentrequired', 'forbidden', 'notfound', 'methodnotallowed', 'notacceptable',
  'proxyauthenticationrequired', 'requesttimeout', 'conflict', 'gone', 'lengthrequired', 'preconditionfailed',
  'payloadtoolarge', 'uritoolong', 'unsupportedmediatype', 'rangenotsatisfiable', 'expectationfailed', 'imateapot',
  'misdirectedrequest', 'unprocessableentity', 'locked', 'faileddependency', 'upgraderequired', 'preconditionrequired',
  'toomanyrequests', 'requestheaderfieldstoolarge', 'unavailableforlegalreasons', 'internalservererror', 'notimplemented',
  'badgateway', 'serviceunavailable', 'gatewaytimeout', 'httpversionnotsupported', 'insufficientstorage', 'loopdetected',
  'networkauthenticationrequired',
  // gRPC
  'cancelled', 'unknown', 'invalidargument', 'deadlineexceeded', 'alreadyexists', 'permissiondenied', 'resourceexhausted',
  'failedprecondition', 'aborted', 'outofrange', 'unimplemented', 'internal', 'unavailable', 'dataloss', 'unauthenticated',
]);

const STATUS_OWNERS: ReadonlySet<string> = new Set(['StatusCode', 'Status', 'HttpResponse', 'Code']);

/** Whether a status name (any spelling) is a 4xx/5xx HTTP status or a non-OK gRPC code. */
function isErrorStatus(name: string): boolean {
  return ERROR_STATUSES.has(name.replace(/_/g, '').toLowerCase());
}

const PANIC_MACROS: ReadonlySet<string> = new Set(['panic', 'unreachable', 'todo', 'unimplemented']);
const STOP: ReadonlySet<string> = new Set(['block', 'match_block', 'declaration_list', 'function_item', 'closure_expression', 'source_file', 'let_declaration', 'expression_statement']);

/** The whole expression a status constant sits in, as far as it stays on the same line. */
function lineExpr(node: Node): Node {
  let n = node;
  while (n.parent && !STOP.has(n.parent.type) && n.parent.startPosition.row === node.startPosition.row) n = n.parent;
  return n;
}

function inPattern(node: Node): boolean {
  for (let n = node.parent; n && !STOP.has(n.type); n = n.parent) if (n.type === 'match_pattern' || n.type === 'let_condition' || n.type === 'tuple_struct_pattern') return true;
  return false;
}

function isErrPattern(p: Node | null | undefined): boolean {
  const t = p?.type === 'match_pattern' ? kids(p)[0] : p;
  return t?.type === 'tuple_struct_pattern' && t.childForFieldName('type')?.text === 'Err';
}

/** A block with nothing in it but comments, or `()`. */
function isEmpty(n: Node | null | undefined): boolean {
  return !!n && ((n.type === 'block' && kids(n).length === 0) || n.type === 'unit_expression');
}

/**
 * The exits the file query finds directly, by capture name: `return Err(..)`, `Err(..)` as a block's value or a
 * match arm's, `.unwrap()`/`.expect()`, `x.ok();`, `let _ = call()`, actix `ErrorNotFound(..)`.
 */
export const ERROR_QUERY = `
(return_expression (call_expression function: (identifier) @e (#eq? @e "Err"))) @err_return
(block (call_expression function: (identifier) @e (#eq? @e "Err")) @err_value .)
(match_arm value: (call_expression function: (identifier) @e (#eq? @e "Err")) @err_value)
(call_expression function: (field_expression field: (field_identifier) @m (#any-of? @m "unwrap" "expect"))) @err_unwrap
(expression_statement (call_expression function: (field_expression field: (field_identifier) @m (#eq? @m "ok")))) @err_ok
(let_declaration pattern: "_" value: [(call_expression) (macro_invocation) (await_expression) (try_expression)]) @err_let
(call_expression function: (identifier) @m (#match? @m "^Error[A-Z]")) @err_status_fn
(if_expression condition: (let_condition)) @err_iflet
(match_arm pattern: (match_pattern (tuple_struct_pattern type: (identifier) @t (#eq? @t "Err")))) @err_arm
((scoped_identifier) @err_scoped (#match? @err_scoped "Status|HttpResponse|Code::|error::"))
`;

/** The error exit a node captured by ERROR_QUERY (or a macro invocation, `err_macro`) is, if any. */
export function rustErrorAt(capture: string, node: Node): ErrorCandidate | undefined {
  switch (capture) {
    case 'err_return':
    case 'err_value':
      return { kind: 'return-error', node };
    case 'err_unwrap':
      return { kind: 'panic', node, wholeLine: true, onlyInHandlers: true };
    case 'err_ok':
    case 'err_let':
      return { kind: 'swallow', node };
    case 'err_status_fn': {
      const name = node.childForFieldName('function')?.text ?? '';
      return isErrorStatus(name.slice(5)) ? { kind: 'http-error', node, wholeLine: true } : undefined;
    }
    case 'err_scoped': {
      const segs = pathSegments(node);
      if (!segs || segs.length < 2) return undefined;
      const owner = segs[segs.length - 2] as string;
      const name = segs[segs.length - 1] as string;
      const hit = (STATUS_OWNERS.has(owner) && isErrorStatus(name)) || (owner === 'error' && /^Error[A-Z]/.test(name) && isErrorStatus(name.slice(5)));
      return hit && !inPattern(node) ? { kind: 'http-error', node, wholeLine: true } : undefined;
    }
    case 'err_macro': {
      const segs = pathSegments(node.childForFieldName('macro'));
      const name = segs?.[segs.length - 1];
      if (!name) return undefined;
      if (PANIC_MACROS.has(name)) return { kind: 'panic', node };
      if (name === 'bail' || name === 'ensure') return { kind: 'return-error', node };
      if (name === 'eprintln' || (name === 'error' && (segs.length === 1 || segs[0] === 'tracing' || segs[0] === 'log'))) return { kind: 'log-error', node };
      return undefined;
    }
    case 'err_iflet': {
      const cond = node.childForFieldName('condition');
      return isErrPattern(cond?.childForFieldName('pattern')) && isEmpty(node.childForFieldName('consequence')) ? { kind: 'swallow', node } : undefined;
    }
    case 'err_arm':
      return isEmpty(node.childForFieldName('value')) ? { kind: 'swallow', node } : undefined;
    default:
      return undefined;
  }
}
