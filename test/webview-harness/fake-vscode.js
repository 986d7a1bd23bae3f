// The waterfall's fake host in the preview harness (after fake-vscode-bridge.js). When the page posts `ready`, the
// "host" answers with trace/show for window.__harnessView.model (set by /model.js), and it answers span/details and
// filter from the view's details, as src/traces/waterfallPanel.ts does. When the checks run, preview.mjs exposes
// window.__harnessHost, and filter / stats / span/details are answered by the extension's own src/core in Node.
/* global window, URLSearchParams */
(function () {
  'use strict';
  window.__fakeVsCode('__harness_state', function (msg, later) {
    var view = window.__harnessView;
    if (!view) return;
    var traceId = view.model.traceId;
    if (msg.type === 'ready') {
      later({ type: 'trace/show', modelJson: view.modelJson });
    } else if (window.__harnessHost && (msg.type === 'filter' || msg.type === 'stats' || msg.type === 'span/details')) {
      // Checks run: the extension's own src/core answers from Node (preview.mjs, harnessHost).
      var model = new URLSearchParams(window.location.search).get('model');
      window.__harnessHost(model, msg).then(function (answer) {
        if (answer) window.__hostSend(answer);
      });
    } else if (msg.type === 'span/details' && view.details[msg.row]) {
      later({ type: 'span/details', traceId: traceId, row: msg.row, details: view.details[msg.row] });
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
      later({ type: 'filter/result', traceId: traceId, query: msg.query, matches: matches });
    }
  });
})();
