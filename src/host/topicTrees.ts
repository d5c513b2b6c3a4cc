import type * as vscode from 'vscode';
import type { Session } from '../core/session';
import { memoOf, TopicTree } from '../core/topicTree';
import type { TopicMemo } from '../core/monitor/topicMemo';
import type { MqttMessage } from '../shared/mqttMessage';
import { TopicRates } from '../core/monitor/topicRates';
import type { ConnectionManager } from './connections';

/** The topic tree of one connection and its message rate. */
export interface ConnectionTopics {
  readonly connection: string;
  readonly tree: TopicTree;
  /** Messages per second of each node of the tree. */
  readonly rates: TopicRates;
  /** Messages per second over the last full second. */
  readonly messagesPerSecond: number;
}

/** Gets a received message on `connection` after it went into the tree, with its topic's memo. */
export type AddedListener = (connection: string, message: MqttMessage, memo: TopicMemo) => void;

interface Entry {
  session: Session | undefined;
  tree: TopicTree;
  rates: TopicRates;
  countThisSecond: number;
  messagesPerSecond: number;
}

/**
 * One TopicTree per connection, fed by every received message. A new connect starts a fresh tree; a
 * disconnected connection keeps its tree so the last known state stays visible until the next connect.
 */
export class TopicTrees implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rateTimer: NodeJS.Timeout;
  private addedListeners: AddedListener[] = [];

  constructor(private readonly connections: ConnectionManager) {
    this.disposables.push(
      connections.onMessage(({ connection, message }) => {
        const entry = this.entries.get(connection) ?? this.entryFor(connection);
        const node = entry.tree.add(message);
        entry.countThisSecond++;
        for (const listener of this.addedListeners) listener(connection, message, memoOf(node));
      }),
      connections.onDidChange(() => this.syncWithConnections()),
      // An empty retained message published here deletes the broker's retained value, however it was
      // published (API, command, panel, repeat): the broker forwards it back without the retain flag.
      connections.onSent(({ connection, message }) => {
        if (!message.retain || message.payload.byteLength > 0) return;
        const tree = this.entries.get(connection)?.tree;
        const node = tree?.find(message.topic);
        if (node) tree?.markRetainCleared(node);
      }),
    );
    this.rateTimer = setInterval(() => {
      for (const entry of this.entries.values()) {
        entry.messagesPerSecond = entry.countThisSecond;
        entry.countThisSecond = 0;
      }
    }, 1000);
  }

  /**
   * Calls `listener` with every received message once it is in its connection's tree, and its topic's memo (for
   * the monitor). Arguments rather than an event object: nothing is made per message for it.
   */
  onDidAdd(listener: AddedListener): vscode.Disposable {
    this.addedListeners = [...this.addedListeners, listener];
    return { dispose: () => (this.addedListeners = this.addedListeners.filter((l) => l !== listener)) };
  }

  /** The tree of a connection, if it ever received a message or connected. */
  get(connection: string): ConnectionTopics | undefined {
    const entry = this.entries.get(connection);
    return entry && { connection, tree: entry.tree, rates: entry.rates, messagesPerSecond: entry.messagesPerSecond };
  }

  /** The tree of a connection, created (empty) when missing. */
  ensure(connection: string): ConnectionTopics {
    const entry = this.entryFor(connection);
    return { connection, tree: entry.tree, rates: entry.rates, messagesPerSecond: entry.messagesPerSecond };
  }

  dispose(): void {
    clearInterval(this.rateTimer);
    for (const d of this.disposables) d.dispose();
  }

  private entryFor(connection: string): Entry {
    const session = this.connections.get(connection)?.session;
    let entry = this.entries.get(connection);
    if (!entry || (session && entry.session !== session)) {
      entry = { session, tree: new TopicTree(), rates: new TopicRates(), countThisSecond: 0, messagesPerSecond: 0 };
      this.entries.set(connection, entry);
    }
    return entry;
  }

  /** Drops trees of removed connections; a connection with a new session (a fresh connect) starts empty. */
  private syncWithConnections(): void {
    for (const [name, entry] of [...this.entries]) {
      const connection = this.connections.get(name);
      if (!connection) this.entries.delete(name);
      else if (connection.session && connection.session !== entry.session) this.entryFor(name);
    }
  }
}
