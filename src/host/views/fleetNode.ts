import * as vscode from 'vscode';
import type { ActiveRun } from '../fleet/fleetRuns';

/** A running "Start Simulated Devices" fleet in the Connections view, with a stop action. */
export class FleetNode extends vscode.TreeItem {
  /** Passed to mqttWorkbench.stopSimulatedDevices by the inline action. */
  readonly runId: number;

  constructor(run: ActiveRun) {
    super(`${run.name} (simulated)`, vscode.TreeItemCollapsibleState.None);
    this.runId = run.id;
    const clients = run.latest?.clients;
    this.description = clients ? `${clients.connected}/${clients.target} connected${clients.failed > 0 ? `, ${clients.failed} refused` : ''}` : 'starting';
    this.tooltip = `Simulated devices of ${vscode.workspace.asRelativePath(run.file)} on "${run.broker}": the respond rules run until stopped.${run.latest?.errors[0] ? `\nMost frequent error: ${run.latest.errors[0].reason}` : ''}`;
    this.iconPath = new vscode.ThemeIcon('vm-running');
    this.contextValue = 'fleet.devices';
    this.id = `fleet:${run.id}`;
    this.command = { command: 'vscode.open', title: 'Open Scenario', arguments: [run.file] };
  }
}
