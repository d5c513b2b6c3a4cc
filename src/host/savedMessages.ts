import * as vscode from 'vscode';
import type { PublishFields } from '../core/publish/publishArgument';
import { parseSavedMessages, SAVED_MESSAGES_KEY, savedMessageValue, type SavedMessage } from '../core/publish/savedMessages';
import { SECTION } from './config';
import type { StructHeaders } from './cstructHeaders';
import type { ProtobufSchemas } from './protobufSchemas';

/** Where the saved messages are read from and written to: the workspace when a folder is open, else the user. */
export type SavedMessagesScope = 'workspace' | 'user';

/**
 * The setting `mqttWorkbench.savedMessages`: read (with every entry's problems), and changed in the scope it
 * comes from so a team's list in `.vscode/settings.json` stays there.
 */
export class SavedMessagesStore implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly listener: vscode.Disposable;
  /** Fires when the setting changed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly protobuf: ProtobufSchemas,
    private readonly structs: StructHeaders,
  ) {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`${SECTION}.${SAVED_MESSAGES_KEY}`) && this.changeEmitter.fire());
  }

  /** The scope entries are read from and written to. */
  scope(): SavedMessagesScope {
    const inspected = this.configuration().inspect<unknown>(SAVED_MESSAGES_KEY);
    if (inspected?.workspaceValue !== undefined) return 'workspace';
    if (inspected?.globalValue !== undefined) return 'user';
    return vscode.workspace.workspaceFolders?.length ? 'workspace' : 'user';
  }

  /** Every entry, valid or not, in the setting's order. */
  list(): SavedMessage[] {
    return parseSavedMessages(this.raw(), { proto: this.protobuf.context.proto, structs: this.structs.context.structs });
  }

  /** The entry called `name`. */
  find(name: string): SavedMessage | undefined {
    return this.list().find((m) => m.name === name);
  }

  /** Adds a message, or replaces the one with the same name. */
  async save(name: string, fields: PublishFields): Promise<void> {
    const list = this.raw();
    const value = savedMessageValue(name, fields);
    const index = list.findIndex((item) => nameOf(item) === name);
    if (index >= 0) list[index] = value;
    else list.push(value);
    await this.write(list);
  }

  /** Removes the entry at `index` (as listed). */
  async remove(index: number): Promise<void> {
    const list = this.raw();
    list.splice(index, 1);
    await this.write(list.length > 0 ? list : undefined);
  }

  dispose(): void {
    this.listener.dispose();
    this.changeEmitter.dispose();
  }

  private configuration(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  private raw(): unknown[] {
    const inspected = this.configuration().inspect<unknown>(SAVED_MESSAGES_KEY);
    const value = this.scope() === 'workspace' ? inspected?.workspaceValue : inspected?.globalValue;
    return Array.isArray(value) ? [...(value as unknown[])] : [];
  }

  private async write(list: unknown[] | undefined): Promise<void> {
    const target = this.scope() === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await this.configuration().update(SAVED_MESSAGES_KEY, list, target);
  }
}

function nameOf(item: unknown): unknown {
  return typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : undefined;
}
