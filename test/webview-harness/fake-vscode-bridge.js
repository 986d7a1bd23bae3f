// What every fake host of the preview harness shares (served as a file before the page's own fake host: the CSP
// allows no inline script). window.__fakeVsCode(stateKey, answer) installs acquireVsCodeApi(), which works once like
// the real one: posted messages land on window.__posted (as JSON, as they would cross to the host), state survives a
// reload (sessionStorage, like getState/setState), and each message goes to `answer(msg, later)`, where later(m)
// sends m to the page on the next task, as the host's postMessage would. The page's alerts and CSP violations are
// recorded (window.__alerts, window.__cspViolations); window.__hostSend(m) lets a check answer by hand.
/* global window, document, sessionStorage */
(function () {
  'use strict';
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
  var later = function (m) {
    setTimeout(function () {
      window.__hostSend(m);
    }, 0);
  };
  window.__fakeVsCode = function (stateKey, answer) {
    var acquired = false;
    window.acquireVsCodeApi = function () {
      window.__acquireCount++;
      if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
      acquired = true;
      return Object.freeze({
        postMessage: function (msg) {
          window.__posted.push(JSON.parse(JSON.stringify(msg)));
          if (msg) answer(msg, later);
        },
        getState: function () {
          var s = sessionStorage.getItem(stateKey);
          return s ? JSON.parse(s) : undefined;
        },
        setState: function (s) {
          sessionStorage.setItem(stateKey, JSON.stringify(s));
          return s;
        },
      });
    };
  };
})();
