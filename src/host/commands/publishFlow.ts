import * as vscode from 'vscode';
import type { PublishFields } from '../../core/publish/publishArgument';
import { PAYLOAD_FORMAT_LABELS, validateDraft, type DraftContext, type PayloadFormat } from '../../core/publish/publishRequest';
import { NO_STRUCT_TYPES } from '../../core/payload/cstruct/settings';
import { SessionError } from '../../core/session';
import { resolveConnectionName } from './connectionArgument';
import { guessFormat, pickFormat, pickPayloadSource, pickQosAndRetain, pickTopic, selectedText } from './publishPrompts';
import { draftContext, type PublishServices } from './publishSend';

/** A publish the user described step by step: the connection and complete argument fields. */
export interface AskedPublish {
  connection: string;
  fields: PublishFields;
}

/** The payload problem of `text` in `format`, or undefined (for validateInput). */
function payloadProblem(text: string, format: PayloadFormat, types: Pick<PublishFields, 'protobufType' | 'structType'>, context: DraftContext): string | undefined {
  const result = validateDraft({ topic: 't', payload: text, format, qos: 0, retain: false, ...types }, context);
  return 'problems' in result ? result.problems.find((p) => p.field === 'payload' || p.field === 'protobufType' || p.field === 'structType')?.message : undefined;
}

/** Asks for the protobuf message type among those of the loaded .proto files. */
async function pickProtobufType(context: DraftContext, title: string): Promise<string | undefined> {
  const names = context.proto?.typeNames() ?? [];
  if (names.length === 0) throw new SessionError('No protobuf message types are loaded: list your .proto files in the setting mqttWorkbench.protobuf.files.');
  return vscode.window.showQuickPick(names, { title, placeHolder: 'Protobuf message type' });
}

/** Asks for the C struct type among those of the loaded headers. */
async function pickStructType(context: DraftContext, title: string): Promise<string | undefined> {
  const names = context.structs?.typeNames() ?? [];
  if (names.length === 0) throw new SessionError(NO_STRUCT_TYPES);
  return vscode.window.showQuickPick(names, { title, placeHolder: 'C struct type (the payload is its fields as JSON)' });
}

/** Asks for the payload: where it comes from, its format, then the text (checked as it is typed). */
async function askPayload(context: DraftContext, title: string, presetText?: string): Promise<Pick<PublishFields, 'payload' | 'file' | 'format' | 'protobufType' | 'structType'> | undefined> {
  let text = presetText;
  if (text === undefined) {
    const source = await pickPayloadSource(title);
    if (source === undefined) return undefined;
    if (source === 'file') {
      const [uri] = (await vscode.window.showOpenDialog({ title, canSelectMany: false, openLabel: 'Publish this file' })) ?? [];
      return uri && { file: uri.fsPath };
    }
    if (source === 'selection') text = selectedText() ?? '';
    if (source === 'clipboard') text = await vscode.env.clipboard.readText();
  }
  const format = await pickFormat(title, text === undefined ? 'text' : guessFormat(text));
  if (format === undefined) return undefined;
  const protobufType = format === 'protobuf' ? await pickProtobufType(context, title) : undefined;
  if (format === 'protobuf' && protobufType === undefined) return undefined;
  const structType = format === 'cstruct' ? await pickStructType(context, title) : undefined;
  if (format === 'cstruct' && structType === undefined) return undefined;
  const types = { ...(protobufType ? { protobufType } : {}), ...(structType ? { structType } : {}) };
  if (text === undefined) {
    text = await vscode.window.showInputBox({
      title,
      prompt: `${PAYLOAD_FORMAT_LABELS[format]} payload (may be empty)`,
      ignoreFocusOut: true,
      validateInput: (value) => payloadProblem(value, format, types, context),
    });
    if (text === undefined) return undefined;
  }
  const problem = payloadProblem(text, format, types, context);
  if (problem) throw new SessionError(`Nothing was published: ${problem}`);
  return { payload: text, format, ...types };
}

/**
 * The palette publish: connection (skipped when there is only one) -> topic (recents and the topic tree) ->
 * payload (typed, the editor selection, a file or the clipboard, in a chosen format) -> QoS and retain.
 * Steps already given in `preset` are skipped. Undefined when the user cancels.
 */
export async function askForPublish(services: PublishServices, preset: PublishFields, options: { title?: string; payloadText?: string } = {}): Promise<AskedPublish | undefined> {
  const { connections, history } = services;
  const verb = options.title ?? 'Publish';
  const connection = await resolveConnectionName(connections, preset.connection, verb, (name) => connections.get(name)?.entry.profile !== undefined);
  if (connection === undefined) return undefined;
  const topic = preset.topic ?? (await pickTopic(history, connection, `${verb} on ${connection}: topic`));
  if (topic === undefined) return undefined;
  const title = `${verb} to ${topic}`;
  const hasPayload = preset.payload !== undefined || preset.file !== undefined;
  const payload = hasPayload ? {} : await askPayload(await draftContext(services, connection), title, options.payloadText);
  if (payload === undefined) return undefined;
  const given = preset.qos !== undefined || preset.retain !== undefined;
  const delivery = given ? { qos: preset.qos ?? 0, retain: preset.retain ?? false } : await pickQosAndRetain(title);
  if (delivery === undefined) return undefined;
  return { connection, fields: { ...preset, ...payload, connection, topic, ...delivery } };
}
