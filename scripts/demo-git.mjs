// The demo workspace as a git repository with a believable history: `makeDemoHistory(dir, { now })` turns a copy of
// demo/ into a repository whose tags are the shop's deploys (`pricing-service-v4.18.0` …, the patterns of
// demo/oncall.yaml), a few weeks of commits by the teams with real edits to the demo's sources, dated relative to
// `now` — with the default `now` (03:20 UTC on 23 Nov 2026, eight minutes after the page) the tags carry the same
// versions and times as demo/deploys.jsonl. The last commit's tree is the demo as it is; only traces/ (tonight's
// exports) stays untracked.
//
// One `git init`, one `git fast-import` (the whole history in one stream, so the same `now` gives the same SHAs) and
// one `git reset` (the index), all with GIT_DIR pointing into the target folder: the extension's own repository is
// never touched, and the function refuses to run on demo/ itself. The history is computed backwards from the files:
// each edit is (file, text before, text after); undoing them from the newest gives the oldest tree, and an edit
// whose "after" text is no longer in the demo is skipped and reported (the unit test expects none).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** The moment the demo is "now" by default: eight minutes after the 03:12 UTC page of INC-0312. */
export const demoNow = '2026-11-23T03:20:00Z';

/** Folders of the demo that are not committed: tonight's trace exports. */
const untracked = new Set(['traces', '.git', 'node_modules']);

const who = {
  lena: 'Lena Fischer <lena.fischer@shop.example>',
  sam: 'Sam Okafor <sam.okafor@shop.example>',
  marta: 'Marta Nowak <marta.nowak@shop.example>',
  priya: 'Priya Raman <priya.raman@shop.example>',
  kenji: 'Kenji Sato <kenji.sato@shop.example>',
  bot: 'deploy-bot <deploy-bot@shop.example>',
};

const e = (file, before, after) => ({ file, before, after });
const svc = (service, rel) => `services/${service}/${rel}`;
const pricing = (rel) => svc('pricing-service', `src/${rel}`);
const checkout = (rel) => svc('checkout-service', `src/${rel}`);
const payments = (rel) => svc('payments-service', `src/${rel}`);

/** A release: the deploy bot bumps package.json, then tags the commit (an annotated tag: the deploy). */
function release(service, from, to, at, tagAt, message) {
  return [
    { at, author: who.bot, message: `release: ${service} ${to}`, edits: [e(svc(service, 'package.json'), `"version": "${from}"`, `"version": "${to}"`)] },
    { tag: `${service}-v${to}`, at: tagAt, message },
  ];
}

const warmMethod = `
  /** Loads the catalog eagerly, e.g. after the repricing job changed prices. */
  async warm(): Promise<void> {
    const span = startSpan('PriceCache.warm', { attributes: { 'cache.ttl_ms': this.ttlMs } });
    try {
      const catalog = await inSpan(span, () => fetchCatalog());
      this.store(catalog);
      span.setAttribute('cache.expires_at', new Date(this.entry!.expiresAt).toISOString());
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  }
`;

/**
 * The history, oldest first: commits (`edits` in order; `rename` before them; `add` files that appear only then) and
 * tags (on the commit before them). Times are for the default `now`; others shift them all alike.
 */
