import * as vscode from 'vscode';
import { protocolVersionNumber } from '../../core/clientOptions';
import { isCredentialRefusal } from '../../core/reasonCodes';
import { SessionError } from '../../core/session';
import { findRawProfile, scopeLabel, writeProfiles, type ProfileScope } from '../config';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import { describeError } from '../log';
import { resolveConnectionName } from './connectionArgument';
import { revealProfileInSettings } from './settingsFile';

/**
 * Shows a command failure where the user looks (a notification), logs it, and never rethrows. Does not wait
 * for the user: a notification stays until dismissed, and the command must return now. A chosen action runs then.
 */
export function reportFailure(log: Logger, what: string, error: unknown, ...actions: Array<{ title: string; run(): unknown }>): void {
  if (error instanceof vscode.CancellationError) return;
  const message = error instanceof SessionError ? error.message : `${what} failed: ${describeError(error)}`;
  // The log line carries exactly the sentence the user is shown (tests read it back from the log file).
  log.error(`${what}: ${message}`);
  void vscode.window.showErrorMessage(message, ...actions.map((a) => a.title)).then(async (choice) => {
    try {
      await actions.find((a) => a.title === choice)?.run();
    } catch (actionError) {
      log.error(`${what}: ${choice ?? 'action'}`, actionError);
    }
  });
}

/**
 * Registers `mqttWorkbench.<id>`: runs `run` with the command's argument and resolves with its result; a failure is
 * reported (notification and log, under `what`, default `id`) and the command resolves with undefined.
 */
export function registerReportingCommand(log: Logger, id: string, run: (argument: unknown) => unknown, what = id): vscode.Disposable {
  return vscode.commands.registerCommand(`mqttWorkbench.${id}`, async (argument: unknown) => {
    try {
      return await run(argument);
    } catch (error) {
      reportFailure(log, what, error);
      return undefined;
    }
  });
}

/** Registers connect, disconnect, reconnect, remove, duplicate, edit, forget password, pick, show log. */
export function registerConnectionCommands(connections: ConnectionManager, log: Logger, channel: vscode.LogOutputChannel): vscode.Disposable[] {
  const named = (id: string, title: string, run: (name: string) => Promise<unknown>, filter?: (name: string) => boolean) =>
    vscode.commands.registerCommand(id, async (argument: unknown) => {
      try {
        const name = await resolveConnectionName(connections, argument, title, filter);
        if (name !== undefined) return await run(name);
      } catch (error) {
        reportFailure(log, title, error);
      }
      return undefined;
    });
  const isConnected = (name: string) => connections.get(name)?.state.kind !== 'disconnected';

  const connect = async (name: string): Promise<boolean> => {
    try {
      await connections.connect(name);
      return true;
    } catch (error) {
      reportConnectFailure(connections, log, name, error, connect);
      return false;
    }
  };

  return [
    named('mqttWorkbench.connect', 'Connect', connect, (name) => !isConnected(name)),
    named('mqttWorkbench.disconnect', 'Disconnect', (name) => connections.disconnect(name), isConnected),
    named('mqttWorkbench.reconnect', 'Reconnect', async (name) => {
      await connections.disconnect(name);
      return connect(name);
    }),
    named('mqttWorkbench.forgetPassword', 'Forget Password', async (name) => {
      await connections.forgetSecrets(name);
      void vscode.window.showInformationMessage(`The saved password and key passphrase of "${name}" were removed. You will be asked on the next connect.`);
    }),
    named('mqttWorkbench.editConnection', 'Edit Connection', async (name) => {
      const entry = connections.get(name)?.entry;
      if (entry) await revealProfileInSettings(entry.scope, name);
    }),
    named('mqttWorkbench.removeConnection', 'Remove Connection', async (name) => {
      const entry = connections.get(name)?.entry;
      if (!entry) return;
      const answer = await vscode.window.showWarningMessage(`Remove the connection "${name}" from ${scopeLabel(entry.scope)}?`, { modal: true, detail: 'Its saved password is forgotten too.' }, 'Remove');
      if (answer !== 'Remove') return;
      await connections.disconnect(name);
      if (entry.profile) await connections.forgetSecrets(name);
      await removeRawProfile(entry.scope, name);
    }),
    named('mqttWorkbench.duplicateConnection', 'Duplicate Connection', async (name) => {
      const entry = connections.get(name)?.entry;
      if (!entry) return;
      const { list, index } = findRawProfile(entry.scope, name);
      const copyName = uniqueName(`${name} (copy)`, connections.names());
      // A copy must not share the client id: the broker would drop one when the other connects.
      const { clientId: _clientId, ...rest } = list[index] as Record<string, unknown>;
      await writeProfiles(entry.scope, [...list, { ...rest, name: copyName }]);
      return copyName;
    }),
    vscode.commands.registerCommand('mqttWorkbench.pickConnection', () => pickAndAct(connections, log)),
    vscode.commands.registerCommand('mqttWorkbench.showLog', () => channel.show()),
  ];
}

function reportConnectFailure(connections: ConnectionManager, log: Logger, name: string, error: unknown, retry: (name: string) => Promise<boolean>): void {
  const connection = connections.get(name);
  const profile = connection?.entry.profile;
  const actions: Array<{ title: string; run(): unknown }> = [];
  if (error instanceof SessionError && error.reasonCode !== undefined && profile && isCredentialRefusal(error.reasonCode, protocolVersionNumber(profile))) {
    actions.push({ title: 'Enter Password Again', run: async () => (await connections.forgetSecrets(name), retry(name)) });
  }
  if (connection?.state.kind === 'reconnecting') actions.push({ title: 'Stop Trying', run: () => connections.disconnect(name) });
  if (!profile || /connections\[\d+\]/.test(describeError(error))) actions.push({ title: 'Edit Connection', run: () => connection && revealProfileInSettings(connection.entry.scope, name) });
  actions.push({ title: 'Show Log', run: () => vscode.commands.executeCommand('mqttWorkbench.showLog') });
  // The API's sentence starts with '"<name>" cannot connect: '; here the notification already says so.
  const sentence = error instanceof SessionError ? error.message.replace(`"${name}" cannot connect: `, '') : '';
  const message = error instanceof SessionError ? new SessionError(`Could not connect to "${name}": ${sentence}`, error.reasonCode) : error;
  reportFailure(log, `Connect ${name}`, message, ...actions);
}

async function pickAndAct(connections: ConnectionManager, log: Logger): Promise<void> {
  try {
    const name = await resolveConnectionName(connections, undefined, 'MQTT Connections');
    if (name === undefined) return;
    const state = connections.get(name)?.state.kind;
    if (state === 'disconnected' || state === 'failed') {
      await vscode.commands.executeCommand('mqttWorkbench.connect', name);
      return;
    }
    const action = await vscode.window.showQuickPick(['Disconnect', 'Reconnect', 'Edit Connection', 'Show Log'], { title: name });
    const commands: Record<string, string> = { Disconnect: 'disconnect', Reconnect: 'reconnect', 'Edit Connection': 'editConnection', 'Show Log': 'showLog' };
    if (action) await vscode.commands.executeCommand(`mqttWorkbench.${commands[action]}`, name);
  } catch (error) {
    reportFailure(log, 'Pick connection', error);
  }
}

async function removeRawProfile(scope: ProfileScope, name: string): Promise<void> {
  const { list, index } = findRawProfile(scope, name);
  if (index < 0) return;
  list.splice(index, 1);
  await writeProfiles(scope, list);
}

/** `base`, or `base 2`, `base 3`... whichever is not taken. */
export function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base} ${i}`)) return `${base} ${i}`;
}
