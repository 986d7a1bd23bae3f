/**
 * Sinatra: routes of classic and modular apps (in sinatra-contrib `namespace` blocks, in loops over literal lists,
 * on `app` in `def self.registered(app)` extensions), filters and error handlers as functions, and config.ru
 * `map` / `run` / `use` mounts. Grape APIs are said once, not guessed.
 */
import type { Node } from '../../node';
import type { Loc } from '../../facts';
import { ancestor, descendants, locOf, shortText } from '../../syntax';
import { blockOf, blockParams, callArgs, callName, constantName, type Env, NO_ENV, rbList, rbValue, statements } from './common';
import { RubyEntries } from './entries';
import { BLOCK_TYPES, containerOf, FN_TYPES, params, qualifiedName } from './names';

const SINATRA_HOOKS = new Set(['before', 'after', 'error', 'not_found']);
const SINATRA_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'link', 'unlink']);

export abstract class RubySinatra extends RubyEntries {
  protected readonly sinatraRouters = new Map<string, Loc>();
  private grapeWarned = false;

  // ---- Sinatra -----------------------------------------------------------------------------------------

  /** `get '/x' do … end` at the top (classic), in a class body (modular), in `namespace '/api' do`, or on `app` in `def self.registered(app)`. */
  protected sinatraRoute(call: Node, verb: string): void {
    if (!SINATRA_VERBS.has(verb)) return;
    const block = blockOf(call);
    if (!block) return;
    const router = this.sinatraRouterOf(call);
    if (router === undefined) return;
    const pathNode = callArgs(call).positional[0];
    const prefix = this.namespacePrefix(call);
    const envs = loopEnvs(call);
    if (prefix === undefined || envs === undefined) {
      this.facts.warnings.push({ line: locOf(call).line, message: 'Sinatra route inside a namespace or loop that is not a literal: not listed.' });
      return;
    }
    const method = verb.toUpperCase();
    for (const env of envs) {
      const written = rbValue(pathNode, env);
      if (written === undefined) {
        if (pathNode) this.facts.warnings.push({ line: locOf(call).line, message: `Sinatra route \`${verb} ${shortText(pathNode, 40)}\`: a pattern or computed path is not listed.` });
        return;
      }
      const path = prefix + (written.startsWith('/') || written === '' ? written : '/' + written);
      this.blockNames.set(block.id, `${method} ${path}`);
      this.facts.routes.push({ router: { kind: 'local', name: router }, method, path, style: 'colon', handler: { kind: 'here', name: '<anonymous>', loc: locOf(block, true) }, framework: 'sinatra', loc: locOf(call) });
      this.facts.functions.push({ name: `${method} ${path}`, container: router, params: [], loc: locOf(block, true), calls: callsIn(block) });
    }
  }

  /** Classic Sinatra filters and error handlers (`before do`, `error do`, `not_found do`) act as functions for error records. */
  protected sinatraHook(node: Node | null): void {
    const name = node?.type === 'call' && !node.childForFieldName('receiver') ? node.childForFieldName('method')?.text : undefined;
    const block = node && name && SINATRA_HOOKS.has(name) ? blockOf(node) : undefined;
    if (block && name) this.blockNames.set(block.id, name);
  }

  /** The router a Sinatra route call is registered on, or undefined when the call is not a Sinatra route. */
  private sinatraRouterOf(call: Node): string | undefined {
    const receiver = call.childForFieldName('receiver');
    if (receiver) {
      // `app.get` where app is the parameter of `def self.registered(app)` (a Sinatra extension).
      const fn = ancestor(call, FN_TYPES);
      if (!fn || receiver.type !== 'identifier' || !params(fn).includes(receiver.text)) return undefined;
      const name = `${qualifiedFn(fn)}(${receiver.text})`;
      this.noteRouter(name, fn);
      return name;
    }
    for (let n = call.parent; n; n = n.parent) {
      if (FN_TYPES.has(n.type)) return undefined;
      if (n.type === 'class') {
        if (constantName(n.childForFieldName('superclass')?.namedChildren[0])?.startsWith('Grape::')) {
          this.grapeWarning(n);
          return undefined;
        }
        const name = qualifiedName(n);
        this.noteRouter(name, n);
        return name;
      }
      if (n.type === 'do_block' || n.type === 'block') {
        const owner = n.parent;
        const ownerName = owner?.type === 'call' ? owner.childForFieldName('method')?.text : undefined;
        if (ownerName !== 'namespace' && ownerName !== 'each') return undefined;
      }
    }
    this.noteRouter('Sinatra::Application', call);
    return 'Sinatra::Application';
  }

