/**
 * The walk of Go function bodies, in order: scopes and what each variable holds (declarations, assignments, struct
 * fields set to routers), func literals, and loops over literal route tables read once per row.
 */
import type { Node } from '../../node';
import { locOf } from '../../syntax';
import { ERR_NAME } from './errors';
import { type GoFramework, STYLE } from './frameworks';
import { GoRoutes } from './routes';
import { type Fn, NONE, type Row, type RouterVal, Scope, type Val } from './scope';

const SCOPED: ReadonlySet<string> = new Set([
  'if_statement',
  'expression_switch_statement',
  'type_switch_statement',
  'select_statement',
  'expression_case',
  'type_case',
  'default_case',
  'communication_case',
]);
const PLAIN_EXPRESSIONS: ReadonlySet<string> = new Set(['argument_list', 'selector_expression', 'binary_expression', 'unary_expression', 'index_expression', 'expression_list', 'keyed_element', 'literal_element', 'expression_statement', 'inc_statement', 'dec_statement', 'send_statement']);
/** Nodes the walk never enters: names, literals, types. */
const SKIP: ReadonlySet<string> = new Set([
  'comment',
  'interpreted_string_literal',
  'raw_string_literal',
  'int_literal',
  'float_literal',
  'rune_literal',
  'imaginary_literal',
  'nil',
  'true',
  'false',
  'iota',
  'identifier',
  'field_identifier',
  'type_identifier',
  'package_identifier',
  'qualified_type',
  'pointer_type',
  'slice_type',
  'array_type',
  'map_type',
  'channel_type',
  'function_type',
  'interface_type',
  'struct_type',
  'generic_type',
  'type_arguments',
  'parameter_list',
]);

export abstract class GoWalker extends GoRoutes {
  /** Reads a type declaration (in GoReader: function bodies may declare types too). */
  protected abstract readTypes(decl: Node): void;

  // ---- walking ------------------------------------------------------------------------------------------------

