/**
 * Resolves a path written on another machine (`/srv/checkout/src/cart.ts`, `C:\build\src\Cart.cs`) to a
 * workspace file by the longest matching run of trailing path segments.
 */

export function pathSegments(p: string): string[] {
  return p.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
}

/** Number of equal trailing segments (case-insensitive on the second pass). */
export function suffixScore(target: readonly string[], candidate: readonly string[], ignoreCase = false): number {
  let n = 0;
  while (n < target.length && n < candidate.length) {
    let a = target[target.length - 1 - n] as string;
    let b = candidate[candidate.length - 1 - n] as string;
    if (ignoreCase) {
      a = a.toLowerCase();
      b = b.toLowerCase();
    }
    if (a !== b) break;
    n++;
  }
  return n;
}

export interface SuffixMatch {
  readonly path: string;
  /** How many trailing segments matched (≥ 1: at least the file name). */
  readonly score: number;
  /** Other candidates with the same score: the match is ambiguous when this is non-empty. */
  readonly ties: readonly string[];
}

/**
 * The candidate (workspace-relative or absolute path) that shares the most trailing segments with `target`.
 * Exact-case matches win over case-insensitive ones; among equal scores the shortest candidate path wins.
 */
export function bestSuffixMatch(target: string, candidates: readonly string[]): SuffixMatch | undefined {
  const t = pathSegments(target);
  if (t.length === 0) return undefined;
  for (const ignoreCase of [false, true]) {
    let best: string[] = [];
    let bestScore = 0;
    for (const c of candidates) {
      const score = suffixScore(t, pathSegments(c), ignoreCase);
      if (score === 0 || score < bestScore) continue;
      if (score > bestScore) {
        bestScore = score;
        best = [c];
      } else best.push(c);
    }
    if (bestScore > 0) {
      best.sort((a, b) => pathSegments(a).length - pathSegments(b).length || a.localeCompare(b));
      const [path, ...ties] = best as [string, ...string[]];
      return { path, score: bestScore, ties };
    }
  }
  return undefined;
}
