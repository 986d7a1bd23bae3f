import * as vscode from 'vscode';
import type { WireRecord } from '../core/wire/model';
import { noIcons } from '../core/util/text';
import { matchWire, matchWireEnd } from '../core/wire/match';
import type { Logger } from '../platform/logger';
import type { FolderRecord, WireService } from './wireService';

interface Item extends vscode.QuickPickItem {
  readonly entry?: FolderRecord | undefined;
}

/**
 * "On-Call: Go to Handler…": every route and gRPC method in a quick pick. Typing or pasting a concrete URL path
 * (`/api/articles/how-to/comments/3`, a full URL, `GET /x`) or a gRPC method puts the handlers it goes to first.
 */
export class GoToHandler {
  constructor(
    private readonly wire: WireService,
    private readonly log: Logger,
  ) {}

  /** With `input`, opens the best handler without asking (the trace view and tests use this). */
  async run(input?: string): Promise<FolderRecord | undefined> {
    if (!this.wire.isStarted || this.wire.isScanning) await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'On-Call: indexing the wire…' }, () => this.wire.ensure());
    const all = this.wire.all().filter((x) => x.record.kind === 'http' || x.record.kind === 'grpc');
    if (input !== undefined) {
      const best = this.find(all, input)[0];
      if (best) {
        await this.open(best);
        return best;
      }
      // No route is the whole path: one may be its end, mounted under a prefix the scan could not follow.
      const end = this.findByEnd(all, input);
      const first = end?.hits[0];
      if (end && first) {
        await this.open(first);
        void vscode.window.showInformationMessage(
          `No route in the map is ${noIcons(input.trim())}. Opened ${noIcons(`${first.record.method ?? ''} ${first.record.route ?? ''}`)}, which matches its end: ${noIcons(end.dropped)} is a prefix the wire scan could not follow (a gateway, or a mount it can't read).`,
        );
        return first;
      }
      void vscode.window.showInformationMessage(`No handler in this workspace matches ${input}.`);
      return undefined;
    }
    if (all.length === 0) {
      void vscode.window.showInformationMessage('No HTTP routes or gRPC services were found in this workspace.');
      return undefined;
    }
    const sorted = [...all].sort((a, b) => (a.record.route ?? '').localeCompare(b.record.route ?? '') || (a.record.method ?? '').localeCompare(b.record.method ?? ''));
    /** `without`: the leading part of a pasted path that this route, matching its end, leaves out. */
    const itemOf = (e: FolderRecord, best = false, without?: string): Item => ({
      label: `${best ? '$(target) ' : e.record.kind === 'grpc' ? '$(symbol-interface) ' : '$(plug) '}${noIcons(`${e.record.kind === 'grpc' ? 'gRPC' : (e.record.method ?? '')} ${e.record.route ?? ''}`)}`,
      description: noIcons(e.record.handler ?? '') + (without ? ` · matches the end, without ${noIcons(without)}` : ''),
      detail: `${e.record.handlerFile ?? e.record.file}:${e.record.handlerLine ?? e.record.line} · ${e.record.framework}${this.wire.indexedFolders().length > 1 ? ` · ${e.folder.name}` : ''}`,
      entry: e,
      alwaysShow: best,
    });
    const base = sorted.map((e) => itemOf(e));
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = `Go to Handler (${all.length} ${all.length === 1 ? 'route' : 'routes'})`;
    qp.placeholder = 'Type a route, or paste a URL path from a log (/api/articles/how-to/comments/3) or a gRPC method';
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.items = base;
    const update = (): void => {
      const v = qp.value.trim();
      // A path, a URL, either after a method (`GET /x`, `GET https://host/x`), or a gRPC method.
      const pasted = /^([A-Z]+ +)?(\/|https?:\/\/)|^[\w.]+\/\w+$/.test(v);
      const hits = pasted ? this.find(all, v) : [];
      const end = pasted && hits.length === 0 ? this.findByEnd(all, v) : undefined;
      const top = hits.length > 0 ? { label: 'Matches', hits, without: undefined } : end ? { label: 'Matching the end of the path', hits: end.hits, without: end.dropped } : undefined;
      qp.items = top ? [{ label: top.label, kind: vscode.QuickPickItemKind.Separator }, ...top.hits.map((h) => itemOf(h, true, top.without)), { label: 'All routes', kind: vscode.QuickPickItemKind.Separator }, ...base] : base;
    };
    qp.onDidChangeValue(update);
    const picked = await new Promise<FolderRecord | undefined>((resolve) => {
      qp.onDidAccept(() => {
        resolve(qp.selectedItems[0]?.entry);
        qp.hide();
      });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (picked) await this.open(picked);
    return picked;
  }

  /** The records a concrete path or gRPC method goes to, best first. */
  find(all: readonly FolderRecord[], input: string): FolderRecord[] {
    const records = all.map((a) => a.record);
    const hits = matchWire(records, input);
    const byRecord = new Map<WireRecord, FolderRecord>(all.map((a) => [a.record, a]));
    return hits.map((h) => byRecord.get(h)).filter((x): x is FolderRecord => x !== undefined);
  }

  /** When no route is the whole path: the records that match its end, and the leading part left over. */
  findByEnd(all: readonly FolderRecord[], input: string): { hits: FolderRecord[]; dropped: string } | undefined {
    const end = matchWireEnd(all.map((a) => a.record), input);
    if (!end) return undefined;
    const byRecord = new Map<WireRecord, FolderRecord>(all.map((a) => [a.record, a]));
    const hits = end.records.map((r) => byRecord.get(r)).filter((x): x is FolderRecord => x !== undefined);
    return hits.length > 0 ? { hits, dropped: end.dropped } : undefined;
  }

  private async open(e: FolderRecord): Promise<void> {
    const file = e.record.handlerFile ?? e.record.file;
    const line = e.record.handlerLine ?? e.record.line;
    await openAt(this.wire.uriOf(e.folder, file), line);
    this.log.info(`Go to Handler: ${e.record.method ?? ''} ${e.record.route ?? ''} → ${file}:${line}`);
  }
}

/** Opens a file with the cursor at the start of a 1-based line, centred. */
export async function openAt(uri: vscode.Uri, line: number): Promise<vscode.TextEditor> {
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  const editor = await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: true });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
