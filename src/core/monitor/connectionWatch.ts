/** What the alert engine knows about each connection: up or down since when, reconnect times, last RTT. */
interface ConnectionFacts {
  up: boolean;
  /** When it went down (undefined while up). */
  downSince: number | undefined;
  reconnects: number[];
  rttMs: number | undefined;
}

/** Reconnect times kept per connection (the longest window a rule can ask for is a day). */
const MAX_RECONNECT_TIMES = 10_000;

/** Connection facts for the connection conditions. */
export class ConnectionWatch {
  private readonly facts = new Map<string, ConnectionFacts>();

  /** Connected (true), trying (false), closed by the user and forgotten (undefined). */
  state(connection: string, up: boolean | undefined, now: number): void {
    if (up === undefined) {
      this.facts.delete(connection);
      return;
    }
    const facts = this.factsOf(connection);
    if (up) facts.downSince = undefined;
    else if (facts.up || facts.downSince === undefined) facts.downSince = now;
    facts.up = up;
  }

  reconnect(connection: string, now: number): void {
    const times = this.factsOf(connection).reconnects;
    times.push(now);
    if (times.length > MAX_RECONNECT_TIMES) times.splice(0, times.length - MAX_RECONNECT_TIMES);
  }

  rtt(connection: string, ms: number): void {
    this.factsOf(connection).rttMs = ms;
  }

  isUp(connection: string): boolean {
    return this.facts.get(connection)?.up === true;
  }

  /** How long it has been down, or undefined while it is up (or unknown). */
  downFor(connection: string, now: number): number | undefined {
    const since = this.facts.get(connection)?.downSince;
    return since === undefined ? undefined : now - since;
  }

  /** Reconnects within the last `windowMs` (older ones are dropped). */
  reconnectsWithin(connection: string, windowMs: number, now: number): number {
    const times = this.facts.get(connection)?.reconnects;
    if (!times) return 0;
    return times.filter((t) => now - t <= windowMs).length;
  }

  known(): string[] {
    return [...this.facts.keys()];
  }

  up(): string[] {
    return [...this.facts].filter(([, f]) => f.up).map(([name]) => name);
  }

  private factsOf(connection: string): ConnectionFacts {
    let facts = this.facts.get(connection);
    if (!facts) {
      facts = { up: false, downSince: undefined, reconnects: [], rttMs: undefined };
      this.facts.set(connection, facts);
    }
    return facts;
  }
}
