/** An alert that fired (active until it clears), what the list and the notifications show, and the cooldown gate. */
import type { MqttMessage } from '../../shared/mqttMessage';
import type { AlertRule } from './ruleTypes';

/** One firing of a rule on a connection (and topic, for message conditions). */
export interface AlertRecord {
  /** Unique per engine, increasing. */
  readonly id: number;
  readonly rule: AlertRule;
  readonly connection: string;
  /** The topic whose message fired it; the filter for silence and rate; undefined for connection conditions. */
  readonly topic: string | undefined;
  /** The value that fired it, as one short line. */
  readonly value: string;
  /** One sentence: what happened. */
  readonly reason: string;
  readonly firedAt: number;
  /** When it cleared; undefined while active. Events (a field changed) clear when they fire. */
  clearedAt: number | undefined;
  /** Why it cleared ("temp is 72"). */
  clearReason: string | undefined;
  /** The message that fired it, if one did ("Show Message"). */
  readonly message: MqttMessage | undefined;
  /** Whether the fire was notified (then the clear is too). */
  notified: boolean;
}

/** What the engine tells its owner: show (or not) a notification, run (or not) the action. */
export interface AlertEvent {
  kind: 'fired' | 'cleared';
  alert: AlertRecord;
  /** Show a notification: not muted and the rule's cooldown has passed since its last one. */
  notify: boolean;
  /** Run the rule's action: it has one and the cooldown has passed since the last run. */
  act: boolean;
}

/** The text of an alert's notification (and of its log line). */
export function alertNotificationText(alert: AlertRecord): string {
  return `${alert.reason} [${alert.connection}]`;
}

/** The text of the notification (and log line) when an alert clears. */
export function clearedNotificationText(alert: AlertRecord): string {
  return `Cleared: ${alert.rule.name} [${alert.connection}]${alert.clearReason ? `: ${alert.clearReason}` : ''}`;
}

/** Per rule: when it last notified and acted, and until when it is muted. */
export class CooldownGate {
  private readonly notifiedAt = new Map<string, number>();
  private readonly actedAt = new Map<string, number>();
  private readonly mutedUntil = new Map<string, number>();

  /** Whether a fire of `rule` at `now` notifies (and if so, starts its cooldown). */
  takeNotification(rule: AlertRule, now: number): boolean {
    if (this.isMuted(rule.name, now)) return false;
    return take(this.notifiedAt, rule, now);
  }

  /** Whether a fire of `rule` at `now` runs its action (and if so, starts its cooldown). */
  takeAction(rule: AlertRule, now: number): boolean {
    return rule.action !== undefined && take(this.actedAt, rule, now);
  }

  /** Mutes the notifications of a rule until `until` (epoch ms); 0 unmutes. */
  mute(ruleName: string, until: number): void {
    if (until <= 0) this.mutedUntil.delete(ruleName);
    else this.mutedUntil.set(ruleName, until);
  }

  isMuted(ruleName: string, now: number): boolean {
    return (this.mutedUntil.get(ruleName) ?? 0) > now;
  }

  /** When the mute of a rule ends, if it is muted. */
  mutedUntilTime(ruleName: string, now: number): number | undefined {
    const until = this.mutedUntil.get(ruleName);
    return until !== undefined && until > now ? until : undefined;
  }
}

function take(last: Map<string, number>, rule: AlertRule, now: number): boolean {
  const previous = last.get(rule.name);
  if (previous !== undefined && now - previous < rule.cooldownMs) return false;
  last.set(rule.name, now);
  return true;
}
