import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { deployKeys, deployKinds, dashboardKeys, mappingKeys, metricsKeys, requiredMappingKeys, serviceKeys, topKeys } from '../../../src/core/catalog/keys';
import { loadCatalog } from '../../../src/core/catalog/load';
import { fixture, repoRoot } from '../helpers';

/**
 * schemas/oncall.schema.json (what the YAML extension checks and completes) and loadCatalog (what On-Call Lens reads)
 * must say the same. Two checks: the keys and kinds each lists are the same, and a set of documents is valid for
 * both or invalid for both, judged by a small draft-07 validator written here. The validator knows only the
 * keywords the schema may use and throws on any other, so the schema cannot drift into something it skips.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type SchemaNode = { [k: string]: Json };

const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'oncall.schema.json'), 'utf8')) as SchemaNode;
const annotations = new Set(['$schema', '$id', 'title', 'description', 'markdownDescription', 'examples', 'default', 'defaultSnippets', 'format', 'definitions']);

function resolve(node: SchemaNode): SchemaNode {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  const m = /^#\/definitions\/(\w+)$/.exec(ref);
  const target = m ? (schema['definitions'] as SchemaNode | undefined)?.[m[1] as string] : undefined;
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  return target as SchemaNode;
}

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      throw new Error(`unknown type ${type}`);
  }
}

/** Errors of `v` against `node` (draft-07 subset), as `path: keyword`. */
function validate(node0: SchemaNode, v: unknown, at = '$'): string[] {
  const node = resolve(node0);
  const errors: string[] = [];
  const obj = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  for (const [kw, arg] of Object.entries(node)) {
    if (annotations.has(kw) || kw === 'then' || kw === 'else') continue;
    switch (kw) {
      case '$ref':
        break;
      case 'type':
        if (!(Array.isArray(arg) ? arg : [arg]).some((t) => typeOk(t as string, v))) errors.push(`${at}: type`);
        break;
      case 'enum':
        if (!(arg as Json[]).some((e) => e === v)) errors.push(`${at}: enum`);
        break;
      case 'const':
        if (arg !== v) errors.push(`${at}: const`);
        break;
      case 'pattern':
        if (typeof v === 'string' && !new RegExp(arg as string, 'u').test(v)) errors.push(`${at}: pattern`);
        break;
      case 'required':
        if (obj) for (const k of arg as string[]) if (!Object.prototype.hasOwnProperty.call(obj, k)) errors.push(`${at}: required ${k}`);
        break;
      case 'properties':
        if (obj) for (const [k, sub] of Object.entries(arg as SchemaNode)) if (Object.prototype.hasOwnProperty.call(obj, k)) errors.push(...validate(sub as SchemaNode, obj[k], `${at}.${k}`));
        break;
      case 'additionalProperties':
        if (arg !== false) throw new Error('only additionalProperties: false is supported');
        if (obj) for (const k of Object.keys(obj)) if (!Object.prototype.hasOwnProperty.call(node['properties'] ?? {}, k)) errors.push(`${at}: additional ${k}`);
        break;
      case 'propertyNames':
        if (obj) for (const k of Object.keys(obj)) if (validate(arg as SchemaNode, k).length > 0) errors.push(`${at}: propertyName ${k}`);
        break;
      case 'items':
        if (Array.isArray(v)) v.forEach((item, i) => errors.push(...validate(arg as SchemaNode, item, `${at}[${i}]`)));
        break;
      case 'allOf':
        for (const sub of arg as SchemaNode[]) errors.push(...validate(sub, v, at));
        break;
      case 'anyOf':
        if (!(arg as SchemaNode[]).some((sub) => validate(sub, v, at).length === 0)) errors.push(`${at}: anyOf`);
        break;
      case 'if': {
        const branch = validate(arg as SchemaNode, v, at).length === 0 ? node['then'] : node['else'];
        if (branch) errors.push(...validate(branch as SchemaNode, v, at));
        break;
      }
      default:
        throw new Error(`the test validator does not know the keyword "${kw}" (at ${at}): teach it, or do not use it`);
    }
  }
  return errors;
}

