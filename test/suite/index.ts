// Extension-host test entry, the standard `run()` that both hosts call: code-server through
// scripts/test-host/run-extension-tests.mjs, and VS Code desktop through @vscode/test-electron (test/runElectron.ts).
// Runs every compiled `*.test.js` next to this file (out/test/suite/**).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Every `*.test.js` under `dir`, sorted so the order is the same on every machine. */
function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

export function run(): Promise<void> {
  // ONCALL_TEST_GREP runs only the tests whose full title matches (while working on one capability).
  const grep = process.env['ONCALL_TEST_GREP'];
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = findTests(__dirname);
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files under ${__dirname}`));
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
