import * as vscode from 'vscode';
import { CaptureFile } from '../../core/capture/reader';
import { replaySummaryText, scanReplay, startReplay } from '../../core/capture/replay';
import { isLoopbackHost, readReplayRequest, type ReplayPublish, type ReplayRequest } from '../../core/capture/replayPlan';
import type { ReplaySummary } from '../../core/capture/scheduler';
import { SessionError } from '../../core/session';
import { registerReportingCommand, reportFailure } from '../commands/connectionCommands';
import { resolveConnectionName } from '../commands/connectionArgument';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import type { Replays } from './replays';
import { captureFilePath } from './workspacePaths';

/** Setting: what a replay does while its connection is down: queue (offline queue rules) or stop. */
export const REPLAY_OFFLINE_SETTING = 'capture.replayWhileDisconnected';

/** The request of a replay command: an object for tasks, a capture file's Uri from the explorer, or nothing. */
function requestFrom(argument: unknown): ReplayRequest {
  if (argument instanceof vscode.Uri) return { file: argument.fsPath, speed: 1, loop: false };
  const problems: string[] = [];
  const request = readReplayRequest(argument, problems);
  if (!request || problems.length > 0) throw new SessionError(`Nothing was replayed: ${problems.join('; ')}`);
  return request;
}

async function pickFile(): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles('**/*.mqttcap', '**/node_modules/**', 200);
  if (found.length === 0) throw new SessionError('There is no capture (.mqttcap) in the workspace. Record one with "MQTT: Start Recording".');
  const picked = await vscode.window.showQuickPick(found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: 'Replay Capture', placeHolder: 'Pick a capture' });
  return picked?.uri.fsPath;
}

const SPEEDS: ReadonlyArray<number | 'max'> = [1, 2, 5, 10, 100, 0.5, 0.1, 'max'];

/** Asks for the speed (interactive replays); undefined when cancelled. */
async function pickSpeed(): Promise<number | 'max' | undefined> {
  const items = SPEEDS.map((speed) => ({ label: speed === 'max' ? 'As fast as the broker accepts' : `${speed}x`, description: speed === 1 ? 'the recorded timing' : undefined, speed }));
  return (await vscode.window.showQuickPick(items, { title: 'Replay Speed', placeHolder: 'How fast to replay the recorded timing' }))?.speed;
}

/** Retained messages to a broker that is not on this machine: asks first. Returns false to cancel. */
async function confirmRetained(request: ReplayRequest, retained: number, host: string, interactive: boolean): Promise<boolean> {
  if (retained === 0 || request.retain !== undefined || isLoopbackHost(host)) return true;
  const question = `${retained.toLocaleString('en-US')} messages of this capture are retained: replayed to ${host} they stay on that broker for every future subscriber.`;
  const choice = await vscode.window.showWarningMessage(question, { modal: interactive }, 'Replay Retained', 'Replay Without Retain');
  if (choice === 'Replay Without Retain') request.retain = false;
  return choice !== undefined;
}

/** Publishes one message: on the session while connected; through the offline queue, or stops, otherwise. */
function sender(connections: ConnectionManager, name: string, stopWhenDown: boolean): (publish: ReplayPublish) => Promise<unknown> {
  return async (publish) => {
    const connection = connections.get(name);
    const options = { qos: publish.qos, retain: publish.retain, ...(publish.properties ? { properties: publish.properties } : {}) };
    if (connection?.session && connection.state.kind === 'connected' && connection.queued === 0) return connection.session.publish(publish.topic, publish.payload, options);
    if (stopWhenDown) throw new SessionError(`"${name}" is not connected; the replay stopped (setting mqttWorkbench.${REPLAY_OFFLINE_SETTING} is "stop").`);
    return connections.publishOrQueue(name, { topic: publish.topic, payload: publish.payload, options });
  };
}

