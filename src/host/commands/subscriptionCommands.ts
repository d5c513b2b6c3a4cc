import * as vscode from 'vscode';
import { protocolVersionNumber } from '../../core/clientOptions';
import { FieldReader } from '../../core/fieldReader';
import { readSubscription } from '../../core/profile';
import { SessionError } from '../../core/session';
import type { SubscriptionRequest, SubscriptionStatus } from '../../core/subscriptions';
import { validateTopicFilter } from '../../core/topics';
import { findRawProfile, writeProfiles } from '../config';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import { SubscriptionNode } from '../views/subscriptionNode';
import { resolveConnectionName } from './connectionArgument';
import { reportFailure } from './connectionCommands';

const MAX_SUBSCRIPTION_ID = 268435455;

/**
 * Reads the argument of `mqttWorkbench.subscribe`: `{ connection, filter, qos?, noLocal?, retainAsPublished?,
 * retainHandling?, subscriptionIdentifier? }`. Throws a SessionError listing every problem.
 */
export function readSubscribeArgument(argument: Record<string, unknown>): { connection: string; request: SubscriptionRequest } {
  const problems: string[] = [];
  const reader = new FieldReader(argument, 'subscribe', problems);
  const connection = reader.string('connection', { required: true, nonEmpty: true });
  const subscriptionIdentifier = reader.integer('subscriptionIdentifier', 1, MAX_SUBSCRIPTION_ID);
  const { connection: _c, subscriptionIdentifier: _s, ...rest } = argument;
  const request = readSubscription(rest, 'subscribe', problems);
  if (problems.length > 0 || !request || connection === undefined) throw new SessionError(`Nothing was subscribed: ${problems.join('; ')}`);
  return { connection, request: { ...request, subscriptionIdentifier } };
}

