import * as vscode from 'vscode';
import type { LocalBrokerEngine } from '../core/localBrokerEngine';
import type { ConnectionManager } from './connections';

/** Context key: true when at least one connection profile exists (valid or not). Used by `viewsWelcome` when clauses. */
export const HAS_CONNECTIONS_KEY = 'mqttWorkbench.hasConnections';

/** Context key: true while the local broker runs (Start or Stop in menus). */
export const LOCAL_BROKER_RUNNING_KEY = 'mqttWorkbench.localBrokerRunning';

/** Keeps {@link HAS_CONNECTIONS_KEY} in step with the list of connections. */
export function trackHasConnections(connections: ConnectionManager): vscode.Disposable {
  const update = contextUpdater(HAS_CONNECTIONS_KEY, () => connections.list().length > 0);
  // undefined: the list itself changed (settings reloaded); a name: only that connection's state changed.
  return connections.onDidChange((name) => name === undefined && update());
}

/** Keeps {@link LOCAL_BROKER_RUNNING_KEY} in step with the broker. */
export function trackLocalBrokerRunning(broker: Pick<LocalBrokerEngine, 'address' | 'onChange'>): vscode.Disposable {
  return broker.onChange(contextUpdater(LOCAL_BROKER_RUNNING_KEY, () => broker.address !== undefined));
}

/** Sets a boolean context key now, and again on each call when its value changed. */
function contextUpdater(key: string, value: () => boolean): () => void {
  let current: boolean | undefined;
  const update = (): void => {
    const next = value();
    if (next === current) return;
    current = next;
    void vscode.commands.executeCommand('setContext', key, next);
  };
  update();
  return update;
}