const plan = [
  { at: '2026-10-26T09:30:00Z', author: who.lena, message: 'Import the shop monorepo (checkout, pricing, payments)', import: true },
  { at: '2026-11-02T15:10:00Z', author: who.sam, message: 'runbooks: review CheckoutLatencyHigh', edits: [e('runbooks/checkout-service/CheckoutLatencyHigh.md', 'last_reviewed: 2026-08-17', 'last_reviewed: 2026-11-02')] },
  { at: '2026-11-09T16:20:00Z', author: who.marta, message: 'runbooks: review PricingCatalogStampede after the October drill', edits: [e('runbooks/pricing-service/PricingCatalogStampede.md', 'last_reviewed: 2026-06-01', 'last_reviewed: 2026-11-09')] },
  { tag: 'pricing-service-v4.16.3', at: '2026-11-10T13:40:00Z', message: 'pricing-service 4.16.3' },
  { tag: 'payments-service-v1.9.1', at: '2026-11-11T10:05:00Z', message: 'payments-service 1.9.1' },
  { tag: 'checkout-service-v2.29.4', at: '2026-11-12T16:05:00Z', message: 'checkout-service 2.29.4' },
  {
    at: '2026-11-13T14:02:00Z', author: who.priya, message: 'charges: map PSP outcomes to the statuses checkout shows',
    edits: [e(payments('chargeHandler.ts'), "status: auth.outcome });", "status: auth.outcome === 'approved' ? 'authorized' : 'declined' });")],
  },
  {
    at: '2026-11-16T10:31:00Z', author: who.marta, message: 'price rules: respect valid_to (time-limited prices)',
    edits: [
      e(pricing('catalogRepo.ts'), 'r.valid_from <= now()\n', 'r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())\n'),
      e(pricing('catalogRepo.ts'), "WHERE sku = ANY($1)',", "WHERE sku = ANY($1) AND valid_to IS NULL',"),
      e(pricing('catalogRepo.ts'), "WHERE price_rules.sku = v.sku',", "WHERE price_rules.sku = v.sku AND valid_to IS NULL',"),
    ],
  },
  ...release('payments-service', '1.9.1', '1.9.2', '2026-11-16T11:14:00Z', '2026-11-16T11:20:47Z', 'Charges: decline codes mapped to user-facing messages'),
  ...release('pricing-service', '4.16.3', '4.17.0', '2026-11-16T13:58:00Z', '2026-11-16T14:05:12Z', 'Price rules: valid_to for time-limited prices'),
  {
    at: '2026-11-16T15:44:00Z', author: who.sam, message: "orders: insert as 'placed' so the outbox trigger sends the confirmation e-mail",
    edits: [e(checkout('orderRepo.ts'), 'charge_id) VALUES ($1, $2, $3, $4, $5) RETURNING id', "charge_id, status) VALUES ($1, $2, $3, $4, $5, \\'placed\\') RETURNING id")],
  },
  ...release('checkout-service', '2.29.4', '2.30.0', '2026-11-17T10:16:00Z', '2026-11-17T10:22:40Z', 'Order confirmation e-mails through the outbox table'),
  { at: '2026-11-17T13:25:00Z', author: who.priya, message: 'payments: rename psp.ts to pspClient.ts', rename: [payments('psp.ts'), payments('pspClient.ts')], edits: [e(payments('chargeHandler.ts'), "from './psp';", "from './pspClient';")] },
  {
    at: '2026-11-17T14:50:00Z', author: who.priya, message: 'psp client: send the idempotency key, so a retried authorization is not charged twice',
    edits: [
      e(payments('pspClient.ts'), 'currency: string): Promise<Authorization> {', 'currency: string, idempotencyKey: string): Promise<Authorization> {'),
      e(payments('pspClient.ts'), "'content-type': 'application/json', authorization:", "'content-type': 'application/json', 'idempotency-key': idempotencyKey, authorization:"),
      e(payments('chargeHandler.ts'), '  currency: string;\n}', '  currency: string;\n  idempotencyKey: string;\n}'),
      e(payments('chargeHandler.ts'), '!body.currency) {', '!body.currency || !body.idempotencyKey) {'),
      e(payments('chargeHandler.ts'), "amountCents and currency are required'", "amountCents, currency and idempotencyKey are required'"),
      e(payments('chargeHandler.ts'), 'body.currency);', 'body.currency, body.idempotencyKey);'),
    ],
  },
  {
    at: '2026-11-17T15:12:00Z', author: who.marta, message: 'repricing job: batches of 500, 4 in parallel',
    edits: [
      e(pricing('repricingJob.ts'), 'export const REPRICING_BATCH_SIZE = 200;\n', 'export const REPRICING_BATCH_SIZE = 500;\nexport const REPRICING_CONCURRENCY = 4;\n'),
      e(pricing('repricingJob.ts'), '    await inSpan(span, async () => {\n      for (const batch of batches) await repriceBatch(batch);\n    });\n',
        '    let next = 0;\n    const worker = async (): Promise<void> => {\n      while (next < batches.length) await repriceBatch(batches[next++]);\n    };\n    await inSpan(span, () => Promise.all(Array.from({ length: REPRICING_CONCURRENCY }, worker)).then(() => undefined));\n'),
    ],
  },
  ...release('payments-service', '1.9.2', '1.9.3', '2026-11-17T15:41:00Z', '2026-11-17T15:48:03Z', 'PSP client: idempotency keys on retried authorizations'),
  {
    at: '2026-11-17T16:41:00Z', author: who.marta, message: 'PriceCache.warm(): load the catalog right after repricing, so new prices show at once',
    edits: [
      e(pricing('priceCache.ts'), '\n  private store(', `${warmMethod}\n  private store(`),
      e(pricing('repricingJob.ts'), "import { publishPriceChanges } from './priceEvents';\n", "import { publishPriceChanges } from './priceEvents';\nimport { priceCache } from './priceCache';\n"),
      e(pricing('repricingJob.ts'), '.then(() => undefined));\n', '.then(() => undefined));\n    // Make the new prices visible right away. Every entry gets the same expiry: now + TTL.\n    await inSpan(span, () => priceCache.warm());\n'),
    ],
  },
  ...release('pricing-service', '4.17.0', '4.18.0', '2026-11-18T09:05:00Z', '2026-11-18T09:12:27Z', 'Repricing job: batches of 500, 4 in parallel; warms the catalog cache when done (PriceCache.warm)'),
  {
    at: '2026-11-18T14:03:00Z', author: who.sam, message: 'pricing client: 2 s per attempt, one retry on timeout or 503',
    edits: [
      e(checkout('pricingClient.ts'), "import { requestJson } from './httpClient';\n", "import { setTimeout as sleep } from 'node:timers/promises';\nimport { requestJson, UpstreamHttpError, UpstreamTimeoutError } from './httpClient';\n"),
      e(checkout('pricingClient.ts'), '/** Timeout of GET /api/prices. */\nexport const PRICING_TIMEOUT_MS = 5_000;\n',
        '/** Per-attempt timeout. p99 of GET /api/prices is ~40 ms when the catalog cache is warm. */\nexport const PRICING_TIMEOUT_MS = 2_000;\n/** One retry. During the 03:12 incident this doubled the load on an already saturated pricing DB. */\nexport const PRICING_MAX_ATTEMPTS = 2;\nexport const PRICING_RETRY_BACKOFF_MS = 250;\n'),
      e(checkout('pricingClient.ts'), "    const body = await requestJson<{ items: Price[] }>('GET', url, { timeoutMs: PRICING_TIMEOUT_MS, resendCount: 0 });\n    return body.items;\n",
        "    for (let attempt = 0; ; attempt++) {\n      try {\n        const body = await requestJson<{ items: Price[] }>('GET', url, { timeoutMs: PRICING_TIMEOUT_MS, resendCount: attempt });\n        return body.items;\n      } catch (err) {\n        const retryable = err instanceof UpstreamTimeoutError || (err instanceof UpstreamHttpError && err.status === 503);\n        if (!retryable || attempt + 1 >= PRICING_MAX_ATTEMPTS) throw err;\n        await sleep(PRICING_RETRY_BACKOFF_MS);\n      }\n    }\n"),
    ],
  },
  {
    at: '2026-11-18T16:22:00Z', author: who.sam, message: 'checkout: 3 s deadline (the storefront gives up after 3.5 s)',
    edits: [e(checkout('checkoutHandler.ts'), '/** The whole checkout must answer within 10 s. */\nexport const CHECKOUT_BUDGET_MS = 10_000;', '/** The storefront gives up after 3.5 s, so the whole checkout must answer within 3 s. */\nexport const CHECKOUT_BUDGET_MS = 3_000;')],
  },
  ...release('checkout-service', '2.30.0', '2.31.0', '2026-11-19T10:56:00Z', '2026-11-19T11:02:51Z', 'Pricing client: 2 s timeout per attempt, one retry on timeout or 503; 3 s checkout deadline'),
  {
    at: '2026-11-19T17:20:00Z', author: who.kenji, message: 'repricing: round list prices to whole units (JPY has no minor unit)',
    edits: [e(pricing('repricingJob.ts'), 'const fromMargin = rule.cost_cents * (1 + rule.margin_bps / 10_000);', 'const fromMargin = Math.round(rule.cost_cents * (1 + rule.margin_bps / 10_000));')],
  },
  ...release('pricing-service', '4.18.0', '4.18.1', '2026-11-20T10:08:00Z', '2026-11-20T10:15:09Z', 'JPY list prices rounded to whole yen'),
  { at: '2026-11-20T16:05:00Z', author: who.marta, message: 'promotions: BF-2026 (15 %)', edits: [e(pricing('promotions.ts'), 'number> = {\n', "number> = {\n  'BF-2026': 1500,\n")] },
  ...release('pricing-service', '4.18.1', '4.18.2', '2026-11-21T09:41:00Z', '2026-11-21T09:47:33Z', 'Promotions: BF-2026 discount (15 %)'),
  { at: '2026-11-21T11:30:00Z', author: who.priya, message: 'psp client: 4 s authorization timeout (the PSP answers in < 1 s at p99)', edits: [e(payments('pspClient.ts'), 'AbortSignal.timeout(10_000)', 'AbortSignal.timeout(4_000)')] },
  ...release('payments-service', '1.9.3', '1.9.4', '2026-11-21T15:24:00Z', '2026-11-21T15:30:02Z', '3-D Secure 2 frictionless flow, behind the flag psp.3ds2-frictionless (off)'),
  { at: '2026-11-22T18:06:00Z', author: who.bot, message: 'deploy log: config and flag changes of 22 Nov', add: ['deploys.jsonl'] },
];

