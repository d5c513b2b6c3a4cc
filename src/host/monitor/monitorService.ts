import * as vscode from 'vscode';
import { AlertEngine } from '../../core/monitor/alertEngine';
import { alertNotificationText, clearedNotificationText, type AlertEvent } from '../../core/monitor/alertRecord';
import { SYSTEM_CLOCK } from '../../core/monitor/clock';
import { ConnectionHealth } from '../../core/monitor/healthHistory';
import { WatchBook } from '../../core/monitor/watches';
import type { SessionState } from '../../core/session';
import type { DecodeContext } from '../../core/payload';
import type { ConnectionManager } from '../connections';
import type { TopicTrees } from '../topicTrees';
import type { Logger } from '../log';
import type { SavedMessagesStore } from '../savedMessages';
import { BrokerStatsBook } from '../../core/monitor/brokerStats';
import { TurnBatch } from '../../core/monitor/turnBatch';
import { feedReceived, type MonitorParts } from '../../core/monitor/monitorFeed';
import { affectsMonitor, readAlertRules, readWatches } from './monitorSettings';

/** How often time-based conditions are evaluated and health buckets closed. */
const TICK_MS = 1000;

/**
 * Feeds every received and sent message, state change and RTT sample into the alert engine, the watches, the
 * connection health history and the $SYS figures. Received messages come from TopicTrees with their topic's memo
 * and are handed on once per turn of the event loop (TurnBatch), after the receive path is done with them; per
 * message this is core work only (the topic's rules and watches read from its memo, then counters); views redraw on
 * their own timers.
 */
export class MonitorService implements vscode.Disposable, MonitorParts {
  readonly engine = new AlertEngine(SYSTEM_CLOCK);
  readonly watches = new WatchBook();
  readonly health = new Map<string, ConnectionHealth>();
  readonly brokers = new BrokerStatsBook();
  /** Problems of the last read of the settings (shown in the views' messages and logged). */
  problems: string[] = [];
  private readonly lastState = new Map<string, SessionState['kind']>();
  private readonly lastRtt = new Map<string, number | undefined>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly settingsEmitter = new vscode.EventEmitter<void>();
  private readonly received = new TurnBatch(
    (batch) => feedReceived(this, batch),
    (error) => this.log.error('The monitor failed on received messages', error),
  );
  /** Fires after the rules and watches were read again. */
  readonly onDidChangeSettings = this.settingsEmitter.event;

  constructor(
    private readonly connections: ConnectionManager,
    /** Received messages come from here, after they are in the topic tree, with their topic's memo. */
    trees: TopicTrees,
    private readonly savedMessages: SavedMessagesStore,
    /** The user's protobuf schemas and C headers, for reading fields. */
    private readonly decodeContext: () => DecodeContext,
    private readonly log: Logger,
  ) {
    this.engine.onEvent((event) => this.logEvent(event));
    this.reload();
    this.disposables.push(
      trees.onDidAdd((connection, message, memo) => this.received.push(connection, message, memo)),
      connections.onSent(({ connection, message }) => this.healthOf(connection).messageOut(message.receivedAt)),
      connections.onDidChange((name) => this.connectionChanged(name)),
      vscode.workspace.onDidChangeConfiguration((e) => affectsMonitor(e) && this.reload()),
      this.settingsEmitter,
    );
    for (const name of connections.names()) this.connectionChanged(name);
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Reads the rules and watches again (after a settings change). */
  reload(): void {
    this.received.flush(); // under the rules they came in with
    const names = new Set(this.savedMessages.list().filter((m) => m.problems.length === 0).map((m) => m.name));
    const rules = readAlertRules(names);
    const watches = readWatches();
    this.engine.fieldContext = this.decodeContext();
    this.watches.fieldContext = this.engine.fieldContext;
    this.engine.setRules(rules.rules);
    this.watches.setWatches(watches.watches);
    this.problems = [...rules.problems, ...watches.problems];
    for (const problem of this.problems) this.log.warn(`[settings] ${problem}`);
    this.log.info(`${rules.rules.length} alert rule(s), ${watches.watches.length} watch(es)`);
    this.settingsEmitter.fire();
  }

  /** The health record of a connection (created on first use). */
  healthOf(connection: string): ConnectionHealth {
    let health = this.health.get(connection);
    if (!health) {
      health = new ConnectionHealth(connection, Date.now());
      this.health.set(connection, health);
    }
    return health;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.received.dispose();
    for (const d of this.disposables) d.dispose();
    this.engine.dispose();
  }

  private tick(): void {
    this.received.flush();
    this.engine.tick();
    const now = Date.now();
    for (const health of this.health.values()) health.tick(now);
    this.brokers.tick(now);
  }

  private connectionChanged(name: string | undefined): void {
    this.received.flush(); // the messages that came before the change count before it
    if (name === undefined) {
      for (const known of this.connections.names()) this.connectionChanged(known);
      return;
    }
    const connection = this.connections.get(name);
    const state = connection?.state ?? { kind: 'disconnected' as const };
    const previous = this.lastState.get(name);
    if (previous !== state.kind) {
      this.lastState.set(name, state.kind);
      if (previous !== undefined || state.kind !== 'disconnected') {
        const reason = state.kind === 'reconnecting' ? state.lastError : state.kind === 'failed' ? state.error : undefined;
        this.healthOf(name).state(state.kind, reason, Date.now());
      }
      if (state.kind === 'reconnecting') this.engine.reconnecting(name);
      this.engine.connectionState(name, state.kind === 'connected' ? true : state.kind === 'disconnected' ? undefined : false);
    }
    const rtt = connection?.session?.rttMs;
    if (rtt !== undefined && rtt !== this.lastRtt.get(name)) {
      this.lastRtt.set(name, rtt);
      this.healthOf(name).rttSample(rtt, Date.now());
      this.engine.rtt(name, rtt);
    }
  }

  private logEvent(event: AlertEvent): void {
    if (event.kind === 'fired') this.log.warn(`ALERT ${alertNotificationText(event.alert)}`);
    else this.log.info(clearedNotificationText(event.alert));
  }
}
