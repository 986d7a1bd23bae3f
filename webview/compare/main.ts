/**
 * Entry point of the trace comparison webview (bundled to dist/webview/compare.js, its CSS to compare.css).
 * Listens for host messages, then tells the host it is ready.
 */
import './compare.css';
import { onMessage, parseCompareModel, postMessage } from './api';
import { CompareApp } from './app';

const app = new CompareApp(document.getElementById('app') ?? document.body);

onMessage((message) => {
  switch (message.type) {
    case 'compare/show': {
      const model = parseCompareModel(message.modelJson);
      if (model) app.show(model);
      else app.showError('This comparison could not be shown: the data sent to the view is malformed.');
      break;
    }
    case 'compare/loading':
      app.showLoading(message.message);
      break;
    case 'compare/error':
      app.showError(message.message);
      break;
  }
});

postMessage({ type: 'ready' });
