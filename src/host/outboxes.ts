import * as vscode from 'vscode';
import { Outbox, type OutboxSettings } from '../core/publish/outbox';
import { JsonOutboxStorage, OUTBOX_FILE_SUFFIX, outboxFileName, type FileAccess } from '../core/publish/outboxFile';
import { savedConnectionFiles } from './storageFolder';
import type { OutboxStorage } from '../core/publish/outbox';
import type { OutboxRecord } from '../core/publish/outboxRecord';
import type { Session } from '../core/session';
import { SECTION } from './config';
import type { Logger } from './log';

/** Settings of the offline queue, relative to `mqttWorkbench`. */
const MAX_KEY = 'offlineQueue.maxMessages';
const PERSIST_QOS0_KEY = 'offlineQueue.persistQos0';
const FOLDER = 'outbox';
/** Queue counts reach the UI at most this often: a drain of thousands of messages must not redraw per message. */
const CHANGE_PERIOD_MS = 200;

/** `mqttWorkbench.offlineQueue.*`, read on every use so a change applies to the next message. */
export function outboxSettings(): OutboxSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const max = config.get<number>(MAX_KEY, 10_000);
  return { maxMessages: Number.isInteger(max) && max > 0 ? max : 10_000, persistQos0: config.get<boolean>(PERSIST_QOS0_KEY, false) === true };
}

/** vscode.workspace.fs on names inside one folder; works for local and remote workspace storage. */
export function folderAccess(folder: vscode.Uri): FileAccess {
  const uri = (name: string) => vscode.Uri.joinPath(folder, name);
  return {
    async read(name) {
      try {
        return await vscode.workspace.fs.readFile(uri(name));
      } catch (error) {
        if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
        throw error;
      }
    },
    async write(name, bytes) {
      await vscode.workspace.fs.createDirectory(folder);
      await vscode.workspace.fs.writeFile(uri(name), bytes);
    },
    rename: (from, to) => Promise.resolve(vscode.workspace.fs.rename(uri(from), uri(to), { overwrite: true })),
    remove: (name) => Promise.resolve(vscode.workspace.fs.delete(uri(name))).catch(() => undefined),
  };
}

/** Without an open folder there is no workspace storage: the queue lives as long as the window. */
const MEMORY_ONLY: OutboxStorage = { load: () => Promise.resolve([]), save: (_records: readonly OutboxRecord[]) => Promise.resolve() };

/**
 * The offline queue of every connection. Queues are saved in the workspace storage (`<storageUri>/outbox`),
 * restored at activation (so counts show before anything connects) and drained by the connection's session.
 */
export class ConnectionOutboxes implements vscode.Disposable {
  private readonly outboxes = new Map<string, Outbox>();
  private readonly listeners: vscode.Disposable[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  private readonly changed = new Set<string>();
  private changeTimer: NodeJS.Timeout | undefined;
  /** Fires with a connection name when its queue grew or shrank (at most every 200 ms per connection). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly storage: vscode.Uri | undefined,
    private readonly log: Logger,
  ) {}

  /** Creates the outboxes of every saved queue (their files in the storage folder). */
  async restore(): Promise<void> {
    if (!this.storage) return;
    for (const { connection } of await savedConnectionFiles(this.folder(), OUTBOX_FILE_SUFFIX)) {
      await this.get(connection).restored();
    }
  }

  /** The outbox of a connection, created (and its saved queue loaded) on first use. */
  get(name: string): Outbox {
    let outbox = this.outboxes.get(name);
    if (!outbox) {
      const storage = this.storage ? new JsonOutboxStorage(folderAccess(this.folder()), outboxFileName(name)) : MEMORY_ONLY;
      const created = new Outbox(name, storage, outboxSettings);
      outbox = created;
      this.outboxes.set(name, created);
      this.listeners.push(
        created.onChange(() => this.noteChange(name)),
        created.onProblem((problem) => this.log.error(`[${name}] ${problem}`)),
        created.onSettled(({ entry, error, queued }) => error && this.log.warn(`[${name}] ${queued ? 'queued message' : 'message'} to ${entry.topic} was not sent: ${error.message}`)),
      );
      void created.restored().then(({ restored, problems }) => {
        if (restored > 0) this.log.info(`[${name}] ${restored} queued message(s) restored from the last session`);
        for (const problem of problems) this.log.warn(`[${name}] ${problem}`);
      });
    }
    return outbox;
  }

  /** Messages waiting for a connection (0 when it has no queue). */
  count(name: string): number {
    return this.outboxes.get(name)?.size ?? 0;
  }

  /** Drains the connection's queue through this session whenever it is connected. */
  attach(name: string, session: Session): vscode.Disposable {
    return this.get(name).attach(session);
  }

  /** Waits until every queue is saved (deactivate). */
  async flush(): Promise<void> {
    await Promise.all([...this.outboxes.values()].map((o) => o.flush()));
  }

  dispose(): void {
    clearTimeout(this.changeTimer);
    for (const d of this.listeners) d.dispose();
    for (const outbox of this.outboxes.values()) outbox.dispose();
    this.changeEmitter.dispose();
  }

  private noteChange(name: string): void {
    this.changed.add(name);
    this.changeTimer ??= setTimeout(() => {
      this.changeTimer = undefined;
      const names = [...this.changed];
      this.changed.clear();
      for (const changed of names) this.changeEmitter.fire(changed);
    }, CHANGE_PERIOD_MS);
  }

  private folder(): vscode.Uri {
    // Only called when storage is defined (a folder is open).
    return vscode.Uri.joinPath(this.storage as vscode.Uri, FOLDER);
  }
}
