/**
 * A small reader for Hugo's TOML front matter (`+++`): top-level `key = value` pairs whose values are strings,
 * numbers, booleans, dates (kept as written) and arrays of those. What it cannot read — tables, inline tables, dotted
 * keys, multi-line strings — is reported as a warning and skipped; syntax errors are errors with their position.
 */
import type { Problem } from '../util/problems';
import type { KeyPosition } from './frontMatter';

export interface TomlResult {
  readonly data: Record<string, unknown>;
  readonly problems: Problem[];
  readonly keys: Map<string, KeyPosition>;
}

class TomlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly code = 'toml-syntax',
  ) {
    super(message);
  }
}

/**
 * Reads `lines[start..end)` (the lines between the `+++` fences) as TOML. Positions in problems and keys are 1-based
 * lines of the whole file.
 */
export function readToml(lines: readonly string[], start: number, end: number): TomlResult {
  const text = lines.slice(start, end).join('\n');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const pos = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: start + lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
  };
  const data: Record<string, unknown> = {};
  const problems: Problem[] = [];
  const keys = new Map<string, KeyPosition>();
  const p = new Cursor(text);
  try {
    for (;;) {
      p.skipBlankLines();
      if (p.done()) break;
      const at = p.i;
      if (p.peek() === '[') {
        const l = pos(at);
        problems.push({ message: `TOML tables (${p.restOfLine().trim()}) are not read; the keys after it are ignored.`, severity: 'warning', line: l.line, column: l.column, code: 'toml-unsupported' });
        break;
      }
      const key = p.key();
      p.spaces();
      if (p.peek() === '.') throw new TomlError(`Dotted keys (${key}.…) are not read.`, at, 'toml-unsupported');
      if (p.peek() !== '=') throw new TomlError(`Expected "=" after the key "${key}".`, p.i);
      p.i++;
      p.spaces();
      const valueAt = p.i;
      const value = p.value();
      p.spaces();
      p.comment();
      if (!p.done() && p.peek() !== '\n') throw new TomlError('Expected the end of the line after the value.', p.i);
      if (Object.prototype.hasOwnProperty.call(data, key)) throw new TomlError(`The key "${key}" is defined twice.`, at);
      data[key] = value;
      const k = pos(at);
      const v = pos(valueAt);
      keys.set(key, { line: k.line, column: k.column, valueLine: v.line, valueColumn: v.column, endColumn: v.line === k.line ? (lines[k.line - 1] ?? '').trimEnd().length + 1 : v.column + 1 });
    }
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const l = pos(Math.min(e.offset, text.length));
    problems.push({ message: e.code === 'toml-unsupported' ? `${e.message} The rest of the front matter is ignored.` : `TOML front matter: ${e.message}`, severity: e.code === 'toml-unsupported' ? 'warning' : 'error', line: l.line, column: l.column, code: e.code });
  }
  return { data, problems, keys };
}

class Cursor {
  i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  peek(): string {
    return this.s[this.i] ?? '';
  }

  spaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\r') this.i++;
  }

  comment(): void {
    if (this.peek() === '#') while (!this.done() && this.peek() !== '\n') this.i++;
  }

  /** Skips spaces, comments and newlines. */
  skipBlankLines(): void {
    for (;;) {
      this.spaces();
      this.comment();
      if (this.peek() === '\n') this.i++;
      else return;
    }
  }

  restOfLine(): string {
    const end = this.s.indexOf('\n', this.i);
    return this.s.slice(this.i, end < 0 ? this.s.length : end);
  }

  key(): string {
    const c = this.peek();
    if (c === '"' || c === "'") return this.string();
    const start = this.i;
    while (/[A-Za-z0-9_-]/.test(this.peek())) this.i++;
    if (this.i === start) throw new TomlError(`Expected a key, found ${describe(c)}.`, start);
    return this.s.slice(start, this.i);
  }

  value(): unknown {
    const c = this.peek();
    if (c === '"' || c === "'") {
      if (this.s.startsWith(c.repeat(3), this.i)) throw new TomlError('Multi-line strings are not read.', this.i, 'toml-unsupported');
      return this.string();
    }
    if (c === '[') return this.array();
    if (c === '{') throw new TomlError('Inline tables are not read.', this.i, 'toml-unsupported');
    const start = this.i;
    while (!this.done() && !/[\s,\]#]/.test(this.peek())) this.i++;
    // A local date-time may be written with a space between date and time.
    if (/^\d{4}-\d{2}-\d{2}$/.test(this.s.slice(start, this.i)) && /^ \d{2}:/.test(this.s.slice(this.i, this.i + 4))) {
      this.i++;
      while (!this.done() && !/[\s,\]#]/.test(this.peek())) this.i++;
    }
    const token = this.s.slice(start, this.i);
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (/^[+-]?(?:\d[\d_]*)(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?$/.test(token)) return Number(token.replace(/_/g, ''));
    if (/^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?$/.test(token) || /^\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(token)) return token;
    throw new TomlError(token === '' ? `Expected a value, found ${describe(c)}.` : `"${token.slice(0, 40)}" is not a TOML value (strings need quotes).`, start);
  }

  private array(): unknown[] {
    const open = this.i;
    this.i++;
    const items: unknown[] = [];
    for (;;) {
      this.skipBlankLines();
      if (this.done()) throw new TomlError('This array is never closed with "]".', open);
      if (this.peek() === ']') {
        this.i++;
        return items;
      }
      items.push(this.value());
      this.skipBlankLines();
      if (this.peek() === ',') this.i++;
      else if (this.peek() !== ']') throw new TomlError(`Expected "," or "]" in the array, found ${describe(this.peek())}.`, this.i);
    }
  }

  private string(): string {
    const quote = this.peek();
    const open = this.i;
    this.i++;
    let out = '';
    for (;;) {
      if (this.done() || this.peek() === '\n') throw new TomlError('This string is never closed.', open);
      const c = this.s[this.i++] as string;
      if (c === quote) return out;
      if (c !== '\\' || quote === "'") {
        out += c;
        continue;
      }
      const e = this.s[this.i++] ?? '';
      const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
      if (simple[e] !== undefined) out += simple[e];
      else if ((e === 'u' || e === 'U') && /^[0-9a-fA-F]+$/.test(this.s.slice(this.i, this.i + (e === 'u' ? 4 : 8)))) {
        const n = e === 'u' ? 4 : 8;
        const cp = parseInt(this.s.slice(this.i, this.i + n), 16);
        if (cp > 0x10ffff) throw new TomlError(`\\${e} escape beyond Unicode.`, this.i - 2);
        out += String.fromCodePoint(cp);
        this.i += n;
      } else throw new TomlError(`Unknown escape \\${e} in a string.`, this.i - 2);
    }
  }
}

function describe(c: string): string {
  return c === '' ? 'the end of the front matter' : c === '\n' ? 'the end of the line' : `"${c}"`;
}
