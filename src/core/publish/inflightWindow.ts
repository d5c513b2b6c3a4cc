/**
 * The client side of MQTT 5 flow control: at most Receive Maximum QoS 1/2 publishes may await their
 * acknowledgement at once (the broker's CONNACK says how many; without it, 65,535). The rest wait here, in the
 * order they were published. A QoS 0 publish takes no place but still waits behind earlier publishes, so a
 * burst leaves in the order it was made.
 */

/** The most a broker can grant, and what MQTT 5 assumes when the CONNACK has no Receive Maximum. */
export const MAX_RECEIVE_MAXIMUM = 65_535;

/** One publish in the queue: `start` hands it to the client, `cancel` says it will never start. */
interface Ticket {
  readonly counted: boolean;
  readonly start: (release: () => void) => void;
  readonly cancel: (error: Error) => void;
}

/** A FIFO gate with `capacity` places for QoS 1/2 publishes. Pure: no timers, no I/O. */
export class InflightWindow {
  private capacity: number;
  private used = 0;
  /** Bumped by `reset`: a release from before it frees nothing now. */
  private generation = 0;
  private readonly queue: Ticket[] = [];

  constructor(capacity = MAX_RECEIVE_MAXIMUM) {
    this.capacity = clampCapacity(capacity);
  }

  /** QoS 1/2 publishes handed over and not yet acknowledged (or failed). */
  get inFlight(): number {
    return this.used;
  }

  /** Publishes waiting for their turn. */
  get waiting(): number {
    return this.queue.length;
  }

  /** The current number of places. */
  get size(): number {
    return this.capacity;
  }

  /** Sets the number of places (a new CONNACK's Receive Maximum) and starts what now fits. */
  resize(capacity: number | undefined): void {
    this.capacity = clampCapacity(capacity ?? MAX_RECEIVE_MAXIMUM);
    this.admit();
  }

  /**
   * Starts the publish now when nothing waits before it and, for QoS 1/2 (`counted`), a place is free;
   * otherwise queues it. `start` gets `release`, to call once the publish is acknowledged or failed
   * (calling it again does nothing). `cancel` is called instead of `start` if the queue is emptied first.
   */
  enter(counted: boolean, start: (release: () => void) => void, cancel: (error: Error) => void): void {
    this.queue.push({ counted, start, cancel });
    this.admit();
  }

  /** Cancels every waiting publish (the connection closed before their turn came). */
  cancelWaiting(error: () => Error): void {
    const cancelled = this.queue.splice(0);
    for (const ticket of cancelled) ticket.cancel(error());
  }

  /** Frees every place at once: the client that held them is gone and will not acknowledge anything. */
  reset(): void {
    this.generation++;
    this.used = 0;
    this.admit();
  }

  private admit(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (next.counted && this.used >= this.capacity) return;
      this.queue.shift();
      if (next.counted) this.used++;
      next.start(next.counted ? this.releaser() : () => undefined);
    }
  }

  private releaser(): () => void {
    const generation = this.generation;
    let released = false;
    return () => {
      if (released || generation !== this.generation) return;
      released = true;
      this.used--;
      this.admit();
    };
  }
}

function clampCapacity(capacity: number): number {
  return Number.isInteger(capacity) && capacity >= 1 ? Math.min(capacity, MAX_RECEIVE_MAXIMUM) : MAX_RECEIVE_MAXIMUM;
}
