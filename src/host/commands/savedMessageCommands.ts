import * as vscode from 'vscode';
import { FieldReader } from '../../core/fieldReader';
import { readPublishFields, validateFields, type PublishFields } from '../../core/publish/publishArgument';
import { SAVED_MESSAGES_KEY, type SavedMessage } from '../../core/publish/savedMessages';
import { SessionError } from '../../core/session';
import type { Logger } from '../log';
import type { SavedMessagesStore } from '../savedMessages';
import { askForPublish } from './publishFlow';
import { guarded, resolvePublish } from './publishCommand';
import { buildPublish, draftContext, sendAndReport, type PublishServices } from './publishSend';
import { revealProfileInSettings } from './settingsFile';
import { labelText } from '../views/markdownText';

/**
 * The saved message a command acts on: a name (the view's click, keybindings), a view node, `{ name }`, or with
 * no argument one picked from the list. Undefined when the pick is cancelled.
 */
async function target(store: SavedMessagesStore, argument: unknown, title: string): Promise<SavedMessage | undefined> {
  if (argument === undefined || argument === null) {
    const all = store.list();
    if (all.length === 0) throw new SessionError(`There are no saved messages yet. Publish one, then run "MQTT: Save Message".`);
    const picked = await vscode.window.showQuickPick(all.map((m) => ({ label: m.name, description: m.fields.topic, detail: m.problems[0], message: m })), { title });
    return picked?.message;
  }
  const record = argument as { name?: unknown; message?: { name?: unknown } } | undefined;
  const name = typeof argument === 'string' ? argument : typeof record?.message?.name === 'string' ? record.message.name : record?.name;
  if (typeof name !== 'string') throw new SessionError(`Expected the name of a saved message, not ${JSON.stringify(argument)?.slice(0, 80)}.`);
  const found = store.find(name);
  if (!found) throw new SessionError(`There is no saved message named "${name}". Saved: ${store.list().map((m) => m.name).join(', ') || 'none'}.`);
  return found;
}

/** `{ name, ...publish fields }` for Save Message; throws with every problem, saves nothing then. */
async function readSaveArgument(services: PublishServices, value: unknown): Promise<{ name: string; fields: PublishFields }> {
  const problems: string[] = [];
  const reader = FieldReader.object(value, 'saveMessage', problems);
  const name = reader?.string('name', { required: true, nonEmpty: true });
  const fields = reader ? readPublishFields(reader) : {};
  reader?.rejectUnknownFields();
  if (reader && fields.topic === undefined) reader.problem('topic', 'is required');
  if (problems.length === 0 && fields.file === undefined) {
    const context = fields.connection !== undefined ? await draftContext(services, fields.connection) : { proto: services.protobuf.context.proto, structs: services.structs.context.structs };
    const checked = validateFields(fields, 'saveMessage', context);
    if ('messages' in checked) problems.push(...checked.messages);
  }
  if (problems.length > 0 || name === undefined) throw new SessionError(`Nothing was saved: ${problems.join('; ')}`);
  return { name, fields };
}

/** Asks for a name (the last one offered), refusing names already taken unless replacing is confirmed later. */
function askName(store: SavedMessagesStore, fields: PublishFields): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `Save Message: ${fields.topic ?? ''}`,
    prompt: `Name of the message in ${SAVED_MESSAGES_KEY} (shared with the workspace)`,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'A name is needed.' : store.find(value.trim()) ? `"${value.trim()}" exists; pick another name or delete it first.` : undefined),
  });
}

/** Save Message, Publish/Edit/Delete Saved Message. */
export function registerSavedMessageCommands(services: PublishServices, store: SavedMessagesStore, log: Logger): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'mqttWorkbench.saveMessage',
      guarded(log, 'Save Message', async (argument) => {
        if (argument !== undefined && argument !== null) {
          const { name, fields } = await readSaveArgument(services, argument);
          await store.save(name, fields);
          return name;
        }
        const fields = services.history.lastPublish() ?? (await askForPublish(services, {}, { title: 'Save Message' }))?.fields;
        if (!fields) return undefined;
        const name = (await askName(store, fields))?.trim();
        if (!name) return undefined;
        await store.save(name, fields);
        vscode.window.setStatusBarMessage(`$(save) MQTT: saved "${labelText(name)}" in ${store.scope()} settings`, 5000);
        return name;
      }),
    ),
    vscode.commands.registerCommand(
      'mqttWorkbench.publishSavedMessage',
      guarded(log, 'Publish Saved Message', async (argument) => {
        const saved = await target(store, argument, 'Publish Saved Message');
        if (!saved) return undefined;
        if (saved.problems.length > 0) throw new SessionError(`"${saved.name}" cannot be published: ${saved.problems.join('; ')}`);
        const resolved = await resolvePublish(services, saved.fields, { title: `Publish ${saved.name}` });
        if (!resolved) return undefined;
        const built = await buildPublish(services, resolved.connection, resolved.fields, `${SAVED_MESSAGES_KEY}[${saved.index}]`);
        return sendAndReport(services, resolved.connection, resolved.fields, built);
      }),
    ),
    vscode.commands.registerCommand(
      'mqttWorkbench.editSavedMessage',
      guarded(log, 'Edit Saved Message', async (argument) => {
        const saved = await target(store, argument, 'Edit Saved Message');
        if (!saved) return undefined;
        await revealProfileInSettings(store.scope(), saved.name, `mqttWorkbench.${SAVED_MESSAGES_KEY}`);
        return saved.name;
      }),
    ),
    vscode.commands.registerCommand(
      'mqttWorkbench.deleteSavedMessage',
      guarded(log, 'Delete Saved Message', async (argument) => {
        const saved = await target(store, argument, 'Delete Saved Message');
        if (!saved) return undefined;
        const answer = await vscode.window.showWarningMessage(`Delete the saved message "${saved.name}" from ${store.scope()} settings?`, { modal: true }, 'Delete');
        if (answer !== 'Delete') return undefined;
        await store.remove(saved.index);
        return saved.name;
      }),
    ),
  ];
}
