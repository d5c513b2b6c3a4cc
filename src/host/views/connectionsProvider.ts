import * as vscode from 'vscode';
import type { ConnectionManager } from '../connections';
import type { FleetRuns } from '../fleet/fleetRuns';
import { ConnectionNode } from './connectionNode';
import { FleetNode } from './fleetNode';
import { SubscriptionNode } from './subscriptionNode';

/** A node of the Connections view. */
export type ConnectionsViewNode = ConnectionNode | SubscriptionNode | FleetNode;

/** The Connections view: one item per profile, its subscriptions below. Connections are few, so any change redraws the list. */
export class ConnectionsProvider implements vscode.TreeDataProvider<ConnectionsViewNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ConnectionsViewNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private nodes = new Map<string, ConnectionNode>();
  private readonly subscription: vscode.Disposable;
  private readonly fleetSubscription: vscode.Disposable | undefined;
  private readonly ticker: NodeJS.Timeout;
  private marker: ((name: string) => string | undefined) | undefined;
  private markerSubscription: vscode.Disposable | undefined;

  constructor(
    private readonly connections: ConnectionManager,
    /** Running simulated devices, listed after the connections. */
    private readonly fleets?: FleetRuns,
  ) {
    this.subscription = connections.onDidChange(() => this.changeEmitter.fire(undefined));
    this.fleetSubscription = fleets?.onDidChange(() => this.changeEmitter.fire(undefined));
    // The "reconnecting in N s" countdown needs a refresh while any connection waits.
    this.ticker = setInterval(() => {
      if (connections.list().some((c) => c.state.kind === 'reconnecting')) this.changeEmitter.fire(undefined);
    }, 1000);
  }

  getTreeItem(node: ConnectionsViewNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: ConnectionsViewNode): ConnectionsViewNode[] {
    if (!node) {
      this.nodes = new Map(this.connections.list().map((c) => [c.entry.name, this.marked(new ConnectionNode(c))]));
      return [...this.nodes.values(), ...(this.fleets?.list('devices').map((run) => new FleetNode(run)) ?? [])];
    }
    if (node instanceof ConnectionNode) {
      const { session, entry } = node.connection;
      const statuses = session?.subscriptions.list() ?? entry.profile?.subscriptions.map((request) => ({ filter: request.filter, request, state: 'pending' as const })) ?? [];
      return statuses.map((status) => new SubscriptionNode(entry.name, status));
    }
    return [];
  }

  getParent(node: ConnectionsViewNode): ConnectionsViewNode | undefined {
    return node instanceof SubscriptionNode ? this.nodes.get(node.connectionName) : undefined;
  }

  /** The current node of a connection (for reveal and tests). */
  node(name: string): ConnectionNode | undefined {
    const connection = this.connections.get(name);
    return connection && this.marked(new ConnectionNode(connection));
  }

  /** Puts a marker (e.g. "● REC") before the description of the connections it names; redraws when `changed` fires. */
  setMarker(marker: (name: string) => string | undefined, changed: vscode.Event<unknown>): void {
    this.marker = marker;
    this.markerSubscription?.dispose();
    this.markerSubscription = changed(() => this.changeEmitter.fire(undefined));
  }

  private marked(node: ConnectionNode): ConnectionNode {
    const mark = this.marker?.(node.name);
    if (mark) node.description = `${mark} · ${String(node.description ?? '')}`;
    return node;
  }

  dispose(): void {
    this.markerSubscription?.dispose();
    clearInterval(this.ticker);
    this.subscription.dispose();
    this.fleetSubscription?.dispose();
    this.changeEmitter.dispose();
  }
}
