/**
 * "Follow the wire" without a language server: the calls a function makes, read from its tree-sitter tree, with
 * calls to databases, HTTP clients, queues, caches and RPC clients labelled as dependencies. Works the same way
 * in every grammar the wire scan reads.
 */
import type { Node } from './node';
import { descendants } from './syntax';

export type DependencyKind = 'database' | 'http' | 'queue' | 'cache' | 'rpc';

export interface OutgoingCall {
  /** The called name (last segment: `QueryContext` for `db.QueryContext`). */
  readonly name: string;
  /** The callee as written, shortened (`h.store.QueryContext`). */
  readonly callee: string;
  readonly line: number;
  readonly column: number;
  readonly dependency?: DependencyKind | undefined;
}

export interface FunctionCalls {
  /** The function the line is in. */
  readonly function: string;
  readonly line: number;
  readonly endLine: number;
  readonly calls: readonly OutgoingCall[];
}

const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  'function_declaration',
  'method_declaration',
  'func_literal',
  'function_definition',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'function_item',
  'closure_expression',
  'constructor_declaration',
  'local_function_statement',
  'lambda_expression',
  'method',
  'singleton_method',
  'anonymous_function',
  'arrow_function_expression',
  'lambda',
]);

const CALL_TYPES: ReadonlySet<string> = new Set([
  'call_expression',
  'call',
  'method_invocation',
  'invocation_expression',
  'macro_invocation',
  'function_call_expression',
  'member_call_expression',
  'scoped_call_expression',
  'nullsafe_member_call_expression',
  'new_expression',
  'object_creation_expression',
]);

/** The outgoing calls of the innermost function around `line` (1-based), or undefined when the line is in no function. */
export function outgoingCalls(root: Node, line: number): FunctionCalls | undefined {
  const row = line - 1;
  let fn: Node | undefined;
  for (const n of descendants(root, FUNCTION_TYPES)) {
    if (n.startPosition.row <= row && n.endPosition.row >= row) {
      // descendants() is in document order, so a later containing node is nested deeper
      fn = n;
    }
  }
  if (!fn) return undefined;
  const calls: OutgoingCall[] = [];
  const seen = new Set<string>();
  for (const c of descendants(fn, CALL_TYPES)) {
    const callee = calleeText(c);
    if (!callee) continue;
    const name = lastSegment(callee);
    if (!name) continue;
    const key = callee + '@' + c.startPosition.row;
    if (seen.has(key)) continue;
    seen.add(key);
    calls.push({ name, callee: shorten(callee), line: c.startPosition.row + 1, column: c.startPosition.column + 1, dependency: classifyDependency(callee) });
  }
  return { function: functionName(fn), line: fn.startPosition.row + 1, endLine: fn.endPosition.row + 1, calls };
}

function calleeText(c: Node): string | undefined {
  const f = c.childForFieldName('function') ?? c.childForFieldName('macro') ?? c.childForFieldName('constructor') ?? c.childForFieldName('type');
  if (f) return f.text;
  const name = c.childForFieldName('name') ?? c.childForFieldName('method');
  const obj = c.childForFieldName('object') ?? c.childForFieldName('receiver') ?? c.childForFieldName('scope');
  if (name) return obj ? `${obj.text}.${name.text}` : name.text;
  return undefined;
}

function lastSegment(callee: string): string {
  const m = /([A-Za-z_$][\w$]*!?)\s*(?:<[^<>]*>)?\s*$/.exec(callee.replace(/\s+/g, ''));
  return m ? (m[1] as string) : '';
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 80 ? one.slice(0, 79) + '…' : one;
}

function functionName(fn: Node): string {
  const n = fn.childForFieldName('name');
  if (n) return n.text;
  // an anonymous function assigned or passed: name it after its variable, or say what it is
  const p = fn.parent;
  const v = p?.childForFieldName('name') ?? p?.childForFieldName('left');
  return v ? v.text : '<anonymous>';
}

const DEPENDENCIES: readonly (readonly [DependencyKind, RegExp])[] = [
  ['cache', /\b(redis|rdb|memcache[d]?|cache|lru|valkey)\b/i],
  ['queue', /\b(kafka|producer|consumer|publish(er)?|sqs|sns|rabbit(mq)?|amqp|nats|pubsub|basic_publish|enqueue|send_message|sendmessage|celery|jetstream|eventbridge|kinesis|topic)\b|\.delay$/i],
  ['http', /\b(http|https|fetch|axios|got|superagent|requests|httpx|urllib3?|resttemplate|webclient|httpclient|reqwest|hyper|faraday|guzzle|curl_exec|net::http|okhttp|restclient)\b|\bclient\.(do|get|post|put|delete|patch|send)$/i],
  ['database', /\b(db|sql|sqlx|pgx|pg|pool|conn|tx|query(row|context)?|exec(context)?|knex|prisma|sequelize|typeorm|mongoose|mongo|collection|repository|repo|store|gorm|dbcontext|entitymanager|jdbc(template)?|cursor|session|activerecord|dao|diesel|objects)\b/i],
  ['rpc', /\b\w*(client|stub|grpc)\b/i],
];

/** Labels a callee as a dependency by the names on its path (`db.QueryContext` → database, `redis.Get` → cache). */
export function classifyDependency(callee: string): DependencyKind | undefined {
  const path = callee.replace(/\(.*$/s, '').replace(/->|::/g, '.');
  for (const [kind, re] of DEPENDENCIES) if (re.test(path)) return kind;
  return undefined;
}
