import * as vscode from 'vscode';
import { SessionError } from '../../core/session';
import type { ConnectionManager } from '../connections';
import { describeState } from '../views/connectionNode';

/**
 * The connection a command acts on: a name (keybindings, tasks, the API), a tree node (menus),
 * `{ connection: name }`, or, with no argument, one picked from a list (skipped when there is only one).
 * Returns undefined when the user cancels the pick.
 */
export async function resolveConnectionName(
  connections: ConnectionManager,
  argument: unknown,
  pickTitle: string,
  filter: (name: string) => boolean = () => true,
): Promise<string | undefined> {
  if (argument !== undefined && argument !== null) {
    const name = nameFromArgument(argument);
    if (name === undefined) {
      throw new SessionError(`Expected a connection name (a string) or { "connection": "<name>" }, not ${JSON.stringify(argument)?.slice(0, 80)}.`);
    }
    if (!connections.get(name)) throw new SessionError(`There is no connection named "${name}". Known: ${connections.names().join(', ') || 'none'}.`);
    return name;
  }
  const candidates = connections.list().filter((c) => filter(c.entry.name));
  if (candidates.length === 0) {
    throw new SessionError(connections.list().length === 0 ? 'There are no connections yet. Add one with "MQTT: Add Connection".' : `No connection fits "${pickTitle}".`);
  }
  if (candidates.length === 1) return candidates[0].entry.name;
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.entry.name, description: c.entry.profile ? `${c.entry.profile.host}:${c.entry.profile.port}` : 'invalid settings', detail: describeState(c.state) })),
    { title: pickTitle, placeHolder: 'Pick a connection' },
  );
  return picked?.label;
}

function nameFromArgument(argument: unknown): string | undefined {
  if (typeof argument === 'string') return argument;
  if (typeof argument !== 'object' || argument === null) return undefined;
  const record = argument as { connection?: unknown; connectionName?: unknown; name?: unknown; kind?: unknown };
  if (record.kind === 'connection' && typeof record.name === 'string') return record.name;
  if (typeof record.connection === 'string') return record.connection;
  if (typeof record.connectionName === 'string') return record.connectionName;
  return typeof record.name === 'string' ? record.name : undefined;
}
