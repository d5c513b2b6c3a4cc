/**
 * Messages per second per topic-tree node (a topic and every branch above it), for "msgs/s" in the Topics view
 * and its sort by rate. Nothing per message: the tree already counts every node's messages (`totalMessages`), so
 * a rate is the growth of that count over a window (5 s), read when a row is drawn or sorted. Each node asked
 * about gets a window when it is first asked; its rate is the count of its last full window, and a window that
 * ran long (a row not drawn for a while, a quiet topic) spreads its count over its real length. Kept beside the
 * tree and dropped with it (TopicTrees makes both per session): a Map, not a WeakMap, whose ephemeron entries
 * would make every garbage collection walk them.
 */
import type { TopicNode } from '../topicTree';

/** Length of one counting window. */
export const RATE_WINDOW_MS = 5000;
/** Nodes at or above this rate show it in the Topics view. */
export const BUSY_RATE = 1;

interface RateCell {
  windowStart: number;
  /** The node's totalMessages when the window started. */
  startCount: number;
  /** Messages per second of the last full window; 0 until one has passed. */
  rate: number;
}

/** The message rates of one topic tree. */
export class TopicRates {
  private readonly cells = new Map<TopicNode, RateCell>();

  /** Messages per second at and below `node`: 0 until a window has passed since it was first asked about. */
  perSecond(node: TopicNode, now: number): number {
    const cell = this.cells.get(node);
    if (cell === undefined) {
      this.cells.set(node, { windowStart: now, startCount: node.totalMessages, rate: 0 });
      return 0;
    }
    const elapsed = now - cell.windowStart;
    if (elapsed < RATE_WINDOW_MS) return cell.rate;
    cell.rate = ((node.totalMessages - cell.startCount) * 1000) / elapsed;
    cell.windowStart = now;
    cell.startCount = node.totalMessages;
    return cell.rate;
  }
}
