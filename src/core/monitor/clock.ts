/** The time source of the monitor: epoch milliseconds. Tests pass a virtual clock they move by hand. */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (unit tests, the benchmark's simulated day). */
export class ManualClock implements Clock {
  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): number {
    this.time += ms;
    return this.time;
  }

  /** Sets the clock to `time` (epoch ms). */
  set(time: number): void {
    this.time = time;
  }
}
