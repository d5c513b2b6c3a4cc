import type { FromWebview, ToWebview } from '../src/shared/protocol';
import { registerToolkit } from './ui';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
registerToolkit();

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'error') {
    const status = document.getElementById('status');
    if (status) status.textContent = message.message;
  }
});

vscode.postMessage({ type: 'ready' });
