// From a pasted alert to its runbook (src/core/runbooks/alertMatch.ts): real-looking Alertmanager, Grafana and Slack
// notifications, webhook JSON and label sets for alerts of the prometheus-operator runbooks each put that runbook
// first; exact names beat other cases, which beat similar names, which beat labels.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { matchRunbooks, parseAlertText, similarity, tokens } from '../../../src/core/runbooks/alertMatch';
import { RunbookSet } from '../../../src/core/runbooks/index';
import { loadRunbooksFromDir } from '../../../src/core/runbooks/load';
import type { Runbook } from '../../../src/core/runbooks/model';
import { parseRunbook } from '../../../src/core/runbooks/parse';
import { repoRoot } from '../helpers';

const grafana = (runbookUrl: boolean): string =>
  [
    '**Firing**',
    '',
    'Value: B=3',
    'Labels:',
    ' - alertname = KubePodCrashLooping',
    ' - container = api',
    ' - grafana_folder = Kubernetes',
    ' - namespace = shop',
    ' - pod = api-7d9f8b6c4-x2x9k',
    ' - severity = warning',
    'Annotations:',
    ' - description = Pod shop/api-7d9f8b6c4-x2x9k (api) is in waiting state (reason: "CrashLoopBackOff").',
    ...(runbookUrl ? [' - runbook_url = https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping'] : []),
    ' - summary = Pod is crash looping.',
    'Source: https://grafana.example.com/alerting/grafana/c5e1/view?orgId=1',
    'Silence: https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DKubePodCrashLooping',
    'Dashboard: https://grafana.example.com/d/k8s-pods?orgId=1',
  ].join('\n');

const webhook = JSON.stringify({
  receiver: 'oncall',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'NodeFilesystemSpaceFillingUp', device: '/dev/sda1', instance: '10.0.0.5:9100', job: 'node-exporter', mountpoint: '/', severity: 'warning' },
      annotations: { description: 'Filesystem on /dev/sda1 at 10.0.0.5:9100 has only 14.2% available space left and is filling up.', summary: 'Filesystem is predicted to run out of space within the next 24 hours.' },
      startsAt: '2025-06-30T22:14:05.123Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=node_filesystem_avail_bytes',
      fingerprint: '4f3c2b1a0e9d8c7b',
    },
  ],
  groupLabels: { alertname: 'NodeFilesystemSpaceFillingUp' },
  commonLabels: { alertname: 'NodeFilesystemSpaceFillingUp', job: 'node-exporter', severity: 'warning' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  version: '4',
  groupKey: '{}:{alertname="NodeFilesystemSpaceFillingUp"}',
  truncatedAlerts: 0,
});

const slack = [
  '[FIRING:1] TargetDown (node-exporter monitoring warning)',
  '*Alert:* 100% of the node-exporter/node-exporter targets in monitoring namespace are down. - `warning`',
  '*Description:* 100% of the node-exporter/node-exporter targets in monitoring namespace are down.',
  '*Details:*',
  '  • *alertname:* `TargetDown`',
  '  • *job:* `node-exporter`',
  '  • *namespace:* `monitoring`',
  '  • *severity:* `warning`',
].join('\n');

