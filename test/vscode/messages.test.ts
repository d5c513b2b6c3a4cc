// Inside the real extension host: the message panel opens as a webview tab per connection, one per
// connection (a second open reveals it), and bad arguments open nothing.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MqttWorkbenchApi } from '../../src/host/api';
import { startMosquitto, type Broker } from '../helpers/broker';
import { logMark, waitForUserMessage } from './userMessages';

function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('mqttWorkbench.messages'));
}

/** Tabs update a moment after a panel is created: wait until `count` panel tabs are there. */
async function waitForPanelTabs(count: number): Promise<vscode.Tab[]> {
  const deadline = Date.now() + 10_000;
  while (panelTabs().length !== count) {
    if (Date.now() > deadline) {
      const all = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label} (${t.input?.constructor.name})`);
      throw new Error(`Expected ${count} message panel tab(s); tabs are: ${all.join(', ') || 'none'}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return panelTabs();
}

describe('Message panel (extension host)', function () {
  this.timeout(60_000);
  let broker: Broker;

  before(async () => {
    broker = await startMosquitto();
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name: 'Panel broker', host: '127.0.0.1', port: broker.port, target: 'workspace' }), 'Panel broker');
    const api = await vscode.extensions.getExtension<MqttWorkbenchApi>('mqtt-workbench.mqtt-workbench')?.activate();
    await api?.connect('Panel broker');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await broker?.stop();
  });

  it('opens one panel per connection, filtered to a topic when asked, and reveals it on a second open', async () => {
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.openMessages', { connection: 'Panel broker', topicFilter: 'sensors/#' }), 'Panel broker');
    assert.deepEqual((await waitForPanelTabs(1)).map((t) => t.label), ['Messages: Panel broker']);
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.openMessages', 'Panel broker'), 'Panel broker');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(panelTabs().length, 1, 'still one panel');
  });

  it('bad arguments open nothing and say why', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const mark = logMark();
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.openMessages', { connection: 'Panel broker', topicFilter: 5 }), undefined);
    await waitForUserMessage('openMessages.topicFilter: must be a string', mark);
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.openMessages', 'No such broker'), undefined);
    await waitForUserMessage(/: There is no connection named "No such broker"\. Known: .*Panel broker/, mark);
    assert.equal(panelTabs().length, 0);
  });
});
