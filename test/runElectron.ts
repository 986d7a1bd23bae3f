// Runs the extension-host suite (out/test/suite) in a downloaded VS Code desktop through @vscode/test-electron.
// Only for machines that can download VS Code; everywhere else use `npm run test:host` (code-server), which runs
// the very same suite. Usage: `npm run test:electron` (ONCALL_VSCODE_VERSION picks a version, default stable).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..'); // out/test → repo root
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-electron-'));
  const workspace = path.join(runDir, 'workspace');
  const demo = path.join(repoRoot, 'demo');
  if (fs.existsSync(demo)) {
    fs.cpSync(demo, workspace, { recursive: true });
    // A git history whose tags are the demo's deploys, as scripts/test-host/host.mjs copyDemoWorkspace makes.
    const { makeDemoHistory } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'demo-git.mjs')).href)) as { makeDemoHistory: (dir: string) => unknown };
    makeDemoHistory(workspace);
  } else fs.mkdirSync(workspace);
  // The wire fixtures as `polyglot/`, and the real-world runbooks, as scripts/test-host/host.mjs copyTestFixtures does for code-server.
  const wire = path.join(repoRoot, 'test', 'fixtures', 'wire');
  if (fs.existsSync(wire)) fs.cpSync(wire, path.join(workspace, 'polyglot'), { recursive: true });
  const runbooks = path.join(repoRoot, 'test', 'fixtures', 'runbooks', 'prometheus-operator');
  for (const entry of fs.existsSync(runbooks) ? fs.readdirSync(runbooks, { withFileTypes: true }) : []) {
    if (entry.isDirectory()) fs.cpSync(path.join(runbooks, entry.name), path.join(workspace, 'runbooks', entry.name), { recursive: true });
  }
  try {
    await runTests({
      version: process.env.ONCALL_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite'),
      extensionTestsEnv: { ONCALL_TEST_WORKSPACE: workspace, ONCALL_REPO_ROOT: repoRoot },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(runDir, 'user-data')}`,
      ],
    });
  } finally {
    if (!process.env.ONCALL_KEEP_TMP) fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('Extension tests in VS Code desktop failed:', err instanceof Error ? err.message : err);
  console.error('(@vscode/test-electron downloads VS Code; where that is impossible, `npm run test:host` runs the same suite.)');
  process.exit(1);
});
