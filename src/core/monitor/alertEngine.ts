/**
 * Evaluates alert rules: per message only the rules whose filter matches the topic (FilterIndex), per tick
 * (the owner calls `tick` about once a second) the time-based ones: "for N seconds", silence, rate and the
 * connection conditions. Everything runs on an injectable clock. Fires and clears are events; whether each
 * notifies or runs the rule's action is decided here by the rule's cooldown (CooldownGate).
 */
import type { DecodeContext } from '../payload';
import type { MqttMessage } from '../../shared/mqttMessage';
import { Emitter } from '../emitter';
import type { Clock } from './clock';
import { CooldownGate, type AlertEvent, type AlertRecord } from './alertRecord';
import { cannotBeNumberText, DetectedCodecs, numericValue, readField, valueLabel } from './fieldValue';
import { FilterIndex } from './filterIndex';
import { RateWindow } from './rateWindow';
import { CONNECTION_CONDITIONS, type AlertRule, type ThresholdCondition } from './ruleTypes';
import { describeThreshold, isThreshold, thresholdReleases, thresholdTriggers } from './thresholds';
import { ConnectionWatch } from './connectionWatch';
import { isPerTopic, TopicEntries, type Slot, type TopicEntry } from './topicEntries';
import type { TopicMemo } from './topicMemo';

const WHOLE_PAYLOAD = { codec: 'text', steps: [], path: '' } as const;

/** What makes two readings of a rule the same rule (its place in the list aside). */
function ruleIdentity(rule: AlertRule): string {
  const condition = rule.condition.kind === 'matches' ? { kind: 'matches', source: rule.condition.source } : rule.condition;
  return JSON.stringify({ ...rule, index: 0, condition });
}

/** Recent alerts kept for the list (active ones are kept however many). */
export const MAX_RECENT_ALERTS = 200;

/** Extra decoding knowledge for fields (the user's protobuf types). */
export type FieldContext = Pick<DecodeContext, 'proto' | 'protoTypeForTopic'>;

/** The rules of the monitor and their state. */
export class AlertEngine {
  private readonly eventEmitter = new Emitter<AlertEvent>();
  /** Fires when an alert fires or clears. */
  readonly onEvent = this.eventEmitter.event;
  private rules: AlertRule[] = [];
  private index = new FilterIndex<AlertRule>([]);
  private readonly slots = new Map<string, Slot>();
  /** Per connection and topic: the rules and slots its messages update. */
  private topics = this.topicEntries();
  /** Slots a tick must look at: pending thresholds, silence and rate slots. */
  private readonly timed = new Set<Slot>();
  private readonly gate = new CooldownGate();
  private readonly recentAlerts: AlertRecord[] = [];
  private readonly connections = new ConnectionWatch();
  private nextId = 1;
  private readonly detected = new DetectedCodecs();
  fieldContext: FieldContext = {};

  constructor(private readonly clock: Clock) {}

  /** Replaces the rules; the state of rules that keep their name and definition is kept. */
  setRules(rules: readonly AlertRule[]): void {
    this.rules = [...rules];
    this.index = new FilterIndex(this.rules.filter((r) => !CONNECTION_CONDITIONS.has(r.condition.kind)));
    // Settings are read again on any change: a rule that is still there, unchanged, keeps its state.
    const kept = new Map(this.rules.map((r) => [ruleIdentity(r), r]));
    for (const [key, slot] of this.slots) {
      const same = kept.get(ruleIdentity(slot.rule));
      if (same) slot.rule = same;
      else {
        this.slots.delete(key);
        this.timed.delete(slot);
        if (slot.active) this.clear(slot, 'the rule was removed or changed');
      }
    }
    this.topics = this.topicEntries();
    for (const connection of this.connections.up()) this.arm(connection, false);
  }

  /** Active alerts, newest first. */
  active(): AlertRecord[] {
    return [...this.slots.values()].flatMap((s) => (s.active ? [s.active] : [])).sort((a, b) => b.id - a.id);
  }

  /** Recent alerts (active and cleared), newest first, at most MAX_RECENT_ALERTS. */
  recent(): readonly AlertRecord[] {
    return this.recentAlerts;
  }

  /** Mutes a rule's notifications for `ms` (0 unmutes); the rule still fires, lists and acts. */
  mute(ruleName: string, ms: number): void {
    this.gate.mute(ruleName, ms > 0 ? this.clock.now() + ms : 0);
  }

