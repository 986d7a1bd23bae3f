/**
 * What the Go reader knows while it walks: the values expressions hold (routers, values of named types, func
 * literals, constant expressions, rows of route tables), the nested scopes that bind them, and the function being read.
 */
import type { Node } from '../../node';
import type { Loc, Ref } from '../../facts';
import type { GoFramework } from './frameworks';

export interface RouterVal {
  readonly k: 'router';
  readonly ref: Ref;
  readonly fw: GoFramework | undefined;
  /** Known to be a router (created, typed); otherwise only a guess from how it is used. */
  readonly sure: boolean;
}

/** What an expression holds, as far as the syntax tells. */
export type Val =
  | RouterVal
  /** A value of a named type (`pkg` = import binding, absent = this package); `origin` = the function that returned it. */
  | { readonly k: 'obj'; readonly pkg?: string | undefined; readonly type?: string | undefined; readonly origin?: Ref | undefined }
  | { readonly k: 'func'; readonly node: Node }
  /** An expression to evaluate where it was written (constants, table cells, literal tables). */
  | { readonly k: 'expr'; readonly node: Node; readonly scope: Scope }
  /** One struct of a literal route table, by field name. */
  | { readonly k: 'row'; readonly fields: ReadonlyMap<string, Node>; readonly scope: Scope }
  /** A parameter or variable of a declared type, read when first used. */
  | { readonly k: 'typed'; readonly type: Node; readonly routerName: string; readonly at: Node }
  | { readonly k: 'none' };

export const NONE: Val = { k: 'none' };

export class Scope {
  private readonly vars = new Map<string, Val>();
  constructor(readonly parent?: Scope) {}
  get(name: string): Val | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
  set(name: string, v: Val): void {
    if (name !== '_') this.vars.set(name, v);
  }
  /** `x = …`: updates the scope that declared x (or this one). */
  assign(name: string, v: Val): void {
    if (!this.update(name, v)) this.set(name, v);
  }
  private update(name: string, v: Val): boolean {
    if (this.vars.has(name)) {
      this.vars.set(name, v);
      return true;
    }
    return this.parent?.update(name, v) ?? false;
  }
}

/** The function being read. */
export interface Fn {
  /** `Container.name` for methods, `name` for functions; '' at package level. */
  readonly qual: string;
  /** For error records: the function or method name. */
  readonly name: string;
  /** Inside a function body (errors are only recorded there). */
  readonly inside: boolean;
  /** Inside a func literal (its `return` is not the function's). */
  readonly literal: boolean;
  /** The declared result is a router type. */
  readonly returnsRouter: GoFramework | undefined;
  /** The declared result is `http.Handler` (a router behind an interface). */
  readonly returnsHandler?: boolean | undefined;
  readonly calls: Set<string>;
}

export interface TypeInfo {
  readonly fields: readonly { readonly name: string; readonly type: Node }[];
  readonly loc: Loc;
}

export interface Row {
  readonly key: Val;
  readonly value: Val;
  readonly loc: Loc;
}
