/** A fixed-capacity ring of (time, value) samples: memory is set at construction, the oldest sample goes first. */
export class SampleRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(time: number, value: number): void {
    const at = (this.start + this.count) % this.capacity;
    this.times[at] = time;
    this.values[at] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The newest value, if any. */
  last(): number | undefined {
    return this.count === 0 ? undefined : this.values[(this.start + this.count - 1) % this.capacity];
  }

  /** Samples at or after `since`, oldest first, at most `max` (evenly thinned when there are more). */
  points(since = -Infinity, max = Infinity): Array<[number, number]> {
    const all: Array<[number, number]> = [];
    for (let i = 0; i < this.count; i++) {
      const at = (this.start + i) % this.capacity;
      if (this.times[at] >= since) all.push([this.times[at], this.values[at]]);
    }
    if (all.length <= max) return all;
    const step = all.length / max;
    return Array.from({ length: max }, (_, i) => all[Math.floor(i * step)] ?? [0, 0]);
  }

  /** Bytes this ring holds (for the memory figures). */
  get bytes(): number {
    return this.times.byteLength + this.values.byteLength;
  }
}
