/**
 * Returns and error exits of Go functions: a function returning a router is that router to its callers; returned
 * errors, panics, log.Fatal, os.Exit, HTTP error statuses (net/http, gin, echo, fiber, render), error logs, swallowed
 * `if err != nil {}` and recover().
 */
import type { Node } from '../../node';
import type { ErrorKind } from '../../model';
import { locOf } from '../../syntax';
import { ABORTS, ERROR_PACKAGES, frameworkOfModule, STATUS, STATUS_FIRST, STYLE } from './frameworks';
import { GoHandlers } from './handlers';
import type { Fn, Scope } from './scope';

export const ERR_NAME = /^err$|^err[A-Z0-9_]|^Err[A-Z0-9]|[a-z0-9](?:Err|Error)$/;

export abstract class GoErrors extends GoHandlers {
  // ---- returns, errors ----------------------------------------------------------------------------------------

  protected onReturn(node: Node, scope: Scope, fn: Fn): void {
    const list = node.namedChildren[0];
    const exprs = list?.type === 'expression_list' ? list.namedChildren.filter((x): x is Node => x !== null) : list ? [list] : [];
    if (exprs.length === 0) return;
    if (!fn.literal && fn.qual) {
      // A function returning a router is that router to its callers (`r.Mount("/x", articles.Routes())`).
      const first = exprs[0] as Node;
      const v = this.evalVal(first, scope, fn);
      const router = v?.k === 'router' && (v.sure || fn.returnsRouter || fn.returnsHandler) ? v : this.mountTarget(first, scope, fn)?.router;
      const fw = router?.fw ?? fn.returnsRouter ?? [...this.imported][0];
      if (router && fw && !(router.ref.kind === 'local' && router.ref.name === fn.qual)) {
        this.ensureRouter(fn.qual, fw, locOf(node));
        this.facts.mounts.push({ parent: { kind: 'local', name: fn.qual }, child: router.ref, prefix: '', style: STYLE[fw], loc: locOf(node) });
      }
    }
    if (fn.inside && this.isErrorValue(exprs[exprs.length - 1] as Node, scope)) this.error('return-error', node, fn);
  }

  /** `err`, `ErrNotFound`, `fmt.Errorf(…)`, `errors.New(…)`, `status.Error(…)`, `&NotFoundError{…}`. */
  private isErrorValue(e: Node, scope: Scope): boolean {
    switch (e.type) {
      case 'identifier':
        return ERR_NAME.test(e.text);
      case 'selector_expression':
        return /^Err[A-Z0-9]/.test(e.childForFieldName('field')?.text ?? '');
      case 'unary_expression':
      case 'parenthesized_expression': {
        const inner = e.childForFieldName('operand') ?? e.namedChildren[0];
        return inner ? this.isErrorValue(inner, scope) : false;
      }
      case 'composite_literal':
        return /Err(?:or)?$/.test(this.typeName(e.childForFieldName('type'))?.name ?? '');
      case 'call_expression': {
        const f = e.childForFieldName('function');
        const args = this.args(e);
        if (!f) return false;
        if (f.type === 'identifier') return /Err/.test(f.text);
        if (f.type !== 'selector_expression') return false;
        const x = f.childForFieldName('operand');
        const m = f.childForFieldName('field')?.text ?? '';
        const pkg = this.pkgOf(x, scope);
        if (pkg !== undefined && this.packageErrorKind(pkg, m, args, scope) === 'http-error') return false;
        if (pkg !== undefined && ERROR_PACKAGES.has(pkg)) return pkg === 'fmt' ? m === 'Errorf' : m !== 'Is' && m !== 'As';
        if (m === 'Error' && args.length === 0) return false;
        if (m === 'Err' && args.length === 0) return true;
        return /Err/.test(m);
      }
      default:
        return false;
    }
  }

