import * as vscode from 'vscode';
import { alertNotificationText, clearedNotificationText, type AlertEvent } from '../../core/monitor/alertRecord';
import type { AlertActions } from './alertActions';
import type { MonitorService } from './monitorService';

/** The buttons of an alert notification. */
export const SHOW_MESSAGE = 'Show Message';
export const MUTE_FOR_AN_HOUR = 'Mute for 1 Hour';
const HOUR_MS = 3_600_000;

/**
 * Turns alert events into what a user sees: a notification (when the engine says so: one per rule per cooldown,
 * not while muted) with "Show Message" and "Mute for 1 Hour", the status bar item, and the rule's action.
 */
export class AlertNotifier implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mqttWorkbench.alerts', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly monitor: MonitorService,
    private readonly actions: AlertActions,
  ) {
    this.item.name = 'MQTT Alerts';
    this.item.command = 'mqttWorkbench.alerts.focus';
    this.subscription = monitor.engine.onEvent((event) => this.handle(event));
    this.update();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private handle(event: AlertEvent): void {
    this.update();
    if (event.act) void this.actions.run(event.alert);
    if (!event.notify) return;
    if (event.kind === 'cleared') {
      void vscode.window.showInformationMessage(clearedNotificationText(event.alert));
      return;
    }
    const { alert } = event;
    const buttons = alert.message ? [SHOW_MESSAGE, MUTE_FOR_AN_HOUR] : [MUTE_FOR_AN_HOUR];
    const text = alertNotificationText(alert);
    const shown = alert.rule.severity === 'error' ? vscode.window.showErrorMessage(text, ...buttons) : alert.rule.severity === 'information' ? vscode.window.showInformationMessage(text, ...buttons) : vscode.window.showWarningMessage(text, ...buttons);
    void shown.then((choice) => {
      if (choice === SHOW_MESSAGE) void vscode.commands.executeCommand('mqttWorkbench.showAlertMessage', alert.id);
      else if (choice === MUTE_FOR_AN_HOUR) this.monitor.engine.mute(alert.rule.name, HOUR_MS);
    });
  }

  /** The status bar shows the number of active alerts (hidden when none). */
  private update(): void {
    const active = this.monitor.engine.active();
    if (active.length === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(bell-dot) ${active.length}`;
    this.item.tooltip = active.slice(0, 10).map((a) => alertNotificationText(a)).join('\n');
    this.item.backgroundColor = new vscode.ThemeColor(active.some((a) => a.rule.severity === 'error') ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.item.accessibilityInformation = { label: `${active.length} MQTT alert${active.length === 1 ? '' : 's'} active` };
    this.item.show();
  }
}
