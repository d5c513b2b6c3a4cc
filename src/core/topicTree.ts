/**
 * The model behind the Topics view (no VS Code here): a trie of topic levels for one connection, counts kept
 * incrementally, the last message per topic, retained flags, a dirty set for incremental refresh. Memory: a
 * node is one object of small-integer and pointer fields (no closures, no Map until it has children, the
 * message and its payload bytes kept by reference, not copied).
 */
import type { MqttMessage } from '../shared/mqttMessage';
import { TopicQuery, compareLevels, isSystemTopicName } from './topics';
import type { TopicMemo } from './monitor/topicMemo';
import type { TopicEntry } from './monitor/topicEntries';
import type { WatchDefinition } from './monitor/watches';

/** One topic level in the tree. Read-only to callers: only {@link TopicTree} changes it. */
export interface TopicNode {
  /** This level's text (may be empty: `a//b` has an empty middle level). */
  readonly level: string;
  /** The full topic of this node (for the root: `''`, but the root is never a topic). */
  readonly topic: string;
  /** The parent level; `undefined` only for the tree's root. */
  readonly parent: TopicNode | undefined;
  /** Child levels by level text (empty string is a valid key), in order of first appearance. */
  readonly children: ReadonlyMap<string, TopicNode>;
  /** Messages received on exactly this topic. */
  readonly messageCount: number;
  /** Messages on this topic and every topic below it. */
  readonly totalMessages: number;
  /** Topics with at least one message at or below this node (this one included). */
  readonly topicCount: number;
  /** Topics at or below this node whose retained flag is set. */
  readonly retainedCount: number;
  /** The last message on exactly this topic (payload bytes by reference); `undefined` if none yet. */
  readonly lastMessage: MqttMessage | undefined;
  /** The broker holds a retained message here: the last retained message had a non-empty payload. */
  readonly retained: boolean;
  /** The last retained message here had an empty payload, i.e. the retained value was deleted. */
  readonly retainCleared: boolean;
  /** `receivedAt` (epoch ms) of the last message at or below this node; 0 when none. */
  readonly changedAt: number;
}

/** Orders for {@link TopicTree.children}: by level name (natural), by total messages, most recent first, or busiest first (with a rate function). */
export type TopicSort = 'name' | 'messages' | 'recent' | 'rate';

/**
 * A {@link TopicQuery} applied to a tree without rebuilding it. The first `matches` after the tree gained
 * topics (or after another matcher of the tree was used) marks the matching nodes in one pass over the
 * topics; until then `matches` is O(1).
 */
export interface TopicMatcher extends TopicQuery {
  /** Whether this node's topic or any topic below it matches (i.e. the view should show the node). */
  matches(node: TopicNode): boolean;
  /** Whether this node is itself a topic (has messages) that matches. */
  topicMatches(node: TopicNode): boolean;
}

// Bits of Node.bits: three flags, then the generation of the last filter that matched at or below the node.
const RETAINED = 1;
const RETAIN_CLEARED = 2;
const DIRTY = 4;
const FLAG_MASK = 7;
const MEMO_SHIFT = 3;
/** Generations stay below this so `bits` remains a small integer (smi) on every platform. */
const MAX_MEMO_GEN = 1 << 26;
const EMPTY: ReadonlyMap<string, Node> = new Map<string, Node>();

class Node implements TopicNode, TopicMemo {
  kids: Map<string, Node> | undefined = undefined;
  messageCount = 0;
  totalMessages = 0;
  topicCount = 0;
  retainedCount = 0;
  lastMessage: MqttMessage | undefined = undefined;
  /** Flags and memo, see the constants above. */
  bits = 0;
  /**
   * The newest message at or below this node (always some topic's last message, so it keeps nothing
   * alive); a pointer rather than the time, which would be a boxed double in every node.
   */
  latest: MqttMessage | undefined = undefined;
  /**
   * The monitor's memo of this topic (TopicMemo): on the node itself rather than an object of its own, so the
   * message that just updated the node finds its rules without one more object to fetch from memory.
   */
  alertsStamp: object | undefined = undefined;
  alerts: TopicEntry | undefined = undefined;
  watchesStamp: object | undefined = undefined;
  watches: readonly WatchDefinition[] | undefined = undefined;

  constructor(
    readonly level: string,
    readonly topic: string,
    readonly parent: Node | undefined,
  ) {}

  get children(): ReadonlyMap<string, Node> {
    return this.kids ?? EMPTY;
  }
  get retained(): boolean {
    return (this.bits & RETAINED) !== 0;
  }
  get retainCleared(): boolean {
    return (this.bits & RETAIN_CLEARED) !== 0;
  }
  get changedAt(): number {
    return this.latest?.receivedAt ?? 0;
  }
}

