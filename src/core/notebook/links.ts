/**
 * What a valid {@link EvidenceLink} is: checked when the host's "Add to Notebook" commands hand one to applyOp and when
 * the file format reads one back. Pure ES (imported by ops.ts, which the webview protocol imports).
 */
import type { EvidenceLink } from './model';
import { LIMITS, normalizeLine } from './text';

const traceIdRe = /^[0-9a-f]{16}(?:[0-9a-f]{16})?$/;
const spanIdRe = /^[0-9a-f]{16}$/;
const commitRe = /^[0-9a-f]{4,64}$/;
/** http(s), a host, no white space or angle brackets (so the file format can write it as a Markdown link). */
const urlRe = /^https?:\/\/[^\s<>/?#]+[^\s<>]*$/;

/** A workspace-relative posix path: no leading `/`, no `\`, no empty, `.` or `..` segment, no drive letter. */
export function isCleanPath(p: string): boolean {
  if (p === '' || p.length > LIMITS.line || p.startsWith('/') || p.includes('\\') || /^[A-Za-z]:/.test(p) || /[\n\r\t]/.test(p)) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** The link with its strings normalized and absent fields left out, or why it is not a valid link. */
export function checkLink(raw: unknown): { ok: true; link: EvidenceLink } | { ok: false; error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'A link must be an object.' };
  const r = raw as Record<string, unknown>;
  const problems: string[] = [];
  const str = (key: string, required: boolean, max: number = LIMITS.line): string | undefined => {
    const v = r[key];
    if (v === undefined || v === null || (typeof v === 'string' && normalizeLine(v) === '' && !required)) {
      if (required) problems.push(`"${key}" is missing`);
      return undefined;
    }
    if (typeof v !== 'string') {
      problems.push(`"${key}" must be text`);
      return undefined;
    }
    const s = normalizeLine(v);
    if (s === '') problems.push(`"${key}" is empty`);
    else if (s.length > max) problems.push(`"${key}" is longer than ${max} characters`);
    return s;
  };
  const hex = (key: string, re: RegExp, required: boolean, what: string): string | undefined => {
    const s = str(key, required)?.toLowerCase();
    if (s !== undefined && !re.test(s)) problems.push(`"${key}" must be ${what}`);
    return s;
  };
  const int = (key: string, required: boolean): number | undefined => {
    const v = r[key];
    if (v === undefined || v === null) {
      if (required) problems.push(`"${key}" is missing`);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > 10_000_000) problems.push(`"${key}" must be a line number (1 or more)`);
    return typeof v === 'number' ? v : undefined;
  };
  let link: EvidenceLink | undefined;
  switch (r['kind']) {
    case 'trace': {
      const traceId = hex('traceId', traceIdRe, true, '16 or 32 hex characters');
      const source = str('source', false);
      link = { kind: 'trace', traceId: traceId ?? '', ...(source !== undefined ? { source } : {}) };
      break;
    }
    case 'span': {
      const traceId = hex('traceId', traceIdRe, true, '16 or 32 hex characters');
      const spanId = hex('spanId', spanIdRe, true, '16 hex characters');
      const source = str('source', false);
      link = { kind: 'span', traceId: traceId ?? '', spanId: spanId ?? '', ...(source !== undefined ? { source } : {}) };
      break;
    }
    case 'file': {
      const path = str('path', true);
      if (path !== undefined && !isCleanPath(path)) problems.push(`"path" must be relative to the workspace folder, with "/" (got "${path.slice(0, 80)}")`);
      const line = int('line', true);
      const endLine = int('endLine', false);
      if (line !== undefined && endLine !== undefined && endLine < line) problems.push('"endLine" is before "line"');
      const commit = hex('commit', commitRe, false, 'a commit hash');
      link = { kind: 'file', path: path ?? '', line: line ?? 1, ...(endLine !== undefined ? { endLine } : {}), ...(commit !== undefined ? { commit } : {}) };
      break;
    }
    case 'runbook': {
      const runbook = str('runbook', true);
      if (runbook !== undefined && !runbook.startsWith('builtin:') && !isCleanPath(runbook)) problems.push(`"runbook" must be a workspace-relative path or builtin:<name> (got "${runbook.slice(0, 80)}")`);
      const step = str('step', false, LIMITS.name);
      const line = int('line', false);
      link = { kind: 'runbook', runbook: runbook ?? '', ...(step !== undefined ? { step } : {}), ...(line !== undefined ? { line } : {}) };
      break;
    }
    case 'deploy': {
      const service = str('service', true, LIMITS.name);
      const version = str('version', true);
      const commit = hex('commit', commitRe, false, 'a commit hash');
      link = { kind: 'deploy', service: service ?? '', version: version ?? '', ...(commit !== undefined ? { commit } : {}) };
      break;
    }
    case 'exemplar': {
      const traceId = hex('traceId', traceIdRe, true, '16 or 32 hex characters');
      const query = str('query', false, LIMITS.text);
      const prometheus = str('prometheus', false);
      link = { kind: 'exemplar', traceId: traceId ?? '', ...(query !== undefined ? { query } : {}), ...(prometheus !== undefined ? { prometheus } : {}) };
      break;
    }
    case 'url': {
      const url = str('url', true);
      if (url !== undefined && !urlRe.test(url)) problems.push('"url" must be an http or https address without spaces or angle brackets');
      link = { kind: 'url', url: url ?? '' };
      break;
    }
    default:
      return { ok: false, error: `Unknown link kind ${JSON.stringify(r['kind'])}.` };
  }
  return problems.length > 0 ? { ok: false, error: `Invalid ${String(r['kind'])} link: ${problems.join('; ')}.` } : { ok: true, link };
}
