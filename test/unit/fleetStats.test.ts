// Latency percentiles against a sorted-array reference, the reservoir bound, and the mergeable histogram
// (within 1 % of the exact percentiles, also after merging runs).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SeededRandom } from '../../src/core/fleet/random';
import { LatencyHistogram, LatencySamples, percentileOfSorted } from '../../src/core/fleet/stats';

/** The textbook nearest-rank percentile on a sorted copy. */
function reference(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function latencies(count: number, seed: number): number[] {
  const random = new SeededRandom(seed);
  // Long-tailed, like real latencies: mostly a few ms, sometimes hundreds.
  return Array.from({ length: count }, () => 0.2 + -Math.log(1 - random.next()) * (random.next() < 0.02 ? 150 : 2));
}

describe('latency percentiles', () => {
  test('exact percentiles equal the sorted-array reference', () => {
    for (const count of [1, 2, 3, 10, 99, 100, 101, 12_345]) {
      const values = latencies(count, count);
      const samples = new LatencySamples();
      for (const v of values) samples.add(v);
      const p = samples.percentiles();
      assert.equal(p.count, count);
      assert.equal(p.p50, reference(values, 50), `p50 of ${count}`);
      assert.equal(p.p95, reference(values, 95), `p95 of ${count}`);
      assert.equal(p.p99, reference(values, 99), `p99 of ${count}`);
      assert.equal(p.max, Math.max(...values));
    }
  });

  test('no samples give no percentiles; the nearest rank of small arrays', () => {
    assert.deepEqual(new LatencySamples().percentiles(), { count: 0, p50: undefined, p95: undefined, p99: undefined, max: undefined });
    assert.equal(percentileOfSorted([1, 2, 3, 4], 50), 2);
    assert.equal(percentileOfSorted([1, 2, 3, 4], 51), 3);
    assert.equal(percentileOfSorted([7], 99), 7);
  });

  test('past its capacity the reservoir stays bounded and close to the truth', () => {
    const values = latencies(50_000, 5);
    const samples = new LatencySamples(5_000);
    for (const v of values) samples.add(v);
    const p = samples.percentiles();
    assert.equal(p.count, 50_000);
    const p50 = reference(values, 50);
    assert.ok(Math.abs((p.p50 ?? 0) - p50) / p50 < 0.1, `p50 ${p.p50} vs ${p50}`);
  });

  test('the histogram is within 1 % of the exact percentiles, also merged from two runs', () => {
    const a = latencies(20_000, 1);
    const b = latencies(30_000, 2).map((v) => v * 3);
    const ha = new LatencyHistogram();
    const hb = new LatencyHistogram();
    for (const v of a) ha.add(v);
    for (const v of b) hb.add(v);
    const merged = LatencyHistogram.fromJson(JSON.parse(JSON.stringify(ha.toJson())) as Record<string, number>);
    merged.merge(hb);
    const all = [...a, ...b];
    const p = merged.percentiles();
    assert.equal(p.count, all.length);
    for (const [value, q] of [[p.p50, 50], [p.p95, 95], [p.p99, 99]] as const) {
      const exact = reference(all, q);
      assert.ok(value !== undefined && Math.abs(value - exact) / exact <= 0.01, `p${q}: ${value} vs ${exact}`);
    }
  });
});
