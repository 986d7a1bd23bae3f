/**
 * gRPC implementations in Go: types embedding `Unimplemented…Server` / `Unsafe…Server`, methods taking a stream
 * type of a service, and `pb.Register…Server(s, impl)` calls.
 */
import type { Node } from '../../node';
import { GoErrors } from './errors';

export const GRPC_MARKER = /^(?:Unimplemented|Unsafe)(\w+)Server$/;
const GRPC_STREAM = /^(\w+)_\w+Server$/;
export const GRPC_REGISTER = /^Register(\w+)Server$/;

export abstract class GoGrpc extends GoErrors {
  // ---- gRPC ---------------------------------------------------------------------------------------------------

  protected addGrpc(type: string, service: string): void {
    let set = this.grpc.get(type);
    if (!set) this.grpc.set(type, (set = new Set()));
    set.add(service);
  }

  /** Streaming methods name their service in the stream type: `stream pb.ArticleService_ListArticlesServer`. */
  protected streamMarkers(container: string, params: Node | null): void {
    for (const p of params?.namedChildren ?? []) {
      const t = p?.childForFieldName('type');
      if (!t?.text.endsWith('Server') || !t.text.includes('_')) continue;
      const tn = this.typeName(t);
      const m = tn?.pkg ? GRPC_STREAM.exec(tn.name) : undefined;
      if (m) this.addGrpc(container, m[1] as string);
    }
  }

  protected emitGrpc(): void {
    for (const [type, services] of this.grpc) {
      const methods = (this.methods.get(type) ?? []).filter((m) => /^[A-Z]/.test(m.name));
      const loc = this.types.get(type)?.loc ?? methods[0]?.loc ?? { line: 1, column: 1 };
      for (const service of services) this.facts.grpcImpls.push({ service, container: type, methods, framework: 'grpc', loc });
    }
  }
}
