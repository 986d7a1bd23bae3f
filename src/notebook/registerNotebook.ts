import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { writeFileAtomic } from '../core/notebook/atomicFile';
import { handoffSummary } from '../core/notebook/handoff';
import type { Incident } from '../core/notebook/model';
import { toUtc } from '../core/notebook/model';
import { postmortem } from '../core/notebook/postmortem';
import type { NotebookSpan, NotebookTrace } from '../shared/protocol/waterfall';
import type { Configuration } from '../platform/configuration';
import { DisposableStore } from '../platform/disposables';
import type { Logger } from '../platform/logger';
import type { RunbooksApi } from '../runbooks/registerRunbooks';
import type { DeployNode } from '../deploys/deploysView';
import { EvidenceOpener, evidenceOp, fileDirty, headCommit, pickTarget, sourceTime, spanEvidence, traceEvidence } from './evidence';
import { IncidentService } from './incidentService';
import { NotebookCommands } from './notebookCommands';
import { NotebookViewProvider } from './notebookView';
import { IncidentStatusBar } from './statusBar';
import { PostmortemDiagnostics } from './postmortemDiagnostics';
import { askNewIncident, defaultCommander } from './startIncident';

/** What the notebook exposes (extension-host tests; the deploys and traces glue through commands). */
export interface NotebookApi {
  readonly incidents: IncidentService;
  readonly view: NotebookViewProvider;
  readonly statusBar: IncidentStatusBar;
  readonly lint: PostmortemDiagnostics;
  /** The composition root hands over "the trace of the active waterfall" (Add Trace from its title bar). */
  setActiveTrace(fn: () => NotebookTrace | undefined): void;
}

/** URI scheme of "your version" in the conflict view (read-only, from memory). */
const MINE_SCHEME = 'oncall-incident-mine';
/** Editor selections longer than this are cut in the notebook (the link still covers all of it). */
const MAX_SNIPPET_LINES = 20;

/**
 * Registers the hypothesis notebook: the panel view, Start/Open Incident, Add to Notebook from editors, traces,
 * deploys, exemplars and runbooks, the status-bar clock, the hand-off summary and the postmortem export.
 */
