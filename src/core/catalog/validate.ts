import type { Dashboard, ServiceEntry } from './model';
import { dashboardKeys, metricsKeys, misplacedServiceKeys, serviceKeys, topKeys } from './keys';
import { readDeploys } from './deploys';
import { readFolderList, readGlobList, readText } from './fields';
import { describe, didYouMean, isHttpUrl, isMapping, quote, type Reporter } from './report';
import { joinPath } from './yamlDoc';

/** Names the catalog may refer to, from the settings; when a list is given, other names are warned about. */
export interface KnownNames {
  /** Names of `oncall.traces.backends` entries. */
  readonly knownBackends?: readonly string[];
  /** Names of the configured Prometheus servers. */
  readonly knownPrometheus?: readonly string[];
}

/** What could be read from the document, problems aside. */
export interface ValidatedCatalog {
  /** `undefined` when the file has no usable `services:` list (absent, not a list, an empty file, not a mapping). */
  readonly services: ServiceEntry[] | undefined;
  /** Top-level `runbooks:`; `undefined` when absent. */
  readonly runbooks: string[] | undefined;
}

/**
 * Checks a parsed oncall.yaml against the same rules as schemas/oncall.schema.json, plus what a schema cannot say
 * (unique service names, glob syntax, names of configured backends). Never throws; keeps what could be read.
 */
export function validateCatalog(value: unknown, r: Reporter, known: KnownNames): ValidatedCatalog {
  if (value === undefined || value === null) return { services: undefined, runbooks: undefined };
  if (!isMapping(value)) {
    r.atValue('', 'error', 'not-a-mapping', `expected a mapping with "services:" at the top, got ${describe(value)}`);
    return { services: undefined, runbooks: undefined };
  }
  unknownKeys(r, '', value, topKeys, {});
  const version = value['version'];
  if (version !== undefined && version !== 1) r.atValue('version', 'error', 'invalid-value', `expected 1 (the only version so far), got ${typeof version === 'string' ? quote(version) : describe(version)}`);
  const runbooks = value['runbooks'] === undefined ? undefined : readFolderList(r, 'runbooks', value['runbooks']);
  const rawServices = value['services'];
  if (rawServices === undefined) return { services: undefined, runbooks };
  if (!Array.isArray(rawServices)) {
    r.atValue('services', 'error', 'wrong-type', `expected a list of services, e.g. - name: checkout, got ${describe(rawServices)}`);
    return { services: undefined, runbooks };
  }
  const services: ServiceEntry[] = [];
  const byName = new Map<string, { index: number; line: number }>();
  rawServices.forEach((raw: unknown, i: number) => {
    const path = `services[${i}]`;
    const service = readService(r, path, raw, known);
    if (!service) return;
    const id = service.name.toLowerCase();
    const first = byName.get(id);
    if (first) {
      r.atValue(`${path}.name`, 'error', 'duplicate-service', `${quote(service.name)} is already the name of services[${first.index}] (line ${first.line}); this entry is ignored`);
      return;
    }
    byName.set(id, { index: i, line: service.line ?? 1 });
    services.push(service);
  });
  return { services, runbooks };
}

function readService(r: Reporter, path: string, raw: unknown, known: KnownNames): ServiceEntry | undefined {
  if (!isMapping(raw)) {
    r.atValue(path, 'error', 'wrong-type', `expected a service (a mapping with name:, paths: …), got ${describe(raw)}`);
    return undefined;
  }
  unknownKeys(r, path, raw, serviceKeys, misplacedServiceKeys);
  let name: string | undefined;
  if (raw['name'] === undefined) r.atValue(path, 'error', 'missing-key', '"name" is required, e.g. name: checkout; this entry is ignored');
  else name = readText(r, `${path}.name`, raw['name'], 'a service name, e.g. "checkout"');
  const at = (key: string): string => `${path}.${key}`;
  const has = (key: string): boolean => raw[key] !== undefined;
  const text = (key: string, example: string): string | undefined => (has(key) ? readText(r, at(key), raw[key], example) : undefined);

  const description = text('description', 'one line about the service');
  let tier: string | undefined;
  if (has('tier')) {
    const t = raw['tier'];
    if (typeof t === 'number' && Number.isInteger(t)) tier = String(t);
    else tier = readText(r, at('tier'), t, 'a tier, e.g. 1 or "critical"');
  }
  const paths = has('paths') ? readGlobList(r, at('paths'), raw['paths']) : [];
  const team = text('team', 'a team name, e.g. "payments"');
  const escalation = text('escalation', 'who to page: a handle, a URL or a sentence');
  const runbooks = has('runbooks') ? readFolderList(r, at('runbooks'), raw['runbooks']) : [];
  const dashboards = has('dashboards') ? readDashboards(r, at('dashboards'), raw['dashboards']) : [];
  const traces = text('traces', 'the name of a trace backend from oncall.traces.backends');
  if (traces !== undefined && known.knownBackends) checkName(r, at('traces'), traces, known.knownBackends, 'unknown-backend', 'trace backend', 'oncall.traces.backends');
  const metrics = has('metrics') ? readMetrics(r, at('metrics'), raw['metrics'], known) : undefined;
  const deploys = has('deploys') ? readDeploys(r, at('deploys'), raw['deploys']) : [];
  if (name === undefined) return undefined;
  return Object.freeze({
    name,
    ...(description !== undefined ? { description } : {}),
    ...(tier !== undefined ? { tier } : {}),
    paths: Object.freeze(paths),
    ...(team !== undefined ? { team } : {}),
    ...(escalation !== undefined ? { escalation } : {}),
    runbooks: Object.freeze(runbooks),
    dashboards: Object.freeze(dashboards),
    ...(traces !== undefined ? { traces } : {}),
    ...(metrics !== undefined ? { metrics } : {}),
    deploys: Object.freeze(deploys),
    line: r.lineOf(path),
  });
}