/** Narrows a public node to the implementation (every TopicNode comes from a TopicTree). */
function impl(node: TopicNode): Node {
  if (node instanceof Node) return node;
  throw new TypeError('Not a node of a TopicTree.');
}

/** The monitor's memo of a node's topic (core/monitor/topicMemo.ts): the node itself, kept as long as the node. */
export function memoOf(node: TopicNode): TopicMemo {
  return impl(node);
}

/** Whether a node is a `$` topic or below one (e.g. `$SYS/broker/uptime`), which views may hide. */
export function isSystemTopic(node: TopicNode): boolean {
  return isSystemTopicName(node.topic);
}

const byName = (a: TopicNode, b: TopicNode): number => compareLevels(a.level, b.level);

/** The trie of topics of one connection. `add` is O(levels); a repeated topic skips the walk. */
export class TopicTree {
  private readonly rootNode = new Node('', '', undefined);
  /** Full topic -> node, for nodes that have messages. */
  private readonly cache = new Map<string, Node>();
  private dirty = new Set<Node>();
  /** Bumped whenever the set of topics changes; invalidates filter marks. */
  private topicsVersion = 0;
  private memoGen = 0;
  private markedBy: TopicMatcher | undefined;
  private markedVersion = -1;

  /** The invisible root above the first levels; its counts are the totals of the tree. */
  get root(): TopicNode {
    return this.rootNode;
  }

  /** Number of distinct topics that have messages. */
  get size(): number {
    return this.rootNode.topicCount;
  }

  /**
   * Records a message: creates missing levels, updates the last message, counts and retained flag
   * up to the root, and marks the changed nodes dirty. The message is kept by reference (payload not
   * copied) and its `topic` is replaced by the tree's identical string, so all messages on a topic
   * (here and in the history) share one string.
   * @returns the node of the message's topic.
   */
  add(message: MqttMessage): TopicNode {
    const topic = message.topic;
    let leaf = this.cache.get(topic);
    if (leaf === undefined) {
      leaf = this.walk(topic, true);
      this.cache.set(leaf.topic, leaf);
    }
    const newTopic = leaf.messageCount === 0 ? 1 : 0;
    if (newTopic === 1) this.topicsVersion++;
    leaf.messageCount++;
    // Share one string per topic: the wire gives every message a fresh copy; ours has the same value.
    message.topic = leaf.topic;
    leaf.lastMessage = message;
    let retainedDelta = 0;
    if (message.retain) {
      const bits = leaf.bits;
      if (message.payload.byteLength > 0) {
        if ((bits & RETAINED) === 0) retainedDelta = 1;
        leaf.bits = (bits | RETAINED) & ~RETAIN_CLEARED;
      } else {
        if ((bits & RETAINED) !== 0) retainedDelta = -1;
        leaf.bits = (bits & ~RETAINED) | RETAIN_CLEARED;
      }
    }
    this.propagate(leaf, 1, newTopic, retainedDelta, message);
    return leaf;
  }

  /**
   * Marks a topic's retained value as deleted without a message, e.g. after this client published an
   * empty retained message that the broker forwards back with the retain flag off (MQTT 3.1.1).
   * @returns whether the flag was set before.
   */
  markRetainCleared(node: TopicNode): boolean {
    const n = impl(node);
    const was = (n.bits & RETAINED) !== 0;
    if (n.messageCount === 0) return false;
    n.bits = (n.bits & ~RETAINED) | RETAIN_CLEARED;
    this.propagate(n, 0, 0, was ? -1 : 0, undefined);
    return was;
  }

  /** Applies count deltas from `node` up to the root and marks the chain dirty (once per flush). */
  private propagate(node: Node, messages: number, topics: number, retained: number, latest: MqttMessage | undefined): void {
    let marking = true;
    for (let n: Node | undefined = node; n !== undefined; n = n.parent) {
      n.totalMessages += messages;
      n.topicCount += topics;
      n.retainedCount += retained;
      if (latest !== undefined) n.latest = latest;
      // A dirty node's ancestors are dirty too (they were marked in the same walk), so stop marking there.
      if (marking) {
        if ((n.bits & DIRTY) !== 0) marking = false;
        else {
          n.bits |= DIRTY;
          this.dirty.add(n);
        }
      }
    }
  }

  /** Walks the levels of `topic` from the root; creates missing levels when `create`. */
  private walk(topic: string, create: true): Node;
  private walk(topic: string, create: false): Node | undefined;
  private walk(topic: string, create: boolean): Node | undefined {
    let node = this.rootNode;
    let start = 0;
    for (;;) {
      const slash = topic.indexOf('/', start);
      const end = slash < 0 ? topic.length : slash;
      const level = topic.slice(start, end);
      let child = node.kids?.get(level);
      if (child === undefined) {
        if (!create) return undefined;
        child = new Node(level, slash < 0 ? topic : topic.slice(0, end), node);
        (node.kids ??= new Map()).set(level, child);
      }
      node = child;
      if (slash < 0) return node;
      start = slash + 1;
    }
  }

