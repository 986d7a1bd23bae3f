/**
 * Error exits of Ruby code: raise/fail/abort, rescue clauses (swallowed when empty), `x rescue nil`, exits, error
 * statuses (`head :not_found`, `halt 500`, `render status:`, `status =`), logger errors and error reporters, each
 * recorded under its method or the block acting as one.
 *
 * The reader is one class built in layers, each extending the one before: errors.ts (which also holds the input and
 * facts every layer shares) → entries.ts → sinatra.ts → ruby.ts (the file's read, Rails routes, classes, functions).
 */
import type { Node } from '../../node';
import type { emptyFacts, FileFacts } from '../../facts';
import type { ExtractInput } from '../../language';
import { locOf, shortText } from '../../syntax';
import { callArgs, constantName } from './common';
import { FN_TYPES } from './names';

type Facts = ReturnType<typeof emptyFacts>;

/** Rails status symbols of 4xx/5xx responses. */
const ERROR_STATUSES = new Set([
  'bad_request',
  'unauthorized',
  'payment_required',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'not_acceptable',
  'proxy_authentication_required',
  'request_timeout',
  'conflict',
  'gone',
  'length_required',
  'precondition_failed',
  'payload_too_large',
  'request_entity_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'range_not_satisfiable',
  'expectation_failed',
  'misdirected_request',
  'unprocessable_entity',
  'unprocessable_content',
  'locked',
  'failed_dependency',
  'too_early',
  'upgrade_required',
  'precondition_required',
  'too_many_requests',
  'request_header_fields_too_large',
  'unavailable_for_legal_reasons',
  'internal_server_error',
  'not_implemented',
  'bad_gateway',
  'service_unavailable',
  'gateway_timeout',
  'http_version_not_supported',
  'variant_also_negotiates',
  'insufficient_storage',
  'loop_detected',
  'not_extended',
  'network_authentication_required',
]);

const ERROR_REPORTERS = new Set(['Sentry.capture_exception', 'Raven.capture_exception', 'Bugsnag.notify', 'Honeybadger.notify', 'Rollbar.error', 'Airbrake.notify', 'NewRelic::Agent.notice_error']);

export abstract class RubyErrors {
  /** Blocks that act as functions (Sinatra route blocks, class-level DSL blocks): node id → name for error records. */
  protected readonly blockNames = new Map<number, string>();

  constructor(
    protected readonly input: ExtractInput,
    protected readonly facts: Facts,
  ) {}

  // ---- errors ------------------------------------------------------------------------------------------

  private addError(kind: FileFacts['errors'][number]['kind'], node: Node): void {
    const fn = this.functionOf(node);
    if (fn === undefined) return;
    this.facts.errors.push({ kind, text: shortText(node), function: fn, loc: locOf(node) });
  }

  /** raise/fail/abort as bare commands, rescue clauses, `x rescue nil`. */
  protected errorNode(node: Node, kind: string): void {
    if (kind === 'bare') {
      const p = node.parent?.type;
      if (p === 'call' || p === 'method' || p === 'singleton_method' || p === 'argument_list' || p === 'pair') return;
      this.addError(node.text === 'abort' ? 'panic' : 'throw', node);
    } else if (kind === 'rescue') {
      const body = node.childForFieldName('body');
      const stmts = body ? body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') : [];
      this.addError(stmts.length === 0 || (stmts.length === 1 && stmts[0]?.type === 'nil') ? 'swallow' : 'catch', node);
    } else {
      const handler = node.childForFieldName('handler');
      this.addError(!handler || LITERALS.has(handler.type) ? 'swallow' : 'catch', node);
    }
  }

  protected errorCall(call: Node, name: string): void {
    if (!ERROR_CALLS.has(name) && !RECEIVER_ERROR_CALLS.has(name)) return;
    const receiver = call.childForFieldName('receiver');
    if (!receiver) {
      switch (name) {
        case 'raise':
        case 'fail':
        case 'fail!': // gruf
          return this.addError('throw', call);
        case 'abort':
        case 'exit!':
          return this.addError('panic', call);
        case 'exit': {
          const a = callArgs(call).positional[0];
          if (a && (a.type === 'false' || (a.type === 'integer' && a.text !== '0'))) this.addError('panic', call);
          return;
        }
        case 'head':
        case 'halt':
        case 'status':
          if (isErrorStatus(callArgs(call).positional[0])) this.addError('http-error', call);
          return;
        case 'error!':
          if (isErrorStatus(callArgs(call).positional[1] ?? callArgs(call).options.get('status'))) this.addError('http-error', call);
          return;
        case 'render':
          if (isErrorStatus(callArgs(call).options.get('status'))) this.addError('http-error', call);
          return;
      }
      return;
    }
    if (!RECEIVER_ERROR_CALLS.has(name)) return;
    const recv = constantName(receiver) ?? receiver.text;
    if ((name === 'error' || name === 'fatal') && /(?:^|[.:@])(?:logger|log|LOGGER|LOG|Logger)$|logger$|Rollbar$/i.test(recv)) this.addError('log-error', call);
    else if (ERROR_REPORTERS.has(`${recv}.${name}`)) this.addError('log-error', call);
    else if (name === 'status' && call.parent?.type === 'assignment') {
      const value = call.parent?.childForFieldName('right');
      if (isErrorStatus(value)) this.addError('http-error', call.parent as Node);
    }
  }

  /** The enclosing function's name: a method, or a block that acts as one (a Sinatra route, `rescue_from … do`). */
  private functionOf(node: Node): string | undefined {
    for (let n = node.parent; n; n = n.parent) {
      if (FN_TYPES.has(n.type)) return n.childForFieldName('name')?.text;
      if (n.type === 'do_block' || n.type === 'block') {
        const name = this.blockNames.get(n.id);
        if (name !== undefined) return name;
      }
    }
    return undefined;
  }
}

/** Method names (without a receiver) that can be an error exit. */
const ERROR_CALLS: ReadonlySet<string> = new Set(['raise', 'fail', 'fail!', 'abort', 'exit!', 'exit', 'head', 'halt', 'status', 'error!', 'render']);
/** Method names (with a receiver) that can be an error exit: logger calls, error reporters, `response.status =`. */
const RECEIVER_ERROR_CALLS: ReadonlySet<string> = new Set(['error', 'fatal', 'status', ...[...ERROR_REPORTERS].map((r) => r.slice(r.lastIndexOf('.') + 1))]);
const LITERALS: ReadonlySet<string> = new Set(['nil', 'string', 'integer', 'float', 'true', 'false', 'array', 'hash', 'simple_symbol']);

function isErrorStatus(node: Node | null | undefined): boolean {
  if (!node) return false;
  if (node.type === 'integer') {
    const n = Number(node.text);
    return n >= 400 && n <= 599;
  }
  if (node.type === 'simple_symbol') return ERROR_STATUSES.has(node.text.slice(1));
  if (node.type === 'array') return isErrorStatus(node.namedChildren[0]);
  return false;
}
