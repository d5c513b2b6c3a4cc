/**
 * Message rate over a sliding window of whole seconds: one counter per second in a ring, so counting a
 * message is two integer operations and the memory is fixed whatever the rate.
 */
export class RateWindow {
  private readonly counts: Uint32Array;
  /** The second (epoch seconds) each slot counts; a slot of an older second is stale. */
  private readonly seconds: Float64Array;

  /** @param windowSeconds how many whole seconds the rate averages over (at least 1). */
  constructor(readonly windowSeconds: number) {
    const size = Math.max(1, Math.round(windowSeconds)) + 1;
    this.counts = new Uint32Array(size);
    this.seconds = new Float64Array(size).fill(-1);
  }

  /** Counts `n` messages at `now` (epoch ms). */
  add(now: number, n = 1): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.counts.length;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] += n;
  }

  /** Messages per second over the last `windowSeconds` full seconds before `now` (the current second is partial, left out). */
  perSecond(now: number): number {
    return this.total(now) / this.windowSeconds;
  }

  /** Messages in the last `windowSeconds` full seconds before `now`. */
  total(now: number): number {
    const current = Math.floor(now / 1000);
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const age = current - this.seconds[i];
      if (age >= 1 && age <= this.windowSeconds) sum += this.counts[i];
    }
    return sum;
  }
}

/** "1.2k msg/s", "35 msg/s", "0.5 msg/s": a rate for a tree item's description. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 10_000) return `${(perSecond / 1000).toFixed(0)}k msg/s`;
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k msg/s`;
  if (perSecond >= 10) return `${Math.round(perSecond)} msg/s`;
  return `${Number(perSecond.toFixed(1))} msg/s`;
}
