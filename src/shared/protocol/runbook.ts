/**
 * The message protocol of the runbook viewer, shared by the host (`src/runbooks/`, the panel) and the browser code
 * (`webview/runbook/`), and the shapes `renderRunbook` (src/core/runbooks/render.ts) produces.
 *
 * Security: a runbook is untrusted Markdown from a repository. The host renders it to sanitized HTML (no raw HTML,
 * no `href`s, no event handlers) and keeps the render result; the webview is untrusted in turn and names links,
 * checklist items and commands **only by ID**. It never sends a URL, a path or command text back: the host looks the
 * ID up in its own render result, so a compromised view can neither open what the host did not render nor run
 * arbitrary text. Running a command also needs Workspace Trust and the user's confirmation every time (host side).
 */

/** `external`: http(s)/mailto, opened through VS Code's link handling. `runbook`: another runbook (`.md`, a Hugo
 * `ref`/`relref`, or an extension-less path). `code`: any other workspace file, at a line when given. `anchor`: a
 * heading of this runbook. `command`: one of the On-Call commands runbooks may link (src/core/runbooks/commandLinks.ts),
 * run without arguments. */
export type RunbookLinkKind = 'external' | 'runbook' | 'code' | 'anchor' | 'command';

/** A link of the rendered runbook; the HTML carries only `<a href="#" data-link="{id}">`. */
export interface RunbookLink {
  /** Index into `links`, as in `data-link`. */
  readonly id: number;
  readonly kind: RunbookLinkKind;
  /**
   * `external`: the normalized URL. `command`: the command ID. `runbook` / `code`: the path as written (percent-decoded, without `:line`,
   * `#fragment` or `?query`). `anchor`: the heading slug (without `#`).
   */
  readonly target: string;
  /** `runbook` / `code`: the target resolved against the runbook's folder (posix, normalized); absent when it
   * climbs above the root, or for root-relative paths (`/x.md`), which the host resolves itself. */
  readonly resolved?: string;
  /** `code`: 1-based line (`x.go:42`, `x.go#L42`); `runbook`: a `:line` suffix when written. */
  readonly line?: number;
  /** `code`: 1-based column (`x.go:42:7`). */
  readonly column?: number;
  /** `runbook`: the heading slug after `#` (`other.md#mitigation`). */
  readonly fragment?: string;
  /** The link came from a Hugo `{{< ref >}}` / `{{< relref >}}` shortcode (resolved by name within the runbook roots). */
  readonly hugo?: boolean;
}

/** A heading, in document order. */
export interface RunbookTocEntry {
  /** 1–6. */
  readonly level: number;
  /** Plain text of the heading. */
  readonly title: string;
  /** GitHub-style slug, unique within the runbook: the heading's `id`. */
  readonly slug: string;
  /** 1-based line in the file. */
  readonly line: number;
}

/** A task-list item (`- [ ] x`), rendered as `<input type="checkbox" data-check="{id}">`. */
export interface RunbookCheck {
  /** Stable across edits of other items: a hash of the item's text, plus `-N` for its N-th repeat. */
  readonly id: string;
  /** The item's first paragraph as written (Markdown), whitespace collapsed. */
  readonly text: string;
  /** 1-based line in the file. */
  readonly line: number;
  /** `[x]` in the file. */
  readonly initiallyChecked: boolean;
}

/** A shell code block (`sh`, `bash`, `shell`, `zsh`, `console`, or unlabelled with `$ ` prompts): `data-command="{id}"`. */
export interface RunbookCommand {
  /** Index into `commands`. */
  readonly id: number;
  /** What "Copy" / "Run in terminal" use: prompts (`$ `) stripped, output lines of prompted blocks left out. */
  readonly code: string;
  /** The fence's language, lower-case (`''` when unlabelled). */
  readonly lang: string;
  /** 1-based line of the block's opening fence in the file. */
  readonly line: number;
}

/** What the header says about the runbook (from the parsed {@link Runbook} of src/core/runbooks/model.ts). */
export interface RunbookMeta {
  readonly title: string;
  /** Workspace-relative path (posix), or the built-in's name. */
  readonly file: string;
  readonly alerts: readonly string[];
  readonly services: readonly string[];
  readonly owner?: string;
  readonly severity?: string;
  /** `YYYY-MM-DD`. */
  readonly lastReviewed?: string;
  /** `lastReviewed` is older than `oncall.runbooks.staleAfterDays` (or missing, if the host says so). */
  readonly stale: boolean;
  /** Problems found in the file (shown in the Problems panel). */
  readonly problems: number;
  readonly origin: 'workspace' | 'builtin';
}

