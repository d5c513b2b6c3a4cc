/** Alert rules as read from `mqttWorkbench.alerts` (validated by ruleParse.ts). */
import type { QoS } from '../../shared/mqttMessage';
import type { FieldSpec } from './fieldValue';

/** A numeric comparison of the payload or a field; fires when true for `forMs`, clears past the hysteresis. */
export type ThresholdCondition =
  | { kind: 'above'; limit: number; hysteresis: number; forMs: number }
  | { kind: 'below'; limit: number; hysteresis: number; forMs: number }
  | { kind: 'between'; low: number; high: number; hysteresis: number; forMs: number }
  | { kind: 'outside'; low: number; high: number; hysteresis: number; forMs: number };

/** What a rule watches for. */
export type Condition =
  | ThresholdCondition
  /** The value equals this text (e.g. a will / retained status `offline`): active until another value comes. */
  | { kind: 'equals'; text: string }
  /** The value matches a regular expression: active until a value that does not. */
  | { kind: 'matches'; pattern: RegExp; source: string }
  /** The value differs from the previous one on the same topic (an event: fires and is over). */
  | { kind: 'changes' }
  /** No message on the filter for `ms` (the device is gone); clears on the next message. */
  | { kind: 'silence'; ms: number }
  /** Messages per second on the filter, over the last `windowMs`. */
  | { kind: 'rateAbove' | 'rateBelow'; perSecond: number; windowMs: number }
  /** The connection is not connected for more than `ms`. */
  | { kind: 'disconnected'; ms: number }
  /** More than `count` reconnects within `windowMs`. */
  | { kind: 'reconnects'; count: number; windowMs: number }
  /** Round-trip time above `ms` (clears below `ms - hysteresis`). */
  | { kind: 'rttAbove'; ms: number; hysteresis: number };

/** Conditions about a connection rather than its messages. */
export const CONNECTION_CONDITIONS: ReadonlySet<Condition['kind']> = new Set(['disconnected', 'reconnects', 'rttAbove']);

/** What to do when a rule fires (automatic recovery), at most once per cooldown. */
export type RuleAction =
  | { kind: 'publish'; topic: string; payload: string; qos: QoS; retain: boolean }
  | { kind: 'publishSaved'; savedMessage: string }
  | { kind: 'reconnect' }
  | { kind: 'command'; command: string; args: unknown[] };

/** One validated rule. */
export interface AlertRule {
  /** Index in the setting (for messages: `alerts[2]`). */
  index: number;
  name: string;
  /** Connection name, or undefined for every connection. */
  connection: string | undefined;
  /** Topic filter; undefined for connection conditions. */
  topic: string | undefined;
  /** Field of the payload to compare; undefined means the whole payload as text. */
  field: FieldSpec | undefined;
  condition: Condition;
  /** Notifications and actions of this rule: at most one per cooldown. */
  cooldownMs: number;
  severity: 'error' | 'warning' | 'information';
  action: RuleAction | undefined;
}