  /** Errors from package functions: `log.Fatal`, `os.Exit(1)`, `slog.Error`, `echo.NewHTTPError(404)`, `log.Printf("…%v", err)`. */
  protected packageErrorKind(pkg: string, m: string, args: Node[], scope: Scope): ErrorKind | undefined {
    if (ERROR_PACKAGES.has(pkg)) return undefined;
    if (/^(?:Fatal|Panic)/.test(m)) return 'panic';
    if (pkg === 'os' && m === 'Exit') return args[0]?.text === '0' ? undefined : 'panic';
    const fw = frameworkOfModule(pkg);
    if ((fw === 'echo' && m === 'NewHTTPError') || (fw === 'fiber' && m === 'NewError')) return this.errorStatus(args[0], scope, true) ? 'http-error' : undefined;
    if (m === 'Status' && pkg.endsWith('/render') && this.errorStatus(args[1], scope, false)) return 'http-error';
    if (/^Error(?:f|w|ln|Context)?$/.test(m)) return 'log-error';
    if (/^Print(?:f|ln)?$/.test(m) && args.some((a) => a.type === 'identifier' && ERR_NAME.test(a.text))) return 'log-error';
    return undefined;
  }

  /** Errors from method calls: `w.WriteHeader(500)`, `c.JSON(http.StatusNotFound, …)`, `c.AbortWithStatus(401)`, `logger.Error(…)`, `log.Fatal`. */
  protected checkErrorCall(call: Node, m: string, args: Node[], scope: Scope, fn: Fn): void {
    if (!fn.inside) return;
    if (/^(?:Fatal|Panic)(?:f|ln|w)?$/.test(m)) return this.error('panic', call, fn);
    if (ABORTS.has(m)) return this.error('http-error', call, fn);
    if (STATUS_FIRST.has(m) && this.errorStatus(args[0], scope, false)) return this.error('http-error', call, fn);
    if (/^Error(?:f|w|ln|Context)?$/.test(m)) {
      if (args.length > 0) return this.error('log-error', call, fn);
      // zerolog: log.Error().Err(err).Msg("…")
      const up = call.parent?.type === 'selector_expression' ? call.parent.childForFieldName('field')?.text : undefined;
      if (up === 'Err' || up === 'Msg' || up === 'Msgf' || up === 'Send') this.error('log-error', call, fn);
    }
  }

  /** Whether a status argument is 4xx/5xx (`unknownIsError`: a computed status counts). */
  private errorStatus(node: Node | undefined, scope: Scope, unknownIsError: boolean): boolean {
    if (!node) return unknownIsError;
    let code: number | undefined;
    if (node.type === 'int_literal') code = Number(node.text);
    else if (node.type === 'selector_expression') code = STATUS[node.childForFieldName('field')?.text ?? ''];
    else if (node.type === 'identifier') {
      const v = this.lookup(node.text, scope);
      code = v?.k === 'expr' && v.node.type === 'int_literal' ? Number(v.node.text) : STATUS[node.text];
    }
    return code === undefined ? unknownIsError : code >= 400;
  }

  /** `if err != nil {}` with nothing but comments inside drops the error. */
  protected checkSwallow(node: Node, fn: Fn): void {
    if (!fn.inside) return;
    const cond = node.childForFieldName('condition');
    if (!cond?.text.endsWith('!= nil')) return;
    const body = node.childForFieldName('consequence');
    if (cond.type !== 'binary_expression' || !body || node.childForFieldName('alternative')) return;
    if (cond.childForFieldName('operator')?.text !== '!=') return;
    const l = cond.childForFieldName('left');
    const r = cond.childForFieldName('right');
    if (l?.type !== 'identifier' || !ERR_NAME.test(l.text) || r?.type !== 'nil') return;
    const empty = body.namedChildren.every((c) => !c || c.type === 'comment' || (c.type === 'statement_list' && c.namedChildren.every((s) => !s || s.type === 'comment' || s.type === 'empty_statement')));
    if (empty) this.error('swallow', node, fn);
  }

  /** The statement a `recover()` is in: the `if r := recover(); r != nil {…}` when it is the initializer. */
  protected statementOf(call: Node): Node {
    let n: Node = call;
    while (n.parent && !n.type.endsWith('_statement') && n.type !== 'short_var_declaration') n = n.parent;
    if (n.parent?.type === 'if_statement' && n.parent.childForFieldName('initializer')?.id === n.id) return n.parent;
    return n;
  }
}
