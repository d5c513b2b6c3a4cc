/**
 * The saved form of an outbox: one JSON file per connection (`{ "version": 1, "entries": [...] }`), replaced
 * atomically (written beside, then renamed) so a crash never leaves half a queue. A file that cannot be read
 * is moved aside, not overwritten, and the error says where it went.
 */
import type { OutboxStorage } from './outbox';
import type { OutboxRecord } from './outboxRecord';

/** The few file operations the storage needs, on names inside one folder (vscode.workspace.fs or node:fs). */
export interface FileAccess {
  /** The file's bytes, or undefined when it does not exist. */
  read(name: string): Promise<Uint8Array | undefined>;
  /** Creates the folder when needed and writes the file. */
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** Renames, replacing `to` when it exists. */
  rename(from: string, to: string): Promise<void>;
  /** Deletes the file; nothing when it does not exist. */
  remove(name: string): Promise<void>;
}

/** Suffix of the outbox files (see {@link outboxFileName}). */
export const OUTBOX_FILE_SUFFIX = '.json';

/** The file name of a connection's queue: its name, percent-encoded. */
export function outboxFileName(connection: string): string {
  return `${encodeURIComponent(connection)}${OUTBOX_FILE_SUFFIX}`;
}

/** One connection's queue in a JSON file; counts the writes so tests can see that saves coalesce. */
export class JsonOutboxStorage implements OutboxStorage {
  writes = 0;

  constructor(
    private readonly files: FileAccess,
    readonly fileName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async load(): Promise<readonly unknown[]> {
    const bytes = await this.files.read(this.fileName);
    if (bytes === undefined) return [];
    try {
      const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { entries?: unknown };
      if (Array.isArray(parsed.entries)) return parsed.entries;
      throw new Error('it has no "entries" list');
    } catch (error) {
      const aside = `${this.fileName}.unreadable-${this.now()}`;
      await this.files.rename(this.fileName, aside);
      throw new Error(`${this.fileName} is not a saved queue (${error instanceof Error ? error.message : String(error)}); it was moved to ${aside}.`);
    }
  }

  async save(records: readonly OutboxRecord[]): Promise<void> {
    this.writes++;
    if (records.length === 0) {
      await this.files.remove(this.fileName);
      return;
    }
    const temp = `${this.fileName}.tmp`;
    await this.files.write(temp, new TextEncoder().encode(JSON.stringify({ version: 1, entries: records })));
    await this.files.rename(temp, this.fileName);
  }
}
