// The runbook viewer in the preview harness: bundles webview/runbook/main.ts (as esbuild.js does) and the
// extension's own renderer (src/core/runbooks/render.ts, for Node), renders the models below with it, and serves
// pages with the CSP of the real host page and a fake host (fake-vscode-runbook.js). preview.mjs runs the checks
// (runbook-checks.mjs) in the same Chromium; `--serve` prints the URLs.
//
// Models: `demo` (a hand-written runbook: checklists, shell blocks, code/runbook/external/anchor links, a table,
// a blocked link), `untrusted` (the same in Restricted Mode), `hostile` (script, event handlers, javascript: links,
// raw HTML: nothing may run), `real` (test/fixtures or /work/shared prometheus-operator KubeProxyDown.md).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { buildWebview, root, serveWebview } from './site.mjs';

const siteDir = join(root, 'test-results', 'harness', 'site-runbook');

export const DEMO_MD = `---
title: Checkout API — high latency
---

# Checkout API — high latency

The checkout API's p99 latency is above **2 s** for 5 minutes. Customers see spinners at payment; some retry,
which makes it worse (see [retry storms](../shared/retry-storm.md#mitigation)).

## Triage

- [x] Acknowledge the page in PagerDuty
- [ ] Post in \`#inc-checkout\` that you are on it
- [ ] Open the [latency dashboard](https://grafana.example.com/d/checkout?from=now-1h)
- [ ] Check whether a deploy went out in the last hour

## Diagnosis

Find the slow pods:

\`\`\`console
$ kubectl -n checkout top pods --sort-by=cpu
NAME                        CPU(cores)   MEMORY(bytes)
checkout-api-7d9c8-x2kq9    1840m        612Mi
\`\`\`

Look at the connection pool: the handler is [\`PayHandler.Serve\`](src/checkout/pay.go:42) and the pool size is
set in [values.yaml](deploy/values.yaml#L17).

\`\`\`promql
histogram_quantile(0.99, sum by (le) (rate(http_server_duration_seconds_bucket{service="checkout"}[5m])))
\`\`\`

| Signal | Threshold | Where |
|:-------|----------:|:-----:|
| p99 latency | 2 s | Grafana |
| DB pool waits | 50/s | \`db_pool_wait_total\` |

> Do **not** restart the database: it drops every in-flight payment. See [Mitigation](#mitigation) instead.

## Mitigation

1. Scale out:

   \`\`\`bash
   kubectl -n checkout scale deploy/checkout-api --replicas=12
   \`\`\`

2. If the pool is exhausted, roll back the last release:

   \`\`\`sh
   helm -n checkout rollback checkout-api
   \`\`\`

3. Then tick these off:
   - [ ] Latency back under 500 ms for 10 minutes
   - [ ] Incident channel updated

Old wiki link (blocked on purpose): [legacy runbook](javascript:openWiki('checkout')).

## Escalation

Page the payments on-call via [Opsgenie](https://example.app.opsgenie.com/schedule) or write to
payments-oncall@example.com.
`;

export const HOSTILE_MD = `# Hostile "><script>window.__xss = 'heading'</script>

<script>window.__xss = 'script'</script>

<img src=x onerror="window.__xss = 'img'">
<iframe src="https://evil.example/"></iframe>
<svg onload="window.__xss = 'svg'"></svg>
<a href="javascript:window.__xss='raw-a'">raw anchor</a>
<div onclick="window.__xss = 'div'">div</div>
<style>body { display: none }</style>

## Links

- [js](javascript:window.__xss='js') · [mixed](JaVaScRiPt:window.__xss='mixed') · [entity](&#106;avascript:window.__xss='entity')
- [data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==) · [vb](vbscript:msgbox(1)) · [file](file:///etc/passwd)
- [command](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) · [proto-rel](//evil.example/x) · <javascript:window.__xss='auto'>
- [title](https://example.com "x\\" onmouseover=\\"window.__xss='title'")
- ![pixel](https://evil.example/pixel.gif) ![local](docs/arch.png)

## Checklist

- [ ] "><img src=x onerror="window.__xss='check'">
- [x] <script>window.__xss = 'check2'</script>

\`\`\`"><img src=x onerror="window.__xss='lang'">
echo hi
\`\`\`

\`\`\`sh
</code></pre><script>window.__xss = 'code'</script>
\`\`\`
`;

const meta = (over) => ({
  title: 'Checkout API — high latency',
  file: 'runbooks/checkout/high-latency.md',
  alerts: ['CheckoutHighLatency', 'CheckoutP99Slow'],
  services: ['checkout-api'],
  owner: 'team-payments',
  severity: 'critical',
  lastReviewed: '2024-03-02',
  stale: true,
  problems: 2,
  origin: 'workspace',
  ...over,
});

/** Bundles the page, and the extension's renderer for Node (returned, imported). */
async function build() {
  await buildWebview(siteDir, 'runbook');
  const core = join(siteDir, 'render-core.mjs');
  await esbuild.build({ absWorkingDir: root, entryPoints: ['src/core/runbooks/render.ts'], bundle: true, platform: 'node', format: 'esm', outfile: core, logLevel: 'warning' });
  return import(`${pathToFileURL(core).href}?t=${Date.now()}`);
}

function realFixture() {
  for (const dir of [join(root, 'test', 'fixtures', 'runbooks', 'prometheus-operator'), '/work/shared/fixtures/runbooks/prometheus-operator']) {
    const f = join(dir, 'kubernetes', 'KubeProxyDown.md');
    if (existsSync(f)) return readFileSync(f, 'utf8');
  }
  return undefined;
}

/** The `show` messages the fake host sends, rendered by the extension's own renderer. */
function buildModels(core) {
  const show = (md, file, runbook, extra = {}) => {
    const r = core.renderRunbook(md, { file });
    return {
      type: 'show',
      runbook,
      html: r.html,
      toc: r.toc,
      checks: r.checks.map((c) => ({ ...c, checked: c.initiallyChecked })),
      commands: r.commands,
      links: r.links,
      trusted: true,
      incident: 'INC-0312',
      ...extra,
    };
  };
  const models = {
    demo: show(DEMO_MD, 'runbooks/checkout/high-latency.md', meta({})),
    untrusted: show(DEMO_MD, 'runbooks/checkout/high-latency.md', meta({}), { trusted: false, incident: 'No active incident' }),
    hostile: show(HOSTILE_MD, 'runbooks/hostile.md', meta({ title: 'Hostile "><img src=x onerror="window.__xss=\'meta\'">', alerts: ['<script>window.__xss="alert"</script>'], owner: '<b>owner</b>', stale: false, lastReviewed: '2025-03-01', problems: 0 })),
  };
  const real = realFixture();
  if (real) {
    models.real = show(real, 'runbooks/kubernetes/KubeProxyDown.md', { title: 'Kube Proxy Down', file: 'runbooks/kubernetes/KubeProxyDown.md', alerts: ['KubeProxyDown'], services: [], stale: false, problems: 0, origin: 'workspace' }, { incident: 'No active incident' });
  }
  return models;
}

/** Builds the page and the models, and serves them on a loopback port: `{ server, origin, models }`. */
export async function startRunbookHarness() {
  const core = await build();
  const models = buildModels(core);
  const { server, origin } = await serveWebview({
    siteDir,
    view: 'runbook',
    title: 'Runbook',
    fakeHost: 'fake-vscode-runbook.js',
    modelPath: '/runbook-model.js',
    modelScript: (name) => `window.__runbookShow = ${JSON.stringify(models[name])};\n`,
  });
  return { server, origin, models };
}
