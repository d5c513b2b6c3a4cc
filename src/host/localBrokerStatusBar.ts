import * as vscode from 'vscode';
import { isLoopbackAddress } from '../core/localBrokerOptions';
import type { LocalBrokerService } from './localBrokerService';

/** The command the status bar item runs: a quick pick of what to do with the running broker. */
export const LOCAL_BROKER_MENU_COMMAND = 'mqttWorkbench.localBrokerMenu';

/**
 * Status bar item while the local broker runs: "$(server) Local broker (mosquitto 2.0) :1883 · 2 clients"; after a
 * crash "$(error) Local broker (mosquitto 2.0) stopped" (click: Restart, Use Embedded Broker). Hidden when stopped.
 */
export class LocalBrokerStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mqttWorkbench.localBroker', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: { dispose(): void };

  constructor(private readonly broker: LocalBrokerService) {
    this.item.name = 'MQTT Local Broker';
    this.item.command = LOCAL_BROKER_MENU_COMMAND;
    this.subscription = broker.onChange(() => this.update());
    this.update();
  }

  private update(): void {
    const address = this.broker.address;
    const engine = this.broker.label ?? '';
    const crash = this.broker.crashed;
    if (!address && crash !== undefined) {
      this.item.text = `$(error) Local broker (${engine}) stopped`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.item.tooltip = `${crash}\nClick to restart it or to use the embedded broker.`;
      this.item.accessibilityInformation = { label: `Local MQTT broker stopped unexpectedly` };
      this.item.show();
      return;
    }
    if (!address) {
      this.item.hide();
      return;
    }
    const clients = this.broker.clientCount;
    const exposed = !isLoopbackAddress(address.host);
    const counted = `${clients} ${clients === 1 ? 'client' : 'clients'}`;
    this.item.text = `$(server) Local broker (${engine}) ${exposed ? address.host : ''}:${address.port} · ${counted}`;
    this.item.backgroundColor = exposed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = [
      `Local MQTT ${this.broker.protocolVersion ?? ''} broker (${engine}) at ${address.url}${address.wsUrl ? ` and ${address.wsUrl}` : ''}`,
      exposed ? `Listening on ${address.host}: other machines on the network can connect.` : 'Reachable from this machine only.',
      `${counted} connected. Click for actions.`,
    ].join('\n');
    this.item.accessibilityInformation = { label: `Local MQTT broker (${engine}) on port ${address.port}, ${counted}` };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
