/** Workspace-relative path helpers (forward slashes, no leading './'). */
export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

export function joinPath(dir: string, rel: string): string {
  const parts = (dir === '' ? [] : dir.split('/')).concat(rel.split('/'));
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (out.length === 0) return '\0outside';
      out.pop();
    } else out.push(p);
  }
  return out.join('/');
}

export function extOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i).toLowerCase();
}
