/**
 * Latency statistics. `LatencySamples` keeps every sample (bounded: past `capacity`, a seeded reservoir keeps a
 * uniform sample) and gives exact nearest-rank percentiles. `LatencyHistogram` is the mergeable form written to
 * the JSON report: buckets 1 % wide, so percentiles of several merged runs are within 1 % of the exact ones.
 */
import type { Percentiles } from '../../shared/fleetSnapshot';
import { SeededRandom } from './random';

export type { Percentiles } from '../../shared/fleetSnapshot';

/** Nearest-rank percentile of ascending `sorted` (p in 0..100). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Every latency sample of a run (or of a window), bounded by count. */
export class LatencySamples {
  private samples: Float64Array;
  private length = 0;
  private seen = 0;
  private readonly random = new SeededRandom(0x5eed);

  constructor(private readonly capacity = 4_000_000) {
    this.samples = new Float64Array(Math.min(capacity, 4096));
  }

  /** Samples recorded (including those the reservoir did not keep). */
  get count(): number {
    return this.seen;
  }

  add(ms: number): void {
    this.seen++;
    if (this.length < this.capacity) {
      if (this.length === this.samples.length) {
        const grown = new Float64Array(Math.min(this.capacity, this.samples.length * 2));
        grown.set(this.samples);
        this.samples = grown;
      }
      this.samples[this.length++] = ms;
      return;
    }
    const slot = Math.floor(this.random.next() * this.seen);
    if (slot < this.capacity) this.samples[slot] = ms;
  }

  /** Exact percentiles of the kept samples. */
  percentiles(): Percentiles {
    const sorted = this.samples.slice(0, this.length).sort();
    return { count: this.seen, p50: percentileOfSorted(sorted, 50), p95: percentileOfSorted(sorted, 95), p99: percentileOfSorted(sorted, 99), max: sorted[sorted.length - 1] };
  }

  /** Forgets every sample (a new window). */
  reset(): void {
    this.length = 0;
    this.seen = 0;
  }

  /** The kept samples as a histogram. */
  toHistogram(): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (let i = 0; i < this.length; i++) histogram.add(this.samples[i]);
    histogram.scale(this.seen, this.length);
    return histogram;
  }
}

/** Relative width of a histogram bucket. */
const GROWTH = 1.01;
/** Samples below this many milliseconds share the first bucket. */
const FLOOR_MS = 0.001;

/** A mergeable latency histogram: bucket i holds samples in [FLOOR·1.01^i, FLOOR·1.01^(i+1)). */
export class LatencyHistogram {
  /** Bucket index -> count. */
  readonly buckets = new Map<number, number>();

  static fromJson(value: Record<string, number>): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const [key, count] of Object.entries(value)) histogram.buckets.set(Number(key), count);
    return histogram;
  }

  add(ms: number, count = 1): void {
    const index = ms <= FLOOR_MS ? 0 : Math.floor(Math.log(ms / FLOOR_MS) / Math.log(GROWTH));
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + count);
  }

  /** Adds another histogram's counts to this one. */
  merge(other: LatencyHistogram): void {
    for (const [index, count] of other.buckets) this.buckets.set(index, (this.buckets.get(index) ?? 0) + count);
  }

  /** Stretches the counts so that `kept` samples stand for `total` (a reservoir's sample). */
  scale(total: number, kept: number): void {
    if (kept === 0 || total === kept) return;
    for (const [index, count] of this.buckets) this.buckets.set(index, (count * total) / kept);
  }

  /** Percentiles, each the middle of its bucket (within 1 % of the exact value). */
  percentiles(): Percentiles {
    const entries = [...this.buckets].sort((a, b) => a[0] - b[0]);
    const count = Math.round(entries.reduce((sum, [, c]) => sum + c, 0));
    if (count === 0) return { count };
    const at = (p: number): number => {
      const rank = Math.max(1, Math.ceil((p / 100) * count));
      let cumulative = 0;
      for (const [index, c] of entries) {
        cumulative += c;
        if (cumulative >= rank - 1e-9) return bucketMiddle(index);
      }
      return bucketMiddle(entries[entries.length - 1][0]);
    };
    return { count, p50: at(50), p95: at(95), p99: at(99), max: bucketMiddle(entries[entries.length - 1][0]) };
  }

  toJson(): Record<string, number> {
    return Object.fromEntries([...this.buckets].map(([index, count]) => [String(index), count]));
  }
}

function bucketMiddle(index: number): number {
  return index === 0 ? FLOOR_MS : FLOOR_MS * GROWTH ** (index + 0.5);
}
