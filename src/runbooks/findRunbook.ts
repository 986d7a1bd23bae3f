import * as vscode from 'vscode';
import { matchRunbooks } from '../core/runbooks/alertMatch';
import { noIcons } from '../core/util/text';
import type { Logger } from '../platform/logger';
import type { LoadedRunbook, RunbookLibrary } from './runbookLibrary';

interface Pick extends vscode.QuickPickItem {
  readonly runbook?: LoadedRunbook;
}

/**
 * "Find Runbook for Alert…": type an alert name, or paste a whole notification (Alertmanager, Grafana, a Slack
 * message with labels). Items are ranked by our matcher (exact alert name, then fuzzy on alerts, titles and labels),
 * not by the quick pick's own filter. A multi-line notification can be read from the clipboard with the title
 * button, since an input line flattens newlines.
 */
export class FindRunbook {
  constructor(
    private readonly library: RunbookLibrary,
    private readonly open: (rb: LoadedRunbook) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** With `text` (a command argument), opens the best match without asking; otherwise asks. */
  async run(text?: string): Promise<LoadedRunbook | undefined> {
    await this.library.ensure();
    if (typeof text === 'string' && text.trim() !== '') {
      const best = this.rank(text)[0];
      if (!best) {
        void vscode.window.showWarningMessage(`No runbook matches "${firstLine(text)}". Runbooks are read from runbooks/ and the folders in oncall.yaml.`);
        return undefined;
      }
      await this.open(best.runbook);
      return best.runbook;
    }
    return this.ask();
  }

  /** Ranked matches of an alert text (exported for tests through the API). */
  rank(text: string): { runbook: LoadedRunbook; score: number; reason: string }[] {
    const all = this.library.all();
    const ranked = this.alertMatches(text, all);
    const seen = new Set(ranked.map((r) => r.runbook));
    return [...ranked, ...this.byWords(text).filter((r) => !seen.has(r.runbook))];
  }

  private alertMatches(text: string, all: readonly LoadedRunbook[]): { runbook: LoadedRunbook; score: number; reason: string }[] {
    const byRunbook = new Map(all.map((l) => [l.runbook, l] as const));
    return matchRunbooks(
      text,
      all.map((l) => l.runbook),
    )
      .map((m) => ({ runbook: byRunbook.get(m.runbook), score: m.score, reason: m.reason }))
      .filter((m): m is { runbook: LoadedRunbook; score: number; reason: string } => m.runbook !== undefined);
  }

  /**
   * Typed words, as in the view's filter (every word in the title, alerts, services, tags or path), for what the
   * alert matcher does not rank: "first 30 minutes", "stampede". Listed after the alert matches.
   */
  private byWords(text: string): { runbook: LoadedRunbook; score: number; reason: string }[] {
    if (text.length > 200 || text.includes('\n')) return []; // a pasted notification: the matcher's job
    return this.library
      .filter(
        this.library.all().filter((r) => !r.runbook.isSectionIndex),
        text,
      )
      .map((runbook) => ({ runbook, score: 1, reason: 'title or tags match' }));
  }

  private ask(): Promise<LoadedRunbook | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<Pick>();
      qp.title = 'Find Runbook for Alert';
      qp.placeholder = 'Alert name or pasted alert text, e.g. KubePodCrashLooping or "[FIRING:1] CheckoutLatencyHigh (service=checkout)"';
      qp.matchOnDescription = false;
      qp.matchOnDetail = false;
      // A title button, not a list item: Enter always opens a runbook, never reads the clipboard by surprise.
      const paste: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('clippy'), tooltip: 'Use the alert notification on the clipboard (multi-line Alertmanager / Grafana text)' };
      qp.buttons = [paste];
      let clipboardText = '';
      const update = (): void => {
        const text = qp.value.trim() || clipboardText;
        const ranked = text
          ? this.rank(text).slice(0, 30)
          : this.library
              .all()
              .filter((r) => !r.runbook.isSectionIndex)
              .slice(0, 200)
              .map((runbook) => ({ runbook, score: 0, reason: '' }));
        const items: Pick[] = ranked.map(({ runbook, reason }) => ({
          label: noIcons(runbook.runbook.title),
          description: noIcons(runbook.runbook.alerts.join(', ')),
          detail: noIcons([reason, runbook.displayPath].filter(Boolean).join(' · ')),
          runbook,
          alwaysShow: true,
        }));
        qp.items = items;
        if (items[0]) qp.activeItems = [items[0]];
      };
      qp.onDidChangeValue(() => {
        clipboardText = '';
        qp.title = 'Find Runbook for Alert';
        update();
      });
      qp.onDidTriggerButton(async (b) => {
        if (b !== paste) return;
        clipboardText = (await vscode.env.clipboard.readText()).slice(0, 64 * 1024);
        this.log.info(`Find Runbook for Alert: matching ${clipboardText.length} characters from the clipboard`);
        qp.value = '';
        clipboardText = clipboardText.trim();
        qp.title = clipboardText ? `Find Runbook for Alert — from the clipboard: ${firstLine(clipboardText)}` : 'Find Runbook for Alert — the clipboard is empty';
        update();
      });
      qp.onDidAccept(async () => {
        const item = qp.activeItems[0] ?? qp.selectedItems[0];
        if (!item?.runbook) return;
        qp.hide();
        await this.open(item.runbook);
        resolve(item.runbook);
      });
      qp.onDidHide(() => {
        qp.dispose();
        resolve(undefined);
      });
      update();
      qp.show();
    });
  }
}

function firstLine(text: string): string {
  const line = text.trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
