// RunbookSet (src/core/runbooks/index.ts): which service a runbook is listed under (front matter, the catalog's
// runbook folders, the catalog's paths, the folder, unassigned), duplicates across files, runbooks for a code file,
// staleness and the filter.
import * as assert from 'node:assert/strict';
import type { Catalog, ServiceEntry } from '../../../src/core/catalog/model';
import { RunbookSet, isStale, reviewAgeDays, unassignedService } from '../../../src/core/runbooks/index';
import type { Runbook } from '../../../src/core/runbooks/model';
import { parseRunbook } from '../../../src/core/runbooks/parse';

const rb = (file: string, text: string, origin: 'workspace' | 'builtin' = 'workspace'): Runbook => parseRunbook(text, { file, root: 'runbooks', origin });
const service = (name: string, over: Partial<ServiceEntry> = {}): ServiceEntry => ({ name, paths: [], runbooks: [], dashboards: [], deploys: [], ...over });
const catalog = (services: ServiceEntry[], runbookFolders = ['runbooks']): Catalog => ({ source: 'file', services, runbookFolders, problems: [] });

describe('runbooks: RunbookSet', () => {
  const runbooks = [
    rb('runbooks/fm.md', '---\nservice: search\nalerts: [SearchDown]\n---\n'),
    rb('runbooks/checkout/latency.md', '---\ntitle: Checkout latency\nalerts: [CheckoutLatencyHigh]\ntags: [slo]\n---\n'),
    rb('runbooks/by-path.md', '---\ntitle: Cart errors\nalerts: [CartErrors]\n---\n'),
    rb('runbooks/kubernetes/_index.md', '---\ntitle: Kubernetes cluster\nbookCollapseSection: true\n---\n'),
    rb('runbooks/kubernetes/KubePodCrashLooping.md', '---\ntitle: Kube Pod Crash Looping\n---\n# KubePodCrashLooping\n'),
    rb('runbooks/general/Watchdog.md', '# Watchdog\n'),
    rb('runbooks/loose.md', '# Loose notes\n'),
  ];
  const cat = catalog([service('checkout', { paths: ['services/checkout/**', '!services/checkout/vendor/**'], runbooks: ['runbooks/checkout'] }), service('cart', { paths: ['runbooks/by-path.md', 'services/cart/**'] })]);
  const set = new RunbookSet(runbooks, cat);

  it('groups by front matter, catalog runbook folders, catalog paths, top folder (named by _index.md), else unassigned', () => {
    const rows = set.services().map((g) => [g.name, g.label, g.source, g.runbooks.map((r) => r.file), g.catalog?.name]);
    assert.deepEqual(rows, [
      ['cart', 'cart', 'catalog-paths', ['runbooks/by-path.md'], 'cart'],
      ['checkout', 'checkout', 'catalog-runbooks', ['runbooks/checkout/latency.md'], 'checkout'],
      ['general', 'general', 'folder', ['runbooks/general/Watchdog.md'], undefined],
      ['kubernetes', 'Kubernetes cluster', 'folder', ['runbooks/kubernetes/_index.md', 'runbooks/kubernetes/KubePodCrashLooping.md'], undefined],
      ['search', 'search', 'front-matter', ['runbooks/fm.md'], undefined],
      [unassignedService, unassignedService, 'unassigned', ['runbooks/loose.md'], undefined],
    ]);
    assert.deepEqual(set.servicesOf(runbooks[4] as Runbook), ['kubernetes']);
  });

  it('ignores the default catalog (its one service owns every file) and honours explicit roots', () => {
    const dflt: Catalog = { source: 'default', services: [service('main', { paths: ['**'], runbooks: ['runbooks'] })], runbookFolders: ['runbooks'], problems: [] };
    const s = new RunbookSet(runbooks, dflt);
    assert.deepEqual(s.servicesOf(runbooks[1] as Runbook), ['checkout']);
    assert.deepEqual(s.forFile('services/checkout/api.go'), []);
    const flat = new RunbookSet([rb('kubernetes/KubePodCrashLooping.md', '# KubePodCrashLooping\n')], undefined, { roots: [''] });
    assert.deepEqual(flat.services().map((g) => g.name), ['kubernetes']);
    const outside = new RunbookSet([rb('docs/x/y.md', '# y\n')]);
    assert.deepEqual(outside.services().map((g) => g.name), [unassignedService]);
  });

  it('reports duplicate IDs (error) and alerts (warning) on the later file of the same origin', () => {
    const a = rb('runbooks/a.md', '---\nid: queue\nalerts: [QueueBacklog]\n---\n');
    const b = rb('runbooks/b.md', '---\nid: queue\ntitle: B\nalerts:\n  - QueueBacklog\n---\n');
    const builtin = rb('runbooks/QueueBacklog.md', '# QueueBacklog\n', 'builtin');
    const builtin2 = rb('runbooks/a.md', '---\nid: queue\n---\n', 'builtin');
    const s = new RunbookSet([a, b, builtin, builtin2]);
    assert.deepEqual(
      s.duplicates.map((d) => [d.file, d.problem.code, d.problem.severity, d.problem.line, d.problem.column]),
      [
        ['runbooks/b.md', 'duplicate-id', 'error', 2, 1],
        ['runbooks/b.md', 'duplicate-alert', 'warning', 4, 1],
      ],
    );
    assert.match(s.duplicates[0]?.problem.message ?? '', /"queue" is also the ID of runbooks\/a\.md/);
    // The set's runbooks carry the problems; the earlier file and the built-ins do not.
    assert.deepEqual(s.runbooks.map((r) => r.problems.map((p) => p.code)), [[], ['duplicate-id', 'duplicate-alert'], [], []]);
    assert.equal(s.runbookOf(b).problems.length, 2);
    assert.equal(s.runbookOf(a), a);
    // Workspace runbooks come before built-ins for an alert.
    assert.deepEqual(s.byAlert('QueueBacklog').map((r) => [r.file, r.origin]), [['runbooks/a.md', 'workspace'], ['runbooks/b.md', 'workspace'], ['runbooks/QueueBacklog.md', 'builtin']]);
    const h1 = new RunbookSet([rb('runbooks/x/KubePodCrashLooping.md', '# KubePodCrashLooping\n'), rb('runbooks/y/crash.md', '\n\n# KubePodCrashLooping\n')]);
    assert.deepEqual(h1.duplicates.map((d) => [d.file, d.problem.line, d.problem.column]), [['runbooks/y/crash.md', 3, 1]]);
  });

  it('finds the runbooks of a code file: `code` globs first, then the runbooks of its catalog service', () => {
    const code = rb('runbooks/checkout/db.md', '---\ntitle: DB\ncode: ["services/checkout/db/**", "!services/checkout/db/testdata/**"]\n---\n');
    const s = new RunbookSet([...runbooks, code], cat);
    assert.deepEqual(s.forFile('services/checkout/db/pool.go').map((r) => r.file), ['runbooks/checkout/db.md', 'runbooks/checkout/latency.md']);
    assert.deepEqual(s.forFile('services/checkout/db/testdata/x.sql').map((r) => r.file), ['runbooks/checkout/latency.md', 'runbooks/checkout/db.md']);
    assert.deepEqual(s.forFile('services/checkout/vendor/lib.go').map((r) => r.file), []);
    assert.deepEqual(s.forFile('services/cart/main.go').map((r) => r.file), ['runbooks/by-path.md']);
    assert.deepEqual(s.forFile('./services\\cart\\main.go').map((r) => r.file), ['runbooks/by-path.md']);
    assert.deepEqual(s.forFile('README.md'), []);
  });

  it('is stale when last_reviewed is more than N days ago; unknown (undefined) without a date', () => {
    const now = new Date('2025-07-01T12:00:00Z');
    const at = (d: string): Runbook => rb('runbooks/r.md', `---\nlast_reviewed: ${d}\n---\n`);
    assert.equal(reviewAgeDays(at('2025-01-02'), now), 180);
    assert.equal(isStale(at('2025-01-02'), now, 180), false);
    assert.equal(isStale(at('2025-01-01'), now, 180), true);
    assert.equal(isStale(at('2025-07-01'), now, 0), false);
    assert.equal(isStale(rb('runbooks/r.md', '# r\n'), now, 180), undefined);
    assert.equal(set.isStale(at('2020-01-01'), now, 180), true);
  });

  it('filters by every word over title, alerts, services, tags and ID, case-insensitively', () => {
    const files = (q: string): string[] => set.filter(q).map((r) => r.file);
    assert.deepEqual(files('kubernetes crash'), ['runbooks/kubernetes/KubePodCrashLooping.md']);
    assert.deepEqual(files('CHECKOUT slo'), ['runbooks/checkout/latency.md']);
    assert.deepEqual(files('search'), ['runbooks/fm.md']);
    assert.deepEqual(files('checkout nothing'), []);
    assert.equal(files('  ').length, runbooks.length);
    assert.deepEqual(files('cart'), ['runbooks/by-path.md']);
    // The static form needs no set (front-matter services only).
    assert.deepEqual(RunbookSet.filter(runbooks, 'watchdog').map((r) => r.file), ['runbooks/general/Watchdog.md']);
  });

  it('matches a pasted alert with the set’s services (a namespace label names a folder service)', () => {
    const m = set.match('alertname="SomethingNew", namespace="kubernetes"');
    assert.deepEqual(m.map((x) => x.runbook.file), ['runbooks/kubernetes/KubePodCrashLooping.md']);
    assert.match(m[0]?.reason ?? '', /namespace=kubernetes/);
  });
});
