import * as vscode from 'vscode';
import { FieldReader } from '../../core/fieldReader';
import { decodePayload } from '../../core/payload';
import { readPublishFields, type PublishFields } from '../../core/publish/publishArgument';
import { requestResponse } from '../../core/publish/requestResponse';
import { SessionError } from '../../core/session';
import { validateTopicName } from '../../core/topics';
import { SECTION } from '../config';
import type { Logger } from '../log';
import { guarded, presetFromArgument, resolvePublish } from './publishCommand';
import { buildPublish, type PublishServices } from './publishSend';

const TIMEOUT_KEY = 'request.timeoutSeconds';

/** The request argument: the publish fields plus `responseTopic` and `timeoutSeconds`. */
interface RequestFields extends PublishFields {
  responseTopic?: string;
  timeoutSeconds?: number;
}

/** What the command resolves with (for tasks and other extensions). */
export interface RequestCommandResult {
  topic: string;
  /** The reply payload as UTF-8 text. */
  payload: string;
  rttMs: number;
}

function readRequestArgument(value: unknown): { fields: RequestFields; problems: string[] } {
  const problems: string[] = [];
  const reader = FieldReader.object(value, 'request', problems);
  if (!reader) return { fields: {}, problems };
  const fields: RequestFields = { ...readPublishFields(reader), responseTopic: reader.string('responseTopic'), timeoutSeconds: reader.number('timeoutSeconds', 0.1, 3600) };
  const topicProblem = fields.responseTopic === undefined ? undefined : validateTopicName(fields.responseTopic);
  if (topicProblem) reader.problem('responseTopic', topicProblem);
  reader.rejectUnknownFields();
  return { fields, problems };
}

/** `mqttWorkbench.request.timeoutSeconds`: how long a request waits for its response. */
export function timeoutSeconds(): number {
  const value = vscode.workspace.getConfiguration(SECTION).get<number>(TIMEOUT_KEY, 10);
  return Number.isFinite(value) && value > 0 ? value : 10;
}

/** Shows a reply: its decoded text in a new editor tab (JSON pretty-printed when it is JSON). */
async function openReply(topic: string, payload: Uint8Array): Promise<void> {
  const decoded = decodePayload(payload, 'auto', { topic });
  const content = decoded.ok ? decoded.text : new TextDecoder().decode(payload);
  const document = await vscode.workspace.openTextDocument({ content, language: decoded.ok && decoded.language === 'json' ? 'json' : 'plaintext' });
  await vscode.window.showTextDocument(document, { preview: true });
}

/**
 * `mqttWorkbench.request` (MQTT 5): publishes with a response topic and fresh correlation data, waits on a
 * temporary subscription for the matching reply (timeout: mqttWorkbench.request.timeoutSeconds), shows it with
 * its round-trip time and resolves with `{ topic, payload, rttMs }`.
 */
export function registerRequestCommand(services: PublishServices, log: Logger): vscode.Disposable {
  return vscode.commands.registerCommand(
    'mqttWorkbench.request',
    guarded(log, 'Publish and Wait for Response', async (argument): Promise<RequestCommandResult | undefined> => {
      const preset = presetFromArgument(argument, readRequestArgument) as RequestFields;
      const { responseTopic, timeoutSeconds: givenTimeout, ...publishPreset } = preset;
      const resolved = await resolvePublish(services, publishPreset, { title: 'Publish and Wait for Response' });
      if (!resolved) return undefined;
      const built = await buildPublish(services, resolved.connection, resolved.fields, 'request');
      const session = services.connections.get(resolved.connection)?.session;
      if (!session || session.state.kind !== 'connected') throw new SessionError(`"${resolved.connection}" is not connected. Connect it first: a request needs a live connection to wait for its response.`);
      const seconds = givenTimeout ?? timeoutSeconds();
      services.history.remember(resolved.fields);
      const outcome = await requestResponse(session, built, { timeoutMs: seconds * 1000, responseTopic });
      const payload = new TextDecoder().decode(outcome.response.payload);
      const line = payload.replace(/\s+/g, ' ').slice(0, 80);
      log.info(`[${resolved.connection}] response on ${outcome.responseTopic} after ${outcome.rttMs} ms (${outcome.response.payload.length} bytes)`);
      void vscode.window
        .showInformationMessage(`Response on ${outcome.responseTopic} in ${outcome.rttMs} ms: ${line}${payload.length > 80 ? '…' : ''}`, 'Open Response')
        .then((choice) => {
          if (choice === 'Open Response') void openReply(outcome.responseTopic, outcome.response.payload);
        });
      return { topic: outcome.response.topic, payload, rttMs: outcome.rttMs };
    }),
  );
}
