import type { MonitorService } from './monitorService';
import { describeWatch } from './watchesProvider';

/** An alert as the API reports it. */
export interface AlertSummary {
  rule: string;
  connection: string;
  topic: string | undefined;
  value: string;
  reason: string;
  firedAt: number;
  clearedAt: number | undefined;
}

/** A watch as the API reports it. */
export interface WatchSummary {
  label: string;
  topic: string;
  path: string;
  /** The last value as text; undefined before the first message. */
  value: string | undefined;
  /** Why the last message had no value at the path. */
  problem: string | undefined;
  /** The row's description in the Watches view. */
  description: string;
}

/** The monitor's part of the public API: what fires and what the watches show (tasks, other extensions). */
export interface MonitorApi {
  /** Active and recent alerts, newest first. */
  alerts(): AlertSummary[];
  watches(): WatchSummary[];
  /** Problems in `mqttWorkbench.alerts` and `mqttWorkbench.watches`, one sentence each. */
  monitorProblems(): string[];
}

export function monitorApi(monitor: MonitorService): MonitorApi {
  return {
    alerts: () => monitor.engine.recent().map((a) => ({ rule: a.rule.name, connection: a.connection, topic: a.topic, value: a.value, reason: a.reason, firedAt: a.firedAt, clearedAt: a.clearedAt })),
    watches: () => monitor.watches.list().map((s) => ({ label: s.definition.label, topic: s.definition.topic, path: s.definition.field?.path ?? '', value: s.text, problem: s.problem, description: describeWatch(s, Date.now()) })),
    monitorProblems: () => [...monitor.problems],
  };
}
