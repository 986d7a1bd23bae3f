// "Open Trace by ID" end to end in the real extension host, on a temp copy of the demo workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';
import type { OpenOutcome } from '../../src/traces/openTrace';
import type { WaterfallPanel } from '../../src/traces/waterfallPanel';
import type { SpanDetails, WaterfallModel } from '../../src/shared/protocol/waterfall';
import { activateApi, repoRoot, waitFor, workspaceRoot } from './testUtil';

function opened(o: OpenOutcome): { panel: WaterfallPanel; model: WaterfallModel; details: () => Promise<readonly SpanDetails[]> } {
  assert.equal(o.kind, 'opened', `expected the trace to open, got ${o.kind}: ${'message' in o ? o.message : ''}`);
  const ok = o as Extract<OpenOutcome, { kind: 'opened' }>;
  return { panel: ok.panel, model: ok.view.model, details: () => ok.view.details() };
}

async function rendered(panel: WaterfallPanel, traceId: string): Promise<{ rowCount: number; domRows: number }> {
  if (panel.lastRender?.traceId === traceId) return panel.lastRender;
  return new Promise((resolve) => {
    const sub = panel.onDidRender((r) => {
      if (r.traceId !== traceId) return;
      sub.dispose();
      resolve(r);
    });
  });
}

