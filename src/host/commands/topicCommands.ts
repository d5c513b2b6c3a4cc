import * as vscode from 'vscode';
import { clearRetained } from '../../core/retainedCleaner';
import { SessionError } from '../../core/session';
import type { TopicNode } from '../../core/topicTree';
import { TopicQuery } from '../../core/topics';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import { TopicsRoot, type TopicsProvider } from '../views/topicsProvider';
import { isClearRetainedArgument, readClearRetainedArgument } from './clearRetainedArgument';
import { resolveConnectionName } from './connectionArgument';
import { reportFailure } from './connectionCommands';
import type { TopicTrees } from '../topicTrees';
import { labelText } from '../views/markdownText';

/** How many empty retained publishes may await their PUBACK at once while clearing a subtree. */
const CLEAR_CONCURRENCY = 32;

/** Registers the Topics view's title actions and its node actions. */
export function registerTopicCommands(
  connections: ConnectionManager,
  trees: TopicTrees,
  provider: TopicsProvider,
  view: vscode.TreeView<unknown>,
  log: Logger,
): vscode.Disposable[] {
  const setContext = (key: string, value: boolean) => vscode.commands.executeCommand('setContext', `mqttWorkbench.${key}`, value);
  const updateMessage = () => {
    const parts = [provider.filterText ? `Filter: ${provider.filterText}` : '', provider.paused ? 'Live updates paused' : ''].filter(Boolean);
    view.message = parts.length > 0 ? parts.join(' · ') : undefined;
  };
  /** The connection and node a node action was invoked on (or, when VS Code passes none, the selected one). */
  const target = (argument: unknown): { connection: string; node: TopicNode } => {
    const node = argument ?? view.selection[0];
    if (node === undefined || node instanceof TopicsRoot || typeof node !== 'object' || node === null || !('topic' in node)) {
      throw new SessionError('Run this on a topic in the Topics view (select it first).');
    }
    const topicNode = node as TopicNode;
    const connection = provider.connectionOf(topicNode);
    if (connection === undefined) throw new SessionError('That topic no longer belongs to a connection.');
    return { connection, node: topicNode };
  };
  const command = (id: string, run: (argument: unknown) => unknown) =>
    vscode.commands.registerCommand(`mqttWorkbench.${id}`, async (argument: unknown) => {
      try {
        return await run(argument);
      } catch (error) {
        reportFailure(log, id, error);
        return undefined;
      }
    });

  return [
    command('topics.filter', async () => {
      const text = await vscode.window.showInputBox({
        title: 'Filter Topics',
        prompt: 'Text to find in topic names, or an MQTT filter with + and # (e.g. sensors/+/temp). Empty shows all.',
        value: provider.filterText,
        validateInput: (value) => new TopicQuery(value).error,
      });
      if (text === undefined) return;
      provider.setFilter(text.trim());
      await setContext('topicsFiltered', provider.filterText !== '');
      updateMessage();
    }),
    command('topics.clearFilter', async () => {
      provider.setFilter('');
      await setContext('topicsFiltered', false);
      updateMessage();
    }),
    command('topics.sort', async () => {
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'Name', sort: 'name' as const },
          { label: 'Most Messages', sort: 'messages' as const },
          { label: 'Most Recent', sort: 'recent' as const },
          { label: 'Busiest (msg/s)', sort: 'rate' as const },
        ].map((o) => ({ ...o, description: o.sort === provider.sort ? 'current' : undefined })),
        { title: 'Sort Topics By' },
      );
      if (!picked) return;
      provider.sort = picked.sort;
      provider.redraw();
    }),
    command('topics.pause', async () => {
      provider.paused = true;
      await setContext('topicsPaused', true);
      updateMessage();
    }),
    command('topics.resume', async () => {
      provider.paused = false;
      await setContext('topicsPaused', false);
      updateMessage();
      provider.redraw();
    }),
    command('topics.showSystem', async () => {
      provider.showSystemTopics = true;
      await setContext('topicsShowSystem', true);
      provider.redraw();
    }),
    command('topics.hideSystem', async () => {
      provider.showSystemTopics = false;
      await setContext('topicsShowSystem', false);
      provider.redraw();
    }),
    command('copyTopic', async (node) => {
      await vscode.env.clipboard.writeText(target(node).node.topic);
    }),
    command('copyPayload', async (node) => {
      const message = target(node).node.lastMessage;
      if (!message) throw new SessionError('This topic has no message yet.');
      await vscode.env.clipboard.writeText(new TextDecoder().decode(message.payload));
    }),
    command('publishToTopic', (node) => {
      const { connection, node: topic } = target(node);
      return vscode.commands.executeCommand('mqttWorkbench.publish', { connection, topic: topic.topic });
    }),
    command('showMessages', (node) => {
      const { connection, node: topic } = target(node);
      const topicFilter = topic.children.size > 0 ? `${topic.topic}/#` : topic.topic;
      return vscode.commands.executeCommand('mqttWorkbench.openMessages', { connection, topicFilter });
    }),
    command('subscribeSubtree', (node) => {
      const { connection, node: topic } = target(node);
      return vscode.commands.executeCommand('mqttWorkbench.subscribe', { connection, filter: `${topic.topic}/#`, qos: 0 });
    }),
    command('clearRetained', async (node) => {
      const { connection, node: topic } = target(node);
      if (!topic.retained) throw new SessionError(`"${topic.topic}" holds no retained message.`);
      await connections.connectedSession(connection).publish(topic.topic, new Uint8Array(0), { qos: 1, retain: true });
      trees.get(connection)?.tree.markRetainCleared(topic);
      void vscode.window.setStatusBarMessage(`$(check) Cleared the retained message of ${labelText(topic.topic)}`, 5000);
    }),
    command('clearRetainedSubtree', async (argument) => {
      if (!isClearRetainedArgument(argument)) return clearSubtree(connections, trees, target(argument), true);
      const { connection, topic, confirm } = readClearRetainedArgument(argument);
      await resolveConnectionName(connections, connection, 'Clear Retained Subtree');
      const node = trees.get(connection)?.tree.find(topic);
      if (!node) throw new SessionError(`No retained messages are known at or below "${topic}".`);
      return clearSubtree(connections, trees, { connection, node }, confirm);
    }),
  ];
}

