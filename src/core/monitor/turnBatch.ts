/**
 * Received messages handed on to the monitor once per turn of the event loop instead of one by one. The receive
 * path (parse, acknowledge, topic tree, history) finishes every message of a socket read first, so acknowledgements
 * go out and the broker keeps sending while the rules run; then each part of the monitor runs over the whole batch
 * with its code and data at hand. The batch is kept in columns that are reused from turn to turn: waiting costs no
 * object per message. At most `maxBatch` messages wait (then they are handed on at once); `flush` hands them on now.
 * A handler that throws does not escape into the event loop (where nothing would catch it): `onError` gets it, and
 * the next batch is handed on as usual.
 */
import type { MqttMessage } from '../../shared/mqttMessage';
import type { TopicMemo } from './topicMemo';

/** A batch of received messages: the i-th message came on `connections[i]`, `memos[i]` is its topic's memo there. */
export interface ReceivedBatch {
  readonly length: number;
  readonly connections: readonly string[];
  readonly messages: readonly MqttMessage[];
  readonly memos: readonly (TopicMemo | undefined)[];
}

/** The columns of one batch. */
class Columns implements ReceivedBatch {
  readonly connections: string[] = [];
  readonly messages: MqttMessage[] = [];
  readonly memos: (TopicMemo | undefined)[] = [];

  get length(): number {
    return this.messages.length;
  }

  clear(): void {
    this.connections.length = 0;
    this.messages.length = 0;
    this.memos.length = 0;
  }
}

export class TurnBatch {
  /** What waits, and the columns of the batch being handed on (swapped: a push from inside the handler is kept). */
  private waiting = new Columns();
  private spare = new Columns();
  private handing = false;
  private disposed = false;

  constructor(
    /** Gets each batch; the batch is valid only during the call (its columns are reused). */
    private readonly handle: (batch: ReceivedBatch) => void,
    private readonly onError: (error: unknown) => void,
    private readonly maxBatch = 10_000,
  ) {}

  push(connection: string, message: MqttMessage, memo?: TopicMemo): void {
    if (this.disposed) return;
    const waiting = this.waiting;
    waiting.connections.push(connection);
    waiting.memos.push(memo);
    const count = waiting.messages.push(message);
    if (count === 1) setImmediate(() => this.flush());
    else if (count >= this.maxBatch) this.flush();
  }

  /** Hands on what waits, now (before anything that must see every message so far). */
  flush(): void {
    const batch = this.waiting;
    if (batch.length === 0) return;
    const nested = this.handing; // flushed from inside the handler: the spare columns are the outer batch
    this.waiting = nested ? new Columns() : this.spare;
    if (!nested) this.spare = batch;
    this.handing = true;
    try {
      this.handle(batch);
    } catch (error) {
      this.onError(error);
    } finally {
      batch.clear();
      this.handing = nested;
    }
  }

  /** Drops what waits; later pushes are ignored. */
  dispose(): void {
    this.disposed = true;
    this.waiting.clear();
  }
}
