import * as vscode from 'vscode';
import { defaultCapturePath, readRecordRequest, type RecordRequest } from '../../core/capture/recordPlan';
import { SessionError } from '../../core/session';
import type { TopicNode } from '../../core/topicTree';
import { registerReportingCommand } from '../commands/connectionCommands';
import { resolveConnectionName } from '../commands/connectionArgument';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import type { TopicsProvider } from '../views/topicsProvider';
import type { RecordingResult, RecordingService } from './recordings';
import { captureFilePath } from './workspacePaths';

/** Setting: recordings also keep what this window publishes, unless the command argument says otherwise. */
export const INCLUDE_PUBLISHED_SETTING = 'capture.includePublished';

/** The filter that records a topic and everything below it. */
export function subtreeFilter(topic: string): string {
  return topic === '' ? '#' : `${topic}/#`;
}

/** A request from a command argument: an object for tasks, a connection node or name from menus, or nothing. */
function requestFrom(argument: unknown): RecordRequest {
  const isArgumentObject = typeof argument === 'object' && argument !== null && !('kind' in argument) && !(argument instanceof vscode.TreeItem);
  if (!isArgumentObject) return { filters: ['#'], connection: typeof argument === 'string' ? argument : undefined };
  const problems: string[] = [];
  const request = readRecordRequest(argument, problems);
  if (!request || problems.length > 0) throw new SessionError(`Nothing was recorded: ${problems.join('; ')}`);
  return request;
}

/** Starts recording as asked: connects first when needed; returns the capture's absolute path. */
async function startRecording(connections: ConnectionManager, recordings: RecordingService, argument: unknown, request: RecordRequest): Promise<string | undefined> {
  const name = request.connection ?? (await resolveConnectionName(connections, argument && typeof argument === 'object' && 'kind' in argument ? argument : undefined, 'Record Messages'));
  if (name === undefined) return undefined;
  if (!connections.get(name)) throw new SessionError(`There is no connection named "${name}". Known: ${connections.names().join(', ') || 'none'}.`);
  const file = captureFilePath(request.file ?? defaultCapturePath(name, new Date()));
  request.includePublished ??= vscode.workspace.getConfiguration('mqttWorkbench').get<boolean>(INCLUDE_PUBLISHED_SETTING, false);
  const session = connections.get(name)?.state.kind === 'connected' ? connections.connectedSession(name) : await connections.connect(name);
  await recordings.start(name, file, request);
  // A filter no subscription covers would record nothing: subscribe to it (the broker's answer is awaited).
  for (const filter of request.filters) {
    if (session.subscriptions.list().some((s) => s.filter === filter || s.filter === '#')) continue;
    const status = await session.subscribe({ filter, qos: 1 });
    if (status.state === 'refused') throw new SessionError(`Recording, but the broker refused the subscription to ${filter}: ${status.error ?? 'no reason given'}.`);
  }
  return file;
}

function announce(result: RecordingResult): void {
  const path = vscode.workspace.asRelativePath(result.file);
  void vscode.window.showInformationMessage(`${result.summary} ${result.messages.toLocaleString('en-US')} messages in ${path}.`, 'Open Capture').then((choice) => {
    if (choice) void vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(result.file), 'mqttWorkbench.capture');
  });
}

/** Registers Start Recording, Record This Subtree and Stop Recording. */
export function registerRecordCommands(connections: ConnectionManager, recordings: RecordingService, topics: TopicsProvider, log: Logger): vscode.Disposable[] {
  const command = (id: string, run: (argument: unknown) => unknown) => registerReportingCommand(log, id, run);
  return [
    recordings.onDidStop((result) => (result.reason === 'stopped' ? announce(result) : void vscode.window.showWarningMessage(`${result.summary} ${result.messages.toLocaleString('en-US')} messages in ${vscode.workspace.asRelativePath(result.file)}.`))),
    command('startRecording', (argument) => startRecording(connections, recordings, argument, requestFrom(argument))),
    command('recordSubtree', (argument) => {
      const node = argument as TopicNode | undefined;
      const connection = node && typeof node === 'object' && 'topic' in node ? topics.connectionOf(node) : undefined;
      if (!node || connection === undefined) throw new SessionError('Run this on a topic in the Topics view (select it first).');
      return startRecording(connections, recordings, undefined, { connection, filters: [subtreeFilter(node.topic)] });
    }),
    command('stopRecording', async (argument) => {
      const running = recordings.list();
      if (running.length === 0) throw new SessionError('Nothing is being recorded.');
      let name = typeof argument === 'string' ? argument : argument && typeof argument === 'object' && 'connection' in argument && typeof argument.connection === 'string' ? argument.connection : undefined;
      if (name === undefined && argument instanceof vscode.TreeItem && 'name' in argument && typeof argument.name === 'string') name = argument.name;
      if (name === undefined) {
        name = running.length === 1 ? running[0].connection : (await vscode.window.showQuickPick(running.map((r) => ({ label: r.connection, description: vscode.workspace.asRelativePath(r.file) })), { title: 'Stop Recording' }))?.label;
      }
      if (name === undefined) return undefined;
      return recordings.stop(name);
    }),
  ];
}
