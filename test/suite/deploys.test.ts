// "What changed" in the real extension host, on the test workspace: the demo's oncall.yaml names a deploy log
// (deploys.jsonl: deploys, config changes and flag flips of the three services) and git tags. The Deploys view lists
// them per service; What Changed puts them on one timeline relative to the incident start.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';
import type { DeployNode } from '../../src/deploys/deploysView';
import { parseStart } from '../../src/deploys/registerDeploys';
import { activateApi, waitFor, workspaceRoot } from './testUtil';

function flatten(nodes: readonly DeployNode[]): DeployNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

describe('What changed (extension host)', function () {
  this.timeout(120_000);
  let api: OnCallLensApi;

  before(async () => {
    api = await activateApi();
  });

  it('lists the deploys of each service from the deploy log, newest first, in the chosen window', async () => {
    await vscode.commands.executeCommand('oncall.deploysWindow', 24 * 30);
    const roots = api.deploys.view.nodes;
    const names = roots.map((n) => n.label).sort();
    for (const s of ['checkout-service', 'payments-service', 'pricing-service']) assert.ok(names.includes(s), `${s} in ${names.join(', ')}`);
    const pricing = roots.find((n) => n.label === 'pricing-service') as DeployNode;
    const times = pricing.children.map((c) => Date.parse(c.deploy?.deploy.time ?? ''));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    const promo = pricing.children.find((c) => c.deploy?.deploy.kind === 'config');
    assert.ok(promo, 'a config change is listed with the deploys');
    assert.match(promo.description ?? '', /2026-11-22 09:30 UTC/);
    assert.match(promo.description ?? '', /config/);
    // A short window leaves the old ones out.
    await vscode.commands.executeCommand('oncall.deploysWindow', 1);
    assert.ok(api.deploys.view.nodes.every((n) => n.children.every((c) => Date.now() - Date.parse(c.deploy?.deploy.time ?? '') <= 3_600_000)));
    await vscode.commands.executeCommand('oncall.deploysWindow', 24 * 7);
  });

  it('What Changed: one timeline across services, relative to the incident start', async () => {
    const nodes = (await vscode.commands.executeCommand<DeployNode[]>('oncall.whatChanged', { hours: 24, incidentStart: '2026-11-23T03:12:00.000Z' })) ?? [];
    assert.ok(nodes.length >= 3, `changes in the 24 h before 03:12: ${nodes.map((n) => n.label).join(' | ')}`);
    const services = new Set(nodes.map((n) => n.deploy?.deploy.service));
    assert.ok(services.size >= 2, 'across services');
    for (const n of nodes) {
      const t = Date.parse(n.deploy?.deploy.time ?? '');
      assert.ok(t >= Date.parse('2026-11-22T03:12:00Z') && t <= Date.parse('2026-11-23T04:12:00Z'), `${n.label} is inside the window`);
    }
    const flag = nodes.find((n) => n.deploy?.deploy.kind === 'flag');
    assert.ok(flag, 'a flag flip is on the timeline');
    assert.match(flag.description ?? '', /(min|h) before the incident start/);
    assert.ok(flatten(nodes).length >= nodes.length);
    assert.equal(parseStart('03:12', new Date('2026-11-23T10:00:00Z')), '2026-11-23T03:12:00.000Z');
    assert.equal(parseStart('2026-11-23 03:12'), '2026-11-23T03:12:00.000Z');
    assert.equal(parseStart('yesterday'), undefined);
  });

  it('git tags are deploys: each lists its commits and files, one entry with what the deploy log adds', async () => {
    await vscode.commands.executeCommand('oncall.deploysWindow', 24 * 365);
    const pricing = api.deploys.view.nodes.find((n) => n.label === 'pricing-service') as DeployNode;
    const v418 = pricing.children.filter((c) => /4\.18\.0$/.test(c.label));
    assert.equal(v418.length, 1, `one entry for 4.18.0 (tag and log merged): ${pricing.children.map((c) => c.label).join(', ')}`);
    const d = v418[0]?.deploy?.deploy;
    assert.equal(d?.source, 'git');
    assert.ok((d?.files ?? []).some((f) => f.path === 'services/pricing-service/src/priceCache.ts'), 'the files it changed');
    assert.ok((d?.files ?? []).every((f) => f.path.startsWith('services/pricing-service/')), "only the service's files");
    assert.equal(d?.environment, 'production', 'the environment comes from the deploy log');
    await vscode.commands.executeCommand('oncall.deploysWindow', 24 * 7);
  });

  it('a code lens says which recent deploy changed the file, and opens the diff between the deploys', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'services/payments-service/src/pspClient.ts'));
    await vscode.window.showTextDocument(uri);
    let lenses: vscode.CodeLens[] = [];
    await waitFor(async () => {
      lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      return lenses.some((l) => /Changed in deploy/.test(l.command?.title ?? ''));
    }, 'the deploy lens', 30_000);
    const changed = lenses.find((l) => /Changed in deploy/.test(l.command?.title ?? ''));
    assert.match(changed?.command?.title ?? '', /Changed in deploy payments-service-v1\.9\.4, \d+ (h|d) ago/);
    const diff = lenses.find((l) => l.command?.title === 'Open diff');
    assert.ok(diff?.command);
    await vscode.commands.executeCommand(diff.command.command, ...(diff.command.arguments ?? []));
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff, 'a diff editor');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as vscode.TabInputTextDiff;
    assert.equal(input.modified.scheme, 'oncall-git');
    const before = (await vscode.workspace.openTextDocument(input.original)).getText();
    const after = (await vscode.workspace.openTextDocument(input.modified)).getText();
    assert.notEqual(before, after, 'the two sides differ');
    assert.equal(after, fs.readFileSync(uri.fsPath, 'utf8'), 'the deployed side is the file as deployed (unchanged since)');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a tag made outside VS Code (git tag, a CI fetch) shows up without Refresh: the .git watcher', async function () {
    this.timeout(60_000);
    const root = workspaceRoot();
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=deploy-bot', '-c', 'user.email=deploy-bot@shop.example', ...args], { cwd: root, encoding: 'utf8' });
    const has = async (): Promise<boolean> => (await api.deploys.service.recent(24 * 365)).deploys.some((d) => d.deploy.version === 'pricing-service-v4.19.0');
    assert.equal(await has(), false);
    try {
      git('tag', '-a', 'pricing-service-v4.19.0', '-m', 'pricing-service 4.19.0');
      await waitFor(has, 'the new tag is read after the watcher saw .git/refs change', 30_000);
    } finally {
      git('tag', '-d', 'pricing-service-v4.19.0');
    }
    await waitFor(async () => !(await has()), 'and the deleted tag is gone again', 30_000);
  });

  it("a handler whose own lines a deploy changed says so on its lens; edited since, it says it is not deployed", async function () {
    this.timeout(120_000);
    const root = workspaceRoot();
    const rel = 'services/checkout-service/src/adminRoutes.ts';
    const uri = vscode.Uri.file(path.join(root, rel));
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=Sam Okafor', '-c', 'user.email=sam@shop.example', ...args], { cwd: root, encoding: 'utf8' });
    const v1 = [
      "import express from 'express';",
      '',
      'export const admin = express.Router();',
      '',
      "admin.get('/admin/health', function health(req, res) {",
      '  res.json({ ok: true });',
      '});',
      '',
      "admin.post('/admin/cache/flush', function flushCache(req, res) {",
      '  res.status(202).json({ flushed: true });',
      '});',
      '',
    ].join('\n');
    const v2 = v1.replace('res.status(202).json({ flushed: true });', 'res.status(202).json({ flushed: true, at: Date.now() });');
    const head = git('rev-parse', 'HEAD').trim();
    const lensesAt = async (line: number, pattern: RegExp): Promise<vscode.CodeLens[]> => {
      let all: vscode.CodeLens[] = [];
      await waitFor(async () => {
        all = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter((l) => l.range.start.line === line - 1);
        return all.some((l) => pattern.test(l.command?.title ?? ''));
      }, `a lens ${pattern} on line ${line}`, 30_000);
      return all;
    };
    try {
      // Deploy 2.32.0 adds two handlers; deploy 2.33.0 changes the body of the second only.
      fs.writeFileSync(uri.fsPath, v1);
      git('add', rel);
      git('commit', '-q', '-m', 'checkout: admin routes');
      git('tag', '-a', 'checkout-service-v2.32.0', '-m', 'checkout-service 2.32.0');
      fs.writeFileSync(uri.fsPath, v2);
      git('commit', '-q', '-am', 'checkout: the cache flush says when');
      git('tag', '-a', 'checkout-service-v2.33.0', '-m', 'checkout-service 2.33.0');
      await api.wire.service.ensure();
      await waitFor(() => api.wire.service.recordsOf(uri).filter((r) => r.kind === 'http').length === 2, 'the wire index has both handlers of the new file', 30_000);
      await vscode.commands.executeCommand('oncall.refreshDeploys');
      await vscode.window.showTextDocument(uri); // the lens provider is asked for open documents only
      const flush = await lensesAt(9, /Changed in deploy checkout-service-v2\.33\.0, (just now|\d+ min ago)/);
      assert.ok(flush.some((l) => /POST \/admin\/cache\/flush/.test(l.command?.title ?? '')), 'beside the route lens of that handler');
      const health = await lensesAt(5, /Changed in deploy checkout-service-v2\.32\.0/);
      assert.ok(!health.some((l) => /2\.33\.0/.test(l.command?.title ?? '')), 'the first handler was not touched by 2.33.0');
      // Edited on disk since that deploy: only the handler whose lines changed says it is not deployed.
      fs.writeFileSync(uri.fsPath, v2.replace('at: Date.now()', 'at: new Date().toISOString()'));
      await vscode.commands.executeCommand('oncall.refreshDeploys');
      await lensesAt(9, /Changed since the last deploy/);
      assert.ok(!(await lensesAt(5, /Changed in deploy/)).some((l) => /Changed since/.test(l.command?.title ?? '')));
    } finally {
      for (const t of ['checkout-service-v2.32.0', 'checkout-service-v2.33.0']) {
        try {
          git('tag', '-d', t);
        } catch {
          // not created
        }
      }
      git('reset', '-q', head); // mixed: only HEAD and the index move; other tests' files stay as they are
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(uri.fsPath, { force: true });
      await vscode.commands.executeCommand('oncall.refreshDeploys');
    }
  });
});
