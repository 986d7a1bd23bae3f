/**
 * Class-based views: which HTTP methods a Django View / DRF APIView / Flask MethodView class answers and which
 * method handles each (its own, a base class's in the workspace, or the framework's), and the routes a DRF
 * router generates for a ViewSet (list and detail routes from its actions, `@action` extra routes).
 */
import type { ExternalBase, PyModules } from './modules';
import type { ClassInfo } from './summary';

/** One HTTP method a view answers, and what handles it. */
export interface ViewMethod {
  /** Upper-case; `ANY` when the view takes every method. */
  readonly method: string;
  /** The handling method's name (`get`, `list`, `dispatch_request`). */
  readonly name: string;
  /** The class that defines it: the view itself or a base class in the workspace; undefined = a framework class. */
  readonly owner?: { readonly file: string; readonly cls: ClassInfo } | undefined;
}

export type ViewFramework = 'django' | 'drf' | 'flask';

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'];

/** HTTP methods of framework generic views (the ones their own get()/post() implement). */
const GENERIC_VIEWS: Readonly<Record<string, readonly string[]>> = {
  ListAPIView: ['GET'],
  CreateAPIView: ['POST'],
  RetrieveAPIView: ['GET'],
  DestroyAPIView: ['DELETE'],
  UpdateAPIView: ['PUT', 'PATCH'],
  ListCreateAPIView: ['GET', 'POST'],
  RetrieveUpdateAPIView: ['GET', 'PUT', 'PATCH'],
  RetrieveDestroyAPIView: ['GET', 'DELETE'],
  RetrieveUpdateDestroyAPIView: ['GET', 'PUT', 'PATCH', 'DELETE'],
  TemplateView: ['GET'],
  ListView: ['GET'],
  DetailView: ['GET'],
  ArchiveIndexView: ['GET'],
  RedirectView: ['ANY'],
  FormView: ['GET', 'POST'],
  CreateView: ['GET', 'POST'],
  UpdateView: ['GET', 'POST'],
  DeleteView: ['GET', 'POST'],
  LoginView: ['GET', 'POST'],
  LogoutView: ['POST'],
};

/** DRF ViewSet base classes and mixins → the actions they implement. */
const VIEWSET_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  ModelViewSet: ['list', 'create', 'retrieve', 'update', 'partial_update', 'destroy'],
  ReadOnlyModelViewSet: ['list', 'retrieve'],
  GenericViewSet: [],
  ViewSet: [],
  ViewSetMixin: [],
  ListModelMixin: ['list'],
  CreateModelMixin: ['create'],
  RetrieveModelMixin: ['retrieve'],
  UpdateModelMixin: ['update', 'partial_update'],
  DestroyModelMixin: ['destroy'],
};

/** The standard ViewSet actions by route kind. */
const LIST_ACTIONS: readonly (readonly [string, string])[] = [
  ['GET', 'list'],
  ['POST', 'create'],
];
const DETAIL_ACTIONS: readonly (readonly [string, string])[] = [
  ['GET', 'retrieve'],
  ['PUT', 'update'],
  ['PATCH', 'partial_update'],
  ['DELETE', 'destroy'],
];

function frameworkOf(external: readonly ExternalBase[]): ViewFramework | undefined {
  for (const b of external) {
    if (b.module.startsWith('rest_framework')) return 'drf';
    if (b.module.startsWith('flask') || b.module.startsWith('quart')) return 'flask';
    if (b.module.startsWith('django')) return 'django';
  }
  for (const b of external) {
    if (b.name === 'MethodView') return 'flask';
    if (b.name === 'APIView' || b.name.endsWith('APIView') || VIEWSET_ACTIONS[b.name]) return 'drf';
  }
  return undefined;
}

/**
 * The methods a class-based view answers. `explicit` is a methods list given at the registration site
 * (Flask `add_url_rule(methods=[...])`), which wins.
 */
