// Runbooks beside the code, in the real extension host, on the test workspace: the demo (oncall.yaml with three
// services and their runbooks) plus the 82 real-world prometheus-operator runbooks under runbooks/<component>/ and
// the built-in runbooks of the extension. The catalog's problems reach the Problems panel at their line and column;
// the Runbooks view groups everything by service; the viewer renders, remembers ticks per incident, opens code links
// at their line and runs a shell step only after confirmation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';
import type { RunbookNode } from '../../src/runbooks/runbooksView';
import type { RunbookPanel } from '../../src/runbooks/runbookPanel';
import { activateApi, waitFor, workspaceRoot } from './testUtil';

function flatten(nodes: readonly RunbookNode[]): RunbookNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

async function writeFile(rel: string, text: string | Uint8Array): Promise<vscode.Uri> {
  const uri = vscode.Uri.file(path.join(workspaceRoot(), rel));
  await vscode.workspace.fs.writeFile(uri, typeof text === 'string' ? new TextEncoder().encode(text) : text);
  return uri;
}

async function rendered(panel: RunbookPanel): Promise<void> {
  await waitFor(() => panel.lastRender !== undefined && panel.current !== undefined, `the runbook ${panel.runbook.displayPath} is painted`, 30_000);
}

describe('Runbooks (extension host)', function () {
  this.timeout(120_000);
  let api: OnCallLensApi;
  const created: vscode.Uri[] = [];

  before(async () => {
    api = await activateApi();
    await api.runbooks.library.ensure();
  });

  after(async () => {
    for (const uri of created.splice(0)) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reads every real-world runbook and lists each under its alert, grouped by component', async () => {
    const lib = api.runbooks.library;
    const real = lib.all().filter((r) => /^runbooks\/(alertmanager|general|kube-state-metrics|kubernetes|node)\//.test(r.runbook.file));
    const fixtures = path.join(workspaceRoot(), 'runbooks');
    const onDisk = ['alertmanager', 'general', 'kube-state-metrics', 'kubernetes', 'node'].flatMap((d) => fs.readdirSync(path.join(fixtures, d)).filter((f) => f.endsWith('.md')));
    assert.equal(real.length, onDisk.length, 'every Markdown file of the fixtures is loaded');
    assert.ok(onDisk.length >= 80, `${onDisk.length} fixture runbooks`);
    const errors = real.filter((r) => r.runbook.problems.some((p) => p.severity === 'error'));
    assert.deepEqual(errors.map((r) => r.displayPath), [], 'no real-world runbook has an error');
    // Nothing of ours in the Problems panel for the untouched workspace: demo, real-world and built-in runbooks, oncall.yaml.
    const ours = vscode.languages
      .getDiagnostics()
      .flatMap(([uri, ds]) => ds.filter((d) => d.source === 'On-Call Lens').map((d) => `${vscode.workspace.asRelativePath(uri)}:${d.range.start.line + 1}: ${d.message}`));
    assert.deepEqual(ours, []);
    await api.runbooks.view.refreshCurrent();
    const tree = api.runbooks.view.nodes;
    const kubernetes = tree.find((n) => n.id.endsWith('|kubernetes'));
    assert.ok(kubernetes, `a kubernetes group (groups: ${tree.map((n) => n.label).join(', ')})`);
    const crash = kubernetes.children.find((n) => n.runbook?.runbook.alerts.includes('KubePodCrashLooping'));
    assert.ok(crash, 'KubePodCrashLooping is listed under kubernetes');
    assert.deepEqual(
      crash.children.map((c) => c.label),
      ['KubePodCrashLooping'],
      'the alert is a child of its runbook',
    );
    for (const r of real.filter((x) => !x.runbook.isSectionIndex)) {
      const alert = path.basename(r.runbook.file, '.md');
      assert.ok(r.runbook.alerts.includes(alert), `${r.runbook.file} is listed under its alert ${alert}`);
    }
    // The built-ins, and the demo services from oncall.yaml with their teams.
    const builtin = tree.find((n) => n.label === 'On-Call Lens (built-in)');
    assert.ok(builtin);
    assert.deepEqual(
      builtin.children.map((c) => c.label).sort(),
      ['Cache stampede', 'Connection pool exhaustion', 'First 30 minutes on an unknown service', 'Mitigation ladder', 'Retry storm'].sort(),
    );
    const checkout = tree.find((n) => n.label === 'checkout-service');
    assert.ok(checkout && checkout.description?.includes('storefront'), 'checkout-service shows its team');
  });

  it('filters the Runbooks view by words of titles, alerts, services and tags', async () => {
    const view = api.runbooks.view;
    try {
      view.setFilter('pod crash looping');
      const shown = flatten(view.nodes).filter((n) => n.contextValue === 'runbook');
      assert.deepEqual(shown.map((n) => n.runbook?.runbook.alerts[0]), ['KubePodCrashLooping']);
      view.setFilter('pricing stampede');
      assert.ok(flatten(view.nodes).some((n) => n.runbook?.runbook.alerts.includes('PricingLatencyHigh')));
      view.setFilter('no-such-runbook-anywhere');
      assert.equal(view.nodes.length, 0);
    } finally {
      view.setFilter('');
    }
    assert.ok(view.nodes.length > 5);
  });

  it('marks a runbook reviewed longer ago than oncall.runbooks.staleAfterDays as stale', () => {
    const all = flatten(api.runbooks.view.nodes);
    const stale = all.find((n) => n.runbook?.runbook.alerts.includes('RepricingJobFailed') && n.contextValue === 'runbook');
    assert.ok(stale?.description?.startsWith('stale'), `stale marker: ${stale?.description}`);
    const fresh = all.find((n) => n.runbook?.runbook.alerts.includes('CheckoutLatencyHigh') && n.contextValue === 'runbook');
    assert.ok(fresh && !fresh.description?.includes('stale'));
  });

  it('shows "For the current file" first, and a Runbooks (N) code lens on files of a service', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'services/checkout-service/src/pricingClient.ts'));
    await vscode.window.showTextDocument(uri);
    await waitFor(async () => {
      await api.runbooks.view.refreshCurrent();
      return api.runbooks.view.nodes[0]?.id === 'current';
    }, 'the current-file group');
    const current = api.runbooks.view.nodes[0] as RunbookNode;
    const titles = current.children.map((c) => c.label);
    assert.ok(titles.includes('Checkout p99 latency high'), titles.join(', '));
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const lens = lenses.find((l) => /Runbooks \(\d+\)/.test(l.command?.title ?? ''));
    assert.ok(lens, `a Runbooks lens (lenses: ${lenses.map((l) => l.command?.title).join(' | ')})`);
    assert.equal(lens.command?.title.match(/\((\d+)\)/)?.[1], String(titles.length));
    // A file outside every service and code glob gets none.
    const other = await writeFile('notes-nobody-owns.ts', 'export const x = 1;\n');
    created.push(other);
    await vscode.workspace.openTextDocument(other);
    const none = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', other)) ?? [];
    assert.ok(!none.some((l) => /Runbooks/.test(l.command?.title ?? '')));
  });

  it('shows the runbook count on the wire lenses of a handler (a runbook whose code globs name the service)', async () => {
    const rbFile = await writeFile(
      'runbooks/test-wire/GinProductsErrors.md',
      ['---', 'title: Products API errors', 'alerts: [GinProductsErrors]', 'code: ["polyglot/go-gin/**"]', 'last_reviewed: 2026-11-01', '---', '# GinProductsErrors', ''].join('\n'),
    );
    created.push(vscode.Uri.file(path.dirname(rbFile.fsPath)));
    await api.runbooks.library.reload();
    await api.wire.service.ensure();
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'polyglot/go-gin/internal/products/routes.go'));
    assert.equal(api.runbooks.library.countFor(uri), 1, 'the runbook is read and its code glob matches');
    await vscode.workspace.openTextDocument(uri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const route = lenses.find((l) => (l.command?.title ?? '').includes('GET /api/v1/products/{id}'));
    assert.ok(route, `the handler lens (lenses: ${lenses.map((l) => l.command?.title).join(' | ')})`);
    const onLine = lenses.filter((l) => l.range.start.line === route.range.start.line).map((l) => l.command?.title ?? '');
    assert.ok(onLine.includes('Runbooks (1)'), `runbook count beside the route: ${onLine.join(' | ')}`);
    const top = lenses.find((l) => l.range.start.line === 0 && /Runbooks \(1\)/.test(l.command?.title ?? ''));
    assert.ok(top, 'and the file lens at the top');
  });

  it('opens the runbook from the code lens, renders it, and remembers ticks per incident', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'services/checkout-service/src/checkoutHandler.ts'));
    const list = await api.runbooks.library.forFile(uri);
    const latency = list.find((r) => r.runbook.alerts.includes('CheckoutLatencyHigh'));
    assert.ok(latency);
    await vscode.commands.executeCommand('oncall.openRunbook', latency.key);
    const panel = api.runbooks.panels.panelOf(latency.key);
    assert.ok(panel, 'a panel for the runbook');
    await rendered(panel);
    assert.ok((panel.lastRender?.checks ?? 0) >= 5, 'checklist items painted');
    assert.ok((panel.lastRender?.commands ?? 0) >= 2, 'shell blocks painted');
    const first = panel.current?.checks[0];
    assert.ok(first);
    const incident = api.runbooks.incident;
    await incident.set({ id: 'INC-0312', title: 'INC-0312 checkout p99' });
    await api.runbooks.checks.set('INC-0312', latency.key, first.id, true);
    assert.ok(api.runbooks.checks.ticked('INC-0312', latency.key).has(first.id));
    // Another incident starts with a clean list; going back finds the tick again.
    await incident.set({ id: 'INC-0400', title: 'INC-0400' });
    assert.equal(api.runbooks.checks.ticked(incident.current.id, latency.key).size, 0);
    await incident.set({ id: 'INC-0312', title: 'INC-0312 checkout p99' });
    assert.ok(api.runbooks.checks.ticked(incident.current.id, latency.key).has(first.id));
    await incident.set(undefined);
  });

  it('opens a code link at its line, and a link to another runbook in the viewer', async () => {
    const latency = api.runbooks.library.all().find((r) => r.runbook.alerts.includes('CheckoutLatencyHigh'));
    assert.ok(latency);
    const panel = api.runbooks.panels.show(latency);
    await rendered(panel);
    const code = panel.current?.links.find((l) => l.kind === 'code' && l.target.endsWith('checkoutHandler.ts') && l.line === 52);
    assert.ok(code, 'a code link to checkoutHandler.ts:52');
    await panel.openLink(code);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.path.endsWith('checkout-service/src/checkoutHandler.ts') === true, 'the code opens');
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, 51);
    const other = panel.current?.links.find((l) => l.kind === 'runbook' && l.target.includes('PricingCatalogStampede'));
    assert.ok(other);
    await panel.openLink(other);
    await waitFor(() => api.runbooks.panels.all.some((p) => p.runbook.runbook.alerts.includes('PricingLatencyHigh')), 'the linked runbook opens');
  });

  it('Find Runbook for Alert opens the best runbook for a pasted Grafana notification', async () => {
    const text = [
      '**Firing**',
      '',
      'Value: A=3',
      'Labels:',
      ' - alertname = KubePodCrashLooping',
      ' - namespace = shop',
      ' - pod = checkout-service-6d9f7c-abcde',
      ' - severity = warning',
      'Annotations:',
      ' - summary = Pod is crash looping.',
      'Source: https://grafana.example.com/alerting/grafana/abc/view',
    ].join('\n');
    const rb = await vscode.commands.executeCommand<{ runbook: { title: string; alerts: string[] } } | undefined>('oncall.findRunbookForAlert', text);
    assert.deepEqual(rb?.runbook.alerts, ['KubePodCrashLooping']);
    assert.ok(api.runbooks.panels.all.some((p) => p.runbook.runbook.alerts.includes('KubePodCrashLooping')), 'its viewer is open');
    const ranked = api.runbooks.find.rank('[FIRING:1] CheckoutLatencyHigh (service=checkout-service severity=page)');
    assert.equal(ranked[0]?.runbook.runbook.alerts[0], 'CheckoutLatencyHigh');
    // Words of a title work too (after the alert matches): what people type when they know the runbook.
    assert.equal(api.runbooks.find.rank('first 30 minutes')[0]?.runbook.runbook.title, 'First 30 minutes on an unknown service');
  });

  it('runs a shell step only after confirmation, in a terminal, and records it with its exit code', async () => {
    const marker = path.join(workspaceRoot(), 'ran-from-runbook.txt');
    const file = await writeFile(
      'runbooks/test-run/RunbookRunTest.md',
      ['---', 'title: Run test', 'alerts: [RunbookRunTest]', 'last_reviewed: 2026-11-01', '---', '# RunbookRunTest', '', '```sh', `echo "oncall-$((6 * 7))" > ${JSON.stringify(marker)}`, '```', ''].join('\n'),
    );
    created.push(vscode.Uri.file(path.dirname(file.fsPath)), vscode.Uri.file(marker));
    await api.runbooks.library.reload();
    const rb = api.runbooks.library.all().find((r) => r.runbook.alerts.includes('RunbookRunTest'));
    assert.ok(rb, 'the new runbook is read');
    const panel = api.runbooks.panels.show(rb);
    await rendered(panel);
    const runner = api.runbooks.runner;
    const asked: string[] = [];
    try {
      // Declined: nothing runs, nothing is recorded.
      runner.confirm = async (command) => {
        asked.push(command);
        return false;
      };
      const before = runner.records().length;
      assert.equal((await panel.runCommand(0))?.kind, 'declined');
      assert.equal(runner.records().length, before);
      assert.ok(!fs.existsSync(marker));
      // Confirmed: the exact text was shown, it runs in a terminal and is recorded (UTC), with the exit code when
      // the terminal's shell integration reports one.
      runner.confirm = async (command) => {
        asked.push(command);
        return true;
      };
      const outcome = await panel.runCommand(0);
      assert.equal(outcome?.kind, 'ran');
      assert.equal(asked[1], `echo "oncall-$((6 * 7))" > ${JSON.stringify(marker)}`, 'the confirmation shows the exact command');
      await waitFor(() => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === 'oncall-42', 'the command ran in a shell', 30_000);
      const record = runner.records().at(-1);
      assert.ok(record && record.command === asked[1] && /Z$/.test(record.startedAt), JSON.stringify(record));
      // bash's shell integration (VS Code injects it) reports the exit code; the record is updated with it.
      await waitFor(() => runner.records().at(-1)?.exitCode !== undefined, 'the exit code from shell integration', 20_000);
      const ended = runner.records().at(-1);
      assert.equal(ended?.exitCode, 0);
      assert.ok(ended?.endedAt && Date.parse(ended.endedAt) >= Date.parse(ended.startedAt));
    } finally {
      runner.confirm = (await import('../../src/runbooks/commandRunner')).modalConfirm;
    }
  });

  it('reports a broken oncall.yaml in the Problems panel at line and column, and keeps working', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'oncall.yaml'));
    const original = await vscode.workspace.fs.readFile(uri);
    try {
      const broken = new TextDecoder().decode(original).replace('    team: storefront\n', '    team: storefront\n    teem: typo\n');
      assert.notEqual(broken, new TextDecoder().decode(original));
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(broken));
      await waitFor(() => vscode.languages.getDiagnostics(uri).length >= 1, 'catalog diagnostics', 20_000);
      const diags = vscode.languages.getDiagnostics(uri);
      const lines = broken.split('\n');
      const typoLine = lines.findIndex((l) => l.includes('teem: typo'));
      const typo = diags.find((d) => d.message.includes('teem'));
      assert.ok(typo, diags.map((d) => d.message).join(' | '));
      assert.equal(typo.range.start.line, typoLine);
      assert.equal(typo.range.start.character, 4);
      // The rest keeps working: runbooks are still listed.
      await api.runbooks.library.reload();
      assert.ok(api.runbooks.library.all().length > 80);
    } finally {
      await vscode.workspace.fs.writeFile(uri, original);
    }
    await waitFor(() => vscode.languages.getDiagnostics(uri).length === 0, 'diagnostics cleared after the fix', 20_000);
  });

  it('lists broken runbooks with a warning icon and their problems in the Problems panel', async () => {
    const bad = await writeFile('runbooks/test-bad/BrokenFrontMatter.md', ['---', 'title: Broken', 'severity: high: really', 'alerts: [BrokenFrontMatter]', '---', '# BrokenFrontMatter', ''].join('\n'));
    const binary = await writeFile('runbooks/test-bad/NotText.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    const missing = await writeFile('runbooks/test-bad/MissingLinks.md', ['---', 'title: Missing links', 'alerts: [MissingLinks]', '---', '# MissingLinks', '', 'See [the code](services/nowhere/x.go:42) and [another runbook](../gone/Other.md).', ''].join('\n'));
    const big = await writeFile('runbooks/test-bad/HugeRunbook.md', `# HugeRunbook\n\n${'- [ ] a step that repeats\n'.repeat(220_000)}`);
    created.push(vscode.Uri.file(path.dirname(bad.fsPath)));
    await api.runbooks.library.reload();
    for (const uri of [bad, binary, big]) {
      const rb = api.runbooks.library.byUri(uri);
      assert.ok(rb, `${uri.fsPath} is listed`);
      assert.ok(rb.runbook.problems.some((p) => p.severity === 'error'), `${path.basename(uri.fsPath)} has an error`);
      const diags = vscode.languages.getDiagnostics(uri);
      assert.ok(diags.length > 0, `${path.basename(uri.fsPath)}: diagnostics`);
    }
    // While the runbooks are read again (a save, a watcher event), the Problems panel keeps the last read's problems;
    // they are replaced when the read is done, together with the runbooks.
    const rereading = api.runbooks.library.reload();
    assert.ok(vscode.languages.getDiagnostics(bad).length > 0, 'the diagnostics stay while the runbooks are read again');
    await rereading;
    // Links to files that do not exist: warnings at the link, the runbook stays usable.
    const linkDiags = vscode.languages.getDiagnostics(missing);
    assert.equal(linkDiags.length, 2, linkDiags.map((d) => d.message).join(' | '));
    assert.ok(linkDiags.every((d) => d.severity === vscode.DiagnosticSeverity.Warning && d.range.start.line === 6));
    assert.ok(linkDiags.some((d) => d.message.includes('services/nowhere/x.go')));
    const yamlDiag = vscode.languages.getDiagnostics(bad)[0];
    assert.equal(yamlDiag?.range.start.line, 2, 'the YAML error is on its line of the file (3)');
    assert.equal(yamlDiag?.range.start.character, 14, 'and column (15)');
    await api.runbooks.view.refreshCurrent();
    const node = flatten(api.runbooks.view.nodes).find((n) => n.runbook?.uri.toString() === bad.toString() && n.contextValue === 'runbook');
    assert.equal(node?.icon.id, 'warning');
    // Opening the binary one shows a message instead of its bytes.
    const panel = api.runbooks.panels.show(api.runbooks.library.byUri(binary) as NonNullable<ReturnType<typeof api.runbooks.library.byUri>>);
    await rendered(panel);
    assert.match(panel.current?.html ?? '', /cannot be shown/);
  });
});
