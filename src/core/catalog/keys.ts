/**
 * The keys oncall.yaml may hold, in one place: the validator (validate.ts) reads them, and a unit test checks that
 * schemas/oncall.schema.json lists exactly the same ones (test/unit/catalog/schemaAgreement.test.ts).
 */

/** `deploys[].kind`: where the deploys capability reads deploy history from. */
export const deployKinds = ['git', 'github', 'argocd', 'http', 'file'] as const;
/** One of {@link deployKinds}. */
export type DeployKind = (typeof deployKinds)[number];

/** Keys at the top of oncall.yaml. */
export const topKeys = ['version', 'runbooks', 'services'] as const;

/** Keys of one entry of `services:`. */
export const serviceKeys = [
  'name',
  'description',
  'tier',
  'paths',
  'team',
  'escalation',
  'runbooks',
  'dashboards',
  'traces',
  'metrics',
  'deploys',
] as const;

/** Keys of one entry of `dashboards:`. */
export const dashboardKeys = ['title', 'url'] as const;

/** Keys of `metrics:`. */
export const metricsKeys = ['prometheus', 'exemplars'] as const;

/**
 * Keys of an `http` deploy source's `mapping:`: where each field of a deploy is found in an item of the answer, as a
 * dotted path (`deployment.sha`). `kind` says whether the item is a deploy, a config change or a flag flip; `service`
 * keeps only the items of the catalog's service when one feed serves many; `id` gives a stable identity.
 */
export const mappingKeys = ['version', 'time', 'commit', 'environment', 'actor', 'status', 'kind', 'service', 'description', 'url', 'id'] as const;

/** What a deploy source can say a change is (`deploys[].changeKind`, a `kind` field in a feed or log). */
export const changeKinds = ['deploy', 'config', 'flag'] as const;

/** Keys of `mapping:` that must be present. */
export const requiredMappingKeys = ['version', 'time'] as const;

/** Per deploy kind: the keys it takes besides `kind`, and which are required (`anyOf`: at least one of them). */
export const deployKeys: Readonly<Record<DeployKind, { readonly keys: readonly string[]; readonly required: readonly string[]; readonly anyOf?: readonly string[] }>> = {
  git: { keys: ['tags', 'branch'], required: [], anyOf: ['tags', 'branch'] },
  github: { keys: ['repo', 'environment', 'api', 'deployments', 'releases'], required: ['repo'] },
  argocd: { keys: ['server', 'app'], required: ['server', 'app'] },
  http: { keys: ['url', 'mapping', 'items', 'changeKind'], required: ['url', 'mapping'] },
  file: { keys: ['path'], required: ['path'] },
};

/** Every key a deploy entry can have, over all kinds (for "did you mean" and for keys used with the wrong kind). */
export const allDeployKeys: readonly string[] = ['kind', ...new Set(Object.values(deployKeys).flatMap((k) => k.keys))];

/** Keys written one level too high, and where they belong: `prometheus:` on a service means `metrics.prometheus`. */
export const misplacedServiceKeys: Readonly<Record<string, string>> = {
  prometheus: 'metrics.prometheus',
  exemplars: 'metrics.exemplars',
  owner: 'team',
  glob: 'paths',
  globs: 'paths',
  path: 'paths',
  dashboard: 'dashboards',
  runbook: 'runbooks',
  deploy: 'deploys',
  tracing: 'traces',
};
