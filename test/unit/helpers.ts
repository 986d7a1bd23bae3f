import * as path from 'node:path';
import * as fs from 'node:fs';
import type { Span } from '../../src/core/traces/model';

/** The repository root (tests run from out/test/unit). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Writes `rel` under `root`, making its folders; lines are joined with a final newline. */
export function writeIn(root: string, rel: string, text: string | readonly string[]): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), typeof text === 'string' ? text : text.join('\n') + '\n');
}

export function fixture(...p: string[]): string {
  return fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', ...p), 'utf8');
}

let counter = 0;
/** A span for analysis tests: times in µs, IDs generated unless given. */
export function span(over: Partial<Span> & { name: string; startUs: number; durationUs: number }): Span {
  counter++;
  return {
    traceId: 'ab'.repeat(16),
    spanId: counter.toString(16).padStart(16, '0'),
    service: 'svc',
    kind: 'internal',
    status: { code: 'unset' },
    attributes: [],
    resource: [],
    events: [],
    links: [],
    ...over,
  };
}
