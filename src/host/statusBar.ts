import * as vscode from 'vscode';
import type { ConnectionManager } from './connections';
import { describeState } from './views/connectionNode';

/** Status bar item: how many connections are up, and whether any is in trouble. Click picks a connection. */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mqttWorkbench.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connections: ConnectionManager) {
    this.item.name = 'MQTT Workbench';
    this.item.command = 'mqttWorkbench.pickConnection';
    this.subscription = connections.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const all = this.connections.list();
    if (all.length === 0) {
      this.item.hide();
      return;
    }
    const connected = all.filter((c) => c.state.kind === 'connected').length;
    const troubled = all.filter((c) => c.state.kind === 'reconnecting' || c.state.kind === 'failed');
    const busy = all.some((c) => c.state.kind === 'connecting' || c.state.kind === 'reconnecting');
    const queued = all.reduce((sum, c) => sum + c.queued, 0);
    this.item.text = `$(${busy ? 'sync~spin' : troubled.length > 0 ? 'warning' : 'radio-tower'}) MQTT ${connected}/${all.length}${queued > 0 ? ` $(mail) ${queued}` : ''}`;
    this.item.backgroundColor = troubled.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = all.map((c) => `${c.entry.name}: ${c.entry.profile ? describeState(c.state) : 'invalid settings'}${c.queued > 0 ? `, ${c.queued} queued` : ''}`).join('\n');
    this.item.accessibilityInformation = { label: `MQTT: ${connected} of ${all.length} connections connected` };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
