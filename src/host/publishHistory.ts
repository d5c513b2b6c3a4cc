import * as vscode from 'vscode';
import { fieldsFromDraft, type PublishFields } from '../core/publish/publishArgument';
import type { PublishDraft } from '../core/publish/publishRequest';
import type { TopicTrees } from './topicTrees';

const RECENTS_KEY = 'mqttWorkbench.recentPublishTopics';
const LAST_KEY = 'mqttWorkbench.lastPublish';
/** Topics remembered per connection. */
const MAX_RECENTS = 20;
/** Topics from the topic tree offered after the recents. */
const MAX_TREE_TOPICS = 500;
/** A last publish with a larger payload is kept for this window only (workspace state is not for big blobs). */
const MAX_SAVED_PAYLOAD = 64 * 1024;

/**
 * What was published in this workspace: recent topics per connection (the topic step of the palette, the panel
 * form's completions) and the last publish ("Publish Again"), kept in the workspace state.
 */
export class PublishHistory {
  private last: PublishFields | undefined;
  private readonly contextKey = 'mqttWorkbench.canPublishAgain';

  constructor(
    private readonly state: vscode.Memento,
    private readonly trees: TopicTrees,
  ) {
    this.last = state.get<PublishFields>(LAST_KEY);
    void vscode.commands.executeCommand('setContext', this.contextKey, this.last !== undefined);
  }

  /** Remembers a publish given as argument fields (its connection must be set). */
  remember(fields: PublishFields): void {
    const connection = fields.connection;
    if (connection === undefined || fields.topic === undefined) return;
    const recents = this.state.get<Record<string, string[]>>(RECENTS_KEY, {});
    const list = [fields.topic, ...(recents[connection] ?? []).filter((t) => t !== fields.topic)].slice(0, MAX_RECENTS);
    void this.state.update(RECENTS_KEY, { ...recents, [connection]: list });
    this.last = fields;
    const small = (fields.payload?.length ?? 0) <= MAX_SAVED_PAYLOAD;
    void this.state.update(LAST_KEY, small ? fields : undefined);
    void vscode.commands.executeCommand('setContext', this.contextKey, true);
  }

  /** Remembers a publish made in the panel's form. */
  rememberDraft(connection: string, draft: PublishDraft): void {
    if (draft.bytes === undefined) this.remember(fieldsFromDraft(connection, draft));
  }

  /** The last publish in this workspace, as argument fields. */
  lastPublish(): PublishFields | undefined {
    return this.last;
  }

  /** Recently published topics of a connection, newest first. */
  recentTopics(connection: string): string[] {
    return this.state.get<Record<string, string[]>>(RECENTS_KEY, {})[connection] ?? [];
  }

  /** Recents first, then the topics the connection's topic tree holds (name order), without repeats. */
  topicsFor(connection: string): { recent: string[]; seen: string[] } {
    const recent = this.recentTopics(connection);
    const seen: string[] = [];
    const tree = this.trees.get(connection)?.tree;
    if (tree) {
      const pending = [...tree.roots('name')].reverse();
      for (let node = pending.pop(); node && seen.length < MAX_TREE_TOPICS; node = pending.pop()) {
        if (node.lastMessage && !recent.includes(node.topic)) seen.push(node.topic);
        pending.push(...tree.children(node, 'name').reverse());
      }
    }
    return { recent, seen };
  }
}