describe('Open Trace by ID (extension host)', function () {
  this.timeout(120_000);
  let api: OnCallLensApi;
  let ws: string;
  /** A demo trace with errors, from the demo's checkout-stampede file. */
  let stampedeId: string;

  before(async () => {
    api = await activateApi();
    ws = workspaceRoot();
    await api.traces.traces.ensureIndexed();
    const entry = api.traces.traces.entries().find(([p]) => p.endsWith('checkout-stampede.json'));
    assert.ok(entry, `the demo's traces/checkout-stampede.json is indexed (have: ${api.traces.traces.entries().map(([p]) => p).join(', ')})`);
    const withError = entry[1].traces.find((t) => (t.errorCount ?? 0) > 0);
    assert.ok(withError, 'the stampede file has a trace with an error');
    stampedeId = withError.traceId;
  });

  // The trace files these tests write are removed, and their diagnostics with them: the suites after this one
  // (runbooks) check that the untouched workspace has nothing of ours in the Problems panel.
  after(async () => {
    const written = ['fixture-good.json', 'fixture-truncated.json', 'fixture-orphans.json'].map((f) => path.join(ws, 'traces', f));
    for (const f of written) fs.rmSync(f, { force: true });
    await waitFor(() => written.every((f) => vscode.languages.getDiagnostics(vscode.Uri.file(f)).length === 0 && api.traces.traces.entries().every(([p]) => p !== f)), 'the trace index drops the removed files');
  });

  it('opens a demo trace: waterfall painted, critical path, errors, slow span', async () => {
    const { panel, model } = opened(await api.traces.opener.open(stampedeId));
    assert.equal(model.traceId, stampedeId);
    assert.ok(model.rows.length >= 5, `rows: ${model.rows.length}`);
    assert.ok(model.criticalRows.length > 0, 'critical path computed');
    assert.ok(model.errorCount > 0);
    assert.ok(model.slowestRow >= 0);
    assert.match(model.source, /traces\/checkout-stampede\.json \(OTLP\/JSON\)/);
    assert.ok(model.services.includes('checkout-service') && model.services.includes('pricing-service'), model.services.join());
    const r = await rendered(panel, stampedeId);
    assert.equal(r.rowCount, model.rows.length, 'the webview painted every row of the model');
    assert.ok(r.domRows > 0);
    assert.match(panel.panel.title, new RegExp(`^Trace ${stampedeId.slice(0, 8)}`));
  });

  it('accepts a traceparent, a Jaeger link and a Grafana link for the same trace and reuses the panel', async () => {
    const first = opened(await api.traces.opener.open(`00-${stampedeId}-00f067aa0ba902b7-01`));
    const second = opened(await api.traces.opener.open(`http://jaeger.prod:16686/trace/${stampedeId}`));
    const left = encodeURIComponent(JSON.stringify({ datasource: 'tempo', queries: [{ refId: 'A', queryType: 'traceql', query: stampedeId }] }));
    const third = opened(await api.traces.opener.open(`https://grafana.example.com/explore?left=${left}`));
    assert.equal(first.panel, second.panel);
    assert.equal(second.panel, third.panel);
  });

  it('reads Jaeger UI JSON, Zipkin v2 and JSON Lines files of the demo', async () => {
    for (const suffix of ['.jaeger.json', '.trace.json', '.jsonl']) {
      const entry = api.traces.traces.entries().find(([p]) => p.endsWith(suffix));
      assert.ok(entry, `a demo file ending in ${suffix}`);
      const id = entry[1].traces[0]?.traceId;
      assert.ok(id);
      const { model } = opened(await api.traces.opener.open(id));
      assert.ok(model.rows.length > 0);
      assert.ok(model.source.includes(path.basename(entry[0])), model.source);
    }
  });

  it('rejects an invalid ID with the reason', async () => {
    const o = await api.traces.opener.open('4bf92f3577b34da6a3ce929d0e0e47');
    assert.equal(o.kind, 'invalid');
    assert.match((o as { message: string }).message, /16 or 32 hex characters; this has 30/);
  });

  it('says where it looked for an ID found nowhere', async () => {
    const o = await api.traces.opener.open('0123456789abcdef0123456789abcdef');
    assert.equal(o.kind, 'not-found');
    const msg = (o as { message: string }).message;
    assert.match(msg, /Trace 0123456789abcdef0123456789abcdef was not found\. Looked in \d+ trace file\(s\) matching traces\/\*\*, \*\*\/\*\.trace\.json in /);
  });

  it('uses the other files when one is malformed, and marks the bad one at its position', async () => {
    const good = fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'producers', 'otlp-json-from-otel-js-sdk.json'), 'utf8');
    fs.writeFileSync(path.join(ws, 'traces', 'fixture-good.json'), good);
    fs.writeFileSync(path.join(ws, 'traces', 'fixture-truncated.json'), good.slice(0, 3000));
    const truncated = vscode.Uri.file(path.join(ws, 'traces', 'fixture-truncated.json'));
    await waitFor(() => api.traces.traces.lookup('377dd776713a7e99e5c5cb475fbdc196').length === 2, 'the watcher indexes both new files');
    const { model } = opened(await api.traces.opener.open('377dd776713a7e99e5c5cb475fbdc196'));
    assert.equal(model.spanCount, 2);
    assert.match(model.source, /fixture-good\.json/);
    const diags = vscode.languages.getDiagnostics(truncated);
    assert.equal(diags.length, 1);
    assert.match(diags[0]?.message ?? '', /Not readable as a trace: Unterminated string.*truncated/);
    const lineOfCut = good.slice(0, 3000).split('\n').length;
    assert.equal(diags[0]?.range.start.line, lineOfCut - 1);
  });

  it('groups spans whose parent is missing, and survives parent cycles', async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'producers', 'otlp-json-from-otel-js-sdk.json'), 'utf8'));
    const spans = doc.resourceSpans[0].scopeSpans[0].spans;
    const traceId = 'feedfacefeedfacefeedfacefeedface';
    for (const s of spans) s.traceId = traceId;
    spans.push({ ...spans[0], spanId: '1111111111111111', parentSpanId: '9999999999999999', name: 'orphan' });
    spans.push({ ...spans[0], spanId: '2222222222222222', parentSpanId: '3333333333333333', name: 'cycle-a' });
    spans.push({ ...spans[0], spanId: '3333333333333333', parentSpanId: '2222222222222222', name: 'cycle-b' });
    fs.writeFileSync(path.join(ws, 'traces', 'fixture-orphans.json'), JSON.stringify(doc));
    await waitFor(() => api.traces.traces.lookup(traceId).length === 1, 'the watcher indexes the new file');
    const { model, panel } = opened(await api.traces.opener.open(traceId));
    const group = model.rows.find((r) => r.missingParent);
    assert.ok(group, 'a missing-parent group row');
    assert.equal(model.rows[model.rows.indexOf(group) + 1]?.name, 'orphan');
    assert.equal(model.rows.filter((r) => !r.missingParent).length, 5, 'every span is shown once');
    assert.ok(model.warnings.some((w) => /cycle/.test(w)));
    await rendered(panel, traceId);
  });

  it('jumps from a span to its line in the demo source (path from the production machine)', async () => {
    const o = opened(await api.traces.opener.open(stampedeId));
    const model = o.model;
    const details = await o.details();
    const index = details.findIndex((d) => d.code?.path && d.code.line);
    const row = { ...model.rows[index], code: details[index]?.code };
    assert.ok(row.code && model.rows[index]?.hasCode, 'a demo span with code.* attributes');
    assert.ok(!fs.existsSync(row.code.path ?? ''), `the span's path (${row.code.path}) is from another machine`);
    const result = await api.traces.navigator.open({ ...row.code, context: `span "${row.name}"` });
    assert.ok(result.opened, 'the file was found by path suffix');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.fsPath, result.opened.fsPath);
    assert.ok(editor.document.uri.fsPath.startsWith(ws), 'opened inside the workspace');
    assert.ok(row.code.path?.endsWith(path.basename(editor.document.uri.fsPath)));
    assert.equal(editor.selection.active.line, (row.code.line ?? 1) - 1);
    const fn = (row.code.function ?? '').split('.').pop() ?? '';
    assert.ok(editor.document.lineAt(editor.selection.active.line).text.includes(fn), `line ${row.code.line} declares ${fn}: "${editor.document.lineAt(editor.selection.active.line).text}"`);
  });

  it('opens a stack frame of an exception event', async () => {
    const details = await opened(await api.traces.opener.open(stampedeId)).details();
    const frame = details.flatMap((d) => d.events.flatMap((e) => e.exception?.stack ?? [])).find((l) => l.frame && !l.frame.path.includes('node_modules'))?.frame;
    assert.ok(frame, 'an exception with a frame in the demo source');
    const result = await api.traces.navigator.open({ ...frame, context: 'test frame' });
    assert.ok(result.opened);
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, frame.line - 1);
  });

  it('opens a trace file from outside the workspace, and names the position of a broken one', async () => {
    const fixture = path.join(repoRoot(), 'test', 'fixtures', 'producers', 'zipkin-v2-from-otel-js-exporter.json');
    const { model } = opened((await api.traces.opener.openFile(vscode.Uri.file(fixture))) ?? { kind: 'cancelled', message: 'no outcome' });
    assert.equal(model.traceId, '648d9eb667a5c070638d44c1e7d83dc7');
    assert.match(model.source, /zipkin-v2-from-otel-js-exporter\.json \(Zipkin v2\)/);
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-')), 'download.json');
    fs.writeFileSync(broken, fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'producers', 'otlp-json-from-otel-js-sdk.json'), 'utf8').slice(0, 3000));
    const o = await api.traces.opener.openFile(vscode.Uri.file(broken));
    assert.equal(o?.kind, 'unreadable');
    assert.match((o as { message: string }).message, /download\.json:\d+:\d+: Unterminated string.*truncated/);
  });

  // A settings change used to rebuild the index, and a rebuild dropped the watchers until its search was done:
  // the 50 MB file of the large-trace suite, written right after another suite reset a setting, was never seen.
  it('re-reads trace files only for trace settings, and sees a file written during a rebuild', async () => {
    const cfg = vscode.workspace.getConfiguration('oncall');
    const before = api.traces.traces.ensureIndexed();
    // Listeners run in the order they were added: when ours runs, the extension's has run.
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('oncall.http.timeoutSeconds')) return;
        sub.dispose();
        resolve();
      });
    });
    await cfg.update('http.timeoutSeconds', 7, vscode.ConfigurationTarget.Workspace);
    try {
      await changed;
      assert.equal(api.traces.traces.ensureIndexed(), before, 'a setting outside oncall.traces.* leaves the trace index alone');
    } finally {
      await cfg.update('http.timeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const late = path.join(ws, 'traces', 'fixture-late.json');
    const rebuilt = api.traces.traces.rebuild();
    fs.writeFileSync(late, fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'producers', 'zipkin-v2-from-otel-js-exporter.json')));
    try {
      await rebuilt;
      await waitFor(() => api.traces.traces.lookup('648d9eb667a5c070638d44c1e7d83dc7').some((f) => f === late), 'the file written during the rebuild is indexed');
    } finally {
      fs.rmSync(late, { force: true });
      await waitFor(() => api.traces.traces.entries().every(([p]) => p !== late), 'the trace index drops the removed file');
    }
  });

  it('says so when no workspace file matches, instead of opening anything', async () => {
    const result = await api.traces.navigator.open({ path: '/srv/nowhere/src/doesNotExist.ts', line: 3, function: 'Nope.nothing', context: 'test' });
    assert.equal(result.opened, undefined);
    assert.match((result as { reason: string }).reason, /No file in this workspace matches \/srv\/nowhere\/src\/doesNotExist\.ts/);
    const outside = await api.traces.navigator.open({ path: '/etc/passwd', context: 'test' });
    assert.equal(outside.opened, undefined, 'a path outside the workspace is never opened');
  });
});
