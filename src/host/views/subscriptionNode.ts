import * as vscode from 'vscode';
import type { SubscriptionStatus } from '../../core/subscriptions';
import { markdownText } from './markdownText';

/** A subscription under its connection: requested and granted QoS, or why the broker refused it. */
export class SubscriptionNode extends vscode.TreeItem {
  readonly kind = 'subscription';

  constructor(
    readonly connectionName: string,
    readonly status: SubscriptionStatus,
  ) {
    super(status.filter, vscode.TreeItemCollapsibleState.None);
    this.id = `subscription:${connectionName}:${status.filter}`;
    const requested = `QoS ${status.request.qos}`;
    if (status.state === 'refused') {
      this.description = `refused: ${status.error ?? 'unknown reason'}`;
      this.iconPath = new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('errorForeground'));
    } else if (status.state === 'active') {
      this.description = status.grantedQos === status.request.qos ? requested : `${requested} · granted QoS ${status.grantedQos}`;
      this.iconPath = new vscode.ThemeIcon('radio-tower');
    } else {
      this.description = `${requested} · pending`;
      this.iconPath = new vscode.ThemeIcon('watch');
    }
    this.contextValue = `subscription.${status.state}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${markdownText(status.filter)}**\n\nRequested ${requested}`);
    if (status.grantedQos !== undefined) md.appendMarkdown(` · granted QoS ${status.grantedQos}`);
    if (status.error) md.appendMarkdown(`\n\n$(error) ${markdownText(status.error)}`);
    this.tooltip = md;
  }
}
