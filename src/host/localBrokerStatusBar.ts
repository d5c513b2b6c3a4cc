import * as vscode from 'vscode';
import { LOCAL_BROKER_PROTOCOL_VERSION, type LocalBroker } from '../core/localBroker';
import { isLoopbackAddress } from '../core/localBrokerOptions';

/** The command the status bar item runs: a quick pick of what to do with the running broker. */
export const LOCAL_BROKER_MENU_COMMAND = 'mqttWorkbench.localBrokerMenu';

/** Status bar item while the local broker runs: "$(server) Local broker :1883 · 2 clients". Hidden when stopped. */
export class LocalBrokerStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mqttWorkbench.localBroker', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: { dispose(): void };

  constructor(private readonly broker: LocalBroker) {
    this.item.name = 'MQTT Local Broker';
    this.item.command = LOCAL_BROKER_MENU_COMMAND;
    this.subscription = broker.onChange(() => this.update());
    this.update();
  }

  private update(): void {
    const address = this.broker.address;
    if (!address) {
      this.item.hide();
      return;
    }
    const clients = this.broker.clientCount;
    const exposed = !isLoopbackAddress(address.host);
    const counted = `${clients} ${clients === 1 ? 'client' : 'clients'}`;
    this.item.text = `$(server) Local broker ${exposed ? address.host : ''}:${address.port} · ${counted}`;
    this.item.backgroundColor = exposed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = [
      `Local MQTT ${LOCAL_BROKER_PROTOCOL_VERSION} broker at ${address.url}${address.wsUrl ? ` and ${address.wsUrl}` : ''}`,
      exposed ? `Listening on ${address.host}: other machines on the network can connect.` : 'Reachable from this machine only.',
      `${counted} connected. Click for actions.`,
    ].join('\n');
    this.item.accessibilityInformation = { label: `Local MQTT broker on port ${address.port}, ${counted}` };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
