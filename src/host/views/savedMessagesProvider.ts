import * as vscode from 'vscode';
import type { SavedMessage } from '../../core/publish/savedMessages';
import type { SavedMessagesStore } from '../savedMessages';
import { markdownText } from './markdownText';

/** One saved message. Click publishes it. contextValue: `savedMessage` or `savedMessage.invalid`. */
export class SavedMessageNode extends vscode.TreeItem {
  readonly kind = 'savedMessage';

  constructor(readonly message: SavedMessage) {
    super(message.name, vscode.TreeItemCollapsibleState.None);
    const { fields, problems } = message;
    this.id = `savedMessage:${message.index}:${message.name}`;
    const where = [fields.topic ?? '(no topic)', fields.connection ?? 'any connection', `QoS ${fields.qos ?? 0}${fields.retain ? ' · retained' : ''}`];
    this.description = problems.length > 0 ? `${problems.length} problem${problems.length === 1 ? '' : 's'} · ${where[0]}` : where.join(' · ');
    this.iconPath = problems.length > 0 ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground')) : new vscode.ThemeIcon(fields.file ? 'file-binary' : 'mail');
    this.contextValue = problems.length > 0 ? 'savedMessage.invalid' : 'savedMessage';
    this.tooltip = tooltip(message, where);
    this.command = { command: 'mqttWorkbench.publishSavedMessage', title: 'Publish', arguments: [message.name] };
    this.accessibilityInformation = { label: `${message.name}, ${problems.length > 0 ? 'invalid' : where.join(', ')}` };
  }
}

function tooltip({ name, description, fields, problems }: SavedMessage, where: string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${markdownText(name)}**${description ? ` · ${markdownText(description)}` : ''}\n\n${where.map(markdownText).join(' · ')}\n\n`);
  if (fields.file !== undefined) md.appendMarkdown(`Payload: file ${markdownText(fields.file)}\n\n`);
  else if (fields.payload !== undefined) md.appendMarkdown(`Payload (${fields.format ?? 'text'}): ${markdownText(fields.payload.slice(0, 200))}\n\n`);
  for (const problem of problems) md.appendMarkdown(`$(warning) ${markdownText(problem)}\n\n`);
  if (problems.length === 0) md.appendMarkdown('Click to publish.');
  return md;
}

/** The Saved Messages view: `mqttWorkbench.savedMessages` of the workspace (or user) settings. */
export class SavedMessagesProvider implements vscode.TreeDataProvider<SavedMessageNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly listener: vscode.Disposable;
  readonly onDidChangeTreeData = this.changeEmitter.event;

  constructor(private readonly store: SavedMessagesStore) {
    this.listener = store.onDidChange(() => this.changeEmitter.fire());
  }

  getTreeItem(node: SavedMessageNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: SavedMessageNode): SavedMessageNode[] {
    return node ? [] : this.store.list().map((m) => new SavedMessageNode(m));
  }

  dispose(): void {
    this.listener.dispose();
    this.changeEmitter.dispose();
  }
}
