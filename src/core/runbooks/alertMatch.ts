/**
 * From a pasted alert to its runbook. `parseAlertText` reads whatever the engineer pastes — a bare alert name, an
 * Alertmanager notification (default Slack/email title, webhook JSON), a Grafana notification, a Slack message, a
 * label set — into alert names and labels; `matchRunbooks` ranks runbooks against it: exact alert name, then
 * case-insensitive, then the `runbook_url` annotation, then similar names and titles, then labels that name the
 * runbook's service.
 */
import type { Runbook } from './model';

export interface ParsedAlert {
  /** Alert names, most certain first (an `alertname` label before a name guessed from a title). */
  readonly alertNames: readonly string[];
  /** Labels found (`alertname` included), first value wins. */
  readonly labels: Readonly<Record<string, string>>;
  /** `runbook_url` annotations. */
  readonly runbookUrls: readonly string[];
  /** Lower-case words of the text (for matching a summary against titles when no name is given). */
  readonly words: readonly string[];
}

export interface RunbookMatch {
  readonly runbook: Runbook;
  /** 0–100 (and a little over, with label bonuses): 100 exact alert name, 90 case-insensitive, < 80 fuzzy, < 35 labels only. */
  readonly score: number;
  /** Why, for the quick pick: `alert name KubePodCrashLooping`, `similar to …`, `label namespace=… matches …`. */
  readonly reason: string;
}

/** Labels whose values name a service, a job or an application. */
const serviceLabels = ['service', 'job', 'app', 'app_kubernetes_io_name', 'application', 'namespace', 'container', 'component', 'team', 'deployment', 'cluster'];
const knownLabels = new Set(['alertname', 'severity', 'instance', 'pod', 'node', 'env', 'environment', 'region', 'prometheus', ...serviceLabels]);
const maxInput = 1024 * 1024;

