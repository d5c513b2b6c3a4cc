import * as vscode from 'vscode';
import { plannedPublish, untrustedActionMessage } from '../../core/monitor/actionPlan';
import type { AlertRecord } from '../../core/monitor/alertRecord';
import type { PublishFields } from '../../core/publish/publishArgument';
import { buildPublish, describeOutcome, type PublishServices } from '../commands/publishSend';
import { describeError, type Logger } from '../log';
import type { SavedMessagesStore } from '../savedMessages';

/** However short a rule's cooldown, its action runs at most this often (a runaway loop guard). */
const MIN_ACTION_INTERVAL_MS = 1000;

/** Runs a rule's recovery action (the engine already limited it to once per cooldown). Logs every run. */
export class AlertActions {
  private readonly lastRun = new Map<string, number>();
  /** Actions run so far (diagnostics and tests). */
  runs = 0;

  constructor(
    private readonly services: PublishServices,
    private readonly savedMessages: SavedMessagesStore,
    private readonly log: Logger,
  ) {}

  async run(alert: AlertRecord): Promise<void> {
    const { rule } = alert;
    const action = rule.action;
    if (!action) return;
    if (!vscode.workspace.isTrusted) {
      this.log.warn(untrustedActionMessage(rule.name));
      return;
    }
    const now = Date.now();
    if (now - (this.lastRun.get(rule.name) ?? -Infinity) < MIN_ACTION_INTERVAL_MS) return;
    this.lastRun.set(rule.name, now);
    this.runs++;
    try {
      switch (action.kind) {
        case 'publish':
          await this.publish(alert, plannedPublish(alert) ?? {}, `alerts[${rule.index}].action.publish`);
          return;
        case 'publishSaved': {
          const saved = this.savedMessages.find(action.savedMessage);
          if (!saved || saved.problems.length > 0) throw new Error(`there is no valid saved message named "${action.savedMessage}"`);
          await this.publish(alert, saved.fields, `savedMessages[${saved.index}]`);
          return;
        }
        case 'reconnect':
          this.log.info(`action of "${rule.name}": reconnecting ${alert.connection}`);
          await this.services.connections.reconnect(alert.connection);
          return;
        case 'command':
          this.log.info(`action of "${rule.name}": running command ${action.command}`);
          await vscode.commands.executeCommand(action.command, ...action.args);
          return;
      }
    } catch (error) {
      const message = `The action of alert rule "${rule.name}" failed: ${describeError(error)}`;
      this.log.error(message);
      void vscode.window.showErrorMessage(message);
    }
  }

  private async publish(alert: AlertRecord, fields: PublishFields, path: string): Promise<void> {
    const connection = fields.connection ?? alert.connection;
    const built = await buildPublish(this.services, connection, { ...fields, connection }, path);
    const outcome = await this.services.connections.publishOrQueue(connection, built);
    this.log.info(`action of "${alert.rule.name}": published to ${built.topic} on ${connection}: ${describeOutcome(outcome)}`);
  }
}
