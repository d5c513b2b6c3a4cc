/**
 * When a session's reconnect backoff may start over, and whether a broker keeps closing connections it just
 * accepted. The backoff starts over once a connection has stayed up for {@link STABLE_CONNECTION_MS}, not at
 * every CONNACK: mosquitto 2.0 closes the older of two clients with one client id right after the newer one
 * connects, without a DISCONNECT, and starting over at every CONNACK made the two fight at the initial delay.
 */

/** A connection that stays up this long counts as stable: the next drop starts the backoff from the beginning. */
export const STABLE_CONNECTION_MS = 10_000;

/** One session's view of its connections' lifetimes; see the module comment. */
export class ConnectionStability {
  private connectedAt: number | undefined;
  private shortCloses = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly now: () => number,
    private readonly stableMs = STABLE_CONNECTION_MS,
  ) {}

  /** A CONNACK arrived: `onStable` runs if this connection is still up after the stable time. */
  connected(onStable: () => void): void {
    clearTimeout(this.timer);
    this.connectedAt = this.now();
    this.timer = setTimeout(() => {
      this.shortCloses = 0;
      onStable();
    }, this.stableMs);
    this.timer.unref?.(); // never keeps a process alive; a late run only resets a counter
  }

  /**
   * The connection closed. `explained`: a DISCONNECT reason or a socket error said why.
   * @returns true when this and the connection before it were both accepted and then closed before they were
   * stable, without a reason: the broker keeps doing it (another client with the same client id does this).
   */
  closed(explained: boolean): boolean {
    clearTimeout(this.timer);
    const short = this.connectedAt !== undefined && this.now() - this.connectedAt < this.stableMs;
    this.connectedAt = undefined;
    if (!short || explained) {
      this.shortCloses = 0;
      return false;
    }
    return ++this.shortCloses >= 2;
  }
}
