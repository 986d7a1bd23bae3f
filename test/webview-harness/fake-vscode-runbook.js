// The runbook viewer's fake host in the preview harness (after fake-vscode-bridge.js). It answers like
// src/runbooks/runbookPanel.ts: `ready` → `show` (window.__runbookShow, set by /runbook-model.js), `toggleCheck` /
// `resetChecks` → `checks`, `runCommand` → `ran` (as if the user confirmed; exit 1 for a rollback, else 0). It never
// receives command text: it looks the ID up in its own list. Commands "run" land on window.__ran.
/* global window */
(function () {
  'use strict';
  window.__ran = [];
  var ticked = [];
  window.__fakeVsCode('__harness_runbook_state', function (msg, later) {
    var show = window.__runbookShow;
    if (!show) return;
    if (msg.type === 'ready') {
      ticked = show.checks.filter(function (c) { return c.checked; }).map(function (c) { return c.id; });
      later(show);
    } else if (msg.type === 'toggleCheck') {
      ticked = ticked.filter(function (id) { return id !== msg.checkId; });
      if (msg.checked) ticked.push(msg.checkId);
      later({ type: 'checks', checked: ticked.slice(), incident: show.incident });
    } else if (msg.type === 'resetChecks') {
      ticked = [];
      later({ type: 'checks', checked: [], incident: show.incident });
    } else if (msg.type === 'runCommand' && show.trusted && show.commands[msg.commandId]) {
      window.__ran.push(show.commands[msg.commandId].code);
      later({ type: 'ran', commandId: msg.commandId, exitCode: /rollback/.test(show.commands[msg.commandId].code) ? 1 : 0, at: Date.UTC(2025, 2, 14, 3, 12, 9) });
    }
  });
})();