/** Runs one replay with a progress notification (cancel) and returns its summary. */
export async function replayCapture(connections: ConnectionManager, replays: Replays, argument: unknown, log: Logger): Promise<ReplaySummary | undefined> {
  const request = requestFrom(argument);
  const interactive = argument === undefined || argument instanceof vscode.Uri;
  const path = request.file ?? (await pickFile());
  if (path === undefined) return undefined;
  const absolute = captureFilePath(path);
  const name = request.connection ?? (await resolveConnectionName(connections, undefined, 'Replay Capture To'));
  if (name === undefined) return undefined;
  if (interactive) {
    const speed = await pickSpeed();
    if (speed === undefined) return undefined;
    request.speed = speed;
  }
  const profile = connections.get(name)?.entry.profile;
  if (!profile) throw new SessionError(`There is no connection named "${name}". Known: ${connections.names().join(', ') || 'none'}.`);
  const stopWhenDown = vscode.workspace.getConfiguration('mqttWorkbench').get<string>(REPLAY_OFFLINE_SETTING, 'queue') === 'stop';
  if (connections.get(name)?.state.kind !== 'connected') {
    if (stopWhenDown) await connections.connect(name);
    else void connections.connect(name).catch(() => undefined);
  }
  const file = await CaptureFile.open(absolute);
  try {
    const scan = await scanReplay(file, request);
    for (const problem of scan.problems.slice(0, 20)) log.warn(`[replay] ${vscode.workspace.asRelativePath(absolute)}: ${problem}`);
    if (scan.messages === 0) throw new SessionError(`Nothing to replay: no message of ${vscode.workspace.asRelativePath(absolute)} matches the filters and time range.`);
    if (!(await confirmRetained(request, scan.retained, profile.host, interactive))) return undefined;
    const id = `${absolute}\u0000${Date.now()}`;
    const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Replaying ${vscode.workspace.asRelativePath(absolute)} to ${name}`, cancellable: true }, async (progress, token) => {
      let reported = 0;
      let lastReport = 0;
      const span = Math.max(1, scan.lastT - scan.firstT);
      const run = startReplay(file, request, sender(connections, name, stopWhenDown), (p) => {
        const now = performance.now();
        if (now - lastReport < 250) return;
        lastReport = now;
        const percent = request.loop ? 0 : Math.min(100, ((p.t - scan.firstT) / span) * 100);
        progress.report({ increment: percent - reported, message: `${p.sent.toLocaleString('en-US')} of ${scan.messages.toLocaleString('en-US')}${p.failed ? `, ${p.failed} failed` : ''}${run.scheduler.paused ? ' (paused)' : ''}` });
        reported = percent;
        replays.progress(id, p.t, p.sent);
      });
      replays.add(id, absolute, run, scan.messages);
      const cancel = token.onCancellationRequested(() => run.scheduler.cancel());
      try {
        return await run.done;
      } finally {
        cancel.dispose();
        replays.remove(id);
      }
    });
    const text = replaySummaryText(summary);
    log.info(`[replay] ${vscode.workspace.asRelativePath(absolute)} -> ${name}: ${text}${summary.firstError ? `; first failure: ${summary.firstError}` : ''}`);
    if (summary.failed > 0) void vscode.window.showWarningMessage(`${text}. First failure: ${summary.firstError}`);
    else void vscode.window.showInformationMessage(text);
    return summary;
  } finally {
    await file.close();
  }
}

/** Registers Replay Capture and Pause/Resume Replay. */
export function registerReplayCommands(connections: ConnectionManager, replays: Replays, log: Logger): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('mqttWorkbench.replayCapture', async (argument: unknown) => {
      try {
        return await replayCapture(connections, replays, argument, log);
      } catch (error) {
        reportFailure(log, 'Replay Capture', error instanceof Error && !(error instanceof SessionError) ? new SessionError(error.message) : error);
        return undefined;
      }
    }),
    registerReportingCommand(
      log,
      'pauseReplay',
      () => replays.togglePause(),
      'Pause Replay',
    ),
  ];
}
