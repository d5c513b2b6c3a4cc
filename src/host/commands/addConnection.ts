import * as vscode from 'vscode';
import { parseAddress, type ParsedAddress } from '../../core/address';
import { PROTOCOL_VERSIONS, parseProfile } from '../../core/profile';
import { SessionError } from '../../core/session';
import { validateTopicFilter } from '../../core/topics';
import { rawProfiles, writeProfiles, type ProfileScope } from '../config';
import type { ConnectionManager } from '../connections';
import type { ProfileSecrets } from '../secrets';

/** Fields of the command argument that are not profile fields. */
const ARGUMENT_ONLY_FIELDS = ['password', 'passphrase', 'target'] as const;

/**
 * `mqttWorkbench.addConnection`: with an argument object (a profile plus optional `password`, `passphrase`
 * and `target: "workspace" | "user"`), validates and saves without asking; with none, a guided quick input.
 * The password goes to SecretStorage only. Resolves with the new profile's name.
 */
export async function addConnection(connections: ConnectionManager, secrets: ProfileSecrets, argument: unknown): Promise<string | undefined> {
  const input = argument === undefined ? await askForConnection(connections) : argument;
  if (input === undefined) return undefined;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SessionError(`Add Connection expects an object like { "name": "Local", "host": "127.0.0.1" }, not ${JSON.stringify(input)}.`);
  }
  const record = { ...(input as Record<string, unknown>) };
  const extras: Record<string, unknown> = {};
  for (const key of ARGUMENT_ONLY_FIELDS) {
    extras[key] = record[key];
    delete record[key];
  }
  const target = extras.target ?? (vscode.workspace.workspaceFolders?.length && vscode.workspace.isTrusted ? 'workspace' : 'user');
  if (target !== 'workspace' && target !== 'user') throw new SessionError(`target must be "workspace" or "user", not ${JSON.stringify(extras.target)}.`);
  if (target === 'workspace' && !vscode.workspace.workspaceFolders?.length) throw new SessionError('target "workspace" needs an open folder; use "user" instead.');
  if (target === 'workspace' && !vscode.workspace.isTrusted) throw new SessionError('This workspace is not trusted, so connections cannot be saved in it; use "user" or trust the folder.');
  for (const key of ['password', 'passphrase'] as const) {
    if (extras[key] !== undefined && typeof extras[key] !== 'string') throw new SessionError(`${key} must be a string.`);
  }

  const parsed = parseProfile(record, 'connection');
  if (!parsed.profile) throw new SessionError(`The connection was not saved: ${parsed.problems.join('; ')}`);
  const profile = parsed.profile;
  if (connections.names().includes(profile.name)) throw new SessionError(`A connection named "${profile.name}" already exists; pick another name.`);

  const scope: ProfileScope = target;
  await writeProfiles(scope, [...rawProfiles(scope), record]);
  if (typeof extras.password === 'string') await secrets.store(profile, 'password', extras.password);
  if (typeof extras.passphrase === 'string') await secrets.store(profile, 'passphrase', extras.passphrase);
  return profile.name;
}

/** The guided flow: name, address, protocol version, user name, password, subscriptions, where to save. */
async function askForConnection(connections: ConnectionManager): Promise<Record<string, unknown> | undefined> {
  const title = 'Add MQTT Connection';
  const taken = connections.names();
  const name = await vscode.window.showInputBox({
    title: `${title} (1/6): name`,
    prompt: 'A name for this broker connection',
    value: taken.includes('Local broker') ? '' : 'Local broker',
    validateInput: (v) => (v.trim() === '' ? 'Enter a name.' : taken.includes(v.trim()) ? `"${v.trim()}" is already used.` : undefined),
    ignoreFocusOut: true,
  });
  if (name === undefined) return undefined;
  const address = await vscode.window.showInputBox({
    title: `${title} (2/6): address`,
    prompt: 'Host, host:port or a URL such as mqtts://broker.example.com:8883 or ws://127.0.0.1:9001/mqtt',
    value: '127.0.0.1:1883',
    validateInput: (v) => ('error' in parseAddress(v) ? (parseAddress(v) as { error: string }).error : undefined),
    ignoreFocusOut: true,
  });
  if (address === undefined) return undefined;
  const parsedAddress = parseAddress(address) as ParsedAddress;
  const version = await vscode.window.showQuickPick(
    PROTOCOL_VERSIONS.slice().reverse().map((v) => ({ label: v, description: v === '5' ? 'recommended' : undefined })),
    { title: `${title} (3/6): MQTT version`, ignoreFocusOut: true },
  );
  if (!version) return undefined;
  const username = await vscode.window.showInputBox({ title: `${title} (4/6): user name`, prompt: 'User name (leave empty for none)', ignoreFocusOut: true });
  if (username === undefined) return undefined;
  let password: string | undefined;
  if (username !== '') {
    password = await vscode.window.showInputBox({ title: `${title} (4/6): password`, prompt: `Password of "${username}", kept in VS Code's secret storage (leave empty to be asked on connect)`, password: true, ignoreFocusOut: true });
    if (password === undefined) return undefined;
  }
  const subscribe = await vscode.window.showInputBox({
    title: `${title} (5/6): subscribe to`,
    prompt: 'Topic filters to subscribe to on every connect, separated by commas ("#" is everything; empty for none)',
    value: '#',
    validateInput: (text) => splitFilters(text).map(validateTopicFilter).find((problem) => problem !== undefined),
    ignoreFocusOut: true,
  });
  if (subscribe === undefined) return undefined;
  const subscriptions = splitFilters(subscribe).map((filter) => ({ filter, qos: 0 }));
  let target = 'user';
  if (vscode.workspace.workspaceFolders?.length && vscode.workspace.isTrusted) {
    const where = await vscode.window.showQuickPick(
      [
        { label: 'Workspace', description: 'in .vscode/settings.json, shared with the team (never the password)', target: 'workspace' },
        { label: 'User', description: 'in your user settings, for every folder', target: 'user' },
      ],
      { title: `${title} (6/6): save in`, ignoreFocusOut: true },
    );
    if (!where) return undefined;
    target = where.target;
  }
  return {
    name: name.trim(),
    ...parsedAddress,
    protocolVersion: version.label,
    ...(username !== '' ? { username } : {}),
    ...(password ? { password } : {}),
    ...(subscriptions.length > 0 ? { subscriptions } : {}),
    target,
  };
}

/** "a/#, b/+/c" -> ["a/#", "b/+/c"] (blank entries dropped). */
function splitFilters(text: string): string[] {
  return text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}
