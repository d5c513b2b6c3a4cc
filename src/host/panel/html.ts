import * as vscode from 'vscode';

/** A fresh random nonce for the panel's one script and stylesheet. */
function nonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let value = '';
  for (let i = 0; i < 32; i++) value += alphabet.charAt(Math.floor(Math.random() * alphabet.length));
  return value;
}

/**
 * The panel's HTML: CSP `default-src 'none'`, the bundled script by nonce (no inline script, no eval), styles
 * only from the extension, and nothing from the broker (all data arrives later by postMessage, as text).
 * `assets` names the bundle in dist/ and the stylesheet in media/ (the fleet dashboard and the monitor's webviews have their own and get the same policy).
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, assets: { script: string; style: string } = { script: 'webview.js', style: 'panel.css' }): string {
  const scriptNonce = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', assets.script));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', assets.style));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${scriptNonce}'`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  const safeTitle = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${safeTitle}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${scriptNonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
