import * as vscode from 'vscode';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import { ExemplarCommand, openTraceFromExemplarCommand } from './exemplarCommand';

/**
 * Registers "On-Call: Open Trace from Exemplar…" (`oncall.openTraceFromExemplar`): Prometheus exemplars of a PromQL
 * expression, slowest first, and the trace of the one picked. Nothing is requested until the command runs.
 * The command resolves to an {@link ExemplarOutcome}; an optional `{query}` argument skips the query pick.
 */
export function registerExemplars(context: vscode.ExtensionContext, config: Configuration, log: Logger): { disposable: vscode.Disposable; command: ExemplarCommand } {
  const store = new DisposableStore();
  const command = new ExemplarCommand(context, config, log);
  store.add(vscode.commands.registerCommand(openTraceFromExemplarCommand, (args?: { query?: unknown }) => command.run(typeof args === 'object' && args !== null ? args : undefined)));
  return { disposable: store, command };
}
