// The extension host's message path, without VS Code: Session -> TopicTree.add and MessageHistory.append (two
// listeners, as TopicTrees and HistoryStore subscribe), a PanelFeed ticking every 100 ms with a webview that
// follows the newest rows, and the Topics view's refresh decision every 250 ms. Counts what would cross to the UI.
import { performance } from 'node:perf_hooks';
import { MessageHistory } from '../../src/core/history';
import { PanelFeed } from '../../src/core/history/panelFeed';
import { TopicRefreshScheduler } from '../../src/core/refreshScheduler';
import { TopicTree, type TopicNode } from '../../src/core/topicTree';
import { closeSessions, makeSession } from '../helpers/sessions';
import { FILTER } from './backlog';
import type { MqttMessage } from '../../src/shared/mqttMessage';

/** Rows the stand-in webview shows (the virtual list keeps about 35 rows in the page). */
const VISIBLE_ROWS = 35;
const FEED_TICK_MS = 100;
const TREE_TICK_MS = 250;

/** What one drain through the host pipeline did. */
export interface PipelineCounts {
  ms: number;
  /** Tree refreshes fired (onDidChangeTreeData). */
  refreshes: number;
  /** Status posts to the webview. */
  statusPosts: number;
  /** Row replies the webview had to ask for (none when the status carries the rows of a following list). */
  rowReplies: number;
  /** Row replies the same ticks would need without the rows in the status (today's webview). */
  rowRepliesWithoutTail: number;
}

/** A drain's counts, and the tree and history it filled (for heap figures). */
export interface PipelineRun {
  counts: PipelineCounts;
  tree: TopicTree;
  history: MessageHistory;
}

/**
 * Drains the backlog of `clientId` (a persistent session on 127.0.0.1:`port`) through the host pipeline;
 * `alsoOnMessage` also gets every message and its tree node, as the monitor does (TopicTrees counts rates on the node).
 */
export async function drainPipeline(port: number, clientId: string, messages: number, alsoOnMessage?: (message: MqttMessage, node: TopicNode) => void): Promise<PipelineRun> {
  const tree = new TopicTree();
  const history = new MessageHistory();
  let perSecond = 0; // as TopicTrees: the messages of the last full second
  let thisSecond = 0;
  const run: PipelineCounts = { ms: 0, refreshes: 0, statusPosts: 0, rowReplies: 0, rowRepliesWithoutTail: 0 };
  const feed: PanelFeed = new PanelFeed(
    () => history,
    () => 'connected',
    (status) => {
      run.statusPosts++;
      run.rowRepliesWithoutTail++;
      if (status.tail !== undefined) return;
      run.rowReplies++;
      feed.rows(status.offset + Math.max(0, status.count - VISIBLE_ROWS), VISIBLE_ROWS);
    },
  );
  feed.follow(VISIBLE_ROWS);
  const scheduler = new TopicRefreshScheduler<string>({ isExpanded: () => false, rateOf: () => perSecond });
  const session = makeSession({ port, clientId, cleanStart: false, sessionExpiryInterval: 3600, subscriptions: [{ filter: FILTER, qos: 1 }] }, { clientId });
  let received = 0;
  const done = new Promise<void>((resolve) => {
    session.onMessage((message) => {
      const node = tree.add(message);
      alsoOnMessage?.(message, node);
    });
    session.onMessage((message) => {
      history.append(message);
      thisSecond++;
      if (++received === messages) resolve();
    });
  });
  const started = performance.now();
  const feedTimer = setInterval(() => feed.tick(), FEED_TICK_MS);
  const rateTimer = setInterval(() => {
    perSecond = thisSecond;
    thisSecond = 0;
  }, 1000);
  const treeTimer = setInterval(() => {
    const refresh = scheduler.next([{ connection: 'bench', root: 'root', tree }], Date.now());
    if (refresh === 'all' || refresh.length > 0) run.refreshes++;
  }, TREE_TICK_MS);
  try {
    await session.connect();
    await done;
    run.ms = performance.now() - started;
  } finally {
    clearInterval(feedTimer);
    clearInterval(rateTimer);
    clearInterval(treeTimer);
    await session.disconnect();
    closeSessions();
  }
  return { counts: run, tree, history };
}
