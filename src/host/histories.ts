import * as vscode from 'vscode';
import { MessageHistory, type HistoryLimits } from '../core/history';
import { SECTION } from './config';
import type { ConnectionManager } from './connections';
import type { Logger } from './log';

const LIMIT_KEYS = { maxMessages: 'history.maxMessages', maxBytes: 'history.maxMegabytes' } as const;
/** Saved history per connection is kept under this size on disk. */
const SAVED_BYTES_PER_CONNECTION = 8 * 1024 * 1024;

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
    let files: Array<[string, vscode.FileType]>;
    try {
      files = await vscode.workspace.fs.readDirectory(this.historyFolder());
    } catch {
      return;
    }
    for (const [file] of files) {
      const connection = decodeURIComponent(file.replace(/\.bin$/, ''));
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.historyFolder(), file));
      const { history, restored, error } = MessageHistory.deserialize(bytes, historyLimits());
      if (error) this.log.warn(`[${connection}] ${error}`);
      else this.log.info(`[${connection}] restored ${restored} messages of history`);
      this.histories.set(connection, history);
    }
  }

  /** Saves every history (newest messages first, bounded per connection). */
  async save(): Promise<void> {
    if (!this.storage) return;
    await vscode.workspace.fs.createDirectory(this.historyFolder());
    for (const [connection, history] of this.histories) {
      const file = vscode.Uri.joinPath(this.historyFolder(), `${encodeURIComponent(connection)}.bin`);
      await vscode.workspace.fs.writeFile(file, history.serialize({ maxBytes: SAVED_BYTES_PER_CONNECTION }));
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private historyFolder(): vscode.Uri {
    // Called only when storage is defined (a folder is open).
    return vscode.Uri.joinPath(this.storage as vscode.Uri, 'history');
  }
}
