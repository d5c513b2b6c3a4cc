import * as vscode from 'vscode';
import { registerPublishCommands } from './commands/publishCommand';
import { registerRepeatCommand } from './commands/repeatCommand';
import { registerRequestCommand } from './commands/requestCommand';
import { registerSavedMessageCommands } from './commands/savedMessageCommands';
import type { PublishServices } from './commands/publishSend';
import type { ConnectionManager } from './connections';
import type { Logger } from './log';
import type { StructHeaders } from './cstructHeaders';
import type { ProtobufSchemas } from './protobufSchemas';
import { PublishHistory } from './publishHistory';
import { SavedMessagesStore } from './savedMessages';
import type { TopicTrees } from './topicTrees';
import { SavedMessagesProvider } from './views/savedMessagesProvider';

/** What publishing offers the rest of the extension (the panel's form uses the history and the services). */
export interface Publishing {
  readonly services: PublishServices;
  readonly history: PublishHistory;
  readonly disposables: vscode.Disposable[];
}

/**
 * Everything about publishing: the publish, repeat, request and saved-message commands, the Saved Messages
 * view, and the publish history (recent topics, "Publish Again") kept in the workspace state.
 */
export function registerPublishing(connections: ConnectionManager, trees: TopicTrees, protobuf: ProtobufSchemas, structs: StructHeaders, workspaceState: vscode.Memento, log: Logger): Publishing {
  const history = new PublishHistory(workspaceState, trees);
  const services: PublishServices = { connections, protobuf, structs, history };
  const store = new SavedMessagesStore(protobuf, structs);
  const provider = new SavedMessagesProvider(store);
  const view = vscode.window.createTreeView('mqttWorkbench.savedMessages', { treeDataProvider: provider });
  return {
    services,
    history,
    disposables: [
      store,
      provider,
      view,
      ...registerPublishCommands(services, log),
      registerRepeatCommand(services, log),
      registerRequestCommand(services, log),
      ...registerSavedMessageCommands(services, store, log),
    ],
  };
}
