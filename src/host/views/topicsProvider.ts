import * as vscode from 'vscode';
import { counted } from '../../core/counted';
import { TopicRefreshScheduler, type VisibleTree } from '../../core/refreshScheduler';
import { isSystemTopic, type TopicMatcher, type TopicNode, type TopicSort } from '../../core/topicTree';
import type { ConnectionManager } from '../connections';
import type { TopicTrees } from '../topicTrees';
import { describeState } from './connectionNode';
import { BUSY_RATE } from '../../core/monitor/topicRates';
import { formatRate } from '../../core/monitor/rateWindow';
import { RECENT_CHANGE_MS, isRecentlyChanged, topicTooltip, topicTreeItem } from './topicItem';
import type { SchemaContext } from '../../core/payload/decodedPreview';

/** A connection at the top of the Topics view. */
export class TopicsRoot {
  readonly kind = 'topicsRoot';
  constructor(readonly connection: string) {}
}

/** An element of the Topics view: a connection, or a topic node of its tree. */
export type TopicsElement = TopicsRoot | TopicNode;

/** A node showing msgs/s is redrawn at least this often, so its rate falls when it goes quiet. */
const RATE_REDRAW_MS = 1000;

/** Refresh period: at most 4 refreshes a second, whatever the message rate (what each refresh holds: TopicRefreshScheduler). */
export const TOPICS_REFRESH_MS = 250;

/**
 * The Topics view: connected connections at the top, their topic trees below. Messages only mark tree
 * nodes dirty; a timer refreshes just the dirty nodes at most 4 times a second.
 */
