import * as vscode from 'vscode';
import { protocolVersionNumber, resolveProfilePath } from '../../core/clientOptions';
import type { SubmitResult } from '../../core/publish/outbox';
import { validateFields, type PublishFields } from '../../core/publish/publishArgument';
import type { BuiltPublish, DraftContext } from '../../core/publish/publishRequest';
import { SessionError } from '../../core/session';
import type { ConnectionManager } from '../connections';
import { workspacePathVariables } from '../paths';
import type { StructHeaders } from '../cstructHeaders';
import type { ProtobufSchemas } from '../protobufSchemas';
import type { PublishHistory } from '../publishHistory';
import { labelText } from '../views/markdownText';

/** What the publish commands share. */
export interface PublishServices {
  readonly connections: ConnectionManager;
  readonly protobuf: ProtobufSchemas;
  readonly structs: StructHeaders;
  readonly history: PublishHistory;
}

/** What validation needs to know about a connection: its protocol, the broker's packet limit, the .proto files, the C headers. */
export async function draftContext(services: PublishServices, connection: string): Promise<DraftContext> {
  await Promise.all([services.protobuf.ready(), services.structs.ready()]);
  const found = services.connections.get(connection);
  const profile = found?.entry.profile;
  const state = found?.state;
  return {
    proto: services.protobuf.context.proto,
    structs: services.structs.context.structs,
    protocolVersion: profile ? protocolVersionNumber(profile) : undefined,
    maximumPacketSize: state?.kind === 'connected' ? state.maximumPacketSize : undefined,
  };
}

/** The bytes of a payload file (`file` field: workspace-relative, absolute, or with ${workspaceFolder}...). */
export async function readPayloadFile(file: string, path: string): Promise<Uint8Array> {
  const resolved = resolveProfilePath(file, workspacePathVariables());
  if ('error' in resolved) throw new SessionError(`Nothing was published: ${path}.file: ${resolved.error}`);
  try {
    return await vscode.workspace.fs.readFile(vscode.Uri.file(resolved.path));
  } catch {
    throw new SessionError(`Nothing was published: ${path}.file: file not found: ${file}`);
  }
}

/** Checks complete fields into a publish for `connection`; throws a SessionError listing every problem. */
export async function buildPublish(services: PublishServices, connection: string, fields: PublishFields, path = 'publish'): Promise<BuiltPublish> {
  const bytes = fields.file !== undefined ? await readPayloadFile(fields.file, path) : undefined;
  const checked = validateFields(fields, path, await draftContext(services, connection), bytes);
  if ('messages' in checked) throw new SessionError(`Nothing was published: ${checked.messages.join('; ')}`);
  return checked;
}

/** A queued message is announced by a notification at most this often per connection; else in the status bar. */
const QUEUED_NOTICE_PERIOD_MS = 10_000;
const lastQueuedNotice = new Map<string, number>();

/** "Acknowledged in 3 ms", or "Queued (3 waiting)". */
export function describeOutcome(outcome: SubmitResult): string {
  return 'summary' in outcome ? outcome.summary : `Queued (${outcome.queued} waiting)`;
}

/**
 * Publishes (or queues) and tells the user where they look without blocking: the status bar for an answer, a
 * notification with "Connect" for a queued message. Remembers the publish. Returns the outcome in words.
 */
export async function sendAndReport(services: PublishServices, connection: string, fields: PublishFields, built: BuiltPublish): Promise<string> {
  const outcome = await services.connections.publishOrQueue(connection, built);
  services.history.remember({ ...fields, connection });
  if ('summary' in outcome) {
    vscode.window.setStatusBarMessage(`$(check) MQTT ${labelText(`${built.topic}: ${outcome.summary}`)}`, 5000);
  } else {
    const state = services.connections.get(connection)?.state.kind;
    const retrying = state === 'connecting' || state === 'reconnecting';
    const waiting = `${outcome.queued} message${outcome.queued === 1 ? '' : 's'} waiting`;
    const message = `"${connection}" is not connected: the message to ${built.topic} is queued (${waiting}) and is sent when ${retrying ? 'the connection is back' : 'you connect'}.`;
    const now = Date.now();
    if (outcome.queued > 1 && now - (lastQueuedNotice.get(connection) ?? 0) < QUEUED_NOTICE_PERIOD_MS) {
      vscode.window.setStatusBarMessage(`$(mail) MQTT ${labelText(built.topic)}: queued (${waiting})`, 5000);
      return describeOutcome(outcome);
    }
    lastQueuedNotice.set(connection, now);
    void vscode.window.showInformationMessage(message, ...(retrying ? [] : ['Connect'])).then((choice) => choice === 'Connect' && vscode.commands.executeCommand('mqttWorkbench.connect', connection));
  }
  return describeOutcome(outcome);
}
