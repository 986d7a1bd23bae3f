/**
 * NestJS: `@Controller('prefix')` / `@Controller({ path })` classes are top-level routers, `@Get(':id')`,
 * `@Post()`, … methods are their routes, `app.setGlobalPrefix('api')` is a global prefix for every controller of
 * the service, and `@GrpcMethod('Service', 'Rpc')` methods implement gRPC services.
 */
import type { Node } from '../../node';
import type { Loc } from '../../facts';
import { locOf } from '../../syntax';
import type { JsFile } from './context';
import { propertyValue, unwrap } from './syntax';

const ROUTE_DECORATORS: Readonly<Record<string, string>> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Options: 'OPTIONS', Head: 'HEAD', All: 'ANY', Search: 'SEARCH' };
const GRPC_DECORATORS: ReadonlySet<string> = new Set(['GrpcMethod', 'GrpcStreamMethod', 'GrpcStreamCall']);

interface Decorator {
  readonly node: Node;
  readonly name: string;
  readonly args: readonly Node[];
}

function decorator(d: Node): Decorator | undefined {
  const e = d.namedChild(0);
  if (!e) return undefined;
  if (e.type === 'call_expression') {
    const f = e.childForFieldName('function');
    const name = f?.type === 'member_expression' ? f.childForFieldName('property')?.text : f?.text;
    const args = (e.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
    return name ? { node: d, name, args } : undefined;
  }
  return e.type === 'identifier' ? { node: d, name: e.text, args: [] } : undefined;
}

/** A class's decorators (on the class, or on its `export` statement). */
function classDecorators(cls: Node): Decorator[] {
  const nodes = [...cls.namedChildren];
  if (cls.parent?.type === 'export_statement') nodes.push(...cls.parent.namedChildren);
  return nodes.filter((n): n is Node => n?.type === 'decorator').flatMap((n) => decorator(n) ?? []);
}

/** The decorators right before a class member (tree-sitter makes them its preceding siblings). */
function memberDecorators(member: Node): Decorator[] {
  const out: Decorator[] = [];
  for (let s = member.previousNamedSibling; s && (s.type === 'decorator' || s.type === 'comment'); s = s.previousNamedSibling) {
    const d = s.type === 'decorator' ? decorator(s) : undefined;
    if (d) out.unshift(d);
  }
  return out;
}

/** The path(s) of a decorator argument: none → [''], a string, an array, `{ path }`; undefined when computed. */
function decoratorPaths(js: JsFile, arg: Node | undefined): string[] | undefined {
  if (!arg) return [''];
  let n = unwrap(arg);
  if (n.type === 'object') {
    const p = propertyValue(n, 'path');
    if (!p) return [''];
    n = unwrap(p);
  }
  if (n.type === 'array') {
    const out: string[] = [];
    for (const c of n.namedChildren) {
      if (!c || c.type === 'comment') continue;
      const v = js.constString(c);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  const v = js.constString(n);
  return v === undefined ? undefined : [v];
}

/** Reads Nest controllers, their routes and gRPC methods. */
export function readNest(js: JsFile): void {
  for (const cls of js.of('class')) {
    const className = js.classNameOf(cls);
    if (!className) continue;
    const decorators = classDecorators(cls);
    const controller = decorators.find((d) => d.name === 'Controller');
    let prefixes: string[] | undefined;
    if (controller) {
      prefixes = decoratorPaths(js, controller.args[0]);
      if (!prefixes) js.warn(controller.node, `Controller path computed at run time: ${controller.node.text.slice(0, 80)}`);
      else if (prefixes.length > 1) js.warn(controller.node, `Controller with several paths: only '${prefixes[0]}' is followed`);
      if (prefixes) js.addRouter(className, 'nestjs', controller.node, prefixes[0]);
    }
    const grpc = new Map<string, { name: string; loc: Loc }[]>();
    for (const m of cls.childForFieldName('body')?.namedChildren ?? []) {
      if (m?.type !== 'method_definition') continue;
      const methodName = m.childForFieldName('name')?.text;
      if (!methodName) continue;
      for (const d of memberDecorators(m)) {
        const method = ROUTE_DECORATORS[d.name];
        if (method && controller && prefixes) {
          const paths = decoratorPaths(js, d.args[0]);
          if (!paths) {
            js.warn(d.node, `Route path computed at run time: ${d.node.text.slice(0, 80)}`);
            continue;
          }
          const info = js.record(m);
          for (const path of paths) {
            js.facts.routes.push({ router: { kind: 'local', name: className }, method, path, style: 'colon', handler: { kind: 'here', name: info ? js.display(info) : `${className}.${methodName}`, loc: js.fnLoc(m) }, framework: 'nestjs', loc: locOf(d.node) });
          }
        } else if (GRPC_DECORATORS.has(d.name)) {
          const service = (d.args[0] ? js.constString(d.args[0]) : undefined) ?? className.replace(/Controller$/, '');
          const rpc = d.args[1] ? js.constString(d.args[1]) : undefined;
          const loose = (s: string): string => s.replace(/_/g, '').toLowerCase();
          let list = grpc.get(service);
          if (!list) grpc.set(service, (list = []));
          list.push({ name: rpc !== undefined && loose(rpc) !== loose(methodName) ? rpc : methodName, loc: js.fnLoc(m) });
        }
      }
    }
    for (const [service, methods] of grpc) js.facts.grpcImpls.push({ service, container: className, methods, framework: 'nestjs', loc: locOf(cls) });
  }
}

/** `app.setGlobalPrefix('api')` */
export function readGlobalPrefixes(js: JsFile): void {
  for (const { node: call, prop } of js.calls()) {
    if (prop !== 'setGlobalPrefix') continue;
    const arg = call.childForFieldName('arguments')?.namedChild(0);
    const prefix = js.constString(arg);
    if (prefix === undefined) js.warn(call, `Global prefix computed at run time: ${call.text.slice(0, 80)}`);
    else js.facts.globalPrefixes.push({ framework: 'nestjs', prefix, loc: locOf(call) });
  }
}