  /**
   * The nodes whose view changed since the last call (changed topics, their ancestors, parents of new
   * children; the root stands for the connection), then starts a new empty set.
   */
  takeDirty(): Set<TopicNode> {
    const taken = this.dirty;
    this.dirty = new Set<Node>();
    for (const n of taken) n.bits &= ~DIRTY;
    return taken;
  }

  /** Whether anything changed since the last {@link takeDirty}. */
  get hasDirty(): boolean {
    return this.dirty.size > 0;
  }

  /** The node of a topic (with or without messages of its own), or `undefined`. */
  find(topic: string): TopicNode | undefined {
    return this.cache.get(topic) ?? this.walk(topic, false);
  }

  /** The first levels of the tree, sorted. */
  roots(sort: TopicSort = 'name'): TopicNode[] {
    return this.children(this.rootNode, sort);
  }

  /** The children of a node as a new array: by name (natural order), most messages first, or most recent first. */
  children(node: TopicNode, sort: TopicSort = 'name', rateOf: (node: TopicNode) => number = () => 0): TopicNode[] {
    const list: TopicNode[] = [...node.children.values()];
    if (sort === 'name') list.sort(byName);
    else if (sort === 'messages') list.sort((a, b) => b.totalMessages - a.totalMessages || byName(a, b));
    else if (sort === 'rate') list.sort((a, b) => rateOf(b) - rateOf(a) || b.totalMessages - a.totalMessages || byName(a, b));
    else list.sort((a, b) => b.changedAt - a.changedAt || byName(a, b));
    return list;
  }

  /** Topics at or below `node` whose retained flag is set (for "Clear Retained Subtree"), in tree order. */
  retainedTopicsUnder(node: TopicNode): string[] {
    const out: string[] = [];
    const stack: Node[] = [impl(node)];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      if (n.retainedCount === 0) continue;
      if ((n.bits & RETAINED) !== 0) out.push(n.topic);
      if (n.kids !== undefined) {
        const kids = [...n.kids.values()];
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
      }
    }
    return out;
  }

  /** Forgets every topic; the root stays the same object and is reported dirty. */
  clear(): void {
    const r = this.rootNode;
    r.kids = undefined;
    r.messageCount = r.totalMessages = r.topicCount = r.retainedCount = 0;
    r.latest = undefined;
    this.cache.clear();
    this.dirty = new Set<Node>([r]);
    r.bits = DIRTY;
    this.topicsVersion++;
  }

  /**
   * A filter for views (see {@link TopicQuery}: MQTT filter, or case-insensitive substring of the topic).
   * Keep the matcher while the text stays the same: its answers are marked on the nodes and recomputed
   * (one pass over the topics) only after new topics appear.
   */
  matching(text: string): TopicMatcher {
    return new Matcher(text, (m) => this.marks(m));
  }

  /**
   * The generation under which `matcher`'s answers are marked on the nodes, marking them first unless
   * it was the last to mark and no topic appeared since: one pass over the topics, each walking up only
   * until an ancestor is already marked. A node not marked with the generation does not match.
   */
  private marks(matcher: TopicMatcher): number {
    if (this.markedBy === matcher && this.markedVersion === this.topicsVersion) return this.memoGen;
    if (++this.memoGen >= MAX_MEMO_GEN) {
      // Wrap-around: clear every old mark so no stale generation can be mistaken for the new one.
      const stack: Node[] = [this.rootNode];
      for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
        n.bits &= FLAG_MASK;
        if (n.kids !== undefined) for (const k of n.kids.values()) stack.push(k);
      }
      this.memoGen = 1;
    }
    const mark = this.memoGen << MEMO_SHIFT;
    for (const leaf of this.cache.values()) {
      if (!matcher.topicMatches(leaf)) continue;
      for (let n: Node | undefined = leaf; n !== undefined && (n.bits & ~FLAG_MASK) !== mark; n = n.parent) {
        n.bits = (n.bits & FLAG_MASK) | mark;
      }
    }
    this.markedBy = matcher;
    this.markedVersion = this.topicsVersion;
    return this.memoGen;
  }
}

/** A view's filter over one tree; see {@link TopicTree.matching}. */
class Matcher extends TopicQuery implements TopicMatcher {
  constructor(
    text: string,
    private readonly marks: (matcher: Matcher) => number,
  ) {
    super(text);
  }

  topicMatches(node: TopicNode): boolean {
    return node.messageCount > 0 && this.test(node.topic);
  }

  matches(node: TopicNode): boolean {
    if (this.kind === 'all') return node.topicCount > 0;
    if (this.error !== undefined) return false;
    const generation = this.marks(this); // first: it may mark the nodes
    return impl(node).bits >>> MEMO_SHIFT === generation;
  }
}
