import * as vscode from 'vscode';
import { SECTION } from './config';
import type { Logger } from './log';
import { watchFiles } from './watchFiles';

/**
 * A part of the decode context built from files a setting lists (Protobuf schemas, C headers): loaded when the
 * subclass calls {@link reload} at the end of its constructor, again when the setting `mqttWorkbench.<settingKey>`
 * changes or a listed file changes (the subclass passes them to {@link watch}). `ready()` resolves once the latest
 * load finished; `onDidReload` fires after each.
 */
export abstract class FileBackedContext<T> implements vscode.Disposable {
  protected current: T;
  protected readonly disposables: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  private loading: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after each reload (tests wait on it; the publish form refreshes its type list). */
  readonly onDidReload = this.changed.event;

  constructor(
    protected readonly log: Logger,
    settingKey: string,
    empty: T,
    /** What the files are, for the log line of a load that failed ("the C headers"). */
    private readonly what: string,
  ) {
    this.current = empty;
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.${settingKey}`)) this.reload();
      }),
    );
  }

  /** The context as last loaded (empty until the first load finished). */
  get context(): T {
    return this.current;
  }

  /** Resolves once the latest reload has finished (tests, and the first decode after activation). */
  ready(): Promise<void> {
    return this.loading;
  }

  dispose(): void {
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** Reads the setting and its files again into `current`. */
  protected abstract load(): Promise<void>;

  protected reload(): void {
    this.loading = this.load()
      .catch((error: unknown) => this.log.error(`loading ${this.what} failed`, error))
      .finally(() => this.changed.fire());
  }

  /** Reloads when one of `uris` changes on disk (replaces the previous watch). */
  protected watch(uris: vscode.Uri[]): void {
    this.watcher?.dispose();
    this.watcher = watchFiles(uris, () => this.reload());
  }
}
