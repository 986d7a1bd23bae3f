import type { Deploy } from './model';

/**
 * One deploy seen by two sources (a git tag and CI's deploy log name the same service and version): one entry, the
 * one that knows its commits and files, completed with what the other says (environment, actor, status, link).
 */
export function mergeSameDeploys(deploys: readonly Deploy[]): Deploy[] {
  const byKey = new Map<string, Deploy>();
  const out: Deploy[] = [];
  for (const d of deploys) {
    if (d.kind !== 'deploy') {
      out.push(d);
      continue;
    }
    const key = `${d.service}|${d.version.replace(new RegExp(`^${escapeRe(d.service)}-`), '').replace(/^v(?=\d)/, '')}`;
    const other = byKey.get(key);
    if (!other) {
      byKey.set(key, d);
      continue;
    }
    const [rich, poor] = (d.files?.length ?? 0) > (other.files?.length ?? 0) ? [d, other] : [other, d];
    byKey.set(key, {
      ...rich,
      environment: rich.environment ?? poor.environment,
      actor: rich.source === 'git' && poor.actor ? poor.actor : (rich.actor ?? poor.actor),
      status: rich.status === 'unknown' ? poor.status : rich.status,
      url: rich.url ?? poor.url,
      description: rich.description ?? poor.description,
    } as Deploy);
  }
  return [...out, ...byKey.values()];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
