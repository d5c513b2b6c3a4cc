import * as vscode from 'vscode';
import { readPublishArgument, type PublishFields } from '../../core/publish/publishArgument';
import { SessionError } from '../../core/session';
import type { Logger } from '../log';
import { resolveConnectionName } from './connectionArgument';
import { reportFailure } from './connectionCommands';
import { askForPublish } from './publishFlow';
import { selectedText } from './publishPrompts';
import { buildPublish, sendAndReport, type PublishServices } from './publishSend';

/** A publish that is fully described: a connection and fields with a topic and a payload (or file). */
export interface ResolvedPublish {
  connection: string;
  fields: PublishFields;
}

/** True when the fields say everything a publish needs, so nothing is asked. */
function isComplete(fields: PublishFields): boolean {
  return fields.topic !== undefined && (fields.payload !== undefined || fields.file !== undefined);
}

/**
 * Reads a command argument (an argument object, a connection name, a Connections view node, or nothing) into
 * preset fields.
 * Throws a SessionError listing every problem of an argument object; nothing is sent then.
 */
export function presetFromArgument(argument: unknown, read: (value: unknown) => { fields: PublishFields; problems: string[] } = readPublishArgument): PublishFields {
  if (argument === undefined || argument === null) return {};
  if (typeof argument === 'string') return { connection: argument };
  const node = argument as { kind?: unknown; name?: unknown };
  if (node.kind === 'connection' && typeof node.name === 'string') return { connection: node.name };
  const { fields, problems } = read(argument);
  if (problems.length > 0) throw new SessionError(`Nothing was published: ${problems.join('; ')}`);
  return fields;
}

/**
 * Completes a preset: a complete one only needs its connection (the only one, or picked); otherwise the palette
 * asks for the missing steps. Undefined when the user cancels.
 */
export async function resolvePublish(services: PublishServices, preset: PublishFields, options: { title?: string; payloadText?: string } = {}): Promise<ResolvedPublish | undefined> {
  if (!isComplete(preset) || options.payloadText !== undefined) return askForPublish(services, preset, options);
  const connection = await resolveConnectionName(services.connections, preset.connection, options.title ?? 'Publish');
  return connection === undefined ? undefined : { connection, fields: { ...preset, connection } };
}

/** Runs a command body, reporting any failure as a notification (never awaited) and the log. */
export function guarded<T>(log: Logger, what: string, run: (argument: unknown) => Promise<T | undefined>): (argument: unknown) => Promise<T | undefined> {
  return async (argument) => {
    try {
      return await run(argument);
    } catch (error) {
      reportFailure(log, what, error);
      return undefined;
    }
  };
}

/**
 * `mqttWorkbench.publish`, `publishSelection` and `publishAgain`. With an argument object that has a topic and
 * a payload (or file) the publish happens without a question (keybindings, tasks); otherwise the palette asks.
 * Each resolves with the outcome in words ("Acknowledged in 3 ms", "Queued (2 waiting)") for `${input:...}`.
 */
export function registerPublishCommands(services: PublishServices, log: Logger): vscode.Disposable[] {
  const publish = async (preset: PublishFields, options: { title?: string; payloadText?: string } = {}): Promise<string | undefined> => {
    const resolved = await resolvePublish(services, preset, options);
    if (!resolved) return undefined;
    const built = await buildPublish(services, resolved.connection, resolved.fields);
    return sendAndReport(services, resolved.connection, resolved.fields, built);
  };
  return [
    vscode.commands.registerCommand('mqttWorkbench.publish', guarded(log, 'Publish', (argument) => publish(presetFromArgument(argument)))),
    vscode.commands.registerCommand(
      'mqttWorkbench.publishSelection',
      guarded(log, 'Publish Selection', () => {
        const text = selectedText() ?? vscode.window.activeTextEditor?.document.getText();
        if (text === undefined) throw new SessionError('Open an editor and select the text to publish.');
        return publish({}, { title: 'Publish Selection', payloadText: text });
      }),
    ),
    vscode.commands.registerCommand(
      'mqttWorkbench.publishAgain',
      guarded(log, 'Publish Again', () => {
        const last = services.history.lastPublish();
        if (!last) throw new SessionError('Nothing was published in this workspace yet. Publish once with "MQTT: Publish"; "Publish Again" repeats it.');
        return publish(last, { title: 'Publish Again' });
      }),
    ),
    vscode.commands.registerCommand(
      'mqttWorkbench.clearOfflineQueue',
      guarded(log, 'Clear Offline Queue', async (argument) => {
        const outboxes = services.connections.outboxes;
        const name = await resolveConnectionName(services.connections, argument, 'Clear Offline Queue', (n) => outboxes.count(n) > 0);
        if (name === undefined) return undefined;
        const count = outboxes.count(name);
        const answer = await vscode.window.showWarningMessage(`Delete the ${count} queued message${count === 1 ? '' : 's'} of "${name}"? They will not be sent.`, { modal: true }, 'Delete');
        return answer === 'Delete' ? outboxes.get(name).clear() : undefined;
      }),
    ),
  ];
}
