import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/**
 * The one place webview pages are built: a fresh nonce, a strict CSP (no inline script or style, no remote
 * loads), the bundled script and stylesheet of the view, and codicons. The page carries no data: the view asks
 * for it with a `ready` message.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...p: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('dist', 'webview', `${view}.css`)}">
<title>${esc(title)}</title>
</head>
<body>
<div id="app" data-view="${esc(view)}"></div>
<script nonce="${nonce}" src="${asset('dist', 'webview', `${view}.js`)}"></script>
</body>
</html>`;
}

/** Webview options every view uses: scripts on, local resources limited to the bundle and media. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
