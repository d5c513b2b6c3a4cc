import * as vscode from 'vscode';
import type { PublishServices } from '../commands/publishSend';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import type { StructHeaders } from '../cstructHeaders';
import type { ProtobufSchemas } from '../protobufSchemas';
import { SavedMessagesStore } from '../savedMessages';
import type { TopicTrees } from '../topicTrees';
import type { TopicsProvider } from '../views/topicsProvider';
import { AlertActions } from './alertActions';
import { AlertNotifier } from './alertNotifier';
import { AlertsProvider } from './alertsProvider';
import { registerMonitorCommands } from './monitorCommands';
import { MonitorPanels, registerMonitorPanels } from './monitorPanels';
import { MonitorService } from './monitorService';
import { WatchesProvider } from './watchesProvider';

/** The monitor (watches, alerts, health, broker stats): its service, views, notifications and commands. */
export function registerMonitor(connections: ConnectionManager, trees: TopicTrees, services: PublishServices, protobuf: ProtobufSchemas, structs: StructHeaders, topics: TopicsProvider, extensionUri: vscode.Uri, log: Logger): { monitor: MonitorService; actions: AlertActions; disposables: vscode.Disposable[] } {
  const savedMessages = new SavedMessagesStore(protobuf, structs);
  const monitor = new MonitorService(connections, trees, savedMessages, () => ({ ...protobuf.context, ...structs.context }), log);
  const actions = new AlertActions(services, savedMessages, log.child('actions'));
  const watchesProvider = new WatchesProvider(monitor);
  const alertsProvider = new AlertsProvider(monitor);
  const alertsView = vscode.window.createTreeView('mqttWorkbench.alerts', { treeDataProvider: alertsProvider });
  alertsProvider.attach(alertsView);
  const panels = new MonitorPanels(monitor, connections, extensionUri, log.child('monitorPanels'));
  return {
    monitor,
    actions,
    disposables: [
      savedMessages,
      monitor,
      structs.onDidReload(() => monitor.reload()),
      watchesProvider,
      alertsProvider,
      alertsView,
      vscode.window.createTreeView('mqttWorkbench.watches', { treeDataProvider: watchesProvider }),
      new AlertNotifier(monitor, actions),
      ...registerMonitorCommands(monitor, topics, log),
      panels,
      ...registerMonitorPanels(panels, connections, log),
    ],
  };
}
