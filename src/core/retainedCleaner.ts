/** The outcome of clearing retained messages. */
export interface ClearRetainedSummary {
  cleared: number;
  failed: Array<{ topic: string; error: string }>;
  /** Topics not attempted because the user cancelled. */
  skipped: number;
}

/** How to clear one topic: publish an empty retained message (QoS 1) and resolve on PUBACK. */
export type ClearOne = (topic: string) => Promise<unknown>;

/**
 * Clears the retained message of every topic with at most `concurrency` QoS 1 publishes in flight, so a
 * large subtree neither floods the broker nor waits a fixed time per topic. Stops starting new publishes
 * once `isCancelled()` says so; `onProgress` gets the number finished so far.
 */
export async function clearRetained(
  topics: readonly string[],
  clearOne: ClearOne,
  options: { concurrency?: number; isCancelled?: () => boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<ClearRetainedSummary> {
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const summary: ClearRetainedSummary = { cleared: 0, failed: [], skipped: 0 };
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < topics.length) {
      if (options.isCancelled?.()) return;
      const topic = topics[next++];
      try {
        await clearOne(topic);
        summary.cleared++;
      } catch (error) {
        summary.failed.push({ topic, error: error instanceof Error ? error.message : String(error) });
      }
      options.onProgress?.(++done, topics.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, topics.length) }, worker));
  summary.skipped = topics.length - summary.cleared - summary.failed.length;
  return summary;
}
