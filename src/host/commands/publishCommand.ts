import * as vscode from 'vscode';
import { FieldReader } from '../../core/fieldReader';
import { SessionError } from '../../core/session';
import { validateTopicName } from '../../core/topics';
import type { QoS } from '../../shared/mqttMessage';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import { resolveConnectionName } from './connectionArgument';
import { reportFailure } from './connectionCommands';

/** A publish as the command takes it. */
export interface PublishRequest {
  connection: string;
  topic: string;
  payload: string;
  qos: QoS;
  retain: boolean;
}

/**
 * Reads `{ connection, topic, payload?, qos?, retain? }`; with `connection` and `topic` present the command
 * publishes without asking (keybindings, tasks). Throws a SessionError listing every problem.
 */
export function readPublishArgument(argument: Record<string, unknown>): Partial<PublishRequest> & { complete: boolean } {
  const problems: string[] = [];
  const reader = new FieldReader(argument, 'publish', problems);
  const connection = reader.string('connection', { nonEmpty: true });
  const topic = reader.string('topic');
  if (topic !== undefined) {
    const problem = validateTopicName(topic);
    if (problem) reader.problem('topic', problem);
  }
  const payload = reader.string('payload');
  const qos = reader.oneOf('qos', [0, 1, 2] as const);
  const retain = reader.boolean('retain');
  reader.rejectUnknownFields();
  if (problems.length > 0) throw new SessionError(`Nothing was published: ${problems.join('; ')}`);
  return { connection, topic, payload, qos, retain, complete: connection !== undefined && topic !== undefined };
}

/**
 * `mqttWorkbench.publish`: publishes from arguments, or asks for what is missing (topic, payload, QoS, retain).
 * Resolves with the broker's answer as text ("Acknowledged in 3 ms"), so a task's `${input:...}` can use it.
 */
export function registerPublishCommand(connections: ConnectionManager, log: Logger): vscode.Disposable {
  return vscode.commands.registerCommand('mqttWorkbench.publish', async (argument: unknown): Promise<string | undefined> => {
    try {
      const given = typeof argument === 'object' && argument !== null && !Array.isArray(argument) ? readPublishArgument(argument as Record<string, unknown>) : { complete: false };
      const request = given.complete ? (given as PublishRequest) : await askForPublish(connections, given);
      if (!request) return undefined;
      const result = await connections.connectedSession(request.connection).publish(request.topic, request.payload ?? '', { qos: request.qos ?? 0, retain: request.retain ?? false });
      vscode.window.setStatusBarMessage(`$(check) MQTT ${request.topic}: ${result.summary}`, 5000);
      return result.summary;
    } catch (error) {
      reportFailure(log, 'Publish', error);
      return undefined;
    }
  });
}

async function askForPublish(connections: ConnectionManager, given: Partial<PublishRequest>): Promise<PublishRequest | undefined> {
  const connection = await resolveConnectionName(connections, given.connection, 'Publish', (n) => connections.get(n)?.state.kind === 'connected');
  if (connection === undefined) return undefined;
  const topic = await vscode.window.showInputBox({ title: `Publish on ${connection}: topic`, value: given.topic ?? '', validateInput: validateTopicName, ignoreFocusOut: true });
  if (topic === undefined) return undefined;
  const payload = given.payload ?? (await vscode.window.showInputBox({ title: `Publish to ${topic}: payload`, prompt: 'UTF-8 text (may be empty)', ignoreFocusOut: true }));
  if (payload === undefined) return undefined;
  const qos = given.qos ?? (await vscode.window.showQuickPick(['0', '1', '2'], { title: `Publish to ${topic}: QoS` }));
  if (qos === undefined) return undefined;
  const retain = given.retain ?? (await vscode.window.showQuickPick(['No', 'Yes'], { title: `Publish to ${topic}: retain?` }))?.startsWith('Y');
  if (retain === undefined) return undefined;
  return { connection, topic, payload, qos: Number(qos) as QoS, retain };
}
