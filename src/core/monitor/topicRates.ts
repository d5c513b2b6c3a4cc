/**
 * Messages per second per topic-tree node (a topic and every branch above it), for "msgs/s" in the Topics view
 * and its sort by rate. O(levels) per message; each node's rate is the count of its last full window (5 s),
 * decaying when the node goes quiet. Kept beside the tree and dropped with it (TopicTrees makes both per session):
 * a Map, not a WeakMap, whose ephemeron entries would make every garbage collection walk them.
 */
import type { TopicNode } from '../topicTree';

/** Length of one counting window. */
export const RATE_WINDOW_MS = 5000;
/** Nodes at or above this rate show it in the Topics view. */
export const BUSY_RATE = 1;

interface RateCell {
  windowStart: number;
  count: number;
  /** Messages per second of the last full window. */
  rate: number;
}

/** The message rates of one topic tree. */
export class TopicRates {
  private readonly cells = new Map<TopicNode, RateCell>();

  /** Counts a message on `node` (the leaf `TopicTree.add` returned) and on every branch above it. */
  add(node: TopicNode, now: number): void {
    for (let n: TopicNode | undefined = node; n !== undefined && n.parent !== undefined; n = n.parent) {
      let cell = this.cells.get(n);
      if (cell === undefined) {
        cell = { windowStart: now, count: 0, rate: 0 };
        this.cells.set(n, cell);
      }
      const elapsed = now - cell.windowStart;
      if (elapsed >= RATE_WINDOW_MS) {
        // A window that ran long (quiet time) spreads its count over its real length.
        cell.rate = (cell.count * 1000) / elapsed;
        cell.windowStart = now;
        cell.count = 0;
      }
      cell.count++;
    }
  }

  /** Messages per second at and below `node` (0 for a node never counted). */
  perSecond(node: TopicNode, now: number): number {
    const cell = this.cells.get(node);
    if (cell === undefined) return 0;
    const elapsed = now - cell.windowStart;
    if (elapsed < RATE_WINDOW_MS) return cell.rate;
    return (cell.count * 1000) / elapsed;
  }
}