describe('runbooks: alert matching', () => {
  let runbooks: Runbook[];
  let set: RunbookSet;
  before(async () => {
    runbooks = (await loadRunbooksFromDir(path.join(repoRoot, 'test', 'fixtures', 'runbooks', 'prometheus-operator'), [''])).runbooks;
    set = new RunbookSet(runbooks, undefined, { roots: [''] });
  });
  const first = (text: string): [string | undefined, number | undefined, string | undefined] => {
    const m = matchRunbooks(text, runbooks)[0];
    return [m?.runbook.file, m?.score, m?.reason];
  };

  it('reads alert names and labels from every notification format', () => {
    const g = parseAlertText(grafana(true));
    assert.deepEqual(g.alertNames, ['KubePodCrashLooping']);
    assert.deepEqual(g.labels, { alertname: 'KubePodCrashLooping', container: 'api', grafana_folder: 'Kubernetes', namespace: 'shop', pod: 'api-7d9f8b6c4-x2x9k', severity: 'warning' });
    assert.deepEqual(g.runbookUrls, ['https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping']);
    const am = parseAlertText('[FIRING:1] KubePodCrashLooping (namespace=x pod=y severity=warning)');
    assert.deepEqual([am.alertNames, am.labels], [['KubePodCrashLooping'], { namespace: 'x', pod: 'y', severity: 'warning' }]);
    const w = parseAlertText(webhook);
    assert.deepEqual([w.alertNames, w.labels.job, w.labels.mountpoint], [['NodeFilesystemSpaceFillingUp'], 'node-exporter', '/']);
    const s = parseAlertText(slack);
    assert.deepEqual([s.alertNames, s.labels], [['TargetDown'], { alertname: 'TargetDown', job: 'node-exporter', namespace: 'monitoring', severity: 'warning' }]);
    const labels = parseAlertText('{alertname="AlertmanagerFailedReload", namespace="monitoring", service="alertmanager-main"}');
    assert.deepEqual([labels.alertNames, labels.labels.service], [['AlertmanagerFailedReload'], 'alertmanager-main']);
    const list = parseAlertText(JSON.stringify([{ labels: { alertname: 'KubeletDown' } }, { labels: { alertname: 'KubeAPIDown' } }]));
    assert.deepEqual(list.alertNames, ['KubeletDown', 'KubeAPIDown']);
    assert.deepEqual(parseAlertText('  Watchdog \n').alertNames, ['Watchdog']);
    assert.deepEqual(parseAlertText('*Alert:* KubeJobFailed - Job default/backup failed to complete.').alertNames, ['KubeJobFailed']);
    assert.deepEqual(parseAlertText('{"not": "an alert"').alertNames, []);
  });

  it('puts the runbook of a pasted notification first', () => {
    assert.deepEqual(first(grafana(false)), ['kubernetes/KubePodCrashLooping.md', 100, 'alert name KubePodCrashLooping']);
    assert.equal(first(grafana(true))[0], 'kubernetes/KubePodCrashLooping.md');
    assert.deepEqual(first('[FIRING:1] KubePodCrashLooping (namespace=x pod=y severity=warning)').slice(0, 2), ['kubernetes/KubePodCrashLooping.md', 100]);
    assert.deepEqual(first(webhook).slice(0, 2), ['node/NodeFilesystemSpaceFillingUp.md', 100]);
    assert.deepEqual(first(slack).slice(0, 2), ['general/TargetDown.md', 100]);
    assert.deepEqual(first('alertname="AlertmanagerFailedReload", namespace="monitoring"').slice(0, 2), ['alertmanager/AlertmanagerFailedReload.md', 100]);
    assert.deepEqual(first('[FIRING:3] KubeDeploymentReplicasMismatch (kube-state-metrics shop checkout warning)').slice(0, 2), ['kubernetes/KubeDeploymentReplicasMismatch.md', 100]);
  });

  it('ranks exact, then other case, then the runbook_url annotation, then similar names, then words', () => {
    assert.deepEqual(first('kubepodcrashlooping'), ['kubernetes/KubePodCrashLooping.md', 90, 'alert name kubepodcrashlooping (other case)']);
    assert.deepEqual(first('kube_pod_crash_looping').slice(0, 2), ['kubernetes/KubePodCrashLooping.md', 85]);
    assert.deepEqual(first('See runbook_url: https://runbooks.prometheus-operator.dev/runbooks/node/noderaiddegraded').slice(0, 2), ['node/NodeRAIDDegraded.md', 95]);
    const typo = matchRunbooks('KubePodCrashLopping', runbooks);
    assert.equal(typo[0]?.runbook.file, 'kubernetes/KubePodCrashLooping.md');
    assert.ok((typo[0]?.score ?? 0) < 80 && (typo[0]?.score ?? 0) > 70, String(typo[0]?.score));
    assert.match(typo[0]?.reason ?? '', /^similar to KubePodCrashLooping/);
    assert.equal(first('crashloop')[0], 'kubernetes/KubePodCrashLooping.md');
    assert.equal(first('RAID degraded')[0], 'node/NodeRAIDDegraded.md');
    assert.equal(first('Pod is crash looping')[0], 'kubernetes/KubePodCrashLooping.md');
    assert.ok((matchRunbooks('Pod is crash looping', runbooks)[0]?.score ?? 100) < 60);
    // Every score is ordered.
    const m = matchRunbooks('KubePodCrashLooping', runbooks);
    for (let i = 1; i < m.length; i++) assert.ok((m[i - 1]?.score ?? 0) >= (m[i]?.score ?? 0));
    assert.deepEqual(matchRunbooks('ZzzNothingLikeThis', runbooks), []);
    assert.deepEqual(matchRunbooks('', runbooks), []);
  });

  it('prefers the exact spelling when two runbooks differ in case; workspace before built-in on ties', () => {
    const a = parseRunbook('---\nalerts: [HighCPU]\n---\n', { file: 'runbooks/a.md', origin: 'builtin' });
    const b = parseRunbook('---\nalerts: [HighCpu]\n---\n', { file: 'runbooks/b.md', origin: 'workspace' });
    const c = parseRunbook('---\nalerts: [HighCPU]\n---\n', { file: 'runbooks/c.md', origin: 'workspace' });
    assert.deepEqual(matchRunbooks('HighCPU', [b, a, c]).map((m) => [m.runbook.file, m.score]), [['runbooks/c.md', 100], ['runbooks/a.md', 100], ['runbooks/b.md', 90]]);
  });

  it('falls back to labels that name a runbook service (the folder), and never offers section pages', () => {
    const m = set.match('[FIRING:1] SomeCustomAlert (job=kube-state-metrics severity=warning)');
    assert.ok(m.length >= 4);
    assert.ok(m.every((x) => x.runbook.file.startsWith('kube-state-metrics/') && !x.runbook.isSectionIndex));
    assert.match(m[0]?.reason ?? '', /label job=kube-state-metrics matches its service/);
    assert.ok(m.every((x) => x.score < 35));
    // A label also lifts an exact match above a same-named runbook elsewhere.
    assert.equal(set.match('alertname="KubeStateMetricsListErrors" job="kube-state-metrics"')[0]?.score, 101);
  });

  it('splits names into words and scores similarity', () => {
    assert.deepEqual(tokens('KubePodCrashLooping'), ['kube', 'pod', 'crash', 'looping']);
    assert.deepEqual(tokens('CPUThrottlingHigh'), ['cpu', 'throttling', 'high']);
    assert.deepEqual(tokens('NodeRAIDDegraded'), ['node', 'raid', 'degraded']);
    assert.deepEqual(tokens('instance_down'), ['instance', 'down']);
    assert.equal(similarity('KubePodCrashLooping', 'kube_pod_crash_looping'), 1);
    assert.ok(similarity('KubePodCrashLooping', 'KubePodNotReady') < 0.6);
    assert.ok(similarity('crashloop', 'KubePodCrashLooping') > 0.7);
  });
});
