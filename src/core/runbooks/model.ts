import type { Problem } from '../util/problems';

/** A heading of a runbook, for the table of contents and section links (`#diagnosis`). */
export interface RunbookSection {
  readonly title: string;
  /** 1–6. */
  readonly level: number;
  /** 1-based line in the file. */
  readonly line: number;
  /** GitHub-style anchor slug, unique within the runbook. */
  readonly slug: string;
}

/**
 * One runbook: a Markdown file with optional YAML (`---`) or TOML (`+++`, Hugo) front matter. Read as real-world
 * runbooks are written: the alert name may be only the H1 and the file name; sections like Meaning / Impact /
 * Diagnosis / Mitigation are plain headings.
 */
export interface Runbook {
  /** Stable ID: front matter `id`, else the path relative to its runbook root without `.md` (posix). */
  readonly id: string;
  /** Path relative to the workspace folder (posix) for workspace runbooks; relative to the extension for built-ins. */
  readonly file: string;
  readonly title: string;
  readonly services: readonly string[];
  readonly alerts: readonly string[];
  readonly severity?: string;
  /** Globs (posix, relative to the workspace folder) of the code this runbook is about. */
  readonly code: readonly string[];
  readonly owner?: string;
  /** `YYYY-MM-DD` as written in `last_reviewed` (validated). */
  readonly lastReviewed?: string;
  readonly tags: readonly string[];
  readonly sections: readonly RunbookSection[];
  /** Problems in this file (front matter, Markdown, links, size, encoding); the runbook stays listed. */
  readonly problems: readonly Problem[];
  readonly origin: 'workspace' | 'builtin';
  /** A Hugo section page (`_index.md`): describes a folder rather than an alert. */
  readonly isSectionIndex: boolean;
  /** 1-based line where the Markdown body starts (after front matter). */
  readonly bodyLine: number;
  /**
   * Where `alerts` came from — the front-matter key, the H1 or the file name — and the 1-based position it was
   * written at (1:1 for the file name): duplicate-alert problems point there.
   */
  readonly alertsFrom?: { readonly source: 'front-matter' | 'h1' | 'file-name'; readonly line: number; readonly column: number };
  /** 1-based positions of the front-matter keys as written (`title`, `last_reviewed`, …) and of the first H1 (`h1`). */
  readonly keyPositions?: Readonly<Record<string, { readonly line: number; readonly column: number }>>;
  /**
   * Set when the body was not read: `binary` (NUL bytes or invalid UTF-8 — never render it) or `too-large` (over the
   * size limit: only the front matter and the H1 were read — do not render it either). An error problem says so.
   */
  readonly unreadable?: 'binary' | 'too-large';
}