export class TopicsProvider implements vscode.TreeDataProvider<TopicsElement>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<TopicsElement | TopicsElement[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly roots = new Map<string, TopicsRoot>();
  private readonly rootNodes = new Map<TopicNode, string>();
  private readonly timer: NodeJS.Timeout;
  private readonly subscription: vscode.Disposable;
  private matcherByConnection = new Map<string, TopicMatcher>();
  private lastVisible = '';
  /** Expanded branches (kept from the view's expand/collapse events). */
  readonly expanded = new Set<TopicsElement>();
  private readonly scheduler = new TopicRefreshScheduler<TopicsRoot>({
    isExpanded: (node) => this.expanded.has(node),
    rateOf: (connection) => this.trees.get(connection)?.messagesPerSecond ?? 0,
  });
  /** Refreshes fired so far (for the benchmark and diagnostics). */
  refreshCount = 0;

  sort: TopicSort = 'name';
  filterText = '';
  paused = false;
  showSystemTopics = false;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly trees: TopicTrees,
    /** The protobuf schemas and C headers previews decode with (read at each redraw: they reload on change). */
    private readonly previewContext: () => SchemaContext = () => ({}),
  ) {
    this.subscription = connections.onDidChange((name) => this.connectionChanged(name));
    this.timer = setInterval(() => this.flush(), TOPICS_REFRESH_MS);
  }

  /** Redraws everything (after a sort, filter or visibility change). A matcher lives until the filter text changes. */
  redraw(): void {
    this.matcherByConnection.clear();
    this.scheduler.clearDeferred();
    this.fire(undefined);
  }

  /** A new or removed root redraws the view; anything else about a connection waits for its root's slow turn. */
  private connectionChanged(name: string | undefined): void {
    const visible = this.visibleConnections().join('\u0000');
    if (name === undefined || visible !== this.lastVisible) {
      this.lastVisible = visible;
      this.redraw();
    } else if (this.roots.has(name)) {
      this.scheduler.deferRoot(this.rootFor(name), name);
    }
  }

  setFilter(text: string): void {
    this.filterText = text;
    this.redraw();
  }

  getTreeItem(element: TopicsElement): vscode.TreeItem {
    const now = Date.now();
    if (element instanceof TopicsRoot) return this.rootItem(element.connection);
    const connection = this.connectionOf(element) ?? '';
    const item = topicTreeItem(connection, element, now, this.previewContext());
    const rate = this.trees.get(connection)?.rates.perSecond(element, now) ?? 0;
    if (rate >= BUSY_RATE) {
      item.description = `${typeof item.description === 'string' ? `${item.description} · ` : ''}${formatRate(rate)}`;
      // A topic that goes quiet gets no new message to redraw it: redraw it anyway until its rate is gone.
      this.scheduler.fadeAt(element, now + RATE_REDRAW_MS);
    }
    if (isRecentlyChanged(element, now)) this.scheduler.fadeAt(element, (element.lastMessage?.receivedAt ?? now) + RECENT_CHANGE_MS);
    if (this.filterText !== '') {
      // Ids scoped to the filter: a filter opens every branch that leads to a match, and clearing it brings
      // back the expansion the user had (VS Code remembers collapse state by id).
      item.id = `${item.id ?? ''}\u0000filter:${this.filterText}`;
      if (element.children.size > 0) item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    }
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, element: TopicsElement): vscode.TreeItem {
    if (!(element instanceof TopicsRoot)) item.tooltip = topicTooltip(element, this.previewContext());
    return item;
  }

  getChildren(element?: TopicsElement): TopicsElement[] {
    if (!element) return this.visibleConnections().map((name) => this.rootFor(name));
    const connection = element instanceof TopicsRoot ? element.connection : this.connectionOf(element);
    const topics = connection === undefined ? undefined : this.trees.get(connection);
    if (!topics) return [];
    const parent = element instanceof TopicsRoot ? topics.tree.root : element;
    if (element instanceof TopicsRoot) this.rootNodes.set(topics.tree.root, element.connection);
    const matcher = this.matcherFor(element instanceof TopicsRoot ? element.connection : (connection as string));
    const now = Date.now();
    return topics.tree.children(parent, this.sort, (node) => topics.rates.perSecond(node, now)).filter((node) => (this.showSystemTopics || !isSystemTopic(node)) && (!matcher || matcher.matches(node)));
  }

  getParent(element: TopicsElement): TopicsElement | undefined {
    if (element instanceof TopicsRoot) return undefined;
    const parent = element.parent;
    if (!parent) return undefined;
    if (parent.parent === undefined) {
      const connection = this.rootNodes.get(parent);
      return connection === undefined ? undefined : this.rootFor(connection);
    }
    return parent;
  }

  /** The connection whose tree holds `node`. */
  connectionOf(node: TopicNode): string | undefined {
    let top = node;
    while (top.parent) top = top.parent;
    return this.rootNodes.get(top) ?? this.findTreeOwner(top);
  }

  /** The filter text is invalid as an MQTT filter: the reason, for the view message. */
  filterProblem(): string | undefined {
    for (const name of this.visibleConnections()) return this.matcherFor(name)?.error;
    return undefined;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  private visibleConnections(): string[] {
    return this.connections
      .list()
      .filter((c) => c.state.kind === 'connected' || c.state.kind === 'reconnecting' || (c.state.kind === 'connecting' && this.trees.get(c.entry.name)))
      .map((c) => c.entry.name);
  }

  private rootItem(connection: string): vscode.TreeItem {
    const topics = this.trees.ensure(connection);
    this.rootNodes.set(topics.tree.root, connection);
    const state = this.connections.get(connection)?.state ?? { kind: 'disconnected' as const };
    const item = new vscode.TreeItem(connection, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `topicsRoot:${connection}`;
    const rate = `${topics.messagesPerSecond} msg/s`;
    item.description = `${counted(topics.tree.size, 'topic')} · ${rate}${state.kind === 'connected' ? '' : ` · ${describeState(state)}`}${this.paused ? ' · paused' : ''}`;
    item.iconPath = new vscode.ThemeIcon(state.kind === 'connected' ? 'radio-tower' : 'sync~spin');
    item.contextValue = 'topicsRoot';
    item.tooltip = `${connection}: ${counted(topics.tree.size, 'topic')}, ${counted(topics.tree.root.totalMessages, 'message')}, ${rate}`;
    return item;
  }

  private rootFor(connection: string): TopicsRoot {
    let root = this.roots.get(connection);
    if (!root) {
      root = new TopicsRoot(connection);
      this.roots.set(connection, root);
    }
    return root;
  }

  private matcherFor(connection: string): TopicMatcher | undefined {
    if (this.filterText === '') return undefined;
    let matcher = this.matcherByConnection.get(connection);
    const tree = this.trees.get(connection)?.tree;
    if (!matcher && tree) {
      matcher = tree.matching(this.filterText);
      this.matcherByConnection.set(connection, matcher);
    }
    return matcher?.error ? undefined : matcher;
  }

  private findTreeOwner(root: TopicNode): string | undefined {
    for (const name of this.connections.names()) {
      if (this.trees.get(name)?.tree.root === root) {
        this.rootNodes.set(root, name);
        return name;
      }
    }
    return undefined;
  }

  /** One tick of the refresh timer: what to refresh is the scheduler's decision (see TopicRefreshScheduler). */
  private flush(): void {
    if (this.paused) return;
    const visible = this.visibleConnections().flatMap((name): Array<VisibleTree<TopicsRoot>> => {
      const tree = this.trees.get(name)?.tree;
      return tree ? [{ connection: name, root: this.rootFor(name), tree }] : [];
    });
    const refresh = this.scheduler.next(visible, Date.now());
    if (refresh === 'all') this.fire(undefined);
    else if (refresh.length > 0) this.fire(refresh);
  }

  private fire(elements: TopicsElement[] | undefined): void {
    this.refreshCount++;
    this.changeEmitter.fire(elements);
  }
}
