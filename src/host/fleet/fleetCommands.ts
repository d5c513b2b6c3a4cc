/**
 * The fleet commands: Run Scenario (CodeLens, palette, explorer menu, or `{ file, durationSeconds? }` from a
 * task: resolves with the report), Stop Scenario, New Scenario, Start/Stop Simulated Devices.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sampleScenario } from '../../core/fleet/sampleScenario';
import { SessionError } from '../../core/session';
import { reportFailure } from '../commands/connectionCommands';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import type { FleetRuns, RunOutcome } from './fleetRuns';

/** The CodeLens and explorer menus match this. */
export const SCENARIO_GLOB = '**/*.mqttsim.json';

/** The scenario a command acts on: a Uri (menus, CodeLens), a path, `{ file }`, the active editor, or a pick. */
async function scenarioFile(argument: unknown, command: string): Promise<{ file: vscode.Uri; durationSeconds?: number } | undefined> {
  if (argument instanceof vscode.Uri) return { file: argument };
  if (argument !== undefined && argument !== null) {
    const record = typeof argument === 'object' ? (argument as { file?: unknown; durationSeconds?: unknown }) : { file: argument };
    const duration = record.durationSeconds;
    if (typeof record.file !== 'string' || record.file === '' || (duration !== undefined && (typeof duration !== 'number' || !(duration > 0)))) {
      throw new SessionError(`Expected { "file": "<path of a .mqttsim.json>", "durationSeconds": <positive number, optional> }, not ${JSON.stringify(argument)?.slice(0, 80)}.`);
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const file = path.isAbsolute(record.file) || !folder ? vscode.Uri.file(record.file) : vscode.Uri.joinPath(folder, record.file);
    return { file, durationSeconds: duration as number | undefined };
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.path.endsWith('.mqttsim.json')) return { file: active };
  const files = await vscode.workspace.findFiles(SCENARIO_GLOB, '**/node_modules/**', 200);
  if (files.length === 0) throw new SessionError('There is no *.mqttsim.json scenario in this workspace. Create one with "MQTT: New Scenario".');
  const picked = await vscode.window.showQuickPick(files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: command, placeHolder: 'Pick a scenario' });
  return picked && { file: picked.uri };
}

/** CodeLens on scenario files: Run (or Stop while running) and Start Simulated Devices. */
class ScenarioCodeLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly runs: FleetRuns) {
    this.onDidChangeCodeLenses = runs.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const running = this.runs.list().filter((run) => run.file.toString() === document.uri.toString());
    if (running.length > 0) return [new vscode.CodeLens(top, { title: '$(debug-stop) Stop', command: 'mqttWorkbench.stopScenario', arguments: [document.uri] })];
    return [
      new vscode.CodeLens(top, { title: '$(play) Run', command: 'mqttWorkbench.runScenario', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(radio-tower) Start Simulated Devices', command: 'mqttWorkbench.startSimulatedDevices', arguments: [document.uri] }),
    ];
  }
}

async function newScenario(connections: ConnectionManager, argument: unknown): Promise<vscode.Uri | undefined> {
  let target: vscode.Uri | undefined;
  if (typeof argument === 'object' && argument !== null && typeof (argument as { file?: unknown }).file === 'string') {
    target = vscode.Uri.file((argument as { file: string }).file);
  } else {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder) throw new SessionError('Open a folder first: the scenario is saved in the workspace.');
    const name = await vscode.window.showInputBox({ title: 'New Scenario', prompt: 'File name of the scenario', value: 'fleet', validateInput: (v) => (/^[\w.-]+$/.test(v) ? undefined : 'Letters, digits, ".", "-" and "_" only.') });
    if (name === undefined) return undefined;
    target = vscode.Uri.joinPath(folder, `${name.replace(/\.mqttsim\.json$/, '')}.mqttsim.json`);
  }
  const broker = connections.names()[0] ?? 'Local';
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${JSON.stringify(sampleScenario(broker), null, 2)}\n`));
  await vscode.window.showTextDocument(target);
  return target;
}

/** Registers the fleet commands and the scenario CodeLens. */
export function registerFleetCommands(runs: FleetRuns, connections: ConnectionManager, log: Logger): vscode.Disposable[] {
  const guarded = (id: string, title: string, body: (argument: unknown) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (argument: unknown) => {
      try {
        return await body(argument);
      } catch (error) {
        reportFailure(log, title, error, { title: 'Show Log', run: () => vscode.commands.executeCommand('mqttWorkbench.showLog') });
        return undefined;
      }
    });
  const devicesRunning = (): void => void vscode.commands.executeCommand('setContext', 'mqttWorkbench.simulatedDevicesRunning', runs.list('devices').length > 0);
  return [
    runs.onDidChange(devicesRunning),
    vscode.languages.registerCodeLensProvider({ pattern: SCENARIO_GLOB }, new ScenarioCodeLens(runs)),
    guarded('mqttWorkbench.runScenario', 'Run Scenario', async (argument): Promise<RunOutcome | undefined> => {
      const target = await scenarioFile(argument, 'Run Scenario');
      if (!target) return undefined;
      const started = await runs.launch(target.file, 'run', target.durationSeconds);
      return started && (await started.outcome);
    }),
    guarded('mqttWorkbench.stopScenario', 'Stop Scenario', async (argument) => runs.stopFile(argument instanceof vscode.Uri ? argument : undefined)),
    guarded('mqttWorkbench.newScenario', 'New Scenario', (argument) => newScenario(connections, argument)),
    guarded('mqttWorkbench.startSimulatedDevices', 'Start Simulated Devices', async (argument) => {
      const target = await scenarioFile(argument, 'Start Simulated Devices');
      const started = target && (await runs.launch(target.file, 'devices'));
      if (!started) return undefined;
      started.outcome.catch((error: unknown) => reportFailure(log, 'Simulated Devices', error));
      void vscode.commands.executeCommand('mqttWorkbench.connections.focus');
      return started.run.id;
    }),
    guarded('mqttWorkbench.stopSimulatedDevices', 'Stop Simulated Devices', async (argument) => {
      const id = typeof argument === 'object' && argument !== null && typeof (argument as { runId?: unknown }).runId === 'number' ? (argument as { runId: number }).runId : undefined;
      const targets = id !== undefined ? [id] : runs.list('devices').map((run) => run.id);
      for (const target of targets) runs.stop(target);
      return targets.length;
    }),
  ];
}
