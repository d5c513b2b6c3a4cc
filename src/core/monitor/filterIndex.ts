/**
 * Which items (rules, watches) a message concerns, decided once per topic: the first message on a topic tests
 * every item's filter, later ones are one Map lookup. Memory is bounded: past `maxTopics` cached topics the
 * cache starts over (a broker with more topics only pays the first lookup again).
 */
import { hasWildcards, topicMatchesFilter } from '../topics';

/** An item of the index: its topic filter and the connection it is for (undefined: every connection). */
export interface Filtered {
  readonly topic: string | undefined;
  readonly connection: string | undefined;
}

const NONE: readonly never[] = [];

/** Items by the topics they match, cached per connection and topic. */
export class FilterIndex<T extends Filtered> {
  private readonly exact = new Map<string, T[]>();
  private readonly wildcards: T[] = [];
  /** Connection -> topic -> items (nested: a concatenated key would be hashed anew per message). */
  private readonly cache = new Map<string, Map<string, readonly T[]>>();

  constructor(
    items: readonly T[],
    private readonly maxTopics = 50_000,
  ) {
    for (const item of items) {
      if (item.topic === undefined) continue;
      if (hasWildcards(item.topic) || item.topic.startsWith('$share/')) this.wildcards.push(item);
      else this.exact.set(item.topic, [...(this.exact.get(item.topic) ?? []), item]);
    }
  }

  /** Whether no item has a topic filter (then `match` is always empty). */
  get empty(): boolean {
    return this.exact.size === 0 && this.wildcards.length === 0;
  }

  /** The items whose filter matches `topic` and whose connection is `connection` or every connection. */
  match(connection: string, topic: string): readonly T[] {
    if (this.empty) return NONE;
    const byTopic = this.maxTopics === 0 ? undefined : this.byTopic(connection);
    const cached = byTopic?.get(topic);
    if (cached !== undefined) return cached;
    const found: T[] = [];
    for (const item of this.exact.get(topic) ?? NONE) if (item.connection === undefined || item.connection === connection) found.push(item);
    for (const item of this.wildcards) {
      if ((item.connection === undefined || item.connection === connection) && topicMatchesFilter(item.topic ?? '', topic)) found.push(item);
    }
    const result = found.length === 0 ? NONE : found;
    if (byTopic === undefined) return result; // the owner caches (the alert engine keeps its slots per topic)
    if (byTopic.size >= this.maxTopics) byTopic.clear();
    byTopic.set(topic, result);
    return result;
  }

  private byTopic(connection: string): Map<string, readonly T[]> {
    let map = this.cache.get(connection);
    if (map === undefined) {
      map = new Map();
      this.cache.set(connection, map);
    }
    return map;
  }
}
