/**
 * What the monitor found out about one topic of one connection, kept where the receive path looks for every message
 * anyway: the topic's Topics-tree node holds these fields itself (memoOf in core/topicTree.ts, no object of its own
 * to fetch); this class is the memo for a caller without a tree. A message on a known topic then looks nothing up
 * (no walk of the filter trie, no hash of the topic): the alert engine's entry and the watches whose filter matches
 * are read from the memo, each valid while the stamp it was found under is current. The alert engine renews its
 * stamp when its rules change, when a topic first holds state of its own and when a connection is forgotten; the
 * watches when they change. A memo belongs to one connection: never share one.
 */
import type { TopicEntry } from './topicEntries';
import type { WatchDefinition } from './watches';

export class TopicMemo {
  alertsStamp: object | undefined = undefined;
  alerts: TopicEntry | undefined = undefined;
  watchesStamp: object | undefined = undefined;
  watches: readonly WatchDefinition[] | undefined = undefined;
}
