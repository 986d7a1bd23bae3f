// Root hooks of the UI suite (loaded through test/ui/.mocharc.json `require`). When a test fails, each open
// workbench is photographed as test-results/screenshots/FAILED-<test>.png and its screen described in the log:
// CI keeps only the log, and "the palette did not open" says little without what was on screen instead.
import type { Context } from 'mocha';
import { openWorkbenches } from './workbench';

export const mochaHooks = {
  async afterEach(this: Context): Promise<void> {
    const test = this.currentTest;
    if (!test || test.state !== 'failed') return;
    const name = `FAILED-${test.fullTitle().replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80)}`;
    let i = 0;
    for (const wb of openWorkbenches) {
      const suffix = openWorkbenches.size > 1 ? `-${++i}` : '';
      const shot = await wb.screenshot(`${name}${suffix}`).catch((e: unknown) => `(no screenshot: ${String(e)})`);
      const screen = await wb.describeScreen().catch((e: unknown) => `(could not describe: ${String(e)})`);
      console.log(`\n    ── what the screen showed when "${test.title}" failed (${shot}):\n${screen.replace(/^/gm, '       ')}\n`);
    }
  },
};