export function registerNotebook(context: vscode.ExtensionContext, runbooks: RunbooksApi, config: Configuration, log: Logger): { disposable: vscode.Disposable; api: NotebookApi } {
  const store = new DisposableStore();
  const backupDir = context.storageUri ? path.join(context.storageUri.fsPath, 'incident-backups') : undefined;
  const incidents = store.add(new IncidentService(runbooks.incident, config, log, backupDir));
  const opener = new EvidenceOpener(log);
  const view = store.add(new NotebookViewProvider(context.extensionUri, incidents, (l) => opener.open(l), log, context.storageUri ? path.join(context.storageUri.fsPath, 'notebook-view-state.json') : undefined));
  store.add(vscode.window.registerWebviewViewProvider(NotebookViewProvider.viewId, view));
  const statusBar = store.add(new IncidentStatusBar(incidents, runbooks.incident));
  // The postmortems folder sits next to the incidents folder.
  const postmortems = (): string | undefined => (incidents.folder ? path.join(path.dirname(incidents.folder), 'postmortems') : undefined);
  const lint = store.add(new PostmortemDiagnostics(postmortems));

  /** The active incident; without one, offers to start or open one (undefined when the user does neither). */
  const requireIncident = async (what: string): Promise<Incident | undefined> => {
    const current = await incidents.current();
    if (current) return current;
    const pick = await vscode.window.showInformationMessage(`${what} needs an active incident.`, 'Start Incident…', 'Open Incident…');
    if (pick === 'Start Incident…') await vscode.commands.executeCommand(NotebookCommands.start);
    else if (pick === 'Open Incident…') await vscode.commands.executeCommand(NotebookCommands.open);
    return incidents.current();
  };
  const report = (r: { ok: boolean; error?: string }, done: string): void => {
    if (r.ok) vscode.window.setStatusBarMessage(`$(notebook) ${done}`, 4000);
    else void vscode.window.showErrorMessage(`Not added to the notebook: ${r.error ?? 'unknown error'}`);
  };
  const now = (): string => toUtc(new Date());
  let tracesActive: (() => NotebookTrace | undefined) | undefined;

  store.add(
    vscode.commands.registerCommand(NotebookCommands.start, async () => {
      await runbooks.library.ensure().catch(() => undefined);
      const alerts = runbooks.library.all().flatMap((r) => r.runbook.alerts);
      const commander = config.settings.notebook.commander || (await defaultCommander(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath));
      const init = await askNewIncident({ commander, alerts });
      if (!init) return undefined;
      try {
        const incident = await incidents.start(init);
        await view.reveal();
        void vscode.window.showInformationMessage(`${incident.id} started (${incident.severity}): ${incident.title}. Its notebook is ${config.settings.notebook.folder}/${incident.id}.md.`);
        return incident.id;
      } catch (e) {
        void vscode.window.showErrorMessage(`The incident could not be started: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    }),
  );
  store.add(
    vscode.commands.registerCommand(NotebookCommands.open, async (id?: unknown) => {
      let target = typeof id === 'string' ? id : undefined;
      if (!target) {
        const list = await incidents.list();
        if (list.length === 0) {
          const pick = await vscode.window.showInformationMessage('There are no incidents in this workspace yet.', 'Start Incident…');
          if (pick) await vscode.commands.executeCommand(NotebookCommands.start);
          return undefined;
        }
        const activeId = incidents.loaded?.id;
        const pick = await vscode.window.showQuickPick(
          list.map((i) => ({ label: i.id, description: `${i.severity} · ${i.status}${i.id === activeId ? ' · active' : ''}`, detail: i.title.replace(/\$\(/g, '$\u200b('), id: i.id })),
          { title: 'Open Incident', placeHolder: 'The incident to work on (newest first)', matchOnDetail: true },
        );
        target = pick?.id;
      }
      if (!target) return undefined;
      try {
        await incidents.open(target);
        await view.reveal();
        return target;
      } catch (e) {
        void vscode.window.showErrorMessage(`${target} could not be opened: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    }),
  );
  store.add(
    vscode.commands.registerCommand(NotebookCommands.openFile, async () => {
      if (!(await requireIncident('Opening the incident file')) || !incidents.file) return;
      await vscode.window.showTextDocument(vscode.Uri.file(incidents.file), { preview: false });
    }),
  );
  store.add(vscode.commands.registerCommand(NotebookCommands.show, () => view.reveal()));
  store.add(
    vscode.commands.registerCommand(NotebookCommands.close, async () => {
      const current = await incidents.current();
      if (!current) return;
      await incidents.deactivate();
      void vscode.window.showInformationMessage(`${current.id} is no longer the active incident (its file stays in ${config.settings.notebook.folder}/).`);
    }),
  );
  store.add(
    vscode.commands.registerCommand(NotebookCommands.handoff, async () => {
      const incident = await requireIncident('The hand-off summary');
      if (!incident) return undefined;
      const text = handoffSummary(incident, now());
      await vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage(`The hand-off summary of ${incident.id} was copied: paste it into the incident channel.`);
      return text;
    }),
  );
  store.add(
    vscode.commands.registerCommand(NotebookCommands.postmortem, async () => {
      const incident = await requireIncident('Export Postmortem');
      const folder = incidents.folder;
      if (!incident || !folder) return undefined;
      const file = path.join(postmortems() ?? path.join(path.dirname(folder), 'postmortems'), `${incident.id}.md`);
      const exists = await fsp.stat(file).then(() => true, () => false);
      if (exists) {
        const pick = await vscode.window.showWarningMessage(`A postmortem of ${incident.id} exists already (${path.basename(file)}): people may have edited it.`, { modal: true }, 'Open It', 'Write a New Copy');
        if (pick === 'Open It') {
          await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
          return file;
        }
        if (pick !== 'Write a New Copy') return undefined;
      }
      // Never over the one people may have edited: a new copy gets the time in its name.
      const target = exists ? file.replace(/\.md$/, `-${now().replace(/:/g, '')}.md`) : file;
      try {
        await writeFileAtomic(target, postmortem(incident, now()));
      } catch (e) {
        void vscode.window.showErrorMessage(`The postmortem could not be written to ${target}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
      log.info(`Wrote the postmortem of ${incident.id} to ${target}`);
      await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: false });
      return target;
    }),
  );

  // The conflict view: our version (from memory) beside the file on disk; then keep one.
  const mineChanged = store.add(new vscode.EventEmitter<vscode.Uri>());
  store.add(
    vscode.workspace.registerTextDocumentContentProvider(MINE_SCHEME, {
      onDidChange: mineChanged.event,
      provideTextDocumentContent: () => incidents.oursText() ?? '',
    }),
  );
  store.add(
    vscode.commands.registerCommand(NotebookCommands.showConflict, async () => {
      const file = incidents.file;
      const conflict = incidents.conflict;
      if (!file || !conflict) {
        void vscode.window.showInformationMessage('There is no conflict to resolve: the notebook and the file agree.');
        return;
      }
      const mine = vscode.Uri.from({ scheme: MINE_SCHEME, path: `/${path.basename(file)}` });
      mineChanged.fire(mine);
      await vscode.commands.executeCommand('vscode.diff', mine, vscode.Uri.file(file), `${path.basename(file)}: your edits ↔ on disk`);
      const pick = await vscode.window.showWarningMessage(
        `Conflicting: ${conflict.conflicts.map((c) => c.path).join(', ')}. Keep your edits (written over the file) or take the file's version${conflict.backup ? ` (yours stays in ${conflict.backup})` : ''}?`,
        'Keep Mine',
        'Take Theirs',
      );
      if (pick === 'Keep Mine') await incidents.resolveConflict('mine');
      else if (pick === 'Take Theirs') await incidents.resolveConflict('theirs');
    }),
  );

  // Forms of the panel, from the palette.
  for (const [command, form] of [
    [NotebookCommands.addObservation, 'observation'],
    [NotebookCommands.addHypothesis, 'hypothesis'],
  ] as const) {
    store.add(
      vscode.commands.registerCommand(command, async () => {
        if (await requireIncident('The notebook')) await view.reveal(form);
      }),
    );
  }

  // Evidence from everywhere.
  store.add(
    vscode.commands.registerCommand(NotebookCommands.addSelection, async () => {
      const editor = vscode.window.activeTextEditor;
      const root = vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!editor || !root) return;
      const incident = await requireIncident('Add Selection to Notebook');
      if (!incident) return;
      const doc = editor.document;
      const sel = editor.selection;
      const first = sel.start.line;
      const last = sel.isEmpty ? first : sel.end.character === 0 && sel.end.line > first ? sel.end.line - 1 : sel.end.line;
      const rel = path.relative(root.fsPath, doc.uri.fsPath).split(path.sep).join('/');
      if (doc.uri.scheme !== 'file' || rel.startsWith('..')) {
        void vscode.window.showWarningMessage('Only files of the workspace can be added to the notebook.');
        return;
      }
      const lines = Array.from({ length: Math.min(last - first + 1, MAX_SNIPPET_LINES) }, (_, i) => doc.lineAt(first + i).text);
      const cut = last - first + 1 > MAX_SNIPPET_LINES ? `\n… (${last - first + 1 - MAX_SNIPPET_LINES} more lines)` : '';
      const commit = doc.isDirty || (await fileDirty(doc.uri.fsPath)) ? undefined : await headCommit(doc.uri.fsPath);
      const where = `${rel}:${first + 1}${last > first ? `-${last + 1}` : ''}`;
      const fence = '```';
      const text = `\`${where}\`${commit ? ` at ${commit.slice(0, 10)}` : ' (uncommitted)'}\n\n${fence}${doc.languageId.replace(/[^a-z0-9]/gi, '')}\n${lines.join('\n').replace(/```/g, "'''")}${cut}\n${fence}`;
      const target = await pickTarget(incident, where);
      if (!target) return;
      const r = await incidents.apply(evidenceOp(target, { text, at: now(), link: { kind: 'file', path: rel, line: first + 1, endLine: last > first ? last + 1 : undefined, commit }, source: rel }));
      report(r, `Added ${where} to ${incident.id}`);
    }),
  );
  store.add(
    vscode.commands.registerCommand(NotebookCommands.addSpan, async (span?: NotebookSpan) => {
      if (!isSpan(span)) return;
      const incident = await requireIncident('Add Span to Notebook');
      if (!incident) return;
      const e = spanEvidence(span, now());
      const target = await pickTarget(incident, `span ${span.name}`);
      if (!target) return;
      report(await incidents.apply(evidenceOp(target, e)), `Added span ${span.name} to ${incident.id}`);
    }),
  );
  store.add(
    vscode.commands.registerCommand(NotebookCommands.addTrace, async (trace?: NotebookTrace) => {
      const t = isTrace(trace) ? trace : tracesActive?.();
      if (!t) {
        void vscode.window.showInformationMessage('Open a trace first: its title bar has "Add Trace to Notebook".');
        return;
      }
      const incident = await requireIncident('Add Trace to Notebook');
      if (!incident) return;
      const target = await pickTarget(incident, `trace ${t.traceId.slice(0, 8)}`);
      if (!target) return;
      report(await incidents.apply(evidenceOp(target, traceEvidence(t, now()))), `Added trace ${t.traceId.slice(0, 8)} to ${incident.id}`);
    }),
  );
  store.add(
    vscode.commands.registerCommand(NotebookCommands.addDeploy, async (node?: DeployNode) => {
      const d = node?.deploy?.deploy;
      if (!d) return;
      const incident = await requireIncident('Add Deploy to Notebook');
      if (!incident) return;
      const who = d.actor ? ` by ${d.actor}` : '';
      const env = d.environment ? ` to ${d.environment}` : '';
      const what = d.kind === 'deploy' ? 'deployed' : d.kind === 'flag' ? 'flag changed' : 'config changed';
      const text = `${d.service} ${d.version} ${what}${env}${who} (${d.status})${d.commit ? `, commit ${d.commit.slice(0, 10)}` : ''}`.replace(/[\r\n]+/g, ' ');
      const r = await incidents.apply({ op: 'addTimeline', kind: 'deploy', text, at: sourceTime(d.time, now()), link: { kind: 'deploy', service: d.service, version: d.version, commit: d.commit } });
      report(r, `Added ${d.version} to the timeline of ${incident.id}`);
    }),
  );
  store.add(
    vscode.commands.registerCommand(NotebookCommands.addExemplar, async (x?: { traceId?: unknown; query?: unknown; prometheus?: unknown; value?: unknown; time?: unknown; series?: unknown }) => {
      if (!x || typeof x.traceId !== 'string') return;
      const incident = await requireIncident('Add Exemplar to Notebook');
      if (!incident) return;
      const value = typeof x.value === 'string' ? x.value : '';
      const series = typeof x.series === 'string' ? ` of ${x.series.replace(/[\r\n`]+/g, ' ').slice(0, 200)}` : '';
      const text = `Exemplar ${value}${series} → trace ${x.traceId.slice(0, 8)}`;
      const target = await pickTarget(incident, `exemplar ${x.traceId.slice(0, 8)}`);
      if (!target) return;
      const link = { kind: 'exemplar' as const, traceId: x.traceId, query: typeof x.query === 'string' ? x.query : undefined, prometheus: typeof x.prometheus === 'string' ? x.prometheus : undefined };
      report(await incidents.apply(evidenceOp(target, { text, at: sourceTime(typeof x.time === 'string' ? x.time : undefined, now()), link, source: 'Prometheus exemplar' })), `Added the exemplar to ${incident.id}`);
    }),
  );

  // Runbook steps ticked and commands run while an incident is active go on its timeline.
  const runbookPath = (uri: vscode.Uri, key: string): string => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (key.startsWith('builtin|') || !root || uri.scheme !== 'file') return key;
    return path.relative(root, uri.fsPath).split(path.sep).join('/');
  };
  store.add(
    runbooks.checks.onDidTick((tick) => {
      if (!tick.checked || incidents.loaded?.id !== tick.incidentId) return;
      const rb = tick.runbook;
      void incidents.apply({
        op: 'addTimeline',
        kind: 'action',
        text: `Done: ${tick.text.replace(/[\r\n]+/g, ' ')} (runbook "${rb.runbook.title.replace(/[\r\n"]+/g, ' ')}")`,
        at: sourceTime(tick.at, now()),
        link: { kind: 'runbook', runbook: runbookPath(rb.uri, rb.key), step: tick.checkId, line: tick.line },
      });
    }),
  );
  // A run is recorded when it starts and again when its exit code arrives: the second updates the first's entry.
  const commandEntries = new Map<string, Promise<string | undefined>>();
  store.add(
    runbooks.runner.onDidRecord((run) => {
      if (incidents.loaded?.id !== run.incidentId) return;
      const key = `${run.startedAt}|${run.command}`;
      const exit = run.exitCode === undefined ? '' : ` → exit ${run.exitCode}`;
      const text = `Ran \`${run.command.replace(/[\r\n]+/g, ' ⏎ ').replace(/`/g, "'").slice(0, 500)}\`${exit} (runbook "${run.runbookTitle.replace(/[\r\n"]+/g, ' ')}", ${run.terminal})`;
      const entry = commandEntries.get(key);
      if (entry) {
        void entry.then((id) => (id ? incidents.apply({ op: 'editTimeline', id, text }) : undefined));
        return;
      }
      const rb = runbooks.library.byKey(run.runbookId);
      const link = rb ? { kind: 'runbook' as const, runbook: runbookPath(rb.uri, rb.key) } : undefined;
      commandEntries.set(key, incidents.apply({ op: 'addTimeline', kind: 'command', text, at: sourceTime(run.startedAt, now()), link }).then((r) => (r.ok ? r.id : undefined)));
    }),
  );

  const api: NotebookApi = {
    incidents,
    view,
    statusBar,
    lint,
    setActiveTrace: (fn) => {
      tracesActive = fn;
    },
  };
  return { disposable: store, api };
}

function isSpan(v: unknown): v is NotebookSpan {
  const s = v as Partial<NotebookSpan> | undefined;
  return !!s && typeof s.traceId === 'string' && typeof s.spanId === 'string' && typeof s.name === 'string' && typeof s.service === 'string' && typeof s.durationMs === 'number';
}

function isTrace(v: unknown): v is NotebookTrace {
  const t = v as Partial<NotebookTrace> | undefined;
  return !!t && typeof t.traceId === 'string' && typeof t.name === 'string' && typeof t.durationMs === 'number' && typeof t.spanCount === 'number';
}
