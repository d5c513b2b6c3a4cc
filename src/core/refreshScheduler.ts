/**
 * What the Topics view refreshes on each tick of its timer (the host ticks every 250 ms, so at most 4
 * refreshes a second whatever the message rate). Pure: the host maps the decision to `onDidChangeTreeData`.
 *
 * Each tick takes every visible tree's dirty set and refreshes just those nodes, plus nodes whose "changed"
 * marker faded. Roots and expanded branches, whose refresh makes VS Code forget the handles of everything
 * below them (a context-menu action on a row in that window arrives without its element), wait for the slow
 * turn: once every {@link SLOW_REFRESH_PERIODS} ticks, which is also when the messages-per-second figures change.
 */
import type { TopicNode, TopicTree } from './topicTree';

/** A refresh with more elements than this redraws the whole view instead (it is cheaper). */
export const MAX_ELEMENTS_PER_REFRESH = 1000;
/** Roots and expanded branches refresh once every this many ticks (once a second at 250 ms). */
export const SLOW_REFRESH_PERIODS = 4;

/** A connection shown at the top of the view: the host's element for it and its tree. */
export interface VisibleTree<R> {
  connection: string;
  root: R;
  tree: TopicTree;
}

/** What the view needs to tell the scheduler. */
export interface RefreshHost {
  /** Whether a branch is expanded in the view now. */
  isExpanded(node: TopicNode): boolean;
  /** The messages per second of a connection now (a change refreshes its root on the slow turn). */
  rateOf(connection: string): number;
}

/** One tick's decision: refresh everything, or these elements (none when empty). */
export type Refresh<R> = 'all' | Array<R | TopicNode>;

/** The refresh decisions of one Topics view; `R` is the host's element for a connection's root. */
export class TopicRefreshScheduler<R> {
  private tick = 0;
  private readonly lastRates = new Map<string, number>();
  /** Dirty roots (with their connection) and expanded branches (without) waiting for the slow turn. */
  private readonly deferred = new Map<R | TopicNode, string | undefined>();
  /** Nodes to refresh at the given time (epoch ms): a fading "changed" marker, a rate to redraw. */
  private readonly fading = new Map<TopicNode, number>();

  constructor(private readonly host: RefreshHost) {}

  /** Refreshes a connection's root on the next slow turn (its state or figures changed). */
  deferRoot(root: R, connection: string): void {
    this.deferred.set(root, connection);
  }

  /** Forgets what waits for the slow turn (the whole view is being redrawn). */
  clearDeferred(): void {
    this.deferred.clear();
  }

  /**
   * Refreshes `node` on the first tick at or after `until` (its "changed" marker fades, its rate is due again);
   * asked twice, the earlier time wins.
   */
  fadeAt(node: TopicNode, until: number): void {
    const earlier = this.fading.get(node);
    if (earlier === undefined || until < earlier) this.fading.set(node, until);
  }

  /** The decision of one tick at time `now` over the trees the view shows. */
  next(visible: Iterable<VisibleTree<R>>, now: number): Refresh<R> {
    const slowTurn = ++this.tick % SLOW_REFRESH_PERIODS === 0;
    const elements = new Set<R | TopicNode>();
    let tooMany = false;
    for (const { connection, root, tree } of visible) {
      if (this.lastRates.get(connection) !== this.host.rateOf(connection)) this.deferred.set(root, connection);
      if (!tree.hasDirty) continue;
      for (const node of tree.takeDirty()) {
        if (node.parent === undefined) this.deferred.set(root, connection);
        else if (node.children.size > 0 && this.host.isExpanded(node)) this.deferred.set(node, undefined);
        else if (elements.size >= MAX_ELEMENTS_PER_REFRESH) tooMany = true;
        else elements.add(node);
      }
    }
    if (slowTurn) {
      for (const [element, connection] of this.deferred) {
        if (connection !== undefined) this.lastRates.set(connection, this.host.rateOf(connection));
        elements.add(element);
      }
      this.deferred.clear();
    }
    for (const [node, until] of this.fading) {
      if (until > now) continue;
      this.fading.delete(node);
      elements.add(node);
    }
    return tooMany ? 'all' : [...elements];
  }
}
