/**
 * Entry points of Ruby code: Rails `initialize!`, Sinatra `run!` and `require 'sinatra'`, gRPC and gruf servers,
 * Rack handlers and servers, config.ru `run`, and the `if __FILE__ == $0` main guard.
 */
import type { Node } from '../../node';
import { ancestor, locOf, shortText } from '../../syntax';
import { callArgs, constantName, rbValue } from './common';
import { RubyErrors } from './errors';
import { BLOCK_TYPES } from './names';

export abstract class RubyEntries extends RubyErrors {
  // ---- entries -----------------------------------------------------------------------------------------

  protected entryCall(call: Node, name: string): void {
    if (!ENTRY_CALLS.has(name)) return;
    const receiver = call.childForFieldName('receiver');
    const recv = receiver ? (constantName(receiver) ?? receiver.text) : '';
    const add = (detail: string, framework: string): void => {
      this.facts.entries.push({ detail, name: shortText(call, 80), framework, loc: locOf(call) });
    };
    if (name === 'initialize!' && recv.endsWith('application')) add('bootstrap', 'rails');
    else if (name === 'run!') add('listen', 'sinatra');
    else if (name === 'new' && recv === 'GRPC::RpcServer') add('bootstrap', 'grpc');
    else if (name === 'run_till_terminated' || name === 'run_till_terminated_or_interrupted') add('listen', 'grpc');
    else if (name === 'run' && /^(?:Rack|Rackup)::Handler::/.test(recv)) add('listen', 'rack');
    else if (name === 'start' && (recv === 'Rack::Server' || recv === 'Rackup::Server' || recv === 'Gruf::Server')) add('listen', 'rack');
    else if (name === 'run' && !receiver && this.input.file.endsWith('.ru') && !ancestor(call, BLOCK_TYPES)) add('bootstrap', 'rack');
    else if (name === 'require' && !receiver && rbValue(callArgs(call).positional[0]) === 'sinatra') add('bootstrap', 'sinatra');
  }

  /** `if __FILE__ == $0` / `$PROGRAM_NAME`: the script's main. */
  protected mainGuard(node: Node): void {
    const cond = node.childForFieldName('condition');
    if (cond?.type !== 'binary') return;
    const sides = [cond.childForFieldName('left')?.text, cond.childForFieldName('right')?.text];
    if (sides.includes('__FILE__') && (sides.includes('$0') || sides.includes('$PROGRAM_NAME'))) {
      this.facts.entries.push({ detail: 'main', name: shortText(node, 80), framework: 'ruby', loc: locOf(node) });
    }
  }
}

const ENTRY_CALLS: ReadonlySet<string> = new Set(['initialize!', 'run!', 'new', 'run_till_terminated', 'run_till_terminated_or_interrupted', 'run', 'start', 'require']);
