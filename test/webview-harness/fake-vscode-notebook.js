// Stands in for VS Code's webview bridge on the notebook harness page (served as a file: the CSP allows no inline
// script). acquireVsCodeApi() works once; posted messages land on window.__posted; state survives a reload
// (sessionStorage, like VS Code's getState/setState). The fake host answers like src/notebook/ would: `ready` →
// `state` (window.__notebookState, set by /notebook-model.js); `op` → `applied` (refused with window.__refuseNext,
// once, or ok with the ID window.__appliedId, once), then a `state` with the next revision (the incident unchanged:
// the fake applies nothing).
// window.__autoApply = false leaves answering to the check (window.__hostSend).
/* global window, document, sessionStorage */
(function () {
  'use strict';
  var STATE_KEY = '__harness_notebook_state';
  var acquired = false;
  window.__posted = [];
  window.__acquireCount = 0;
  window.__cspViolations = [];
  window.__alerts = [];
  window.__autoApply = true;
  window.__refuseNext = undefined;
  window.alert = function (m) {
    window.__alerts.push(String(m));
  };
  document.addEventListener('securitypolicyviolation', function (e) {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
  window.__hostSend = function (message) {
    window.postMessage(message, '*');
  };
  var revision = 0;
  window.acquireVsCodeApi = function () {
    window.__acquireCount++;
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: function (msg) {
        window.__posted.push(JSON.parse(JSON.stringify(msg)));
        var state = window.__notebookState;
        if (!msg || !state) return;
        var later = function (m) {
          setTimeout(function () {
            window.__hostSend(m);
          }, 0);
        };
        if (msg.type === 'ready') {
          revision = state.revision;
          later(state);
        } else if (msg.type === 'op' && window.__autoApply) {
          var refuse = window.__refuseNext;
          window.__refuseNext = undefined;
          if (refuse) {
            later({ type: 'applied', requestId: msg.requestId, ok: false, error: refuse });
          } else {
            revision++;
            var id = window.__appliedId;
            window.__appliedId = undefined;
            later(id ? { type: 'applied', requestId: msg.requestId, ok: true, id: id } : { type: 'applied', requestId: msg.requestId, ok: true });
            later(Object.assign({}, state, { revision: revision }));
          }
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
