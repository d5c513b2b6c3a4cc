/**
 * Received messages handed on to the monitor once per turn of the event loop instead of one by one. The receive
 * path (parse, acknowledge, topic tree, history) finishes the messages of a socket read first, so acknowledgements
 * go out and the broker keeps sending while the rules run; then each part of the monitor runs over the whole batch
 * with its code and data at hand. A busy socket is read many times in one turn (the monitor bench saw 4,000 to
 * 6,000 messages per turn), and messages that waited that long are no longer in the CPU's cache: at `maxBatch`
 * (256) messages the batch is handed on at once. The batch is kept in columns that are reused from turn to turn:
 * waiting costs no object per message and no reallocation. `flush` hands on what waits now. A handler that throws
 * does not escape into the event loop (where nothing would catch it): `onError` gets it, and the next batch is
 * handed on as usual.
 */
import type { MqttMessage } from '../../shared/mqttMessage';
import type { TopicMemo } from './topicMemo';

/**
 * A batch of received messages: the i-th message, for i below `length`, came on `connections[i]` and `memos[i]` is
 * its topic's memo there. The columns may be longer than `length` (their places past it are empty): read up to it.
 */
export interface ReceivedBatch {
  readonly length: number;
  readonly connections: readonly string[];
  readonly messages: readonly MqttMessage[];
  readonly memos: readonly (TopicMemo | undefined)[];
}

/**
 * The columns of one batch. They keep their size when cleared (emptying an array gives its storage back, and the
 * next turn would grow it again: a reallocation every few messages); the places used are emptied so that no
 * message is kept alive by a batch that was handed on. Readers see the places below `length` only, which are
 * never empty: the columns are shown to them as arrays of what those places hold.
 */
class Columns implements ReceivedBatch {
  private readonly connectionSlots: (string | undefined)[] = [];
  private readonly messageSlots: (MqttMessage | undefined)[] = [];
  readonly memos: (TopicMemo | undefined)[] = [];
  length = 0;

  get connections(): readonly string[] {
    return this.connectionSlots as readonly string[];
  }

  get messages(): readonly MqttMessage[] {
    return this.messageSlots as readonly MqttMessage[];
  }

  /** Adds a message; returns how many there are now. */
  add(connection: string, message: MqttMessage, memo: TopicMemo | undefined): number {
    const at = this.length;
    this.connectionSlots[at] = connection;
    this.messageSlots[at] = message;
    this.memos[at] = memo;
    return (this.length = at + 1);
  }

  clear(): void {
    for (let at = 0; at < this.length; at++) {
      this.connectionSlots[at] = undefined;
      this.messageSlots[at] = undefined;
      this.memos[at] = undefined;
    }
    this.length = 0;
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
    private readonly maxBatch = 256,
  ) {}

  push(connection: string, message: MqttMessage, memo?: TopicMemo): void {
    if (this.disposed) return;
    const count = this.waiting.add(connection, message, memo);
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