export function classViewMethods(mods: PyModules, file: string, cls: ClassInfo, explicit?: readonly string[]): { framework: ViewFramework; methods: ViewMethod[] } {
  const { chain, external } = mods.lineage(file, cls);
  const framework = frameworkOf(external) ?? 'django';
  const defined = (name: string): ViewMethod['owner'] => {
    const hit = chain.find((c) => c.cls.methods.has(name));
    return hit ? { file: hit.file, cls: hit.cls } : undefined;
  };
  const attrList = (name: string): string[] | undefined => {
    for (const c of chain) {
      const e = c.cls.attrs.get(name);
      if (e) {
        const v = mods.evaluate(c.file, e);
        return Array.isArray(v) ? v.map((m) => m.toUpperCase()) : undefined;
      }
    }
    return undefined;
  };
  const isFlaskPlainView = framework === 'flask' && !external.some((b) => b.name === 'MethodView');
  if (isFlaskPlainView) {
    // flask.views.View: dispatch_request answers the class's `methods` (GET by default).
    const owner = defined('dispatch_request');
    return { framework, methods: (explicit ?? attrList('methods') ?? ['GET']).map((method) => ({ method, name: 'dispatch_request', owner })) };
  }
  const out = new Map<string, ViewMethod>();
  for (const m of METHOD_ORDER) {
    const owner = defined(m.toLowerCase());
    if (owner) out.set(m, { method: m, name: m.toLowerCase(), owner });
  }
  for (const b of external) {
    for (const m of GENERIC_VIEWS[b.name] ?? []) if (!out.has(m)) out.set(m, { method: m, name: m === 'ANY' ? 'dispatch' : m.toLowerCase() });
  }
  let methods = [...out.values()];
  const allowed = explicit ?? attrList(framework === 'flask' ? 'methods' : 'http_method_names');
  if (allowed) {
    methods = allowed.map((method) => methods.find((m) => m.method === method) ?? { method, name: method.toLowerCase(), owner: defined(method.toLowerCase()) });
  }
  if (methods.length === 0) {
    const owner = defined('dispatch');
    methods = [{ method: 'ANY', name: 'dispatch', owner }];
  }
  return { framework, methods };
}

/** One route a DRF router generates for a ViewSet. */
export interface ViewSetRoute {
  readonly detail: boolean;
  /** The extra path segment of an `@action` route (its url_path), '' for the list and detail routes. */
  readonly urlPath: string;
  readonly method: ViewMethod;
}

/** The routes a router generates for a ViewSet, in DRF's order (list, list actions, detail, detail actions), and the lookup name. */
export function viewSetRoutes(mods: PyModules, file: string, cls: ClassInfo): { routes: ViewSetRoute[]; lookup: string } {
  const { chain, external } = mods.lineage(file, cls);
  const builtin = new Set(external.flatMap((b) => VIEWSET_ACTIONS[b.name] ?? []));
  const action = (name: string): ViewMethod['owner'] | 'builtin' | undefined => {
    const hit = chain.find((c) => c.cls.methods.has(name));
    if (hit) return { file: hit.file, cls: hit.cls };
    return builtin.has(name) ? 'builtin' : undefined;
  };
  const standard = (detail: boolean): ViewSetRoute[] =>
    (detail ? DETAIL_ACTIONS : LIST_ACTIONS).flatMap(([method, name]) => {
      const a = action(name);
      return a === undefined ? [] : [{ detail, urlPath: '', method: { method, name, owner: a === 'builtin' ? undefined : a } }];
    });
  const extras = (detail: boolean): ViewSetRoute[] => {
    const out: ViewSetRoute[] = [];
    const seen = new Set<string>();
    for (const c of chain) {
      for (const m of c.cls.methods.values()) {
        if (!m.action || m.action.detail !== detail || seen.has(m.name)) continue;
        seen.add(m.name);
        for (const method of m.action.methods) out.push({ detail, urlPath: m.action.urlPath, method: { method, name: m.name, owner: c } });
        // `@publish.mapping.delete def unpublish`: another method on the same URL
        for (const other of c.cls.methods.values()) {
          if (other.mapping?.action === m.name) out.push({ detail, urlPath: m.action.urlPath, method: { method: other.mapping.method, name: other.name, owner: c } });
        }
      }
    }
    return out;
  };
  let lookup = 'pk';
  for (const c of chain) {
    const e = c.cls.attrs.get('lookup_url_kwarg') ?? c.cls.attrs.get('lookup_field');
    const v = e ? mods.evaluate(c.file, e) : undefined;
    if (typeof v === 'string') {
      lookup = v;
      break;
    }
  }
  return { routes: [...standard(false), ...extras(false), ...standard(true), ...extras(true)], lookup };
}

/** `as_view({'get': 'list', 'post': 'create'})` on a ViewSet: the mapping's methods, handled by the named actions. */
export function mappedViewMethods(mods: PyModules, file: string, cls: ClassInfo, mapping: ReadonlyMap<string, string>): ViewMethod[] {
  const { chain } = mods.lineage(file, cls);
  return [...mapping].map(([method, name]) => {
    const hit = chain.find((c) => c.cls.methods.has(name));
    return { method: method.toUpperCase(), name, owner: hit ? { file: hit.file, cls: hit.cls } : undefined };
  });
}

/** The methods of a framework view class by name (`TemplateView` → GET), for one that is not in the workspace. */
export function builtinViewMethods(name: string): readonly string[] | undefined {
  return GENERIC_VIEWS[name];
}
