import type { DeploySourceConfig } from './model';
import { allDeployKeys, changeKinds, deployKeys, deployKinds, mappingKeys, requiredMappingKeys, type DeployKind } from './keys';
import { readRelativePath, readText } from './fields';
import { describe, didYouMean, isHttpUrl, isMapping, quote, type Reporter } from './report';
import { joinPath } from './yamlDoc';

/**
 * `services[i].deploys`: where the deploys capability reads deploy history from. Each entry is checked on its own;
 * an entry with an error (unknown kind, missing or wrong required field) is left out, the others are kept.
 */
export function readDeploys(r: Reporter, path: string, value: unknown): DeploySourceConfig[] {
  if (!Array.isArray(value)) {
    r.atValue(path, 'error', 'wrong-type', `expected a list of deploy sources, e.g. [{ kind: git, tags: "checkout-v*" }], got ${describe(value)}`);
    return [];
  }
  const out: DeploySourceConfig[] = [];
  value.forEach((entry: unknown, i: number) => {
    const d = readDeploy(r, `${path}[${i}]`, entry);
    if (d) out.push(d);
  });
  return out;
}

function readDeploy(r: Reporter, path: string, entry: unknown): DeploySourceConfig | undefined {
  if (!isMapping(entry)) {
    r.atValue(path, 'error', 'wrong-type', `expected a deploy source with "kind:" (${deployKinds.join(', ')}), got ${describe(entry)}`);
    return undefined;
  }
  const rawKind = entry['kind'];
  if (rawKind === undefined) {
    r.atValue(path, 'error', 'missing-key', `"kind" is required: one of ${deployKinds.join(', ')}`);
    return undefined;
  }
  if (typeof rawKind !== 'string' || !(deployKinds as readonly string[]).includes(rawKind.trim())) {
    const hint = typeof rawKind === 'string' ? didYouMean(rawKind.trim(), deployKinds) : '';
    r.atValue(`${path}.kind`, 'error', 'invalid-value', `expected one of ${deployKinds.join(', ')}, got ${typeof rawKind === 'string' ? quote(rawKind) : describe(rawKind)}${hint}`);
    return undefined;
  }
  const kind = rawKind.trim() as DeployKind;
  const spec = deployKeys[kind];
  const before = r.problems.filter((p) => p.severity === 'error').length;
  const options: Record<string, unknown> = {};
  for (const key of Object.keys(entry)) {
    if (key === 'kind') continue;
    const keyPath = joinPath(path, key);
    if (!spec.keys.includes(key)) {
      const takes = `kind ${kind} takes ${spec.keys.join(', ')}`;
      if (allDeployKeys.includes(key)) r.atKey(keyPath, 'warning', 'unknown-key', `not used by kind ${kind}, ignored (${takes})`);
      else r.atKey(keyPath, 'warning', 'unknown-key', `unknown key, ignored${didYouMean(key, spec.keys)} (${takes})`);
      continue;
    }
    const v = readOption(r, keyPath, key, entry[key]);
    if (v !== undefined) options[key] = v;
  }
  for (const key of spec.required) {
    if (entry[key] === undefined) r.atValue(path, 'error', 'missing-key', `kind ${kind} needs "${key}"${requiredExample(key)}`);
  }
  if (spec.anyOf && !spec.anyOf.some((k) => entry[k] !== undefined)) {
    r.atValue(path, 'error', 'missing-key', `kind ${kind} needs ${spec.anyOf.map((k) => `"${k}"`).join(' or ')}, e.g. tags: "checkout-v*"`);
  }
  if (kind === 'github' && options['deployments'] === false && options['releases'] === false) {
    r.atValue(path, 'warning', 'reads-nothing', 'deployments and releases are both false: this source reads nothing');
  }
  if (r.problems.filter((p) => p.severity === 'error').length > before) return undefined;
  return Object.freeze({ kind, options: Object.freeze(options), line: r.lineOf(path) });
}

