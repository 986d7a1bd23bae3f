// "Follow the wire" in the real extension host, on the test workspace: the demo's services plus `polyglot/` (a copy
// of test/fixtures/wire: one service per framework in nine languages). Every HTTP handler and gRPC
// implementation must get a code lens with its full route, error exits are highlighted, the Wire Map lists the
// services, Go to Handler takes a concrete URL path, Follow the Wire shows calls with dependencies labelled, and a
// save re-indexes one file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';
import type { WireRecord } from '../../src/core/wire/model';
import type { WireNode } from '../../src/wire/wireMapView';
import { activateApi, waitFor, workspaceRoot } from './testUtil';

const routeTitle = (r: WireRecord): string => (r.kind === 'grpc' ? `gRPC ${r.route ?? ''}` : `${r.method ?? ''} ${r.route ?? ''}`);

/** A concrete path for a template: `{slug}` → `how-to`, `{id}` → `3`, catch-alls → `a/b`. */
function concrete(route: string): string {
  return route.replace(/\{\*[^}]*\}/g, 'a/b').replace(/\{([^}]*)\}/g, (_m, n: string) => (/id$/i.test(n) ? '3' : 'how-to'));
}

function leaves(nodes: readonly WireNode[]): WireNode[] {
  const out: WireNode[] = [];
  const walk = (n: WireNode): void => {
    if (n.record && (n.record.kind === 'http' || n.record.kind === 'grpc')) out.push(n);
    n.children.forEach(walk);
  };
  nodes.forEach(walk);
  return out;
}