/** Clears every retained message known at or below `node` (asking first when `confirm`); resolves with the summary sentence, or undefined when the user said no. */
async function clearSubtree(connections: ConnectionManager, trees: TopicTrees, { connection, node }: { connection: string; node: TopicNode }, confirm: boolean): Promise<string | undefined> {
  const tree = trees.get(connection)?.tree;
  const topics = tree?.retainedTopicsUnder(node) ?? [];
  if (topics.length === 0) throw new SessionError(`No retained messages are known at or below "${node.topic}".`);
  const session = connections.connectedSession(connection);
  const answer = !confirm ? 'Clear Retained' : await vscode.window.showWarningMessage(
    `Clear ${topics.length} retained message${topics.length === 1 ? '' : 's'} at or below "${node.topic}" on ${connection}?`,
    { modal: true, detail: 'Each topic gets an empty retained message (QoS 1). Devices that read these values on connect will no longer see them.' },
    'Clear Retained',
  );
  if (answer !== 'Clear Retained') return undefined;
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Clearing retained messages under ${node.topic}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      return clearRetained(
        topics,
        async (topic) => {
          await session.publish(topic, new Uint8Array(0), { qos: 1, retain: true });
          const cleared = tree?.find(topic);
          if (cleared) tree?.markRetainCleared(cleared);
        },
        {
          concurrency: CLEAR_CONCURRENCY,
          isCancelled: () => token.isCancellationRequested,
          onProgress: (done, total) => {
            const increment = ((done - reported) / total) * 100;
            reported = done;
            progress.report({ increment, message: `${done} of ${total}` });
          },
        },
      );
    },
  );
  const parts = [`Cleared ${summary.cleared} retained message${summary.cleared === 1 ? '' : 's'}`];
  if (summary.skipped > 0) parts.push(`${summary.skipped} skipped (cancelled)`);
  if (summary.failed.length > 0) parts.push(`${summary.failed.length} failed (first: ${summary.failed[0].topic}: ${summary.failed[0].error})`);
  const text = `${parts.join(', ')} under "${node.topic}".`;
  if (summary.failed.length > 0) void vscode.window.showWarningMessage(text);
  else void vscode.window.showInformationMessage(text);
  return text;
}
