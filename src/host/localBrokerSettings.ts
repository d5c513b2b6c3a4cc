import * as vscode from 'vscode';
import { LOCAL_BROKER_DEFAULTS, readLocalBrokerFields, type LocalBrokerSettings } from '../core/localBrokerOptions';
import { SessionError } from '../core/session';
import { SECTION } from './config';

/** The settings section of the local broker: `mqttWorkbench.localBroker.port`, `.bindAddress`, `.websocketPort`. */
export const LOCAL_BROKER_SECTION = `${SECTION}.localBroker`;

type SettingKey = keyof LocalBrokerSettings;
const KEYS: readonly SettingKey[] = ['port', 'bindAddress', 'websocketPort', 'engine'];

function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(LOCAL_BROKER_SECTION, vscode.workspace.workspaceFolders?.[0]?.uri);
}

/**
 * The settings merged with a command argument (`{ port?, bindAddress?, websocketPort? }`, which wins).
 * Throws a SessionError naming every wrong field, in the argument or in settings.json; then nothing starts.
 */
export function localBrokerSettings(argument: unknown): LocalBrokerSettings {
  const problems: string[] = [];
  const config = configuration();
  const saved: Record<string, unknown> = {};
  for (const key of KEYS) saved[key] = config.get<unknown>(key);
  const fromSettings = readLocalBrokerFields(saved, LOCAL_BROKER_SECTION, problems);
  const fromArgument = argument === undefined || argument === null ? {} : readLocalBrokerFields(argument, 'startLocalBroker', problems);
  if (problems.length > 0) throw new SessionError(`The local broker was not started: ${problems.join('; ')}`);
  return { ...LOCAL_BROKER_DEFAULTS, ...fromSettings, ...fromArgument };
}

/** Saves one local broker setting back to the scope it came from (user settings when it was not set). */
export async function saveLocalBrokerSetting<K extends SettingKey>(key: K, value: LocalBrokerSettings[K]): Promise<void> {
  const config = configuration();
  const inspected = config.inspect(key);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}
