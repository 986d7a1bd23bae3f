/**
 * `oncall-lens scan <dir>`: the wire map of a tree for terminals and CI — HTTP routes with their full paths,
 * gRPC methods, entry points and error paths — as text or JSON records.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WireKind, WireRecord } from '../core/wire/model';
import { matchWire, matchWireEnd } from '../core/wire/match';
import { scanTree } from '../core/wire/scan';

export const scanUsage = `  oncall-lens scan <dir> [--json] [--kind http,grpc,entry,error] [--all] [--match <url-path|/pkg.Service/Method>]

Finds where requests come in (HTTP routes with every prefix resolved, gRPC methods), entry points and error
paths, in Go, Python, Java, JavaScript/TypeScript, Rust, C#, C++, Ruby and PHP. --json prints
{ records, problems, stats }; --kind keeps only those kinds (default: all); --all parses every source file, not
only those that look like they hold routes; --match prints the handlers a concrete URL path or gRPC method
goes to, best first.`;

const KINDS: readonly WireKind[] = ['http', 'grpc', 'entry', 'error'];

export async function scanMain(args: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let dir: string | undefined;
  let json = false;
  let all = false;
  let match: string | undefined;
  let kinds = new Set<WireKind>(KINDS);
  const usageError = (msg: string): number => {
    err(`oncall-lens scan: ${msg}\n\nUsage:\n${scanUsage}`);
    return 2;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--json') json = true;
    else if (a === '--all') all = true;
    else if (a === '--help' || a === '-h') {
      out(`Usage:\n${scanUsage}`);
      return 0;
    } else if (a === '--kind' || a.startsWith('--kind=')) {
      const v = a === '--kind' ? args[++i] : a.slice(7);
      if (!v) return usageError('--kind needs a value.');
      const wanted = v.split(',').map((s) => s.trim());
      const bad = wanted.filter((k) => !(KINDS as readonly string[]).includes(k));
      if (bad.length > 0) return usageError(`unknown kind ${bad.map((b) => JSON.stringify(b)).join(', ')} (kinds: ${KINDS.join(', ')}).`);
      kinds = new Set(wanted as WireKind[]);
    } else if (a === '--match' || a.startsWith('--match=')) {
      match = a === '--match' ? args[++i] : a.slice(8);
      if (!match) return usageError('--match needs a URL path or a gRPC method.');
    } else if (a.startsWith('-')) return usageError(`unknown option ${a}.`);
    else if (dir === undefined) dir = a;
    else return usageError(`one folder at a time (got "${dir}" and "${a}").`);
  }
  if (dir === undefined) return usageError('which folder?');
  const root = path.resolve(dir);
  try {
    if (!fs.statSync(root).isDirectory()) return usageError(`${dir} is not a folder.`);
  } catch (e) {
    err(`oncall-lens scan: ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}.`);
    return 1;
  }
  const map = await scanTree(root, { all });
  if (match !== undefined) return printMatches(map.records, match, json, out, err);
  const records = map.records.filter((r) => kinds.has(r.kind));
  if (json) {
    out(JSON.stringify({ records, problems: map.problems, stats: map.stats }, null, 2));
    return 0;
  }
  out(renderWire(records));
  const counts = KINDS.map((k) => `${records.filter((r) => r.kind === k).length} ${k}`).join(', ');
  out(`\n${counts} — ${map.stats.parsedFiles} of ${map.stats.files} files parsed, ${map.stats.lines.toLocaleString('en-US')} lines.`);
  for (const p of map.problems) err(`${p.file}${p.line ? ':' + p.line : ''}: ${p.message}`);
  return 0;
}

function printMatches(records: readonly WireRecord[], input: string, json: boolean, out: (s: string) => void, err: (s: string) => void): number {
  const found = matchWire(records, input);
  // No route is the whole path: those that match its end (a prefix the scan could not follow), said so on stderr.
  const end = found.length === 0 ? matchWireEnd(records, input) : undefined;
  const shown = end?.records ?? found;
  if (end) err(`oncall-lens scan: no route is ${JSON.stringify(input)}; these match its end, without ${end.dropped} (a prefix the scan could not follow).`);
  if (json) out(JSON.stringify(shown, null, 2));
  else for (const r of shown) out(line(r));
  if (shown.length === 0) {
    err(`oncall-lens scan: no route matches ${JSON.stringify(input)}.`);
    return 1;
  }
  return 0;
}

function line(r: WireRecord): string {
  const where = `${r.file}:${r.line}`;
  switch (r.kind) {
    case 'http':
    case 'grpc': {
      const h = r.handler ? ` → ${r.handler}${r.handlerFile ? ` (${r.handlerFile}:${r.handlerLine})` : ''}` : '';
      return `${(r.method ?? '').padEnd(7)} ${r.route ?? ''}  ${where}${h}  [${r.framework}]${r.shadowed ? '  (shadowed by an earlier registration)' : ''}`;
    }
    case 'entry':
      return `entry   ${r.detail ?? ''}: ${r.text ?? ''}  ${where}`;
    case 'error':
      return `error   ${r.detail ?? ''} in ${r.function ?? '?'}: ${r.text ?? ''}  ${where}`;
  }
}

/** Text output: records grouped by service, then kind. */
export function renderWire(records: readonly WireRecord[]): string {
  const services = [...new Set(records.map((r) => r.service))].sort();
  const out: string[] = [];
  for (const s of services) {
    out.push(`${s === '' ? '(workspace root)' : s}/`);
    for (const k of KINDS) {
      const list = records.filter((r) => r.service === s && r.kind === k);
      if (list.length === 0) continue;
      for (const r of list) out.push('  ' + line(r));
    }
  }
  return out.join('\n');
}
