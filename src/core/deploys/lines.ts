/**
 * Line ranges through `git diff -U0` hunks: which lines of a range a diff changed, and where the range was before the
 * diff. Used to find the deploys that touched a function (its line range) without `git log -L`.
 *
 * The approximation, stated once: lines outside hunks move by the net size of the hunks above them (exact); a range
 * end that falls inside a changed hunk is widened to the whole hunk on the old side (a replaced line has no
 * one-to-one predecessor, so the range keeps every line the hunk replaced). Lines a hunk only added have no old
 * position: a range made only of them maps to nothing — nothing older touched them.
 */

/** One `@@ -oldStart,oldLines +newStart,newLines @@` hunk. With zero lines, a start is the line *after* which. */
export interface Hunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
}

/** 1-based, inclusive. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

/** The hunks of unified diff text (any number of files; the caller diffs one). */
export function parseHunks(diff: string): Hunk[] {
  const out: Hunk[] = [];
  const re = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm;
  for (let m = re.exec(diff); m; m = re.exec(diff)) {
    out.push({ oldStart: Number(m[1]), oldLines: m[2] === undefined ? 1 : Number(m[2]), newStart: Number(m[3]), newLines: m[4] === undefined ? 1 : Number(m[4]) });
  }
  return out;
}

/**
 * The parts of `range` (new side) the hunks changed: added or replaced lines in it, and a deletion between two of
 * its lines (reported as the line before the gap). Empty when the diff left the range alone.
 */
export function changedInRange(hunks: readonly Hunk[], range: LineRange): LineRange[] {
  const out: LineRange[] = [];
  for (const h of hunks) {
    if (h.newLines === 0) {
      // Lines removed after new line `newStart`: inside the range when the gap is between two of its lines.
      if (h.newStart >= range.start && h.newStart < range.end) out.push({ start: h.newStart, end: h.newStart });
      continue;
    }
    const start = Math.max(h.newStart, range.start);
    const end = Math.min(h.newStart + h.newLines - 1, range.end);
    if (start <= end) out.push({ start, end });
  }
  return out;
}

/** Where a new-side range was on the old side of the diff (see the module comment); undefined when it was all added. */
export function mapToOld(hunks: readonly Hunk[], range: LineRange): LineRange | undefined {
  const start = mapLine(hunks, range.start, 'start');
  const end = mapLine(hunks, range.end, 'end');
  return start <= end ? { start, end } : undefined;
}

function mapLine(hunks: readonly Hunk[], line: number, side: 'start' | 'end'): number {
  let shift = 0;
  for (const h of hunks) {
    const newEnd = h.newStart + h.newLines - 1;
    if (h.newLines > 0 && line >= h.newStart && line <= newEnd) {
      // Inside a changed hunk: widen to the lines it replaced; for a pure addition, the gap where it went in.
      if (h.oldLines === 0) return side === 'start' ? h.oldStart + 1 : h.oldStart;
      return side === 'start' ? h.oldStart : h.oldStart + h.oldLines - 1;
    }
    const before = h.newLines > 0 ? newEnd < line : h.newStart < line;
    if (!before) break;
    shift += h.newLines - h.oldLines;
  }
  return line - shift;
}
