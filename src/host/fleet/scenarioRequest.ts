/**
 * Turns a scenario file into what the simulator process needs: the file read and validated, its broker looked
 * up in the connections, certificate files and secrets read here (SecretStorage, asked for when missing), the
 * .proto files, and the safety limits checked (the user is asked before going over them).
 */
import * as vscode from 'vscode';
import { DEFAULT_CEILING, overLimits, type SafetyCeiling } from '../../core/fleet/limits';
import { scenarioName } from '../../core/fleet/reportFiles';
import type { Scenario } from '../../core/fleet/scenario';
import { readScenarioText } from '../../core/fleet/simulation';
import type { RunRequest } from '../../core/fleet/simulatorProtocol';
import { SessionError } from '../../core/session';
import { SECTION } from '../config';
import type { ConnectionManager } from '../connections';
import type { CredentialPrompter } from '../credentials';
import { readTlsFiles } from '../tlsFiles';

/** Run only the respond rules, indefinitely ("Start Simulated Devices"), or the whole scenario. */
export type RunMode = 'run' | 'devices';

/** A request ready to send, and the scenario it came from. */
export interface PreparedRun {
  request: RunRequest;
  scenario: Scenario;
}

function ceiling(): SafetyCeiling {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    maxClients: config.get<number>('fleet.maxClients', DEFAULT_CEILING.maxClients),
    maxMessagesPerSecond: config.get<number>('fleet.maxMessagesPerSecond', DEFAULT_CEILING.maxMessagesPerSecond),
  };
}

async function readText(file: vscode.Uri): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    throw new SessionError(`The scenario file ${vscode.workspace.asRelativePath(file)} cannot be read.`);
  }
}

/** Reads and checks the scenario; undefined when the user declined to go over a safety limit. */
export async function prepareRun(file: vscode.Uri, mode: RunMode, durationSeconds: number | undefined, connections: ConnectionManager, prompter: CredentialPrompter): Promise<PreparedRun | undefined> {
  if (!vscode.workspace.isTrusted) throw new SessionError('Running a scenario starts a process that connects to a broker; trust this workspace first (Workspaces: Manage Workspace Trust).');
  const where = vscode.workspace.asRelativePath(file);
  const read = readScenarioText(await readText(file));
  if ('problems' in read) throw new SessionError(`${where} has problems: ${read.problems.join('; ')}`);
  let { scenario, raw } = read;
  if (mode === 'devices') {
    if (scenario.respond.length === 0) throw new SessionError(`${where} has no respond rules: simulated devices need at least one.`);
    // Responders only, until stopped: no load, no measuring subscribers, no duration.
    scenario = { ...scenario, publish: [], subscribe: [], durationSeconds: undefined, messagesPerClient: undefined };
    raw = { ...(raw as Record<string, unknown>), publish: [], subscribe: [], duration: undefined, messages: undefined };
  }
  const connection = connections.get(scenario.broker);
  if (!connection) throw new SessionError(`There is no connection named "${scenario.broker}". Known: ${connections.names().join(', ') || 'none'}.`);
  const profile = connection.entry.profile;
  if (!profile) throw new SessionError(`"${scenario.broker}" cannot connect: ${connection.entry.problems.join('; ')}`);

  const over = overLimits(scenario, ceiling());
  if (over.length > 0) {
    const choice = await vscode.window.showWarningMessage(`${over.join(' ')} Run anyway?`, { modal: true }, 'Run Anyway');
    if (choice !== 'Run Anyway') return undefined;
  }

  const inputs: RunRequest['inputs'] = {};
  let keyEncrypted = false;
  if (profile.tls) {
    const tls = await readTlsFiles(profile.tls, `connections[${connection.entry.index}]`);
    if ('problems' in tls) throw new SessionError(tls.problems.join('\n'));
    inputs.tlsFiles = tls.files;
    keyEncrypted = tls.keyEncrypted;
  }
  if (profile.username !== undefined) inputs.password = (await prompter.obtain(profile, 'password', true)).value;
  if (keyEncrypted) inputs.passphrase = (await prompter.obtain(profile, 'passphrase', true)).value;

  const folder = vscode.Uri.joinPath(file, '..');
  const protoFiles = await Promise.all(scenario.protoFiles.map(async (name) => ({ fileName: name, source: await readText(vscode.Uri.joinPath(folder, name)) })));
  const request: RunRequest = { type: 'run', scenarioText: JSON.stringify(raw), name: scenarioName(file.fsPath), profile, inputs, indexOffset: 0, durationSeconds, protoFiles };
  return { request, scenario };
}