describe('Follow the wire (extension host)', function () {
  this.timeout(180_000);
  let api: OnCallLensApi;
  let records: WireRecord[];
  let folder: vscode.WorkspaceFolder;

  before(async () => {
    api = await activateApi();
    folder = vscode.workspace.workspaceFolders?.[0] as vscode.WorkspaceFolder;
    await api.wire.service.ensure();
    records = api.wire.service.all().map((x) => x.record);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('indexes services in at least eight languages, off the extension host thread, with full routes', () => {
    const languages = new Set(records.filter((r) => r.kind === 'http' || r.kind === 'grpc').map((r) => r.language));
    languages.delete('proto');
    assert.ok(languages.size >= 8, `languages with handlers: ${[...languages].join(', ')}`);
    const http = records.filter((r) => r.kind === 'http');
    assert.ok(http.length > 50, `${http.length} HTTP routes`);
    assert.ok(http.every((r) => r.route?.startsWith('/')), 'every route is a full path');
    assert.ok(records.some((r) => r.kind === 'grpc' && r.handler), 'gRPC methods are linked to implementations');
    assert.ok(records.some((r) => r.kind === 'entry'), 'entry points');
  });

  it('puts a code lens with method and full route on every handler registration and gRPC implementation', async () => {
    const byFile = new Map<string, WireRecord[]>();
    for (const r of records) {
      if (r.kind !== 'http' && r.kind !== 'grpc') continue;
      let list = byFile.get(r.file);
      if (!list) byFile.set(r.file, (list = []));
      list.push(r);
    }
    const missing: string[] = [];
    for (const [file, list] of byFile) {
      const uri = api.wire.service.uriOf(folder, file);
      await vscode.workspace.openTextDocument(uri);
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      for (const r of list) {
        const ok = lenses.some((l) => l.range.start.line === r.line - 1 && (l.command?.title ?? '').includes(routeTitle(r)));
        if (!ok) missing.push(`${file}:${r.line} ${routeTitle(r)}`);
      }
    }
    assert.deepEqual(missing, [], 'every route has its lens');
  });

  it('also puts the route lens on a handler defined in another file than its registration', async () => {
    const r = records.find((x) => x.kind === 'http' && x.handlerFile && x.handlerFile !== x.file && x.handlerLine);
    assert.ok(r, 'some handler is defined away from its registration');
    const huri = api.wire.service.uriOf(folder, r.handlerFile as string);
    await vscode.workspace.openTextDocument(huri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', huri)) ?? [];
    assert.ok(
      lenses.some((l) => l.range.start.line === (r.handlerLine as number) - 1 && (l.command?.title ?? '').includes(routeTitle(r))),
      `lens at ${r.handlerFile}:${r.handlerLine}`,
    );
    assert.ok(lenses.some((l) => l.command?.title === 'Follow the wire'), 'a Follow the wire action');
  });

  it('highlights the error exits of the file on screen, with what kind of exit each is', async () => {
    const err = records.find((r) => r.kind === 'error' && r.language === 'go' && r.detail === 'return-error') ?? records.find((r) => r.kind === 'error');
    assert.ok(err, 'an error exit in the index');
    const uri = api.wire.service.uriOf(folder, err.file);
    await vscode.window.showTextDocument(uri);
    await waitFor(() => api.wire.decorations.drawnIn(uri).some((e) => e.loc.line === err.line), `decorations in ${err.file}`, 20_000);
    const swallowed = records.find((r) => r.kind === 'error' && r.detail === 'swallow');
    assert.ok(swallowed, 'a swallowed error somewhere in the fixtures');
    const suri = api.wire.service.uriOf(folder, swallowed.file);
    await vscode.window.showTextDocument(suri);
    await waitFor(() => api.wire.decorations.drawnIn(suri).some((e) => e.kind === 'swallow'), `swallowed error drawn in ${swallowed.file}`);
  });

  it('builds the Wire Map (service → groups → handlers → error exits) and filters it', () => {
    const nodes = api.wire.map.nodes;
    assert.ok(nodes.length >= 8, `${nodes.length} services`);
    const all = leaves(nodes);
    assert.equal(all.length, records.filter((r) => r.kind === 'http' || r.kind === 'grpc').length, 'every route is in the tree');
    assert.ok(
      all.some((n) => n.children.some((c) => c.record?.kind === 'error')),
      'handlers list their error exits',
    );
    api.wire.map.setFilter('articles');
    const filtered = leaves(api.wire.map.nodes);
    assert.ok(filtered.length > 0 && filtered.length < all.length, `${filtered.length} of ${all.length} after the filter`);
    assert.ok(filtered.every((n) => [n.record?.route, n.record?.handler, n.record?.file].some((s) => s?.toLowerCase().includes('articles'))));
    api.wire.map.setFilter('');
    assert.equal(leaves(api.wire.map.nodes).length, all.length);
  });

  it('Go to Handler opens the handler of a concrete URL path pasted from a log', async () => {
    const withParams = records.filter((r) => r.kind === 'http' && r.handlerFile && r.handlerLine && /\{[^*}]+\}/.test(r.route ?? '') && !r.shadowed);
    assert.ok(withParams.length > 5);
    for (const r of withParams.filter((_, i) => i % Math.ceil(withParams.length / 6) === 0)) {
      const url = `https://example.test${concrete(r.route as string)}?utm=x`;
      const picked = await vscode.commands.executeCommand<{ record: WireRecord } | undefined>('oncall.goToHandler', `${r.method === 'ANY' ? 'GET' : r.method} ${url}`);
      assert.ok(picked, `a handler for ${url}`);
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor);
      // The best match may be another registration of the same template (a more specific literal wins); it must fit.
      assert.equal(editor.document.uri.fsPath, path.join(workspaceRoot(), picked.record.handlerFile ?? picked.record.file));
      assert.equal(editor.selection.active.line, (picked.record.handlerLine ?? picked.record.line) - 1);
    }
  });

  it('Go to Handler opens a route that matches the end of a path whose prefix the map does not know (a gateway)', async () => {
    const r = records.find((x) => x.kind === 'http' && x.handlerFile && x.handlerLine && !x.shadowed && /\/[a-z]+\/\{[^*}]+\}$/.test(x.route ?? '') && x.method === 'GET');
    assert.ok(r, 'a GET route ending in /literal/{param}');
    const url = `https://edge.example.test/gateway/edge${concrete(r.route as string)}`;
    const picked = await vscode.commands.executeCommand<{ record: WireRecord } | undefined>('oncall.goToHandler', `GET ${url}`);
    assert.ok(picked, `a handler for ${url}`);
    assert.equal(picked.record.route, r.route);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.fsPath, path.join(workspaceRoot(), picked.record.handlerFile ?? picked.record.file));
    assert.equal(editor.selection.active.line, (picked.record.handlerLine ?? picked.record.line) - 1);
  });

  it('Follow the wire: tree-sitter calls with dependencies labelled when no language server answers (Go)', async () => {
    const dir = path.join(workspaceRoot(), 'polyglot', 'wire-deps');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/deps\n\ngo 1.22\n');
    const file = path.join(dir, 'main.go');
    // Created in VS Code (as a user would with New File), so the index hears of it without waiting for the OS watcher.
    const create = new vscode.WorkspaceEdit();
    create.createFile(vscode.Uri.file(file), {
      contents: Buffer.from(
        [
        'package main',
        '',
        'import (',
        '\t"database/sql"',
        '\t"net/http"',
        ')',
        '',
        'func getOrder(w http.ResponseWriter, r *http.Request) {',
        '\trow := db.QueryRowContext(r.Context(), "select 1")',
        '\tresp, err := http.Get("http://pricing/api/prices")',
        '\tif err != nil {',
        '\t\thttp.Error(w, err.Error(), http.StatusBadGateway)',
        '\t\treturn',
        '\t}',
        '\trdb.Get(r.Context(), "k")',
        '\tproducer.Publish("orders", row)',
        '\trender(w, resp)',
        '}',
        '',
        'func render(w http.ResponseWriter, v any) {}',
        '',
        'var db *sql.DB',
        '',
        'func main() {',
        '\thttp.HandleFunc("GET /orders/{id}", getOrder)',
        '\thttp.ListenAndServe(":8080", nil)',
        '}',
        '',
        ].join('\n'),
      ),
    });
    assert.equal(await vscode.workspace.applyEdit(create), true);
    const rel = 'polyglot/wire-deps/main.go';
    await waitFor(() => api.wire.service.all().some((x) => x.record.file === rel && x.record.route === '/orders/{id}'), 'the file created in VS Code is indexed', 30_000);
    const r = api.wire.service.all().find((x) => x.record.file === rel && x.record.kind === 'http')?.record as WireRecord;
    const root = await vscode.commands.executeCommand<{ source: string; children?: { label: string; dependency?: string }[] }>('oncall.followWire', { uri: vscode.Uri.file(file), line: r.line, title: 'GET /orders/{id}', record: r });
    assert.ok(root);
    assert.equal(root.source, 'syntax tree');
    const deps = Object.fromEntries((root.children ?? []).map((c) => [c.label, c.dependency]));
    assert.equal(deps['db.QueryRowContext'], 'database');
    assert.equal(deps['http.Get'], 'http');
    assert.equal(deps['rdb.Get'], 'cache');
    assert.equal(deps['producer.Publish'], 'queue');
    assert.equal(deps['render'], undefined);
  });

  it('Follow the wire uses the language server call hierarchy where one answers (TypeScript)', async () => {
    const file = path.join(workspaceRoot(), 'polyglot', 'wire-deps', 'orders.ts');
    fs.writeFileSync(
      file,
      [
        'const db = { query(sql: string): string[] { return [sql]; } };',
        '',
        'function loadOrder(id: string): string[] {',
        '  return db.query(`select * from orders where id = ${id}`);',
        '}',
        '',
        'export function getOrder(id: string): string[] {',
        '  return loadOrder(id);',
        '}',
        '',
      ].join('\n'),
    );
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const record: WireRecord = { kind: 'http', method: 'GET', route: '/orders/{id}', file: 'polyglot/wire-deps/orders.ts', line: 7, column: 1, handlerFile: 'polyglot/wire-deps/orders.ts', handlerLine: 7, language: 'typescript', framework: 'express', service: 'polyglot/wire-deps' };
    // The TypeScript server needs a moment to load the file.
    let root: { source: string; children?: { label: string; children?: unknown[]; expand?: unknown }[] } | undefined;
    try {
      await waitFor(
        async () => {
          root = await vscode.commands.executeCommand('oncall.followWire', { uri, line: 7, title: 'GET /orders/{id}', record });
          return root?.source === 'language server' && (root.children?.length ?? 0) > 0;
        },
        'the TypeScript server answered the call hierarchy',
        60_000,
      );
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)} — last answer: ${root?.source} with ${root?.children?.length ?? 0} calls`);
    }
    assert.deepEqual(root?.children?.map((c) => c.label), ['loadOrder']);
    // One level down, through the language server again: loadOrder → query (labelled: db.query is a database call).
    const next = await api.wire.follow.getChildren(api.wire.follow.current?.children?.[0]);
    assert.equal(next[0]?.label, 'query');
    assert.equal(next[0]?.dependency, 'database');
  });

  it('re-indexes a saved file: a new route appears with its full route', async () => {
    const target = records.find((r) => r.kind === 'http' && r.language === 'go' && r.framework === 'net/http') ?? records.find((r) => r.kind === 'http' && r.language === 'go');
    assert.ok(target);
    const uri = api.wire.service.uriOf(folder, 'polyglot/wire-deps/main.go');
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    const line = doc.getText().split('\n').findIndex((l) => l.includes('http.ListenAndServe'));
    edit.insert(uri, new vscode.Position(line, 0), '\thttp.HandleFunc("DELETE /orders/{id}", getOrder)\n');
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    await waitFor(() => api.wire.service.all().some((x) => x.record.file === 'polyglot/wire-deps/main.go' && x.record.method === 'DELETE' && x.record.route === '/orders/{id}'), 'the saved route in the index');
    assert.ok(api.wire.service.lastUpdateMs !== undefined);
  });

  it('makes a folder a service when a manifest appears in it outside VS Code, and no longer when it is deleted', async () => {
    // A Go package folder of an existing service (a folder the file watcher already watches: events inside a folder
    // created a moment before can be missed by the OS watcher, in VS Code as here).
    const record = records.find((r) => r.language === 'go' && r.kind === 'http' && path.posix.dirname(r.file) !== r.service && !fs.existsSync(path.join(workspaceRoot(), path.posix.dirname(r.file), 'go.mod')));
    assert.ok(record, 'a Go handler in a package folder below its service root');
    const dir = path.posix.dirname(record.file);
    const manifest = path.join(workspaceRoot(), dir, 'go.mod');
    const serviceOf = (): string | undefined => api.wire.service.all().find((x) => x.record.file === record.file && x.record.line === record.line)?.record.service;
    fs.writeFileSync(manifest, 'module example.com/split\n\ngo 1.22\n');
    try {
      await waitFor(() => serviceOf() === dir, `${record.file} in the service its new go.mod makes`, 15_000);
    } finally {
      fs.rmSync(manifest, { force: true });
    }
    await waitFor(() => serviceOf() === record.service, `${record.file} back in ${record.service} once the go.mod is gone`, 15_000);
  });

  it('starts again from the warm-start cache, and Rebuild Wire Index reads every file', async () => {
    // The scan's cache was written in the worker right after it answered; this scan is queued behind that.
    await api.wire.service.rescan();
    const warm = api.wire.service.lastScanOf(folder);
    assert.ok(warm && warm.cached > 100, `files from the cache: ${warm?.cached}`);
    const fromCache = api.wire.service.all().map((x) => x.record);
    await vscode.commands.executeCommand('oncall.rebuildWireIndex');
    assert.equal(api.wire.service.lastScanOf(folder)?.cached, 0);
    const fresh = api.wire.service.all().map((x) => x.record);
    assert.deepEqual(fromCache, fresh);
    // What the tests above created or edited is in it (new or changed since the cache was written: read again).
    assert.ok(fresh.some((r) => r.file === 'polyglot/wire-deps/main.go' && r.method === 'DELETE' && r.route === '/orders/{id}'));
  });
});

describe('Span → handler through the wire index (extension host)', function () {
  this.timeout(120_000);
  it('a span with http.route but no code.* attributes opens the handler of that route', async () => {
    const api = await activateApi();
    await api.wire.service.ensure();
    const r = api.wire.service
      .all()
      .map((x) => x.record)
      .find((x) => x.kind === 'http' && x.handlerFile && x.handlerLine && /\{[^*}]+\}/.test(x.route ?? '') && !x.shadowed && x.method !== 'ANY');
    assert.ok(r);
    // As Express would write the template in http.route.
    const template = (r.route as string).replace(/\{([^}]+)\}/g, ':$1');
    const opened = await api.traces.navigator.openRoute({ method: r.method, route: template }, `${r.method} ${template}`);
    assert.equal(opened, true);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    const best = api.wire.goToHandler.find(api.wire.service.all(), `${r.method} ${template}`)[0]?.record;
    assert.ok(best);
    assert.equal(editor.document.uri.fsPath, path.join(workspaceRoot(), best.handlerFile ?? best.file));
    assert.equal(best.route, r.route);
  });
});
