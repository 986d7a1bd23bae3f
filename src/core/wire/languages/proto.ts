/**
 * .proto files: the package, each service and its RPCs. VS Code ships no protobuf grammar, so this is a small
 * tokenizer and a parser for the parts that matter here (comments, strings and option blocks are skipped
 * properly, so a `service` inside a comment or a string is never taken for one).
 */
import { emptyFacts, type FileFacts, type Loc } from '../facts';
import type { LanguageSupport } from '../language';

interface Token {
  readonly kind: 'ident' | 'string' | 'punct' | 'number';
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** Splits proto source into tokens, dropping comments and whitespace. Never throws: an unterminated comment or string ends the input. */
export function tokenizeProto(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 47) {
      while (i < n && src.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 42) {
      i += 2;
      while (i < n && !(src.charCodeAt(i) === 42 && src.charCodeAt(i + 1) === 47)) {
        if (src.charCodeAt(i) === 10) {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      i += 2;
      continue;
    }
    const column = i - lineStart + 1;
    if (c === 34 || c === 39) {
      const start = i++;
      while (i < n && src.charCodeAt(i) !== c && src.charCodeAt(i) !== 10) i += src.charCodeAt(i) === 92 ? 2 : 1;
      i++;
      out.push({ kind: 'string', text: src.slice(start + 1, Math.min(i - 1, n)), line, column });
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      while (i < n && (isIdentStart(src.charCodeAt(i)) || isDigit(src.charCodeAt(i)) || src.charCodeAt(i) === 46)) i++;
      out.push({ kind: 'ident', text: src.slice(start, i), line, column });
      continue;
    }
    if (isDigit(c)) {
      const start = i;
      while (i < n && /[0-9a-zA-Z.+-]/.test(src[i] as string)) i++;
      out.push({ kind: 'number', text: src.slice(start, i), line, column });
      continue;
    }
    out.push({ kind: 'punct', text: src[i] as string, line, column });
    i++;
  }
  return out;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Reads the package and services of one .proto file. */
export function readProto(src: string, file: string): FileFacts {
  const facts = emptyFacts(file, 'proto');
  const t = tokenizeProto(src);
  let pkg = '';
  let depth = 0;
  const loc = (tok: Token, endLine?: number): Loc => ({ line: tok.line, column: tok.column, endLine });
  /** Index just past the block that opens at t[i] ('{'), or the end. */
  const skipBlock = (i: number): number => {
    let d = 0;
    for (; i < t.length; i++) {
      const x = t[i] as Token;
      if (x.kind !== 'punct') continue;
      if (x.text === '{') d++;
      else if (x.text === '}' && --d === 0) return i + 1;
    }
    return t.length;
  };
  for (let i = 0; i < t.length; i++) {
    const tok = t[i] as Token;
    if (tok.kind === 'punct') {
      if (tok.text === '{') depth++;
      else if (tok.text === '}') depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth !== 0 || tok.kind !== 'ident') continue;
    if (tok.text === 'package' && t[i + 1]?.kind === 'ident') {
      pkg = (t[i + 1] as Token).text;
      continue;
    }
    if (tok.text !== 'service' || t[i + 1]?.kind !== 'ident' || t[i + 2]?.text !== '{') continue;
    const name = (t[i + 1] as Token).text;
    const end = skipBlock(i + 2);
    const rpcs: { name: string; loc: Loc }[] = [];
    for (let j = i + 3; j < end - 1; j++) {
      const x = t[j] as Token;
      if (x.kind === 'punct' && x.text === '{') {
        j = skipBlock(j) - 1; // an option block of the service
        continue;
      }
      if (x.kind !== 'ident' || x.text !== 'rpc' || t[j + 1]?.kind !== 'ident') continue;
      const rpcName = t[j + 1] as Token;
      // rpc Name ( [stream] Req ) returns ( [stream] Resp ) ( ';' | '{' options '}' )
      let k = j + 2;
      while (k < end - 1 && !(t[k]?.kind === 'punct' && (t[k]?.text === ';' || t[k]?.text === '{'))) k++;
      let last = t[k] as Token;
      if (last?.text === '{') {
        const after = skipBlock(k);
        last = t[after - 1] as Token;
        k = after - 1;
      }
      rpcs.push({ name: rpcName.text, loc: loc(x, last?.line ?? x.line) });
      j = k;
    }
    const close = t[end - 1] as Token | undefined;
    facts.grpcServices.push({ package: pkg, service: name, rpcs, loc: loc(tok, close?.line) });
    i = end - 1;
  }
  // A package declared after the services (legal, if odd) still applies to them.
  if (pkg !== '') for (let s = 0; s < facts.grpcServices.length; s++) facts.grpcServices[s] = { ...(facts.grpcServices[s] as FileFacts['grpcServices'][number]), package: pkg };
  return facts;
}

export const protoSupport: LanguageSupport = {
  language: 'proto',
  extensions: ['.proto'],
  grammar: () => undefined,
  interesting: (text) => text.includes('service'),
  extract: (input) => readProto(input.text, input.file),
  extractText: (text, file) => readProto(text, file),
};
