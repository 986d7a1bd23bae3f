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
});
