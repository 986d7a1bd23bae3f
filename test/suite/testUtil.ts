import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OnCallLensApi } from '../../src/extension';

export const extensionId = 'oncall-lens.oncall-lens';

export async function activateApi(): Promise<OnCallLensApi> {
  const ext = vscode.extensions.getExtension<OnCallLensApi | undefined>(extensionId);
  assert.ok(ext, `${extensionId} is installed`);
  const api = await ext.activate();
  assert.ok(api, 'activate() returned the API (activation failed otherwise: see the log)');
  return api;
}

/** The test workspace: a fresh copy of demo/ made by the runner. */
export function workspaceRoot(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri.fsPath;
}

/** The extension's repository (for fixtures and scripts). */
export function repoRoot(): string {
  return process.env['ONCALL_REPO_ROOT'] ?? path.resolve(__dirname, '..', '..', '..');
}

/** Polls until `check` is true; fails naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

/** The longest stretch the extension host's event loop was blocked while `work` ran (sampled every 10 ms). */
export async function maxEventLoopGap<T>(work: () => Promise<T>): Promise<{ result: T; maxGapMs: number }> {
  let last = Date.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    return { result, maxGapMs: Math.max(maxGapMs, Date.now() - last) };
  } finally {
    clearInterval(timer);
  }
}
