/**
 * Entry point of the waterfall webview (bundled to dist/webview/waterfall.js, its CSS to waterfall.css).
 * Listens for host messages, then tells the host it is ready.
 */
import './waterfall.css';
import { onMessage, parseModel, postMessage } from '../shared/vscodeApi';
import { WaterfallApp } from './app';

const root = document.getElementById('app') ?? document.body;
const app = new WaterfallApp(root);

onMessage((message) => {
  switch (message.type) {
    case 'trace/show': {
      const model = parseModel(message.modelJson);
      if (model) app.show(model, message.selectRow);
      else app.showError('This trace could not be shown: the data sent to the view is malformed.');
      break;
    }
    case 'trace/loading':
      app.showLoading(message.message);
      break;
    case 'trace/error':
      app.showError(message.message);
      break;
    case 'span/details':
      app.onDetails(message.traceId, message.row, message.details);
      break;
    case 'span/detailsFailed':
      app.onDetailsFailed(message.traceId, message.message);
      break;
    case 'filter/result':
      app.onFilterResult(message.traceId, message.query, message.matches, message.highlight, message.problems);
      break;
    case 'stats/result':
      app.onStats(message.traceId, message.stats);
      break;
  }
});

postMessage({ type: 'ready' });
