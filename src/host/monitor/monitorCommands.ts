import * as vscode from 'vscode';
import { FieldReader } from '../../core/fieldReader';
import { suggestValuePath } from '../../core/history/series';
import { FIELD_FORMATS } from '../../core/monitor/ruleParse';
import type { WatchState } from '../../core/monitor/watches';
import { SessionError } from '../../core/session';
import { validateTopicFilter } from '../../core/topics';
import type { TopicNode } from '../../core/topicTree';
import { guarded } from '../commands/publishCommand';
import type { Logger } from '../log';
import type { TopicsProvider } from '../views/topicsProvider';
import { addWatch, removeWatch } from './monitorSettings';
import type { MonitorService } from './monitorService';
import { labelText } from '../views/markdownText';

const HOUR_MS = 3_600_000;

/** What "Watch This Value" adds: from a Topics node (asks for the path) or an argument object. */
interface WatchRequest {
  connection?: string;
  topic: string;
  path?: string;
  format?: string;
  unit?: string;
}

function isTopicNode(value: unknown): value is TopicNode {
  return typeof value === 'object' && value !== null && 'topic' in value && 'children' in value && 'messageCount' in value;
}

/** `{ connection?, topic, path?, format?, unit? }` checked field by field (`watchValue.topic: is required`). */
export function readWatchArgument(argument: unknown): WatchRequest {
  const problems: string[] = [];
  const reader = FieldReader.object(argument, 'watchValue', problems);
  const topic = reader?.string('topic', { required: true, nonEmpty: true });
  const topicProblem = topic === undefined ? undefined : validateTopicFilter(topic);
  if (topicProblem !== undefined) reader?.problem('topic', topicProblem);
  const request = { connection: reader?.string('connection', { nonEmpty: true }), topic: topic ?? '', path: reader?.string('path'), format: reader?.oneOf('format', FIELD_FORMATS), unit: reader?.string('unit') };
  reader?.rejectUnknownFields();
  if (problems.length > 0) throw new SessionError(problems.join('; '));
  return request;
}

async function requestFromNode(node: TopicNode, topics: TopicsProvider): Promise<WatchRequest | undefined> {
  const payload = node.lastMessage?.payload;
  const suggested = payload !== undefined ? suggestValuePath(payload) : undefined;
  const path = await vscode.window.showInputBox({
    title: `Watch ${node.topic}`,
    prompt: 'A path into the payload (JSON, CBOR, MessagePack, Protobuf, Sparkplug: data.values[0].temp, metrics.Temperature.value), or empty for the whole payload',
    value: suggested ?? '',
  });
  if (path === undefined) return undefined;
  return { connection: topics.connectionOf(node), topic: node.topic, path: path.trim() };
}

/** Commands of the Watches and Alerts views. */
export function registerMonitorCommands(monitor: MonitorService, topics: TopicsProvider, log: Logger): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'mqttWorkbench.watchValue',
      guarded(log, 'Watch This Value', async (argument) => {
        const request = isTopicNode(argument) ? await requestFromNode(argument, topics) : readWatchArgument(argument);
        if (!request) return undefined;
        const added = await addWatch(request);
        if (!added) vscode.window.setStatusBarMessage(`$(eye) ${labelText(request.topic)} is already watched`, 4000);
        await vscode.commands.executeCommand('mqttWorkbench.watches.focus');
        return request.topic;
      }),
    ),
    vscode.commands.registerCommand(
      'mqttWorkbench.removeWatch',
      guarded(log, 'Remove Watch', async (argument) => {
        const state = argument as WatchState | undefined;
        const key = state?.definition?.key;
        if (typeof key !== 'string') throw new SessionError('Run "Remove Watch" on a row of the Watches view.');
        await removeWatch(key);
        return key;
      }),
    ),
    vscode.commands.registerCommand(
      'mqttWorkbench.showAlertMessage',
      guarded(log, 'Show Message', async (argument) => {
        const id = typeof argument === 'number' ? argument : (argument as { id?: unknown } | undefined)?.id;
        const alert = monitor.engine.recent().find((a) => a.id === id);
        if (!alert) throw new SessionError('That alert is no longer in the list of recent alerts.');
        if (alert.topic === undefined) return alert.connection;
        return vscode.commands.executeCommand('mqttWorkbench.openMessages', { connection: alert.connection, topicFilter: alert.topic });
      }),
    ),
    vscode.commands.registerCommand(
      'mqttWorkbench.muteAlert',
      guarded(log, 'Mute for 1 Hour', async (argument) => {
        const name = typeof argument === 'string' ? argument : (argument as { rule?: { name?: unknown } } | undefined)?.rule?.name;
        if (typeof name !== 'string') throw new SessionError('Run "Mute for 1 Hour" on an alert, or pass the name of a rule.');
        monitor.engine.mute(name, HOUR_MS);
        log.info(`notifications of "${name}" muted for 1 hour`);
        return name;
      }),
    ),
    vscode.commands.registerCommand('mqttWorkbench.editAlerts', () => vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'mqttWorkbench.alerts' } })),
  ];
}
