import type * as vscode from 'vscode';
import type { PublishOptions, PublishResult, SessionState } from '../core/session';
import type { SubscriptionRequest, SubscriptionStatus } from '../core/subscriptions';
import type { TopicNode } from '../core/topicTree';
import type { ConnectionManager, ConnectionMessage } from './connections';
import type { TopicTrees } from './topicTrees';

/**
 * What `activate` returns, for other extensions and tasks:
 * `vscode.extensions.getExtension('mqtt-workbench.mqtt-workbench').exports`.
 */
export interface MqttWorkbenchApi {
  readonly apiVersion: 1;
  /** Names of every saved connection. */
  connectionNames(): string[];
  /** The state of a connection ({ kind: 'disconnected' } for an unknown name). */
  state(name: string): SessionState;
  /** Connects (asking for a missing password) and resolves once connected. */
  connect(name: string): Promise<void>;
  disconnect(name: string): Promise<void>;
  /** Publishes on a connected connection; resolves when the QoS flow completes. */
  publish(name: string, topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<PublishResult>;
  subscribe(name: string, filter: string, options?: Omit<SubscriptionRequest, 'filter'>): Promise<SubscriptionStatus>;
  unsubscribe(name: string, filter: string): Promise<void>;
  /** Every message received on any connection. */
  onMessage(listener: (event: ConnectionMessage) => void): vscode.Disposable;
  /** What the Topics view knows of a connection: every topic with a message, in name order. */
  topics(name: string): TopicSummary[];
}

/** One topic of a connection's tree, as the API reports it. */
export interface TopicSummary {
  topic: string;
  messageCount: number;
  retained: boolean;
  lastPayload: Uint8Array | undefined;
}

/** Builds the public API over the connection manager. */
export function createApi(connections: ConnectionManager, trees: TopicTrees): MqttWorkbenchApi {
  return {
    apiVersion: 1,
    connectionNames: () => connections.names(),
    state: (name) => connections.get(name)?.state ?? { kind: 'disconnected' },
    connect: async (name) => {
      await connections.connect(name);
    },
    disconnect: (name) => connections.disconnect(name),
    // async: a missing or unconnected connection rejects the promise instead of throwing at the call.
    publish: async (name, topic, payload, options) => connections.connectedSession(name).publish(topic, payload, options),
    subscribe: async (name, filter, options) => connections.connectedSession(name).subscribe({ qos: 0, ...options, filter }),
    unsubscribe: async (name, filter) => connections.connectedSession(name).unsubscribe(filter),
    onMessage: (listener) => connections.onMessage(listener),
    topics: (name) => {
      const tree = trees.get(name)?.tree;
      if (!tree) return [];
      const result: TopicSummary[] = [];
      const pending: TopicNode[] = [tree.root];
      for (let node = pending.pop(); node; node = pending.pop()) {
        if (node.lastMessage) result.push({ topic: node.topic, messageCount: node.messageCount, retained: node.retained, lastPayload: node.lastMessage.payload });
        pending.push(...tree.children(node, 'name').reverse());
      }
      return result;
    },
  };
}
