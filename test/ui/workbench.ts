// Typed helpers for UI tests (what a person sees): a real VS Code 1.139 workbench served by code-server, with the
// extension installed as a user would have it (no smoke-test driver, so notification toasts show), driven by
// Debian's Chromium through playwright-core. Run through `npm run test:ui` (scripts/test-host/run-ui-tests.mjs).
//
//   let wb: Workbench;
//   before(async () => { wb = await openWorkbench(); });
//   after(async () => { await wb?.close(); });
//   it('…', async () => { await wb.runCommand('On-Call: Open Trace'); await wb.screenshot('open-trace'); });
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';

/** What this file uses of scripts/test-host/host.mjs (plain ESM, loaded with a real dynamic import). */
interface CodeServer {
  url: string;
  port: number;
  logFile: string;
  logTail(): string;
  kill(): Promise<void>;
}
interface HostModule {
  installProcessGuards(options?: { errors?: boolean }): void;
  ensureTestHost(): Promise<{ dir: string; node: string; codeServer: string }>;
  makeRunDir(prefix: string): string;
  removeRunDir(dir: string): void;
  copyDemoWorkspace(dest: string, repoRoot?: string): Promise<string>;
  copyTestFixtures(workspace: string, repoRoot?: string): string;
  linkExtension(extensionsDir: string, extRoot?: string): string;
  startCodeServer(options: {
    workspace: string;
    userDataDir: string;
    extensionsDir: string;
    smokeDriver?: boolean;
    env?: Record<string, string>;
    settings?: Record<string, unknown>;
    workspaceTrust?: boolean;
  }): Promise<CodeServer>;
  launchChromium(options?: { headless?: boolean }): Promise<Browser>;
}

/** The repository root (out/test/ui → ../../..), or ONCALL_REPO_ROOT. */
export const REPO_ROOT = process.env.ONCALL_REPO_ROOT ?? path.resolve(__dirname, '..', '..', '..');

// TypeScript compiles `import()` to `require()` under CommonJS; this keeps a real ESM import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function loadHost(): Promise<HostModule> {
  const host = (await importEsm(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'test-host', 'host.mjs')).href)) as HostModule;
  host.installProcessGuards({ errors: false }); // mocha reports uncaught errors itself
  return host;
}

export interface OpenWorkbenchOptions {
  /** Extra user settings for this workbench. */
  settings?: Record<string, unknown>;
  /** Viewport size of the page (and so of the screenshots). */
  viewport?: { width: number; height: number };
  /** Workspace Trust on: the workspace opens in Restricted Mode (untrusted), without the startup prompt. */
  restricted?: boolean;
}

/** The workbenches open now: the root hook in hooks.ts describes the screen of each when a test fails. */
export const openWorkbenches = new Set<Workbench>();

export class Workbench {
  constructor(
    /** The workbench page. */
    readonly page: Page,
    /** The fresh copy of demo/ this workbench has open. */
    readonly workspace: string,
    private readonly server: CodeServer,
    private readonly browser: Browser,
    private readonly runDir: string,
    private readonly host: HostModule,
  ) {}