/** Invalid for On-Call Lens: an error, or an unknown key (the schema's additionalProperties: false). */
function tsProblems(text: string): string[] {
  return loadCatalog(text, 'oncall.yaml')
    .problems.filter((p) => p.severity === 'error' || p.code === 'unknown-key')
    .map((p) => `${p.code} ${p.message}`);
}

const svc = (body: string): string => `services:\n  - name: a\n${body.replace(/^/gm, '    ')}\n`;
const deploy = (entry: string): string => svc(`deploys:\n  - ${entry}`);

const valid: Array<[string, string]> = [
  ['the issue example', fixture('catalog', 'issue-example.yaml')],
  ['every key and kind', fixture('catalog', 'every-kind.yaml')],
  ['the demo', fs.readFileSync(path.join(repoRoot, 'demo', 'oncall.yaml'), 'utf8')],
  ['an empty mapping', '{}'],
  ['no services', 'services: []'],
  ['only a name', 'services: [{ name: a }]'],
  ['tier as a word', svc('tier: gold')],
  ['git with only a branch', deploy('{ kind: git, branch: main }')],
  ['github without environment', deploy('{ kind: github, repo: acme/shop.web }')],
  ['a dashboard without title', svc('dashboards: [{ url: "http://grafana:3000/d/x" }]')],
  ['excluding globs', svc('paths: ["a/**", "!a/test/**"]')],
];

const invalid: Array<[string, string]> = [
  ['version 2', 'version: 2'],
  ['a list at the top', '- name: a'],
  ['services a number', 'services: 5'],
  ['a service that is a number', 'services: [5]'],
  ['a service without name', 'services: [{ team: x }]'],
  ['an empty name', 'services: [{ name: "" }]'],
  ['a blank name', 'services: [{ name: "   " }]'],
  ['a numeric name', 'services: [{ name: 5 }]'],
  ['paths a number', svc('paths: 5')],
  ['paths a string', svc('paths: "a/**"')],
  ['an absolute glob', svc('paths: ["/a/**"]')],
  ['a glob leaving the workspace', svc('paths: ["a/../../b"]')],
  ['a runbook folder leaving the workspace', 'runbooks: ["../x"]'],
  ['a Windows absolute runbook folder', svc('runbooks: ["C:/runbooks"]')],
  ['an unknown service key', svc('tema: x')],
  ['an unknown top key', 'servics: []'],
  ['a dashboard without url', svc('dashboards: [{ title: x }]')],
  ['a dashboard with ftp', svc('dashboards: [{ url: "ftp://x" }]')],
  ['a dashboard with an extra key', svc('dashboards: [{ url: "https://x", icon: y }]')],
  ['a dashboard that is a string', svc('dashboards: ["https://x"]')],
  ['metrics a number', svc('metrics: 5')],
  ['an unknown metrics key', svc('metrics: { prom: x }')],
  ['exemplars a list', svc('metrics: { exemplars: [a] }')],
  ['tier 1.5', svc('tier: 1.5')],
  ['tier true', svc('tier: true')],
  ['escalation a list', svc('escalation: [a]')],
  ['traces a number', svc('traces: 5')],
  ['deploys a mapping', svc('deploys: { kind: git }')],
  ['a deploy without kind', deploy('{ tags: x }')],
  ['an unknown kind', deploy('{ kind: svn, tags: x }')],
  ['git without tags or branch', deploy('{ kind: git }')],
  ['git with a github key', deploy('{ kind: git, tags: "v*", repo: a/b }')],
  ['github without repo', deploy('{ kind: github }')],
  ['github repo without owner', deploy('{ kind: github, repo: shop }')],
  ['argocd without app', deploy('{ kind: argocd, server: "https://argo" }')],
  ['argocd server without scheme', deploy('{ kind: argocd, server: argo.example.com, app: x }')],
  ['http without mapping', deploy('{ kind: http, url: "https://d" }')],
  ['http mapping without time', deploy('{ kind: http, url: "https://d", mapping: { version: v } }')],
  ['http mapping with an extra key', deploy('{ kind: http, url: "https://d", mapping: { version: v, time: t, sha: s } }')],
  ['http mapping a string', deploy('{ kind: http, url: "https://d", mapping: version }')],
  ['file without path', deploy('{ kind: file }')],
  ['file with an absolute path', deploy('{ kind: file, path: /var/deploys.jsonl }')],
];

