import * as vscode from 'vscode';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import type { EvidenceLink, Incident } from '../core/notebook/model';
import { toUtc } from '../core/notebook/model';
import type { NotebookOp } from '../core/notebook/ops';
import type { NotebookSpan, NotebookTrace } from '../shared/protocol/waterfall';
import { Commands } from '../commands';
import type { Logger } from '../platform/logger';
import { RunbookCommands } from '../runbooks/runbookCommands';

/** A time from a source (ISO, any precision) as the model's UTC string; `fallback` when it is not a time. */
export function sourceTime(iso: string | undefined, fallback: string): string {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? fallback : toUtc(new Date(t));
}

const short = (id: string): string => id.slice(0, 8);
/** Trace text is untrusted: kept on one line, Markdown-inert where it matters (backticks). */
const inline = (s: string): string => s.replace(/[\r\n]+/g, ' ').replace(/`/g, "'").slice(0, 300);
const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 2 : 0)} ms`);

/** The observation a span becomes: what it was, how long, whether it failed, dated when it started. */
export function spanEvidence(span: NotebookSpan, now: string): { text: string; at: string; link: EvidenceLink; source: string } {
  return {
    text: `Span \`${inline(span.service)}: ${inline(span.name)}\` took ${ms(span.durationMs)}${span.error ? ' and failed' : ''} (trace ${short(span.traceId)}).`,
    at: sourceTime(span.startIso, now),
    link: { kind: 'span', traceId: span.traceId, spanId: span.spanId, source: span.source || undefined },
    source: `trace ${short(span.traceId)}`,
  };
}

/** The observation a whole trace becomes. */
export function traceEvidence(t: NotebookTrace, now: string): { text: string; at: string; link: EvidenceLink; source: string } {
  const slow = t.slowest ? `; slowest span \`${inline(t.slowest.service)}: ${inline(t.slowest.name)}\` (${ms(t.slowest.selfMs)} self)` : '';
  return {
    text: `Trace \`${inline(t.service)}: ${inline(t.name)}\` took ${ms(t.durationMs)}, ${t.spanCount} spans, ${t.errorCount} with errors${slow}.`,
    at: sourceTime(t.startIso, now),
    link: { kind: 'trace', traceId: t.traceId, source: t.source || undefined },
    source: `trace ${short(t.traceId)}`,
  };
}

/** What Add to Notebook can turn into: an observation, or evidence for an open hypothesis. */
export type EvidenceTarget = { readonly kind: 'observation' } | { readonly kind: 'evidence'; readonly hypothesis: string; readonly bearing: 'supports' | 'refutes' | 'neutral' };

/** The op that adds a piece of evidence to the target. */
export function evidenceOp(target: EvidenceTarget, e: { text: string; at: string; link?: EvidenceLink; source?: string }): NotebookOp {
  return target.kind === 'observation'
    ? { op: 'addObservation', text: e.text, at: e.at, link: e.link, source: e.source }
    : { op: 'addEvidence', hypothesis: target.hypothesis, text: e.text, bearing: target.bearing, at: e.at, link: e.link };
}

/**
 * Asks where a piece of evidence goes when the incident has hypotheses under test: an observation (first, the
 * default), or for / against one of them. Without open hypotheses it is an observation, and nothing is asked.
 */
export async function pickTarget(incident: Incident, what: string): Promise<EvidenceTarget | undefined> {
  const open = incident.hypotheses.map((h, i) => ({ h, n: i + 1 })).filter(({ h }) => h.status === 'open' || h.status === 'testing');
  if (open.length === 0) return { kind: 'observation' };
  type Item = vscode.QuickPickItem & { target: EvidenceTarget };
  const items: Item[] = [{ label: '$(eye) Observation', description: 'what was seen', target: { kind: 'observation' } }];
  for (const { h, n } of open) {
    const statement = inline(h.statement).replace(/\$\(/g, '$\u200b(');
    items.push({ label: `$(check) Supports H${n}`, description: statement, target: { kind: 'evidence', hypothesis: h.id, bearing: 'supports' } });
    items.push({ label: `$(close) Refutes H${n}`, description: statement, target: { kind: 'evidence', hypothesis: h.id, bearing: 'refutes' } });
  }
  const pick = await vscode.window.showQuickPick(items, { title: `Add to Notebook: ${what}`, placeHolder: 'An observation, or evidence for or against a hypothesis under test' });
  return pick?.target;
}

/** The commit checked out in the file's repository (for "file:line at commit"); undefined outside git. */
export function headCommit(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: path.dirname(file), timeout: 5_000, windowsHide: true }, (err, out) => resolve(err ? undefined : /^[0-9a-f]{40}$/.exec(out.trim())?.[0]));
  });
}

/** Whether the file has changes not committed (then the snippet is not what the commit holds). */
export function fileDirty(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('git', ['status', '--porcelain', '--', path.basename(file)], { cwd: path.dirname(file), timeout: 5_000, windowsHide: true }, (err, out) => resolve(!err && out.trim() !== ''));
  });
}

/** Reopens what an entry links to. Only http(s) web links are opened, and only through VS Code. */
export class EvidenceOpener {
  constructor(private readonly log: Logger) {}

  async open(link: EvidenceLink): Promise<void> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    switch (link.kind) {
      case 'trace':
      case 'span':
      case 'exemplar':
        await vscode.commands.executeCommand(Commands.openTrace, link.traceId);
        return;
      case 'file': {
        if (!root) return;
        const uri = vscode.Uri.joinPath(root, ...link.path.split('/').filter((p) => p !== '..'));
        const start = new vscode.Position(Math.max(0, link.line - 1), 0);
        const end = new vscode.Position(Math.max(0, (link.endLine ?? link.line) - 1), 0);
        try {
          await vscode.window.showTextDocument(uri, { selection: new vscode.Range(start, end), preview: true });
        } catch (e) {
          void vscode.window.showWarningMessage(`${link.path} could not be opened: ${e instanceof Error ? e.message : String(e)}`);
        }
        return;
      }
      case 'runbook': {
        const target = link.runbook.startsWith('builtin|') || !root ? link.runbook : vscode.Uri.joinPath(root, ...link.runbook.split('/').filter((p) => p !== '..'));
        await vscode.commands.executeCommand(RunbookCommands.openRunbook, target);
        return;
      }
      case 'deploy':
        await vscode.commands.executeCommand('oncall.deploys.focus').then(undefined, () => undefined);
        return;
      case 'url': {
        let uri: vscode.Uri;
        try {
          uri = vscode.Uri.parse(link.url, true);
        } catch {
          return;
        }
        if (uri.scheme === 'http' || uri.scheme === 'https') await vscode.env.openExternal(uri);
        else this.log.warn(`Notebook: not opening a ${uri.scheme}: link`);
        return;
      }
    }
  }
}