function readDashboards(r: Reporter, path: string, value: unknown): Dashboard[] {
  if (!Array.isArray(value)) {
    r.atValue(path, 'error', 'wrong-type', `expected a list of links, e.g. [{ title: Checkout, url: "https://grafana.example/d/abc" }], got ${describe(value)}`);
    return [];
  }
  const out: Dashboard[] = [];
  value.forEach((item: unknown, i: number) => {
    const p = `${path}[${i}]`;
    if (!isMapping(item)) {
      r.atValue(p, 'error', 'wrong-type', `expected { title: …, url: … }, got ${describe(item)}`);
      return;
    }
    unknownKeys(r, p, item, dashboardKeys, {});
    if (item['url'] === undefined) {
      r.atValue(p, 'error', 'missing-key', '"url" is required, e.g. url: "https://grafana.example/d/abc"');
      return;
    }
    const url = readText(r, `${p}.url`, item['url'], 'an http:// or https:// URL');
    const title = item['title'] === undefined ? undefined : readText(r, `${p}.title`, item['title'], 'a title, e.g. "Checkout overview"');
    if (url === undefined) return;
    if (!isHttpUrl(url)) {
      r.atValue(`${p}.url`, 'error', 'invalid-url', `expected an http:// or https:// URL, got ${quote(url)}`);
      return;
    }
    out.push(Object.freeze({ title: title ?? defaultTitle(url), url }));
  });
  return out;
}

/** A dashboard without a title is shown by its host and path: `grafana.example/d/abc`. */
function defaultTitle(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
}

function readMetrics(r: Reporter, path: string, value: unknown, known: KnownNames): ServiceEntry['metrics'] {
  if (!isMapping(value)) {
    r.atValue(path, 'error', 'wrong-type', `expected { prometheus: …, exemplars: … }, got ${describe(value)}`);
    return undefined;
  }
  unknownKeys(r, path, value, metricsKeys, {});
  const prometheus = value['prometheus'] === undefined ? undefined : readText(r, `${path}.prometheus`, value['prometheus'], 'the name of a configured Prometheus');
  if (prometheus !== undefined && known.knownPrometheus) checkName(r, `${path}.prometheus`, prometheus, known.knownPrometheus, 'unknown-prometheus', 'Prometheus', 'the Prometheus settings');
  const exemplars = value['exemplars'] === undefined ? undefined : readText(r, `${path}.exemplars`, value['exemplars'], 'a PromQL selector of a histogram, e.g. \'http_server_duration_seconds_bucket{service="checkout"}\'');
  if (prometheus === undefined && exemplars === undefined) return undefined;
  return Object.freeze({ ...(prometheus !== undefined ? { prometheus } : {}), ...(exemplars !== undefined ? { exemplars } : {}) });
}

function checkName(r: Reporter, path: string, name: string, known: readonly string[], code: string, what: string, where: string): void {
  if (known.includes(name)) return;
  const list = known.length === 0 ? 'none is configured' : `configured: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}`;
  r.atValue(path, 'warning', code, `no ${what} named ${quote(name)} in ${where} (${list})${didYouMean(name, known)}`);
}

/** Keys not in `allowed` are warnings, with the closest known key or the place a misplaced key belongs. */
function unknownKeys(r: Reporter, path: string, value: Record<string, unknown>, allowed: readonly string[], misplaced: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const moved = Object.prototype.hasOwnProperty.call(misplaced, key) ? misplaced[key] : undefined;
    const hint = moved !== undefined ? `; did you mean "${moved}"?` : didYouMean(key, allowed);
    r.atKey(joinPath(path, key), 'warning', 'unknown-key', `unknown key, ignored${hint} (keys here: ${allowed.join(', ')})`);
  }
}
