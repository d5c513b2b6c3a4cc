/**
 * What the monitor found out about one topic of one connection, kept by the caller on an object that lives as long
 * as the topic: its Topics-tree node, which the receive path finds for every message anyway. A message on a known
 * topic then looks nothing up (no walk of the filter trie, no hash of the topic): the alert engine's entry and the
 * watches whose filter matches are read from the memo, each valid while the stamp it was found under is current.
 * The alert engine renews its stamp when its rules change, when a topic first holds state of its own and when a
 * connection is forgotten; the watches when they change. A memo belongs to one connection: never share one.
 */
import type { TopicEntry } from './topicEntries';
import type { WatchDefinition } from './watches';

export class TopicMemo {
  alertsStamp: object | undefined = undefined;
  alerts: TopicEntry | undefined = undefined;
  watchesStamp: object | undefined = undefined;
  watches: readonly WatchDefinition[] | undefined = undefined;
}
