// Stands in for VS Code's webview bridge in the preview harness (served as a file: the page's CSP allows no
// inline script). acquireVsCodeApi() works once, like the real one; posted messages land on window.__posted;
// state survives a reload (sessionStorage), like VS Code's getState/setState. When the page posts `ready`,
// the "host" answers with trace/show for window.__harnessView.model (set by /model.js), and it answers span/details
// and filter from the view's details, as src/traces/waterfallPanel.ts does. When the checks run, preview.mjs exposes
// window.__harnessHost, and filter / stats / span/details are answered by the extension's own src/core in Node.
/* global window, document, sessionStorage, URLSearchParams */
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
        var view = window.__harnessView;
        if (!msg || !view) return;
        var traceId = view.model.traceId;
        if (msg.type === 'ready') {
          setTimeout(function () {
            window.__hostSend({ type: 'trace/show', modelJson: view.modelJson });
          }, 0);
        } else if (window.__harnessHost && (msg.type === 'filter' || msg.type === 'stats' || msg.type === 'span/details')) {
          // Checks run: the extension's own src/core answers from Node (preview.mjs, harnessHost).
          var model = new URLSearchParams(window.location.search).get('model');
          window.__harnessHost(model, msg).then(function (answer) {
            if (answer) window.__hostSend(answer);
          });
        } else if (msg.type === 'span/details' && view.details[msg.row]) {
          setTimeout(function () {
            window.__hostSend({ type: 'span/details', traceId: traceId, row: msg.row, details: view.details[msg.row] });
          }, 0);
        } else if (msg.type === 'filter') {
          // The same rule as src/core/traces/search.ts: every term is a substring of the row's search text.
          var terms = msg.query.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
          var matches = [];
          view.model.rows.forEach(function (r, i) {
            var d = view.details[i] || { attributes: [], resource: [], events: [], links: [] };
            var parts = [r.name, r.service, r.id, r.kind, r.statusMessage || '', r.error ? 'error' : ''];
            d.attributes.concat(d.resource).forEach(function (kv) { parts.push(kv[0] + '=' + kv[1]); });
            d.events.forEach(function (e) { parts.push(e.name, (e.exception && e.exception.type) || '', (e.exception && e.exception.message) || ''); });
            if (d.code) parts.push(d.code.function || '', d.code.path || '');
            var text = parts.join('\n').toLowerCase();
            if (terms.length && terms.every(function (t) { return text.indexOf(t) >= 0; })) matches.push(i);
          });
          setTimeout(function () {
            window.__hostSend({ type: 'filter/result', traceId: traceId, query: msg.query, matches: matches });
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
