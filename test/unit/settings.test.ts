import * as assert from 'node:assert/strict';
import { defaultSettings, parseSettings } from '../../src/core/config/settings';

describe('parseSettings', () => {
  it('uses defaults when nothing is set', () => {
    const { settings, problems } = parseSettings(() => undefined);
    assert.deepEqual(settings, defaultSettings);
    assert.deepEqual(problems, []);
    assert.ok(Object.isFrozen(settings.traces.paths));
  });

  it('reports wrong values by key and falls back to the default', () => {
    const raw: Record<string, unknown> = { 'traces.paths': 'traces/**', 'traces.maxFileSizeMB': -5, 'codeNavigation.openBeside': false };
    const { settings, problems } = parseSettings((k) => raw[k]);
    assert.deepEqual(settings.traces.paths, defaultSettings.traces.paths);
    assert.equal(settings.traces.maxFileBytes, defaultSettings.traces.maxFileBytes);
    assert.equal(settings.codeNavigation.openBeside, false);
    assert.deepEqual(problems.map((p) => p.key), ['oncall.traces.paths', 'oncall.traces.maxFileSizeMB']);
  });

  it('accepts valid values', () => {
    const raw: Record<string, unknown> = { 'traces.paths': [' out/*.json '], 'traces.maxFileSizeMB': 50 };
    const { settings } = parseSettings((k) => raw[k]);
    assert.deepEqual(settings.traces.paths, ['out/*.json']);
    assert.equal(settings.traces.maxFileBytes, 50 * 1024 * 1024);
  });

  it('reads trace backends one by one: a bad entry is reported and skipped, the others kept', () => {
    const raw: Record<string, unknown> = {
      'traces.backends': [
        { name: 'jaeger-prod', kind: 'jaeger', url: 'https://jaeger.example.com/jaeger', lookbackHours: 24 },
        { name: 'tempo', kind: 'tempo-v2', url: 'http://tempo:3200', tenant: ' team-a ' },
        { name: 'typo', kind: 'jeager', url: 'http://x' },
        { name: 'nourl', kind: 'zipkin', url: 'localhost:9411' },
        { name: 'jaeger-prod', kind: 'zipkin', url: 'http://zipkin:9411' },
        { kind: 'zipkin', url: 'http://zipkin:9411' },
        'http://nope',
      ],
    };
    const { settings, problems } = parseSettings((k) => raw[k]);
    assert.deepEqual(
      settings.traces.backends.map((b) => [b.name, b.kind, b.url, b.lookbackHours, b.tenant]),
      [
        ['jaeger-prod', 'jaeger', 'https://jaeger.example.com/jaeger', 24, undefined],
        ['tempo', 'tempo-v2', 'http://tempo:3200', undefined, 'team-a'],
        ['zipkin@zipkin:9411', 'zipkin', 'http://zipkin:9411', undefined, undefined],
      ],
    );
    const messages = problems.map((p) => p.message).join('\n');
    assert.match(messages, /entry 3 \("typo"\): "kind" must be one of jaeger, jaeger-v3, tempo, tempo-v2, zipkin/);
    assert.match(messages, /entry 4 \("nourl"\): "url" must be an http/);
    assert.match(messages, /entry 5: the name "jaeger-prod" is used twice/);
    assert.match(messages, /entry 7 is not an object/);
    assert.ok(problems.every((p) => p.key === 'oncall.traces.backends'));
  });

  it('reads the network and Prometheus settings, with defaults for what is wrong', () => {
    const raw: Record<string, unknown> = {
      'http.timeoutSeconds': 5,
      'http.maxResponseMB': 0,
      'http.caFile': ' certs/ca.pem ',
      'prometheus.url': 'http://127.0.0.1:9090',
      'prometheus.traceIdLabels': ['traceId'],
      'prometheus.lookbackMinutes': 'an hour',
    };
    const { settings, problems } = parseSettings((k) => raw[k]);
    assert.equal(settings.http.timeoutMs, 5000);
    assert.equal(settings.http.maxResponseBytes, 50 * 1024 * 1024);
    assert.equal(settings.http.caFile, 'certs/ca.pem');
    assert.equal(settings.prometheus.url, 'http://127.0.0.1:9090');
    assert.deepEqual(settings.prometheus.traceIdLabels, ['traceId']);
    assert.equal(settings.prometheus.lookbackMinutes, 60);
    assert.deepEqual(problems.map((p) => p.key), ['oncall.http.maxResponseMB', 'oncall.prometheus.lookbackMinutes']);
  });
});

describe('parseSettings: oncall.wire.*', () => {
  it('reads the wire settings, and names a wrong value while keeping the default', () => {
    const ok = parseSettings((k) => ({ 'wire.indexOnOpen': true, 'wire.codeLens': false, 'wire.exclude': ['**/gen/**', ' '] })[k]).settings.wire;
    assert.deepEqual(ok, { indexOnOpen: true, codeLens: false, highlightErrorPaths: true, exclude: ['**/gen/**'] });
    const { settings, problems } = parseSettings((k) => ({ 'wire.highlightErrorPaths': 'yes', 'wire.exclude': '**/gen/**' })[k]);
    assert.equal(settings.wire.highlightErrorPaths, true);
    assert.deepEqual(settings.wire.exclude, []);
    assert.deepEqual(
      problems.map((p) => p.key),
      ['oncall.wire.highlightErrorPaths', 'oncall.wire.exclude'],
    );
    assert.match(problems[0]?.message ?? '', /true or false/);
  });

  it('keeps the notebook folder inside the workspace; anything else is a problem and the default', () => {
    const folder = (v: unknown): { folder: string; problems: string[] } => {
      const r = parseSettings((k) => (k === 'notebook.folder' ? v : undefined));
      return { folder: r.settings.notebook.folder, problems: r.problems.map((p) => p.key) };
    };
    assert.deepEqual(folder(undefined), { folder: '.oncall/incidents', problems: [] });
    assert.deepEqual(folder('ops/incidents/'), { folder: 'ops/incidents', problems: [] });
    assert.deepEqual(folder('.\\ops\\incidents'), { folder: 'ops/incidents', problems: [] });
    for (const bad of ['/etc', '../elsewhere', 'a/../../b', 'C:\\incidents', 42]) assert.deepEqual(folder(bad), { folder: '.oncall/incidents', problems: ['oncall.notebook.folder'] }, String(bad));
  });
});