/**
 * Makes `workspaceDir` (a copy of demo/) a git repository with the history above, dated relative to `now` (a Date,
 * ISO text or ms; default {@link demoNow}). Synchronous, well under a second. Returns the HEAD commit, the tags
 * (oldest first), the number of commits and the edits skipped because the demo no longer holds their text.
 */
export function makeDemoHistory(workspaceDir, { now = demoNow } = {}) {
  const dir = path.resolve(workspaceDir);
  const shift = new Date(now).getTime() - Date.parse(demoNow);
  if (!Number.isFinite(shift)) throw new Error(`makeDemoHistory: now ${JSON.stringify(now)} is not a date`);
  if (!fs.existsSync(path.join(dir, 'oncall.yaml'))) throw new Error(`makeDemoHistory: ${dir} has no oncall.yaml (expected a copy of demo/)`);
  if (fs.realpathSync(dir) === fs.realpathSync(path.join(repoRoot, 'demo'))) throw new Error('makeDemoHistory: works on a copy of demo/, never on demo/ itself (it lives inside this repository)');
  const gitDir = path.join(dir, '.git');
  if (fs.existsSync(gitDir)) {
    if (!fs.existsSync(path.join(gitDir, 'oncall-demo'))) throw new Error(`makeDemoHistory: ${dir} is already a git repository not made by this script; refusing to replace it`);
    fs.rmSync(gitDir, { recursive: true, force: true });
  }

  const files = readTree(dir);
  const skipped = [];
  // Backwards from the demo as it is: undo each commit's edits (newest first), renames and additions.
  const applied = new Map();
  for (let i = plan.length - 1; i >= 0; i--) {
    const step = plan[i];
    if (step.tag) continue;
    const ok = [];
    for (const ed of [...(step.edits ?? [])].reverse()) {
      const text = files.get(ed.file);
      const at = typeof text === 'string' ? text.indexOf(ed.after) : -1;
      if (at < 0 || ed.after === '' || text.indexOf(ed.after, at + 1) >= 0) {
        skipped.push(`${step.message}: ${ed.file}`);
        continue;
      }
      const undone = text.slice(0, at) + ed.before + text.slice(at + ed.after.length);
      // Replayed by position of `before`, so it must be found once in the older text.
      if (undone.indexOf(ed.before) !== at || undone.indexOf(ed.before, at + 1) >= 0) {
        skipped.push(`${step.message}: ${ed.file} (ambiguous)`);
        continue;
      }
      files.set(ed.file, undone);
      ok.unshift(ed);
    }
    applied.set(step, ok);
    if (step.rename && files.has(step.rename[1])) {
      files.set(step.rename[0], files.get(step.rename[1]));
      files.delete(step.rename[1]);
    }
    for (const f of step.add ?? []) files.delete(f);
  }
  const added = new Map(plan.flatMap((s) => (s.add ?? []).map((f) => [f, readFile(dir, f)])).filter(([, v]) => v !== undefined));

  // Forwards: one fast-import stream.
  const chunks = [];
  const put = (s) => chunks.push(Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));
  const data = (content) => {
    const b = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    put(`data ${b.length}\n`);
    put(b);
    put('\n');
  };
  const stamp = (iso) => `${Math.round((Date.parse(iso) + shift) / 1000)} +0000`;
  const modify = (file, content) => {
    put(`M 100644 inline ${quotePath(file)}\n`);
    data(content);
  };
  let mark = 0;
  const tags = [];
  for (const step of plan) {
    if (step.tag) {
      tags.push(step.tag);
      put(`tag ${step.tag}\nfrom :${mark}\ntagger ${who.bot} ${stamp(step.at)}\n`);
      data(`${step.message}\n`);
      continue;
    }
    mark++;
    put(`commit refs/heads/main\nmark :${mark}\nauthor ${step.author} ${stamp(step.at)}\ncommitter ${step.author} ${stamp(step.at)}\n`);
    data(`${step.message}\n`);
    if (step.import) for (const [file, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) modify(file, content);
    if (step.rename && files.has(step.rename[0])) {
      const [from, to] = step.rename;
      files.set(to, files.get(from));
      files.delete(from);
      put(`D ${quotePath(from)}\n`);
      modify(to, files.get(to));
    }
    for (const ed of applied.get(step) ?? []) {
      const text = files.get(ed.file);
      const at = text.indexOf(ed.before);
      files.set(ed.file, text.slice(0, at) + ed.after + text.slice(at + ed.before.length));
    }
    for (const file of new Set((applied.get(step) ?? []).map((ed) => ed.file))) modify(file, files.get(file));
    for (const f of step.add ?? []) if (added.has(f)) modify(f, added.get(f));
  }

  // The last commit must be the demo as it is (else a plan edit replayed somewhere else: a bug here).
  const final = readTree(dir);
  for (const [file, content] of final) {
    const ours = files.get(file) ?? added.get(file);
    if (ours === undefined || !Buffer.from(ours).equals(Buffer.from(content))) throw new Error(`makeDemoHistory: the history does not end with ${file} as it is`);
  }

  const git = (args, input, worktree = true) => {
    const env = { ...scrubbedEnv(), ...(worktree ? { GIT_DIR: gitDir, GIT_WORK_TREE: dir } : {}) };
    const r = spawnSync('git', ['-c', 'core.fsmonitor=false', ...args], { cwd: dir, env, input, encoding: input === undefined ? 'utf8' : undefined, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
    if (r.error || r.status !== 0) throw new Error(`makeDemoHistory: git ${args[0]} failed: ${r.error?.message ?? String(r.stderr).trim()}`);
    return String(r.stdout);
  };
  git(['init', '-q', '--template=', dir], undefined, false);
  fs.writeFileSync(path.join(gitDir, 'HEAD'), 'ref: refs/heads/main\n');
  fs.appendFileSync(path.join(gitDir, 'config'), '[user]\n\tname = On-Call Engineer\n\temail = oncall@shop.example\n');
  fs.writeFileSync(path.join(gitDir, 'oncall-demo'), 'made by scripts/demo-git.mjs (makeDemoHistory)\n');
  git(['fast-import', '--quiet', '--done'], Buffer.concat([...chunks, Buffer.from('done\n')]));
  git(['reset', '-q']);
  return { head: git(['rev-parse', 'HEAD']).trim(), tags, commits: mark, skipped };
}

/** Every file of the workspace but untracked folders: path (posix) → text (Buffer when not UTF-8 text). */
function readTree(dir) {
  const out = new Map();
  const walk = (rel) => {
    for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${ent.name}` : ent.name;
      if (!rel && untracked.has(ent.name)) continue;
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile()) out.set(p, readFile(dir, p));
    }
  };
  walk('');
  return out;
}

function readFile(dir, rel) {
  let buf;
  try {
    buf = fs.readFileSync(path.join(dir, rel));
  } catch {
    return undefined;
  }
  const text = buf.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buf) ? text : buf;
}

function quotePath(p) {
  return /^["\s]|[\n\\"]|\s$/.test(p) ? JSON.stringify(p) : p;
}

function scrubbedEnv() {
  const env = { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') && !['GIT_TERMINAL_PROMPT', 'GIT_CONFIG_NOSYSTEM'].includes(k)) delete env[k];
  return env;
}

if (process.argv[1] === import.meta.filename) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: node scripts/demo-git.mjs <copy-of-demo> [now-iso]');
    process.exit(2);
  }
  const t0 = performance.now();
  const r = makeDemoHistory(target, process.argv[3] ? { now: process.argv[3] } : {});
  console.log(`${target}: ${r.commits} commits, ${r.tags.length} tags, HEAD ${r.head} (${(performance.now() - t0).toFixed(0)} ms)${r.skipped.length ? `; skipped: ${r.skipped.join('; ')}` : ''}`);
}
