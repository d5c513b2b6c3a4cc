import * as vscode from 'vscode';
import { DASHBOARD_HISTORY, validateFromDashboard, type DashboardFinish, type ToDashboard } from '../../shared/dashboardProtocol';
import type { FleetSnapshot } from '../../shared/fleetSnapshot';
import type { Logger } from '../log';
import { panelHtml } from '../panel/html';

/** What the dashboard shows about its run, and what its buttons do. */
export interface DashboardRun {
  name: string;
  broker: string;
  clients: number;
  plannedRate: number;
  stop(): void;
  openReport(): void;
}

/**
 * The live dashboard of one fleet run: a webview with the message panel's CSP, fed one snapshot a second
 * (the webview keeps a bounded history for its charts). Closing it does not stop the run.
 */
export class FleetDashboard implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly snapshots: FleetSnapshot[] = [];
  private finish: DashboardFinish | undefined;
  private ready = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly run: DashboardRun,
    extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {
    this.panel = vscode.window.createWebviewPanel('mqttWorkbench.fleetDashboard', `Fleet: ${run.name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    this.panel.webview.html = panelHtml(this.panel.webview, extensionUri, `Fleet: ${run.name}`, { script: 'dashboard.js', style: 'dashboard.css' });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      this.panel.onDidDispose(() => {
        this.disposed = true;
        this.dispose();
      }),
    );
  }

  /** Shows a new second of the run. */
  update(snapshot: FleetSnapshot): void {
    this.snapshots.push(snapshot);
    if (this.snapshots.length > DASHBOARD_HISTORY) this.snapshots.shift();
    this.post({ type: 'snapshot', snapshot });
  }

  /** Shows how the run ended. */
  finished(finish: DashboardFinish): void {
    this.finish = finish;
    this.post({ type: 'finished', finish });
  }

  reveal(): void {
    if (!this.disposed) this.panel.reveal();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    if (!this.disposed) this.panel.dispose();
  }

  private post(message: ToDashboard): void {
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const checked = validateFromDashboard(raw);
    if (!checked.ok) {
      this.log.warn(`[dashboard] rejected a message from the webview: ${checked.reason}`);
      return;
    }
    switch (checked.message.type) {
      case 'ready': {
        this.ready = true;
        const { name, broker, clients, plannedRate } = this.run;
        this.post({ type: 'init', name, broker, clients, plannedRate, snapshots: [...this.snapshots], finished: this.finish });
        return;
      }
      case 'stop':
        this.run.stop();
        return;
      case 'openReport':
        this.run.openReport();
        return;
    }
  }
}
