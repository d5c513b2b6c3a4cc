import * as vscode from 'vscode';
import type { AlertRecord } from '../../core/monitor/alertRecord';
import { formatAge } from '../../core/payload/preview';
import type { MonitorService } from './monitorService';

/** The Alerts view: active alerts first, then recent ones that cleared; a badge counts the active ones. */
export class AlertsProvider implements vscode.TreeDataProvider<AlertRecord>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<AlertRecord | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;
  private readonly timer: NodeJS.Timeout;
  private changed = false;
  private view: vscode.TreeView<AlertRecord> | undefined;

  constructor(private readonly monitor: MonitorService) {
    this.subscription = monitor.engine.onEvent(() => (this.changed = true));
    // Events can come in bursts (a rule over many topics): the list redraws at most 4 times a second.
    this.timer = setInterval(() => this.flush(), 250);
  }

  /** The view whose badge shows the active count. */
  attach(view: vscode.TreeView<AlertRecord>): void {
    this.view = view;
  }

  getTreeItem(alert: AlertRecord): vscode.TreeItem {
    const now = Date.now();
    const active = alert.clearedAt === undefined;
    const item = new vscode.TreeItem(alert.rule.name, vscode.TreeItemCollapsibleState.None);
    item.id = `alert:${alert.id}`;
    const where = alert.topic !== undefined ? `${alert.topic} · ` : '';
    item.description = `${alert.value} · ${where}${alert.connection} · ${active ? formatAge(alert.firedAt, now) : `cleared ${formatAge(alert.clearedAt ?? now, now)}`}`;
    const color = alert.rule.severity === 'error' ? 'problemsErrorIcon.foreground' : alert.rule.severity === 'information' ? 'problemsInfoIcon.foreground' : 'problemsWarningIcon.foreground';
    item.iconPath = active ? new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor(color)) : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    item.contextValue = active ? 'alert.active' : 'alert.cleared';
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(`${alert.reason}\nFired ${new Date(alert.firedAt).toLocaleTimeString()}`);
    if (!active) tooltip.appendText(`\nCleared ${new Date(alert.clearedAt ?? now).toLocaleTimeString()}${alert.clearReason ? `: ${alert.clearReason}` : ''}`);
    const mutedUntil = this.monitor.engine.mutedUntil(alert.rule.name);
    if (mutedUntil !== undefined) tooltip.appendText(`\nNotifications muted until ${new Date(mutedUntil).toLocaleTimeString()}`);
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${active ? 'Active' : 'Cleared'} alert ${alert.reason}` };
    if (alert.message) item.command = { command: 'mqttWorkbench.showAlertMessage', title: 'Show Message', arguments: [alert.id] };
    return item;
  }

  getChildren(element?: AlertRecord): AlertRecord[] {
    if (element) return [];
    const recent = this.monitor.engine.recent();
    return [...recent.filter((a) => a.clearedAt === undefined), ...recent.filter((a) => a.clearedAt !== undefined)];
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  private flush(): void {
    if (!this.changed) return;
    this.changed = false;
    const active = this.monitor.engine.active().length;
    if (this.view) this.view.badge = active > 0 ? { value: active, tooltip: `${active} active MQTT alert${active === 1 ? '' : 's'}` } : undefined;
    this.changeEmitter.fire(undefined);
  }
}