describe('schemas/oncall.schema.json agrees with loadCatalog', () => {
  it('lists the same keys, kinds and required fields', () => {
    const defs = schema['definitions'] as Record<string, SchemaNode>;
    const keysOf = (n: SchemaNode): string[] => Object.keys(resolve(n)['properties'] as SchemaNode).sort();
    assert.deepEqual(keysOf(schema), [...topKeys].sort());
    assert.deepEqual(keysOf(defs['service'] as SchemaNode), [...serviceKeys].sort());
    assert.deepEqual(keysOf(defs['dashboard'] as SchemaNode), [...dashboardKeys].sort());
    assert.deepEqual(keysOf(defs['metrics'] as SchemaNode), [...metricsKeys].sort());
    assert.deepEqual(keysOf(defs['mapping'] as SchemaNode), [...mappingKeys].sort());
    assert.deepEqual(defs['mapping']?.['required'], [...requiredMappingKeys]);
    const deployDef = defs['deploy'] as SchemaNode;
    assert.deepEqual((deployDef['properties'] as Record<string, SchemaNode>)['kind']?.['enum'], [...deployKinds]);
    assert.deepEqual(keysOf(deployDef), ['kind', ...new Set(Object.values(deployKeys).flatMap((k) => k.keys))].sort());
    const perKind = new Map(
      (deployDef['allOf'] as SchemaNode[]).map((rule) => {
        const kind = (((rule['if'] as SchemaNode)['properties'] as Record<string, SchemaNode>)['kind'] as SchemaNode)['const'] as string;
        const then = rule['then'] as SchemaNode;
        const anyOf = (then['anyOf'] as SchemaNode[] | undefined)?.map((a) => (a['required'] as string[])[0]);
        return [kind, { keys: ((then['propertyNames'] as SchemaNode)['enum'] as string[]).filter((k) => k !== 'kind'), required: (then['required'] as string[] | undefined) ?? [], ...(anyOf ? { anyOf } : {}) }];
      }),
    );
    assert.deepEqual(Object.fromEntries(perKind), deployKeys);
  });

  it('every key in the schema has a description, for hover and completion', () => {
    const missing: string[] = [];
    const walk = (n: SchemaNode, where: string): void => {
      for (const [k, sub] of Object.entries((n['properties'] as Record<string, SchemaNode> | undefined) ?? {})) {
        if (typeof sub['description'] !== 'string' && typeof resolve(sub)['description'] !== 'string') missing.push(`${where}.${k}`);
      }
    };
    walk(schema, '$');
    for (const [name, def] of Object.entries(schema['definitions'] as Record<string, SchemaNode>)) walk(def, name);
    assert.deepEqual(missing, []);
  });

  for (const [label, text] of valid) {
    it(`valid for both: ${label}`, () => {
      assert.deepEqual(validate(schema, load(text)), [], 'schema');
      assert.deepEqual(tsProblems(text), [], 'loadCatalog');
    });
  }

  for (const [label, text] of invalid) {
    it(`invalid for both: ${label}`, () => {
      assert.notDeepEqual(validate(schema, load(text)), [], 'the schema accepts it');
      assert.notDeepEqual(tsProblems(text), [], 'loadCatalog accepts it');
    });
  }

  it('what only loadCatalog can see: duplicate names, glob syntax, names of configured backends', () => {
    const text = 'services:\n  - { name: a, paths: ["src/[a"], traces: nope }\n  - { name: A }';
    assert.deepEqual(validate(schema, load(text)), []);
    assert.deepEqual(
      loadCatalog(text, 'oncall.yaml', { knownBackends: ['jaeger'] }).problems.map((p) => p.code),
      ['invalid-glob', 'unknown-backend', 'duplicate-service'],
    );
  });
});
