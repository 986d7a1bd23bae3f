// The notebook panel's fake host in the preview harness (after fake-vscode-bridge.js). It answers like src/notebook/
// would: `ready` → `state` (window.__notebookState, set by /notebook-model.js); `op` → `applied` (refused with
// window.__refuseNext, once, or ok with the ID window.__appliedId, once), then a `state` with the next revision (the
// incident unchanged: the fake applies nothing). window.__autoApply = false leaves answering to the check
// (window.__hostSend).
/* global window */
(function () {
  'use strict';
  window.__autoApply = true;
  window.__refuseNext = undefined;
  var revision = 0;
  window.__fakeVsCode('__harness_notebook_state', function (msg, later) {
    var state = window.__notebookState;
    if (!state) return;
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
  });
})();
