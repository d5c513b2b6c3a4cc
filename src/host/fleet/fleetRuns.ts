/**
 * The fleet runs of this window: each a simulator child process, with a dashboard (scenario runs) or an entry
 * in the Connections view (simulated devices). Writes the Markdown + JSON report next to the scenario and opens
 * the Markdown preview. A crash of the simulator is reported; the editor is not affected.
 */
import * as vscode from 'vscode';
import { plannedRate } from '../../core/fleet/scenario';
import type { FleetReport } from '../../core/fleet/report';
import { reportPaths } from '../../core/fleet/reportFiles';
import { renderReportMarkdown } from '../../core/fleet/reportMarkdown';
import { SimulatorError, SimulatorProcess } from '../../core/fleet/simulatorProcess';
import type { FleetSnapshot } from '../../shared/fleetSnapshot';
import { SessionError } from '../../core/session';
import type { ConnectionManager } from '../connections';
import type { CredentialPrompter } from '../credentials';
import type { Logger } from '../log';
import { FleetDashboard } from './dashboard';
import { prepareRun, type RunMode } from './scenarioRequest';

/** A run in progress. */
export interface ActiveRun {
  readonly id: number;
  readonly file: vscode.Uri;
  readonly name: string;
  readonly mode: RunMode;
  readonly broker: string;
  latest?: FleetSnapshot;
}

/** What `mqttWorkbench.runScenario` resolves with. */
export interface RunOutcome {
  report: FleetReport;
  /** Paths of the report files written next to the scenario. */
  markdown: string;
  json: string;
}

/** Owns every running simulator of the window. */
export class FleetRuns implements vscode.Disposable {
  private readonly runs = new Map<number, { run: ActiveRun; simulator: SimulatorProcess; dashboard?: FleetDashboard }>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when a run starts, ends, or its simulated devices' counts change. */
  readonly onDidChange = this.changeEmitter.event;
  private nextId = 1;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly prompter: CredentialPrompter,
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {}

  /** Running simulated-device fleets and scenario runs. */
  list(mode?: RunMode): ActiveRun[] {
    return [...this.runs.values()].map((r) => r.run).filter((run) => mode === undefined || run.mode === mode);
  }

  /** Asks a run to end (it still writes its report). */
  stop(id: number): void {
    this.runs.get(id)?.simulator.stop();
  }

  /** Stops the scenario runs of one file (or all); true when one was running. */
  stopFile(file?: vscode.Uri): boolean {
    const matching = [...this.runs.values()].filter((r) => file === undefined || r.run.file.toString() === file.toString());
    for (const r of matching) r.simulator.stop();
    return matching.length > 0;
  }

  /**
   * Starts a scenario (mode 'run': dashboard, then report) or its responders until stopped (mode 'devices').
   * Resolves once the simulator runs (undefined when the user declined a safety limit), with the run and its
   * outcome: the report, or a rejection with a sentence.
   */
  async launch(file: vscode.Uri, mode: RunMode, durationSeconds?: number): Promise<{ run: ActiveRun; outcome: Promise<RunOutcome> } | undefined> {
    const prepared = await prepareRun(file, mode, durationSeconds, this.connections, this.prompter);
    if (!prepared) return undefined;
    const { request, scenario } = prepared;
    const run: ActiveRun = { id: this.nextId++, file, name: request.name, mode, broker: scenario.broker };
    let dashboard: FleetDashboard | undefined;
    const simulatorJs = vscode.Uri.joinPath(this.extensionUri, 'dist', 'simulator.js').fsPath;
    const simulator = new SimulatorProcess(simulatorJs, request, (snapshot) => {
      const changedClients = run.latest?.clients.connected !== snapshot.clients.connected || run.latest.clients.failed !== snapshot.clients.failed;
      run.latest = snapshot;
      dashboard?.update(snapshot);
      if (changedClients) this.changeEmitter.fire();
    });
    let written: RunOutcome | undefined;
    if (mode === 'run') {
      dashboard = new FleetDashboard(
        { name: request.name, broker: scenario.broker, clients: scenario.clients, plannedRate: plannedRate(scenario), stop: () => simulator.stop(), openReport: () => written && void this.openReport(written.markdown) },
        this.extensionUri,
        this.log.child('dashboard'),
      );
    }
    this.runs.set(run.id, { run, simulator, dashboard });
    this.changeEmitter.fire();
    this.log.info(`[${request.name}] ${mode === 'run' ? 'running' : 'simulated devices started'}: ${scenario.clients} clients on "${scenario.broker}" (simulator pid ${simulator.pid ?? '?'})`);
    const outcome = (async (): Promise<RunOutcome> => {
      try {
        const report = await simulator.report;
        written = await this.writeReport(file, report);
        dashboard?.finished({ summary: `Done: ${report.totals.sent.toLocaleString('en-US')} messages sent in ${report.durationSeconds.toFixed(1)} s.`, reportPath: written.markdown });
        this.log.info(`[${request.name}] report written to ${written.markdown}`);
        if (mode === 'run') await this.openReport(written.markdown);
        return written;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        dashboard?.finished({ summary: 'The run failed.', error: message });
        if (error instanceof SimulatorError && error.output) this.log.error(`[${request.name}] simulator output:\n${error.output}`);
        throw new SessionError(message);
      } finally {
        this.runs.delete(run.id);
        this.changeEmitter.fire();
      }
    })();
    return { run, outcome };
  }

  /** The simulator process id of a run (tests). */
  pid(id: number): number | undefined {
    return this.runs.get(id)?.simulator.pid;
  }

  dispose(): void {
    for (const { simulator, dashboard } of this.runs.values()) {
      simulator.kill();
      dashboard?.dispose();
    }
    this.runs.clear();
    this.changeEmitter.dispose();
  }

  private async writeReport(file: vscode.Uri, report: FleetReport): Promise<RunOutcome> {
    const paths = reportPaths(file.fsPath, new Date(report.runs[0]?.startedAt ?? Date.now()));
    const encoder = new TextEncoder();
    await vscode.workspace.fs.writeFile(vscode.Uri.file(paths.markdown), encoder.encode(renderReportMarkdown(report)));
    await vscode.workspace.fs.writeFile(vscode.Uri.file(paths.json), encoder.encode(`${JSON.stringify(report, null, 2)}\n`));
    return { report, ...paths };
  }

  /** Opens the report beside the dashboard, which stays in view with its final figures. */
  private async openReport(markdown: string): Promise<void> {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', vscode.Uri.file(markdown));
  }
}
