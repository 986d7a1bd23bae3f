// The hypothesis notebook in the real extension host, on the demo workspace (a real git history): starting an
// incident writes its Markdown file; the panel paints it; evidence arrives from an editor selection (file:line at
// the commit), a span, a deploy, a runbook step; a change made on disk is merged, a conflicting one is never
// overwritten and is shown side by side; the hand-off summary and the postmortem come out of the notebook.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';
import { parseIncident, serializeIncident } from '../../src/core/notebook/format';
import type { Incident } from '../../src/core/notebook/model';
import type { DeployNode } from '../../src/deploys/deploysView';
import { activateApi, waitFor, workspaceRoot } from './testUtil';

function flatten(nodes: readonly DeployNode[]): DeployNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

describe('Hypothesis notebook (extension host)', function () {
  this.timeout(120_000);
  let api: OnCallLensApi;
  let id: string;
  let file: string;
  const onDisk = (): Incident => {
    const p = parseIncident(fs.readFileSync(file, 'utf8'));
    assert.ok(p.incident, JSON.stringify(p.problems));
    return p.incident;
  };

  before(async () => {
    api = await activateApi();
  });

  after(async () => {
    await api.notebook.incidents.deactivate();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists the demo incident, and Start Incident writes a new INC file that becomes the active incident', async () => {
    const before = await api.notebook.incidents.list();
    assert.ok(before.some((i) => i.id === 'INC-2026-11-23-01'), `the demo incident is listed: ${JSON.stringify(before.map((i) => i.id))}`);
    const started = new Date(Date.now() - 25 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const incident = await api.notebook.incidents.start({ title: 'Checkout returns 502 for a third of requests', severity: 'SEV-2', commander: 'Lena Fischer', detectedBy: 'alert', alert: 'CheckoutHighErrorRate', started });
    id = incident.id;
    assert.match(id, /^INC-\d{4}-\d{2}-\d{2}-\d{2}$/);
    file = path.join(workspaceRoot(), '.oncall', 'incidents', `${id}.md`);
    assert.ok(fs.existsSync(file), `${file} exists`);
    assert.equal(onDisk().title, 'Checkout returns 502 for a third of requests');
    assert.equal(api.runbooks.incident.current.id, id, 'runbook ticks and command runs are now kept for this incident');
    await waitFor(() => api.notebook.statusBar.text?.includes(id) === true, 'the status bar shows the incident');
    assert.match(api.notebook.statusBar.text ?? '', /SEV-2 · triage · 2[45]m/);
  });

  it('the panel paints the active incident', async () => {
    await vscode.commands.executeCommand('oncall.notebook.show');
    await waitFor(() => api.notebook.view.lastRender?.incident === id, 'the notebook view painted the incident', 30_000);
    const revision = api.notebook.incidents.revision;
    await api.notebook.incidents.apply({ op: 'addObservation', text: 'Error rate of /api/checkout is 31 %', source: 'Grafana' });
    await waitFor(() => (api.notebook.view.lastRender?.revision ?? 0) > revision, 'the panel paints the new revision');
  });

  it('Add Selection to Notebook: file:line, the snippet, and the commit it was read at', async () => {
    const rel = 'services/pricing-service/src/priceCache.ts';
    const doc = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), rel));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(26, 0, 30, 0); // lines 27-30
    await vscode.commands.executeCommand('oncall.notebook.addSelection');
    const o = onDisk().observations.at(-1);
    assert.ok(o, 'an observation was added');
    assert.equal(o.link?.kind, 'file');
    assert.ok(o.link?.kind === 'file' && o.link.path === rel && o.link.line === 27 && o.link.endLine === 30, JSON.stringify(o.link));
    assert.ok(o.link?.kind === 'file' && /^[0-9a-f]{40}$/.test(o.link.commit ?? ''), 'with the commit of the demo history');
    assert.match(o.text, /priceCache\.ts:27-30/);
    assert.match(o.text, /startSpan\('PriceCache\.getCatalog'\)/);
  });

  it('a span from the trace view is an observation dated when the span started', async () => {
    await vscode.commands.executeCommand('oncall.notebook.addSpan', { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', service: 'pricing-service', name: 'SELECT catalog', durationMs: 2300, error: true, source: 'traces/checkout.json', startIso: '2026-11-23T03:04:05.678Z' });
    const o = onDisk().observations.find((x) => x.link?.kind === 'span');
    assert.ok(o, 'the span is in the file');
    assert.equal(o.at, '2026-11-23T03:04:05Z');
    assert.match(o.text, /pricing-service: SELECT catalog.*2\.30 s and failed/);
    assert.ok(onDisk().timeline.some((t) => t.ref === o.id), 'and on the timeline');
  });

  it('deploys in the incident window are highlighted, and one goes on the timeline at its own time', async () => {
    // The demo's deploys are dated relative to its clock; this incident started 25 min ago: move it to the demo's.
    await api.notebook.incidents.apply({ op: 'setMeta', field: 'started', value: '2026-11-23T03:12:00Z' });
    await vscode.commands.executeCommand('oncall.deploysWindow', 24 * 30);
    await api.deploys.view.rebuild();
    const suspects = flatten(api.deploys.view.nodes).filter((n) => n.deploy && n.suspect);
    assert.ok(suspects.length > 0, 'some demo deploy is in the window of the incident');
    const node = suspects[0]!;
    assert.match(node.description ?? '', new RegExp(`${id}: `));
    await vscode.commands.executeCommand('oncall.notebook.addDeploy', node);
    const entry = onDisk().timeline.find((t) => t.kind === 'deploy');
    assert.ok(entry, 'a deploy entry is on the timeline');
    assert.equal(entry.at, node.deploy!.deploy.time.replace(/\.\d{3}Z$/, 'Z'));
    assert.ok(entry.link?.kind === 'deploy' && entry.link.version === node.deploy!.deploy.version);
  });

  it('a ticked runbook step goes on the timeline with a link back to the runbook', async () => {
    await api.runbooks.library.ensure();
    const rb = api.runbooks.library.all().find((r) => r.origin === 'workspace' && r.runbook.file.includes('pricing'));
    assert.ok(rb, 'a demo runbook of pricing-service');
    await api.runbooks.checks.tick({ incidentId: id, runbook: rb, checkId: 'step-1', checked: true, text: 'Check the DB pool saturation', line: 12, at: '2026-11-23T03:20:00.000Z' });
    await waitFor(() => onDisk().timeline.some((t) => t.kind === 'action' && t.text.includes('Check the DB pool saturation')), 'the step is on the timeline');
    const t = onDisk().timeline.find((x) => x.text.includes('Check the DB pool saturation'));
    assert.ok(t?.link?.kind === 'runbook' && t.link.step === 'step-1' && t.link.runbook.endsWith('.md'), JSON.stringify(t?.link));
  });

  it('a runbook command run goes on the timeline with its UTC time, and its exit code once the shell reports it', async () => {
    const runner = api.runbooks.runner;
    const marker = path.join(workspaceRoot(), 'ran-for-the-notebook.txt');
    const command = `echo pool-check > ${JSON.stringify(marker)}`;
    try {
      runner.confirm = async () => true;
      const outcome = await runner.run(command, { id: 'pricing-db-pool', title: 'Pricing DB pool saturated' }, vscode.workspace.workspaceFolders?.[0]?.uri);
      assert.equal(outcome.kind, 'ran');
      await waitFor(() => onDisk().timeline.some((t) => t.kind === 'command' && t.text.includes('pool-check')), 'the run is on the timeline', 20_000);
      await waitFor(() => onDisk().timeline.some((t) => t.kind === 'command' && /pool-check.*→ exit 0/.test(t.text)), 'with its exit code', 30_000);
      const entry = onDisk().timeline.find((t) => t.kind === 'command');
      assert.ok(entry && outcome.kind === 'ran' && entry.at === outcome.record.startedAt.replace(/\.\d{3}Z$/, 'Z'), 'dated when it ran');
    } finally {
      runner.confirm = (await import('../../src/runbooks/commandRunner')).modalConfirm;
      fs.rmSync(marker, { force: true });
    }
  });

  it('one hypothesis falsified and another confirmed: verdicts on the timeline', async () => {
    const add = async (statement: string): Promise<string> => {
      const r = await api.notebook.incidents.apply({ op: 'addHypothesis', statement, prediction: `If wrong: not ${statement}`, test: 'Look at the traces' });
      assert.ok(r.ok && r.id, JSON.stringify(r));
      return r.id;
    };
    const psp = await add('Card authorization got slow with the 3-D Secure rollout');
    const pool = await add('The pricing DB pool (8) saturates when the cache expires');
    await api.notebook.incidents.apply({ op: 'addEvidence', hypothesis: psp, text: 'Failed checkouts never reached payments', bearing: 'refutes' });
    await api.notebook.incidents.apply({ op: 'setHypothesisStatus', id: psp, status: 'falsified', verdict: 'Payments stays under 300 ms in every slow checkout.' });
    await api.notebook.incidents.apply({ op: 'setHypothesisStatus', id: pool, status: 'confirmed', verdict: '41 pool acquisitions timed out at 03:12:01.' });
    const now = onDisk();
    assert.equal(now.hypotheses.find((h) => h.id === psp)?.status, 'falsified');
    assert.equal(now.hypotheses.find((h) => h.id === pool)?.status, 'confirmed');
    assert.ok(now.timeline.some((t) => t.kind === 'verdict' && t.ref === psp) && now.timeline.some((t) => t.kind === 'verdict' && t.ref === pool), 'both verdicts are on the timeline');
  });

  it('merges a change made to the file on disk (another window, git pull) without losing ours', async () => {
    const theirs = onDisk();
    fs.writeFileSync(file, serializeIncident({ ...theirs, impact: 'About 30 % of checkouts failed for 40 minutes.' }));
    await waitFor(async () => (await api.notebook.incidents.current())?.impact.startsWith('About 30 %') === true, 'the watcher took the change in');
    await api.notebook.incidents.apply({ op: 'addHypothesis', statement: 'The price cache stampedes when it expires', prediction: 'No burst of catalog queries at each expiry', test: 'Count catalog DB spans per second around expiry' });
    const now = onDisk();
    assert.equal(now.impact, 'About 30 % of checkouts failed for 40 minutes.');
    assert.equal(now.hypotheses.at(-1)?.statement, 'The price cache stampedes when it expires');
  });

  it('a conflicting change is never overwritten: it is shown side by side until the user keeps one', async () => {
    const theirs = onDisk();
    const theirsText = serializeIncident({ ...theirs, title: 'Checkout outage (their title)' });
    // Written while the watcher may be slow to notice: our edit below meets it when saving.
    fs.writeFileSync(file, theirsText);
    await api.notebook.incidents.apply({ op: 'setMeta', field: 'title', value: 'Checkout outage (our title)' });
    await waitFor(() => api.notebook.incidents.conflict !== undefined, 'the conflict stands');
    assert.equal(fs.readFileSync(file, 'utf8'), theirsText, 'the file on disk is untouched');
    assert.ok(api.notebook.incidents.conflict?.conflicts.some((c) => c.path === 'title'));
    void vscode.commands.executeCommand('oncall.notebook.showConflict');
    await waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.fsPath === file)), 'the diff editor shows ours beside the file');
    await api.notebook.incidents.resolveConflict('mine');
    assert.equal(onDisk().title, 'Checkout outage (our title)');
    assert.equal(api.notebook.incidents.conflict, undefined);
  });

  it('Copy Hand-off Summary and Export Postmortem come from the notebook', async () => {
    const text = await vscode.commands.executeCommand<string>('oncall.notebook.copyHandoff');
    assert.ok(text?.includes(id), 'the summary names the incident');
    assert.match(text ?? '', /price cache stampedes/);
    assert.equal(await vscode.env.clipboard.readText(), text);
    const out = await vscode.commands.executeCommand<string>('oncall.notebook.exportPostmortem');
    assert.ok(out && fs.existsSync(out), 'the postmortem file was written');
    assert.equal(path.relative(workspaceRoot(), out).split(path.sep).join('/'), `.oncall/postmortems/${id}.md`);
    const pm = fs.readFileSync(out, 'utf8');
    for (const heading of ['Summary', 'Impact', 'Root cause', 'Trigger', 'Action items', 'Lessons learned', 'Timeline']) assert.match(pm, new RegExp(`^#+ .*${heading}`, 'mi'), heading);
    assert.match(pm, /About 30 % of checkouts failed/);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === out, 'the postmortem is opened');
  });

  it('the postmortem lint shows its problems on the exported file as you edit it', async () => {
    const out = path.join(workspaceRoot(), '.oncall', 'postmortems', `${id}.md`);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(out));
    const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'On-Call postmortem lint');
    // Blaming language typed into the summary is flagged at its words.
    const summary = editor.document.getText().split('\n').findIndex((l) => /^#+ .*Summary/i.test(l));
    assert.ok(summary >= 0, 'the postmortem has a summary');
    await editor.edit((e) => e.insert(new vscode.Position(summary + 1, 0), '\nLena forgot to check the pool size, which was human error.\n'));
    await waitFor(() => ours().some((d) => d.range.start.line === summary + 2 && /blam|person|human error/i.test(d.message)), 'the blaming sentence is flagged', 10_000);
    const flagged = ours().filter((d) => d.range.start.line === summary + 2);
    assert.ok(flagged.length >= 2, `"forgot" and "human error" are both flagged: ${flagged.map((d) => d.message).join(' | ')}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(() => !ours().some((d) => /human error/i.test(d.message)), 'reverted: the sentence is gone, and so is its problem', 10_000);
  });
});
