/**
 * gRPC on Node (@grpc/grpc-js, grpc): `server.addService(pkg.ArticleService.service, impl)` where impl is an
 * object literal (inline, or a variable) or an instance of a local class; each key is an RPC implementation.
 */
import type { Node } from '../../node';
import type { Loc } from '../../facts';
import { locOf } from '../../syntax';
import type { JsFile } from './context';
import { argsOf, FN_TYPES, propertyName, unwrap } from './syntax';

/** The proto service names a service-definition argument may stand for (`pkg.ArticleService.service`, `ArticleServiceService`). */
function serviceNames(node: Node): string[] {
  const n = unwrap(node);
  let last = n.type === 'member_expression' ? n.childForFieldName('property')?.text : n.type === 'identifier' ? n.text : undefined;
  if (last === 'service' && n.type === 'member_expression') {
    const obj = unwrap(n.childForFieldName('object') ?? n);
    last = obj.type === 'member_expression' ? obj.childForFieldName('property')?.text : obj.type === 'identifier' ? obj.text : undefined;
    return last ? [last] : [];
  }
  if (!last) return [];
  // Generated stubs name the definition `<Service>Service`.
  return last.endsWith('Service') && last.length > 'Service'.length ? [last, last.slice(0, -'Service'.length)] : [last];
}

/** The location of an implementation value: a local function's definition, else the property itself. */
function methodLoc(js: JsFile, value: Node, prop: Node): Loc {
  const v = unwrap(value);
  if (FN_TYPES.has(v.type)) {
    js.record(v);
    return js.fnLoc(v);
  }
  if (v.type === 'identifier' || v.type === 'shorthand_property_identifier') {
    const b = js.lookup(v.text, v);
    if (b?.kind === 'function') return js.fnLoc(b.fn);
    if (b?.kind === 'var' && b.value && FN_TYPES.has(unwrap(b.value).type)) return js.fnLoc(unwrap(b.value));
  }
  return locOf(prop, true);
}

/** Reads `addService` registrations into GrpcImplFacts. */
export function readGrpc(js: JsFile): void {
  for (const { node: call, prop } of js.calls()) {
    if (prop !== 'addService') continue;
    const [def, implArg] = argsOf(call);
    if (!def || !implArg) continue;
    const services = serviceNames(def);
    if (services.length === 0) {
      js.warn(call, `gRPC service definition not understood: ${def.text.slice(0, 80)}`);
      continue;
    }
    const impl = unwrap(implArg);
    let container = services[0] as string;
    let methods: { name: string; loc: Loc }[] | undefined;
    let obj: Node | undefined = impl.type === 'object' ? impl : undefined;
    if (impl.type === 'identifier') {
      container = impl.text;
      const b = js.lookup(impl.text, impl);
      const v = b?.kind === 'var' && b.value ? unwrap(b.value) : undefined;
      if (v?.type === 'object') obj = v;
      else if (v?.type === 'new_expression') methods = classMethods(js, v);
      if (v?.type === 'new_expression') container = v.childForFieldName('constructor')?.text ?? container;
    } else if (impl.type === 'new_expression') {
      methods = classMethods(js, impl);
      container = impl.childForFieldName('constructor')?.text ?? container;
    }
    if (obj) {
      methods = [];
      for (const p of obj.namedChildren) {
        if (!p) continue;
        if (p.type === 'pair') {
          const key = p.childForFieldName('key');
          const name = key ? propertyName(key) : undefined;
          const value = p.childForFieldName('value');
          if (name && value) methods.push({ name, loc: methodLoc(js, value, p) });
        } else if (p.type === 'shorthand_property_identifier') methods.push({ name: p.text, loc: methodLoc(js, p, p) });
        else if (p.type === 'method_definition') {
          const name = p.childForFieldName('name')?.text;
          if (name) methods.push({ name, loc: methodLoc(js, p, p) });
        }
      }
    }
    if (!methods) {
      js.warn(call, `gRPC implementation ${implArg.text.slice(0, 60)} is defined elsewhere: its methods are not linked`);
      continue;
    }
    for (const service of services) js.facts.grpcImpls.push({ service, container, methods, framework: 'grpc', loc: locOf(call) });
  }
}

/** The methods of a local class instantiated with `new X()`. */
function classMethods(js: JsFile, newExpr: Node): { name: string; loc: Loc }[] | undefined {
  const ctor = newExpr.childForFieldName('constructor');
  const b = ctor?.type === 'identifier' ? js.lookup(ctor.text, ctor) : undefined;
  if (b?.kind !== 'class') return undefined;
  const out: { name: string; loc: Loc }[] = [];
  for (const m of b.node.childForFieldName('body')?.namedChildren ?? []) {
    const name = m?.type === 'method_definition' ? m.childForFieldName('name')?.text : undefined;
    if (m && name && name !== 'constructor') out.push({ name, loc: js.fnLoc(m) });
  }
  return out;
}
