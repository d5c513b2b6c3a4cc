import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { MessageHistory, type HistoryLimits } from '../core/history';
import { SECTION } from './config';
import type { ConnectionManager } from './connections';
import type { Logger } from './log';
import { savedConnectionFiles } from './storageFolder';

const LIMIT_KEYS = { maxMessages: 'history.maxMessages', maxBytes: 'history.maxMegabytes' } as const;
/** Saved history per connection is kept under this size on disk. */
const SAVED_BYTES_PER_CONNECTION = 8 * 1024 * 1024;
/** Histories that changed are also saved this often, so a crashed or killed window loses at most this much. */
const AUTOSAVE_MS = 60_000;
const FILE_SUFFIX = '.bin';

/** The file a connection's history is saved in (any name is safe as a file name once URI-encoded). */
const fileName = (connection: string): string => `${encodeURIComponent(connection)}${FILE_SUFFIX}`;

/** The limits from settings: `mqttWorkbench.history.maxMessages` and `.maxMegabytes`. */
export function historyLimits(): HistoryLimits {
  const config = vscode.workspace.getConfiguration(SECTION);
  const messages = config.get<number>(LIMIT_KEYS.maxMessages, 10_000);
  const megabytes = config.get<number>(LIMIT_KEYS.maxBytes, 64);
  return {
    maxMessages: Number.isInteger(messages) && messages > 0 ? messages : 10_000,
    maxBytes: (Number.isFinite(megabytes) && megabytes > 0 ? megabytes : 64) * 1024 * 1024,
  };
}

/**
 * One bounded MessageHistory per connection, fed with every received and published message, saved to the
 * workspace storage on deactivate (bounded on disk) and restored on the next activation.
 */
export class HistoryStore implements vscode.Disposable {
  private readonly histories = new Map<string, MessageHistory>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The last id of each history when it was last saved: unchanged histories are not written again. */
  private readonly savedAt = new Map<string, number>();
  private readonly restoredEmitter = new vscode.EventEmitter<string>();
  /** Fires with a connection name when its saved history replaced the (empty) one created at startup. */
  readonly onDidRestore = this.restoredEmitter.event;
  private readonly autosave = setInterval(() => void this.save().catch((error: unknown) => this.log.warn(`autosave failed: ${String(error)}`)), AUTOSAVE_MS);

  constructor(
    connections: ConnectionManager,
    private readonly storage: vscode.Uri | undefined,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      connections.onMessage(({ connection, message }) => this.get(connection).append(message)),
      connections.onSent(({ connection, message }) => this.get(connection).append(message)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(`${SECTION}.history`)) return;
        const limits = historyLimits();
        for (const history of this.histories.values()) history.setLimits(limits);
      }),
    );
  }

  /** The history of a connection (created empty when missing). */
  get(connection: string): MessageHistory {
    let history = this.histories.get(connection);
    if (!history) {
      history = new MessageHistory(historyLimits());
      this.histories.set(connection, history);
    }
    return history;
  }

  /** Restores saved histories; a file that cannot be read is reported in the log and skipped. */
  async restore(): Promise<void> {
    if (!this.storage) return;
    for (const { connection, uri } of await savedConnectionFiles(this.historyFolder(), FILE_SUFFIX)) {
      const bytes = await vscode.workspace.fs.readFile(uri);
      const { history, restored, error } = MessageHistory.deserialize(bytes, historyLimits());
      if (error) this.log.warn(`[${connection}] ${error}`);
      const existing = this.histories.get(connection);
      if (existing && (existing.size > 0 || existing.lastId > 0)) {
        // Messages arrived before the saved ones were read: keep the live history, do not mix the two.
        this.log.info(`[${connection}] saved history not restored: new messages arrived first`);
        continue;
      }
      if (!error) this.log.info(`[${connection}] restored ${restored} messages of history`);
      this.histories.set(connection, history);
      this.savedAt.set(connection, history.lastId);
      this.restoredEmitter.fire(connection);
    }
  }

  /** Saves every history that changed since it was last saved (newest messages first, bounded per connection). */
  async save(): Promise<void> {
    if (!this.storage) return;
    await vscode.workspace.fs.createDirectory(this.historyFolder());
    for (const [connection, bytes] of this.changedSnapshots()) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.historyFolder(), fileName(connection)), bytes);
    }
  }

  /**
   * Saves synchronously, for deactivate: while a window reloads, the extension host may be stopped before an
   * asynchronous write through the workbench completes. Storage outside the local file system uses `save()`.
   */
  saveOnExit(): Promise<void> | undefined {
    if (!this.storage) return undefined;
    if (this.storage.scheme !== 'file') return this.save();
    const folder = this.historyFolder().fsPath;
    mkdirSync(folder, { recursive: true });
    for (const [connection, bytes] of this.changedSnapshots()) writeFileSync(join(folder, fileName(connection)), bytes);
    return undefined;
  }

  private changedSnapshots(): Array<[string, Uint8Array]> {
    const changed: Array<[string, Uint8Array]> = [];
    for (const [connection, history] of this.histories) {
      if (this.savedAt.get(connection) === history.lastId) continue;
      this.savedAt.set(connection, history.lastId);
      changed.push([connection, history.serialize({ maxBytes: SAVED_BYTES_PER_CONNECTION })]);
    }
    return changed;
  }

  dispose(): void {
    clearInterval(this.autosave);
    this.restoredEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private historyFolder(): vscode.Uri {
    // Called only when storage is defined (a folder is open).
    return vscode.Uri.joinPath(this.storage as vscode.Uri, 'history');
  }
}