  /**
   * Runs a command-palette command by its title as shown there (e.g. "On-Call: Open Trace").
   * `expect`: what the command shows (e.g. its quick input); when it does not appear within `expectTimeoutMs` the
   * command is run again — under load a webview can take the focus and close the palette just as the row is picked,
   * and then the command never ran.
   */
  async runCommand(title: string, options: { attempts?: number; expect?: Locator; expectTimeoutMs?: number } = {}): Promise<void> {
    const attempts = options.attempts ?? 10;
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    const noMatch = this.page.locator('.quick-input-widget', { hasText: 'No matching commands' });
    const fail = async (why: string): Promise<never> => {
      throw new Error(`${why}\nthe screen showed:\n${await this.describeScreen().catch((e: unknown) => String(e))}`);
    };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt === Math.ceil(attempts / 2) + 1) {
        // Half the tries failed: the workbench is stuck in a state F1 does not get out of (CI has seen a palette that
        // opened without rows, for every command). Say what it showed, then reload the window and go on.
        console.log(`    [workbench] "${title}": ${attempt - 1} tries failed; reloading the window. The screen showed:\n${(await this.describeScreen().catch((e: unknown) => String(e))).replace(/^/gm, '      ')}`);
        await this.reload();
      }
      // A modifier left pressed (a test that failed between keyboard.down and up) would turn F1 into Shift+F1.
      for (const key of ['Shift', 'Control', 'Alt', 'Meta']) await this.page.keyboard.up(key).catch(() => undefined);
      // A quick input left open (one that ignores focus loss) is closed first.
      for (let i = 0; i < 3 && (await this.escapeQuickInput()); i++) await this.page.waitForTimeout(200);
      // A quick input that is still closing (after Escape) is `inert` until its animation ends: F1 then reopens an
      // input nobody can type into. Wait for it to finish closing.
      await this.page.locator('.quick-input-widget-closing').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
      await this.focusWorkbench(attempt);
      await this.page.keyboard.press('F1');
      // Under load a webview that finishes loading can take the focus back and close the palette as it opens:
      // then open it again instead of waiting out the whole timeout.
      const opened = await input
        .waitFor({ state: 'visible', timeout: 10_000 })
        .then(() => input.fill(`>${title}`, { timeout: 5_000 }))
        .then(() => true)
        .catch(() => false);
      if (!opened) {
        await this.closeQuickInput();
        if (attempt === attempts) await fail(`the command palette did not stay open to run "${title}" (${attempts} tries)`);
        await this.page.waitForTimeout(500 * attempt);
        continue;
      }
      // The palette's list may have been built before the extension registered its commands: then it says
      // "No matching commands" and has to be closed and opened again.
      let found = false;
      for (let i = 0; i < 50 && !found; i++) {
        found = await row.isVisible();
        if (!found && (await noMatch.count()) > 0) break;
        if (!found) await this.page.waitForTimeout(100);
      }
      if (found) {
        // Enter only while the palette's box has the keys: a webview that loads meanwhile (a panel restored after a
        // reload) can take the focus, and the Enter then lands in its page (CI: a newline in a restored draft).
        // Otherwise a click on the row, which goes to the row whoever has the focus.
        const focused = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title });
        const boxHasKeys = await input.evaluate('(e) => e === document.activeElement').catch(() => false);
        if ((await focused.count()) > 0 && boxHasKeys) await this.page.keyboard.press('Enter');
        else if (!(await row.click({ timeout: 5_000 }).then(() => true).catch(() => false))) {
          if (attempt === attempts) await fail(`the command palette closed before "${title}" could be picked (${attempts} tries)`);
          await this.closeQuickInput();
          await this.page.waitForTimeout(500 * attempt);
          continue;
        }
        // Done when the palette has gone, or turned into the command's own input (a value without the '>').
        for (let i = 0; i < 50; i++) {
          if (!(await input.isVisible()) || !(await input.inputValue()).startsWith('>')) break;
          await this.page.waitForTimeout(100);
        }
        if (!options.expect) return;
        const shown = await options.expect
          .waitFor({ state: 'visible', timeout: options.expectTimeoutMs ?? 10_000 })
          .then(() => true)
          .catch(() => false);
        if (shown) return;
        if (attempt === attempts) await fail(`"${title}" ran ${attempts} times but what it shows never appeared`);
        await this.closeQuickInput();
        await this.page.waitForTimeout(500 * attempt);
        continue;
      }
      const why = (await noMatch.count()) > 0 ? '"No matching commands"' : 'no matching row';
      if (attempt === attempts) await fail(`command "${title}" not found in the command palette (${why} after ${attempts} tries)`);
      await this.closeQuickInput();
      await this.page.waitForTimeout(500 * attempt);
    }
  }

  /**
   * Presses Escape in the quick input, only when its box has the keys; says whether a quick input was shown.
   * A locator's press() focuses the box first, but a box still closing (after Enter in "Go to Line") is `inert`
   * and does not take the focus: the key then went to the editor and collapsed the selection a test had just made
   * (CI: "Add Selection to Notebook" read priceCache.ts:32 instead of :30-31).
   */
  private async escapeQuickInput(): Promise<boolean> {
    await this.page.locator('.quick-input-widget-closing').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    const box = this.page.locator('.quick-input-widget .quick-input-box input').first();
    if (!(await box.isVisible().catch(() => false))) return false;
    await box.focus({ timeout: 2_000 }).catch(() => undefined);
    if (await box.evaluate('(e) => e === document.activeElement').catch(() => false)) await this.page.keyboard.press('Escape');
    return true;
  }

  /**
   * Before a retry: closes the quick input, or a workbench dialog or menu that is shown. Nothing else gets an
   * Escape: in a text editor it collapses the selection a retried command reads, and in a webview it closes what the
   * page has open (CI: the notebook's restored draft form, closed by the retry of "Show Incident Notebook").
   */
  private async closeQuickInput(): Promise<void> {
    if (await this.escapeQuickInput()) return;
    const overlay = this.page.locator('.monaco-dialog-box, .context-view .monaco-menu').first();
    if (await overlay.isVisible().catch(() => false)) await this.page.keyboard.press('Escape');
  }

  /** Reloads the window (a fresh workbench page on the same server and workspace) and waits until it is ready. */
  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitForWorkbench(this.page);
  }

  /** Opens the On-Call sidebar with only the view `title` expanded (the others collapsed, so its rows have room). */
  async showOnlyView(title: string): Promise<void> {
    // Clicking the activity-bar icon of the container already shown would hide the sidebar.
    const shown = await this.page.locator('.part.sidebar .composite.title', { hasText: 'On-Call' }).first().isVisible().catch(() => false);
    if (!shown) await this.page.locator('.part.activitybar .action-item a.action-label[aria-label*="On-Call"]').first().click();
    const header = this.page.locator('.pane-header', { hasText: title }).first();
    await header.waitFor({ state: 'visible', timeout: 30_000 });
    for (const h of await this.page.locator('.part.sidebar .pane-header').all()) {
      const text = (await h.innerText()).split('\n')[0]?.trim() ?? '';
      if (text.toLowerCase() !== title.toLowerCase() && (await h.getAttribute('aria-expanded')) === 'true') await h.click();
    }
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  }

  /** Texts of the notification toasts currently shown. */
  async notificationTexts(): Promise<string[]> {
    const texts = await this.page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
    return texts.map((t) => t.trim());
  }

  /** Waits for a notification toast whose text matches `pattern` and returns that text. */
  async waitForNotification(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await this.notificationTexts();
      const hit = seen.find((t) => pattern.test(t));
      if (hit !== undefined) return hit;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no notification matching ${pattern} within ${timeoutMs} ms; shown: ${JSON.stringify(seen)}`);
  }

  /**
   * The DOM of a webview: the inner `#active-frame` of its two nested iframes. Without an argument: the last visible
   * webview. A number picks among all loaded webviews in DOM order. A string picks the webview of the editor tab
   * (activating that tab) or of the view with that title, matched by where it is drawn on screen.
   */
  async webview(titleOrIndex?: string | number): Promise<FrameLocator> {
    const frames = this.page.locator('iframe.webview.ready');
    if (typeof titleOrIndex === 'number') return frames.nth(titleOrIndex).contentFrame().frameLocator('#active-frame');
    if (titleOrIndex === undefined) {
      const visible = this.page.locator('iframe.webview.ready:visible').last();
      await visible.waitFor({ state: 'visible', timeout: 30_000 });
      return visible.contentFrame().frameLocator('#active-frame');
    }
    const title = titleOrIndex;
    const tab = this.page.locator(`.tab[aria-label=${JSON.stringify(title)}]`).first();
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) }).first();
    let area;
    if ((await tab.count()) > 0) {
      await tab.click();
      area = this.page.locator('.editor-group-container', { has: tab }).locator('.editor-container').first();
    } else if ((await pane.count()) > 0) {
      area = pane.locator('.pane-body');
    } else {
      throw new Error(`no editor tab or view titled "${title}"`);
    }
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const box = await area.boundingBox();
      for (const frame of await this.page.locator('iframe.webview.ready:visible').all()) {
        const f = await frame.boundingBox();
        const name = await frame.getAttribute('name');
        if (!box || !f || !name) continue;
        const cx = f.x + f.width / 2;
        const cy = f.y + f.height / 2;
        if (cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height) {
          return this.page.locator(`iframe.webview.ready[name=${JSON.stringify(name)}]`).contentFrame().frameLocator('#active-frame');
        }
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no visible webview drawn over "${title}" within 30 s`);
  }

  /** Saves a PNG of the page as test-results/screenshots/<name>.png under the repo and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(REPO_ROOT, 'test-results', 'screenshots', `${name}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The last lines code-server printed (for failure messages). */
  serverLogTail(): string {
    return this.server.logTail();
  }

  /**
   * What the screen shows, in words, for a failure message (CI keeps only the log): the quick input with its title,
   * value and first rows, dialogs, notification toasts, editor tabs and the focused element.
   */
  async describeScreen(): Promise<string> {
    const p = this.page;
    const lines: string[] = [];
    const text = async (sel: string, max = 200): Promise<string[]> =>
      (await p.locator(sel).allInnerTexts().catch(() => [] as string[])).map((t) => t.replace(/\s+/g, ' ').trim().slice(0, max)).filter((t) => t !== '');
    const widget = p.locator('.quick-input-widget').first();
    if (await widget.isVisible().catch(() => false)) {
      const value = await p.locator('.quick-input-widget .quick-input-box input').first().inputValue().catch(() => '?');
      lines.push(`quick input: title ${JSON.stringify((await text('.quick-input-widget .quick-input-title'))[0] ?? '')}, value ${JSON.stringify(value)}`);
      for (const r of (await text('.quick-input-widget .quick-input-list .monaco-list-row')).slice(0, 6)) lines.push(`  row: ${r}`);
      for (const m of await text('.quick-input-widget .quick-input-message')) lines.push(`  message: ${m}`);
    } else {
      lines.push(`quick input: hidden${(await p.locator('.quick-input-widget-closing').count().catch(() => 0)) > 0 ? ' (closing)' : ''}`);
    }
    for (const d of await text('.monaco-dialog-box', 400)) lines.push(`dialog: ${d}`);
    for (const n of await text('.notifications-toasts .notification-toast .notification-list-item-message')) lines.push(`notification: ${n}`);
    lines.push(`editor tabs: ${(await text('.tabs-container .tab .label-name', 60)).join(' | ') || '(none)'}`);
    // A string, so the test code needs no DOM typings.
    const focused = await p
      .evaluate<string>(
        `(() => { const e = document.activeElement; if (!e) return 'none'; const c = typeof e.className === 'string' ? e.className.trim().split(/\\s+/).slice(0, 3).join('.') : ''; return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (c ? '.' + c : ''); })()`,
      )
      .catch(() => '?');
    lines.push(`focused: ${focused}`);
    return lines.join('\n');
  }

  /** Closes the browser, kills code-server's process group and removes the temp run dir. */
  async close(): Promise<void> {
    openWorkbenches.delete(this);
    await this.browser.close().catch(() => undefined);
    await this.server.kill();
    this.host.removeRunDir(this.runDir);
  }

  /**
   * Takes the keyboard focus back to the workbench (out of a webview that took it) without clicking into an editor's
   * text: a click there can land on a code lens and run it (it once opened a Runbooks quick pick that then swallowed
   * the palette's input). Then clicks the active text editor's tab, or the empty editor area when no editor is open.
   */
  private async focusWorkbench(attempt: number): Promise<void> {
    // Blurring a webview's iframe from outside does not always take the keys back from it (F1 then goes to the page
    // inside): focusing an activity-bar item does, and focusing runs nothing.
    // After blur() the page says the body has the focus, but the keys may still go to the frame's own document: so
    // the activity bar takes the focus whenever a frame had it, not only when it still seems to.
    await this.page
      .evaluate(
        `(() => { const e = document.activeElement; const frame = !!e && e.tagName === 'IFRAME';
          if (e && e !== document.body && typeof e.blur === 'function') e.blur();
          if (frame || (document.activeElement && document.activeElement.tagName === 'IFRAME')) document.querySelector('.part.activitybar .action-item .action-label')?.focus(); })()`,
      )
      .catch(() => undefined);
    if (attempt === 1) return;
    const group = this.page.locator('.part.editor .editor-group-container.active');
    const tab = group.locator('.tab.active').first();
    if (await tab.isVisible().catch(() => false)) {
      // A webview's tab (no text editor in the group) would hand the focus back to the webview's page.
      if ((await group.locator('.monaco-editor').count().catch(() => 0)) > 0) await tab.click({ timeout: 5_000 }).catch(() => undefined);
      return;
    }
    if ((await this.page.locator('.part.editor .monaco-editor').count()) > 0) return; // an editor without a tab bar: do not click its text
    const box = await this.page.locator('.part.editor').boundingBox();
    if (box) await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

}

/** Waits until the workbench page shows its parts and has activated its start-up extensions. */
async function waitForWorkbench(page: Page): Promise<void> {
  for (const part of ['.part.activitybar', '.part.editor', '.part.statusbar']) {
    await page.locator(`.monaco-workbench ${part}`).first().waitFor({ state: 'visible', timeout: 60_000 });
  }
  // The explorer shows the workspace once the remote file system answers (when the Explorer is the view shown).
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 20_000 }).catch(() => undefined);
  // Start-up extensions (ours included) are activated when "Activating Extensions..." leaves the status bar.
  await page
    .locator('.part.statusbar', { hasText: 'Activating Extensions' })
    .waitFor({ state: 'detached', timeout: 30_000 })
    .catch(() => undefined);
}