  protected walk(node: Node, scope: Scope, fn: Fn): void {
    const t = node.type;
    if (SKIP.has(t)) return;
    switch (t) {
      case 'func_literal':
        return this.walkLiteral(node, scope, fn);
      case 'block':
        return this.walkChildren(node, new Scope(scope), fn);
      case 'short_var_declaration':
        return this.declare(node, scope, fn);
      case 'assignment_statement':
        return this.assign(node, scope, fn);
      case 'var_declaration':
      case 'const_declaration':
        return this.declareLocal(node, scope, fn);
      case 'type_declaration':
        return this.readTypes(node);
      case 'for_statement':
        return this.walkFor(node, scope, fn);
      case 'composite_literal':
        return this.walkComposite(node, scope, fn);
      case 'return_statement':
        this.onReturn(node, scope, fn);
        return this.walkChildren(node, scope, fn);
      case 'call_expression':
        this.onCall(node, scope, fn);
        return this.walkChildren(node, scope, fn);
      case 'if_statement':
        this.checkSwallow(node, fn);
        return this.walkChildren(node, new Scope(scope), fn);
      default:
        // an expression with no call, literal or block inside holds nothing to read
        if (PLAIN_EXPRESSIONS.has(t) && !/[({]/.test(t === 'argument_list' ? node.text.slice(1, -1) : node.text)) return;
        return this.walkChildren(node, SCOPED.has(t) ? new Scope(scope) : scope, fn);
    }
  }

  private walkChildren(node: Node, scope: Scope, fn: Fn): void {
    for (const c of node.namedChildren) if (c) this.walk(c, scope, fn);
  }

  private walkLiteral(node: Node, scope: Scope, fn: Fn): void {
    const inner = new Scope(scope);
    const params = node.childForFieldName('parameters');
    const router = this.literalRouters.get(node.id);
    const first = params?.namedChildren.find((p) => p?.type === 'parameter_declaration')?.childForFieldName('name');
    if (router && first) inner.set(first.text, router);
    else this.bindParams(params, inner, `${fn.qual ? fn.qual + '.' : ''}func@${node.startPosition.row + 1}`);
    const body = node.childForFieldName('body');
    if (body) this.walk(body, inner, { ...fn, inside: true, literal: true });
  }

  private pairs(node: Node): { lefts: Node[]; rights: Node[] } {
    const list = (n: Node | null): Node[] => (n?.type === 'expression_list' ? n.namedChildren.filter((x): x is Node => x !== null) : n ? [n] : []);
    return { lefts: list(node.childForFieldName('left')), rights: list(node.childForFieldName('right')) };
  }

  private declare(node: Node, scope: Scope, fn: Fn): void {
    const { lefts, rights } = this.pairs(node);
    const paired = lefts.length === rights.length;
    if (paired) lefts.forEach((l, i) => l.type === 'identifier' && l.text !== '_' && this.hints.set((rights[i] as Node).id, { name: this.varRouterName(l.text, fn), reuse: false }));
    for (const r of rights) this.walk(r, scope, fn);
    lefts.forEach((l, i) => {
      if (l.type === 'identifier') scope.set(l.text, (paired ? this.evalVal(rights[i], scope, fn) : undefined) ?? NONE);
    });
  }

  private varRouterName(name: string, fn: Fn): string {
    return fn.qual ? `${fn.qual}.${name}` : name;
  }

  private assign(node: Node, scope: Scope, fn: Fn): void {
    const { lefts, rights } = this.pairs(node);
    const paired = lefts.length === rights.length && node.childForFieldName('operator')?.text === '=';
    if (paired) {
      lefts.forEach((l, i) => {
        const r = rights[i] as Node;
        if (l.type === 'identifier' && l.text !== '_') this.hints.set(r.id, { name: this.varRouterName(l.text, fn), reuse: false });
        const field = l.type === 'selector_expression' ? this.fieldName(l, scope, fn) : undefined;
        if (field) this.hints.set(r.id, { name: field, reuse: true });
      });
    }
    for (const l of lefts) if (l.type !== 'identifier') this.walk(l, scope, fn);
    for (const r of rights) this.walk(r, scope, fn);
    if (!paired) return;
    lefts.forEach((l, i) => {
      const r = rights[i] as Node;
      if (l.type === 'identifier') {
        if (l.text === '_') {
          if (r.type === 'identifier' && ERR_NAME.test(r.text)) this.error('swallow', node, fn);
        } else scope.assign(l.text, this.evalVal(r, scope, fn) ?? NONE);
        return;
      }
      const field = l.type === 'selector_expression' ? this.fieldName(l, scope, fn) : undefined;
      const v = field ? this.evalVal(r, scope, fn) : undefined;
      if (field && v?.k === 'router') this.aliasRouter(field, v, l);
    });
  }

  /** `s.router` where s is a value of a type of this package → `Server.router`. */
  private fieldName(sel: Node, scope: Scope, fn: Fn): string | undefined {
    const v = this.evalVal(sel.childForFieldName('operand'), scope, fn);
    const f = sel.childForFieldName('field')?.text;
    return v?.k === 'obj' && v.type && !v.pkg && f ? `${v.type}.${f}` : undefined;
  }

  /** A struct field set to a router made elsewhere: the field's router mounts it (same object, no prefix). */
  private aliasRouter(field: string, v: RouterVal, at: Node): void {
    if (v.ref.kind === 'local' && v.ref.name === field) return;
    const fw = v.fw ?? this.routerFwOf(field);
    if (!fw) return;
    this.ensureRouter(field, fw, locOf(at));
    this.facts.mounts.push({ parent: { kind: 'local', name: field }, child: v.ref, prefix: '', style: STYLE[fw], loc: locOf(at) });
  }

  private routerFwOf(name: string): GoFramework | undefined {
    return this.facts.routers.find((r) => r.name === name)?.framework as GoFramework | undefined;
  }

  private declareLocal(node: Node, scope: Scope, fn: Fn): void {
    for (const spec of node.descendantsOfType(['var_spec', 'const_spec'])) {
      if (!spec) continue;
      const names = spec.childrenForFieldName('name').filter((x): x is Node => x !== null);
      const values = spec.childForFieldName('value')?.namedChildren.filter((x): x is Node => x !== null) ?? [];
      const type = spec.childForFieldName('type');
      const paired = values.length === names.length;
      if (paired) names.forEach((n, i) => this.hints.set((values[i] as Node).id, { name: this.varRouterName(n.text, fn), reuse: false }));
      for (const v of values) this.walk(v, scope, fn);
      names.forEach((n, i) => {
        const v = paired ? this.evalVal(values[i], scope, fn) : undefined;
        scope.set(n.text, v ?? (type ? this.typedVal(type, this.varRouterName(n.text, fn), locOf(n)) : NONE));
      });
    }
  }

  /** `&Server{router: chi.NewRouter()}`: the field's router gets the name `Server.router`. */
  private walkComposite(node: Node, scope: Scope, fn: Fn): void {
    const t = node.childForFieldName('type');
    const tn = t && t.type === 'type_identifier' ? t.text : undefined;
    const body = node.childForFieldName('body');
    const keyed = tn && body ? body.namedChildren.filter((e): e is Node => e?.type === 'keyed_element') : [];
    const cells: [string, Node][] = [];
    for (const e of keyed) {
      const key = e.childForFieldName('key')?.text ?? e.namedChildren[0]?.text;
      const value = e.childForFieldName('value') ?? e.namedChildren[1];
      const inner = value?.type === 'literal_element' ? value.namedChildren[0] : value;
      if (key && inner) {
        this.hints.set(inner.id, { name: `${tn}.${key}`, reuse: true });
        cells.push([`${tn}.${key}`, inner]);
      }
    }
    this.walkChildren(node, scope, fn);
    for (const [field, value] of cells) {
      const v = this.evalVal(value, scope, fn);
      if (v?.k === 'router') this.aliasRouter(field, v, value);
    }
  }

  /** Loops over a literal table (slice of structs, slice of strings, map) are read once per row. */
  private walkFor(node: Node, scope: Scope, fn: Fn): void {
    const range = node.namedChildren.find((c) => c?.type === 'range_clause');
    const body = node.childForFieldName('body');
    if (!range || !body) return this.walkChildren(node, new Scope(scope), fn);
    const right = range.childForFieldName('right');
    if (right) this.walk(right, scope, fn);
    const vars = (range.childForFieldName('left')?.namedChildren ?? []).filter((x): x is Node => x?.type === 'identifier');
    const table = right ? this.evalVal(right, scope, fn) : undefined;
    const rows = table?.k === 'expr' && table.node.type === 'composite_literal' ? this.rowsOf(table.node, table.scope) : undefined;
    if (!rows || rows.length === 0) {
      const inner = new Scope(scope);
      for (const v of vars) inner.set(v.text, NONE);
      return this.walk(body, inner, fn);
    }
    const saved = this.rowLoc;
    for (const row of rows) {
      const inner = new Scope(scope);
      if (vars[0]) inner.set(vars[0].text, row.key);
      if (vars[1]) inner.set(vars[1].text, row.value);
      this.rowLoc = row.loc;
      this.walk(body, inner, fn);
    }
    this.rowLoc = saved;
  }

  private rowsOf(lit: Node, scope: Scope): Row[] | undefined {
    const t = lit.childForFieldName('type');
    const body = lit.childForFieldName('body');
    if (!t || !body) return undefined;
    const unwrap = (n: Node | null | undefined): Node | undefined => (n?.type === 'literal_element' ? (n.namedChildren[0] ?? undefined) : (n ?? undefined));
    const rows: Row[] = [];
    if (t.type === 'map_type') {
      for (const e of body.namedChildren) {
        if (e?.type !== 'keyed_element') continue;
        const k = unwrap(e.childForFieldName('key') ?? e.namedChildren[0]);
        const v = unwrap(e.childForFieldName('value') ?? e.namedChildren[1]);
        if (k && v) rows.push({ key: { k: 'expr', node: k, scope }, value: this.cell(v, scope), loc: locOf(e) });
      }
      return rows;
    }
    const names = this.structFields(t.childForFieldName('element'));
    for (const e of body.namedChildren) {
      if (!e || e.type === 'comment') continue;
      const v = unwrap(e.type === 'keyed_element' ? (e.childForFieldName('value') ?? e.namedChildren[1]) : e);
      if (!v) continue;
      const key = NONE; // the index
      let struct: Node | undefined = v.type === 'literal_value' ? v : undefined;
      if (!struct && (v.type === 'composite_literal' || v.type === 'unary_expression')) {
        const c = v.type === 'unary_expression' ? v.childForFieldName('operand') : v;
        if (c?.type === 'composite_literal') struct = c.childForFieldName('body') ?? undefined;
      }
      if (!struct) {
        rows.push({ key, value: { k: 'expr', node: v, scope }, loc: locOf(e) });
        continue;
      }
      const fields = new Map<string, Node>();
      let pos = 0;
      for (const c of struct.namedChildren) {
        if (!c || c.type === 'comment') continue;
        if (c.type === 'keyed_element') {
          const k = unwrap(c.childForFieldName('key') ?? c.namedChildren[0]);
          const val = unwrap(c.childForFieldName('value') ?? c.namedChildren[1]);
          if (k && val) fields.set(k.text, val);
        } else {
          const name = names?.[pos];
          const val = unwrap(c);
          if (name && val) fields.set(name, val);
        }
        pos++;
      }
      if (fields.size === 0 && !names) this.warn(e, 'route table rows of an unknown struct type are not read');
      rows.push({ key, value: { k: 'row', fields, scope }, loc: locOf(e) });
    }
    return rows;
  }

  private cell(node: Node, scope: Scope): Val {
    return node.type === 'func_literal' ? { k: 'func', node } : { k: 'expr', node, scope };
  }
}