  mutedUntil(ruleName: string): number | undefined {
    return this.gate.mutedUntilTime(ruleName, this.clock.now());
  }

  /**
   * A received message: evaluates the rules whose filter matches its topic, at the time it arrived (`receivedAt`, on
   * the engine's clock). `memo`: the topic's memo on this connection, to skip finding its rules (topicMemo.ts).
   */
  message(connection: string, message: MqttMessage, memo?: TopicMemo): void {
    const entry = memo === undefined ? this.topics.entry(connection, message.topic) : this.topics.remembered(connection, message.topic, memo);
    const group = entry.group;
    if (group.empty) return;
    const now = message.receivedAt;
    for (const slot of group.filterSlots) {
      slot.lastSeen = now;
      slot.rate?.add(now);
      if (slot.active && slot.rule.condition.kind === 'silence') this.clear(slot, `a message came on ${message.topic}`);
    }
    const rules = group.valueRules;
    for (let place = 0; place < rules.length; place++) this.evaluateValue(connection, message, entry, place, now);
  }

  /** The per-topic rules and slots, for the rules as they are now (the per-topic slots that exist are kept). */
  private topicEntries(): TopicEntries {
    const perTopic = [...this.slots.values()].filter((slot) => isPerTopic(slot.rule));
    return new TopicEntries(this.rules, (connection, topic) => this.index.match(connection, topic), (rule, connection) => this.slot(rule, connection, rule.topic, this.clock.now()), perTopic);
  }

  /** The connection is connected (true), trying to get there (false), or closed by the user (undefined). */
  connectionState(connection: string, up: boolean | undefined): void {
    const now = this.clock.now();
    this.connections.state(connection, up, now);
    if (up === true) this.arm(connection);
    for (const slot of this.slots.values()) {
      if (slot.connection !== connection || !slot.active) continue;
      if (up === undefined || (up && slot.rule.condition.kind === 'disconnected')) this.clear(slot, up ? 'connected again' : 'the connection was closed');
    }
    if (up !== undefined) return;
    this.topics.forget(connection);
    for (const [key, slot] of this.slots) {
      if (slot.connection !== connection) continue;
      this.slots.delete(key);
      this.timed.delete(slot);
    }
  }

  /** The connection lost its broker and is reconnecting (condition `reconnects`). */
  reconnecting(connection: string): void {
    this.connections.reconnect(connection, this.clock.now());
  }

  /** A round-trip time sample (condition `rttAbove`). */
  rtt(connection: string, ms: number): void {
    this.connections.rtt(connection, ms);
    const now = this.clock.now();
    for (const rule of this.connectionRules(connection, 'rttAbove')) {
      if (rule.condition.kind !== 'rttAbove') continue;
      const slot = this.slot(rule, connection, undefined, now);
      if (!slot.active && ms > rule.condition.ms) this.fire(slot, `${ms} ms`, `${rule.name}: round trip to the broker of ${connection} is ${ms} ms (above ${rule.condition.ms} ms)`, undefined, now);
      else if (slot.active && ms <= rule.condition.ms - rule.condition.hysteresis) this.clear(slot, `round trip is ${ms} ms`);
    }
  }

  /** Evaluates what depends on time passing; call about once a second. */
  tick(): void {
    const now = this.clock.now();
    for (const slot of this.timed) this.tickSlot(slot, now);
    for (const connection of this.connections.known()) this.tickConnection(connection, now);
  }

  dispose(): void {
    this.eventEmitter.dispose();
  }

  private tickSlot(slot: Slot, now: number): void {
    const condition = slot.rule.condition;
    if (condition.kind === 'silence') {
      if (!slot.active && this.connections.isUp(slot.connection) && now - slot.lastSeen >= condition.ms) {
        this.fire(slot, `${Math.round((now - slot.lastSeen) / 1000)} s`, `${slot.rule.name}: no message on ${slot.topic ?? ''} for ${condition.ms / 1000} s`, undefined, now);
      }
    } else if (condition.kind === 'rateAbove' || condition.kind === 'rateBelow') {
      if (!this.connections.isUp(slot.connection) || now - slot.armedAt < condition.windowMs + 1000 || slot.rate === undefined) return;
      const rate = slot.rate.perSecond(now);
      const over = condition.kind === 'rateAbove' ? rate > condition.perSecond : rate < condition.perSecond;
      const text = `${Number(rate.toFixed(1))} msg/s`;
      if (over && !slot.active) this.fire(slot, text, `${slot.rule.name}: ${text} on ${slot.topic ?? ''} (${condition.kind === 'rateAbove' ? 'above' : 'below'} ${condition.perSecond} msg/s)`, undefined, now);
      else if (!over && slot.active) this.clear(slot, `${text} on ${slot.topic ?? ''}`);
    } else if (slot.pendingSince !== undefined && 'forMs' in condition && now - slot.pendingSince >= condition.forMs) {
      this.fireThreshold(slot, condition, slot.pendingValue ?? '', slot.pendingMessage, now);
    }
  }

