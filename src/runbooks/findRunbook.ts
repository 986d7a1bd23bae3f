import * as vscode from 'vscode';
import { matchRunbooks } from '../core/runbooks/alertMatch';
import { noIcons } from '../core/util/text';
import type { Logger } from '../platform/logger';
import type { LoadedRunbook, RunbookLibrary } from './runbookLibrary';

interface Pick extends vscode.QuickPickItem {
  readonly runbook?: LoadedRunbook;
  readonly paste?: boolean;
}

const PASTE_LABEL = '$(clippy) Use the alert notification on the clipboard';

/**
 * "Find Runbook for Alert…": type an alert name, or paste a whole notification (Alertmanager, Grafana, a Slack
 * message with labels). Items are ranked by our matcher (exact alert name, then fuzzy on alerts, titles and labels),
 * not by the quick pick's own filter. A multi-line notification can be read from the clipboard with one click,
 * since an input line flattens newlines.
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
    const byRunbook = new Map(all.map((l) => [l.runbook, l] as const));
    return matchRunbooks(
      text,
      all.map((l) => l.runbook),
    )
      .map((m) => ({ runbook: byRunbook.get(m.runbook), score: m.score, reason: m.reason }))
      .filter((m): m is { runbook: LoadedRunbook; score: number; reason: string } => m.runbook !== undefined);
  }

  private ask(): Promise<LoadedRunbook | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<Pick>();
      qp.title = 'Find Runbook for Alert';
      qp.placeholder = 'Alert name or pasted alert text, e.g. KubePodCrashLooping or "[FIRING:1] CheckoutLatencyHigh (service=checkout)"';
      qp.matchOnDescription = false;
      qp.matchOnDetail = false;
      let clipboardText = '';
      const update = (): void => {
        const text = qp.value.trim() || clipboardText;
        const ranked = text ? this.rank(text).slice(0, 30) : this.library.all().slice(0, 200).map((runbook) => ({ runbook, score: 0, reason: '' }));
        const items: Pick[] = ranked.map(({ runbook, reason }) => ({
          label: noIcons(runbook.runbook.title),
          description: noIcons(runbook.runbook.alerts.join(', ')),
          detail: noIcons([reason, runbook.displayPath].filter(Boolean).join(' · ')),
          runbook,
          alwaysShow: true,
        }));
        qp.items = [{ label: PASTE_LABEL, description: 'multi-line Alertmanager / Grafana text', paste: true, alwaysShow: true }, ...items];
        if (items[0]) qp.activeItems = [items[0]];
        qp.busy = false;
      };
      qp.onDidChangeValue(() => {
        clipboardText = '';
        update();
      });
      qp.onDidAccept(async () => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        if (item?.paste) {
          clipboardText = (await vscode.env.clipboard.readText()).slice(0, 64 * 1024);
          qp.value = '';
          this.log.info(`Find Runbook for Alert: matching ${clipboardText.length} characters from the clipboard`);
          update();
          qp.title = `Find Runbook for Alert — from the clipboard: ${firstLine(clipboardText)}`;
          return;
        }
        qp.hide();
        if (item?.runbook) {
          await this.open(item.runbook);
          resolve(item.runbook);
        } else resolve(undefined);
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
