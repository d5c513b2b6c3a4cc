/**
 * Which items (rules, watches) a message concerns, decided once per topic: the first message on a topic tests
 * only the wildcard items whose leading literal levels are the topic's (a trie of those prefixes, so a new topic
 * costs O(its levels) rather than O(items)), later ones are one Map lookup. Memory is bounded: past `maxTopics`
 * cached topics the cache starts over (a broker with more topics only pays the first lookup again).
 */
import { hasWildcards, parseSharedSubscription, topicMatchesFilter } from '../topics';

/** An item of the index: its topic filter and the connection it is for (undefined: every connection). */
export interface Filtered {
  readonly topic: string | undefined;
  readonly connection: string | undefined;
}

const NONE: readonly never[] = [];

/** The item is for `connection` or for every connection. */
const serves = (item: Filtered, connection: string): boolean => item.connection === undefined || item.connection === connection;

/** A wildcard item and its place among the items (results keep the order the items were given in). */
interface Ranked<T> {
  readonly item: T;
  readonly rank: number;
}

/** A level of the prefix trie: the items whose literal prefix ends here, and the next literal levels. */
interface PrefixNode<T> {
  readonly here: Ranked<T>[];
  readonly next: Map<string, PrefixNode<T>>;
}

const newPrefixNode = <T>(): PrefixNode<T> => ({ here: [], next: new Map() });

/**
 * The levels of `filter` before its first level holding a wildcard character (of the filter inside
 * `$share/group/`): a topic the filter matches starts with exactly these levels.
 */
export function literalPrefix(filter: string): string[] {
  const inner = filter.startsWith('$share/') ? (parseSharedSubscription(filter)?.filter ?? '') : filter;
  const levels = inner.split('/');
  const wild = levels.findIndex((level) => level.includes('+') || level.includes('#'));
  return wild < 0 ? levels : levels.slice(0, wild);
}

/** Items by the topics they match, cached per connection and topic. */
export class FilterIndex<T extends Filtered> {
  private readonly exact = new Map<string, T[]>();
  private readonly wildcards = newPrefixNode<T>();
  private wildcardCount = 0;
  /** Connection -> topic -> items (nested: a concatenated key would be hashed anew per message). */
  private readonly cache = new Map<string, Map<string, readonly T[]>>();

  constructor(
    items: readonly T[],
    private readonly maxTopics = 50_000,
  ) {
    items.forEach((item, rank) => {
      if (item.topic === undefined) return;
      if (hasWildcards(item.topic) || item.topic.startsWith('$share/')) this.addWildcard(item, item.topic, rank);
      else this.exact.set(item.topic, [...(this.exact.get(item.topic) ?? []), item]);
    });
  }

  /** Whether no item has a topic filter (then `match` is always empty). */
  get empty(): boolean {
    return this.exact.size === 0 && this.wildcardCount === 0;
  }

  /** The items whose filter matches `topic` and whose connection is `connection` or every connection. */
  match(connection: string, topic: string): readonly T[] {
    if (this.empty) return NONE;
    // Exact filters only: one lookup in their small map beats one in a cache of every topic seen.
    if (this.wildcardCount === 0) return this.exactMatches(connection, topic);
    const byTopic = this.maxTopics === 0 ? undefined : this.byTopic(connection);
    const cached = byTopic?.get(topic);
    if (cached !== undefined) return cached;
    const found = [...this.exactMatches(connection, topic)];
    const wild = this.wildcardMatches(connection, topic);
    if (wild.length > 0) found.push(...wild);
    const result = found.length === 0 ? NONE : found;
    if (byTopic === undefined) return result; // the owner caches (the alert engine keeps its slots per topic)
    if (byTopic.size >= this.maxTopics) byTopic.clear();
    byTopic.set(topic, result);
    return result;
  }

  /** The exact items of `topic` for `connection` (their own list when all serve it: no copy per message). */
  private exactMatches(connection: string, topic: string): readonly T[] {
    const items = this.exact.get(topic);
    if (items === undefined) return NONE;
    return items.every((item) => serves(item, connection)) ? items : items.filter((item) => serves(item, connection));
  }

  private addWildcard(item: T, filter: string, rank: number): void {
    let node = this.wildcards;
    for (const level of literalPrefix(filter)) {
      let child = node.next.get(level);
      if (child === undefined) {
        child = newPrefixNode<T>();
        node.next.set(level, child);
      }
      node = child;
    }
    node.here.push({ item, rank });
    this.wildcardCount++;
  }

  /** The wildcard items matching `topic`, in the order they were given: only those on the topic's trie path are tested. */
  private wildcardMatches(connection: string, topic: string): T[] {
    if (this.wildcardCount === 0) return [];
    const hits: Ranked<T>[] = [];
    let node: PrefixNode<T> | undefined = this.wildcards;
    let start = 0;
    while (node !== undefined) {
      for (const ranked of node.here) {
        if (serves(ranked.item, connection) && topicMatchesFilter(ranked.item.topic ?? '', topic)) hits.push(ranked);
      }
      if (start > topic.length) break;
      const slash = topic.indexOf('/', start);
      const end = slash < 0 ? topic.length : slash;
      node = node.next.get(topic.slice(start, end));
      start = end + 1;
    }
    if (hits.length > 1) hits.sort((a, b) => a.rank - b.rank);
    return hits.map((ranked) => ranked.item);
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