/** A checklist item with its ticked state for the current incident. */
export interface RunbookCheckState extends RunbookCheck {
  readonly checked: boolean;
}

/** Host → webview. */
export type RunbookHostToWebview =
  /** The runbook to show (sent after `ready`, and again when the file changes). */
  | {
      readonly type: 'show';
      readonly runbook: RunbookMeta;
      /** Sanitized HTML from `renderRunbook`. */
      readonly html: string;
      readonly toc: readonly RunbookTocEntry[];
      readonly checks: readonly RunbookCheckState[];
      readonly commands: readonly RunbookCommand[];
      readonly links: readonly RunbookLink[];
      /** Workspace Trust: when false, "Run in terminal" is disabled with an explanation. */
      readonly trusted: boolean;
      /** Whose ticks these are, e.g. `INC-0312` or `No active incident`. */
      readonly incident: string;
    }
  /** The ticked state changed (another panel, a reset, a new incident): the IDs that are ticked now. */
  | { readonly type: 'checks'; readonly checked: readonly string[]; readonly incident: string }
  | { readonly type: 'trust'; readonly trusted: boolean }
  /** A command was sent to a terminal (`at`: epoch ms); `exitCode` when shell integration reported one. */
  | { readonly type: 'ran'; readonly commandId: number; readonly exitCode?: number; readonly at: number };

/** Webview → host. Only IDs from the last `show`: never URLs, paths or command text. */
export type RunbookWebviewToHost =
  /** The page listens: the host sends nothing before this. */
  | { readonly type: 'ready' }
  /** The `show` is painted (tests wait on it). */
  | { readonly type: 'rendered'; readonly file: string; readonly checks: number; readonly commands: number; readonly links: number }
  | { readonly type: 'openLink'; readonly linkId: number }
  | { readonly type: 'toggleCheck'; readonly checkId: string; readonly checked: boolean }
  | { readonly type: 'resetChecks' }
  | { readonly type: 'copyCommand'; readonly commandId: number }
  /** Asks the host to run `commands[commandId]`: the host checks trust, shows the exact text and asks every time. */
  | { readonly type: 'runCommand'; readonly commandId: number };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isCheckId = (v: unknown): v is string => typeof v === 'string' && /^[a-z0-9-]{1,40}$/.test(v);

/**
 * Validates a message from the (untrusted) runbook webview; undefined when it is not a known, well-formed message.
 * The host still checks that an ID exists in its current render result.
 */
export function parseRunbookWebviewMessage(raw: unknown): RunbookWebviewToHost | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'resetChecks':
      return { type: 'resetChecks' };
    case 'rendered': {
      const { file, checks, commands, links } = raw;
      return typeof file === 'string' && isIndex(checks) && isIndex(commands) && isIndex(links) ? { type: 'rendered', file, checks, commands, links } : undefined;
    }
    case 'openLink':
      return isIndex(raw['linkId']) ? { type: 'openLink', linkId: raw['linkId'] } : undefined;
    case 'toggleCheck':
      return isCheckId(raw['checkId']) && typeof raw['checked'] === 'boolean' ? { type: 'toggleCheck', checkId: raw['checkId'], checked: raw['checked'] } : undefined;
    case 'copyCommand':
    case 'runCommand':
      return isIndex(raw['commandId']) ? { type: raw['type'], commandId: raw['commandId'] } : undefined;
    default:
      return undefined;
  }
}

/** Checks the shape the webview relies on (the host is trusted to fill the rest correctly). */
export function isRunbookHostMessage(data: unknown): data is RunbookHostToWebview {
  if (!isRecord(data)) return false;
  switch (data['type']) {
    case 'show': {
      const r = data['runbook'];
      return (
        isRecord(r) &&
        typeof r['title'] === 'string' &&
        typeof r['file'] === 'string' &&
        Array.isArray(r['alerts']) &&
        Array.isArray(r['services']) &&
        typeof data['html'] === 'string' &&
        Array.isArray(data['toc']) &&
        Array.isArray(data['checks']) &&
        Array.isArray(data['commands']) &&
        Array.isArray(data['links']) &&
        typeof data['trusted'] === 'boolean' &&
        typeof data['incident'] === 'string'
      );
    }
    case 'checks':
      return Array.isArray(data['checked']) && data['checked'].every((c) => typeof c === 'string') && typeof data['incident'] === 'string';
    case 'trust':
      return typeof data['trusted'] === 'boolean';
    case 'ran':
      return isIndex(data['commandId']) && typeof data['at'] === 'number' && (data['exitCode'] === undefined || typeof data['exitCode'] === 'number');
    default:
      return false;
  }
}
