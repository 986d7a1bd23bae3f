import * as vscode from 'vscode';
import type { WireRecord } from '../core/wire/model';
import { noIcons } from '../core/util/text';
import type { Configuration } from '../platform/configuration';
import { WireCommands } from './wireCommands';
import type { WireService } from './wireService';

/** What a lens command receives: enough to act without looking the record up again. */
export interface LensTarget {
  readonly uri: vscode.Uri;
  readonly line: number;
  readonly title: string;
  readonly record: WireRecord;
}

/**
 * Code lenses on handlers (at the registration and at the definition when that is elsewhere), gRPC
 * implementations and entry points. Lookups are two map reads: the index is built in the worker, never here.
 */
export class WireCodeLensProvider implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly sub: vscode.Disposable;
  private runbooks: RunbookLens | undefined;
  private runbooksSub: vscode.Disposable | undefined;

  constructor(
    private readonly wire: WireService,
    private readonly config: Configuration,
  ) {
    this.sub = vscode.Disposable.from(
      wire.onDidChange(() => this.emitter.fire()),
      config.onDidChange(() => this.emitter.fire()),
    );
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.config.settings.wire.codeLens) return [];
    if (!this.wire.isStarted) {
      // The workspace asked for the index when a source file opens: start it (once); lenses follow when it is done.
      if (this.config.settings.wire.indexOnOpen) void this.wire.ensure();
      return [];
    }
    return lensesFor(doc, this.wire.recordsOf(doc.uri), this.wire.handlersIn(doc.uri), this.config.settings.traces.backends.length > 0, this.runbooks);
  }

  /** Handler lenses also show "Runbooks (N)" for the file's service (set by the composition root when runbooks exist). */
  setRunbookLens(lens: RunbookLens, onDidChange: vscode.Event<unknown>): void {
    this.runbooks = lens;
    this.runbooksSub?.dispose();
    this.runbooksSub = onDidChange(() => this.emitter.fire());
    this.emitter.fire();
  }

  dispose(): void {
    this.runbooksSub?.dispose();
    this.sub.dispose();
    this.emitter.dispose();
  }
}

/** How many runbooks a file has (its service's and those whose `code` globs match), and the command that lists them. */
export interface RunbookLens {
  count(uri: vscode.Uri): number;
  readonly command: string;
}

/** The lenses of one document (exported for the latency benchmark and tests). */
export function lensesFor(doc: vscode.TextDocument, records: readonly WireRecord[], handlersHere: readonly WireRecord[], canFindTraces: boolean, runbooks?: RunbookLens): vscode.CodeLens[] {
  const lenses: vscode.CodeLens[] = [];
  const at = (line: number): vscode.Range => {
    const l = Math.min(Math.max(0, line - 1), Math.max(0, doc.lineCount - 1));
    return new vscode.Range(l, 0, l, 0);
  };
  const runbookCount = runbooks && (records.length > 0 || handlersHere.length > 0) ? runbooks.count(doc.uri) : 0;
  const follow = (r: WireRecord, line: number, range: vscode.Range): void => {
    lenses.push(new vscode.CodeLens(range, { title: 'Follow the wire', tooltip: 'Show what this handler calls: databases, HTTP clients, queues, caches', command: WireCommands.followWire, arguments: [{ uri: doc.uri, line, title: routeTitle(r), record: r } satisfies LensTarget] }));
    if (canFindTraces && r.route) {
      lenses.push(new vscode.CodeLens(range, { title: 'Find traces', tooltip: `Search the trace backend for ${r.kind === 'grpc' ? r.route : `${r.method} ${r.route}`}`, command: WireCommands.findTracesForRoute, arguments: [r] }));
    }
    if (runbooks && runbookCount > 0) {
      lenses.push(new vscode.CodeLens(range, { title: `Runbooks (${runbookCount})`, tooltip: "The runbooks of this handler's service and of this file", command: runbooks.command, arguments: [doc.uri] }));
    }
  };
  for (const r of records) {
    const range = at(r.line);
    if (r.kind === 'http') {
      const elsewhere = r.handlerFile !== undefined && r.handlerLine !== undefined && (r.handlerFile !== r.file || r.handlerLine !== r.line);
      lenses.push(
        new vscode.CodeLens(range, {
          title: `${r.shadowed ? '$(warning)' : '$(plug)'} ${noIcons(routeTitle(r))}${r.shadowed ? ' — shadowed by an earlier registration' : ''}`,
          tooltip: elsewhere ? `Go to the handler ${r.handler ?? ''} (${r.handlerFile}:${r.handlerLine})` : `${r.framework}: ${r.routeAsWritten ?? ''} with every prefix resolved`,
          command: elsewhere ? WireCommands.openLocation : WireCommands.revealInWireMap,
          arguments: elsewhere ? [r.handlerFile, r.handlerLine, doc.uri] : [r],
        }),
      );
      follow(r, r.handlerFile === r.file && r.handlerLine ? r.handlerLine : r.line, range);
    } else if (r.kind === 'grpc') {
      if (r.handler) {
        lenses.push(new vscode.CodeLens(range, { title: `$(symbol-interface) gRPC ${noIcons(r.route ?? '')}`, tooltip: `Implements ${r.route} (${r.framework})`, command: WireCommands.revealInWireMap, arguments: [r] }));
        follow(r, r.line, range);
      } else {
        lenses.push(new vscode.CodeLens(range, { title: `$(symbol-interface) gRPC ${noIcons(r.route ?? '')} — no implementation found in this workspace`, command: WireCommands.revealInWireMap, arguments: [r] }));
      }
    } else if (r.kind === 'entry') {
      lenses.push(new vscode.CodeLens(range, { title: `$(debug-start) Entry point: ${noIcons(r.detail ?? '')}`, tooltip: noIcons(r.text ?? ''), command: WireCommands.revealInWireMap, arguments: [r] }));
    }
  }
  for (const r of handlersHere) {
    if (r.handlerLine === undefined) continue;
    const range = at(r.handlerLine);
    const title = r.kind === 'grpc' ? `$(symbol-interface) gRPC ${noIcons(r.route ?? '')}` : `$(plug) ${noIcons(routeTitle(r))}`;
    lenses.push(new vscode.CodeLens(range, { title, tooltip: `Registered at ${r.file}:${r.line}`, command: WireCommands.openLocation, arguments: [r.file, r.line, doc.uri] }));
    follow(r, r.handlerLine, range);
  }
  return lenses;
}

export function routeTitle(r: WireRecord): string {
  return r.kind === 'grpc' ? `gRPC ${r.route ?? ''}` : `${r.method ?? ''} ${r.route ?? ''}`;
}