/** Reads a pasted alert. Never throws; text it does not understand gives empty results. */
export function parseAlertText(text: string): ParsedAlert {
  const input = text.length > maxInput ? text.slice(0, maxInput) : text;
  const acc = new Collector();
  const trimmed = input.trim();
  if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && readJson(trimmed, acc)) return acc.result(trimmed);
  if (/^[A-Za-z_][A-Za-z0-9_:.-]*$/.test(trimmed)) {
    acc.name(trimmed);
    return acc.result(trimmed);
  }
  let block: 'labels' | 'annotations' | undefined;
  for (const raw of input.split(/\r\n?|\n/)) {
    const line = raw.length > 4000 ? raw.slice(0, 4000) : raw;
    // Slack/Markdown emphasis and code marks around keys and values (underscores belong to label names).
    const plain = line.replace(/[*`]+/g, '').trim();
    const header = /^(?:#+\s*)?([A-Za-z][A-Za-z ]{0,30}):\s*(.*)$/.exec(plain);
    if (plain === '') block = undefined;
    // Alertmanager's default title: [FIRING:2] KubePodCrashLooping prod (namespace=x pod=y severity=warning)
    const title = /\[(?:FIRING|RESOLVED)(?::\d+)?\]\s*([^(]*)(?:\((.*)\))?/i.exec(plain);
    if (title) {
      for (const token of (title[1] as string).split(/\s+/)) if (looksLikeName(token)) acc.name(token, true);
      for (const kv of (title[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) acc.label(kv[1] as string, unquote(kv[2] as string));
    }
    for (const kv of line.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.){0,500})"/g)) acc.label(kv[1] as string, kv[2] as string);
    const item = /^(?:[-•*+]\s*)?([A-Za-z_][A-Za-z0-9_.]*)\s*(?:=|:)\s*(.+)$/.exec(plain);
    if (header && /^(labels|common labels|details|alert details)$/i.test(header[1] as string) && (header[2] as string).trim() === '') {
      block = 'labels';
    } else if (header && /^annotations$/i.test(header[1] as string) && (header[2] as string).trim() === '') {
      block = 'annotations';
    } else if (block === 'labels' && item && /^[A-Z]/.test(item[1] as string) && !/^[-•*+]/.test(plain)) {
      // `Source: …`, `Silence: …` after Grafana's label list end the list.
      block = undefined;
    } else if (item && (block === 'labels' || (block === undefined && knownLabels.has((item[1] as string).toLowerCase())))) {
      acc.label(item[1] as string, unquote((item[2] as string).trim()));
    } else if (item && /^runbook_?url$/i.test(item[1] as string)) {
      acc.url(unquote((item[2] as string).trim()));
    } else if (header && /^(alert|alert ?name|alerts?)$/i.test(header[1] as string)) {
      // Slack style: *Alert:* KubePodCrashLooping - Pod is crash looping
      const first = (header[2] as string).trim().split(/\s+/)[0] ?? '';
      if (looksLikeName(first)) acc.name(first, true);
    }
    // Slack templates link the runbook: *Runbook:* <https://…|:notebook:>
    const link = /runbook[\w ]{0,20}:\s*<?(https?:\/\/[^\s|>]+)/i.exec(plain);
    if (link) acc.url(link[1] as string);
  }
  return acc.result(input);
}

class Collector {
  readonly names: string[] = [];
  readonly guessed: string[] = [];
  readonly labels: Record<string, string> = {};
  readonly urls: string[] = [];

  name(n: string, guess = false): void {
    const list = guess ? this.guessed : this.names;
    if (!list.includes(n)) list.push(n);
  }

  label(k: string, v: string): void {
    if (v === '') return;
    if (k === 'alertname') this.name(v);
    if (/^runbook_?url$/i.test(k)) this.url(v);
    if (!Object.prototype.hasOwnProperty.call(this.labels, k)) this.labels[k] = v;
  }

  url(u: string): void {
    if (u !== '' && !this.urls.includes(u)) this.urls.push(u);
  }

  result(text: string): ParsedAlert {
    const alertNames = [...this.names, ...this.guessed.filter((g) => !this.names.includes(g))];
    const words = [...new Set((text.slice(0, 20000).toLowerCase().match(/[a-z][a-z0-9]{2,}/g) ?? []).filter((w) => !stopWords.has(w)))].slice(0, 300);
    return { alertNames, labels: this.labels, runbookUrls: this.urls, words };
  }
}

/** Alertmanager/Grafana webhook payloads, API alert lists, a single alert or a bare label object. */
function readJson(text: string, acc: Collector): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return false;
  }
  let budget = 10000;
  const visit = (v: unknown, depth: number): void => {
    if (budget-- <= 0 || depth > 12 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    for (const key of ['labels', 'commonLabels', 'groupLabels']) {
      const labels = o[key];
      if (labels && typeof labels === 'object' && !Array.isArray(labels)) {
        for (const [k, x] of Object.entries(labels)) if (typeof x === 'string') acc.label(k, x);
      }
    }
    if (typeof o.alertname === 'string') acc.label('alertname', o.alertname);
    for (const key of ['annotations', 'commonAnnotations']) {
      const ann = o[key];
      if (ann && typeof ann === 'object') for (const [k, x] of Object.entries(ann)) if (typeof x === 'string' && /^runbook_?url$/i.test(k)) acc.url(x);
    }
    for (const [k, x] of Object.entries(o)) if (typeof x === 'object') visit(x, depth + 1);
    else if (k === 'title' && typeof x === 'string') {
      const t = /\[(?:FIRING|RESOLVED)(?::\d+)?\]\s*([^\s(]+)/i.exec(x);
      if (t && looksLikeName(t[1] as string)) acc.name(t[1] as string, true);
    }
  };
  visit(doc, 0);
  return true;
}

export interface MatchOptions {
  /** The services a runbook is listed under (the set's assignment); default its front-matter services. */
  readonly servicesOf?: (rb: Runbook) => readonly string[];
  /** At most this many matches (default 50). */
  readonly limit?: number;
}

/** Ranks `runbooks` for a pasted alert, best first; runbooks with no reason to match (and section pages) are left out. */
export function matchRunbooks(text: string | ParsedAlert, runbooks: readonly Runbook[], opts: MatchOptions = {}): RunbookMatch[] {
  const alert = typeof text === 'string' ? parseAlertText(text) : text;
  const servicesOf = opts.servicesOf ?? ((rb: Runbook) => rb.services);
  const urlTails = alert.runbookUrls.map(urlTail).filter((t) => t !== '');
  const out: RunbookMatch[] = [];
  for (const rb of runbooks) {
    // Section pages describe a folder; they are no answer to "which runbook for this alert".
    if (rb.isSectionIndex) continue;
    let best = 0;
    let reason = '';
    const offer = (score: number, why: string): void => {
      if (score > best) {
        best = score;
        reason = why;
      }
    };
    const base = fileBase(rb.file);
    alert.alertNames.forEach((name, k) => {
      const order = Math.min(k, 5) * 0.5;
      if (rb.alerts.includes(name)) offer(100 - order, `alert name ${name}`);
      else if (rb.alerts.some((a) => a.toLowerCase() === name.toLowerCase())) offer(90 - order, `alert name ${name} (other case)`);
      else if (rb.alerts.some((a) => norm(a) === norm(name) && norm(a) !== '')) offer(85 - order, `alert name ${name} (other spelling)`);
      else {
        for (const candidate of [...rb.alerts, base, rb.title]) {
          const sim = similarity(name, candidate);
          if (sim >= 0.5) offer(40 + 38 * sim - order, `similar to ${candidate} (${Math.round(sim * 100)}%)`);
        }
      }
    });
    for (const tail of urlTails) if (tail === base.toLowerCase() || tail === rb.id.toLowerCase() || rb.id.toLowerCase().endsWith(`/${tail}`)) offer(95, 'runbook_url annotation');
    if (best === 0 && alert.alertNames.length === 0 && alert.words.length > 0) {
      const own = [...new Set([...rb.alerts, rb.title].flatMap(tokens))];
      const hits = own.filter((t) => alert.words.some((w) => w === t || (t.length >= 4 && w.startsWith(t)) || (w.length >= 4 && t.startsWith(w))));
      const frac = own.length === 0 ? 0 : hits.length / own.length;
      if (frac >= 0.6) offer(30 + 20 * frac, `words of the alert match "${rb.title}"`);
    }
    const names = [...servicesOf(rb), ...rb.services, ...rb.tags].map((s) => s.toLowerCase());
    const labelHits = serviceLabels.filter((l) => {
      const v = alert.labels[l];
      return v !== undefined && names.some((n) => n === v.toLowerCase() || norm(n) === norm(v));
    });
    if (labelHits.length > 0) {
      const why = labelHits.map((l) => `${l}=${alert.labels[l]}`).join(', ');
      if (best === 0) offer(20 + 5 * Math.min(labelHits.length, 3), `label ${why} matches its service`);
      else best += Math.min(labelHits.length, 3);
    }
    if (best > 0) out.push({ runbook: rb, score: Math.round(best * 10) / 10, reason });
  }
  out.sort((a, b) => b.score - a.score || (a.runbook.origin === b.runbook.origin ? 0 : a.runbook.origin === 'workspace' ? -1 : 1) || a.runbook.title.localeCompare(b.runbook.title));
  return out.slice(0, opts.limit ?? 50);
}

/** Similarity of two names in [0, 1]: shared words (camelCase/snake_case split), containment, or few typos. */
export function similarity(a: string, b: string): number {
  const na = norm(a);
  const nb = norm(b);
  if (na === '' || nb === '') return 0;
  if (na === nb) return 1;
  let best = 0;
  const [short, long] = na.length <= nb.length ? [na, nb] : [nb, na];
  if (short.length >= 4 && long.includes(short)) best = 0.5 + 0.5 * (short.length / long.length);
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.length > 0 && tb.length > 0) {
    const shared = ta.filter((t) => tb.some((u) => u === t || (t.length >= 4 && u.length >= 4 && (u.startsWith(t) || t.startsWith(u))))).length;
    best = Math.max(best, (2 * shared) / (ta.length + tb.length));
  }
  if (na.length <= 64 && nb.length <= 64) best = Math.max(best, 1 - editDistance(na, nb) / Math.max(na.length, nb.length));
  return best;
}

/** `KubePodCrashLooping` → kube pod crash looping; `CPUThrottlingHigh` → cpu throttling high; `instance_down` → instance down. */
export function tokens(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1);
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function looksLikeName(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_:]{2,}$/.test(s) && /[A-Z_]/.test(s) && !/^(FIRING|RESOLVED)$/i.test(s);
}

function unquote(s: string): string {
  return s.replace(/^["'`]|["'`]$/g, '');
}

/** The last path segment of a runbook URL, lower-case, without `.md`, `.html` or a fragment. */
function urlTail(u: string): string {
  const p = u.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return (p.slice(p.lastIndexOf('/') + 1) || '').replace(/\.(md|html?)$/i, '').toLowerCase();
}

function fileBase(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1).replace(/\.(md|markdown)$/i, '');
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] as number;
}

const stopWords = new Set(['the', 'and', 'for', 'are', 'has', 'have', 'not', 'was', 'this', 'that', 'with', 'from', 'firing', 'resolved', 'alert', 'alerts', 'labels', 'annotations', 'value', 'source', 'silence', 'summary', 'description', 'http', 'https', 'com']);
