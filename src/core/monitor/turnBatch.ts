/**
 * Items handed on once per turn of the event loop instead of one by one. For the monitor: the receive path (parse,
 * acknowledge, topic tree, history) finishes every message of a socket read first, so acknowledgements go out and
 * the broker keeps sending while the rules run; then each part of the monitor runs over the whole batch with its
 * code and data at hand. At most `maxBatch` items wait (then they are handed on at once); `flush` hands them on now.
 * A handler that throws does not escape into the event loop (where nothing would catch it): `onError` gets it, and
 * the next batch is handed on as usual.
 */
export class TurnBatch<T> {
  private items: T[] = [];
  private disposed = false;

  constructor(
    private readonly handle: (items: readonly T[]) => void,
    private readonly onError: (error: unknown) => void,
    private readonly maxBatch = 10_000,
  ) {}

  push(item: T): void {
    if (this.disposed) return;
    const waiting = this.items.push(item);
    if (waiting === 1) setImmediate(() => this.flush());
    else if (waiting >= this.maxBatch) this.flush();
  }

  /** Hands on what waits, now (before anything that must see every message so far). */
  flush(): void {
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    try {
      this.handle(items);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Drops what waits; later pushes are ignored. */
  dispose(): void {
    this.disposed = true;
    this.items = [];
  }
}