  private tickConnection(connection: string, now: number): void {
    for (const rule of this.connectionRules(connection)) {
      const condition = rule.condition;
      const slot = this.slot(rule, connection, undefined, now);
      if (condition.kind === 'disconnected') {
        const downFor = this.connections.downFor(connection, now);
        if (!slot.active && downFor !== undefined && downFor >= condition.ms) this.fire(slot, `${Math.round(downFor / 1000)} s`, `${rule.name}: ${connection} has not been connected for ${Math.round(downFor / 1000)} s`, undefined, now);
      } else if (condition.kind === 'reconnects') {
        const count = this.connections.reconnectsWithin(connection, condition.windowMs, now);
        if (!slot.active && count > condition.count) this.fire(slot, String(count), `${rule.name}: ${connection} reconnected ${count} times in ${condition.windowMs / 60_000} min`, undefined, now);
        else if (slot.active && count <= condition.count) this.clear(slot, `${count} reconnects in the last ${condition.windowMs / 60_000} min`);
      }
    }
  }

  private connectionRules(connection: string, kind?: string): AlertRule[] {
    return this.rules.filter((r) => CONNECTION_CONDITIONS.has(r.condition.kind) && (kind === undefined || r.condition.kind === kind) && (r.connection === undefined || r.connection === connection));
  }

  /** Starts silence and rate watching for the rules of a connection; `restart` (a new connect) starts the counts over. */
  private arm(connection: string, restart = true): void {
    const now = this.clock.now();
    for (const rule of this.rules) {
      const kind = rule.condition.kind;
      if ((kind !== 'silence' && kind !== 'rateAbove' && kind !== 'rateBelow') || (rule.connection !== undefined && rule.connection !== connection)) continue;
      const slot = this.slot(rule, connection, rule.topic, now);
      if (!restart) continue;
      slot.lastSeen = now;
      slot.armedAt = now;
    }
  }

  /** Evaluates the rule at `place` of the topic's group; its slot is created only when it has state to keep. */
  private evaluateValue(connection: string, message: MqttMessage, entry: TopicEntry, place: number, now: number): void {
    const rule = entry.group.valueRules[place];
    const condition = rule.condition;
    if (isThreshold(condition) && rule.field === undefined && cannotBeNumberText(message.payload)) return; // as numericValue would say, undecoded
    const read = rule.field === undefined ? readField(message.payload, WHOLE_PAYLOAD) : readField(message.payload, rule.field, { ...this.fieldContext, topic: message.topic, contentType: message.properties?.contentType, payloadFormatIndicator: message.properties?.payloadFormatIndicator }, this.detected);
    if (!read.ok) return; // A payload without the field neither fires nor clears (shown on watches, not an alert storm).
    const existing = entry.slots?.[place];
    const slot = (): Slot => existing ?? this.topicSlot(rule, connection, message.topic, entry, place, now);
    if (isThreshold(condition)) {
      this.evaluateThreshold(existing, slot, condition, read.value, message, now);
      return;
    }
    const text = valueLabel(read.value);
    const subject = `${message.topic}${rule.field && rule.field.path !== '' ? ` ${rule.field.path}` : ''}`;
    switch (condition.kind) {
      case 'equals':
      case 'matches': {
        const hit = condition.kind === 'equals' ? text === condition.text : condition.pattern.test(text);
        const wanted = condition.kind === 'equals' ? `"${condition.text}"` : `/${condition.source}/`;
        if (hit && !existing?.active) this.fire(slot(), text, `${rule.name}: ${subject} is "${text}" (${condition.kind === 'equals' ? 'equals' : 'matches'} ${wanted})`, message, now);
        else if (!hit && existing?.active) this.clear(existing, `${subject} is "${text}"`);
        return;
      }
      case 'changes': {
        const changing = slot();
        const previous = changing.previous;
        changing.previous = text;
        if (previous !== undefined && previous !== text) {
          this.fire(changing, text, `${rule.name}: ${subject} changed from "${previous}" to "${text}"`, message, now);
          if (changing.active) this.clear(changing, 'an event', false);
        }
        return;
      }
      default:
        return;
    }
  }

