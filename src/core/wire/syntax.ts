/** Small helpers over tree-sitter nodes that every language's extractor needs. */
import type { Node } from './node';
import type { Loc } from './facts';

/** 1-based position of a node's start; endLine is the node's last line. */
export function locOf(node: Node, withEnd = false): Loc {
  return withEnd
    ? { line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1 }
    : { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

/** The first line of a node's text, at most `max` characters (for error records and entry points). */
export function shortText(node: Node, max = 120): string {
  const t = node.text;
  const nl = t.indexOf('\n');
  const first = (nl >= 0 ? t.slice(0, nl) + ' …' : t).trim();
  return first.length > max ? first.slice(0, max - 1) + '…' : first;
}

/**
 * The value of a string literal node in most grammars (quotes stripped, simple escapes decoded), or undefined
 * when the node is not a plain literal (an interpolated template, a concatenation, a variable).
 */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const t = node.type;
  if (
    t === 'string' ||
    t === 'string_literal' ||
    t === 'interpreted_string_literal' ||
    t === 'raw_string_literal' ||
    t === 'template_string' ||
    t === 'encapsed_string' ||
    t === 'verbatim_string_literal' ||
    t === 'character_literal'
  ) {
    // Refuse interpolation: a template string with ${…}, an f-string, a Ruby "#{…}", a PHP "$var".
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === 'template_substitution' || c.type === 'interpolation' || c.type === 'variable_name' || c.type === 'string_interpolation') return undefined;
    }
    let s = node.text;
    // Python prefixes r'', b'', u'' (f'' has interpolation children when it interpolates); C# @"" and $""
    s = s.replace(/^(?:[rRbBuUfF]{1,2}|@|\$@|@\$)(?=["'])/, '');
    if (s.startsWith('"""') || s.startsWith("'''")) return s.slice(3, -3);
    // Rust raw strings r#"…"#
    const raw = /^r(#*)"([\s\S]*)"\1$/.exec(s);
    if (raw) return raw[2];
    const q = s[0];
    if ((q === '"' || q === "'" || q === '`') && s.endsWith(q) && s.length >= 2) {
      const inner = s.slice(1, -1);
      return t === 'raw_string_literal' ? inner : inner.replace(/\\(.)/g, '$1');
    }
    return s;
  }
  return undefined;
}

/** Walks up to the closest ancestor whose type is in `types`. */
export function ancestor(node: Node, types: ReadonlySet<string>): Node | undefined {
  let n = node.parent;
  while (n) {
    if (types.has(n.type)) return n;
    n = n.parent;
  }
  return undefined;
}

/** Every descendant (including `node`) of the given types, in document order. */
export { descendants } from './node';
