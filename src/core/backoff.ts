/** Reconnect timing of a profile: exponential backoff between two bounds, with random jitter. */
export interface BackoffPolicy {
  /** Delay before the first reconnect attempt, in milliseconds. */
  initialDelay: number;
  /** Upper bound of any delay, in milliseconds. */
  maxDelay: number;
  /** Fraction (0..1) by which each delay is randomly shortened or lengthened, so many clients do not retry in step. */
  jitter: number;
}

/** Defaults used when a profile does not set `reconnect`. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelay: 1000, maxDelay: 30000, jitter: 0.2 };

/**
 * The delay before reconnect attempt `attempt` (1 = first): initialDelay * 2^(attempt-1), capped at maxDelay,
 * then spread by +-jitter and kept within [initialDelay, maxDelay].
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const base = Math.min(policy.maxDelay, policy.initialDelay * 2 ** exponent);
  const spread = 1 + policy.jitter * (2 * random() - 1);
  return Math.round(Math.min(policy.maxDelay, Math.max(policy.initialDelay, base * spread)));
}
