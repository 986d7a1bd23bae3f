// The in-VS-Code part of `npm run bench`: from the command to the painted waterfall for a 10k-span trace, and
// the code-lens latency of the wire map.
// Run by scripts/bench.mjs through the extension-host runner (ONCALL_EXTENSION_TESTS_PATH=out/test/bench); the
// trace file comes in ONCALL_BENCH_TRACE. Prints one `BENCH_RESULT {json}` line.
// With ONCALL_BENCH_MODE=webview-floor it measures instead how long an empty webview page takes to start, first and
// second of a session: the part of the first waterfall's time that belongs to the browser, not to this extension.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';
import { scanTraceIds } from '../../src/core/traces/traceIndex';

export async function run(): Promise<void> {
  if (process.env['ONCALL_BENCH_MODE'] === 'webview-floor') {
    const first = await emptyWebviewMs();
    const second = await emptyWebviewMs();
    console.log(`BENCH_RESULT ${JSON.stringify({ firstMs: first, secondMs: second })}`);
    return;
  }
  const source = process.env['ONCALL_BENCH_TRACE'];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!source || !folder) throw new Error('ONCALL_BENCH_TRACE and a workspace folder are required');
  const target = path.join(folder, 'traces', `bench-${path.basename(source)}`);
  fs.copyFileSync(source, target);
  const [traceId] = scanTraceIds(fs.readFileSync(target, 'utf8').slice(0, 4096));
  if (!traceId) throw new Error(`no trace ID in ${source}`);

  const api = await vscode.extensions.getExtension<OnCallLensApi>('oncall-lens.oncall-lens')?.activate();
  if (!api) throw new Error('the extension did not activate');
  await api.traces.traces.rebuild();

  const runs: { commandToPaintedMs: number; commandToPostedMs: number; webviewMs: number; rows: number; domRows: number }[] = [];
  // Runs 1–3 open a new panel (the webview boots); runs 4–5 reuse the open panel (only the model travels).
  for (let i = 0; i < 5; i++) {
    if (i < 3) await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const t0 = performance.now();
    const painted = new Promise<{ rowCount: number; domRows: number; renderMs?: number }>((resolve) => {
      const sub = api.traces.panels.onDidShow((panel) => {
        // A reused panel has already reported this trace: wait for the next report.
        sub.dispose();
        const r = panel.onDidRender((x) => {
          if (x.traceId !== traceId) return;
          r.dispose();
          resolve(x);
        });
      });
    });
    await vscode.commands.executeCommand('oncall.openTrace', traceId);
    // The command resolves once the model is read (worker) and posted to the webview.
    const posted = performance.now() - t0;
    const r = await painted;
    runs.push({ commandToPaintedMs: performance.now() - t0, commandToPostedMs: posted, webviewMs: r.renderMs ?? -1, rows: r.rowCount, domRows: r.domRows });
  }
  // Code lenses on the wire fixtures (the runner adds them as polyglot/): the provider's own time per document,
  // and the round trip through VS Code's code lens command (what the editor waits for).
  await api.wire.service.ensure();
  const folderObj = vscode.workspace.workspaceFolders?.[0] as vscode.WorkspaceFolder;
  const files = [...new Set(api.wire.service.all().filter((x) => x.record.kind === 'http' || x.record.kind === 'grpc').map((x) => x.record.file))];
  const provider: number[] = [];
  const roundTrip: number[] = [];
  let lensCount = 0;
  for (const file of files) {
    const doc = await vscode.workspace.openTextDocument(api.wire.service.uriOf(folderObj, file));
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      lensCount = api.wire.lenses.provideCodeLenses(doc).length;
      provider.push(performance.now() - t);
    }
    const t = performance.now();
    await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
    roundTrip.push(performance.now() - t);
  }
  const pct = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? -1;
  const lens = { files: files.length, calls: provider.length, lastCount: lensCount, p50: pct(provider, 0.5), p99: pct(provider, 0.99), roundTripP50: pct(roundTrip, 0.5), roundTripP99: pct(roundTrip, 0.99) };
  // The first run includes starting the worker and the webview's first load; report it apart.
  console.log(`BENCH_RESULT ${JSON.stringify({ traceId, runs, lens })}`);
}

/** From creating a webview panel to the first message of a page that does nothing but send one. */
async function emptyWebviewMs(): Promise<number> {
  const t0 = performance.now();
  const panel = vscode.window.createWebviewPanel('oncall.benchFloor', 'Empty page', vscode.ViewColumn.Active, { enableScripts: true });
  const nonce = Math.random().toString(36).slice(2);
  const ready = new Promise<void>((resolve) => panel.webview.onDidReceiveMessage(() => resolve()));
  panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';"></head><body><script nonce="${nonce}">acquireVsCodeApi().postMessage('ready');</script></body></html>`;
  await ready;
  const ms = performance.now() - t0;
  panel.dispose();
  return ms;
}
