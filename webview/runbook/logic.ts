/**
 * The DOM-free parts of the runbook viewer: wording of the header, badges and tooltips, and which TOC entry is the
 * current section. Tested in Node (test/unit/runbooks/runbookView.test.ts).
 */
import type { RunbookLink } from '../../src/shared/protocol/runbook';

/** The note next to a disabled "Run in terminal" button (Restricted Mode). */
export const RESTRICTED_NOTE = 'Running commands is disabled in Restricted Mode — trust this workspace to run it';

/** The banner above the body of an untrusted workspace's runbook with commands. */
export const RESTRICTED_BANNER = 'This workspace is in Restricted Mode: "Run in terminal" is disabled. Copy still works; trust the workspace to run commands from here.';

/** `3 of 7 done`, `All 7 done`, or `` without checklist items. */
export function progressText(done: number, total: number): string {
  if (total === 0) return '';
  return done >= total ? `All ${total} done` : `${done} of ${total} done`;
}

/** Whole days from `YYYY-MM-DD` (UTC) to `now`, or undefined for a malformed date. */
export function daysSince(date: string, now: number): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2025-13-40 over into 2026: only dates that exist.
  if (new Date(t).toISOString().slice(0, 10) !== date) return undefined;
  return Math.floor((now - t) / 86_400_000);
}

/** `Reviewed 2024-05-01 (3 days ago)`, `Never reviewed` when there is no date. */
export function reviewedText(lastReviewed: string | undefined, now: number): string {
  if (!lastReviewed) return 'Never reviewed';
  const d = daysSince(lastReviewed, now);
  if (d === undefined || d < 0) return `Reviewed ${lastReviewed}`;
  const ago = d === 0 ? 'today' : d === 1 ? 'yesterday' : d < 60 ? `${d} days ago` : d < 730 ? `${Math.round(d / 30.44)} months ago` : `${Math.round(d / 365.25)} years ago`;
  return `Reviewed ${lastReviewed} (${ago})`;
}

/** `HH:MM:SS` in local time. */
export function clockTime(at: number): string {
  const d = new Date(at);
  const p = (n: number): string => String(n).padStart(2, '0');
  // UTC, as on the incident timeline: local clocks differ between the people in the incident channel.
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}

/** The badge of a command block after the host reports a run. */
export function ranBadge(at: number, exitCode: number | undefined): { readonly text: string; readonly tone: 'ok' | 'failed' | 'sent'; readonly title: string } {
  const time = clockTime(at);
  if (exitCode === undefined) return { text: `Sent to terminal ${time}`, tone: 'sent', title: `Sent to the terminal at ${time}; its exit code is not known` };
  if (exitCode === 0) return { text: `Exit 0 · ${time}`, tone: 'ok', title: `Finished at ${time} with exit code 0` };
  return { text: `Exit ${exitCode} · ${time}`, tone: 'failed', title: `Finished at ${time} with exit code ${exitCode}` };
}

/** The tooltip of a link: where it goes (the host opens it, the page never navigates). */
export function linkTitle(link: RunbookLink): string {
  switch (link.kind) {
    case 'external':
      return link.target.startsWith('mailto:') ? `Write to ${link.target.slice(7)}` : `Open ${link.target} (outside VS Code)`;
    case 'runbook':
      return `Open runbook ${link.target}${link.fragment ? `#${link.fragment}` : ''}`;
    case 'code':
      return `Open ${link.resolved ?? link.target}${link.line !== undefined ? `:${link.line}` : ''}`;
    case 'anchor':
      return `Go to #${link.target}`;
    case 'command':
      return `On-Call command: ${link.target}`;
  }
}

/** `problem`/`problems` count for the header. */
export function problemsText(n: number): string {
  return n === 1 ? '1 problem' : `${n} problems`;
}

/**
 * Index of the current section: the last heading whose top is at or above `line` (a position a little below the
 * top of the scroll area), 0 when none is yet; -1 without headings. `tops` is ascending.
 */
export function currentSection(tops: readonly number[], line: number): number {
  if (tops.length === 0) return -1;
  let lo = 0;
  let hi = tops.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((tops[mid] ?? 0) <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