function readOption(r: Reporter, path: string, key: string, value: unknown): unknown {
  switch (key) {
    case 'tags':
      return readText(r, path, value, 'a tag pattern, e.g. "checkout-v*"');
    case 'branch':
      return readText(r, path, value, 'a branch name, e.g. "main"');
    case 'environment':
      return readText(r, path, value, 'an environment name, e.g. "production"');
    case 'app':
      return readText(r, path, value, 'an Argo CD application name, e.g. "checkout-prod"');
    case 'repo': {
      const repo = readText(r, path, value, 'a GitHub repository as "owner/name"');
      if (repo !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) {
        r.atValue(path, 'error', 'invalid-value', `expected a GitHub repository as "owner/name", e.g. "acme/shop", got ${quote(repo)}`);
        return undefined;
      }
      return repo;
    }
    case 'deployments':
    case 'releases':
      if (typeof value === 'boolean') return value;
      r.atValue(path, 'error', 'wrong-type', `expected true or false, got ${describe(value)}`);
      return undefined;
    case 'items':
      return readText(r, path, value, 'the dotted path of the list in the answer, e.g. "data.deploys"');
    case 'changeKind': {
      const text = readText(r, path, value, `one of ${changeKinds.join(', ')}`);
      if (text !== undefined && !(changeKinds as readonly string[]).includes(text)) {
        r.atValue(path, 'error', 'invalid-value', `expected one of ${changeKinds.join(', ')}, got ${quote(text)}${didYouMean(text, changeKinds)}`);
        return undefined;
      }
      return text;
    }
    case 'api':
    case 'server':
    case 'url': {
      const url = readText(r, path, value, 'an http:// or https:// URL');
      if (url !== undefined && !isHttpUrl(url)) {
        r.atValue(path, 'error', 'invalid-url', `expected an http:// or https:// URL, got ${quote(url)}`);
        return undefined;
      }
      return url;
    }
    case 'path':
      return readRelativePath(r, path, value, 'a file relative to the workspace folder, e.g. "deploys/checkout.jsonl"');
    case 'mapping':
      return readMapping(r, path, value);
    default:
      return undefined;
  }
}

/** `mapping:` of an http source: which field of the answer holds each part of a deploy. */
function readMapping(r: Reporter, path: string, value: unknown): Readonly<Record<string, string>> | undefined {
  if (!isMapping(value)) {
    r.atValue(path, 'error', 'wrong-type', `expected a mapping of ${mappingKeys.join(', ')} to fields of the answer, e.g. { version: tag, time: deployed_at }, got ${describe(value)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!(mappingKeys as readonly string[]).includes(key)) {
      r.atKey(joinPath(path, key), 'warning', 'unknown-key', `unknown key, ignored${didYouMean(key, mappingKeys)} (keys here: ${mappingKeys.join(', ')})`);
      continue;
    }
    const field = readText(r, `${path}.${key}`, value[key], 'the name or path of a field in the answer, e.g. "deployed_at"');
    if (field === undefined) ok = false;
    else out[key] = field;
  }
  for (const key of requiredMappingKeys) {
    if (value[key] === undefined) {
      r.atValue(path, 'error', 'missing-key', `"${key}" is required: the field of the answer that holds the deploy's ${key}`);
      ok = false;
    }
  }
  return ok ? Object.freeze(out) : undefined;
}

function requiredExample(key: string): string {
  switch (key) {
    case 'repo':
      return ', e.g. repo: acme/shop';
    case 'server':
      return ', e.g. server: https://argocd.example.com';
    case 'app':
      return ', e.g. app: checkout-prod';
    case 'url':
      return ', e.g. url: https://deploys.example.com/api/deploys?service=checkout';
    case 'mapping':
      return ', e.g. mapping: { version: tag, time: deployed_at }';
    case 'path':
      return ', e.g. path: deploys/checkout.jsonl';
    default:
      return '';
  }
}
