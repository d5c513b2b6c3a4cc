import * as vscode from 'vscode';
import { brokerSnapshot, healthSnapshot } from '../../core/monitor/snapshots';
import { SessionError } from '../../core/session';
import { topicMatchesFilter } from '../../core/topics';
import { validateFromMonitorWebview, type ToMonitorWebview } from '../../shared/monitorProtocol';
import { resolveConnectionName } from '../commands/connectionArgument';
import { guarded } from '../commands/publishCommand';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import { panelHtml } from '../panel/html';
import type { MonitorService } from './monitorService';

type Kind = 'health' | 'broker';
const TITLES: Record<Kind, string> = { health: 'Connection Health', broker: 'Broker Dashboard' };
/** Snapshots are posted at most once a second, only while the panel is visible. */
const POST_MS = 1000;
/** The charts show the last hour (the history keeps a day). */
const WINDOW_MS = 3_600_000;
const SYS_FILTER = '$SYS/#';

/** The Connection Health and Broker Dashboard webviews: one panel each, fed by snapshots of the monitor. */
export class MonitorPanels implements vscode.Disposable {
  private readonly panels = new Map<Kind, vscode.WebviewPanel>();
  /** Connections the dashboard shows, in the order they were opened. */
  private readonly brokers: string[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly monitor: MonitorService,
    private readonly connections: ConnectionManager,
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => this.postAll(), POST_MS);
  }

  /** Opens (or reveals) a panel. */
  open(kind: Kind): void {
    const existing = this.panels.get(kind);
    if (existing) {
      existing.reveal();
      this.post(kind);
      return;
    }
    const panel = vscode.window.createWebviewPanel(`mqttWorkbench.${kind}`, TITLES[kind], vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    panel.webview.html = panelHtml(panel.webview, this.extensionUri, TITLES[kind], { script: 'monitor.js', style: 'monitor.css' });
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const checked = validateFromMonitorWebview(raw);
      if (!checked.ok) this.log.warn(`[${kind}] rejected a message from the webview: ${checked.reason}`);
      else this.post(kind);
    });
    panel.onDidDispose(() => this.panels.delete(kind));
    this.panels.set(kind, panel);
  }

  /** Adds a connection to the dashboard and subscribes it to `$SYS/#` when no subscription covers that yet. */
  async openBroker(connection: string): Promise<void> {
    if (!this.brokers.includes(connection)) this.brokers.push(connection);
    const session = this.connections.get(connection)?.session;
    if (session?.state.kind === 'connected' && !session.subscriptions.list().some((s) => topicMatchesFilter(s.filter, '$SYS/broker/uptime'))) {
      await session.subscribe({ filter: SYS_FILTER, qos: 0 });
    }
    this.open('broker');
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const panel of this.panels.values()) panel.dispose();
  }

  private postAll(): void {
    for (const kind of this.panels.keys()) this.post(kind);
  }

  private post(kind: Kind): void {
    const panel = this.panels.get(kind);
    if (!panel?.visible) return;
    const now = Date.now();
    const since = now - WINDOW_MS;
    let message: ToMonitorWebview;
    if (kind === 'health') {
      const connections = [...this.monitor.health.values()].map((h) => healthSnapshot(h, this.connections.get(h.connection)?.state.kind ?? 'removed', since, now));
      message = { type: 'health', now, since, connections };
    } else {
      const brokers = this.brokers.filter((name) => this.connections.get(name)).map((name) => brokerSnapshot(name, this.monitor.brokers.get(name), since));
      const silent = brokers.filter((b) => b.flavor === undefined).map((b) => b.connection);
      const note = silent.length > 0 ? `No $SYS figures yet from ${silent.join(', ')}: brokers publish them every 10 s or so, some only to privileged users, and some not at all.` : undefined;
      message = { type: 'broker', now, brokers, note };
    }
    void panel.webview.postMessage(message);
  }
}

/** The commands that open the panels. */
export function registerMonitorPanels(panels: MonitorPanels, connections: ConnectionManager, log: Logger): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('mqttWorkbench.openConnectionHealth', () => panels.open('health')),
    vscode.commands.registerCommand(
      'mqttWorkbench.openBrokerDashboard',
      guarded(log, 'Open Broker Dashboard', async (argument) => {
        const name = await resolveConnectionName(connections, argument, 'Open Broker Dashboard');
        if (name === undefined) return undefined;
        if (connections.get(name)?.state.kind !== 'connected') throw new SessionError(`"${name}" is not connected. Connect it first.`);
        await panels.openBroker(name);
        return name;
      }),
    ),
  ];
}