/** Registers subscribe, unsubscribe and "Save to Profile". */
export function registerSubscriptionCommands(connections: ConnectionManager, log: Logger): vscode.Disposable[] {
  const connectedOnly = (name: string) => connections.get(name)?.state.kind === 'connected';
  return [
    vscode.commands.registerCommand('mqttWorkbench.subscribe', async (argument: unknown): Promise<SubscriptionStatus | undefined> => {
      try {
        const parsed = isArgumentObject(argument) ? readSubscribeArgument(argument) : await askForSubscription(connections, argument, connectedOnly);
        if (!parsed) return undefined;
        const status = await connections.connectedSession(parsed.connection).subscribe(parsed.request);
        if (status.state === 'refused') void vscode.window.showWarningMessage(`The broker refused the subscription to "${status.filter}": ${status.error ?? 'no reason given'}.`);
        return status;
      } catch (error) {
        reportFailure(log, 'Subscribe', error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('mqttWorkbench.unsubscribe', async (argument: unknown): Promise<boolean> => {
      try {
        const target = await resolveUnsubscribe(connections, argument, connectedOnly);
        if (!target) return false;
        await connections.connectedSession(target.connection).unsubscribe(target.filter);
        return true;
      } catch (error) {
        reportFailure(log, 'Unsubscribe', error);
        return false;
      }
    }),
    vscode.commands.registerCommand('mqttWorkbench.saveSubscriptionToProfile', async (argument: unknown): Promise<boolean> => {
      try {
        const target = resolveSubscriptionTarget(argument);
        const entry = connections.get(target.connection)?.entry;
        if (!entry) throw new SessionError(`There is no connection named "${target.connection}".`);
        const status = connections.get(target.connection)?.session?.subscriptions.get(target.filter);
        if (!status) throw new SessionError(`"${target.connection}" has no subscription to "${target.filter}".`);
        const { list, index } = findRawProfile(entry.scope, entry.name);
        if (index < 0) throw new SessionError(`"${entry.name}" was not found in its settings file.`);
        const raw = list[index] as Record<string, unknown>;
        const { subscriptionIdentifier: _id, ...request } = status.request;
        const saved = (Array.isArray(raw.subscriptions) ? raw.subscriptions : []).filter((s: unknown) => (s as { filter?: unknown }).filter !== request.filter);
        list[index] = { ...raw, subscriptions: [...saved, stripUndefined(request)] };
        await writeProfiles(entry.scope, list);
        void vscode.window.showInformationMessage(`"${request.filter}" is now subscribed every time "${entry.name}" connects.`);
        return true;
      } catch (error) {
        reportFailure(log, 'Save to Profile', error);
        return false;
      }
    }),
  ];
}

function isArgumentObject(argument: unknown): argument is Record<string, unknown> {
  return typeof argument === 'object' && argument !== null && !Array.isArray(argument) && 'filter' in argument;
}

async function askForSubscription(connections: ConnectionManager, argument: unknown, connectedOnly: (n: string) => boolean) {
  const connection = await resolveConnectionName(connections, argument, 'Subscribe', connectedOnly);
  if (connection === undefined) return undefined;
  return askForFilter(connections, connection);
}

/** The interactive subscribe flow: filter (validated as typed), QoS, MQTT 5 options. */
export async function askForFilter(connections: ConnectionManager, connection: string, initialFilter = '') {
  const filter = await vscode.window.showInputBox({
    title: `Subscribe on ${connection}`,
    prompt: 'Topic filter: + matches one level, # the rest (e.g. sensors/+/temperature, devices/#)',
    value: initialFilter,
    validateInput: (value) => validateTopicFilter(value),
    ignoreFocusOut: true,
  });
  if (filter === undefined) return undefined;
  const qos = await vscode.window.showQuickPick(
    [
      { label: '0', description: 'at most once', qos: 0 as const },
      { label: '1', description: 'at least once', qos: 1 as const },
      { label: '2', description: 'exactly once', qos: 2 as const },
    ],
    { title: `Subscribe to ${filter}: QoS` },
  );
  if (!qos) return undefined;
  const request: SubscriptionRequest = { filter, qos: qos.qos };
  const profile = connections.get(connection)?.entry.profile;
  if (profile && protocolVersionNumber(profile) === 5) {
    const options = await vscode.window.showQuickPick(
      [
        { label: 'No Local', description: 'do not receive what this connection publishes', key: 'noLocal' },
        { label: 'Retain As Published', description: 'keep the publisher’s retain flag', key: 'retainAsPublished' },
        { label: 'Skip Retained Messages', description: 'retain handling 2: no retained messages on subscribe', key: 'rh2' },
      ],
      { title: `Subscribe to ${filter}: MQTT 5 options (none is fine)`, canPickMany: true },
    );
    if (!options) return undefined;
    const keys = new Set(options.map((o) => o.key));
    if (keys.has('noLocal')) request.noLocal = true;
    if (keys.has('retainAsPublished')) request.retainAsPublished = true;
    if (keys.has('rh2')) request.retainHandling = 2;
  }
  return { connection, request };
}

/** A subscription named by a Connections view node or by `{ connection, filter }`. */
function resolveSubscriptionTarget(argument: unknown): { connection: string; filter: string } {
  if (argument instanceof SubscriptionNode) return { connection: argument.connectionName, filter: argument.status.filter };
  if (isArgumentObject(argument) && typeof argument.connection === 'string' && typeof argument.filter === 'string') {
    return { connection: argument.connection, filter: argument.filter };
  }
  throw new SessionError('Save to Profile needs a subscription: run it on one in the Connections view, or pass { "connection": "...", "filter": "..." }.');
}

async function resolveUnsubscribe(connections: ConnectionManager, argument: unknown, connectedOnly: (n: string) => boolean) {
  if (argument instanceof SubscriptionNode) return { connection: argument.connectionName, filter: argument.status.filter };
  if (isArgumentObject(argument)) {
    if (typeof argument.filter !== 'string') throw new SessionError('unsubscribe.filter: must be a string');
    if (typeof argument.connection !== 'string') throw new SessionError('unsubscribe.connection: is required');
    return { connection: argument.connection, filter: argument.filter };
  }
  const connection = await resolveConnectionName(connections, argument, 'Unsubscribe', connectedOnly);
  if (connection === undefined) return undefined;
  const filters = connections.connectedSession(connection).subscriptions.list().map((s) => s.filter);
  if (filters.length === 0) throw new SessionError(`"${connection}" has no subscriptions.`);
  const filter = await vscode.window.showQuickPick(filters, { title: `Unsubscribe on ${connection}` });
  return filter === undefined ? undefined : { connection, filter };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
