import * as vscode from 'vscode';
import * as os from 'node:os';
import { execFile } from 'node:child_process';
import type { NewIncidentInit } from '../core/notebook/incident';
import type { DetectedBy, Severity } from '../core/notebook/model';
import { toUtc } from '../core/notebook/model';
import { parseStartTime } from '../core/notebook/times';

/** git's user.name in the workspace, else the OS user: who is probably the incident commander. */
export function defaultCommander(cwd: string | undefined): Promise<string> {
  const fallback = (): string => {
    try {
      return os.userInfo().username;
    } catch {
      return '';
    }
  };
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd: cwd ?? os.homedir(), timeout: 3_000, windowsHide: true }, (err, out) => resolve(!err && out.trim() !== '' ? out.trim() : fallback()));
  });
}

const SEVERITY_ITEMS: readonly (vscode.QuickPickItem & { severity: Severity })[] = [
  { label: 'SEV-1', description: 'critical', detail: 'Customers broadly cannot use the product, data loss, or security breach', severity: 'SEV-1' },
  { label: 'SEV-2', description: 'major', detail: 'A major feature is down or badly degraded for many customers', severity: 'SEV-2' },
  { label: 'SEV-3', description: 'minor', detail: 'Partial degradation, a workaround exists, or few customers affected', severity: 'SEV-3' },
];

const DETECTED_ITEMS: readonly (vscode.QuickPickItem & { detectedBy: DetectedBy })[] = [
  { label: '$(bell) An alert', description: 'paged by monitoring', detectedBy: 'alert' },
  { label: '$(person) A person', description: 'an engineer noticed', detectedBy: 'human' },
  { label: '$(comment) A customer', description: 'a ticket or a report', detectedBy: 'customer' },
];

export interface StartIncidentOptions {
  /** Offered as the commander. */
  readonly commander: string;
  /** Alert names known from the runbooks, offered when it was an alert. */
  readonly alerts: readonly string[];
  readonly now?: () => Date;
}

/**
 * "On-Call: Start Incident…": title, severity, commander, how it was detected (and which alert), and when it
 * started (UTC, now by default). Escape at any step cancels; nothing is created until the last step.
 */
export async function askNewIncident(options: StartIncidentOptions): Promise<NewIncidentInit | undefined> {
  const step = (n: number): string => `Start Incident (${n}/5)`;
  const title = await vscode.window.showInputBox({
    title: step(1),
    prompt: 'What is happening, as customers see it',
    placeHolder: 'e.g. Checkout returns 502 for a third of requests',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'A short title is needed' : v.length > 200 ? 'At most 200 characters' : undefined),
  });
  if (title === undefined) return undefined;
  const sev = await vscode.window.showQuickPick(SEVERITY_ITEMS, { title: step(2), placeHolder: 'Severity', ignoreFocusOut: true });
  if (!sev) return undefined;
  const commander = await vscode.window.showInputBox({ title: step(3), prompt: 'Incident commander (IC)', value: options.commander, ignoreFocusOut: true, validateInput: (v) => (v.trim() === '' ? 'Who leads the response?' : undefined) });
  if (commander === undefined) return undefined;
  const detected = await vscode.window.showQuickPick(DETECTED_ITEMS, { title: step(4), placeHolder: 'How was it detected?', ignoreFocusOut: true });
  if (!detected) return undefined;
  let alert: string | undefined;
  if (detected.detectedBy === 'alert') {
    alert = await pickAlert(options.alerts);
    if (alert === undefined) return undefined;
  }
  const now = options.now ?? (() => new Date());
  const started = await vscode.window.showInputBox({
    title: step(5),
    prompt: 'When did it start (UTC)? Empty is now; also 03:12, -15m, 2026-11-24 03:12',
    value: '',
    placeHolder: `now (${toUtc(now())})`,
    ignoreFocusOut: true,
    validateInput: (v) => (parseStartTime(v, now()) ? undefined : 'A UTC time like 03:12 or 2026-11-24 03:12, or -15m; not in the future'),
  });
  if (started === undefined) return undefined;
  return { title: title.trim(), severity: sev.severity, commander: commander.trim(), detectedBy: detected.detectedBy, alert: alert || undefined, started: parseStartTime(started, now()) ?? toUtc(now()) };
}

/** The alert that paged: typed, or one the runbooks know. Empty is allowed (not known yet). */
async function pickAlert(alerts: readonly string[]): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick();
  pick.title = 'Start Incident (4/5): which alert?';
  pick.placeholder = 'Type or pick the alert name (Enter with nothing: not known yet)';
  pick.ignoreFocusOut = true;
  const known = [...new Set(alerts)].sort().map((a) => ({ label: a.replace(/\$\(/g, '$\u200b(') }));
  pick.items = known;
  pick.onDidChangeValue((v) => {
    const t = v.trim();
    pick.items = t === '' || known.some((k) => k.label === t) ? known : [{ label: t, description: 'as typed', alwaysShow: true }, ...known];
  });
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: string | undefined): void => {
      if (done) return;
      done = true;
      resolve(v);
      pick.dispose();
    };
    pick.onDidAccept(() => finish((pick.selectedItems[0]?.label ?? pick.activeItems[0]?.label ?? pick.value.trim()).replace(/\u200b/g, '')));
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}
