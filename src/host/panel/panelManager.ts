import * as vscode from 'vscode';
import { SessionError } from '../../core/session';
import type { HistoryFilterInput } from '../../shared/protocol';
import { reportFailure } from '../commands/connectionCommands';
import { resolveConnectionName } from '../commands/connectionArgument';
import type { ConnectionManager } from '../connections';
import type { HistoryStore } from '../histories';
import type { Logger } from '../log';
import type { StructHeaders } from '../cstructHeaders';
import type { ProtobufSchemas } from '../protobufSchemas';
import { MessagesPanel, type PanelServices, type PanelState } from './messagesPanel';
import type { PublishTarget } from './publishForm';

export const PANEL_VIEW_TYPE = 'mqttWorkbench.messages';

/** One message panel per connection: opens, reveals, and restores them after a window reload. */
export class PanelManager implements vscode.Disposable {
  private readonly panels = new Map<string, MessagesPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  private readonly services: PanelServices;

  constructor(
    connections: ConnectionManager,
    histories: HistoryStore,
    private readonly extensionUri: vscode.Uri,
    protobuf: ProtobufSchemas,
    structs: StructHeaders,
    log: Logger,
    publishTarget: (connection: string) => PublishTarget,
  ) {
    this.services = { histories, connections, extensionUri, log, protobuf: () => protobuf.context, structs: () => structs.context, publishTarget };
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const restored = readState(state);
          if (!restored || !connections.get(restored.connection)) {
            panel.dispose();
            return;
          }
          this.adopt(panel, restored.connection, restored.filter);
        },
      }),
      vscode.commands.registerCommand('mqttWorkbench.openMessages', async (argument: unknown) => {
        try {
          const topicFilter = typeof argument === 'object' && argument !== null && 'topicFilter' in argument ? (argument as { topicFilter: unknown }).topicFilter : undefined;
          if (topicFilter !== undefined && typeof topicFilter !== 'string') throw new SessionError('openMessages.topicFilter: must be a string');
          const connection = await resolveConnectionName(connections, argument, 'Show Messages');
          if (connection === undefined) return undefined;
          this.open(connection, topicFilter);
          return connection;
        } catch (error) {
          reportFailure(log, 'Show Messages', error);
          return undefined;
        }
      }),
    );
  }

  /** Opens (or reveals) the panel of a connection, optionally filtered to a topic filter. */
  open(connection: string, topicFilter?: string): MessagesPanel {
    const existing = this.panels.get(connection);
    if (existing) {
      if (topicFilter !== undefined) existing.showTopic(topicFilter);
      else existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, `Messages: ${connection}`, vscode.ViewColumn.Active, { enableScripts: true, retainContextWhenHidden: false });
    return this.adopt(panel, connection, topicFilter === undefined ? undefined : { topicFilter, text: '', regex: false });
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, connection: string, filter?: HistoryFilterInput): MessagesPanel {
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activitybar.svg');
    const messagesPanel = new MessagesPanel(panel, connection, this.services, filter);
    this.panels.set(connection, messagesPanel);
    messagesPanel.onDidDispose(() => this.panels.delete(connection));
    return messagesPanel;
  }
}

/** The serializer's state as the webview saved it; anything else is ignored. */
function readState(state: unknown): PanelState | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const { connection, filter } = state as Record<string, unknown>;
  if (typeof connection !== 'string') return undefined;
  const f = filter as Partial<HistoryFilterInput> | undefined;
  const valid = f && typeof f.topicFilter === 'string' && typeof f.text === 'string' && typeof f.regex === 'boolean';
  return { connection, filter: valid ? (f as HistoryFilterInput) : undefined };
}
