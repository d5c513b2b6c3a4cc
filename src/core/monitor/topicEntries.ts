/**
 * What a message on a topic updates, per connection and topic, for the alert engine. Topics matched by the same
 * rules share one TopicGroup (their silence and rate slots, their per-topic rules), found from the FilterIndex's
 * answer, which is itself shared by such topics: 10,000 topics under 100 rules are about a hundred groups and no
 * per-topic memory. A topic gets its own entry only once one of its rules holds state for it (a threshold pending
 * or active, an equals alert, a previous value). A message touches only objects shared with the other topics,
 * which stay in the processor's cache, plus its own entry if it has one.
 */
import type { MqttMessage } from '../../shared/mqttMessage';
import type { AlertRecord } from './alertRecord';
import type { RateWindow } from './rateWindow';
import type { TopicMemo } from './topicMemo';
import { CONNECTION_CONDITIONS, type AlertRule } from './ruleTypes';

/** State of one rule on one connection and topic (or filter, or the connection itself). */
export interface Slot {
  rule: AlertRule;
  readonly connection: string;
  readonly topic: string | undefined;
  active: AlertRecord | undefined;
  /** A threshold holds since then, waiting for `forMs`. */
  pendingSince: number | undefined;
  pendingValue: string | undefined;
  pendingMessage: MqttMessage | undefined;
  /** The previous value's text (condition `changes`). */
  previous: string | undefined;
  /** Last message on the filter, or when watching started (silence). */
  lastSeen: number;
  /** Watching started (rate rules wait for one full window). */
  armedAt: number;
  rate: RateWindow | undefined;
}

/** Conditions kept per filter (one slot for every topic the filter matches) rather than per topic. */
export const FILTER_KINDS: ReadonlySet<string> = new Set(['silence', 'rateAbove', 'rateBelow']);

/** Whether a rule keeps its state per topic (thresholds, equals, matches, changes). */
export const isPerTopic = (rule: AlertRule): boolean => !FILTER_KINDS.has(rule.condition.kind) && !CONNECTION_CONDITIONS.has(rule.condition.kind);

/** The rules of a topic and the slots it holds of its own, by the place of the rule in `group.valueRules`. */
export interface TopicEntry {
  readonly group: TopicGroup;
  /** Undefined while the topic holds no state of its own (then the entry is the group itself). */
  readonly slots: (Slot | undefined)[] | undefined;
}

/** The rules shared by a set of topics on one connection; it is also the entry of each of them that holds no state. */
export class TopicGroup implements TopicEntry {
  readonly group: TopicGroup = this;
  readonly slots = undefined;

  constructor(
    /** Silence and rate slots of the group's filters (shared by all its topics). */
    readonly filterSlots: readonly Slot[],
    /** The rules evaluated on each message's value, each with its state per topic. */
    readonly valueRules: readonly AlertRule[],
  ) {}

  get empty(): boolean {
    return this.filterSlots.length === 0 && this.valueRules.length === 0;
  }
}

const NO_RULES = new TopicGroup([], []);

/** Match lists remembered per connection before that memory starts over (the groups themselves are kept). */
const MAX_REMEMBERED_MATCHES = 10_000;

/** What the entries of one connection are made of. */
interface ConnectionEntries {
  readonly connection: string;
  /** The FilterIndex's list of matched rules -> their group (lists are shared by the topics with the same answer). */
  readonly byMatch: Map<readonly AlertRule[], TopicGroup>;
  /** The matched rules' places, joined -> their group. */
  readonly byRanks: Map<string, TopicGroup>;
  /** Topic -> its entry, for the topics holding per-topic state. */
  readonly own: Map<string, TopicEntry & { readonly slots: (Slot | undefined)[] }>;
}

