import * as vscode from 'vscode';
import { createApi, type MqttWorkbenchApi } from './host/api';
import { addConnection } from './host/commands/addConnection';
import { registerConnectionCommands, reportFailure } from './host/commands/connectionCommands';
import { ConnectionManager } from './host/connections';
import { CredentialPrompter } from './host/credentials';
import { createLog } from './host/log';
import { ProfileSecrets } from './host/secrets';
import { ConnectionStatusBar } from './host/statusBar';
import { trackHasConnections } from './host/contextKeys';
import { registerLocalBroker, stopLocalBrokerOnExit } from './host/commands/localBrokerCommands';
import { ConnectionsProvider } from './host/views/connectionsProvider';
import { registerPublishing } from './host/publishing';
import { registerSubscriptionCommands } from './host/commands/subscriptionCommands';
import { registerTopicCommands } from './host/commands/topicCommands';
import { TopicTrees } from './host/topicTrees';
import { TopicsProvider } from './host/views/topicsProvider';
import { HistoryStore } from './host/histories';
import { PanelManager } from './host/panel/panelManager';
import { panelPublishTarget } from './host/panel/panelPublishTarget';
import { ProtobufSchemas } from './host/protobufSchemas';
import { FleetRuns } from './host/fleet/fleetRuns';
import { registerFleetCommands } from './host/fleet/fleetCommands';
import { registerCapture } from './host/capture/registerCapture';
import { StructHeaders } from './host/cstructHeaders';
import { registerMonitor } from './host/monitor/registerMonitor';
import { monitorApi, type MonitorApi } from './host/monitor/monitorApi';

let historyStore: HistoryStore | undefined;
let connectionManager: ConnectionManager | undefined;
let captureFeature: ReturnType<typeof registerCapture> | undefined;

/** Composition root: creates the services, registers them to the extension's lifetime, returns the public API. */
export function activate(context: vscode.ExtensionContext): MqttWorkbenchApi & MonitorApi {
  const started = performance.now();
  const { channel, log } = createLog();
  const secrets = new ProfileSecrets(context.secrets);
  const connections = new ConnectionManager(secrets, new CredentialPrompter(secrets), context.workspaceState, log.child('connections'), context.storageUri);
  connectionManager = connections;
  const fleetRuns = new FleetRuns(connections, new CredentialPrompter(secrets), context.extensionUri, log.child('fleet'));
  const connectionsProvider = new ConnectionsProvider(connections, fleetRuns);
  const connectionsView = vscode.window.createTreeView('mqttWorkbench.connections', { treeDataProvider: connectionsProvider, showCollapseAll: true });
  const topicTrees = new TopicTrees(connections);
  const histories = new HistoryStore(connections, context.storageUri, log.child('history'));
  historyStore = histories;
  void histories.restore();
  const protobuf = new ProtobufSchemas(log.child('protobuf'));
  const structs = new StructHeaders(log.child('structs'));
  const publishing = registerPublishing(connections, topicTrees, protobuf, structs, context.workspaceState, log.child('publish'));
  const decodeContext = () => ({ ...protobuf.context, ...structs.context });
  const topicsProvider = new TopicsProvider(connections, topicTrees, decodeContext);
  const topicsView = vscode.window.createTreeView('mqttWorkbench.topics', { treeDataProvider: topicsProvider, showCollapseAll: true });
  const capture = registerCapture(context, connections, connectionsProvider, topicsProvider, decodeContext, log.child('capture'));
  captureFeature = capture;
  const monitoring = registerMonitor(connections, topicTrees, publishing.services, protobuf, structs, topicsProvider, context.extensionUri, log.child('alerts'));

  context.subscriptions.push(
    channel,
    connections,
    connectionsProvider,
    connectionsView,
    topicTrees,
    histories,
    protobuf,
    structs,
    new PanelManager(connections, histories, context.extensionUri, protobuf, structs, log.child('panel'), panelPublishTarget(connections, protobuf, structs, publishing.history)),
    topicsProvider,
    topicsView,
    topicsView.onDidExpandElement(({ element }) => topicsProvider.expanded.add(element)),
    topicsView.onDidCollapseElement(({ element }) => topicsProvider.expanded.delete(element)),
    structs.onDidReload(() => topicsProvider.redraw()),
    new ConnectionStatusBar(connections),
    trackHasConnections(connections),
    ...registerLocalBroker(connections, secrets, log.child('localBroker'), context.globalStorageUri),
    ...registerConnectionCommands(connections, log.child('commands'), channel),
    ...registerSubscriptionCommands(connections, log.child('commands')),
    ...registerTopicCommands(connections, topicTrees, topicsProvider, topicsView, log.child('commands')),
    ...publishing.disposables,
    fleetRuns,
    ...registerFleetCommands(fleetRuns, connections, log.child('fleet')),
    ...capture.disposables,
    ...monitoring.disposables,
    vscode.commands.registerCommand('mqttWorkbench.addConnection', async (argument: unknown) => {
      try {
        const name = await addConnection(connections, secrets, argument);
        if (name !== undefined && argument === undefined) {
          void vscode.window.showInformationMessage(`Connection "${name}" saved.`, 'Connect').then((choice) => choice === 'Connect' && vscode.commands.executeCommand('mqttWorkbench.connect', name));
        }
        return name;
      } catch (error) {
        reportFailure(log, 'Add Connection', error);
        return undefined;
      }
    }),
  );
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
  return { ...createApi(connections, topicTrees), ...monitorApi(monitoring.monitor) };
}

/** Saves the message history (bounded) and the offline queues for the next window; the rest is disposed by context.subscriptions. */
export function deactivate(): Promise<void> | undefined {
  // The offline queue is saved as it changes; wait for the last write so nothing queued is lost or sent twice.
  return Promise.all([historyStore?.saveOnExit(), connectionManager?.outboxes.flush(), stopLocalBrokerOnExit(), captureFeature?.recordings.stopAll()]).then(() => undefined);
}
