/**
 * Entry point of the hypothesis notebook panel (bundled to dist/webview/notebook.js, its CSS to notebook.css).
 * Listens for host messages, then tells the host it is ready; the host answers with the `state`.
 */
import './notebook.css';
import { onMessage, postMessage } from './api';
import { NotebookApp } from './app';

const app = new NotebookApp(document.getElementById('app') ?? document.body);

onMessage((message) => app.handle(message));

postMessage({ type: 'ready' });