  /** Grape APIs look like Sinatra but compose paths differently (prefix, version, resource): said once, not guessed. */
  private grapeWarning(cls: Node): void {
    if (this.grapeWarned) return;
    this.grapeWarned = true;
    this.facts.warnings.push({ line: locOf(cls).line, message: 'Grape API: its routes are not listed (Grape is not supported yet).' });
  }

  protected noteRouter(name: string, at: Node): void {
    if (!this.sinatraRouters.has(name)) this.sinatraRouters.set(name, locOf(at));
  }

  /** The joined paths of the `namespace '/x' do` blocks around a call ('' when none; undefined when one is not literal). */
  private namespacePrefix(call: Node): string | undefined {
    let prefix = '';
    for (let n = call.parent; n && n.type !== 'class' && !FN_TYPES.has(n.type); n = n.parent) {
      if ((n.type === 'do_block' || n.type === 'block') && n.parent?.type === 'call' && n.parent.childForFieldName('method')?.text === 'namespace') {
        const p = rbValue(callArgs(n.parent).positional[0]);
        if (p === undefined) return undefined;
        prefix = (p.startsWith('/') ? p : '/' + p).replace(/\/$/, '') + prefix;
      }
    }
    return prefix;
  }

  /** config.ru: `run App`, `map '/api' do run Api end`, `use Other`. */
  protected readRackup(): void {
    const visit = (nodes: readonly Node[], prefix: string): void => {
      for (const n of nodes) {
        if (n.type !== 'call' || n.childForFieldName('receiver')) continue;
        const name = n.childForFieldName('method')?.text;
        const args = callArgs(n);
        if (name === 'map') {
          const p = rbValue(args.positional[0]);
          const block = blockOf(n);
          if (p !== undefined && block) visit(statements(block), prefix + p);
        } else if (name === 'run' || name === 'use') {
          const app = constantName(args.positional[0]);
          if (app === undefined) continue;
          if (!this.sinatraRouters.has('rackup')) this.sinatraRouters.set('rackup', locOf(n));
          this.facts.mounts.push({ parent: { kind: 'local', name: 'rackup' }, child: { kind: 'global', name: app }, prefix, style: 'colon', loc: locOf(n) });
        }
      }
    };
    visit(this.input.root.namedChildren.filter((n): n is Node => n !== null), '');
  }
}

/**
 * The block-variable bindings a call runs under: one per element of every `%w[a b].each do |x|` around it (their
 * product when nested), `[NO_ENV]` when there is no loop, undefined when a loop's list is computed at run time.
 */
function loopEnvs(call: Node): Env[] | undefined {
  let envs: Env[] = [NO_ENV];
  for (let n = call.parent; n && n.type !== 'class' && !FN_TYPES.has(n.type); n = n.parent) {
    if (!BLOCK_TYPES.has(n.type) || n.parent?.type !== 'call' || n.parent.childForFieldName('method')?.text !== 'each') continue;
    const items = rbList(n.parent.childForFieldName('receiver'));
    const param = blockParams(n)[0];
    if (!items || param === undefined) return undefined;
    envs = envs.flatMap((env) => items.map((item) => new Map([...env, [param, item]])));
  }
  return envs;
}

/** `Routes::Articles.registered` for `def self.registered` in `module Routes::Articles`. */
function qualifiedFn(fn: Node): string {
  const name = fn.childForFieldName('name')?.text ?? '';
  const c = containerOf(fn);
  return c ? `${c}.${name}` : name;
}

/** The names of the methods called inside a node (receivers dropped), in order, without repeats. */
function callsIn(node: Node): string[] {
  const out = new Set<string>();
  for (const c of descendants(node, CALL_TYPES)) {
    const name = callName(c);
    if (name) out.add(name);
  }
  return [...out];
}

const CALL_TYPES: ReadonlySet<string> = new Set(['call']);
