// Stands in for VS Code's webview bridge on the runbook harness page (served as a file: the CSP allows no inline
// script). acquireVsCodeApi() works once; posted messages land on window.__posted; state survives a reload
// (sessionStorage). The fake host answers like src/runbooks/runbookPanel.ts: `ready` → `show` (window.__runbookShow,
// set by /runbook-model.js), `toggleCheck` / `resetChecks` → `checks`, `runCommand` → `ran` (as if the user
// confirmed; exit 1 for a rollback, else 0). It never receives command text: it looks the ID up in its own list.
/* global window, document, sessionStorage */
(function () {
  'use strict';
  var STATE_KEY = '__harness_runbook_state';
  var acquired = false;
  window.__posted = [];
  window.__acquireCount = 0;
  window.__cspViolations = [];
  window.__alerts = [];
  window.__ran = [];
  window.alert = function (m) {
    window.__alerts.push(String(m));
  };
  document.addEventListener('securitypolicyviolation', function (e) {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
  window.__hostSend = function (message) {
    window.postMessage(message, '*');
  };
  var ticked = [];
  window.acquireVsCodeApi = function () {
    window.__acquireCount++;
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: function (msg) {
        window.__posted.push(JSON.parse(JSON.stringify(msg)));
        var show = window.__runbookShow;
        if (!msg || !show) return;
        var later = function (m) {
          setTimeout(function () {
            window.__hostSend(m);
          }, 0);
        };
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
      },
      getState: function () {
        var s = sessionStorage.getItem(STATE_KEY);
        return s ? JSON.parse(s) : undefined;
      },
      setState: function (s) {
        sessionStorage.setItem(STATE_KEY, JSON.stringify(s));
        return s;
      },
    });
  };
})();
