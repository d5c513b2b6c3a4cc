/**
 * Lateness figures of a replay without keeping every sample: a histogram of 0.1 ms buckets up to 10 s
 * (later samples land in the last bucket), from which p50/p99 are read.
 */
const BUCKET_MS = 0.1;
const BUCKETS = 100_000;

/** Collects drift samples (ms, negative counts as 0) and answers quantiles. */
export class DriftHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;

  /** Adds one sample in ms. */
  add(ms: number): void {
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor(ms / BUCKET_MS)));
    this.counts[bucket]++;
    this.total++;
  }

  /** Number of samples. */
  get count(): number {
    return this.total;
  }

  /** The lower edge (ms, to 0.1) of the bucket holding quantile `q` (0..1); null without samples. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.round(i * BUCKET_MS * 10) / 10;
    }
    return BUCKETS * BUCKET_MS;
  }
}
