/**
 * Which items (rules, watches) a message concerns. Exact filters are one lookup in their own small map. Wildcard
 * filters sit in a trie of their literal prefixes (prefixTrie.ts): a topic walks it without allocating, and when
 * every filter on its path ends in `#` or `+` the answer depends only on the node reached and on how many levels
 * the topic has past it, so it is kept on that node (a few answers per node, however many topics share them).
 * Topics whose path holds a filter that needs the full test (`a/+/b`), an exact filter, or a `$` topic under a
 * leading wildcard, are matched in full once and cached per topic; past `maxTopics` such topics the cache starts
 * over (a broker with more of them only pays the first lookup again).
 */
import { hasWildcards } from '../topics';
import { isDollarTopic, levelCount, PrefixNode, splitAtWildcard, tailMatches, tailOf, type Filtered, type Ranked } from './prefixTrie';

export type { Filtered } from './prefixTrie';

const NONE: readonly never[] = [];

/** The item is for `connection` or for every connection. */
const serves = (item: Filtered, connection: string): boolean => item.connection === undefined || item.connection === connection;

/** Puts a hit among the hits from `first` on by its rank (`ranks` holds theirs; a topic has a few hits). */
function insertByRank<T extends Filtered>(found: T[], first: number, ranks: number[], ranked: Ranked<T>): void {
  let at = ranks.length;
  while (at > 0 && ranks[at - 1] > ranked.rank) at--;
  ranks.splice(at, 0, ranked.rank);
  found.splice(first + at, 0, ranked.item);
}

/**
 * The levels of `filter` before its first level holding a wildcard character (of the filter inside
 * `$share/group/`): a topic the filter matches starts with exactly these levels.
 */
export function literalPrefix(filter: string): string[] {
  return splitAtWildcard(filter).prefix;
}

/** Items by the topics they match. */
export class FilterIndex<T extends Filtered> {
  private readonly exact = new Map<string, T[]>();
  private readonly root = new PrefixNode<T>('', 0, undefined);
  private wildcardCount = 0;
  /** Connection -> topic -> items, for the topics matched in full (nested: a joined key would be hashed per message). */
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

  /**
   * The items whose filter matches `topic` and whose connection is `connection` or every connection: the exact
   * ones, then the wildcard ones, each in the order given. The same list object for topics with the same answer.
   */
  match(connection: string, topic: string): readonly T[] {
    if (this.empty) return NONE;
    if (this.wildcardCount === 0) return this.exactMatches(connection, topic);
    let node = this.root;
    let inFull = node.hasTest || (isDollarTopic(topic) && node.here.length > 0);
    let start = 0; // of the first level past `node`; topic.length + 1 once there is none
    while (!node.leaf && start <= topic.length) {
      const slash = topic.indexOf('/', start);
      const end = slash < 0 ? topic.length : slash;
      const child = node.child(topic, start, end);
      if (child === undefined) break;
      node = child;
      inFull ||= child.hasTest;
      start = end + 1;
    }
    if (inFull || this.exact.has(topic)) return this.matchInFull(connection, topic, node, levelCount(topic));
    const past = start > topic.length ? 0 : topic.indexOf('/', start) < 0 ? 1 : 2; // levels past `node`, 2 for more
    const answers = this.answersOf(node, connection);
    return (answers[past] ??= this.wildcardsOnPath(connection, node, node.depth + past, undefined, []));
  }

  /** The exact items of `topic` for `connection` (their own list when all serve it: no copy per message). */
  private exactMatches(connection: string, topic: string): readonly T[] {
    const items = this.exact.get(topic);
    if (items === undefined) return NONE;
    return items.every((item) => serves(item, connection)) ? items : items.filter((item) => serves(item, connection));
  }

  private matchInFull(connection: string, topic: string, node: PrefixNode<T>, levels: number): readonly T[] {
    const byTopic = this.maxTopics === 0 ? undefined : this.byTopic(connection);
    const cached = byTopic?.get(topic);
    if (cached !== undefined) return cached;
    const found = this.wildcardsOnPath(connection, node, levels, topic, this.exactMatches(connection, topic).slice());
    const result = found.length === 0 ? NONE : found;
    if (byTopic === undefined) return result;
    if (byTopic.size >= this.maxTopics) byTopic.clear();
    byTopic.set(topic, result);
    return result;
  }

  /**
   * Appends to `found` the wildcard items on the path from the root to `node` (the deepest node of a topic with
   * `levels` levels) that match, in the order given. `topic`: for the items that need the full test.
   */
  private wildcardsOnPath(connection: string, node: PrefixNode<T>, levels: number, topic: string | undefined, found: T[]): T[] {
    const first = found.length;
    const ranks: number[] = [];
    for (let at: PrefixNode<T> | undefined = node; at !== undefined; at = at.parent) {
      for (const ranked of at.here) {
        if (serves(ranked.item, connection) && tailMatches(ranked, at.depth, levels - at.depth, topic)) insertByRank(found, first, ranks, ranked);
      }
    }
    return found;
  }

  private addWildcard(item: T, filter: string, rank: number): void {
    const { prefix, rest } = splitAtWildcard(filter);
    let node = this.root;
    for (const level of prefix) node = node.childFor(level);
    node.add({ item, rank, tail: tailOf(rest) });
    this.wildcardCount++;
  }

  private answersOf(node: PrefixNode<T>, connection: string): (readonly T[] | undefined)[] {
    let answers = node.answers.get(connection);
    if (answers === undefined) {
      answers = [undefined, undefined, undefined];
      node.answers.set(connection, answers);
    }
    return answers;
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