/** The entries of every connection and topic seen, for one set of rules. */
export class TopicEntries {
  private readonly connections = new Map<string, ConnectionEntries>();
  private last: ConnectionEntries | undefined;
  private readonly rank: ReadonlyMap<AlertRule, number>;
  /** Entries in memos found under another stamp are stale (renewed when an entry found before may have changed). */
  private stamp = {};

  constructor(
    rules: readonly AlertRule[],
    /** The rules whose topic filter matches `topic` and that apply to `connection`, in the rules' order. */
    private readonly match: (connection: string, topic: string) => readonly AlertRule[],
    /** The slot of a silence or rate rule on a connection (created or found by the engine). */
    private readonly filterSlot: (rule: AlertRule, connection: string) => Slot,
    /** Per-topic slots that already exist (kept from an earlier set of rules). */
    existing: Iterable<Slot>,
  ) {
    this.rank = new Map(rules.map((rule, place) => [rule, place]));
    for (const slot of existing) {
      if (slot.topic === undefined) continue;
      const entry = this.entry(slot.connection, slot.topic);
      const place = entry.group.valueRules.indexOf(slot.rule);
      if (place >= 0) this.attach(slot.connection, slot.topic, entry, place, slot);
    }
  }

  /** The entry of `topic` on `connection`: a match in the FilterIndex, then lookups in small maps. */
  entry(connection: string, topic: string): TopicEntry {
    const rules = this.match(connection, topic);
    if (rules.length === 0) return NO_RULES;
    const entries = this.of(connection);
    const group = entries.byMatch.get(rules) ?? this.groupOf(entries, rules);
    if (group.valueRules.length === 0 || entries.own.size === 0) return group;
    return entries.own.get(topic) ?? group;
  }

  /** The entry of `topic` on `connection`, from the topic's memo when it was found under the current stamp. */
  remembered(connection: string, topic: string, memo: TopicMemo): TopicEntry {
    if (memo.alertsStamp === this.stamp && memo.alerts !== undefined) return memo.alerts;
    const entry = this.entry(connection, topic);
    memo.alertsStamp = this.stamp;
    memo.alerts = entry;
    return entry;
  }

  /** A new per-topic slot: the rule at `place` in the topic's group (`entry.group`) now holds state for it. */
  attach(connection: string, topic: string, entry: TopicEntry, place: number, slot: Slot): void {
    const { own } = this.of(connection);
    let mine = own.get(topic);
    if (mine === undefined) {
      mine = { group: entry.group, slots: entry.group.valueRules.map(() => undefined) };
      own.set(topic, mine);
      this.stamp = {}; // memos hold the group as this topic's entry
    }
    mine.slots[place] = slot;
  }

  /** Forgets a connection (closed by the user: its slots are gone). */
  forget(connection: string): void {
    this.connections.delete(connection);
    this.last = undefined;
    this.stamp = {};
  }

  /** The entries of a connection (the last one asked for is at hand: messages come in runs per connection). */
  private of(connection: string): ConnectionEntries {
    if (this.last?.connection === connection) return this.last;
    let entries = this.connections.get(connection);
    if (entries === undefined) {
      entries = { connection, byMatch: new Map(), byRanks: new Map(), own: new Map() };
      this.connections.set(connection, entries);
    }
    this.last = entries;
    return entries;
  }

  private groupOf(entries: ConnectionEntries, rules: readonly AlertRule[]): TopicGroup {
    let key = '';
    for (const rule of rules) key += `${this.rank.get(rule) ?? -1},`;
    let group = entries.byRanks.get(key);
    if (group === undefined) {
      group = new TopicGroup(
        rules.filter((rule) => FILTER_KINDS.has(rule.condition.kind)).map((rule) => this.filterSlot(rule, entries.connection)),
        rules.filter(isPerTopic),
      );
      entries.byRanks.set(key, group);
    }
    if (entries.byMatch.size >= MAX_REMEMBERED_MATCHES) entries.byMatch.clear();
    entries.byMatch.set(rules, group);
    return group;
  }
}
