// Stands in for VS Code's webview bridge in the preview harness (served as a file: the page's CSP allows no
// inline script). acquireVsCodeApi() works once, like the real one; posted messages land on window.__posted;
// state survives a reload (sessionStorage), like VS Code's getState/setState. When the page posts `ready`,
// the "host" answers with trace/show for window.__harnessModel (set by /model.js).
/* global window, document, sessionStorage */
(function () {
  'use strict';
  var STATE_KEY = '__harness_state';
  var acquired = false;
  window.__posted = [];
  window.__acquireCount = 0;
  window.__cspViolations = [];
  window.__alerts = [];
  window.alert = function (m) {
    window.__alerts.push(String(m));
  };
  document.addEventListener('securitypolicyviolation', function (e) {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
  window.__hostSend = function (message) {
    window.postMessage(message, '*');
  };
  window.acquireVsCodeApi = function () {
    window.__acquireCount++;
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: function (msg) {
        window.__posted.push(JSON.parse(JSON.stringify(msg)));
        if (msg && msg.type === 'ready' && window.__harnessModel) {
          setTimeout(function () {
            window.__hostSend({ type: 'trace/show', model: window.__harnessModel });
          }, 0);
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
