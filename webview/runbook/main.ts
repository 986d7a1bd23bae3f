/**
 * Entry point of the runbook viewer (bundled to dist/webview/runbook.js, its CSS to runbook.css). Listens for host
 * messages, then tells the host it is ready.
 */
import './runbook.css';
import { onMessage, postMessage } from './api';
import { RunbookApp } from './app';

const app = new RunbookApp(document.getElementById('app') ?? document.body);

onMessage((message) => {
  switch (message.type) {
    case 'show':
      app.show(message);
      break;
    case 'checks':
      app.setChecked(message.checked, message.incident);
      break;
    case 'trust':
      app.setTrusted(message.trusted);
      break;
    case 'ran':
      app.showRan(message.commandId, message.at, message.exitCode);
      break;
  }
});

postMessage({ type: 'ready' });
