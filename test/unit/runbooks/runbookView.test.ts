// The DOM-free parts of the runbook viewer (webview/runbook/logic.ts): header wording, run badges, link tooltips and
// the current section of the table of contents.
import * as assert from 'node:assert/strict';
import { currentSection, daysSince, linkTitle, problemsText, progressText, ranBadge, reviewedText } from '../../../webview/runbook/logic';

describe('runbook viewer logic', () => {
  const now = Date.UTC(2025, 4, 10, 12);

  it('checklist progress', () => {
    assert.equal(progressText(0, 0), '');
    assert.equal(progressText(2, 7), '2 of 7 done');
    assert.equal(progressText(7, 7), 'All 7 done');
  });

  it('last reviewed, in days, months or years', () => {
    assert.equal(daysSince('2025-05-09', now), 1);
    assert.equal(daysSince('2025-13-40', now), undefined);
    assert.equal(daysSince('yesterday', now), undefined);
    assert.equal(reviewedText(undefined, now), 'Never reviewed');
    assert.equal(reviewedText('2025-05-10', now), 'Reviewed 2025-05-10 (today)');
    assert.equal(reviewedText('2025-05-09', now), 'Reviewed 2025-05-09 (yesterday)');
    assert.equal(reviewedText('2025-04-10', now), 'Reviewed 2025-04-10 (30 days ago)');
    assert.equal(reviewedText('2024-11-10', now), 'Reviewed 2024-11-10 (6 months ago)');
    assert.equal(reviewedText('2021-05-10', now), 'Reviewed 2021-05-10 (4 years ago)');
    assert.equal(reviewedText('2026-01-01', now), 'Reviewed 2026-01-01');
    assert.equal(problemsText(1), '1 problem');
    assert.equal(problemsText(3), '3 problems');
  });

  it('run badges', () => {
    const at = Date.UTC(2025, 4, 10, 3, 4, 5);
    assert.deepEqual(ranBadge(at, 0), { text: 'Exit 0 · 03:04:05 UTC', tone: 'ok', title: 'Finished at 03:04:05 UTC with exit code 0' });
    assert.equal(ranBadge(at, 2).tone, 'failed');
    assert.equal(ranBadge(at, undefined).text, 'Sent to terminal 03:04:05 UTC');
  });

  it('link tooltips say where a link goes', () => {
    assert.equal(linkTitle({ id: 0, kind: 'code', target: '../src/x.go', resolved: 'src/x.go', line: 42 }), 'Open src/x.go:42');
    assert.equal(linkTitle({ id: 0, kind: 'runbook', target: 'a.md', fragment: 'mitigation' }), 'Open runbook a.md#mitigation');
    assert.equal(linkTitle({ id: 0, kind: 'external', target: 'https://x.example/' }), 'Open https://x.example/ (outside VS Code)');
    assert.equal(linkTitle({ id: 0, kind: 'external', target: 'mailto:a@b.example' }), 'Write to a@b.example');
    assert.equal(linkTitle({ id: 0, kind: 'anchor', target: 'diagnosis' }), 'Go to #diagnosis');
  });

  it('current section: the last heading at or above the reading line', () => {
    assert.equal(currentSection([], 100), -1);
    const tops = [0, 300, 900, 1500];
    assert.equal(currentSection(tops, -5), 0);
    assert.equal(currentSection(tops, 299), 0);
    assert.equal(currentSection(tops, 300), 1);
    assert.equal(currentSection(tops, 1000), 2);
    assert.equal(currentSection(tops, 99_999), 3);
  });
});
