/**
 * The trie of the literal prefixes of wildcard filters (`plant/line1` of `plant/line1/+/temp`): a topic walks it
 * level by level without being cut into strings (a level is found by a hash of its characters and compared in
 * place), so walking costs no allocation and touches only the trie, however many topics the broker has.
 */
import { parseSharedSubscription, topicMatchesFilter } from '../topics';

/** An item of an index: its topic filter and the connection it is for (undefined: every connection). */
export interface Filtered {
  readonly topic: string | undefined;
  readonly connection: string | undefined;
}

/**
 * What a wildcard filter asks of the levels after its literal prefix: `any` (a trailing `#`: every topic reaching
 * its node matches), `one` (a trailing `+`: exactly one more level), or `test` (anything else: the full match).
 */
export type Tail = 'any' | 'one' | 'test';

/** A wildcard item, its place among the items (results keep the order the items were given in) and its tail. */
export interface Ranked<T> {
  readonly item: T;
  readonly rank: number;
  readonly tail: Tail;
}

const SLASH = 0x2f;
const DOLLAR = 0x24;

/** A hash of `text.slice(start, end)`, computed in place. */
function levelHash(text: string, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/** A level of the trie: the items whose literal prefix ends here, and the next literal levels. */
export class PrefixNode<T> {
  readonly here: Ranked<T>[] = [];
  /** Whether an item here must be tested in full (`test` tail). */
  hasTest = false;
  /**
   * Kept here by the index: per connection, the items matching a topic whose path ends on this node, by the
   * topic's levels past it (0, 1, 2 or more).
   */
  readonly answers = new Map<string, (readonly T[] | undefined)[]>();
  /** Children by the hash of their level (a list: two levels may share a hash). */
  private readonly next = new Map<number, PrefixNode<T>[]>();

  constructor(
    readonly level: string,
    readonly depth: number,
    readonly parent: PrefixNode<T> | undefined,
  ) {}

  get leaf(): boolean {
    return this.next.size === 0;
  }

  /** The child for the level `topic.slice(start, end)`, if any. */
  child(topic: string, start: number, end: number): PrefixNode<T> | undefined {
    const candidates = this.next.get(levelHash(topic, start, end));
    if (candidates === undefined) return undefined;
    for (const node of candidates) if (node.level.length === end - start && topic.startsWith(node.level, start)) return node;
    return undefined;
  }

  /** The child for `level`, made if missing. */
  childFor(level: string): PrefixNode<T> {
    const found = this.child(level, 0, level.length);
    if (found !== undefined) return found;
    const node = new PrefixNode<T>(level, this.depth + 1, this);
    const hash = levelHash(level, 0, level.length);
    this.next.set(hash, [...(this.next.get(hash) ?? []), node]);
    return node;
  }

  add(ranked: Ranked<T>): void {
    this.here.push(ranked);
    if (ranked.tail === 'test') this.hasTest = true;
  }
}

/** The literal prefix of `filter` (of the filter inside `$share/group/`) and the levels from its first wildcard on. */
export function splitAtWildcard(filter: string): { prefix: string[]; rest: string[] } {
  const inner = filter.startsWith('$share/') ? (parseSharedSubscription(filter)?.filter ?? '') : filter;
  const levels = inner.split('/');
  const wild = levels.findIndex((level) => level.includes('+') || level.includes('#'));
  return wild < 0 ? { prefix: levels, rest: [] } : { prefix: levels.slice(0, wild), rest: levels.slice(wild) };
}

/** The tail of a filter whose levels from the first wildcard on are `rest`. */
export function tailOf(rest: readonly string[]): Tail {
  if (rest.length !== 1) return 'test';
  if (rest[0] === '#') return 'any';
  return rest[0] === '+' ? 'one' : 'test';
}

/** Levels of a topic (`a/b` has 2, `` has 1). */
export function levelCount(topic: string): number {
  let levels = 1;
  for (let i = 0; i < topic.length; i++) if (topic.charCodeAt(i) === SLASH) levels++;
  return levels;
}

/** `+` and `#` as a filter's first level do not match topics starting with `$`. */
export const isDollarTopic = (topic: string): boolean => topic.charCodeAt(0) === DOLLAR;

/**
 * Whether the item on a node of `topic`'s path matches it, the topic having `levelsLeft` levels after that node
 * (a `topic` of undefined: the caller knows no `test` item and no `$` topic is involved).
 */
export function tailMatches<T extends Filtered>(ranked: Ranked<T>, depth: number, levelsLeft: number, topic: string | undefined): boolean {
  if (ranked.tail === 'test') return topic !== undefined && topicMatchesFilter(ranked.item.topic ?? '', topic);
  if (depth === 0 && topic !== undefined && isDollarTopic(topic)) return false;
  return ranked.tail === 'any' || levelsLeft === 1; // `a/#` also matches `a`
}
