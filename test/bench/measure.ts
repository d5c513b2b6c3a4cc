// Small helpers the benchmarks share: forcing garbage collection (when run with --expose-gc) and rounding figures.

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether the benchmark runs with --expose-gc (heap figures are only meaningful then). */
export const canCollect = gc !== undefined;

/** Runs two full garbage collections when --expose-gc is on, so heap figures count only what is alive. */
export function collect(): void {
  if (gc !== undefined) {
    gc();
    gc();
  }
}

/** Bytes as megabytes with one decimal. */
export const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** `n` rounded to `digits` decimals. */
export const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The `q` quantile (0..1, nearest rank) of `values`; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
}

/** The median of `values` (the upper one of an even count); NaN for none. */
export const median = (values: readonly number[]): number => quantile(values, 0.5);