/**
 * Starts code-server (fresh user data, the extension symlinked into a fresh extensions dir, a fresh copy of demo/
 * as the workspace) and Chromium, loads the workbench and waits until it is ready.
 * The extension installed is the repo's, or the one at ONCALL_UI_EXTENSION_PATH.
 */
export async function openWorkbench(options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const host = await loadHost();
  await host.ensureTestHost();
  const runDir = host.makeRunDir('ui');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const workspace = host.copyTestFixtures(await host.copyDemoWorkspace(path.join(runDir, 'workspace'), REPO_ROOT), REPO_ROOT);
    const extensionsDir = path.join(runDir, 'extensions');
    host.linkExtension(extensionsDir, process.env.ONCALL_UI_EXTENSION_PATH ?? REPO_ROOT);
    server = await host.startCodeServer({
      workspace,
      extensionsDir,
      userDataDir: path.join(runDir, 'user-data'),
      env: { ONCALL_TEST_WORKSPACE: workspace, ONCALL_REPO_ROOT: REPO_ROOT },
      workspaceTrust: options.restricted === true,
      settings: { 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden', ...options.settings },
    });
    browser = await host.launchChromium();
    // Clipboard access granted: the workbench reads it for paste and `vscode.env.clipboard` (headless would refuse).
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitForWorkbench(page);
    const wb = new Workbench(page, workspace, server, browser, runDir, host);
    openWorkbenches.add(wb);
    return wb;
  } catch (err) {
    const log = server ? `\ncode-server log, last lines:\n${server.logTail()}` : '';
    await browser?.close().catch(() => undefined);
    await server?.kill();
    host.removeRunDir(runDir);
    throw new Error(`openWorkbench failed: ${err instanceof Error ? err.message : String(err)}${log}`);
  }
}
