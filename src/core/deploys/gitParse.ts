/**
 * Parsers for the git output the `git` deploy source asks for: `git log -z --name-status` read incrementally (a
 * 50k-commit log is never held as one string), `git for-each-ref` lines of NUL-separated fields, first-parent logs.
 * Formats are ours (see the `*Format` constants), so the parsers are strict about shape and lenient about content.
 */

/** A file change of one commit, as `--name-status -M` reports it; paths relative to the repository root. */
export interface FileChange {
  readonly status: 'A' | 'M' | 'D' | 'R';
  readonly path: string;
  /** For `R`: the path before the rename. */
  readonly oldPath?: string;
}

/** One commit of the log. */
export interface LogCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  /** Author date, Unix seconds. */
  readonly authorTime: number;
  /** Committer date, Unix seconds. */
  readonly commitTime: number;
  readonly author: string;
  readonly subject: string;
  readonly files: FileChange[];
  /** Position in the log (0 = first printed, the newest). */
  readonly index: number;
}

/** `--format` of the log {@link LogParser} reads (with `-z --name-status`). */
export const logFormat = '%x1e%H%x1f%P%x1f%at%x1f%ct%x1f%an%x1f%s';

/**
 * Reads `git log -z --name-status -M --format=<logFormat>` as it streams: records are NUL-separated tokens; a token
 * starting with U+001E is a commit header, then come status tokens (`M`, `R087` …, after a newline) each followed by
 * one path, or two for renames and copies. Call `push` per chunk and `end` once.
 */
export class LogParser {
  private rest = '';
  private current: { sha: string; parents: string[]; authorTime: number; commitTime: number; author: string; subject: string; files: FileChange[]; index: number } | undefined;
  private pending: { status: string; paths: string[]; need: number } | undefined;
  private count = 0;
  /** Paths repeat from commit to commit: one string each (less memory, hashed once when matched). */
  private readonly paths = new Map<string, string>();

  constructor(private readonly onCommit: (c: LogCommit) => void) {}

  /** Feeds a chunk of stdout. */
  push(chunk: string): void {
    const text = this.rest + chunk;
    let start = 0;
    for (;;) {
      const nul = text.indexOf('\0', start);
      if (nul < 0) break;
      this.token(text.slice(start, nul));
      start = nul + 1;
    }
    this.rest = text.slice(start);
  }

  /** Flushes the last commit. Returns how many commits were read. */
  end(): number {
    if (this.rest !== '') this.token(this.rest);
    this.rest = '';
    this.flush();
    return this.count;
  }

  private token(tok: string): void {
    if (this.pending) {
      let p = this.paths.get(tok);
      if (p === undefined) this.paths.set(tok, (p = tok));
      this.pending.paths.push(p);
      if (this.pending.paths.length === this.pending.need) this.change();
      return;
    }
    if (tok.charCodeAt(0) === 0x1e) {
      this.flush();
      const f = tok.slice(1).split('\x1f');
      const sha = f[0] ?? '';
      if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`unexpected git log output near ${JSON.stringify(tok.slice(0, 60))}`);
      this.current = {
        sha,
        parents: (f[1] ?? '').split(' ').filter(Boolean),
        authorTime: Number(f[2]) || 0,
        commitTime: Number(f[3]) || 0,
        author: f[4] ?? '',
        subject: f.slice(5).join('\x1f'),
        files: [],
        index: this.count++,
      };
      return;
    }
    const status = tok.replace(/^\n+/, '');
    if (status === '') return;
    const letter = status[0];
    this.pending = { status: letter ?? 'M', paths: [], need: letter === 'R' || letter === 'C' ? 2 : 1 };
  }

  private change(): void {
    const p = this.pending;
    this.pending = undefined;
    if (!p || !this.current) return;
    const [a = '', b = ''] = p.paths;
    switch (p.status) {
      case 'A':
      case 'D':
        this.current.files.push({ status: p.status, path: a });
        break;
      case 'R':
        this.current.files.push({ status: 'R', path: b, oldPath: a });
        break;
      case 'C':
        this.current.files.push({ status: 'A', path: b });
        break;
      default: // M, T (type change), and anything newer git may print
        this.current.files.push({ status: 'M', path: a });
    }
  }

  private flush(): void {
    if (this.pending) this.pending = undefined;
    if (this.current) this.onCommit(this.current);
    this.current = undefined;
  }
}

/** `--format` of `git for-each-ref` for tags; read by {@link parseTagRefs}. */
export const tagRefFormat = ['%(refname)', '%(objecttype)', '%(objectname)', '%(*objecttype)', '%(*objectname)', '%(creatordate:unix)', '%(taggername)', '%(committername)', '%(*committername)', '%(contents:subject)'].join('%00');

/** A tag as for-each-ref reports it. */
export interface TagRef {
  /** The name without `refs/tags/`. */
  readonly name: string;
  /** The commit it points at (peeled through an annotated tag); undefined when it is not a commit. */
  readonly commit?: string;
  readonly annotated: boolean;
  /** Tagger date (annotated) or the commit's committer date (lightweight), Unix seconds. */
  readonly time: number;
  /** The tagger (annotated) or the commit's committer (lightweight). */
  readonly actor: string;
  /** The tag message's first line (annotated tags only). */
  readonly message?: string;
}

/** Parses for-each-ref output in {@link tagRefFormat}: one ref per line, fields separated by NUL. */
export function parseTagRefs(text: string): TagRef[] {
  const out: TagRef[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [ref = '', type, name = '', derefType, derefName = '', time, tagger = '', committer = '', derefCommitter = '', subject = ''] = line.split('\0');
    const annotated = type === 'tag';
    const commit = annotated ? (derefType === 'commit' ? derefName : undefined) : type === 'commit' ? name : undefined;
    out.push({
      name: ref.replace(/^refs\/tags\//, ''),
      ...(commit !== undefined ? { commit } : {}),
      annotated,
      time: Number(time) || 0,
      actor: (annotated ? tagger || derefCommitter : committer).trim(),
      ...(annotated && subject.trim() !== '' ? { message: subject.trim() } : {}),
    });
  }
  return out;
}

/** `--format` of the first-parent log of a deploy branch; read by {@link parseFirstParent}. */
export const firstParentFormat = '%H%x1f%ct%x1f%cn%x1f%s';

/** A commit on a deploy branch's first-parent line. */
export interface BranchCommit {
  readonly sha: string;
  /** Committer date, Unix seconds: when the commit landed on the branch, as far as git knows. */
  readonly time: number;
  readonly committer: string;
  readonly subject: string;
}

/** Parses `git log --first-parent --format=<firstParentFormat>` output. */
export function parseFirstParent(text: string): BranchCommit[] {
  const out: BranchCommit[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [sha = '', time, committer = '', ...subject] = line.split('\x1f');
    if (!/^[0-9a-f]{40,64}$/.test(sha)) continue;
    out.push({ sha, time: Number(time) || 0, committer, subject: subject.join('\x1f') });
  }
  return out;
}

/** Unix seconds → ISO 8601 UTC without milliseconds (`2026-11-23T03:12:00Z`). */
export function isoUtc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Compares tag names with numbers by value (`v1.10.0` after `v1.9.0`); for ties in time. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