  /** `existing`: the topic's slot of the rule if it has one; `slot()` finds or creates it. */
  private evaluateThreshold(existing: Slot | undefined, slot: () => Slot, condition: ThresholdCondition, raw: unknown, message: MqttMessage, now: number): void {
    const value = numericValue(raw);
    if (value === undefined) return;
    const text = String(value);
    if (existing?.active) {
      if (thresholdReleases(condition, value)) this.clear(existing, `${message.topic} is ${text}`);
      return;
    }
    if (!thresholdTriggers(condition, value)) {
      if (existing === undefined) return; // nothing pending: no state to keep
      existing.pendingSince = undefined;
      existing.pendingMessage = undefined;
      this.timed.delete(existing);
      return;
    }
    const pending = slot();
    pending.pendingSince ??= now;
    pending.pendingValue = text;
    pending.pendingMessage = message;
    if (now - pending.pendingSince >= condition.forMs) this.fireThreshold(pending, condition, text, message, now);
    else this.timed.add(pending);
  }

  private fireThreshold(slot: Slot, condition: ThresholdCondition, text: string, message: MqttMessage | undefined, now: number): void {
    slot.pendingSince = undefined;
    slot.pendingMessage = undefined;
    this.timed.delete(slot);
    const subject = `${slot.topic ?? ''}${slot.rule.field && slot.rule.field.path !== '' ? ` ${slot.rule.field.path}` : ''}`;
    this.fire(slot, text, `${slot.rule.name}: ${subject} is ${text} (${describeThreshold(condition)})`, message, now);
  }

  /** Creates the slot of a per-topic rule (at `place` of the topic's group) on its first state. */
  private topicSlot(rule: AlertRule, connection: string, topic: string, entry: TopicEntry, place: number, now: number): Slot {
    const slot = this.slot(rule, connection, topic, now);
    this.topics.attach(connection, topic, entry, place, slot);
    return slot;
  }

  private slot(rule: AlertRule, connection: string, topic: string | undefined, now: number): Slot {
    const key = `${rule.name}\u0000${connection}\u0000${topic ?? ''}`;
    let slot = this.slots.get(key);
    if (!slot) {
      const kind = rule.condition.kind;
      const rate = kind === 'rateAbove' || kind === 'rateBelow' ? new RateWindow(rule.condition.windowMs / 1000) : undefined;
      slot = { rule, connection, topic, active: undefined, pendingSince: undefined, pendingValue: undefined, pendingMessage: undefined, previous: undefined, lastSeen: now, armedAt: now, rate };
      this.slots.set(key, slot);
      if (kind === 'silence' || rate !== undefined) this.timed.add(slot);
    }
    return slot;
  }

  private fire(slot: Slot, value: string, reason: string, message: MqttMessage | undefined, now: number): void {
    const notify = this.gate.takeNotification(slot.rule, now);
    const act = this.gate.takeAction(slot.rule, now);
    const alert: AlertRecord = { id: this.nextId++, rule: slot.rule, connection: slot.connection, topic: slot.topic, value, reason, firedAt: now, clearedAt: undefined, clearReason: undefined, message, notified: notify };
    slot.active = alert;
    this.recentAlerts.unshift(alert);
    if (this.recentAlerts.length > MAX_RECENT_ALERTS) this.recentAlerts.length = MAX_RECENT_ALERTS;
    this.eventEmitter.fire({ kind: 'fired', alert, notify, act });
  }

  private clear(slot: Slot, why: string, announce = true): void {
    const alert = slot.active;
    if (!alert) return;
    slot.active = undefined;
    alert.clearedAt = this.clock.now();
    alert.clearReason = why;
    if (announce) this.eventEmitter.fire({ kind: 'cleared', alert, notify: alert.notified && !this.gate.isMuted(alert.rule.name, alert.clearedAt), act: false });
  }
}
